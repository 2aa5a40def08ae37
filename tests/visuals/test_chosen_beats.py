"""A segment that chooses its beats lays out only what they show: no gaps in the panel."""

from __future__ import annotations

import json
import textwrap

import pytest

from mmlanim.lecture import load_lecture
from mmlanim.visuals import RenderContext, VisualContext, registry
from mmlanim.visuals._layout import panel_area

from .conftest import FakeScene

POINTS = {"points": [[1, 52], [2, 58], [3, 67], [4, 71]]}


def _set_up(kind: str, params: dict, beats: tuple[str, ...] | None):
    cls = registry()[kind]
    model = cls.model.model_validate({"kind": kind, **params})
    visual = cls(model, VisualContext(beats=beats)).bound(RenderContext(draw_text=False))
    visual.setup(FakeScene())
    return visual


def test_the_fit_heads_the_panel_when_the_descent_is_left_out():
    params = {"data": POINTS, "steps": 0, "show_loss": False}
    chosen = _set_up("linear_regression", params, ("show_data", "show_fit"))
    every = _set_up("linear_regression", params, None)
    top = panel_area().top
    fit, r2 = chosen.panel_lines["fit"], chosen.panel_lines["r2"]
    assert fit.get_top()[1] == pytest.approx(top)
    assert r2.get_top()[1] < fit.get_bottom()[1]
    # With every beat, the model, the loss and the readout come first: the fit sits lower.
    assert every.panel_lines["fit"].get_top()[1] < top - 1.0
    assert every.panel_lines["model"].get_top()[1] == pytest.approx(top)


def test_curve_fit_without_its_descent_keeps_no_room_for_the_rule():
    cls = registry()["curve_fit"]
    chosen = _set_up("curve_fit", cls.example, ("show_data", "show_model", "show_residuals"))
    lines = chosen.panel_lines
    assert lines["model"].get_top()[1] == pytest.approx(panel_area().top)
    # The readout follows χ² directly; with the descent, its gradient and update rule come between.
    gap = lines["chi2"].get_bottom()[1] - lines["readout"].get_top()[1]
    every = _set_up("curve_fit", cls.example, None).panel_lines
    assert 0 < gap < 0.5
    assert every["chi2"].get_bottom()[1] - every["readout"].get_top()[1] > gap + every["rule"].height


def test_a_segments_beats_reach_its_visual_and_the_next_segments_opening(tmp_path):
    path = tmp_path / "lecture.yaml"
    path.write_text(textwrap.dedent("""\
        title: T
        segments:
          - id: fit
            narration:
              - say: Four students.
                beat: show_data
              - say: The least-squares line.
                beat: show_fit
            beats: [show_data, show_fit]
            visual:
              kind: linear_regression
              data: {points: [[1, 52], [2, 58], [3, 67], [4, 71]]}
          - id: again
            narration: Again.
            visual:
              kind: linear_regression
              data: {points: [[1, 52], [2, 58], [3, 67], [4, 71]]}
        """), encoding="utf-8")
    loaded = load_lecture(path)
    first, second = loaded.lecture.segments
    assert loaded.visual(first).context.beats == ("show_data", "show_fit")
    assert loaded.visual(second).context.beats is None
    assert json.loads(loaded.visual(second).context.opening)["beats"] == ["show_data", "show_fit"]


def _steps(visual, beat_name: str) -> list[tuple]:
    return [s if isinstance(s, tuple) else (s,) for s in visual.run_beat(beat_name, FakeScene())]


@pytest.mark.parametrize(("kind", "params", "beats"), [
    ("linear_regression", {"data": POINTS, "steps": 20, "learning_rate": 0.01},
     ("show_data", "show_line", "descend", "show_fit")),
    ("curve_fit", None, ("show_data", "show_model", "descend")),
])
def test_a_descent_without_the_residuals_beat_brings_its_readout_into_the_panel(kind, params, beats):
    cls = registry()[kind]
    visual = _set_up(kind, cls.example if params is None else params, beats)
    readout = visual.panel_lines["readout"]
    area = panel_area()
    # Laid out in the panel (not left where it was made, over the plot) ...
    assert readout.get_left()[0] >= area.left - 1e-6 and readout.get_top()[1] <= area.top + 1e-6
    # ... and faded in by the descent itself, before it counts.
    first = _steps(visual, "descend")[0]
    assert any(type(a).__name__ == "FadeIn" and a.mobject is readout for a in first)
    # With the residuals' beat played, the descent does not bring it in again.
    every = _set_up(kind, cls.example if params is None else params, None)
    again = _steps(every, "descend")[0]
    assert not any(type(a).__name__ == "FadeIn" and a.mobject is every.panel_lines["readout"] for a in again)
