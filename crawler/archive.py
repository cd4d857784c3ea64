"""The raw archive: every fetched filing as EDGAR sent it, gzip-compressed, keyed by accession.

It is what makes re-extraction possible with no network, so writes are atomic (temp file, fsync,
os.replace): a crash leaves either the whole filing or nothing, never half a file that later parses as
a short filing. Layout: ``{root}/{accession[:10]}/{accession}.txt.gz`` (the filer-agent prefix keeps
directories to a few thousand entries). Each put also appends ``{"accession", "sha256", "size"}`` to
``{root}/manifest.jsonl``, the content hash of the uncompressed bytes.

Reading trusts nothing on disk: a file is inflated at most to ``max_bytes`` (a gzip bomb costs a bounded
amount of memory, not gigabytes), and its bytes must hash to what the manifest recorded (a file
replaced by other valid gzip content is refused, not loaded as that filing). Every such problem is an
:class:`ArchiveDamaged` with a reason code, so one bad file is recorded and the rest of a reparse goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path

from crawler.inflate import inflate_bounded

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
_SUFFIX = ".txt.gz"

# The largest filing the archive will inflate. EDGAR's biggest 13D submissions (a 13D with years of
# trade exhibits) are tens of megabytes; the client refuses to fetch more than this, so a larger file
# here was not written by edgar13d.
MAX_RAW_BYTES = 256 * 1024 * 1024


class ArchiveDamaged(ValueError):
    """An archived file that cannot be trusted: ``reason`` is ``archive_unreadable`` (not gzip, cut
    short), ``archive_too_large`` (inflates past the bound) or ``archive_hash_mismatch``."""

    def __init__(self, accession: str, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {accession}: {detail}")
        self.accession = accession
        self.reason = reason
        self.detail = detail


class RawArchive:
    """Files on disk; safe to use from several threads (and processes: writes are whole-file replaces)."""

    def __init__(self, root: str | os.PathLike[str], max_bytes: int = MAX_RAW_BYTES) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._manifest_lock = threading.Lock()
        self._hashes: dict[str, str] | None = None  # the manifest, read on the first get

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
        with self._manifest_lock:
            with open(self.root / "manifest.jsonl", "a", encoding="utf-8") as fh:
                fh.write(line)
            if self._hashes is not None:
                self._hashes[accession] = digest
        return digest

    def get(self, accession: str, expected_sha256: str | None = None) -> bytes:
        """The filing's bytes exactly as fetched, checked against the sha256 recorded when it was stored
        (``expected_sha256``, else the manifest's). Raises KeyError when absent, ArchiveDamaged when the
        file cannot be trusted."""
        try:
            packed = self.path(accession).read_bytes()
        except FileNotFoundError:
            raise KeyError(accession) from None
        try:
            data = inflate_bounded(packed, self.max_bytes, "archived filing")
        except ValueError as exc:
            raise ArchiveDamaged(accession, "archive_too_large", str(exc)) from None
        except (zlib.error, EOFError, OSError) as exc:
            raise ArchiveDamaged(accession, "archive_unreadable",
                                 f"{type(exc).__name__}: {exc}; fetch it again with a backfill") from None
        want = expected_sha256 or self.recorded_hash(accession)
        if want is not None:
            got = hashlib.sha256(data).hexdigest()
            if got != want:
                raise ArchiveDamaged(
                    accession, "archive_hash_mismatch",
                    f"the file hashes to {got[:12]}..., the archive recorded {want[:12]}... when it stored it: "
                    "it was changed on disk; fetch it again with a backfill")
        return data

    def recorded_hash(self, accession: str) -> str | None:
        """The sha256 recorded for ``accession`` (the manifest is read once, and again for an accession
        another process may have added since)."""
        with self._manifest_lock:
            if self._hashes is None or accession not in self._hashes:
                self._hashes = self.recorded_hashes()
            return self._hashes.get(accession)

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
