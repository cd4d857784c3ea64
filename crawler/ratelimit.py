"""One allowance per user: the rate limiter every EDGAR request goes through, and the shared block pause.

The SEC counts requests **per user, across every process and machine**. So the limiter is two layers:

- :class:`RateLimiter` is what the client calls (``acquire``, ``settle``, ``pause``, ``note_throttled``).
  It waits; it does not know where the window lives.
- A :class:`WindowStore` holds the window, the pause and the 429 log, and decides atomically:

  ========================  =================================================================================
  :class:`MemoryWindow`     one process (tests, benchmarks, a private limiter)
  :class:`MachineWindow`    every edgar13d process of this user on this machine: a small state file under
                            an ``flock`` in a per-user folder (not the data folder, so runs on different
                            data folders share it). The kernel drops the lock of a killed process.
  :class:`RedisWindow`      every process on every machine that names the same Redis/Valkey server
                            (``edgar.rate_limit_url: redis://...``): one Lua script per decision, timed by
                            the Redis server's clock, so machines with skewed clocks still agree.
  ========================  =================================================================================

Why a hand-written sliding-window log rather than pyrate-limiter (installed, measured fine in STACK.md):
the bound we owe the SEC is "at most N requests in ANY one-second window", and a log of the last N
arrival times proves it directly: a request may start only once fewer than N others are recorded in the
last window, so N+1 can never fit in one. The block pause must live beside the window so that no process
slips a request in between; pyrate-limiter has neither the pause nor the arrival-time correction below.

**Arrival times.** The SEC measures arrivals, we control starts. A request allowed at *t* may leave later
(a new connection, a busy CPU), so it is first recorded as arriving up to ``hold`` seconds later (it
keeps its place in the window while it is on its way, whatever happens to its process), and once its
answer begins the client ``settle``\\ s it at the moment it can have arrived at the latest. A margin
widens each window for the jitter no one sees (~3% of throughput: 10/s becomes ~9.7/s sustained).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import math
import os
import pwd
import re
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger("edgar13d.crawler")

DEFAULT_MARGIN_SECONDS = 0.03
# How often a waiting thread looks again when the entry it waits on may be settled early.
POLL_SECONDS = 0.05
# No request is on its way longer than this (the client's timeout caps it): a hold above it is cut.
MAX_HOLD_SECONDS = 300.0
STATE_DIR_ENV = "EDGAR13D_STATE_DIR"


class LimiterUnavailable(Exception):
    """The shared window cannot be reached (Redis down, state folder unwritable): requests must not go out
    unlimited, so the run stops and says what to fix."""


@dataclass
class Slot:
    """One allowed request: its id in the store, when it was allowed by this process's clock (``granted``)
    and by the store's clock (``at``; the same clock except for Redis)."""

    id: str
    granted: float
    at: float


@dataclass(frozen=True)
class Decision:
    """What a store answers to ``try_acquire``: a slot, or how long to wait (and whether for a pause)."""

    slot: Slot | None
    wait: float = 0.0
    paused: bool = False


class WindowStore(Protocol):
    """Where the window lives. Each method is one atomic decision over every process sharing the store."""

    def try_acquire(self, limit: int, span: float, hold: float) -> Decision:
        """Allow one more request if fewer than ``limit`` are recorded in the last ``span`` seconds and no
        pause runs; record it as arriving ``hold`` seconds from now until it is settled."""
        ...

    def settle(self, slot: Slot, at: float) -> None:
        """Record ``slot``'s request as arrived at ``at`` (the store's clock)."""
        ...

    def pause(self, seconds: float) -> bool:
        """Stop every acquisition for ``seconds``; False (and no change) if a pause is already running."""
        ...

    def paused_for(self) -> float: ...

    def note_throttled(self, count: int, window: float) -> bool:
        """Record one 429; True when ``count`` of them fell within the last ``window`` seconds."""
        ...

    def close(self) -> None: ...


# --- the window as plain data, shared by the memory and machine stores ---------------------------------


