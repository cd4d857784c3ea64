"""Whose turn it is at one database: the write lease, the readers, and one run of a kind at a time.

DuckDB lets one process open a file for writing and then no other process may open it at all, not even
read-only. edgar13d's processes therefore take turns through ``flock`` locks in a folder beside the
database (``edgar13d.duckdb.locks/``):

- ``write.lock``: a writer holds it exclusively while its DuckDB connection is open, readers hold it
  shared while theirs is. ``holder.json`` says who writes (PID, command, since when) for the messages.
- ``waiting.lock``: whoever waits for ``write.lock`` holds it shared, so the holder can see that someone
  waits and let go as soon as its current call ends.
- ``run-<name>.lock``: one nightly (or one backfill of a CUSIP) at a time; its content says who runs.

``flock`` because the kernel releases the locks of a process that dies, even by ``kill -9``: a crashed
run can never leave the database locked. These are advisory: a program that is not edgar13d (the DuckDB
CLI, a notebook) only meets DuckDB's own lock, which the warehouse waits out too.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Notice = Callable[[str], None]


def print_notice(message: str) -> None:
    """The default way a waiting process says so: one line on stderr."""
    print(f"edgar13d: {message}", file=sys.stderr, flush=True)


def this_process() -> str:
    """What this process is, in the words a user typed (``edgar13d nightly --until ...``)."""
    argv = list(sys.argv) or ["python"]
    argv[0] = "edgar13d" if Path(argv[0]).name in ("cli.py", "edgar13d") else Path(argv[0]).name
    text = " ".join(a for a in argv if a)
    return text if len(text) < 160 else text[:157] + "..."


@dataclass
class Sharing:
    """How a Warehouse shares its file with other edgar13d processes.

    ``wait_seconds`` bounds each wait for a turn; ``idle_release_seconds`` is how long a connection stays
    open with nothing to do (someone waiting makes it close at once); ``notice`` is told, in a line,
    whom a long wait is for; ``who`` describes this process to the others.
    """

    wait_seconds: float = 600.0
    idle_release_seconds: float = 2.0
    notice: Notice | None = print_notice
    notice_after_seconds: float = 2.0
    who: str = ""


class LockTimeout(Exception):
    """A turn did not come within the bound; the message names whom it waited for."""


def lock_folder(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".locks")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_holder(path: Path) -> dict[str, Any] | None:
    """The identity a holder wrote into ``path``, if that process still lives."""
    try:
        info = json.loads(path.read_text() or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or not _alive(int(info.get("pid", 0) or 0)):
        return None
    return info


def describe(info: dict[str, Any] | None, fallback: str) -> str:
    if not info:
        return fallback
    since = info.get("since", "")
    return f"`{info.get('who') or 'edgar13d'}` (PID {info['pid']}{f', since {since}' if since else ''})"


def identity(who: str) -> dict[str, Any]:
    return {"pid": os.getpid(), "who": who or this_process(),
            "since": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")}


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def wait_for_flock(fd: int, exclusive: bool, wait_seconds: float, what: str, holder: Callable[[], str],
                   notice: Notice | None, notice_after: float, setting: str, max_delay: float = 0.1) -> float:
    """Take ``flock`` on ``fd`` within ``wait_seconds``; says whom it waits for once the wait passes
    ``notice_after`` seconds (and again every ten minutes). Returns the seconds waited."""
    mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
    start = time.monotonic()
    told_at = None
    delay = 0.01
    while True:
        try:
            fcntl.flock(fd, mode)
            waited = time.monotonic() - start
            if told_at is not None and notice:
                notice(f"{what}: its turn came after {_duration(waited)}; going on")
            return waited
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if waited >= wait_seconds:
            raise LockTimeout(f"{what}: gave up after {_duration(waited)} waiting for {holder()} ({setting} "
                              f"is {wait_seconds:g} s). Run it again once that is done, or raise {setting}.")
        if notice and waited >= notice_after and (told_at is None or waited - told_at >= 600):
            told_at = waited
            notice(f"{what}: waiting for {holder()}; it goes on by itself when that is done "
                   f"(waiting up to {_duration(wait_seconds)}, {setting})")
        time.sleep(delay)
        delay = min(delay * 2, max_delay)


@contextmanager
def run_lock(db_path: Path, name: str, *, wait_seconds: float, notice: Notice | None = print_notice,
             who: str = "", what: str | None = None) -> Iterator[float]:
    """One run named ``name`` (``nightly``, ``backfill-cusip-805423100``) at a time on this database:
    a second one waits for the first, then runs (and finds the work done). Yields the seconds waited."""
    folder = lock_folder(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{name}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        waited = wait_for_flock(
            fd, True, wait_seconds, what or f"this {name} run",
            lambda: describe(read_holder(path), f"another {name} run"),
            notice, 0.0, "flows.run_wait_seconds")
        data = json.dumps(identity(who)).encode()
        os.pwrite(fd, data, 0)
        os.ftruncate(fd, len(data))
        try:
            yield waited
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
