"""Live slides in a real browser.

- Voilà's reveal.js slides (`python -m helpers slides 02`): one slide per section from the notebook's
  slide metadata, the tools live (a changed value reaches the kernel), no code, the trainer's notes as
  speaker notes, and the reveal.js CSS served locally (the page needs no network).
- jupyterlab-rise in JupyterLab: the RISE commands exist and the same notebook renders as a slideshow
  with the same number of slides. (Its slides do not draw ipywidgets 8 widgets: jupyterlab-contrib/rise#119.)
Screenshots go to test-artifacts/slides/.
"""

from __future__ import annotations

import pytest

from helpers.learning.course import module
from tests.browser.conftest import REPO

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "slides"
MODULE = module("02")
SLIDES = 1 + len(MODULE.sections) + 2  # title, each section, Summary, Sources


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_a_module_as_live_slides_with_speaker_notes(voila_slides, browser):
    url = voila_slides("02")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        page.goto(url, wait_until="load", timeout=600_000)
        page.locator(".reveal .slides section.present").first.wait_for(timeout=300_000)
        assert page.locator(".reveal .slides > section").count() == SLIDES == 16  # title, 13 sections, Summary, Sources
        assert page.evaluate("() => getComputedStyle(document.querySelector('.reveal .slides')).position") == (
            "absolute"
        )  # reveal.css came from the course's own template, not a CDN
        assert not [u for u in failed if "reveal" in u]
        notes = page.locator("aside.notes")
        assert notes.count() == len(MODULE.sections) + 1
        assert "For the trainer · 8 min." in " ".join(notes.all_text_contents())
        body = page.inner_text("body")
        assert "How to run this" not in body and "from helpers" not in body and "doctor()" not in body
        assert page.locator(".jp-CodeCell .jp-InputArea, .cm-editor").count() == 0
        shot(page, "02-slide-01-title")
        for _ in range(8):  # to section 8, the advisor, with the keyboard as a presenter would
            page.keyboard.press("ArrowRight")
            page.wait_for_timeout(300)
        present = page.locator(".reveal .slides > section.present")
        present.locator(".spw-advisor .spw-verdict").wait_for(timeout=120_000)
        assert "8. The threshold and procedure advisor" in present.inner_text()
        verdict = present.locator(".spw-advisor .spw-verdict")
        assert "At or above the EU threshold" in verdict.inner_text()
        present.locator(".spw-advisor-contract-type select").select_option(label="Services")
        value = present.locator(".spw-advisor-value input")
        value.fill("215999")
        value.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('section.present .spw-advisor .spw-verdict').innerText.startsWith('Below')",
            timeout=30_000,
        )
        shot(page, "02-slide-09-advisor-live")
    finally:
        context.close()


def test_jupyterlab_presents_the_same_notebook_with_rise(open_notebook, lab):
    nb = open_notebook("02")
    page = nb.page
    assert page.evaluate("() => window.jupyterapp.commands.hasCommand('RISE:preview')")
    assert page.evaluate("() => window.jupyterapp.commands.hasCommand('RISE:fullscreen-plugin')")
    rise = page.context.new_page()
    rise.goto(f"{lab.url}/rise/{nb.name}?token={lab.token}", wait_until="domcontentloaded")
    rise.locator(".reveal .slides section").first.wait_for(timeout=120_000)
    rise.wait_for_function(
        "() => document.querySelector('.reveal .slide-number') && "
        "document.querySelector('.reveal .slide-number').innerText.includes('/')",
        timeout=60_000,
    )
    number = rise.locator(".reveal .slide-number").inner_text().replace(" ", "")
    assert number == f"1/{SLIDES}"
    assert "Module 2" in rise.locator(".reveal .slides section.present").first.inner_text()
    assert "How to run this" not in rise.locator(".reveal .slides section.present").first.inner_text()
    shot(rise, "02-rise-title")
    rise.close()
