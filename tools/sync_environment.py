"""Write environment.yml (Binder) from requirements.lock, so both install the same pins.

Binder's build copies only environment.yml before creating the environment, so
the pins are listed inline rather than referenced with `-r`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = "3.11.7"


def render(lock_text: str) -> str:
    pins = [line.strip() for line in lock_text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    lines = [
        "# Binder environment. Generated from requirements.lock by tools/sync_environment.py:",
        "# edit the lock, then run `make lock`. tests/unit/test_setup.py checks the two agree.",
        "name: strategic-procurement-workbook",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f"      - {pin}" for pin in pins]
    return "\n".join(lines) + "\n"


def main() -> int:
    target = ROOT / "environment.yml"
    text = render((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    if "--check" in sys.argv:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print("environment.yml is out of date: run `make lock`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
