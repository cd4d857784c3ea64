"""The stake chart: each line's percent of class over time as steps, the thresholds, a marker per filing.

matplotlib draws it: it renders PNG and SVG with no display and no network (its own fonts ship inside
the package), and it is the plotting library every Python analyst already has. The figure is built on
``matplotlib.figure.Figure`` directly, never pyplot, so no global state and no GUI backend is touched.

Markers: the shape tells the schedule (circle 13D, square 13G), the fill tells the filing (filled: an
original statement; hollow: an amendment); a cross is a filing that printed no percent (the line stays
where the last printed one put it). Each artist carries a ``gid``, so the SVG names what it draws
(``series-N``, ``filings-13D-original``, ``threshold-10``...).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Literal

import matplotlib
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from reports.stake import THRESHOLDS, Series, Stake

Format = Literal["png", "svg"]

# Colours of the lines: matplotlib's tab10, then tab20's light shades (20 holders before a repeat).
PALETTE = [*matplotlib.colormaps["tab10"].colors, *matplotlib.colormaps["tab20"].colors[1::2]]
MARKER_OF_SCHEDULE = {"13D": "o", "13G": "s"}
NOT_PRINTED_MARKER = "X"
LABEL_WIDTH = 38
# Text as glyph paths in the SVG: it renders exactly as in the PNG whatever fonts the browser has.
_RC = {"svg.fonttype": "path", "svg.hashsalt": "edgar13d", "font.family": "DejaVu Sans",
       "axes.spines.top": False, "axes.spines.right": False}


def axis_top(stake: Stake) -> float:
    """The y range: up to the first threshold above the highest stake (at least 10%), so the next level
    a holder could cross is on the chart and small stakes are not squashed under an empty 50% line."""
    high = max((p.level for s in stake.series for p in s.points), default=0.0)
    return next((t for t in (*THRESHOLDS, 100.0) if t >= max(high * 1.04, 10.0)), 100.0)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_WIDTH else label[: LABEL_WIDTH - 1] + "…"


def _end_date(stake: Stake) -> dt.date:
    dates = [p.filed_date for s in stake.series for p in s.points]
    first, last = min(dates), max(dates)
    return last + max(dt.timedelta(days=45), (last - first) * 0.04)


def _steps(series: Series, end: dt.date) -> tuple[list[dt.date], list[float]]:
    xs = [p.filed_date for p in series.points]
    ys = [p.level for p in series.points]
    if not series.exited:
        xs.append(end)
        ys.append(ys[-1])
    return xs, ys


def draw(stake: Stake) -> Figure:
    """The figure, not yet rendered (tests and the page may inspect it)."""
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(11, 5.6), layout="constrained")
        ax = fig.add_subplot()
        end = _end_date(stake)
        top = axis_top(stake)
        for t in THRESHOLDS:
            if t <= top:
                ax.axhline(t, color="#9a9a9a", linewidth=0.9, linestyle=(0, (4, 3)), zorder=1, gid=f"threshold-{t:g}")
                ax.annotate(f"{t:g}%", xy=(1, t), xycoords=("axes fraction", "data"), xytext=(4, 0),
                            textcoords="offset points", ha="left", va="center", fontsize=8, color="#6b6b6b")
        handles = []
        for i, s in enumerate(stake.series):
            color = PALETTE[i % len(PALETTE)]
            xs, ys = _steps(s, end)
            (line,) = ax.step(xs, ys, where="post", color=color, linewidth=2, zorder=2, gid=f"series-{i}",
                              label=_short(s.label))
            handles.append(line)
            _markers(ax, s, color, i)
        ax.set_xlim(min(p.filed_date for s in stake.series for p in s.points) - dt.timedelta(days=30), end)
        ax.set_ylim(0, top * 1.08)
        ax.set_ylabel("percent of class")
        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}%")
        ax.grid(axis="x", color="#ececec", linewidth=0.8)
        fig.suptitle(stake.title, fontsize=14, fontweight="bold", x=0.01, ha="left")
        each = "holder or group statement" if stake.by == "group" else "reporting person"
        ax.set_title(f"Percent of class as reported (cover page row 13), one line per {each}", fontsize=9,
                     color="#555555", loc="left")
        fig.legend(handles=handles, loc="outside right upper", frameon=False, fontsize=8, title_fontsize=8,
                   title="holder" if stake.by == "holder" else "holder or group", alignment="left")
        fig.legend(handles=_marker_key(stake), loc="outside right lower", frameon=False, fontsize=8,
                   title="each filing", title_fontsize=8, alignment="left")
    return fig


def _markers(ax, s: Series, color, i: int) -> None:  # type: ignore[no-untyped-def]
    kinds: dict[tuple[str, bool, bool], list] = {}
    for p in s.points:
        kinds.setdefault((p.schedule, p.is_amendment, p.percent is None), []).append(p)
    for (schedule, amendment, missing), pts in kinds.items():
        name = "no-percent" if missing else f"{schedule}-{'amendment' if amendment else 'original'}"
        ax.plot([p.filed_date for p in pts], [p.level for p in pts], linestyle="none", zorder=3, clip_on=False,
                marker=NOT_PRINTED_MARKER if missing else MARKER_OF_SCHEDULE[schedule], markersize=7,
                markeredgewidth=1.6, markeredgecolor=color,
                markerfacecolor="white" if amendment or missing else color, gid=f"filings-{name}-{i}")


def _marker_key(stake: Stake) -> list[Line2D]:
    seen = {(p.schedule, p.is_amendment, p.percent is None) for s in stake.series for p in s.points}
    out = []
    for schedule in ("13D", "13G"):
        for amendment in (False, True):
            if (schedule, amendment, False) in seen:
                out.append(Line2D([], [], linestyle="none", marker=MARKER_OF_SCHEDULE[schedule], color="#333333",
                                  markerfacecolor="white" if amendment else "#333333", markersize=7,
                                  label=f"{schedule} {'amendment' if amendment else 'original'}"))
    if any(missing for *_, missing in seen):
        out.append(Line2D([], [], linestyle="none", marker=NOT_PRINTED_MARKER, color="#333333",
                          markerfacecolor="white", markersize=7, label="no percent printed"))
    return out


def render(stake: Stake, fmt: Format = "png", dpi: int = 150) -> bytes:
    """The chart as PNG or SVG bytes."""
    fig = draw(stake)
    buf = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata={"Software": "edgar13d"} if fmt == "png" else {"Date": None})
    return buf.getvalue()


def inline_svg(stake: Stake) -> str:
    """The SVG without its XML prolog and DOCTYPE, for embedding in an HTML page."""
    text = render(stake, "svg").decode("utf-8")
    return text[text.index("<svg"):]
