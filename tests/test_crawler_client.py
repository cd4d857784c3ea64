"""EdgarClient against a real local HTTP server: agent, rate limit, retries, blocks, truncation."""

from __future__ import annotations

import logging
import threading
import time
import tracemalloc

import pytest

from crawler.archive import RawArchive
from crawler.candidates import Candidate, filing_url
from crawler.client import (
    Blocked,
    ClientSettings,
    EdgarClient,
    FetchError,
    NotFound,
    UserAgentError,
    classify_403,
)
from crawler.fetch import fetch_filing
from crawler.ratelimit import RateLimiter
from tests.local_edgar import LocalEdgar
from tests.local_edgar.demo import demo_fixtures
from tests.local_edgar.pytest_plugin import TEST_AGENT, settings_for

ACC = "0001193125-13-000404"
CIK = 1790001


@pytest.fixture
def edgar():
    demo = demo_fixtures()
    with LocalEdgar(demo.fixtures) as server:
        yield server


def make_client(edgar: LocalEdgar, **overrides) -> EdgarClient:
    # A private limiter per test, so one test's pause cannot leak into the next.
    return EdgarClient(settings_for(edgar, **overrides), limiter=RateLimiter())


def url(edgar: LocalEdgar, acc: str = ACC, cik: int = CIK) -> str:
    return filing_url(edgar.url, cik, acc)


def test_declared_agent_and_gzip_on_every_request(edgar):
    client = make_client(edgar)
    client.get_bytes(url(edgar))
    client.get_json(f"{edgar.url}/submissions/CIK{CIK:010d}.json")
    with pytest.raises(NotFound):
        client.get_bytes(f"{edgar.url}/Archives/edgar/daily-index/2025/QTR1/master.20250104.idx")
    seen = edgar.requests()
    assert len(seen) == 3
    assert {r.headers.get("User-Agent") for r in seen} == {TEST_AGENT}
    assert all("gzip" in r.headers.get("Accept-Encoding", "") for r in seen)


@pytest.mark.parametrize("agent", ["", "python-requests/2.34", "Mozilla/5.0 (X11; Linux)", "Jane Doe",
                                   "Your Name you@example.com", "Sample Co admin@example.com"])
def test_refuses_the_real_sec_with_a_placeholder_agent(agent):
    with pytest.raises(UserAgentError) as exc:
        EdgarClient(ClientSettings(user_agent=agent), limiter=RateLimiter())
    assert "EDGAR13D_USER_AGENT" in str(exc.value) and "edgar.user_agent" in str(exc.value)


def test_a_declared_agent_is_accepted_and_the_rate_capped_at_ten():
    client = EdgarClient(ClientSettings(user_agent="Jane Doe jane.doe@firm-analytics.com", max_requests_per_second=50),
                         limiter=RateLimiter())
    assert client.limiter.max_per_second == 10
    assert client.session.headers["User-Agent"] == "Jane Doe jane.doe@firm-analytics.com"


def _hammer(client: EdgarClient, target: str, n: int, threads: int, errors: list) -> None:
    def work() -> None:
        for _ in range(n):
            try:
                client.get_bytes(target)
            except Exception as exc:  # collected, asserted empty below
                errors.append(exc)

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def test_no_second_holds_more_than_the_limit_across_threads(edgar):
    client = make_client(edgar, max_requests_per_second=20)
    errors: list = []
    start = time.monotonic()
    _hammer(client, url(edgar), n=6, threads=8, errors=errors)  # 48 requests
    elapsed = time.monotonic() - start
    assert not errors
    assert len(edgar.requests()) == 48
    assert edgar.max_per_window() <= 20
    # The limiter, not the server, set the pace: 48 at 20/s needs at least 28 windows' worth of time.
    assert elapsed >= (48 - 20) / 20
    assert edgar.max_per_window() >= 18


