"""``preview --watch``: a change to the lecture or a file it uses renders the segment again."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from conftest import RECORDED_LECTURE, TEST_DATA, default_sigint

from mmlanim.errors import LectureError, UserError
from mmlanim.watch import WatchEvent, segment_inputs, watch_segment

WAIT = 60.0  # seconds; generous, the machine is shared


class Watcher:
    """``watch_segment`` in a thread, its events in a queue."""

    def __init__(self, lecture: Path, segment: str, render=None):
        self.renders = 0
        self.events: queue.Queue[WatchEvent] = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch_segment, args=(lecture, segment, render or self.fake_render, self.events.put, self.stop),
            kwargs={"debounce": 0.2}, daemon=True)

    def fake_render(self) -> str:
        self.renders += 1
        return f"render {self.renders}"

    def next(self, kind: str, timeout: float = WAIT) -> WatchEvent:
        """The next event of ``kind`` (skipping others)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {kind!r} event within {timeout} s") from None
            if event.kind == kind:
                return event

    def quiet(self, seconds: float) -> list[WatchEvent]:
        """Events arriving in the next ``seconds``."""
        time.sleep(seconds)
        out = []
        while not self.events.empty():
            out.append(self.events.get())
        return out

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the watcher did not stop"


@pytest.fixture
def lecture(tmp_path) -> Path:
    path = tmp_path / "lecture.yaml"
    path.write_text((TEST_DATA / "two-segments.yaml").read_text())
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_edits_render_again_and_a_broken_edit_reports_and_keeps_watching(lecture):
    with Watcher(lecture, "sum") as w:
        assert w.next("watching").files == (lecture,)
        assert w.next("rendered").result == "render 1"
        edit(lecture, "Two vectors", "Two arrows")
        assert w.next("changed").files == (lecture,)
        assert w.next("rendered").result == "render 2"

        edit(lecture, "kind: vectors", "kind: vectr")
        error = w.next("error").error
        assert isinstance(error, LectureError)
        assert str(error.problems[0]) == (f"{lecture}:18:13: unknown visual kind 'vectr'; did you mean 'vectors'? "
                                          "(see `mmlanim visuals`)")
        edit(lecture, "kind: vectr", "kind: vectors")
        assert w.next("rendered").result == "render 3"
    assert w.renders == 3


def test_unrelated_files_and_reads_do_not_render(lecture):
    with Watcher(lecture, "sum") as w:
        w.next("rendered")
        (lecture.parent / "notes.txt").write_text("x")
        (lecture.parent / ".lecture.yaml.swp").write_text("x")
        (lecture.parent / "renders").mkdir()
        lecture.read_text()
        assert [e.kind for e in w.quiet(1.5)] == []
    assert w.renders == 1


def test_editor_save_by_rename_renders_again(lecture):
    with Watcher(lecture, "sum") as w:
        w.next("rendered")
        tmp = lecture.with_name(".lecture.yaml.tmp")
        tmp.write_text(lecture.read_text().replace("Two vectors", "Two arrows"))
        os.replace(tmp, lecture)
        assert w.next("rendered").result == "render 2"


def test_a_burst_of_writes_renders_once(lecture):
    with Watcher(lecture, "sum") as w:
        w.next("rendered")
        text = lecture.read_text()
        for i in range(5):  # well within the debounce time of each other
            lecture.write_text(text.replace("Two vectors", f"Two vectors, take {i}"))
            time.sleep(0.02)
        assert w.next("rendered").result == "render 2"
        assert [e.kind for e in w.quiet(1.0)] == []


def test_a_failed_render_is_reported_and_watching_goes_on(lecture):
    calls = []

    def render():
        calls.append(1)
        if len(calls) == 1:
            raise UserError("segment 'sum' failed: boom")
        return "ok"

    with Watcher(lecture, "sum", render) as w:
        assert str(w.next("error").error) == "segment 'sum' failed: boom"
        edit(lecture, "Two vectors", "Two arrows")
        assert w.next("rendered").result == "ok"


