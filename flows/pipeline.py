"""The steps the flows run, as plain functions: discover, fetch, extract, load, record.

Prefect wraps these in tasks (``flows/prefect_flows.py``); keeping the logic here means tests and
benchmarks call it directly, and a flow body stays a few lines of orchestration. Every step records
what it could not do in the warehouse's failure log and goes on, so one bad filing never stops a run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from crawler.archive import RawArchive
from crawler.candidates import THIRTEEN_D_FORMS, Candidate
from crawler.client import Blocked, ClientSettings, CrawlerError, EdgarClient
from crawler.cusip import parse_cusip_query
from crawler.discovery import discover_by_cusip
from crawler.fetch import fetch_many
from crawler.indexes import daily_candidates
from extractors.model import ExtractionError, ParsedFiling
from extractors.parse import parse_filing
from flows.config import Settings
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
        log.info("%s", message)


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
    )


def chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), max(1, size)):
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
    for accession in accessions:
        try:
            raw = archive.get(accession)
        except (OSError, EOFError) as exc:
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
        wh.register_raw(got.filing_id, got.filing["content_sha256"], str(archive.path(accession)), len(raw))
    if not batch:
        return
    try:
        result = wh.load_parsed(batch)
    except Exception as exc:  # a load that fails rolls back; record it for each filing and go on
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
) -> list[str]:
    """Fetch what the archive lacks; returns the accessions now archived. Fetch failures are logged."""
    got: list[str] = []
    progress.start("fetch", len(candidates))
    for cand, result in fetch_many(client, client.settings.www_url, candidates, archive, settings.flows.fetch_workers):
        progress.advance()
        if isinstance(result, CrawlerError):
            reason = getattr(result, "reason", None) or type(result).__name__
            wh.record_failure(cand.accession, "fetch", str(reason), str(result), source=cand.source)
            summary.fail("fetch", str(reason))
            continue
        if result.from_archive:
            summary.from_archive += 1
        else:
            summary.fetched += 1
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
    start: dt.date | None = None,
    end: dt.date | None = None,
    progress: Progress | None = None,
    store: StoreBatch | None = None,
) -> RunSummary:
    """A security's whole 13D history: discover (by CUSIP, or every 13D of ``ciks``), fetch, load.

    ``store`` loads one batch; the Prefect flow passes a task so each batch is a task run.
    """
    store = store or store_filings
    progress = progress or LogProgress()
    archive = RawArchive(settings.archive_path)
    summary = RunSummary()
    cache = ParseCache()
    if not cusip and not ciks:
        raise ValueError("backfill needs a CUSIP or a CIK")
    key = cusip or ",".join(str(c) for c in ciks)
    if cusip:
        target = parse_cusip_query(cusip)
        known = {row["subject_cik"] for row in wh.ciks_for_cusip(target.cusip or target.issuer) if row.get("subject_cik")}
        progress.start("discover", None)
        found = discover_by_cusip(
            client, cusip, extract=cache.subject_and_cusips, archive=archive, ciks=ciks,
            known=lambda _q: known, search_start=start, search_end=end, workers=settings.flows.fetch_workers,
        )
        accepted = [o for o in found.accepted if _in_range(o.candidate.filed_date, start, end)]
        summary.found = len(found.accepted) + len(found.rejected) + len(found.errors)
        summary.fetched = sum(1 for o in [*found.accepted, *found.rejected] if not o.from_archive)
        summary.from_archive = sum(1 for o in [*found.accepted, *found.rejected] if o.from_archive)
        for o in found.rejected:
            summary.skip(_short(o.reason))
        for cand, err in found.errors:
            wh.record_failure(cand.accession, "fetch", "fetch_error", err, source=cand.source)
            summary.fail("fetch", "fetch_error")
        accessions = [o.candidate.accession for o in accepted]
        summary.notes.append(f"subject CIK(s): {', '.join(map(str, found.subject_ciks)) or 'none found'}")
    else:
        from crawler.submissions import list_filings

        progress.start("discover", len(ciks))
        listed: list[Candidate] = []
        for cik in ciks:
            listed.extend(list_filings(client, client.settings.data_url, int(cik), THIRTEEN_D_FORMS))
            progress.advance()
        listed = [c for c in {c.accession: c for c in listed}.values() if _in_range(c.filed_date, start, end)]
        summary.found = len(listed)
        accessions = fetch_candidates(client, settings, archive, wh, listed, summary, progress)

    progress.start("extract and load", len(accessions))
    for batch in chunks(accessions, settings.flows.batch_size):
        store(wh, archive, batch, summary, cache)
        progress.advance(len(batch))
    wh.mark_backfill("cusip" if cusip else "cik", key, "done" if not summary.failed else "partial",
                     watermark=max((str(a) for a in accessions), default=None))
    return summary


def _in_range(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if day is None:
        return True
    return (start is None or day >= start) and (end is None or day <= end)


def _short(reason: str) -> str:
    """Group rejection reasons for the summary ('CUSIP 123 is not 456' -> 'CUSIP does not match')."""
    if reason.startswith("CUSIP"):
        return "CUSIP does not match"
    if reason.startswith("subject is"):
        return "the company is the filer, not the subject"
    return reason.split(":")[0]


# --- nightly -------------------------------------------------------------------------------------


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


def nightly_day(
    settings: Settings, wh: Warehouse, client: EdgarClient, day: dt.date, today: dt.date,
    progress: Progress | None = None, store: StoreBatch | None = None,
) -> RunSummary:
    """One day's index: every 13D of the day stored or logged as failed, then the watermark moves.

    A day with no index is a weekend or holiday when it is in the past, and simply not published yet
    when it is today: only the first is marked done.
    """
    progress = progress or LogProgress()
    store = store or store_filings
    archive = RawArchive(settings.archive_path)
    summary = RunSummary(days=[day.isoformat()])
    candidates = daily_candidates(client, client.settings.www_url, day)
    if not candidates:
        if day < today:
            wh.mark_day_done(day, 0, detail="no 13D filed, or no index (weekend or holiday)")
        else:
            summary.notes.append(f"{day}: no index yet (EDGAR publishes it in the evening)")
        return summary
    summary.found = len(candidates)
    archived = fetch_candidates(client, settings, archive, wh, candidates, summary, progress)
    progress.start(f"extract and load {day}", len(archived))
    cache = ParseCache()
    keep = watchlist_filter(settings.nightly.watchlist)
    for batch in chunks(archived, settings.flows.batch_size):
        store(wh, archive, batch, summary, cache, keep)
        progress.advance(len(batch))
    if settings.alerts.urls:  # queued before the day is done, so a killed run cannot lose the news
        from alerts import outbox

        outbox.queue(wh, day, summary.stored_ids)
    # Failures are in the failure log with their reasons, so the day is handled: the watermark moves.
    wh.mark_day_done(day, len(candidates), detail=f"{summary.failed} failed, see the failure log" if summary.failed else None)
    return summary


def reparse(
    settings: Settings, wh: Warehouse, *, cusip: str | None = None, below_version: str | None = None,
    progress: Progress | None = None, store: StoreBatch | None = None,
) -> RunSummary:
    """Re-extract archived filings with this parser, offline: all, one CUSIP's, or older versions'."""
    from extractors import PARSER_VERSION

    progress = progress or LogProgress()
    store = store or store_filings
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
    for batch in chunks(accessions, settings.flows.batch_size):
        store(wh, archive, batch, summary, None)
        progress.advance(len(batch))
    return summary


# Filings that print a CUSIP (9 characters) or any CUSIP of an issuer (a 6-character prefix).
FILINGS_OF_CUSIP = """
SELECT filing_id FROM filings
WHERE starts_with(cusip, $1) OR len(list_filter(coalesce(cusips, []), lambda c: starts_with(c, $1))) > 0
"""



def _vkey(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


__all__ = [
    "Blocked", "LogProgress", "ParseCache", "Progress", "RunSummary", "backfill", "client_settings",
    "days_to_process", "nightly_day", "reparse", "store_filings", "watchlist_filter",
]
