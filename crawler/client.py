"""The one way edgar13d talks to EDGAR: declared agent, shared rate limit, retries, block pauses.

Every attempt (first tries, retries, redirects) goes through the shared :class:`RateLimiter`, so the
SEC's 10-per-second bound holds whatever the retry logic does, and whatever else runs: by default the
limiter's window is shared by every edgar13d process of the user on this machine, and with
``rate_limit_url`` by every machine that names the same Redis server. Bodies are read raw and decoded here, so
a short or broken body is detected (and retried) instead of being handed on as a filing.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import socket
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from crawler.inflate import inflate_bounded, inflate_deflate
from crawler.ratelimit import RateLimiter, Slot, allowance_of, shared_limiter

log = logging.getLogger("edgar13d.crawler")

SEC_MAX_PER_SECOND = 10.0
AGENT_HELP = (
    "the SEC wants your own name and an email it can reach you at. If git knows who you are, type exactly\n"
    '  export EDGAR13D_USER_AGENT="$(git config user.name) $(git config user.email)"\n'
    'or type them yourself (export EDGAR13D_USER_AGENT="Ada Lovelace ada@your-firm.com"), or set '
    "edgar.user_agent in config.yaml; then run the same command again"
)
_PLACEHOLDER_AGENTS = ("python-requests", "mozilla", "example.com", "example.org", "your name", "your email",
                       "your.email", "<", ">", "company name")
LOCAL_DEFAULT_AGENT = "edgar13d local-test edgar13d@localhost"


class CrawlerError(Exception):
    """Base of everything the crawler raises on purpose."""


class UserAgentError(CrawlerError, ValueError):
    """The User-Agent is missing or a placeholder and the host is the real SEC."""


class NotFound(CrawlerError):
    """EDGAR has no such file (404, or 403 with S3's AccessDenied body). Never retried."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"not found on EDGAR (HTTP {status}): {url}")
        self.url = url
        self.status = status


class Blocked(CrawlerError):
    """The SEC kept refusing us after the cool-downs: stop and come back later."""


class FetchError(CrawlerError):
    """A request that failed for good after its retries; ``reason`` is a short stable code."""

    def __init__(self, url: str, reason: str, detail: str, attempts: int) -> None:
        super().__init__(f"{reason} after {attempts} attempt(s) for {url}: {detail}")
        self.url = url
        self.reason = reason
        self.detail = detail
        self.attempts = attempts


class Unreachable(FetchError):
    """EDGAR's host does not resolve or refuses the connection: no network, DNS down, a wrong URL.

    Unlike a timeout or a reset, waiting seconds does not fix it, so it is retried once at most and
    not retried by the flows: the run stops at once with the advice instead of minutes of backoff.
    """


class _Truncated(Exception):
    """A body that did not arrive whole (short read, Content-Length mismatch, broken compression, or a
    body still arriving when the request's time ran out)."""


class _TooLarge(Exception):
    """A body over ``max_body_bytes``, on the wire or once decompressed. Never retried."""


def is_sec_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.endswith("sec.gov")


def check_user_agent(agent: str) -> str | None:
    """Why this agent would be refused by the SEC, or None when it looks declared."""
    a = (agent or "").strip()
    if not a:
        return "the User-Agent is empty"
    if "@" not in a:
        return f"the User-Agent {a!r} has no contact email"
    low = a.lower()
    for bad in _PLACEHOLDER_AGENTS:
        if bad in low:
            return f"the User-Agent {a!r} looks like a placeholder or a generic tool ({bad!r}), not who you are"
    return None


@dataclass(frozen=True)
class ClientSettings:
    """Everything the client needs, as plain values (flows fill it from config.yaml ``edgar.*``)."""

    user_agent: str = ""
    www_url: str = "https://www.sec.gov"
    data_url: str = "https://data.sec.gov"
    efts_url: str = "https://efts.sec.gov"
    max_requests_per_second: float = SEC_MAX_PER_SECOND
    block_cooldown_seconds: float = 600.0
    timeout_seconds: float = 30.0
    max_retries: int = 5
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    # Quick retries (one second apart) of a host that does not resolve or refuses connections.
    unreachable_retries: int = 1
    # Consecutive block pauses one request sits through before giving up with Blocked.
    max_block_pauses: int = 2
    # 429 answers within storm_window_seconds (process-wide) that count as a storm, i.e. a block.
    storm_count: int = 5
    storm_window_seconds: float = 30.0
    pool_size: int = 16
    # Where the window lives: "" for every edgar13d process of this user on this machine, redis://... for
    # every machine naming that server, "memory" for this process alone (see crawler.ratelimit.open_store).
    rate_limit_url: str = ""
    # The most a body may be, on the wire and once decompressed. EDGAR's largest 13D submissions are
    # tens of megabytes; a bomb that inflates to gigabytes is refused instead of taking the memory.
    max_body_bytes: int = 256 * 1024 * 1024

    def urls(self) -> tuple[str, str, str]:
        return (self.www_url, self.data_url, self.efts_url)


@dataclass
class ClientStats:
    """Counters a crawl report and the benchmark read (thread-safe through ``add``)."""

    requests: int = 0
    retries: int = 0
    not_found: int = 0
    blocks: int = 0
    truncated: int = 0
    bytes: int = 0
    by_host: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + n)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"requests": self.requests, "retries": self.retries, "not_found": self.not_found,
                    "blocks": self.blocks, "truncated": self.truncated, "bytes": self.bytes,
                    "by_host": dict(self.by_host)}


