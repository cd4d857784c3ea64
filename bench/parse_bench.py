"""Extraction speed and memory over the shared corpora, per era and per schedule, against each era's floor.

Run: ``python -m bench.parse_bench [--rounds 5] [--shared ../shared] [--busy 2]``. One process, one core.
Every real filing of ``shared/corpus`` (13D) and ``shared/corpus-13g`` (13G) is parsed once a round; the
figures are CPU time of this process per filing (``time.process_time``), medians over rounds, so one
noisy round does not decide the result and the time other processes hold the core is not counted as
ours. ``--busy N`` keeps N processes spinning on the CPU meanwhile (2: both cores of this machine
busy), since a figure that holds only on a quiet machine does not hold where users run it; the wall
clock rate is printed beside it.

Each era is quoted against its floor, measured in the same rounds on the same files, so the distance
left is visible: decoding the schedule's document plus one regex pass over it (what any reader of
its text pays), the parse of that document by ``lxml`` (HTML, and the XML era's payload), and by
``selectolax``'s lexbor (HTML; when it is importable: ``make bench`` installs it).

``--against CHECKOUT`` instead times this checkout and another one (the base of a change) round by
round in alternation, each round in a fresh process, so a shared machine's noise falls on both, and
prints their ratio per era twice: of the medians over rounds, and of each file's best pass (noise only
adds CPU time; on this machine the medians' ratio moved between 1.03 and 1.14 for one change). When ``edgartools`` is importable (``make bench`` installs it into the
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
import multiprocessing
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.busy import spinning
from extractors.envelope import detect_format, pick_schedule_document, read_submission, xml_payload
from extractors.model import ExtractionError
from extractors.parse import parse_filing
from extractors.textify import decode
from extractors.xmlform import parse_xml

# The targets of issue 11, per core.
TARGET_MIX = 400
TARGET_HTML = 250
CORPORA = ("corpus", "corpus-13g")
ERAS = ("txt", "html", "xml")


def _era(name: str) -> str:
    return Path(name).name.split("_", 1)[0]


def corpus_paths(shared: Path) -> list[Path]:
    """Every filing of the shared corpora (13D and 13G), in a fixed order."""
    paths: list[Path] = []
    for corpus in CORPORA:
        folder = shared / corpus
        if folder.is_dir():
            paths += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".htm", ".xml"))
    return paths


def load_corpus(shared: Path) -> list[tuple[str, bytes]]:
    """(``corpus/file name``, bytes) of every filing of the shared corpora."""
    return [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in corpus_paths(shared)]


def schedules_of(corpus: list[tuple[str, bytes]]) -> dict[str, str]:
    """The schedule each filing is (what the parser reads it as), for the per-schedule figures."""
    out = {}
    for name, data in corpus:
        try:
            out[name] = parse_filing(data, name).filing["schedule"]
        except ExtractionError:
            out[name] = "refused"
    return out


def _groups(name: str, schedules: dict[str, str]) -> tuple[str, ...]:
    era = _era(name)
    return (era, f"{era} {schedules.get(name, '?')}", "all")


def time_rounds(corpus: list[tuple[str, bytes]], rounds: int, schedules: dict[str, str]
                ) -> tuple[dict[str, list[float]], list[float]]:
    """CPU seconds per file, per group (era; era and schedule; all), one list entry per round; and the
    wall-clock seconds per file of each round."""
    per_round: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for name, _ in corpus:
        for g in _groups(name, schedules):
            counts[g] += 1
    walls = []
    for _ in range(rounds):
        spent: dict[str, float] = defaultdict(float)
        w0 = time.perf_counter()
        for name, data in corpus:
            t0 = time.process_time()
            with contextlib.suppress(ExtractionError):
                parse_filing(data, name)
            secs = time.process_time() - t0
            for g in _groups(name, schedules):
                spent[g] += secs
        walls.append((time.perf_counter() - w0) / len(corpus))
        for g, secs in spent.items():
            per_round[g].append(secs / counts[g])
    return per_round, walls


# --- the floors: what any reader of each era pays before reading anything ---------------------------

# One pass of one ordinary regex over the document's whole text (a cover label, case-insensitive).
_FLOOR_RE = re.compile(r"sole\s+voting\s+power", re.I)


def _decode_and_scan(data: bytes) -> None:
    sum(1 for _ in _FLOOR_RE.finditer(decode(data)))


def _floor_steps() -> dict[str, object]:
    """Name -> function of the schedule document's bytes (and format), for each floor measured."""
    from lxml import etree
    from lxml import html as lxml_html

    steps: dict[str, object] = {}

    def lxml_parse(body: bytes, fmt: str) -> None:
        if fmt == "html":
            lxml_html.document_fromstring(body)
        elif fmt == "xml":
            etree.fromstring(xml_payload(body) or body, etree.XMLParser(resolve_entities=False, no_network=True))

    steps["lxml"] = lxml_parse
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        return steps

    def lexbor_parse(body: bytes, fmt: str) -> None:
        if fmt == "html":
            LexborHTMLParser(body)

    steps["selectolax"] = lexbor_parse
    return steps


