"""A schema-aware, type-tolerant walk over one OCDS release: each field the health check reads is checked against
the type the OCDS schema gives it; anything else ("numberOfTenderers": "abc", an amount of "NaN", `items` that is a
number, a supplier name that is an object…) becomes a data issue for that release, and the value is taken as
unknown. Nothing here raises.
"""

from __future__ import annotations

import math
import re
from typing import Any

from helpers.ui.messages import Issue

MAX_AMOUNT = 1e15  # course design: a larger amount in any currency is taken as a data error, not a price
MAX_ISSUES = 500  # issues kept in full; beyond this they are only counted
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def shown(value: Any, limit: int = 40) -> str:
    """A short, printable rendering of a value for a message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = "".join(ch if ch.isprintable() else "?" for ch in repr(value) if ch)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class IssueLog:
    """The data issues of one reading, kept in order, each once; beyond `MAX_ISSUES` only counted."""

    def __init__(self) -> None:
        self.items: list[Issue] = []
        self.more = 0
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, file: str, message: str, field: str = "", severity: str = "warning") -> None:
        key = (file, field, message)
        if key in self._seen:
            return
        self._seen.add(key)
        if len(self.items) >= MAX_ISSUES:
            self.more += 1
            return
        self.items.append(Issue(message=message, severity=severity, where=file, field=field, code="ocds-data"))


class Walk:
    """Typed reads from one release. `path` arguments name the field in OCDS terms ("tender.numberOfTenderers")."""

    def __init__(self, file: str, ocid: str, log: IssueLog) -> None:
        self.file, self.ocid, self.log = file, ocid, log

    def note(self, path: str, value: Any, expected: str) -> None:
        self.log.add(self.file, f"{self.ocid}: {path} is {shown(value)}, not {expected}; taken as unknown", path)

    def obj(self, parent: dict, key: str, path: str) -> dict:
        value = parent.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.note(path, value, "an object")
            return {}
        return value

    def objs(self, parent: dict, key: str, path: str) -> list[dict]:
        """A list of objects; a value that is not a list, or entries that are not objects, are reported."""
        return [obj for _, obj in self.indexed_objs(parent, key, path)]

    def indexed_objs(self, parent: dict, key: str, path: str) -> list[tuple[int, dict]]:
        """`objs` with each object's position in the published list (for messages naming `path[n]`)."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.note(path, value, "a list")
            return []
        good = [(n, v) for n, v in enumerate(value) if isinstance(v, dict)]
        if len(good) < len(value):
            bad = next(v for v in value if not isinstance(v, dict))
            self.log.add(
                self.file,
                f"{self.ocid}: {len(value) - len(good)} entr(ies) of {path} are not objects ({shown(bad)}…); skipped",
                path,
            )
        return good

    def text(self, parent: dict, key: str, path: str) -> str | None:
        """A string (a number is taken as its text, e.g. an id); anything else is reported."""
        value = parent.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return str(value)
        self.note(path, value, "text")
        return None

    def count(self, parent: dict, key: str, path: str) -> int | None:
        """A whole number ≥ 0 (OCDS integer); 3.0 is accepted, 2.5, "abc", 1e400, [1] and true are reported."""
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.note(path, value, "a whole number")
            return None
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            self.note(path, value, "a whole number")
            return None
        if value < 0 or value > 1_000_000:
            self.note(path, value, "a plausible count")
            return None
        return int(value)

    def amount(self, value_obj: dict, path: str) -> float | None:
        """`amount` of an OCDS Value: a finite number (a numeric text is accepted), not above `MAX_AMOUNT` in size.
        "Infinity", "NaN", 1e400 and objects are reported and taken as unknown."""
        value = value_obj.get("amount")
        if value is None:
            return None
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond the float range
                number = math.inf
        elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
            number = float(value.strip())
        if number is None or not math.isfinite(number):
            self.note(f"{path}.amount", value, "a finite number")
            return None
        if abs(number) > MAX_AMOUNT:
            self.note(f"{path}.amount", value, f"a plausible amount (at most {MAX_AMOUNT:,.0f})")
            return None
        return number

    def ident(self, value: Any, path: str) -> str | None:
        """An id or a reference: text or a whole number; a list or an object is reported."""
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        self.note(path, value, "an id (text)")
        return None
