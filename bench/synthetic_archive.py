"""A raw archive of many filings built from the real corpus files, for the reparse benchmark.

Every full EDGAR submission (``.txt`` with an ``ACCESSION NUMBER`` header) of ``shared/corpus`` and
``shared/corpus-13g`` is copied under many new accession numbers into a :class:`crawler.archive.RawArchive`
(its real layout and manifest, written through ``put``), in a fixed round-robin order, so the archive
holds the corpus's mix of eras and schedules. Each copy has its own accession number written into its
header (everywhere the original's appears: ``<SEC-DOCUMENT>``, ``ACCESSION NUMBER``), as a real archived
file has, so each is a filing of its own with its own content hash. Bare documents (``.htm``, raw XML)
are left out: the archive only ever holds full submissions. Nothing built here is committed.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.archive import RawArchive

_ACCESSION = re.compile(rb"ACCESSION NUMBER:\s*(\d{10}-\d{2}-\d{6})")


def corpus_submissions(shared: Path) -> list[tuple[str, bytes, str]]:
    """(file name, bytes, accession) of every full submission in the two corpora, sorted by name."""
    out = []
    for folder in ("corpus", "corpus-13g"):
        for path in sorted((shared / folder).glob("*.txt")):
            data = path.read_bytes()
            m = _ACCESSION.search(data[:20_000])
            if m:
                out.append((path.name, data, m.group(1).decode()))
    return out


def era_mix(files: list[tuple[str, bytes, str]]) -> Counter:
    return Counter(name.split("_", 1)[0] for name, _, _ in files)


def synthetic_accession(n: int) -> str:
    """The n-th accession of the synthetic archive: spread over 997 filer-agent prefixes (directories),
    as a real archive is, with a prefix no real filer agent has."""
    return f"99{n % 997:08d}-{(n // 997) % 100:02d}-{n % 1_000_000:06d}"


def _put_range(root: str, files: list[tuple[str, bytes, str]], start: int, stop: int) -> None:
    archive = RawArchive(root)
    for n in range(start, stop):
        _name, data, original = files[n % len(files)]
        new = synthetic_accession(n)
        archive.put(new, data.replace(original.encode(), new.encode()))


def build_archive(root: Path, files: list[tuple[str, bytes, str]], n: int, processes: int = 2) -> list[str]:
    """Write ``n`` filings into a raw archive at ``root`` (in ``processes`` processes); returns their
    accession numbers."""
    step = max(1, -(-n // max(1, processes)))
    with ProcessPoolExecutor(max_workers=max(1, processes)) as pool:
        done = [pool.submit(_put_range, str(root), files, s, min(n, s + step)) for s in range(0, n, step)]
        for f in done:
            f.result()
    return [synthetic_accession(i) for i in range(n)]
