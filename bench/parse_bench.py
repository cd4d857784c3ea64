"""Extraction speed and memory over the shared corpus, per era, and the XML era against edgartools.

Run: ``python -m bench.parse_bench [--rounds 5] [--shared ../shared]``. One process, one core.
``--against CHECKOUT`` instead times this checkout and another one (the base of a change) round by
round in alternation, so a shared machine's noise falls on both, and prints their ratio per era.
Each round parses every corpus file once; the figures are medians over rounds, so one noisy round
does not decide the result. When ``edgartools`` is importable (``make bench`` installs it into the
benchmark's own virtualenv, never as a dependency), ``Schedule13D.parse_xml`` runs on the same XML
payloads in the same rounds, alternating with ours, and the ratio of medians is reported; likewise
``Schedule13G.parse_xml`` on every XML 13G of ``shared/corpus-13g`` (and the 13G of ``corpus/``), with
the fields both read compared value by value.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

from extractors.envelope import pick_schedule_document, read_submission, xml_payload
from extractors.model import ExtractionError
from extractors.parse import parse_filing
from extractors.xmlform import parse_xml


def _era(name: str) -> str:
    return name.split("_", 1)[0]


def load_corpus(shared: Path) -> list[tuple[str, bytes]]:
    files = sorted(p for p in (shared / "corpus").iterdir() if p.suffix in (".txt", ".htm", ".xml"))
    return [(p.name, p.read_bytes()) for p in files]


def time_rounds(corpus: list[tuple[str, bytes]], rounds: int) -> dict[str, list[float]]:
    """Seconds per file, per era, one list entry per round."""
    per_round: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for name, _ in corpus:
        counts[_era(name)] += 1
    for _ in range(rounds):
        spent: dict[str, float] = defaultdict(float)
        for name, data in corpus:
            t0 = time.perf_counter()
            with contextlib.suppress(ExtractionError):
                parse_filing(data, name)
            spent[_era(name)] += time.perf_counter() - t0
        for era, secs in spent.items():
            per_round[era].append(secs / counts[era])
        per_round["all"].append(sum(spent.values()) / len(corpus))
    return per_round


def xml_payloads(corpus: list[tuple[str, bytes]]) -> list[bytes]:
    out = []
    for name, data in corpus:
        if _era(name) != "xml" or "NEGATIVE" in name:
            continue
        out.append(xml_payload(pick_schedule_document(read_submission(data))[0].body) or data)
    return out


def xml_payloads_13g(shared: Path) -> list[tuple[str, bytes]]:
    """Every XML Schedule 13G of the shared corpora: (file name, the primary_doc.xml payload)."""
    paths = sorted((shared / "corpus-13g").glob("xml_*")) if (shared / "corpus-13g").is_dir() else []
    paths += sorted((shared / "corpus").glob("xml_NEGATIVE-13G*"))
    out = []
    for path in paths:
        data = path.read_bytes()
        out.append((path.name, xml_payload(pick_schedule_document(read_submission(data))[0].body) or data))
    return out


def compare_edgartools_13g(payloads: list[bytes], rounds: int, inner: int) -> tuple[float, float, int] | None:
    """Median seconds per filing of our parse_xml and of edgartools' Schedule13G.parse_xml, alternating
    round by round; files edgartools cannot read are left out of both timings (and counted)."""
    try:
        from edgar.beneficial_ownership import Schedule13G
    except ImportError:
        return None
    texts, ok = [], []
    for p in payloads:
        text = p.decode("utf-8", "replace")
        try:
            Schedule13G.parse_xml(text)
        except Exception:  # edgartools' own error on a file it cannot read
            continue
        texts.append(text)
        ok.append(p)
    if not ok:
        return None
    ours, theirs = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(inner):
            for p in ok:
                parse_xml(p)
        ours.append((time.perf_counter() - t0) / (inner * len(ok)))
        t0 = time.perf_counter()
        for _ in range(inner):
            for t in texts:
                Schedule13G.parse_xml(t)
        theirs.append((time.perf_counter() - t0) / (inner * len(ok)))
    return statistics.median(ours), statistics.median(theirs), len(payloads) - len(ok)


def _theirs_13g(parsed: dict) -> dict[str, object]:
    """edgartools' Schedule13G.parse_xml answer in our column names (the fields both libraries read)."""
    issuer = parsed.get("issuer_info")
    security = parsed.get("security_info")
    rules = parsed.get("rule_designation") or ""
    persons = []
    for rp in parsed.get("reporting_persons") or []:
        types = rp.type_of_reporting_person
        persons.append({
            "name": rp.name, "citizenship": rp.citizenship or None, "member_of_group": rp.member_of_group or None,
            "sole_voting_power": rp.sole_voting_power, "shared_voting_power": rp.shared_voting_power,
            "sole_dispositive_power": rp.sole_dispositive_power, "shared_dispositive_power": rp.shared_dispositive_power,
            "aggregate_amount": rp.aggregate_amount, "percent_of_class": rp.percent_of_class,
            "type_of_reporting_person": [t for t in re.split(r"[\s,]+", types) if t] if isinstance(types, str)
            else list(types or []),
        })
    return {
        "issuer_cik": (issuer.cik or "").lstrip("0") or None if issuer else None,
        "issuer_name": issuer.name if issuer else None,
        "cusip": (security.cusip if security else None) or (issuer.cusip if issuer else None),
        "security_title": security.title if security else None,
        "event_date": parsed.get("event_date"),
        "rule_13d_1": sorted({m.lower() for m in re.findall(r"13d-1\(([bcd])\)", rules, re.I)}),
        "persons": persons,
    }


