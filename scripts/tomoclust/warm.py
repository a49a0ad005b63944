"""The warm worker: pay the heavy imports once per local run, not once per job.

A Snakemake job that runs a script starts a new Python process, and on this
workflow's data importing tslearn (~0.9 s) or cartopy and matplotlib (~0.3 s)
costs about as much as a fit. For a local run the workflow
starts one warm worker process (``onstart`` in rules/common.smk) that imports
them once and forks a child per job request: the child starts with everything
imported, runs the job, and exits. Jobs stay one k per job, with their own
outputs, logs and rerun rules; only the process start-up is shared.

A job script calls :func:`run_job`. It asks the worker when one is announced
in ``TOMOCLUST_WARM_SOCKET``, and otherwise (on a cluster node, or when the
worker is off or unreachable) runs the job in its own process: the results are
the same either way. If the job's client process is killed (Ctrl-C, a timeout),
the worker kills the job's child too, so no orphan writes outputs later.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

ENV_SOCKET = "TOMOCLUST_WARM_SOCKET"
ENV_PID = "TOMOCLUST_WARM_PID"
PRELOAD = ("numpy", "xarray", "netCDF4", "pandas", "threadpoolctl", "kneed", "tslearn.clustering",
           "matplotlib.pyplot", "matplotlib.backends.backend_agg", "matplotlib.backends.backend_pdf", "fontTools.subset",
           "cartopy.crs", "cartopy.feature", "cartopy.io.shapereader", "cartopy.mpl.geoaxes", "cartopy.mpl.gridliner",
           "tomoclust.fit", "tomoclust.maps", "tomoclust.profile_plots", "tomoclust.summary", "tomoclust.gather",
           "tomoclust.extract", "tomoclust.jobs")
READY_TIMEOUT_S = 60.0
IDLE_EXIT_S = 600.0


class _Names(list):
    """A list with attribute access to its named items, like Snakemake's Namedlist."""

    def __init__(self, items: list, names: dict):
        super().__init__(items)
        self.__dict__.update(names)


class JobSpec(SimpleNamespace):
    """The parts of Snakemake's ``snakemake`` object a job uses, as plain data."""

    @classmethod
    def from_snakemake(cls, snakemake) -> "JobSpec":
        return cls.from_dict(job_request("", snakemake))

    @classmethod
    def from_dict(cls, request: dict) -> "JobSpec":
        parts = {key: _Names(request[key]["items"], request[key]["names"]) for key in ("input", "output", "params", "log")}
        return cls(**parts, wildcards=SimpleNamespace(**request["wildcards"]), threads=request["threads"])


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _named(namedlist) -> dict:
    return {"items": [_plain(v) for v in namedlist], "names": {name: _plain(value) for name, value in namedlist.items()}}


def job_request(job_name: str, snakemake) -> dict:
    return {
        "job": job_name,
        "cwd": os.getcwd(),
        "input": _named(snakemake.input),
        "output": _named(snakemake.output),
        "params": _named(snakemake.params),
        "log": _named(snakemake.log),
        "wildcards": {name: str(value) for name, value in snakemake.wildcards.items()},
        "threads": int(snakemake.threads),
    }


def execute(request: dict) -> None:
    """Run one job in this process, BLAS threads capped at the job's threads.

    The cap makes results independent of where the job runs (script process,
    warm worker, cluster node): the same arithmetic in the same order.
    """
    import logging

    from threadpoolctl import threadpool_limits

    from .jobs import JOBS

    try:
        with threadpool_limits(limits=max(1, request["threads"])):
            JOBS[request["job"]](JobSpec.from_dict(request))
    except Exception:
        # Into the rule's log file (the job set up logging), so the log says why it failed.
        logging.getLogger("tomoclust").exception("job %s failed", request["job"])
        raise


def run_job(job_name: str, snakemake) -> None:
    """Entry point of every job script."""
    request = job_request(job_name, snakemake)
    socket_path = os.environ.get(ENV_SOCKET)
    if socket_path:
        reply = _ask_worker(socket_path, int(os.environ.get(ENV_PID, "0")), request)
        if reply is not None:
            if reply.get("status") != "ok":
                sys.stderr.write(reply.get("error", "the warm worker reported a failure without a message") + "\n")
                sys.exit(1)
            return
    execute(request)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return pid > 0


