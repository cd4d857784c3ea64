"""The steps the flows run, as plain functions: discover, fetch, extract, load, record.

Prefect wraps these in tasks (``flows/prefect_flows.py``); keeping the logic here means tests and
benchmarks call it directly, and a flow body stays a few lines of orchestration. Every step records
what it could not do in the warehouse's failure log and goes on, so one bad filing never stops a run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from crawler.archive import ArchiveDamaged, RawArchive
from crawler.candidates import Candidate, merge_candidates, root_forms
from crawler.client import SEC_MAX_PER_SECOND, Blocked, ClientSettings, CrawlerError, EdgarClient, is_sec_host
from crawler.cusip import parse_cusip_query
from crawler.discovery import Discovery, discover_by_cik, discover_by_cusip
from crawler.fetch import fetch_many
from crawler.indexes import (
    DAILY_INDEX_STARTS,
    QUARTERLY_INDEX_STARTS,
    IndexDamaged,
    daily_index_listing,
    daily_index_name,
    master_rows,
    quarter_candidates,
    quarter_end,
    quarter_label,
    quarter_of,
    quarter_start,
    quarterly_index_text,
    quarters_between,
    read_daily_index,
)
from extractors.model import ExtractionError, ParsedFiling
from extractors.parse import parse_filing
from flows import parse_pool
from flows.config import Settings
from warehouse import batch as batchmod
from warehouse.store import Warehouse

log = logging.getLogger("edgar13d.flows")


class Progress(Protocol):
    """Where long work reports itself: a progress bar in a terminal, log lines elsewhere."""

    def start(self, step: str, total: int | None) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def note(self, message: str) -> None: ...


class LogProgress:
    """Per-step counts in the log, for runs with no terminal (schedules, CI)."""

    def __init__(self) -> None:
        self.step, self.total, self.done = "", None, 0

    def start(self, step: str, total: int | None) -> None:
        if self.step:
            log.info("%s: %d done", self.step, self.done)
        self.step, self.total, self.done = step, total, 0
        log.info("%s: %s to do", step, total if total is not None else "?")

    def advance(self, n: int = 1) -> None:
        self.done += n

    def note(self, message: str) -> None:
        """A milestone of long work (a quarter of ``backfill --all`` loaded, time left): on stderr even
        without -v, so a scheduled multi-hour run shows where it is."""
        print(message, file=sys.stderr, flush=True)


@dataclass
class RunSummary:
    """What a run did, in the words the CLI prints: found / fetched / stored / skipped / failed."""

    found: int = 0
    fetched: int = 0
    from_archive: int = 0
    stored: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    skipped_reasons: Counter = field(default_factory=Counter)
    failed_reasons: Counter = field(default_factory=Counter)
    days: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stored_ids: list[str] = field(default_factory=list)  # filings in batches that loaded (new or unchanged)

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skipped_reasons[reason] += 1

    def fail(self, stage: str, reason: str) -> None:
        self.failed += 1
        self.failed_reasons[f"{stage}: {reason}"] += 1

    def merge(self, other: RunSummary) -> None:
        for name in ("found", "fetched", "from_archive", "stored", "unchanged", "skipped", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.skipped_reasons.update(other.skipped_reasons)
        self.failed_reasons.update(other.failed_reasons)
        self.days.extend(other.days)
        self.notes.extend(other.notes)
        self.stored_ids.extend(other.stored_ids)

    def as_dict(self) -> dict[str, Any]:
        return {
            "found": self.found, "fetched": self.fetched, "from_archive": self.from_archive,
            "stored": self.stored, "unchanged": self.unchanged, "skipped": self.skipped, "failed": self.failed,
            "skipped_reasons": dict(self.skipped_reasons), "failed_reasons": dict(self.failed_reasons),
            "days": list(self.days), "notes": list(self.notes),
        }


def client_settings(settings: Settings) -> ClientSettings:
    e = settings.edgar
    return ClientSettings(
        user_agent=e.user_agent, www_url=e.www_url, data_url=e.data_url, efts_url=e.efts_url,
        max_requests_per_second=float(e.max_requests_per_second),
        block_cooldown_seconds=float(e.block_cooldown_seconds),
        timeout_seconds=float(e.timeout_seconds), max_retries=int(e.max_retries),
        rate_limit_url=str(e.rate_limit_url or ""),
    )


def chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``seq`` in pieces of ``size`` (at least one item each: a size of 0 must not yield empty batches
    that store nothing while the day is marked done)."""
    size = max(1, int(size))
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


