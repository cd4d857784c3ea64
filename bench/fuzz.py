"""Mutation fuzz of the readers: mutated real filings must never end in a ``parser_error``.

    .bench-venv/bin/python -m bench.fuzz                      # 2 processes, 240 s, every corpus filing
    .bench-venv/bin/python -m bench.fuzz --seconds 60 --processes 1 --seed 7

A ``parser_error`` is a reader's bug: the run goes on, but the filing's rows are lost. This takes the
filings of ``../shared`` (both corpora), mutates them with the pieces that have broken a reader before
(control characters and noncharacters, surrogate references, layout and envelope tags, cover labels,
odd numbers), cuts, duplicates, truncates and swaps case, and parses each. Every distinct parser error
is printed with the file it came from, and its mutated bytes are written to ``--out`` to reproduce it.
It found the three filing-losing bugs fixed with it (surrogate references in XML, a page opened
mid-line, U+FFFE in HTML). ``tests/test_parse_bad_input.py`` runs the same mutations, seeded, on its
own filings.
"""

from __future__ import annotations

import argparse
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extractors.model import ExtractionError
from extractors.parse import parse_filing

# Pieces that have broken a reader before, or that the readers treat specially.
TROUBLE = [b"\x00", b"\x0c", b"\x01", "\ufffe".encode(), "\uffff".encode(), b"\xed\xa0\x80", b"&#0;", b"&#xFFFE;",
           b"&#55296;", b"&#xDFFF;", b"&#x110000;", b"<", b">", b"</td>", b"<td>", b"<table>", b"</table>", b"<p>",
           b"<br>", b"<pre>", b"</pre>", b"<!--", b"-->", b"<![CDATA[", b"<sup>1</sup>", b"<font face=Wingdings>x</font>",
           b"\r", b"\n\n\n", b"|", b"\t", b"%", b"9" * 40, b"CUSIP No.", b"NAME OF REPORTING PERSON",
           b"SOLE VOTING POWER", b"<PAGE>", b"</DOCUMENT>", b"<TEXT>", b"\xff\xfe", b"\xef\xbb\xbf", "\u2028".encode()]


def mutate(data: bytes, rnd: random.Random) -> bytes:
    """``data`` with one to six mutations: a trouble piece inserted (once or three times), a span cut,
    the span before a point duplicated, or a span's case swapped."""
    raw = bytearray(data)
    for _ in range(rnd.randint(1, 6)):
        pos = rnd.randrange(len(raw) + 1)
        op = rnd.random()
        if op < 0.5:
            raw[pos:pos] = rnd.choice(TROUBLE) * rnd.choice((1, 1, 3))
        elif op < 0.7:
            del raw[pos : pos + rnd.randint(1, 400)]
        elif op < 0.85:
            raw[pos:pos] = raw[max(0, pos - 300) : pos]
        else:
            raw[pos : pos + 200] = raw[pos : pos + 200].swapcase()
    return bytes(raw)


def parser_error(data: bytes) -> str | None:
    """The detail of the parser error ``data`` ends in, None when it is read or refused with a reason."""
    try:
        parse_filing(data, "fuzz")
    except ExtractionError as exc:
        return exc.detail if exc.reason == "parser_error" else None
    return None


def _fuzz(files: list[str], seed: int, seconds: float, out: str) -> tuple[int, dict[str, str]]:
    """One process's share: (mutations tried, {error detail: file it came from})."""
    rnd = random.Random(seed)
    datas = [Path(f).read_bytes() for f in files]
    found: dict[str, str] = {}
    n = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        k = rnd.randrange(len(datas))
        data = mutate(datas[k], rnd)
        n += 1
        detail = parser_error(data)
        if detail is not None and detail[:120] not in found:
            found[detail[:120]] = files[k]
            Path(out).mkdir(parents=True, exist_ok=True)
            Path(out, f"parser_error_{seed}_{len(found)}.bin").write_bytes(data)
    return n, found


def corpus_files(shared: Path) -> list[str]:
    """Every filing of both corpora (full submissions and bare documents), not EDGAR's other answers."""
    paths = [p for folder in ("corpus", "corpus-13g") for p in sorted((shared / folder).rglob("*"))
             if p.suffix.lower() in (".txt", ".htm", ".html", ".xml") and "edgar-shapes" not in p.parts]
    return [str(p) for p in paths]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    ap.add_argument("--seconds", type=float, default=240.0)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1, help="of the first process; the others take the next ones")
    ap.add_argument("--out", type=Path, default=Path("fuzz-found"), help="where the mutated inputs that end in a parser error are written (made only then)")
    args = ap.parse_args(argv)
    files = corpus_files(args.shared)
    if not files:
        raise SystemExit(f"no corpus filings under {args.shared}: pass --shared <folder with corpus/>")
    print(f"fuzzing {len(files)} filings for {args.seconds:.0f} s in {args.processes} process(es)", flush=True)
    with ProcessPoolExecutor(max_workers=args.processes) as pool:
        done = [pool.submit(_fuzz, files, args.seed + i, args.seconds, str(args.out)) for i in range(args.processes)]
        results = [f.result() for f in done]
    tried = sum(n for n, _ in results)
    found = {d: f for _, got in results for d, f in got.items()}
    for detail, source in found.items():
        print(f"  parser_error from {Path(source).name}: {detail}")
    print(f"{tried:,} mutated filings, {len(found)} distinct parser errors"
          + (f" (inputs in {args.out}/)" if found else ""))


if __name__ == "__main__":
    main()
