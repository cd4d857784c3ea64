"""The raw archive: every fetched filing as EDGAR sent it, gzip-compressed, keyed by accession.

It is what makes re-extraction possible with no network, so writes are atomic (temp file, fsync,
os.replace): a crash leaves either the whole filing or nothing, never half a file that later parses as
a short filing. Layout: ``{root}/{accession[:10]}/{accession}.txt.gz`` (the filer-agent prefix keeps
directories to a few thousand entries). Each put also appends ``{"accession", "sha256", "size"}`` to
``{root}/manifest.jsonl``, the content hash of the uncompressed bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_SUFFIX = ".txt.gz"


class RawArchive:
    """Files on disk; safe to use from several threads (and processes: writes are whole-file replaces)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._manifest_lock = threading.Lock()

    def path(self, accession: str) -> Path:
        if not _ACCESSION.match(accession):
            raise ValueError(f"not an accession number: {accession!r} (expected 0001234567-YY-NNNNNN)")
        return self.root / accession[:10] / f"{accession}{_SUFFIX}"

    def has(self, accession: str) -> bool:
        return self.path(accession).is_file()

    def put(self, accession: str, data: bytes) -> str:
        """Store ``data`` (replacing any earlier copy) and return its sha256 hex digest."""
        if not data:
            raise ValueError(f"refusing to archive an empty body for {accession}")
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(accession)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{accession}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                # mtime=0: the same filing always compresses to the same archive bytes.
                fh.write(gzip.compress(data, compresslevel=6, mtime=0))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        line = json.dumps({"accession": accession, "sha256": digest, "size": len(data)}) + "\n"
        with self._manifest_lock, open(self.root / "manifest.jsonl", "a", encoding="utf-8") as fh:
            fh.write(line)
        return digest

    def get(self, accession: str) -> bytes:
        """The filing's bytes exactly as fetched. Raises KeyError when absent."""
        try:
            return gzip.decompress(self.path(accession).read_bytes())
        except FileNotFoundError:
            raise KeyError(accession) from None

    def sha256(self, accession: str) -> str:
        return hashlib.sha256(self.get(accession)).hexdigest()

    def __iter__(self) -> Iterator[str]:
        """Every archived accession, in sorted order (temp files of unfinished writes are skipped)."""
        for sub in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for f in sorted(sub.glob(f"*{_SUFFIX}")):
                acc = f.name[: -len(_SUFFIX)]
                if _ACCESSION.match(acc):
                    yield acc

    def accessions(self) -> Iterator[str]:
        return iter(self)

    def recorded_hashes(self) -> dict[str, str]:
        """accession -> sha256 from the manifest (the last put wins)."""
        out: dict[str, str] = {}
        p = self.root / "manifest.jsonl"
        if p.exists():
            for line in p.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                    out[rec["accession"]] = rec["sha256"]
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut by a crash
        return out
