"""The course's page set-up, shown once by `doctor()` (the first cell of every lesson): a few CSS rules
and an accessibility shim, for JupyterLab, the Voilà app and the slides alike.

- CSS: links in the lesson text are underlined (not told apart by colour alone, WCAG 1.4.1); a
  visible keyboard focus ring; rows of controls in the course's tools wrap instead of scrolling
  sideways on a 1280-px screen; the styles of chart summaries and status footnotes.
- Script (ipywidgets 8 leaves some controls without an accessible name): each slider handle, select
  box and text box of a course widget gets the name of its own label, or of its tooltip when it has
  no label (ipywidgets puts a tooltip on the control itself); a task-list checkbox in the lesson text
  gets its item's text; a scrolling region of an output gets keyboard focus (tabindex), so it can be
  scrolled without a mouse. It only adds missing names, never changes one, and only inside cell
  outputs and the lesson text.

JupyterLab, Voilà and RISE run the script of a trusted output (the output of a cell just run).
"""

from __future__ import annotations

from IPython import get_ipython
from IPython.display import HTML, display

from helpers.ui.tables import register_table_formatter
from helpers.ui.theme import TEXT

CSS = f"""
.jp-RenderedMarkdown a, .jp-OutputArea-output a {{ text-decoration: underline !important; }}
.jp-OutputArea-output :focus-visible {{ outline: 2px solid {TEXT["info"]}; outline-offset: 1px; }}
.jp-OutputArea-output [class*="spw-"] .widget-hbox {{ flex-wrap: wrap; }}
.jp-OutputArea-output [class*="spw-"] .widget-vbox > .lm-Widget {{
  max-width: calc(100% - 2 * var(--jp-widgets-margin, 2px)); }}
.jp-OutputArea-output [class*="spw-"] {{ max-width: 100%; }}
.jp-OutputArea-output [class*="spw-"] .widget-radio-box label,
.jp-OutputArea-output [class*="spw-"] .widget-checkbox .widget-label-basic {{ white-space: normal; height: auto; }}
.jp-OutputArea-output [class*="spw-"] .widget-checkbox {{ height: auto; }}
.spw-chart-summary {{ color: {TEXT["muted"]}; font-size: 0.95em; margin: 2px 0 12px 0; max-width: 60em; }}
.spw-table-notes {{ color: {TEXT["muted"]}; font-size: 0.9em; margin: 2px 0 10px 0; }}
.spw-learner-table td, .spw-learner-table th {{ white-space: normal; max-width: 28em; text-align: left;
  overflow-wrap: anywhere; }}
.spw-learner-table .spw-num {{ text-align: right; }}
.spw-learner-table .spw-words {{ overflow-wrap: normal; }}
.jp-RenderedHTMLCommon .spw-learner-table tbody th, .spw-learner-table tbody th {{ text-align: left; }}
.spw-status {{ font-size: 0.85em; padding: 0 6px; border-radius: 8px; border: 1px solid {TEXT["muted"]};
  color: {TEXT["muted"]}; white-space: nowrap; }}
"""

# Plain JavaScript, no outside file; guarded so a re-run of the cell does not add a second observer.
SCRIPT = r"""
(function () {
  if (window.__spwAccessibility) { window.__spwAccessibility(); return; }
  var scope = '.jp-OutputArea-output, .jp-RenderedMarkdown';
  function nameOf(widget) {
    var label = widget.querySelector(':scope > .widget-label');
    var text = label && label.offsetParent !== null ? label.textContent.trim() : '';
    return text || (widget.getAttribute('title') || '').trim();
  }
  function named(control) {
    return control.getAttribute('aria-label') || control.getAttribute('aria-labelledby') ||
      (control.labels && Array.prototype.some.call(control.labels, function (l) {
        return l.offsetParent !== null && l.textContent.trim(); }));
  }
  function fix() {
    document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').forEach(function (widget) {
      var controls = widget.querySelectorAll(
        ':scope > select, :scope > input, :scope > textarea, :scope > .widget-readout, :scope .noUi-handle');
      if (!controls.length) { return; }
      var name = nameOf(widget);
      controls.forEach(function (control) {
        var own = name || (control.getAttribute('title') || '').trim();  // a tooltip is the name of last resort
        if (own && !named(control)) { control.setAttribute('aria-label', own); }
      });
    });
    document.querySelectorAll('.jp-RenderedMarkdown li > input[type="checkbox"]').forEach(function (box) {
      if (!named(box)) { box.setAttribute('aria-label', box.parentElement.textContent.trim().slice(0, 120)); }
    });
    document.querySelectorAll(scope).forEach(function (root) {
      [root].concat(Array.prototype.slice.call(root.querySelectorAll('div, table'))).forEach(function (el) {
        var style = getComputedStyle(el);
        var scrolls = (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
          (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1);
        if (scrolls && !el.hasAttribute('tabindex')) {
          el.setAttribute('tabindex', '0');
          if (!el.getAttribute('role')) { el.setAttribute('role', 'region'); }
          if (!el.getAttribute('aria-label')) { el.setAttribute('aria-label', 'scrollable output'); }
        }
      });
    });
  }
  var pending = null;
  window.__spwAccessibility = fix;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = setTimeout(function () { pending = null; fix(); }, 300);
  }).observe(document.body, { childList: true, subtree: true });
  fix();
})();
"""


def page_setup_html() -> str:
    """The style and the accessibility script, as one HTML output (shows nothing itself)."""
    return f'<style class="spw-page-style">{CSS}</style><script class="spw-page-script">{SCRIPT}</script>'


def show_page_setup() -> None:
    """Display the page set-up and show tables the learner's way (`helpers.ui.tables`), from `doctor()`,
    the first cell of every lesson; nothing outside IPython."""
    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:  # a notebook, not a terminal or a test
        register_table_formatter()
        display(HTML(page_setup_html()))
