"""The limiter alone: the window bound with many threads and many processes, in each store; fractional
rates; the shared pause; in-flight requests; and the arrival-time correction."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawler.ratelimit import (
    MachineWindow,
    MemoryWindow,
    RateLimiter,
    RedisWindow,
    allowance_of,
    machine_state_dir,
    open_store,
    redact_url,
    shared_limiter,
)
from tests.conftest import REPO
from tests.local_edgar.server import max_in_window


def _acquire_all(limiter: RateLimiter, n: int, threads: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(n):
            limiter.settle(limiter.acquire())
            with lock:
                times.append(time.monotonic())

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return times


@pytest.fixture(params=["memory", "machine", "redis"])
def store(request, tmp_path):
    if request.param == "memory":
        yield MemoryWindow()
    elif request.param == "machine":
        yield MachineWindow("test", tmp_path)
    else:
        url = request.getfixturevalue("redis_url")
        s = RedisWindow(url, f"test-{tmp_path.name}")
        yield s
        s.close()


def test_never_more_than_n_in_any_second_and_close_to_n_sustained(store):
    limiter = RateLimiter(25, store=store)
    start = time.monotonic()
    times = _acquire_all(limiter, n=6, threads=8)  # 48 acquisitions: 25, then 23 one second later
    elapsed = time.monotonic() - start
    assert max_in_window(times, 1.0) == 25
    assert 1.0 <= elapsed < 1.5


def test_a_fractional_rate_rounds_the_window_down():
    limiter = RateLimiter(4.5)
    times = _acquire_all(limiter, n=3, threads=2)  # 6 acquisitions: 4, then 2 a second later
    assert max_in_window(times, 1.0) <= 4


def test_pause_holds_every_thread(store):
    limiter = RateLimiter(100, store=store)
    limiter.settle(limiter.acquire())
    assert limiter.pause(0.5) is True
    assert limiter.pause(5) is False  # an answer to a request sent before the pause does not extend it
    assert 0.3 < limiter.paused_for() <= 0.5
    start = time.monotonic()
    times = _acquire_all(limiter, n=1, threads=4)
    assert min(times) - start >= 0.45


def test_throttle_storm_detection(store):
    limiter = RateLimiter(10, store=store, storm_count=3, storm_window_seconds=60)
    assert [limiter.note_throttled() for _ in range(3)] == [False, False, True]


def test_one_limiter_per_process_and_store():
    a = shared_limiter(7, "memory", "example")
    b = shared_limiter(5, "memory", "example")
    assert a is b and a.max_per_second == 5
    assert shared_limiter(5, "memory", "elsewhere") is not a


def test_the_sec_hosts_are_one_allowance_and_a_local_server_its_own():
    assert allowance_of(("https://www.sec.gov", "https://data.sec.gov", "https://efts.sec.gov")) == "sec.gov"
    assert allowance_of(("http://127.0.0.1:8765", "http://127.0.0.1:8765")) == "127.0.0.1:8765"


def test_the_store_is_chosen_by_url(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGAR13D_STATE_DIR", str(tmp_path))
    assert isinstance(open_store("", "sec.gov"), MachineWindow)
    assert open_store("", "sec.gov").path == tmp_path / "window-sec.gov.json"
    assert isinstance(open_store("memory", "sec.gov"), MemoryWindow)
    assert isinstance(open_store("redis://127.0.0.1:1/0", "sec.gov"), RedisWindow)  # connects on first use
    with pytest.raises(ValueError, match="redis://"):
        open_store("http://example.org", "sec.gov")
    assert redact_url("redis://team:s3cret@cache.internal:6379/0") == "redis://team:***@cache.internal:6379/0"


def test_the_machine_window_lives_in_a_per_user_folder_not_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("EDGAR13D_STATE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))  # a cron job or worker with another $HOME
    monkeypatch.chdir(tmp_path)
    import pwd

    assert machine_state_dir() == Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "edgar13d"


def test_an_in_flight_request_keeps_its_place_until_settled():
    """A request allowed but not yet answered may still be on its way: it counts as arriving up to
    ``hold`` seconds later, so it stays in the window past its one second until it is settled."""
    limiter = RateLimiter(1, margin_seconds=0.0)
    on_its_way = limiter.acquire(hold=30)
    got = threading.Event()
    t = threading.Thread(target=lambda: (limiter.acquire(), got.set()))
    t.start()
    assert not got.wait(1.3)  # a second has passed, but one request has not arrived as far as we know
    limiter.settle(on_its_way, at=limiter.now() - 1.0)  # its answer began: it arrived a second ago at most
    assert got.wait(0.5)  # so its window is over: room for the next
    t.join()


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


def test_unreadable_state_pauses_one_second_instead_of_forgetting(tmp_path):
    store = MachineWindow("test", tmp_path)
    store.path.write_text('{"v": 1, "arrivals": {"a": ')  # cannot happen short of disk damage
    assert 0.9 < store.paused_for() <= 1.1
    limiter = RateLimiter(10, store=MachineWindow("test", tmp_path))
    start = time.monotonic()
    limiter.acquire()
    assert time.monotonic() - start >= 0.9


def test_state_from_before_a_reboot_is_dropped(tmp_path):
    """The monotonic clock starts again at boot: times far ahead of it are stale, not a full window."""
    store = MachineWindow("test", tmp_path)
    ahead = time.monotonic() + 10_000
    store.path.write_text(json.dumps({"v": 1, "arrivals": {str(i): ahead for i in range(10)},
                                      "paused_until": ahead, "pause_seconds": 600, "throttled": [ahead]}))
    assert store.paused_for() == 0
    start = time.monotonic()
    RateLimiter(10, store=store).acquire()
    assert time.monotonic() - start < 0.5


# --- several processes ----------------------------------------------------------------------------

WORKER = r"""
import json, sys, time
from crawler.ratelimit import RateLimiter, open_store
url, allowance, rate, n, pause = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
limiter = RateLimiter(rate, store=open_store(url, allowance))
print("READY", flush=True)
sys.stdin.readline()  # start together
times = []
for i in range(n):
    slot = limiter.acquire(hold=5)
    times.append(time.monotonic())
    limiter.settle(slot)
    if pause and i == 2:
        limiter.pause(pause)
