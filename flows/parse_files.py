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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from extractors.model import ExtractionError, ParsedFiling
from extractors.parse import parse_filing
from flows.parse_pool import WORKER_DIED, default_workers, ordered_map

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


def _died(job: tuple[Sequence[str], bool], exc: BaseException) -> list[Report]:
    """The reports of a chunk whose worker died, also on its own (a file that exhausted memory)."""
    names, as_json = job
    why = f"the process parsing it died ({type(exc).__name__}; out of memory?); try it alone with --workers 1"
    if as_json:
        return [Report(json.dumps({"file": n, "error": why, "reason": WORKER_DIED}), None, True) for n in names]
    return [Report(None, f"{n}: FAILED ({why})", True) for n in names]


def reports(names: Sequence[str], as_json: bool, workers: int = 0) -> Iterator[Report]:
    """Each file's report, in the order of ``names``: in ``workers`` processes (0: one per core) when
    there are many files, else in this process.

    The pool is :func:`flows.parse_pool.ordered_map`, the one reparse uses: in order, at most two chunks
    per worker out, a dying worker costing only its own chunk. A machine that cannot start workers at
    all has the files parsed here, as the command did before it had workers."""
    workers = workers or default_workers()
    if workers <= 1 or len(names) < PARALLEL_FROM:
        for name in names:
            yield report(name, as_json)
        return
    chunks = [names[k : k + CHUNK] for k in range(0, len(names), CHUNK)]
    done = 0
    try:
        for chunk_reports in ordered_map(_reports, ((c, as_json) for c in chunks), workers, 2 * workers, _died):
            done += 1
            yield from chunk_reports
    except OSError:  # no worker process could be started here
        for chunk in chunks[done:]:
            yield from _reports(chunk, as_json)
