"""Repository-wide pytest set-up (also applies to nbval runs over notebooks/).

Tests must never touch a learner's real work: every kernel started by the test
run (papermill, nbval, JupyterLab) saves progress in a throw-away folder.
"""

from __future__ import annotations

import os
import tempfile


def pytest_configure(config):
    if "SPW_WORK_DIR" not in os.environ:
        os.environ["SPW_WORK_DIR"] = tempfile.mkdtemp(prefix="spw-test-work-")
    # nbval's kernels use IPC sockets too (see tests/kernels.py: no TCP port race between workers).
    try:
        import nbval.kernel

        from tests.kernels import IPCKernelManager

        nbval.kernel.KernelManager = IPCKernelManager
    except ImportError:  # nbval not installed: nothing to patch
        pass
