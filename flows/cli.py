"""The ``edgar13d`` command.

Each sub-command imports what it needs when it runs, so ``edgar13d parse`` starts in a fraction of a
second and never loads Prefect.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    import pyarrow as pa

    from crawler.lookup import Company
    from flows.config import Settings
    from warehouse.store import Warehouse

Command = Callable[[argparse.Namespace], int]

NOTHING_CHANGED = "Nothing was fetched or changed: run the same command again once the network (or EDGAR) is back."
NOTHING_LOST = ("Nothing already stored was lost and the nightly watermark did not move past an unfinished day: "
                "run the same command again once the network (or EDGAR) is back.")


def cmd_parse(args: argparse.Namespace) -> int:
    """Parse local filing files and print what was extracted."""
    from flows.parse_files import reports

    failed = 0
    for rep in reports(args.paths, args.json, args.workers):
        failed += rep.failed
        if rep.out is not None:
            print(rep.out, flush=args.json)
        if rep.err is not None:
            print(rep.err, file=sys.stderr)
    if failed and not args.json:
        print(f"{failed} of {len(args.paths)} files could not be parsed", file=sys.stderr)
    return 1 if failed else 0


# --- commands that run a flow ------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    from flows.config import load_settings

    return load_settings(args.config)


def _agent_refusal(settings: Settings) -> str | None:
    """Why the SEC must not be contacted with these settings (a missing or placeholder agent), or None."""
    from crawler.client import AGENT_HELP, check_user_agent, is_sec_host

    e = settings.edgar
    problem = check_user_agent(e.user_agent)
    if problem and any(is_sec_host(u) for u in (e.www_url, e.data_url, e.efts_url)):
        return f"edgar13d: refusing to contact the SEC: {problem}; {AGENT_HELP}"
    return None


def _run_flow(args: argparse.Namespace, name: str, **params: object) -> int:
    """Run one Prefect flow in this process (ephemeral Prefect unless PREFECT_API_URL is set)."""
    settings = _settings(args)
    if name != "reparse":  # say so now, before Prefect spends seconds starting up
        refusal = _agent_refusal(settings)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2
        from crawler.client import unreachable_reason

        unreachable = unreachable_reason(settings.edgar.www_url)
        if unreachable:
            print(f"edgar13d: cannot reach EDGAR: {unreachable}.\n{NOTHING_CHANGED}", file=sys.stderr)
            return 3
    from flows.prefect_env import prepare_prefect_env
    from flows.prefect_server import PrefectServerError

    try:
        prepare_prefect_env(settings.path(settings.storage.data_dir), args.verbose, local_server=True)
    except PrefectServerError as exc:
        print(f"edgar13d: could not start Prefect's local server: {exc}\nOr point PREFECT_API_URL at a "
              "running Prefect server.", file=sys.stderr)
        return 2
    _configure_logging(args.verbose)
    from crawler.client import Blocked, CrawlerError, Unreachable, UserAgentError
    from crawler.ratelimit import LimiterUnavailable
    from crawler.search import SearchError
    from flows import prefect_flows
    from flows.progress import BarProgress, progress_for_terminal
    from warehouse.locks import LockTimeout
    from warehouse.store import WarehouseError

    progress = progress_for_terminal()
    prefect_flows.use_progress(progress)
    flow = {"backfill": prefect_flows.backfill_flow, "backfill --all": prefect_flows.backfill_all_flow,
            "nightly": prefect_flows.nightly_flow, "reparse": prefect_flows.reparse_flow}[name]
    try:
        if isinstance(progress, BarProgress):
            with progress:
                summary = flow(config=args.config, **params)
        else:
            summary = flow(config=args.config, **params)
    except UserAgentError as exc:
        print(f"edgar13d: {exc}", file=sys.stderr)
        return 2
    except Blocked as exc:
        print(f"edgar13d: EDGAR is refusing requests ({exc}). Every worker paused; wait at least 10 minutes "
              "before running again (asking during a block extends it).", file=sys.stderr)
        return 3
    except (WarehouseError, LockTimeout) as exc:
        print(f"edgar13d: {exc}", file=sys.stderr)
        return 2
    except Unreachable as exc:
        print(f"edgar13d: cannot reach EDGAR: {exc.detail}.\n{NOTHING_LOST}", file=sys.stderr)
        return 3
    except SearchError as exc:
        print(f"edgar13d: {exc}.\nNothing was discovered, so nothing was stored. Retry later, or name the company "
              "with --cik (or --ticker / --name), which needs no full-text search.", file=sys.stderr)
        return 3
    except LimiterUnavailable as exc:
        print(f"edgar13d: {exc}. Nothing was sent to EDGAR without it.", file=sys.stderr)
        return 3
    except CrawlerError as exc:
        print(f"edgar13d: could not reach EDGAR ({exc}).\n{NOTHING_LOST}", file=sys.stderr)
        return 3
    _print_run_summary(name, summary)
    # The run finished: filings that failed are in the failure log with their reasons, not lost.
    return 0


def _print_run_summary(name: str, s: dict) -> None:
    print(f"{name}: found {s['found']}, fetched {s['fetched']} (+{s['from_archive']} already archived), "
          f"stored {s['stored']} (+{s['unchanged']} unchanged), skipped {s['skipped']}, failed {s['failed']}")
    for reason, n in sorted(s["skipped_reasons"].items(), key=lambda kv: -kv[1]):
        print(f"  skipped {n}: {reason}")
    for reason, n in sorted(s["failed_reasons"].items(), key=lambda kv: -kv[1]):
        print(f"  failed {n}: {reason}")
    if s["failed"]:
        print("  details: edgar13d status --failures; retry later, or `edgar13d reparse` after a parser fix")
    for note in s.get("notes", []):
        print(f"  {note}")


def _configure_logging(verbose: bool) -> None:
    import logging

    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not verbose:
        # Prefect's in-process server closes its database pool while the last events flush, and the
        # pool logs the cancelled reset with a traceback: shutdown noise, nothing of ours is lost.
        logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)


def _date(text: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from exc


def _schedules(text: str) -> list[str]:
    from flows.config import ConfigError, check_schedules

    try:
        return check_schedules(text, "--schedules")
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--schedules: ")) from exc


BACKFILL_MODES = ("--cusip", "--cik", "--ticker", "--name", "--filer-cik", "--all")
FIRST_INDEX_DAY = "1993-01-01"  # EDGAR's first quarterly full-index


def cmd_backfill(args: argparse.Namespace) -> int:
    """Fetch, extract and store every 13D, 13G and their amendments (config.yaml's ``schedules``, or
    --schedules) of one security (--cusip), one company (--cik,
    --ticker, --name), one investor's filings on every issuer (--filer-cik / --holder), or everything
    in EDGAR's quarterly indexes over a range of dates (--all)."""
    import datetime as dt

    given = [flag for flag, value in zip(BACKFILL_MODES, (args.cusip, args.cik and not args.cusip, args.ticker,
                                                          args.name, args.filer_cik, args.all), strict=True) if value]
    if not given:
        print(f"edgar13d backfill: give one of {', '.join(BACKFILL_MODES)} (see --help)", file=sys.stderr)
        return 2
    if len(given) > 1:
        print(f"edgar13d backfill: {' and '.join(given)} are different backfills: give one of them "
              "(--cik with --cusip names the security's company)", file=sys.stderr)
        return 2
    if args.start and args.end and args.start > args.end:
        print(f"edgar13d backfill: --start {args.start} is after --end {args.end}", file=sys.stderr)
        return 2
    if args.all:
        return _run_flow(args, "backfill --all", start=args.start or _date(FIRST_INDEX_DAY),
                         end=args.end or dt.date.today(), schedules=args.schedules)
    if args.cusip:
        from crawler.cusip import parse_cusip_query

        try:
            parse_cusip_query(args.cusip)
        except ValueError as exc:
            print(f"edgar13d backfill: {exc}", file=sys.stderr)
            return 2
    ciks = list(args.cik or [])
    if args.ticker or args.name:
        found = _look_up_company(args)
        if isinstance(found, str):
            print(found, file=sys.stderr)
            return 2
        ciks = [found]
    return _run_flow(args, "backfill", cusip=args.cusip, ciks=ciks, filer_ciks=args.filer_cik or [],
                     start=args.start, end=args.end, schedules=args.schedules)


