"""Cache entries that prove themselves: a content hash recorded at store time, checked when served.

An entry ``NAME`` has a record ``NAME.sha256`` beside it holding the SHA-256
and the size of its bytes. The record is written (under a temporary name,
renamed) before the entry is renamed into place, so an entry is served only
when both are there and agree: a damaged, truncated or replaced entry, or
one left by an older version without a record, counts as missing and is
made again.
"""

from __future__ import annotations

__all__ = ["file_digest", "record_for", "store_verified", "verified", "verified_bytes"]

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from .fsutil import atomic_path


def file_digest(path: Path) -> str:
    """SHA-256 (hex) of the file at ``path``."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_for(path: Path) -> Path:
    """Where the record of the entry ``path`` is kept."""
    return path.with_name(path.name + ".sha256")


def _record(path: Path) -> str | None:
    """The digest recorded for ``path``, if it is a non-empty regular file of the recorded size."""
    try:
        digest, size = record_for(path).read_text(encoding="ascii").split()
        st = os.stat(path, follow_symlinks=False)
    except (OSError, ValueError):
        return None
    if not (st.st_mode & 0o170000 == 0o100000 and st.st_size == int(size) and st.st_size > 0):
        return None
    return digest


def verified(path: Path) -> bool:
    """Whether ``path`` is a regular file whose bytes match its record (size, then hash)."""
    digest = _record(path)
    if digest is None:
        return False
    try:
        return file_digest(path) == digest
    except OSError:
        return False


def verified_bytes(path: Path) -> bytes | None:
    """The bytes of ``path`` if they match its record (as :func:`verified`), else None: read once, for a
    caller that wants them (not read again after the check)."""
    digest = _record(path)
    if digest is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


def store_verified(path: Path, produce: Callable[[Path], None]) -> Path:
    """Store the file ``produce(tmp)`` writes as ``path`` with its record; both by rename.

    Raises whatever ``produce`` raises, or :class:`RuntimeError` if it wrote
    nothing; nothing is then stored.
    """
    with atomic_path(path) as tmp:
        produce(tmp)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise RuntimeError(f"making {path.name} wrote nothing")
        with atomic_path(record_for(path)) as rec:
            rec.write_text(f"{file_digest(tmp)} {tmp.stat().st_size}\n", encoding="ascii")
    return path
