"""The whole shared corpus through ``parse_filing`` and ``edgar13d parse --json`` (skipped without ../shared)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from extractors.parse import parse_filing
from tests.conftest import REPO, SHARED, shared_params

CORPUS = sorted(p for p in (SHARED / "corpus").iterdir() if p.is_file()) if SHARED else []
FILINGS = [p for p in CORPUS if p.suffix in (".txt", ".htm", ".xml")]


@pytest.mark.parametrize("path", shared_params([p for p in FILINGS if "NEGATIVE" not in p.name]),
                         ids=lambda p: p.name)
def test_every_corpus_filing_parses_with_cover_pages(path):
    parsed = parse_filing(path.read_bytes(), str(path))
    f = parsed.filing
    assert f["document_format"] == path.name.split("_")[0]  # the era, detected from content
    for p in parsed.reporting_persons:
        pct = p.get("percent_of_class")
        assert pct is None or 0 <= pct <= 100
    tables = parsed.to_arrow()
    assert tables["filings"].num_rows == 1
    assert tables["reporting_persons"].num_rows == len(parsed.reporting_persons)


def test_the_13g_negative_control_is_now_read_as_a_13g(shared_dir):
    got = parse_filing((shared_dir / "corpus" / "xml_NEGATIVE-13G_edgartools-schedule13g.xml").read_bytes()).to_json()
    assert got["filing"]["schedule"] == "13G" and got["filing"]["form_type"] == "SCHEDULE 13G"
    assert got["filing"]["subject_cik"] == "1909747"  # a raw primary_doc.xml: issuerCik stands in
    assert len(got["reporting_persons"]) == 2


def test_the_seed_parses_to_exactly_its_label(shared_dir):
    seed = shared_dir / "seed" / "savvis-13da-amendment1.txt"
    label = json.loads((shared_dir / "seed" / "savvis-13da-amendment1.txt.json").read_text())
    got = parse_filing(seed.read_bytes()).to_json(seed.name)
    # The labels compare issuer names without regard to case (labels/README.md).
    assert got["filing"].pop("issuer_name").casefold() == label["filing"].pop("issuer_name").casefold()
    assert {k: got["filing"][k] for k in label["filing"]} == label["filing"]
    persons = [{k: p[k] for k in label["reporting_persons"][0]} for p in got["reporting_persons"]]
    assert persons == label["reporting_persons"]


def test_parse_json_prints_one_object_per_file_and_says_which_failed(shared_dir, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    files = [str(shared_dir / "seed" / "savvis-13da-amendment1.txt"), str(empty),
             str(shared_dir / "corpus" / "xml_aadi-bml-13d.xml")]
    done = subprocess.run([sys.executable, "-m", "flows.cli", "parse", "--json", *files],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 1  # one file failed
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["file"] for o in out] == files
    assert out[1]["reason"] == "empty" and "error" in out[1]
    assert out[0]["filing"]["cusip"] == "805423100" and len(out[0]["reporting_persons"]) == 6
    assert out[2]["filing"]["form_type"] == "SCHEDULE 13D" and out[2]["items"]
