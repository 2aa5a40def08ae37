"""The camera's faster path building (mmlanim.render.paths) makes exactly manim's own cairo calls."""

from __future__ import annotations

import numpy as np
import pytest

mn = pytest.importorskip("manim")
cairo = pytest.importorskip("cairo")

from mmlanim.render.paths import plain_float_paths  # noqa: E402


@pytest.fixture(autouse=True)
def _installed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # manim typesets into ./media
    plain_float_paths()


def _path(method, camera: mn.Camera, vmobject: mn.VMobject) -> list[tuple[int, tuple[float, ...]]]:
    """The cairo path ``method`` builds for ``vmobject``: every operation and its coordinates."""
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 8, 8)
    ctx = cairo.Context(surface)
    ctx.move_to(1.0, 1.0)  # a path left from an earlier mobject: both must start afresh
    method(camera, ctx, vmobject)
    return list(ctx.copy_path())


def _both(camera: mn.Camera, vmobject: mn.VMobject) -> tuple[list, list]:
    ours = mn.Camera.set_cairo_context_path
    return _path(ours, camera, vmobject), _path(ours.manims, camera, vmobject)


def _with_points(points: np.ndarray) -> mn.VMobject:
    vmobject = mn.VMobject()
    vmobject.points = np.asarray(points, dtype=float)
    return vmobject


def _shapes() -> list[mn.VMobject]:
    formula = mn.MathTex(r"\sum_{i=1}^{n} x_i^2 = \lVert \mathbf{x} \rVert^2")
    plane = mn.NumberPlane(x_range=[-3, 3, 1], y_range=[-2, 2, 1])
    return [*formula.family_members_with_points(), *plane.family_members_with_points(),
            mn.Circle(), mn.Square().rotate(0.3), mn.Arrow(mn.ORIGIN, [2.0, 1.0, 0.0]),
            mn.Annulus(), mn.Line([-1.0, 0, 0], [1.0, 0, 0]), mn.Dot(), mn.Text("Ag").submobjects[0]]


def test_every_kind_of_outline_is_built_with_the_same_calls_and_numbers() -> None:
    camera = mn.Camera()
    shapes = _shapes()
    assert len(shapes) > 25
    for shape in shapes:
        ours, manims = _both(camera, shape)
        assert ours == manims, type(shape).__name__
    assert any(op == cairo.PATH_CLOSE_PATH for op, _ in _path(mn.Camera.set_cairo_context_path, camera, mn.Circle()))


def test_subpaths_split_and_close_where_manims_do_at_the_edge_of_its_tolerance() -> None:
    rng = np.random.default_rng(7)
    camera = mn.Camera()
    tolerance = mn.VMobject().tolerance_for_point_equality
    splits = closes = 0
    for _ in range(400):
        curves = int(rng.integers(1, 7))
        points = rng.normal(size=(4 * curves, 3))
        for c in range(curves):
            if c and rng.random() < 0.7:  # continue from the last curve's end, off by about the tolerance
                points[4 * c] = points[4 * c - 1] + rng.choice([0.0, 0.5, 0.99, 1.0, 1.01, 3.0]) * tolerance
        if rng.random() < 0.5:  # end where the shape began, or just off it
            points[-1, :2] = points[0, :2] + rng.choice([0.0, 0.9, 1.5]) * tolerance
        if rng.random() < 0.2:
            points = points[: len(points) - int(rng.integers(1, 4))]  # a last curve cut short
        ours, manims = _both(camera, _with_points(points))
        assert ours == manims
        splits += sum(op == cairo.PATH_MOVE_TO for op, _ in ours) > 1
        closes += any(op == cairo.PATH_CLOSE_PATH for op, _ in ours)
    assert splits > 50 and closes > 50  # both rules were exercised on both sides


@pytest.mark.parametrize("points", [np.zeros((0, 3)), np.ones((3, 3)), np.array([[0.0, 0, 0], [np.nan, 1, 0],
                                                                                  [1.0, 1, 0], [2.0, 0, 0]]),
                                    np.array([[0.0, 0, 0], [1.0, 1, 0], [np.inf, 1, 0], [2.0, 0, 0]])],
                         ids=["empty", "less-than-a-curve", "nan", "inf"])
def test_degenerate_points_build_what_manim_builds(points: np.ndarray) -> None:
    ours, manims = _both(mn.Camera(), _with_points(points))
    assert ours == manims


def test_the_3d_camera_projects_first_and_builds_the_same_path() -> None:
    camera = mn.ThreeDCamera()
    camera.set_phi(70 * mn.DEGREES)
    camera.set_theta(-40 * mn.DEGREES)
    for shape in [mn.Circle(), mn.Square(), *mn.Surface(lambda u, v: np.array([u, v, u * v]),
                                                        resolution=(4, 4)).family_members_with_points()]:
        ours, manims = _both(camera, shape)
        assert ours == manims


def test_a_frame_drawn_with_our_paths_has_manims_pixels() -> None:
    scene_objects = mn.VGroup(mn.NumberPlane(), mn.MathTex(r"A\mathbf{v} = \lambda\mathbf{v}").scale(2),
                              mn.Arrow(mn.ORIGIN, [2.0, 1.0, 0.0], color=mn.YELLOW), mn.Circle(color=mn.RED))
    frames = []
    for method in (mn.Camera.set_cairo_context_path, mn.Camera.set_cairo_context_path.manims):
        camera = mn.Camera(pixel_width=320, pixel_height=180)
        original = mn.Camera.set_cairo_context_path
        mn.Camera.set_cairo_context_path = method
        try:
            camera.capture_mobject(scene_objects)
        finally:
            mn.Camera.set_cairo_context_path = original
        frames.append(camera.pixel_array.copy())
    assert frames[0].any()
    np.testing.assert_array_equal(frames[0], frames[1])


def test_a_type_with_its_own_equality_rule_is_drawn_by_manims_method() -> None:
    class Lenient(mn.VMobject):
        def consider_points_equals_2d(self, p0, p1) -> bool:  # noqa: ANN001
            return True  # every subpath closes

    shape = Lenient()
    shape.points = np.array([[0.0, 0, 0], [1.0, 1, 0], [2.0, 1, 0], [3.0, 0, 0]])
    ours, manims = _both(mn.Camera(), shape)
    assert ours == manims
    assert any(op == cairo.PATH_CLOSE_PATH for op, _ in ours)  # closed by its own rule
