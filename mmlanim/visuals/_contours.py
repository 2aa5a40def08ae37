"""Iso-lines of a sampled function by marching squares (pure numpy, no manim).

``iso_lines(xs, ys, Z, level)`` returns the curves where the bilinear
interpolation of ``Z`` crosses ``level``, as polylines joined across cells
(closed curves end where they start). Cells with a NaN corner are skipped.
"""

from __future__ import annotations

__all__ = ["iso_lines", "contour_levels"]

from collections import defaultdict
from typing import Any

import numpy as np

# Edges of a cell: 0 bottom (i,j)-(i+1,j), 1 right (i+1,j)-(i+1,j+1),
# 2 top (i,j+1)-(i+1,j+1), 3 left (i,j)-(i,j+1).
# Corners, bit order: 1 = (i,j) bottom-left, 2 = (i+1,j) bottom-right,
# 4 = (i+1,j+1) top-right, 8 = (i,j+1) top-left. A bit is set when the
# corner is at or above the level.
_SEGMENTS: dict[int, tuple[tuple[int, int], ...]] = {
    0: (), 15: (),
    1: ((3, 0),), 14: ((3, 0),),
    2: ((0, 1),), 13: ((0, 1),),
    3: ((3, 1),), 12: ((3, 1),),
    4: ((1, 2),), 11: ((1, 2),),
    6: ((0, 2),), 9: ((0, 2),),
    7: ((3, 2),), 8: ((3, 2),),
}


def _edge_key(i: int, j: int, edge: int) -> tuple[int, int, int]:
    """A cell edge as a global id: ('h', i, j) horizontal or ('v', i, j) vertical."""
    if edge == 0:
        return (0, i, j)
    if edge == 2:
        return (0, i, j + 1)
    if edge == 3:
        return (1, i, j)
    return (1, i + 1, j)


def iso_lines(xs: Any, ys: Any, Z: Any, level: float) -> list[np.ndarray]:
    """Polylines where ``Z`` equals ``level``.

    Parameters
    ----------
    xs : array_like, shape (nx,)
        Increasing x sample positions.
    ys : array_like, shape (ny,)
        Increasing y sample positions.
    Z : array_like, shape (ny, nx)
        ``Z[j, i]`` is the value at ``(xs[i], ys[j])``.
    level : float

    Returns
    -------
    list of ndarray, each shape (k, 2)
        Each curve's points ``(x, y)`` in order; a closed curve repeats its
        first point at the end. Saddle cells are resolved by the cell's mean.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    Z = np.asarray(Z, dtype=float)
    if Z.shape != (ys.size, xs.size):
        raise ValueError(f"Z must have shape (len(ys), len(xs)) = {(ys.size, xs.size)}, got {Z.shape}")
    if xs.size < 2 or ys.size < 2:
        return []
    above = Z >= level
    bl, br, tr, tl = above[:-1, :-1], above[:-1, 1:], above[1:, 1:], above[1:, :-1]
    code = bl * 1 + br * 2 + tr * 4 + tl * 8
    finite = np.isfinite(Z)
    ok = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1]
    active = ok & (code != 0) & (code != 15)

    def point(key: tuple[int, int, int]) -> np.ndarray:
        horizontal, i, j = key
        if horizontal == 0:  # between (i, j) and (i+1, j)
            z0, z1 = Z[j, i], Z[j, i + 1]
            t = 0.5 if z1 == z0 else (level - z0) / (z1 - z0)
            return np.array([xs[i] + t * (xs[i + 1] - xs[i]), ys[j]])
        z0, z1 = Z[j, i], Z[j + 1, i]  # between (i, j) and (i, j+1)
        t = 0.5 if z1 == z0 else (level - z0) / (z1 - z0)
        return np.array([xs[i], ys[j] + t * (ys[j + 1] - ys[j])])

    neighbours: dict[tuple[int, int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for j, i in zip(*np.nonzero(active)):
        c = int(code[j, i])
        pairs: tuple[tuple[int, int], ...]
        if c in (5, 10):  # saddle: decide by the centre value
            centre_above = (Z[j, i] + Z[j, i + 1] + Z[j + 1, i + 1] + Z[j + 1, i]) / 4 >= level
            if (c == 5) == centre_above:
                pairs = ((3, 2), (0, 1))  # the above-corners (bl, tr) are joined through the centre
            else:
                pairs = ((3, 0), (1, 2))
        else:
            pairs = _SEGMENTS[c]
        for a, b in pairs:
            ka, kb = _edge_key(int(i), int(j), a), _edge_key(int(i), int(j), b)
            neighbours[ka].append(kb)
            neighbours[kb].append(ka)

    lines: list[np.ndarray] = []
    seen: set[tuple[int, int, int]] = set()
    # Open curves first (they start at an end: an edge with one neighbour), then loops.
    starts = [k for k, v in neighbours.items() if len(v) == 1] + list(neighbours)
    for start in starts:
        if start in seen:
            continue
        chain = [start]
        seen.add(start)
        prev, cur = None, start
        while True:
            nxt = [k for k in neighbours[cur] if k != prev and (k not in seen or k == start)]
            if not nxt:
                break
            k = nxt[0]
            if k == start:
                chain.append(start)
                break
            chain.append(k)
            seen.add(k)
            prev, cur = cur, k
        if len(chain) >= 2:
            lines.append(np.array([point(k) for k in chain]))
    return lines


def contour_levels(values: Any, count: int) -> np.ndarray:
    """``count`` levels spread over the finite ``values`` by quantile (dense where the data is).

    Quantiles rather than equal steps keep the rings evenly spaced on screen
    for bowls like ``x² + y²``, whose values grow fast towards the edges.
    """
    v = np.asarray(values, dtype=float).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0 or count < 1:
        return np.zeros(0)
    qs = (np.arange(count) + 0.5) / count
    # Square the quantile positions: more rings near the minimum, where the descent ends.
    levels = np.quantile(v, qs ** 1.6)
    return np.unique(levels)