class ParseCache:
    """Parse each raw filing once, though discovery (to match its CUSIP) and loading both need it."""

    def __init__(self) -> None:
        self._by_sha: dict[str, ParsedFiling | ExtractionError] = {}

    def parse(self, raw: bytes, source: str | None = None) -> ParsedFiling | ExtractionError:
        key = hashlib.sha256(raw).hexdigest()
        if key not in self._by_sha:
            try:
                self._by_sha[key] = parse_filing(raw, source)
            except ExtractionError as exc:
                self._by_sha[key] = exc
        got = self._by_sha[key]
        if source is not None and isinstance(got, ParsedFiling):
            got.filing["source"] = source  # discovery parsed it without one; the stored row says where from
        return got

    def subject_and_cusips(self, raw: bytes) -> tuple[int | None, list[str]]:
        """The matcher discovery needs: who the filing is about and which CUSIPs it prints."""
        got = self.parse(raw)
        if isinstance(got, ExtractionError):
            raise got
        f = got.filing
        cusips = list(f.get("cusips") or ([f["cusip"]] if f.get("cusip") else []))
        cusips += [p["cusip"] for p in got.reporting_persons if p.get("cusip") and p["cusip"] not in cusips]
        subject = f.get("subject_cik")
        return (int(subject) if subject else None), cusips


def store_filings(
    wh: Warehouse,
    archive: RawArchive,
    accessions: Iterable[str],
    summary: RunSummary,
    cache: ParseCache | None = None,
    keep: Any = None,
) -> None:
    """Parse archived filings and load them as one batch; parse failures go to the failure log.

    ``keep(parsed) -> str | None`` may skip a parsed filing, returning the reason (the nightly
    watchlist does this).
    """
    cache = cache or ParseCache()
    batch: list[ParsedFiling] = []
    raw_rows: list[tuple[str, str, str, int, dt.datetime]] = []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for accession in accessions:
        try:
            raw = archive.get(accession)
        except ArchiveDamaged as exc:  # one damaged file is recorded; the batch goes on
            wh.record_failure(accession, "parse", exc.reason, exc.detail, source=f"archive:{accession}")
            summary.fail("parse", exc.reason)
            continue
        except (OSError, KeyError) as exc:
            wh.record_failure(accession, "parse", "archive_unreadable", f"{type(exc).__name__}: {exc}")
            summary.fail("parse", "archive_unreadable")
            continue
        got = cache.parse(raw, f"archive:{accession}")
        if isinstance(got, ExtractionError):
            wh.record_failure(accession, "parse", got.reason, got.detail, source=f"archive:{accession}")
            summary.fail("parse", got.reason)
            continue
        reason = keep(got) if keep else None
        if reason:
            summary.skip(reason)
            continue
        batch.append(got)
        raw_rows.append((got.filing_id, got.filing["content_sha256"], str(archive.path(accession)), len(raw), now))
    if not batch:
        return
    raw_table = batchmod.raw_rows(raw_rows)  # registered with the rows: one insert, not a commit a filing
    try:
        result = wh.load_parsed(batch, raw=raw_table)
    except Exception as exc:  # a load that fails rolls back; record it for each filing and go on
        wh.register_raw_rows(raw_table)  # the raw bytes are kept all the same
        for p in batch:
            wh.record_failure(p.filing_id, "load", "load_error", f"{type(exc).__name__}: {exc}")
            summary.fail("load", "load_error")
        return
    summary.stored += result.written
    summary.unchanged += result.unchanged
    summary.stored_ids.extend(p.filing_id for p in batch)


StoreBatch = Callable[..., None]


def fetch_candidates(
    client: EdgarClient,
    settings: Settings,
    archive: RawArchive,
    wh: Warehouse,
    candidates: Sequence[Candidate],
    summary: RunSummary,
    progress: Progress,
    step: str | None = "fetch",
    day: dt.date | None = None,
) -> list[str]:
    """Fetch what the archive lacks; returns the accessions now archived. Fetch failures are logged
    (with the nightly ``day`` that listed them, which owes them until they are stored).
    ``step=None`` advances the progress step already under way instead of starting one."""
    got: list[str] = []
    if step:
        progress.start(step, len(candidates))
    for cand, result in fetch_many(client, client.settings.www_url, candidates, archive, settings.flows.fetch_workers):
        progress.advance()
        if isinstance(result, CrawlerError):
            reason = getattr(result, "reason", None) or type(result).__name__
            wh.record_failure(cand.accession, "fetch", str(reason), str(result), source=cand.source,
                              day=day if is_owed(str(reason)) else None)
            summary.fail("fetch", str(reason))
            continue
        if result.from_archive:
            summary.from_archive += 1
        else:
            summary.fetched += 1
            wh.resolve_failures(cand.accession, stage="fetch")  # an owed filing is paid once it is here
        got.append(cand.accession)
    return got


# --- backfill ------------------------------------------------------------------------------------


