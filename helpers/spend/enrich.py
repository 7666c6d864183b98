"""Enrich clean payments: who the supplier really is, how big, where, and in which sector.

The ledger from `ingest.read_ledger` says what was paid to which name. Spend
analysis (brief §2.1) needs three more facts per payment: the supplier behind
the name variants (`group_payments`), the supplier's size and social-economy
status from the register (`join_register`), where the supplier is based
(`place_payments`) and the sector (`assign_sector`).

Everything works on the distinct values of a column (a few thousand supplier
names, postcodes or categories) and maps the answers back with vectorised
pandas operations, so a ledger of a million lines enriches in seconds.

Course design choices are marked "course design" in the docstrings.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError

SIZE_CLASSES = ("micro", "small", "medium", "large")
UNKNOWN = "unknown"
UNCLASSIFIED = "unclassified"

# Legal-form suffixes as they read after normalising (casefolded, accents and dots
# removed, other punctuation turned into spaces). Stripped only at the END of a name,
# repeatedly ("Foo GmbH & Co. KG" -> "foo"). Course design: the list covers the
# forms common in EU/UK registers; it is not exhaustive.
LEGAL_FORMS = (
    # UK and Ireland
    "ltd", "limited", "plc", "llp", "lp", "cic", "cio", "dac", "uc", "ulc", "clg",
    # German-speaking
    "gmbh", "ag", "kg", "ohg", "ug", "gbr", "kgaa", "ev", "eg", "se", "gesmbh", "mbh",
    # Benelux
    "bv", "nv", "bvba", "sprl", "srl", "vof", "cv", "cvba", "scrl", "sc", "asbl", "vzw",
    # France, Spain, Portugal, Italy, Romania
    "sa", "sas", "sasu", "sarl", "eurl", "snc", "sci", "scop", "sl", "slu", "sll", "scoop", "s coop",
    "coop", "cooperativa", "sau", "lda", "ltda", "unipessoal lda", "spa", "srls", "sapa", "scarl",
    "scpa", "sca",
    # Central and eastern Europe
    "sp z oo", "spolka z oo", "sp k", "sp j", "sp zoo", "sro", "spol s ro", "as", "akc spol",
    "kft", "zrt", "nyrt", "bt", "kkt", "doo", "dd", "ad", "ood", "eood", "et", "sia", "uab", "ab",
    "ou", "tu", "mtu",
    # Nordic
    "oy", "oyj", "aps", "a s", "asa", "hb", "kb", "ky", "tmi", "ehf", "hf",
    # Greece (Latin and Greek letters)
    "ae", "ee", "ike", "oe", "epe", "αε", "εε", "ικε", "οε", "επε",
    # "& Co", "and company", "y Cía"
    "co", "and co", "company", "and company", "cia", "y cia", "e cia", "und co", "et cie", "cie",
)
_FORMS_BY_LENGTH = sorted({tuple(f.split()) for f in LEGAL_FORMS}, key=len, reverse=True)


# --------------------------------------------------------------------------- supplier names

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
    suffixes (Ltd, GmbH, S.L., sp. z o.o., Oy, A.E. …, see `LEGAL_FORMS`) from the end,
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
    text = re.sub(r"[.\u00b7'’`´]", "", text)          # A.C.M.E. -> acme, O'Brien -> obrien
    text = text.replace("&", " and ").replace("+", " and ")
    text = re.sub(r"[\W_]+", " ", text)                # other punctuation separates words
    words = _join_single_letters(text.split())
    changed = True
    while changed and len(words) > 1:
        changed = False
        for form in _FORMS_BY_LENGTH:
            if len(words) > len(form) and tuple(words[-len(form):]) == form:
                words = words[: -len(form)]
                changed = True
                break
    if len(words) > 1 and words[-1] == "and":          # "Smith &" left over from "Smith & Co"
        words = words[:-1]
    return " ".join(words)


def _normalised_map(values: pd.Series) -> pd.Series:
    """`normalise_supplier_name` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([normalise_supplier_name(u) for u in uniques] + [""], dtype=object)
    return pd.Series(keys[codes], index=values.index, dtype="str")


def _per_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`func(values)` computed once per distinct value: a ledger repeats the same few thousand."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) * 2 > len(values):
        return func(values)
    result = func(pd.Series(np.append(np.asarray(uniques, dtype=object), None), dtype=object))
    return pd.Series(result.to_numpy()[codes], index=values.index, dtype=result.dtype)