_FILING_13G = ("issuer_cik", "issuer_name", "cusip", "security_title", "event_date", "rule_13d_1")
_PERSON_13G = ("name", "citizenship", "member_of_group", "sole_voting_power", "shared_voting_power",
               "sole_dispositive_power", "shared_dispositive_power", "aggregate_amount", "percent_of_class",
               "type_of_reporting_person")


def _same(a: object, b: object) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


def fields_both_read_13g(payloads: list[tuple[str, bytes]]) -> tuple[dict[str, list[int]], list[str]] | None:
    """Per field, [agree, compared] between our reader and edgartools on the XML 13Gs, and the disagreements."""
    try:
        from edgar.beneficial_ownership import Schedule13G
    except ImportError:
        return None
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    notes: list[str] = []
    for name, payload in payloads:
        try:
            theirs = _theirs_13g(Schedule13G.parse_xml(payload.decode("utf-8", "replace")))
        except Exception as exc:
            notes.append(f"{name}: edgartools could not read it ({type(exc).__name__}: {str(exc)[:80]})")
            continue
        mine = parse_xml(payload)
        f = mine.filing
        ours = {"issuer_cik": f.get("issuer_cik"), "issuer_name": f.get("issuer_name"), "cusip": f.get("cusip"),
                "security_title": f.get("security_title"),
                "event_date": f["event_date"].strftime("%m/%d/%Y") if f.get("event_date") else None,
                "rule_13d_1": f.get("rule_13d_1")}
        for key in _FILING_13G:
            tally[key][1] += 1
            if _same(ours[key], theirs[key]):
                tally[key][0] += 1
            else:
                notes.append(f"{name} {key}: edgar13d {ours[key]!r}, edgartools {theirs[key]!r}")
        tally["persons_count"][1] += 1
        tally["persons_count"][0] += len(mine.reporting_persons) == len(theirs["persons"])
        for i, (a, b) in enumerate(zip(mine.reporting_persons, theirs["persons"], strict=False), start=1):
            for key in _PERSON_13G:
                tally[key][1] += 1
                if _same(a.get(key), b.get(key)):
                    tally[key][0] += 1
                else:
                    notes.append(f"{name}#{i} {key}: edgar13d {a.get(key)!r}, edgartools {b.get(key)!r}")
    return dict(tally), notes


def compare_edgartools(payloads: list[bytes], rounds: int, inner: int) -> tuple[float, float] | None:
    try:
        from edgar.beneficial_ownership import Schedule13D
    except ImportError:
        return None
    texts = [p.decode("utf-8") for p in payloads]
    ours, theirs = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(inner):
            for p in payloads:
                parse_xml(p)
        ours.append((time.perf_counter() - t0) / (inner * len(payloads)))
        t0 = time.perf_counter()
        for _ in range(inner):
            for t in texts:
                Schedule13D.parse_xml(t)
        theirs.append((time.perf_counter() - t0) / (inner * len(payloads)))
    return statistics.median(ours), statistics.median(theirs)


