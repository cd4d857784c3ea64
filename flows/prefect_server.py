"""One local Prefect server per Prefect home, shared by every edgar13d run that uses the home, and gone
when no run has used it for a while.

Why not Prefect's temporary server: each run started its own ``uvicorn`` child on one ``PREFECT_HOME``,
so two runs at once raced on that home's database migrations (``duplicate column name``), every run
paid 6.5-7 s to start one, and a run killed with ``kill -9`` left its server running with parent PID 1.
Here the first run starts ``python -m flows.prefect_server`` (the same app the temporary server runs),
detached so that stopping one run does not stop the server another run is using; later runs reuse it
(first flow in ~1.5 s). Every run holds a shared ``flock`` on ``edgar13d-server.clients`` for its
lifetime; the kernel drops it when the run ends, however it ends. The server checks every second and
exits once no run has held it for ``idle_seconds`` (30 s by default,
``EDGAR13D_PREFECT_IDLE_SECONDS``), taking that lock exclusively first, so a run arriving just then
waits and starts a new server instead of talking to one that is going away.

Chosen over ``prctl(PR_SET_PDEATHSIG)`` on the temporary server's child: that fixes orphans but not
the migration race nor the start-up cost, and it needs patching Prefect's private launcher.
A team with its own server sets ``PREFECT_API_URL`` and none of this runs.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

STATE_FILE = "edgar13d-server.json"
START_LOCK = "edgar13d-server.lock"
CLIENTS_LOCK = "edgar13d-server.clients"
LOG_FILE = "edgar13d-server.log"
IDLE_ENV = "EDGAR13D_PREFECT_IDLE_SECONDS"
DEFAULT_IDLE_SECONDS = 30.0
START_TIMEOUT_SECONDS = 120.0

_lease_fds: dict[str, int] = {}


class PrefectServerError(RuntimeError):
    """The local Prefect server would not start; the message has the end of its log."""


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    """As ``warehouse.locks`` has it; written again so that starting the server does not import the
    warehouse (duckdb and pyarrow, a third of a second)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(home: Path) -> dict | None:
    """The running server of ``home`` (pid, port, api_url), or None."""
    try:
        state = json.loads((home / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and _alive(int(state.get("pid", 0))) else None


def _flock(path: Path, mode: int, timeout: float) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                raise PrefectServerError(f"{path} stayed locked for {timeout:.0f} s") from None
            time.sleep(0.05)


def use_local_server(home: Path, idle_seconds: float | None = None, timeout: float = START_TIMEOUT_SECONDS) -> str:
    """The API URL of the home's shared server, started if none runs; this process holds it until it exits."""
    home.mkdir(parents=True, exist_ok=True)
    key = str(home.resolve())
    if key not in _lease_fds:  # the lease: held for the life of this process
        _lease_fds[key] = _flock(home / CLIENTS_LOCK, fcntl.LOCK_SH, timeout)
    start_fd = _flock(home / START_LOCK, fcntl.LOCK_EX, timeout)  # one process starts it, the others wait
    try:
        state = read_state(home)
        if state and healthy(state["api_url"]):
            return state["api_url"]
        if state:  # alive but not answering (hung): replace it
            os.kill(int(state["pid"]), signal.SIGTERM)
        return _start(home, idle_seconds, timeout)
    finally:
        fcntl.flock(start_fd, fcntl.LOCK_UN)
        os.close(start_fd)


def _start(home: Path, idle_seconds: float | None, timeout: float) -> str:
    idle = idle_seconds if idle_seconds is not None else float(os.environ.get(IDLE_ENV, DEFAULT_IDLE_SECONDS))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(Path(__file__).resolve().parents[1]), env.get("PYTHONPATH")) if p)
    log_path = home / LOG_FILE
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flows.prefect_server", "--home", str(home), "--port", str(port),
             "--idle", str(idle)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, start_new_session=True,
        )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise PrefectServerError(f"the local Prefect server exited with code {proc.returncode}; "
                                     f"the end of {log_path}:\n{_tail(log_path)}")
        if healthy(api, timeout=1.0):
            tmp = home / f"{STATE_FILE}.{os.getpid()}.tmp"
            tmp.write_text(json.dumps({"pid": proc.pid, "port": port, "api_url": api, "idle_seconds": idle}))
            os.replace(tmp, home / STATE_FILE)
            return api
        time.sleep(0.1)
    proc.terminate()
    raise PrefectServerError(f"the local Prefect server did not answer within {timeout:.0f} s; see {log_path}")


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop_local_server(home: Path, timeout: float = 30.0) -> bool:
    """Stop the home's shared server if one runs (tests, ``make clean``); True if one was stopped."""
    state = read_state(home)
    if not state:
        return False
    pid = int(state["pid"])
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)
    state_now = read_state(home)  # None once dead; a server killed by a signal leaves its file behind
    if state_now is None:
        (home / STATE_FILE).unlink(missing_ok=True)
    return True


# --- the server process ---------------------------------------------------------------------------


def _watch_idle(home: Path, idle: float, server: object) -> None:
    fd = os.open(home / CLIENTS_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    idle_since: float | None = None
    while not getattr(server, "should_exit", False):
        time.sleep(1.0)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            idle_since = None  # some run holds it
            continue
        now = time.monotonic()
        idle_since = idle_since or now
        if now - idle_since >= idle:
            # Keep the lock while going away: a run arriving now waits, then starts a new server.
            (home / STATE_FILE).unlink(missing_ok=True)
            server.should_exit = True  # type: ignore[attr-defined]
            return
        fcntl.flock(fd, fcntl.LOCK_UN)


def _server_class() -> type:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn re-raises SIGTERM once it has shut down, which would skip removing the state file."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return Server


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m flows.prefect_server")
    ap.add_argument("--home", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--idle", type=float, default=DEFAULT_IDLE_SECONDS)
    args = ap.parse_args(argv)
    home = Path(args.home)
    # What Prefect's temporary server runs: the API without the UI and the scheduling services.
    os.environ.update(PREFECT_HOME=str(home), PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1",
                      PREFECT__SERVER_FINAL="1")
    import uvicorn
    from prefect.server.api.server import create_app

    server = _server_class()(uvicorn.Config(create_app(final=True, ephemeral=True), host="127.0.0.1", port=args.port,
                                            log_level="error", lifespan="on"))
    threading.Thread(target=_watch_idle, args=(home, args.idle, server), daemon=True).start()
    try:
        server.run()
    finally:
        state = read_state(home)
        if state and int(state["pid"]) == os.getpid():
            (home / STATE_FILE).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
