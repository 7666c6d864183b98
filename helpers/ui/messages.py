"""The one message type: a problem (or a note) about the learner's input, and its HTML.

Every tool that checks something (a returns file, an objective, a criteria draft,
an uploaded table) reports `Issue`s; `issues_html` shows them the same way
everywhere: the severity in words, where, what is wrong, what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from helpers.core.safety import escape_html
from helpers.ui.theme import MESSAGE_STYLES, TEXT

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Issue:
    """One finding. `severity`: "error" (must be fixed; a row with one is left out), "warning" (kept, but
    look at it) or "info". `where` is in the learner's words ("bids.csv, line 12", "objective 2")."""

    message: str
    severity: str = "error"
    fix: str = ""
    where: str = ""
    code: str = ""
    line: int | None = None  # the line in the learner's file, when the issue is about one
    item: int | None = None  # the position (0-based) of the item in a list, when it is about one
    field: str = ""  # the field or column concerned

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def __str__(self) -> str:
        text = (f"{self.where}: " if self.where else "") + self.message.rstrip(".") + "."
        return text + (f" {self.fix.rstrip('.')}." if self.fix else "")

    def to_dict(self) -> dict:
        return asdict(self)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity == "error" for i in issues)


def issues_html(
    issues: Iterable[Issue], *, ok_text: str = "No problems found.", heading: str = "", css_class: str = "spw-issues"
) -> str:
    """The issues as an escaped list, errors first, each with its severity in words (never colour alone)."""
    items = sorted(issues, key=lambda i: SEVERITIES.index(i.severity))
    head = f"<div>{escape_html(heading)}</div>" if heading else ""
    if not items:
        return (
            f'<div class="{css_class} spw-ok">{head}<span style="color:{TEXT["ok"]}">'
            f"{escape_html(ok_text)}</span></div>"
        )
    rows = "".join(
        f'<li class="spw-issue spw-{i.severity}" style="color:{TEXT[i.severity]}">'
        f"<b>{MESSAGE_STYLES[i.severity][2]}:</b> {escape_html(str(i))}</li>"
        for i in items
    )
    return f'<div class="{css_class}">{head}<ul>{rows}</ul></div>'
