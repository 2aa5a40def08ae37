"""The numbers drawn are the numbers computed by mmlanim.maths, and they are drawn where they belong.

Visuals are built with a fake scene (``setup`` plus every beat's generator,
no rendering); positions are read back through the plane's ``p2c``.
"""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim import maths, theme
from mmlanim.visuals import registry
from mmlanim.visuals._layout import fmt

from .conftest import build


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def tex_of(mob) -> str:
    """The LaTeX source of a MathTex (or of every MathTex in a group)."""
    if hasattr(mob, "tex_string"):
        return mob.tex_string
    return " ".join(tex_of(m) for m in mob.submobjects)


# -- vectors ---------------------------------------------------------------------

def test_vectors_sum_scale_and_projection_numbers():
    params = {"vectors": [[3, 1], [1, 2]], "scale": -0.5, "dot_product": True}
    v, _, steps = build("vectors", params)
    u, w = np.array([3.0, 1.0]), np.array([1.0, 2.0])
    proj = maths.project(w, u)
    assert np.allclose(v.shown["sum"], u + w)
    assert np.allclose(v.shown["scaled"], -0.5 * u)
    assert v.shown["dot"] == pytest.approx(5.0)
    assert v.shown["projection_length"] == pytest.approx(proj.scalar)
    # the arrows end at the vectors, the sum and the scaled vector
    assert np.allclose(coords(v.plane, v.arrows[0].get_end()), u, atol=1e-6)
    assert np.allclose(coords(v.plane, v.sum_arrow.get_end()), u + w, atol=1e-6)
    assert np.allclose(coords(v.plane, v.scaled_arrow.get_end()), -0.5 * u, atol=1e-6)
    # the shadow runs along u, from the origin's side to the foot, as long as proj.scalar
    bar = v.shadow[0]
    start, end = coords(v.plane, bar.get_start()), coords(v.plane, bar.get_end())
    assert np.linalg.norm(end - start) == pytest.approx(abs(proj.scalar), rel=1e-6)
    assert np.allclose(end - start, proj.vector, atol=1e-6)
    # the drop goes from v's tip to the foot, perpendicular to u
    a, b = coords(v.plane, v.drop.get_start()), coords(v.plane, v.drop.get_end())
    assert np.allclose(a, w, atol=1e-6) and np.allclose(b, proj.vector, atol=1e-6)
    assert abs(np.dot(b - a, u)) < 1e-6
    assert all(steps[name] for name in ("show_plane", "show_vectors", "show_sum", "scale", "show_projection"))


def test_vectors_panel_shows_the_computed_numbers():
    v, _, _ = build("vectors", {"vectors": [[3, 1], [1, 2]], "dot_product": True, "show_sum": True}, draw_text=True)
    proj = maths.project([1, 2], [3, 1])
    assert f"= {fmt(proj.scalar)}" in tex_of(v.panel_lines["shadow"])
    assert r"\cdot" in tex_of(v.panel_lines["dot"]) and tex_of(v.panel_lines["dot"]).endswith("= 5")
    assert r"4\\3" in tex_of(v.panel_lines["sum"])


def test_vectors_beats_are_empty_when_their_option_is_off():
    _, _, steps = build("vectors", {"vectors": [[1, 2]], "show_sum": True})
    assert steps["show_sum"] == [] and steps["scale"] == [] and steps["show_projection"] == []
    assert steps["show_vectors"]


def test_vectors_fit_on_the_plane():
    params = {"vectors": [[7, -2], [-3, 5]], "scale": 2.0, "dot_product": True}
    v, _, _ = build("vectors", params)
    (x0, x1, _), (y0, y1, _) = v.plane.x_range, v.plane.y_range
    for p in ([7, -2], [-3, 5], [4, 3], [14, -4]):
        assert x0 <= p[0] <= x1 and y0 <= p[1] <= y1


# -- basis_change ----------------------------------------------------------------

