"""What the evaluation simulator remembers, and how it reopens on it.

"Remember these settings and bids" stores, in the learner's progress file (tool "simulator"): the
bids chosen (a featured tender, the brief's example, or the learner's own bids, which are kept
as a file in my_work/bids/ first), the price formula, the price weight, the minimum quality,
the linear formula's bounds and the log formula's base, and which tender the notebook cell
asked for. When the same cell runs again (after reopening the notebook or restarting the
kernel) the simulator opens on all of it, or says plainly what it could not restore and why.
A cell that asks for other bids opens on those, and says that other settings are remembered.
"""

from __future__ import annotations

from datetime import UTC, datetime

from helpers.core.errors import LearnerError
from helpers.learning.progress import store
from helpers.tendering.evaluation import FORMULAS
from helpers.tendering.saved_bids import load_saved_bids, relative, save_bids
from helpers.ui.display import message_html

TOOL = "simulator"
SAVED = "saved:"
NUMBERS = ("min_quality", "lower", "upper", "base", "price_weight")


def source_words(source: str, labels: dict[str, str]) -> str:
    """A bids choice in words ("tender PV-T-2025-017", "your bids my_work/bids/x.csv")."""
    if source.startswith(SAVED):
        return "your bids " + labels.get(source, source[len(SAVED) :]).removeprefix("Your bids: ")
    if source.startswith("tender:"):
        return f"tender {source.split(':', 1)[1]}"
    return labels.get(source, source)


class RememberedSettings:
    """The remember / restore / forget part of `EvaluationSimulator` (a mixin: it uses the simulator's
    controls `source`, `formula`, `price_weight`, `min_quality`, `lower`, `upper`, `base`, and
    `remember_message` and `remember_downloads`, its `opened_with` and `own_bids`, and its `keep_own_bids`)."""

    def settings(self) -> dict:
        """The current settings, as they would be remembered."""
        return {
            "source": self.source.value,
            "formula": self.formula.value,
            "price_weight": self.price_weight.value,
            "min_quality": self.min_quality.value,
            "lower": self.lower.value,
            "upper": self.upper.value,
            "base": self.base.value,
            "opened_with": self.opened_with,
        }

    def _labels(self) -> dict[str, str]:
        return {value: label for label, value in self.source.options}

    def remember_settings(self) -> dict:
        """Keep the bids (the learner's own as a file) and the settings in the progress store; say what and where."""
        self.remember_downloads.clear()
        if self.source.value == "mine" and self.own_bids is not None:
            name = "form-bids" if self.own_label in ("", "the form") else self.own_label
            self.keep_own_bids(self.own_bids, name)  # the form's (or the cell's) bids become a kept file
        settings = {**self.settings(), "remembered_at": datetime.now(UTC).isoformat(timespec="seconds")}
        progress = store()
        progress.save_settings(TOOL, settings)
        self.remember_message.value = message_html(
            f"Remembered in {progress.path}: {self._summary(settings)}. When this cell runs again, also after "
            "a restart, the simulator opens on them.",
            "ok",
        )
        self.remember_downloads.offer_on_binder()
        return settings

    def forget_settings(self) -> None:
        """Forget the remembered settings (kept bids files stay in my_work/bids/)."""
        self.remember_downloads.clear()
        store().save_settings(TOOL, {})
        self.remember_message.value = message_html(
            "Forgotten: next time the simulator opens on what the cell asks for. Bids you uploaded stay in "
            "my_work/bids/ and in the Bids list.",
            "info",
        )

    def _summary(self, settings: dict) -> str:
        parts = [
            source_words(settings["source"], self._labels()),
            f"the {settings['formula']} formula",
            f"price weight {settings['price_weight']}",
            f"minimum quality {settings['min_quality']}%",
        ]
        if settings["formula"] == "linear":
            parts.append(f"bounds EUR {settings['lower']:,.0f} to {settings['upper']:,.0f}")
        if settings["formula"] == "log":
            parts.append(f"base A = {settings['base']:g}")
        return ", ".join(parts)

    def restore(self) -> None:
        """Open on the remembered settings when they were remembered from this same cell; else say
        that others are remembered. Nothing that cannot be restored is guessed: it is said."""
        saved = store().load_settings(TOOL)
        if not saved or not saved.get("source"):
            return
        same = saved.get("opened_with", {"tender": self.opened_with["tender"], "bids": None}) == self.opened_with
        if not same:
            self.remember_message.value = message_html(
                f"You have remembered settings for {source_words(saved['source'], self._labels())}; this cell asks "
                "for other bids, so it opens on those. Choose them in the Bids list to go back.",
                "info",
            )
            return
        notes = []
        source = saved["source"]
        values = [v for _, v in self.source.options]
        if source.startswith(SAVED):
            try:
                load_saved_bids(source[len(SAVED) :])
            except LearnerError as exc:
                notes.append(f"{exc} The simulator opens on {source_words(self.source.value, self._labels())}.")
                source = self.source.value
        elif source not in values:
            notes.append(
                f"{source_words(source, self._labels())} is not in the course data any more, so the simulator "
                f"opens on {source_words(self.source.value, self._labels())}."
            )
            source = self.source.value
        self.select_source(source)
        self._busy = True
        try:
            self.formula.value = saved.get("formula") if saved.get("formula") in FORMULAS else "relative"
            for key in NUMBERS:
                if isinstance(saved.get(key), (int, float)) and not isinstance(saved.get(key), bool):
                    control = getattr(self, key)
                    value = type(control.value)(saved[key])
                    control.value = min(max(value, control.min), control.max) if hasattr(control, "min") else value
        finally:
            self._busy = False
        restored = self._summary({**self.settings(), "source": self.source.value})
        self.remember_message.value = message_html(
            " ".join(
                [
                    f"Opened on the settings you remembered: {restored}.",
                    *notes,
                    "Change them freely; click 'Remember these settings and bids' to keep new ones.",
                ]
            ),
            "warning" if notes else "info",
        )

    def keep_own_bids(self, bids, name: str) -> str:
        """Keep the learner's bids as a file in my_work/bids/ and choose them; returns what happened in words."""
        path, what = save_bids(bids, name)
        self.add_saved_option(path.name, relative(path))
        self.select_source(f"{SAVED}{path.name}")
        return what