class EdgarClient:
    """A pooled ``requests`` session bound to the shared limiter. Safe to share between threads."""

    def __init__(self, settings: ClientSettings, limiter: RateLimiter | None = None,
                 rng: random.Random | None = None) -> None:
        self.settings = settings
        self._real = any(is_sec_host(u) for u in settings.urls())
        rate = settings.max_requests_per_second
        if self._real:
            problem = check_user_agent(settings.user_agent)
            if problem:
                raise UserAgentError(f"refusing to contact the SEC: {problem}; {AGENT_HELP}")
            if rate > SEC_MAX_PER_SECOND:
                log.warning("max_requests_per_second=%s is above the SEC's %s/s: using %s/s",
                            rate, SEC_MAX_PER_SECOND, SEC_MAX_PER_SECOND)
                rate = SEC_MAX_PER_SECOND
        if limiter is None:
            limiter = shared_limiter(rate, settings.rate_limit_url, allowance_of(settings.urls()))
        else:
            limiter.configure(rate)
        limiter.storm_count = settings.storm_count
        limiter.storm_window_seconds = settings.storm_window_seconds
        self.limiter = limiter
        self.stats = ClientStats()
        self._lock = threading.Lock()
        self._fastest = math.inf  # quickest request-to-headers time seen: the latency of a prompt request
        self._rng = rng or random.Random()
        self.agent = settings.user_agent.strip() or LOCAL_DEFAULT_AGENT
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=settings.pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": self.agent, "Accept-Encoding": "gzip, deflate"})

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ------------------------------------------------------------------------------------
    def get_bytes(self, url: str, params: dict[str, Any] | None = None) -> bytes:
        """The decoded body of a 200 answer. Raises NotFound, Blocked or FetchError."""
        return self._request(url, params)

    def get_json(self, url: str, params: dict[str, Any] | None = None) -> Any:
        body = self._request(url, params)
        try:
            return json.loads(body)
        except ValueError as exc:
            raise FetchError(url, "bad_json", f"the answer is not JSON ({exc}); first bytes: {body[:80]!r}", 1) from exc

    # -- internals ---------------------------------------------------------------------------------
    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so threads spread out."""
        cap = min(self.settings.backoff_max_seconds, self.settings.backoff_base_seconds * 2 ** (attempt - 1))
        return cap / 2 + self._rng.uniform(0, cap / 2)

    def _is_configured_host(self, url: str) -> bool:
        want = urlsplit(url)
        return any((want.scheme, want.netloc) == (urlsplit(u).scheme, urlsplit(u).netloc) for u in self.settings.urls())

    def _check_host(self, url: str) -> None:
        if is_sec_host(url) and check_user_agent(self.settings.user_agent):
            raise UserAgentError(f"refusing to contact {url}: {check_user_agent(self.settings.user_agent)}; {AGENT_HELP}")

    def _block(self, url: str, why: str, blocks: int) -> None:
        self.stats.add("blocks")
        cooldown = self.settings.block_cooldown_seconds
        if blocks > self.settings.max_block_pauses:
            raise Blocked(
                f"EDGAR still refuses requests after {blocks - 1} cool-down(s) of {cooldown:.0f} s ({why}, {url}). "
                "Another process may be crawling with this agent or address: stop it, lower "
                "edgar.max_requests_per_second, and retry in 10 minutes or more (retrying during a block extends it)."
            )
        if self.limiter.pause(cooldown):
            log.warning("EDGAR block (%s) on %s: pausing ALL requests for %.0f s (edgar.block_cooldown_seconds)",
                        why, url, cooldown)
        # No sleep here: the next acquire() waits out the pause like every other thread's.

    def _request(self, url: str, params: dict[str, Any] | None) -> bytes:
        s = self.settings
        attempt = 0  # failed attempts that count against max_retries
        unreachable = 0
        blocks = 0
        redirects = 0
        last = ""
        while True:
            self._check_host(url)
            slot = self.limiter.acquire(hold=s.timeout_seconds)
            self.stats.add("requests")
            with self.stats._lock:
                self.stats.by_host[urlsplit(url).netloc] += 1
            delay: float | None = None
            try:
                status, headers, body = self._send(url, params, slot)
            except _TooLarge as exc:
                raise FetchError(url, "too_large", str(exc), attempt + 1) from None
            except _Truncated as exc:
                self.stats.add("truncated")
                last, reason = str(exc), "truncated"
            except (requests.ConnectionError, requests.Timeout, urllib3.exceptions.HTTPError) as exc:
                last, reason = f"{type(exc).__name__}: {exc}", "connection"
                kind = unreachable_kind(exc)
                if kind:
                    unreachable += 1
                    if unreachable > s.unreachable_retries:
                        raise Unreachable(url, kind, _UNREACHABLE_HELP[kind].format(
                            host=urlsplit(url).netloc), unreachable) from exc
                    self.stats.add("retries")
                    time.sleep(min(1.0, s.backoff_base_seconds))
                    continue
            else:
                if status == 200:
                    self.stats.add("bytes", len(body))
                    return body
                if status in (301, 302, 303, 307, 308) and headers.get("Location") and redirects < 5:
                    redirects += 1
                    target = urljoin(url, headers["Location"])
                    if not self._is_configured_host(target):
                        # Our User-Agent (a name and an email) goes only to the hosts we were told to use.
                        raise FetchError(url, "redirect_off_host", f"HTTP {status} to {target}, which is not one "
                                         f"of the configured EDGAR hosts {', '.join(s.urls())}", attempt + 1)
                    url, params = target, None
                    continue
                if status in (404, 410):
                    self.stats.add("not_found")
                    raise NotFound(url, status)
                if status == 403:
                    kind = classify_403(body)
                    if kind == "not_found":
                        self.stats.add("not_found")
                        raise NotFound(url, status)
                    if kind == "rate_threshold":
                        blocks += 1
                        self._block(url, "403 Request Rate Threshold Exceeded", blocks)
                        continue
                    raise FetchError(url, "forbidden", "HTTP 403 that is neither a block nor a missing file"
                                     f" ({kind}); if it mentions an undeclared tool, {AGENT_HELP}", attempt + 1)
                if status == 429:
                    if self.limiter.note_throttled():
                        blocks += 1
                        self._block(url, "429 storm", blocks)
                        continue
                    last, reason = "HTTP 429 Too Many Requests", "throttled"
                    delay = retry_after_seconds(headers.get("Retry-After"))
                elif status >= 500:
                    last, reason = f"HTTP {status}", "server_error"
                    delay = retry_after_seconds(headers.get("Retry-After"))
                else:
                    raise FetchError(url, f"http_{status}", f"unexpected HTTP {status}: {body[:200]!r}", attempt + 1)
            attempt += 1
            if attempt > s.max_retries:
                raise FetchError(url, reason, last + "; EDGAR may be down or the network broken, try again later",
                                 attempt)
            self.stats.add("retries")
            wait = self._backoff(attempt) if delay is None else min(delay, s.block_cooldown_seconds)
            log.info("retry %d/%d of %s in %.2f s (%s)", attempt, s.max_retries, url, wait, last)
            time.sleep(wait)

    def _settle(self, slot: Slot) -> None:
        """Move the request's limiter entry by how much longer than the fastest exchange so far it took
        to answer. A request that left late (a new connection, a busy CPU) reached the server late by
        about that much, and the requests after it must count from there; at steady latency nothing
        moves and the rate stays at the limit. The first request of a client has nothing to compare
        with (and is the one most likely to leave late: a new connection in a process that just
        started), so it counts from when its answer began, the latest it can have arrived."""
        took = self.limiter.now() - slot.granted
        with self._lock:
            first = math.isinf(self._fastest)
            self._fastest = min(self._fastest, took)
            late = took if first else took - self._fastest
        # Always settle: until then the entry holds its place as if arriving at the timeout.
        self.limiter.settle(slot, slot.granted + max(late, 0.0))

    def _send(self, url: str, params: dict[str, Any] | None, slot: Slot) -> tuple[int, Any, bytes]:
        """One HTTP exchange; the body read raw, checked against Content-Length, then decompressed."""
        deadline = time.monotonic() + self.settings.timeout_seconds
        try:
            resp = self.session.get(url, params=params, timeout=self.settings.timeout_seconds,
                                    stream=True, allow_redirects=False)
        finally:
            self._settle(slot)
        if resp.is_redirect:
            # requests has already read (and dropped) a redirect's body; only its Location matters.
            resp.close()
            return resp.status_code, resp.headers, b""
        limit = self.settings.max_body_bytes
        length = resp.headers.get("Content-Length")
        try:
            if length is not None and length.isdigit() and int(length) > limit:
                raise _TooLarge(f"Content-Length {int(length):,} is over the {limit:,}-byte limit (edgar max_body_bytes)")
            raw = self._read_body(resp, deadline, limit)
        finally:
            resp.close()
        if length is not None and length.isdigit() and int(length) != len(raw):
            raise _Truncated(f"Content-Length {length} but {len(raw)} bytes arrived")
        encoding = resp.headers.get("Content-Encoding", "").strip().lower()
        try:
            if encoding in ("gzip", "x-gzip"):
                raw = inflate_bounded(raw, limit)
            elif encoding == "deflate":
                raw = inflate_deflate(raw, limit)
        except ValueError as exc:
            raise _TooLarge(str(exc)) from None
        except (EOFError, OSError, zlib.error) as exc:
            raise _Truncated(f"broken {encoding} body: {exc}") from exc
        return resp.status_code, resp.headers, raw

    def _read_body(self, resp: requests.Response, deadline: float, limit: int) -> bytes:
        """The raw body, read as it arrives, by the request's deadline and up to ``limit`` bytes.

        ``requests``' timeout bounds each wait on the socket, so a server that sends one byte a second
        never trips it: the deadline (``timeout_seconds`` after the request left) bounds the whole
        exchange instead, give or take one last wait on the socket.
        """
        parts: list[bytes] = []
        got = 0
        try:
            while True:
                chunk = resp.raw.read1(1 << 16, decode_content=False)
                if not chunk:
                    return b"".join(parts)
                parts.append(chunk)
                got += len(chunk)
                if got > limit:
                    raise _TooLarge(f"the body passed the {limit:,}-byte limit (edgar max_body_bytes)")
                if time.monotonic() > deadline:
                    raise _Truncated(f"the body was still arriving after {self.settings.timeout_seconds:.0f} s "
                                     f"({got:,} bytes so far): too slow, given up")
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.IncompleteRead) as exc:
            raise _Truncated(f"body cut short: {exc}") from exc


_UNREACHABLE_HELP = {
    "dns": "the name {host} does not resolve: no network, or DNS is down (or the URL in config.yaml is wrong)",
    "refused": "{host} refused the connection: nothing listens there (check the URL in config.yaml, or a proxy)",
    "proxy": "the proxy in front of {host} cannot be reached (check HTTPS_PROXY / HTTP_PROXY)",
}


def unreachable_kind(exc: BaseException) -> str | None:
    """'dns', 'refused' or 'proxy' when ``exc`` (a requests/urllib3 error) means the host (or the proxy
    in front of it) cannot be reached at all.

    requests wraps urllib3's MaxRetryError, whose ``reason`` is the NewConnectionError that was raised
    from the socket's own error; the chain is walked rather than matched on message text.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    kind, via_proxy = None, False
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        via_proxy = via_proxy or isinstance(e, urllib3.exceptions.ProxyError | requests.exceptions.ProxyError)
        if isinstance(e, urllib3.exceptions.NameResolutionError | socket.gaierror):
            kind = kind or "dns"
        elif isinstance(e, ConnectionRefusedError):
            kind = kind or "refused"
        todo += [getattr(e, "reason", None), e.__cause__, e.__context__,
                 *(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))]
    return "proxy" if kind and via_proxy else kind


