"""A real HTTP server on 127.0.0.1 that answers like EDGAR, with faults on demand and a request log.

One server plays the three hosts (www, data, efts): the paths do not overlap. It records the arrival
time, path and headers of every request, so tests can check the User-Agent and count requests in any
one-second window from the server's side, which is where the SEC counts them.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import socket
import struct
import sys
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.local_edgar.model import EdgarFixtures

ACCESS_DENIED_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>'
    b"<RequestId>LOCALEDGAR0000000</RequestId><HostId>bG9jYWwtZWRnYXI=</HostId></Error>"
)
NO_SUCH_KEY_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not '
    b"exist.</Message></Error>"
)
RATE_THRESHOLD_HTML = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>SEC.gov | Request Rate Threshold Exceeded</title></head>
<body><div id="main"><h1>Your Request Originates from an Undeclared Automated Tool</h1>
<p>To allow for equitable access to all users, SEC reserves the right to limit requests originating from
undeclared automated tools. Your request has been identified as part of a network of automated tools outside of
the acceptable policy and will be managed until action is taken to declare your traffic.</p>
<p>Please declare your traffic by updating your user agent to include company specific information.</p>
<p>For best practices on efficiently downloading information from SEC.gov, including the latest EDGAR filings,
visit sec.gov/developer. You can also sign up for email updates on the SEC open data program.</p>
<p>Request Rate Threshold Exceeded</p></div></body></html>
"""
UNDECLARED_HTML = (b"<!DOCTYPE html><html><head><title>SEC.gov | Your Request Originates from an Undeclared "
                   b"Automated Tool</title></head><body><h1>Your Request Originates from an Undeclared Automated "
                   b"Tool</h1><p>Please declare your traffic by updating your user agent to include company "
                   b"specific information.</p></body></html>")

FAULT_KINDS = ("status", "rate_threshold", "access_denied", "not_found", "slow", "reset", "truncate",
               "truncate_nolength", "bad_gzip", "drip", "redirect", "gzip_bomb", "body")


@dataclass
class Fault:
    """One injected misbehaviour: the next ``times`` requests whose path matches ``path`` (a regex searched
    in the path; None: any) get it. ``times=None`` keeps it until cleared.

    kinds: ``status`` (``status``, optional ``retry_after``), ``rate_threshold`` (the SEC block page, 403),
    ``access_denied`` (S3 403), ``not_found`` (404), ``slow`` (``delay`` s, then the normal answer),
    ``reset`` (TCP RST, no answer), ``truncate`` (full Content-Length, ``fraction`` of the body),
    ``truncate_nolength`` (no Content-Length, connection closed mid-body), ``bad_gzip`` (a cut gzip stream
    with a matching Content-Length), ``drip`` (the real answer, one byte every ``delay`` seconds),
    ``redirect`` (302 to ``location``), ``gzip_bomb`` (a small gzip body that inflates to ``size`` zero
    bytes), ``body`` (200 with ``body`` instead of the real answer: junk where an index should be).
    """

    kind: str
    path: str | None = None
    times: int | None = 1
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    fraction: float = 0.5
    location: str | None = None
    size: int = 0
    body: str | None = None
    used: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {FAULT_KINDS}")


