"""OCDS import: package shapes, merging, tolerant reading, clear errors; and the real ProZorro files,
checked against counts computed here directly with the json module."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.preprocurement.ocds import BID_COLUMNS, read_ocds
from helpers.preprocurement.red_flags import tender_flags


def release(ocid="ocds-x-1", date="2025-01-01T10:00:00Z", **tender):
    body = {
        "id": "t1",
        "title": "Дитячий майданчик",
        "status": "active",
        "procurementMethod": "open",
        "value": {"amount": 1000.0, "currency": "UAH"},
        "tenderPeriod": {"startDate": "2025-01-02T09:00:00+02:00", "endDate": "2025-01-12T09:00:00+02:00"},
        "items": [{"classification": {"scheme": "CPV", "id": "37535200-9"}}],
    }
    body.update(tender)
    return {"ocid": ocid, "id": f"{ocid}-{date}", "date": date, "tag": ["tender"], "tender": body}


def write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def bid(name, amount, status="valid", ident=None):
    return {
        "id": name,
        "status": status,
        "value": {"amount": amount, "currency": "UAH"},
        "tenderers": [{"name": name, "identifier": {"scheme": "UA-EDR", "id": ident or name}}],
    }


def test_release_package_merges_releases_in_date_order(tmp_path):
    later = release(date="2025-02-01T00:00:00Z", status="complete")
    later["awards"] = [
        {
            "id": "a1",
            "status": "active",
            "date": "2025-02-01T00:00:00Z",
            "suppliers": [{"id": "UA-EDR-2", "name": "ТОВ «Б»"}],
        }
    ]
    later["bids"] = {
        "details": [
            bid("ТОВ «А»", 900.0, ident="1"),
            bid("ТОВ «Б»", 950.0, ident="2"),
            bid("В", 990.0, status="disqualified", ident="3"),
        ]
    }
    package = {"uri": "x", "publisher": {"name": "p"}, "releases": [later, release()]}  # out of order on purpose
    tenders, bids, issues = read_ocds(write(tmp_path, "package.json", package))
    row = tenders.iloc[0]
    assert (row["tender_id"], row["status"], row["currency"], row["title"]) == (
        "ocds-x-1",
        "complete",
        "UAH",
        "Дитячий майданчик",
    )  # later status wins, Cyrillic kept
    assert (row["submission_deadline"] - row["publication_date"]).days == 10
    assert row["estimated_value_eur"] == 1000.0  # never converted
    assert (row["number_of_tenderers"], row["number_of_tenderers_from"]) == (3, "bids.details")
    assert str(row["award_date"].date()) == "2025-02-01"
    assert list(bids.columns) == BID_COLUMNS
    assert bids["winner"].tolist() == [False, True, False]
    assert bids["status"].tolist() == ["valid", "valid", "disqualified"]
    assert issues == []


def test_record_package_uses_compiled_release_and_bare_record_merges_releases(tmp_path):
    compiled = release("ocds-x-2", status="cancelled", numberOfTenderers=4)
    record_package = {"records": [{"ocid": "ocds-x-2", "releases": [{"url": "http://x"}], "compiledRelease": compiled}]}
    bare_record = {
        "ocid": "ocds-x-3",
        "releases": [
            release("ocds-x-3", "2025-03-01T00:00:00Z", status="complete"),
            release("ocds-x-3", "2025-01-01T00:00:00Z", status="active"),
        ],
    }
    tenders, _, _ = read_ocds([write(tmp_path, "rp.json", record_package), write(tmp_path, "r.json", bare_record)])
    assert tenders.set_index("tender_id")["status"].to_dict() == {"ocds-x-2": "cancelled", "ocds-x-3": "complete"}
    assert tenders.set_index("tender_id").loc["ocds-x-2", "number_of_tenderers"] == 4


def test_missing_values_limited_procedure_and_lists(tmp_path):
    limited = release("ocds-x-4", procurementMethod="limited", tenderPeriod=None, value=None, items=[])
    no_period = release("ocds-x-5")
    del no_period["tender"]["tenderPeriod"]
    with_tenderers = release("ocds-x-6", tenderers=[{"id": "a"}, {"id": "b"}, {"id": "a"}])
    tenders, bids, issues = read_ocds(write(tmp_path, "list.json", [limited, no_period, with_tenderers]))
    t = tenders.set_index("tender_id")
    assert t.loc["ocds-x-4", "procedure"] == "limited" and pd.isna(t.loc["ocds-x-4", "estimated_value_eur"])
    assert pd.isna(t.loc["ocds-x-4", "number_of_tenderers"]) and pd.isna(t.loc["ocds-x-4", "cpv_code"])
    assert pd.isna(t.loc["ocds-x-5", "submission_deadline"])
    assert issues == ["list.json: ocds-x-5 has no tenderPeriod end date, so its submission period is unknown"]
    assert (t.loc["ocds-x-6", "number_of_tenderers"], t.loc["ocds-x-6", "number_of_tenderers_from"]) == (2, "tenderers")
    assert bids.empty
    flags = tender_flags(tenders, bids).set_index("tender_id")
    assert not flags.loc["ocds-x-5", "R003"]  # unknown period is not flagged


def test_selective_becomes_restricted_and_planning_only_is_skipped(tmp_path):
    planning = {"ocid": "ocds-x-8", "date": "2025-01-01", "tag": ["planning"], "planning": {"budget": {}}}
    tenders, _, issues = read_ocds(
        write(tmp_path, "p.json", [release("ocds-x-7", procurementMethod="selective"), planning])
    )
    assert tenders["procedure"].tolist() == ["restricted"]
    assert issues == ["p.json: ocds-x-8 has no tender section (planning only?), so it was skipped"]


def test_not_json_and_not_ocds_name_the_file(tmp_path):
    notes = tmp_path / "notes.json"
    notes.write_text("hello", encoding="utf-8")
    with pytest.raises(LearnerError, match="notes.json.*not valid JSON"):
        read_ocds(notes)
    with pytest.raises(LearnerError, match="table.json.*not OCDS"):
        read_ocds(write(tmp_path, "table.json", {"rows": [1, 2]}))
    with pytest.raises(LearnerError, match="numbers.json.*not OCDS"):
        read_ocds(write(tmp_path, "numbers.json", [1, 2]))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LearnerError, match="no .json files"):
        read_ocds(empty)


# -- real ProZorro files -------------------------------------------------------------------------------
def _raw(folder: Path) -> list[dict]:
    """The tender section of each process, read directly: a record's compiledRelease, or the release."""
    out = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(data["compiledRelease"] if "compiledRelease" in data else data)
    return out