def _ask_worker(socket_path: str, worker_pid: int, request: dict) -> dict | None:
    """The worker's reply, or None when no worker answers (then run locally)."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            conn.connect(socket_path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            conn.close()
            # The worker is still importing; waiting for it beats importing here too.
            if time.monotonic() > deadline or not _alive(worker_pid):
                return None
            time.sleep(0.05)
    with conn:
        conn.sendall(json.dumps(request).encode() + b"\n")
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(65536)
            if not chunk:
                return {"status": "error", "error": f"the warm worker lost job {request['job']} (its process died); see the job's log"}
            data += chunk
    return json.loads(data)


# --- the worker process -------------------------------------------------------------------------


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _child(conn: socket.socket, request: dict) -> None:
    """In the forked child: run the job, reply, exit. Dies with its client."""

    def die_with_client():
        conn.recv(1)  # returns when the client closes its end
        os.kill(os.getpid(), signal.SIGKILL)

    os.chdir(request["cwd"])
    threading.Thread(target=die_with_client, daemon=True).start()
    try:
        execute(request)
        reply = {"status": "ok"}
        code = 0
    except BaseException:  # noqa: BLE001 - everything goes back to the job's client; execute() logged it
        reply = {"status": "error", "error": traceback.format_exc()}
        code = 1
    try:
        conn.sendall(json.dumps(reply).encode() + b"\n")
    finally:
        os._exit(code)


def _warm_up_figures() -> None:
    """Render a throw-away figure to PNG and PDF so fonts and renderers are loaded before forking."""
    import io

    from .plotting import plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.set_title("warm-up 0123456789 ±σ km")
    for fmt in ("png", "pdf"):
        fig.savefig(io.BytesIO(), format=fmt)
    plt.close(fig)


def serve(socket_path: str, parent_pid: int) -> None:
    import importlib
    import warnings

    warnings.filterwarnings("ignore", message="h5py not installed")
    for module in PRELOAD:
        importlib.import_module(module)
    _warm_up_figures()

    signal.signal(signal.SIGCHLD, lambda *_: _reap())
    tmp = socket_path + ".tmp"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(tmp)
    os.chmod(tmp, 0o600)
    server.listen(64)
    os.replace(tmp, socket_path)  # appears only when the worker is ready
    server.settimeout(1.0)
    last_request = time.monotonic()
    try:
        while os.getppid() == parent_pid and time.monotonic() - last_request < IDLE_EXIT_S:
            try:
                conn, _ = server.accept()
            except (socket.timeout, InterruptedError):
                continue
            conn.settimeout(None)
            last_request = time.monotonic()
            request = json.loads(_read_line(conn) or b"{}")
            if request.get("job") == "__shutdown__":
                conn.close()
                break
            if os.fork() == 0:
                server.close()
                _child(conn, request)
            conn.close()
    finally:
        server.close()
        Path(socket_path).unlink(missing_ok=True)
        _reap(block=True)


def _reap(block: bool = False) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def start_worker() -> subprocess.Popen:
    """Start the worker in the background and announce it to the jobs (called by Snakemake's onstart).

    The socket lives in a private temporary folder: a Unix socket path must be
    short (about 100 bytes), which a deep workflow directory may not be.
    """
    import tempfile

    state_dir = Path(tempfile.mkdtemp(prefix="tomoclust-warm-"))
    socket_path = str(state_dir / "worker.sock")
    scripts_dir = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [scripts_dir, os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-m", "tomoclust.warm", socket_path, str(os.getpid())], env=env,
                               stdin=subprocess.DEVNULL)
    os.environ[ENV_SOCKET] = socket_path
    os.environ[ENV_PID] = str(process.pid)
    process.socket_path = socket_path
    return process


def stop_worker(process: subprocess.Popen | None) -> None:
    if process is None:
        return
    os.environ.pop(ENV_SOCKET, None)
    os.environ.pop(ENV_PID, None)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(process.socket_path)
            conn.sendall(json.dumps({"job": "__shutdown__"}).encode() + b"\n")
    except OSError:
        process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    import shutil

    shutil.rmtree(Path(process.socket_path).parent, ignore_errors=True)


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