def peak_memory(corpus: list[tuple[str, bytes]]) -> tuple[str, int]:
    """The largest Python-heap peak of any single filing's parse, and which file it was."""
    worst = ("", 0)
    for name, data in corpus:
        gc.collect()
        tracemalloc.start()
        with contextlib.suppress(ExtractionError):
            parse_filing(data, name)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if peak > worst[1]:
            worst = (name, peak)
    return worst


def huge_filing(mb: int = 50) -> bytes:
    """A submission whose 13D is ordinary but whose exhibit makes it ``mb`` megabytes."""
    exhibit = (b"<p>" + b"Exhibit text that nobody needs for the cover page. " * 20 + b"</p>\n") * (
        mb * 1024 * 1024 // 1060
    )
    return (
        b"<SEC-DOCUMENT>0000000000-26-000001.txt : 20260101\n<SEC-HEADER>\n"
        b"ACCESSION NUMBER:\t0000000000-26-000001\nCONFORMED SUBMISSION TYPE:\tSC 13D\n</SEC-HEADER>\n"
        b"<DOCUMENT>\n<TYPE>SC 13D\n<SEQUENCE>1\n<TEXT>\n<html><body><p>SCHEDULE 13D</p>"
        b"<p>805423 10 0</p><p>(CUSIP Number)</p></body></html>\n</TEXT>\n</DOCUMENT>\n"
        b"<DOCUMENT>\n<TYPE>EX-99\n<SEQUENCE>2\n<TEXT>\n<html><body>" + exhibit + b"</body></html>\n</TEXT>\n</DOCUMENT>\n"
        b"</SEC-DOCUMENT>\n"
    )


# Run in another checkout (``--against``): one warm-up pass, then the timed rounds, as JSON on stdout.
# CPU time of this process (time.process_time), not wall time: on a shared machine the wall clock
# also counts the time other processes held the core.
_OTHER_TREE = """
import json, sys, time
from collections import defaultdict
from bench.parse_bench import load_corpus
from extractors.model import ExtractionError
from extractors.parse import parse_filing
corpus = load_corpus(__import__("pathlib").Path(sys.argv[1]))
def one_round():
    spent, count = defaultdict(float), defaultdict(int)
    for name, data in corpus:
        t0 = time.process_time()
        try:
            parse_filing(data, name)
        except ExtractionError:
            pass
        era = name.split("_", 1)[0]
        spent[era] += time.process_time() - t0
        count[era] += 1
    out = {era: [spent[era] / count[era]] for era in spent}
    out["all"] = [sum(spent.values()) / len(corpus)]
    return out
one_round()
print(json.dumps(one_round()))
"""