PICK_LIST_LENGTH = 30


def _look_up_company(args: argparse.Namespace) -> int | str:
    """The CIK a --ticker or --name means (asking on a terminal when several companies match), or the
    message that says why there is none and what to type instead."""
    settings = _settings(args)
    refusal = _agent_refusal(settings)
    if refusal:
        return refusal
    _configure_logging(args.verbose)
    from crawler.client import CrawlerError, EdgarClient
    from crawler.lookup import ReferenceFiles, find_ticker, search_names
    from flows.pipeline import client_settings

    where = settings.path(settings.storage.data_dir) / "edgar-reference"
    try:
        with EdgarClient(client_settings(settings)) as client:
            refs = ReferenceFiles(client, where)
            listings, day = refs.listings()
            if args.ticker:
                company = find_ticker(listings, args.ticker)
                if company is None:
                    return (f"edgar13d backfill: no ticker {args.ticker!r} in EDGAR's ticker file of {day}, which "
                            "lists current listings only: for a company no longer listed use --name or --cik")
                print(f"ticker {args.ticker.upper()}: {company.describe()} (CIK {company.cik}), "
                      f"from EDGAR's ticker file of {day}")
                return company.cik
            names, names_day = refs.names()
            try:
                found = search_names(args.name, listings, names)
            except ValueError as exc:
                return f"edgar13d backfill: --name {exc}"
    except CrawlerError as exc:
        return f"edgar13d backfill: could not read EDGAR's ticker and name files ({exc}); give --cik instead"
    for note in refs.notes:
        print(f"  {note}", file=sys.stderr)
    source = f"EDGAR's ticker file of {day} and name file of {names_day}"
    if not found:
        return f"edgar13d backfill: no company name matches {args.name!r} in {source}: try fewer or other words"
    if len(found) == 1:
        print(f"name {args.name!r}: {found[0].describe()} (CIK {found[0].cik}), from {source}")
        return found[0].cik
    return _pick_company(args.name, found)


