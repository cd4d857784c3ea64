"""The alerts step of a nightly run, and ``edgar13d alerts test``: read the outbox, build, send, record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from alerts import outbox
from alerts.message import build_message, check_message
from alerts.send import Delivery, send
from warehouse.store import Warehouse


def deliver_pending(wh: Warehouse, urls: Sequence[str], max_items: int = 50) -> list[str]:
    """Send one message about everything queued; returns the lines the run's summary prints.

    Queued filings are marked sent once any destination took the message; when none did, they stay
    queued and the next run sends them (with whatever it adds)."""
    filings, crossings = outbox.pending(wh)
    message = build_message(filings, crossings, max_items, switches=outbox.pending_switches(wh))
    if message is None:
        return []
    deliveries = send(urls, message)
    ok = [d for d in deliveries if d.ok]
    if ok:
        outbox.mark_sent(wh, [r["filing_id"] for r in filings])
    notes = [f"alerts: {message.n_filings} new filings, {message.n_crossings} threshold crossings, in one message "
             f"to {len(ok)} of {len(deliveries)} destinations"]
    notes += [f"alerts: NOT delivered to {d.destination}: {d.reason}" for d in deliveries if not d.ok]
    if not ok:
        notes.append("alerts: kept for the next run; `edgar13d alerts test` checks a destination")
    return notes


def send_check(urls: Sequence[str], now: dt.datetime | None = None) -> list[Delivery]:
    return send(urls, check_message(now))
