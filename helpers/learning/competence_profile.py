"""A learner's ProcurCompEU competence profile, built from the work actually done, and a trainer's team view.

Evidence comes from the progress store only (`helpers.learning.progress`), never from what a learner says:
- a **self-check answered correctly** counts for each competence the question is tagged with, at its module's
  level for that competence (`basic` where the module does not tag it);
- a **saved draft or saved settings** of a tool counts for each competence the tool is tagged with, at the
  tool's level (`tools:` in course/course.yml; a tool's `key` is its name in the progress store);
- a **module completed** (every self-check of the module answered correctly) counts for each of the
  module's competences at the module's level.
A competence without evidence says "no evidence yet", never a level of zero. A learner's own view of their
level ("self-reported", kept in the progress store's settings under `SELF_KEY`) is shown beside it, never
mixed into the evidence. The tags are course design; the framework is the Commission's (CC BY 4.0).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from helpers.core.errors import LearnerError
from helpers.core.limits import size_words
from helpers.core.paths import course_dir
from helpers.learning import competences as fw
from helpers.learning.selfcheck import quiz_dir

NO_EVIDENCE = "no evidence yet"
SELF_REPORTED = "self-reported"
SELF_KEY = "competence_self_assessment"  # progress-store settings key of the learner's own levels
FORMAT = "spw-competence-profile"
VERSION = 1
MAX_PROFILE_BYTES = 1_000_000  # an exported profile is a few KB; anything far larger is not one
MAX_TEAM_FILES = 500  # profiles one team view combines
MAX_EVIDENCE_PER_COMPETENCE = 500
MAX_LABEL = 80


@dataclass(frozen=True)
class Tags:
    """Where each piece of work counts: the course's competence tags, read from course.yml and the quizzes."""

    modules: Mapping[str, Mapping[str, str]]  # module number -> {competence id: level}
    tools: Mapping[str, tuple[str, str, Mapping[str, str]]]  # progress key -> (module, title, {id: level})
    questions: Mapping[str, tuple[str, tuple[str, ...]]]  # question id -> (module, competence ids)


def _levels(tags: Iterable[dict]) -> dict[str, str]:
    return {str(t["id"]): str(t["level"]) for t in tags or []}


def course_tags() -> Tags:
    """The course's tags (files checked on load by `helpers.learning.course` and `selfcheck`)."""
    data = yaml.safe_load((course_dir() / "course.yml").read_text(encoding="utf-8"))
    problems = fw.course_tag_problems(data)
    if problems:
        raise LearnerError("; ".join(problems), file=str(course_dir() / "course.yml"))
    modules, tools = {}, {}
    for m in data["modules"]:
        number = str(m["number"])
        modules[number] = _levels(m.get("competences"))
        for tool in m.get("tools") or []:
            tools[str(tool["key"])] = (number, str(tool["title"]), _levels(tool.get("competences")))
    questions = {}
    for path in sorted(quiz_dir().glob("module*.yaml")):
        quiz = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        problems = fw.quiz_tag_problems(quiz)
        if problems:
            raise LearnerError("; ".join(problems), file=str(path))
        for q in quiz.get("questions") or []:
            questions[str(q["id"])] = (str(quiz["module"]), tuple(str(c) for c in q.get("competences") or ()))
    return Tags(modules, tools, questions)


def _add(evidence: dict[str, list[dict]], cid: str, kind: str, what: str, module: str, level: str) -> None:
    if cid in evidence and len(evidence[cid]) < MAX_EVIDENCE_PER_COMPETENCE:
        evidence[cid].append({"kind": kind, "what": what, "module": module, "level": level})


def _self_reported(progress: Mapping[str, Any]) -> dict[str, str]:
    stored = (progress.get("settings") or {}).get(SELF_KEY) or {}
    known, levels = set(fw.competence_ids()), set(fw.levels())
    return {str(k): str(v) for k, v in stored.items() if k in known and v in levels} if isinstance(stored, dict) else {}


