"""function_plot: the curve, slopes, Taylor polynomials and Newton steps drawn, read back from the
mobjects and compared with sympy, scipy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

from mmlanim.lecture import load_lecture
from mmlanim.visuals import registry
from mmlanim.visuals._curves import clip_line, clipped_runs, curve_mobject

from .conftest import build

X = sp.Symbol("x")
COURSE = "x^6/6 - 3x^4 - 2x^3/3 + 27x^2/2 + 18x - 30"
COURSE_SYMPY = X**6 / 6 - 3 * X**4 - sp.Rational(2, 3) * X**3 + sp.Rational(27, 2) * X**2 + 18 * X - 30


def coords(plane, point) -> np.ndarray:
    return np.asarray(plane.p2c(point))[:2]


def line_slope(plane, line) -> float:
    (x0, y0), (x1, y1) = coords(plane, line.get_start()), coords(plane, line.get_end())
    return (y1 - y0) / (x1 - x0)


def drawn_points(plane, group) -> np.ndarray:
    """Every anchor of every polyline in ``group``, in the plane's coordinates, shape (n, 2)."""
    return np.concatenate([np.array([coords(plane, p) for p in run.get_anchors()]) for run in group if len(run.points)])


def inside(plane, pts, slack=1e-6) -> bool:
    (x0, x1, _), (y0, y1, _) = plane.x_range, plane.y_range
    return bool(np.all((pts[:, 0] >= x0 - slack) & (pts[:, 0] <= x1 + slack)
                       & (pts[:, 1] >= y0 - slack) & (pts[:, 1] <= y1 + slack)))


# -- the curve -------------------------------------------------------------------

@pytest.mark.parametrize("text, fn, x_range, y_range", [
    ("x^3/3 - x + 1", lambda x: x**3 / 3 - x + 1, [-2.5, 2.5], None),
    ("tan(x)", np.tan, [-3, 3], [-4, 4]),  # poles: the curve breaks and stays in the box
    ("exp(x)", np.exp, [-2, 4], [0, 10]),
])
def test_curve_points_lie_on_f_and_inside_the_axes(text, fn, x_range, y_range):
    v, _, _ = build("function_plot", {"function": text, "x_range": x_range, "y_range": y_range,
                                      "derivative": False})
    pts = drawn_points(v.plane, v.curve)
    assert inside(v.plane, pts)
    on_band = (pts[:, 1] > v.y_range[0] + 1e-6) & (pts[:, 1] < v.y_range[1] - 1e-6)
    assert np.allclose(pts[on_band, 1], fn(pts[on_band, 0]), rtol=1e-6, atol=1e-6)
    assert pts[:, 0].min() == pytest.approx(x_range[0]) or text == "exp(x)"
    if text == "tan(x)":
        assert len(v.curve) >= 2  # one piece per branch


def test_a_curve_has_the_points_manim_places_one_by_one():
    mn = pytest.importorskip("manim")
    plane = mn.Axes(x_range=[-3, 3, 1], y_range=[-2, 5, 1], x_length=5.7, y_length=3.9).shift(0.3 * mn.LEFT)
    xs = np.linspace(-3, 3, 97)
    runs = clipped_runs(xs, np.tan(xs), -2, 5) + [np.array([[0.5, 1.0]])]  # a lone point too
    curve = curve_mobject(plane, runs, "#ff0000")
    assert len(curve) == len(runs)
    for line, run in zip(curve, runs):
        one_by_one = mn.VMobject()
        one_by_one.set_points_as_corners([plane.c2p(float(x), float(y)) for x, y in run])
        np.testing.assert_array_equal(line.points, one_by_one.points)


def test_fitted_y_range_covers_f_and_zero():
    v, _, _ = build("function_plot", {"function": "x^2 + 2", "x_range": [1, 3], "derivative": False})
    lo, hi = v.y_range
    assert lo <= 0 and hi >= 11 and hi < 16
    assert (v.plane.y_range[0], v.plane.y_range[1]) == (lo, hi)


def test_clipped_runs_cut_at_the_band_edges():
    xs = np.linspace(-2, 2, 41)
    runs = clipped_runs(xs, xs**2, -1, 1)
    assert len(runs) == 1
    assert runs[0][0] == pytest.approx([-1, 1]) and runs[0][-1] == pytest.approx([1, 1])
    runs = clipped_runs(xs, np.where(np.abs(xs) < 0.05, np.nan, xs), -5, 5)
    assert len(runs) == 2  # a hole splits the line
    ends = clip_line((0, 4, 0, 2), 1, 1, 1.0)
    assert ends is not None and np.allclose(ends, [[0, 0], [2, 2]])
    assert clip_line((0, 4, 0, 2), 0, 5, 0.0) is None