def _clean_text(values: pd.Series) -> pd.Series:
    """Stripped text with blanks as missing."""
    def clean(v: pd.Series) -> pd.Series:
        out = v.astype("str").str.strip()
        return out.where(out.notna() & (out != ""), pd.NA)
    return _per_unique(values, clean)


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str, fix: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LearnerError(f"the {what} has no column {', '.join(repr(c) for c in missing)}", fix=fix)


def _group_keys(payments: pd.DataFrame) -> pd.Series:
    """Automatic group key per payment: "id:<supplier_id>" or "name:<normalised name>".

    Course design: a payment without a supplier id joins the id group with the same
    normalised name when exactly one id group has that name; redacted names without
    an id all fall into one "redacted" group (nothing else can tell them apart).
    """
    ids = _clean_text(payments["supplier_id"])
    names = _normalised_map(payments["supplier"])
    redacted = payments["redacted"].fillna(False).astype("bool") if "redacted" in payments else \
        pd.Series(False, index=payments.index)
    key = ("id:" + ids).where(ids.notna(), pd.NA)
    # names seen with exactly one id (redacted names never identify anyone)
    with_id = pd.DataFrame({"name": names, "key": key})[ids.notna() & ~redacted & (names != "")]
    unique_ids = with_id.drop_duplicates().groupby("name")["key"].agg(["first", "nunique"])
    name_to_id = unique_ids.loc[unique_ids["nunique"] == 1, "first"]
    no_id = key.isna()
    from_name = names.map(name_to_id)
    key = key.where(~no_id, from_name)
    by_name = ("name:" + names).where(names != "", "name:(blank)")
    by_name = by_name.where(~redacted, "redacted:(no id)")
    return key.fillna(by_name).astype("str")


def _most_frequent(raw: pd.Series, keys: pd.Series, redacted: pd.Series) -> pd.Series:
    """For each key, the raw name seen on most lines (ties: alphabetical), a real name before a redacted one."""
    counts = pd.DataFrame({"key": keys, "raw": raw.fillna("(blank)").astype("str"), "redacted": redacted}) \
        .value_counts(["key", "redacted", "raw"]).reset_index(name="n")
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
    _require(payments, ["supplier", "supplier_id"], "payments table",
             "Read the ledger with helpers.spend.ingest.read_ledger first")
    out = payments.copy()
    keys = _group_keys(out)
    forced = pd.Series(pd.NA, index=out.index, dtype="str")
    if overrides:
        table = {str(k).strip(): str(v).strip() for k, v in overrides.items()}
        if any(v == "" for v in table.values()):
            raise LearnerError("a supplier override has an empty group name",
                               fix="Give every overridden name or id the group it belongs to")
        by_id = _clean_text(out["supplier_id"]).map(table)
        by_name = out["supplier"].astype("str").str.strip().map(table)
        forced = by_name.fillna(by_id).astype("str")
    is_forced = forced.notna()
    redacted = out["redacted"].fillna(False).astype("bool") if "redacted" in out else \
        pd.Series(False, index=out.index)
    labels = _most_frequent(out.loc[~is_forced, "supplier"], keys[~is_forced], redacted[~is_forced])
    # distinct labels for distinct automatic groups
    dup = labels.duplicated(keep=False)
    if dup.any():
        suffix = pd.Series(labels.index, index=labels.index).str.replace(r"^(id|name|redacted):", "", regex=True)
        labels = labels.where(~dup, labels + " (" + suffix + ")")
    out["supplier_group"] = forced.where(is_forced, keys.map(labels)).astype("str")
    out["group_key"] = ("group:" + forced).where(is_forced, keys).astype("str")
    return out