def competence_profile(progress: Mapping[str, Any], tags: Tags | None = None, *, learner: str = "") -> dict:
    """The learner's profile from their progress data (`store().data()`): per competence the evidence
    (which self-check, which saved work, which module completed), its count and the highest level
    evidenced, or "no evidence yet"; the self-reported level apart. A plain dict, ready for JSON."""
    tags = tags or course_tags()
    ids = fw.competence_ids()
    evidence: dict[str, list[dict]] = {cid: [] for cid in ids}
    answers = progress.get("answers") or {}
    correct = {qid for qid, a in answers.items() if isinstance(a, dict) and a.get("correct") is True}
    for qid in sorted(correct):
        if qid not in tags.questions:
            continue  # an answer to a question no longer in the course counts for nothing
        module, cids = tags.questions[qid]
        for cid in cids:
            _add(
                evidence,
                cid,
                "self-check",
                f"self-check {qid} answered correctly",
                module,
                tags.modules.get(module, {}).get(cid, "basic"),
            )
    for kind, section in (("saved draft", "drafts"), ("saved settings", "settings")):
        for key, saved in sorted((progress.get(section) or {}).items()):
            if key not in tags.tools or not saved:
                continue
            module, title, levels = tags.tools[key]
            names = sorted(saved) if section == "drafts" and isinstance(saved, dict) else [None]
            for name in names:
                what = f"{kind} in {title}" + (f": {str(name)[:MAX_LABEL]!r}" if name is not None else "")
                for cid, level in levels.items():
                    _add(evidence, cid, "saved work", what, module, level)
    for module, levels in sorted(tags.modules.items()):
        in_module = [q for q, (m, _) in tags.questions.items() if m == module]
        if in_module and all(q in correct for q in in_module):
            for cid, level in levels.items():
                _add(
                    evidence,
                    cid,
                    "module completed",
                    f"module {module}: every self-check answered correctly",
                    module,
                    level,
                )
    own = _self_reported(progress)
    rows = []
    for c in fw.competences():
        found = evidence[c.id]
        top = max((e["level"] for e in found), key=fw.level_rank, default=None)
        rows.append(
            {
                "id": c.id,
                "number": c.number,
                "name": c.name,
                "group": c.group,
                "name_status": c.status,
                "evidence_count": len(found),
                "highest_level": top,
                "evidence": found,
                "self_reported_level": own.get(c.id),
            }
        )
    return {
        "format": FORMAT,
        "version": VERSION,
        "learner": str(learner)[:MAX_LABEL],
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "framework": "ProcurCompEU",
        "licence": fw.licence_line(),
        "basis": "evidence from work done in the course (self-checks, saved work, modules completed); "
        "self-reported levels kept apart",
        "competences": rows,
    }


def level_text(level: str | None) -> str:
    """A level for people: "Intermediate", or "no evidence yet" (never 0)."""
    return fw.level_name(level) if level else NO_EVIDENCE


def profile_table(profile: Mapping[str, Any]) -> pd.DataFrame:
    """One row per competence, for the page and the CSV export."""
    return pd.DataFrame(
        [
            {
                "competence": f"{r['number']}. {r['name']}",
                "cluster": r["group"],
                "evidence (pieces of work)": r["evidence_count"],
                "highest level evidenced": level_text(r["highest_level"]),
                f"your own view ({SELF_REPORTED})": fw.level_name(r["self_reported_level"])
                if r.get("self_reported_level")
                else "",
                "evidence": "; ".join(e["what"] for e in r["evidence"]),
            }
            for r in profile["competences"]
        ]
    )


def profile_json(profile: Mapping[str, Any]) -> str:
    return json.dumps(profile, indent=1, ensure_ascii=False, allow_nan=False)


