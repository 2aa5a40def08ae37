"""Adding a kind takes its module and one entry point: a throwaway kind, in a temporary
distribution, is listed, validated, rendered and documented, and no file of the project changes."""

from __future__ import annotations

import subprocess
import textwrap

import numpy as np
import pytest
from conftest import ROOT

RINGS = """
from __future__ import annotations

from typing import Any

from pydantic import Field

from mmlanim._lazy import manim as mn
from mmlanim.visuals import Visual, VisualParams, beat


class Rings(Visual, kind="rings"):
    \"\"\"Concentric rings, then their count.

    A throwaway kind, declared by a test's temporary distribution.
    \"\"\"

    class Params(VisualParams):
        count: int = Field(3, ge=1, le=9, description="How many rings to draw.")

    example = {"count": 2}

    def load(self) -> list[float]:
        return [0.5 * (i + 1) for i in range(self.params.count)]

    def check(self):
        if self.params.count == 7:
            yield ("count",), "seven rings are unlucky"

    def setup(self, scene: Any) -> None:
        self.rings = [mn.Circle(radius=r, color="#56B4E9") for r in self.data]
        self.caption = self.ctx.label(rf"n = {self.params.count}").to_edge(mn.DOWN)

    @beat("Draw the rings.")
    def show_rings(self, scene: Any):
        yield tuple(mn.Create(r) for r in self.rings)

    @beat("Write how many there are.")
    def show_count(self, scene: Any):
        yield mn.FadeIn(self.caption)
"""

LECTURE = """\
title: Rings
voice: {engine: silent}
segments:
  - id: rings
    narration:
      - say: Two rings.
        beat: show_rings
      - say: Count them.
        beat: show_count
    visual: {kind: rings, count: 2}
"""


def _project_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True).stdout


@pytest.mark.render
def test_a_kind_from_an_entry_point_is_listed_validated_rendered_and_documented(add_kinds, tmp_path):
    from mmlanim.errors import LectureError
    from mmlanim.lecture import load_lecture
    from mmlanim.reference import describe_kind, format_visuals, json_schema, list_kinds
    from mmlanim.render.media import probe
    from mmlanim.render.pipeline import RenderOptions, render_lecture
    from mmlanim.visuals import registry

    before = _project_state()
    assert "rings" not in registry()
    add_kinds("mmlanim-rings", {"mmlanim_rings": RINGS}, {"rings": "mmlanim_rings:Rings"})

    # Listed, with the distribution it comes from.
    assert registry()["rings"].plugin == "mmlanim-rings"
    assert any(line.startswith("rings ") and line.endswith("[mmlanim-rings]") for line in list_kinds().splitlines())
    # Validated: its parameters and its check, located in the lecture.
    lecture = tmp_path / "rings.yaml"
    lecture.write_text(LECTURE, encoding="utf-8")
    assert load_lecture(lecture).lecture.segments[0].visual.count == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text(LECTURE.replace("count: 2", "count: 7"), encoding="utf-8")
    with pytest.raises(LectureError) as err:
        load_lecture(bad)
    assert [p.render().splitlines()[0] for p in err.value.problems] == [
        f"{bad}:10:{bad.read_text().splitlines()[9].index('7') + 1}: seven rings are unlucky"]
    # Documented: reference, schema and editor snippet.
    assert "## rings" in format_visuals("{{visuals}}")
    assert "show_count" in describe_kind("rings")
    schema = json_schema()
    assert "RingsVisual" in schema["$defs"]
    assert schema["$defs"]["RingsVisual"]["defaultSnippets"][0]["body"] == {"kind": "rings", "count": 2}
    # Rendered, in worker processes as well (two segments miss the cache at once).
    lecture.write_text(LECTURE + textwrap.indent(textwrap.dedent("""\
        - id: more
          narration: Three more.
          visual: {kind: rings, count: 3}
        """), "  "), encoding="utf-8")
    result = render_lecture(lecture, RenderOptions(quality="l", resolution=(64, 36), out_dir=tmp_path / "out",
                                                   jobs=2, cache_dir=tmp_path / "cache"))
    assert result.rendered == 2 and result.video is not None
    info = probe(result.video)
    assert info.video_duration == pytest.approx(result.segments[-1].end, abs=0.07)
    assert np.isfinite(info.audio_duration)
    # Nothing of the project was written.
    assert _project_state() == before
