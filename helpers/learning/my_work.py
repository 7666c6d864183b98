"""A learner's work, portable: one archive to download, restore elsewhere, or forget on a shared machine.

The archive is a zip holding `manifest.json` (format, version, when made, one line per file with its
size, SHA-256 and modification time), `progress.json` (answers, drafts, tool settings) and the work
folder's files under `work/`: saved analyses (module 3 → 4), saved column mappings and exports, and,
when the learner asks, uploads (`work/uploads/`, and their own files from `my_data/`).

Restoring checks everything before writing anything (format and version, safe file names, sizes, the
checksums, the progress structure), then merges without overwriting newer work: per item, the newer
of the two wins where there is a date (answers, drafts, files); where there is none, or the dates are
equal and the contents differ, both are kept (the restored copy gets "(restored DATE)" in its name)
and the report says so. Tool settings carry no date: this machine's are kept when they differ.

`forget_everything` removes this learner's progress, drafts, uploads, mappings, saved analyses and
exports from this machine after an explicit confirmation, and lists what it removed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from helpers import __version__
from helpers.core.errors import LearnerError
from helpers.core.paths import my_data_dir, my_work_dir, on_binder
from helpers.core.safety import atomic_write_bytes, escape_html
from helpers.learning.progress import FORMAT_VERSION, RESET_CONFIRMATION, merge_progress, store, valid_progress
from helpers.ui.display import message_html
from helpers.ui.exports import download_link_html

ARCHIVE_FORMAT = "strategic-procurement-workbook/my-work"
ARCHIVE_VERSION = 1
FORGET_CONFIRMATION = "yes, forget everything"
WORK_FOLDERS = {"analyses": "saved analyses", "mappings": "saved column mappings", "exports": "exports"}
UPLOAD_FOLDERS = {"uploads": "uploads"}
DOWNLOADS = "downloads"  # where archives are made; never inside an archive
MY_DATA_KEEP = {"README.md"}  # shipped with the course, not the learner's
MAX_FILES = 5000
MAX_TOTAL_BYTES = 1_000_000_000
TOLERANCE_SECONDS = 2.0  # file times differ this little after a copy; closer counts as "same time"
KINDS = {**WORK_FOLDERS, **UPLOAD_FOLDERS, "my_data": "your files in my_data", "progress": "progress"}

BINDER_NOTICE = (
    "You are on Binder: everything saved here (answers, drafts, saved analyses, exports) vanishes "
    "when this session ends, after about 10 minutes without activity or when you close the tab. "
    "Download your work before you leave, and restore it at the start of your next session "
    "(start-here page: \u201cDownload my work\u201d and \u201cRestore my work\u201d)."
)


# -- what there is ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkFile:
    """One file of the learner's work: where it lives and its name in the archive."""

    kind: str  # a key of KINDS
    path: Path
    member: str  # e.g. "work/analyses/My city.csv" or "my_data/ledger.csv"


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def work_files(include_uploads: bool = False) -> list[WorkFile]:
    """The learner's files that an archive holds (progress itself is written separately)."""
    work = my_work_dir()
    folders = {**WORK_FOLDERS, **(UPLOAD_FOLDERS if include_uploads else {})}
    found = [
        WorkFile(name, p, f"work/{name}/{p.relative_to(work / name).as_posix()}")
        for name in folders
        for p in _files_under(work / name)
    ]
    if include_uploads:
        data = my_data_dir()
        found += [
            WorkFile("my_data", p, f"my_data/{p.relative_to(data).as_posix()}")
            for p in _files_under(data)
            if p.relative_to(data).as_posix() not in MY_DATA_KEEP
        ]
    return found


def saved_summary(include_uploads: bool = True) -> dict[str, int]:
    """How many items of each kind are saved here (answers and drafts counted from the progress file)."""
    data = store().data()
    counts = {
        "answers": len(data["answers"]),
        "drafts": sum(len(v) for v in data["drafts"].values()),
        "tool settings": len(data["settings"]),
    }
    for item in work_files(include_uploads):
        if item.kind == "analyses" and item.path.suffix != ".json":
            continue  # a saved analysis is a .csv with its .json: count it once
        counts[KINDS[item.kind]] = counts.get(KINDS[item.kind], 0) + 1
    return counts


def uploads_size() -> int:
    """Bytes of uploads and my_data files (what the "include my uploads" box would add)."""
    return sum(f.path.stat().st_size for f in work_files(True) if f.kind in ("uploads", "my_data"))


# -- export -----------------------------------------------------------------------------------------------
def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def default_archive_path() -> Path:
    """`my_work/downloads/my-work-YYYYMMDD-HHMMSS.zip` (a folder the archive itself never includes)."""
    return my_work_dir() / DOWNLOADS / f"my-work-{_stamp()}.zip"


