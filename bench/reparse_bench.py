"""Reparse benchmark: ``edgar13d reparse`` of a synthetic archive, end to end, against a base commit.

    .venv/bin/python -m bench.reparse_bench --base /tmp/base          # 10,000 filings, quiet and busy
    .venv/bin/python -m bench.reparse_bench --quick                    # 2,000 filings, quiet only

The archive is built from the real corpus submissions (``bench/synthetic_archive.py``: every era and
both schedules, in the corpus's mix, under synthetic accession numbers). Each run is a fresh process
on a fresh database and times ``pipeline.reparse`` whole (workers started, every filing read, parsed
and loaded, bookkeeping included) twice: into an empty database (``fresh``) and again after marking
every stored filing as written by an older parser (``upgrade``: what users run after a parser
upgrade, every filing replaced). ``--base`` names a checkout of an older commit (``git worktree add
/tmp/base 472ddcb``) run the same way in the same session, rounds alternating, so the ratio holds on a
shared machine; the old code is slow, so it reparses the first ``--base-filings`` filings only.
``--busy`` (default 2 with the full run) repeats everything with that many processes spinning on the
CPU. Peak memory (PSS of the reparse process and its workers, summed) is sampled at the archive's size
and twice it.

Targets (issue 11): >= 400 filings/s end to end on a 2-core machine; memory flat as the archive grows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.busy import spinning
from bench.synthetic_archive import build_archive, corpus_submissions, era_mix

TARGET_PER_S = 400.0
# Peak memory may grow this much from the smaller archive to the larger one and still count as flat
# (allocator noise, a batch of unusually large filings in flight).
FLAT_RSS_GROWTH = 1.15

# Run in a fresh interpreter from the tree under test (this commit or the base), so each side imports
# its own code; it prints the phases' figures as JSON.
RUNNER = r"""
import json, sys, time
from pathlib import Path
from flows.config import Settings
from flows import pipeline
from warehouse.store import Warehouse

if __name__ == "__main__":
    archive, base, phases = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    settings = Settings(base_dir=Path(base))
    settings.storage.archive_dir = archive
    out = {}
    with Warehouse.open(settings.database_path) as wh:
        for phase in phases:
            if phase == "upgrade":
                wh.execute("UPDATE filings SET parser_version = '0.0.1'")
            t0 = time.perf_counter()
            s = pipeline.reparse(settings, wh)
            out[phase] = {"seconds": time.perf_counter() - t0, "found": s.found, "stored": s.stored,
                          "unchanged": s.unchanged, "failed": s.failed}
    print(json.dumps(out))