def side_by_side(shared: Path, other: Path, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per filing per era of this checkout and ``other`` (e.g. ``git worktree add /tmp/base main``),
    each round in a fresh process, the two alternating so a busy machine slows both alike."""
    here = Path(__file__).resolve().parents[1]
    out: dict[str, dict[str, list[float]]] = {"this": defaultdict(list), "other": defaultdict(list)}
    for k in range(rounds):
        pair = (("this", here), ("other", other))
        for label, tree in pair if k % 2 == 0 else pair[::-1]:  # neither always goes first
            done = subprocess.run([sys.executable, "-c", _OTHER_TREE, str(shared), "1"], cwd=tree,
                                  capture_output=True, text=True, check=True)
            for era, secs in json.loads(done.stdout.strip().splitlines()[-1]).items():
                out[label][era].extend(secs)
    return out


def print_side_by_side(result: dict[str, dict[str, list[float]]], other: Path) -> None:
    print(f"side by side with {other} (CPU ms per filing, medians over rounds; ratio > 1: this checkout is faster)")
    print("| era | this | other | other / this |")
    print("|---|---|---|---|")
    for era in ("txt", "html", "xml", "all"):
        if era in result["this"] and era in result["other"]:
            a, b = statistics.median(result["this"][era]), statistics.median(result["other"][era])
            print(f"| {era} | {a * 1000:.2f} | {b * 1000:.2f} | {b / a:.2f} |")


def print_13g_side_by_side(shared: Path, rounds: int, inner: int) -> None:
    """Schedule 13G XML: our reader and edgartools' on the same files, speed and the fields both read."""
    named = xml_payloads_13g(shared)
    if not named:
        return
    cmp = compare_edgartools_13g([p for _, p in named], rounds, inner)
    if cmp is None:
        print("\nXML 13G: edgartools not installed here (`make bench`)")
        return
    ours, theirs, unread = cmp
    print(f"\nXML 13G, {len(named) - unread} payloads x {inner} x {rounds} rounds, side by side"
          f"{f' ({unread} edgartools cannot read left out)' if unread else ''}:")
    print(f"  edgar13d parse_xml:               {ours * 1e6:8.0f} us/filing ({1 / ours:,.0f}/s)")
    print(f"  edgartools Schedule13G.parse_xml: {theirs * 1e6:8.0f} us/filing ({1 / theirs:,.0f}/s)")
    print(f"  ratio: {theirs / ours:.2f}x")
    both = fields_both_read_13g(named)
    if both is None:
        return
    tally, notes = both
    print("\n| field both read | same value |\n|---|---|")
    for key in ("persons_count", *_FILING_13G, *_PERSON_13G):
        if key in tally:
            agree, n = tally[key]
            print(f"| {key} | {agree}/{n} |")
    for note in notes:
        print(f"  {note}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--xml-inner", type=int, default=40, help="repetitions of the XML files per round")
    ap.add_argument("--against", type=Path, metavar="CHECKOUT",
                    help="only compare parse speed per era with another checkout of edgar13d, side by side")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus at {args.shared}/corpus: pass --shared", file=sys.stderr)
        return 2
    if args.against is not None:
        print_side_by_side(side_by_side(args.shared.resolve(), args.against.resolve(), args.rounds), args.against)
        return 0
    corpus = load_corpus(args.shared)
    by_era: dict[str, int] = defaultdict(int)
    for name, _ in corpus:
        by_era[_era(name)] += 1
    print(f"corpus: {len(corpus)} files ({', '.join(f'{k} {v}' for k, v in sorted(by_era.items()))}), "
          f"{sum(len(d) for _, d in corpus) / 1e6:.1f} MB; {args.rounds} rounds, one core\n")
    per_round = time_rounds(corpus, args.rounds)
    print("| era | filings/s/core (median) | ms per filing (median) | spread over rounds |")
    print("|---|---|---|---|")
    for era in ("txt", "html", "xml", "all"):
        if era not in per_round:
            continue
        med = statistics.median(per_round[era])
        spread = (max(per_round[era]) - min(per_round[era])) / med
        print(f"| {era} | {1 / med:,.0f} | {med * 1000:.2f} | ±{spread / 2:.0%} |")
    target = 1 / statistics.median(per_round["all"])
    print(f"\ncorpus mix: {target:,.0f} filings/s/core (target >= 250: {'MET' if target >= 250 else 'NOT MET'})")

    payloads = xml_payloads(corpus)
    cmp = compare_edgartools(payloads, args.rounds, args.xml_inner)
    if cmp is None:
        print("\nedgartools not installed here: `make bench` runs this in a venv that has it")
    else:
        ours, theirs = cmp
        print(f"\nXML, {len(payloads)} payloads x {args.xml_inner} x {args.rounds} rounds, side by side:")
        print(f"  edgar13d parse_xml:            {ours * 1e6:8.0f} us/filing ({1 / ours:,.0f}/s)")
        print(f"  edgartools Schedule13D.parse_xml: {theirs * 1e6:5.0f} us/filing ({1 / theirs:,.0f}/s)")
        print(f"  ratio: {theirs / ours:.2f}x (target >= 1.5x: {'MET' if theirs / ours >= 1.5 else 'NOT MET'})")
    print_13g_side_by_side(args.shared, args.rounds, args.xml_inner)

    name, peak = peak_memory(corpus)
    print(f"\npeak Python heap while parsing one corpus filing: {peak / 1e6:.1f} MB ({name})")
    big = huge_filing()
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    parse_filing(big, "synthetic-50MB")
    secs = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"50 MB submission (13D + huge exhibit): {secs * 1000:.0f} ms, peak heap {peak / 1e6:.1f} MB "
          f"beyond its {len(big) / 1e6:.0f} MB of input")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