def backfill(
    settings: Settings,
    wh: Warehouse,
    client: EdgarClient,
    *,
    cusip: str | None = None,
    ciks: Sequence[int] = (),
    filer_ciks: Sequence[int] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    forms: Sequence[str] | None = None,
    progress: Progress | None = None,
    store: StoreBatch | None = None,
) -> RunSummary:
    """Discover, fetch and load: a security's whole history (``cusip``; ``ciks`` then name its known
    subject companies), a company's (``ciks``: the filings *about* each) or an investor's whole book
    (``filer_ciks``: the filings each *filed*, on every issuer).

    ``store`` loads one batch; the Prefect flow passes a task so each batch is a task run.
    """
    forms = wanted_forms(settings, forms)
    store = store or store_filings
    progress = progress or LogProgress()
    archive = RawArchive(settings.archive_path)
    summary = RunSummary()
    cache = ParseCache()
    if not cusip and not ciks and not filer_ciks:
        raise ValueError("backfill needs a CUSIP, a subject CIK or a filer CIK")
    if cusip:
        accessions = _discover_cusip(settings, wh, client, cusip, ciks, start, end, forms, cache, archive,
                                     summary, progress)
    else:
        accessions = []
        for role, group in (("subject", ciks), ("filer", filer_ciks)):
            for cik in group:
                accessions += _discover_cik(settings, wh, client, int(cik), role, start, end, forms, archive,
                                            summary, progress)
        accessions = list(dict.fromkeys(accessions))

    progress.start("extract and load", len(accessions))
    for batch in chunks(accessions, settings.flows.batch_size):
        store(wh, archive, batch, summary, cache)
        progress.advance(len(batch))
    status = "done" if not summary.failed else "partial"
    watermark = max((str(a) for a in accessions), default=None)
    if cusip:
        wh.mark_backfill("cusip", cusip, status, watermark=watermark)
    for kind, group in (("cik", [] if cusip else ciks), ("filer", filer_ciks)):
        for cik in group:
            wh.mark_backfill(kind, str(int(cik)), status, watermark=watermark)
    return summary


def _discover_cusip(settings: Settings, wh: Warehouse, client: EdgarClient, cusip: str, ciks: Sequence[int],
                    start: dt.date | None, end: dt.date | None, forms: Sequence[str], cache: ParseCache,
                    archive: RawArchive, summary: RunSummary, progress: Progress) -> list[str]:
    target = parse_cusip_query(cusip)
    known = {row["subject_cik"] for row in wh.ciks_for_cusip(target.cusip or target.issuer) if row.get("subject_cik")}
    progress.start("discover", None)
    found = discover_by_cusip(
        client, cusip, extract=cache.subject_and_cusips, archive=archive, ciks=ciks, forms=forms,
        known=lambda _q: known, search_start=start, search_end=end, workers=settings.flows.fetch_workers,
    )
    _count_outcomes(wh, found, summary)
    for err in dict.fromkeys(found.search_errors):
        summary.notes.append(f"full-text search answered an error: {err}")
    summary.notes.append(f"subject CIK(s): {', '.join(map(str, found.subject_ciks)) or 'none found'}")
    return [o.candidate.accession for o in found.accepted if _in_range(o.candidate.filed_date, start, end)]


def _discover_cik(settings: Settings, wh: Warehouse, client: EdgarClient, cik: int, role: str,
                  start: dt.date | None, end: dt.date | None, forms: Sequence[str], archive: RawArchive,
                  summary: RunSummary, progress: Progress) -> list[str]:
    progress.start(f"list CIK {cik}", None)
    found = discover_by_cik(client, cik, role=role, archive=archive, forms=forms,
                            workers=settings.flows.fetch_workers, start=start, end=end,
                            on_listed=lambda n: progress.start(f"fetch CIK {cik}", n), on_fetched=progress.advance)
    _count_outcomes(wh, found, summary)
    kept = [o.candidate.accession for o in found.accepted]
    if role == "filer":
        issuers = {o.subject_cik for o in found.accepted if o.subject_cik}
        summary.notes.append(f"filer CIK {cik}: {len(kept)} filing(s) on {len(issuers)} issuer(s)")
    else:
        summary.notes.append(f"subject CIK {cik}: {len(kept)} filing(s) about it")
    return kept


def _count_outcomes(wh: Warehouse, found: Discovery, summary: RunSummary) -> None:
    """A discovery's counts in the run summary; unreadable filings and fetch errors in the failure log."""
    outcomes = [*found.accepted, *found.rejected]
    summary.found += len(outcomes) + len(found.errors)
    summary.fetched += sum(1 for o in outcomes if not o.from_archive)
    summary.from_archive += sum(1 for o in outcomes if o.from_archive)
    for o in found.rejected:
        summary.skip(_short(o.reason))
    for cand, err in found.errors:
        wh.record_failure(cand.accession, "fetch", "fetch_error", err, source=cand.source)
        summary.fail("fetch", "fetch_error")


