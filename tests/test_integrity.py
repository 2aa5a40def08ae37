"""Stored files and their records: a file is used only while its bytes match the record."""

from __future__ import annotations

import hashlib
from pathlib import Path

from mmlanim.integrity import record_for, store_verified, verified, verified_bytes


def _stored(tmp_path: Path, data: bytes) -> Path:
    return store_verified(tmp_path / "entry.bin", lambda p: p.write_bytes(data))


def test_verified_bytes_are_the_file_while_it_matches_its_record(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    path = _stored(tmp_path, data)
    assert record_for(path).read_text(encoding="ascii").split() == [hashlib.sha256(data).hexdigest(), str(len(data))]
    assert verified(path)
    assert verified_bytes(path) == data


def test_changed_shortened_or_unrecorded_files_are_refused(tmp_path: Path) -> None:
    data = b"\x00\x01" * 500
    path = _stored(tmp_path, data)
    path.write_bytes(b"\x00\x02" * 500)  # same size, other bytes
    assert verified_bytes(path) is None and not verified(path)
    path.write_bytes(data[:-1])  # cut short
    assert verified_bytes(path) is None and not verified(path)
    path.write_bytes(data)
    assert verified_bytes(path) == data
    record_for(path).unlink()
    assert verified_bytes(path) is None and not verified(path)
    assert verified_bytes(tmp_path / "missing.bin") is None
