"""The share of spend with women-led suppliers: over the spend whose status is known, with its coverage;
"unknown" (never 0%) without the column, with too little known, or with no spend."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.spend import women_led_example, women_led_share, women_led_summary
from helpers.spend.gender import yes_no


def test_the_share_is_over_known_suppliers_only_with_its_coverage():
    payments, register = women_led_example()
    result = women_led_share(payments, register)
    # known: 120k + 300k + 80k + 400k = 900k of 1,000k; women-led: 120k + 80k = 200k
    assert result.coverage == pytest.approx(0.9)
    assert result.share.value == pytest.approx(200_000 / 900_000)
    assert (result.suppliers, result.suppliers_known) == (5, 4)
    assert result.text() == (
        "22.2% of the spend whose suppliers' status is known (known for 90.0% of spend, 4 of 5 suppliers)"
    )
    assert "10.0% of spend" in result.explain()


def test_payments_and_credit_notes_are_summed_per_supplier():
    payments = pd.DataFrame({"supplier_id": ["A", "A", "B", "C"], "amount": [100.0, -20.0, 120.0, 50.0]})
    register = pd.DataFrame({"supplier_id": ["A", "B", "C"], "Women_Owned": ["Yes", "no", "sí"]})
    result = women_led_share(payments, register)
    assert result.column == "Women_Owned"
    assert result.share.value == pytest.approx(130 / 250)
    assert result.coverage == pytest.approx(1.0)


def test_no_column_is_unknown_not_zero():
    payments, register = women_led_example()
    result = women_led_share(payments, register.drop(columns="women_led"))
    assert not result.known and result.text() == "unknown" and result.coverage is None
    assert result.share.to_dict()["value"] is None
    assert "no women_led or women_owned column" in result.explain()
    assert "0%" not in " ".join(result.lines()) and "0.0%" not in " ".join(result.lines())


def test_a_mostly_blank_column_is_unknown_and_says_how_much_is_known():
    payments, register = women_led_example()
    register["women_led"] = ["yes", "", "", "", ""]  # known for 120k of 1,000k
    result = women_led_share(payments, register)
    assert not result.known and result.coverage == pytest.approx(0.12)
    assert "Coverage (spend whose suppliers' women-led status is known): 12.0%" in result.lines()
    assert "more suppliers" in result.explain()
    assert women_led_share(payments, register, min_coverage=0.1).share.value == pytest.approx(1.0)


def test_an_all_blank_column_and_no_spend_are_unknown():
    payments, register = women_led_example()
    register["women_led"] = None
    assert women_led_share(payments, register).text() == "unknown"
    empty = payments.iloc[0:0]
    result = women_led_share(empty, women_led_example()[1])
    assert not result.known and "no spend" in result.explain()


def test_a_supplier_listed_twice_with_different_answers_stays_unknown():
    payments = pd.DataFrame({"supplier_id": ["A", "B"], "amount": [60.0, 40.0]})
    register = pd.DataFrame({"supplier_id": ["A", "A", "B"], "women_led": ["yes", "no", "no"]})
    result = women_led_share(payments, register, min_coverage=0.3)
    assert result.coverage == pytest.approx(0.4) and result.share.value == pytest.approx(0.0)


def test_yes_no_reads_the_usual_spellings_and_leaves_the_rest_missing():
    values = yes_no(pd.Series(["Yes", "N", "TRUE", "0", "", None, "maybe"]))
    assert values.tolist()[:4] == [True, False, True, False]
    assert values.isna().tolist()[4:] == [True, True, True]


def test_the_course_city_register_has_no_such_field_so_the_share_is_unknown():
    text = women_led_summary("portavera", 2025)
    assert text.startswith("Scope: Portavera 2025, 54,999 payment lines")
    assert "Share of spend with women-led suppliers: unknown" in text
    assert "no women_led or women_owned column" in text