def _in_range(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if day is None:
        return True
    return (start is None or day >= start) and (end is None or day <= end)


def _short(reason: str) -> str:
    """Group rejection reasons for the summary ('CUSIP 123 is not 456' -> 'CUSIP does not match')."""
    if reason.startswith("CUSIP"):
        return "CUSIP does not match"
    if reason.startswith("subject is") or "is the filer, not the subject" in reason:
        return "the company is the filer, not the subject"
    if "is the subject, not a filer" in reason:
        return "the investor is the subject, not a filer"
    return reason.split(":")[0]


# --- backfill --all: every 13D in the quarterly full-indexes of a range ---------------------------------


@dataclass
class QuarterPlan:
    """One quarter of a full-history load: the wanted filings its full index lists between two days."""

    year: int
    quarter: int
    first: dt.date
    last: dt.date
    candidates: list[Candidate]
    complete: bool  # the quarter was over (its index final) when it was read

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)


def quarter_key(year: int, quarter: int, forms: Sequence[str]) -> str:
    """The ``backfills`` key of a quarter: the forms are part of it (a 13G load is another load)."""
    return f"{quarter_label(year, quarter)} {','.join(root_forms(forms))}"


def _covers(watermark: str | None, first: dt.date, last: dt.date) -> bool:
    try:
        a, b = (dt.date.fromisoformat(x) for x in (watermark or "").split(".."))
    except ValueError:
        return False
    return a <= first and last <= b


def plan_all(settings: Settings, wh: Warehouse, client: EdgarClient, start: dt.date, end: dt.date, *,
             today: dt.date, forms: Sequence[str] | None = None, progress: Progress | None = None,
             summary: RunSummary | None = None) -> list[QuarterPlan]:
    """Read the full index of each quarter of the range not loaded yet (one request each)."""
    forms = wanted_forms(settings, forms)
    progress = progress or LogProgress()
    summary = summary if summary is not None else RunSummary()
    quarters = quarters_between(max(start, QUARTERLY_INDEX_STARTS), end)
    if start < QUARTERLY_INDEX_STARTS:
        summary.notes.append(f"EDGAR's quarterly indexes begin in {QUARTERLY_INDEX_STARTS.year}: started there")
    plans: list[QuarterPlan] = []
    skipped = 0
    progress.start("read quarterly indexes", len(quarters))
    for year, q in quarters:
        first, last = max(start, quarter_start(year, q)), min(end, quarter_end(year, q))
        state = wh.backfill_state("quarter", quarter_key(year, q, forms))
        if state and state["status"] == "done" and _covers(state["watermark"], first, last):
            skipped += 1
            progress.advance()
            continue
        found = quarter_candidates(client, client.settings.www_url, year, q, forms)
        progress.advance()
        if found is None:
            summary.notes.append(f"{quarter_label(year, q)}: EDGAR has no full index (yet)")
            continue
        cands = [c for c in found if c.filed_date is None or first <= c.filed_date <= last]
        plans.append(QuarterPlan(year, q, first, last, cands, complete=quarter_end(year, q) < today))
    if skipped:
        summary.notes.append(f"{skipped} quarter(s) already loaded by an earlier run: skipped")
    return plans


def backfill_quarter(settings: Settings, wh: Warehouse, client: EdgarClient, plan: QuarterPlan,
                     progress: Progress | None = None, store: StoreBatch | None = None,
                     forms: Sequence[str] | None = None) -> RunSummary:
    """Fetch and load one quarter's filings, then record it: a killed load resumes at this quarter."""
    forms = wanted_forms(settings, forms)
    progress = progress or LogProgress()
    store = store or store_filings
    archive = RawArchive(settings.archive_path)
    summary = RunSummary(found=len(plan.candidates))
    archived = fetch_candidates(client, settings, archive, wh, plan.candidates, summary, progress, step=None)
    cache = ParseCache()
    for batch in chunks(archived, settings.flows.batch_size):
        store(wh, archive, batch, summary, cache)
    status = "done" if plan.complete else "partial"  # a quarter still under way is read again next time
    wh.mark_backfill("quarter", quarter_key(plan.year, plan.quarter, forms), status,
                     watermark=f"{plan.first}..{plan.last}",
                     detail=f"{len(plan.candidates)} filings, {summary.failed} failed")
    return summary


RunQuarter = Callable[..., RunSummary]


