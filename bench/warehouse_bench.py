"""Warehouse benchmark on generated filings: load rate, database size, one-CUSIP query latency.

    .venv/bin/python -m bench.warehouse_bench            # 100k then 1M filings (a few minutes)
    .venv/bin/python -m bench.warehouse_bench --quick    # 100k filings
    .venv/bin/python -m bench.warehouse_bench --against ../base-checkout   # side by side with a base

Targets (issue 4): loading >= 50k reporting-person rows a second from Arrow batches. Issue 11, at 1M
filings, on a quiet machine and again with both cores busy (``--busy``, default 2 processes spinning):
one-CUSIP ``ownership_history`` and ``latest_positions`` under 20 ms, a batch of 200 filings loaded
under 100 ms: new filings, as a nightly loads them; replacing stored ones with other rows and CUSIPs
(the worst case of a reparse); and replacing them with the same results under a new parser version (what
a reparse after an upgrade mostly loads). The data is generated, shaped like the real thing: ~50
filings per CUSIP, 1-4 cover pages per filing (a group), holders that come back across filings under
two spellings, amendments after originals. Loads go through the public ``Warehouse.load`` (holder keys,
dedupe and CUSIP mappings included), in batches of ``--batch`` filings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from bench.busy import spinning
from extractors import PARSER_VERSION
from extractors.model import rows_to_table
from extractors.schema import FILINGS, ITEMS, REPORTING_PERSONS, SIGNATURES
from warehouse import Warehouse

_SUFFIXES = [("Inc.", "INC"), ("L.P.", "LP"), ("LLC", "L.L.C."), ("Corporation", "CORP"), ("Ltd.", "LTD")]
_DAY0 = dt.date(1994, 1, 1)


def _cusip(i: int) -> str:
    base = f"{i:06d}10"
    vals = [int(c) for c in base]
    total = 0
    for pos, v in enumerate(vals, start=1):
        v = v * 2 if pos % 2 == 0 else v
        total += v // 10 + v % 10
    return base + str((10 - total % 10) % 10)


def generate(start: int, n: int, n_cusips: int, n_holders: int, seed: int) -> dict[str, pa.Table]:
    """``n`` filings numbered from ``start``: one filings row each, 1-4 reporting persons, 2 items."""
    rng = random.Random(seed)
    filings, persons, items = [], [], []
    for k in range(start, start + n):
        fid = f"0000{k:06d}-{(k // 100000) % 100:02d}-{k % 1000000:06d}"
        c = rng.randrange(n_cusips)
        amend = rng.random() < 0.7
        day = _DAY0 + dt.timedelta(days=rng.randrange(11600))
        group = [rng.randrange(n_holders) for _ in range(rng.choice((1, 1, 2, 3, 4)))]
        filings.append({
            "filing_id": fid, "accession_number": fid, "parser_version": PARSER_VERSION,
            # every fourth filing a 13G: both schedules in the views' plans, the random draws unchanged
            "form_type": f"SC 13{'G' if k % 4 == 0 else 'D'}" + ("/A" if amend else ""), "document_format": "html",
            "schedule": "13G" if k % 4 == 0 else "13D",
            "is_amendment": amend, "amendment_number": rng.randrange(1, 30) if amend else None,
            "filed_date": day, "event_date": day - dt.timedelta(days=rng.randrange(10)),
            "subject_cik": str(100000 + c), "subject_name": f"ISSUER {c} CORP",
            "issuer_name": f"Issuer {c} Corp.", "cusip": _cusip(c), "cusip_raw": _cusip(c),
            "cusips": [_cusip(c)], "filer_ciks": [str(900000 + group[0])] if rng.random() < 0.5 else [],
            "filer_names": [f"HOLDER {group[0]} {_SUFFIXES[group[0] % 5][1]}"], "content_sha256": f"{k:064x}",
            "warnings": [],
        })
        for h in group:
            pct = round(rng.uniform(0, 30), 1)
            agg = float(rng.randrange(10**4, 10**8))
            persons.append({
                "filing_id": fid, "accession_number": fid, "parser_version": PARSER_VERSION,
                "seq": len(persons) + 1, "schedule": "13G" if k % 4 == 0 else "13D", "name": f"Holder {h} {_SUFFIXES[h % 5][rng.randrange(2)]}",
                "cik": str(900000 + h) if rng.random() < 0.2 else None,
                "member_of_group": "a" if len(group) > 1 else None, "source_of_funds": ["WC"],
                "citizenship": "Delaware", "sole_voting_power": agg, "shared_voting_power": 0.0,
                "sole_dispositive_power": agg, "shared_dispositive_power": 0.0, "aggregate_amount": agg,
                "excludes_certain_shares": rng.random() < 0.05, "percent_of_class": pct,
                "type_of_reporting_person": ["PN"], "warnings": [],
            })
        for num in (4, 5):
            items.append({"filing_id": fid, "accession_number": fid, "parser_version": PARSER_VERSION,
                          "item_number": num, "heading": "Item", "text": "x" * 200, "warnings": []})
    return {
        "filings": rows_to_table(filings, FILINGS),
        "reporting_persons": rows_to_table(persons, REPORTING_PERSONS),
        "items": rows_to_table(items, ITEMS),
        "signatures": SIGNATURES.empty_table(),
    }


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1)


def measure_queries(wh: Warehouse, cusip: str, runs: int) -> dict[str, float]:
    return {
        "ownership_history_ms": _median_ms(lambda: wh.ownership_history(cusip), runs),
        "latest_positions_ms": _median_ms(lambda: wh.latest_positions(cusip), runs),
        "group_positions_ms": _median_ms(lambda: wh.group_positions(cusip), runs),
    }


def _small_batches(wh: Warehouse, start: int, n_cusips: int, n_holders: int, n: int = 200) -> float:
    """Median time to load a flow-sized batch (config flows.batch_size: 200 filings) into this database.

    The filings are deleted again afterwards so the next size step starts from the same count."""
    times, ids = [], []
    for k in range(5):
        tables = generate(start + k * n, n, n_cusips, n_holders, seed=k)
        ids += tables["filings"]["filing_id"].to_pylist()
        t0 = time.perf_counter()
        wh.load(tables)
        times.append((time.perf_counter() - t0) * 1000)
    for table in ("filings", "reporting_persons", "items", "signatures", "positions", "filing_cusips"):
        wh.execute(f"DELETE FROM {table} WHERE filing_id IN (SELECT unnest(?))", [ids])
    return round(statistics.median(times), 1)


_REPLACED = itertools.count()


def _timed_replacements(wh: Warehouse, batch_of: Callable[[int], dict[str, pa.Table]]) -> float:
    """Median time of five loads of ``batch_of(k)`` under a parser version never stored before, so that
    every filing of the batch replaces a stored one."""
    times = []
    for _ in range(5):
        k = next(_REPLACED)
        tables = batch_of(k)
        f = tables["filings"]
        tables["filings"] = f.set_column(f.schema.get_field_index("parser_version"), "parser_version",
                                         pa.array([f"9.{k}"] * f.num_rows, pa.string()))
        t0 = time.perf_counter()
        wh.load(tables)
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 1)


def _replace_batches(wh: Warehouse, n_cusips: int, n_holders: int, n: int = 200) -> float:
    """Median time to load 200 filings that replace stored ones with other rows and CUSIPs (the worst
    case of a reparse: every derived row changes)."""
    # ids already stored, drawn again with another seed
    return _timed_replacements(wh, lambda k: generate(1000 + (k % 5) * n, n, n_cusips, n_holders, seed=1000 + k))


def _stored_batch(wh: Warehouse, ids: list[str]) -> dict[str, pa.Table]:
    """The stored rows of these filings, as a loader batch (every column the schema declares)."""
    out = {}
    for name, schema in (("filings", FILINGS), ("reporting_persons", REPORTING_PERSONS), ("items", ITEMS),
                         ("signatures", SIGNATURES)):
        cols = ", ".join(schema.names)
        out[name] = wh.query(f"SELECT {cols} FROM {name} WHERE filing_id IN (SELECT unnest(?))", [ids]).cast(schema)
    return out


def _reparse_batches(wh: Warehouse, n: int = 200) -> float:
    """Median time to load 200 filings re-extracted by a new parser version with the same results: what
    a reparse after an upgrade mostly loads (the same CUSIPs, issuer and dates, new parser_version)."""
    def stored(k: int) -> dict[str, pa.Table]:
        ids = wh.query("SELECT filing_id FROM filings ORDER BY filing_id LIMIT ? OFFSET ?", [n, 5000 + (k % 5) * n])
        return _stored_batch(wh, ids.column(0).to_pylist())
    return _timed_replacements(wh, stored)


TARGETS_MS = {"ownership_history_ms": 20.0, "latest_positions_ms": 20.0, "small_batch_ms": 100.0,
              "replace_batch_ms": 100.0, "reparse_batch_ms": 100.0}


def _timed_figures(wh: Warehouse, cusip: str, runs: int, loaded: int, n_cusips: int, n_holders: int) -> dict:
    return {**measure_queries(wh, cusip, runs),
            "small_batch_ms": _small_batches(wh, loaded, n_cusips, n_holders),
            "replace_batch_ms": _replace_batches(wh, n_cusips, n_holders),
            "reparse_batch_ms": _reparse_batches(wh)}


def verdicts(figures: dict, label: str) -> list[str]:
    return [f"  {label:<8} {name[:-3]:<22} {figures[name]:>7.1f} ms  (target < {limit:.0f} ms: "
            f"{'met' if figures[name] < limit else 'NOT MET'})" for name, limit in TARGETS_MS.items()]


def run(sizes: list[int], batch: int, runs: int, workdir: Path, busy: int = 0) -> list[dict]:
    db = workdir / "bench.duckdb"
    n_cusips = max(sizes) // 50
    n_holders = max(sizes) // 8
    results = []
    loaded = 0
    load_s = gen_s = 0.0
    persons_loaded = 0
    with Warehouse.open(db) as wh:
        for size in sizes:
            while loaded < size:
                n = min(batch, size - loaded)
                t0 = time.perf_counter()
                tables = generate(loaded, n, n_cusips, n_holders, seed=loaded)
                t1 = time.perf_counter()
                res = wh.load(tables)
                load_s += time.perf_counter() - t1
                gen_s += t1 - t0
                persons_loaded += res.reporting_persons
                loaded += n
            t0 = time.perf_counter()
            wh.execute("CHECKPOINT")  # part of loading: fold the write-ahead log into the file
            load_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            wh.cluster_positions()  # as a run that stored this many filings does at its end
            cluster_s = time.perf_counter() - t0
            cusip = _cusip(n_cusips // 2)
            n_rows = wh.query("SELECT count(*) AS n FROM ownership_history WHERE cusip = ?", [cusip])["n"][0].as_py()
            results.append({
                "filings": loaded,
                "reporting_persons": persons_loaded,
                "load_rows_per_s": round(persons_loaded / load_s),
                "load_filings_per_s": round(loaded / load_s),
                "cluster_s": round(cluster_s, 1),
                "db_mb": round(db.stat().st_size / 2**20, 1),
                "history_rows_for_cusip": n_rows,
                **_timed_figures(wh, cusip, runs, loaded, n_cusips, n_holders),
            })
            if busy:
                with spinning(busy):
                    results[-1]["busy"] = _timed_figures(wh, cusip, runs, loaded, n_cusips, n_holders)
            print(json.dumps(results[-1]), flush=True)
    last = results[-1]
    print(f"at {last['filings']:,} filings:")
    print("\n".join(verdicts(last, "quiet")))
    if "busy" in last:
        print("\n".join(verdicts(last["busy"], f"busy({busy})")))
    return results


# ``--against``: each side runs in a fresh interpreter with its checkout first on sys.path, so it loads
# and queries with its own warehouse code, while generating and timing with this file's code: both
# sides are measured on the same generated filings in the same way.
_SIDE_RUNNER = r"""
import importlib.util, json, sys
tree, bench_file, action, db, size, first_version = sys.argv[1:7]
sys.path.insert(0, tree)
spec = importlib.util.spec_from_file_location("warehouse_bench_side", bench_file)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)
print(json.dumps(bench.side_action(action, db, int(size), int(first_version))))
"""


def side_action(action: str, db: str, size: int, first_version: int) -> dict:
    """One side's step of ``--against``: ``load`` a new database of ``size`` filings (as ``run`` does), or
    ``measure`` the timed figures on it (parser versions numbered from ``first_version``, so that every
    run's replacements replace)."""
    global _REPLACED
    n_cusips, n_holders = size // 50, size // 8
    with Warehouse.open(Path(db)) as wh:
        if action == "load":
            load_s = 0.0
            for start in range(0, size, 20_000):
                tables = generate(start, min(20_000, size - start), n_cusips, n_holders, seed=start)
                t0 = time.perf_counter()
                wh.load(tables)
                load_s += time.perf_counter() - t0
            wh.execute("CHECKPOINT")
            wh.cluster_positions()
            return {"load_s": round(load_s, 1)}
        _REPLACED = itertools.count(first_version)
        return _timed_figures(wh, _cusip(n_cusips // 2), 9, size, n_cusips, n_holders)


def side_by_side(other: Path, size: int, rounds: int, busy: int, workdir: Path) -> dict:
    """This checkout and ``other``, each on a database it loaded itself, measured in alternating runs,
    quiet and with ``busy`` processes spinning: the medians per figure and side."""
    trees = {"this": Path(__file__).resolve().parents[1], "other": other.resolve()}
    versions = itertools.count(1000, 1000)

    def step(side: str, action: str) -> dict:
        cmd = [sys.executable, "-c", _SIDE_RUNNER, str(trees[side]), str(Path(__file__).resolve()), action,
               str(workdir / f"{side}.duckdb"), str(size), str(next(versions))]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=trees[side])
        if done.returncode:
            raise SystemExit(f"the {side} side ({trees[side]}) failed:\n{done.stderr[-2000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    out: dict = {"load_s": {side: step(side, "load")["load_s"] for side in trees}}
    # what each side's database costs on disk, loaded and clustered (a storage change shows its price)
    out["db_mb"] = {side: round((workdir / f"{side}.duckdb").stat().st_size / 2**20, 1) for side in trees}
    for label, spinners in [("quiet", 0), *([(f"busy({busy})", busy)] if busy else [])]:
        runs: dict[str, list[dict]] = {side: [] for side in trees}
        with spinning(spinners):
            for r in range(rounds):
                for side in ("other", "this") if r % 2 == 0 else ("this", "other"):
                    runs[side].append(step(side, "measure"))
        out[label] = {k: {side: statistics.median(x[k] for x in runs[side]) for side in trees} for k in runs["this"][0]}
    return out


def print_side_by_side(figures: dict, other: Path, size: int, rounds: int) -> None:
    print(f"side by side with {other} at {size:,} filings (each on a database it loaded, runs alternating, "
          f"medians of {rounds}; ratio > 1: this checkout is faster)")
    print(f"  bulk load: this {figures['load_s']['this']} s, other {figures['load_s']['other']} s")
    print(f"  database file: this {figures['db_mb']['this']} MB, other {figures['db_mb']['other']} MB")
    for label, rows in figures.items():
        if label in ("load_s", "db_mb"):
            continue
        for name, v in rows.items():
            print(f"  {label:<8} {name[:-3]:<22} this {v['this']:7.1f} ms  other {v['other']:7.1f} ms  "
                  f"other/this {v['other'] / v['this']:4.2f}x")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="100k filings only")
    ap.add_argument("--batch", type=int, default=20_000, help="filings per load batch")
    ap.add_argument("--runs", type=int, default=9, help="query repetitions (median reported)")
    ap.add_argument("--dir", type=Path, default=None, help="where to put the database (default: a temp dir)")
    ap.add_argument("--busy", type=int, default=2, help="processes spinning on the CPU for the second "
                    "measurement at each size (0: quiet only)")
    ap.add_argument("--against", type=Path, metavar="CHECKOUT", help="instead, load a database with this "
                    "checkout and one with CHECKOUT (the base of a change) and time both in alternating runs")
    ap.add_argument("--rounds", type=int, default=3, help="with --against: runs per side (median reported)")
    args = ap.parse_args(argv)
    sizes = [100_000] if args.quick else [100_000, 1_000_000]
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    if args.against is not None:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            figures = side_by_side(args.against, sizes[-1], args.rounds, args.busy, Path(tmp))
        print_side_by_side(figures, args.against, sizes[-1], args.rounds)
        return
    if args.dir:
        run(sizes, args.batch, args.runs, args.dir, args.busy)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(sizes, args.batch, args.runs, Path(tmp), args.busy)


if __name__ == "__main__":
    main()
