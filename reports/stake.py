"""One security's stakes, read through the warehouse's views into plain values for a chart and a page.

The reading (``load_stake``) is the only I/O; turning rows into the lines of a chart (``build_series``)
is pure, so it is tested on rows written by hand. Lines follow either:

- ``group`` (the default): one line per statement, i.e. per amendment chain (``amendment_chains``), at
  the group's holding (``group_positions``: the largest member not flagged on row 12, never the sum).
  A 13D filed by a fund, its general partner, its manager and their principal is one stake, not four
  overlapping lines; a holder filing alone is a group of one.
- ``holder``: one line per holder (``ownership_history``), every reporting person on its own.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa

from crawler.cusip import parse_cusip_query
from warehouse.store import Warehouse

LineBy = Literal["group", "holder"]

# The levels the threshold_crossings view watches (warehouse/views/50_threshold_crossings.sql; a test
# keeps the two equal).
THRESHOLDS: tuple[float, ...] = (5.0, 10.0, 15.0, 20.0, 25.0, 50.0)

# --- SQL (read-only, through the views) ------------------------------------------------------------
HISTORY_FOR = "SELECT * FROM ownership_history WHERE cusip = $cusip ORDER BY filed_date, report_number, holder_key"
LATEST_FOR = ("SELECT * FROM latest_positions WHERE cusip = $cusip "
              "ORDER BY percent_of_class DESC NULLS LAST, holder_name")
CROSSINGS_FOR = ("SELECT * FROM threshold_crossings WHERE cusip = $cusip "
                 "ORDER BY filed_date, level DESC, who_name, threshold")
# One row per filing of each chain: the group's percent, and a name for the line (the largest member,
# else the first one printed when every member's row 12 is checked).
GROUP_SERIES_FOR = """
SELECT g.*, c.chain_id AS series_key, c.position, c.is_amendment,
       coalesce(g.largest_member_name, h.holder_name) AS series_name,
       g.group_percent_of_class AS percent_of_class
FROM group_positions g
JOIN amendment_chains c ON c.filing_id = g.filing_id
LEFT JOIN ownership_history h
    ON h.cusip = g.cusip AND h.filing_id = g.filing_id AND h.holder_key = g.member_keys[1]
WHERE g.cusip = $cusip
ORDER BY c.chain_id, c.position
"""
ISSUER_FOR = """
SELECT issuer_name, subject_cik FROM cusip_issuers WHERE cusip = $cusip
ORDER BY last_seen DESC NULLS LAST LIMIT 1
"""
CLASSES_OF_ISSUER = "SELECT DISTINCT cusip FROM cusip_issuers WHERE starts_with(cusip, $issuer) ORDER BY 1"


class NoStake(LookupError):
    """Nothing stored for this CUSIP; the message says what to run."""


@dataclass(frozen=True)
class Point:
    """One filing on a line: where the line steps to (``percent``) and how its marker looks."""

    filed_date: dt.date
    percent: float | None  # as printed; None when the filing printed no percent
    level: float  # where the line is after this filing (the last printed percent, 0 before any)
    schedule: str  # '13D' or '13G'
    is_amendment: bool
    form_type: str | None
    accession_number: str | None
    filing_id: str


@dataclass
class Series:
    """A line of the chart: one holder, or one group's statement and its amendments."""

    key: str
    label: str
    points: list[Point] = field(default_factory=list)

    @property
    def exited(self) -> bool:
        """The last report printed 0%: the line ends there instead of running on to the right edge."""
        return bool(self.points) and self.points[-1].percent == 0


@dataclass
class Stake:
    """Everything the chart and the page show about one CUSIP."""

    cusip: str
    issuer_name: str | None
    subject_cik: str | None
    by: LineBy
    series: list[Series]
    history: pa.Table
    latest: pa.Table
    crossings: pa.Table

    @property
    def title(self) -> str:
        return f"{self.issuer_name or 'Unknown issuer'} — CUSIP {self.cusip}"


