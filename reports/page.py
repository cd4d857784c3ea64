"""The one-page report of a stake: self-contained HTML (inline CSS and SVG, no script, nothing fetched),
so it opens from a laptop on a plane and can be mailed as one file.

Jinja2 (which Prefect already installs) writes it with autoescaping on: every name and value printed in
a filing is escaped, and a hostile holder name cannot inject markup. The template is
``reports/templates/report.html.j2``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import jinja2

from reports import chart
from reports.links import edgar_index_url
from reports.stake import Stake

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("reports", "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
)


def shares(v: float | None) -> str:
    return "" if v is None else f"{v:,.0f}"


def signed_shares(v: float | None) -> str:
    return "" if v is None else ("±0" if v == 0 else f"{v:+,.0f}")


def percent(v: float | None) -> str:
    return "" if v is None else f"{v:g}%"


def signed_percent(v: float | None) -> str:
    return "" if v is None else ("±0" if v == 0 else f"{v:+g} pts")


def _with_links(rows: list[dict[str, Any]], cik_columns: tuple[str, ...]) -> list[dict[str, Any]]:
    for r in rows:
        cik = next((r[c] for c in cik_columns if r.get(c)), None)
        r["url"] = edgar_index_url(cik, r.get("accession_number"))
    return rows


def render(stake: Stake, generated: dt.datetime | None = None) -> str:
    """The report page as HTML text."""
    history = _with_links(stake.history.to_pylist(), ("subject_cik", "holder_cik"))
    dates = [r["filed_date"] for r in history if r.get("filed_date")]
    template = _env.get_template("report.html.j2")
    return template.render(
        stake=stake,
        svg=chart.inline_svg(stake),
        history=history,
        latest=_with_links(stake.latest.to_pylist(), ("subject_cik", "holder_cik")),
        crossings=_with_links(stake.crossings.to_pylist(), ("subject_cik",)),
        n_filings=len({r["filing_id"] for r in history}),
        first=min(dates, default=None), last=max(dates, default=None),
        generated=(generated or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        shares=shares, signed_shares=signed_shares, percent=percent, signed_percent=signed_percent,
    )
