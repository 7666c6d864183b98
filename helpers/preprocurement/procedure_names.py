"""Procedure names, as publishers write them, mapped to the OCDS `procurementMethod` codelist (open, selective,
limited, direct) and to the course's procedures (open, restricted, competitive_negotiation, …).

The names (the Directive's in each EU language, national names, the OCDS codes and the course's own words) are
data: `course/content/preprocurement_procedure_names.yaml`. They are matched accent- and case-insensitively,
ignoring punctuation; a name that is not listed is "not recognised", never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from helpers.core.content import items
from helpers.core.errors import LearnerError

CONTENT = "preprocurement_procedure_names"
OCDS_METHODS = ("open", "selective", "limited", "direct")
# letters that Unicode does not decompose into a base letter and an accent
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
MAX_NAME_CHARS = 200  # a longer "name" is not a procedure name: it is not matched (and shown shortened)


def normalise(name: Any) -> str:
    """A name reduced for matching: no accents, lower case, punctuation and underscores as single spaces
    ("Procédure  ouverte" → "procedure ouverte", "negotiated_without_publication" → "negotiated without
    publication")."""
    if not isinstance(name, str):
        return ""
    text = unicodedata.normalize("NFKD", name[:MAX_NAME_CHARS].casefold()).translate(_LETTERS)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@cache
def _table() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for item in items(CONTENT):
        key, value = normalise(item["id"]), (item["method"], item["procedure"])
        if item["method"] not in OCDS_METHODS:
            raise LearnerError(f"{item['id']!r} maps to {item['method']!r}, not an OCDS method", file=CONTENT + ".yaml")
        if table.get(key, value) != value:
            raise LearnerError(f"{item['id']!r} is listed twice with different procedures", file=CONTENT + ".yaml")
        table[key] = value
    return table


def ocds_method(name: Any) -> str | None:
    """The OCDS `procurementMethod` code of a procedure name, or None when the name is not recognised."""
    found = _table().get(normalise(name))
    return found[0] if found else None


def course_procedure(name: Any) -> str | None:
    """The course's procedure for a name (`open`, `restricted`, `negotiated_without_publication`, … or the OCDS
    words `limited`/`direct`), or None when the name is not recognised."""
    found = _table().get(normalise(name))
    return found[1] if found else None


def known_names() -> int:
    """How many distinct names (after normalising) the table recognises."""
    return len(_table())
