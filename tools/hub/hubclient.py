"""Drive a JupyterHub and its kernels from Python: start/stop the hub, run code in a kernel.

Used by tools/hub/load_test.py. `Hub` starts JupyterHub with tools/hub/jupyterhub_config.py in
"loadtest" mode on 127.0.0.1 and stops it by its pid; `Kernel` executes code over a kernel's websocket
the way JupyterLab does (Jupyter messaging protocol 5.3, JSON or binary frames).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import psutil
import requests
import websocket

HERE = Path(__file__).resolve().parent
CELL_TIMEOUT = 900.0  # seconds: a cell on a crowded machine may wait long for a core


# -- the hub ---------------------------------------------------------------------------------------------
def free_port_block(size: int = 3) -> int:
    """A port P with P..P+size-1 free on 127.0.0.1 (the hub, its proxy API and the hub's own port)."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            start = probe.getsockname()[1]
        if start + size > 65535:
            continue
        try:
            sockets = []
            for port in range(start, start + size):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return start
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise SystemExit("no free block of ports on 127.0.0.1")


class Hub:
    """JupyterHub started with tools/hub/jupyterhub_config.py in loadtest mode; stopped by its pid."""

    def __init__(self, run: Path, port: int, token: str) -> None:
        self.run, self.port, self.token = run, port, token
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"token {token}"

    def start(self) -> None:
        state = self.run / "state"
        state.mkdir(parents=True)
        env = {
            **os.environ,
            "SPW_HUB_MODE": "loadtest",
            "SPW_HUB_PORT": str(self.port),
            "SPW_HUB_STATE": str(state),
            "SPW_HUB_HOMES": str(self.run / "homes"),
            "SPW_HUB_API_TOKEN": self.token,
            "SPW_HUB_CULL_AFTER": "3600",
        }
        for name in ("SPW_ROOT", "SPW_WORK_DIR", "PYTHONPATH"):
            env.pop(name, None)
        log = open(self.run / "hub.log", "wb")  # noqa: SIM115 - closed when the hub stops
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(HERE / "jupyterhub_config.py")],
            cwd=state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the hub stopped at start-up: see {self.run / 'hub.log'}")
            try:
                if self.api.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"the hub did not answer within 120 s: see {self.run / 'hub.log'}")

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.api.request(method, f"{self.url}/hub/api{path}", timeout=120, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {response.status_code} {response.text[:200]}")
        return response

    def stop(self) -> list[int]:
        """Stop the hub (it stops the learners' servers and the proxy), then any leftover; return their pids."""
        if self.process is None:
            return []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group this script started
                self.process.wait(30)
        marker = f"127.0.0.1:{self.port + 2}/hub/api"
        leftovers = []
        for proc in psutil.process_iter(["pid"]):
            try:
                if marker in proc.environ().get("JUPYTERHUB_API_URL", ""):
                    proc.kill()
                    leftovers.append(proc.pid)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return leftovers


# -- one kernel over its websocket ------------------------------------------------------------------------
class Kernel:
    """Execute code in a kernel through the Jupyter Server's websocket, as JupyterLab does."""

    def __init__(self, url: str, token: str) -> None:
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{url}?session_id={self.session}", timeout=CELL_TIMEOUT, header=[f"Authorization: token {token}"]
        )

    def _send(self, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": msg_type,
                        "session": self.session,
                        "username": "learner",
                        "version": "5.3",
                        "date": datetime.now(UTC).isoformat(),
                    },
                    "parent_header": {},
                    "metadata": metadata or {},
                    "content": content,
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        return msg_id

    def _receive(self) -> dict:
        data = self.ws.recv()
        if isinstance(data, bytes):  # a message with binary buffers: offsets first, the JSON message first
            count = int.from_bytes(data[:4], "big")
            offsets = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(count)]
            data = data[offsets[0] : offsets[1] if count > 1 else None]
        return json.loads(data)

    def _wait(self, msg_id: str, reply_type: str) -> dict:
        reply, idle, deadline = None, False, time.monotonic() + CELL_TIMEOUT
        while not (reply and idle):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {reply_type} within {CELL_TIMEOUT:.0f} s")
            msg = self._receive()
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg.get("msg_type") or msg["header"]["msg_type"]
            if kind == reply_type:
                reply = msg["content"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
        return reply

    def ready(self) -> None:
        self._wait(self._send("kernel_info_request", {}), "kernel_info_reply")

    def run(self, code: str, cell_id: str) -> dict:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        return self._wait(self._send("execute_request", content, {"cellId": cell_id}), "execute_reply")

    def close(self) -> None:
        self.ws.close()
