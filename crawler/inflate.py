"""Decompression with a bound: what a body or an archived file may inflate to.

``gzip.decompress`` and ``zlib.decompress`` have no limit, so 2 MB of zeros that inflate to 2 GiB take
2 GiB (and more to copy them): a gzip bomb served by a broken or hostile server, or left in the archive,
would take the machine down. These read the stream in steps and stop one byte past the bound.
"""

from __future__ import annotations

import zlib


def inflate_bounded(data: bytes, max_bytes: int, what: str = "body") -> bytes:
    """Gzip-decompress ``data`` (several members allowed) without producing more than ``max_bytes``.

    Raises ValueError when the output would pass the bound, zlib.error when the stream is not gzip or
    damaged, EOFError when it is cut short: the caller names the reason. ``gzip.decompress`` has no
    bound, so 2 MB of zeros that inflate to 2 GiB would take 2 GiB (and more to copy it).
    """
    out = bytearray()
    rest: bytes | memoryview = memoryview(data)
    while True:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        buf = rest
        while not d.eof:
            out += d.decompress(buf, max_bytes + 1 - len(out))
            if len(out) > max_bytes:
                raise ValueError(f"the {what} inflates past {max_bytes:,} bytes (a gzip bomb?)")
            if not d.unconsumed_tail and not d.eof:
                raise EOFError(f"the {what}'s gzip stream is cut short")
            buf = d.unconsumed_tail
        rest = d.unused_data
        # Zero padding after the last member is allowed, as gzip(1) allows it.
        if not rest.strip(b"\x00"):
            return bytes(out)


def inflate_deflate(data: bytes, max_bytes: int, what: str = "body") -> bytes:
    """``Content-Encoding: deflate`` without a bound overrun: zlib-wrapped, or raw deflate as some
    servers send it."""
    try:
        return _one_stream(zlib.decompressobj(), data, max_bytes, what)
    except zlib.error:
        return _one_stream(zlib.decompressobj(-zlib.MAX_WBITS), data, max_bytes, what)


def _one_stream(d: zlib._Decompress, data: bytes, max_bytes: int, what: str) -> bytes:
    out = bytearray()
    buf: bytes | memoryview = memoryview(data)
    while True:
        out += d.decompress(buf, max_bytes + 1 - len(out))
        if len(out) > max_bytes:
            raise ValueError(f"the {what} inflates past {max_bytes:,} bytes (a gzip bomb?)")
        if d.eof or not d.unconsumed_tail:
            return bytes(out)
        buf = d.unconsumed_tail
