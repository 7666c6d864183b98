"""tools/hub: the JupyterHub configuration as shipped (the hub itself runs in `make hub-load-test`)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
import yaml
from traitlets.config import Config

from helpers.learning.cli import nbgitpuller_link

REPO = Path(__file__).resolve().parents[3]
HUB = REPO / "tools" / "hub"


def load(monkeypatch, tmp_path, **env) -> Config:
    for key in ("SPW_HUB_MODE", "SPW_HUB_IP", "SPW_HUB_PORT", "SPW_HUB_API_TOKEN", "SPW_HUB_USERS", "SPW_HUB_ADMINS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SPW_HUB_STATE", str(tmp_path / "state"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    runpy.run_path(str(HUB / "jupyterhub_config.py"), init_globals={"get_config": lambda: config})
    return config


def test_server_mode_real_accounts_localhost_culler(monkeypatch, tmp_path):
    users = tmp_path / "learners.txt"
    users.write_text("# cohort 1\nana\nbruno\n\n", encoding="utf-8")
    c = load(monkeypatch, tmp_path, SPW_HUB_USERS=str(users), SPW_HUB_ADMINS="trainer")
    assert c.JupyterHub.ip == "127.0.0.1" and c.JupyterHub.hub_ip == "127.0.0.1" and c.Spawner.ip == "127.0.0.1"
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:8001"
    assert c.JupyterHub.authenticator_class == "pam" and c.JupyterHub.spawner_class == "localprocess"
    assert c.Authenticator.allowed_users == {"ana", "bruno"} and c.Authenticator.admin_users == {"trainer"}
    assert c.Spawner.notebook_dir == "~" and c.Spawner.mem_limit == "1.5G" and c.Spawner.default_url == "/lab"
    assert "--MappingKernelManager.cull_idle_timeout=1800" in c.Spawner.args and "--allow-root" not in c.Spawner.args
    culler = c.JupyterHub.services[0]
    assert culler["name"] == "idle-culler" and "--timeout=3600" in culler["command"]
    assert culler["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    role = c.JupyterHub.load_roles[0]
    assert set(role["scopes"]) == {"list:users", "read:users:activity", "read:servers", "delete:servers"}
    assert c.JupyterHub.db_url.startswith("sqlite:///") and str(tmp_path / "state") in c.JupyterHub.db_url


def test_loadtest_mode_one_folder_per_learner(monkeypatch, tmp_path):
    c = load(
        monkeypatch,
        tmp_path,
        SPW_HUB_MODE="loadtest",
        SPW_HUB_PORT="9100",
        SPW_HUB_API_TOKEN="t0k3n",
        SPW_HUB_HOMES=str(tmp_path / "homes"),
        SPW_HUB_MEM_LIMIT="900M",
    )
    assert c.JupyterHub.authenticator_class == "dummy" and c.JupyterHub.spawner_class == "simple"
    assert c.Spawner.notebook_dir == str(tmp_path / "homes" / "{username}")
    assert c.SimpleLocalProcessSpawner.home_dir_template == str(tmp_path / "homes" / "{username}")
    assert (c.JupyterHub.port, c.JupyterHub.hub_port) == (9100, 9102) and c.Spawner.mem_limit == "900M"
    assert {s["name"] for s in c.JupyterHub.services} == {"idle-culler", "load-test"}
    assert any("access:servers" in r["scopes"] for r in c.JupyterHub.load_roles if r["name"] == "load-test")


def test_an_unknown_mode_stops_the_hub(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="SPW_HUB_MODE"):
        load(monkeypatch, tmp_path, SPW_HUB_MODE="prod")


def test_z2jh_values_match_the_hub(monkeypatch, tmp_path):
    values = yaml.safe_load((HUB / "z2jh-values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    assert single["defaultUrl"] == "/lab" and single["memory"]["limit"] and single["memory"]["guarantee"]
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] == 3600
    link = nbgitpuller_link("https://github.com/strategic-procurement/workbook", branch="v1.0", targetpath="workbook")
    assert "git-pull?" in link
    hub_requirements = (HUB / "requirements.txt").read_text(encoding="utf-8")
    assert "nbgitpuller==1.3.0" in hub_requirements and "jupyterhub==6.1.1" in hub_requirements
    image_text = (HUB / "z2jh-values.yaml").read_text(encoding="utf-8")
    assert "nbgitpuller" in image_text and "jupyterhub==6.1.1" in image_text