def _pick_company(query: str, found: list[Company]) -> int | str:
    """Several companies match a name: ask on a terminal; elsewhere, list them and say how to choose."""
    shown = found[:PICK_LIST_LENGTH]
    lines = [f"  {i:>2}. --cik {c.cik:<10} {c.describe()}" for i, c in enumerate(shown, 1)]
    more = [f"  ... and {len(found) - len(shown)} more: add words to --name to narrow it"] if len(found) > len(shown) else []
    head = f"{len(found)} companies match {query!r}:"
    if not sys.stdin.isatty():
        return "\n".join([f"edgar13d backfill: {head}", *lines, *more,
                          f"Pick one with --cik, e.g. edgar13d backfill --cik {shown[0].cik} "
                          "(or add words to --name)."])
    print("\n".join([head, *lines, *more]), file=sys.stderr)
    while True:
        sys.stderr.write(f"which one? [1-{len(shown)}, Enter to stop]: ")
        sys.stderr.flush()
        answer = sys.stdin.readline().strip()
        if not answer:
            return "edgar13d backfill: nothing picked; nothing was done"
        if answer.isdigit() and 1 <= int(answer) <= len(shown):
            chosen = shown[int(answer) - 1]
            print(f"name {query!r}: {chosen.describe()} (CIK {chosen.cik})")
            return chosen.cik


def cmd_nightly(args: argparse.Namespace) -> int:
    """Store every 13D and 13G filed since the last day processed (catching up missed days); config.yaml's
    ``schedules`` or --schedules narrows it to one schedule."""
    return _run_flow(args, "nightly", until=args.until, schedules=args.schedules)


def cmd_reparse(args: argparse.Namespace) -> int:
    """Re-extract archived filings with this version of the parser, without the network."""
    return _run_flow(args, "reparse", cusip=args.cusip, below_version=args.below_version)


def cmd_serve(args: argparse.Namespace) -> int:
    """Register the nightly deployment with its schedule and serve it (needs a Prefect server)."""
    settings = _settings(args)
    from flows.prefect_env import prepare_prefect_env

    prepare_prefect_env(settings.path(settings.storage.data_dir), args.verbose)
    _configure_logging(args.verbose)
    from flows.deploy import serve_nightly

    return serve_nightly(settings, args.config, once=args.register_only, pool=args.pool)


# --- commands that read the warehouse ---------------------------------------------------------------


def _open_read(args: argparse.Namespace, settings: Settings | None = None) -> Warehouse:
    """The database for reading. It takes its turn with the runs writing it: a query waits at most for
    the batch being loaded (and says so if that takes long), never for the whole run."""
    from warehouse.locks import Sharing
    from warehouse.store import Warehouse

    settings = settings or _settings(args)
    sharing = Sharing(wait_seconds=float(settings.storage.lock_wait_seconds), idle_release_seconds=0.5)
    return Warehouse.open(settings.database_path, read_only=True, sharing=sharing)


def _print_table(table: pa.Table, limit: int | None = None) -> None:
    from flows.tables import render

    print(render(table, limit))