# -- the trainer's team view ----------------------------------------------------------------------------------
def _check_profile(data: Any, name: str) -> dict:
    def bad(why: str) -> LearnerError:
        return LearnerError(
            f"this is not a competence profile exported from the course ({why})",
            file=name,
            fix="Ask the learner to export it again from the start-here page (Your competence profile, Export)",
        )

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("it has no `format: " + FORMAT + "`")
    if data.get("version") != VERSION:
        raise bad(f"its version is {data.get('version')!r}, this course reads version {VERSION}")
    rows = data.get("competences")
    if not isinstance(rows, list):
        raise bad("it has no list of competences")
    known, levels = set(fw.competence_ids()), set(fw.levels())
    for row in rows:
        if not isinstance(row, dict) or row.get("id") not in known:
            raise bad(f"a competence id {row.get('id') if isinstance(row, dict) else row!r} is not ProcurCompEU's")
        if row.get("highest_level") not in levels | {None}:
            raise bad(f"the level {row.get('highest_level')!r} of {row['id']} is not a ProcurCompEU level")
        if not isinstance(row.get("evidence_count"), int) or row["evidence_count"] < 0:
            raise bad(f"the evidence count of {row['id']} is not a whole number")
    return data


def read_profile(path: str | Path) -> dict:
    """An exported profile, checked; a `LearnerError` naming the file for anything else."""
    source = Path(path)
    name = source.name
    if not source.exists():
        raise LearnerError("there is no such file", file=name, fix="Check the name and the folder")
    if not source.is_file():
        raise LearnerError("it is not an ordinary file", file=name, fix="Give the .json file the export wrote")
    too_big = LearnerError(
        f"the file is larger than {size_words(MAX_PROFILE_BYTES)}, the most an exported profile is",
        file=name,
        fix="Use the .json file the start-here page exported",
    )
    if source.stat().st_size > MAX_PROFILE_BYTES:
        raise too_big
    with open(source, "rb") as handle:
        raw = handle.read(MAX_PROFILE_BYTES + 1)
    if len(raw) > MAX_PROFILE_BYTES:
        raise too_big
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise LearnerError(
            "the file is not JSON text",
            file=name,
            fix="Use the .json file of the export (not the .csv, not a spreadsheet)",
        ) from None
    return _check_profile(data, name)


def team_view(profiles: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Per competence: how many learners have evidence at each highest level, and how many have none yet."""
    profiles = list(profiles)
    order = fw.levels()
    counts = {c.id: dict.fromkeys(order, 0) | {NO_EVIDENCE: 0} for c in fw.competences()}
    for p in profiles:
        seen = set()
        for row in p["competences"]:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            counts[row["id"]][row["highest_level"] or NO_EVIDENCE] += 1
        for cid in counts.keys() - seen:
            counts[cid][NO_EVIDENCE] += 1
    return pd.DataFrame(
        [
            {"competence": f"{c.number}. {c.name}", "cluster": c.group}
            | {fw.level_name(lv): counts[c.id][lv] for lv in order}
            | {NO_EVIDENCE: counts[c.id][NO_EVIDENCE], "learners": len(profiles)}
            for c in fw.competences()
        ]
    )


def team_view_from_files(paths: Iterable[str | Path]) -> tuple[pd.DataFrame, list[str]]:
    """The team view of every readable profile, and one plain message per file left out (never a traceback)."""
    paths = list(paths)
    skipped: list[str] = []
    if len(paths) > MAX_TEAM_FILES:
        skipped.append(f"only the first {MAX_TEAM_FILES} of {len(paths)} files were read")
        paths = paths[:MAX_TEAM_FILES]
    profiles = []
    for path in paths:
        try:
            profiles.append(read_profile(path))
        except LearnerError as exc:
            skipped.append(f"left out {exc}")
        except OSError as exc:
            skipped.append(f"left out {Path(path).name}: it cannot be read ({exc.strerror or 'no access'}).")
    return team_view(profiles), skipped
