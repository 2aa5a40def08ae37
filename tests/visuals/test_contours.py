"""Marching squares: iso-lines land where the function equals the level."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim.visuals._contours import contour_levels, iso_lines


def grid(nx=61, ny=47, lo=-2.0, hi=2.0):
    xs, ys = np.linspace(lo, hi, nx), np.linspace(lo, hi, ny)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, X, Y


@pytest.mark.parametrize("r", [0.5, 1.0, 1.7])
def test_circle_level_set_is_a_closed_ring_of_radius_r(r):
    xs, ys, X, Y = grid()
    lines = iso_lines(xs, ys, X**2 + Y**2, r**2)
    assert len(lines) == 1
    ring = lines[0]
    assert np.allclose(ring[0], ring[-1]), "a closed curve ends where it starts"
    radii = np.hypot(ring[:, 0], ring[:, 1])
    cell = xs[1] - xs[0]
    # linear interpolation of r² along an edge errs by at most ~cell²/(4r)
    assert np.abs(radii - r).max() < cell**2 / r
    # it goes all the way round
    angles = np.unwrap(np.arctan2(ring[:, 1], ring[:, 0]))
    assert abs(abs(angles[-1] - angles[0]) - 2 * np.pi) < 1e-6
    assert len(ring) > 20


def test_two_separate_rings_for_two_wells():
    xs, ys, X, Y = grid(81, 81)
    Z = np.minimum((X - 1) ** 2 + Y**2, (X + 1) ** 2 + Y**2)
    lines = iso_lines(xs, ys, Z, 0.25)
    assert len(lines) == 2
    centres = sorted(line[:, 0].mean() for line in lines)
    assert centres == pytest.approx([-1, 1], abs=0.02)
    for line, c in zip(sorted(lines, key=lambda pts: pts[:, 0].mean()), (-1, 1)):
        assert np.abs(np.hypot(line[:, 0] - c, line[:, 1]) - 0.5).max() < 0.01


def test_open_line_crosses_the_grid_exactly():
    xs, ys, X, Y = grid()
    lines = iso_lines(xs, ys, X + 2 * Y, 0.3)
    assert len(lines) == 1
    line = lines[0]
    assert np.allclose(line[:, 0] + 2 * line[:, 1], 0.3, atol=1e-12)  # linear: exact
    assert not np.allclose(line[0], line[-1])
    # it runs from one edge of the grid to another
    def on_edge(p):
        return np.isclose(np.abs(p), 2.0).any()
    assert on_edge(line[0]) and on_edge(line[-1])


def test_saddle_gives_hyperbola_branches():
    xs, ys, X, Y = grid(60, 60)  # even counts: no sample on the axes
    lines = iso_lines(xs, ys, X * Y, 0.5)
    assert len(lines) == 2
    for line in lines:
        assert np.allclose(line[:, 0] * line[:, 1], 0.5, atol=0.02)


def test_nan_cells_are_skipped_and_level_outside_range_gives_nothing():
    xs, ys, X, Y = grid()
    Z = np.where(X > 0, np.nan, X**2 + Y**2)
    lines = iso_lines(xs, ys, Z, 1.0)
    assert lines and all(np.all(np.isfinite(line)) for line in lines)
    assert all((line[:, 0] <= 1e-9).all() for line in lines)
    assert iso_lines(xs, ys, X**2 + Y**2, 100.0) == []


def test_shape_mismatch_is_an_error():
    xs, ys, X, Y = grid()
    with pytest.raises(ValueError, match="shape"):
        iso_lines(xs, ys, (X**2).T, 1.0)


def test_levels_are_increasing_within_the_values():
    _, _, X, Y = grid()
    Z = X**2 + 3 * Y**2
    levels = contour_levels(Z, 10)
    assert len(levels) == 10 and np.all(np.diff(levels) > 0)
    assert Z.min() < levels[0] and levels[-1] < Z.max()
    assert contour_levels(np.full(5, np.nan), 4).size == 0
