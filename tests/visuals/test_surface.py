"""The surface kind draws z = f(x, y) where f is, its tangent plane with the finite-difference gradient,
and its critical points where scipy finds the minima."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize

from .conftest import build

TEXT = "(x**2 + y**2)/10 - 2*exp(-(x - 1)**2 - y**2) - exp(-2*(x + 1)**2 - 2*(y - 1)**2)"


def f(x, y):
    return (x**2 + y**2) / 10 - 2 * np.exp(-(x - 1) ** 2 - y**2) - np.exp(-2 * (x + 1) ** 2 - 2 * (y - 1) ** 2)


PARAMS = {"function": TEXT, "domain": [[-3, 3], [-3, 3]], "point": [1.6, 1.4], "resolution": 10}


def test_the_mesh_lies_on_the_graph_of_f():
    v, scene, _ = build("surface", PARAMS)
    assert len(v.surface) == 100
    for face in v.surface:
        for corner in np.asarray(face.points)[::4]:
            x, y, z = v.p2c(corner)
            if v.z_lo + 1e-6 < f(x, y) < v.z_hi - 1e-6:
                assert z == pytest.approx(f(x, y), abs=1e-9)
    assert scene.camera_orientation["phi"] == pytest.approx(np.radians(62))
    # The camera turns as each beat begins, rate × the beat's seconds, at most 25 degrees a beat.
    thetas = v.shown["thetas"]
    assert thetas[0] == -60.0 and len(thetas) == 1 + 5 and np.all(np.diff(thetas) > 0)
    assert np.all(np.diff(thetas) <= 25.0 + 1e-9)


def test_the_tangent_plane_has_the_finite_difference_gradient():
    v, _, steps = build("surface", PARAMS)
    h, (px, py) = 1e-6, PARAMS["point"]
    grad = np.array([(f(px + h, py) - f(px - h, py)) / (2 * h), (f(px, py + h) - f(px, py - h)) / (2 * h)])
    corners = np.array([v.p2c(pt) for pt in v.plane_patch.get_vertices()])
    # Every corner of the drawn patch satisfies z = f(p) + ∇f(p)·(x − p).
    for x, y, z in corners:
        assert z == pytest.approx(f(px, py) + grad[0] * (x - px) + grad[1] * (y - py), abs=1e-6)
    assert len({(round(x, 6), round(y, 6)) for x, y, _ in corners}) == 4
    # The surface dot sits on the graph above the point, and the gradient arrow on the floor points along ∇f.
    assert np.allclose(v.p2c(v.surface_dot.get_center()), [px, py, f(px, py)], atol=1e-9)
    start, end = v.gradient_arrow.get_start(), v.gradient_arrow.get_end()
    assert start[2] == pytest.approx(v.floor_z) and end[2] == pytest.approx(v.floor_z)
    d = (end - start)[:2]
    assert np.allclose(d / np.linalg.norm(d), grad / np.linalg.norm(grad), atol=1e-6)
    assert steps["show_tangent_plane"] and steps["show_gradient"]


def test_critical_points_are_marked_with_the_right_verdicts():
    v, _, _ = build("surface", PARAMS)
    drawn = [v.p2c(dot.get_center()) for dot in v.critical_marks]
    verdicts = [cp.verdict for cp in v.shown["critical"]]
    assert sorted(verdicts) == ["minimum", "minimum", "saddle"]
    # scipy finds the two pits from starts near them: a minimum is drawn at each.
    for start in ([1.0, 0.0], [-1.0, 1.0]):
        res = scipy.optimize.minimize(lambda q: f(*q), start, tol=1e-12)
        assert any(np.allclose(d[:2], res.x, atol=1e-4) and d[2] == pytest.approx(res.fun, abs=1e-6)
                   for d, verdict in zip(drawn, verdicts) if verdict == "minimum")
    # The saddle: a gradient root (finite differences) with a Hessian of mixed signs.
    (saddle,) = [d for d, verdict in zip(drawn, verdicts) if verdict == "saddle"]
    x, y = saddle[:2]
    h = 1e-4
    fxx = (f(x + h, y) - 2 * f(x, y) + f(x - h, y)) / h**2
    fyy = (f(x, y + h) - 2 * f(x, y) + f(x, y - h)) / h**2
    fxy = (f(x + h, y + h) - f(x + h, y - h) - f(x - h, y + h) + f(x - h, y - h)) / (4 * h**2)
    assert fxx * fyy - fxy**2 < 0
    assert abs(f(x + h, y) - f(x - h, y)) / (2 * h) < 1e-6


def test_contours_lie_on_the_floor_at_their_levels():
    v, _, _ = build("surface", PARAMS)
    assert len(v.contours) >= len(v.shown["levels"])
    for line in v.contours:
        pts = np.asarray(line.points)
        assert np.allclose(pts[:, 2], v.floor_z)
        values = [f(*v.p2c(pt)[:2]) for pt in pts[::3]]
        assert np.ptp(values) < 0.05 * (v.z_hi - v.z_lo)  # one height along each line


def test_without_a_point_its_beats_hold_the_picture():
    _, _, steps = build("surface", {"function": "x**2 - y**2", "resolution": 8})
    assert steps["show_gradient"] == [] and steps["show_tangent_plane"] == []
    assert steps["show_critical_points"]


def test_a_point_outside_the_domain_is_refused():
    from mmlanim.visuals import registry

    cls = registry()["surface"]
    v = cls(cls.model.model_validate({"kind": "surface", "function": "x*y", "point": [5, 0]}))
    assert [loc for loc, *_ in v.check()] == [("point",)]
