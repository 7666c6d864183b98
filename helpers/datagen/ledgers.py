"""The payment ledgers: one year of a city's payments, as its finance system exports them.

Each city has its own dialect (columns, delimiter, encoding, line ends, date and
number formats) and its own quirks: credit notes, a few exact duplicate lines,
missing postcodes, redacted names, Valmora's title rows and TOTAL row, and
Nordhaven's header repeated mid-file. The bytes are exact, so the ledgers can be
checked against their recorded hashes instead of being committed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from helpers.data.design import CITIES, CityConfig
from helpers.datagen.reference import CATEGORIES, rng_for
from helpers.datagen.suppliers import spend_weights


@dataclass(frozen=True)
class Dialect:
    columns: tuple[str, ...]
    delimiter: str
    encoding: str
    line_end: str
    date_format: str
    decimal: str
    group: str


DIALECTS = {
    "portavera": Dialect(
        (
            "Payment Date",
            "Transaction Ref",
            "Supplier Name",
            "Supplier No",
            "VAT Number",
            "Postcode",
            "Service Area",
            "Expense Category",
            "Net Amount",
            "VAT Amount",
            "Gross Amount",
        ),
        ",",
        "utf-8",
        "\r\n",
        "%d/%m/%Y",
        ".",
        ",",
    ),
    "valmora": Dialect(
        (
            "Date",
            "Document No",
            "Creditor",
            "Creditor ID",
            "Tax ID",
            "Post Code",
            "Department",
            "Account",
            "Net",
            "VAT",
            "Total",
        ),
        ";",
        "windows-1252",
        "\r\n",
        "%d/%m/%Y",
        ",",
        ".",
    ),
    "nordhaven": Dialect(
        (
            "posting_datetime",
            "document_no",
            "vendor_name",
            "vendor_id",
            "vat_id",
            "postal_code",
            "cost_centre",
            "account_name",
            "amount_net",
            "amount_vat",
            "amount_gross",
        ),
        "\t",
        "utf-8-sig",
        "\n",
        "%Y-%m-%dT%H:%M:%S",
        ".",
        "",
    ),
}
CAT_BY_DIVISION: dict[str, list[int]] = {}
for _i, _c in enumerate(CATEGORIES):
    CAT_BY_DIVISION.setdefault(_c[1], []).append(_i)


@dataclass(frozen=True)
class PaymentLines:
    """One year's drawn payment lines (arrays of equal length), before they are written out.

    `order` is the order lines are written in; lines whose index is in `duplicated` are written twice.
    """

    supplier: np.ndarray  # index into the supplier register
    day: np.ndarray  # days since 1 January
    net: np.ndarray
    vat: np.ndarray
    gross: np.ndarray
    category: np.ndarray  # index into CATEGORIES
    area: np.ndarray  # service area
    variant: np.ndarray  # the supplier's name as keyed on this invoice
    no_postcode: np.ndarray
    order: np.ndarray
    duplicated: set[int]


def _format_amounts(values: np.ndarray, d: Dialect) -> list[str]:
    if d.group == ",":
        return [f"{v:,.2f}" for v in values]
    if d.group == ".":
        return [f"{v:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") for v in values]
    return [f"{v:.2f}" for v in values]


def draw_payment_lines(cfg: CityConfig, suppliers: list[dict], year: int) -> PaymentLines:
    """Every payment of the year: amounts, days, credit notes, categories, name variants, quirks."""
    rng = rng_for(CITIES.index(cfg), 4, year)
    spend = spend_weights(cfg, suppliers, year)
    active = np.flatnonzero(spend > 0)
    n_base = int(cfg.lines_per_year / 1.012)
    p = spend[active] ** 0.5
    counts = 1 + rng.multinomial(n_base - len(active), p / p.sum())
    sup = np.repeat(active, counts)
    raw = rng.lognormal(0.0, 1.0, len(sup))
    net = raw / np.bincount(sup, raw, len(suppliers))[sup] * spend[sup]
    net = np.round(np.maximum(net, 5.0), 2)
    days = np.array(
        [
            d
            for d in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
            if (date(year, 1, 1) + timedelta(d)).weekday() < 5
        ]
    )
    day = rng.choice(days, len(sup))
    # credit notes (~1%): part or all of an earlier invoice reversed a few weeks later
    cn = rng.choice(len(sup), int(0.01 * len(sup)), replace=False)
    cn_frac = np.where(rng.random(len(cn)) < 0.5, 1.0, np.round(rng.uniform(0.1, 0.6, len(cn)), 2))
    sup = np.concatenate([sup, sup[cn]])
    net = np.concatenate([net, -np.round(net[cn] * cn_frac, 2)])
    day = np.concatenate([day, np.minimum(day[cn] + rng.integers(7, 60, len(cn)), days[-1])])
    n = len(sup)
    cat = np.empty(n, dtype=np.int64)
    area = np.empty(n, dtype=object)
    variant = np.empty(n, dtype=object)
    r_cat, r_area, r_var = rng.random(n), rng.random(n), rng.random(n)
    for k in range(n):
        s = suppliers[sup[k]]
        options = CAT_BY_DIVISION[s["cpv_division"]]
        c = (
            options[0]
            if (len(options) == 1 or r_cat[k] < 0.75)
            else options[1 + int(r_cat[k] * 1e6) % (len(options) - 1)]
        )
        cat[k] = c
        areas = CATEGORIES[c][3]
        area[k] = areas[int(r_area[k] * len(areas))]
        vs = s["_variants"]
        variant[k] = vs[0] if (len(vs) == 1 or r_var[k] < 0.7) else vs[1 + int(r_var[k] * 1e6) % (len(vs) - 1)]
    abroad = np.array([suppliers[i]["_location"] == "abroad" for i in sup])
    rate = np.array([CATEGORIES[c][2] for c in cat])
    rate[abroad] = 0.0  # reverse charge: no VAT invoiced
    vat = np.round(net * rate, 2)
    gross = np.round(net + vat, 2)
    no_postcode = rng.random(n) < 0.05
    order = np.lexsort((rng.random(n), day))
    # exact duplicate lines (~0.2%): the same payment exported twice
    dup = set(rng.choice(n, int(0.002 * n), replace=False).tolist())
    return PaymentLines(sup, day, net, vat, gross, cat, area, variant, no_postcode, order, dup)


def write_ledger(cfg: CityConfig, suppliers: list[dict], year: int, lines: PaymentLines) -> bytes:
    """The lines as the city's finance system writes them: its dialect, title rows and quirks (exact bytes)."""
    d = DIALECTS[cfg.city]
    start = date(year, 1, 1)
    fmt_net, fmt_vat, fmt_gross = (
        _format_amounts(lines.net, d),
        _format_amounts(lines.vat, d),
        _format_amounts(lines.gross, d),
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=d.delimiter, lineterminator=d.line_end, quoting=csv.QUOTE_MINIMAL)
    if cfg.city == "valmora":
        out.write(f"Valmora Town Council - payments report{d.line_end}")
        out.write(f"Period: 01/01/{year} - 31/12/{year}{d.line_end}")
    writer.writerow(d.columns)
    rows_written = 0
    half = len(lines.supplier) // 2
    dup = lines.duplicated
    for seq, k in enumerate(lines.order):
        s = suppliers[lines.supplier[k]]
        when = start + timedelta(int(lines.day[k]))
        when_text = f"{when.isoformat()}T00:00:00" if cfg.city == "nordhaven" else when.strftime(d.date_format)
        ref = f"{cfg.code}{year % 100:02d}-{seq + 1:06d}"
        row = (
            when_text,
            ref,
            lines.variant[k],
            s["supplier_id"],
            s["vat_number"],
            "" if lines.no_postcode[k] else s["postcode"],
            lines.area[k],
            CATEGORIES[lines.category[k]][0],
            fmt_net[k],
            fmt_vat[k],
            fmt_gross[k],
        )
        writer.writerow(row)
        if k in dup:
            writer.writerow(row)
        rows_written += 1
        if cfg.city == "nordhaven" and rows_written == half:
            writer.writerow(d.columns)  # a page header repeated mid-file
    if cfg.city == "valmora":
        total_net = lines.net.sum() + sum(lines.net[k] for k in dup)
        total_vat = lines.vat.sum() + sum(lines.vat[k] for k in dup)
        total_gross = lines.gross.sum() + sum(lines.gross[k] for k in dup)
        totals = _format_amounts(np.round(np.array([total_net, total_vat, total_gross]), 2), d)
        writer.writerow(("TOTAL", "", "", "", "", "", "", "", *totals))
    return out.getvalue().encode(d.encoding)


def make_ledger(cfg: CityConfig, suppliers: list[dict], year: int) -> bytes:
    """One year of payments as the city's finance system exports them (exact bytes)."""
    return write_ledger(cfg, suppliers, year, draw_payment_lines(cfg, suppliers, year))
