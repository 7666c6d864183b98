"""What `datapackage.json` says about each table: Frictionless Table Schema fields (names, types,
units, meaning) and, for the ledgers, each finance system's CSV dialect."""

from __future__ import annotations

from helpers.datagen.ledgers import DIALECTS
from helpers.datagen.reference import SIZES
from helpers.datagen.tenders import PROCEDURES


def _field(name: str, type_: str, description: str, unit: str | None = None, **extra) -> dict:
    field = {"name": name, "type": type_, "description": description}
    if unit:
        field["unit"] = unit
    field.update(extra)
    return field


def table_schemas() -> dict[str, list[dict]]:
    """Frictionless Table Schema fields of every table kind (names, types, units, meaning)."""
    s, n, i, d, b = "string", "number", "integer", "date", "boolean"
    return {
        "suppliers": [
            _field("supplier_id", s, "Supplier number in the city's finance system (text: keep leading zeros)"),
            _field("name", s, "Registered name"),
            _field("vat_number", s, "VAT number, with country prefix; blank for individuals"),
            _field("postcode", s, "Postcode of the supplier's address (home: 5 digits)"),
            _field("country", s, "ISO-style country code; XM is the fictional home country"),
            _field("size_class", s, "EU SME class", constraints={"enum": list(SIZES)}),
            _field("employees", i, "Staff headcount", "people"),
            _field("turnover_eur", n, "Annual turnover", "EUR"),
            _field("social_economy", b, "Social-economy organisation"),
            _field("social_economy_type", s, "Kind of social-economy organisation, blank if none"),
            _field("nace_section", s, "NACE Rev. 2 section letter of the main activity"),
            _field("cpv_division", s, "Two-digit CPV division of the main activity"),
        ],
        "geography": [
            _field("postcode_prefix", s, "First three digits of a home-country postcode"),
            _field("place", s, "Place name"),
            _field(
                "level",
                s,
                "Where the place lies seen from this city",
                constraints={"enum": ["city", "region", "country"]},
            ),
        ],
        "cpv_divisions": [
            _field("division", s, "Two-digit CPV division"),
            _field("code", s, "CPV code with check digit"),
            _field("name", s, "CPV 2008 English label"),
        ],
        "category_cpv": [
            _field("expense_category", s, "Expense category as in the ledgers"),
            _field("division", s, "Two-digit CPV division the category belongs to"),
        ],
        "tenders": [
            _field("tender_id", s, "Tender id: CITY-T-YEAR-SEQ"),
            _field("city", s, "City id"),
            _field("title", s, "Title"),
            _field("cpv_code", s, "Main CPV code with check digit"),
            _field("procedure", s, "Procedure", constraints={"enum": list(PROCEDURES)}),
            _field("main_category", s, "works, goods or services"),
            _field("estimated_value_eur", n, "Estimated value, net of VAT", "EUR"),
            _field("publication_date", d, "Contract notice published"),
            _field("submission_deadline", d, "Deadline for tenders"),
            _field("award_date", d, "Award decision; blank if not awarded"),
            _field(
                "award_criteria", s, "OCDS awardCriteria code", constraints={"enum": ["priceOnly", "ratedCriteria"]}
            ),
            _field("price_weight", i, "Points for price out of 100", "points"),
            _field("lots", i, "Number of lots"),
            _field("number_of_tenderers", i, "Distinct bidders over all lots; blank if none yet"),
            _field("status", s, "OCDS-style tender status", constraints={"enum": ["active", "complete", "cancelled"]}),
        ],
        "bids": [
            _field("tender_id", s, "Tender id"),
            _field("lot", i, "Lot number"),
            _field("bidder_id", s, "Supplier id in the city's register"),
            _field("bidder_name", s, "Bidder name"),
            _field("price_eur", n, "Bid price for the lot, net of VAT", "EUR"),
            _field("quality_pct", n, "Quality score as % of the quality points; blank for price-only awards", "%"),
            _field("status", s, "valid or disqualified"),
            _field("winner", b, "Awarded (best score, relative-to-lowest price formula)"),
        ],
        "bid_marks": [
            _field("tender_id", s, "Tender id"),
            _field("bidder_name", s, "Bidder name"),
            _field("criterion", s, "Quality criterion"),
            _field("weight", i, "Points for the criterion", "points"),
            _field("mark", i, "Evaluators' mark on a 0-5 scale", "marks"),
        ],
        "contracts": [
            _field("contract_id", s, "Contract id: CITY-C-YEAR-SEQ"),
            _field("tender_id", s, "Tender it came from"),
            _field("city", s, "City id"),
            _field("title", s, "Title"),
            _field("supplier_id", s, "Supplier id in the city's register"),
            _field("supplier_name", s, "Supplier"),
            _field("service_area", s, "Service area that manages it"),
            _field("cpv_code", s, "Main CPV code"),
            _field("value_eur", n, "Total contract value, net of VAT", "EUR"),
            _field("monthly_charge_eur", n, "Periodic (monthly) charge", "EUR"),
            _field("start_date", d, "Start"),
            _field("end_date", d, "End"),
            _field("contract_owner", s, "Accountable for overall delivery"),
            _field("contract_manager", s, "Manages the supplier day to day"),
            _field("service_credit_pct", n, "Deduction from the monthly charge per red KPI", "%"),
            _field("service_credit_cap_pct", n, "Cap on service credits in a month", "%"),
        ],
        "kpis": [
            _field("contract_id", s, "Contract id"),
            _field("kpi_id", s, "KPI id within the contract"),
            _field("name", s, "KPI"),
            _field("unit", s, "Unit of the value"),
            _field("target", n, "Target value"),
            _field("direction", s, "higher or lower is better", constraints={"enum": ["higher", "lower"]}),
            _field("tolerance_pct", n, "Amber band as % of target beyond the target (worse side); red beyond it", "%"),
        ],
        "kpi_returns": [
            _field("contract_id", s, "Contract id"),
            _field("kpi_id", s, "KPI id"),
            _field("period", "yearmonth", "Month reported (YYYY-MM); some months are missing on purpose"),
            _field("value", n, "Reported value, in the KPI's unit"),
        ],
        "social_value_commitments": [
            _field("contract_id", s, "Contract id"),
            _field("measure", s, "Social-value measure"),
            _field("unit", s, "Unit"),
            _field("committed_total", n, "Committed over the whole contract term"),
        ],
        "social_value_delivery": [
            _field("contract_id", s, "Contract id"),
            _field("period", "yearmonth", "Month (YYYY-MM)"),
            _field("measure", s, "Social-value measure"),
            _field("delivered", n, "Delivered in the month"),
        ],
    }


