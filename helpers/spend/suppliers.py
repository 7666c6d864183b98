"""Who the supplier really is: one group for the many spellings of one company.

A ledger names one supplier in many ways ("ACME LTD", "Acme Limited",
"A.C.M.E. Ltd."). `group_payments` groups them by supplier number where there is
one, else by a normalised name (`normalise_supplier_name`), and lets the learner
correct the grouping; `supplier_groups` lists the groups with their spellings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from helpers.core.content import items
from helpers.core.errors import LearnerError
from helpers.spend.columns import clean_text, per_unique, redacted_flags, require_columns, spread


def legal_forms() -> tuple[str, ...]:
    """The legal-form suffixes stripped from the end of a name (course/content/spend_legal_forms.yaml).

    Course design: the list covers the forms common in EU/UK registers; it is not exhaustive.
    """
    return tuple(form for group in items("spend_legal_forms") for form in group["forms"])


@lru_cache(maxsize=1)
def _forms_by_length() -> list[tuple[int, frozenset[tuple[str, ...]]]]:
    """The legal forms as word tuples grouped by length, longest first (so "sp z oo" is tried before "oo")."""
    forms = {tuple(f.split()) for f in legal_forms()}
    lengths = sorted({len(f) for f in forms}, reverse=True)
    return [(n, frozenset(f for f in forms if len(f) == n)) for n in lengths]


def _join_single_letters(words: list[str]) -> list[str]:
    """Join runs of two or more one-letter words: ["a", "c", "m", "e"] -> ["acme"]."""
    out: list[str] = []
    run: list[str] = []
    for word in words + [""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return out


def normalise_supplier_name(name: object) -> str:
    """The comparison key of a supplier name: "A.C.M.E. Servicios, S.L." -> "acme servicios".

    Casefolds, strips accents and punctuation, collapses spaces and removes legal-form
    suffixes (Ltd, GmbH, S.L., sp. z o.o., Oy, A.E. …, see `legal_forms`) from the end,
    so the spellings of one company on different invoices compare equal. The
    meaningful words are kept; a name made only of a legal form is kept as it is.
    Missing names give "".
    """
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return ""
    text = unicodedata.normalize("NFKD", str(name).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in (("ß", "ss"), ("ø", "o"), ("æ", "ae"), ("ł", "l"), ("đ", "d"), ("ı", "i")):
        text = text.replace(old, new)
    text = re.sub(r"[.\u00b7'’`´]", "", text)  # A.C.M.E. -> acme, O'Brien -> obrien
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[\W_]+", " ", text)  # other punctuation separates words
    words = _join_single_letters(text.split())
    forms = _forms_by_length()
    changed = True
    while changed and len(words) > 1:
        changed = False
        for length, of_length in forms:
            if len(words) > length and tuple(words[-length:]) in of_length:
                words = words[:-length]
                changed = True
                break
    if len(words) > 1 and words[-1] == "and":  # "Smith &" left over from "Smith & Co"
        words = words[:-1]
    return " ".join(words)


def normalised_names(values: pd.Series) -> pd.Series:
    """`normalise_supplier_name` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = pd.Series([_normalised(u) for u in uniques] + [""], dtype="str")
    return spread(keys, codes, values.index)  # code -1 (missing): ""


@lru_cache(maxsize=100_000)
def _cached_key(name: str) -> str:
    return normalise_supplier_name(name)


def _normalised(name: object) -> str:
    """`normalise_supplier_name`, remembered for text (the register and the ledger ask for the same names)."""
    return _cached_key(name) if isinstance(name, str) else normalise_supplier_name(name)


def _group_keys(payments: pd.DataFrame) -> pd.Series:
    """Automatic group key per payment: "id:<supplier_id>" or "name:<normalised name>".

    Course design: a payment without a supplier id joins the id group with the same
    normalised name when exactly one id group has that name; redacted names without
    an id all fall into one "redacted" group (nothing else can tell them apart).
    """
    ids = clean_text(payments["supplier_id"])
    names = normalised_names(payments["supplier"])
    redacted = redacted_flags(payments)
    key = ("id:" + ids).where(ids.notna(), pd.NA)
    # names seen with exactly one id (redacted names never identify anyone)
    with_id = pd.DataFrame({"name": names, "key": key})[ids.notna() & ~redacted & (names != "")]
    unique_ids = with_id.drop_duplicates().groupby("name")["key"].agg(["first", "nunique"])
    name_to_id = unique_ids.loc[unique_ids["nunique"] == 1, "first"]
    no_id = key.isna()
    from_name = per_unique(names, lambda v: v.map(name_to_id).astype("str"))
    key = key.where(~no_id, from_name)
    by_name = ("name:" + names).where(names != "", "name:(blank)")
    by_name = by_name.where(~redacted, "redacted:(no id)")
    return key.fillna(by_name).astype("str")


def _most_frequent(raw: pd.Series, keys: pd.Series, redacted: pd.Series) -> pd.Series:
    """For each key, the raw name seen on most lines (ties: alphabetical), a real name before a redacted one."""
    counts = (
        pd.DataFrame({"key": keys, "raw": raw.fillna("(blank)").astype("str"), "redacted": redacted})
        .value_counts(["key", "redacted", "raw"])
        .reset_index(name="n")
    )
    counts = counts.sort_values(["key", "redacted", "n", "raw"], ascending=[True, True, False, True])
    return counts.drop_duplicates("key").set_index("key")["raw"]


