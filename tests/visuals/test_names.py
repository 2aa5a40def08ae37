"""Every labelled object can be renamed by the author, and every kind with axes takes axis labels."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim import maths
from mmlanim._lazy import manim as mn
from mmlanim.visuals import registry
from mmlanim.visuals.context import RenderContext

from .conftest import FakeScene


class _Words(mn.VMobject):
    """A stand-in for a Text (no font rendering): remembers its words."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words


class _Recording(RenderContext):
    """Records formulas (no LaTeX) and turns plain text into :class:`_Words`."""

    def text(self, s, **kwargs):
        return _Words(s)


@pytest.fixture
def fast_text():
    return _Recording(draw_text=False, formulas=[])


def build(kind, params, ctx):
    cls = registry()[kind]
    visual = cls(cls.model.model_validate({"kind": kind, **params})).bound(ctx)
    scene = FakeScene()
    visual.setup(scene)
    steps = {b.name: [s if isinstance(s, tuple) else (s,) for s in visual.run_beat(b.name, scene)]
             for b in cls.beats}
    return visual, scene, steps


def texts(group) -> list[str]:
    return [m.words for m in group.submobjects if isinstance(m, _Words)]


def typeset(ctx) -> list[str]:
    return ["".join(parts) for parts, _ in ctx.formulas]


def test_vectors_sum_and_scaled_arrow_take_the_authors_names(fast_text):
    v, _, _ = build("vectors", {"vectors": [[3, 1], [1, 2]], "names": [r"\mathbf{x}_1", r"\mathbf{x}_2"],
                                "sum_name": r"\mathbf{s}", "scale": 2, "scaled_name": r"A\mathbf{x}_1"}, fast_text)
    drawn = typeset(fast_text)
    assert r"\mathbf{s} = \begin{bmatrix}4\\3\end{bmatrix}" in drawn  # the sum's arrow
    assert r"A\mathbf{x}_1" in drawn  # the scaled arrow
    # The panel still spells out the algebra, with the author's names in front.
    assert r"\mathbf{s} = \mathbf{x}_1 + \mathbf{x}_2 = \begin{bmatrix}4\\3\end{bmatrix}" in drawn
    assert r"A\mathbf{x}_1 = 2\,\mathbf{x}_1 = \begin{bmatrix}6\\2\end{bmatrix}" in drawn
    assert np.allclose(v.shown["scaled"], [6, 2]) and np.allclose(v.shown["sum"], [4, 3])


@pytest.mark.parametrize(("kind", "params", "attr"), [
    ("vectors", {"vectors": [[1, 2]]}, "axis_names"),
    ("basis_change", {"basis": [[2, 1], [-1, 1]]}, "axis_names"),
    ("gradient_descent", {}, "axis_names"),
    ("linear_regression", {"data": {"points": [[1, 2], [2, 3], [3, 5]]}}, "axis_names"),
    ("pca_projection", {"data": {"points": [[1, 2], [2, 3], [3, 5], [4, 4]]}}, "axis_names"),
])
def test_every_kind_with_axes_takes_axis_labels(kind, params, attr, fast_text):
    v, _, steps = build(kind, {**params, "axis_labels": ["hours studied", "exam score"]}, fast_text)
    assert texts(getattr(v, attr)) == ["hours studied", "exam score"]
    shown = [m for step in steps[v.beat_names()[0] if kind != "gradient_descent" else "show_contours"]
             for anim in step for m in [getattr(anim, "mobject", None)]]
    assert getattr(v, attr) in shown, "the axis labels appear with the axes"


def test_linear_regression_axis_labels_default_to_the_data_names(fast_text):
    v, _, _ = build("linear_regression", {"data": {"points": [[1, 2], [2, 3], [3, 5]]}}, fast_text)
    assert texts(v.axis_names) == ["x", "y"]


def test_pca_and_basis_names(fast_text):
    v, _, _ = build("pca_projection", {"data": {"points": [[1, 2], [2, 3], [3, 5], [4, 4]]},
                                       "mean_name": r"\bar{\mathbf{x}}",
                                       "axis_names": [r"\mathbf{w}_1", r"\mathbf{w}_2"]}, fast_text)
    mean = maths.mean_and_covariance(np.array([[1, 2], [2, 3], [3, 5], [4, 4]], dtype=float)).mean
    assert np.allclose(v.shown["mean"], mean)
    drawn = typeset(fast_text)
    assert any(t.startswith(r"\bar{\mathbf{x}} = \begin{bmatrix}") for t in drawn)
    assert r"\mathbf{w}_1" in drawn and r"\mathbf{w}_2" in drawn
    assert not any(r"\mathbf{u}_1" in t or r"\boldsymbol{\mu}" in t for t in drawn)
    fast_text.formulas.clear()
    build("basis_change", {"basis": [[2, 1], [-1, 1]], "standard_names": [r"\hat{\imath}", r"\hat{\jmath}"]},
          fast_text)
    drawn = typeset(fast_text)
    assert r"\hat{\imath}" in drawn and r"\hat{\jmath}" in drawn and r"\mathbf{e}_1" not in drawn


def test_no_descent_with_zero_steps(fast_text):
    v, _, steps = build("gradient_descent", {"steps": 0, "levels": 0}, fast_text)
    assert len(v.run.path) == 1 and np.allclose(v.run.path[0], [-2.5, 1.5])
    assert len(v.contours) == 0
    r, _, rsteps = build("linear_regression", {"steps": 0}, fast_text)
    assert rsteps["descend"] == []
    assert len(r.descent.params) == 1


def test_pca_images_mean_and_components_take_the_authors_names(fast_text):
    build("pca_images", {"components": [1, 5], "samples": [0], "mean_name": r"\bar{\mathbf{x}}",
                         "component_name": r"\mathbf{w}"}, fast_text)
    drawn = typeset(fast_text)
    assert r"\bar{\mathbf{x}}" in drawn
    assert r"\mathbf{w}_1,\ \mathbf{w}_2,\ \mathbf{w}_3,\ \mathbf{w}_4" in drawn
    assert not any(r"\mathbf{u}" in t or r"\boldsymbol{\mu}" in t for t in drawn)