def export_my_work(target: str | os.PathLike | None = None, *, include_uploads: bool = False) -> Path:
    """Write the learner's work to one zip archive (atomically) and return its path."""
    path = Path(target).expanduser() if target else default_archive_path()
    if path.suffix.lower() != ".zip":
        raise LearnerError(f"{path.name} does not end in .zip", fix="Give the archive a name ending in .zip")
    progress = json.dumps(store().data(), indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8")
    items, buffer = [], io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("progress.json", progress)
        for item in work_files(include_uploads):
            data = item.path.read_bytes()
            stat = item.path.stat()
            info = zipfile.ZipInfo(item.member, datetime.fromtimestamp(stat.st_mtime).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
            items.append(
                {
                    "path": item.member,
                    "kind": item.kind,
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "modified": _iso(stat.st_mtime),
                }
            )
        manifest = {
            "format": ARCHIVE_FORMAT,
            "version": ARCHIVE_VERSION,
            "course_version": __version__,
            "progress_version": FORMAT_VERSION,
            "created": _iso(datetime.now().timestamp()),
            "includes_uploads": include_uploads,
            "progress_sha256": hashlib.sha256(progress).hexdigest(),
            "items": items,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    return atomic_write_bytes(path, buffer.getvalue())


# -- restore: check everything first ------------------------------------------------------------------------
MEMBER = re.compile(r"^(work/(analyses|mappings|exports|uploads)|my_data)/[^\x00:\\]+$")


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        bool(MEMBER.match(name))
        and not name.startswith("/")
        and ".." not in parts
        and not any(p.startswith(".") or p.strip() != p or not p for p in parts)
    )


@dataclass
class Archive:
    """A checked archive: its manifest, progress and files, all in memory."""

    source: str
    manifest: dict
    progress: dict
    files: dict[str, tuple[bytes, dict]]  # member → (content, manifest item)


def read_archive(source: str | os.PathLike | bytes, label: str | None = None) -> Archive:
    """Open and check an archive; raise `LearnerError` naming the first problem. Nothing is written."""
    label = label or ("the uploaded file" if isinstance(source, (bytes, bytearray)) else str(source))
    bad = LearnerError(
        f"{label} is not a course work archive",
        fix="Choose a file made by \u201cDownload my work\u201d (a .zip starting my-work-)",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    except (zipfile.BadZipFile, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise LearnerError(f"{label} was not found", fix="Check the file name and folder") from exc
        raise bad from exc
    with archive:
        names = archive.namelist()
        if "manifest.json" not in names or "progress.json" not in names:
            raise bad
        try:
            manifest = json.loads(archive.read("manifest.json").decode("utf-8"))
        except ValueError as exc:
            raise bad from exc
        if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
            raise bad
        version = manifest.get("version")
        if not isinstance(version, int) or version > ARCHIVE_VERSION:
            raise LearnerError(
                f"{label} was made by a newer version of the course (archive version {version})",
                fix="Update the course (git pull, or a new Binder link), then restore again",
            )
        items = manifest.get("items")
        if not isinstance(items, list) or len(items) > MAX_FILES:
            raise bad
        listed = {item.get("path"): item for item in items if isinstance(item, dict)}
        extra = sorted(set(names) - set(listed) - {"manifest.json", "progress.json"})
        unsafe = sorted(str(n) for n in listed if not isinstance(n, str) or not _safe_member(n))
        if extra or unsafe or len(listed) != len(items):
            raise LearnerError(
                f"{label} holds files a course archive never holds: {', '.join(map(str, (extra + unsafe)[:3]))}",
                fix="Restore only archives the course made; if you changed this one, download a fresh one",
            )
        total = sum(i.file_size for i in archive.infolist())
        if total > MAX_TOTAL_BYTES:
            raise LearnerError(
                f"{label} would unpack to {total / 1e6:.0f} MB, more than the course accepts",
                fix="Restore an archive without uploads, and copy large files by hand",
            )
        try:
            progress_bytes = archive.read("progress.json")
            files = {name: (archive.read(name), item) for name, item in listed.items()}
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:  # a damaged member
            raise LearnerError(f"{label} is damaged ({exc})", fix="Download your work again") from exc
    wrong = sorted(
        name
        for name, (data, item) in files.items()
        if hashlib.sha256(data).hexdigest() != item.get("sha256") or len(data) != item.get("size")
    )
    if manifest.get("progress_sha256") not in (None, hashlib.sha256(progress_bytes).hexdigest()):
        wrong.insert(0, "progress.json")
    if wrong:
        raise LearnerError(
            f"{label} is damaged: {', '.join(wrong[:3])} differ from what was saved",
            fix="Download your work again from where you made it",
        )
    try:
        progress = json.loads(progress_bytes.decode("utf-8"))
    except ValueError as exc:
        raise bad from exc
    problem = valid_progress(progress)
    if problem:
        raise LearnerError(f"{label}: its progress {problem}", fix="Download your work again")
    return Archive(label, manifest, progress, files)


# -- restore: merge ---------------------------------------------------------------------------------------
OUTCOMES = {
    "added": "added",
    "updated": "updated (the archive's was newer)",
    "kept": "kept as on this machine (this machine's was newer, or settings carry no date)",
    "both": "kept both (no date to choose by): the restored copy is named \u201c(restored \u2026)\u201d",
    "same": "already here",
}


@dataclass
class RestoreReport:
    """What a restore did, item by item: (kind, name, outcome) with outcome a key of OUTCOMES."""

    source: str
    created: str = ""
    entries: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, kind: str, name: str, outcome: str) -> None:
        self.entries.append((kind, name, outcome))

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.entries if e[2] == outcome)

    def text(self) -> str:
        made = _when_text(self.created)
        lines = [f"Restored your work from {self.source}" + (f" (made {made})." if made else ".")]
        for outcome, meaning in OUTCOMES.items():
            chosen = [e for e in self.entries if e[2] == outcome]
            if chosen and outcome != "same":
                names = "; ".join(f"{kind}: {name}" for kind, name, _ in chosen[:12])
                more = f" and {len(chosen) - 12} more" if len(chosen) > 12 else ""
                lines.append(f"- {len(chosen)} {meaning}: {names}{more}")
        if self.count("same"):
            lines.append(f"- {self.count('same')} already here, unchanged.")
        if len(lines) == 1:
            lines.append("- The archive was empty: nothing to restore.")
        return "\n".join(lines)


def _when_text(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (TypeError, ValueError):
        return ""


def _restored_name(path: Path, day: str) -> Path:
    candidate = path.with_name(f"{path.stem} (restored {day}){path.suffix}")
    number = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} (restored {day}, {number}){path.suffix}")
        number += 1
    return candidate


def _target(member: str) -> Path:
    if member.startswith("work/"):
        return my_work_dir().joinpath(*PurePosixPath(member).parts[1:])
    return my_data_dir().joinpath(*PurePosixPath(member).parts[1:])


def _modified(item: dict) -> float | None:
    try:
        return datetime.fromisoformat(item["modified"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return None


def _decide(incoming: bytes, when: float | None, target: Path) -> str:
    if not target.exists():
        return "added"
    if target.read_bytes() == incoming:
        return "same"
    if when is None or abs(when - target.stat().st_mtime) <= TOLERANCE_SECONDS:
        return "both"
    return "updated" if when > target.stat().st_mtime else "kept"


def _groups(files: dict[str, tuple[bytes, dict]]) -> Iterable[list[str]]:
    """Members restored together: a saved analysis's .csv and .json share one decision."""
    groups: dict[str, list[str]] = {}
    for member in sorted(files):
        path = PurePosixPath(member)
        key = str(path.with_suffix("")) if member.startswith("work/analyses/") else member
        groups.setdefault(key, []).append(member)
    return groups.values()


def _restore_files(archive: Archive, report: RestoreReport, day: str) -> None:
    for group in _groups(archive.files):
        kind = archive.files[group[0]][1].get("kind") or group[0].split("/")[1]
        outcomes = [_decide(archive.files[m][0], _modified(archive.files[m][1]), _target(m)) for m in group]
        outcome = (
            "same"
            if set(outcomes) == {"same"}
            else "added"
            if set(outcomes) <= {"added", "same"}
            else "both"
            if "both" in outcomes
            else "kept"
            if "kept" in outcomes
            else "updated"
        )
        if outcome == "both" and kind == "mappings":
            outcome = "kept"  # a mapping is found by its file name: a renamed copy would never be used
        name = PurePosixPath(group[0]).stem if len(group) > 1 else PurePosixPath(group[0]).name
        report.add(KINDS.get(kind, kind), name, outcome)
        if outcome in ("same", "kept"):
            continue
        for member in group:
            data, item = archive.files[member]
            target = _target(member)
            if outcome == "both":
                target = _restored_name(target, day)
                data = _renamed_analysis(data, member, day)
            atomic_write_bytes(target, data)
            when = _modified(item)
            if when is not None:
                os.utime(target, (when, when))


def _renamed_analysis(data: bytes, member: str, day: str) -> bytes:
    """A saved analysis's .json names it: the restored copy's name says it was restored."""
    if not (member.startswith("work/analyses/") and member.endswith(".json")):
        return data
    try:
        meta = json.loads(data.decode("utf-8"))
        meta["name"] = f"{meta.get('name', PurePosixPath(member).stem)} (restored {day})"
        return json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8")
    except (ValueError, AttributeError):
        return data


def import_my_work(source: str | os.PathLike | bytes, *, label: str | None = None) -> RestoreReport:
    """Check an archive, then merge it into this machine's work; return what was done."""
    archive = read_archive(source, label)
    report = RestoreReport(archive.source, str(archive.manifest.get("created", "")))
    day = datetime.now().strftime("%Y-%m-%d")
    store().apply(lambda data: merge_progress(data, archive.progress, report.add, day))
    _restore_files(archive, report, day)
    return report


# -- forget ---------------------------------------------------------------------------------------------
@dataclass
class ForgetReport:
    """What `forget_everything` removed (kind → files) and what it left in the work folder."""

    removed: dict[str, list[Path]] = field(default_factory=dict)
    left: list[Path] = field(default_factory=list)

    def text(self) -> str:
        if not any(self.removed.values()):
            lines = ["There was no saved work on this machine: nothing to remove."]
        else:
            lines = ["Removed from this machine:"]
            for kind, paths in self.removed.items():
                if paths:
                    names = ", ".join(p.name for p in paths[:5]) + (
                        f" and {len(paths) - 5} more" if len(paths) > 5 else ""
                    )
                    lines.append(f"- {kind}: {len(paths)} file(s) ({names})")
        if self.left:
            lines.append(f"Left in place (not course work): {', '.join(p.name for p in self.left[:8])}")
        lines.append(
            "Not touched: the notebooks themselves. If you typed into them, close them without "
            "saving, or use File \u2192 Revert Notebook to Checkpoint."
        )
        return "\n".join(lines)


def _remove_tree(folder: Path) -> list[Path]:
    if folder.is_symlink():  # a link to somewhere else: remove the link, never what it points to
        folder.unlink()
        return [folder]
    if not folder.is_dir():
        return []
    files = sorted({p for p in folder.rglob("*") if p.is_file() or p.is_symlink()})
    shutil.rmtree(folder)
    return files


def forget_everything(confirmation: str = "") -> ForgetReport:
    """Remove this learner's work from this machine; needs `confirmation == FORGET_CONFIRMATION`."""
    if confirmation != FORGET_CONFIRMATION:
        raise LearnerError("nothing was removed", fix=f'To remove your work, confirm with "{FORGET_CONFIRMATION}"')
    work, report = my_work_dir(), ForgetReport()
    report.removed["progress, answers, drafts and settings"] = store().forget(RESET_CONFIRMATION)
    for name, kind in {**WORK_FOLDERS, **UPLOAD_FOLDERS, DOWNLOADS: "downloaded archives"}.items():
        report.removed[kind] = _remove_tree(work / name)
    data = my_data_dir()
    mine = [p for p in _files_under(data) if p.relative_to(data).as_posix() not in MY_DATA_KEEP]
    for path in mine:
        path.unlink()
    for folder in sorted((p for p in data.rglob("*") if p.is_dir()), reverse=True) if data.is_dir() else []:
        if not any(folder.iterdir()):
            folder.rmdir()
    report.removed[KINDS["my_data"]] = mine
    report.left = (
        sorted(
            p
            for p in work.iterdir()
            if p.name not in {DOWNLOADS, *WORK_FOLDERS, *UPLOAD_FOLDERS} and not p.name.startswith("progress")
        )
        if work.is_dir()
        else []
    )
    return report


# -- messages for notebooks and Save buttons -------------------------------------------------------------------
def binder_notice() -> str:
    """The Binder warning text, or "" when not on Binder."""
    return BINDER_NOTICE if on_binder() else ""


def binder_notice_html() -> str:
    """The Binder warning as a message box, or ""."""
    return message_html(BINDER_NOTICE, "warning") if on_binder() else ""


def fresh_archive() -> Path:
    """A new archive of all the learner's work, replacing the older ones in `downloads/` (Binder's offer)."""
    path = export_my_work()
    for older in path.parent.glob("my-work-*.zip"):
        if older != path:
            older.unlink(missing_ok=True)
    return path


def after_save_html(paths: Sequence[str | os.PathLike], text: str | None = None) -> str:
    """What a Save button shows: a download link per saved file; on Binder, the warning and all work as one file.

    For a cell's output or an `Output` widget (JupyterLab resolves the links there), not an `HTML` widget.
    `paths` may be empty (a draft saved in the progress file): then only `text` (and Binder's offer) shows.
    """
    saved = ", ".join(Path(p).name for p in paths)
    head = escape_html(text if text is not None else f"Saved {saved}." if paths else "Saved.")
    links = " \u00b7 ".join(download_link_html(p) for p in paths)
    html = f'<div class="spw-saved">{head} {links}</div>'
    if on_binder():
        offer = download_link_html(fresh_archive(), "Download all my work (one file)")
        html += binder_notice_html() + f'<div class="spw-binder-offer">{offer}</div>'
    return html