def backfill_all(settings: Settings, wh: Warehouse, client: EdgarClient, *, start: dt.date, end: dt.date,
                 today: dt.date | None = None, forms: Sequence[str] | None = None,
                 progress: Progress | None = None, store: StoreBatch | None = None,
                 run_quarter: RunQuarter | None = None) -> RunSummary:
    """Every filing of ``forms`` in EDGAR's quarterly full-indexes from ``start`` to ``end``, a quarter at
    a time. The indexes are read first (one request per quarter), so the run knows how many filings it
    has to fetch and says how long that takes at the SEC's rate; each quarter is recorded when loaded,
    so running the command again skips the loaded quarters. ``run_quarter`` is the Prefect task."""
    forms = wanted_forms(settings, forms)
    progress = progress or LogProgress()
    run_quarter = run_quarter or backfill_quarter
    today = today or dt.date.today()
    summary = RunSummary()
    plans = plan_all(settings, wh, client, start, end, today=today, forms=forms, progress=progress, summary=summary)
    archive = RawArchive(settings.archive_path)
    total = sum(len(p.candidates) for p in plans)
    to_fetch = [sum(1 for c in p.candidates if not archive.has(c.accession)) for p in plans]
    rate = _rate(client)
    if plans:
        summary.notes.append(
            f"{plans[0].label}..{plans[-1].label}: {total:,} filings to load, {sum(to_fetch):,} to fetch: "
            f"{eta_text(sum(to_fetch), rate)} at {rate:g} requests/s")
        progress.note(summary.notes[-1])
    progress.start("fetch and load", total)
    for i, plan in enumerate(plans):
        part = run_quarter(settings, wh, client, plan, progress=progress, store=store, forms=forms)
        summary.merge(part)
        left = sum(to_fetch[i + 1:])
        progress.note(f"{plan.label}: {part.stored:,} stored, {part.failed:,} failed; {len(plans) - i - 1} quarter(s) "
                      f"left, {eta_text(left, rate)} at {rate:g} requests/s")
    cluster_if_many(wh, summary, progress)
    return summary


# A run that stored at least this many filings rewrites positions in CUSIP order afterwards (a few
# seconds at 1M filings; see Warehouse.cluster_positions).
CLUSTER_AFTER_FILINGS = 10_000


def cluster_if_many(wh: Warehouse, summary: RunSummary, progress: Progress) -> None:
    if summary.stored >= CLUSTER_AFTER_FILINGS:
        progress.note(f"{summary.stored:,} filings stored: ordering positions by CUSIP for fast one-CUSIP queries")
        wh.cluster_positions()


def _rate(client: EdgarClient) -> float:
    rate = float(client.settings.max_requests_per_second)
    return min(rate, SEC_MAX_PER_SECOND) if any(is_sec_host(u) for u in client.settings.urls()) else rate


def eta_text(requests: int, rate: float) -> str:
    """How long ``requests`` take at ``rate`` a second, in words ("about 2 h 47 min")."""
    seconds = requests / rate if rate > 0 else 0.0
    if seconds < 60:
        return "under a minute" if requests else "nothing to fetch"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"about {hours} h {minutes} min" if hours else f"about {minutes} min"


# --- nightly -------------------------------------------------------------------------------------

# crawl_days.status of a past weekday whose index EDGAR has not published: not done for good.
INDEX_LATE = "index_late"
# A day whose index could not be read whole, or some of whose filings could not be fetched: a debt that
# every later nightly run pays first (pay_debts), until the filings are stored or given up.
OWED = "owed"
# Fetch failures that asking again cannot fix: they are recorded, never owed.
PERMANENT_FETCH_REASONS = frozenset({"bad_listing", "too_large", "redirect_off_host", "forbidden"})


def is_owed(reason: str) -> bool:
    """True for a fetch failure that a later try may get past (an outage, a reset, a cut body, a 5xx, a
    file not there yet); False for one that will be the same next time."""
    if reason in PERMANENT_FETCH_REASONS:
        return False
    return not (reason.startswith("http_4") and reason != "http_429")
# After this many days past a quarter's end its full index is final, and settles the days still late.
QUARTER_SETTLES_AFTER_DAYS = 7


def days_to_process(last_done: dt.date | None, start_date: dt.date | None, today: dt.date) -> list[dt.date]:
    """Days from the one after the watermark through today. With no watermark: ``start_date``, or
    yesterday (a first nightly run reads the last published day, not 30 years)."""
    first = last_done + dt.timedelta(days=1) if last_done else (start_date or today - dt.timedelta(days=1))
    return [first + dt.timedelta(days=i) for i in range((today - first).days + 1)]


def watchlist_filter(watchlist: Sequence[str]) -> Any:
    """``keep`` for store_filings: skip filings whose CUSIPs are not on the watchlist (empty: keep all)."""
    if not watchlist:
        return None
    targets = [parse_cusip_query(c) for c in watchlist]

    def keep(parsed: ParsedFiling) -> str | None:
        f = parsed.filing
        printed = [*(f.get("cusips") or []), f.get("cusip"), *(p.get("cusip") for p in parsed.reporting_persons)]
        if any(t.matches(c) for t in targets for c in printed if c):
            return None
        return "not on the watchlist"

    return keep


def quarter_settles_on(day: dt.date) -> dt.date:
    """The day from which the quarterly full-index of ``day``'s quarter is taken as final."""
    return quarter_end(day.year, quarter_of(day)) + dt.timedelta(days=QUARTER_SETTLES_AFTER_DAYS)


