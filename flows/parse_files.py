"""``edgar13d parse`` over local files: each file's report, in the order given, parsed on every core.

Why: parsing is pure CPU, and one process uses one core of the machine. Over many files the work is
spread over worker processes, each file's printed report (its summary, or its JSON line) is made in the
worker, and the main process prints the reports in the order the files were given, so the output is the
one-process output. At most a few chunks of files are out at a time, so memory stays flat however many
files are given. A few files are parsed in this process: starting workers would cost more than it saves.

Workers start from a fresh interpreter (``forkserver``, with the parser imported once in the server),
never a ``fork`` of a process that may hold threads.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from extractors.model import ExtractionError, ParsedFiling
from extractors.parse import parse_filing

# Below this many files, parse in this process (a worker pool takes a few tenths of a second to start,
# some fifty files' parse).
PARALLEL_FROM = 32
# Files per task sent to a worker: enough that passing them costs little beside their parse.
CHUNK = 16


@dataclass(frozen=True)
class Report:
    """What ``edgar13d parse`` prints for one file: to stdout, to stderr, and whether it failed."""

    out: str | None
    err: str | None
    failed: bool


def report(name: str, as_json: bool) -> Report:
    """Parse one file and say what was found (or why nothing could be), as the command prints it."""
    try:
        parsed = parse_filing(Path(name).read_bytes(), source=name)
    except (OSError, ExtractionError) as exc:
        reason = exc.reason if isinstance(exc, ExtractionError) else "unreadable"
        if as_json:
            return Report(json.dumps({"file": name, "error": str(exc), "reason": reason}), None, True)
        return Report(None, f"{name}: FAILED ({exc})", True)
    if as_json:
        return Report(json.dumps(parsed.to_json(name), ensure_ascii=False), None, False)
    return Report(summary(name, parsed), None, False)


def summary(name: str, parsed: ParsedFiling) -> str:
    """The readable summary of one parsed filing: its schedule line, a line per person, its warnings."""
    f = parsed.filing
    amendment = f" Amendment No. {f['amendment_number']}" if f.get("amendment_number") else ""
    rule = f" | Rule 13d-1({', '.join(f['rule_13d_1'])})" if f.get("rule_13d_1") else ""
    lines = [
        name,
        f"  Schedule {f.get('schedule')}{rule} | {f.get('form_type') or '(bare document)'}{amendment} | "
        f"{f.get('issuer_name')} | CUSIP {f.get('cusip')} | event {f.get('event_date')} | {f['document_format']}",
    ]
    for p in parsed.reporting_persons:
        pct = p.get("percent_of_class")
        agg = p.get("aggregate_amount")
        who = f"  - {p.get('name')}: {agg:,.0f} shares" if agg is not None else f"  - {p.get('name')}: (no aggregate)"
        lines.append(f"{who} ({pct}%)" if pct is not None else f"{who} ")
    lines.extend(f"  ! {w}" for w in parsed.warnings)
    return "\n".join(lines)


def _reports(names: Sequence[str], as_json: bool) -> list[Report]:
    """The work of one task in a worker: a chunk of files."""
    return [report(name, as_json) for name in names]


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def reports(names: Sequence[str], as_json: bool, workers: int = 0) -> Iterator[Report]:
    """Each file's report, in the order of ``names``: in ``workers`` processes (0: one per core) when
    there are many files, else in this process."""
    workers = workers or default_workers()
    if workers <= 1 or len(names) < PARALLEL_FROM:
        for name in names:
            yield report(name, as_json)
        return
    chunks = [names[k : k + CHUNK] for k in range(0, len(names), CHUNK)]
    for chunk_reports in _ordered(chunks, as_json, workers):
        yield from chunk_reports


def _ordered(chunks: Iterable[Sequence[str]], as_json: bool, workers: int) -> Iterator[list[Report]]:
    """Each chunk's reports from the worker pool, in order, with at most two chunks per worker out.

    A worker that dies (a file that exhausts memory) breaks the pool, and a machine may refuse to start
    workers at all: the chunks left unfinished are parsed here, one after another, as the command did
    before it had workers."""
    chunks = iter(chunks)
    pending: deque[tuple[Sequence[str], Future[list[Report]] | None]] = deque()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context())
    try:
        while True:
            while len(pending) < 2 * workers and (chunk := next(chunks, None)) is not None:
                try:
                    pending.append((chunk, pool.submit(_reports, chunk, as_json)))
                except (BrokenProcessPool, OSError):  # OSError: no worker could be started here
                    pending.append((chunk, None))
                    raise
            if not pending:
                return
            result = pending[0][1].result()  # type: ignore[union-attr]
            pending.popleft()
            yield result
    except (BrokenProcessPool, OSError):
        pass
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for chunk, future in pending:
        yield _result_or_here(chunk, future, as_json)
    for chunk in chunks:
        yield _reports(chunk, as_json)


def _result_or_here(chunk: Sequence[str], future: Future[list[Report]] | None, as_json: bool) -> list[Report]:
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return _reports(chunk, as_json)


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(["extractors.parse"])  # imported once, in the server
    return ctx