def supplier_groups(payments: pd.DataFrame, overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per supplier group: display name, key, the name variants and ids seen, spend and lines.

    Uses the payments' `supplier_group` column when present (so a learner's
    overrides carry through), else groups them first with `group_payments`.
    Sorted by spend, largest first.
    """
    grouped = payments if "supplier_group" in payments and overrides is None \
        else group_payments(payments, overrides)
    if "group_key" not in grouped:
        grouped = grouped.assign(group_key=grouped["supplier_group"])
    frame = pd.DataFrame({"supplier_group": grouped["supplier_group"], "group_key": grouped["group_key"],
                          "name": grouped["supplier"].astype("str"),
                          "supplier_id": _clean_text(grouped["supplier_id"]),
                          "amount": grouped["amount"].astype("float64")})
    agg = frame.groupby("supplier_group", sort=False).agg(
        group_key=("group_key", lambda s: " | ".join(sorted(s.dropna().unique()))),
        names=("name", lambda s: sorted(s.dropna().unique().tolist())),
        supplier_ids=("supplier_id", lambda s: sorted(s.dropna().unique().tolist())),
        amount=("amount", "sum"), lines=("amount", "size"))
    return agg.reset_index().sort_values(["amount", "supplier_group"], ascending=[False, True],
                                         ignore_index=True)


# --------------------------------------------------------------------------- supplier register

REGISTER_COLUMNS = ("supplier_id", "name", "vat_number", "postcode", "country", "size_class",
                    "employees", "turnover_eur", "social_economy", "social_economy_type",
                    "nace_section", "cpv_division")


def _vat_key(values: pd.Series) -> pd.Series:
    """VAT numbers comparable across spellings: "GB 261 4637 08" and "261463708" agree."""
    return _per_unique(values, _vat_key_each)


def _vat_key_each(values: pd.Series) -> pd.Series:
    clean = values.astype("str").str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    clean = clean.str.replace(r"^[A-Z]{2}(?=[0-9A-Z]{5,})", "", regex=True)
    return clean.where(clean.notna() & (clean != ""), pd.NA)


def _to_bool(values: pd.Series) -> pd.Series:
    """true/false, yes/no, 1/0 (any case) as a nullable boolean; anything else missing."""
    text = values.astype("str").str.strip().str.lower()
    mapped = text.map({"true": True, "yes": True, "y": True, "1": True, "t": True, "si": True, "sí": True,
                       "false": False, "no": False, "n": False, "0": False, "f": False})
    return mapped.astype("boolean")


def _division(values: pd.Series) -> pd.Series:
    """Two-digit CPV division from "45", "45000000-7", 3 (read as a number) or "03"."""
    return _per_unique(values, _division_each)


def _division_each(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip().str.replace(r"\.0$", "", regex=True)
    digits = text.str.extract(r"^(\d{1,8})", expand=False)
    div = digits.where(digits.str.len() != 1, "0" + digits).str[:2]
    div = div.where(~((digits.str.len() > 2) & (digits.str.len() < 8)), pd.NA)  # not a division nor a code
    return div.astype("str")


def _register_lookup(register: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """Register rows indexed by a key, keeping only keys that identify one supplier."""
    frame = register.assign(_key=key).dropna(subset=["_key"])
    counts = frame["_key"].value_counts()
    return frame[frame["_key"].isin(counts[counts == 1].index)].set_index("_key")


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
    _require(payments, ["supplier", "supplier_id", "amount"], "payments table",
             "Read the ledger with helpers.spend.ingest.read_ledger first")
    _require(register, ["supplier_id", "name"], "supplier register",
             "The register needs at least supplier_id and name (see course/architecture.md)")
    reg = register.copy()
    for col in REGISTER_COLUMNS:
        if col not in reg:
            reg[col] = pd.NA
    reg["supplier_id"] = _clean_text(reg["supplier_id"])
    size = reg["size_class"].astype("str").str.strip().str.lower()
    reg["size_class"] = size.where(size.isin(SIZE_CLASSES), UNKNOWN).astype("str")
    reg["social_economy"] = _to_bool(reg["social_economy"])
    reg["cpv_division"] = _division(reg["cpv_division"])
    nace = reg["nace_section"].astype("str").str.strip().str.upper()
    reg["nace_section"] = nace.where(nace.str.fullmatch(r"[A-U]").fillna(False).astype("bool"), pd.NA)
    reg["postcode"] = _clean_text(reg["postcode"])
    reg["country"] = _clean_text(reg["country"]).str.upper()

    out = payments.copy()
    row_of = pd.Series(pd.NA, index=out.index, dtype="object")
    how = pd.Series("none", index=out.index, dtype="str")
    reg_pos = reg.reset_index(drop=True).assign(_pos=lambda f: np.arange(len(f)))
    redacted = out["redacted"].fillna(False).astype("bool") if "redacted" in out else \
        pd.Series(False, index=out.index)
    steps = [
        ("id", _clean_text(out["supplier_id"]), reg_pos["supplier_id"]),
        ("vat", _vat_key(out["vat_number"]) if "vat_number" in out else pd.Series(pd.NA, index=out.index),
         _vat_key(reg_pos["vat_number"])),
        ("name", _normalised_map(out["supplier"]).where(~redacted, ""), _normalised_map(reg_pos["name"])),
    ]
    for label, pay_key, reg_key in steps:
        reg_key = reg_key.where(reg_key != "", pd.NA)
        lookup = _register_lookup(reg_pos, reg_key)["_pos"]
        todo = row_of.isna() & pay_key.notna() & (pay_key != "")
        found = pay_key[todo].map(lookup)
        hit = found.dropna()
        row_of.loc[hit.index] = hit
        how.loc[hit.index] = label
    pos = row_of.astype("Int64")
    matched = pos.notna()
    take = pos.fillna(0).astype("int64").to_numpy()

    def pick(col: str, dtype: str) -> pd.Series:
        values = reg_pos[col].iloc[take].reset_index(drop=True).set_axis(out.index)
        return values.where(matched, pd.NA).astype(dtype)

    out["register_match"] = how
    out["register_supplier_id"] = pick("supplier_id", "str")
    out["size_class"] = pick("size_class", "str").fillna(UNKNOWN)
    out["sme"] = out["size_class"].map({"micro": True, "small": True, "medium": True, "large": False}) \
        .astype("boolean")
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
    _require(joined, ["register_match", "amount"], "payments table",
             "Run helpers.spend.enrich.join_register first")
    order = ["id", "vat", "name", "none"]
    agg = joined.groupby("register_match")["amount"].agg(lines="size", amount="sum") \
        .reindex(order, fill_value=0)
    matched = agg.loc[["id", "vat", "name"]].sum()
    agg.loc["matched"] = matched
    total_lines, total_amount = len(joined), float(joined["amount"].sum())
    agg["share_lines"] = agg["lines"] / total_lines if total_lines else 0.0
    agg["share_amount"] = agg["amount"] / total_amount if total_amount else 0.0
    return agg.rename_axis("match").reset_index()


# --------------------------------------------------------------------------- geography

@dataclass(frozen=True)
class GeographyLevels:
    """The ordered geographic levels of an analysis, nearest first.

    Preston used the city and the county; Pamplona used four levels (brief §2.4),
    e.g. `GeographyLevels(("city", "metropolitan", "regional", "national"),
    regional="regional")`. `abroad` and `unknown` are always added at the end.
    `local` names the last level that counts as "in the city" and `regional` the
    last one that counts as "in the wider region" (both cumulative).
    """

    levels: tuple[str, ...] = ("city", "region", "country")
    abroad: str = "abroad"
    unknown: str = UNKNOWN
    local: str | None = None
    regional: str | None = None

    def __post_init__(self) -> None:
        levels = tuple(self.levels)
        object.__setattr__(self, "levels", levels)
        if not levels or len(set(levels)) != len(levels):
            raise LearnerError("geography levels must be a non-empty list of distinct names")
        if self.abroad in levels or self.unknown in levels:
            raise LearnerError(f"'{self.abroad}' and '{self.unknown}' are added automatically",
                               fix="List only the levels inside the home country")
        object.__setattr__(self, "local", self.local or levels[0])
        object.__setattr__(self, "regional", self.regional or levels[min(1, len(levels) - 1)])
        for name in (self.local, self.regional):
            if name not in levels:
                raise LearnerError(f"the level '{name}' is not one of {', '.join(levels)}")

    @classmethod
    def from_table(cls, geography: pd.DataFrame, local: str | None = None,
                   regional: str | None = None) -> "GeographyLevels":
        """The levels a learner's geography table uses, nearest first, so `place_payments` accepts it.

        Course design: the table lists its levels nearest first, so the order in which
        they first appear is the order from the city outwards ("abroad" and "unknown"
        rows are skipped: they are always added at the end). `local` defaults to the
        first level and `regional` to the second (the first if there is only one); a
        city/region/country table gives `DEFAULT_LEVELS`.
        """
        if "level" not in geography.columns:
            raise LearnerError("the geography table has no column 'level'",
                               fix="It needs the columns postcode_prefix, place, level "
                                   "(see datasets/portavera/geography.csv)")
        names = geography["level"].dropna().astype("str")
        names = names[(names.str.strip() != "") & ~names.isin([cls.abroad, cls.unknown])]
        levels = tuple(dict.fromkeys(names))          # distinct, in order of first appearance
        if not levels:
            raise LearnerError("the geography table names no level (its level column is empty, "
                               "or only says abroad or unknown)",
                               fix="Give each postcode prefix a level, nearest first, e.g. city, region, country")
        return cls(levels, local=local, regional=regional)

    @property
    def ordered(self) -> tuple[str, ...]:
        """Every level in display order, abroad and unknown last."""
        return self.levels + (self.abroad, self.unknown)

    def upto(self, level: str) -> tuple[str, ...]:
        """The levels from the nearest up to and including `level` (cumulative local spend)."""
        if level not in self.levels:
            raise LearnerError(f"the level '{level}' is not one of {', '.join(self.levels)}")
        return self.levels[: self.levels.index(level) + 1]

    @property
    def city_levels(self) -> tuple[str, ...]:
        return self.upto(self.local)

    @property
    def region_levels(self) -> tuple[str, ...]:
        return self.upto(self.regional)


DEFAULT_LEVELS = GeographyLevels()


def _postcode_text(values: pd.Series) -> pd.Series:
    """Postcodes compared without spaces or case: "ex1 1ab" -> "EX11AB"."""
    return _per_unique(values, _postcode_text_each)


def _postcode_text_each(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.upper().str.replace(r"\s+", "", regex=True)
    return text.where(text.notna() & (text != ""), pd.NA)


def place_payments(payments: pd.DataFrame, geography: pd.DataFrame, home_country: str | None = None,
                   country_col: str | None = None, levels: GeographyLevels = DEFAULT_LEVELS,
                   postcode_key: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Add `level` (city / region / … / abroad / unknown) and `place` to every payment.

    The postcode is the ledger's, or the register's (`register_postcode`) when the
    ledger has none. A supplier whose country (column `country_col`; by default
    `register_country` when present) differs from `home_country` is abroad, whatever
    its postcode. Otherwise the longest `postcode_prefix` of the geography table that
    starts the postcode gives the place and level. With `postcode_key` (e.g.
    `uk_outcode`) each postcode is first turned into a key that must equal a prefix
    exactly, so "EX10" never falls into "EX1". Nothing found: unknown.
    """
    _require(geography, ["postcode_prefix", "place", "level"], "geography table",
             "It needs the columns postcode_prefix, place, level (see datasets/<city>/geography.csv)")
    bad = sorted(set(geography["level"].dropna().astype("str")) - set(levels.ordered))
    if bad:
        raise LearnerError(f"the geography table uses levels {', '.join(bad)} that are not in "
                           f"{', '.join(levels.ordered)}",
                           fix="Rename them, or pass GeographyLevels with your own level names")
    out = payments.copy()
    code = _postcode_text(out["postcode"]) if "postcode" in out else pd.Series(pd.NA, index=out.index, dtype="str")
    if "register_postcode" in out:
        code = code.fillna(_postcode_text(out["register_postcode"]))
    geo = geography.assign(prefix=_postcode_text(geography["postcode_prefix"])).dropna(subset=["prefix"])
    geo = geo.drop_duplicates("prefix", keep="last").set_index("prefix")
    codes, uniques = pd.factorize(code, use_na_sentinel=True)
    uniq = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    u_place = pd.Series(pd.NA, index=uniq.index, dtype="str")
    u_level = pd.Series(pd.NA, index=uniq.index, dtype="str")
    if postcode_key is not None:
        key = _postcode_text(uniq.map(lambda u: postcode_key(u) or None).astype("str"))
        u_place, u_level = key.map(geo["place"]).astype("str"), key.map(geo["level"]).astype("str")
    else:
        for length in sorted(geo.index.str.len().unique(), reverse=True):
            todo = u_level.isna()
            if not todo.any():
                break
            head = uniq[todo].str[:length]
            u_level.loc[todo] = head.map(geo["level"])
            u_place.loc[todo] = head.map(geo["place"])
    pick = np.where(codes >= 0, codes, len(uniq))
    level = pd.Series(np.append(u_level.to_numpy(dtype=object), None)[pick], index=out.index, dtype="str")
    place = pd.Series(np.append(u_place.to_numpy(dtype=object), None)[pick], index=out.index, dtype="str")
    if country_col is None and "register_country" in out:
        country_col = "register_country"
    if country_col is not None and home_country is not None:
        _require(out, [country_col], "payments table", "Pass the name of the supplier-country column")
        country = out[country_col].astype("str").str.strip().str.upper()
        abroad = country.notna() & (country != "") & (country != home_country.strip().upper())
        level = level.where(~abroad, levels.abroad)
        place = place.where(~abroad, country)
    out["level"] = level.fillna(levels.unknown).astype("str")
    out["place"] = place.astype("str")
    return out


_OUTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?:[0-9][A-Z]{2})?$")


def uk_outcode(postcode: object) -> str:
    """The outward code of a UK postcode: "ex1 1ab" -> "EX1", "EX101AB" -> "EX10"; "" if not one."""
    if postcode is None or (not isinstance(postcode, str) and pd.isna(postcode)):
        return ""
    text = str(postcode).upper().strip()
    if " " in text:
        text = text.split()[0]
    text = re.sub(r"[^0-9A-Z]", "", text)
    match = _OUTCODE.match(text)
    return match.group(1) if match else ""


def _tidy_region(name: object) -> object:
    """ "London " -> "London", "Northern ireland" -> "Northern Ireland", "#N/A" -> missing."""
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return pd.NA
    text = " ".join(str(name).split())
    if text in ("", "#N/A", "N/A", "NA"):
        return pd.NA
    small = {"and", "of", "the"}
    return " ".join(w.lower() if i and w.lower() in small else w[:1].upper() + w[1:].lower()
                    for i, w in enumerate(text.split()))


CROWN_DEPENDENCIES = ("GGY", "JEY", "IMN", "IM")


def geography_from_uk_outcodes(table: pd.DataFrame, home_region: str,
                               local_area: str | Iterable[str] | None = None,
                               levels: GeographyLevels = DEFAULT_LEVELS) -> pd.DataFrame:
    """A geography table (postcode_prefix, place, level) from a UK outcode → region table.

    `table` has the columns `postcode` (the outcode), `region_code`, `region_name`
    and optionally `city`/`county`, like ../shared/data/real/uk_postcode_outcodes_regions.csv.
    Region names are tidied (trailing spaces, capitals; "#N/A" filled from the
    region code). Outcodes in `home_region` (a name or code) get the second level,
    the rest of the UK the third; `local_area` (a town or county name, or a list
    of outcodes) gets the first. Course design: Guernsey, Jersey and the Isle of
    Man are outside the UK, so abroad. Use with `place_payments(...,
    postcode_key=uk_outcode)`.
    """
    _require(table, ["postcode", "region_code", "region_name"], "UK outcode table",
             "Use a table with postcode (outcode), region_code and region_name columns")
    if len(levels.levels) < 3:
        raise LearnerError("the UK lookup needs three levels inside the country (local, region, country)")
    t = table.copy()
    t["outcode"] = t["postcode"].map(uk_outcode)
    t = t[t["outcode"] != ""]
    t["code"] = t["region_code"].astype("str").str.strip().str.upper()
    t["region"] = t["region_name"].map(_tidy_region).astype("str")
    by_code = t.dropna(subset=["region"]).groupby("code")["region"].agg(lambda s: s.mode().iloc[0])
    t["region"] = t["region"].fillna(t["code"].map(by_code))
    # a "name" that is really a region code ("IMN") takes that code's name
    upper_names = t["region"].str.upper()
    t["region"] = t["region"].where(~upper_names.isin(by_code.index) | (upper_names == t["code"]),
                                    upper_names.map(by_code))
    wanted = " ".join(str(home_region).split()).casefold()
    is_home = (t["region"].str.casefold() == wanted) | (t["code"].str.casefold() == wanted)
    if not is_home.any():
        known = ", ".join(sorted(t["region"].dropna().unique()))
        raise LearnerError(f"the region '{home_region}' is not in the outcode table",
                           fix=f"Use one of: {known}")
    crown = t["code"].isin(CROWN_DEPENDENCIES) | t["region"].isin(["Guernsey", "Jersey", "Isle of Man"])
    level = pd.Series(levels.levels[2], index=t.index, dtype="str")
    level = level.where(~is_home, levels.levels[1]).where(~crown, levels.abroad)
    place = t["region"].fillna(t["code"])
    if local_area is not None:
        if isinstance(local_area, str):
            area = " ".join(local_area.split()).casefold()
            local = pd.Series(False, index=t.index)
            for col in ("city", "county"):
                if col in t:
                    local |= t[col].astype("str").str.strip().str.casefold().eq(area).fillna(False)
        else:
            local = t["outcode"].isin({uk_outcode(x) for x in local_area})
        if not local.any():
            raise LearnerError(f"no outcode belongs to the local area {local_area!r}",
                               fix="Give a town or county name from the table, or a list of outcodes")
        level = level.where(~local, levels.levels[0])
        place = place.where(~local, str(local_area) if isinstance(local_area, str) else "local area")
    out = pd.DataFrame({"postcode_prefix": t["outcode"], "place": place, "level": level})
    return out.drop_duplicates("postcode_prefix").reset_index(drop=True)


