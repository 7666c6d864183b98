"""Module 3, spend analysis: read a payment ledger, enrich it, compute indicators.

`ingest.read_ledger` turns a messy finance-system export (CSV or XLSX) into one
clean table of payments plus a cleaning report; `mapping` guesses which column
holds the supplier, the amount, the date and so on.
"""