def time_floors(corpus: list[tuple[str, bytes]], rounds: int) -> dict[str, dict[str, float]]:
    """Median CPU seconds per filing of each floor, per era: {"decode+regex": {era: s}, "lxml": ...}."""
    docs = []
    for name, data in corpus:
        doc, _ = pick_schedule_document(read_submission(data))
        docs.append((_era(name), doc.body, detect_format(doc.body)))
    counts: dict[str, int] = defaultdict(int)
    for era, *_ in docs:
        counts[era] += 1
    steps = _floor_steps()
    out: dict[str, dict[str, float]] = {}
    for label in ("decode+regex", *steps):
        per_round: dict[str, list[float]] = defaultdict(list)
        for _ in range(rounds):
            spent: dict[str, float] = defaultdict(float)
            for era, body, fmt in docs:
                t0 = time.process_time()
                if label == "decode+regex":
                    _decode_and_scan(body)
                else:
                    steps[label](body, fmt)  # type: ignore[operator]
                spent[era] += time.process_time() - t0
            for era, secs in spent.items():
                per_round[era].append(secs / counts[era])
        out[label] = {era: statistics.median(v) for era, v in per_round.items()}
    return out


def print_floors(per_round: dict[str, list[float]], floors: dict[str, dict[str, float]]) -> None:
    """Each era's time beside its floors, and how many times the floor it is."""
    print("\neach era against its floors (CPU ms per filing, medians; in brackets: edgar13d / floor)")
    print("| era | edgar13d | decode + one regex pass | lxml parse | selectolax (lexbor) parse |")
    print("|---|---|---|---|---|")
    applies = {"decode+regex": ERAS, "lxml": ("html", "xml"), "selectolax": ("html",)}
    for era in ERAS:
        if era not in per_round:
            continue
        ours = statistics.median(per_round[era])
        cells = []
        for label in ("decode+regex", "lxml", "selectolax"):
            secs = floors.get(label, {}).get(era)
            if era not in applies[label]:
                cells.append("-")
            elif secs is None:
                cells.append("not installed")
            else:
                cells.append(f"{secs * 1000:.2f} ({ours / secs:.1f}x)")
        print(f"| {era} | {ours * 1000:.2f} | {' | '.join(cells)} |")


def xml_payloads(corpus: list[tuple[str, bytes]]) -> list[bytes]:
    out = []
    for name, data in corpus:
        if _era(name) != "xml" or "NEGATIVE" in name or not name.startswith("corpus/"):
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


def alternate(ours: Callable[[Any], object], our_inputs: list, theirs: Callable[[Any], object],
              their_inputs: list, rounds: int, inner: int) -> tuple[float, float]:
    """Median seconds per input of two parsers over the same files, alternating round by round so a
    change in the machine's load falls on both."""
    mine, other = [], []
    for _ in range(rounds):
        for fn, inputs, out in ((ours, our_inputs, mine), (theirs, their_inputs, other)):
            t0 = time.perf_counter()
            for _ in range(inner):
                for x in inputs:
                    fn(x)
            out.append((time.perf_counter() - t0) / (inner * len(inputs)))
    return statistics.median(mine), statistics.median(other)


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
    ours, theirs = alternate(parse_xml, ok, Schedule13G.parse_xml, texts, rounds, inner)
    return ours, theirs, len(payloads) - len(ok)


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
    return alternate(parse_xml, payloads, Schedule13D.parse_xml, texts, rounds, inner)


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


# Run in each checkout (``--against``): one warm-up pass, then timed passes over the files named in the
# JSON list argv[1], as JSON on stdout: per era, the first timed pass's CPU seconds per filing, and each
# file's best pass (the one least disturbed by other work). Self-contained, so both checkouts read the same
# files whatever their own bench reads. CPU time of this process (time.process_time), not wall time: on a
# shared machine the wall clock also counts the time other processes held the core.
_ONE_TREE = """
import json, pathlib, sys, time
from extractors.model import ExtractionError
from extractors.parse import parse_filing
corpus = [(p, pathlib.Path(p).read_bytes()) for p in json.loads(pathlib.Path(sys.argv[1]).read_text())]
def one_pass():
    spent = {}
    for name, data in corpus:
        t0 = time.process_time()
        try:
            parse_filing(data, name)
        except ExtractionError:
            pass
        spent[name] = time.process_time() - t0
    return spent
one_pass()
passes = [one_pass() for _ in range(3)]
print(json.dumps({"first": passes[0], "best": {name: min(p[name] for p in passes) for name in passes[0]}}))
"""


def _era(name: str) -> str:
    return Path(name).name.split("_", 1)[0]


