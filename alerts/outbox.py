"""What is still to announce: the ``alert_outbox`` table (migration 003), read through the views.

A day's filings are queued before the nightly job marks the day done, and leave the queue only when a
message naming them was delivered, so a killed run or a destination that is down delays the news to
the next run instead of losing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from warehouse.store import Warehouse

QUEUE = """
INSERT OR IGNORE INTO alert_outbox (filing_id, day, queued_at)
SELECT filing_id, $day, $now FROM (SELECT unnest($ids) AS filing_id)
"""
# One row per queued filing: who filed it (the group's largest member, else the first reporting
# person) and the percent it reports, on the CUSIP the filing is about.
PENDING_FILINGS = """
SELECT o.filing_id, o.day, f.accession_number, f.form_type, f.filed_date, f.cusip,
       coalesce(f.issuer_name, f.subject_name) AS issuer_name,
       coalesce(f.subject_cik, f.issuer_cik) AS subject_cik,
       coalesce(g.largest_member_name,
                (SELECT name FROM reporting_persons r WHERE r.filing_id = o.filing_id ORDER BY seq LIMIT 1))
           AS who,
       g.group_percent_of_class AS percent,
       g.n_members
FROM alert_outbox o
JOIN filings f ON f.filing_id = o.filing_id
LEFT JOIN group_positions g ON g.filing_id = o.filing_id AND g.cusip = f.cusip
WHERE o.sent_at IS NULL
ORDER BY issuer_name, f.filed_date, f.accession_number
"""
PENDING_CROSSINGS = """
SELECT * FROM threshold_crossings
WHERE filing_id IN (SELECT filing_id FROM alert_outbox WHERE sent_at IS NULL)
ORDER BY filed_date, cusip, level DESC, who_name, threshold
"""
# Moves between Schedule 13G and 13D that a queued filing makes (the signal watched most: to_13D).
PENDING_SWITCHES = """
SELECT * FROM schedule_switches
WHERE to_filing_id IN (SELECT filing_id FROM alert_outbox WHERE sent_at IS NULL)
ORDER BY to_filed_date, cusip, holder_name
"""
MARK_SENT = "UPDATE alert_outbox SET sent_at = $now WHERE sent_at IS NULL AND filing_id IN (SELECT unnest($ids))"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def queue(wh: Warehouse, day: dt.date, filing_ids: Sequence[str]) -> None:
    """Queue a day's stored filings for the run's message (a filing queued twice is queued once)."""
    if filing_ids:
        wh.execute(QUEUE, {"day": day, "now": _now(), "ids": list(filing_ids)})


def pending(wh: Warehouse) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(filings, threshold crossings) still to announce."""
    filings: pa.Table = wh.query(PENDING_FILINGS)
    return filings.to_pylist(), wh.query(PENDING_CROSSINGS).to_pylist()


def pending_switches(wh: Warehouse) -> list[dict[str, Any]]:
    """Schedule switches (13G to 13D and back) made by the filings still to announce."""
    return wh.query(PENDING_SWITCHES).to_pylist()


def mark_sent(wh: Warehouse, filing_ids: Sequence[str]) -> None:
    if filing_ids:
        wh.execute(MARK_SENT, {"now": _now(), "ids": list(filing_ids)})
