"""A busy machine for the benchmarks: processes spinning on the CPU while a figure is measured.

Every benchmark quotes its figures once more with both cores taken (``--busy 2``), because a target
met only on a quiet machine does not hold where users run it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator


def spin() -> None:
    while True:
        pass


@contextlib.contextmanager
def spinning(processes: int) -> Iterator[None]:
    """``processes`` processes spinning on the CPU for the duration of the block (none for 0)."""
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(processes)]
    for p in spinners:
        p.start()
    try:
        yield
    finally:
        for p in spinners:
            p.terminate()
            p.join()
