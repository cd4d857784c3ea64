"""What one parsed filing is, and how it turns into Arrow rows and label-shaped JSON.

Parsers fill plain dicts keyed by the column names of :mod:`extractors.schema`; this module is the
only place that knows how those dicts become tables, so every parser stays a small pure function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from extractors import PARSER_VERSION
from extractors.schema import FILINGS, ITEMS, REPORTING_PERSONS, SIGNATURES


class ExtractionError(Exception):
    """A filing that cannot be extracted, with a stable reason code a user can filter the failure log on.

    Reason codes: ``empty``, ``binary``, ``truncated``, ``not_13d`` (neither a Schedule 13D nor a 13G), ``no_cover_page``, ``bad_xml``,
    ``too_large``, ``no_document``.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class ParsedFiling:
    """One filing, read. ``filing`` holds the filings-table columns; the lists hold one dict per row."""

    filing: dict[str, Any]
    reporting_persons: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def filing_id(self) -> str:
        return self.filing["filing_id"]

    def _provenance(self) -> dict[str, Any]:
        return {
            "filing_id": self.filing["filing_id"],
            "accession_number": self.filing.get("accession_number"),
            "parser_version": PARSER_VERSION,
        }

    def to_arrow(self) -> dict[str, pa.Table]:
        """The four tables of this filing, each with its schema from :mod:`extractors.schema`."""
        return {name: rows_to_table(rows, TABLE_SCHEMAS[name]) for name, rows in self.rows().items()}

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """The rows of :meth:`to_arrow` as dicts, so a batch of filings becomes one table per name in one
        conversion (``warehouse.batch.tables_from_parsed``) instead of four small tables a filing."""
        prov = self._provenance()
        filing_row = {**self.filing, **prov, "warnings": list(self.warnings)}
        persons = [
            {**p, **prov, "seq": i, "schedule": self.filing.get("schedule"), "warnings": list(p.get("warnings") or [])}
            for i, p in enumerate(self.reporting_persons, start=1)
        ]
        items = [{**it, **prov, "warnings": list(it.get("warnings") or [])} for it in self.items]
        sigs = [
            {**s, **prov, "seq": i, "warnings": list(s.get("warnings") or [])}
            for i, s in enumerate(self.signatures, start=1)
        ]
        return {"filings": [filing_row], "reporting_persons": persons, "items": items, "signatures": sigs}

    def to_json(self, file: str | None = None) -> dict[str, Any]:
        """The shape of ``shared/labels/README.md`` (13G: ``labels-13g``, with ``schedule`` and ``rule_13d_1``)
        plus everything else extracted."""
        f = self.filing
        filing = {
            "accession_number": f.get("accession_number"),
            "form_type": f.get("form_type"),
            "schedule": f.get("schedule"),
            "amendment_number": f.get("amendment_number"),
            "filed_date": _iso(f.get("filed_date")),
            "event_date": _iso(f.get("event_date")),
            "subject_cik": f.get("subject_cik"),
            "issuer_name": f.get("issuer_name"),
            "cusip": f.get("cusip"),
            "cusip_raw": f.get("cusip_raw"),
            "rule_13d_1": f.get("rule_13d_1"),
        }
        for key in FILINGS.names:
            if key not in filing and key not in ("parser_version", "warnings"):
                filing[key] = _jsonable(f.get(key))
        persons = []
        for p in self.reporting_persons:
            row = {k: _jsonable(p.get(k)) for k in REPORTING_PERSONS.names if k not in _PROV_KEYS}
            row.pop("seq", None)
            row.pop("schedule", None)
            persons.append(row)
        return {
            "file": file,
            "filing": filing,
            "reporting_persons": persons,
            "items": [
                {"item_number": it["item_number"], "heading": it.get("heading"), "text": it.get("text")}
                for it in self.items
            ],
            "signatures": [
                {k: _jsonable(s.get(k)) for k in ("signer", "name", "title", "date")} for s in self.signatures
            ],
            "parser_version": PARSER_VERSION,
            "warnings": list(self.warnings),
        }


_PROV_KEYS = {"filing_id", "accession_number", "parser_version"}
TABLE_SCHEMAS = {"filings": FILINGS, "reporting_persons": REPORTING_PERSONS, "items": ITEMS, "signatures": SIGNATURES}


def rows_to_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Build a table from row dicts, taking only the schema's columns (missing keys are NULL)."""
    columns = {name: [r.get(name) for r in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