def nightly_day(
    settings: Settings, wh: Warehouse, client: EdgarClient, day: dt.date, today: dt.date,
    progress: Progress | None = None, store: StoreBatch | None = None, forms: Sequence[str] | None = None,
) -> RunSummary:
    """One day's index: every 13D of the day stored or logged as failed, then the day is recorded.

    A day with no index is a weekend (done), today (not published yet: nothing recorded), or a past
    weekday: a holiday *or a late index*, which cannot be told apart yet, so it is recorded as
    ``index_late`` and re-checked by every later run (:func:`recheck_late_days`).
    """
    forms = wanted_forms(settings, forms)
    summary = RunSummary(days=[day.isoformat()])
    if day < DAILY_INDEX_STARTS:
        summary.notes.append(f"{day}: EDGAR has no daily index before {DAILY_INDEX_STARTS}; "
                             "`edgar13d backfill --all` reads the quarterly ones")
        return summary
    index_id = f"daily-index:{day}"
    try:
        idx = read_daily_index(client, client.settings.www_url, day, forms)
    except IndexDamaged as exc:
        # Junk where the index should be, or an index cut short: nothing in it is trusted, and the day
        # is owed, so a later run reads it again instead of the day passing as "no filings".
        wh.record_failure(index_id, "fetch", exc.reason, exc.detail, source=exc.url, day=day)
        summary.fail("fetch", exc.reason)
        wh.mark_day_done(day, None, status=OWED, detail=f"index not whole ({exc.detail}); read again next run")
        summary.notes.append(f"{day}: EDGAR's index is not whole ({exc.detail}); the next nightly run reads it again")
        return summary
    wh.resolve_failures(index_id)
    for row in idx.refused:
        wh.record_failure(None, "fetch", "bad_listing", f"index row is not CIK|name|form|date|file: {row[:200]!r}",
                          source=idx.url)
        summary.fail("fetch", "bad_listing")
    if idx.published:
        return _load_day(settings, wh, client, day, idx.candidates, summary, progress, store)
    if day >= today:
        summary.notes.append(f"{day}: no index yet (EDGAR publishes it in the evening)")
    elif day.weekday() >= 5:
        wh.mark_day_done(day, 0, status="no_index", detail="weekend: EDGAR publishes no index")
    else:
        wh.mark_day_done(day, None, status=INDEX_LATE,
                         detail=f"no daily index yet: late, or a holiday; every nightly run checks again, and "
                                f"the quarterly index settles it from {quarter_settles_on(day)}")
        summary.notes.append(f"{day}: EDGAR has not published this weekday's index (late, or a holiday): "
                             "the next nightly run checks again (see `edgar13d status`)")
    return summary


def _load_day(settings: Settings, wh: Warehouse, client: EdgarClient, day: dt.date, candidates: list[Candidate],
              summary: RunSummary, progress: Progress | None, store: StoreBatch | None,
              detail: str | None = None) -> RunSummary:
    progress = progress or LogProgress()
    store = store or store_filings
    archive = RawArchive(settings.archive_path)
    summary.found += len(candidates)
    archived = fetch_candidates(client, settings, archive, wh, candidates, summary, progress, day=day)
    progress.start(f"extract and load {day}", len(archived))
    cache = ParseCache()
    keep = watchlist_filter(settings.nightly.watchlist)
    for batch in chunks(archived, settings.flows.batch_size):
        store(wh, archive, batch, summary, cache, keep)
        progress.advance(len(batch))
    if settings.alerts.urls:  # queued before the day is done, so a killed run cannot lose the news
        from alerts import outbox

        outbox.queue(wh, day, summary.stored_ids)
    # A filing that could not be fetched for a reason that passes is a debt of the day: the day is owed,
    # not done, and later runs fetch it again (pay_debts). Other failures are in the log with reasons.
    owed = wh.day_debt(day)
    if owed:
        wh.mark_day_done(day, len(candidates), status=OWED,
                         detail=f"{len(owed)} filing(s) not fetched yet ({', '.join(sorted({o['reason'] for o in owed}))}); "
                                "later nightly runs fetch them again")
        return summary
    failed = f"{summary.failed} failed, see the failure log" if summary.failed else None
    wh.mark_day_done(day, len(candidates), detail="; ".join(x for x in (detail, failed) if x) or None)
    return summary


