"""Which ledger column holds the supplier, the amount, the date…?

Finance systems name their columns in many languages ("Importe", "Bedrag",
"Ποσό"…). `guess_mapping` reads the header names first and the values second,
and says how sure it is and why, so the learner can check the guess. A mapping
the learner confirmed is saved under a signature of the header, so the next
file of the same shape is read the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from helpers.core.errors import LearnerError
from helpers.core.fmt import pct
from helpers.core.paths import my_work_dir
from helpers.core.safety import atomic_write_text
from helpers.spend.parsing import CURRENCY_CODES, parse_amounts, parse_dates

ROLES: tuple[str, ...] = (
    "supplier",
    "supplier_id",
    "amount",
    "date",
    "postcode",
    "category",
    "service_area",
    "vat_number",
    "currency",
)

ROLE_LABELS = {
    "supplier": "supplier name",
    "supplier_id": "supplier number",
    "amount": "amount paid",
    "date": "payment date",
    "postcode": "supplier postcode",
    "category": "expense category",
    "service_area": "service area",
    "vat_number": "VAT number",
    "currency": "currency",
}

# The header word lists live in header_words.yaml beside this module (data, not code).
_WORDS = yaml.safe_load(Path(__file__).with_name("header_words.yaml").read_text(encoding="utf-8"))
SUPPLIER_WORDS: set[str] = set(_WORDS["supplier_words"])
SUPPLIER_STEMS: tuple[str, ...] = tuple(_WORDS["supplier_stems"])
NAME_WORDS: set[str] = set(_WORDS["name_words"])
ID_WORDS: set[str] = set(_WORDS["id_words"])
ID_STEMS: tuple[str, ...] = tuple(_WORDS["id_stems"])
VAT_WORDS: set[str] = set(_WORDS["vat_words"])
VAT_ID_EXACT: set[str] = set(_WORDS["vat_id_exact"])
AMOUNT_WORDS: set[str] = set(_WORDS["amount_words"])
AMOUNT_STEMS: tuple[str, ...] = tuple(_WORDS["amount_stems"])
NET_WORDS: set[str] = set(_WORDS["net_words"])
NET_STEMS: tuple[str, ...] = tuple(_WORDS["net_stems"])
GROSS_WORDS: set[str] = set(_WORDS["gross_words"])
TOTAL_HEADER_WORDS: set[str] = set(_WORDS["total_header_words"])
DATE_WORDS: set[str] = set(_WORDS["date_words"])
DATE_STEMS: tuple[str, ...] = tuple(_WORDS["date_stems"])
PAYMENT_WORDS: set[str] = set(_WORDS["payment_words"])
NOT_PAYMENT_DATE_WORDS: set[str] = set(_WORDS["not_payment_date_words"])
POSTCODE_EXACT: set[str] = set(_WORDS["postcode_exact"])
CATEGORY_WORDS: dict[str, str] = dict(_WORDS["category_words"])
SERVICE_AREA_WORDS: dict[str, str] = dict(_WORDS["service_area_words"])
CURRENCY_WORDS: set[str] = set(_WORDS["currency_words"])
OTHER_THING_WORDS: set[str] = set(_WORDS["other_thing_words"])
INVOICE_WORDS: set[str] = set(_WORDS["invoice_words"])
INVOICE_STEMS: tuple[str, ...] = tuple(_WORDS["invoice_stems"])
# Compound stems (German, Dutch, Finnish…): matched inside longer words.


def _normalised_lists() -> None:
    """Write every word list in the same normal form as the headers (e.g. Greek final ς → σ)."""
    names = [
        "SUPPLIER_WORDS",
        "NAME_WORDS",
        "ID_WORDS",
        "VAT_WORDS",
        "VAT_ID_EXACT",
        "AMOUNT_WORDS",
        "NET_WORDS",
        "GROSS_WORDS",
        "TOTAL_HEADER_WORDS",
        "DATE_WORDS",
        "PAYMENT_WORDS",
        "NOT_PAYMENT_DATE_WORDS",
        "POSTCODE_EXACT",
        "CURRENCY_WORDS",
        "OTHER_THING_WORDS",
        "INVOICE_WORDS",
    ]
    for name in names:
        globals()[name] = {normalise_header(w) for w in globals()[name]}
    for name in ["CATEGORY_WORDS", "SERVICE_AREA_WORDS"]:
        globals()[name] = {normalise_header(w): v for w, v in globals()[name].items()}


UK_POSTCODE = r"^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$"


@dataclass
class RoleGuess:
    """One role's column, how sure the guess is (0–1), and why."""

    column: str
    confidence: float
    reason: str


