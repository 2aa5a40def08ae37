"""A course: several lectures in one run, on one pool of workers started once."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from conftest import default_sigint
from reliability.decoding import frames_shown

from mmlanim.errors import UserError
from mmlanim.lecture.files import lecture_paths
from mmlanim.render import course, pipeline, schedule
from mmlanim.render.course import render_course
from mmlanim.render.pipeline import RenderOptions

LECTURE = """\
title: {title}
segments:
{segments}"""
SEGMENT = """\
  - id: s{n}
    narration: Segment {n} of {title}.
    visual: {{kind: title, subtitle: Part {n}}}
"""


def write(folder: Path, name: str, segments: int) -> Path:
    text = LECTURE.format(title=name, segments="".join(SEGMENT.format(n=n, title=name) for n in range(segments)))
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Recorder:
    """A reporter that keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def note(self, text: str) -> None:
        self.calls.append(("note", text))

    def start(self, total: int, cached: int) -> None:
        self.calls.append(("start", (total, cached)))

    def segment_done(self, segment_id: str, cached: bool) -> None:
        self.calls.append(("done", segment_id))

    def stage(self, text: str) -> None:
        self.calls.append(("stage", text))

    def close(self) -> None:
        self.calls.append(("close", None))


def _logged(real: Any, log: list[str]) -> Any:
    """``real``, logging each call: the file name it was given, or its own name."""
    def logged(*args: Any) -> Any:
        log.append(Path(args[0]).name if args else real.__name__)
        return real(*args)
    return logged