@dataclass
class RequestRecord:
    t: float  # time.monotonic() at arrival: the kernel's timestamp on Linux (comparable across processes)
    wall: float
    method: str
    path: str
    query: str
    headers: dict[str, str]
    status: int = 0
    fault: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most requests in any closed window of ``window`` seconds (windows start at a request)."""
    ts = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(ts):
        if j < i:
            j = i
        while j + 1 < len(ts) and ts[j + 1] - t <= window:
            j += 1
        best = max(best, j - i + 1)
    return best


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    edgar: LocalEdgar


# Linux's SO_TIMESTAMPNS (asm-generic value, also x86-64 and arm64): the kernel stamps each packet with
# the time it reached the socket, which is where the SEC counts a request, however late this server's
# handler thread gets to it on a busy CPU.
SO_TIMESTAMPNS = 35 if sys.platform.startswith("linux") else None


def _kernel_arrival(sock: socket.socket) -> float | None:
    """When the next request's first bytes reached ``sock``, on the ``time.monotonic()`` scale (None if
    the kernel gives no timestamp, or the peer closed). Peeks: the bytes stay for the request parser."""
    if SO_TIMESTAMPNS is None:
        return None
    try:
        data, ancillary, _flags, _addr = sock.recvmsg(1, socket.CMSG_SPACE(16), socket.MSG_PEEK)
    except OSError:
        return None
    if not data:
        return None
    for level, kind, value in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(value) >= 16:
            sec, nsec = struct.unpack("qq", value[:16])
            return sec + nsec / 1e9 - (time.time() - time.monotonic())
    return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    arrived: float | None = None

    def setup(self) -> None:
        super().setup()
        if SO_TIMESTAMPNS is not None:
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)

    def handle_one_request(self) -> None:
        # requests never pipelines, so nothing of the next request is buffered yet: peek at the socket
        self.arrived = _kernel_arrival(self.connection)
        super().handle_one_request()

    def do_GET(self) -> None:
        self.server.edgar._handle(self, "GET")

    def do_POST(self) -> None:
        self.server.edgar._handle(self, "POST")

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalEdgar:
    """``with LocalEdgar(fixtures) as edgar:`` serves at ``edgar.url``; ``edgar.urls`` gives the three
    base URLs for ClientSettings.

    ``enforce_rate=N`` behaves like the SEC: more than N requests in one second starts a block of
    ``block_seconds`` during which every request gets the rate-threshold page. ``require_agent`` answers
    an undeclared agent with the SEC's 403 page. ``gzip_responses`` compresses when the client accepts it.
    """

    def __init__(self, fixtures: EdgarFixtures | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 gzip_responses: bool = False, enforce_rate: int | None = None, block_seconds: float = 600.0,
                 require_agent: bool = False, log_path: str | None = None) -> None:
        self.fixtures = fixtures or EdgarFixtures()
        self.gzip_responses = gzip_responses
        self.enforce_rate = enforce_rate
        self.block_seconds = block_seconds
        self.require_agent = require_agent
        self.records: list[RequestRecord] = []
        self.faults: list[Fault] = []
        self.violations = 0  # times enforce_rate was exceeded
        self._blocked_until = 0.0
        self._lock = threading.Lock()
        self._log_file = open(log_path, "a", encoding="utf-8") if log_path else None  # noqa: SIM115
        self._httpd = _Server((host, port), _Handler)
        self._httpd.edgar = self
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def urls(self) -> dict[str, str]:
        return {"www_url": self.url, "data_url": self.url, "efts_url": self.url}

    def start(self) -> LocalEdgar:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="local-edgar", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        if self._log_file:
            self._log_file.close()

    def __enter__(self) -> LocalEdgar:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls -----------------------------------------------------------------------------
    def inject(self, kind: str, path: str | None = None, times: int | None = 1, **params: Any) -> Fault:
        fault = Fault(kind, path, times, **params)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def block(self, seconds: float) -> None:
        """Answer every request with the rate-threshold page for ``seconds``, as a real block does."""
        with self._lock:
            self._blocked_until = time.monotonic() + seconds

    def reset_log(self) -> None:
        with self._lock:
            self.records.clear()

    def requests(self, path_prefix: str = "") -> list[RequestRecord]:
        with self._lock:
            return [r for r in self.records if r.path.startswith(path_prefix)]

    def max_per_window(self, window: float = 1.0, path_prefix: str = "") -> int:
        return max_in_window([r.t for r in self.requests(path_prefix)], window)

    # -- serving -----------------------------------------------------------------------------------
    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.times is not None and f.used >= f.times:
                    continue
                if f.path is None or re.search(f.path, path):
                    f.used += 1
                    return f
        return None

    def _handle(self, h: _Handler, method: str) -> None:
        now = time.monotonic()
        handled_at, now = now, min(now, h.arrived) if h.arrived is not None else now
        parts = urlsplit(h.path)
        if parts.path.startswith("/_local/"):
            self._admin(h, method, parts.path)
            return
        rec = RequestRecord(now, time.time(), method, parts.path, parts.query,
                            {k: v for k, v in h.headers.items()}, extra={"handled_at": handled_at})
        with self._lock:
            self.records.append(rec)
            blocked = now < self._blocked_until
            if not blocked and self.enforce_rate is not None:
                # handler threads may record arrivals out of order: look at every window around this one
                near = [r.t for r in self.records[-4 * (self.enforce_rate + 1):] if abs(now - r.t) <= 1.0]
                if max_in_window(near) > self.enforce_rate:
                    self.violations += 1
                    self._blocked_until = now + self.block_seconds
                    blocked = True
        try:
            self._respond(h, rec, parts, blocked)
        finally:
            if self._log_file:
                with self._lock:
                    self._log_file.write(json.dumps(asdict(rec)) + "\n")
                    self._log_file.flush()

    def _respond(self, h: _Handler, rec: RequestRecord, parts: Any, blocked: bool) -> None:
        agent = h.headers.get("User-Agent", "")
        if blocked:
            return self._send(h, rec, 403, "text/html", RATE_THRESHOLD_HTML)
        if self.require_agent and ("@" not in agent or "python-requests" in agent.lower()):
            return self._send(h, rec, 403, "text/html", UNDECLARED_HTML)
        fault = self._take_fault(parts.path)
        if fault is not None:
            rec.fault = fault.kind
            if fault.kind == "slow":
                time.sleep(fault.delay)
            elif fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return self._send(h, rec, fault.status, "text/plain", f"HTTP {fault.status}\n".encode(), headers)
            elif fault.kind == "rate_threshold":
                return self._send(h, rec, 403, "text/html", RATE_THRESHOLD_HTML)
            elif fault.kind == "access_denied":
                return self._send(h, rec, 403, "application/xml", ACCESS_DENIED_XML)
            elif fault.kind == "not_found":
                return self._send(h, rec, 404, "application/xml", NO_SUCH_KEY_XML)
            elif fault.kind == "redirect":
                return self._send(h, rec, 302, "text/html", b"<html>Moved</html>", {"Location": fault.location or "/"})
            elif fault.kind == "gzip_bomb":
                return self._send_bomb(h, rec, fault.size)
            elif fault.kind == "body":
                return self._send(h, rec, 200, "text/plain", (fault.body or "").encode("latin-1"))
            elif fault.kind == "reset":
                rec.status = -1
                h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                h.close_connection = True
                h.connection.close()
                return None
        status, ctype, body = self._route(parts)
        if fault is not None and fault.kind in ("truncate", "truncate_nolength", "bad_gzip") and status == 200:
            return self._send_broken(h, rec, fault, ctype, body)
        if fault is not None and fault.kind == "drip":
            return self._send_drip(h, rec, status, ctype, body, fault.delay)
        return self._send(h, rec, status, ctype, body)

    def _route(self, parts: Any) -> tuple[int, str, bytes]:
        path, fx = parts.path, self.fixtures
        m = re.fullmatch(r"/Archives/edgar/data/(\d+)/(\d{18})/(\d{10}-\d{2}-\d{6})\.txt", path)
        if m and m.group(2) == m.group(3).replace("-", ""):
            body = fx.filing_bytes(int(m.group(1)), m.group(3))
            if body is not None:
                return 200, "text/plain", body
        m = re.fullmatch(r"/submissions/CIK(\d{10})\.json", path)
        if m:
            sub = fx.submissions(int(m.group(1)))
            if sub is None:
                return 404, "application/xml", NO_SUCH_KEY_XML
            return 200, "application/json", json.dumps(sub[0]).encode()
        m = re.fullmatch(r"/submissions/(CIK(\d{10})-submissions-\d{3}\.json)", path)
        if m:
            sub = fx.submissions(int(m.group(2)))
            if sub is not None and m.group(1) in sub[1]:
                return 200, "application/json", json.dumps(sub[1][m.group(1)]).encode()
            return 404, "application/xml", NO_SUCH_KEY_XML
        m = re.fullmatch(r"/Archives/edgar/daily-index/(\d{4})/QTR([1-4])/(master\.\d{6,8}\.idx)", path)
        if m:
            text = fx.daily_index_named(int(m.group(1)), int(m.group(2)), m.group(3))
            if text is not None:
                return 200, "text/plain", text.encode("latin-1")
        m = re.fullmatch(r"/Archives/edgar/daily-index/(\d{4})/QTR([1-4])/index\.json", path)
        if m:
            listing = fx.daily_listing(int(m.group(1)), int(m.group(2)))
            if listing is not None:
                return 200, "application/json", json.dumps(listing).encode()
        m = re.fullmatch(r"/Archives/edgar/full-index/(\d{4})/QTR([1-4])/master\.(idx|gz)", path)
        if m:
            text = fx.quarterly_index(int(m.group(1)), int(m.group(2)))
            if text is not None:
                if m.group(3) == "gz":  # the same bytes gzipped, served as a file (no Content-Encoding)
                    return 200, "application/x-gzip", gzip.compress(text.encode("latin-1"), mtime=0)
                return 200, "text/plain", text.encode("latin-1")
        if path == "/LATEST/search-index":
            return 200, "application/json", json.dumps(fx.search(parse_qs(parts.query))).encode()
        if path == "/files/company_tickers.json":
            return 200, "application/json", json.dumps(fx.company_tickers()).encode()
        if path == "/files/company_tickers_exchange.json":
            return 200, "application/json", json.dumps(fx.company_tickers_exchange()).encode()
        if path == "/Archives/edgar/cik-lookup-data.txt":
            return 200, "text/plain", fx.cik_lookup_data().encode("latin-1")
        return 403, "application/xml", ACCESS_DENIED_XML  # S3's answer for any missing key

    def _send(self, h: _Handler, rec: RequestRecord, status: int, ctype: str, body: bytes,
              headers: dict[str, str] | None = None) -> None:
        rec.status = status
        encoding = None
        if self.gzip_responses and "gzip" in h.headers.get("Accept-Encoding", "") and len(body) > 64:
            body, encoding = gzip.compress(body, mtime=0), "gzip"
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        if encoding:
            h.send_header("Content-Encoding", encoding)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def _send_broken(self, h: _Handler, rec: RequestRecord, fault: Fault, ctype: str, body: bytes) -> None:
        rec.status = 200
        cut = max(1, int(len(body) * fault.fraction))
        h.close_connection = True
        h.send_response(200)
        h.send_header("Content-Type", ctype)
        if fault.kind == "bad_gzip":
            z = gzip.compress(body, mtime=0)
            z = z[: max(10, int(len(z) * fault.fraction))]
            h.send_header("Content-Encoding", "gzip")
            h.send_header("Content-Length", str(len(z)))
            h.end_headers()
            h.wfile.write(z)
            return
        if fault.kind == "truncate":
            h.send_header("Content-Length", str(len(body)))
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(body[:cut])
        h.wfile.flush()

    def _send_drip(self, h: _Handler, rec: RequestRecord, status: int, ctype: str, body: bytes, delay: float) -> None:
        """The whole answer, announced with its Content-Length, then sent a byte at a time; stops when
        the client hangs up."""
        rec.status = status
        h.close_connection = True
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.flush()
        try:
            for i in range(len(body)):
                h.wfile.write(body[i : i + 1])
                h.wfile.flush()
                time.sleep(delay)
        except OSError:
            pass

    def _send_bomb(self, h: _Handler, rec: RequestRecord, size: int) -> None:
        """gzip of ``size`` zero bytes, built a megabyte at a time (a 2 GiB bomb is ~2 MB on the wire)."""
        z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = bytes(1 << 20)
        parts = [z.compress(block) for _ in range(size >> 20)]
        parts.append(z.compress(bytes(size & ((1 << 20) - 1))))
        parts.append(z.flush())
        payload = b"".join(parts)
        rec.status = 200
        h.send_response(200)
        h.send_header("Content-Type", "text/plain")
        h.send_header("Content-Encoding", "gzip")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        with contextlib.suppress(OSError):  # the client hangs up once it has seen enough
            h.wfile.write(payload)

    def _admin(self, h: _Handler, method: str, path: str) -> None:
        """Controls for a server running in another process (the CLI end-to-end tests)."""
        length = int(h.headers.get("Content-Length") or 0)
        payload = json.loads(h.rfile.read(length) or b"{}") if length else {}
        out: Any = {"ok": True}
        if path == "/_local/requests":
            out = [asdict(r) for r in self.requests()]
        elif path == "/_local/stats":
            out = {"requests": len(self.requests()), "max_per_second": self.max_per_window(),
                   "violations": self.violations}
        elif path == "/_local/faults" and method == "POST":
            self.inject(**payload)
        elif path == "/_local/clear" and method == "POST":
            self.clear_faults()
            self.reset_log()
        elif path == "/_local/block" and method == "POST":
            self.block(float(payload.get("seconds", self.block_seconds)))
        else:
            h.send_error(404)
            return
        body = json.dumps(out).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)
