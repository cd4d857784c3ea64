"""The raw archive: what goes in comes out byte for byte, compressed, hashed, and never half-written."""

from __future__ import annotations

import gzip
import hashlib
import threading
import tracemalloc
import zlib

import pytest

from crawler.archive import ArchiveDamaged, RawArchive
from crawler.inflate import inflate_bounded

ACC = "0000950123-96-000101"


def test_put_get_has_and_iterate(tmp_path):
    archive = RawArchive(tmp_path / "raw")
    data = b"<SEC-DOCUMENT>\xe9 latin-1 bytes stay bytes\n</SEC-DOCUMENT>\n"
    assert not archive.has(ACC)
    digest = archive.put(ACC, data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert archive.has(ACC) and archive.get(ACC) == data
    path = tmp_path / "raw" / "0000950123" / f"{ACC}.txt.gz"
    assert gzip.decompress(path.read_bytes()) == data
    archive.put("0001193125-13-000404", b"x")
    assert list(archive) == [ACC, "0001193125-13-000404"]
    assert archive.recorded_hashes()[ACC] == digest == archive.sha256(ACC)


def test_same_bytes_make_the_same_file(tmp_path):
    a, b = RawArchive(tmp_path / "a"), RawArchive(tmp_path / "b")
    a.put(ACC, b"filing")
    b.put(ACC, b"filing")
    assert a.path(ACC).read_bytes() == b.path(ACC).read_bytes()


def test_refuses_what_it_cannot_key_or_would_store_empty(tmp_path):
    archive = RawArchive(tmp_path)
    with pytest.raises(ValueError):
        archive.put("../../etc/passwd", b"x")
    with pytest.raises(ValueError):
        archive.put(ACC, b"")
    with pytest.raises(KeyError):
        archive.get(ACC)


def test_concurrent_writers_leave_one_whole_file_and_no_temp_files(tmp_path):
    archive = RawArchive(tmp_path)
    bodies = [bytes([65 + i]) * 200_000 for i in range(8)]
    threads = [threading.Thread(target=archive.put, args=(ACC, body)) for body in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert archive.get(ACC) in bodies
    assert [p.name for p in (tmp_path / ACC[:10]).iterdir()] == [f"{ACC}.txt.gz"]


def test_a_file_replaced_by_other_valid_gzip_is_refused_not_loaded(tmp_path):
    archive = RawArchive(tmp_path)
    archive.put(ACC, b"<SEC-DOCUMENT>the real filing</SEC-DOCUMENT>\n")
    archive.path(ACC).write_bytes(gzip.compress(b"<SEC-DOCUMENT>something else</SEC-DOCUMENT>\n"))
    with pytest.raises(ArchiveDamaged) as err:
        RawArchive(tmp_path).get(ACC)  # a fresh instance reads the manifest
    assert err.value.reason == "archive_hash_mismatch"
    with pytest.raises(ArchiveDamaged):
        archive.get(ACC)  # and so does the instance that wrote it


def test_a_damaged_or_cut_file_is_a_reason_not_a_zlib_error(tmp_path):
    archive = RawArchive(tmp_path)
    archive.put(ACC, b"x" * 50_000)
    packed = archive.path(ACC).read_bytes()
    archive.path(ACC).write_bytes(packed[:20] + b"\xff" * 8 + packed[28:])  # flipped bytes inside the stream
    with pytest.raises(ArchiveDamaged) as err:
        archive.get(ACC)
    assert err.value.reason == "archive_unreadable"
    archive.path(ACC).write_bytes(packed[: len(packed) // 2])  # cut short
    with pytest.raises(ArchiveDamaged) as err:
        archive.get(ACC)
    assert err.value.reason == "archive_unreadable"


def test_a_gzip_bomb_in_the_archive_costs_a_bounded_amount_of_memory(tmp_path):
    archive = RawArchive(tmp_path, max_bytes=4 * 1024 * 1024)
    archive.path(ACC).parent.mkdir(parents=True, exist_ok=True)
    # 64 MiB of zeros packs into ~64 KB; at 2 GiB the same file would have taken gigabytes to read.
    archive.path(ACC).write_bytes(gzip.compress(b"\0" * (64 * 1024 * 1024)))
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveDamaged) as err:
            archive.get(ACC)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.reason == "archive_too_large"
    assert peak < 16 * 1024 * 1024


def test_inflate_bounded_reads_what_gzip_reads():
    body = b"<SEC-DOCUMENT>" + bytes(range(256)) * 400 + b"</SEC-DOCUMENT>"
    assert inflate_bounded(gzip.compress(body), len(body)) == body
    assert inflate_bounded(gzip.compress(body) + gzip.compress(b"!"), len(body) + 1) == body + b"!"  # two members
    assert inflate_bounded(gzip.compress(body) + b"\0" * 16, len(body)) == body  # zero padding, as gzip(1)
    with pytest.raises(ValueError):
        inflate_bounded(gzip.compress(body), len(body) - 1)
    with pytest.raises(EOFError):
        inflate_bounded(gzip.compress(body)[:-12], len(body))
    with pytest.raises(zlib.error):
        inflate_bounded(b"not gzip at all", 100)
