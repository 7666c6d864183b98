"""The ProcurCompEU framework (course/content/learning_procurcompeu.yaml) and the course's tags on it.

Each module and tool in `course/course.yml` carries `competences: [{id: C12, level: basic}, ...]` and each
self-check question in `course/quizzes/moduleNN.yaml` carries `competences: [C12, ...]` (the level of a
question is its module's level for that competence). The checks here run when those files are loaded, so a
wrong id or level is reported with the file, the module or question, and the ids that exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from helpers.core import content

FRAMEWORK = "learning_procurcompeu"


@dataclass(frozen=True)
class Competence:
    id: str
    number: int
    name: str
    group: str
    status: str
    source: str


def framework() -> dict:
    """The whole framework file: title, licence, levels, groups and the 30 competences."""
    return content.content_file(FRAMEWORK)


def competences() -> tuple[Competence, ...]:
    """The 30 competences in the framework's order."""
    return tuple(
        Competence(str(i["id"]), int(i["number"]), str(i["name"]), str(i["group"]), i["status"], i["source"])
        for i in content.items(FRAMEWORK)
    )


def competence_ids() -> tuple[str, ...]:
    return tuple(c.id for c in competences())


def levels() -> tuple[str, ...]:
    """The level ids from lowest to highest ("basic" … "expert")."""
    return tuple(level["id"] for level in sorted(framework()["levels"], key=lambda level: level["rank"]))


def level_name(level: str) -> str:
    return {lv["id"]: lv["name"] for lv in framework()["levels"]}.get(level, level)


def level_rank(level: str) -> int:
    return {lv["id"]: int(lv["rank"]) for lv in framework()["levels"]}[level]


def licence_line() -> str:
    """The attribution to show wherever the framework's names are shown."""
    return " ".join(str(framework()["attribution"]).split())


def _ids_hint() -> str:
    ids = competence_ids()
    return f"{ids[0]}…{ids[-1]}"


def tag_problems(tags: Any, where: str, *, with_level: bool, required: bool = False) -> list[str]:
    """Problems with one `competences:` list (an empty list when it is fine).

    With `with_level` (course.yml) each tag is `{id, level}`; without (quiz files) each tag is an id.
    A missing list is a problem only when `required` (the shipped course; a trainer's own quiz may have none)."""
    if tags is None and not required:
        return []
    if not isinstance(tags, list) or not tags:
        return [f"{where} has no `competences` (a list of ProcurCompEU ids such as C12)"]
    known, known_levels, problems = set(competence_ids()), levels(), []
    for tag in tags:
        if with_level:
            if not isinstance(tag, dict) or set(tag) != {"id", "level"}:
                problems.append(f"{where}: each competence tag needs exactly `id` and `level`, not {tag!r}")
                continue
            cid, level = str(tag["id"]), tag["level"]
            if level not in known_levels:
                problems.append(f"{where}: level {level!r} of {cid} is not one of {', '.join(known_levels)}")
        else:
            cid = str(tag)
        if cid not in known:
            problems.append(f"{where}: {cid!r} is not a ProcurCompEU competence id ({_ids_hint()})")
    return problems


def course_tag_problems(data: dict, *, required: bool = False) -> list[str]:
    """Problems with the competence tags of course.yml's modules and tools."""
    problems: list[str] = []
    for m in data.get("modules") or []:
        if not isinstance(m, dict):
            continue
        where = f"module {m.get('number')}"
        problems += tag_problems(m.get("competences"), where, with_level=True, required=required)
        tools = m.get("tools") or []
        if not isinstance(tools, list):
            problems.append(f"{where}: `tools` must be a list")
            continue
        for tool in tools:
            if not isinstance(tool, dict) or not tool.get("key") or not tool.get("title"):
                problems.append(f"{where}: each tool needs a `key` (its name in the progress store) and a `title`")
                continue
            problems += tag_problems(
                tool.get("competences"), f"{where}, tool {tool['key']}", with_level=True, required=required
            )
    return problems


def quiz_tag_problems(data: dict, *, required: bool = False) -> list[str]:
    """Problems with the competence tags of a quiz file's questions."""
    return [
        problem
        for q in data.get("questions") or []
        if isinstance(q, dict)
        for problem in tag_problems(
            q.get("competences"), f"question {q.get('id')}", with_level=False, required=required
        )
    ]
