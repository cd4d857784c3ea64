"""Field-level accuracy of the extractors against hand-checked labels, per field and per era.

Run: ``python -m bench.accuracy [--shared ../shared] [--verbose]``. Every labelled filing in
``shared/labels`` (and the seed) is parsed and compared field by field; XML files, which have no
labels, are scored against the corpus manifest's columns. The printed table is what the issue's
accuracy targets are measured on.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from extractors.model import ExtractionError
from extractors.parse import parse_filing

PERSON_FIELDS = (
    "name", "member_of_group", "source_of_funds", "citizenship", "sole_voting_power", "shared_voting_power",
    "sole_dispositive_power", "shared_dispositive_power", "aggregate_amount", "percent_of_class",
    "type_of_reporting_person",
)
FILING_FIELDS = ("cusip", "amendment_number", "event_date")
TARGETS = {"xml": 0.99, "html": 0.97, "txt": 0.95}


def _norm_text(value: Any) -> str:
    """Case, punctuation and spacing do not count, as the labels README says for names."""
    return re.sub(r"[^0-9a-z]+", " ", str(value).casefold()).strip()


def same(field: str, expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if field in ("name", "issuer_name", "citizenship"):
        return _norm_text(expected) == _norm_text(got)
    if isinstance(expected, list):
        return sorted(expected) == sorted(got or [])
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(expected) - float(got)) < 1e-6
    return expected == got


class Score:
    def __init__(self) -> None:
        self.right: dict[tuple[str, str], int] = defaultdict(int)
        self.total: dict[tuple[str, str], int] = defaultdict(int)
        self.misses: list[str] = []

    def add(self, era: str, field: str, ok: bool, where: str, expected: Any = None, got: Any = None) -> None:
        self.total[era, field] += 1
        self.right[era, field] += ok
        if not ok:
            self.misses.append(f"{where} {field}: expected {expected!r} got {got!r}")


def _era(name: str) -> str:
    return name.split("_", 1)[0] if name.split("_", 1)[0] in ("txt", "html", "xml") else "txt"


def score_labels(shared: Path, score: Score) -> None:
    cases = [(p, shared / "corpus" / p.name.removesuffix(".json")) for p in sorted((shared / "labels").glob("*.json"))]
    seed = shared / "seed"
    cases += [(p, seed / p.name.removesuffix(".json")) for p in sorted(seed.glob("*.json"))]
    for label_path, filing_path in cases:
        label = json.loads(label_path.read_text())
        era = _era(filing_path.name)
        try:
            got = parse_filing(filing_path.read_bytes(), str(filing_path)).to_json(filing_path.name)
        except ExtractionError as exc:
            got = {"filing": {}, "reporting_persons": [], "error": str(exc)}
        for field in FILING_FIELDS:
            exp, val = label["filing"].get(field), got["filing"].get(field)
            score.add(era, field, same(field, exp, val), filing_path.name, exp, val)
        exp_people, got_people = label["reporting_persons"], got["reporting_persons"]
        score.add(era, "persons_count", len(exp_people) == len(got_people), filing_path.name, len(exp_people), len(got_people))
        for i in range(max(len(exp_people), len(got_people))):
            exp_p = exp_people[i] if i < len(exp_people) else {}
            got_p = got_people[i] if i < len(got_people) else {}
            for field in PERSON_FIELDS:
                exp, val = exp_p.get(field), got_p.get(field)
                ok = bool(exp_p) and bool(got_p) and same(field, exp, val)
                score.add(era, field, ok, f"{filing_path.name}#{i + 1}", exp, val)


def score_xml_manifest(shared: Path, score: Score) -> None:
    """XML files have no hand labels; the manifest's columns were read off the XML itself."""
    with open(shared / "corpus" / "MANIFEST.tsv", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["format"] == "xml" and "NEGATIVE" not in r["file"]]
    for row in rows:
        path = shared / "corpus" / row["file"]
        try:
            got = parse_filing(path.read_bytes(), str(path)).to_json(row["file"])
        except ExtractionError as exc:
            got = {"filing": {}, "reporting_persons": [], "error": str(exc)}
        f = got["filing"]
        expected_cusip = re.sub(r"[^0-9A-Z]", "", row["cusip"].upper()) or None
        score.add("xml", "cusip", f.get("cusip") == expected_cusip, row["file"], expected_cusip, f.get("cusip"))
        amend = int(row["amendment_no"]) if row["amendment_no"] else None
        score.add("xml", "amendment_number", f.get("amendment_number") == amend, row["file"], amend, f.get("amendment_number"))
        m, d, y = row["event_date"].split("/")
        score.add("xml", "event_date", f.get("event_date") == f"{y}-{m}-{d}", row["file"], row["event_date"], f.get("event_date"))
        n = int(row["n_reporting_persons"])
        score.add("xml", "persons_count", len(got["reporting_persons"]) == n, row["file"], n, len(got["reporting_persons"]))


def report(score: Score) -> tuple[str, bool]:
    eras = sorted({era for era, _ in score.total}, key=["txt", "html", "xml"].index)
    fields = list(dict.fromkeys(f for _, f in sorted(score.total, key=lambda k: k[1])))
    fields = [f for f in (*FILING_FIELDS, "persons_count", *PERSON_FIELDS) if f in fields]
    lines = ["| field | " + " | ".join(eras) + " |", "|---|" + "---|" * len(eras)]
    ok = True
    for field in fields:
        cells = []
        for era in eras:
            t = score.total.get((era, field), 0)
            if not t:
                cells.append("-")
                continue
            rate = score.right[era, field] / t
            ok &= rate >= TARGETS[era]
            cells.append(f"{rate:6.1%} ({score.right[era, field]}/{t})")
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every mismatch")
    args = ap.parse_args(argv)
    if not (args.shared / "labels").is_dir():
        print(f"no labels at {args.shared}/labels: pass --shared", file=sys.stderr)
        return 2
    score = Score()
    score_labels(args.shared, score)
    score_xml_manifest(args.shared, score)
    table, ok = report(score)
    print(table)
    print(f"\ntargets: txt >= 95%, html >= 97%, xml >= 99% on every field: {'MET' if ok else 'NOT MET'}")
    if args.verbose:
        print("\n".join(["", "mismatches:", *score.misses]))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