def pay_debts(
    settings: Settings, wh: Warehouse, client: EdgarClient, today: dt.date,
    progress: Progress | None = None, store: StoreBatch | None = None, forms: Sequence[str] | None = None,
    now: dt.datetime | None = None,
) -> RunSummary:
    """Read every owed day again: its index (when that was not whole) and the filings not fetched yet.

    A day stays owed until its filings are stored; it is given up only after ``nightly.retry_runs``
    runs that spanned at least ``nightly.retry_days`` days (an outage of a weekend must not cost a
    filing), and then its filings stay in the failure log, marked given up, for `status --failures`.
    """
    total = RunSummary()
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for day in wh.owed_days():
        if day > today:
            continue
        part = nightly_day(settings, wh, client, day, today, progress, store, forms)
        total.merge(part)
        debt = wh.day_debt(day)
        if not debt:
            total.notes.append(f"{day}: every owed filing is stored now")
            continue
        runs = min(int(d["tries"] or 1) for d in debt)
        since = min(d["first_seen"] for d in debt if d["first_seen"] is not None) if debt else now
        waited = now - since
        if runs >= settings.nightly.retry_runs and waited >= dt.timedelta(days=settings.nightly.retry_days):
            n = wh.give_up_day(day)
            wh.mark_day_done(day, None, detail=f"gave up on {n} filing(s) after {runs} runs over {waited.days} days; "
                                               "see `edgar13d status --failures`")
            total.notes.append(f"{day}: gave up on {n} filing(s) after {runs} tries over {waited.days} days "
                               "(still listed by `edgar13d status --failures`)")
        else:
            total.notes.append(f"{day}: {len(debt)} filing(s) still owed after {runs} tries since {since:%Y-%m-%d}; "
                               "the next nightly run tries again")
    return total


def recheck_late_days(
    settings: Settings, wh: Warehouse, client: EdgarClient, today: dt.date,
    progress: Progress | None = None, store: StoreBatch | None = None, forms: Sequence[str] | None = None,
) -> RunSummary:
    """Look again at every day whose index was late: one folder listing per quarter says whether EDGAR
    has published it since; once the quarter is over, its full index settles the day (its filings are
    loaded from there, or it had none: a holiday)."""
    forms = wanted_forms(settings, forms)
    total = RunSummary()
    www = client.settings.www_url
    late = sorted(d for d in wh.late_days() if d < today)
    for (year, q), days in itertools.groupby(late, key=lambda d: (d.year, quarter_of(d))):
        days = list(days)
        listing = daily_index_listing(client, www, year, q) or set()
        quarterly: str | None = None
        for day in days:
            if daily_index_name(day) in listing:
                part = nightly_day(settings, wh, client, day, today, progress, store, forms)
                part.notes.append(f"{day}: EDGAR published the late index; its filings are loaded")
                total.merge(part)
            elif today >= quarter_settles_on(day):
                quarterly = quarterly if quarterly is not None else quarterly_index_text(client, www, year, q)
                if quarterly is None:
                    continue  # no full index to settle it with yet: still late
                total.merge(_settle_from_quarter(settings, wh, client, day, quarterly, forms, progress, store))
            else:
                total.notes.append(f"{day}: still no daily index (late, or a holiday); checked again next run")
    return total


def _settle_from_quarter(settings: Settings, wh: Warehouse, client: EdgarClient, day: dt.date, text: str,
                         forms: Sequence[str], progress: Progress | None, store: StoreBatch | None) -> RunSummary:
    rows = [r for r in master_rows(text) if r.filed == day]
    wanted = {f.upper() for f in forms}
    cands = merge_candidates([Candidate(r.accession, r.cik, r.form, r.filed, (r.cik,), "quarterly-index")
                              for r in rows if r.form.upper() in wanted])
    summary = RunSummary(days=[day.isoformat()])
    if not rows:
        wh.mark_day_done(day, 0, status="no_index",
                         detail="no daily index, and no filing that day in the quarterly index: EDGAR was closed")
        summary.notes.append(f"{day}: settled by the quarterly index: no filings that day (a holiday)")
        return summary
    summary.notes.append(f"{day}: the daily index never appeared; {len(cands)} filing(s) read from the quarterly index")
    return _load_day(settings, wh, client, day, cands, summary, progress, store,
                     detail="the daily index never appeared: filings read from the quarterly index")


def reparse(
    settings: Settings, wh: Warehouse, *, cusip: str | None = None, below_version: str | None = None,
    progress: Progress | None = None, store: StoreBatch | None = None,
) -> RunSummary:
    """Re-extract archived filings with this parser, offline: all, one CUSIP's, or older versions'.

    With no ``store`` (a Prefect task that loads one batch), the filings are parsed in
    ``flows.parse_workers`` processes and loaded here, in order, with the same result as one process."""
    from extractors import PARSER_VERSION

    progress = progress or LogProgress()
    archive = RawArchive(settings.archive_path)
    summary = RunSummary()
    if cusip:
        target = parse_cusip_query(cusip)
        rows = wh.query(FILINGS_OF_CUSIP, [target.cusip or target.issuer])
        accessions = rows.column("filing_id").to_pylist()
    elif below_version:
        outdated = wh.outdated_filings(PARSER_VERSION)
        versions = wh.stored_versions(outdated)  # one query, not one per filing
        accessions = [a for a in outdated if a in versions and _vkey(versions[a][0]) < _vkey(below_version)]
    else:
        accessions = sorted(archive.accessions())
    accessions = [a for a in accessions if not a.startswith("sha256:") and archive.has(a)]
    summary.found = len(accessions)
    progress.start("re-extract and load", len(accessions))
    pace = _Pace(progress, len(accessions))
    batches = chunks(accessions, settings.flows.batch_size)
    workers = settings.flows.parse_workers or parse_pool.default_workers()
    if store is None and workers > 1 and len(accessions) > settings.flows.batch_size:
        # Parse on every core, load here: the one DuckDB writer (flows/parse_pool.py).
        for parsed in parse_pool.parse_archive_chunks(archive, batches, workers):
            load_chunk(wh, parsed, summary)
            progress.advance(len(parsed.accessions))
            pace.done(len(parsed.accessions))
            if pace.due_checkpoint():
                wh.execute("CHECKPOINT")
    else:
        for batch in batches:
            (store or store_filings)(wh, archive, batch, summary, None)
            progress.advance(len(batch))
            pace.done(len(batch))
            if pace.due_checkpoint():
                wh.execute("CHECKPOINT")
    cluster_if_many(wh, summary, progress)
    return summary