def test_basis_change_shows_coordinates_in_basis():
    params = {"basis": [[2, 1], [-1, 1]], "vector": [3, 3], "show_matrix": True}
    v, _, steps = build("basis_change", params)
    c = maths.coordinates_in_basis([3, 3], [[2, 1], [-1, 1]])
    assert np.allclose(v.shown["coordinates"], c)
    assert np.allclose(v.shown["matrix"], [[2, -1], [1, 1]])
    assert np.allclose(v.shown["inverse"], maths.inverse([[2, -1], [1, 1]]))
    # c1 b1 then c2 b2, tip to tail, ends at v
    mid = coords(v.plane, v.parts[0].get_end())
    assert np.allclose(mid, c[0] * np.array([2, 1]), atol=1e-6)
    assert np.allclose(coords(v.plane, v.parts[1].get_end()), [3, 3], atol=1e-6)
    assert all(steps[b] for b in ("show_grid", "show_basis", "show_vector", "morph", "show_coordinates", "show_matrix"))


def test_basis_change_panel_tex_has_the_coordinates():
    v, _, _ = build("basis_change", {"basis": [[1, 1], [1, -1]], "vector": [2, 1]}, draw_text=True)
    c = maths.coordinates_in_basis([2, 1], [[1, 1], [1, -1]])  # orthogonal: 1.5, 0.5
    tex = tex_of(v.panel_lines["v_new"])
    assert rf"{fmt(c[0])}\\{fmt(c[1])}" in tex
    assert r"1.5\,\mathbf{b}_1 + 0.5\,\mathbf{b}_2" in tex_of(v.panel_lines["combo"])


def test_basis_change_morph_grid_covers_the_frame_after_the_matrix():
    from mmlanim.visuals._layout import frame_box

    v, _, _ = build("basis_change", {"basis": [[2, 1], [-1, 1]], "vector": [3, 3]})
    grid = v.moving_grid.copy()
    grid.apply_matrix(v.matrix, about_point=v.origin)
    # after the matrix, the grid's outline (a parallelogram) contains the frame's corners
    lo, hi = frame_box()
    (x0, x1, _), (y0, y1, _) = v.moving_grid.x_range, v.moving_grid.y_range
    for fx, fy in ((lo[0], lo[1]), (lo[0], hi[1]), (hi[0], lo[1]), (hi[0], hi[1])):
        c = maths.coordinates_in_basis(coords(v.plane, [fx, fy, 0]), v.params.basis)
        assert x0 <= c[0] <= x1 and y0 <= c[1] <= y1
    # and the grid really is moved by B: its x axis lands on the line through b1
    x_axis = grid.get_x_axis()
    direction = coords(v.plane, x_axis.get_end()) - coords(v.plane, x_axis.get_start())
    assert abs(direction[0] * 1 - direction[1] * 2) < 1e-6 * np.linalg.norm(direction)


# -- gradient_descent ------------------------------------------------------------

def test_gradient_descent_path_dots_sit_on_the_computed_path():
    params = {"function": "x**2 + 3*y**2 + x*y", "domain": [[-3, 3], [-2, 2]], "start": [-2.6, 1.6],
              "learning_rate": 0.12, "steps": 14}
    v, _, steps = build("gradient_descent", params)
    f = maths.parse_function("x**2 + 3*y**2 + x*y")
    run = maths.gradient_descent(f, [-2.6, 1.6], 0.12, 14)
    assert len(v.path_dots) == len(run.path)
    drawn = np.array([coords(v.plane, d.get_center()) for d in v.path_dots])
    assert np.allclose(drawn, run.path, atol=1e-6)
    assert v.shown["gradient_latex"] == f.gradient_latex
    assert not v.shown["diverged"]
    assert len(steps["descend"]) <= 1 + 24  # chunked, whatever the number of steps


def test_gradient_descent_contours_lie_on_their_levels():
    v, _, _ = build("gradient_descent", {"function": "x**2 + y**2", "domain": [[-2, 2], [-2, 2]],
                                         "start": [1.5, 1.5], "levels": 4})
    f = maths.parse_function("x**2 + y**2")
    levels = v.shown["levels"]
    for curve in v.contours:
        pts = np.array([coords(v.plane, p) for p in curve.get_anchors()])
        values = f(pts)
        assert np.ptp(values) < 0.05 * levels.max()  # one curve, one level
        assert np.min(np.abs(levels - values.mean())) < 0.05 * levels.max()