@dataclass
class MappingGuess:
    """The guessed role → column mapping, with confidences and reasons."""

    roles: dict[str, RoleGuess] = field(default_factory=dict)
    unused_columns: list[str] = field(default_factory=list)

    @property
    def mapping(self) -> dict[str, str]:
        """Role → source column name (only the roles that were found)."""
        return {role: guess.column for role, guess in self.roles.items()}

    def to_dict(self) -> dict:
        return {"roles": {r: vars(g) for r, g in self.roles.items()}, "unused_columns": list(self.unused_columns)}


MAX_HEADER_CHARACTERS = 200  # a longer cell is never taken for a column's name


def normalise_header(name: object) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: 'Částka (€)' → 'castka'."""
    text = unicodedata.normalize("NFKD", str(name).replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("ς", "σ").replace("ß", "ss")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


_normalised_lists()


def _has(norm: str, words: set[str] | dict, stems: tuple[str, ...] = ()) -> str | None:
    """The first word/phrase of `words` found in `norm` as whole words, or a stem inside a word."""
    padded = f" {norm} "
    for word in sorted(words, key=len, reverse=True):
        if f" {word} " in padded:
            return word
    for stem in stems:
        if any(stem in token and token != stem for token in norm.split()):
            return stem
    return None


def header_scores(name: object) -> dict[str, tuple[float, str]]:
    """How strongly one header name suggests each role: role → (score 0–1, reason)."""
    if len(str(name)) > MAX_HEADER_CHARACTERS:  # data, not a column's name (and slow to match word by word)
        return {}
    norm = normalise_header(name)
    if not norm:
        return {}
    out: dict[str, tuple[float, str]] = {}
    supplier = _has(norm, SUPPLIER_WORDS, SUPPLIER_STEMS)
    ident = _has(norm, ID_WORDS, ID_STEMS if supplier else ())
    vat = _has(norm, VAT_WORDS)
    quoted = f"'{name}'"

    if norm in VAT_ID_EXACT:
        out["vat_number"] = (1.0, f"{quoted} is a usual name for the supplier's VAT/tax number")
    elif vat and ident:
        out["vat_number"] = (0.95, f"{quoted} names a tax word ({vat}) and a number ({ident})")

    if supplier and ident and not vat:
        out["supplier_id"] = (0.95, f"{quoted} names the supplier ({supplier}) and a number ({ident})")
    elif supplier and not vat and not _has(norm, OTHER_THING_WORDS):
        named = _has(norm, NAME_WORDS)
        score = 1.0 if named or norm == supplier else 0.9
        out["supplier"] = (score, f"{quoted} names the supplier ({supplier})")
    elif norm in NAME_WORDS:
        out["supplier"] = (0.6, f"{quoted} is a name column; no column names the supplier outright")

    amount = _has(norm, AMOUNT_WORDS, AMOUNT_STEMS)
    total_word = _has(norm, TOTAL_HEADER_WORDS)
    date = _has(norm, DATE_WORDS, DATE_STEMS)
    grouping = any((hit := _has(norm, table)) and table[hit] >= 0.8 for table in (CATEGORY_WORDS, SERVICE_AREA_WORDS))
    if (amount or total_word) and "vat_number" not in out and not ident and not date and not grouping:
        net = _has(norm, NET_WORDS, NET_STEMS)
        gross = _has(norm, GROSS_WORDS)
        if net:
            out["amount"] = (1.0, f"{quoted} is a net amount (net of VAT), preferred for spend analysis")
        elif vat:
            out["amount"] = (0.4, f"{quoted} looks like the VAT part of the payment, not the spend")
        elif gross or (total_word and not amount):
            out["amount"] = (0.6, f"{quoted} looks like a gross amount (VAT included)")
        else:
            out["amount"] = (0.9, f"{quoted} names an amount ({amount})")

    if date:
        score, why = 0.9, f"{quoted} names a date ({date})"
        if _has(norm, PAYMENT_WORDS):
            score, why = 0.95, f"{quoted} names the payment date"
        elif _has(norm, NOT_PAYMENT_DATE_WORDS):
            score, why = 0.7, f"{quoted} is a date, but perhaps not the payment date"
        out["date"] = (score, why)

    if norm in POSTCODE_EXACT or _has(
        norm, {"postcode", "postal code", "zip", "postleitzahl", "codigo postal", "code postal", "postinumero"}
    ):
        out["postcode"] = (1.0, f"{quoted} is a usual name for a postcode")
    if norm in CURRENCY_WORDS or _has(norm, CURRENCY_WORDS):
        out["currency"] = (0.95, f"{quoted} names the currency")

    for role, table in (("category", CATEGORY_WORDS), ("service_area", SERVICE_AREA_WORDS)):
        hit = _has(norm, table)
        if hit and not (supplier or vat_only(norm)):
            exact = norm == hit
            score = table[hit] if exact else table[hit] * 0.9
            out[role] = (score, f"{quoted} names the {ROLE_LABELS[role]} ({hit})")
    return out


def vat_only(norm: str) -> bool:
    """True when a header is about VAT (so not a category or service column)."""
    return _has(norm, VAT_WORDS) is not None


def _value_guesses(
    columns: list[str], sample: pd.DataFrame, free_roles: set[str], used: set[str]
) -> dict[str, RoleGuess]:
    """Guess the roles no header named, from what the values look like."""
    found: dict[str, RoleGuess] = {}
    for col in columns:
        if col in used or col not in sample.columns:
            continue
        values = sample[col].astype("str").str.strip()
        values = values[(values != "") & sample[col].notna()]
        if len(values) < 3:
            continue
        norm = normalise_header(col)
        id_like = _has(norm, ID_WORDS, ID_STEMS) is not None
        if "date" in free_roles and "date" not in found:
            dates, _ = parse_dates(values)
            if dates.notna().mean() >= 0.9:
                found["date"] = RoleGuess(
                    col, 0.6, f"'{col}' holds dates in {pct(dates.notna().mean(), decimals=0)} of the sample rows"
                )
                continue
        if "postcode" in free_roles and "postcode" not in found and not id_like:
            upper = values.str.upper()
            if upper.str.match(UK_POSTCODE).mean() >= 0.8:
                found["postcode"] = RoleGuess(col, 0.7, f"'{col}' holds UK-style postcodes")
                continue
            if upper.str.fullmatch(r"\d{5}").mean() >= 0.9 and upper.str.startswith("0").any():
                found["postcode"] = RoleGuess(
                    col, 0.5, f"'{col}' holds 5-digit codes, some with a leading zero (postcodes?)"
                )
                continue
        if "currency" in free_roles and "currency" not in found:
            if values.str.upper().isin(CURRENCY_CODES).mean() >= 0.9:
                found["currency"] = RoleGuess(col, 0.8, f"'{col}' holds currency codes")
                continue
        if "amount" in free_roles and "amount" not in found and not id_like:
            amounts, _ = parse_amounts(values)
            with_decimals = values.str.contains(r"\d[.,]\d{1,2}\)?-?$", regex=True).mean()
            if amounts.notna().mean() >= 0.9 and with_decimals >= 0.3:
                found["amount"] = RoleGuess(
                    col, 0.5, f"'{col}' is mostly numbers with decimals (no header named an amount)"
                )
                continue
        if "supplier" in free_roles and "supplier" not in found and not id_like:
            has_letters = values.str.contains(r"[^\W\d_]", regex=True).mean()
            has_spaces = values.str.contains(" ", regex=False).mean()
            if has_letters >= 0.9 and has_spaces >= 0.5 and values.nunique() >= max(2, len(values) // 5):
                found["supplier"] = RoleGuess(
                    col, 0.3, f"'{col}' is the first column of varied names (a guess: please check)"
                )
    return found


def invoice_header(name: object) -> bool:
    """True when a header names an invoice's number ('Invoice Number', 'Nº factura', 'Rechnungsnr'),
    not its date or amount."""
    norm = normalise_header(name)
    if not _has(norm, INVOICE_WORDS, INVOICE_STEMS):
        return False
    money_words = _has(norm, AMOUNT_WORDS, AMOUNT_STEMS) or _has(norm, TOTAL_HEADER_WORDS)
    return not (_has(norm, DATE_WORDS, DATE_STEMS) or money_words)


def guess_mapping(columns: list[str], sample: pd.DataFrame) -> MappingGuess:
    """Guess role → column from header names (many languages), then from the sample values."""
    candidates: list[tuple[float, int, str, str, str]] = []
    for position, col in enumerate(columns):
        for role, (score, reason) in header_scores(col).items():
            candidates.append((score, -position, role, col, reason))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    guess = MappingGuess()
    used: set[str] = set()
    for score, _pos, role, col, reason in candidates:
        if role in guess.roles or col in used:
            continue
        guess.roles[role] = RoleGuess(col, round(score, 2), reason)
        used.add(col)
    amount = guess.roles.get("amount")
    if amount is not None:
        others = [c[3] for c in candidates if c[2] == "amount" and c[3] != amount.column]
        if others:
            amount.reason += "; chosen over " + ", ".join(f"'{o}'" for o in others)
    free = {r for r in ROLES if r not in guess.roles}
    if free:
        for role, value_guess in _value_guesses(columns, sample, free, used).items():
            guess.roles[role] = value_guess
            used.add(value_guess.column)
    guess.roles = {r: guess.roles[r] for r in ROLES if r in guess.roles}
    guess.unused_columns = [c for c in columns if c not in used]
    return guess


def mapping_signature(columns: list[str]) -> str:
    """A stable short hash of the normalised header names (order ignored), naming a file's shape."""
    names = sorted(normalise_header(c) for c in columns)
    return hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()[:16]


