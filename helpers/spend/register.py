"""The supplier register's facts on each payment: size (SME or not), social economy, postcode,
country and sector, matched by supplier number, VAT number or name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.spend.columns import UNKNOWN, clean_text, per_unique, redacted_flags, require_columns
from helpers.spend.sectors import cpv_division
from helpers.spend.suppliers import normalised_names

SIZE_CLASSES = ("micro", "small", "medium", "large")
REGISTER_COLUMNS = (
    "supplier_id",
    "name",
    "vat_number",
    "postcode",
    "country",
    "size_class",
    "employees",
    "turnover_eur",
    "social_economy",
    "social_economy_type",
    "nace_section",
    "cpv_division",
)
MATCH_METHODS = ("id", "vat", "name", "none")


def _vat_key(values: pd.Series) -> pd.Series:
    """VAT numbers comparable across spellings: "GB 261 4637 08" and "261463708" agree."""
    return per_unique(values, _vat_key_each)


def _vat_key_each(values: pd.Series) -> pd.Series:
    clean = values.astype("str").str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    clean = clean.str.replace(r"^[A-Z]{2}(?=[0-9A-Z]{5,})", "", regex=True)
    return clean.where(clean.notna() & (clean != ""), pd.NA)


def _to_bool(values: pd.Series) -> pd.Series:
    """true/false, yes/no, 1/0 (any case) as a nullable boolean; anything else missing."""
    text = values.astype("str").str.strip().str.lower()
    mapped = text.map(
        {
            "true": True,
            "yes": True,
            "y": True,
            "1": True,
            "t": True,
            "si": True,
            "sí": True,
            "false": False,
            "no": False,
            "n": False,
            "0": False,
            "f": False,
        }
    )
    return mapped.astype("boolean")


def _register_lookup(register: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Register rows indexed by a key, keeping only keys that identify one supplier."""
    frame = register.assign(_key=key).dropna(subset=["_key"])
    counts = frame["_key"].value_counts()
    return frame[frame["_key"].isin(counts[counts == 1].index)].set_index("_key")


def clean_register(register: pd.DataFrame) -> pd.DataFrame:
    """The register with every expected column, tidy ids, sizes, flags, CPV divisions, NACE sections."""
    reg = register.copy()
    for col in REGISTER_COLUMNS:
        if col not in reg:
            reg[col] = pd.NA
    reg["supplier_id"] = clean_text(reg["supplier_id"])
    size = reg["size_class"].astype("str").str.strip().str.lower()
    reg["size_class"] = size.where(size.isin(SIZE_CLASSES), UNKNOWN).astype("str")
    reg["social_economy"] = _to_bool(reg["social_economy"])
    reg["cpv_division"] = cpv_division(reg["cpv_division"])
    nace = reg["nace_section"].astype("str").str.strip().str.upper()
    reg["nace_section"] = nace.where(nace.str.fullmatch(r"[A-U]").fillna(False).astype("bool"), pd.NA)
    reg["postcode"] = clean_text(reg["postcode"])
    reg["country"] = clean_text(reg["country"]).str.upper()
    return reg


def _match_rows(payments: pd.DataFrame, reg_pos: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The register row (position) of each payment and how it matched: by id, then VAT, then name."""
    row_of = pd.Series(pd.NA, index=payments.index, dtype="object")
    how = pd.Series("none", index=payments.index, dtype="str")
    redacted = redacted_flags(payments)
    vat = _vat_key(payments["vat_number"]) if "vat_number" in payments else pd.Series(pd.NA, index=payments.index)
    steps = [
        ("id", clean_text(payments["supplier_id"]), reg_pos["supplier_id"]),
        ("vat", vat, _vat_key(reg_pos["vat_number"])),
        ("name", normalised_names(payments["supplier"]).where(~redacted, ""), normalised_names(reg_pos["name"])),
    ]
    for label, pay_key, reg_key in steps:
        reg_key = reg_key.where(reg_key != "", pd.NA)
        lookup = _register_lookup(reg_pos, reg_key)["_pos"]
        todo = row_of.isna() & pay_key.notna() & (pay_key != "")
        keys = pay_key[todo]
        found = lookup.index.get_indexer(keys)  # a hash join: -1 where the key is not in the register
        hit = keys.index[found >= 0]
        row_of.loc[hit] = lookup.to_numpy()[found[found >= 0]]
        how.loc[hit] = label
    return row_of.astype("Int64"), how


def join_register(payments: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Add the register's facts to each payment: size, SME, social economy, postcode, country, sector.

    Matching, in order: supplier id, then VAT number, then normalised name (each
    only where it identifies exactly one register entry). New columns:
    `register_match` (id | vat | name | none), `register_supplier_id`,
    `size_class` (micro|small|medium|large|unknown), `sme` (True for micro, small
    and medium, missing when unknown), `social_economy` (nullable boolean),
    `register_postcode`, `register_country`, `nace_section`, `cpv_division` and
    `sector` (the CPV division when known, else "NACE <section>", else missing).
    """
    require_columns(
        payments,
        ["supplier", "supplier_id", "amount"],
        "payments table",
        "Read the ledger with helpers.spend.ingest.read_ledger first",
    )
    require_columns(
        register,
        ["supplier_id", "name"],
        "supplier register",
        "The register needs at least supplier_id and name (see course/architecture.md)",
    )
    reg_pos = clean_register(register).reset_index(drop=True).assign(_pos=lambda f: np.arange(len(f)))
    out = payments.copy()
    pos, how = _match_rows(out, reg_pos)
    matched = pos.notna()
    take = pos.fillna(0).astype("int64").to_numpy()

    def pick(col: str, dtype: str) -> pd.Series:
        values = reg_pos[col].iloc[take].reset_index(drop=True).set_axis(out.index)
        return values.where(matched, pd.NA).astype(dtype)

    out["register_match"] = how
    out["register_supplier_id"] = pick("supplier_id", "str")
    out["size_class"] = pick("size_class", "str").fillna(UNKNOWN)
    sme = {"micro": True, "small": True, "medium": True, "large": False}
    out["sme"] = per_unique(out["size_class"], lambda v: v.map(sme)).astype("boolean")
    out["social_economy"] = pick("social_economy", "boolean")
    out["register_postcode"] = pick("postcode", "str")
    out["register_country"] = pick("country", "str")
    out["nace_section"] = pick("nace_section", "str")
    out["cpv_division"] = pick("cpv_division", "str")
    out["sector"] = out["cpv_division"].fillna("NACE " + out["nace_section"]).astype("str")
    return out


def match_report(joined: pd.DataFrame) -> pd.DataFrame:
    """How the payments matched the register: lines and spend per method, and their shares.

    Rows id, vat, name, none (always all four, in that order) and a "matched" total.
    """
    require_columns(
        joined, ["register_match", "amount"], "payments table", "Run helpers.spend.enrich.join_register first"
    )
    agg = (
        joined.groupby("register_match")["amount"]
        .agg(lines="size", amount="sum")
        .reindex(list(MATCH_METHODS), fill_value=0)
    )
    matched = agg.loc[["id", "vat", "name"]].sum()
    agg.loc["matched"] = matched
    total_lines, total_amount = len(joined), float(joined["amount"].sum())
    agg["share_lines"] = agg["lines"] / total_lines if total_lines else 0.0
    agg["share_amount"] = agg["amount"] / total_amount if total_amount else 0.0
    return agg.rename_axis("match").reset_index()
