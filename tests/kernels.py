"""Kernels for the test run talk over IPC sockets (files), not TCP ports.

With two test workers starting kernels at once, a TCP port chosen as free by one
process can be taken by another before the kernel binds it ("Address already in
use"; seen once in five full runs). IPC sockets are files unique to each kernel,
so there is nothing to race for.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import AsyncKernelManager, KernelManager

SOCKETS = tempfile.mkdtemp(prefix="spw-kernels-")


def _ipc(kwargs: dict) -> dict:
    """IPC transport with an absolute socket path: the kernel runs in another folder than the client."""
    kwargs.setdefault("transport", "ipc")
    kwargs.setdefault("ip", os.path.join(SOCKETS, uuid.uuid4().hex[:12]))
    return kwargs


class IPCKernelManager(KernelManager):
    def __init__(self, **kwargs):
        super().__init__(**_ipc(kwargs))


class AsyncIPCKernelManager(AsyncKernelManager):
    def __init__(self, **kwargs):
        super().__init__(**_ipc(kwargs))