def load_chunk(wh: Warehouse, chunk: parse_pool.ParsedChunk, summary: RunSummary) -> None:
    """Load one batch a worker parsed, as :func:`store_filings` would have: its failures logged in order,
    then its rows and raw-archive rows in one transaction (a failed load is recorded per filing)."""
    wh.record_failures((f.filing_id, f.stage, f.reason, f.detail, f.source) for f in chunk.failures)
    for f in chunk.failures:
        summary.fail(f.stage, f.reason)
    if not chunk.filing_ids:
        return
    try:
        if chunk.prepare_error:
            raise ValueError(chunk.prepare_error)
        result = wh.load(chunk.tables, raw=chunk.raw)
    except Exception as exc:  # a load that fails rolls back; record it for each filing and go on
        wh.register_raw_rows(chunk.raw)  # the raw bytes are kept all the same
        detail = chunk.prepare_error or f"{type(exc).__name__}: {exc}"
        wh.record_failures((fid, "load", "load_error", detail, None) for fid in chunk.filing_ids)
        for _fid in chunk.filing_ids:
            summary.fail("load", "load_error")
        return
    summary.stored += result.written
    summary.unchanged += result.unchanged
    summary.stored_ids.extend(chunk.filing_ids)


# A reparse folds DuckDB's write-ahead log into the file every this many filings: rows appended since
# the last checkpoint stay in memory, and with the 256 MB log threshold (warehouse.store) a reparse's
# memory would grow with the archive until the first one.
REPARSE_CHECKPOINT_FILINGS = 10_000


class _Pace:
    """A line on how far a long reparse is, once a minute: it runs for hours on a large archive."""

    EVERY_SECONDS = 60.0

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.n = progress, total, 0
        self.start = self.last = time.monotonic()
        self.checkpointed = 0

    def due_checkpoint(self) -> bool:
        """True once every REPARSE_CHECKPOINT_FILINGS filings."""
        if self.n - self.checkpointed < REPARSE_CHECKPOINT_FILINGS:
            return False
        self.checkpointed = self.n
        return True

    def done(self, n: int) -> None:
        self.n += n
        now = time.monotonic()
        if now - self.last < self.EVERY_SECONDS or self.n >= self.total:
            return
        self.last = now
        rate = self.n / max(now - self.start, 1e-9)
        left = eta_text(self.total - self.n, rate).replace("about ", "")
        self.progress.note(f"reparse: {self.n:,} of {self.total:,} filings ({rate:,.0f}/s), {left} left")


# Filings that print a CUSIP (9 characters) or any CUSIP of an issuer (a 6-character prefix).
FILINGS_OF_CUSIP = """
SELECT filing_id FROM filings
WHERE starts_with(cusip, $1) OR len(list_filter(coalesce(cusips, []), lambda c: starts_with(c, $1))) > 0
"""



def wanted_forms(settings: Settings, forms: Sequence[str] | None = None) -> tuple[str, ...]:
    """The EDGAR form types a run looks for: ``forms`` when given, else every form type of the schedules
    ``config.yaml`` names (``schedules``; both 13D and 13G by default)."""
    if forms is not None:
        return tuple(forms)
    from extractors.schedules import form_types

    return form_types(settings.schedules)


def _vkey(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


__all__ = [
    "INDEX_LATE",
    "OWED",
    "Blocked",
    "LogProgress",
    "ParseCache",
    "Progress",
    "QuarterPlan",
    "RunSummary",
    "backfill",
    "backfill_all",
    "backfill_quarter",
    "client_settings",
    "days_to_process",
    "eta_text",
    "nightly_day",
    "pay_debts",
    "plan_all",
    "recheck_late_days",
    "reparse",
    "store_filings",
    "wanted_forms",
    "watchlist_filter",
]
