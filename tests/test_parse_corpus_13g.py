"""The real Schedule 13G filings of ../shared/corpus-13g (skipped without ../shared): every one parses as a
13G with its cover pages, and ``edgar13d parse --json`` prints the labels' shape, field by field."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.accuracy import FILING_FIELDS_13G, PERSON_FIELDS_13G, same
from bench.holdout import is_held_out
from extractors.parse import parse_filing
from tests.conftest import REPO, SHARED, shared_params

CORPUS_13G = sorted(p for p in (SHARED / "corpus-13g").iterdir() if p.name.startswith(("txt_", "html_", "xml_"))) \
    if SHARED and (SHARED / "corpus-13g").is_dir() else []
LABELS_13G = sorted((SHARED / "labels-13g").glob("*.json")) if SHARED and (SHARED / "labels-13g").is_dir() else []


@pytest.mark.parametrize("path", shared_params(CORPUS_13G), ids=lambda p: p.name)
def test_every_13g_parses_as_a_13g_with_its_cover_pages(path):
    parsed = parse_filing(path.read_bytes(), str(path))
    assert parsed.filing["schedule"] == "13G"
    assert parsed.reporting_persons, parsed.warnings
    assert all(p["schedule"] == "13G" for p in parsed.to_arrow()["reporting_persons"].to_pylist())
    rule = parsed.filing["rule_13d_1"]
    assert rule == sorted(set(rule)) and set(rule) <= {"b", "c", "d"}


# The labelled files of the hold-out (bench/holdout.py) are scored by bench.accuracy --holdout only.
@pytest.mark.parametrize("label_path", shared_params(
    [p for p in LABELS_13G if not is_held_out(p.name.removesuffix(".json"))]), ids=lambda p: p.name)
def test_parse_json_matches_the_13g_label_field_by_field(label_path):
    label = json.loads(label_path.read_text())
    filing = SHARED / "corpus-13g" / label["file"]
    done = subprocess.run([sys.executable, "-m", "flows.cli", "parse", "--json", str(filing)],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    got = json.loads(done.stdout)
    assert list(label["filing"]) == [k for k in got["filing"] if k in label["filing"]]  # the labels' key order
    for key in FILING_FIELDS_13G:
        assert same(key, label["filing"][key], got["filing"][key]), key
    assert len(got["reporting_persons"]) == len(label["reporting_persons"])
    for want, have in zip(label["reporting_persons"], got["reporting_persons"], strict=True):
        for key in PERSON_FIELDS_13G:
            assert same(key, want[key], have[key]), (want["name"], key)
