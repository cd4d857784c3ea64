"""Delivery at the edge, through apprise: one library for mail, Slack, Teams, Telegram, webhooks...

apprise is already installed with Prefect (its notification blocks use it), is well kept, and reads
destinations as URLs (``mailto://``, ``slack://``, ``json://host/path``), which is what ``alerts.urls``
holds. Each destination is tried on its own, a few times, so one that is down neither blocks nor
duplicates the others; what is printed hides the secrets a URL carries.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

from alerts.message import AlertMessage

RETRY_DELAYS_SECONDS = (1.0, 4.0)


@dataclass(frozen=True)
class Delivery:
    destination: str  # the URL with its secrets masked
    ok: bool
    reason: str | None = None


def send(urls: Sequence[str], message: AlertMessage, delays: Sequence[float] = RETRY_DELAYS_SECONDS) -> list[Delivery]:
    """Send ``message`` to each URL; one Delivery per URL, in order."""
    import apprise

    out = []
    for url in urls:
        ap = apprise.Apprise()
        if not ap.add(url):
            out.append(Delivery(_mask(url), False, "not a destination URL apprise knows (see its URL list)"))
            continue
        shown = ap[0].url(privacy=True).split("?", 1)[0]  # secrets masked, apprise's defaults left out
        reason = None
        for attempt in range(len(delays) + 1):
            with apprise.LogCapture(level=logging.WARNING) as log:
                ok = ap.notify(title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT)
            if ok:
                break
            reason = _last_line(log.getvalue()) or "the destination refused the message"
            if attempt < len(delays):
                time.sleep(delays[attempt])
        out.append(Delivery(shown, ok, None if ok else reason))
    return out


def _last_line(text: str) -> str | None:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1].split(" - ", 2)[-1] if lines else None


def _mask(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{'...' if rest else ''}"
