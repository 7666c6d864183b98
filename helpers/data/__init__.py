"""The shipped course data: typed tables read through `datasets/datapackage.json`.

- `package`: `cities`, `city_info`, `load_table` (typed, cached, a fresh copy on every call)
- `ledgers`: `LEDGER_YEARS`, `ledger_path`, `ensure_ledgers` (the git-ignored payment ledgers,
  made on first use by running the data generator as a command)
- `design`: `CityConfig`, `CITIES`, `CITY_BY_ID` (what each fictional city is built to look like:
  course design, the generator's input, and module 1's starting figures)

This is a base layer: it never imports the generator (`helpers.datagen`), which sits above the stages.
"""

from helpers.data.design import CITIES, CITY_BY_ID, CityConfig
from helpers.data.ledgers import LEDGER_YEARS, ensure_ledgers, ledger_path
from helpers.data.package import cities, city_info, load_table

__all__ = [
    "CITIES",
    "CITY_BY_ID",
    "CityConfig",
    "LEDGER_YEARS",
    "cities",
    "city_info",
    "ensure_ledgers",
    "ledger_path",
    "load_table",
]
