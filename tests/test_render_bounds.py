"""Cheaper bounding boxes (mmlanim.render.bounds) and 3-D axis shading worked out once a frame
(mmlanim.visuals._space.AxisShading) give exactly what manim's own code gives."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import count_calls

mn = pytest.importorskip("manim")

from mmlanim import theme  # noqa: E402
from mmlanim.render.bounds import numpy_boundaries  # noqa: E402


@pytest.fixture(autouse=True)
def _installed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # manim typesets into ./media
    numpy_boundaries()


def _both(mobject: mn.VMobject) -> tuple[np.ndarray, np.ndarray]:
    ours = mn.VMobject.get_points_defining_boundary
    return ours(mobject), ours.manims(mobject)


def _with_points(points: np.ndarray, *children: mn.VMobject) -> mn.VMobject:
    vmobject = mn.VMobject()
    vmobject.points = np.asarray(points, dtype=float)
    return vmobject.add(*children) if children else vmobject


def test_the_anchors_of_every_kind_of_family_are_manims_in_the_same_order() -> None:
    formula = mn.MathTex(r"\sum_{i=1}^{n} x_i^2 = \lVert \mathbf{x} \rVert^2")
    shapes = [formula, *formula.submobjects, mn.NumberPlane(x_range=[-3, 3, 1], y_range=[-2, 2, 1]),
              mn.Axes(), mn.ThreeDAxes(), mn.Circle(), mn.Arrow(mn.ORIGIN, [2.0, 1.0, 0.0]), mn.Dot(),
              mn.VGroup(mn.Square(), mn.VGroup(mn.Triangle(), mn.VGroup())), mn.VGroup(),
              mn.DashedLine([-1.0, 0, 0], [1.0, 1, 0]), mn.Text("Ag")]
    for shape in shapes:
        ours, manims = _both(shape)
        assert ours.shape == manims.shape, type(shape).__name__
        np.testing.assert_array_equal(ours, manims)
        for direction in (mn.UP, mn.DL, mn.OUT, mn.ORIGIN):  # the box manim places things by, unchanged
            expected = [shape.get_extremum_along_dim(manims, dim, direction[dim]) if len(manims) else 0.0
                        for dim in range(3)]
            np.testing.assert_array_equal(shape.get_critical_point(direction), expected)


def test_single_points_empty_members_and_random_curves_match() -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        members = []
        for _ in range(int(rng.integers(0, 5))):
            kind = rng.integers(0, 4)
            points = (np.zeros((0, 3)) if kind == 0 else rng.normal(size=(1, 3)) if kind == 1
                      else rng.normal(size=(4 * int(rng.integers(1, 6)), 3)))
            members.append(_with_points(points))
        shape = _with_points(rng.normal(size=(4 * int(rng.integers(0, 3)), 3)), *members)
        ours, manims = _both(shape)
        assert ours.shape == manims.shape
        np.testing.assert_array_equal(ours, manims)
        if len(ours):
            ours[0, 0] += 1.0  # a fresh array, as manim's: the mobject's points are untouched
            assert not np.shares_memory(ours, shape.points)


def test_no_anchors_at_all_is_manims_empty_array_and_the_box_is_the_origin() -> None:
    ours, manims = _both(mn.VGroup(mn.VGroup()))
    assert ours.shape == manims.shape == (0,)
    np.testing.assert_array_equal(mn.VGroup().get_center(), np.zeros(3))


def test_curves_cut_short_raise_as_manims_do() -> None:
    shape = _with_points(np.arange(15.0).reshape(5, 3))  # a curve and a quarter
    with pytest.raises(ValueError):
        shape.get_points_defining_boundary.manims(shape)
    with pytest.raises(ValueError):
        shape.get_points_defining_boundary()


def test_a_type_with_its_own_anchors_is_read_through_them() -> None:
    class Corners(mn.VMobject):
        def get_anchors(self):  # noqa: ANN202
            return [np.array([5.0, 6.0, 7.0])]

    shape = mn.VGroup(mn.Square(), Corners())
    shape[1].points = np.zeros((4, 3))
    ours, manims = _both(shape)
    np.testing.assert_array_equal(ours, manims)
    assert shape.get_right()[0] == 5.0


# -- 3-D axes: each axis's shading worked out once a frame ------------------------------

def _turned(camera: mn.ThreeDCamera) -> mn.ThreeDCamera:
    camera.set_phi(65 * mn.DEGREES)
    camera.set_theta(-50 * mn.DEGREES)
    return camera


def test_an_axis_shading_gives_manims_ends_in_and_out_of_a_frame() -> None:
    from mmlanim.visuals._space import AxisShading, SpaceCamera, space_axes

    axes = space_axes((-3, 3, 1), (-3, 3, 1), (-3, 3, 1))
    plain = mn.ThreeDAxes(x_range=[-3, 3, 1], y_range=[-3, 3, 1], z_range=[-3, 3, 1], x_length=6, y_length=6,
                          z_length=6, axis_config={"include_tip": False, "tick_size": 0.05})
    for ours, manims in zip(axes.axes, plain.axes):
        pieces = ours.family_members_with_points()
        assert len(pieces) > 20
        shading = pieces[0].get_gradient_start_and_end_points
        assert isinstance(shading, AxisShading)
        assert all(p.get_gradient_start_and_end_points is shading for p in pieces)  # one per axis
        expected = manims.family_members_with_points()[0].get_gradient_start_and_end_points()
        np.testing.assert_array_equal(np.array(shading()), np.array(expected))
    # Outside a frame every call sees the axis as it is now.
    axis = axes.axes[0]
    shading = axis.family_members_with_points()[0].get_gradient_start_and_end_points
    before = np.array(shading())
    axis.shift(mn.UP)
    np.testing.assert_array_equal(np.array(shading()), before + [0.0, 1.0, 0.0])
    # A drawn frame uses the axis as it was at that frame, and the next frame sees it moved.
    camera = _turned(SpaceCamera(pixel_width=96, pixel_height=54))
    camera.capture_mobjects([axes])
    drawn = np.array(shading._ends[1])
    axis.shift(mn.UP)
    camera.capture_mobjects([axes])
    np.testing.assert_array_equal(np.array(shading._ends[1]), drawn + [0.0, 1.0, 0.0])
    assert shading.frame is None  # nothing kept for calls outside a frame


def test_a_turning_frame_of_our_axes_has_manims_pixels() -> None:
    from mmlanim.visuals._space import SpaceCamera, space_axes

    frames = []
    for camera_class, numpy_boxes in ((SpaceCamera, True), (mn.ThreeDCamera, False)):
        axes = space_axes((-3, 3, 1), (-2, 2, 1), (0, 4, 1))
        if not numpy_boxes:  # manim's own: its anchors, and its own shading function on every piece
            axes = mn.ThreeDAxes(x_range=[-3, 3, 1], y_range=[-2, 2, 1], z_range=[0, 4, 1], x_length=6, y_length=6,
                                 z_length=6, axis_config={"color": theme.MUTED, "stroke_width": 2,
                                                          "include_tip": False, "tick_size": 0.05})
        scene = mn.VGroup(axes, mn.Sphere(radius=0.8, resolution=(6, 6)).shift(mn.OUT))
        camera = _turned(camera_class(pixel_width=320, pixel_height=180))
        original = mn.VMobject.get_points_defining_boundary
        if not numpy_boxes:
            mn.VMobject.get_points_defining_boundary = original.manims
        try:
            for theta in (-50, -20):
                camera.set_theta(theta * mn.DEGREES)
                camera.reset()
                camera.capture_mobjects([scene])
                frames.append(camera.pixel_array.copy())
        finally:
            mn.VMobject.get_points_defining_boundary = original
    assert frames[0].any() and not np.array_equal(frames[0], frames[1])  # the camera did turn
    np.testing.assert_array_equal(frames[0], frames[2])
    np.testing.assert_array_equal(frames[1], frames[3])


def test_a_shaded_face_is_lit_once_a_frame_for_its_fill_and_its_stroke(monkeypatch: pytest.MonkeyPatch) -> None:
    import manim.mobject.three_d.three_d_utils as utils

    from mmlanim.visuals._space import SpaceCamera

    calls = count_calls(monkeypatch, utils, "get_3d_vmob_unit_normal")
    counts, frames = [], []
    for camera_class in (SpaceCamera, mn.ThreeDCamera):
        sphere = mn.Sphere(radius=1.2, resolution=(6, 6), stroke_width=1.5, stroke_color=mn.WHITE)
        faces = [f for f in sphere.family_members_with_points() if f.shade_in_3d]
        assert len(faces) == 36
        camera = _turned(camera_class(pixel_width=320, pixel_height=180))
        for turn in (0.0, 0.7):  # the sphere turns between frames: its faces' light changes
            sphere.rotate(turn, axis=mn.RIGHT)
            calls[0] = 0
            camera.reset()
            camera.capture_mobjects([sphere])
            counts.append(calls[0])
            frames.append(camera.pixel_array.copy())
    # Two corners a face, once a frame; manim finds them again for the stroke.
    assert counts == [2 * 36, 2 * 36, 4 * 36, 4 * 36]
    assert not np.array_equal(frames[0], frames[1])
    np.testing.assert_array_equal(frames[0], frames[2])
    np.testing.assert_array_equal(frames[1], frames[3])
