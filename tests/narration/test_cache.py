from __future__ import annotations

from pathlib import Path

import pytest

from mmlanim.narration.cache import AudioCache
from mmlanim.paths import default_cache_dir

KEY = "ab" + "0" * 62


def test_get_or_make_makes_once(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path)
    calls = []

    def make(path: Path) -> None:
        calls.append(path)
        path.write_bytes(b"RIFF....")

    first = cache.get_or_make(KEY, make)
    second = cache.get_or_make(KEY, make)
    assert first == second == tmp_path / "ab" / f"{KEY}.wav"
    assert first.read_bytes() == b"RIFF...."
    assert len(calls) == 1 and calls[0].parent == first.parent and calls[0] != first
    assert (cache.stats.made, cache.stats.hits) == (1, 1)


def test_failed_make_leaves_nothing(tmp_path: Path) -> None:
    cache = AudioCache(tmp_path)

    def crash(path: Path) -> None:
        path.write_bytes(b"half a fi")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cache.get_or_make(KEY, crash)
    assert list((tmp_path / "ab").iterdir()) == []
    with pytest.raises(RuntimeError, match="wrote nothing"):
        cache.get_or_make(KEY, lambda path: None)
    assert list((tmp_path / "ab").iterdir()) == []
    assert cache.stats.made == 0


def test_rejects_odd_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="digest"):
        AudioCache(tmp_path).path_for("../../etc")


def test_default_cache_dir(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MMLANIM_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    assert AudioCache().root == tmp_path / "c" / "audio"
    monkeypatch.delenv("MMLANIM_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert default_cache_dir() == tmp_path / "x" / "mmlanim"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "mmlanim"


def test_threads_asking_for_the_same_key_together_make_it_once(tmp_path: Path) -> None:
    """A render narrates segments side by side: a sentence (or a narration) two of them share is
    made by one thread while the others wait, then served to them."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from mmlanim.narration.cache import cached_samples

    cache = AudioCache(tmp_path)
    made: list[str] = []
    start = threading.Barrier(6)

    def write(path: Path) -> None:
        made.append("wav")
        time.sleep(0.2)  # long enough for every thread to arrive while it is being made
        path.write_bytes(b"RIFF" + bytes(40))

    def samples() -> np.ndarray:
        made.append("f32")
        time.sleep(0.2)
        return np.arange(5, dtype=np.float32)

    def ask(_: int) -> tuple[bytes, list[float]]:
        start.wait()
        wav = cache.get_or_make("abc123", write).read_bytes()
        return wav, cached_samples(cache, "def456", samples).tolist()

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(ask, range(6)))
    assert sorted(made) == ["f32", "wav"]
    assert all(r == (b"RIFF" + bytes(40), [0.0, 1.0, 2.0, 3.0, 4.0]) for r in results)
    assert (cache.stats.made, cache.stats.hits) == (1, 5)