def test_gradient_descent_diverging_path_is_clamped_to_the_domain():
    v, _, _ = build("gradient_descent", {"function": "x**2 + y**2", "domain": [[-2, 2], [-2, 2]],
                                         "start": [1, 1], "learning_rate": 1.5, "steps": 30})
    run = maths.gradient_descent(maths.parse_function("x**2 + y**2"), [1, 1], 1.5, 30)
    assert np.abs(run.path).max() > 2  # it does leave the domain
    drawn = np.array([coords(v.plane, d.get_center()) for d in v.path_dots])
    assert np.all(np.abs(drawn) <= 2 + 1e-6)
    assert np.allclose(drawn, np.clip(run.path, -2, 2), atol=1e-6)


def test_gradient_descent_field_arrows_point_downhill():
    v, _, _ = build("gradient_descent", {"function": "x**2 + y**2", "domain": [[-2, 2], [-2, 2]],
                                         "start": [1, 1], "field": "negative_gradient"})
    assert len(v.field) > 20
    for a in v.field:
        start, end = coords(v.plane, a.get_start()), coords(v.plane, a.get_end())
        mid = (start + end) / 2
        assert np.dot(end - start, -2 * mid) > 0


def test_gradient_descent_axes_carry_their_tick_numbers():
    v, _, _ = build("gradient_descent", {"function": "x**2 + 10*y**2", "domain": [[-3, 3], [-1.5, 1.5]],
                                         "start": [-2.5, 1]}, draw_text=True)
    (x0, y0), (x1, y1) = (coords(v.plane, v.frame.get_corner(c)) for c in ([-1, -1, 0], [1, 1, 0]))
    assert (x0, y0, x1, y1) == pytest.approx((-3, -1.5, 3, 1.5), abs=1e-9)
    below = sorted((round(t.number, 6), coords(v.plane, t.get_center())) for t in v.ticks
                   if coords(v.plane, t.get_top())[1] < y0)
    beside = sorted((round(t.number, 6), coords(v.plane, t.get_center())) for t in v.ticks
                    if coords(v.plane, t.get_right())[0] < x0)
    assert len(below) + len(beside) == len(v.ticks)
    assert [n for n, _ in below] == [-2, -1, 0, 1, 2]  # the whole numbers inside (-3, 3)
    assert [n for n, _ in beside] == [-1, 0, 1]
    for n, (x, _) in below:  # each under its own coordinate
        assert x == pytest.approx(n, abs=1e-6)
    for n, (_, y) in beside:
        assert y == pytest.approx(n, abs=1e-6)
    half_w, half_h = theme.FRAME_WIDTH / 2, theme.FRAME_HEIGHT / 2
    for t in v.ticks:  # and all of them inside the frame
        assert -half_w < t.get_left()[0] and t.get_right()[0] < half_w and t.get_bottom()[1] > -half_h


def test_gradient_descent_surface_marks_the_lowest_point():
    from scipy.optimize import minimize

    function = "(x - 1)**2 + 2*(y + 0.5)**2 + 0.5*x*y"
    v, _, steps = build("gradient_descent", {"function": function, "domain": [[-3, 3], [-2, 2]],
                                             "start": [-2.5, 1.5], "surface": True})
    f = maths.parse_function(function)
    best = minimize(lambda p: f(np.array([p])), x0=[0.0, 0.0]).x
    x, y, z = v.shown["surface_lowest"]
    # a vertex of the drawn mesh (a 22 x 22 grid) within one cell of the true minimum, at the height f has there
    assert abs(x - best[0]) <= 6 / 21 and abs(y - best[1]) <= 4 / 21
    assert z == pytest.approx(f(np.array([[x, y]]))[0])
    centre = v.lowest.get_center()
    assert min(np.linalg.norm(p.get_vertices() - centre, axis=1).min() for p in v.surface) < 1e-9
    assert v.lowest in [a.mobject for step in steps["show_surface"] for a in step]


# -- linear_regression -----------------------------------------------------------

def _regression_xy(params):
    from mmlanim.visuals._data import LineData

    src = LineData(**params)
    x, y = maths.line_with_noise(src.n, src.slope, src.intercept, src.noise, src.x_range, src.seed)
    return x, y


