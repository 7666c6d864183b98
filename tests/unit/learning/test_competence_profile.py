"""The ProcurCompEU competence profile: tags on the course, the profile from work done, export, team view."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
import yaml

from helpers.__main__ import main
from helpers.core.content import content_file
from helpers.core.errors import LearnerError
from helpers.core.paths import course_dir
from helpers.core.safety import restore_formula
from helpers.learning import competences as fw
from helpers.learning.competence_profile import (
    MAX_PROFILE_BYTES,
    NO_EVIDENCE,
    SELF_KEY,
    competence_profile,
    profile_table,
    read_profile,
    team_view,
    team_view_from_files,
)
from helpers.learning.competence_widget import CompetenceProfileTool, export_profile, summary_text
from helpers.learning.progress import ProgressStore

# A learner with two correct self-checks, one wrong one and one saved criteria draft (module 6).
PROGRESS = {
    "answers": {
        "m02-at-threshold": {"module": "02", "attempts": 1, "correct": True},  # C3, module 02 level basic
        "m06-lcc": {"module": "06", "attempts": 2, "correct": True},  # C5 and C15, module 06 level intermediate
        "m03-top300": {"module": "03", "attempts": 1, "correct": False},  # wrong: no evidence
    },
    "drafts": {"criteria": {"School meals": {"saved": "2026-12-01T10:00:00+00:00", "content": {}}}},  # C14, C5
    "settings": {},
}


def rows_by_id(profile: dict) -> dict[str, dict]:
    return {r["id"]: r for r in profile["competences"]}


# -- the framework and the tags ---------------------------------------------------------------------------------
def test_framework_has_30_competences_in_six_clusters_four_levels_and_its_licence():
    comps = fw.competences()
    assert len(comps) == 30 and [c.number for c in comps] == list(range(1, 31))
    assert [c.id for c in comps][:3] == ["C1", "C2", "C3"] and comps[2].name == "Legislation"
    groups = [c.group for c in comps]
    assert {g: groups.count(g) for g in dict.fromkeys(groups)} == {
        "horizontal": 9,
        "pre-award": 6,
        "post-award": 4,
        "personal": 4,
        "people": 3,
        "performance": 4,
    }
    assert fw.levels() == ("basic", "intermediate", "advanced", "expert")
    data = content_file("learning_procurcompeu")
    assert data["licence"] == "CC BY 4.0" and "creativecommons.org/licenses/by/4.0" in data["licence_url"]
    assert data["framework_url"].startswith("https://ec.europa.eu/info/policies/public-procurement/")
    assert "CC BY 4.0" in fw.licence_line() and "course design" in fw.licence_line()
    # names not yet compared with the Commission's matrix stay marked so (never silently "verified")
    assert all(c.status in {"verified", "unverified"} and c.source for c in comps)


def test_every_module_tool_and_self_check_is_tagged():
    data = yaml.safe_load((course_dir() / "course.yml").read_text(encoding="utf-8"))
    assert fw.course_tag_problems(data, required=True) == []
    tools = [t for m in data["modules"] for t in m["tools"]]
    assert len(tools) == 20 and all(t["competences"] for t in tools)
    questions = 0
    for path in sorted((course_dir() / "quizzes").glob("module*.yaml")):
        quiz = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert fw.quiz_tag_problems(quiz, required=True) == [], path.name
        questions += len(quiz["questions"])
    assert questions == 67


def test_a_wrong_id_or_level_gives_a_clear_message():
    data = copy.deepcopy(yaml.safe_load((course_dir() / "course.yml").read_text(encoding="utf-8")))
    data["modules"][3]["competences"][0] = {"id": "C31", "level": "guru"}
    data["modules"][6]["tools"][0]["competences"] = [{"id": "C5"}]
    problems = fw.course_tag_problems(data)
    assert "module 03: level 'guru' of C31 is not one of basic, intermediate, advanced, expert" in problems
    assert "module 03: 'C31' is not a ProcurCompEU competence id (C1…C30)" in problems
    assert any(
        p.startswith("module 06, tool criteria: each competence tag needs exactly `id` and `level`") for p in problems
    )
    assert fw.quiz_tag_problems({"questions": [{"id": "q1", "competences": ["C0"]}]}) == [
        "question q1: 'C0' is not a ProcurCompEU competence id (C1…C30)"
    ]
    # a trainer's own quiz without tags still loads; the shipped course must have them (test above)
    assert fw.quiz_tag_problems({"questions": [{"id": "q1"}]}) == []
    assert fw.quiz_tag_problems({"questions": [{"id": "q1"}]}, required=True) == [
        "question q1 has no `competences` (a list of ProcurCompEU ids such as C12)"
    ]


def test_a_quiz_file_with_a_wrong_competence_is_refused_on_load(tmp_path, monkeypatch):
    from helpers.learning import selfcheck

    folder = tmp_path / "course" / "quizzes"
    folder.mkdir(parents=True)
    (folder / "module09.yaml").write_text(
        "module: '09'\ntitle: t\nquestions:\n  - {id: q9, type: single, prompt: p, options: [a, b], answer: 0, "
        "hints: [h], explanation: e, competences: [C99]}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(selfcheck, "quiz_dir", lambda: folder)
    with pytest.raises(LearnerError, match=r"module09.yaml: question q9: 'C99' is not a ProcurCompEU competence id"):
        selfcheck.load_quiz("09")


# -- the profile ------------------------------------------------------------------------------------------------
def test_two_correct_self_checks_and_one_draft_give_evidence_for_exactly_those_competences():
    profile = competence_profile(PROGRESS, learner="Ana")
    rows = rows_by_id(profile)
    with_evidence = {cid: (r["evidence_count"], r["highest_level"]) for cid, r in rows.items() if r["evidence_count"]}
    assert with_evidence == {
        "C3": (1, "basic"),  # m02-at-threshold, module 02 tags Legislation at basic
        "C5": (2, "intermediate"),  # m06-lcc + the criteria draft
        "C14": (1, "intermediate"),  # the criteria draft
        "C15": (1, "intermediate"),  # m06-lcc
    }
    assert [e["what"] for e in rows["C5"]["evidence"]] == [
        "self-check m06-lcc answered correctly",
        "saved draft in The criteria builder (saved criteria drafts): 'School meals'",
    ]
    assert rows["C1"]["highest_level"] is None and rows["C1"]["evidence"] == []
    table = profile_table(profile)
    assert (table["highest level evidenced"] == NO_EVIDENCE).sum() == 26
    assert "0" not in set(table["highest level evidenced"])
    assert (
        table.loc[table["competence"] == "5. Sustainable procurement", "highest level evidenced"].item()
        == "Intermediate"
    )
    assert profile["learner"] == "Ana" and "CC BY 4.0" in profile["licence"]
    assert summary_text(profile).startswith("Evidence from your work for 4 of the 30 ProcurCompEU competences")


def test_a_completed_module_and_saved_settings_count_and_self_report_stays_apart():
    progress = {
        "answers": {"m00-own-data": {"correct": True}, "m00-cycle": {"correct": True}},
        "drafts": {},
        "settings": {"simulator": {"price_weight": 40}, SELF_KEY: {"C26": "expert", "C1": "guru", "C99": "basic"}},
    }
    rows = rows_by_id(competence_profile(progress))
    # module 00 completed: its tags C4 and C20 at basic; m00-own-data adds C4 and C23; m00-cycle C2
    assert (rows["C4"]["evidence_count"], rows["C20"]["evidence_count"]) == (2, 1)
    assert [e["kind"] for e in rows["C20"]["evidence"]] == ["module completed"]
    # the simulator's saved settings: C15 and C21 at intermediate
    assert rows["C15"]["highest_level"] == "intermediate" and rows["C21"]["evidence"][0]["kind"] == "saved work"
    # self-reported: shown apart, never evidence; unknown ids and levels dropped
    assert rows["C26"]["self_reported_level"] == "expert" and rows["C26"]["evidence_count"] == 0
    assert rows["C26"]["highest_level"] is None and rows["C1"]["self_reported_level"] is None


def test_an_empty_store_has_no_evidence_anywhere():
    profile = competence_profile({"answers": {}, "drafts": {}, "settings": {}})
    assert all(r["highest_level"] is None and r["evidence_count"] == 0 for r in profile["competences"])
    assert summary_text(profile).startswith("No evidence yet for any of the 30")


# -- export and team view ---------------------------------------------------------------------------------------
def test_export_writes_json_and_a_csv_with_formulas_neutralised(tmp_path):
    progress = copy.deepcopy(PROGRESS)
    progress["drafts"]["criteria"] = {'=HYPERLINK("http://x")': {"saved": "", "content": {}}}
    paths = export_profile(competence_profile(progress, learner="=cmd"), folder=tmp_path)
    assert [p.suffix for p in paths] == [".json", ".csv"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["learner"] == "=cmd"
    rows = list(csv.DictReader(io.StringIO(paths[1].read_text(encoding="utf-8"))))
    c14 = next(r for r in rows if r["competence"] == "14. Tender documentation")
    # the draft name sits inside the evidence text; the learner's name and every cell start harmlessly
    assert c14["evidence"].startswith("saved draft in The criteria builder") and "'=HYPERLINK" in c14["evidence"]
    assert {r["learner"] for r in rows} == {"'=cmd"}  # neutralised: a spreadsheet shows it as text
    assert restore_formula(rows[0]["learner"]) == "=cmd"
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())
    ana = next(r for r in rows if r["competence"] == "3. Legislation")
    assert (
        ana["highest level evidenced"] == "Basic"
        and ana["evidence"] == "self-check m02-at-threshold answered correctly"
    )
    assert restore_formula(c14["competence"]) == "14. Tender documentation"


def test_team_view_counts_learners_per_level(tmp_path):
    ana = competence_profile(PROGRESS, learner="Ana")
    ben = competence_profile({"answers": {"m02-at-threshold": {"correct": True}}, "drafts": {}, "settings": {}})
    eva = competence_profile({"answers": {}, "drafts": {}, "settings": {}})
    view = team_view([ana, ben, eva]).set_index("competence")
    assert view.loc["3. Legislation", ["Basic", "Intermediate", NO_EVIDENCE, "learners"]].tolist() == [2, 0, 1, 3]
    assert view.loc["5. Sustainable procurement", ["Basic", "Intermediate", NO_EVIDENCE]].tolist() == [0, 1, 2]
    assert view.loc["1. Planning", NO_EVIDENCE] == 3
    assert (view[["Basic", "Intermediate", "Advanced", "Expert", NO_EVIDENCE]].sum(axis=1) == 3).all()


def test_bad_files_are_named_and_left_out_never_a_traceback(tmp_path):
    good = export_profile(competence_profile(PROGRESS), folder=tmp_path)[0]
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"format": "something-else"}', encoding="utf-8")
    forged = json.loads(good.read_text(encoding="utf-8"))
    forged["competences"][0]["highest_level"] = "guru"
    (tmp_path / "forged.json").write_text(json.dumps(forged), encoding="utf-8")
    (tmp_path / "huge.json").write_bytes(b" " * (MAX_PROFILE_BYTES + 1))
    names = ["notes.csv", "other.json", "forged.json", "huge.json", "missing.json"]
    view, skipped = team_view_from_files([good, *(tmp_path / n for n in names)])
    assert view["learners"].iloc[0] == 1 and len(skipped) == 5
    assert skipped[0] == (
        "left out notes.csv: the file is not JSON text. Use the .json file of the export (not the .csv, not a "
        "spreadsheet)."
    )
    assert skipped[1].startswith("left out other.json: this is not a competence profile exported from the course")
    assert "the level 'guru' of C1 is not a ProcurCompEU level" in skipped[2]
    assert "huge.json: the file is larger than 1 MB, the most an exported profile is" in skipped[3]
    assert skipped[4] == "left out missing.json: there is no such file. Check the name and the folder."
    with pytest.raises(LearnerError, match="other.json"):
        read_profile(tmp_path / "other.json")
    with pytest.raises(LearnerError, match="it is not an ordinary file"):
        read_profile(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(LearnerError, match="deep.json: the file is not JSON text"):
        read_profile(deep)


def test_team_profile_command(tmp_path, capsys):
    one = export_profile(competence_profile(PROGRESS), folder=tmp_path / "a")[0]
    two = export_profile(competence_profile({"answers": {}, "drafts": {}, "settings": {}}), folder=tmp_path / "b")[0]
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    out_csv = tmp_path / "team.csv"
    assert main(["team-profile", str(one), str(two), str(tmp_path / "bad.json"), "--csv", str(out_csv)]) == 0
    out = capsys.readouterr().out
    assert "left out bad.json: the file is not JSON text." in out and "Team view of 2 learner(s)" in out
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    legislation = next(r for r in rows if r["competence"] == "3. Legislation")
    assert (legislation["Basic"], legislation[NO_EVIDENCE], legislation["learners"]) == ("1", "1", "2")
    assert main(["team-profile", str(tmp_path / "bad.json")]) == 2
    err = capsys.readouterr().err
    assert "no file could be read as a competence profile" in err and "Traceback" not in err


# -- the tool ---------------------------------------------------------------------------------------------------
def test_tool_saves_a_self_reported_view_and_exports_with_links(work_dir):
    store = ProgressStore(work_dir / "progress.json")
    store.record_answer("m02-at-threshold", "02", 1, True)
    tool = CompetenceProfileTool(store)
    assert "Evidence from your work for 1 of the 30" in tool.summary.value
    tool.competence.value, tool.level.value = "C26", "advanced"
    tool.save_own.click()
    assert store.load_settings(SELF_KEY) == {"C26": "advanced"}
    assert "Advanced" in tool.table.value and "Evidence from your work for 1 of the 30" in tool.summary.value
    tool.learner.value = "Ana"
    tool.export.click()
    assert "competence-profile-" in tool.links.html and ".json" in tool.links.html and ".csv" in tool.links.html
    exported = sorted((work_dir / "exports").glob("competence-profile-*.json"))
    assert len(exported) == 1 and read_profile(exported[0])["learner"] == "Ana"
    static = list(tool.static_view())
    assert "python -m helpers competence-profile --export" in static[-1].data
