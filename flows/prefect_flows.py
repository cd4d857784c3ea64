"""The Prefect flows: ``backfill``, ``backfill --all``, ``nightly`` and ``reparse``. Orchestration only.

Each flow waits for a run of its own kind on the same database to finish (one nightly at a time; one
backfill of a CUSIP at a time), opens the warehouse in sharing mode (it takes turns with the other
runs and readers by the call, see ``warehouse.locks``), builds one EDGAR client (whose limiter shares
one window with every other edgar13d process) and hands the steps in ``flows.pipeline`` to Prefect as
tasks: network steps with retries, and one task per batch of filings, never one per filing, because
a task run costs Prefect about 5 ms and 20 KB of its own database (``shared/STACK.md``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from crawler.archive import RawArchive
from crawler.client import Blocked, CrawlerError, EdgarClient, Unreachable
from crawler.indexes import DAILY_INDEX_STARTS
from crawler.search import SearchError
from flows import pipeline
from flows.config import Settings, check_schedules, load_settings
from warehouse.locks import Sharing, print_notice, run_lock, this_process
from warehouse.store import Warehouse

_progress: pipeline.Progress | None = None


def use_progress(progress: pipeline.Progress | None) -> None:
    """The CLI's progress display, for flows run in this process."""
    global _progress
    _progress = progress


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry network trouble that passes (timeouts, resets, 5xx), never a block (asking again during a
    block only extends it) nor a host that does not resolve or refuses connections (30 s later it still
    will not, and the user waits minutes for the advice), nor an error EDGAR's search answered (the same
    question gets the same answer)."""
    try:
        state.result()
    except (Blocked, Unreachable, SearchError):
        return False
    except CrawlerError:
        return True
    except Exception:
        return False
    return False


@task(name="store batch", cache_policy=NO_CACHE)
def store_batch(wh: Warehouse, archive: RawArchive, accessions: Sequence[str], summary: pipeline.RunSummary,
                cache: pipeline.ParseCache | None = None, keep: Any = None) -> None:
    pipeline.store_filings(wh, archive, accessions, summary, cache, keep)


@task(name="nightly day", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=30,
      retry_condition_fn=_retry_transient)
def nightly_day_task(settings: Settings, wh: Warehouse, client: EdgarClient, day: dt.date,
                     today: dt.date) -> pipeline.RunSummary:
    return pipeline.nightly_day(settings, wh, client, day, today, _progress, store=store_batch)


@task(name="pay owed days", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=30,
      retry_condition_fn=_retry_transient)
def pay_debts_task(settings: Settings, wh: Warehouse, client: EdgarClient, today: dt.date) -> pipeline.RunSummary:
    return pipeline.pay_debts(settings, wh, client, today, _progress, store=store_batch)


@task(name="re-check late indexes", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=30,
      retry_condition_fn=_retry_transient)
def recheck_late_task(settings: Settings, wh: Warehouse, client: EdgarClient, today: dt.date) -> pipeline.RunSummary:
    return pipeline.recheck_late_days(settings, wh, client, today, _progress, store=store_batch)


@task(name="discover, fetch and load", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=30,
      retry_condition_fn=_retry_transient)
def backfill_task(settings: Settings, wh: Warehouse, client: EdgarClient, **kw: Any) -> pipeline.RunSummary:
    return pipeline.backfill(settings, wh, client, progress=_progress, store=store_batch, **kw)


@task(name="send alerts", cache_policy=NO_CACHE)
def alerts_task(settings: Settings, wh: Warehouse) -> list[str]:
    """One message about what the run stored (each destination retried on its own inside)."""
    from alerts.deliver import deliver_pending

    return deliver_pending(wh, settings.alerts.urls, settings.alerts.max_items)


@task(name="fetch and load a quarter", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=30,
      retry_condition_fn=_retry_transient)
def backfill_quarter_task(settings: Settings, wh: Warehouse, client: EdgarClient, plan: pipeline.QuarterPlan,
                          **kw: Any) -> pipeline.RunSummary:
    kw["store"] = store_batch
    return pipeline.backfill_quarter(settings, wh, client, plan, **kw)


def _run_quarter(settings: Settings, wh: Warehouse, client: EdgarClient, plan: pipeline.QuarterPlan,
                 **kw: Any) -> pipeline.RunSummary:
    """The quarter task, its plan quoted: Prefect would otherwise walk every candidate of it looking for
    futures (about 2 s for 20,000 candidates, per task)."""
    return backfill_quarter_task(settings, wh, client, quote(plan), **kw)


def _notice(message: str) -> None:
    """A wait worth telling: on stderr (the CLI's terminal, a worker's log) and in the flow run's log."""
    print_notice(message)
    from prefect import get_run_logger

    with suppress(Exception):  # no run context (a plain call): stderr is enough
        get_run_logger().info(message)


