"""Small column helpers shared by the enrichment steps (suppliers, register, geography, sectors).

Everything works on the distinct values of a column (a few thousand supplier
names, postcodes or categories) and maps the answers back with vectorised
pandas operations, so a ledger of a million lines enriches in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from helpers.core.errors import LearnerError

try:  # pyarrow (requirements.lock) stores text columns; its allocator keeps freed memory unless asked
    import pyarrow as pa
except ImportError:  # pragma: no cover - the course environment has it
    pa = None

UNKNOWN = "unknown"


def per_unique(values: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`func(values)` computed once per distinct value: a ledger repeats the same few thousand."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) * 2 > len(values):
        return func(values)
    result = func(pd.Series(np.append(np.asarray(uniques, dtype=object), None), dtype=object))
    return spread(result, codes, values.index)


def spread(result: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The result for each distinct value, given back to every row (`codes` from `pd.factorize`; code -1
    takes the last result). Taken column-wise in the result's own storage (pyarrow for text), so a
    million rows never become a million Python objects."""
    return pd.Series(result.array.take(np.asarray(codes, dtype="int64")), index=index)


def release_unused_memory() -> None:
    """Hand the memory freed by the last step back to the system: pyarrow's allocator otherwise keeps
    it for reuse, so a kernel's memory would grow with the intermediate columns of every step."""
    if pa is not None:
        pa.default_memory_pool().release_unused()


def clean_text(values: pd.Series) -> pd.Series:
    """Stripped text with blanks as missing."""

    def clean(v: pd.Series) -> pd.Series:
        out = v.astype("str").str.strip()
        return out.where(out.notna() & (out != ""), pd.NA)

    return per_unique(values, clean)


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str, fix: str) -> None:
    """A plain message naming the table and the columns it lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LearnerError(f"the {what} has no column {', '.join(repr(c) for c in missing)}", fix=fix)


def redacted_flags(frame: pd.DataFrame) -> pd.Series:
    """The payments' `redacted` column as plain booleans (all False when there is none)."""
    if "redacted" in frame:
        return frame["redacted"].fillna(False).astype("bool")
    return pd.Series(False, index=frame.index)
