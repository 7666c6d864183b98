"""Guessing which column is the supplier, amount, date… in many languages, and remembering it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import LearnerError
from helpers.spend.ingest import read_ledger
from helpers.spend.mapping import guess_mapping, load_mapping, mapping_signature, normalise_header, save_mapping

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ledgers"
EMPTY = pd.DataFrame()


@pytest.mark.parametrize(
    "columns, expected",
    [
        (
            ["Fecha", "Proveedor", "CIF", "Importe"],
            {"date": "Fecha", "supplier": "Proveedor", "vat_number": "CIF", "amount": "Importe"},
        ),
        (
            ["Date de paiement", "Fournisseur", "Montant"],
            {"date": "Date de paiement", "supplier": "Fournisseur", "amount": "Montant"},
        ),
        (
            ["Datum", "Leverancier", "Bedrag", "Postcode"],
            {"date": "Datum", "supplier": "Leverancier", "amount": "Bedrag", "postcode": "Postcode"},
        ),
        (["Data", "Fornecedor", "Valor"], {"date": "Data", "supplier": "Fornecedor", "amount": "Valor"}),
        (
            ["Data płatności", "Dostawca", "Kwota", "Kod pocztowy"],
            {"date": "Data płatności", "supplier": "Dostawca", "amount": "Kwota", "postcode": "Kod pocztowy"},
        ),
        (["Data", "Furnizor", "Suma"], {"date": "Data", "supplier": "Furnizor", "amount": "Suma"}),
        (
            ["Ημερομηνία", "Προμηθευτής", "Ποσό", "ΑΦΜ"],
            {"date": "Ημερομηνία", "supplier": "Προμηθευτής", "amount": "Ποσό", "vat_number": "ΑΦΜ"},
        ),
        (["Datum", "Dodavatel", "Částka"], {"date": "Datum", "supplier": "Dodavatel", "amount": "Částka"}),
        (
            ["Buchungsdatum", "Lieferant", "Kreditorennummer", "Betrag", "PLZ"],
            {
                "date": "Buchungsdatum",
                "supplier": "Lieferant",
                "supplier_id": "Kreditorennummer",
                "amount": "Betrag",
                "postcode": "PLZ",
            },
        ),
        (
            ["Data", "Fornitore", "Importo", "Partita IVA"],
            {"date": "Data", "supplier": "Fornitore", "amount": "Importo", "vat_number": "Partita IVA"},
        ),
        (
            ["Päivämäärä", "Toimittaja", "Summa", "Postinumero"],
            {"date": "Päivämäärä", "supplier": "Toimittaja", "amount": "Summa", "postcode": "Postinumero"},
        ),
        (
            ["Kuupäev", "Tarnija", "Summa", "Valuuta"],
            {"date": "Kuupäev", "supplier": "Tarnija", "amount": "Summa", "currency": "Valuuta"},
        ),
    ],
)
def test_headers_in_thirteen_languages(columns, expected):
    assert guess_mapping(columns, EMPTY).mapping == expected


def test_net_amount_is_preferred_and_the_reason_says_so():
    columns = ["Payment Date", "Supplier Name", "Supplier No", "VAT Number", "VAT Amount", "Gross Amount", "Net Amount"]
    guess = guess_mapping(columns, EMPTY)
    assert guess.mapping["amount"] == "Net Amount"
    assert guess.mapping["vat_number"] == "VAT Number" and guess.mapping["supplier_id"] == "Supplier No"
    reason = guess.roles["amount"].reason
    assert "net" in reason and "'VAT Amount'" in reason and "'Gross Amount'" in reason
    assert guess.roles["amount"].confidence == 1.0


def test_devon_header_does_not_confuse_ids_and_codes_with_amounts():
    columns = [
        "Body",
        "Name of Body",
        "Date",
        "Transaction Number",
        "Invoice Number",
        "Amount",
        "Supplier Name",
        "Supplier ID",
        "VAT Reg no",
        "Expense Area",
        "Expense Type",
        "Expense Code",
        "Creditor Type",
    ]
    guess = guess_mapping(columns, EMPTY)
    assert guess.mapping == {
        "supplier": "Supplier Name",
        "supplier_id": "Supplier ID",
        "amount": "Amount",
        "date": "Date",
        "category": "Expense Type",
        "service_area": "Expense Area",
        "vat_number": "VAT Reg no",
    }
    assert "Transaction Number" in guess.unused_columns


def test_generated_city_headers_semicolon_and_snake_case():
    valmora = [
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
    ]
    assert guess_mapping(valmora, EMPTY).mapping == {
        "supplier": "Creditor",
        "supplier_id": "Creditor ID",
        "amount": "Net",
        "date": "Date",
        "postcode": "Post Code",
        "category": "Account",
        "service_area": "Department",
        "vat_number": "Tax ID",
    }
    nordhaven = [
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
    ]
    guess = guess_mapping(nordhaven, EMPTY).mapping
    assert (guess["amount"], guess["supplier"], guess["category"]) == ("amount_net", "vendor_name", "account_name")


def test_roles_guessed_from_values_when_headers_say_nothing():
    sample = pd.DataFrame(
        {
            "A": ["02/09/2024", "03/09/2024", "04/09/2024", "05/09/2024"],
            "B": ["Acme Paving SL", "Bakery El Sol", "Green Parks Ltd", "Acme Paving SL"],
            "C": ["1,234.56", "99.90", "12.00", "5.50"],
            "D": ["EX1 1AA", "PL1 2AB", "EX2 4QT", "TQ1 1AA"],
        },
        dtype="str",
    )
    guess = guess_mapping(list(sample.columns), sample)
    assert guess.mapping == {"supplier": "B", "amount": "C", "date": "A", "postcode": "D"}
    assert guess.roles["amount"].confidence < 0.9  # a value guess is less sure than a header


def test_signature_is_stable_and_ignores_case_spaces_order_and_bom():
    one = mapping_signature(["\ufeffDate", "Supplier Name", "Amount"])
    assert one == mapping_signature(["amount", "supplier  name", "DATE"])
    assert one != mapping_signature(["Date", "Supplier", "Amount"])
    assert normalise_header("Částka (€)") == "castka"


def test_saved_mapping_round_trip_and_reuse(work_dir, tmp_path):
    signature = mapping_signature(["Date", "Supplier", "Amount"])
    assert load_mapping(signature) is None
    path = save_mapping(signature, {"amount": "Amount", "supplier": "Supplier"})
    assert path.parent == work_dir / "mappings"
    assert json.loads(path.read_text(encoding="utf-8"))["mapping"] == {"amount": "Amount", "supplier": "Supplier"}
    assert load_mapping(signature) == {"amount": "Amount", "supplier": "Supplier"}
    with pytest.raises(LearnerError):
        save_mapping(signature, {"price": "Amount"})
    with pytest.raises(LearnerError):
        load_mapping("../../etc/passwd")

    # A file of the same shape reuses the saved mapping: here gross instead of net.
    ledger = tmp_path / "same_shape.csv"
    shutil.copy(FIXTURES / "messy_preamble_totals.csv", ledger)
    first = read_ledger(ledger)
    assert first.mapping["amount"] == "Net Amount" and first.report.mapping_source == "guessed"
    save_mapping(mapping_signature(list_columns(first)), {"amount": "Gross Amount"})
    again = read_ledger(ledger)
    assert again.mapping["amount"] == "Gross Amount"
    assert again.report.mapping_source == "saved for files of this shape"
    assert read_ledger(ledger, use_saved_mapping=False).mapping["amount"] == "Net Amount"


def list_columns(result) -> list[str]:
    return [
        "Payment Date",
        "Supplier Name",
        "Supplier No",
        "Net Amount",
        "VAT Amount",
        "Gross Amount",
        "Postcode",
        "Service Area",
        "Expense Category",
    ]