# --------------------------------------------------------------------------- sector

def _first_col(frame: pd.DataFrame, options: tuple[str, ...], what: str) -> str:
    for name in options:
        if name in frame.columns:
            return name
    raise LearnerError(f"the {what} has none of the columns {', '.join(options)}")


def _cpv_name_map(cpv_names: pd.DataFrame | Mapping[str, str] | None) -> dict[str, str]:
    if cpv_names is None:
        return {}
    if isinstance(cpv_names, Mapping):
        items = pd.Series(dict(cpv_names))
        return dict(zip(_division(pd.Series(items.index.astype("str"))), items.astype("str")))
    div = _first_col(cpv_names, ("division", "cpv_division", "code"), "CPV names table")
    name = _first_col(cpv_names, ("name", "label", "EN", "description"), "CPV names table")
    return dict(zip(_division(cpv_names[div]), cpv_names[name].astype("str")))


def assign_sector(payments: pd.DataFrame, category_map: pd.DataFrame | None = None,
                  cpv_names: pd.DataFrame | Mapping[str, str] | None = None,
                  prefer: str = "register") -> pd.DataFrame:
    """Add `sector` (e.g. "45 Construction work") and `sector_source` (register | category | none).

    The sector comes from the register's CPV division (or NACE section) of the
    supplier, which is what Preston's SIC-based analysis measured, or from the
    ledger's own expense category through `category_map` (columns category and
    cpv_division, or expense_category and division as in datasets/shared/category_cpv.csv).
    `prefer="category"` puts the ledger's category first (what was bought rather
    than what the supplier mainly does). A register NACE section ("NACE F") is used
    only when neither gives a CPV division, so one breakdown mixes as few
    classifications as possible. Payments with none stay "unclassified".
    """
    if prefer not in ("register", "category"):
        raise LearnerError("prefer must be 'register' or 'category'")
    out = payments.copy()
    names = _cpv_name_map(cpv_names)
    blank = pd.Series(pd.NA, index=out.index, dtype="str")
    reg_div = _division(out["cpv_division"]) if "cpv_division" in out else blank
    reg_nace = out["nace_section"].astype("str") if "nace_section" in out else blank
    cat_div = pd.Series(pd.NA, index=out.index, dtype="str")
    if category_map is not None and "category" in out:
        cat_col = _first_col(category_map, ("category", "expense_category"), "category map")
        div_col = _first_col(category_map, ("cpv_division", "division"), "category map")
        lookup = dict(zip(category_map[cat_col].astype("str").str.strip().str.casefold(),
                          _division(category_map[div_col])))
        cat_div = _per_unique(out["category"], lambda v: v.astype("str").str.strip().str.casefold()
                              .map(lookup).astype("str"))

    def label(div: pd.Series) -> pd.Series:
        def each(d: pd.Series) -> pd.Series:
            d = d.astype("str")
            return (d + " " + d.map(names)).fillna("CPV " + d).astype("str")
        return _per_unique(div, each)

    reg_label, cat_label = label(reg_div), label(cat_div)
    nace_label = _per_unique(reg_nace, lambda v: ("NACE " + v.astype("str")).astype("str"))
    order = [(reg_label, "register"), (cat_label, "category")]
    if prefer == "category":
        order.reverse()
    order.append((nace_label, "register"))          # NACE only when no CPV division is known
    sector = pd.Series(pd.NA, index=out.index, dtype="str")
    source = pd.Series("none", index=out.index, dtype="str")
    for values, name in order:
        fill = sector.isna() & values.notna()
        sector = sector.where(~fill, values)
        source = source.where(~fill, name)
    out["sector"] = sector.fillna(UNCLASSIFIED).astype("str")
    out["sector_source"] = source
    return out
