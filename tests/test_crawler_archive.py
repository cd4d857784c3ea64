"""The raw archive: what goes in comes out byte for byte, compressed, hashed, and never half-written."""

from __future__ import annotations

import gzip
import hashlib
import threading

import pytest

from crawler.archive import RawArchive

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
