"""Share of reporting persons with any failed check, per era, over every real filing in ``../shared``.

Run: ``python -m bench.checks [--shared ../shared] [--split all|dev|holdout] [--codes]``.

Labels exist for a few filings only; the checks of :mod:`extractors.checks` (a place that is no
state or country, codes outside their sets, a percent outside 0-100, an aggregate below a power, a
percent that disagrees with the class the other persons imply, label words in a name) run on every
person of every filing, so their failure rate is a measure of the reader on filings nobody labelled.

* ``corpus/``: every 13D submission and raw XML (the DERIVED copies and the 13G negative control
  are left out), read by ``parse_filing``.
* ``corpus-13g/``: every 13G of every era, read by the same ``parse_filing`` (the schedule comes
  from the document; its cover spec has rows 1-12).

``--split`` takes the files held out from development (``bench.holdout``) or the others.
Files whose reader finds no person are counted apart: a check cannot fail on nobody.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.holdout import is_held_out
from extractors.checks import failed_checks
from extractors.model import ExtractionError
from extractors.parse import parse_filing


@dataclass
class Tally:
    files: int = 0
    no_person: list[str] = field(default_factory=list)
    persons: int = 0
    failed: int = 0
    codes: Counter[str] = field(default_factory=Counter)


def _manifest(folder: Path) -> dict[str, dict[str, str]]:
    with open(folder / "MANIFEST.tsv", newline="") as fh:
        return {r["file"]: r for r in csv.DictReader(fh, delimiter="\t")}


def _persons(path: Path) -> list[dict[str, Any]]:
    try:
        return parse_filing(path.read_bytes(), str(path)).reporting_persons
    except ExtractionError:
        return []


def collect(shared: Path, split: str) -> dict[tuple[str, str], Tally]:
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    labelled = {p.name.removesuffix(".json") for p in (shared / "labels").glob("*.json")}

    def wanted(name: str, is_labelled: bool) -> bool:
        held = is_held_out(name, is_labelled)
        return split == "all" or (split == "holdout") == held

    corpus = shared / "corpus"
    for name, row in sorted(_manifest(corpus).items()):
        if "DERIVED" in row.get("container", "") or "NEGATIVE" in name or not wanted(name, name in labelled):
            continue
        persons = _persons(corpus / name)
        _add(tallies[("13D", row["format"])], name, persons)
    corpus_13g = shared / "corpus-13g"
    if corpus_13g.is_dir():
        for name, row in sorted(_manifest(corpus_13g).items()):
            if not wanted(name, False):
                continue
            _add(tallies[("13G", row["format"])], name, _persons(corpus_13g / name))
    return tallies


def _add(t: Tally, name: str, persons: list[dict[str, Any]]) -> None:
    t.files += 1
    if not persons:
        t.no_person.append(name)
    for p in persons:
        t.persons += 1
        codes = failed_checks(p)
        t.failed += bool(codes)
        t.codes.update(codes)


def report(tallies: dict[tuple[str, str], Tally], show_codes: bool) -> str:
    lines = ["| schedule | era | files | files with no person | persons | with a failed check | share |",
             "|---|---|---|---|---|---|---|"]
    order = {"txt": 0, "html": 1, "xml": 2}
    for (schedule, era), t in sorted(tallies.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 9))):
        share = f"{t.failed / t.persons:6.1%}" if t.persons else "-"
        lines.append(f"| {schedule} | {era} | {t.files} | {len(t.no_person)} | {t.persons} | {t.failed} | {share} |")
    total = Tally()
    for t in tallies.values():
        total.persons += t.persons
        total.failed += t.failed
        total.files += t.files
        total.no_person += t.no_person
        total.codes.update(t.codes)
    share = f"{total.failed / total.persons:6.1%}" if total.persons else "-"
    lines.append(f"| all | all | {total.files} | {len(total.no_person)} | {total.persons} | {total.failed} | {share} |")
    if show_codes:
        lines += ["", "failed checks by code:"] + [f"  {code}: {n}" for code, n in total.codes.most_common()]
        lines += ["", "files with no person:"] + [f"  {name}" for name in total.no_person]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--split", choices=("all", "dev", "holdout"), default="all",
                    help="every file, the files developed on, or the held-out files (bench/holdout.py)")
    ap.add_argument("--codes", action="store_true", help="also list the failed checks by code")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus at {args.shared}/corpus: pass --shared", file=sys.stderr)
        return 2
    print(report(collect(args.shared, args.split), args.codes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
