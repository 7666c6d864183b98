"""One exception for every problem a learner can fix.

A `LearnerError` carries a plain-language message that names the file (and the
row, where there is one), what is wrong, and what to do. Widgets show it in the
page and the command line prints it on one line; neither shows a traceback.
"""

from __future__ import annotations


class LearnerError(ValueError):
    """A problem with the learner's input or set-up, explained in plain language."""

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None, fix: str | None = None
    ) -> None:
        self.file, self.row, self.fix = file, row, fix
        parts = []
        if file:
            parts.append(f"{file}" + (f", line {row}" if row is not None else "") + ":")
        parts.append(message.rstrip("."))
        text = " ".join(parts) + "."
        if fix:
            text += f" {fix.rstrip('.')}."
        self.message = text
        super().__init__(text)

    def __str__(self) -> str:
        return self.message
