"""Fixtures every test module may use."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


def _shared_dir() -> Path | None:
    """The team's shared data (../shared beside the clone), or None where this machine has none."""
    for candidate in (REPO.parent / "shared", REPO / ".." / "shared"):
        if (candidate / "corpus").is_dir():
            return candidate.resolve()
    return None


SHARED = _shared_dir()


NO_SHARED = "../shared (the team's corpus and labels) is not present beside this clone"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip(NO_SHARED)
    return SHARED


def shared_params(values: list) -> list:
    """Test parameters read from ../shared; without it, one skipped parameter that says why there are none
    (an empty list would skip with pytest's own "got empty parameter set")."""
    if SHARED is None:
        return [pytest.param(None, id="no-shared", marks=pytest.mark.skip(reason=NO_SHARED))]
    return values


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session", autouse=True)
def machine_state_dir(tmp_path_factory) -> Path:
    """The per-user folder of the machine-wide rate-limit window, private to this test session (and to the
    CLI subprocesses the tests start, which inherit it), so tests never write the user's ~/.cache."""
    import os

    folder = tmp_path_factory.mktemp("edgar13d-state")
    os.environ["EDGAR13D_STATE_DIR"] = str(folder)
    return folder


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis server for the session, started here on a free port of 127.0.0.1 with no persistence,
    and stopped at the end. `.ci/run` installs it (Debian's redis-server); elsewhere the tests that need it
    skip, saying so. Under CI a missing server is a failure, never a skip."""
    import os
    import shutil
    import subprocess
    import time

    binary = shutil.which("redis-server") or shutil.which("valkey-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run must install it (apt-get install redis-server)")
        pytest.skip("redis-server is not installed here (.ci/run installs it: apt-get install redis-server)")
    import redis

    from flows.deploy import die_with_parent

    port = _free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--protected-mode", "yes", "--loglevel", "warning"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    deadline = time.monotonic() + 20
    try:
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{binary} did not start on port {port}") from None
                time.sleep(0.05)
        yield url
    finally:
        client.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session", autouse=True)
def no_prefect_server_outlives_the_session(tmp_path_factory):
    """The safety net behind each test's own clean-up: at the end, stop any local Prefect server whose
    home is in this session's temporary folders (a run the tests killed leaves its home's server to
    its idle shutdown; the suite does not wait for that)."""
    yield
    from flows.prefect_server import stop_local_server

    base = tmp_path_factory.getbasetemp()
    for state in base.rglob("edgar13d-server.json"):
        stop_local_server(state.parent)


@pytest.fixture(scope="module")
def prefect_home(tmp_path_factory):
    """One Prefect home per test module: its database is migrated once, and the module's runs share its
    local server (started by the first run); stopped when the module is done."""
    from flows.prefect_server import stop_local_server

    home = tmp_path_factory.mktemp("prefect-home")
    yield home
    stop_local_server(home)
