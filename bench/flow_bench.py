"""End-to-end backfill throughput against the local EDGAR, and what Prefect costs per filing.

Run: ``python -m bench.flow_bench [--filings 300] [--reps 3] [--quick]``.
One company with ``--filings`` 13D filings across the three eras is served by a local EDGAR that
blocks like the SEC above 10 requests a second. Each repetition backfills it by CUSIP twice, into
fresh folders: once through the plain pipeline functions, once through the Prefect flow (in-process,
ephemeral Prefect, the way ``edgar13d backfill`` runs it). Reported: filings stored per second for
each (the SEC's 10 requests/s is the bound: a backfill needs one request per filing plus discovery),
and Prefect's overhead per filing, ``(flow time - plain time) / filings``, with the flow's fixed start
cost (the first flow of a process starts a local Prefect server) shown apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from extractors.cusip import cusip_check_digit
from flows.config import Settings, load_settings
from tests.local_edgar import EdgarFixtures, Entity, LocalEdgar
from tests.local_edgar.filings import make_13d

ISSUER = Entity(1086910, "BENCH SAVVY CORP")
CUSIP8 = "80542310"
CUSIP = CUSIP8 + cusip_check_digit(CUSIP8)


def build_world(n: int) -> EdgarFixtures:
    """``n`` filings about one issuer by 20 filers, spread from 1996 to 2026 (every era)."""
    fx = EdgarFixtures()
    filers = [Entity(1800000 + i, f"BENCH HOLDER {i} LP") for i in range(20)]
    start, end = dt.date(1996, 1, 2), dt.date(2026, 6, 30)
    step = (end - start) / n
    for k in range(n):
        day = start + step * k
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        acc = f"0000950170-{day.year % 100:02d}-{k + 1:06d}"
        fx.add_raw(make_13d(acc, day, ISSUER, [filers[k % len(filers)]], CUSIP, amendment=k >= len(filers),
                            amendment_no=k // len(filers), shares=1_000_000 + 1000 * k))
    return fx


def _settings(folder: Path, edgar: LocalEdgar) -> tuple[Path, Settings]:
    folder.mkdir(parents=True, exist_ok=True)
    cfg = folder / "config.yaml"
    cfg.write_text(
        f'edgar:\n  user_agent: "edgar13d flow-bench bench@edgar13d.test"\n  www_url: "{edgar.url}"\n'
        f'  data_url: "{edgar.url}"\n  efts_url: "{edgar.url}"\n  max_requests_per_second: 10\n'
        '  block_cooldown_seconds: 5\n'
        'flows:\n  batch_size: 200\n  fetch_workers: 4\n'
    )
    return cfg, load_settings(cfg)


def run_plain(folder: Path, edgar: LocalEdgar) -> tuple[float, int]:
    from crawler.client import EdgarClient
    from flows import pipeline
    from warehouse.store import Warehouse

    _, settings = _settings(folder, edgar)
    t0 = time.perf_counter()
    # The process-wide limiter, as the flow uses: back-to-back runs must not add up to 20 in a second.
    with Warehouse.open(settings.database_path) as wh, EdgarClient(pipeline.client_settings(settings)) as client:
        summary = pipeline.backfill(settings, wh, client, cusip=CUSIP)
    return time.perf_counter() - t0, summary.stored


def run_flow(folder: Path, edgar: LocalEdgar) -> tuple[float, int]:
    from flows.prefect_flows import backfill_flow

    cfg, _ = _settings(folder, edgar)
    t0 = time.perf_counter()
    summary = backfill_flow(cusip=CUSIP, config=str(cfg))
    return time.perf_counter() - t0, summary["stored"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.flow_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=300)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="60 filings, 1 repetition")
    args = ap.parse_args(argv)
    if args.quick:
        args.filings, args.reps = 60, 1

    with tempfile.TemporaryDirectory() as tmp:
        from flows.prefect_env import prepare_prefect_env

        os.environ.pop("PREFECT_API_URL", None)
        prepare_prefect_env(Path(tmp))
        from prefect import flow

        @flow
        def warm_up() -> None:
            """The first flow of a process starts Prefect's temporary server: a fixed cost, shown apart."""

        t0 = time.perf_counter()
        warm_up()
        startup = time.perf_counter() - t0

        fx = build_world(args.filings)
        plain, flows_ = [], []
        with LocalEdgar(fx, enforce_rate=10, block_seconds=600) as edgar:
            for rep in range(args.reps):
                p_secs, p_stored = run_plain(Path(tmp) / f"plain{rep}", edgar)
                f_secs, f_stored = run_flow(Path(tmp) / f"flow{rep}", edgar)
                plain.append(p_secs)
                flows_.append(f_secs)
                print(f"rep {rep + 1}: plain {p_stored} stored in {p_secs:.1f} s ({p_stored / p_secs:.2f}/s); "
                      f"prefect flow {f_stored} stored in {f_secs:.1f} s ({f_stored / f_secs:.2f}/s)", flush=True)
            blocks = edgar.violations
    n = args.filings
    p, f = statistics.median(plain), statistics.median(flows_)
    print(f"\nmedian of {args.reps}, {n} filings, limit 10 requests/s:")
    print(f"  plain pipeline: {n / p:.2f} filings stored/s")
    print(f"  prefect flow:   {n / f:.2f} filings stored/s (target >= 9: {'MET' if n / f >= 9 else 'NOT MET'})")
    print(f"  prefect overhead: {(f - p) / n * 1000:.1f} ms per filing, plus {startup:.1f} s to start the first "
          f"flow of a process; server blocks: {blocks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