def run_name(kind: str, cusip: str | None = None, ciks: Sequence[int] = (), filer_ciks: Sequence[int] = ()) -> str:
    """The runs that must not overlap on one database: every nightly, a backfill of the same target."""
    if kind != "backfill":
        return kind
    if cusip:
        key = f"cusip-{cusip.upper()}"
    else:
        key = "-".join([*(f"cik-{c}" for c in sorted(ciks)), *(f"filer-{c}" for c in sorted(filer_ciks))])
    return f"backfill-{key}"


def _who(run: str) -> str:
    """How other runs name this one while they wait for it: the command typed, or the flow run a
    worker started."""
    who = this_process()
    if who.startswith("edgar13d"):
        return who
    from prefect.runtime import flow_run

    return f"edgar13d {run} (Prefect flow run {flow_run.name or flow_run.id}, on {os.uname().nodename})"


@contextmanager
def _session(config: str | None, run: str, network: bool = True, schedules: Sequence[str] | None = None
             ) -> Iterator[tuple[Settings, Warehouse, EdgarClient | None]]:
    settings = load_settings(config)
    if schedules:  # --schedules on the command line, over config.yaml's
        settings.schedules = check_schedules(list(schedules), "--schedules")
    who = _who(run)
    with run_lock(settings.database_path, run, wait_seconds=float(settings.flows.run_wait_seconds),
                  notice=_notice, who=who, what=f"this run ({run})"):
        sharing = Sharing(wait_seconds=float(settings.storage.lock_wait_seconds), notice=_notice, who=who)
        wh = Warehouse.open(settings.database_path, sharing=sharing)
        try:
            client = EdgarClient(pipeline.client_settings(settings)) if network else None
        except BaseException:
            wh.close()
            raise
        try:
            yield settings, wh, client
        finally:
            if client is not None:
                client.close()
            wh.close()


@flow(name="edgar13d-backfill", log_prints=False)
def backfill_flow(cusip: str | None = None, ciks: Sequence[int] = (), filer_ciks: Sequence[int] = (),
                  start: dt.date | None = None, end: dt.date | None = None,
                  config: str | None = None, schedules: Sequence[str] | None = None) -> dict[str, Any]:
    """Every filing of the configured schedules (13D, 13G and their amendments) of one security (by
    CUSIP), about a company (by subject CIK) or filed by an investor (by filer CIK), stored once."""
    with _session(config, run_name("backfill", cusip, ciks, filer_ciks), schedules=schedules) as (settings, wh, client):
        summary = backfill_task(settings, wh, client, cusip=cusip, ciks=list(ciks), filer_ciks=list(filer_ciks),
                                start=start, end=end)
    return summary.as_dict()


@flow(name="edgar13d-backfill-all", log_prints=False)
def backfill_all_flow(start: dt.date, end: dt.date, config: str | None = None,
                      schedules: Sequence[str] | None = None) -> dict[str, Any]:
    """Every filing of the configured schedules in EDGAR's quarterly full-indexes from ``start`` to
    ``end``, a quarter per task; a quarter is recorded when loaded, so running the flow again resumes
    after the last one."""
    with _session(config, "backfill-all", schedules=schedules) as (settings, wh, client):
        summary = pipeline.backfill_all(settings, wh, client, start=start, end=end, progress=_progress,
                                        store=store_batch, run_quarter=_run_quarter)
    return summary.as_dict()


@flow(name="edgar13d-nightly", log_prints=False)
def nightly_flow(until: dt.date | None = None, config: str | None = None,
                 schedules: Sequence[str] | None = None) -> dict[str, Any]:
    """Every filing of the configured schedules filed since the last day processed, day by day; the
    watermark moves per finished day. Days that still owe filings (an outage) and days whose index was
    late are looked at again first."""
    with _session(config, "nightly", schedules=schedules) as (settings, wh, client):
        today = until or dt.date.today()
        total = pay_debts_task(settings, wh, client, today)  # what earlier runs could not fetch, first
        total.merge(recheck_late_task(settings, wh, client, today))
        days = pipeline.days_to_process(wh.last_day_done(), settings.nightly.start_date, today)
        early = [d for d in days if d < DAILY_INDEX_STARTS]
        if early:
            total.notes.append(f"{early[0]}..{early[-1]}: EDGAR has no daily index before {DAILY_INDEX_STARTS}; "
                               f"`edgar13d backfill --all --start {early[0]} --end {early[-1]}` reads the "
                               "quarterly ones")
        for day in days[len(early):]:
            total.merge(nightly_day_task(settings, wh, client, day, today))
        if settings.alerts.urls:  # also sends what an earlier run could not deliver
            total.notes.extend(alerts_task(settings, wh))
    return total.as_dict()


@flow(name="edgar13d-reparse", log_prints=False)
def reparse_flow(cusip: str | None = None, below_version: str | None = None,
                 config: str | None = None) -> dict[str, Any]:
    """Re-extract archived filings with the installed parser; no network."""
    with _session(config, "reparse", network=False) as (settings, wh, _):
        # No task per batch here: the batches are parsed in worker processes and loaded by this one
        # (flows/parse_pool.py), at hundreds a second, where a task run each would only add overhead.
        summary = pipeline.reparse(settings, wh, cusip=cusip, below_version=below_version, progress=_progress)
    return summary.as_dict()
