"""Worker processes and the resource tracker end with the render that started them (defect 9)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import TEST_DATA

pytestmark = pytest.mark.render


def children_of(pid: int) -> set[int]:
    """Every living descendant of ``pid``, read from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def command_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_parallel_render_leaves_no_process_behind(tmp_path: Path) -> None:
    lecture = tmp_path / "lecture.yaml"
    shutil.copyfile(TEST_DATA / "three-segments.yaml", lecture)
    env = {**os.environ, "MMLANIM_CACHE_DIR": str(tmp_path / "cache")}
    render = subprocess.Popen([sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
                               "--voice", "silent", "-j", "2", "--quiet", "-o", str(tmp_path / "out")],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        descendants: set[int] = set()
        while time.monotonic() < deadline and len(descendants) < 3:  # two workers and the resource tracker
            descendants |= children_of(render.pid)
            time.sleep(0.05)
        assert len(descendants) >= 3, "the render did not start its workers"
    finally:
        render.send_signal(signal.SIGKILL)
        render.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(map(alive, descendants)):
        time.sleep(0.1)
    left = [pid for pid in descendants if alive(pid)]
    for pid in left:  # clean up after a failure
        os.kill(pid, signal.SIGKILL)
    assert left == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_a_render_stops_a_looping_latex(tmp_path: Path) -> None:
    lecture = tmp_path / "loop.yaml"
    lecture.write_text("title: Loop\nsegments:\n  - id: one\n    narration: An arrow.\n"
                       "    visual: {kind: vectors, vectors: [[1, 2]], names: ['\\loop\\iftrue\\repeat']}\n")
    env = {**os.environ, "MMLANIM_CACHE_DIR": str(tmp_path / "cache"), "MMLANIM_LATEX_TIMEOUT": "120"}
    render = subprocess.Popen([sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
                               "--voice", "silent", "-j", "1", "--quiet", "-o", str(tmp_path / "out")],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, latex = time.monotonic() + 60, set()
        while time.monotonic() < deadline and not latex:
            latex = {pid for pid in children_of(render.pid) if command_of(pid) in ("latex", "pdftex")}
            time.sleep(0.05)
        assert latex, "LaTeX did not start"
    finally:
        render.send_signal(signal.SIGKILL)
        render.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(alive, latex)):
        time.sleep(0.1)
    left = [pid for pid in latex if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
