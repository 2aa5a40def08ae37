"""Lock files: never deleted by manim's clean-up, never followed through links (defects 10, 11, 12)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmlanim.cli import main
from mmlanim.errors import UserError
from mmlanim.fsutil import folder_lock
from mmlanim.quality import quality


@pytest.mark.render
def test_a_latex_run_keeps_this_process_s_slot_locked(tmp_path: Path) -> None:
    import manim

    from mmlanim.render.manim_config import manim_settings, tex_dir

    with manim_settings(quality("l", (64, 36)), tmp_path / "media"):
        manim.MathTex(rf"\text{{{uuid.uuid4().hex[:8]}}}")  # a new formula: LaTeX runs, manim cleans up after
    other = subprocess.run([sys.executable, "-c", "from mmlanim.render.manim_config import tex_dir; print(tex_dir())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(other) != tex_dir()


def test_a_lock_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / ".lock").symlink_to(victim)
    with pytest.raises(UserError, match=r"\.lock is not a regular file"):
        with folder_lock(folder):
            pass
    assert victim.read_text() == "precious"


LECTURE = """\
title: Locks
voice: {engine: silent}
segments:
  - id: one
    narration: Hello.
    visual: {kind: title}
"""


@pytest.mark.parametrize("make", ["folder", "dangling link", "fifo"])
def test_an_odd_lock_file_is_a_one_line_error(tmp_path: Path, make: str) -> None:
    lecture = tmp_path / "locks.yaml"
    lecture.write_text(LECTURE)
    folder = tmp_path / "out" / "locks" / "36p15"
    folder.mkdir(parents=True)
    lock = folder / ".lock"
    if make == "folder":
        lock.mkdir()
    elif make == "dangling link":
        lock.symlink_to(tmp_path / "nowhere")
    else:
        os.mkfifo(lock)
    result = CliRunner().invoke(main, ["render", str(lecture), "-q", "l", "-r", "64,36", "--quiet",
                                       "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{lock} is not a regular file" in lines[0], result.output
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.render
def test_cache_clear_keeps_the_latex_slot_locks(tmp_path: Path) -> None:
    from mmlanim.render.cache import clear_cache
    from mmlanim.render.manim_config import tex_dir

    mine = tex_dir()
    clear_cache()
    other = subprocess.run([sys.executable, "-c", "from mmlanim.render.manim_config import tex_dir; print(tex_dir())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(other) != mine
