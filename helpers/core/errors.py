"""One exception for every problem a learner can fix.

A `LearnerError` carries a plain-language message that names the file (and the
row, where there is one), what is wrong, and what to do. Widgets show it in the
page and the command line prints it on one line; neither shows a traceback.
A message stays readable whatever the file holds: a part quoted from the data
(a 100 MB header, say) is shortened, never printed whole.
"""

from __future__ import annotations

MAX_MESSAGE = 1500  # characters of the message, the file's name and the fix, each


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """`text` cut to `limit` characters, with "…" and how much was left out."""
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[: limit - 40]}… ({len(text) - limit + 40:,} more characters)"


class LearnerError(ValueError):
    """A problem with the learner's input or set-up, explained in plain language."""

    def __init__(
        self, message: str, *, file: str | None = None, row: int | None = None, fix: str | None = None
    ) -> None:
        message, file, fix = shorten(message), shorten(file, 300) if file else file, shorten(fix) if fix else fix
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
