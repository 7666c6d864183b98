"""Read the shipped course data through `datasets/datapackage.json`.

The data package says where each table lives and what type each column has, so
notebooks get the same, correctly typed tables everywhere: dates as datetime64,
true/false as bool, ids as text (Portavera's supplier numbers keep their leading
zeros). Loaded tables are cached; every call returns a fresh copy, so a lesson
that changes its table cannot change the next lesson's.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from helpers.core.errors import LearnerError
from helpers.core.paths import datasets_dir


@functools.lru_cache(maxsize=4)
def read_package(folder: str) -> dict:
    """The parsed `datapackage.json` of a data folder (cached per folder)."""
    return json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))


def data_folder() -> Path:
    """The shipped `datasets/` folder (a clear error if it is missing)."""
    return datasets_dir()


def _city_entry(city: str) -> dict:
    entries = {c["city"]: c for c in read_package(str(data_folder()))["cities"]}
    if city not in entries:
        raise LearnerError(
            f"there is no city called {city!r} in the course data", fix=f"Choose one of: {', '.join(entries)}"
        )
    return entries[city]


def check_city(city: str) -> None:
    """A `LearnerError` naming the valid cities when `city` is not one of them."""
    _city_entry(city)


def cities() -> list[str]:
    """The city ids in the course data, e.g. ['portavera', 'valmora', 'nordhaven']."""
    return [c["city"] for c in read_package(str(data_folder()))["cities"]]


def city_info(city: str) -> dict:
    """Name, population, region, home country and postcode rules of one city."""
    entry = _city_entry(city)
    return {
        "city": entry["city"],
        "name": entry["name"],
        "population": entry["population"],
        "region": entry["region"],
        "home_country": entry["home_country"],
        "home_country_code": entry["home_country_code"],
        "id_prefix": entry["id_prefix"],
        "city_postcode_prefixes": list(entry["city_postcode_prefixes"]),
        "region_postcode_prefixes": list(entry["region_postcode_prefixes"]),
        "postcode_rule": entry["postcode_rule"],
    }


def _resource(name: str, city: str | None) -> dict:
    resources = read_package(str(data_folder()))["resources"]
    per_city = sorted({r["table"] for r in resources if r["city"]})
    shared = sorted({r["table"] for r in resources if not r["city"]})
    if name in per_city:
        if city is None:
            raise LearnerError(
                f"the {name!r} table exists once per city",
                fix=f"Say which city, e.g. load_table({name!r}, city={cities()[0]!r})",
            )
        _city_entry(city)
        return next(r for r in resources if r["table"] == name and r["city"] == city)
    if name in shared:
        return next(r for r in resources if r["table"] == name)
    raise LearnerError(
        f"there is no table called {name!r} in the course data", fix=f"Choose one of: {', '.join(per_city + shared)}"
    )


def _typed(frame: pd.DataFrame, fields: list[dict], file: str) -> pd.DataFrame:
    """Give each column the type its schema field declares."""
    out = {}
    for field in fields:
        col, kind = frame[field["name"]], field["type"]
        if kind == "integer":
            values = pd.to_numeric(col, errors="raise")
            out[field["name"]] = values.astype("int64") if values.notna().all() else values.astype("Int64")
        elif kind == "number":
            out[field["name"]] = pd.to_numeric(col, errors="raise").astype("float64")
        elif kind == "boolean":
            mapped = col.map({"true": True, "false": False})
            if mapped.isna().any():
                raise LearnerError(
                    f"column {field['name']} should hold only true/false",
                    file=file,
                    fix="Restore the file with `python -m helpers generate-data`",
                )
            out[field["name"]] = mapped.astype(bool)
        elif kind == "date":
            out[field["name"]] = pd.to_datetime(col, format="%Y-%m-%d")
        else:
            out[field["name"]] = col
    return pd.DataFrame(out)


@functools.lru_cache(maxsize=64)
def _load(name: str, city: str | None, folder: str) -> pd.DataFrame:
    resource = _resource(name, city)
    if resource["table"].startswith("ledger_"):
        raise LearnerError(
            f"{name!r} is a raw finance-system export, not a clean table",
            fix="Use ledger_path(city, year) and helpers.spend.ingest to read it",
        )
    path = Path(folder) / resource["path"]
    if not path.is_file():
        raise LearnerError(
            f"{resource['path']} is missing from the course data",
            fix="Run `python -m helpers generate-data` from the repository root",
        )
    fields = resource["schema"]["fields"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    if list(frame.columns) != [f["name"] for f in fields]:
        raise LearnerError(
            "its columns differ from datapackage.json",
            file=resource["path"],
            fix="Restore the file with `python -m helpers generate-data`",
        )
    frame = _typed(frame, fields, resource["path"])
    if city is not None and not resource["city"]:
        prefix = _city_entry(city)["id_prefix"] + "-"
        if "city" in frame.columns:
            frame = frame[frame["city"] == city]
        elif "tender_id" in frame.columns:
            frame = frame[frame["tender_id"].str.startswith(prefix)]
        elif "contract_id" in frame.columns:
            frame = frame[frame["contract_id"].str.startswith(prefix)]
        frame = frame.reset_index(drop=True)
    return frame


def load_table(name: str, city: str | None = None) -> pd.DataFrame:
    """A shipped table, typed per `datapackage.json`; `city` picks a city's own file or filters a shared one.

    Per-city tables: `suppliers`, `geography`. Shared tables: `cpv_divisions`, `category_cpv`,
    `tenders`, `bids`, `bid_marks`, `contracts`, `kpis`, `kpi_returns`,
    `social_value_commitments`, `social_value_delivery`.
    """
    return _load(name, city, str(data_folder())).copy()