def _runs_segment_by_segment(x, y, y_lo, y_hi):
    """Reference: walk the polyline a segment at a time, cutting each to the band (Liang–Barsky)."""
    runs, current = [], []
    for i in range(len(x) - 1):
        xa, xb, ya, yb = float(x[i]), float(x[i + 1]), float(y[i]), float(y[i + 1])
        if not (np.isfinite(ya) and np.isfinite(yb)):
            runs, current = runs + ([current] if current else []), []
            continue
        if yb == ya:
            if not y_lo <= ya <= y_hi:
                runs, current = runs + ([current] if current else []), []
                continue
            t0, t1 = 0.0, 1.0
        else:
            ta, tb = (y_lo - ya) / (yb - ya), (y_hi - ya) / (yb - ya)
            t0, t1 = max(0.0, min(ta, tb)), min(1.0, max(ta, tb))
            if t0 > t1:
                runs, current = runs + ([current] if current else []), []
                continue
        p0 = [xa + t0 * (xb - xa), min(max(ya + t0 * (yb - ya), y_lo), y_hi)]
        p1 = [xa + t1 * (xb - xa), min(max(ya + t1 * (yb - ya), y_lo), y_hi)]
        if t0 > 0 or not current:
            runs, current = runs + ([current] if current else []), [p0]
        current.append(p1)
        if t1 < 1:
            runs, current = runs + [current], []
    return [np.array(r) for r in runs + ([current] if current else [])]


def test_clipped_runs_are_the_segment_by_segment_cut():
    rng = np.random.default_rng(3)
    for _ in range(400):
        n = int(rng.integers(0, 40))
        xs = np.sort(rng.uniform(-3, 3, n))
        ys = rng.normal(scale=2.0, size=n)
        ys[rng.random(n) < 0.1] = np.nan  # holes
        flat = rng.random(n) < 0.2
        ys[1:][flat[1:]] = ys[:-1][flat[1:]]  # level segments, inside or outside the band
        ys[rng.random(n) < 0.1] = rng.choice([-1.0, 1.5])  # points on the band's edges
        ours, expected = clipped_runs(xs, ys, -1.0, 1.5), _runs_segment_by_segment(xs, ys, -1.0, 1.5)
        assert len(ours) == len(expected)
        for a, b in zip(ours, expected):
            assert a.shape == b.shape and a.shape[0] >= 2
            np.testing.assert_array_equal(a, b)
            assert np.all((a[:, 1] >= -1.0) & (a[:, 1] <= 1.5))


# -- slope ---------------------------------------------------------------------------

def test_chord_secants_tangent_and_derivative_match_sympy():
    expr = X**3 / 3 - X + 1
    a, run = -1.5, 1.5
    v, _, steps = build("function_plot", {"function": "x^3/3 - x + 1", "x_range": [-2.5, 2.5], "at": a,
                                          "run": run})
    fx = sp.lambdify(X, expr)
    # the chord joins (a, f(a)) and (a + run, f(a + run)); its legs are Δx and Δy
    assert coords(v.plane, v.chord_line.get_start()) == pytest.approx([a, fx(a)])
    assert coords(v.plane, v.chord_line.get_end()) == pytest.approx([a + run, fx(a + run)])
    rise = float(expr.subs(X, a + run) - expr.subs(X, a))
    assert v.shown["gradient"] == pytest.approx(rise / run, rel=1e-12)
    assert line_slope(v.plane, v.chord_line) == pytest.approx(rise / run, rel=1e-6)
    # the secant drawn at h has slope (f(a + h) - f(a)) / h, read back from its end points
    for h in (1.5, 0.7, 0.2, 0.01):
        v.h.set_value(h)
        v.secant.update()
        v.moving_b.update()
        exact = float((expr.subs(X, a + h) - expr.subs(X, a)) / h)
        assert line_slope(v.plane, v.secant) == pytest.approx(exact, rel=1e-6)
        assert coords(v.plane, v.moving_b.get_center()) == pytest.approx([a + h, fx(a + h)], abs=1e-6)
    slope = float(sp.diff(expr, X).subs(X, a))
    assert line_slope(v.plane, v.tangent_line) == pytest.approx(slope, rel=1e-6)
    # the derivative's graph is sympy's derivative
    d = sp.lambdify(X, sp.diff(expr, X))
    pts = drawn_points(v.d_plane, v.d_curve)
    assert inside(v.d_plane, pts)
    assert np.allclose(pts[:, 1], d(pts[:, 0]), atol=1e-6)
    # the sliding tangent touches f with slope f' wherever it is
    for x in (-2.0, 0.3, 2.2):
        v.sweep.set_value(x)
        v.sweep_tangent.update()
        if v.sweep_tangent.get_stroke_opacity() > 0:
            assert line_slope(v.plane, v.sweep_tangent) == pytest.approx(d(x), rel=1e-6)
        v.sweep_dot.update()
        assert coords(v.d_plane, v.sweep_dot.get_center()) == pytest.approx([x, d(x)], abs=1e-6)
    assert all(steps[b] for b in ("show_axes", "show_curve", "rise_over_run", "slide_secant", "show_tangent",
                                  "show_derivative"))
    assert not any(steps[b] for b in ("show_point", "first_polynomial", "show_start", "first_step"))