def test_an_unknown_segment_is_reported_until_it_exists(lecture):
    with Watcher(lecture, "total") as w:
        error = w.next("error").error
        assert "no segment with id 'total'" in str(error)
        edit(lecture, "id: sum", "id: total")
        assert w.next("rendered").result == "render 1"


RECORDED = RECORDED_LECTURE


def test_recordings_are_watched_and_the_set_follows_the_lecture(tmp_path):
    lecture = tmp_path / "rec.yaml"
    lecture.write_text(RECORDED)
    takes = tmp_path / "takes"
    takes.mkdir()
    (takes / "hello.wav").write_bytes(b"RIFF1")
    (takes / "again.wav").write_bytes(b"RIFF2")
    assert segment_inputs(lecture, "one") == {lecture.absolute(), tmp_path / "takes" / "hello.wav"}
    with Watcher(lecture, "one") as w:
        assert w.next("watching").files == (lecture, takes / "hello.wav")
        w.next("rendered")
        (takes / "hello.wav").write_bytes(b"RIFF1 re-recorded")
        assert w.next("changed").files == (takes / "hello.wav",)
        assert w.next("rendered").result == "render 2"

        edit(lecture, "takes/hello.wav", "takes/again.wav")  # the set is worked out again
        assert w.next("watching").files == (lecture, takes / "again.wav")
        assert w.next("rendered").result == "render 3"
        (takes / "hello.wav").write_bytes(b"no longer used")
        assert [e.kind for e in w.quiet(1.0)] == []
        (takes / "again.wav").write_bytes(b"RIFF2 re-recorded")
        assert w.next("rendered").result == "render 4"


def test_a_visuals_input_files_are_watched(lecture, monkeypatch):
    from mmlanim.visuals import registry

    data = lecture.parent / "data" / "points.csv"  # its folder does not exist yet
    monkeypatch.setattr(registry()["vectors"], "input_files", lambda self: [self.context.base_dir / "data/points.csv"])
    with Watcher(lecture, "sum") as w:
        assert data in w.next("watching").files
        w.next("rendered")
        data.parent.mkdir()
        data.write_text("x,y\n1,2\n")
        assert w.next("rendered").result == "render 2"
        data.write_text("x,y\n1,3\n")
        assert w.next("rendered").result == "render 3"


@pytest.mark.render
def test_watch_with_a_real_still_render(tmp_path):
    from mmlanim.render.pipeline import preview_segment

    lecture = tmp_path / "lecture.yaml"
    lecture.write_text((TEST_DATA / "two-segments.yaml").read_text())
    render = partial(preview_segment, lecture, "intro", still=True, resolution=(64, 36),
                     out_dir=tmp_path / "out", voice={"engine": "silent"})
    with Watcher(lecture, "intro", render) as w:
        png = w.next("rendered", timeout=300).result
        first = png.read_bytes()
        edit(lecture, "kind: title\n", "kind: title\n      subtitle: A much longer subtitle line\n")
        assert w.next("rendered", timeout=300).result == png
        assert png.read_bytes() != first


@pytest.mark.render
def test_ctrl_c_ends_preview_watch_cleanly(tmp_path):
    lecture = tmp_path / "lecture.yaml"
    lecture.write_text((TEST_DATA / "two-segments.yaml").read_text())
    proc = subprocess.Popen([sys.executable, "-m", "mmlanim", "preview", str(lecture), "intro", "--still",
                             "-r", "64,36", "-o", str(tmp_path / "out"), "--watch"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=default_sigint)
    try:
        first = proc.stdout.readline().strip()  # the first still's path, once rendered
        assert first.endswith("intro.png") and Path(first).is_file()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "watching 1 file (Ctrl-C to stop): lecture.yaml" in err
    assert err.rstrip().endswith("stopped watching")
    assert "Traceback" not in err