print(json.dumps(times), flush=True)
"""


def _processes(url: str, allowance: str, rate: float, n: int, count: int, pause_in_first: float = 0.0) -> list[list[float]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, allowance, str(rate), str(n),
                               str(pause_in_first if i == 0 else 0)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
             for i in range(count)]
    try:
        for p in procs:
            assert p.stdout.readline().strip() == "READY"
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        out = [json.loads(p.stdout.readline()) for p in procs]
        for p in procs:
            p.wait(30)
        return out
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


@pytest.fixture(params=["machine", "redis"])
def shared_url(request):
    return "" if request.param == "machine" else request.getfixturevalue("redis_url")


def test_three_processes_share_one_window(shared_url, tmp_path):
    per_process = _processes(shared_url, f"procs-{tmp_path.name}", 20, 14, 3)  # 42 at 20/s: three windows
    every = sorted(t for times in per_process for t in times)
    assert len(every) == 42
    assert max_in_window(every, 1.0) <= 20
    assert every[-1] - every[0] >= 2.0  # one process alone would have been done in under a second
    # and the allowance was used: the first window filled up
    assert max_in_window(every, 1.0) >= 18


def test_a_pause_in_one_process_stops_the_others(shared_url, tmp_path):
    first, second = _processes(shared_url, f"pause-{tmp_path.name}", 50, 8, 2, pause_in_first=1.0)
    paused_at = sorted(first)[2]
    # after the first process paused, no one went on for about a second (requests already allowed aside)
    after = sorted(t for t in first + second if t > paused_at + 0.05)
    assert after and after[0] - paused_at >= 0.9


def test_an_unreachable_redis_stops_the_run_instead_of_going_unlimited():
    from crawler.ratelimit import LimiterUnavailable

    limiter = RateLimiter(10, store=RedisWindow("redis://:pw@127.0.0.1:1/0", "test"))  # nothing listens on port 1
    with pytest.raises(LimiterUnavailable, match=r"redis://:\*\*\*@127\.0\.0\.1:1/0.*remove edgar\.rate_limit_url"):
        limiter.acquire()
