"""I/O failures and odd manifests are one-line errors naming the real cause, or harmless (defect 12)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mmlanim.cli import main
from mmlanim.errors import UserError
from mmlanim.render.pipeline import RenderOptions, render_lecture

LECTURE = """\
title: Errors
voice: {engine: silent}
segments:
  - id: one
    narration: Hello.
    visual: {kind: title}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.mark.render
@pytest.mark.parametrize("content", ["null", "[]", '"x"', "7", "{bad json", "subtitles null"])
def test_an_odd_manifest_is_replaced_not_a_traceback(tmp_path: Path, content: str) -> None:
    lecture = tmp_path / "odd.yaml"
    lecture.write_text(LECTURE)
    opts = RenderOptions(quality="l", resolution=(64, 36), out_dir=tmp_path / "out", jobs=1)
    result = render_lecture(lecture, opts)
    manifest = result.folder / "manifest.json"
    if content == "subtitles null":
        data = json.loads(manifest.read_text())
        data["subtitles"] = None
        manifest.write_text(json.dumps(data))
    else:
        manifest.write_text(content)
    again = render_lecture(lecture, opts)
    data = json.loads(manifest.read_text())
    assert data["subtitles"] == ["odd.srt", "odd.vtt"]
    assert (again.folder / "odd.srt").read_text().strip()


def test_an_output_folder_under_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    lecture = tmp_path / "errors.yaml"
    lecture.write_text(LECTURE)
    (tmp_path / "file").write_text("not a folder")
    result = run("render", str(lecture), "-q", "l", "-r", "64,36", "--quiet", "-o", str(tmp_path / "file" / "out"))
    assert_one_line_error(result, "Not a directory", str(tmp_path / "file"), "a part of that path is a file")


def test_a_read_only_output_folder_is_a_one_line_error(tmp_path: Path, monkeypatch) -> None:
    lecture = tmp_path / "errors.yaml"
    lecture.write_text(LECTURE)
    real = Path.mkdir

    def read_only(self: Path, *args, **kwargs):
        if self.is_relative_to(tmp_path / "out"):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = run("render", str(lecture), "-q", "l", "-r", "64,36", "--quiet", "-o", str(tmp_path / "out"))
    assert_one_line_error(result, "Read-only file system", str(tmp_path / "out"), "choose a writable folder")


@pytest.mark.render
def test_a_full_disk_while_rendering_a_segment_is_not_blamed_on_the_visual(tmp_path: Path, monkeypatch) -> None:
    import mmlanim.render.segment as segment

    lecture = tmp_path / "errors.yaml"
    lecture.write_text(LECTURE)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "cache" / "x.mp4"))

    monkeypatch.setattr(segment, "render_segment_video", full)
    with pytest.raises(UserError) as info:
        render_lecture(lecture, RenderOptions(quality="l", resolution=(64, 36), out_dir=tmp_path / "out", jobs=1,
                                              cache_dir=tmp_path / "cache"))
    message = str(info.value)
    assert "No space left on device" in message and "free some space" in message
    assert "failed to render" not in message and "\n" not in message


def test_a_full_cache_disk_is_named_as_such_not_as_a_failed_voice(tmp_path: Path, monkeypatch) -> None:
    from mmlanim.narration import engines
    from mmlanim.narration.errors import NarrationError

    def synthesised(command, **kwargs):  # the voice ran, but the full disk kept its file empty
        return subprocess.CompletedProcess(command, 0, b"", b"")

    class Full:
        f_bavail, f_frsize = 0, 4096

    monkeypatch.setattr(engines.subprocess, "run", synthesised)
    monkeypatch.setattr(engines.os, "statvfs", lambda path: Full())
    out = tmp_path / "a.wav"
    out.write_bytes(b"")
    with pytest.raises(NarrationError) as info:
        engines._run(["espeak-ng"], "Hello.", out, "espeak-ng")
    message = str(info.value)
    assert "No space left on device" in message and "exit 0" not in message
    assert os.fspath(tmp_path) in message