def ledger_fields(city: str) -> list[dict]:
    d = DIALECTS[city]
    meaning = (
        "Payment date",
        "Transaction reference",
        "Supplier name as keyed (variants, redactions)",
        "Supplier number (text)",
        "VAT number",
        "Supplier postcode (some missing)",
        "Service area",
        "Expense category",
        "Net amount (credit notes negative)",
        "VAT amount",
        "Gross amount",
    )
    fields = []
    for k, (col, desc) in enumerate(zip(d.columns, meaning)):
        if k == 0:
            fields.append(_field(col, "datetime" if city == "nordhaven" else "date", desc, format=d.date_format))
        elif k >= 8:
            extra = {"decimalChar": d.decimal}
            if d.group:
                extra["groupChar"] = d.group
            fields.append(_field(col, "number", desc, "EUR", **extra))
        else:
            fields.append(_field(col, "string", desc))
    return fields


def ledger_dialect(city: str) -> dict:
    d = DIALECTS[city]
    dialect = {
        "delimiter": d.delimiter,
        "lineTerminator": d.line_end,
        "quoteChar": '"',
        "doubleQuote": True,
        "header": True,
    }
    if city == "valmora":
        dialect.update(headerRows=[3], commentRows=[1, 2], note="the last row is a TOTAL row, not a payment")
    if city == "nordhaven":
        dialect["note"] = "the header row is repeated once in the middle of the file"
    return dialect