def test_regression_line_is_the_least_squares_line():
    data = {"generate": "line", "n": 30, "slope": 0.8, "intercept": 1.0, "noise": 0.6,
            "x_range": [0, 6], "seed": 3}
    v, _, steps = build("linear_regression", {"data": data, "learning_rate": 0.03, "steps": 60})
    x, y = _regression_xy(data)
    fit = maths.least_squares(x, y)
    assert v.shown["slope"] == fit.slope and v.shown["intercept"] == fit.intercept
    for end in (v.fit_line.get_start(), v.fit_line.get_end()):
        px, py = coords(v.plane, end)
        assert py == pytest.approx(fit.slope * px + fit.intercept, abs=1e-6)
    # residuals: from each point to the line, vertically
    for seg, xi, yi in zip(v.fit_residuals, x, y):
        a, b = coords(v.plane, seg.get_start()), coords(v.plane, seg.get_end())
        assert np.allclose(a, [xi, yi], atol=1e-6)
        assert b == pytest.approx([xi, fit.slope * xi + fit.intercept], abs=1e-6)
    # the descent is the maths' descent, and its lines follow its parameters
    run = maths.fit_by_gradient_descent(x, y, 0.03, 60)
    assert np.allclose(v.shown["params"], run.params) and np.allclose(v.shown["losses"], run.losses)
    m, c = run.params[-1]
    last = v._line(m, c, "#FFFFFF")
    px, py = coords(v.plane, last.get_end())
    assert py == pytest.approx(m * px + c, abs=1e-6)
    assert 1 <= len(steps["descend"]) <= 24


def test_regression_equation_shows_the_fit():
    data = {"points": [[0, 1], [1, 3], [2, 5.2], [3, 6.8]]}
    v, _, _ = build("linear_regression", {"data": data, "steps": 5}, draw_text=True)
    fit = maths.least_squares([0, 1, 2, 3], [1, 3, 5.2, 6.8])
    assert tex_of(v.panel_lines["fit"]) == rf"y = {fmt(fit.slope)}\,x + {fmt(fit.intercept)}"


def test_regression_axes_contain_all_points():
    data = {"points": [[100, -50], [140, -20], [180, -35], [120, -60]]}
    v, _, _ = build("linear_regression", {"data": data, "steps": 3, "learning_rate": 1e-5})
    (x0, x1, _), (y0, y1, _) = v.plane.x_range, v.plane.y_range
    assert x0 <= 100 and x1 >= 180 and y0 <= -60 and y1 >= -20


# -- pca_projection --------------------------------------------------------------

def test_pca_first_axis_points_along_the_first_component():
    v, _, steps = build("pca_projection")
    X = maths.gaussian_cloud(120, [1.0, 0.5], [[3.0, 1.6], [1.6, 1.4]], seed=2)
    result = maths.pca(X)
    one = maths.pca(X, 1)
    a = v.axes_arrows[0]
    d = coords(v.plane, a.get_end()) - coords(v.plane, a.get_start())
    assert np.allclose(coords(v.plane, a.get_start()), result.mean, atol=1e-6)
    assert np.allclose(d / np.linalg.norm(d), result.components[0], atol=1e-6)
    assert np.linalg.norm(d) == pytest.approx(2.0 * np.sqrt(result.explained_variance[0]), rel=1e-6)
    d2 = coords(v.plane, v.axes_arrows[1].get_end()) - coords(v.plane, v.axes_arrows[1].get_start())
    assert np.allclose(d2 / np.linalg.norm(d2), result.components[1], atol=1e-6)
    # the feet are the 1-D reconstruction; each drop is perpendicular to the axis
    feet = np.array([coords(v.plane, f.get_center()) for f in v.feet])
    assert np.allclose(feet, one.reconstruction, atol=1e-6)
    for drop in v.drops:
        seg = coords(v.plane, drop.get_end()) - coords(v.plane, drop.get_start())
        assert abs(np.dot(seg, result.components[0])) < 1e-6
    assert v.shown["ratio"] == pytest.approx(result.explained_variance_ratio[0])
    assert all(steps[b] for b in ("show_data", "show_mean", "show_covariance", "show_axes", "project", "reconstruct"))


