"""Prefect's settings for a tool that runs from a CLI: quiet, offline, and with a home that persists.

These must be in the environment before Prefect is imported. A user's own PREFECT_* variables win.
"""

from __future__ import annotations

import os
from pathlib import Path


def prepare_prefect_env(data_dir: Path, verbose: bool = False, local_server: bool = False) -> None:
    """Quiet, offline settings; with ``local_server`` and no ``PREFECT_API_URL``, point Prefect at the
    home's shared local server (``flows.prefect_server``), started if none runs, instead of a temporary
    server of this run's own."""
    # A persistent home keeps Prefect's database migrated between runs (a new one costs ~6 s).
    os.environ.setdefault("PREFECT_HOME", str(data_dir / "prefect"))
    # Offline machines: the telemetry lookup fails loudly and ephemeral runs log lock tracebacks.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    # A failed task or flow run is logged by Prefect with its traceback, then raised to the CLI, which
    # says what happened and what to do in a line (a bug still ends in Python's traceback there). So
    # without -v, Prefect's run loggers keep quiet and the advice is the first thing a user reads.
    runs_level = "INFO" if verbose else "CRITICAL"
    os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL", runs_level)
    os.environ.setdefault("PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL", runs_level)
    # The in-process server flushes its last task-run events while it shuts down and logs the cancelled
    # flush as an ERROR with a traceback, though nothing of ours is lost: keep that behind -v too.
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    if local_server and not os.environ.get("PREFECT_API_URL"):
        from flows.prefect_server import use_local_server

        os.environ["PREFECT_API_URL"] = use_local_server(Path(os.environ["PREFECT_HOME"]))