@dataclass
class WindowState:
    arrivals: dict[str, float]
    paused_until: float = 0.0
    pause_seconds: float = 0.0
    throttled: list[float] | None = None
    repaired: bool = False  # read from unreadable state: must be written back even if nothing else changes

    def decide(self, now: float, limit: int, span: float, hold: float, slot_id: str) -> Decision:
        if now < self.paused_until:
            return Decision(None, self.paused_until - now, paused=True)
        for key in [k for k, t in self.arrivals.items() if t <= now - span]:
            del self.arrivals[key]
        if len(self.arrivals) < limit:
            self.arrivals[slot_id] = now + min(max(hold, 0.0), MAX_HOLD_SECONDS)
            return Decision(Slot(slot_id, now, now))
        return Decision(None, max(min(self.arrivals.values()) + span - now, 0.0005))

    def pause(self, now: float, seconds: float) -> bool:
        if now < self.paused_until:
            return False
        self.paused_until, self.pause_seconds, self.throttled = now + seconds, seconds, []
        return True

    def note_throttled(self, now: float, count: int, window: float) -> bool:
        kept = [t for t in (self.throttled or []) if t >= now - window]
        kept.append(now)
        self.throttled = kept[-max(count, 1) * 4:]
        return len(kept) >= count

    def to_json(self) -> bytes:
        return json.dumps({"v": 1, "arrivals": self.arrivals, "paused_until": self.paused_until,
                           "pause_seconds": self.pause_seconds, "throttled": self.throttled or []}).encode()

    @classmethod
    def from_json(cls, raw: bytes, now: float) -> WindowState:
        """The state a file holds. Times far in the future come from before a reboot (the monotonic clock
        started again): dropped. Unreadable state (it cannot happen short of disk damage) becomes a
        one-second pause, so no window can be overfilled by whatever arrivals it held."""
        text = raw.decode("utf-8", "replace").strip("\x00 \n")
        if not text:
            return cls({})
        try:
            data, _ = json.JSONDecoder().raw_decode(text)
            arrivals = {str(k): float(v) for k, v in data["arrivals"].items() if float(v) <= now + MAX_HOLD_SECONDS}
            paused_until, pause_seconds = float(data["paused_until"]), float(data["pause_seconds"])
            if paused_until > now + pause_seconds + 1:
                paused_until = 0.0
            throttled = [float(t) for t in data.get("throttled", []) if float(t) <= now + 1]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("the shared rate-limit state was unreadable (%s): pausing one second and starting anew", exc)
            return cls({}, paused_until=now + 1.0 + DEFAULT_MARGIN_SECONDS, pause_seconds=1.0, repaired=True)
        return cls(arrivals, paused_until, pause_seconds, throttled)


