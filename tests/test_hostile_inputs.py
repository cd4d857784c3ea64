"""Hostile filings (tests/hostile_inputs.py) end in bounded time and memory, with a result or a reason.

Each case runs in a forked child so a regression that hangs shows up as a failed test, not a hung
suite. The bound checked here is growth, not speed: four times the input may cost at most about ten
times the time (linear work costs four; the quadratic envelope patterns this guards against cost
sixteen and more). ``python -m bench.hostile_bench`` prints the figures at larger sizes.
"""

from __future__ import annotations

import pytest

from tests.hostile_inputs import CASES, measure_case

SMALL, LARGE = 240_000, 960_000


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_filing_ends_with_a_result_or_a_reason_in_bounded_time(name):
    small = measure_case(name, SMALL, rounds=3)
    large = measure_case(name, LARGE, rounds=3)
    assert not large.outcome.startswith(("ESCAPED", "HUNG")), large.outcome
    assert large.seconds <= max(10 * small.seconds, 0.05), (
        f"{name}: {small.seconds:.3f} s at {SMALL:,} bytes but {large.seconds:.3f} s at {LARGE:,}")
    # Memory: a parse holds the bytes, their text, the lines and a tree; never a multiple beyond that.
    assert large.peak_bytes <= 30 * large.input_bytes + 32 * 1024 * 1024, (
        f"{name}: peak {large.peak_bytes:,} bytes for a {large.input_bytes:,}-byte input")
