"""The page set-up shown by doctor(): underlined links, wrapping tool rows, the accessibility shim."""

from __future__ import annotations

from helpers.ui import page


def test_links_are_underlined_and_tool_rows_wrap():
    css = page.CSS
    assert ".jp-RenderedMarkdown a" in css and "text-decoration: underline !important" in css
    assert '[class*="spw-"] .widget-hbox { flex-wrap: wrap; }' in css
    assert ":focus-visible" in css


def test_script_names_controls_only_when_they_have_no_name_and_runs_once():
    script = page.SCRIPT
    assert "window.__spwAccessibility" in script  # a second run reuses the first observer
    assert "if (own && !named(control))" in script  # never overrides an existing name
    assert ".noUi-handle" in script and "tabindex" in script


def test_nothing_is_displayed_outside_ipython(capsys):
    page.show_page_setup()
    assert capsys.readouterr().out == ""
    html = page.page_setup_html()
    assert html.startswith('<style class="spw-page-style">') and "</script>" in html