"""


def _pss_kb(pid: int) -> int:
    """A process's proportional set size: its share of pages it shares (workers forked from one
    server share most of theirs), so the sum over a tree is the memory the tree really holds."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    """``root`` and every process below it (a forkserver's workers are its grandchildren)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


class PeakMemory:
    """Samples the summed PSS of a process tree every 0.1 s; ``stop()`` returns the largest seen (MB)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(p) for p in _tree(self.pid)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_kb / 1024, 1)


def run_once(tree: Path, archive: Path, phases: str, workdir: Path) -> dict:
    """One reparse process from ``tree`` on a fresh database; its phases' figures and peak memory."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        env = {**os.environ, "PYTHONPATH": str(tree)}
        proc = subprocess.Popen([sys.executable, "-c", RUNNER, str(archive), tmp, phases], cwd=tree, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        mem = PeakMemory(proc.pid)
        out, err = proc.communicate()
        peak = mem.stop()
    if proc.returncode:
        raise SystemExit(f"reparse from {tree} failed:\n{err[-2000:]}")
    got = json.loads(out.strip().splitlines()[-1])
    for figures in got.values():
        figures["per_s"] = round(figures["found"] / figures["seconds"], 1)
    got["peak_mb"] = peak
    return got


def _median(runs: list[dict], phase: str) -> float:
    return round(statistics.median(r[phase]["per_s"] for r in runs), 1)


def measure(label: str, new_tree: Path, base_tree: Path | None, archive: Path, base_archive: Path | None,
            rounds: int, workdir: Path) -> dict:
    new_runs, old_runs = [], []
    for i in range(rounds):
        new_runs.append(run_once(new_tree, archive, "fresh,upgrade", workdir))
        print(f"  [{label}] round {i + 1} new: {json.dumps(new_runs[-1])}", flush=True)
        if base_tree and base_archive:
            old_runs.append(run_once(base_tree, base_archive, "fresh,upgrade", workdir))
            print(f"  [{label}] round {i + 1} base: {json.dumps(old_runs[-1])}", flush=True)
    out = {"label": label}
    for phase in ("fresh", "upgrade"):
        out[f"new_{phase}_per_s"] = _median(new_runs, phase)
        if old_runs:
            out[f"base_{phase}_per_s"] = _median(old_runs, phase)
            out[f"{phase}_ratio"] = round(out[f"new_{phase}_per_s"] / out[f"base_{phase}_per_s"], 1)
    out["new_peak_mb"] = statistics.median(r["peak_mb"] for r in new_runs)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--filings", type=int, default=10_000, help="filings in the archive (default 10,000)")
    ap.add_argument("--base", type=Path, default=None, help="checkout of the commit to compare with")
    ap.add_argument("--base-filings", type=int, default=2_000, help="filings the base reparses (it is slow)")
    ap.add_argument("--rounds", type=int, default=3, help="runs per side (median reported)")
    ap.add_argument("--busy", type=int, default=None, help="processes spinning on the CPU in a second pass "
                    "(default 2; 0 for none)")
    ap.add_argument("--quick", action="store_true", help="2,000 filings, one round, quiet only")
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--dir", type=Path, default=None, help="where to build the archives (default: a temp dir)")
    args = ap.parse_args(argv)
    if args.quick:
        args.filings, args.rounds, args.busy = min(args.filings, 2_000), 1, 0
    busy = 2 if args.busy is None else args.busy
    files = corpus_submissions(args.shared)
    if not files:
        raise SystemExit(f"no corpus submissions under {args.shared} (--shared names the shared data folder)")
    new_tree = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        work = Path(tmp)
        print(f"building archives from {len(files)} corpus submissions ({dict(era_mix(files))})", flush=True)
        archive = work / "archive"
        build_archive(archive, files, args.filings)
        # Twice the archive, for the memory comparison (both sizes past pipeline.CLUSTER_AFTER_FILINGS,
        # so both end by clustering positions, as a run of that size does).
        double = work / "double"
        build_archive(double, files, 2 * args.filings)
        base_archive = None
        if args.base:
            base_archive = work / "base-archive"
            build_archive(base_archive, files, min(args.base_filings, args.filings))
        results = [measure("quiet", new_tree, args.base, archive, base_archive, args.rounds, work)]
        if busy:
            with spinning(busy):
                results.append(measure(f"busy ({busy} spinning)", new_tree, args.base, archive, base_archive,
                                       args.rounds, work))
        small = run_once(new_tree, archive, "fresh", work)["peak_mb"]
        large = run_once(new_tree, double, "fresh", work)["peak_mb"]
    print()
    print(f"reparse of {args.filings:,} synthetic filings, {os.cpu_count()} cores"
          + (f"; base {args.base} on its first {min(args.base_filings, args.filings):,}" if args.base else ""))
    for r in results:
        print(json.dumps(r))
        for phase in ("fresh", "upgrade"):
            rate = r[f"new_{phase}_per_s"]
            ratio = f", {r[f'{phase}_ratio']}x base" if f"{phase}_ratio" in r else ""
            verdict = "met" if rate >= TARGET_PER_S else "NOT MET"
            print(f"  {r['label']:<22} {phase:<8} {rate:>7.1f} filings/s{ratio}  (target >= {TARGET_PER_S:.0f}/s: "
                  f"{verdict})")
    flat = large <= small * FLAT_RSS_GROWTH
    print(f"  peak memory (PSS of the reparse and its workers): {small} MB at {args.filings:,} filings, {large} MB at "
          f"{2 * args.filings:,}  (memory flat: {'met' if flat else 'NOT MET'})")


if __name__ == "__main__":
    main()
