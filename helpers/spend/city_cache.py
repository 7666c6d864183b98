"""The course cities' analyses, cached on disk when the course data is made (`make data`), so a
notebook loads a city's analysis in a fraction of the time and memory of computing it.

`datasets/<city>/analysis_<year>.arrow` (git-ignored, derived data) holds the enriched payments
as a columnar Arrow file, read memory-mapped: the text columns stay in the file's pages (shared by
every kernel that reads it, and released by the system under pressure) instead of being copied
into each kernel's heap; its metadata hold the cleaning report, the mapping, the notes, the
register match table and a key: the hash of everything the analysis depends on (the ledger, the
reference tables, the code and course content that analyse it, the library versions). A file is
written only when reading it back gives exactly the analysis computed (same payments, same report),
and a file whose key differs from the current one is ignored: the analysis is then computed as
before, so a changed rule or ledger never serves a stale figure.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.paths import repo_root
from helpers.data import ledger_path
from helpers.data.package import data_folder
from helpers.spend.cleaning import CleaningReport

try:  # pyarrow (requirements.lock): without it there is no cache and every analysis is computed
    import pyarrow as pa
except ImportError:  # pragma: no cover - the course environment has it
    pa = None

FORMAT = "spw-city-analysis-1"
# What an analysis of a course city depends on, besides its ledger: the code and the course content.
CODE_GLOBS = ("helpers/spend/*.py", "helpers/spend/*.yaml", "helpers/core/*.py", "helpers/data/*.py")
CONTENT_GLOBS = ("course/content/*.yaml",)
REFERENCE_FILES = (
    "{city}/suppliers.csv",
    "{city}/geography.csv",
    "shared/category_cpv.csv",
    "shared/cpv_divisions.csv",
)


def cache_path(city: str, year: int) -> Path:
    return data_folder() / city / f"analysis_{int(year)}.arrow"


def cache_key(city: str, year: int) -> str:
    """The hash of every input of the analysis of `city`'s `year` ledger."""
    root, data = repo_root(), data_folder()
    digest = hashlib.sha256(FORMAT.encode())
    versions = f"{platform.python_version()} pandas {pd.__version__} numpy {np.__version__} pyarrow {pa.__version__}"
    digest.update(versions.encode())
    files = [ledger_path(city, year), data / "datapackage.json"]
    files += [data / name.format(city=city) for name in REFERENCE_FILES]
    files += sorted(p for pattern in CODE_GLOBS + CONTENT_GLOBS for p in root.glob(pattern))
    for path in files:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    return digest.hexdigest()


def _report_json(report: CleaningReport) -> str:
    data = asdict(report)
    data["period"] = [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in report.period]
    return json.dumps(data, ensure_ascii=False, allow_nan=True)


def _report_from_json(text: str) -> CleaningReport:
    data = json.loads(text)
    data["period"] = tuple(None if v is None else pd.Timestamp(v) for v in data["period"])
    known = {f.name for f in fields(CleaningReport)}
    return CleaningReport(**{k: v for k, v in data.items() if k in known})


def _frame_bytes(frame: pd.DataFrame) -> bytes:
    sink = pa.BufferOutputStream()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _frame_from_bytes(data: bytes) -> pd.DataFrame:
    return pa.ipc.open_stream(data).read_all().to_pandas()


def _open(path: Path):
    """The Arrow file memory-mapped (nothing is read until a column is used)."""
    return pa.ipc.open_file(pa.memory_map(str(path)))


def is_current(city: str, year: int) -> bool:
    """Whether the cache of a course city's analysis exists and was made from the current inputs."""
    path = cache_path(city, year)
    if pa is None or not path.is_file():
        return False
    try:
        return (_open(path).schema.metadata or {}).get(b"spw.key", b"").decode() == cache_key(city, year)
    except (OSError, ValueError, pa.ArrowException):
        return False


def read(city: str, year: int) -> dict | None:
    """The cached analysis of a course city's ledger (payments, report, mapping, source, register_match,
    notes), or None when there is no cache, it is stale or it cannot be read."""
    path = cache_path(city, year)
    if pa is None or not path.is_file():
        return None
    try:
        reader = _open(path)
        meta = reader.schema.metadata or {}
        if meta.get(b"spw.key", b"").decode() != cache_key(city, year):
            return None
        match = meta.get(b"spw.register_match")
        return {
            "payments": reader.read_all().to_pandas(),
            "report": _report_from_json(meta[b"spw.report"].decode()),
            "mapping": json.loads(meta[b"spw.mapping"]),
            "source": meta[b"spw.source"].decode(),
            "register_match": _frame_from_bytes(match) if match else None,
            "notes": json.loads(meta[b"spw.notes"]),
        }
    except (OSError, KeyError, ValueError, TypeError, pa.ArrowException):
        return None  # a damaged or older file: the analysis is computed instead


def write(city: str, year: int, analysis) -> Path | None:
    """Cache a computed analysis (a `pipeline.SpendAnalysis`) of a course city's ledger; the path, or None
    when it cannot be cached exactly (the file is then removed, and the analysis is computed on use)."""
    if pa is None:
        return None
    path = cache_path(city, year)
    try:
        meta = {
            "spw.key": cache_key(city, year),
            "spw.report": _report_json(analysis.report),
            "spw.mapping": json.dumps(analysis.mapping, ensure_ascii=False),
            "spw.source": analysis.source,
            "spw.notes": json.dumps(list(analysis.notes), ensure_ascii=False),
        }
    except (TypeError, ValueError):
        return None
    table = pa.Table.from_pandas(analysis.payments, preserve_index=False)
    metadata = dict(table.schema.metadata or {}) | {k.encode(): v.encode() for k, v in meta.items()}
    if analysis.register_match is not None:
        metadata[b"spw.register_match"] = _frame_bytes(analysis.register_match)
    table = table.replace_schema_metadata(metadata)
    partial = path.with_suffix(".arrow.partial")
    with pa.OSFile(str(partial), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    partial.replace(path)
    back = read(city, year)
    if back is None or not _same(back, analysis):
        path.unlink(missing_ok=True)
        return None
    return path


def _same(back: dict, analysis) -> bool:
    """Whether a cache read back equals the analysis it was written from, exactly."""
    try:
        pd.testing.assert_frame_equal(back["payments"], analysis.payments, check_exact=True)
        if analysis.register_match is not None:
            pd.testing.assert_frame_equal(back["register_match"], analysis.register_match, check_exact=True)
    except AssertionError:
        return False
    return (
        back["report"] == analysis.report
        and back["mapping"] == analysis.mapping
        and back["source"] == analysis.source
        and back["notes"] == list(analysis.notes)
    )
