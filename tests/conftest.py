"""Fixtures every test module may use."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


def _shared_dir() -> Path | None:
    """The team's shared data (../shared beside the clone), or None where this machine has none."""
    for candidate in (REPO.parent / "shared", REPO / ".." / "shared"):
        if (candidate / "corpus").is_dir():
            return candidate.resolve()
    return None


SHARED = _shared_dir()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("../shared (the team's corpus and labels) is not present beside this clone")
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
