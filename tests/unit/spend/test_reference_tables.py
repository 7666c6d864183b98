"""A learner's own supplier register and geography table, read through the one table reader."""

from __future__ import annotations

import pytest

from helpers.core.errors import LearnerError
from helpers.spend.reference_tables import read_geography, read_register


def test_reference_tables_name_the_file_and_the_missing_columns(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("id;name\n001;Acme\n", encoding="utf-8")
    with pytest.raises(LearnerError, match=r"register\.csv: the supplier register has no column supplier_id"):
        read_register(register)
    geography = tmp_path / "geo.csv"
    geography.write_text("postcode_prefix,place,level\n 460 , Portavera , city \n", encoding="cp1252")
    table = read_geography(geography)
    assert table.loc[0, "postcode_prefix"] == "460" and table.loc[0, "level"] == "city"
    with pytest.raises(LearnerError, match=r"this geography table file does not exist"):
        read_geography(tmp_path / "missing.csv")


def test_register_keeps_supplier_numbers_as_written(tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("Supplier_ID;Name;Postcode\n007;Acme;\n010;Beta;46001\n", encoding="utf-8")
    table = read_register(register)
    assert list(table.columns) == ["supplier_id", "name", "postcode"]
    assert table["supplier_id"].tolist() == ["007", "010"]
    assert table["postcode"].isna().tolist() == [True, False]