def cmd_history(args: argparse.Namespace) -> int:
    """Each holder's stake in one CUSIP, amendment by amendment, with the change."""
    from flows.tables import history_table

    with _open_read(args) as wh:
        table = wh.ownership_history(args.cusip)
    if table.num_rows == 0:
        print(f"no stored filings report on CUSIP {args.cusip}; run `edgar13d backfill --cusip {args.cusip}`")
        return 1
    print(history_table(table))
    return 0


def _load_stake(args: argparse.Namespace):  # -> reports.stake.Stake | int (an exit code, said)
    from reports.stake import NoStake, load_stake, resolve_cusip

    with _open_read(args) as wh:
        try:
            return load_stake(wh, resolve_cusip(wh, args.cusip), by=args.by)
        except ValueError as exc:
            print(f"edgar13d {args.command}: {exc}", file=sys.stderr)
            return 2
        except NoStake as exc:
            print(str(exc), file=sys.stderr)
            return 1


def cmd_chart(args: argparse.Namespace) -> int:
    """Draw each holder's (or group's) percent of class over time, with the thresholds, as PNG or SVG."""
    if args.output and Path(args.output).suffix.lower() not in (".png", ".svg"):
        print(f"edgar13d chart: {args.output} must end in .png or .svg", file=sys.stderr)
        return 2
    stake = _load_stake(args)
    if isinstance(stake, int):
        return stake
    from reports.chart import render

    out = Path(args.output or f"{stake.cusip}-stake.png")

    out.write_bytes(render(stake, "svg" if out.suffix.lower() == ".svg" else "png"))
    print(f"{out}: {len(stake.series)} lines, {stake.history.num_rows} reports ({stake.title})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Write one self-contained HTML page: the chart, latest positions, history and threshold crossings."""
    stake = _load_stake(args)
    if isinstance(stake, int):
        return stake
    from reports.page import render

    out = Path(args.output or f"{stake.cusip}-report.html")
    out.write_text(render(stake), encoding="utf-8")
    print(f"{out}: {stake.title}, {stake.history.num_rows} reports, {stake.crossings.num_rows} threshold crossings")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    """Run a SQL query against the warehouse (read-only) and print the result."""
    import duckdb

    with _open_read(args) as wh:
        wh.restrict_to_database()  # a typed query reads the database, never files or the network
        try:
            table = wh.query(args.query)
        except duckdb.Error as exc:
            print(f"edgar13d sql: {exc}", file=sys.stderr)
            return 2
    if args.format == "csv":
        import pyarrow.csv as pacsv

        pacsv.write_csv(table, sys.stdout.buffer)
    elif args.format == "json":
        for row in table.to_pylist():
            print(json.dumps(row, default=str))
    else:
        _print_table(table, args.limit)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write every table to Parquet, partitioned by filing year, for other engines."""
    settings = _settings(args)
    out = Path(args.out) if args.out else settings.export_path
    with _open_read(args, settings) as wh:
        written = wh.export_parquet(out)
    for table, path in written.items():
        print(f"{table}: {path}")
    return 0


# What `status --failures` shows of each open failure: what, why, and for a debt since when and how often.
FAILURE_COLUMNS = ("filing_id", "stage", "reason", "day", "first_seen", "tries", "given_up_at", "occurred_at",
                   "detail")


def cmd_status(args: argparse.Namespace) -> int:
    """What is stored, the last nightly day, and the failures still open."""
    from extractors.checks import CHECK_CODES

    settings = _settings(args)
    if not settings.database_path.exists():
        print(f"no database yet at {settings.database_path}: run `edgar13d backfill --cusip ...` or `edgar13d nightly`")
        return 1
    with _open_read(args, settings) as wh:
        s = wh.status()
        failures = wh.open_failures() if args.failures else None
    print(f"database         {s['path']} (schema v{s['schema_version']})")
    print(f"filings          {s['filings']:,} (latest filed {s['last_filed_date']})")
    stored = ", ".join(f"{name} {n:,}" for name, n in s["filings_by_schedule"].items()) or "none yet"
    print(f"schedules        crawled: {', '.join(settings.schedules)} (config.yaml schedules); stored: {stored}")
    print(f"reporting rows   {s['reporting_persons']:,}   items {s['items']:,}   signatures {s['signatures']:,}")
    print(f"nightly          last day done {s['last_day_done'] or 'never'} ({s['days_done']} days processed)")
    for row in s.get("late_days", []):
        print(f"  index late     {row['day']}: {row['detail']} (last checked {row['finished_at']:%Y-%m-%d %H:%M} UTC)")
    debt = s.get("debt", [])
    if debt:
        owed = sum(d["filings"] for d in debt)
        print(f"owed             {owed:,} filing(s) of {len(debt)} day(s) not fetched yet; every nightly run "
              "fetches them again first (details: status --failures)")
        for d in debt:
            print(f"  {d['day']}: {d['filings']} filing(s), since {d['since']:%Y-%m-%d %H:%M} UTC, "
                  f"{d['tries']} tr{'y' if d['tries'] == 1 else 'ies'} so far")
    print(f"parser versions  {', '.join(f'{v}: {n}' for v, n in s['parser_versions'].items()) or '-'}")
    checks = {c: n for c, n in s["person_warnings"].items() if c in CHECK_CODES}
    share = f" ({s['persons_failing_checks'] / s['reporting_persons']:.1%})" if s["reporting_persons"] else ""
    print(f"row checks       {s['persons_failing_checks']:,} reporting rows with a failed check{share}")
    for code, n in checks.items():
        print(f"  {code}: {n}")
    print(f"open failures    {s['open_failures_total']}")
    for (stage, reason), n in sorted(s["open_failures"].items(), key=lambda kv: -kv[1]):
        print(f"  {stage:6} {reason}: {n}")
    if failures is not None and failures.num_rows:
        _print_table(failures.select([c for c in FAILURE_COLUMNS if c in failures.column_names]), 200)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the database's schema up to this edgar13d's version (read-only commands refuse an older one)."""
    import datetime as dt

    import duckdb

    from warehouse import migrate
    from warehouse.store import Warehouse

    path = _settings(args).database_path
    if not path.exists():
        print(f"no database yet at {path}: nothing to migrate (the first backfill or nightly creates it)")
        return 1
    if args.list:
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            Warehouse.open(path, read_only=True).close()  # says who holds the file, in edgar13d's words
            raise
        try:
            states = migrate.migration_states(migrate.applied_rows(con))
        finally:
            con.close()
        for st in states:
            when = f"applied {st.applied_at:%Y-%m-%d %H:%M}" if st.applied_at else "pending"
            print(f"{st.version:03d}_{st.name:24} {when}{'' if st.known else '  (from a newer edgar13d)'}")
        pending = sum(1 for st in states if st.applied_at is None)
        print(f"{pending} pending: run `edgar13d migrate`" if pending else "up to date")
        return 0
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with Warehouse.open(path) as wh:  # a writable open applies what is pending, each in its transaction
        rows = wh.query(migrate.SCHEMA_MIGRATIONS_ROWS).to_pylist()
    states = migrate.migration_states((r["version"], r["name"], r["applied_at"]) for r in rows)
    applied = [st for st in states if st.applied_at and st.applied_at >= started]
    for st in applied:
        print(f"applied {st.version:03d}_{st.name}")
    print(f"{path}: schema v{max(st.version for st in states if st.applied_at)}"
          f"{'' if applied else ', already up to date'}")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """Check the alert destinations (config.yaml alerts.urls): `edgar13d alerts test` sends a test message."""
    from alerts.deliver import send_check

    urls = args.url or _settings(args).alerts.urls
    if not urls:
        print("edgar13d alerts: no destinations: add apprise URLs to alerts.urls in config.yaml "
              '(e.g. "json://hooks.example.net/edgar13d"), or give --url', file=sys.stderr)
        return 2
    deliveries = send_check(urls)
    for d in deliveries:
        print(f"{'sent' if d.ok else 'FAILED'}  {d.destination}{'' if d.ok else f': {d.reason}'}")
    return 0 if all(d.ok for d in deliveries) else 1


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="edgar13d",
        description="Crawl SEC EDGAR Schedule 13D and 13G filings (and their amendments) of every era into a "
                    "DuckDB history.",
        epilog="Configuration: config.yaml (or --config / $EDGAR13D_CONFIG); set edgar.user_agent or "
               "$EDGAR13D_USER_AGENT to 'Your Name you@example.org' before talking to the SEC.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="config file (default: $EDGAR13D_CONFIG or ./config.yaml)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what each step does")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, func: Command, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=func.__doc__, parents=[common])
        p.set_defaults(func=func)
        return p

    p = add("parse", cmd_parse, "parse local filing files (full submissions or bare documents)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object per file, in the shape of shared/labels (for diffing)")
    p.add_argument("--workers", type=int, default=0, metavar="N",
                   help="processes parsing at once over many files (default 0: one per core; 1: this one)")

    p = add("backfill", cmd_backfill, "store a security's, a company's or an investor's whole 13D/13G history")
    p.add_argument("--cusip", help="9 characters, 8 (check digit computed), or 6 for every class of an issuer")
    p.add_argument("--cik", type=int, action="append",
                   help="subject company CIK: the filings about it (repeatable; with --cusip: the CUSIP's company)")
    p.add_argument("--ticker", help="a current ticker (TSLA, BRK.B), looked up in EDGAR's ticker file")
    p.add_argument("--name", help="a company name or its first letters (\"savvis\"), current or former; "
                                  "lists the candidates when several match")
    p.add_argument("--filer-cik", "--holder", dest="filer_cik", type=int, action="append", metavar="CIK",
                   help="an investor's CIK: every 13D and 13G it filed, on every issuer (repeatable)")
    p.add_argument("--all", action="store_true",
                   help="every 13D and 13G in EDGAR's quarterly indexes from --start (default 1993-01-01) to --end "
                        "(default today), a quarter at a time; run it again to resume")
    p.add_argument("--start", type=_date, help="first filing date to keep (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last filing date to keep (YYYY-MM-DD)")
    p.add_argument("--schedules", type=_schedules, metavar="13D,13G",
                   help="which schedules to read (default: config.yaml's schedules, both 13D and 13G)")

    p = add("nightly", cmd_nightly, "store every 13D and 13G filed since the last day processed")
    p.add_argument("--until", type=_date, help="process days up to this date (default: today)")
    p.add_argument("--schedules", type=_schedules, metavar="13D,13G",
                   help="which schedules to read (default: config.yaml's schedules, both 13D and 13G)")

    p = add("reparse", cmd_reparse, "re-extract archived filings with this parser (no network)")
    p.add_argument("--cusip", help="only the filings of this CUSIP (or 6-character issuer)")
    p.add_argument("--below-version", help="only filings stored by a parser older than this version")

    p = add("serve", cmd_serve, "register the nightly schedule with Prefect and serve it")
    p.add_argument("--register-only", action="store_true",
                   help="register (or update) the deployment and exit, for a work pool and worker")
    p.add_argument("--pool", help="with --register-only: the work pool whose workers run the nightly flow")

    p = add("history", cmd_history, "each holder's stake in a CUSIP, amendment by amendment")
    p.add_argument("--cusip", required=True)

    for name, func, what, default in (("chart", cmd_chart, "draw a CUSIP's stakes over time (PNG or SVG)",
                                       "CUSIP-stake.png"),
                                      ("report", cmd_report, "write a CUSIP's one-page HTML report",
                                       "CUSIP-report.html")):
        p = add(name, func, what)
        p.add_argument("--cusip", required=True, help="9 characters, or 8 (the check digit is computed)")
        p.add_argument("-o", "--output", help=f"file to write (default: {default})")
        p.add_argument("--by", choices=("group", "holder"), default="group",
                       help="one line per group statement and its amendments (default), or per reporting person")

    p = add("sql", cmd_sql, "run a read-only SQL query against the warehouse")
    p.add_argument("query")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--limit", type=int, default=100, help="rows to print as a table (default 100)")

    p = add("export", cmd_export, "write every table to Parquet, partitioned by filing year")
    p.add_argument("--out", help="folder (default: storage.export_dir)")

    p = add("status", cmd_status, "what is stored, the nightly watermark and open failures")
    p.add_argument("--failures", action="store_true", help="list every open failure")

    p = add("alerts", cmd_alerts, "check the alert destinations of config.yaml (alerts.urls)")
    p.add_argument("action", choices=("test",), help="test: send a test message to each destination")
    p.add_argument("--url", action="append", help="an apprise URL to test instead of alerts.urls (repeatable)")

    p = add("migrate", cmd_migrate, "bring the database's schema up to this version of edgar13d")
    p.add_argument("--list", action="store_true", help="show each migration, applied or pending; change nothing")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted: what was stored is kept; run the same command again to go on", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: say what happened and what to do
        from flows.config import ConfigError

        if isinstance(exc, ConfigError | FileNotFoundError):
            print(f"edgar13d: {exc}", file=sys.stderr)
            return 2
        from warehouse.store import WarehouseError

        if isinstance(exc, WarehouseError):
            print(f"edgar13d: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
