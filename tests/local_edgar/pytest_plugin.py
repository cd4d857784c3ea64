"""Pytest fixtures for the local EDGAR. Enable with ``pytest_plugins = ["tests.local_edgar.pytest_plugin"]``
in the root conftest.py (or import the fixtures into a test module).

- ``local_edgar``: a started, empty server; register filings on ``local_edgar.fixtures``.
- ``demo_edgar``: a started server with the demo company (``demo_edgar.demo`` holds what is expected).
- ``edgar_settings``: a ClientSettings pointed at ``local_edgar``, with short backoffs and cool-down.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crawler.client import ClientSettings
from tests.local_edgar.demo import demo_fixtures
from tests.local_edgar.server import LocalEdgar

TEST_AGENT = "edgar13d tests ci@edgar13d.test"


def settings_for(edgar: LocalEdgar, **overrides: object) -> ClientSettings:
    """Settings for a test: the server's URLs, a declared agent, and waits short enough for a test."""
    base: dict[str, object] = {"user_agent": TEST_AGENT, **edgar.urls, "block_cooldown_seconds": 1.0,
                               "timeout_seconds": 5.0, "max_retries": 4, "backoff_base_seconds": 0.05,
                               "backoff_max_seconds": 0.5}
    base.update(overrides)
    return ClientSettings(**base)  # type: ignore[arg-type]


@pytest.fixture
def local_edgar() -> Iterator[LocalEdgar]:
    with LocalEdgar() as edgar:
        yield edgar


@pytest.fixture
def demo_edgar() -> Iterator[LocalEdgar]:
    demo = demo_fixtures()
    with LocalEdgar(demo.fixtures) as edgar:
        edgar.demo = demo  # type: ignore[attr-defined]
        yield edgar


@pytest.fixture
def edgar_settings(local_edgar: LocalEdgar) -> ClientSettings:
    return settings_for(local_edgar)
