"""Field-level accuracy of the extractors against hand-checked labels, per field and per era.

Run: ``python -m bench.accuracy [--shared ../shared] [--verbose] [--holdout include|only|exclude]``.
Schedule 13D and Schedule 13G are scored apart, each in a table of its own. 13D: every labelled
filing in ``shared/labels`` (and the seed) is parsed and compared field by field; XML files, which
have no labels, are scored against the corpus manifest's columns. 13G: every labelled filing in
``shared/labels-13g``, on every field of its label (``filing`` and each reporting person). The
13G files of the hold-out (:mod:`bench.holdout`) are left out unless ``--holdout`` says otherwise.
The printed tables are what the issue's accuracy targets are measured on.
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

from bench.holdout import is_held_out
from extractors.model import ExtractionError
from extractors.parse import parse_filing

PERSON_FIELDS = (
    "name", "member_of_group", "source_of_funds", "citizenship", "sole_voting_power", "shared_voting_power",
    "sole_dispositive_power", "shared_dispositive_power", "aggregate_amount", "percent_of_class",
    "type_of_reporting_person",
)
FILING_FIELDS = ("cusip", "amendment_number", "event_date")
TARGETS = {"xml": 0.99, "html": 0.97, "txt": 0.95}
# Schedule 13G: every field of labels-13g (its README), at one target for every era.
FILING_FIELDS_13G = (
    "accession_number", "form_type", "schedule", "amendment_number", "filed_date", "event_date", "subject_cik",
    "issuer_name", "cusip", "cusip_raw", "rule_13d_1",
)
PERSON_FIELDS_13G = tuple(f for f in PERSON_FIELDS if f != "source_of_funds")
TARGETS_13G = {"xml": 0.99, "html": 0.99, "txt": 0.99}


def _norm_text(value: Any) -> str:
    """Case, punctuation and spacing do not count, as the labels README says for names."""
    return re.sub(r"[^0-9a-z]+", " ", str(value).casefold()).strip()


def same(field: str, expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is None and got is None
    if field in ("name", "issuer_name", "citizenship"):
        return _norm_text(expected) == _norm_text(got)
    if field == "rule_13d_1":
        return list(expected) == list(got or [])
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


def score_labels(shared: Path, score: Score, schedule: str = "13D", holdout: str = "exclude") -> None:
    if schedule == "13G":
        cases = [(p, shared / "corpus-13g" / p.name.removesuffix(".json"))
                 for p in sorted((shared / "labels-13g").glob("*.json"))]
        held = {c for c in cases if _held_out_13g(c[1].name)}
        cases = [c for c in cases if (c in held) == (holdout == "only") or holdout == "include"]
        filing_fields, person_fields = FILING_FIELDS_13G, PERSON_FIELDS_13G
    else:
        cases = [(p, shared / "corpus" / p.name.removesuffix(".json")) for p in sorted((shared / "labels").glob("*.json"))]
        seed = shared / "seed"
        cases += [(p, seed / p.name.removesuffix(".json")) for p in sorted(seed.glob("*.json"))]
        filing_fields, person_fields = FILING_FIELDS, PERSON_FIELDS
    for label_path, filing_path in cases:
        label = json.loads(label_path.read_text())
        era = _era(filing_path.name)
        try:
            got = parse_filing(filing_path.read_bytes(), str(filing_path)).to_json(filing_path.name)
        except ExtractionError as exc:
            got = {"filing": {}, "reporting_persons": [], "error": str(exc)}
        for field in filing_fields:
            exp, val = label["filing"].get(field), got["filing"].get(field)
            score.add(era, field, same(field, exp, val), filing_path.name, exp, val)
        exp_people, got_people = label["reporting_persons"], got["reporting_persons"]
        score.add(era, "persons_count", len(exp_people) == len(got_people), filing_path.name, len(exp_people), len(got_people))
        for i in range(max(len(exp_people), len(got_people))):
            exp_p = exp_people[i] if i < len(exp_people) else {}
            got_p = got_people[i] if i < len(got_people) else {}
            for field in person_fields:
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


def _held_out_13g(name: str) -> bool:
    """A 13G file of the hold-out: by the same name-hash rule as the rest of it (labelled files too)."""
    return is_held_out(name)


def report(score: Score, targets: dict[str, float] = TARGETS,
           order: tuple[str, ...] = (*FILING_FIELDS_13G, "persons_count", *PERSON_FIELDS)) -> tuple[str, bool]:
    eras = sorted({era for era, _ in score.total}, key=["txt", "html", "xml"].index)
    fields = list(dict.fromkeys(f for _, f in sorted(score.total, key=lambda k: k[1])))
    fields = [f for f in order if f in fields]
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
            ok &= rate >= targets[era]
            cells.append(f"{rate:6.1%} ({score.right[era, field]}/{t})")
        lines.append(f"| {field} | " + " | ".join(cells) + " |")
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every mismatch")
    ap.add_argument("--holdout", choices=("exclude", "include", "only"), default="exclude",
                    help="13G files of the hold-out (bench/holdout.py): left out (default), scored too, or alone")
    ap.add_argument("--schedule", choices=("13D", "13G", "both"), default="both")
    args = ap.parse_args(argv)
    if not (args.shared / "labels").is_dir():
        print(f"no labels at {args.shared}/labels: pass --shared", file=sys.stderr)
        return 2
    all_ok = True
    if args.schedule in ("13D", "both"):
        score = Score()
        score_labels(args.shared, score)
        score_xml_manifest(args.shared, score)
        table, ok = report(score)
        print("## Schedule 13D\n")
        print(table)
        print(f"\n13D targets: txt >= 95%, html >= 97%, xml >= 99% on every field: {'MET' if ok else 'NOT MET'}")
        if args.verbose:
            print("\n".join(["", "13D mismatches:", *score.misses]))
        all_ok &= ok
    if args.schedule in ("13G", "both") and (args.shared / "labels-13g").is_dir():
        score = Score()
        score_labels(args.shared, score, "13G", args.holdout)
        table, ok = report(score, TARGETS_13G)
        print(f"\n## Schedule 13G (hold-out: {args.holdout})\n")
        print(table)
        print(f"\n13G targets: >= 99% per era and field: {'MET' if ok else 'NOT MET'}")
        if args.verbose:
            print("\n".join(["", "13G mismatches:", *score.misses]))
        all_ok &= ok
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