def _mapping_path(signature: str):
    if not re.fullmatch(r"[0-9a-f]{8,64}", signature or ""):
        raise LearnerError(
            f"'{signature}' is not a mapping signature", fix="Use mapping_signature(columns) to make one"
        )
    return my_work_dir() / "mappings" / f"{signature}.json"


def check_mapping(mapping: dict) -> dict[str, str]:
    """A clean role → column dict; unknown roles are refused with the list of known ones."""
    if not isinstance(mapping, dict):
        raise LearnerError(
            "a column mapping must be a set of role: column pairs", fix=f"Use roles from: {', '.join(ROLES)}"
        )
    unknown = [r for r in mapping if r not in ROLES]
    if unknown:
        raise LearnerError(
            f"the mapping names unknown role(s) {', '.join(map(str, unknown))}",
            fix=f"Use roles from: {', '.join(ROLES)}",
        )
    return {str(r): str(c) for r, c in mapping.items() if c not in (None, "")}


def save_mapping(signature: str, mapping: dict[str, str]):
    """Save a confirmed mapping for files of this shape (atomic JSON in my_work/mappings/)."""
    path = _mapping_path(signature)
    payload = {"signature": signature, "mapping": check_mapping(mapping)}
    return atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True))


def load_mapping(signature: str) -> dict[str, str] | None:
    """The mapping saved for files of this shape, or None if there is none (or it is unreadable)."""
    path = _mapping_path(signature)
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        return check_mapping(payload.get("mapping", {}))
    except (ValueError, AttributeError, LearnerError):
        return None
