"""What the learner did in the workbench, kept across kernel restarts.

After each step the learner takes (confirming a mapping, loading the course data, a filter, the
levels, a split supplier group) the widget stores `session_of(workbench)` in the progress store
(tool "spend-workbench"). When the notebook is opened again, `reopen` analyses the learner's last
ledger again with the same mapping, register, geography table, levels, groups and filters, and
says so; when it cannot (the file was moved, a column renamed), it raises a `LearnerError` that
says plainly why, and the workbench shows the course city instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.spend.widgets.workbench_state import Workbench

TOOL = "spend-workbench"


def session_of(wb: Workbench) -> dict:
    """The workbench's source and settings, JSON-able (nothing for an analysis not yet made)."""
    source = dict(wb.source)
    if source.get("kind") != "file":
        return {"kind": "course", "city": source.get("city"), "year": source.get("year")} if source else {}
    return {
        **source,
        "mapping": dict(wb.mapping),
        "register": str(wb.register_path) if wb.register_path else "",
        "register_label": wb.register_label,
        "register_not_kept": wb.register is not None and wb.register_path is None,
        "geography": wb.geography_choice,
        "home_country": wb.home_country or "",
        "local": wb.levels.local,
        "regional": wb.levels.regional,
        "overrides": dict(wb.overrides),
        "filters": dict(wb.filters),
    }


def reopen(wb: Workbench, saved: dict, progress: Callable[[str, float], None] | None = None) -> str:
    """Analyse the learner's last ledger again with its settings; what was restored, in words.

    Raises `LearnerError` (saying why) when the ledger cannot be reopened; a register or geography
    table that has gone is left out, and the message says so."""
    path = Path(str(saved.get("path", "")))
    name = saved.get("name") or path.name
    if not path.is_file():
        raise LearnerError(
            f"your last ledger, {name}, is no longer at {path}",
            fix="Upload it again, or put it back in my_data/ and choose it; the course city is shown meanwhile",
        )
    missing: list[str] = []
    register = saved.get("register") or ""
    if register and Path(register).is_file():
        wb.use_register(Path(register), saved.get("register_label") or Path(register).name)
    else:
        wb.use_register(None)
        if register or saved.get("register_not_kept"):
            missing.append(f"the supplier register {saved.get('register_label') or register} (choose it again)")
    geography = saved.get("geography") or ""
    if geography.startswith("city:"):
        wb.use_geography(geography[5:], saved.get("home_country") or None)
    elif geography and Path(geography).is_file():
        wb.use_geography(Path(geography), saved.get("home_country") or None)
    else:
        wb.use_geography(None)
        if geography:
            missing.append(f"the geography table {Path(geography).name} (choose it again)")
    try:
        wb.load_ledger(path, dict(saved.get("mapping") or {}) or None, progress=progress)
    except LearnerError as exc:
        why = str(exc).rstrip(".")
        raise LearnerError(
            f"your last ledger, {name}, could not be analysed again with the mapping you confirmed ({why})",
            fix="Upload it again and check the mapping; the course city is shown meanwhile",
        ) from exc
    restored = ["your mapping"]
    if saved.get("local") in wb.levels.levels and saved.get("regional") in wb.levels.levels:
        wb.set_levels(saved["local"], saved["regional"])
        restored.append("levels")
    splits = [n for n in saved.get("overrides", {}) if n in set(wb.payments["supplier"].astype("str"))]
    for split in splits:
        wb.split_off(split)
    if splits:
        restored.append(f"{len(splits)} split supplier group(s)")
    options = wb.filter_options()
    kept = {k: v for k, v in (saved.get("filters") or {}).items() if k in options and v in options[k]}
    wb.set_filters(**kept)
    restored.append("filters (" + wb.filter_text() + ")")
    if wb.register is not None:
        restored.append(f"the register {wb.register_label}")
    if wb.geography is not None:
        restored.append(f"the geography table {wb.geography_label}")
    text = f"Reopened on your last ledger, {name}, with {', '.join(restored)}."
    if missing:
        text += " Not found, so left out: " + "; ".join(missing) + "."
    return text