def test_slope_readouts_show_the_numbers():
    v, _, _ = build("function_plot", {"function": "x^2", "x_range": [-1, 3], "at": 1, "run": 1,
                                      "derivative": False}, draw_text=True)
    assert v.gradient_label.tex_string.endswith(r"\frac{3}{1} = 3")
    assert v.tangent_label.tex_string.endswith("&= 2")
    number = v.slope_readout[1]
    for h, exact in ((1.0, 3.0), (0.25, 2.25), (1e-3, 2.001), (0.0, 2.0)):
        v.h.set_value(h)
        number.update()
        assert number.get_value() == pytest.approx(exact, rel=1e-9)


# -- taylor ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, expr, about, orders, error_at", [
    ("cos(x)", sp.cos(X), 0.0, [0, 2, 4, 6], 2.0),
    ("exp(x)", sp.exp(X), 0.0, [0, 1, 3, 5], 1.5),
    ("sqrt(x)", sp.sqrt(X), 4.0, [1, 2], 6.0),
])
def test_taylor_polynomials_match_sympy_series(text, expr, about, orders, error_at):
    xr = [about - 3, about + 3] if about else [-3, 3]
    v, _, steps = build("function_plot", {"function": text, "x_range": xr, "mode": "taylor", "about": about,
                                          "orders": orders, "error_at": error_at})
    for i, n in enumerate(orders):
        series = sp.series(expr, X, about, n + 1).removeO()
        poly = sp.Poly(sp.expand(series.subs(X, X + about)), X)  # in powers of (x - a)
        coeffs = [float(poly.coeff_monomial(X**k)) for k in range(n + 1)]
        assert np.allclose(v.shown["coefficients"][i], coeffs, atol=1e-12)
        p = sp.lambdify(X, series)
        pts = drawn_points(v.plane, v.poly_curves[i])
        assert inside(v.plane, pts)
        on_band = (pts[:, 1] > v.y_range[0] + 1e-6) & (pts[:, 1] < v.y_range[1] - 1e-6)
        assert np.allclose(pts[on_band, 1], p(pts[on_band, 0]), atol=1e-6)
        err = abs(float(expr.subs(X, error_at)) - float(series.subs(X, error_at)))
        assert v.shown["errors"][i] == pytest.approx(err, rel=1e-9)
    for k, name in enumerate(("first_polynomial", "second_polynomial", "third_polynomial", "fourth_polynomial",
                              "fifth_polynomial", "sixth_polynomial")):
        assert bool(steps[name]) == (k < len(orders))


# -- newton ----------------------------------------------------------------------------

def test_newton_course_example_tangents_and_table():
    v, _, steps = build("function_plot", {"function": COURSE, "x_range": [-4.5, 4.5], "mode": "newton",
                                          "start": -4, "steps": 8})
    root = optimize.newton(sp.lambdify(X, COURSE_SYMPY), -4.0, fprime=sp.lambdify(X, sp.diff(COURSE_SYMPY, X)))
    table = np.array(v.shown["table"])
    assert table[-1, 1] == pytest.approx(root, abs=1e-10)
    assert abs(table[-1, 2]) < 1e-9
    f, df = sp.lambdify(X, COURSE_SYMPY), sp.lambdify(X, sp.diff(COURSE_SYMPY, X))
    for k in range(len(table) - 1):
        x, nxt = table[k, 1], table[k + 1, 1]
        assert table[k, 2] == pytest.approx(f(x), rel=1e-12)
        assert nxt == pytest.approx(x - f(x) / df(x), rel=1e-12)
        tangent = v.steps_drawn[k]["tangent"]
        assert line_slope(v.plane, tangent) == pytest.approx(df(x), rel=1e-6)
        # the drawn tangent crosses zero at the next iterate, where the next dot sits
        (x0, y0), (x1, y1) = coords(v.plane, tangent.get_start()), coords(v.plane, tangent.get_end())
        assert x0 - y0 * (x1 - x0) / (y1 - y0) == pytest.approx(nxt, abs=1e-6)
        assert coords(v.plane, v.steps_drawn[k]["root"].get_center()) == pytest.approx([nxt, 0], abs=1e-6)
    assert v.shown["fate"] == "converged"
    assert steps["first_step"] and steps["show_verdict"]


