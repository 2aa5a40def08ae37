"""Atomic writes: a reader sees the old file or a whole new one, never a part."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from mmlanim.fsutil import LockBusy, atomic_path, folder_lock, remove_stale_partials


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_threads_writing_one_file_at_once_do_not_share_a_temporary(tmp_path: Path) -> None:
    target = tmp_path / "same.bin"
    inside, seen, errors = threading.Barrier(4), [], []

    def write(n: int) -> None:
        try:
            with atomic_path(target) as tmp:
                seen.append(tmp)
                tmp.write_bytes(bytes([n]) * 100_000)
                inside.wait(timeout=10)  # all four temporaries exist at once
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(seen)) == 4
    data = target.read_bytes()
    assert len(data) == 100_000 and len(set(data)) == 1  # one writer's whole file
    assert [p.name for p in tmp_path.iterdir()] == ["same.bin"]


def test_partials_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / ".lecture.partial-999999999-123.mp4"  # no such process
    mine = tmp_path / ".lecture.partial-1-123.mp4"  # pid 1 is alive
    for p in (dead, mine):
        p.write_bytes(b"x")
    remove_stale_partials(tmp_path)
    assert not dead.exists() and mine.exists()


def test_a_stale_folder_removed_by_another_sweep_meanwhile_is_no_error(tmp_path: Path, monkeypatch) -> None:
    """Two lectures of a course (or two renders) sweep one cache at once: a stale folder the other
    sweep removes after this one listed its parent must not fail the render."""
    import os
    import shutil

    gone = tmp_path / "segments" / ".render-999999999-abc"  # a killed render's private folder
    (gone / "deep").mkdir(parents=True)
    (gone / "deep" / "x.mp4").write_bytes(b"x")
    nested = tmp_path / "segments" / "ab" / ".cd.partial-999999999-1.mp4"
    nested.parent.mkdir()
    nested.write_bytes(b"x")
    kept = tmp_path / "segments" / "ab" / "cd.mp4"
    kept.write_bytes(b"x")
    real_scandir = os.scandir

    listed: dict[Path, list] = {}

    class Listing:  # what os.scandir gives: an iterator over entries, usable in a with statement
        def __init__(self, entries: list) -> None:
            self.it = iter(entries)

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.it)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def scandir(path=None):
        if isinstance(path, int) or path is None:  # shutil.rmtree's own listings
            return real_scandir() if path is None else real_scandir(path)
        if Path(path) != gone.parent:
            return real_scandir(path)
        # The cache folder was listed before the other sweep removed the stale folder in it.
        if gone.parent not in listed:
            with real_scandir(path) as it:
                listed[gone.parent] = list(it)
            shutil.rmtree(gone)
        return Listing(listed[gone.parent])

    monkeypatch.setattr(os, "scandir", scandir)
    remove_stale_partials(tmp_path)
    assert not gone.exists() and not nested.exists() and kept.read_bytes() == b"x"


def test_folder_lock_leaves_no_file_and_serialises_holders(tmp_path):
    folder = tmp_path / "out"
    events: list[str] = []
    waiting = threading.Event()
    release = threading.Event()

    def first() -> None:
        with folder_lock(folder):
            events.append("first in")
            release.wait(5)
            events.append("first out")

    def second() -> None:
        with folder_lock(folder, on_wait=lambda message: waiting.set()):
            events.append("second in")

    a = threading.Thread(target=first)
    a.start()
    while "first in" not in events:
        time.sleep(0.01)
    assert (folder / ".lock").is_file()  # it exists while held
    with pytest.raises(LockBusy, match="another render is writing"):
        with folder_lock(folder, wait=False):
            pass
    b = threading.Thread(target=second)
    b.start()
    assert waiting.wait(5)
    release.set()
    a.join(5)
    b.join(5)
    assert events == ["first in", "first out", "second in"]
    assert list(folder.iterdir()) == []  # nothing left behind
