"""Procedure names in the EU's languages and national names → OCDS codes (accent- and case-insensitive), buyer
countries and where the Directive's minimums are law, and the reasons a flag could not be checked."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from helpers.__main__ import main
from helpers.core.content import items
from helpers.preprocurement import flag_scope as scope
from helpers.preprocurement.buyer_countries import country_code, in_eu, minimums_law_label
from helpers.preprocurement.ocds import read_ocds
from helpers.preprocurement.procedure_names import course_procedure, normalise, ocds_method
from helpers.preprocurement.red_flags import flag_coverage, health_in_brief, tender_flags, unrecognised_procedures


@pytest.mark.parametrize(
    "name, method, procedure",
    [
        ("Open procedure", "open", "open"),
        ("PROCÉDURE OUVERTE", "open", "open"),
        ("procedure ouverte", "open", "open"),  # accents dropped by the publisher
        ("Offenes Verfahren", "open", "open"),
        ("nichtoffenes Verfahren", "selective", "restricted"),
        ("procedimiento restringido", "selective", "restricted"),
        ("Procedura negoziata senza previa pubblicazione", "limited", "negotiated_without_publication"),
        ("Przetarg nieograniczony", "open", "open"),
        ("PRZETARG  OGRANICZONY", "selective", "restricted"),
        ("Ανοικτή διαδικασία", "open", "open"),
        ("открита процедура", "open", "open"),
        ("Otevřené řízení", "open", "open"),
        ("Öppet förfarande", "open", "open"),
        ("Dialogue compétitif", "selective", "competitive_dialogue"),
        ("belowThreshold", "open", "open"),  # ProZorro, in ../shared/data/real
        ("negotiation.quick", "limited", "limited"),
        ("reporting", "limited", "limited"),
        ("Adjudicación directa", "direct", "direct"),
        ("negotiated_without_publication", "limited", "negotiated_without_publication"),
        ("selective", "selective", "restricted"),
    ],
)
def test_names_map_to_the_ocds_codelist(name, method, procedure):
    assert (ocds_method(name), course_procedure(name)) == (method, procedure)


def test_unknown_and_odd_names_are_not_guessed():
    for name in ("Concurso de Ofertas", "procédure adaptée", "", None, 5, ["open"], "x" * 10_000):
        assert ocds_method(name) is None
    assert normalise("  Procédure\u00a0ouverte!! ") == "procedure ouverte"


def test_every_eu_language_has_open_and_restricted():
    languages = {i["language"] for i in items("preprocurement_procedure_names") if i["procedure"] == "open"}
    assert {"en", "fr", "de", "es", "it", "nl", "pt", "pl", "sv", "da", "fi", "cs", "sk", "ro", "hu", "el"} <= languages
    assert {"bg", "hr", "sl", "et", "lv", "lt", "mt", "ga"} <= languages  # 24 official languages
    assert all(
        i["method"] in ("open", "selective", "limited", "direct") for i in items("preprocurement_procedure_names")
    )


def test_buyer_countries():
    assert [in_eu(c) for c in ("Polska", "DE", "españa", "Україна", "MX", "Canada", "Narnia", None)] == [
        True,
        True,
        True,
        False,
        False,
        False,
        None,
        None,
    ]
    assert country_code("Украина") == "UA" and country_code("Ελλάδα") == "GR"
    assert sum(i["in_eu"] for i in items("preprocurement_buyer_countries")) == 27
    assert "Art. 27" in minimums_law_label() and "EU Member States" in minimums_law_label()


def _release(ocid, details, country="España", days=8, n=1, method=None):
    start = dt.date(2025, 3, 1)
    tender = {
        "procurementMethodDetails": details,
        "numberOfTenderers": n,
        "tenderPeriod": {"startDate": str(start), "endDate": str(start + dt.timedelta(days))},
    }
    if method:
        tender["procurementMethod"] = method
    return {"ocid": ocid, "date": "2025-03-01", "tag": ["tender"], "tender": tender,
            "buyer": {"name": "Ayuntamiento", "address": {"countryName": country}}}  # fmt: skip


def test_national_names_make_the_flags_checkable(tmp_path, capsys):
    """The issue's case: every tender had one bidder and 8-day periods, with national procedure names only."""
    releases = [
        _release("a", "Procedimiento abierto"),
        _release("b", "Procedimiento restringido"),
        _release("c", "procedimiento ABIERTO simplificado"),
        _release("d", "Concurso de méritos"),  # not recognised: listed
        _release("e", None),
        _release("f", "Procedimiento abierto", country="México"),
        _release("g", "Procedimiento abierto", country="Atlantis"),
        _release("h", "Procedimiento abierto", country=None),
    ]
    path = tmp_path / "national.json"
    path.write_text(json.dumps({"releases": releases}), encoding="utf-8")
    data = read_ocds(path)
    flags = tender_flags(data.tenders, data.bids)
    coverage = {e["flag"]: e for e in flag_coverage(flags)}
    assert (coverage["R018"]["applicable"], coverage["R018"]["flagged"]) == (6, 6)
    assert coverage["R018"]["why_not"] == {scope.NO_PROCEDURE: 1, scope.UNKNOWN_PROCEDURE: 1}
    assert (coverage["R003"]["applicable"], coverage["R003"]["flagged"]) == (5, 5)
    assert coverage["R003"]["why_not"] == {scope.NO_PROCEDURE: 1, scope.NOT_OPEN: 1, scope.UNKNOWN_PROCEDURE: 1}
    # a, b, c are Spanish buyers; f is outside the EU; g's country is unknown to the course; h has none
    below = coverage["below_legal_minimum"]
    assert (below["applicable"], below["flagged"]) == (3, 3)
    assert below["why_not"] == {
        scope.COUNTRY_UNKNOWN: 1,
        scope.COUNTRY_UNRECOGNISED: 1,
        scope.NO_PROCEDURE: 1,
        scope.OUTSIDE_EU: 1,
        scope.UNKNOWN_PROCEDURE: 1,
    }
    assert unrecognised_procedures(flags) == {"Concurso de méritos": 1}
    assert "R018 6" in health_in_brief(flags, "X") and "single-bid rate 100.0%" in health_in_brief(flags, "X")
    assert main(["health-check", "--ocds", str(path)]) == 0
    text = capsys.readouterr().out
    assert "Single bid received: 6 flagged of 6 checked; 2 not checked" in text
    assert "procedures not recognised: Concurso de méritos (1)" in text


