"""How a sourced fact's verification status is shown to learners: a small styled label next to the
fact, explained once in a footnote under the table or paragraph, never a raw code like
"[UNVERIFIED, general]". The statuses are those of `course/content` (helpers.core.content.STATUSES).
"""

from __future__ import annotations

from collections.abc import Iterable

from helpers.core.content import STATUSES
from helpers.core.safety import escape_html

MARKS = {"verified": "verified", "unverified": "unverified *", "course design": "course design †"}
MEANINGS = {
    "verified": "verified: checked against the public source given.",
    "unverified": "* unverified: reported in the course's sources or general practice, not confirmed in a public "
    "source; say so when you quote it.",
    "course design": "† course design: the course's own choice for teaching; replace it with your city's own.",
}


def is_status(value: object) -> bool:
    return str(value).strip().lower() in STATUSES


def status_mark(status: str) -> str:
    """The label shown in place of a status code (escaped; an unknown status is shown as written)."""
    key = str(status).strip().lower()
    text = MARKS.get(key, str(status))
    css = escape_html(key.replace(" ", "-"))
    meaning = escape_html(MEANINGS.get(key, text))
    return f'<span class="spw-status spw-status-{css}" title="{meaning}">{escape_html(text)}</span>'


def status_footnote(statuses: Iterable[str]) -> str:
    """One line explaining each status that occurs, in the course's order ("" when none occurs)."""
    present = {str(s).strip().lower() for s in statuses}
    lines = [MEANINGS[s] for s in STATUSES if s in present]
    if not lines:
        return ""
    return '<p class="spw-table-notes spw-status-notes">' + " ".join(escape_html(line) for line in lines) + "</p>"
