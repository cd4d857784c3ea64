"""Run the local EDGAR on its own, for tests that drive the real CLI in a subprocess.

    python -m tests.local_edgar --port 0 --fixtures tests/fixtures/edgar --demo
prints ``LOCAL_EDGAR_URL=http://127.0.0.1:<port>`` on its first line, then serves until SIGTERM/SIGINT.
Control it over HTTP: GET /_local/requests, GET /_local/stats, POST /_local/faults {"kind": ...},
POST /_local/block {"seconds": N}, POST /_local/clear.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.local_edgar.model import EdgarFixtures
from tests.local_edgar.server import LocalEdgar


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.local_edgar", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    ap.add_argument("--fixtures", action="append", default=[], help="directory of full-submission .txt files")
    ap.add_argument("--demo", action="store_true", help="also serve the demo company (tests/local_edgar/demo.py)")
    ap.add_argument("--recent-limit", type=int, default=1000, help="filings in submissions 'recent' before overflow")
    ap.add_argument("--page-size", type=int, default=2000, help="filings per overflow page")
    ap.add_argument("--gzip", action="store_true", help="gzip answers when the client accepts it")
    ap.add_argument("--enforce-rate", type=int, default=None, help="block like the SEC above N requests/s")
    ap.add_argument("--block-seconds", type=float, default=600.0)
    ap.add_argument("--require-agent", action="store_true", help="403 for an undeclared User-Agent")
    ap.add_argument("--log-requests", default=None, help="append each request as JSON lines to this file")
    args = ap.parse_args(argv)

    if args.demo:
        from tests.local_edgar.demo import demo_fixtures

        fx = demo_fixtures(args.recent_limit, args.page_size).fixtures
    else:
        fx = EdgarFixtures(args.recent_limit, args.page_size)
    n = sum(fx.load_dir(d) for d in args.fixtures)
    edgar = LocalEdgar(fx, host=args.host, port=args.port, gzip_responses=args.gzip,
                       enforce_rate=args.enforce_rate, block_seconds=args.block_seconds,
                       require_agent=args.require_agent, log_path=args.log_requests)
    print(f"LOCAL_EDGAR_URL={edgar.url}", flush=True)
    print(f"serving {len(fx.filings)} filings ({n} from --fixtures)", file=sys.stderr, flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    edgar.start()
    stop.wait()
    edgar.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
