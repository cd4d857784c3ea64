"""Does a change to the parser leave every output as it was? This checkout against another, input by input.

    .venv/bin/python -m bench.equivalence --against /tmp/base      # e.g. git worktree add /tmp/base main

A speed-up of a reader must read the same: this runs ``parse_filing`` (and ``document_lines`` for text
and HTML documents) in each checkout, in a fresh process from its own tree, over one wide set of inputs,
and lists the inputs whose results differ. The inputs: both shared corpora and the seed filing, every
test fixture, every layout variant of ``tests/test_layout_variants.py`` applied to every corpus file,
and the hostile inputs of ``tests/hostile_inputs.py`` at two sizes (about 2,000 in all). The variants
and hostile inputs are this checkout's, written to files, so both sides read the same bytes.

It is a check for a refactor, not for a reader change that means to read differently: that one
shows here as differences, and its proof is ``bench.accuracy`` and ``bench.checks``.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
HOSTILE_SIZES = (3_000, 30_000)

# Run in each checkout: the result of every input file named in argv[1] (a pickled list of paths),
# pickled to argv[2]. Self-contained, so each side imports only its own extractors.
_ONE_TREE = """
import pickle, sys
from extractors.envelope import detect_format, pick_schedule_document, read_submission
from extractors.model import ExtractionError
from extractors.parse import parse_filing
from extractors.textify import document_lines
out = {}
for path in pickle.load(open(sys.argv[1], "rb")):
    data = open(path, "rb").read()
    try:
        p = parse_filing(data, source="x")
        r = {"filing": sorted(p.filing.items()), "persons": p.reporting_persons, "items": p.items,
             "signatures": p.signatures, "warnings": p.warnings}
    except ExtractionError as exc:
        r = {"error": (exc.reason, str(exc))}
    try:
        doc = pick_schedule_document(read_submission(data))[0]
        fmt = detect_format(doc.body)
        if fmt in ("html", "txt"):
            r["lines"] = document_lines(doc.body, fmt)
    except Exception as exc:  # the envelope refused it: parse_filing's answer above says how
        r["lines_error"] = type(exc).__name__
    out[path] = r
pickle.dump(out, open(sys.argv[2], "wb"))
"""


def inputs(shared: Path, into: Path) -> list[Path]:
    """Every input file, the generated ones written below ``into``."""
    from tests.hostile_inputs import hostile_filings
    from tests.test_layout_variants import VARIANTS

    found = [p for folder in ("corpus", "corpus-13g", "seed") for p in sorted((shared / folder).glob("*"))
             if p.is_file() and p.suffix not in (".json", ".tsv", ".md")]
    found += [p for p in sorted((REPO / "tests" / "fixtures").rglob("*")) if p.is_file()]
    made: list[Path] = []
    for k, vary in enumerate(VARIANTS.values()):
        for path in found:
            if "corpus" not in path.parent.name:
                continue
            data = path.read_bytes()
            varied = vary(data, path.name)
            if varied != data:
                made.append(into / f"variant{k}" / path.name)
                made[-1].parent.mkdir(parents=True, exist_ok=True)
                made[-1].write_bytes(varied)
    for size in HOSTILE_SIZES:
        for name, data in hostile_filings(size).items():
            made.append(into / f"hostile{size}" / name)
            made[-1].parent.mkdir(parents=True, exist_ok=True)
            made[-1].write_bytes(data)
    return found + made


def results(tree: Path, label: str, paths: list[Path], work: Path) -> dict[str, Any]:
    """The result of every input in ``tree``'s own code, keyed by the input's path."""
    listing, out = work / "inputs.pickle", work / f"{label}-results.pickle"
    listing.write_bytes(pickle.dumps([str(p) for p in paths]))
    subprocess.run([sys.executable, "-c", _ONE_TREE, str(listing), str(out)], cwd=tree, check=True)
    return pickle.loads(out.read_bytes())


def first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Where two results of one input part, in a line."""
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if isinstance(x, list) and isinstance(y, list):
            for i, (p, q) in enumerate(zip(x, y, strict=False)):
                if p != q:
                    return f"{key}[{i}]: {p!r:.150} -> {q!r:.150}"
            return f"{key}: {len(x)} entries -> {len(y)}"
        return f"{key}: {x!r:.150} -> {y!r:.150}"
    return "the same"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--against", type=Path, required=True, metavar="CHECKOUT", help="the checkout to compare with")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args(argv)
    if not (args.shared / "corpus").is_dir():
        print(f"no corpus at {args.shared}: give --shared the team's shared folder")
        return 2
    with tempfile.TemporaryDirectory(prefix="edgar13d-equivalence-") as tmp:
        work = Path(tmp)
        paths = inputs(args.shared.resolve(), work)
        mine, theirs = results(REPO, "this", paths, work), results(args.against.resolve(), "other", paths, work)
    differ = [p for p in mine if mine[p] != theirs.get(p)]
    for path in differ[:20]:
        print(f"DIFFERS {path}\n  {first_difference(theirs.get(path, {}), mine[path])}")
    print(f"{len(mine)} inputs, {len(differ)} differ from {args.against}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
