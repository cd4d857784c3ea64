"""A local EDGAR for tests: a real HTTP server on 127.0.0.1 serving EDGAR's paths and shapes.

    from tests.local_edgar import EdgarFixtures, LocalEdgar
    fx = EdgarFixtures(recent_limit=4, page_size=3)
    fx.add_raw(Path("some_filing.txt").read_bytes())     # real-format full submissions
    with LocalEdgar(fx) as edgar:
        settings = ClientSettings(user_agent="Test t@example.org", **edgar.urls)
        edgar.inject("rate_threshold", path=r"\\.txt$", times=1)
        ...
        edgar.requests()          # what arrived: time, path, headers, status
        edgar.max_per_window()    # most requests in any one-second window

Standalone (for CLI end-to-end tests): ``python -m tests.local_edgar --port 0 --fixtures DIR``.
"""

from tests.local_edgar.model import EdgarFixtures, Entity, FixtureFiling, parse_header
from tests.local_edgar.server import Fault, LocalEdgar, RequestRecord, max_in_window

__all__ = ["EdgarFixtures", "Entity", "Fault", "FixtureFiling", "LocalEdgar", "RequestRecord", "max_in_window",
           "parse_header"]
