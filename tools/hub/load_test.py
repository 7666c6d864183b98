"""JupyterHub load test: N simulated learners work through modules 00 → 03 → 04 on a real hub.

A benchmark, not a timed test: it prints figures and fails (exit status 1) only when a learner could
not finish or work ended up in the wrong folder. Run it with `make hub-load-test` (LEARNERS=30 by
default), which prepares `build/hub/` (a venv with the course lock, tools/hub/requirements.txt and the
course package installed non-editable, and configurable-http-proxy from npm), then:

    build/hub/venv/bin/python tools/hub/load_test.py --learners 30

What it does, all on 127.0.0.1: copies the committed course into a bare git repository (as a trainer's
GitHub repository would be), starts JupyterHub with tools/hub/jupyterhub_config.py in "loadtest" mode
(dummy log-ins, SimpleLocalProcessSpawner, one folder per learner, the idle culler), and for each
learner, through the Hub's REST API: creates the user, starts their server, makes them a token, pulls
the course into their home with nbgitpuller (the link `python -m helpers hub-link` prints), then runs
every code cell of each notebook in a kernel through the Jupyter Server API (a session per notebook,
cells sent over the kernel's websocket with JupyterLab's cell ids, so the tools build live widgets),
plus what a learner's clicks would do: save a draft (00), save the analysis for module 4 (03), use it
and download their work (04). A sampler records each learner's memory (their server and kernels).
At the end it checks every learner's work is in their own folder, prints the figures, and stops
everything it started (the hub, which stops the servers and the proxy; then any leftover by pid).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import psutil
import requests
from hubclient import Hub, Kernel, free_port_block

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NOTEBOOKS = {
    "00": "notebooks/00_start_here.ipynb",
    "03": "notebooks/03_spend_analysis.ipynb",
    "04": "notebooks/04_procurement_strategy.ipynb",
}
# What the learner's clicks would run after each notebook's cells (the Save buttons' functions).
ACTIONS = {
    "00": (
        "from helpers.learning.progress import store\n"
        "store().save_draft('load-test', {name!r}, {{'learner': {name!r}}})\n"
        "store().record_answer('m00-cycle', '00', 1, True)"
    ),
    "03": (
        "from helpers.spend import Workbench\n"
        "saver = Workbench()\n"
        "saver.load_shipped(city, year)\n"
        "saver.save_for_module4('load test ' + {name!r})"
    ),
    "04": (
        "from helpers.spend import list_analyses\n"
        "assert list_analyses() == ['load test ' + {name!r}], list_analyses()\n"
        "from helpers.learning.my_work import export_my_work\n"
        "print('ARCHIVE', export_my_work().name)"
    ),
}
GB = 1e9


@dataclass
class Options:
    """How the simulated learners behave, and how the machine is protected."""

    keep_kernels: bool = False  # True: leave every notebook's kernel running (else shut it down, as on close)
    keep_servers: bool = False  # True: leave each server running when its learner is done (else stop it)
    reserve_gb: float = 4.0  # memory left for everything else on the machine (others share it)
    brake_gb: float = 1.5  # below this much available memory, the run stops
    learner_gb: float = 0.8  # budget per active learner (measured: ~0.6 GB RSS, one notebook open at a time)
    max_active: int = 0  # learners working at once; 0: as many as the memory budget allows


@dataclass
class Learner:
    name: str
    spawn_s: float | None = None
    pull_s: float | None = None
    first_kernel_s: float | None = None
    notebooks_s: dict[str, float] = field(default_factory=dict)
    total_s: float | None = None
    peak_rss_mb: float = 0.0
    peak_pss_mb: float = 0.0
    largest_process_mb: float = 0.0
    waited_s: float = 0.0
    archive: str = ""
    download_ok: bool = False
    failures: list[str] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return not self.failures and len(self.notebooks_s) == len(NOTEBOOKS)


# -- one learner ------------------------------------------------------------------------------------------
def pull_params(link: str) -> dict:
    """The nbgitpuller parameters of the link `python -m helpers hub-link` prints."""
    return dict(parse_qsl(urlsplit(link).query))


def run_learner(hub: Hub, learner: Learner, link: str, homes: Path, options: Options) -> None:
    name, started = learner.name, time.monotonic()
    hub.call("POST", f"/users/{name}")
    hub.call("POST", f"/users/{name}/server")
    while not hub.call("GET", f"/users/{name}").json().get("servers", {}).get("", {}).get("ready"):
        if time.monotonic() - started > 600:
            raise TimeoutError("the server was not ready within 600 s")
        time.sleep(0.5)
    learner.spawn_s = time.monotonic() - started
    token = hub.call("POST", f"/users/{name}/tokens", json={"note": "load test", "expires_in": 7200}).json()["token"]
    http = requests.Session()
    http.headers["Authorization"] = f"token {token}"
    base = f"{hub.url}/user/{name}"
    params = pull_params(link)
    pulled = time.monotonic()
    with http.get(
        f"{base}/git-pull/api",
        params={k: params[k] for k in ("repo", "branch", "targetpath")},
        stream=True,
        timeout=600,
    ) as stream:
        phase = ""
        for line in stream.iter_lines(decode_unicode=True):
            if line and line.startswith("data:"):
                event = json.loads(line[5:])
                phase = event.get("phase", phase)
                if phase in ("finished", "error"):
                    if phase == "error":
                        raise RuntimeError(f"nbgitpuller: {event.get('message')}")
                    break
    learner.pull_s = time.monotonic() - pulled
    folder = params["targetpath"]
    kernels: list[Kernel] = []
    try:
        for number, rel in NOTEBOOKS.items():
            begun = time.monotonic()
            path = f"{folder}/{rel}"
            model = http.get(f"{base}/api/contents/{path}", params={"content": 1}, timeout=120).json()
            session = http.post(
                f"{base}/api/sessions",
                timeout=300,
                json={"path": path, "name": Path(rel).name, "type": "notebook", "kernel": {"name": "python3"}},
            ).json()
            kernel = Kernel(
                f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{session['kernel']['id']}/channels", token
            )
            kernels.append(kernel)
            kernel.ready()
            if learner.first_kernel_s is None:
                learner.first_kernel_s = time.monotonic() - started
            cells = [
                (c.get("id") or uuid.uuid4().hex, "".join(c["source"]))
                for c in model["content"]["cells"]
                if c["cell_type"] == "code"
            ]
            cells.append((f"learner-action-{number}", ACTIONS[number].format(name=name)))
            for index, (cell_id, code) in enumerate(cells):
                reply = kernel.run(code, cell_id)
                if reply.get("status") != "ok":
                    learner.failures.append(f"{number} cell {index}: {reply.get('ename')}: {reply.get('evalue')}")
                    break
            else:
                learner.notebooks_s[number] = time.monotonic() - begun
            if not options.keep_kernels:  # the learner closes the notebook and shuts its kernel down
                kernel.close()
                http.delete(f"{base}/api/sessions/{session['id']}", timeout=120)
    finally:
        for kernel in kernels:
            kernel.close()
    archives = sorted((homes / name / folder / "my_work" / "downloads").glob("my-work-*.zip"))
    if archives:
        learner.archive = archives[-1].name
        served = http.get(
            f"{base}/files/{folder}/my_work/downloads/{learner.archive}", params={"download": 1}, timeout=120
        )
        learner.download_ok = served.status_code == 200 and served.content == archives[-1].read_bytes()
    learner.total_s = time.monotonic() - started
    if not options.keep_servers:  # the learner leaves; the idle culler would stop the server later
        hub.call("DELETE", f"/users/{name}/server")


def available_gb() -> float:
    return psutil.virtual_memory().available / GB


def places(options: Options, learners: int) -> int:
    """How many learners may work at once: `max_active`, else what the memory budget allows now."""
    if options.max_active:
        return max(1, min(options.max_active, learners))
    return max(1, min(learners, int((available_gb() - options.reserve_gb) / options.learner_gb)))


def safe_run(
    hub: Hub,
    learner: Learner,
    link: str,
    homes: Path,
    options: Options,
    brake: threading.Event,
    place: threading.Semaphore,
) -> None:
    waiting = time.monotonic()
    with place:  # a learner beyond the memory budget waits for a place, as at a crowded hub
        while available_gb() < options.reserve_gb + options.learner_gb and not brake.is_set():
            time.sleep(2)  # never push the shared machine into swapping or the OOM killer
        learner.waited_s = time.monotonic() - waiting
        if brake.is_set():
            learner.failures.append("not started: the run was stopped because memory ran low")
            return
        try:
            run_learner(hub, learner, link, homes, options)
        except Exception as exc:  # noqa: BLE001 - a benchmark records failures and carries on
            learner.failures.append(f"{type(exc).__name__}: {exc}")


# -- memory ------------------------------------------------------------------------------------------------
class Sampler(threading.Thread):
    """Every `interval` s: each learner's server + kernels (RSS and PSS), the hub's own processes, the machine."""

    def __init__(self, hub: Hub, learners: dict[str, Learner], options: Options, interval: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.hub_ctl, self.options = hub, options
        self.hub, self.learners, self.interval = psutil.Process(hub.process.pid), learners, interval
        self.stop_event = threading.Event()
        self.brake = threading.Event()
        self.owner: dict[int, str] = {}
        self.hub_peak_mb = 0.0
        self.base_used_gb = self._used_gb()
        self.peak_used_gb = self.base_used_gb

    @staticmethod
    def _used_gb() -> float:
        vm = psutil.virtual_memory()
        return (vm.total - vm.available) / 1e9

    def sample(self) -> None:
        rss: dict[str, float] = {}
        pss: dict[str, float] = {}
        hub_rss = self.hub.memory_info().rss
        for proc in self.hub.children(recursive=True):
            try:
                if proc.pid not in self.owner:
                    self.owner[proc.pid] = proc.environ().get("JUPYTERHUB_USER", "")
                user = self.owner[proc.pid]
                info = proc.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if user in self.learners:
                rss[user] = rss.get(user, 0) + info.rss
                pss[user] = pss.get(user, 0) + getattr(info, "pss", info.rss)
                largest = self.learners[user]
                largest.largest_process_mb = max(largest.largest_process_mb, info.rss / 1e6)
            else:
                hub_rss += info.rss
        for user, value in rss.items():
            learner = self.learners[user]
            learner.peak_rss_mb = max(learner.peak_rss_mb, value / 1e6)
            learner.peak_pss_mb = max(learner.peak_pss_mb, pss[user] / 1e6)
        self.hub_peak_mb = max(self.hub_peak_mb, hub_rss / 1e6)
        self.peak_used_gb = max(self.peak_used_gb, self._used_gb())
        if available_gb() < self.options.brake_gb and not self.brake.is_set():
            self.brake.set()  # protect the shared machine: stop the hub (and with it every learner's server)
            print(f"!! only {available_gb():.1f} GB of memory left: stopping the run", flush=True)
            self.hub_ctl.stop()

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            try:
                self.sample()
            except psutil.NoSuchProcess:
                return


# -- checks and report ---------------------------------------------------------------------------------------
def isolation_problems(homes: Path, learners: list[Learner], folder: str) -> list[str]:
    """Every learner's draft and saved analysis in their own folder, and nobody else's."""
    problems = []
    for learner in learners:
        work = homes / learner.name / folder / "my_work"
        try:
            drafts = json.loads((work / "progress.json").read_text(encoding="utf-8"))["drafts"].get("load-test", {})
        except (OSError, ValueError, KeyError):
            drafts = {}
        if set(drafts) != {learner.name}:
            problems.append(f"{learner.name}: drafts in their progress file: {sorted(drafts) or 'none'}")
        analyses = sorted(p.name for p in (work / "analyses").glob("*")) if (work / "analyses").is_dir() else []
        expected = [f"load test {learner.name}.csv", f"load test {learner.name}.json"]
        if analyses != expected:
            problems.append(f"{learner.name}: saved analyses {analyses or 'none'}")
    site = Path(sys.prefix)
    strays = [p for p in site.rglob("progress.json")] + [p for p in site.rglob("my_work") if p.is_dir()]
    problems += [f"work saved inside the shared install: {p}" for p in strays]
    return problems


def spread(values: list[float], unit: str = "s") -> str:
    values = sorted(v for v in values if v is not None)
    if not values:
        return "n/a"
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    return (
        f"median {statistics.median(values):.1f} {unit}, p90 {p90:.1f} {unit}, max {values[-1]:.1f} {unit} "
        f"(n={len(values)})"
    )


def report(
    learners: list[Learner],
    sampler: Sampler,
    problems: list[str],
    wall_s: float,
    load_before: tuple,
    leftovers: list[int],
    options: Options,
) -> str:
    done = [x for x in learners if x.completed]
    vm = psutil.virtual_memory()
    lines = [
        f"== JupyterHub load test: {len(learners)} learners, modules {' -> '.join(NOTEBOOKS)} ==",
        f"machine: {platform.platform()}, Python {platform.python_version()}, {psutil.cpu_count()} cores, "
        f"{vm.total / 1e9:.1f} GB RAM; load average before: {' / '.join(f'{x:.2f}' for x in load_before)}",
        f"learners completed: {len(done)}/{len(learners)}   (wall time for all: {wall_s / 60:.1f} min)",
        f"behaviour: at most {options.max_active} learners working at once (memory budget {options.learner_gb} GB "
        f"each, {options.reserve_gb} GB kept free); "
        + (
            "kernels left running"
            if options.keep_kernels
            else "one notebook open at a time (its kernel shut down when the learner moves on)"
        )
        + "; "
        + ("servers left running" if options.keep_servers else "server stopped when the learner is done"),
        f"time to first kernel (from 'start my server' to a ready kernel; includes spawn and nbgitpuller): "
        f"{spread([x.first_kernel_s for x in learners])}",
        f"  server spawn: {spread([x.spawn_s for x in learners])}",
        f"  nbgitpuller clone: {spread([x.pull_s for x in learners])}",
    ]
    for number in NOTEBOOKS:
        lines.append(f"notebook {number} run: {spread([x.notebooks_s.get(number) for x in learners])}")
    lines += [
        f"learner total: {spread([x.total_s for x in learners])}",
        f"per-learner peak memory (their server + kernels), RSS: {spread([x.peak_rss_mb for x in learners], 'MB')}",
        f"per-learner peak memory, PSS (shared pages split): {spread([x.peak_pss_mb for x in learners], 'MB')}",
        f"largest single process (a kernel) per learner, RSS: {spread([x.largest_process_mb for x in learners], 'MB')}",
        f"waited for a place before starting: {spread([x.waited_s for x in learners])}",
        f"hub + proxy + culler peak RSS: {sampler.hub_peak_mb:.0f} MB",
        f"machine memory in use: {sampler.base_used_gb:.1f} GB before, peak {sampler.peak_used_gb:.1f} GB",
        f"downloads through /files/ (the 'Download my work' link): {sum(x.download_ok for x in learners)}"
        f"/{len(learners)} served byte-identical",
        "work isolation: "
        + (
            "each learner's draft and saved analysis are in their own folder only"
            if not problems
            else "PROBLEMS: " + "; ".join(problems[:10])
        ),
        "failures: " + ("none" if not any(x.failures for x in learners) else ""),
    ]
    lines += [f"  {x.name}: {'; '.join(x.failures)}" for x in learners if x.failures]
    lines.append(
        "stopped: the hub, its proxy and every learner's server"
        + (f" (and {len(leftovers)} leftover process(es) by pid)" if leftovers else "")
    )
    return "\n".join(lines)


def prepare_repo(run: Path) -> tuple[str, str]:
    """A bare copy of the committed course (what learners pull) and its branch."""
    branch = subprocess.run(
        ["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    bare = run / "course.git"
    subprocess.run(
        ["git", "clone", "--quiet", "--bare", "--single-branch", "--branch", branch, str(REPO), str(bare)], check=True
    )
    return f"file://{bare}", branch


def hub_link(repo: str, branch: str) -> str:
    """The link from `python -m helpers hub-link` (the course's own command, run from this venv)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers",
            "hub-link",
            "--repo",
            repo,
            "--branch",
            branch,
            "--targetpath",
            "workbook",
            "--hub",
            "http://127.0.0.1",
        ],
        cwd=REPO,  # as a trainer runs it: from the course folder (the commands read course/content)
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=30, help="simulated learners (default 30)")
    parser.add_argument("--stagger", type=float, default=2.0, help="seconds between learners starting (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the learners' folders (build/hub/runs/…)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--keep-kernels", action="store_true", help="leave every notebook's kernel running")
    parser.add_argument("--keep-servers", action="store_true", help="leave servers running until the end")
    parser.add_argument(
        "--reserve-gb",
        type=float,
        default=4.0,
        help="start a learner only while this much memory + 1 GB is available (default 4)",
    )
    parser.add_argument(
        "--brake-gb", type=float, default=1.5, help="stop the run if available memory falls below this (default 1.5)"
    )
    parser.add_argument("--learner-gb", type=float, default=0.8, help="memory budget per working learner")
    parser.add_argument(
        "--max-active",
        type=int,
        default=0,
        help="learners working at once (default: as many as the memory budget allows)",
    )
    args = parser.parse_args(argv)
    options = Options(
        args.keep_kernels, args.keep_servers, args.reserve_gb, args.brake_gb, args.learner_gb, args.max_active
    )
    options.max_active = places(options, args.learners)

    load_before = os.getloadavg()
    run = REPO / "build" / "hub" / "runs" / datetime.now().strftime("%Y%m%d-%H%M%S")
    run.mkdir(parents=True)
    repo, branch = prepare_repo(run)
    link = hub_link(repo, branch)
    print(f"course pulled by each learner with: {link}", flush=True)
    hub = Hub(run, free_port_block(), secrets.token_hex(32))
    learners = [Learner(f"learner{i:02d}") for i in range(1, args.learners + 1)]
    leftovers: list[int] = []
    problems: list[str] = []
    sampler: Sampler | None = None
    started = time.monotonic()
    try:
        hub.start()
        print(f"hub ready on {hub.url} (log: {run / 'hub.log'})", flush=True)
        sampler = Sampler(hub, {x.name: x for x in learners}, options)
        sampler.start()
        place = threading.Semaphore(options.max_active)
        with ThreadPoolExecutor(max_workers=max(1, args.learners)) as pool:
            futures = []
            for learner in learners:
                futures.append(pool.submit(safe_run, hub, learner, link, run / "homes", options, sampler.brake, place))
                time.sleep(args.stagger)
            for learner, future in zip(learners, futures):
                future.result()
                print(
                    f"  {learner.name}: {'done' if learner.completed else 'FAILED'} in {learner.total_s or 0:.0f} s",
                    flush=True,
                )
        problems = isolation_problems(run / "homes", learners, "workbook")
    finally:
        if sampler is not None:
            sampler.stop_event.set()
            sampler.join(10)
        leftovers = hub.stop()
    wall = time.monotonic() - started
    if sampler is None:
        return 1
    text = report(learners, sampler, problems, wall, load_before, leftovers, options)
    print(text)
    (run / "report.txt").write_text(text + "\n", encoding="utf-8")
    figures = {"learners": [asdict(x) | {"completed": x.completed} for x in learners], "problems": problems}
    (run / "results.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if not args.keep:
        shutil.rmtree(run / "homes", ignore_errors=True)
        shutil.rmtree(run / "course.git", ignore_errors=True)
    ok = all(x.completed for x in learners) and not problems
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
