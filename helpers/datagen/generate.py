"""The deterministic synthetic-data generator behind `datasets/`: every file, and `datapackage.json`.

Everything the course ships is made here from one fixed seed: three fictional
cities' supplier registers, geography, payment ledgers (each in its own finance
system's dialect), and the shared tenders, bids, contracts, KPIs and social-value
tables. The same code always writes the same bytes, so `datapackage.json` can
record a SHA-256 hash per file and `generate-data --check` can prove a copy is
intact. All names, people, places and figures are invented (course design); the
CPV codes are real and hard-coded (verified in the real-data tests).

Why numpy's Generator with fixed seeds per part: each table draws from its own
stream, so changing one table never shifts another, and no output depends on
dict/set ordering or hash randomisation.

The parts: `reference` (seed, dates, reference lists), `suppliers`, `ledgers`,
`tenders` (and bids), `contracts` (KPIs, returns, social value), `tables` (CSV
bytes), `schema` (what `datapackage.json` says about each table); the cities
themselves are described in `helpers.data.design`. The command is in `cli`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from helpers.core.errors import LearnerError
from helpers.data.design import CITIES, CITY_BY_ID
from helpers.datagen.contracts import make_contracts
from helpers.datagen.ledgers import CAT_BY_DIVISION, DIALECTS, make_ledger
from helpers.datagen.reference import AS_OF, CATEGORIES, HOME_COUNTRY, HOME_COUNTRY_NAME, SEED, YEARS
from helpers.datagen.schema import ledger_dialect, ledger_fields, table_schemas
from helpers.datagen.suppliers import make_suppliers, spend_weights
from helpers.datagen.tables import category_cpv_csv, cpv_divisions_csv, geography_csv, suppliers_csv, table_csv
from helpers.datagen.tenders import TENDER_TEMPLATES, make_tenders

# Names other code reaches through this module (tools/bench_spend.py, the tests): kept importable here.
_spend_weights = spend_weights
__all__ = [
    "CAT_BY_DIVISION",
    "CATEGORIES",
    "CITIES",
    "CITY_BY_ID",
    "DIALECTS",
    "TENDER_TEMPLATES",
    "check",
    "generate_all",
    "generate_missing",
    "make_ledger",
    "make_suppliers",
    "spend_weights",
]

CSV_DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def _dataset_files(progress: bool) -> list[tuple[str, str, bytes, str | None]]:
    """Every file as (path in the package, table kind, bytes, city or None for shared tables)."""
    files: list[tuple[str, str, bytes, str | None]] = []
    sup_by_city = {cfg.city: make_suppliers(cfg) for cfg in CITIES}
    for cfg in CITIES:
        files.append((f"{cfg.city}/suppliers.csv", "suppliers", suppliers_csv(sup_by_city[cfg.city]), cfg.city))
        files.append((f"{cfg.city}/geography.csv", "geography", geography_csv(cfg), cfg.city))
        for year in YEARS:
            if progress:
                print(f"  {cfg.name} {year} ledger…", end="\r", flush=True)
            files.append(
                (
                    f"{cfg.city}/ledger_{year}.csv",
                    f"ledger_{year}",
                    make_ledger(cfg, sup_by_city[cfg.city], year),
                    cfg.city,
                )
            )
    tenders, bids, marks = make_tenders(sup_by_city)
    contracts, kpis, returns, sv_c, sv_d = make_contracts(tenders, bids, sup_by_city)
    schemas = table_schemas()
    files.append(("shared/cpv_divisions.csv", "cpv_divisions", cpv_divisions_csv(), None))
    files.append(("shared/category_cpv.csv", "category_cpv", category_cpv_csv(), None))
    for kind, rows in (
        ("tenders", tenders),
        ("bids", bids),
        ("bid_marks", marks),
        ("contracts", contracts),
        ("kpis", kpis),
        ("kpi_returns", returns),
        ("social_value_commitments", sv_c),
        ("social_value_delivery", sv_d),
    ):
        files.append((f"shared/{kind}.csv", kind, table_csv(rows, [f["name"] for f in schemas[kind]]), None))
    return files


def _resource(path: str, kind: str, data: bytes, city: str | None, schemas: dict[str, list[dict]]) -> dict:
    """The `datapackage.json` entry of one file: where it is, its hash, dialect and schema."""
    is_ledger = kind.startswith("ledger_")
    name = f"{city}-{kind.replace('_', '-')}" if city else kind.replace("_", "-")
    res = {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": DIALECTS[city].encoding if is_ledger else "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "dialect": ledger_dialect(city) if is_ledger else dict(CSV_DIALECT),
        "schema": {"fields": ledger_fields(city) if is_ledger else schemas[kind]},
        "table": kind,
        "city": city,
        "committed": not is_ledger,
    }
    if is_ledger:
        res["description"] = (
            f"{CITY_BY_ID[city].name} payments {kind[-4:]} as exported by its finance system; "
            "git-ignored, regenerated by `python -m helpers generate-data`"
        )
    return res


def _package(resources: list[dict]) -> dict:
    """The whole `datapackage.json`: what the data is, its licence, the cities and every resource."""
    return {
        "profile": "tabular-data-package",
        "name": "strategic-procurement-workbook-data",
        "title": "Strategic Procurement Workbook: synthetic city procurement data",
        "description": (
            "Synthetic data for three fictional cities (Portavera, Valmora, Nordhaven): supplier "
            "registers, geography, payment ledgers 2024-2025, tenders, bids, contracts, KPIs and "
            "social value. Every name, person, place and figure is invented; CPV codes are real. "
            "Money in EUR, net of VAT unless a column says otherwise."
        ),
        "synthetic": True,
        "as_of": AS_OF.isoformat(),
        "seed": SEED,
        "licenses": [
            {
                "name": "CC0-1.0",
                "title": "Creative Commons Zero v1.0 Universal",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
            }
        ],
        "cities": [
            {
                "city": c.city,
                "id_prefix": c.code,
                "name": c.name,
                "population": c.population,
                "region": c.region,
                "home_country": HOME_COUNTRY_NAME,
                "home_country_code": HOME_COUNTRY,
                "city_postcode_prefixes": list(c.city_prefixes),
                "region_postcode_prefixes": [p for p, _ in c.region_places],
                "postcode_rule": "home postcodes have 5 digits; the first 3 give the place (geography.csv)",
            }
            for c in CITIES
        ],
        "resources": resources,
    }


def generate_all(out_dir: Path, progress: bool = False) -> dict:
    """Write every dataset file and `datapackage.json` into `out_dir`; return the package dict."""
    out_dir = Path(out_dir)
    schemas = table_schemas()
    resources = []
    for path, kind, data, city in _dataset_files(progress):
        (out_dir / path).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / path).write_bytes(data)
        resources.append(_resource(path, kind, data, city, schemas))
    if progress:
        print(" " * 40, end="\r", flush=True)
    package = _package(resources)
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    (out_dir / "datapackage.json").write_bytes(text.encode("utf-8"))
    return package


def _sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def check(datasets: Path) -> list[str]:
    """Problems found when regenerating and comparing with `datapackage.json` (empty list = all good)."""
    manifest = datasets / "datapackage.json"
    if not manifest.is_file():
        return [f"{manifest} is missing"]
    recorded = {r["path"]: r["hash"] for r in json.loads(manifest.read_text("utf-8"))["resources"]}
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {r["path"]: r["hash"] for r in generate_all(Path(tmp))["resources"]}
    for path in sorted(set(recorded) | set(fresh)):
        if recorded.get(path) != fresh.get(path):
            problems.append(f"{path}: the generator's output no longer matches the hash in datapackage.json")
        on_disk = datasets / path
        if on_disk.is_file() and path in recorded:
            if _sha256(on_disk) != recorded[path]:
                problems.append(f"{path}: the file on disk differs from datapackage.json (edited or corrupted)")
    return problems


def generate_missing(datasets: Path) -> int:
    """Make the git-ignored ledgers missing from `datasets`, each checked against its recorded hash;
    return how many were missing (0: nothing to do)."""
    datasets = Path(datasets)
    manifest = datasets / "datapackage.json"
    if not manifest.is_file():
        raise LearnerError(
            f"the course data folder was not found at {datasets}",
            fix="Run `make lab` from the repository root, or set SPW_ROOT to the folder that holds datasets/",
        )
    recorded = {
        r["path"]: r["hash"]
        for r in json.loads(manifest.read_text("utf-8"))["resources"]
        if r["table"].startswith("ledger_")
    }
    missing = [rel for rel in recorded if not (datasets / rel).is_file()]
    if not missing:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        generate_all(Path(tmp))
        for rel in missing:
            made = Path(tmp) / rel
            if _sha256(made) != recorded[rel]:
                raise LearnerError(
                    f"the regenerated {rel} does not match datapackage.json",
                    fix="Update the repository (git pull) and run `python -m helpers generate-data`",
                )
            target = datasets / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(made, target)
    return len(missing)
