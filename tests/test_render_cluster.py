"""A course on a Dask cluster: a real LocalCluster of worker processes on 127.0.0.1, tiny renders."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import pytest
from conftest import ROOT, default_sigint
from reliability.decoding import frames_shown

from mmlanim.errors import LectureError, UserError
from mmlanim.render.cluster import EVENT_TOPIC, connect
from mmlanim.render.course import render_course
from mmlanim.render.pipeline import RenderOptions, render_lecture

pytestmark = pytest.mark.render

CSV = ROOT / "lectures" / "multivariate-calculus" / "data" / "study-hours.csv"

FIRST = """\
title: First
segments:
  - id: intro
    narration: The first lecture begins.
    visual: {kind: title, subtitle: One}
  - id: csv
    narration: A line fitted to data read from a file.
    visual:
      kind: linear_regression
      data: {csv: data/hours.csv, columns: [hours, score]}
      steps: 3
  - id: end
    narration: That was the first lecture, and this sentence is longer.
    visual: {kind: title, subtitle: Three}
"""
SECOND = """\
title: Second
segments:
  - id: a
    narration: The second lecture.
    visual: {kind: title, subtitle: A}
  - id: b
    narration: It ends here.
    visual: {kind: title, subtitle: B}
"""


def _local_cluster(workers: int, **kwargs: Any) -> Any:
    from distributed import LocalCluster

    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=":0", **kwargs)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two single-thread worker processes on 127.0.0.1 (each with a nanny that restarts it if killed)."""
    with _local_cluster(2) as local:
        yield local


def _course(folder: Path) -> Path:
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(CSV, folder / "data" / "hours.csv")
    (folder / "first.yaml").write_text(FIRST, encoding="utf-8")
    (folder / "second.yaml").write_text(SECOND, encoding="utf-8")
    return folder


def _opts(tmp_path: Path, name: str, **kw: Any) -> RenderOptions:
    return RenderOptions(quality="l", resolution=(64, 36), voice={"engine": "silent"}, jobs=2,
                         out_dir=tmp_path / name / "out", cache_dir=tmp_path / name / "cache", **kw)


def _video_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as f:
        return [bytes(p) for p in f.demux(f.streams.video[0]) if p.size]


def _frames(path: Path) -> int:
    return frames_shown(path, 15)


def test_a_course_on_the_cluster_equals_the_local_render_and_fills_the_clients_cache(
        cluster: Any, tmp_path: Path) -> None:
    folder = _course(tmp_path / "lectures")
    local = render_course([folder], _opts(tmp_path, "local"))
    with connect(cluster.scheduler_address) as engine:
        remote = render_course([folder], _opts(tmp_path, "cluster", cluster=engine))
        assert engine.stats.tasks == 5 and engine.stats.bytes_back > 0
    assert not local.failures and not remote.failures
    for (path_a, a), (path_b, b) in zip(local.results, remote.results, strict=True):
        assert path_a == path_b and a.rendered == b.rendered == len(a.segments)
        manifest_a = json.loads((a.folder / "manifest.json").read_text(encoding="utf-8"))
        manifest_b = json.loads((b.folder / "manifest.json").read_text(encoding="utf-8"))
        assert manifest_a["segments"] == manifest_b["segments"]  # ids, titles, starts, ends, beats, sentences
        assert manifest_a["duration"] == manifest_b["duration"]
        for seg_a, seg_b in zip(a.segments, b.segments, strict=True):
            packets = _video_packets(seg_b.file)
            assert packets and packets == _video_packets(seg_a.file)  # the same H.264 stream, byte for byte
        assert _frames(b.video) == round(manifest_b["duration"] * 15)
    # The pictures drawn on the workers are in the client's cache: a local render serves them all.
    again = render_course([folder], replace(_opts(tmp_path, "cluster"), out_dir=tmp_path / "again"))
    assert [r.rendered for _, r in again.results] == [0, 0]
    assert [r.cached for _, r in again.results] == [3, 2]


