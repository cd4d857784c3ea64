"""Servers that tests start must not outlive the test session, even when pytest itself is killed."""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """``preexec_fn`` for a test's server: Linux sends it SIGTERM when the process that started it dies
    (pytest killed by a timeout or a signal runs no finalizer). Elsewhere it does nothing."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