def _example_cloud() -> np.ndarray:
    """The data of pca_projection's example (the generator's output; the statistics are numpy's)."""
    return maths.gaussian_cloud(120, [1.0, 0.5], [[3.0, 1.6], [1.6, 1.4]], seed=2)


def test_pca_ellipse_is_the_covariance_ellipse():
    v, _, _ = build("pca_projection")
    X = _example_cloud()
    mean, cov = X.mean(axis=0), np.cov(X, rowvar=False, ddof=1)  # the visual documents ddof=1
    pts = np.array([coords(v.plane, p) for p in v.ellipse.get_anchors()]) - mean
    mahalanobis = np.sqrt(np.einsum("ij,jk,ik->i", pts, np.linalg.inv(cov), pts))
    assert np.allclose(mahalanobis, 2.0, atol=0.02)  # ellipse_sigmas = 2 (smooth curve: anchors on it)


def test_pca_panel_shows_the_explained_variance():
    from sklearn.decomposition import PCA

    v, _, _ = build("pca_projection", draw_text=True)
    ratio = PCA(n_components=2).fit(_example_cloud()).explained_variance_ratio_[0]
    assert f"{fmt(100 * ratio, 1)}\\%" in tex_of(v.panel_lines["ratio"])


def test_pca_images_reconstructions_are_sklearn_reconstructions():
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA

    v, _, steps = build("pca_images", {"components": [1, 5, 20], "samples": [0, 5]})
    X = load_digits().data
    for k in (1, 5, 20):
        ref = PCA(n_components=k).fit(X)
        rebuilt = ref.inverse_transform(ref.transform(X[[0, 5]]))
        assert np.allclose(v.shown["reconstructions"][k], rebuilt, atol=1e-8)
        assert v.shown["ratio"][k] == pytest.approx(ref.explained_variance_ratio_.sum())
    assert len(v.rebuilt) == 3 and all(len(g) == 2 for g in v.rebuilt)
    assert len(v.originals[0][0]) == 64  # one square per pixel
    assert all(steps[b.name] for b in registry()["pca_images"].beats)


def test_pca_images_components_use_a_diverging_colour_map():
    from manim.utils.color import ManimColor
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA

    v, _, _ = build("pca_images", {"components": [1], "samples": [0]})
    first = PCA(n_components=1).fit(load_digits().data).components_[0]
    first = first * np.sign(v.shown["components"][0] @ first)  # the visual's sign convention
    squares = v.component_images[0][0]
    rgb = np.array([ManimColor(sq.get_fill_color()).to_rgb() for sq in squares])
    strong = np.abs(first) > 0.5 * np.abs(first).max()
    # strongly negative weights are blue (blue over red), strongly positive ones orange (red over blue)
    assert np.all((rgb[strong, 2] > rgb[strong, 0]) == (first[strong] < 0))
    assert strong.sum() >= 4 and (first[strong] < 0).any() and (first[strong] > 0).any()


def test_readouts_change_in_place_with_legible_digits_above_the_panel():
    """From a descent step's first frame the readout shows the step's values, whole digits drawn
    above the panel (a Transform would morph glyph into glyph)."""
    import manim as mn

    v, _, steps = build("gradient_descent", draw_text=True)
    readout = v.panel_lines["readout"]
    last_step = steps["descend"][-1]
    swap = [a for a in last_step if getattr(a, "mobject", None) is readout]
    assert len(swap) == 1 and not isinstance(swap[0], mn.Transform)
    swap[0].begin()
    swap[0].interpolate(0.1)
    # It now draws the last step's readout, built afresh as the oracle, where the old one was.
    k = len(v.run.path) - 1
    expected = v._readout(k).move_to(readout, aligned_edge=mn.UL)
    assert readout.width == pytest.approx(expected.width, abs=1e-6)  # "k = 14" is wider than "k = 0"
    assert np.allclose(readout.get_center(), expected.get_center(), atol=1e-6)
    assert all(m.z_index > v.panel.z_index for m in readout.get_family())


def _terms(tex: str) -> list[tuple[float, float]]:
    """The products ``a \\cdot b`` written in a LaTeX line."""
    import re

    number = r"\(?(-?\d+(?:\.\d+)?)\)?"
    return [(float(a), float(b)) for a, b in re.findall(number + r" \\cdot " + number, tex)]


