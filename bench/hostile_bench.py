"""Hostile inputs: the worst parse time and peak memory over generated hostile filings, against bounds.

Run: ``python -m bench.hostile_bench [--sizes 1048576,4194304] [--rounds 3]``. Every case of
``tests/hostile_inputs.py`` (unclosed envelopes, label and number soup, deep or wide HTML, XML entity
tricks, ...) is parsed at each size in a child process of its own, so one case's memory cannot hide
another's and a hang is cut off at ``--timeout`` seconds and reported as such.

The bounds, for any input up to 4 MB (the largest 13D document the parser reads; bigger submissions are
exhibits it only slices around). A normal filing parses in a few milliseconds; these are a hundred times
the size of a big one, built to be as expensive as possible:
- time: at most ``MAX_SECONDS`` per filing, and four times the input costs at most ``MAX_GROWTH`` times the
  time (linear work costs four; quadratic, sixteen);
- memory: a peak (Python's traced allocations) of at most ``MAX_MEMORY_FACTOR`` times the input plus
  ``MEMORY_SLACK`` bytes: the bytes, their decoded text, the lines and a parse tree, never a blow-up.
"""

from __future__ import annotations

import argparse
import math
import sys

from tests.hostile_inputs import CASES, measure_case

MAX_SECONDS = 3.0
MAX_GROWTH = 6.0
MAX_MEMORY_FACTOR = 30
MEMORY_SLACK = 32 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Both under the parser's 4,000,000-byte document cap, four times apart: past the cap the input is
    # cut (and a cut UTF-8 character turns the decode to cp1252), which is another input, not growth.
    ap.add_argument("--sizes", default="960000,3840000", help="input sizes in bytes, comma-separated")
    ap.add_argument("--rounds", type=int, default=3, help="timed parses per case and size (the best counts)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a case counts as hung")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    head = "".join(f"{f'{s // 1000} kB ms':>12}{'peak MB':>9}" for s in sizes)
    print(f"{'case':30}{head}{'growth':>8}  outcome")
    worst_t, worst_mem, worst_growth, failures = 0.0, 0.0, 0.0, []
    for name in CASES:
        cells, outcome, growth = "", "", 0.0
        prev: tuple[int, float] | None = None
        for size in sizes:
            m = measure_case(name, size, args.rounds, args.timeout)
            t, peak, n, outcome = m.seconds, m.peak_bytes, m.input_bytes, m.outcome
            cells += f"{t * 1000:12.1f}{peak / 1e6:9.1f}"
            worst_t = max(worst_t, t)
            worst_mem = max(worst_mem, peak / n if n else 0.0)
            if t > MAX_SECONDS or peak > MAX_MEMORY_FACTOR * n + MEMORY_SLACK or outcome.startswith(("HUNG", "ESC")):
                failures.append(f"{name} at {size:,} bytes: {t:.2f} s, {peak / 1e6:.1f} MB, {outcome}")
            # Growth per fourfold input, only where the times are large enough to mean something.
            if prev is not None and prev[1] > 0 and t > 0.05 and size > prev[0]:
                growth = max(growth, (t / prev[1]) ** (math.log(4) / math.log(size / prev[0])))
            prev = (size, t)
        if growth > MAX_GROWTH:
            failures.append(f"{name}: time grows {growth:.1f}x per 4x input")
        worst_growth = max(worst_growth, growth)
        print(f"{name:30}{cells}{growth:8.1f}  {outcome}")
    print()
    print(f"worst parse time {worst_t:.3f} s (bound {MAX_SECONDS} s); worst growth {worst_growth:.1f}x per 4x input "
          f"(bound {MAX_GROWTH}x, cases over 50 ms); worst peak {worst_mem:.1f}x the input "
          f"(bound {MAX_MEMORY_FACTOR}x + {MEMORY_SLACK >> 20} MB)")
    for f in failures:
        print(f"NOT MET: {f}")
    print("bounds MET" if not failures else f"bounds NOT MET ({len(failures)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