def test_newton_off_the_axes_and_cycling_are_shown():
    v, _, _ = build("function_plot", {"function": COURSE, "x_range": [-4.5, 4.5], "mode": "newton",
                                      "start": 1.99, "steps": 4})
    first = v.steps_drawn[0]
    assert "off" in first  # x_1 ≈ -36.5 is beyond the left edge: an arrow there, with its value
    assert coords(v.plane, first["root"].get_end())[0] == pytest.approx(-4.5)
    v, _, _ = build("function_plot", {"function": "x^3 - 2x + 2", "x_range": [-2.5, 2.5], "mode": "newton",
                                      "start": 0, "steps": 6})
    assert v.shown["fate"] == "cycles"
    assert [row[1] for row in v.shown["table"]] == [0.0, 1.0, 0.0]


# -- checks ------------------------------------------------------------------------------

def problems(params):
    cls = registry()["function_plot"]
    visual = cls(cls.model.model_validate({"kind": "function_plot", **params}))
    return [(loc, msg) for loc, msg, *_ in visual.check()]


def test_checks_point_at_the_parameter():
    assert problems({"function": "x^2 +", "x_range": [0, 1]})[0][0] == ("function",)
    assert problems({"mode": "newton", "start": 9})[0][0] == ("start",)
    assert problems({"mode": "taylor", "orders": [2, 1]})[0][0] == ("orders",)
    assert problems({"mode": "taylor", "function": "log(x)", "x_range": [-1, 2], "about": 0})[0][0] == ("about",)
    assert problems({"run": 5})[0] == (("run",), "the chord ends at x = 6, outside x_range [-1, 3]")
    assert problems({"mode": "slope", "orders": [1, 2]})[0][0] == ("orders",)  # a taylor key in slope mode
    assert problems({"function": "sqrt(x)", "x_range": [-3, -1]})[0][0] == ("function",)


def test_beats_off_and_newton_warning():
    cls = registry()["function_plot"]
    visual = cls(cls.model.model_validate({"kind": "function_plot", "mode": "newton", "function": COURSE,
                                           "x_range": [-4.5, 4.5], "start": 1.99}))
    off = visual.beats_off()
    assert off["rise_over_run"] == "mode" and off["first_polynomial"] == "mode" and "first_step" not in off
    assert any("does not find a root" in msg for _, msg in visual.warnings())


def test_lectures_using_function_plot_validate():
    from conftest import ROOT

    for name in ("01-derivatives.yaml", "04-taylor-series.yaml"):
        lecture = load_lecture(ROOT / "lectures" / "multivariate-calculus" / name).lecture
        assert any(s.visual.kind == "function_plot" for s in lecture.segments)
        assert 5 <= len(lecture.segments) <= 9


def test_formula_lines_break_between_terms():
    from mmlanim.visuals.function_plot import _broken

    tex = _broken("p_5(x)", r"1 + x + \frac{1}{2} x^{2} + \frac{1}{6} x^{3} + \frac{1}{24} x^{4} + \frac{1}{120} x^{5}")
    first, second = tex.split(r"\\")
    assert first.startswith("p_5(x) &= 1 + x") and second.strip().startswith(r"&\quad + \frac{1}{24}")
    assert not math.isnan(len(tex))


def test_emphasis_targets_are_the_drawn_objects_once_on_screen():
    from .conftest import FakeScene

    class Screen(FakeScene):
        @property
        def mobjects(self):
            return self.added

    cls = registry()["function_plot"]
    v = cls(cls.model.model_validate({"kind": "function_plot", "mode": "taylor", "function": "exp(x)",
                                      "x_range": [-2, 2], "orders": [0, 1], "error_at": 1}))
    scene = Screen()
    v.setup(scene)
    assert set(cls.emphasis_targets) >= {"function", "curve", "tangent", "polynomial", "error", "table"}
    assert v.target("function") is None and v.target("polynomial") is None  # nothing drawn yet
    scene.add(v.f_label, v.poly_labels[0], v.poly_labels[1])
    assert v.target("function") is v.f_label and v.target("polynomial") is v.poly_labels[1]
    assert v.target("nonsense") is None


def test_newton_steps_left_out_of_the_beats_still_play_before_later_ones():
    from mmlanim.visuals import RenderContext

    from .conftest import FakeScene

    cls = registry()["function_plot"]
    v = cls(cls.model.model_validate({"kind": "function_plot", "mode": "newton", "function": COURSE,
                                      "x_range": [-4.5, 4.5], "y_range": [-80, 60], "start": -4,
                                      "steps": 8})).bound(RenderContext(draw_text=False))
    v.setup(FakeScene())
    shown = []
    for name in ("show_start", "first_step", "more_steps"):  # second_step and third_step left out
        for step in v.run_beat(name, None):
            shown += [a.mobject for a in (step if isinstance(step, tuple) else (step,))]
    rows = [k for k, row in enumerate(v.table) if any(row is m for m in shown)]
    assert rows == list(range(len(v.table)))  # the header and every iterate's row, in order
