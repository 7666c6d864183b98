"""The shape of the progress file, and how a damaged one is repaired instead of breaking every save.

A progress file is one JSON object:

    {"version": 1,
     "answers":  {question id: {"module": str, "attempts": int >= 0, "correct": bool,
                                "response": any JSON, "updated": str}},
     "drafts":   {tool: {draft name: {"saved": str, "content": any JSON}}},
     "settings": {tool: {setting: any JSON}}}

`repair` checks a loaded file against this shape part by part: a part of the wrong type (a list
where an object belongs, NaN or Infinity in a setting, nesting deeper than `MAX_DEPTH`) is left
out or set to a safe value, and the rest is kept; every change is described in words so the
learner can be told what was recovered. `read_store_text` reads the file itself, refusing
anything that is not an ordinary file of a sensible size.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

from helpers.core.limits import limits_for, size_words

FORMAT_VERSION = 1
SECTIONS = ("answers", "drafts", "settings")
MAX_DEPTH = limits_for("progress file").max_depth


class Unreadable(ValueError):
    """The progress file cannot be used at all (not JSON, not an object, too large): start afresh."""


def empty() -> dict[str, Any]:
    """A new, empty store."""
    return {"version": FORMAT_VERSION, "answers": {}, "drafts": {}, "settings": {}}


def read_store_text(path: Path) -> str:
    """The progress file's text; `Unreadable` if it is not an ordinary file within the size limit
    or not UTF-8 (a FIFO or a device is never opened, so it cannot hang the notebook)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise Unreadable("it is not an ordinary file")
    limit = limits_for("progress file").max_bytes
    if info.st_size > limit:
        raise Unreadable(f"it is {size_words(info.st_size)}, above the {size_words(limit)} a progress file may be")
    with open(path, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise Unreadable(f"it is above the {size_words(limit)} a progress file may be")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Unreadable("it is not UTF-8 text") from None


def _type_name(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a text", bool: "true/false", type(None): "null"}
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("inf", "Infinity").replace("nan", "NaN")
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def clean_json(value: Any, depth: int = 0) -> tuple[Any, bool]:
    """`value` with every NaN or ±Infinity replaced by null, and whether anything was; `Unreadable`
    deeper than `MAX_DEPTH` (no course tool nests that far)."""
    if depth > MAX_DEPTH:
        raise Unreadable(f"it is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, float) and not math.isfinite(value):
        return None, True
    if isinstance(value, dict):
        changed, out = False, {}
        for key, item in value.items():
            out[str(key)], was = clean_json(item, depth + 1)
            changed |= was or not isinstance(key, str)
        return out, changed
    if isinstance(value, (list, tuple)):
        changed, out_list = False, []
        for item in value:
            cleaned, was = clean_json(item, depth + 1)
            out_list.append(cleaned)
            changed |= was
        return out_list, changed
    return value, False


def _answers(section: dict, problems: list[str]) -> dict:
    kept = {}
    for qid, entry in section.items():
        if not isinstance(entry, dict):
            problems.append(f"the answer to {qid!r} was {_type_name(entry)}, not a record, and was left out")
            continue
        fixed = dict(entry)
        attempts = fixed.get("attempts")
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
            problems.append(f"the number of attempts at {qid!r} was unusable and was set to 1")
            fixed["attempts"] = 1
        if not isinstance(fixed.get("correct"), bool):
            problems.append(f"whether {qid!r} was answered correctly was unusable and was set to 'not yet'")
            fixed["correct"] = False
        if not isinstance(fixed.get("module", ""), str):
            fixed["module"] = str(fixed["module"])
        try:
            fixed, nan = clean_json(fixed)
        except Unreadable:
            problems.append(f"the answer to {qid!r} was nested too deeply and was left out")
            continue
        if nan:
            problems.append(f"the answer to {qid!r} held NaN or Infinity, now empty")
        kept[qid] = fixed
    return kept


def _drafts(section: dict, problems: list[str]) -> dict:
    kept = {}
    for tool, drafts in section.items():
        if not isinstance(drafts, dict):
            problems.append(
                f"the drafts of the {tool} tool were {_type_name(drafts)}, not named drafts, and were left out"
            )
            continue
        kept[tool] = {}
        for name, draft in drafts.items():
            if not isinstance(draft, dict) or "content" not in draft:
                problems.append(f"the draft {name!r} of the {tool} tool was unusable and was left out")
                continue
            try:
                cleaned, nan = clean_json(draft)
            except Unreadable:
                problems.append(f"the draft {name!r} of the {tool} tool was nested too deeply and was left out")
                continue
            if nan:
                problems.append(f"the draft {name!r} of the {tool} tool held NaN or Infinity, now empty values")
            if not isinstance(cleaned.get("saved", ""), str):
                cleaned["saved"] = ""
            kept[tool][name] = cleaned
    return kept


def _settings(section: dict, problems: list[str]) -> dict:
    kept = {}
    for tool, settings in section.items():
        if not isinstance(settings, dict):
            problems.append(
                f"the settings of the {tool} tool were {_type_name(settings)}, not settings, and were left out"
            )
            continue
        kept[tool] = {}
        for key, value in settings.items():
            try:
                cleaned, nan = clean_json(value)
            except Unreadable:
                nan, cleaned = True, None
            if nan:  # a setting is one value: a NaN in it makes it unusable, so it is left out
                problems.append(f"the {tool} tool's setting {key!r} was {_type_name(value)} and was left out")
                continue
            kept[tool][key] = cleaned
    return kept


def repair(data: Any) -> tuple[dict[str, Any], list[str]]:
    """The store with every unusable part left out or set to a safe value, and what was changed
    (in words; empty when the file was sound). `Unreadable` when nothing in it can be used."""
    if not isinstance(data, dict):
        raise Unreadable(f"it holds {_type_name(data)}, not a progress store")
    problems: list[str] = []
    store = dict(data)
    version = store.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        if "version" in store:
            problems.append(f"its version was {_type_name(version)} and was set to {FORMAT_VERSION}")
        store["version"] = FORMAT_VERSION
    for name, check in (("answers", _answers), ("drafts", _drafts), ("settings", _settings)):
        section = store.get(name, {})
        if not isinstance(section, dict):
            problems.append(f"all {name} were {_type_name(section)}, not a record, and were left out")
            section = {}
        store[name] = check(section, problems)
    for key in [k for k in store if k not in ("version", *SECTIONS)]:
        try:
            store[key], nan = clean_json(store[key])
        except Unreadable:
            problems.append(f"the part {key!r} was nested too deeply and was left out")
            del store[key]
            continue
        if nan:
            problems.append(f"the part {key!r} held NaN or Infinity, now empty")
    return store, problems