def unreachable_reason(url: str, timeout: float = 5.0) -> str | None:
    """Why ``url``'s host cannot be reached at all (name does not resolve, connection refused), or None.

    A look-up and a TCP connect, no HTTP request (nothing the SEC counts), so a run with no network
    ends before Prefect spends seconds starting. Behind a proxy the proxy resolves names, so nothing is
    checked; a timeout is not judged here either (the client's retries handle a slow network).
    """
    parts = urlsplit(url)
    host = parts.hostname
    if not host or requests.utils.get_environ_proxies(url):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except socket.gaierror:
        return _UNREACHABLE_HELP["dns"].format(host=host)
    except ConnectionRefusedError:
        return _UNREACHABLE_HELP["refused"].format(host=f"{host}:{port}")
    except OSError:
        return None


def classify_403(body: bytes) -> str:
    """Tell the SEC's block page from S3's missing-file answer (EDGAR uses 403 for both)."""
    head = body[:20000]
    if b"Request Rate Threshold Exceeded" in head or b"Rate Threshold" in head:
        return "rate_threshold"
    if b"<Code>AccessDenied</Code>" in head or b"<Code>NoSuchKey</Code>" in head:
        return "not_found"
    if b"Undeclared Automated Tool" in head:
        return "undeclared_agent"
    return "other"


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds: either a number or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
