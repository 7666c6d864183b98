"""Finding and reading OCDS JSON files safely: one file, a folder (read file by file) or a zip archive.

Limits (stated here, enforced before anything large is read, each refused with a message naming it):
- one JSON file, or one file inside a zip: at most `MAX_FILE_BYTES` (100 MB);
- a folder or a zip together: at most `MAX_TOTAL_BYTES` (500 MB read, uncompressed) and `MAX_FILES` files;
- JSON nested at most `MAX_JSON_DEPTH` (100) levels (OCDS needs about 12);
- only regular files are read: no FIFOs, devices or sockets, and no links that leave the folder.
A file that cannot be read (empty, not UTF-8, not JSON, over a limit) is listed with its reason and the
rest are read: one broken file never stops a folder. Sources are only ever opened for reading.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpers.core.errors import LearnerError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_FILES = 10_000
MAX_JSON_DEPTH = 100
MB = 1024 * 1024

# a JSON string (with escapes), removed before counting the nesting of brackets
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


@dataclass
class OcdsFile:
    """One file found: its name as shown to the learner, and either its parsed JSON or why it was not read."""

    name: str
    data: Any = None
    problem: str | None = None


class NonFinite(str):
    """A bare `NaN`, `Infinity` or `-Infinity` in the JSON (not valid JSON): kept as text so that the reader
    reports it as a data issue instead of taking it as a number."""


def shown_name(text: str) -> str:
    """A file name safe to show: control characters replaced, at most 120 characters."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in str(text))
    return clean if len(clean) <= 120 else clean[:117] + "..."


