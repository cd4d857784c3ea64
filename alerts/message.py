"""The alert message, from plain rows: grouped by security, one message however many filings.

A first nightly run that reads years of daily indexes stores thousands of filings; the message then
lists the first ``max_items`` and counts the rest, so a mailbox or a channel gets one readable message,
never one per filing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reports.links import edgar_index_url


@dataclass(frozen=True)
class AlertMessage:
    title: str
    body: str
    n_filings: int
    n_crossings: int


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _pct(v: float | None) -> str:
    return "no percent printed" if v is None else f"{v:g}%"


def _span(days: Sequence[dt.date]) -> str:
    if not days:
        return ""
    first, last = min(days), max(days)
    return f" ({first})" if first == last else f" ({first} to {last})"


def build_message(filings: Sequence[dict[str, Any]], crossings: Sequence[dict[str, Any]],
                  max_items: int = 50, switches: Sequence[dict[str, Any]] = ()) -> AlertMessage | None:
    """The one message of a run, or None when there is nothing to say.

    ``filings``: one row per filing (filing_id, accession_number, form_type, filed_date, day, cusip,
    issuer_name, subject_cik, who, percent, n_members); ``crossings``: rows of threshold_crossings;
    ``switches``: rows of schedule_switches (a holder moving from 13G to 13D, or back), listed first.
    """
    if not filings and not crossings:
        return None
    securities = {(r.get("cusip"), r.get("issuer_name")) for r in filings}
    days = [r["day"] for r in filings if r.get("day")] or [r["filed_date"] for r in filings if r.get("filed_date")]
    title = f"edgar13d: {_plural(len(filings), 'new filing')} on {_plural(len(securities), 'security')}"
    title = title.replace("securitys", "securities")
    if crossings:
        title += f", {_plural(len(crossings), 'threshold crossing')}"
    if switches:
        title += f", {_plural(len(switches), 'schedule switch')}".replace("switchs", "switches")
    title += _span(days)

    lines: list[str] = []
    lines += _section("Schedule switches", "switches", switches, _switch_line, max_items)
    lines += _section("Threshold crossings", "crossings", crossings, _crossing_line, max_items)

    lines.append(f"New filings ({len(filings):,})")
    shown = 0
    by_security: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for r in filings:
        by_security.setdefault((r.get("cusip"), r.get("issuer_name")), []).append(r)
    for (cusip, issuer), rows in sorted(by_security.items(), key=lambda kv: (str(kv[0][1]), str(kv[0][0]))):
        if shown >= max_items:
            break
        lines.append(f"{issuer or 'Unknown issuer'} (CUSIP {cusip or 'not printed'})")
        for r in sorted(rows, key=lambda r: (str(r.get("filed_date")), str(r.get("accession_number")))):
            if shown >= max_items:
                break
            shown += 1
            who = r.get("who") or "?"
            if (r.get("n_members") or 1) > 1:
                who += f" and {_plural(r['n_members'] - 1, 'other')}"
            url = edgar_index_url(r.get("subject_cik"), r.get("accession_number")) or r.get("filing_id")
            lines.append(f"  {r.get('filed_date')}  {r.get('form_type') or '?'}  {who}: {_pct(r.get('percent'))}")
            lines.append(f"    {url}")
    if len(filings) > shown:
        rest = len(filings) - shown
        lines.append(f"... and {rest:,} more new filings; `edgar13d history --cusip CUSIP` shows each security's")
    return AlertMessage(title=title, body="\n".join(lines).rstrip() + "\n", n_filings=len(filings),
                        n_crossings=len(crossings))



def _section(title: str, noun: str, rows: Sequence[dict[str, Any]], line: Callable[[dict[str, Any]], str],
             max_items: int) -> list[str]:
    """A titled list of at most ``max_items`` lines and a count of the rest; nothing when ``rows`` is empty."""
    if not rows:
        return []
    out = [f"{title} ({len(rows):,})"] + [f"  {line(r)}" for r in list(rows)[:max_items]]
    if len(rows) > max_items:
        out.append(f"  ... and {len(rows) - max_items:,} more {noun}")
    return [*out, ""]


def _switch_line(w: dict[str, Any]) -> str:
    what = "a passive holder turned active" if w.get("to_schedule") == "13D" else "back to passive"
    return (f"{w.get('to_filed_date')}  {w.get('holder_name')} moved from {w.get('from_schedule')} "
            f"to {w.get('to_schedule')} on {w.get('issuer_name') or '?'} (CUSIP {w.get('cusip')}): "
            f"{_pct(w.get('from_percent_of_class'))} -> {_pct(w.get('to_percent_of_class'))} ({what})")


def _crossing_line(c: dict[str, Any]) -> str:
    frm = "first report" if c.get("from_percent") is None else _pct(c["from_percent"])
    arrow = "above" if c.get("direction") == "up" else "below"
    return (f"{c.get('filed_date')}  {c.get('who_name') or c.get('who')} went {arrow} "
            f"{c['threshold']:g}% of {c.get('issuer_name') or '?'} (CUSIP {c.get('cusip')}): "
            f"{frm} -> {_pct(c.get('to_percent'))}")

def check_message(now: dt.datetime | None = None) -> AlertMessage:
    """What `edgar13d alerts test` sends."""
    when = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return AlertMessage(
        title="edgar13d: test message",
        body=f"Sent by `edgar13d alerts test` at {when}. The nightly job will send one message like this per "
             "run, listing the new filings on the watchlist and every threshold crossing.\n",
        n_filings=0, n_crossings=0,
    )
