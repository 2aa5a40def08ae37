"""The progress bar: segments done of total, how many were cached, an ETA."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from rich.console import Console

from mmlanim.progress import RichReporter


def test_the_bar_counts_segments_and_cached_ones_with_an_eta() -> None:
    reporter = RichReporter()
    buffer = io.StringIO()
    reporter.console = Console(file=buffer, force_terminal=True, width=120, color_system=None)
    reporter.start(3, 0)
    reporter.segment_done("intro", cached=True)
    reporter.segment_done("sum", cached=False)
    reporter.stage("joining")
    reporter.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", buffer.getvalue()).replace("\r", "\n")
    last = [line for line in text.splitlines() if line.strip()][-1]
    assert "joining" in last and "2/3" in last and "1 cached" in last and "ETA" in last


@pytest.mark.render
@pytest.mark.parametrize("flag", ["--quiet", None, "--verbose"])
def test_manims_own_output_only_with_verbose(tmp_path, flag) -> None:
    from conftest import TEST_DATA

    lecture = tmp_path / "two-segments.yaml"
    lecture.write_text((TEST_DATA / "two-segments.yaml").read_text())
    args = [sys.executable, "-m", "mmlanim", "render", str(lecture), "--segment", "sum", "-q", "l", "-r", "64,36",
            "-o", str(tmp_path / "out"), "--voice", "silent", "--no-cache", "-j", "1"]
    env = dict(os.environ, MMLANIM_CACHE_DIR=str(tmp_path / "cache"))
    result = subprocess.run(args + ([flag] if flag else []), capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("sum.mp4")
    manim_lines = [line for line in result.stderr.splitlines() if "INFO" in line or "Animation" in line]
    if flag == "--quiet":
        assert result.stderr == ""
    elif flag is None:
        assert "1 segments: 1 rendered, 0 cached" in result.stderr and manim_lines == []
    else:
        assert manim_lines  # manim's logs and per-animation bars