def side_by_side(shared: Path, other: Path, rounds: int) -> dict[str, dict[str, dict[str, float]]]:
    """CPU seconds per filing per era of this checkout and ``other`` (e.g. ``git worktree add /tmp/base
    main``) on the same files, each round in a fresh process, the two alternating so a busy machine
    slows both alike: ``median`` over rounds of a pass's mean, and ``best``, the mean over files of each
    file's fastest pass in any round (noise only ever adds CPU time, so the best pass is the steadier
    figure on a shared machine)."""
    here = Path(__file__).resolve().parents[1]
    firsts: dict[str, list[dict[str, float]]] = {"this": [], "other": []}
    best: dict[str, dict[str, float]] = {"this": {}, "other": {}}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as listing:
        json.dump([str(p) for p in corpus_paths(shared)], listing)
        listing.flush()
        for k in range(rounds):
            pair = (("this", here), ("other", other))
            for label, tree in pair if k % 2 == 0 else pair[::-1]:  # neither always goes first
                done = subprocess.run([sys.executable, "-c", _ONE_TREE, listing.name], cwd=tree,
                                      capture_output=True, text=True, check=True)
                run = json.loads(done.stdout.strip().splitlines()[-1])
                firsts[label].append(run["first"])
                for name, secs in run["best"].items():
                    best[label][name] = min(secs, best[label].get(name, secs))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for label in firsts:
        eras = sorted({_era(n) for n in best[label]})
        per_era: dict[str, dict[str, float]] = {}
        for era in (*eras, "all"):
            names = [n for n in best[label] if era == "all" or _era(n) == era]
            per_era[era] = {"median": statistics.median(sum(r[n] for n in names) / len(names) for r in firsts[label]),
                            "best": sum(best[label][n] for n in names) / len(names)}
        out[label] = per_era
    return out


def print_side_by_side(result: dict[str, dict[str, dict[str, float]]], other: Path) -> None:
    print(f"side by side with {other} (CPU ms per filing: the median over rounds, and the mean of each file's best "
          "pass; ratio > 1: this checkout is faster)")
    print("| era | this (median) | other (median) | other / this | this (best) | other (best) | other / this |")
    print("|---|---|---|---|---|---|---|")
    for era in (*ERAS, "all"):
        if era in result["this"] and era in result["other"]:
            a, b = result["this"][era], result["other"][era]
            print(f"| {era} | {a['median'] * 1000:.2f} | {b['median'] * 1000:.2f} | {b['median'] / a['median']:.2f} "
                  f"| {a['best'] * 1000:.2f} | {b['best'] * 1000:.2f} | {b['best'] / a['best']:.2f} |")


def print_speed(corpus: list[tuple[str, bytes]], rounds: int) -> None:
    """Filings per CPU second per era and schedule, the targets, and each era against its floor."""
    schedules = schedules_of(corpus)
    per_round, walls = time_rounds(corpus, rounds, schedules)
    print("| era | filings | filings/s/core (median) | CPU ms per filing (median) | spread over rounds |")
    print("|---|---|---|---|---|")
    counts: dict[str, int] = defaultdict(int)
    for name, _ in corpus:
        for g in _groups(name, schedules):
            counts[g] += 1
    order = [g for era in ERAS for g in (era, *sorted(k for k in per_round if k.startswith(f"{era} ")))] + ["all"]
    for g in order:
        if g not in per_round:
            continue
        med = statistics.median(per_round[g])
        spread = (max(per_round[g]) - min(per_round[g])) / med
        print(f"| {g if ' ' not in g else '  ' + g} | {counts[g]} | {1 / med:,.0f} | {med * 1000:.2f} | ±{spread / 2:.0%} |")
    mix = 1 / statistics.median(per_round["all"])
    html = 1 / statistics.median(per_round["html"]) if "html" in per_round else float("inf")
    print(f"\ncorpus mix: {mix:,.0f} filings/s/core (target >= {TARGET_MIX}: {'MET' if mix >= TARGET_MIX else 'NOT MET'}); "
          f"HTML: {html:,.0f} filings/s/core (target >= {TARGET_HTML}: {'MET' if html >= TARGET_HTML else 'NOT MET'})")
    print(f"wall clock: {1 / statistics.median(walls):,.0f} filings/s (what one process got of the machine)")
    print_floors(per_round, time_floors(corpus, rounds))


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
    ap.add_argument("--busy", type=int, default=0, help="processes spinning on the CPU during the measurement")
    ap.add_argument("--speed-only", action="store_true",
                    help="only the speed per era and the floors (no edgartools, memory or 50 MB runs)")
    ap.add_argument("--against", type=Path, metavar="CHECKOUT",
                    help="only compare parse speed per era with another checkout of edgar13d, side by side")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus at {args.shared}/corpus: pass --shared", file=sys.stderr)
        return 2
    with spinning(args.busy):
        if args.busy:
            print(f"{args.busy} process(es) spinning on the CPU meanwhile ({multiprocessing.cpu_count()} cores)")
        if args.against is not None:
            print_side_by_side(side_by_side(args.shared.resolve(), args.against.resolve(), args.rounds), args.against)
            return 0
        return _measure(args)


def _measure(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.shared)
    by_era: dict[str, int] = defaultdict(int)
    for name, _ in corpus:
        by_era[_era(name)] += 1
    print(f"corpora: {', '.join(CORPORA)}: {len(corpus)} files ({', '.join(f'{k} {v}' for k, v in sorted(by_era.items()))}), "
          f"{sum(len(d) for _, d in corpus) / 1e6:.1f} MB; {args.rounds} rounds, one core\n")
    print_speed(corpus, args.rounds)
    if args.speed_only:
        return 0

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
