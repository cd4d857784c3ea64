"""Crawl throughput against the local EDGAR: does the crawler use the SEC's 10 requests/s, and no more?

Run: ``python -m bench.crawl_bench [--filings 320] [--reps 3] [--workers 4] [--processes 1,2,3] [--busy 2]
[--rate-limit-url redis://...] [--quick]``.
Each repetition builds a fresh local EDGAR (a real HTTP server on 127.0.0.1) holding ``--filings`` 13D
filings spread over business days, each listed under two or three CIKs, and crawls them the way the
nightly flow does: discovery by day (one ``master.YYYYMMDD.idx`` per day), then one full-submission
request per filing with ``--workers`` threads sharing one client and its limiter. The server plays the
SEC: more than the limit in any one-second window blocks it (and the figures would show 403s).

``--processes 1,2,3`` repeats it with that many crawling processes at once (separate programs, as a
nightly beside backfills: each crawls its share of the days with its own client), sharing one allowance
through the machine-wide window, or through Redis with ``--rate-limit-url``. ``--busy N`` keeps N more
processes spinning on the CPU meanwhile (2 = both cores of a CI machine busy), where departures are late.

Reported per repetition and as the median: requests per second together between the first and the last
arrival, the largest count in any one-second window, how many windows exceed the limit, requests per
stored filing (1.0 for the fetches plus the day indexes), and blocks. Results are also written to
``bench/results/crawl_bench.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.busy import spinning
from crawler.archive import RawArchive
from crawler.client import ClientSettings, EdgarClient
from crawler.fetch import fetch_many
from crawler.indexes import daily_candidates
from crawler.ratelimit import RateLimiter
from extractors.cusip import cusip_check_digit
from tests.local_edgar import EdgarFixtures, Entity, LocalEdgar
from tests.local_edgar.filings import make_13d

AGENT = "edgar13d crawl-bench bench@edgar13d.test"


def business_days(start: dt.date, n: int) -> list[dt.date]:
    out, d = [], start
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def build_fixtures(n_filings: int, per_day: int) -> tuple[EdgarFixtures, list[dt.date]]:
    """``n_filings`` filings about 40 issuers by 25 filers, ``per_day`` a day, in the HTML and XML eras."""
    fx = EdgarFixtures()
    days = business_days(dt.date(2024, 11, 4), -(-n_filings // per_day))
    issuers = [Entity(1700000 + i, f"BENCH ISSUER {i} INC") for i in range(40)]
    filers = [Entity(1710000 + i, f"BENCH FUND {i} LP") for i in range(25)]
    for k in range(n_filings):
        day = days[k // per_day]
        subject = issuers[k % len(issuers)]
        by = [filers[k % len(filers)]] + ([filers[(k + 7) % len(filers)]] if k % 3 == 0 else [])
        first8 = f"{subject.cik % 1000000:06d}10"
        acc = f"0000950170-{day.year % 100:02d}-{k + 1:06d}"
        fx.add_raw(make_13d(acc, day, subject, by, first8 + cusip_check_digit(first8), amendment=k % 2 == 1,
                            extra_text="Item 4. Purpose of transaction. " * 40))
    return fx, days


def windows_above(times: list[float], limit: int, window: float = 1.0) -> tuple[int, int]:
    """(largest count in any closed one-second window, windows holding more than ``limit``), where a
    window starts at each request."""
    ts = sorted(times)
    best = above = j = 0
    for i, t in enumerate(ts):
        j = max(j, i)
        while j + 1 < len(ts) and ts[j + 1] - t <= window:
            j += 1
        count = j - i + 1
        best = max(best, count)
        above += count > limit
    return best, above


def crawl(client: EdgarClient, url: str, days: list[dt.date], archive: RawArchive, workers: int) -> tuple[int, int]:
    """Discovery by day, then one request per filing, as the nightly flow does: (stored, failed)."""
    candidates = [c for day in days for c in daily_candidates(client, url, day)]
    stored = failed = 0
    for _cand, got in fetch_many(client, url, candidates, archive, workers):
        if hasattr(got, "raw"):
            stored += 1
        else:
            failed += 1
    return stored, failed


def _settings(url: str, rate: int, workers: int, rate_limit_url: str) -> ClientSettings:
    return ClientSettings(user_agent=AGENT, www_url=url, data_url=url, efts_url=url, max_requests_per_second=rate,
                          block_cooldown_seconds=5, pool_size=workers + 2, rate_limit_url=rate_limit_url)


def worker_main(url: str, days: list[str], workers: int, rate: int, rate_limit_url: str) -> int:
    """One crawling process of a multi-process run (``--worker``): prints "stored failed blocks"."""
    client = EdgarClient(_settings(url, rate, workers, rate_limit_url))
    with tempfile.TemporaryDirectory() as tmp:
        stored, failed = crawl(client, url, [dt.date.fromisoformat(d) for d in days], RawArchive(tmp), workers)
    print(stored, failed, client.stats.blocks, flush=True)
    return 0


def one_run(n_filings: int, per_day: int, workers: int, rate: int, latency: float, processes: int = 1,
            rate_limit_url: str = "") -> dict[str, float]:
    fx, days = build_fixtures(n_filings, per_day)
    with LocalEdgar(fx, enforce_rate=rate, block_seconds=600) as edgar, tempfile.TemporaryDirectory() as tmp:
        if latency > 0:
            edgar.inject("slow", delay=latency, times=None)
        start = time.monotonic()
        if processes == 1:
            client = EdgarClient(_settings(edgar.url, rate, workers, "memory"), limiter=RateLimiter())
            stored, failed = crawl(client, edgar.url, days, RawArchive(tmp), workers)
            client_blocks = client.stats.blocks
        else:
            # Separate programs, one window: the machine-wide one (a private state folder for the run) or Redis.
            env = {**os.environ, "EDGAR13D_STATE_DIR": tmp, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
            procs = [subprocess.Popen([sys.executable, "-m", "bench.crawl_bench", "--worker", edgar.url,
                                       "--workers", str(workers), "--rate", str(rate),
                                       "--rate-limit-url", rate_limit_url,
                                       *[d.isoformat() for d in days[k::processes]]],
                                      stdout=subprocess.PIPE, text=True, env=env)
                     for k in range(processes)]
            outs = [p.communicate()[0].split() for p in procs]
            if any(p.returncode or len(o) != 3 for p, o in zip(procs, outs, strict=True)):
                raise RuntimeError(f"a crawling process failed: {outs}")
            stored, failed, client_blocks = (sum(int(o[i]) for o in outs) for i in range(3))
        wall = time.monotonic() - start
        times = [r.t for r in edgar.requests()]
        best, above = windows_above(times, rate)
        span = max(times) - min(times)
        return {"processes": processes, "filings": n_filings, "stored": stored, "failed": failed,
                "requests": len(times), "index_requests": len(days), "wall_s": round(wall, 2),
                "requests_per_s": round((len(times) - 1) / span, 3) if span else 0.0,
                "max_in_1s": best, "windows_above_limit": above, "server_blocks": edgar.violations,
                "client_blocks": client_blocks,
                "requests_per_stored_filing": round(len(times) / stored, 4) if stored else float("inf")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.crawl_bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--filings", type=int, default=320)
    ap.add_argument("--per-day", type=int, default=20, help="filings per business day")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--workers", type=int, default=4, help="fetch threads per process")
    ap.add_argument("--processes", default="1", help="comma-separated counts of crawling processes, e.g. 1,2,3")
    ap.add_argument("--rate-limit-url", default="", help="share the window through this Redis (default: machine-wide)")
    ap.add_argument("--busy", type=int, default=0, help="processes spinning on the CPU during the runs")
    ap.add_argument("--rate", type=int, default=10, help="requests per second (the SEC's bound is 10)")
    ap.add_argument("--latency", type=float, default=0.05, help="seconds the server takes per answer")
    ap.add_argument("--quick", action="store_true", help="60 filings, 1 repetition (about 8 s a process count)")
    ap.add_argument("--out", default="bench/results/crawl_bench.json")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    ap.add_argument("days", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(args.worker, args.days, args.workers, args.rate, args.rate_limit_url)
    if args.quick:
        args.filings, args.reps = 60, 1

    with spinning(args.busy):
        report, ok = {}, True
        for processes in [int(x) for x in args.processes.split(",")]:
            runs = []
            for rep in range(1, args.reps + 1):
                r = one_run(args.filings, args.per_day, args.workers, args.rate, args.latency, processes,
                            args.rate_limit_url)
                runs.append(r)
                print(f"{processes} process(es), rep {rep}: {r['requests']} requests ({r['index_requests']} index + "
                      f"fetches) for {r['stored']} filings in {r['wall_s']} s: {r['requests_per_s']} req/s together, "
                      f"max {r['max_in_1s']} in any 1 s, {r['windows_above_limit']} windows above {args.rate}, "
                      f"{r['requests_per_stored_filing']} requests/filing, blocks {r['server_blocks']}", flush=True)
            median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{processes} process(es), median of {len(runs)}: {median['requests_per_s']} req/s, max "
                  f"{median['max_in_1s']} in any 1 s, {max(r['windows_above_limit'] for r in runs)} windows above "
                  f"{args.rate} (worst rep), {median['requests_per_stored_filing']} requests per stored filing")
            ok &= (median["requests_per_s"] >= 0.95 * args.rate and max(r["windows_above_limit"] for r in runs) == 0
                   and all(r["failed"] == 0 and r["server_blocks"] == 0 for r in runs))
            report[str(processes)] = {"runs": runs, "median": median}
    print("PASS" if ok else "FAIL", f"(target: >= {0.95 * args.rate} req/s together, 0 windows above {args.rate}, "
          "no blocks, for every process count)")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "by_processes": report}, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
