"""A real webhook receiver on 127.0.0.1: keeps every POST's JSON body; can be told to fail for a while."""

from __future__ import annotations

import http.server
import json
import threading
from typing import Any


class Webhook:
    """``with Webhook() as hook``: ``hook.url("path")`` is an apprise json:// URL to it; ``hook.received``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail_with: int | None = None  # answer this status instead of 200
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = hook.fail_with or 200
                if status == 200:
                    hook.received.append({"path": self.path, **json.loads(body)})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "edgar13d") -> str:
        return f"json://127.0.0.1:{self.port}/{path}"

    def __enter__(self) -> Webhook:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