class MemoryWindow:
    """The window of one process: every thread of it, nothing beyond."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._state = WindowState({})

    def try_acquire(self, limit: int, span: float, hold: float) -> Decision:
        with self._lock:
            return self._state.decide(self._clock(), limit, span, hold, uuid.uuid4().hex)

    def settle(self, slot: Slot, at: float) -> None:
        with self._lock:
            self._state.arrivals[slot.id] = at

    def pause(self, seconds: float) -> bool:
        with self._lock:
            return self._state.pause(self._clock(), seconds)

    def paused_for(self) -> float:
        with self._lock:
            return max(0.0, self._state.paused_until - self._clock())

    def note_throttled(self, count: int, window: float) -> bool:
        with self._lock:
            return self._state.note_throttled(self._clock(), count, window)

    def close(self) -> None:
        pass


def machine_state_dir() -> Path:
    """The per-user folder every edgar13d process of this user finds, whatever its data folder or
    environment: ``$EDGAR13D_STATE_DIR`` if set, else ``~/.cache/edgar13d`` of the user's home as the
    password database has it (not ``$HOME`` or ``$XDG_CACHE_HOME``, which a cron job, a Prefect worker
    and a shell may each set differently), else a per-user folder under the system temp dir."""
    explicit = os.environ.get(STATE_DIR_ENV)
    candidates = [Path(explicit)] if explicit else []
    with contextlib.suppress(KeyError):  # a uid with no passwd entry (some containers)
        candidates.append(Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "edgar13d")
    candidates.append(Path(tempfile.gettempdir()) / f"edgar13d-{os.getuid()}")
    problems = []
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.access(folder, os.W_OK):
                return folder
            problems.append(f"{folder}: not writable")
        except OSError as exc:
            problems.append(f"{folder}: {exc.strerror}")
        if explicit:
            break
    raise LimiterUnavailable("no folder for the shared rate-limit state (" + "; ".join(problems) + f"); set {STATE_DIR_ENV}")


class MachineWindow:
    """The window of every edgar13d process of this user on this machine.

    A JSON file of the recent arrivals, the pause and the 429 log, read and rewritten under an exclusive
    ``flock`` (fcntl; the stdlib does it in a few lines, and the kernel releases the lock of a process
    killed while holding it). ``time.monotonic()`` is CLOCK_MONOTONIC, one clock for every process of the
    machine. Each decision takes ~20 us; at 10 requests a second that is nothing.
    """

    def __init__(self, allowance: str, folder: Path | None = None) -> None:
        self.path = (folder or machine_state_dir()) / f"window-{_safe_name(allowance)}.json"
        self._lock = threading.Lock()  # flock excludes processes; threads of one process share its fd
        self._fd: int | None = None
        self._pid = 0

    def _open(self) -> int:
        if self._fd is None or self._pid != os.getpid():  # a forked child must not share the parent's lock
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise LimiterUnavailable(f"cannot open the shared rate-limit state {self.path}: {exc.strerror}; "
                                         f"set {STATE_DIR_ENV} to a writable folder") from exc
            self._pid = os.getpid()
        return self._fd

    def _update(self, change: Callable[[WindowState, float], Any]) -> Any:
        with self._lock:
            fd = self._open()
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                now = time.monotonic()
                state = WindowState.from_json(os.pread(fd, 1 << 20, 0), now)
                before = state.to_json()
                result = change(state, now)
                after = state.to_json()
                if after != before or state.repaired:
                    os.pwrite(fd, after, 0)
                    os.ftruncate(fd, len(after))
                return result
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)

    def try_acquire(self, limit: int, span: float, hold: float) -> Decision:
        slot_id = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        return self._update(lambda s, now: s.decide(now, limit, span, hold, slot_id))

    def settle(self, slot: Slot, at: float) -> None:
        self._update(lambda s, now: s.arrivals.__setitem__(slot.id, at))

    def pause(self, seconds: float) -> bool:
        return self._update(lambda s, now: s.pause(now, seconds))

    def paused_for(self) -> float:
        return self._update(lambda s, now: max(0.0, s.paused_until - now))

    def note_throttled(self, count: int, window: float) -> bool:
        return self._update(lambda s, now: s.note_throttled(now, count, window))

    def close(self) -> None:
        with self._lock:
            if self._fd is not None and self._pid == os.getpid():
                os.close(self._fd)
            self._fd = None


# --- Redis / Valkey --------------------------------------------------------------------------------------
# KEYS[1] arrivals (sorted set: id -> arrival time), KEYS[2] pause end (string), KEYS[3] 429 log (sorted set).
# Times are the Redis server's (TIME), so every machine measures the window with one clock.
_NOW = "local t = redis.call('TIME'); local now = tonumber(t[1]) + tonumber(t[2]) / 1000000\n"
_ACQUIRE = _NOW + """
local limit, span, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < paused then return {0, string.format('%.6f', paused - now), 1} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil((span + hold) * 1000) + 1000)
  return {1, string.format('%.6f', now), 0}
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, string.format('%.6f', math.max(tonumber(first[2]) + span - now, 0.0005)), 0}
"""
_SETTLE = """
redis.call('ZADD', KEYS[1], tonumber(ARGV[1]), ARGV[2])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], 60000) end
return 1
"""
_PAUSE = _NOW + """
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < paused then return 0 end
redis.call('SET', KEYS[2], string.format('%.6f', now + tonumber(ARGV[1])), 'PX', math.ceil(tonumber(ARGV[1]) * 1000) + 1000)
redis.call('DEL', KEYS[3])
return 1
"""
_PAUSED_FOR = _NOW + """
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
return string.format('%.6f', math.max(paused - now, 0))
"""
_THROTTLED = _NOW + """
local count, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
redis.call('PEXPIRE', KEYS[3], math.ceil(window * 1000) + 1000)
return redis.call('ZCARD', KEYS[3]) >= count and 1 or 0
"""


class RedisWindow:
    """The window of every process, on every machine, that names this Redis (or Valkey) server.

    Why Redis: it is the well-kept shared store teams already run; one Lua script is one atomic step
    on the server, so "count, then add" cannot interleave between machines, and its ``TIME`` gives every
    machine one clock. redis-py (already installed with Prefect) runs the scripts by their SHA.
    """

    def __init__(self, url: str, allowance: str) -> None:
        import redis
        from redis.backoff import ExponentialBackoff
        from redis.retry import Retry

        self.url = url
        self._redis = redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30,
            retry=Retry(ExponentialBackoff(cap=2.0, base=0.1), 6),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError],
        )
        tag = "{" + allowance + "}"  # one hash slot for the three keys (Redis Cluster)
        self._keys = [f"edgar13d:{tag}:arrivals", f"edgar13d:{tag}:paused_until", f"edgar13d:{tag}:throttled"]
        self._scripts = {name: self._redis.register_script(src) for name, src in
                         (("acquire", _ACQUIRE), ("settle", _SETTLE), ("pause", _PAUSE),
                          ("paused_for", _PAUSED_FOR), ("throttled", _THROTTLED))}

    def _run(self, name: str, *args: Any) -> Any:
        import redis

        try:
            return self._scripts[name](keys=self._keys, args=list(args))
        except redis.RedisError as exc:
            raise LimiterUnavailable(
                f"cannot reach the shared rate limiter at {redact_url(self.url)} ({type(exc).__name__}: {exc}); "
                "start that Redis server, or remove edgar.rate_limit_url to share the allowance on this "
                "machine only") from exc

    def try_acquire(self, limit: int, span: float, hold: float) -> Decision:
        granted = time.monotonic()
        slot_id = f"{os.uname().nodename}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        ok, value, paused = self._run("acquire", limit, span, min(max(hold, 0.0), MAX_HOLD_SECONDS), slot_id)
        if int(ok):
            return Decision(Slot(slot_id, granted, float(value)))
        return Decision(None, float(value), paused=bool(int(paused)))

    def settle(self, slot: Slot, at: float) -> None:
        self._run("settle", f"{at:.6f}", slot.id)

    def pause(self, seconds: float) -> bool:
        return bool(int(self._run("pause", seconds)))

    def paused_for(self) -> float:
        return float(self._run("paused_for"))

    def note_throttled(self, count: int, window: float) -> bool:
        return bool(int(self._run("throttled", count, window, uuid.uuid4().hex)))

    def close(self) -> None:
        self._redis.close()


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text) or "default"


def open_store(url: str, allowance: str) -> WindowStore:
    """The store ``edgar.rate_limit_url`` names: empty (or ``machine``) for every process of this user on
    this machine, ``redis://``/``rediss://``/``unix://`` for a Redis or Valkey server shared by machines,
    ``memory`` for this process only (tests, benchmarks)."""
    url = (url or "").strip()
    scheme = url.split(":", 1)[0].lower() if url else "machine"
    if scheme in ("machine", ""):
        return MachineWindow(allowance)
    if scheme == "memory":
        return MemoryWindow()
    if scheme in ("redis", "rediss", "unix", "valkey", "valkeys"):
        if scheme.startswith("valkey"):  # Valkey speaks the Redis protocol
            url = "redis" + url[len("valkey"):]
        return RedisWindow(url, allowance)
    raise ValueError(f"edgar.rate_limit_url {url!r}: use redis://host:6379/0 (or rediss://, unix://), "
                     "or leave it empty to share the allowance between the processes of this machine")


class RateLimiter:
    """At most ``max_per_second`` arrivals in any one-second window, across everyone sharing ``store``.

    ``pause(seconds)`` stops every acquisition until the pause ends (the SEC block cool-down).
    ``note_throttled()`` counts 429 answers and says when they amount to a storm.
    """

    def __init__(
        self,
        max_per_second: float = 10.0,
        *,
        store: WindowStore | None = None,
        margin_seconds: float = DEFAULT_MARGIN_SECONDS,
        storm_count: int = 5,
        storm_window_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store: WindowStore = store if store is not None else MemoryWindow(clock)
        self._clock = clock
        self._margin = margin_seconds
        self.storm_count = storm_count
        self.storm_window_seconds = storm_window_seconds
        self.configure(max_per_second)

    def configure(self, max_per_second: float) -> None:
        """Change the rate. Above 1/s a fractional rate rounds down (9.5/s keeps 9 per second): any faster
        average would put 10 into some one-second window. Below 1/s: one request per 1/rate seconds."""
        if max_per_second <= 0:
            raise ValueError("max_per_second must be positive")
        self.max_per_second = float(max_per_second)
        if max_per_second >= 1:
            self._n, span = math.floor(max_per_second), 1.0
        else:
            self._n, span = 1, 1.0 / max_per_second
        self._span = span + self._margin

    def acquire(self, hold: float = 0.0) -> Slot:
        """Wait until one more request is allowed; returns its slot, for ``settle``.

        ``hold``: how long after now the request may still reach the server (the client passes its
        timeout). Until ``settle`` says when it arrived, it counts as arriving that late, so a request
        stuck on its way, or a process killed mid-request, still holds its place in the window."""
        while True:
            decision = self.store.try_acquire(self._n, self._span, hold)
            if decision.slot is not None:
                return decision.slot
            # A pause ends when it ends; an entry in the window may be settled earlier than it says.
            time.sleep(min(decision.wait, 5.0) if decision.paused else min(decision.wait, POLL_SECONDS))

    def now(self) -> float:
        return self._clock()

    def settle(self, slot: Slot, at: float | None = None) -> None:
        """Count this slot's request from ``at`` (this process's clock; default now), or from when it was
        allowed if that is later: the moment it can have reached the server at the latest. Later requests
        then wait on that moment, whatever delayed it on the way out, so N+1 cannot arrive in one window."""
        at = self._clock() if at is None else at
        self.store.settle(slot, slot.at + max(0.0, at - slot.granted))

    def pause(self, seconds: float) -> bool:
        """Stop every acquisition, in every process sharing the store, for ``seconds``. Returns False if a
        pause was already running: a request sent before the pause began and answered during it must not
        extend it."""
        return self.store.pause(seconds)

    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return self.store.paused_for()

    def note_throttled(self) -> bool:
        """Record one 429; True when ``storm_count`` of them fell within ``storm_window_seconds``."""
        return self.store.note_throttled(self.storm_count, self.storm_window_seconds)

    def close(self) -> None:
        self.store.close()


def allowance_of(urls: tuple[str, ...]) -> str:
    """Whose allowance the requests spend: the SEC's for any sec.gov host (www, data and efts count as
    one), else the host of the first URL (a local EDGAR in tests: its requests never spend the SEC's)."""
    hosts = [(urlsplit(u).hostname or "").lower().rstrip(".") for u in urls]
    if any(h == "sec.gov" or h.endswith(".sec.gov") for h in hosts):
        return "sec.gov"
    first = urlsplit(urls[0]) if urls else None
    return first.netloc.lower() if first and first.netloc else "default"


_shared: dict[tuple[str, str], RateLimiter] = {}
_shared_lock = threading.Lock()


def shared_limiter(max_per_second: float, url: str = "", allowance: str = "sec.gov") -> RateLimiter:
    """The limiter every client of this process uses for one allowance and store (every thread, every
    Prefect task), bound to the store that every other process uses too.

    A later caller asking for another rate reconfigures the shared one: two clients never add up to
    twice the rate. Processes configured with different rates share one window: each waits until fewer
    than its own limit are in it, so the window never holds more than the highest of their limits.
    """
    key = (url.strip(), allowance)
    with _shared_lock:
        limiter = _shared.get(key)
        if limiter is None:
            limiter = _shared[key] = RateLimiter(max_per_second, store=open_store(url, allowance))
        elif limiter.max_per_second != max_per_second:
            log.info("rate limit of this process changed from %s/s to %s/s", limiter.max_per_second, max_per_second)
            limiter.configure(max_per_second)
        return limiter


__all__ = ["Decision", "LimiterUnavailable", "MachineWindow", "MemoryWindow", "RateLimiter", "RedisWindow", "Slot",
           "WindowStore", "allowance_of", "machine_state_dir", "open_store", "redact_url", "shared_limiter"]