def group_payments(payments: pd.DataFrame, overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Add `supplier_group` (a display name) and `group_key` to every payment.

    Payments group by supplier id where there is one, else by normalised name
    (see `_group_keys`). The display name is the group's most frequent spelling
    (a real name wins over "REDACTED" when the finance system redacted only some lines);
    when two groups would show the same name (two redacted ids, say) the id is
    added in brackets so the labels stay distinct.

    `overrides` lets the learner correct the automatic grouping. Keys are a raw
    supplier name or a supplier id; the value is the group the matching payments
    belong to. Mapping a name to itself splits it off a wrong merge
    (`{"Delta S.L.": "Delta S.L."}`); mapping several names or ids to one label,
    or to the label of an existing group, forces a merge.
    """
    require_columns(
        payments,
        ["supplier", "supplier_id"],
        "payments table",
        "Read the ledger with helpers.spend.ingest.read_ledger first",
    )
    out = payments.copy()
    keys = _group_keys(out)
    forced = pd.Series(pd.NA, index=out.index, dtype="str")
    if overrides:
        table = {str(k).strip(): str(v).strip() for k, v in overrides.items()}
        if any(v == "" for v in table.values()):
            raise LearnerError(
                "a supplier override has an empty group name",
                fix="Give every overridden name or id the group it belongs to",
            )
        by_id = clean_text(out["supplier_id"]).map(table)
        by_name = out["supplier"].astype("str").str.strip().map(table)
        forced = by_name.fillna(by_id).astype("str")
    is_forced = forced.notna()
    redacted = redacted_flags(out)
    labels = _most_frequent(out.loc[~is_forced, "supplier"], keys[~is_forced], redacted[~is_forced])
    # distinct labels for distinct automatic groups
    dup = labels.duplicated(keep=False)
    if dup.any():
        suffix = pd.Series(labels.index, index=labels.index).str.replace(r"^(id|name|redacted):", "", regex=True)
        labels = labels.where(~dup, labels + " (" + suffix + ")")
    out["supplier_group"] = forced.where(is_forced, per_unique(keys, lambda v: v.map(labels).astype("str"))).astype(
        "str"
    )
    out["group_key"] = ("group:" + forced).where(is_forced, keys).astype("str")
    return out


def supplier_groups(payments: pd.DataFrame, overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per supplier group: display name, key, the name variants and ids seen, spend and lines.

    Uses the payments' `supplier_group` column when present (so a learner's
    overrides carry through), else groups them first with `group_payments`.
    Sorted by spend, largest first.
    """
    grouped = payments if "supplier_group" in payments and overrides is None else group_payments(payments, overrides)
    if "group_key" not in grouped:
        grouped = grouped.assign(group_key=grouped["supplier_group"])
    frame = pd.DataFrame(
        {
            "supplier_group": grouped["supplier_group"],
            "group_key": grouped["group_key"],
            "name": grouped["supplier"].astype("str"),
            "supplier_id": clean_text(grouped["supplier_id"]),
            "amount": grouped["amount"].astype("float64"),
        }
    )
    agg = frame.groupby("supplier_group", sort=False).agg(
        group_key=("group_key", lambda s: " | ".join(sorted(s.dropna().unique()))),
        names=("name", lambda s: sorted(s.dropna().unique().tolist())),
        supplier_ids=("supplier_id", lambda s: sorted(s.dropna().unique().tolist())),
        amount=("amount", "sum"),
        lines=("amount", "size"),
    )
    return agg.reset_index().sort_values(["amount", "supplier_group"], ascending=[False, True], ignore_index=True)


def name_variant_groups(payments: pd.DataFrame | None) -> pd.DataFrame:
    """Supplier groups that merged more than one name variant, largest spend first: supplier_group,
    names, supplier_ids, amount, lines (what the workbench shows so a learner can split a wrong merge)."""
    columns = ["supplier_group", "names", "supplier_ids", "amount", "lines"]
    if payments is None or payments.empty:
        return pd.DataFrame(columns=columns)
    p = payments
    # one row per (group, name, id) first: a ledger repeats a few thousand of them many times
    pairs = (
        pd.DataFrame(
            {
                "supplier_group": p["supplier_group"].astype("str"),
                "name": p["supplier"].astype("str").fillna("(blank)"),
                "supplier_id": p["supplier_id"].astype("str"),
                "amount": p["amount"],
            }
        )
        .groupby(["supplier_group", "name", "supplier_id"], dropna=False, sort=False)["amount"]
        .agg(["sum", "size"])
        .reset_index()
    )
    variants = pairs.groupby("supplier_group")["name"].nunique()
    pairs = pairs[pairs["supplier_group"].isin(variants[variants > 1].index)]
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    groups = (
        pairs.groupby("supplier_group")
        .agg(
            names=("name", lambda s: sorted(s.unique())),
            supplier_ids=("supplier_id", lambda s: sorted(s.dropna().unique())),
            amount=("sum", "sum"),
            lines=("size", "sum"),
        )
        .reset_index()
    )
    return groups.sort_values(["amount", "supplier_group"], ascending=[False, True], ignore_index=True)
