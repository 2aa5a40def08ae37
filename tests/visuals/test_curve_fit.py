"""The curve_fit visual draws the data, the curves and the numbers of an independent reference:
numpy for the data and χ², scipy.optimize.curve_fit for the fitted parameters."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.optimize

from .conftest import build


def gauss(x, a, mu, sigma):
    return a * np.exp(-(x - mu) ** 2 / (2 * sigma**2))


PARAMS = {"model": "a*exp(-(x - mu)**2/(2*sigma**2))", "parameters": ["a", "mu", "sigma"],
          "truth": [2.0, 1.2, 0.9], "n": 30, "x_range": [-3, 5], "noise": 0.08, "seed": 0,
          "start": [1.0, 0.2, 1.6], "learning_rate": 0.02, "steps": 200}
X = np.linspace(-3, 5, 30)
Y = gauss(X, 2.0, 1.2, 0.9) + np.random.default_rng(0).normal(0, 0.08, 30)
REF, _ = scipy.optimize.curve_fit(gauss, X, Y, p0=[1.0, 0.2, 1.6])


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


@pytest.fixture(scope="module")
def drawn():
    return build("curve_fit", PARAMS, draw_text=True)


def test_dots_are_the_data_and_the_fitted_curve_is_scipys(drawn):
    v, _, _ = drawn
    got = np.array([coords(v.plane, d.get_center()) for d in v.dots])
    np.testing.assert_allclose(got, np.column_stack([X, Y]), atol=1e-9)
    # the fitted curve passes through scipy's curve (its anchors, read back in data coordinates)
    anchors = np.array([coords(v.plane, p) for p in v.fit_curve.get_anchors()])
    np.testing.assert_allclose(anchors[:, 1], gauss(anchors[:, 0], *REF), atol=2e-4)
    assert anchors[0, 0] == pytest.approx(X.min()) and anchors[-1, 0] == pytest.approx(X.max())
    # and the first curve is the start's
    first = np.array([coords(v.plane, p) for p in v._curve(v.run.params[0], "#FFFFFF").get_anchors()])
    np.testing.assert_allclose(first[:, 1], gauss(first[:, 0], 1.0, 0.2, 1.6), atol=1e-9)


def test_readouts_show_chi_squared_and_the_parameters(drawn):
    v, _, steps = drawn
    start = v.panel_lines["readout"]
    values = [m[1].get_value() for row in start for m in row]  # k, χ², a, μ, σ
    assert values[0] == 0
    assert values[1] == pytest.approx(np.sum((Y - gauss(X, 1.0, 0.2, 1.6)) ** 2), abs=5e-4)
    np.testing.assert_allclose(values[2:], [1.0, 0.2, 1.6], atol=5e-3)
    # the last descent step swaps in the fitted numbers (k = 200), in place from its first frame
    swap = next(a for a in steps["descend"][-1] if getattr(a, "mobject", None) is start)
    swap.begin()
    swap.interpolate(0.1)
    target = v._readout(200)
    last = [m[1].get_value() for row in target for m in row]
    assert last[0] == 200
    assert last[1] == pytest.approx(np.sum((Y - gauss(X, *REF)) ** 2), rel=1e-4)
    np.testing.assert_allclose(last[2:], REF, atol=5e-3)
    target.move_to(start, aligned_edge=[-1, 1, 0])
    assert start.width == pytest.approx(target.width, abs=1e-6)  # "k = 200" is wider than "k = 0"
    assert np.allclose(start.get_center(), target.get_center(), atol=1e-6)


def test_residuals_join_each_point_to_the_curve(drawn):
    v, _, _ = drawn
    for line, x, y in zip(v.residuals, X, Y):
        (x0, y0), (x1, y1) = coords(v.plane, line.get_start()), coords(v.plane, line.get_end())
        assert x0 == pytest.approx(x) and x1 == pytest.approx(x)
        assert y0 == pytest.approx(y) and y1 == pytest.approx(gauss(x, 1.0, 0.2, 1.6))


def test_the_model_is_typeset_and_descent_steps_are_chunked(drawn):
    v, _, steps = drawn
    assert re.search(r"\\mu", v.panel_lines["model"].tex_string) and "sigma" in v.panel_lines["model"].tex_string
    assert 2 <= len(steps["descend"]) <= 26
    # χ² falls along the descent
    assert np.all(np.diff(v.run.losses) <= 1e-12)


def test_problems_are_reported_at_their_parameter():
    from mmlanim.visuals import registry

    cls = registry()["curve_fit"]

    def problems(**changes):
        model = cls.model.model_validate({"kind": "curve_fit", **{**PARAMS, **changes}})
        return [p for p in cls(model).check()]

    assert problems() == []
    assert problems(start=[1.0, 0.2])[0][0] == ("start",)
    bad = problems(model="a*exp(-(x - mu)**2/(2*sigma**2)) + b")
    assert bad[0][0] == ("model",) and bad[0][2] is not None
    unknown = problems(parameters=["a", "mu", "s"])
    assert unknown[0][0] == ("model",) and "unknown name 'sigma'" in unknown[0][1] and unknown[0][2] == 23
    unused = problems(model="a*exp(-(x - mu)**2)")
    assert unused[0][0] == ("model",) and "sigma" in unused[0][1]
    assert problems(truth=[2.0, 1.2])[0][0] == ("truth",)


def test_the_regression_lecture_validates_and_fits_a_curve():
    from conftest import ROOT

    from mmlanim.lecture.load import load_lecture

    lecture = load_lecture(ROOT / "lectures" / "multivariate-calculus" / "06-regression.yaml").lecture
    kinds = [s.visual.kind for s in lecture.segments]
    assert "curve_fit" in kinds and "linear_regression" in kinds
    assert 5 <= len(lecture.segments) <= 9
