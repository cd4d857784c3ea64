"""The nightly schedule: register the deployment with its cron and time zone, and serve it.

Schedules never fire on Prefect's temporary (ephemeral) server (``shared/STACK.md``), so ``serve``
talks to the server named by ``PREFECT_API_URL`` or starts a local ``prefect server`` itself and says
so. Stopping ``serve`` pauses the schedule; a team that wants schedules to outlive one process uses a
work pool and ``prefect worker start`` instead (README, "Scheduling").
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flows.config import Settings

DEPLOYMENT_NAME = "nightly"
BACKFILL_DEPLOYMENT = "backfill"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def die_with_parent() -> None:
    """``preexec_fn`` for a server that belongs to the process starting it: Linux sends it SIGTERM when
    that process dies, even by ``kill -9``, so it never lingers with parent PID 1. Elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_local_server(
    port: int | None = None, timeout: float = 90, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start ``prefect server start`` on 127.0.0.1 and wait until it answers; returns (process, api url)."""
    port = port or _free_port()
    prefect = Path(sys.executable).with_name("prefect")
    cmd = [str(prefect) if prefect.exists() else "prefect", "server", "start", "--host", "127.0.0.1",
           "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            preexec_fn=die_with_parent)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"`{' '.join(cmd)}` exited with code {proc.returncode}")
        if _healthy(api):
            return proc, api
        time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"the local Prefect server did not answer within {timeout:.0f} s")


def _concurrency_one() -> object:
    """One run of the deployment at a time across every worker; a second waits for a free slot."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)


def register_nightly(settings: Settings, config: str | None, pool: str | None = None) -> str:
    """Create or update the nightly deployment on the server in PREFECT_API_URL; returns its id.

    With ``pool``, the deployment goes to that work pool, and its entrypoint is the installed module
    (``flows.prefect_flows.nightly_flow``), so any worker with edgar13d installed can run it. Its
    concurrency limit of 1 keeps one nightly at a time whichever workers pick runs up (each run also
    waits for another nightly on the same database, ``flows.run_wait_seconds``).
    """
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from flows.prefect_flows import nightly_flow

    deployment = nightly_flow.to_deployment(
        name=DEPLOYMENT_NAME,
        schedules=[Cron(settings.nightly.cron, timezone=settings.nightly.timezone)],
        parameters={"config": str(Path(config).resolve()) if config else None},
        description="Every 13D filed since the last day processed (edgar13d nightly).",
        tags=["edgar13d"],
        work_pool_name=pool,
        entrypoint_type=EntrypointType.MODULE_PATH if pool else EntrypointType.FILE_PATH,
        concurrency_limit=_concurrency_one(),
    )
    return str(deployment.apply(work_pool_name=pool))


def register_backfill(config: str | None, pool: str) -> str:
    """The backfill deployment of a work pool: no schedule, run on demand with a CUSIP or CIKs
    (``prefect deployment run edgar13d-backfill/backfill -p cusip=805423100``). Backfills of different
    securities run side by side on the pool's workers; they share the one allowance."""
    from prefect.deployments.runner import EntrypointType

    from flows.prefect_flows import backfill_flow

    deployment = backfill_flow.to_deployment(
        name=BACKFILL_DEPLOYMENT,
        parameters={"config": str(Path(config).resolve()) if config else None},
        description="Every 13D and 13D/A of one security (cusip=...) or company (ciks=[...]).",
        tags=["edgar13d"],
        work_pool_name=pool,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return str(deployment.apply(work_pool_name=pool))


def serve_nightly(settings: Settings, config: str | None, once: bool = False, pool: str | None = None) -> int:
    """``edgar13d serve``: register the schedule, then run scheduled flows until interrupted."""
    server = None
    if not os.environ.get("PREFECT_API_URL"):
        server, api = start_local_server()
        os.environ["PREFECT_API_URL"] = api
        print(f"started a local Prefect server: UI at {api.removesuffix('/api')} (PREFECT_API_URL={api})")
    try:
        deployment_id = register_nightly(settings, config, pool if once else None)
        print(f"registered deployment edgar13d-nightly/{DEPLOYMENT_NAME} ({deployment_id}): "
              f"cron '{settings.nightly.cron}' in {settings.nightly.timezone}, one run at a time"
              + (f", work pool '{pool}' (start a worker: prefect worker start --pool {pool})" if once and pool else ""))
        if once and pool:
            backfill_id = register_backfill(config, pool)
            print(f"registered deployment edgar13d-backfill/{BACKFILL_DEPLOYMENT} ({backfill_id}) on work pool "
                  f"'{pool}': prefect deployment run edgar13d-backfill/{BACKFILL_DEPLOYMENT} -p cusip=CUSIP")
        if once:
            return 0
        from prefect.schedules import Cron

        from flows.prefect_flows import nightly_flow

        print("serving the nightly schedule; Ctrl-C stops serving (and pauses the schedule)")
        nightly_flow.serve(
            name=DEPLOYMENT_NAME,
            schedules=[Cron(settings.nightly.cron, timezone=settings.nightly.timezone)],
            parameters={"config": str(Path(config).resolve()) if config else None},
            print_starting_message=False,
        )
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
