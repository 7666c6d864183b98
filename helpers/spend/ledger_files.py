"""A learner's own ledger files: the ones in my_data/, an upload copied to my_work/uploads/,
and a quick look at a file's columns before the full read.

`preview_ledger` reads only the top of a file (its header and first rows), finds the
header with the same rule as the full reader (`ingest.find_header`), and proposes a
column mapping: the one the learner confirmed for files of this shape, else the guess.
The careful read happens when the learner confirms (`ingest.read_ledger`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.paths import my_data_dir, my_work_dir
from helpers.core.safety import check_upload_name, safe_file_name, save_new_file
from helpers.core.tables import detect_encoding, open_source, sniff_delimiter, xlsx_records
from helpers.spend.ingest import column_names, find_header
from helpers.spend.mapping import MappingGuess, guess_mapping, load_mapping, mapping_signature

LEDGER_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
PREVIEW_BYTES = 2_000_000  # enough lines to find the header and guess the columns
PREVIEW_ROWS = 500


@dataclass
class LedgerPreview:
    """The header and first rows of a ledger file, the guessed mapping and any saved one."""

    path: Path
    columns: list[str]
    sample: pd.DataFrame
    guess: MappingGuess
    signature: str
    saved: dict[str, str] | None

    @property
    def proposed(self) -> dict[str, str]:
        """The mapping to show first: the one saved for this shape of file, else the guess."""
        return dict(self.saved) if self.saved else self.guess.mapping


def _records_from_text(path: Path, head: bytes) -> list[list[str]]:
    encoding, _ = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    lines = text.splitlines()[:2000]
    delimiter = sniff_delimiter(text)  # the same choice the full read makes
    try:
        return [row for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
    except csv.Error as exc:
        raise LearnerError(
            f"the file cannot be read as a table ({exc})",
            file=path.name,
            fix="Open it in a spreadsheet and save it again as CSV",
        ) from exc


def _records_from_xlsx(path: Path) -> list[list[str]]:
    """The top rows of the first sheet with data (the full reader's, without reading every row)."""
    return [cells for _, cells in xlsx_records(path, "ledger", max_rows=PREVIEW_ROWS + 60, file=path.name)]


def _read_head(path: Path) -> list[list[str]]:
    """The first records of a ledger file, refusing what the full reader refuses."""
    with open_source(path, "ledger") as handle:  # read-only; regular files within the limits only
        head = handle.read(PREVIEW_BYTES)
        more = bool(handle.read(1))
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise LearnerError("the file is empty", file=path.name, fix="Export the ledger again from the finance system")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LearnerError(
            "this is an old-style .xls or a password-protected spreadsheet",
            file=path.name,
            fix="Open it in Excel, remove any password, and save it as .xlsx or CSV",
        )
    if head.startswith(b"PK\x03\x04") or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _records_from_xlsx(path)
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LearnerError(
            "this is not a text table (it contains binary data)",
            file=path.name,
            fix="Choose the CSV or XLSX export of the ledger",
        )
    if more and b"\n" in head:
        head = head[: head.rfind(b"\n")]  # never cut a character or a line in half
    return _records_from_text(path, head)


def preview_ledger(path: str | Path) -> LedgerPreview:
    """Read only the top of a ledger: its columns, a sample, the guessed and any saved mapping.

    The full, careful read happens when the learner confirms the mapping (`ingest.read_ledger`).
    """
    path = Path(path)
    rows = _read_head(path)
    try:
        index = find_header(list(enumerate(rows, start=1)))  # the same rule as the full read
    except LearnerError as exc:
        raise LearnerError(exc.message.rstrip("."), file=path.name) from None
    columns = column_names(rows[index])
    if len(columns) < 2:
        raise LearnerError(
            "this does not look like a table: the header has a single column",
            file=path.name,
            fix="Check the delimiter, or save the file again as CSV with commas",
        )
    body = [(r + [""] * len(columns))[: len(columns)] for r in rows[index + 1 : index + 1 + PREVIEW_ROWS]]
    sample = pd.DataFrame([[c.strip() for c in r] for r in body], columns=columns, dtype="str")
    signature = mapping_signature(columns)
    saved = load_mapping(signature)
    if saved and not all(col in columns for col in saved.values()):
        saved = None
    return LedgerPreview(path, columns, sample, guess_mapping(columns, sample), signature, saved)


def save_upload(name: str, content: bytes) -> Path:
    """Write an uploaded file to my_work/uploads/ (the original on the learner's disk is untouched).

    A different file already saved under the same name is kept: the upload gets `name_2.csv`
    (the same content uploaded again reuses its copy). A name that is `..`, holds NUL or is
    longer than a file system allows is refused with a plain message."""
    stem = check_upload_name(name, "upload")
    safe = safe_file_name(stem, "upload.csv")
    if Path(safe).suffix.lower() not in LEDGER_SUFFIXES:
        raise LearnerError(
            f"'{stem[:80]}' is not a ledger file this tool reads", fix=f"Upload a {', '.join(LEDGER_SUFFIXES)} file"
        )
    return save_new_file(my_work_dir() / "uploads" / safe, bytes(content))


def save_register_upload(content: bytes) -> Path:
    """Write an uploaded supplier register to my_work/uploads/register_upload.csv (or `_2`… beside
    an earlier, different one: an earlier upload is never replaced)."""
    return save_new_file(my_work_dir() / "uploads" / "register_upload.csv", bytes(content))


def my_data_files(suffixes: tuple[str, ...] = (".csv", ".tsv", ".xlsx")) -> list[Path]:
    """The learner's files in my_data/ that a ledger or register could be (README excluded)."""
    folder = my_data_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def my_data_choices(suffixes: tuple[str, ...] = (".csv", ".tsv", ".xlsx")) -> list[tuple[str, str]]:
    """(name inside my_data/, full path) of each of `my_data_files`, for a drop-down."""
    folder = my_data_dir()
    return [(str(p.relative_to(folder)), str(p)) for p in my_data_files(suffixes)]
