"""Parse archived filings in worker processes while this process, the one DuckDB writer, loads them.

Why: parsing is pure CPU (bytes in, Arrow out) and DuckDB allows one writer, so a reparse of the
archive runs the parser on every core and keeps loading in the main process. Each worker reads a
chunk of the archive (one load batch), parses it and prepares its Arrow batch (holder keys included,
``warehouse.batch.prepare``) and its raw-archive rows; the main process loads the chunks **in the order
they were asked for**, so the database ends exactly as a one-process reparse leaves it. At most
``in_flight`` chunks are out at a time, so memory stays flat however large the archive is.

Workers start from a fresh interpreter (``forkserver``), never a ``fork`` of this process: this one
holds a DuckDB connection, a warehouse lease thread and Prefect's threads, none of which survive a fork.
A worker that dies (killed for memory by a hostile file) is replaced; its chunk is tried once more on
a fresh worker and then recorded as failed, so one bad file never stops the reparse.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pyarrow as pa

from crawler.archive import ArchiveDamaged, RawArchive
from extractors.model import ExtractionError, ParsedFiling
from extractors.parse import parse_filing
from warehouse import batch as batchmod

T = TypeVar("T")
R = TypeVar("R")

# Reason recorded for the filings of a chunk whose worker process died, also when run on its own.
WORKER_DIED = "worker_died"


@dataclass
class Failure:
    """A filing that could not be read or parsed, as ``Warehouse.record_failure`` takes it."""

    filing_id: str
    stage: str
    reason: str
    detail: str
    source: str | None = None


@dataclass
class ParsedChunk:
    """One load batch, parsed: its prepared tables and raw-archive rows (None when nothing parsed),
    and what failed, in the order of the chunk's accessions."""

    accessions: list[str]
    tables: batchmod.PreparedBatch | None = None
    raw: pa.Table | None = None
    filing_ids: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    prepare_error: str | None = None  # the batch could not be prepared for loading: a load failure of each


def read_and_parse(archive: RawArchive, accession: str, expected_sha256: str | None = None
                   ) -> tuple[ParsedFiling, int] | Failure:
    """One archived filing, parsed (with its raw size), or why it could not be."""
    source = f"archive:{accession}"
    try:
        raw = archive.get(accession, expected_sha256)
    except ArchiveDamaged as exc:
        return Failure(accession, "parse", exc.reason, exc.detail, source)
    except (OSError, KeyError) as exc:
        return Failure(accession, "parse", "archive_unreadable", f"{type(exc).__name__}: {exc}")
    try:
        parsed = parse_filing(raw, source)
    except ExtractionError as exc:
        return Failure(accession, "parse", exc.reason, exc.detail, source)
    parsed.filing["source"] = source
    return parsed, len(raw)


def parse_archived_chunk(root: str, max_bytes: int, items: Sequence[tuple[str, str | None]],
                         fetched_at: dt.datetime) -> ParsedChunk:
    """Read, parse and prepare one chunk of the archive ((accession, recorded sha256) pairs): the work of
    one worker process for one load batch."""
    archive = RawArchive(root, max_bytes=max_bytes)
    chunk = ParsedChunk([a for a, _ in items])
    parsed: list[ParsedFiling] = []
    raw_rows = []
    for accession, sha in items:
        got = read_and_parse(archive, accession, sha)
        if isinstance(got, Failure):
            chunk.failures.append(got)
            continue
        p, size = got
        parsed.append(p)
        raw_rows.append((p.filing_id, p.filing["content_sha256"], str(archive.path(accession)), size, fetched_at))
    if parsed:
        chunk.raw = batchmod.raw_rows(raw_rows)
        chunk.filing_ids = [p.filing_id for p in parsed]
        try:
            chunk.tables = batchmod.prepare(batchmod.tables_from_parsed(parsed))
        except Exception as exc:  # as a one-process load would fail on it: recorded, the reparse goes on
            chunk.prepare_error = f"{type(exc).__name__}: {exc}"
    return chunk


def default_workers() -> int:
    """Worker processes when config says 0: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload([__name__])  # the parser imported once, in the server, not per worker
    return ctx


def ordered_map(fn: Callable[..., R], jobs: Iterable[tuple[Any, ...]], workers: int, in_flight: int,
                on_lost: Callable[[tuple[Any, ...], BaseException], R]) -> Iterator[R]:
    """``fn(*job)`` for every job, run in ``workers`` processes, yielded in the jobs' order, with at most
    ``in_flight`` jobs submitted and not yet yielded (memory stays flat).

    A worker that dies breaks the pool: the jobs that were out are run again one at a time, each in a
    fresh process, so only a job that kills a process of its own is given up (``on_lost(job, error)``
    yields in its place); then a new pool goes on with the rest.
    """
    jobs = iter(jobs)
    ctx = _context()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    pending: deque[tuple[tuple[Any, ...], Future]] = deque()
    try:
        while True:
            while len(pending) < in_flight:
                job = next(jobs, None)
                if job is None:
                    break
                pending.append((job, _submit(pool, fn, job)))
            if not pending:
                return
            job, future = pending[0]
            try:
                result = future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                out = list(pending)
                pending.clear()
                for j, f in out:
                    yield _result_or_alone(fn, j, f, ctx, on_lost)
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
                continue
            pending.popleft()
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, fn: Callable[..., R], job: tuple[Any, ...]) -> Future:
    """``pool.submit``, or, when a worker has died since the last result, a future that says so (the
    broken pool is then handled where its jobs' results are read, in order)."""
    try:
        return pool.submit(fn, *job)
    except BrokenProcessPool as exc:
        lost: Future = Future()
        lost.set_exception(exc)
        return lost


def _result_or_alone(fn: Callable[..., R], job: tuple[Any, ...], future: Future, ctx: Any,
                     on_lost: Callable[[tuple[Any, ...], BaseException], R]) -> R:
    """A job's result if it finished before its pool broke, else the job run again in a process of its own."""
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    solo = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    try:
        return solo.submit(fn, *job).result()
    except BrokenProcessPool as exc:
        return on_lost(job, exc)
    finally:
        solo.shutdown(wait=True, cancel_futures=True)


def lost_chunk(job: tuple[Any, ...], exc: BaseException) -> ParsedChunk:
    """The chunk of a worker that died (also on its own): every filing of it recorded as failed, the rest goes on."""
    items = job[2]
    detail = (f"the process parsing this batch died, also on its own ({type(exc).__name__}; out of memory?); "
              "`edgar13d reparse --cusip` retries one security's filings")
    return ParsedChunk([a for a, _ in items],
                       failures=[Failure(a, "parse", WORKER_DIED, detail, f"archive:{a}") for a, _ in items])


def parse_archive_chunks(archive: RawArchive, chunks: Iterable[Sequence[str]], workers: int,
                         in_flight: int | None = None) -> Iterator[ParsedChunk]:
    """Every chunk of accessions read and parsed in ``workers`` processes, in order (see module doc).

    The archive's manifest is read once here and each worker is told the hash to check, so workers do
    not each hold the whole manifest."""
    hashes = archive.recorded_hashes()
    fetched_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    jobs = ((str(archive.root), archive.max_bytes, [(a, hashes.get(a)) for a in chunk], fetched_at)
            for chunk in chunks)
    yield from ordered_map(parse_archived_chunk, jobs, workers, in_flight or 2 * workers, lost_chunk)