def test_csv_without_buyer_country_assumes_the_eu_and_says_so():
    frame = pd.DataFrame(
        [
            {
                "tender_id": "A",
                "procedure": "Open",
                "publication_date": "2025-01-01",
                "submission_deadline": "2025-01-11",
                "number_of_tenderers": 3,
            }
        ]  # fmt: skip
    )
    bids = pd.DataFrame(columns=["tender_id", "price_eur", "status", "winner"])
    flags = tender_flags(frame, bids)
    assert flags.attrs["buyers_assumed_in_eu"] and flags.loc[0, "below_legal_minimum"]
    assert flags.loc[0, "R058_why_not"] == scope.NO_BIDS
    with_country = tender_flags(frame.assign(buyer_country=["Canada"]), bids)
    assert with_country.loc[0, "below_legal_minimum_why_not"] == scope.OUTSIDE_EU
    assert not with_country.loc[0, "below_legal_minimum"] and with_country.loc[0, "R003"]


def test_r058_reasons_per_tender():
    tenders = pd.DataFrame(
        [
            {
                "tender_id": t,
                "procedure": "open",
                "publication_date": "2025-01-01",
                "submission_deadline": "2025-02-01",
                "number_of_tenderers": 2,
            }
            for t in "ABCDE"
        ]  # fmt: skip
    )
    rows = [
        ("A", "w", 100.0, True),
        ("A", "s", 110.0, False),  # a gap
        ("B", "w", 100.0, False),
        ("B", "s", 110.0, False),  # no winner
        ("C", "w", 120.0, True),
        ("C", "s", 110.0, False),  # winner not the lowest
        ("D", "w", 100.0, True),  # one bid
    ]
    bids = pd.DataFrame(rows, columns=["tender_id", "bidder_id", "price_eur", "winner"]).assign(status="valid", lot=1)
    why = tender_flags(tenders, bids).set_index("tender_id")["R058_why_not"].to_dict()
    assert why == {
        "A": scope.FEW_GAPS.format(n=4),
        "B": scope.NO_WINNER,
        "C": scope.WINNER_NOT_LOWEST,
        "D": scope.FEW_BIDS,
        "E": scope.NO_BIDS,
    }