def test_a_task_carries_the_files_its_segment_and_the_picture_it_opens_on_read(tmp_path: Path) -> None:
    from mmlanim.lecture import load_lecture
    from mmlanim.quality import quality
    from mmlanim.render.cluster import _inputs
    from mmlanim.render.worker import SegmentJob

    loaded = load_lecture(_course(tmp_path / "lectures") / "first.yaml")
    shipped = {}
    for seg in loaded.lecture.segments:
        job = SegmentJob(seg.id, seg.model_dump(mode="json"), loaded.visual(seg).context, (), quality("l"),
                         tmp_path / "x.mp4")
        shipped[seg.id] = _inputs(job)
    # csv reads the file; end opens on csv's last picture, rebuilt on the worker from the same file.
    assert shipped == {"intro": (), "csv": (("data/hours.csv", CSV.read_bytes()),),
                       "end": (("data/hours.csv", CSV.read_bytes()),)}


def test_a_shared_cache_carries_the_pictures_and_serves_another_client(cluster: Any, tmp_path: Path) -> None:
    folder = tmp_path / "lectures"
    folder.mkdir()
    (folder / "second.yaml").write_text(SECOND, encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    with connect(cluster.scheduler_address, shared_cache=shared) as engine:
        first = render_course([folder], _opts(tmp_path, "one", cluster=engine))
        assert engine.stats.tasks == 2 and engine.stats.bytes_back == 0 and engine.stats.from_shared == 2
    pictures = sorted(shared.rglob("*.mp4"))
    assert len(pictures) == 2 and all(p.with_name(p.name + ".sha256").is_file() for p in pictures)
    # Another client (its own cache) finds the pictures there: no task is sent.
    with connect(cluster.scheduler_address, shared_cache=shared) as engine:
        second = render_course([folder], _opts(tmp_path, "two", cluster=engine))
        assert engine.stats.tasks == 0 and engine.stats.from_shared == 2
    [(_, a)], [(_, b)] = first.results, second.results
    assert b.rendered == 2  # rendered for this client's cache, from the shared pictures
    for seg_a, seg_b in zip(a.segments, b.segments, strict=True):
        assert seg_a.file.read_bytes() == seg_b.file.read_bytes()


def test_a_failing_segment_on_a_worker_is_located_like_a_local_one(probe_kind: type, tmp_path: Path) -> None:
    lecture = tmp_path / "probe.yaml"
    lecture.write_text("title: T\nsegments:\n  - id: a\n    narration: One.\n    visual: {kind: title}\n"
                       "  - id: b\n    narration: Two.\n    visual:\n      kind: exploding\n", encoding="utf-8")
    with _local_cluster(1) as local, connect(local.scheduler_address) as engine:  # started after the probe kind
        with pytest.raises(LectureError) as info:
            render_lecture(lecture, _opts(tmp_path, "probe", cluster=engine))
    [problem] = info.value.problems
    assert (problem.line, problem.col) == (9, 7)  # b's visual
    assert problem.message.startswith("segment 'b' failed to render: RuntimeError: the probe exploded")


EXPLODING = """
from __future__ import annotations

from typing import Any

from mmlanim.visuals.base import Visual, VisualParams, beat


class Exploding(Visual, kind="exploding"):
    \"\"\"A test-only visual whose beat raises while rendering.\"\"\"

    class Params(VisualParams):
        pass

    @beat("Raise.")
    def show(self, scene: Any) -> Any:
        raise RuntimeError("the probe exploded")
        yield
"""


@pytest.fixture
def probe_kind(add_kinds: Any) -> type:
    """The kind ``exploding``, installed in this process and the worker processes started after it."""
    from mmlanim.visuals import registry

    add_kinds("exploding", {"exploding_kind": EXPLODING}, {"exploding": "exploding_kind:Exploding"})
    return registry()["exploding"]


def test_a_worker_without_latex_is_refused_by_name(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    with _local_cluster(1) as local:
        worker = subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", local.scheduler_address, "--nthreads", "1",
             "--name", "no-latex", "--no-dashboard", "--no-nanny"],
            env={**os.environ, "PATH": str(empty)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            from distributed import Client

            with Client(local.scheduler_address, set_as_default=False) as client:
                client.wait_for_workers(2, timeout=60)
            with pytest.raises(UserError) as info, connect(local.scheduler_address):
                pass
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    message = str(info.value)
    [line] = [line for line in message.splitlines() if "no-latex" in line]
    assert line.strip().startswith("worker 'no-latex' (tcp://127.0.0.1:")
    assert "'latex' is not installed" in line and "'dvisvgm' is not installed" in line
    assert message.count("lacks") == 1  # the other worker has everything


def test_workers_with_several_threads_are_refused(tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as local, pytest.raises(UserError, match="--nthreads 1"):
        with connect(local.scheduler_address):
            pass


def test_an_unreachable_scheduler_and_a_lone_shared_cache_are_one_line_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from mmlanim.cli import main

    with pytest.raises(UserError, match=r"^cannot reach the Dask scheduler at tcp://127.0.0.1:9: "):
        with connect("tcp://127.0.0.1:9", timeout=1):
            pass
    with pytest.raises(UserError, match="no such folder"), connect("local", shared_cache=tmp_path / "nowhere"):
        pass
    lecture = tmp_path / "a.yaml"
    lecture.write_text(SECOND, encoding="utf-8")
    run = CliRunner().invoke(main, ["render", str(lecture), "--shared-cache", str(tmp_path)])
    assert run.exit_code == 2 and "--shared-cache" in run.output and "needs --cluster" in run.output


LONG = " ".join(["This sentence is here to make the segment last long enough to be interrupted."] * 10)


def _long_course(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("one", "two"):
        (folder / f"{name}.yaml").write_text(
            f"title: {name}\nsegments:\n" + "".join(
                f"  - id: s{i}\n    narration: {LONG}\n    visual: {{kind: vectors, vectors: [[3, 1]]}}\n"
                for i in range(1)),
            encoding="utf-8")
    return folder


def _first_start(client: Any, seen: int, timeout: float = 60.0) -> dict[str, Any]:
    """The first segment a worker started after the ``seen`` first (polling the scheduler's event log)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        events = client.get_events(EVENT_TOPIC)
        if len(events) > seen:
            return events[seen][1]
        time.sleep(0.01)
    raise AssertionError("no segment started")


def test_a_worker_killed_mid_task_is_retried_and_the_course_completes(cluster: Any, tmp_path: Path) -> None:
    folder = _long_course(tmp_path / "lectures")
    with connect(cluster.scheduler_address) as engine:
        seen = len(engine.client.get_events(EVENT_TOPIC))
        done: dict[str, Any] = {}
        thread = threading.Thread(target=lambda: done.setdefault(
            "result", render_course([folder], _opts(tmp_path, "kill", cluster=engine))))
        thread.start()
        started = _first_start(engine.client, seen)
        [pid] = engine.client.run(os.getpid, workers=[started["worker"]]).values()
        os.kill(pid, signal.SIGKILL)
        thread.join(timeout=240)
        starts = [e for _, e in engine.client.get_events(EVENT_TOPIC) if e["key"] == started["key"]]
    result = done["result"]
    assert not result.failures and [r.rendered for _, r in result.results] == [1, 1]
    for _, lecture in result.results:
        manifest = json.loads((lecture.folder / "manifest.json").read_text(encoding="utf-8"))
        assert _frames(lecture.video) == round(manifest["duration"] * 15)
    # The killed worker's segment started again on another worker process.
    assert starts[0]["worker"] == started["worker"] and len(starts) >= 2
    assert any(e["worker"] != started["worker"] for e in starts[1:])


def test_ctrl_c_cancels_the_submitted_tasks(cluster: Any, tmp_path: Path) -> None:
    from distributed import Client

    folder = _long_course(tmp_path / "lectures")
    env = {**os.environ, "MMLANIM_CACHE_DIR": str(tmp_path / "cache")}
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        seen = len(client.get_events(EVENT_TOPIC))
        run = subprocess.Popen([sys.executable, "-m", "mmlanim", "render", str(folder), "--cluster",
                                cluster.scheduler_address, "--voice", "silent", "-q", "l", "-r", "64,36",
                                "-o", str(tmp_path / "out"), "--quiet"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=default_sigint)
        end = time.monotonic() + 60
        while len(client.get_events(EVENT_TOPIC)) == seen and time.monotonic() < end:
            time.sleep(0.01)
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=60)
        assert run.returncode == 130, stderr
        assert "interrupted" in stderr and "Traceback" not in stderr

        def segment_tasks(dask_scheduler: Any) -> list[str]:
            return [k for k in dask_scheduler.tasks if str(k).startswith("mmlanim-segment")]

        end = time.monotonic() + 30
        while (left := client.run_on_scheduler(segment_tasks)) and time.monotonic() < end:
            time.sleep(0.1)
        assert left == []  # the scheduler holds none of the render's tasks: waiting ones will never run
    assert not list((tmp_path / "out").rglob("*.mp4"))
