"""Windows and macOS: no POSIX-only module is needed to import the course or save progress."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
POSIX_ONLY = ("fcntl", "pwd", "grp", "termios", "tty", "pty", "resource", "posix", "crypt", "syslog")
# Made unavailable at run time: the ones pandas, IPython and Jupyter do without on Windows too
# (blocking `posix` itself would stop the interpreter's own `os` machinery, not only the course).
BLOCKED = ("fcntl", "pwd", "grp", "termios", "resource")

SCRIPT = """
import importlib, json, pkgutil, sys
for name in %r:
    sys.modules[name] = None            # `import fcntl` now raises ImportError, as on Windows
import helpers
failed = {}
for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
    try:
        importlib.import_module(info.name)
    except Exception as exc:
        failed[info.name] = repr(exc)
from helpers.learning.progress import store
s = store()
s.record_answer("m01-scale", "01", 1, True)
s.save_draft("criteria", "Schools", {"price_weight": 40})
print(json.dumps({"failed": failed, "answer": store().answer("m01-scale"), "path": str(s.path)}))
"""


def test_package_imports_and_saves_progress_without_posix_only_modules(tmp_path):
    env = {**os.environ, "SPW_WORK_DIR": str(tmp_path / "work"), "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT % (BLOCKED,)], cwd=REPO, env=env, capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed"] == {}
    assert report["answer"]["correct"] is True
    saved = json.loads(Path(report["path"]).read_text(encoding="utf-8"))
    assert saved["drafts"]["criteria"]["Schools"]["content"] == {"price_weight": 40}


def test_no_helpers_module_imports_a_posix_only_module():
    found = []
    for path in (REPO / "helpers").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] in POSIX_ONLY]
    assert found == []
