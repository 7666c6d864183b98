"""The sendable criteria document (module 6): a Word file with a title page, numbered pages and sized
columns, converted to PDF by LibreOffice as a council officer's machine would, and read back."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from helpers.tendering import load_library
from helpers.tendering.criteria import default_draft, save_draft_report, validate_draft
from helpers.ui.documents import TEXT_WIDTH_CM, CoverPage, column_widths, formal_docx_bytes
from helpers.ui.exports import Report
from tests.conftest import skip_or_fail

DAY = dt.date(2026, 12, 3)
NOTES = "Inclusive play carries 20 points, above the library's range, because the engagement showed it matters most."


def test_columns_are_sized_to_what_they_hold():
    table = pd.DataFrame(
        {
            "No.": [1, 2],
            "Criterion": ["Inclusive play", "Price"],
            "Wording": ["A long sentence about what the tender must show and how it is scored. " * 3] * 2,
            "Points": ["20", "40"],
        }
    )
    widths = column_widths(table)
    assert sum(widths) == pytest.approx(TEXT_WIDTH_CM)
    no, criterion, wording, points = widths
    assert wording > 2.5 * criterion > 2.5 * no  # the sentences get the room
    assert no < 2 and points < 2.5
    assert criterion >= 0.2 * len("Criterion")  # a heading never breaks inside its word


def test_the_document_has_a_title_page_page_numbers_and_repeated_table_headers():
    report = Report("Award criteria").add("Award criteria", table=pd.DataFrame({"a": [1], "b": ["x"]}))
    cover = CoverPage("Award criteria", buyer="City of Portavera", reference="PV-T-1", version="2", date=DAY)
    data = formal_docx_bytes(report, cover)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        footers = " ".join(package.read(n).decode() for n in package.namelist() if "footer" in n)
    assert "City of Portavera" in body and "PV-T-1" in body and "3 December 2026" in body
    assert 'w:val="true"' in body and "w:tblHeader" in body
    assert "<w:titlePg/>" in body  # the title page has no page number
    assert " PAGE " in footers and " NUMPAGES " in footers
    assert "not given" not in body
    assert "not given" in " ".join(v for _, v in CoverPage("x").lines())  # empty fields say so


@pytest.fixture(scope="module")
def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not shutil.which("pdftotext"):
        skip_or_fail("LibreOffice or pdftotext not installed (apt-get install libreoffice-writer-nogui poppler-utils)")
    return found


def _to_pdf(soffice: str, docx: Path, tmp_path: Path) -> Path:
    profile = tmp_path / "lo-profile"  # a private profile: parallel conversions do not share a lock
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return tmp_path / (docx.stem + ".pdf")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_criteria_document_converts_to_a_sendable_pdf(soffice, tmp_path, work_dir):
    library = load_library()
    draft = default_draft(library)  # the playground purchase, PV-T-2025-017
    draft.items[0].weight = float(draft.items[0].weight) + 10  # outside its range: the tool warns
    draft.price_weight = 30.0
    draft.notes = NOTES
    draft.version = "0.3"
    assert any(i.code == "weight_outside_range" for i in validate_draft(draft, library))
    docx = save_draft_report(draft, library, tmp_path / "criteria.docx", date=DAY)
    pages = _pages(_to_pdf(soffice, docx, tmp_path))
    text = "\n".join(pages)
    flat = re.sub(r"\s+", " ", text)

    assert 2 <= len(pages) <= 4, f"{len(pages)} pages"
    cover = re.sub(r"\s+", " ", pages[0])
    for fact in ("City of Portavera", "PV-T-2025-017", "3 December 2026", "Version 0.3", "37535200-9"):
        assert fact in cover, fact
    assert "Page" not in cover  # no number on the title page
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page
    assert "Award criteria" in flat and "Price carries 30 points" in flat
    assert re.search(r"No\.\s+Criterion\s+Wording\s+Points\s+How it is verified", pages[1])  # no header breaks
    assert "because the engagement showed it matters most" in flat  # the learner's notes
    assert "WARNING" not in text and "Say why in your notes" not in flat and "ERROR" not in text
    # the wording column is wide: lines of the award table hold far more than ~12 characters of text
    wording_lines = [line for line in pages[1].splitlines() if "points" in line.lower()]
    assert max(len(line.strip()) for line in wording_lines) > 60
