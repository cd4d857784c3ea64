"""The one rate limiter every request of the process goes through, and the shared block pause.

Why a hand-written sliding-window log rather than pyrate-limiter (installed, measured fine in STACK.md):
the bound we owe the SEC is "at most N requests in ANY one-second window", and a log of the last N
acquisition times proves it directly: a request may start only once the N-th previous one is more than
a window old, so N+1 requests can never fit in one window. The SEC's block also needs "pause everyone
for ten minutes", which must live under the same lock as the window so that no thread slips a request
in between; pyrate-limiter has no pause, and its API changed across major versions. This is ~60 lines.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("edgar13d.crawler")

# The SEC measures arrival times, we control start times: a request that waited on a new connection
# (or on a busy CPU) can arrive later than the next one. Two defences: the client reports how late a
# request was on its way (``settle``) and its entry moves by that much; and this margin widens each
# window for the jitter no one sees (it costs ~3% of throughput: 10/s becomes ~9.7/s sustained).
DEFAULT_MARGIN_SECONDS = 0.03


class RateLimiter:
    """At most ``max_per_second`` acquisitions in any one-second window, across every thread using it.

    ``pause(seconds)`` stops every acquisition until the pause ends (the SEC block cool-down).
    ``note_throttled()`` counts 429 answers and says when they amount to a storm.
    """

    def __init__(
        self,
        max_per_second: float = 10.0,
        *,
        margin_seconds: float = DEFAULT_MARGIN_SECONDS,
        storm_count: int = 5,
        storm_window_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cond = threading.Condition()
        self._clock = clock
        self._margin = margin_seconds
        self._log: deque[list[float]] = deque()  # one [time] per recent request; settle() may move it later
        self._paused_until = 0.0
        self._throttled: deque[float] = deque()
        self.storm_count = storm_count
        self.storm_window_seconds = storm_window_seconds
        self.configure(max_per_second)

    def configure(self, max_per_second: float) -> None:
        """Change the rate. Above 1/s a fractional rate rounds down (9.5/s keeps 9 per second): any faster
        average would put 10 into some one-second window. Below 1/s: one request per 1/rate seconds."""
        if max_per_second <= 0:
            raise ValueError("max_per_second must be positive")
        with self._cond:
            self.max_per_second = float(max_per_second)
            if max_per_second >= 1:
                self._n = math.floor(max_per_second)
                self._span = 1.0
            else:
                self._n = 1
                self._span = 1.0 / max_per_second
            self._span += self._margin
            self._cond.notify_all()

    def acquire(self) -> list[float]:
        """Wait until one more request is allowed; returns its slot, for ``settle``."""
        with self._cond:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    self._cond.wait(self._paused_until - now)
                    continue
                while self._log and self._log[0][0] <= now - self._span:
                    self._log.popleft()
                if len(self._log) < self._n:
                    slot = [now]
                    self._log.append(slot)
                    return slot
                self._cond.wait(self._log[0][0] + self._span - now)

    def now(self) -> float:
        return self._clock()

    def settle(self, slot: list[float], at: float | None = None) -> None:
        """Count this slot's request from ``at`` (default: now) if that is later than when it was
        allowed: the moment it can have reached the server at the latest. Later requests then wait on
        that moment, whatever delayed it on the way out, so N+1 cannot reach the server in one window."""
        with self._cond:
            slot[0] = max(slot[0], self._clock() if at is None else at)

    def pause(self, seconds: float) -> bool:
        """Stop every acquisition for ``seconds``. Returns False if a pause was already running: a request
        sent before the pause began and answered during it must not extend it."""
        with self._cond:
            now = self._clock()
            if now < self._paused_until:
                return False
            self._paused_until = now + seconds
            self._throttled.clear()
            self._cond.notify_all()
            return True

    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        with self._cond:
            return max(0.0, self._paused_until - self._clock())

    def note_throttled(self) -> bool:
        """Record one 429; True when ``storm_count`` of them fell within ``storm_window_seconds``."""
        with self._cond:
            now = self._clock()
            self._throttled.append(now)
            while self._throttled and self._throttled[0] < now - self.storm_window_seconds:
                self._throttled.popleft()
            return len(self._throttled) >= self.storm_count


_process_limiter: RateLimiter | None = None
_process_lock = threading.Lock()


def process_limiter(max_per_second: float) -> RateLimiter:
    """The limiter shared by every client of this process (every thread, every Prefect task).

    A later caller asking for another rate reconfigures the shared one: the limit is per process, not
    per client, so two clients never add up to twice the rate.
    """
    global _process_limiter
    with _process_lock:
        if _process_limiter is None:
            _process_limiter = RateLimiter(max_per_second)
        elif _process_limiter.max_per_second != max_per_second:
            log.info("rate limit of this process changed from %s/s to %s/s",
                     _process_limiter.max_per_second, max_per_second)
            _process_limiter.configure(max_per_second)
        return _process_limiter
