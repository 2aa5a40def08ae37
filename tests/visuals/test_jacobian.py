"""The jacobian kind warps its grid by F, and near the point draws J's parallelogram, which F's patch
approaches (closed forms of the polar map, finite differences)."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import build

POLAR = {"u": "r*cos(t)", "v": "r*sin(t)", "variables": ["r", "t"], "domain": [[0.5, 3], [0, 3.1416]],
         "point": [2, 1], "sizes": [1, 0.5, 0.25, 0.05]}


def coords(plane, mob) -> np.ndarray:
    """The plane coordinates of the mobject's anchors (the sampled points it is drawn through)."""
    return np.array([plane.p2c(p)[:2] for p in np.asarray(mob.get_anchors())])


def polar(rt: np.ndarray) -> np.ndarray:
    return np.column_stack([rt[:, 0] * np.cos(rt[:, 1]), rt[:, 0] * np.sin(rt[:, 1])])


def test_the_warped_grid_is_the_image_of_the_grid():
    v, _, steps = build("jacobian", POLAR)
    for line, warped in zip(v.grid, v.warped_grid):
        before, after = coords(v.plane, line), coords(v.plane, warped)
        assert np.allclose(after, polar(before), atol=1e-6)
    assert steps["warp"]
    # Circles r = const become arcs at that radius.
    for warped in list(v.warped_grid)[: len(v.warped_grid) // 2]:
        radii = np.linalg.norm(coords(v.plane, warped), axis=1)
        assert np.ptp(radii) < 1e-6


def test_jacobian_and_determinant_are_the_polar_closed_forms():
    v, _, _ = build("jacobian", POLAR)
    r, t = POLAR["point"]
    expected = np.array([[np.cos(t), -r * np.sin(t)], [np.sin(t), r * np.cos(t)]])
    assert np.allclose(v.shown["J"], expected)
    assert v.shown["det"] == pytest.approx(r)
    # The parallelogram drawn at F(p) has corners F(p) + J(±h/2, ±h/2).
    h = POLAR["sizes"][0]
    pts = coords(v.plane, v.parallelograms[0])
    centre = np.array([r * np.cos(t), r * np.sin(t)])
    corners = [centre + expected @ np.array([sx, sy]) * h / 2 for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    for c in corners:
        assert np.min(np.linalg.norm(pts - c, axis=1)) < 1e-6


def shoelace(p: np.ndarray) -> float:
    return 0.5 * float(np.dot(p[:, 0], np.roll(p[:, 1], -1)) - np.dot(p[:, 1], np.roll(p[:, 0], -1)))


def test_the_patch_closes_in_on_the_parallelogram_as_h_shrinks():
    v, _, steps = build("jacobian", POLAR)
    r, t = POLAR["point"]
    # The area of the drawn patch (an annular sector, closed form r·h·h) over h² tends to det J = r.
    for h, patch, ratio in zip(POLAR["sizes"], v.patches, v.shown["ratios"]):
        exact = ((r + h / 2) ** 2 - (r - h / 2) ** 2) / 2 * h / h**2  # sector area / h²: equals r
        assert shoelace(coords(v.plane, patch)) / h**2 == pytest.approx(exact, rel=2e-3)
        assert ratio == pytest.approx(exact, rel=2e-3)
    # In the inset, the magnified patch's distance to the parallelogram shrinks with h.
    para = np.asarray(v.inset_parallelogram.points)
    gaps = [max(np.min(np.linalg.norm(para - q, axis=1)) for q in np.asarray(p.points)) for p in v.inset_patches]
    assert all(a > b for a, b in zip(gaps, gaps[1:]))
    assert gaps[-1] < 0.05 * gaps[0] + 0.02
    assert len(steps["shrink"]) == len(POLAR["sizes"]) - 1


def test_sizes_must_shrink():
    from mmlanim.visuals import registry

    cls = registry()["jacobian"]
    v = cls(cls.model.model_validate({"kind": "jacobian", "sizes": [0.5, 1.0]}))
    assert [loc for loc, *_ in v.check()] == [("sizes",)]