def test_no_second_holds_more_than_the_limit_during_retries(edgar):
    client = make_client(edgar, max_requests_per_second=20, storm_count=1000, max_retries=40, backoff_base_seconds=0.01,
                         backoff_max_seconds=0.02)
    edgar.inject("status", status=503, times=12)
    edgar.inject("status", status=429, retry_after="0", times=12)
    edgar.inject("reset", times=4)
    errors: list = []
    _hammer(client, url(edgar), n=5, threads=6, errors=errors)  # 30 good answers + 28 failures retried
    assert not errors
    assert len(edgar.requests()) == 30 + 28
    assert client.stats.retries == 28
    assert edgar.max_per_window() <= 20


def test_rate_threshold_page_pauses_every_worker(edgar, caplog):
    cooldown = 1.5
    client = make_client(edgar, max_requests_per_second=20, block_cooldown_seconds=cooldown)
    edgar.inject("rate_threshold", path=r"\.txt$", times=1)
    errors: list = []
    with caplog.at_level(logging.WARNING, logger="edgar13d.crawler"):
        _hammer(client, url(edgar), n=5, threads=4, errors=errors)
    assert not errors
    assert client.stats.blocks == 1
    assert any("pausing ALL requests" in m for m in caplog.messages)
    records = edgar.requests()
    t403 = next(r.t for r in records if r.status == 403)
    # Requests already on the wire may land just after the block page; then nothing from ANY of the four
    # threads until the cool-down ends (a pause of only the thread that saw the 403 would fill this gap).
    during = [r for r in records if t403 + 0.3 < r.t < t403 + cooldown - 0.1]
    assert during == []
    assert len([r for r in records if r.t >= t403 + cooldown - 0.1]) >= 10
    assert len([r for r in records if r.status == 200]) == 20


def test_a_block_that_does_not_lift_ends_in_blocked(edgar):
    client = make_client(edgar, block_cooldown_seconds=0.3, max_block_pauses=1)
    edgar.block(30)
    with pytest.raises(Blocked, match="retry in 10 minutes"):
        client.get_bytes(url(edgar))
    assert len(edgar.requests()) == 2  # the first try and one after the single allowed cool-down


def test_a_429_storm_pauses_like_a_block(edgar):
    client = make_client(edgar, storm_count=3, block_cooldown_seconds=1.0, backoff_base_seconds=0.01)
    edgar.inject("status", status=429, times=3)
    assert client.get_bytes(url(edgar)).startswith(b"<SEC-DOCUMENT>")
    times = [r.t for r in edgar.requests()]
    assert len(times) == 4 and client.stats.blocks == 1
    assert times[3] - times[2] >= 0.95


def test_retry_after_is_honoured(edgar):
    client = make_client(edgar, backoff_base_seconds=0.01)
    edgar.inject("status", status=503, retry_after="1", times=1)
    client.get_bytes(url(edgar))
    first, second = edgar.requests()
    assert first.status == 503 and second.status == 200
    assert second.t - first.t >= 0.95


@pytest.mark.parametrize("kind,status", [("access_denied", 403), ("not_found", 404)])
def test_missing_files_are_not_found_and_not_retried(edgar, kind, status):
    client = make_client(edgar)
    edgar.inject(kind, times=None)
    with pytest.raises(NotFound) as exc:
        client.get_bytes(url(edgar))
    assert exc.value.status == status
    assert len(edgar.requests()) == 1
    assert client.limiter.paused_for() == 0


def test_server_errors_are_retried_then_reported(edgar):
    client = make_client(edgar, max_retries=2)
    edgar.inject("status", status=500, times=None)
    with pytest.raises(FetchError) as exc:
        client.get_bytes(url(edgar))
    assert exc.value.reason == "server_error" and exc.value.attempts == 3
    assert len(edgar.requests()) == 3


def test_a_slow_answer_times_out_and_is_retried(edgar):
    client = make_client(edgar, timeout_seconds=0.3)
    edgar.inject("slow", delay=1.0, times=1)
    assert client.get_bytes(url(edgar)).rstrip().endswith(b"</SEC-DOCUMENT>")
    assert len(edgar.requests()) == 2


