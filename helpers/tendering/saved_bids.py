"""The learner's own bids kept in their work folder (`my_work/bids/`), so the simulator can reopen on
them after a kernel restart, and the lesson's own-bids parameter.

Bids are saved as a small CSV (bidder, price, quality), atomically, with text that a spreadsheet
would run as a formula neutralised. A save never overwrites a different file silently: the same
bids under the same name are found again, different bids get a new name (`bids-2.csv`) and the
caller says which. Reading a saved file goes through the same checks as an upload.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.paths import my_data_dir, my_work_dir, repo_root
from helpers.core.safety import atomic_write_bytes, neutralise_formula
from helpers.tendering.bids import choose_tender, example_bids, read_uploaded_bids, tender_bids, tender_info

BIDS_FOLDER = "bids"


def bids_folder() -> Path:
    """`my_work/bids/`, where uploaded bids are kept (created when needed)."""
    folder = my_work_dir() / BIDS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def bids_csv(bids: pd.DataFrame) -> bytes:
    """Bids as the CSV a learner would upload (bidder, price, quality), formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["bidder", "price", "quality"])
    for row in bids.itertuples(index=False):
        writer.writerow([neutralise_formula(str(row.bidder)), repr(float(row.price)), repr(float(row.quality_pct))])
    return out.getvalue().encode("utf-8")


def _safe_stem(name: str) -> str:
    stem = re.sub(r"[^0-9A-Za-z._-]+", "_", Path(str(name)).stem).strip("._") or "bids"
    return stem[:60]


def save_bids(bids: pd.DataFrame, name: str) -> tuple[Path, str]:
    """Keep `bids` in my_work/bids/ under (a safe form of) `name`; returns (the file, what happened in words).
    The same bids already saved under that name are reused; different bids never replace them."""
    data = bids_csv(bids)
    folder = bids_folder()
    stem = _safe_stem(name)
    target, number = folder / f"{stem}.csv", 1
    while target.exists():
        if target.read_bytes() == data:
            return target, f"already kept as {relative(target)}"
        number += 1
        target = folder / f"{stem}-{number}.csv"
    atomic_write_bytes(target, data)
    renamed = f" (a different {stem}.csv was kept already, so this is a new file)" if number > 1 else ""
    return target, f"kept a copy as {relative(target)}{renamed}"


def relative(path: Path) -> str:
    """A saved file's name as the learner sees it: my_work/bids/x.csv (or the full path elsewhere)."""
    try:
        return str(Path("my_work") / Path(path).relative_to(my_work_dir()))
    except ValueError:
        return str(path)


def saved_bids() -> list[Path]:
    """The bids files kept in my_work/bids/, newest first."""
    folder = my_work_dir() / BIDS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(folder.glob("*.csv"), key=lambda p: (-p.stat().st_mtime, p.name))


def load_saved_bids(name: str) -> pd.DataFrame:
    """A kept bids file by its name in my_work/bids/; LearnerError saying plainly why it cannot be used."""
    path = my_work_dir() / BIDS_FOLDER / Path(str(name)).name
    if not path.is_file():
        raise LearnerError(
            f"the bids you kept, {relative(path)}, are no longer there (deleted or moved)",
            fix="Upload the bids again",
        )
    with open(path, "rb") as handle:  # read only
        return read_uploaded_bids(path.name, handle.read())


def read_bids_path(path) -> pd.DataFrame:
    """A learner's bids CSV given as a path (as is, or inside my_data/ or the course folder), checked line
    by line like an upload; the file is only read."""
    given = Path(str(path)).expanduser()
    candidates = [given] if given.is_absolute() else [given, my_data_dir() / given, repo_root() / given]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise LearnerError(
            "this bids file does not exist" if not given.is_dir() else "this is a folder, not a bids file",
            file=str(path),
            fix="Check the name and folder (put your own files in my_data/)",
        )
    with open(found, "rb") as handle:  # read only: the source file is never changed
        return read_uploaded_bids(found.name, handle.read())


@dataclass
class EvaluationCase:
    """The bids a lesson studies: the learner's own (from a file), a featured tender's, or the brief's
    example; with the price weight to start from and what to call them. `problems` says why a
    learner's file could not be used (the tender or example is used instead)."""

    bids: pd.DataFrame
    label: str
    price_weight: float
    tender: str | None = None
    estimate: float | None = None
    own: bool = False
    city: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """What the lesson uses, in one or two sentences."""
        if self.own:
            text = (
                f"Using your bids from {self.label} ({len(self.bids)} bids), scored at a price weight of "
                f"{self.price_weight:g} (the price_weight parameter)."
            )
        elif self.tender:
            text = f"Using tender {self.tender} (published price weight {self.price_weight:g})."
        else:
            text = (
                f"{self.city.title()} has no featured tender with quality marks in the course data, so this "
                "notebook uses the course's example bids A and B (quality 60 points, price 40)."
            )
        return " ".join([*self.problems, text]).strip()


def evaluation_case(city: str, tender_id: str | None, bids_file=None, price_weight: float = 40) -> EvaluationCase:
    """The bids for module 6: the learner's `bids_file` if given and usable, else the city's featured
    tender, else the brief's example bids A and B. Never raises for a problem in the learner's file."""
    problems: list[str] = []
    if bids_file not in (None, ""):
        try:
            bids = read_bids_path(bids_file)
            return EvaluationCase(bids, Path(str(bids_file)).name, float(price_weight), own=True, city=city)
        except LearnerError as exc:
            problems.append(f"Your bids could not be used: {exc} The notebook goes on with the course's bids.")
    try:
        tender = choose_tender(city, tender_id)
    except LearnerError as exc:  # a city not in the course data: the brief's example, said so
        problems.append(f"{exc}")
        tender = None
    if tender:
        info = tender_info(tender)
        return EvaluationCase(
            tender_bids(tender),
            tender,
            float(info["price_weight"]),
            tender,
            info["estimated_value_eur"],
            city=city,
            problems=problems,
        )
    return EvaluationCase(example_bids(), "Course example bids A and B", 40.0, city=city, problems=problems)