@pytest.mark.parametrize(("u", "v"), [([3, 1], [1, 2]), ([2, -1], [-1.5, 2]), ([2, 1], [-1, 2])])
def test_the_dot_product_is_worked_out_term_by_term(u, v):
    vis, _, steps = build("vectors", {"vectors": [u, v], "dot_product": True, "show_sum": False},
                          draw_text=True)
    tex = tex_of(vis.panel_lines["dot"])
    assert _terms(tex) == [(float(a), float(b)) for a, b in zip(u, v)]
    assert tex.endswith(f"= {fmt(float(np.dot(u, v)))}")
    assert steps["show_dot"]  # shown in its own beat, before the projection


def test_the_inverse_is_written_in_exact_fractions_and_applied():
    import sympy

    B = [[2, -1], [1, 1]]  # columns b1 = (2, 1), b2 = (-1, 1)
    vis, _, _ = build("basis_change", {"basis": [[2, 1], [-1, 1]], "vector": [3, 3], "show_matrix": True},
                      draw_text=True)
    exact = sympy.Matrix(B).inv()  # [[1/3, 1/3], [-1/3, 2/3]]
    expected = [rf"\tfrac{{{abs(e.p)}}}{{{e.q}}}" if e.q != 1 else str(e) for e in exact]
    tex = tex_of(vis.panel_lines["inverse"])
    for entry in expected:
        assert entry in tex
    coords = exact * sympy.Matrix([3, 3])
    assert tex_of(vis.panel_lines["worked"]).endswith(
        r"\begin{bmatrix}" + r"\\".join(str(c) for c in coords) + r"\end{bmatrix}")


def test_a_segment_on_the_same_contour_map_continues_the_scene(tmp_path):
    """The second of two gradient_descent segments on one function and domain opens with the map on
    screen and does not draw it again; a segment on another domain starts afresh."""
    from mmlanim.lecture import load_lecture

    from .conftest import FakeScene

    lecture = tmp_path / "l.yaml"
    visual = "{kind: gradient_descent, function: 'x**2 + y**2', start: [1.5, 1]%s}"
    same = ", domain: [[-2, 2], [-2, 2]]"
    segments = [("a", same), ("b", same + ", learning_rate: 0.05"), ("c", ", domain: [[-3, 3], [-2, 2]]")]
    lecture.write_text("title: T\nvoice: {engine: silent}\nsegments:\n" + "".join(
        f"  - id: {i}\n    narration: Hi.\n    visual: {visual % extra}\n" for i, extra in segments))
    loaded = load_lecture(lecture)
    a, b, c = (loaded.visual(s) for s in loaded.lecture.segments)
    assert (a.context.continues, b.context.continues, c.context.continues) == (False, True, False)
    scene = FakeScene()
    b.setup(scene)
    assert b.contours in scene.added and b.plane in scene.added  # on screen from the first frame
    assert not any(isinstance(anim, type(anim)) and getattr(anim, "mobject", None) is b.contours
                   for step in b.run_beat("show_contours", scene) for anim in (step if isinstance(step, tuple)
                                                                                else (step,)))


def test_a_regression_line_outside_the_view_is_not_drawn_and_one_inside_is():
    # scores 40..95 against hours 1..10: the first guess y = 0 lies under the whole plotted range
    data = {"points": [[1, 44], [3, 52], [5, 66], [7, 78], [10, 95]]}
    v, _, _ = build("linear_regression", {"data": data, "steps": 5, "learning_rate": 1e-4})
    (x0, x1, _), (y0, y1, _) = v.plane.x_range, v.plane.y_range
    assert y0 > 0  # the guess misses the view
    assert v.line.get_stroke_opacity() == 0  # not a white line along the bottom that passes for an axis
    fit = v._line(v.shown["slope"], v.shown["intercept"], "#FFFFFF")
    assert fit.get_stroke_opacity() == 1
    for end in (fit.get_start(), fit.get_end()):
        px, py = coords(v.plane, end)
        assert x0 - 1e-9 <= px <= x1 + 1e-9 and y0 - 1e-9 <= py <= y1 + 1e-9