@pytest.mark.parametrize("kind", ["truncate", "bad_gzip", "truncate_nolength", "reset"])
def test_damaged_bodies_are_retried_and_only_the_whole_one_stored(edgar, tmp_path, kind):
    client = make_client(edgar)
    archive = RawArchive(tmp_path)
    edgar.inject(kind, path=r"\.txt$", times=2)
    got = fetch_filing(client, edgar.url, Candidate(ACC, CIK, "SC 13D/A", None), archive)
    whole = edgar.fixtures.filings[ACC].raw
    assert got.raw == whole and archive.get(ACC) == whole
    assert len(edgar.requests()) == 3


def test_a_body_that_never_arrives_whole_is_not_stored(edgar, tmp_path):
    client = make_client(edgar, max_retries=2)
    archive = RawArchive(tmp_path)
    edgar.inject("truncate", path=r"\.txt$", times=None)
    with pytest.raises(FetchError) as exc:
        fetch_filing(client, edgar.url, Candidate(ACC, CIK, "SC 13D/A", None), archive)
    assert exc.value.reason == "truncated"
    assert not archive.has(ACC) and list(archive) == []


def test_gzip_answers_are_decoded():
    demo = demo_fixtures()
    with LocalEdgar(demo.fixtures, gzip_responses=True) as edgar:
        client = make_client(edgar)
        body = client.get_bytes(url(edgar))
        assert body == demo.fixtures.filings[ACC].raw
        assert client.stats.bytes == len(body)


def test_403_bodies_are_told_apart(shared_dir):
    denied = (shared_dir / "corpus/edgar-shapes/full-index_2099_QTR1_form.gz_403-AccessDenied.xml").read_bytes()
    assert classify_403(denied) == "not_found"
    assert classify_403(b"<html><title>SEC.gov | Request Rate Threshold Exceeded</title></html>") == "rate_threshold"


def test_a_redirect_to_another_host_is_not_followed(edgar):
    # A second local server stands in for the other host: it must never see our agent.
    with LocalEdgar() as elsewhere:
        edgar.inject("redirect", path=r"\.txt$", location=f"{elsewhere.url}/collect")
        with pytest.raises(FetchError) as err:
            make_client(edgar).get_bytes(url(edgar))
        assert err.value.reason == "redirect_off_host"
        assert elsewhere.requests() == []


def test_a_redirect_within_the_configured_hosts_is_followed(edgar):
    edgar.inject("redirect", path=r"/moved\.txt$", location=url(edgar))
    body = make_client(edgar).get_bytes(f"{edgar.url}/moved.txt")
    assert body.rstrip().endswith(b"</SEC-DOCUMENT>")


def test_a_body_sent_one_byte_at_a_time_is_given_up_by_the_deadline(edgar):
    # Each byte comes well within the socket timeout; only the whole-exchange deadline can stop it.
    edgar.inject("drip", path=r"\.txt$", times=None, delay=0.05)
    client = make_client(edgar, timeout_seconds=1.0, max_retries=1, backoff_base_seconds=0.01)
    t0 = time.monotonic()
    with pytest.raises(FetchError) as err:
        client.get_bytes(url(edgar))
    assert err.value.reason == "truncated" and "still arriving" in err.value.detail
    assert time.monotonic() - t0 < 2 * (1.0 + 0.5) + 1  # two attempts, each bounded by its deadline


def test_a_gzip_bomb_is_refused_with_bounded_memory(edgar):
    edgar.inject("gzip_bomb", path=r"\.txt$", size=512 * 1024 * 1024)
    client = make_client(edgar, max_body_bytes=8 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError) as err:
            client.get_bytes(url(edgar))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.reason == "too_large"
    assert peak < 64 * 1024 * 1024  # 512 MiB inflated would have been the peak before
    assert len(edgar.requests()) == 1  # not retried: it will be as large next time


def test_a_body_longer_than_the_limit_is_refused_by_its_content_length(edgar):
    with pytest.raises(FetchError) as err:
        make_client(edgar, max_body_bytes=100).get_bytes(url(edgar))
    assert err.value.reason == "too_large"