def json_depth(raw: bytes) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings are ignored)."""
    brackets = _JSON_STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    codes = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps, dtype=np.int32).max())


def parse_json(raw: bytes) -> tuple[Any, str | None]:
    """(data, None), or (None, why it is not readable JSON) in plain words."""
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        return None, "the file is empty" + (" (0 bytes)" if not raw else "")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "the file is not UTF-8 text, so it is not OCDS JSON"
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        return None, f"the JSON is nested {depth} levels deep, more than the limit of {MAX_JSON_DEPTH}"
    try:
        return json.loads(text, parse_constant=NonFinite), None
    except json.JSONDecodeError as exc:
        return None, f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4,300 digits
        return None, f"the file is not valid JSON ({shown_name(str(exc))[:80]})"


def _read_capped(path: Path) -> bytes:
    with open(path, "rb") as handle:  # read-only: the source is never modified
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"the file is larger than the limit of {MAX_FILE_BYTES // MB} MB")
    return raw


def _regular_problem(mode: int, size: int) -> str | None:
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, device or socket), so it was not read"
    if size > MAX_FILE_BYTES:
        return f"the file is {size / MB:.0f} MB, larger than the limit of {MAX_FILE_BYTES // MB} MB"
    return None


def _one_file(path: Path, name: str) -> OcdsFile:
    try:
        info = path.stat()
        problem = _regular_problem(info.st_mode, info.st_size)
        if problem:
            return OcdsFile(name, problem=problem)
        data, problem = parse_json(_read_capped(path))
    except (OSError, ValueError) as exc:
        return OcdsFile(name, problem=str(exc) if isinstance(exc, ValueError) else f"cannot be read ({exc.strerror})")
    return OcdsFile(name, data=data, problem=problem)


def _folder(root: Path) -> Iterator[OcdsFile]:
    base = root.resolve()
    found: list[tuple[Path, str]] = []
    skipped = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            if name.lower().endswith(".json"):
                found.append((Path(folder) / name, str((Path(folder) / name).relative_to(root))))
            else:
                skipped += 1
    if not found:
        raise LearnerError(
            "this folder holds no .json files",
            file=shown_name(str(root)),
            fix="Point to a folder of OCDS .json files, to the files themselves, or to a .zip of them",
        )
    total = 0
    for number, (path, name) in enumerate(found):
        name = shown_name(name)
        if number >= MAX_FILES:
            yield OcdsFile(name, problem=f"not read: a folder is read up to {MAX_FILES:,} files")
            continue
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(base):
                yield OcdsFile(name, problem="a link to a file outside the folder, so it was not read")
                continue
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield OcdsFile(name, problem=f"cannot be read ({exc.strerror})")
            continue
        if total + size > MAX_TOTAL_BYTES:
            yield OcdsFile(
                name, problem=f"not read: the folder's files together pass the limit of {MAX_TOTAL_BYTES // MB} MB"
            )
            continue
        total += size
        yield _one_file(path, name)
    if skipped:
        yield OcdsFile(f"{skipped} other file(s)", problem="not .json, so not read")


def _zip(source: str | bytes, label: str) -> Iterator[OcdsFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LearnerError(
            f"this zip archive cannot be opened ({exc})", file=label, fix="Zip the files again"
        ) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        wanted = [m for m in members if m.filename.lower().endswith(".json")]
        if not wanted:
            raise LearnerError("this zip archive holds no .json files", file=label, fix="Zip the OCDS .json files")
        total = 0
        for number, member in enumerate(wanted):
            name = shown_name(f"{label}/{member.filename}")
            if number >= MAX_FILES:
                yield OcdsFile(name, problem=f"not read: a zip is read up to {MAX_FILES:,} files")
                continue
            if member.file_size > MAX_FILE_BYTES:
                yield OcdsFile(
                    name,
                    problem=f"unpacks to {member.file_size / MB:.0f} MB, over the limit of {MAX_FILE_BYTES // MB} MB",
                )
                continue
            if total + member.file_size > MAX_TOTAL_BYTES:
                yield OcdsFile(
                    name, problem=f"not read: the zip unpacks to more than the limit of {MAX_TOTAL_BYTES // MB} MB"
                )
                continue
            try:
                with archive.open(member) as handle:
                    raw = handle.read(MAX_FILE_BYTES + 1)  # the size in the header may lie: never read past the limit
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                yield OcdsFile(name, problem=f"cannot be unpacked ({shown_name(str(exc))[:80]})")
                continue
            if len(raw) > MAX_FILE_BYTES:
                yield OcdsFile(name, problem=f"unpacks to more than the limit of {MAX_FILE_BYTES // MB} MB")
                continue
            total += len(raw)
            data, problem = parse_json(raw)
            yield OcdsFile(name, data=data, problem=problem)
        if len(members) > len(wanted):
            yield OcdsFile(f"{label}: {len(members) - len(wanted)} other file(s)", problem="not .json, so not read")


def _is_zip_path(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def ocds_files(paths: str | Path | Iterable[str | Path]) -> Iterator[OcdsFile]:
    """Each file of the source, one at a time: a .json file, a .zip of .json files, a folder (walked without
    following links), or a list of these. A path that does not exist, or is not a regular file or a folder,
    is a `LearnerError`; a file inside that cannot be read is yielded with its `problem`."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not items:
        raise LearnerError("no OCDS files were given", fix="Pass a file, a folder or a .zip")
    for item in items:
        path = Path(item)
        label = shown_name(path.name or str(path))
        try:
            info = path.stat()
        except OSError:
            raise LearnerError("no such file or folder", file=shown_name(str(path)), fix="Check the path") from None
        if stat.S_ISDIR(info.st_mode):
            yield from _folder(path)
            continue
        problem = _regular_problem(info.st_mode, info.st_size)
        if problem and _is_zip_path(path) and stat.S_ISREG(info.st_mode) and info.st_size <= MAX_TOTAL_BYTES:
            problem = None  # a zip may be larger than one JSON file: its members are checked one by one
        if problem:
            raise LearnerError(problem, file=label, fix="Give an OCDS .json file, a folder or a .zip")
        if _is_zip_path(path):
            yield from _zip(str(path), label)
        else:
            yield _one_file(path, label)
