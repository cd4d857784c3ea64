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
    from extractors.model import ParsedFiling

Command = Callable[[argparse.Namespace], int]


def cmd_parse(args: argparse.Namespace) -> int:
    """Parse local filing files and print what was extracted."""
    from extractors.model import ExtractionError
    from extractors.parse import parse_filing

    failed = 0
    for name in args.paths:
        try:
            data = Path(name).read_bytes()
            parsed = parse_filing(data, source=name)
        except (OSError, ExtractionError) as exc:
            failed += 1
            reason = exc.reason if isinstance(exc, ExtractionError) else "unreadable"
            if args.json:
                print(json.dumps({"file": name, "error": str(exc), "reason": reason}), flush=True)
            else:
                print(f"{name}: FAILED ({exc})", file=sys.stderr)
            continue
        if args.json:
            print(json.dumps(parsed.to_json(name), ensure_ascii=False), flush=True)
        else:
            _print_summary(name, parsed)
    if failed and not args.json:
        print(f"{failed} of {len(args.paths)} files could not be parsed", file=sys.stderr)
    return 1 if failed else 0


def _print_summary(name: str, parsed: ParsedFiling) -> None:
    f = parsed.filing
    amendment = f" Amendment No. {f['amendment_number']}" if f.get("amendment_number") else ""
    print(f"{name}")
    print(
        f"  {f.get('form_type') or '(bare document)'}{amendment} | {f.get('issuer_name')} | "
        f"CUSIP {f.get('cusip')} | event {f.get('event_date')} | {f['document_format']}"
    )
    for p in parsed.reporting_persons:
        pct = p.get("percent_of_class")
        agg = p.get("aggregate_amount")
        print(
            f"  - {p.get('name')}: {agg:,.0f} shares" if agg is not None else f"  - {p.get('name')}: (no aggregate)",
            f"({pct}%)" if pct is not None else "",
        )
    for w in parsed.warnings:
        print(f"  ! {w}")


def build_parser(commands: dict[str, tuple[Command, str]] | None = None) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="edgar13d",
        description="Crawl SEC EDGAR Schedule 13D/13D-A filings of every era into a DuckDB history.",
    )
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)
    p = sub.add_parser("parse", help="parse local filing files (full submissions or bare documents)",
                       description=cmd_parse.__doc__)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object per file, in the shape of shared/labels (for diffing)")
    p.set_defaults(func=cmd_parse)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
