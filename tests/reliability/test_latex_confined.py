"""LaTeX from a lecture is confined to its own folder and bounded in time (defects 1, 2, 3)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mmlanim.errors import LectureError
from mmlanim.render.pipeline import RenderOptions, render_lecture

pytestmark = pytest.mark.render

TINY = dict(quality="l", resolution=(64, 36), voice={"engine": "silent"}, jobs=1)


def vectors_lecture(path: Path, names: list[str]) -> Path:
    quoted = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
    path.write_text(textwrap.dedent(f"""\
        title: Names
        segments:
          - id: one
            narration:
              - say: Two arrows.
                beat: show_vectors
            visual: {{kind: vectors, vectors: [[1, 2], [2, 1]], names: [{quoted}], show_sum: false}}
        """), encoding="utf-8")
    return path


def tex_files() -> dict[Path, bytes]:
    from mmlanim.render.manim_config import _tex_root

    root = _tex_root()
    return {p: p.read_bytes() for p in root.rglob("*.svg")} if root.exists() else {}


def test_a_formula_cannot_write_into_the_latex_cache(tmp_path: Path) -> None:
    # A first lecture fills the LaTeX cache with its formulas.
    render_lecture(vectors_lecture(tmp_path / "a.yaml", ["p", "q"]), RenderOptions(out_dir=tmp_path / "out", **TINY))
    before = tex_files()
    assert before
    # A second lecture's name writes a file of the same name as each of them, and a new one.
    attack = "".join(
        rf"\immediate\openout1={p.name}\immediate\write1{{<svg xmlns='http://www.w3.org/2000/svg'/>}}"
        r"\immediate\closeout1" for p in before) + r"\immediate\openout1=planted.svg\immediate\closeout1 u"
    try:
        render_lecture(vectors_lecture(tmp_path / "b.yaml", [attack, "v"]),
                       RenderOptions(out_dir=tmp_path / "out", **TINY))
    except LectureError:
        pass  # refusing the formula is fine too; writing into the cache is not
    after = tex_files()
    assert {p: after.get(p) for p in before} == before
    assert not [p for p in after if p.name == "planted.svg"]


def test_a_looping_formula_fails_in_time_naming_the_formula(tmp_path: Path) -> None:
    lecture = vectors_lecture(tmp_path / "loop.yaml", [r"\def\x{\x}\x", "v"])
    env = {**os.environ, "MMLANIM_LATEX_TIMEOUT": "3"}
    t0 = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "mmlanim", "render", str(lecture), "-q", "l", "-r", "64,36",
                               "--voice", "silent", "-j", "1", "--quiet", "-o", str(tmp_path / "out")],
                              capture_output=True, text=True, env=env, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail("render still running after 90 s on a formula that loops")
    assert time.monotonic() - t0 < 60
    assert done.returncode == 1
    err = done.stderr.strip()
    assert "Traceback" not in err
    assert err.startswith(f"{lecture}:"), err
    assert r"\def\x{\x}\x" in err and "3 s" in err, err
    assert not (tmp_path / "out" / "loop").exists() or not any((tmp_path / "out" / "loop").rglob("*.mp4"))


def test_a_full_disk_does_not_poison_the_latex_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from mmlanim.render.manim_config import _tex_root

    root = _tex_root()
    real_text, real_bytes = Path.write_text, Path.write_bytes

    def full(path: Path, data, *args, **kwargs):  # the file is created, then the disk is full
        if path.resolve().is_relative_to(root):
            real_bytes(path, b"")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return (real_text if isinstance(data, str) else real_bytes)(path, data, *args, **kwargs)

    lecture = vectors_lecture(tmp_path / "full.yaml", [r"\mathbf{f}_{" + str(time.time_ns()) + "}", "g"])
    monkeypatch.setattr(Path, "write_text", full)
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(Exception):  # noqa: B017 - any failure; what matters is the next render
        render_lecture(lecture, RenderOptions(out_dir=tmp_path / "out", **TINY))
    monkeypatch.undo()
    assert not [p for p in root.rglob("*") if p.is_file() and p.stat().st_size == 0 and p.suffix != ".lock"]
    result = render_lecture(lecture, RenderOptions(out_dir=tmp_path / "out", **TINY))
    assert result.video is not None and result.video.stat().st_size > 0


def test_a_formula_ending_the_document_is_named_as_such(tmp_path: Path) -> None:
    lecture = vectors_lecture(tmp_path / "end.yaml", [r"u \end{align*} \end{document}", "v"])
    with pytest.raises(LectureError) as info:
        render_lecture(lecture, RenderOptions(out_dir=tmp_path / "out", **TINY))
    message = str(info.value)
    assert r"'u \end{align*} \end{document} = " in message and "end the document early" in message
    assert "dvisvgm" not in message