def schedule_of(form_type: str | None, schedule: str | None = None) -> str:
    """'13D' or '13G': the row's ``schedule`` when it has one (the warehouse stores it), else the one
    its form type belongs to (extractors/schedules.py); unknown forms count as 13D."""
    from extractors.schedules import schedule_named, schedule_of_form

    if schedule:
        with contextlib.suppress(ValueError):
            return schedule_named(str(schedule)).name
    found = schedule_of_form(form_type)
    return found.name if found else "13D"


def build_series(rows: list[dict[str, Any]], key: str, name: str) -> list[Series]:
    """Lines from rows in filing order per line (``key`` names the line, ``name`` its label column).

    A filing that printed no percent keeps the line where it was (as threshold_crossings measures
    moves from the last printed percent) but still gets its marker. The label is the latest name
    printed with a stake above zero, and duplicate labels are told apart by the year the line starts.
    """
    out: dict[str, Series] = {}
    for r in rows:
        s = out.setdefault(str(r[key]), Series(key=str(r[key]), label=""))
        pct = r.get("percent_of_class")
        level = pct if pct is not None else (s.points[-1].level if s.points else 0.0)
        s.points.append(Point(
            filed_date=r["filed_date"], percent=pct, level=float(level),
            schedule=schedule_of(r.get("form_type"), r.get("schedule")),
            is_amendment=bool(r.get("is_amendment")), form_type=r.get("form_type"),
            accession_number=r.get("accession_number"), filing_id=r["filing_id"],
        ))
        # The label is the latest name printed while the line held shares: an exit filing's zeros say
        # nothing about which member is the stake.
        if r.get(name) and (pct != 0 or not s.label):
            others = int(r.get("n_members") or 1) - 1
            s.label = str(r[name]) + (f" + {others} other{'s' if others > 1 else ''}" if others > 0 else "")
    series = sorted(out.values(), key=lambda s: (s.points[0].filed_date, s.label))
    counts: dict[str, int] = {}
    for s in series:
        s.label = s.label or s.key
        counts[s.label] = counts.get(s.label, 0) + 1
    for s in series:
        if counts[s.label] > 1:
            s.label = f"{s.label} (from {s.points[0].filed_date.year})"
    return series


def resolve_cusip(wh: Warehouse, text: str) -> str:
    """The 9-character CUSIP a user means (8 characters get their check digit); an issuer prefix is
    refused with the stored classes to choose from. Raises ValueError with the message to print."""
    target = parse_cusip_query(text)
    if target.cusip:
        return target.cusip
    classes = wh.query(CLASSES_OF_ISSUER, {"issuer": target.issuer}).column("cusip").to_pylist()
    choice = f": stored classes are {', '.join(classes)}" if classes else ""
    raise ValueError(f"{text!r} is an issuer prefix; a chart shows one class, give its 9-character CUSIP{choice}")


def load_stake(wh: Warehouse, cusip: str, by: LineBy = "group") -> Stake:
    """Read one CUSIP's history, latest positions, crossings and chart lines. Raises NoStake."""
    p = {"cusip": cusip}
    history = wh.query(HISTORY_FOR, p)
    if history.num_rows == 0:
        raise NoStake(f"no stored filings report on CUSIP {cusip}; run `edgar13d backfill --cusip {cusip}`")
    if by == "group":
        series = build_series(wh.query(GROUP_SERIES_FOR, p).to_pylist(), "series_key", "series_name")
    else:
        rows = sorted(history.to_pylist(), key=lambda r: (r["holder_key"], r["report_number"]))
        series = build_series(rows, "holder_key", "holder_name")
    issuer = wh.query(ISSUER_FOR, p).to_pylist()
    last = history.to_pylist()[-1]
    return Stake(
        cusip=cusip,
        issuer_name=(issuer[0]["issuer_name"] if issuer else None) or last.get("issuer_name"),
        subject_cik=(issuer[0]["subject_cik"] if issuer else None) or last.get("subject_cik"),
        by=by, series=series, history=history,
        latest=wh.query(LATEST_FOR, p), crossings=wh.query(CROSSINGS_FOR, p),
    )
