"""The limiter alone: the window bound with many threads, fractional rates, and the shared pause."""

from __future__ import annotations

import threading
import time

from crawler.ratelimit import RateLimiter, process_limiter
from tests.local_edgar.server import max_in_window


def _acquire_all(limiter: RateLimiter, n: int, threads: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(n):
            limiter.acquire()
            with lock:
                times.append(time.monotonic())

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return times


def test_never_more_than_n_in_any_second_and_close_to_n_sustained():
    limiter = RateLimiter(25)
    start = time.monotonic()
    times = _acquire_all(limiter, n=6, threads=8)  # 48 acquisitions: 25, then 23 one second later
    elapsed = time.monotonic() - start
    assert max_in_window(times, 1.0) == 25
    assert 1.0 <= elapsed < 1.4


def test_a_fractional_rate_rounds_the_window_down():
    limiter = RateLimiter(4.5)
    times = _acquire_all(limiter, n=3, threads=2)  # 6 acquisitions: 4, then 2 a second later
    assert max_in_window(times, 1.0) <= 4


def test_pause_holds_every_thread():
    limiter = RateLimiter(100)
    limiter.acquire()
    assert limiter.pause(0.5) is True
    assert limiter.pause(5) is False  # an answer to a request sent before the pause does not extend it
    start = time.monotonic()
    times = _acquire_all(limiter, n=1, threads=4)
    assert min(times) - start >= 0.45


def test_throttle_storm_detection():
    limiter = RateLimiter(10, storm_count=3, storm_window_seconds=60)
    assert [limiter.note_throttled() for _ in range(3)] == [False, False, True]


def test_one_limiter_per_process():
    a = process_limiter(7)
    b = process_limiter(5)
    assert a is b and a.max_per_second == 5


def test_a_request_delayed_on_its_way_out_still_counts_where_it_arrived():
    """The server sees arrivals. Request 1 is slow to leave (a new connection, a busy CPU) and arrives
    0.3 s after it was allowed; once its answer starts, settle() moves it there, and the requests that
    follow wait on that moment, so no one-second window of arrivals holds more than N."""
    limiter = RateLimiter(5, margin_seconds=0.0)
    arrivals: list[float] = []
    slow = limiter.acquire()
    time.sleep(0.3)
    arrivals.append(time.monotonic())
    limiter.settle(slow)
    for _ in range(9):
        slot = limiter.acquire()
        arrivals.append(time.monotonic())
        limiter.settle(slot)
    assert max_in_window(arrivals, 1.0) <= 5


def test_without_settle_a_late_arrival_can_crowd_a_window():
    """The counter-example the test above guards against: counting the slow request where it was
    allowed lets the sixth one in within a second of its arrival."""
    limiter = RateLimiter(5, margin_seconds=0.0)
    arrivals: list[float] = []
    limiter.acquire()
    time.sleep(0.3)
    arrivals.append(time.monotonic())
    for _ in range(9):
        limiter.acquire()
        arrivals.append(time.monotonic())
    assert max_in_window(arrivals, 1.0) > 5
