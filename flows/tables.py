"""Arrow tables as text a person reads in a terminal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) >= 1000 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(map(str, value))
    return str(value)


def render(table: pa.Table, limit: int | None = 100, max_width: int = 48) -> str:
    """A plain fixed-width table (numbers right-aligned), cut at ``limit`` rows."""
    rows = table.slice(0, limit).to_pylist() if limit else table.to_pylist()
    names = table.column_names
    cells = [[_cell(r[n])[:max_width] for n in names] for r in rows]
    widths = [max([len(n), *(len(c[i]) for c in cells)]) for i, n in enumerate(names)]
    numeric = [pa.types.is_integer(t) or pa.types.is_floating(t) for t in table.schema.types]
    out = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    for c in cells:
        out.append("  ".join(v.rjust(w) if num else v.ljust(w)
                             for v, w, num in zip(c, widths, numeric, strict=True)))
    if limit and table.num_rows > limit:
        out.append(f"... {table.num_rows - limit} more rows (use --limit, or --format csv)")
    return "\n".join(out)


HISTORY_COLUMNS = {
    "filed_date": "filed",
    "form_type": "form",
    "schedule": "schedule",
    "amendment_number": "amd",
    "holder_name": "holder",
    "aggregate_amount": "shares",
    "change_in_shares": "change",
    "percent_of_class": "percent",
    "change_in_percent": "change %",
    "accession_number": "accession",
}


def history_table(history: pa.Table) -> str:
    """``edgar13d history``: one block per CUSIP, rows in filing order, each holder's stake and change."""
    keep = [c for c in HISTORY_COLUMNS if c in history.column_names]
    ordered = history.sort_by([("cusip", "ascending"), ("filed_date", "ascending"), ("holder_name", "ascending")])
    parts = []
    for cusip in dict.fromkeys(ordered.column("cusip").to_pylist()):
        block = ordered.filter(pc.equal(ordered.column("cusip"), cusip)).select(keep)
        block = block.rename_columns([HISTORY_COLUMNS[c] for c in keep])
        issuer = ordered.filter(pc.equal(ordered.column("cusip"), cusip)).column("issuer_name")[0].as_py()
        parts.append(f"CUSIP {cusip}  {issuer or ''}\n{render(block, limit=None)}")
    return "\n\n".join(parts)
