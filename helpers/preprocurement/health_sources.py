"""Where the health check's tenders come from: the course city's tables, OCDS files, folders or zips in
my_data/, a path the learner types, or an upload (saved in my_data/ under a name that never replaces a file)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core import paths
from helpers.core.errors import LearnerError
from helpers.core.safety import atomic_write_bytes, check_upload_name, save_new_file
from helpers.data import city_info
from helpers.preprocurement.ocds import OcdsData, read_ocds
from helpers.preprocurement.ocds_files import MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES, MB, shown_name
from helpers.preprocurement.red_flags import course_tenders, health_in_brief, tender_flags

OCDS_SUFFIXES = (".json", ".zip")


@dataclass
class HealthSource:
    """Tenders and bids to check, what they are (`label`), and, for OCDS, what was read and what was not."""

    label: str
    tenders: pd.DataFrame
    bids: pd.DataFrame
    ocds: OcdsData | None = None
    notes: list[str] = field(default_factory=list)


def _has_json(folder: Path) -> bool:
    try:
        return any(p.suffix.lower() == ".json" for p in folder.iterdir())
    except OSError:
        return False


def health_sources(city: str) -> list[tuple[str, str]]:
    """(label, key): the course city's tenders, then OCDS .json and .zip files in my_data/ and its folders
    that hold .json files."""
    options = [(f"{city_info(city)['name']} tenders (course data)", f"course:{city}")]
    folder = paths.my_data_dir()
    if folder.is_dir():
        for item in sorted(folder.iterdir())[:MAX_FILES]:
            if item.is_file() and item.suffix.lower() in OCDS_SUFFIXES:
                options.append((f"my_data/{shown_name(item.name)} (OCDS)", f"ocds:{item}"))
            elif item.is_dir() and not item.is_symlink() and _has_json(item):
                options.append((f"my_data/{shown_name(item.name)}/ (OCDS folder)", f"ocds:{item}"))
    return options


def load_source(key: str, label: str = "") -> HealthSource:
    """The tenders and bids of a source key from `health_sources` (or `ocds:<path>`)."""
    kind, _, rest = str(key).partition(":")
    if kind == "course":
        tenders, bids = course_tenders(rest)
        return HealthSource(label or f"{city_info(rest)['name']} (course data)", tenders, bids)
    if kind == "ocds":
        data = read_ocds(rest)
        return HealthSource(label or shown_name(Path(rest).name), data.tenders, data.bids, data)
    raise LearnerError(f"unknown source {shown_name(key)!r}", fix="Choose a source from the list")


def load_health_source(key: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The tenders, bids and reading notes of a source key (kept for callers of the earlier API)."""
    source = load_source(key)
    return source.tenders, source.bids, source.ocds.issues if source.ocds else []


def typed_path(text: str) -> Path:
    """A path the learner typed: absolute, or relative to my_data/ (then to the working folder)."""
    raw = str(text).strip().strip("'\"")
    if not raw:
        raise LearnerError("type the path of an OCDS file, folder or .zip", fix="For example my_data/ocds")
    path = Path(raw).expanduser()
    if path.is_absolute():
        return path
    for base in (paths.my_data_dir(), paths.my_data_dir().parent, Path.cwd()):
        if (base / path).exists():
            return base / path
    raise LearnerError(
        "no such file or folder", file=shown_name(raw), fix="Check the path (put your files in my_data/)"
    )


def _clean_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(str(name)).name).strip("._")
    return (cleaned or "upload")[:100]


def _free(folder: Path, name: str, content: bytes | None = None) -> Path:
    """`folder/name`, or `name-2`, `name-3`… : never an existing file, unless it holds exactly `content`."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for number in range(1, 10_000):
        candidate = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        if not candidate.exists():
            return candidate
        if content is not None and candidate.is_file() and _same(candidate, content):
            return candidate
    raise LearnerError("too many uploads with this name in my_data/", fix="Rename or remove some of them")


def _same(path: Path, content: bytes) -> bool:
    if path.stat().st_size != len(content):
        return False
    return hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(content).digest()


def save_upload(files: list[tuple[str, bytes]]) -> Path:
    """Save uploaded OCDS files in my_data/ and return what to read: one file as itself, several in a new
    folder. A learner's file is never replaced: a name already taken gets `_2`, `_3`… ."""
    if not files:
        raise LearnerError("nothing was uploaded")
    files = [(check_upload_name(name, "upload"), content) for name, content in files]  # no "..", NUL, > 255 bytes
    for name, content in files:
        if not str(name).lower().endswith(OCDS_SUFFIXES):
            raise LearnerError("an OCDS upload is .json files or a .zip", file=shown_name(name), fix="Upload those")
        limit = MAX_TOTAL_BYTES if str(name).lower().endswith(".zip") else MAX_FILE_BYTES
        if len(content) > limit:
            raise LearnerError(f"the file is over the limit of {limit // MB} MB", file=shown_name(name))
    if sum(len(content) for _, content in files) > MAX_TOTAL_BYTES:
        raise LearnerError(f"the files together are over the limit of {MAX_TOTAL_BYTES // MB} MB")
    folder = paths.my_data_dir()
    if len(files) == 1:
        name, content = files[0]
        return save_new_file(folder / _clean_name(name), content)  # a taken name gets name_2.json
    target = _free(folder, "ocds_upload")
    target.mkdir(parents=True)
    for name, content in files:
        atomic_write_bytes(_free(target, _clean_name(name)), content)
    return target


def health_key_result(city: str, ocds: str | None = None) -> str:
    """The module's key result in one line (`health_in_brief`): the course city's tenders, or the OCDS file,
    folder or zip `ocds`; a problem reading it is returned as its plain message (a notebook cell never fails)."""
    try:
        if ocds is None or not str(ocds).strip():
            tenders, bids = course_tenders(city)
            return health_in_brief(tender_flags(tenders, bids), city.title())
        path = typed_path(str(ocds))
        data = read_ocds(path)
        return health_in_brief(tender_flags(data.tenders, data.bids), shown_name(path.name))
    except LearnerError as exc:
        return f"Cannot run the health check: {exc}"