@pytest.fixture
def counted_pools(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every worker pool a course starts, with the worker processes it ran."""
    pools: list[dict[str, Any]] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.record: dict[str, Any] = {"pids": set()}
            pools.append(self.record)

        def shutdown(self, *args: Any, **kwargs: Any) -> None:
            self.record["pids"] |= set(self._processes or {})
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(schedule, "ProcessPoolExecutor", Counted)
    return pools


def _opts(tmp_path: Path) -> RenderOptions:
    return RenderOptions(quality="l", resolution=(64, 36), voice={"engine": "silent"}, jobs=2,
                         out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")


@pytest.mark.render
def test_a_course_renders_in_one_run_on_one_pool(tmp_path: Path, counted_pools: list[dict[str, Any]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "lectures"
    folder.mkdir()
    write(folder, "first", 3)
    write(folder, "second", 2)
    bar = Recorder()
    order: list[str] = []  # the fork server starts warming before the lectures are read, each once
    for owner, name in ((course, "warm_fork_server"), (course, "load_lecture"), (pipeline, "load_lecture")):
        monkeypatch.setattr(owner, name, _logged(getattr(owner, name), order))
    result = render_course([folder], _opts(tmp_path), bar)
    assert order == ["warm_fork_server", "first.yaml", "second.yaml"]
    assert not result.failures
    assert [p.name for p, _ in result.results] == ["first.yaml", "second.yaml"]
    # One pool, started once, of two workers, for the whole course.
    assert len(counted_pools) == 1 and len(counted_pools[0]["pids"]) == 2 and result.workers == 2
    for (_, lecture), n in zip(result.results, (3, 2)):
        assert lecture.video is not None and lecture.rendered == n
        manifest = json.loads((lecture.folder / "manifest.json").read_text(encoding="utf-8"))
        assert [s["id"] for s in manifest["segments"]] == [f"s{i}" for i in range(n)]
        assert frames_shown(lecture.video, 15) == round(manifest["duration"] * 15)
    # One bar over the course: started once with every segment, each counted, lectures counted.
    assert [c for c in bar.calls if c[0] == "start"] == [("start", (5, 0))]
    assert sorted(c[1] for c in bar.calls if c[0] == "done") == sorted(
        [f"first/s{i}" for i in range(3)] + [f"second/s{i}" for i in range(2)])
    stages = [c[1] for c in bar.calls if c[0] == "stage"]
    assert stages[0] == "course: 0/2 lectures" and "course: 2/2 lectures" in stages


@pytest.mark.render
def test_a_failing_lecture_does_not_stop_the_others(tmp_path: Path, counted_pools: list[dict[str, Any]]) -> None:
    from click.testing import CliRunner

    from mmlanim.cli import main

    good = write(tmp_path, "good", 2)
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Bad\nsegments:\n  - id: a\n    narration: Hi.\n    visual: {kind: nope}\n",
                   encoding="utf-8")
    result = render_course([bad, good], _opts(tmp_path))
    assert [p for p, _ in result.results] == [good]
    assert result.results[0][1].video is not None and result.results[0][1].video.is_file()
    [failure] = result.failures
    assert failure.path == bad and failure.message.startswith(f"{bad}:5:")
    # The command says which lecture failed, where, and exits 1 after rendering the other.
    run = CliRunner().invoke(main, ["render", str(bad), str(good), "--voice", "silent", "-q", "l", "-r", "64,36",
                                    "-j", "2", "-o", str(tmp_path / "out2"), "--quiet"])
    assert run.exit_code == 1, run.output
    assert f"{bad}:5:" in run.stderr and "1 of 2 lectures failed" in run.stderr and "Traceback" not in run.output
    assert run.stdout.split() == [str(tmp_path / "out2" / "good" / "36p15" / "good.mp4")]


def test_lecture_paths_take_files_folders_and_globs(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a", 1), write(tmp_path, "b", 1)
    (tmp_path / "notes.txt").write_text("x")
    assert lecture_paths([tmp_path]) == [a, b]
    assert lecture_paths([str(tmp_path / "*.yaml"), a]) == [a, b]  # each lecture once
    with pytest.raises(UserError, match="no such file"):
        lecture_paths([tmp_path / "missing.yaml"])
    with pytest.raises(UserError, match="matches no file"):
        lecture_paths([str(tmp_path / "*.yml")])


def test_a_folder_of_course_folders_names_every_lecture_under_it(tmp_path: Path) -> None:
    for name in ("b/2.yaml", "a/1.yml", "a/notes.txt", ".hidden/x.yaml", "top.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("title: x\n", encoding="utf-8")
    names = [p.relative_to(tmp_path).as_posix() for p in lecture_paths([tmp_path])]
    assert names == ["a/1.yml", "b/2.yaml", "top.yaml"]


def test_two_lectures_of_one_name_are_refused_and_the_others_render(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, "intro", 1)
    write(tmp_path / "b", "other", 1)
    result = render_course([tmp_path], RenderOptions(quality="l", resolution=(64, 36), voice={"engine": "silent"},
                                                     out_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                                                     jobs=1))
    assert [p.relative_to(tmp_path).as_posix() for p, _ in result.results] == ["a/intro.yaml", "b/other.yaml"]
    [failure] = result.failures
    assert failure.path == tmp_path / "b" / "intro.yaml"
    assert "same folder as" in failure.message and "a/intro.yaml" in failure.message


@pytest.mark.render
def test_ctrl_c_stops_a_course_at_once_and_keeps_what_was_finished(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "lectures"
    folder.mkdir()
    for name in ("one", "two", "three", "four"):
        write(folder, name, 4)
    cache, out = tmp_path / "cache", tmp_path / "out"
    log = tmp_path / "stderr.txt"
    with log.open("w") as errors:
        proc = subprocess.Popen([sys.executable, "-m", "mmlanim", "render", str(folder), "-q", "l", "-r", "64,36",
                                 "--voice", "silent", "-j", "2", "-o", str(out), "--quiet"],
                                env=dict(os.environ, MMLANIM_CACHE_DIR=str(cache), PYTHONFAULTHANDLER="1"),
                                stdout=subprocess.DEVNULL, stderr=errors, text=True, start_new_session=True,
                                preexec_fn=default_sigint)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((cache / "segments").glob("??/[!.]*.mp4")):
        time.sleep(0.05)  # interrupt once a segment is done
    assert proc.poll() is None, "the course finished before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    stopped = time.monotonic()
    try:  # the render itself (a process it started that outlived it would hold a pipe open, not this file)
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        survivors = subprocess.run(["ps", "-o", "pid,stat,etime,args", "-g", str(proc.pid)], capture_output=True,
                                   text=True).stdout
        proc.send_signal(signal.SIGABRT)  # its threads' stacks, into the log
        time.sleep(2)
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"still running 60 s after Ctrl-C:\n{survivors}\n{log.read_text()}") from None
    stderr = log.read_text()
    assert proc.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert time.monotonic() - stopped < 20  # the waiting segments were dropped, not rendered first
    kept = list((cache / "segments").glob("??/[!.]*.mp4"))
    assert 1 <= len(kept) < 16
    # Lectures that were joined are whole (their manifest written last); the others have no outputs.
    for lecture in out.glob("*/36p15"):
        assert (lecture / "manifest.json").is_file() == (lecture / f"{lecture.parent.name}.mp4").is_file()


def test_a_dropped_segment_wakes_whoever_waits_for_it() -> None:
    import threading
    from concurrent.futures import wait

    queue = schedule.SegmentQueue(None, 0)  # type: ignore[arg-type]  # no worker: every segment waits
    future = queue.submit(None, 1.0)  # type: ignore[arg-type]
    woken = threading.Event()
    waiter = threading.Thread(target=lambda: (wait([future]), woken.set()), daemon=True)
    waiter.start()
    queue.stop()  # Ctrl-C
    assert woken.wait(5), "a render waiting for a dropped segment would wait for ever"
    assert future.cancelled()
