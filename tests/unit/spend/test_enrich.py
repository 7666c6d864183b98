"""Supplier grouping, register join, geography and sector on hand-made payments."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.spend.enrich import (
    DEFAULT_LEVELS,
    GeographyLevels,
    assign_sector,
    geography_from_uk_outcodes,
    group_payments,
    join_register,
    match_report,
    normalise_supplier_name,
    place_payments,
    supplier_groups,
    uk_outcode,
)
from helpers.spend.indicators import geography_shares, local_spend_share

RED = "REDACTED - PERSONAL DATA"


def payments(rows) -> pd.DataFrame:
    """A payments table as ingest.read_ledger returns it, from (supplier, id, amount, postcode, vat) rows."""
    frame = pd.DataFrame(rows, columns=["supplier", "supplier_id", "amount", "postcode", "vat_number"])
    frame.insert(0, "source_line", range(2, len(frame) + 2))
    frame["date"] = pd.Timestamp("2024-05-01")
    for col in ("supplier", "supplier_id", "postcode", "vat_number"):
        frame[col] = frame[col].astype("str")
    frame["category"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    frame["service_area"] = pd.Series(pd.NA, index=frame.index, dtype="str")
    frame["currency"] = "EUR"
    frame["redacted"] = frame["supplier"].str.startswith("REDACTED")
    frame["is_credit_note"] = frame["amount"] < 0
    return frame


@pytest.mark.parametrize(
    "raw, key",
    [
        ("A.C.M.E. Ltd", "acme"),
        ("Acme Limited", "acme"),
        ("ACME LTD.", "acme"),
        ("Juegos del Puerto, S.L.", "juegos del puerto"),
        ("JUEGOS DEL PUERTO SL", "juegos del puerto"),
        ("Spielwerk Nord GmbH & Co. KG", "spielwerk nord"),
        ("Kraków Budowa sp. z o.o.", "krakow budowa"),
        ("Praha Stavby s.r.o.", "praha stavby"),
        ("Kalevan Oy", "kalevan"),
        ("Tallinna Ehitus OÜ", "tallinna ehitus"),
        ("Møller A/S", "moller"),
        ("Ελληνική Κατασκευή Α.Ε.", "ελληνικη κατασκευη"),
        ("Smith & Co", "smith"),
        ("Smith & Sons Ltd", "smith and sons"),
        ("Cocina Común S.Coop.", "cocina comun"),
        ("A. C. M. E.  Servicios  S.A.", "acme servicios"),
        ("Budapest Kft.", "budapest"),
        ("Ltd", "ltd"),
        (None, ""),
    ],
)
def test_normalise_supplier_name(raw, key):
    assert normalise_supplier_name(raw) == key


def ledger():
    return payments(
        [
            ("ACME Ltd", "001", 100.0, "46012", pd.NA),
            ("ACME Ltd", "001", 50.0, "46012", pd.NA),
            ("A.C.M.E. Limited", "001", 25.0, "46012", pd.NA),
            ("Acme Ltd.", pd.NA, 10.0, pd.NA, pd.NA),  # no id: joins id 001 by name
            (RED, "900", 40.0, pd.NA, pd.NA),
            (RED, "900", -5.0, pd.NA, pd.NA),
            (RED, "901", 30.0, pd.NA, pd.NA),
            ("Delta S.A.", pd.NA, 60.0, pd.NA, pd.NA),
            ("Delta S.L.", pd.NA, 20.0, pd.NA, pd.NA),  # a different firm, same key "delta"
            ("Omega Trading", "555", 70.0, pd.NA, pd.NA),
        ]
    )


def test_group_by_id_then_name_with_redacted_kept_apart():
    g = group_payments(ledger())
    assert g["supplier_group"].iloc[:4].tolist() == ["ACME Ltd"] * 4
    assert g["supplier_group"].iloc[4:7].tolist() == [f"{RED} (900)", f"{RED} (900)", f"{RED} (901)"]
    assert g["supplier_group"].iloc[7] == g["supplier_group"].iloc[8] == "Delta S.A."  # the wrong merge
    table = supplier_groups(g).set_index("supplier_group")
    assert table.loc["ACME Ltd", "amount"] == 185.0 and table.loc["ACME Ltd", "lines"] == 4
    assert table.loc["ACME Ltd", "names"] == ["A.C.M.E. Limited", "ACME Ltd", "Acme Ltd."]
    assert table.loc["ACME Ltd", "supplier_ids"] == ["001"]
    assert table.loc[f"{RED} (900)", "amount"] == 35.0
    assert supplier_groups(g)["supplier_group"].iloc[0] == "ACME Ltd"  # largest first


def test_real_name_beats_redacted_lines_of_the_same_id():
    g = group_payments(
        payments(
            [
                (RED, "360406", 10.0, pd.NA, pd.NA),
                (RED, "360406", 20.0, pd.NA, pd.NA),
                ("BLEEP 360 CARE LTD", "360406", 5.0, pd.NA, pd.NA),
            ]
        )
    )
    assert g["supplier_group"].tolist() == ["BLEEP 360 CARE LTD"] * 3


def test_overrides_split_and_merge():
    g = group_payments(ledger(), {"Delta S.L.": "Delta S.L.", "555": "ACME Ltd"})
    assert g["supplier_group"].iloc[7] == "Delta S.A."
    assert g["supplier_group"].iloc[8] == "Delta S.L."
    assert g["supplier_group"].iloc[9] == "ACME Ltd"  # forced merge by id
    table = supplier_groups(g).set_index("supplier_group")
    assert table.loc["ACME Ltd", "amount"] == 255.0
    assert table.loc["ACME Ltd", "supplier_ids"] == ["001", "555"]
    assert len(table) == 5  # ACME+Omega, two redacted ids, two Deltas
    with pytest.raises(LearnerError):
        group_payments(ledger(), {"Delta S.L.": " "})


REGISTER = pd.DataFrame(
    {
        "supplier_id": ["001", "002", "003", "004"],
        "name": ["ACME Ltd", "Borealis S.A.", "Cocina Comun S.Coop.", "Spielwerk Nord GmbH"],
        "vat_number": ["XM111", "XM 123 456 789", "", "DE999888777"],
        "postcode": ["46012", "46512", "46099", "20095"],
        "country": ["XM", "XM", "XM", "DE"],
        "size_class": ["small", "large", "micro", "Medium"],
        "employees": [12, 900, 5, 80],
        "turnover_eur": [2e6, 9e8, 3e5, 2e7],
        "social_economy": ["false", "false", "true", "false"],
        "social_economy_type": ["", "", "cooperative", ""],
        "nace_section": ["F", "N", "I", "C"],
        "cpv_division": ["45", "79", "55", ""],
    }
)


def joined():
    p = payments(
        [
            ("ACME", "001", 100.0, pd.NA, pd.NA),  # id
            ("Borealis", "777", 300.0, pd.NA, "XM123456789"),  # VAT (spelt differently)
            ("Cocina Común Coop.", pd.NA, 50.0, pd.NA, pd.NA),  # name
            ("Spielwerk Nord GmbH", "004", 40.0, "46045", pd.NA),  # id; German postcode like a home one
            ("Nobody SL", pd.NA, 10.0, "99999", pd.NA),  # no match
        ]
    )
    return join_register(p, REGISTER)


def test_join_register_matches_by_id_vat_then_name():
    j = joined()
    assert j["register_match"].tolist() == ["id", "vat", "name", "id", "none"]
    assert j["size_class"].tolist() == ["small", "large", "micro", "medium", "unknown"]
    assert j["sme"].tolist()[:4] == [True, False, True, True] and pd.isna(j["sme"].iloc[4])
    assert j["social_economy"].tolist()[:4] == [False, False, True, False]
    assert pd.isna(j["social_economy"].iloc[4])
    assert j["register_postcode"].tolist()[:3] == ["46012", "46512", "46099"]
    assert j["sector"].tolist()[:4] == ["45", "79", "55", "NACE C"]
    report = match_report(j).set_index("match")
    assert report.loc["vat", "amount"] == 300.0
    assert report.loc["matched", "share_amount"] == pytest.approx(490 / 500)
    assert report.loc["none", "lines"] == 1


GEO = pd.DataFrame(
    {
        "postcode_prefix": ["46", "460", "465", "280"],
        "place": ["Costa Alta", "Portavera", "Puerto Lindo", "Valmora"],
        "level": ["region", "city", "region", "country"],
    }
)


def test_place_payments_longest_prefix_register_fallback_and_abroad():
    placed = place_payments(joined(), GEO, home_country="XM")
    # ledger postcode missing -> register's; 46012 -> longest prefix 460 (city); 46512 -> 465;
    # 46099 -> city; the German supplier is abroad although 46045 looks local; 99999 -> unknown
    assert placed["level"].tolist() == ["city", "region", "city", "abroad", "unknown"]
    assert placed["place"].tolist()[:4] == ["Portavera", "Puerto Lindo", "Portavera", "DE"]
    assert local_spend_share(placed) == pytest.approx(150 / 500)
    with pytest.raises(LearnerError, match="county"):
        place_payments(joined(), GEO.assign(level="county"), home_country="XM")


def test_pamplona_four_level_geography():
    levels = GeographyLevels(("city", "metropolitan", "regional", "national"), regional="regional")
    geo = pd.DataFrame(
        {
            "postcode_prefix": ["310", "311", "312", "28"],
            "place": ["Pamplona", "Comarca", "Navarra", "Madrid"],
            "level": ["city", "metropolitan", "regional", "national"],
        }
    )
    p = payments(
        [
            ("A", "1", 100.0, "31001", pd.NA),
            ("B", "2", 50.0, "31100", pd.NA),
            ("C", "3", 30.0, "31200", pd.NA),
            ("D", "4", 20.0, "28001", pd.NA),
        ]
    )
    placed = place_payments(p, geo, levels=levels)
    assert placed["level"].tolist() == ["city", "metropolitan", "regional", "national"]
    assert levels.region_levels == ("city", "metropolitan", "regional")
    assert local_spend_share(placed, levels.region_levels) == pytest.approx(0.9)
    # abroad listed with 0; no unknown row because nothing is unknown
    assert geography_shares(placed, levels)["amount"].tolist() == [100.0, 50.0, 30.0, 20.0, 0.0]
    with pytest.raises(LearnerError):
        GeographyLevels(("city", "abroad"))


def test_uk_outcode():
    assert [uk_outcode(x) for x in ("ex1 1ab", "EX101AB", "SW1A 1AA", "EX1", "hello", None)] == [
        "EX1",
        "EX10",
        "SW1A",
        "EX1",
        "",
        "",
    ]


@pytest.mark.realdata
def test_uk_geography_from_real_outcodes(real_data_dir):
    table = pd.read_csv(real_data_dir / "uk_postcode_outcodes_regions.csv", dtype=str, keep_default_na=False)
    geo = geography_from_uk_outcodes(table, "south west", local_area="Exeter").set_index("postcode_prefix")
    assert geo.loc["EX1", "level"] == "city"
    assert geo.loc["EX10", "level"] == "region" and geo.loc["EX10", "place"] == "South West"
    assert geo.loc["E1", "level"] == "country" and geo.loc["E1", "place"] == "London"
    assert geo.loc["GY1", "level"] == "abroad"
    assert not geo["place"].str.endswith(" ").any()
    assert "Northern Ireland" in set(geo["place"]) and "#N/A" not in set(geo["place"])
    p = payments(
        [("A", "1", 60.0, "EX1 1AB", pd.NA), ("B", "2", 30.0, "EX10 9XY", pd.NA), ("C", "3", 10.0, "E1 6AN", pd.NA)]
    )
    placed = place_payments(p, geo.reset_index(), postcode_key=uk_outcode)
    assert placed["level"].tolist() == ["city", "region", "country"]  # EX10 is not EX1
    with pytest.raises(LearnerError, match="Wessex"):
        geography_from_uk_outcodes(table, "Wessex")


def test_assign_sector_from_register_then_category():
    p = joined().assign(category=["Works", "Consultancy", "Catering", "Play", "Mystery"])
    p.loc[1, "cpv_division"] = pd.NA  # register has no CPV here
    cat_map = pd.DataFrame({"category": ["Works", "Consultancy", "Play"], "cpv_division": ["45", "79", "37"]})
    names = pd.DataFrame(
        {
            "division": ["45", "79", "55"],
            "code": ["45000000-7", "79000000-4", "55000000-0"],
            "name": ["Construction work", "Business services", "Hotel and catering"],
        }
    )
    s = assign_sector(p, cat_map, names)
    assert s["sector"].tolist() == [
        "45 Construction work",
        "79 Business services",
        "55 Hotel and catering",
        "CPV 37",
        "unclassified",
    ]
    assert s["sector_source"].tolist() == ["register", "category", "register", "category", "none"]
    # datagen's own column names, and the category first
    datagen_map = cat_map.rename(columns={"category": "expense_category", "cpv_division": "division"})
    s2 = assign_sector(p, datagen_map, names, prefer="category")
    assert s2["sector"].iloc[0] == "45 Construction work" and s2["sector_source"].iloc[0] == "category"
    assert s2["sector"].iloc[2] == "55 Hotel and catering" and s2["sector_source"].iloc[2] == "register"


@pytest.mark.realdata
def test_devon_redacted_suppliers_group_by_id(real_data_dir):
    raw = pd.read_csv(real_data_dir / "devon_spend_2024_09.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    p = payments(
        list(
            zip(
                raw["Supplier Name"],
                raw["Supplier ID"],
                raw["Amount"].astype(float),
                [pd.NA] * len(raw),
                raw["Vat Reg No"],
            )
        )
    )
    p["redacted"] = p["supplier"].eq("REDACTED UNDER DP ACT")
    groups = supplier_groups(group_payments(p))
    assert len(groups) == 2883  # one group per Supplier ID
    redacted_groups = groups[groups["supplier_group"].str.startswith("REDACTED UNDER DP ACT (")]
    assert 0 < len(redacted_groups) <= 285  # 682 redacted lines, 285 ids
    assert groups["supplier_group"].is_unique
    assert groups["amount"].sum() == pytest.approx(p["amount"].sum())


def test_levels_from_a_pamplona_table_nearest_first():
    geo = pd.DataFrame(
        {
            "postcode_prefix": ["310", "311", "3105", "312", "28", "FR", "000"],
            "place": ["Pamplona", "Comarca", "Pamplona centre", "Navarra", "Madrid", "France", "?"],
            "level": ["city", "metropolitan", "city", "regional", "national", "abroad", "unknown"],
        }
    )
    levels = GeographyLevels.from_table(geo)
    assert levels.levels == ("city", "metropolitan", "regional", "national")
    assert (levels.local, levels.regional) == ("city", "metropolitan")
    assert levels.ordered[-2:] == ("abroad", "unknown")
    chosen = GeographyLevels.from_table(geo, regional="regional")
    assert chosen.region_levels == ("city", "metropolitan", "regional")
    # the derived levels let place_payments accept the table
    placed = place_payments(
        payments([("A", "1", 100.0, "31001", pd.NA), ("B", "2", 50.0, "31100", pd.NA)]), geo, levels=levels
    )
    assert placed["level"].tolist() == ["city", "metropolitan"]


def test_levels_from_a_city_region_country_table_are_the_defaults():
    geo = pd.DataFrame(
        {
            "postcode_prefix": ["460", "463", "28"],
            "place": ["Portavera", "Playa", "Madrid"],
            "level": ["city", "region", "country"],
        }
    )
    assert GeographyLevels.from_table(geo) == DEFAULT_LEVELS
    one = GeographyLevels.from_table(geo.head(1))
    assert (one.levels, one.local, one.regional) == (("city",), "city", "city")


def test_levels_from_a_table_without_levels_is_a_plain_message():
    with pytest.raises(LearnerError, match="no column 'level'"):
        GeographyLevels.from_table(pd.DataFrame({"postcode_prefix": ["1"], "place": ["X"]}))
    with pytest.raises(LearnerError, match="names no level"):
        GeographyLevels.from_table(
            pd.DataFrame({"postcode_prefix": ["1", "2"], "place": ["X", "Y"], "level": ["abroad", None]})
        )
    with pytest.raises(LearnerError, match="not one of"):
        GeographyLevels.from_table(pd.DataFrame({"level": ["city", "region"]}), local="county")