@pytest.mark.realdata
@pytest.mark.parametrize("sub", ["records", "releases"])
def test_real_prozorro_counts(real_data_dir, sub):
    folder = real_data_dir / "ocds_ukraine_prozorro" / sub
    raw = _raw(folder)
    tenders, bids, _ = read_ocds(folder)
    assert len(tenders) == len({r["ocid"] for r in raw}) == 11
    single = sum(1 for r in raw if r["tender"].get("numberOfTenderers") == 1)
    assert (tenders["number_of_tenderers"] == 1).sum() == single == 2
    assert set(tenders["currency"]) == {r["tender"]["value"]["currency"] for r in raw} == {"UAH"}
    assert set(tenders["procurement_method"]) == {r["tender"]["procurementMethod"] for r in raw} == {"open", "limited"}
    assert len(bids) == sum(len(r.get("bids", {}).get("details", [])) for r in raw)
    assert bids["winner"].sum() == sum(
        1 for r in raw for a in r.get("awards", []) if a["status"] == "active" and r.get("bids")
    )
    assert set(tenders["status"]) == {r["tender"]["status"] for r in raw}


@pytest.mark.realdata
def test_real_records_and_releases_agree(real_data_dir):
    base = real_data_dir / "ocds_ukraine_prozorro"
    rec, rec_bids, _ = read_ocds(base / "records")
    rel, rel_bids, _ = read_ocds(base / "releases")
    assert rec["tender_id"].tolist() == rel["tender_id"].tolist()
    assert rec["number_of_tenderers"].equals(rel["number_of_tenderers"])
    assert rec_bids[["tender_id", "price_eur", "winner"]].equals(rel_bids[["tender_id", "price_eur", "winner"]])


@pytest.mark.realdata
def test_health_check_cli_on_real_ocds(real_data_dir, capsys):
    from helpers.__main__ import main

    assert main(["health-check", "--ocds", str(real_data_dir / "ocds_ukraine_prozorro" / "records"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # 6 open tenders, all with 1-8 day periods: each is R003; 2 single bids; Ukraine is outside the EU
    flags = {f["flag"]: f for f in out["flags"]}
    assert (out["tenders"], out["flagged"], flags["R003"]["flagged"], flags["R018"]["flagged"]) == (11, 6, 6, 2)
    assert flags["below_legal_minimum"]["applicable"] == 0 and flags["below_legal_minimum"]["flagged"] is None


def test_health_check_cli_errors(tmp_path, capsys):
    from helpers.__main__ import main

    assert main(["health-check", "only_one.csv"]) == 2
    assert capsys.readouterr().err.startswith("error: give two CSV files")
    bad = write(tmp_path, "bad.json", {"hello": 1})
    assert main(["health-check", "--ocds", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: bad.json:") and err.count("\n") == 1
