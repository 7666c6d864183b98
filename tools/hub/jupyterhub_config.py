"""JupyterHub for a cohort on one server (see course/cohorts.md).

    jupyterhub -f tools/hub/jupyterhub_config.py

run from a virtual environment holding requirements.lock, tools/hub/requirements.txt and the course
package (non-editable). Everything is set by environment variables, so the file itself stays as shipped:

SPW_HUB_MODE        "server" (default): one real account per learner (Linux accounts, PAM log-in), each
                    learner's server runs as that account in their home folder.
                    "loadtest": dummy log-ins and SimpleLocalProcessSpawner (no accounts, NO isolation
                    between learners: only for tools/hub/load_test.py and trials on your own machine).
SPW_HUB_IP          address the hub listens on (default 127.0.0.1: put a TLS reverse proxy in front).
SPW_HUB_PORT        port (default 8000); the proxy's API uses PORT+1 and the hub itself PORT+2.
SPW_HUB_STATE       folder for the hub's database, cookie secret and pid files (default /srv/spw-hub).
SPW_HUB_PROXY       configurable-http-proxy command (default: build/hub/proxy/node_modules/.bin/…,
                    as `make hub-load-test` installs it from npm; else the one on PATH).
SPW_HUB_MEM_LIMIT   memory per learner (default 1.5G; see course/cohorts.md for the measurement). Enforced
                    only by spawners that can (systemdspawner, DockerSpawner, KubeSpawner); the local
                    process spawners pass it on as MEM_LIMIT without enforcing it.
SPW_HUB_CULL_AFTER  seconds without activity before a learner's server is stopped (default 3600);
                    their files stay, the next log-in starts a fresh server.
SPW_HUB_USERS       file with one learner account name per line (server mode): who may log in.
SPW_HUB_ADMINS      comma-separated trainer account names (server mode).
SPW_HUB_HOMES       loadtest mode: folder holding one home per learner (default STATE/homes).
SPW_HUB_API_TOKEN   loadtest mode: token of the "load-test" service that drives the hub's REST API.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BIN = Path(sys.executable).parent  # the hub's venv: jupyterhub-singleuser and the culler live here
MODE = os.environ.get("SPW_HUB_MODE", "server")
if MODE not in ("server", "loadtest"):
    raise SystemExit(f"SPW_HUB_MODE must be 'server' or 'loadtest', not {MODE!r}")
IP = os.environ.get("SPW_HUB_IP", "127.0.0.1")
PORT = int(os.environ.get("SPW_HUB_PORT", "8000"))
STATE = Path(os.environ.get("SPW_HUB_STATE", "/srv/spw-hub")).expanduser().resolve()
STATE.mkdir(parents=True, exist_ok=True)
PROXY = os.environ.get("SPW_HUB_PROXY") or str(
    REPO / "build" / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
)
if not Path(PROXY).exists():
    PROXY = "configurable-http-proxy"  # installed globally with npm
MEM_LIMIT = os.environ.get("SPW_HUB_MEM_LIMIT", "1.5G")
CULL_AFTER = int(os.environ.get("SPW_HUB_CULL_AFTER", "3600"))

# -- the hub and its proxy: 127.0.0.1 unless told otherwise ---------------------------------------------
c.JupyterHub.ip = IP
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 2
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
c.ConfigurableHTTPProxy.command = [PROXY]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every learner's server

# -- each learner's server ---------------------------------------------------------------------------------
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.start_timeout = 300  # a class logging in at once on two cores: spawns queue up
c.Spawner.http_timeout = 300
c.Spawner.environment = {
    # Work goes into the learner's own clone (helpers finds it from the notebook's folder); a shared,
    # read-only package install is never written to.
    "PYTHONUNBUFFERED": "1",
}
c.JupyterHub.concurrent_spawn_limit = 100
# A notebook closed without shutting its kernel down keeps ~0.3-0.4 GB (module 3): each server shuts
# down kernels that nobody has had open for 30 minutes (saved work is on disk; only variables go).
KERNEL_CULLING = [
    "--MappingKernelManager.cull_idle_timeout=1800",
    "--MappingKernelManager.cull_interval=300",
    "--MappingKernelManager.cull_connected=False",
]
c.Spawner.args = list(KERNEL_CULLING)

# -- the idle culler (jupyterhub-idle-culler, a hub-managed service) ---------------------------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_AFTER}", "--cull-every=300"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]

if MODE == "server":
    # One Linux account per learner (created by the trainer: see course/cohorts.md); PAM checks the password.
    c.JupyterHub.authenticator_class = "pam"
    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.notebook_dir = "~"
    users_file = os.environ.get("SPW_HUB_USERS")
    if users_file:
        c.Authenticator.allowed_users = {
            line.strip()
            for line in Path(users_file).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        }
    c.Authenticator.admin_users = {n.strip() for n in os.environ.get("SPW_HUB_ADMINS", "").split(",") if n.strip()}
else:
    # Load test and trials only: no accounts, every server runs as the hub's own user, in its own folder.
    homes = Path(os.environ.get("SPW_HUB_HOMES", STATE / "homes")).expanduser().resolve()
    homes.mkdir(parents=True, exist_ok=True)
    c.JupyterHub.authenticator_class = "dummy"
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(homes / "{username}")
    c.Spawner.notebook_dir = str(homes / "{username}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        c.Spawner.args = [*KERNEL_CULLING, "--allow-root"]  # the servers run as root here: JupyterLab needs telling
    token = os.environ.get("SPW_HUB_API_TOKEN")
    if token:
        c.JupyterHub.services.append({"name": "load-test", "api_token": token})
        c.JupyterHub.load_roles.append(
            {
                "name": "load-test",
                "scopes": ["admin:users", "admin:servers", "access:servers", "tokens", "list:users", "read:users"],
                "services": ["load-test"],
            }
        )
