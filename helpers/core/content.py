"""Course content kept as data: sourced facts, rules and cases in `course/content/*.yaml`.

Each file has a `title`, the `fields` every item must have, and `items`; every
item also carries its `source` and a `status` (`verified`, `unverified` or
`course design`), so a learner-facing figure can always say where it comes from.
Files are loaded once, checked against that shape, and a broken file is
reported with its name and the item, never half-used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from helpers.core.errors import LearnerError
from helpers.core.paths import PACKAGE_DIR, course_dir

STATUSES = ("verified", "unverified", "course design")


def content_dir() -> Path:
    """`course/content` of the course root; if that root has none (a trainer's folder with only
    quizzes, a test fixture), the one beside the package in a source checkout or editable install.
    An installed package without a course folder has none: a plain message says where to run from."""
    here = course_dir() / "content"
    if here.is_dir():
        return here
    beside = PACKAGE_DIR.parent / "course" / "content"
    if beside.is_dir():
        return beside
    raise LearnerError(
        f"the course's content files (course/content) are not in {course_dir().parent}",
        fix="Open the notebook from the course folder (the one with notebooks/ and course/), or set SPW_ROOT to it",
    )


def validate_content(data: Any) -> list[str]:
    """Problems with a content file's shape (an empty list when it is fine)."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list) or not data.get("title"):
        return ["a content file needs a `title`, a list of `fields` and a list of `items`"]
    fields = data.get("fields") or []
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return ["`fields` must be a list of field names"]
    problems: list[str] = []
    ids: set[Any] = set()
    for number, item in enumerate(data["items"], start=1):
        if not isinstance(item, dict):
            problems.append(f"item {number} is not a mapping")
            continue
        where = f"item {number}" + (f" ({item['id']})" if "id" in item else "")
        missing = [f for f in [*fields, "source", "status"] if f not in item]
        if missing:
            problems.append(f"{where} has no {', '.join('`' + m + '`' for m in missing)}")
        if item.get("status") not in STATUSES:
            problems.append(f"{where}: status must be one of {', '.join(STATUSES)}")
        if not str(item.get("source") or "").strip():
            problems.append(f"{where}: the source is empty")
        if "id" in item:
            if item["id"] in ids:
                problems.append(f"{where}: the id is used twice")
            ids.add(item["id"])
    return problems


@cache
def _load(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LearnerError(
            "this course content file is missing", file=str(path), fix="Restore it from the course repository"
        ) from None
    except yaml.YAMLError as exc:
        raise LearnerError(f"the content file is not valid YAML ({exc})", file=str(path)) from exc
    problems = validate_content(data)
    if problems:
        raise LearnerError("; ".join(problems), file=str(path))
    return data


def content_file(name: str) -> dict:
    """The whole content file `course/content/<name>.yaml` (title, fields, items, and any notes)."""
    return _load(content_dir() / f"{name}.yaml")


def items(name: str) -> list[dict]:
    """The items of a content file, each with its source and status (copies: safe to change)."""
    return [dict(item) for item in content_file(name)["items"]]


def table(name: str) -> pd.DataFrame:
    """The items of a content file as a table, in file order."""
    return pd.DataFrame(items(name))


def by_id(name: str) -> dict[Any, dict]:
    """The items of a content file keyed by their `id`."""
    return {item["id"]: item for item in items(name)}


def all_content() -> dict[str, dict]:
    """Every content file by name (for checks over all sourced content)."""
    return {path.stem: _load(path) for path in sorted(content_dir().glob("*.yaml"))}
