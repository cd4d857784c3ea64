"""Debian's chromium, headless, as a person's eyes: a screenshot of a page and the DOM it rendered.

Never a browser download: the test setup installs the system package (``.ci/run``). Started with the
flags this network-less machine needs (no background connections, a fresh profile each time) and with
every request that leaves the page sent to a recording proxy on 127.0.0.1, so a test can prove that a
page fetched nothing.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.serving import serving

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                  "--hide-scrollbars", "--force-device-scale-factor=1", "--disable-default-apps",
                  "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
                  "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication"]

# The browser's own services, which it calls whatever the page is (its updater, clock and sign-in checks
# get through the flags above): what a test asks is whether the PAGE fetched anything.
BROWSER_SERVICE_HOSTS = ("update.googleapis.com", "clients2.google.com", "accounts.google.com",
                         "optimizationguide-pa.googleapis.com", "safebrowsingohttpgateway.googleapis.com")


def page_requests(seen: list[str]) -> list[str]:
    """Request lines a recording proxy saw, without the browser's own service calls."""
    return [r for r in seen if not any(re.match(rf"\w+ (https?://)?{re.escape(h)}[:/]", r)
                                       for h in BROWSER_SERVICE_HOSTS)]


def chromium() -> str:
    """The system chromium; a skip where a developer has none, a failure in CI (which must install it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run installs Debian's chromium before the tests")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str]

    def _record(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = _record

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def recording_proxy() -> Iterator[tuple[str, list[str]]]:
    """A proxy on 127.0.0.1 that answers 502 and keeps the request lines it was sent."""
    seen: list[str] = []
    handler = type("Recorder", (_Recorder,), {"seen": seen})
    with serving(handler) as url:
        yield url, seen


def run_chromium(url: str, *args: str, proxy: str, timeout: float = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="edgar13d-chromium-") as profile:
        cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--proxy-server={proxy}",
               "--proxy-bypass-list=<-loopback>", *args, url]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def screenshot(page: Path, out: Path, proxy: str, size: tuple[int, int] = (1280, 1800)) -> Path:
    done = run_chromium(page.resolve().as_uri(), f"--window-size={size[0]},{size[1]}", f"--screenshot={out}",
                        proxy=proxy)
    assert out.exists(), f"chromium wrote no screenshot: {done.stderr[-2000:]}"
    return out


def rendered_dom(page: Path, proxy: str) -> str:
    done = run_chromium(page.resolve().as_uri(), "--dump-dom", "--virtual-time-budget=2000", proxy=proxy)
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout
