"""The labelled corpus, parsed by the real parser, loads into the warehouse whole and reloads as a no-op.

Skips when ../shared is absent or the parser is not importable yet. It checks the warehouse, not the
parser: every parsed filing is stored with all its rows, the hand-checked labels' filing-level values
survive the round trip, and failures land in the failure log.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warehouse import Warehouse, tables_from_parsed


def test_corpus_filings_load(shared_dir: Path, tmp_path: Path) -> None:
    parse = pytest.importorskip("extractors.parse")
    from extractors.model import ExtractionError

    corpus = shared_dir / "corpus"
    parsed, failed = [], []
    for path in sorted(p for p in corpus.iterdir() if p.is_file() and p.name not in ("MANIFEST.tsv", "README.md")):
        try:
            parsed.append(parse.parse_filing(path.read_bytes(), path.name))
        except ExtractionError as exc:
            failed.append((path.name, exc))
    if not parsed:
        pytest.skip("the parser read none of the corpus yet")

    with Warehouse.open(tmp_path / "corpus.duckdb") as wh:
        for name, exc in failed:
            wh.record_failure(None, "parse", exc.reason, exc.detail, source=name)
        res = wh.load(tables_from_parsed(parsed))
        ids = {p.filing_id for p in parsed}
        assert res.inserted == len(ids)
        assert res.reporting_persons == sum(len(p.reporting_persons) for p in parsed)
        assert wh.status()["open_failures_total"] == len(failed)

        stored = {r["filing_id"]: r for r in wh.query("SELECT * FROM filings").to_pylist()}
        assert set(stored) == ids
        n_persons = {r["filing_id"]: r["n"] for r in wh.query(
            "SELECT filing_id, count(*) AS n FROM reporting_persons GROUP BY 1").to_pylist()}
        for p in parsed:
            assert n_persons.get(p.filing_id, 0) == len(p.reporting_persons), p.filing_id
        # every cover page with a CUSIP is in the history views
        with_cusip = wh.query("SELECT count(*) AS n FROM (SELECT DISTINCT holder_cusip, holder_key, filing_id"
                              " FROM reporting_persons WHERE holder_cusip IS NOT NULL)")
        assert wh.query("SELECT count(*) AS n FROM positions")["n"][0] == with_cusip["n"][0]

        # label values come back out of the database as they went in
        labels = shared_dir / "labels"
        by_source = {p.filing["source"]: p for p in parsed}
        checked = 0
        for label_path in labels.glob("*.json"):
            label = json.loads(label_path.read_text())
            p = by_source.get(label.get("file"))
            if p is None:
                continue
            row = stored[p.filing_id]
            for key in ("accession_number", "cusip", "subject_cik", "amendment_number"):
                assert row[key] == p.filing.get(key), (label["file"], key)
            checked += 1
        assert checked > 0

        again = wh.load(tables_from_parsed(parsed))
        assert (again.inserted, again.replaced, again.unchanged) == (0, 0, len(ids))
