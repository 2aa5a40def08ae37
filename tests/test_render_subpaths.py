"""Subpaths found all at once (mmlanim.render.subpaths) are manim's own, piece for piece."""

from __future__ import annotations

import numpy as np
import pytest

mn = pytest.importorskip("manim")

from mmlanim.render.subpaths import vectorised_subpaths  # noqa: E402


@pytest.fixture(autouse=True)
def _installed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(tmp_path)  # manim typesets into ./media
    vectorised_subpaths()


def _both(vmobject: mn.VMobject, points: np.ndarray | None = None) -> tuple[list, list]:
    ours = mn.VMobject.get_subpaths_from_points
    points = vmobject.points if points is None else points
    return ours(vmobject, points), ours.manims(vmobject, points)


def _assert_same(ours: list, manims: list) -> None:
    assert len(ours) == len(manims)
    for a, b in zip(ours, manims):
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_paths_with_breaks_near_breaks_and_odd_ends_split_as_manim_splits_them() -> None:
    rng = np.random.default_rng(5)
    for _ in range(300):
        n_curves = int(rng.integers(0, 12))
        points = rng.normal(size=(4 * n_curves + int(rng.integers(0, 4)), 3))
        for k in range(1, n_curves):  # joined, a hair apart (inside and outside the tolerance), or broken
            end, start = 4 * k - 1, 4 * k
            choice = rng.integers(0, 4)
            if choice == 0:
                points[start] = points[end]
            elif choice == 1:
                points[start] = points[end] + rng.choice([-1, 1]) * 5e-7
            elif choice == 2:
                points[start] = points[end] + 2e-6 * rng.normal(size=3)
        _assert_same(*_both(mn.VMobject(), points))


def test_non_finite_anchors_split_as_allclose_decides() -> None:
    points = np.zeros((16, 3))
    points[3] = points[4] = [np.nan, 0, 0]  # NaN is never close: a break
    points[7] = points[8] = [np.inf, 1, 0]  # equal infinities are close: no break
    points[11], points[12] = [np.inf, 0, 0], [-np.inf, 0, 0]  # opposite ones are not
    ours, manims = _both(mn.VMobject(), points)
    _assert_same(ours, manims)
    assert [len(p) for p in ours] == [4, 8, 4]


def test_shapes_and_a_formula_split_the_same() -> None:
    shapes = [mn.Circle(), mn.Square(), mn.DashedLine(mn.LEFT, mn.RIGHT), mn.Arrow(mn.ORIGIN, mn.UP),
              mn.Annulus(), mn.VMobject(), *mn.MathTex(r"\oint \Theta \, d\mathbf{8}")[0]]
    for shape in shapes:
        for member in shape.family_members_with_points() or [shape]:
            _assert_same(*_both(member))


def test_a_transform_between_curves_of_different_pieces_ends_on_manims_points() -> None:
    def curve() -> mn.VGroup:
        return mn.VGroup(mn.FunctionGraph(np.sin, x_range=[-3, 0]), mn.Annulus(inner_radius=0.5))

    ours, manims = curve(), curve()
    target = mn.VGroup(mn.FunctionGraph(np.cos, x_range=[-2, 2, 0.05]), mn.Square())
    ours.align_data(target.copy())
    method = mn.VMobject.get_subpaths_from_points
    mn.VMobject.get_subpaths_from_points = method.manims
    try:
        manims.align_data(target.copy())
    finally:
        mn.VMobject.get_subpaths_from_points = method
    for a, b in zip(ours.family_members_with_points(), manims.family_members_with_points()):
        np.testing.assert_array_equal(a.points, b.points)
