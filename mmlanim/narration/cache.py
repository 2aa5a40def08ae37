"""A content-addressed cache of synthesised audio files."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..integrity import store_verified, verified, verified_bytes
from ..paths import default_cache_dir

__all__ = ["AudioCache", "CacheStats", "cached_file", "cached_samples"]


@dataclass
class CacheStats:
    """What an :class:`AudioCache` did: files made and files served."""

    made: int = 0
    hits: int = 0


class AudioCache:
    """Audio files stored under their cache key.

    A key ``abcdef...`` is stored as ``root/ab/abcdef....wav``. Files are
    written to a temporary name in the same folder and renamed into place
    (:func:`~mmlanim.integrity.store_verified`), so an interrupted synthesis never
    leaves a partial file that would be served, and each file's hash is
    recorded: a damaged file is made again, never served.

    Parameters
    ----------
    root : Path, optional
        Folder of the cache; default ``default_cache_dir() / "audio"``.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_cache_dir() / "audio"
        self.stats = CacheStats()

    def path_for(self, key: str, suffix: str = ".wav") -> Path:
        """Where the file of ``key`` is (or would be) stored."""
        if len(key) < 3 or not key.isalnum():
            raise ValueError(f"cache keys are alphanumeric digests, got {key!r}")
        return self.root / key[:2] / f"{key}{suffix}"

    def get_or_make(self, key: str, make: Callable[[Path], None]) -> Path:
        """Return the file of ``key``, making it first if it is not cached.

        Parameters
        ----------
        key : str
            The cache key (a hex digest).
        make : callable
            ``make(path)`` writes the audio file to ``path``; called only on a
            miss, with a temporary path in the cache folder.

        Returns
        -------
        Path
            The cached file.

        Raises
        ------
        Exception
            Whatever ``make`` raises; nothing is then stored.
        """
        final = self.path_for(key)
        with _one_maker(final):  # a thread asking for what another is making waits for it
            if verified(final):
                self.stats.hits += 1
                return final
            try:
                store_verified(final, make)
            except RuntimeError:
                raise RuntimeError(f"making the audio for cache key {key} wrote nothing") from None
            self.stats.made += 1
            return final


#: One lock per cache file being asked for in this process (see :func:`_one_maker`).
_makers: dict[Path, threading.Lock] = {}
_makers_guard = threading.Lock()


@contextlib.contextmanager
def _one_maker(path: Path) -> Iterator[None]:
    """Within: no other thread of this process makes or reads ``path``. The segments of a render
    are narrated side by side, and the same sentence (or narration) in two of them is made once."""
    with _makers_guard:
        lock = _makers.setdefault(path, threading.Lock())
    with lock:
        yield


def cached_samples(cache: AudioCache, key: str, make: Callable[[], np.ndarray]) -> np.ndarray:
    """Samples stored exactly (raw little-endian float32, ``.f32``) under ``key``, made by ``make()`` on a miss.

    The samples returned are always those read back from the cache, so a first
    render and every later one hear (and fingerprint) the very same values.
    Work kept, not speech made: :attr:`AudioCache.stats` does not count these.
    """
    path = cache.path_for(key, ".f32")
    with _one_maker(path):
        stored = verified_bytes(path)  # read once: checked, then used
        if stored is None:
            samples = np.ascontiguousarray(make(), dtype="<f4")
            if not samples.size:  # nothing to keep (a file must hold something)
                return samples.astype(np.float32, copy=False)
            store_verified(path, samples.tofile)
            return np.fromfile(path, dtype="<f4").astype(np.float32, copy=False)
        return np.frombuffer(stored, dtype="<f4").astype(np.float32)  # a writable copy, as fromfile gives


def cached_file(cache: AudioCache, key: str, suffix: str, make: Callable[[Path], None]) -> Path:
    """The file stored under ``key`` (with ``suffix``), written by ``make(path)`` on a miss.

    Like :func:`cached_samples`, work kept rather than speech made (such as a
    narration's encoded sound): :attr:`AudioCache.stats` does not count it.
    """
    path = cache.path_for(key, suffix)
    with _one_maker(path):
        if not verified(path):
            store_verified(path, make)
        return path
