"""PageRank by power iteration, following the Coursera MML convention.

Link-matrix convention
----------------------
``L[i, j]`` is the weight (1 for a plain link) of the link **from page j to
page i**: column j lists page j's outgoing links. Columns are normalised to
sum to 1, so column j holds the probabilities that a surfer on page j
follows a link to each page. A page with no outgoing links (an all-zero
column) is treated as linking to every page with probability 1/n.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import (
    MathsError,
    as_positive_float,
    as_positive_int,
    as_square_matrix,
    format_number,
)

__all__ = ["PageRank", "link_probabilities", "pagerank", "settled_step"]


@dataclass(frozen=True)
class PageRank:
    """Result of :func:`pagerank`.

    Attributes
    ----------
    ranks : ndarray, shape (n,)
        Final rank vector, non-negative and summing to 1.
    history : ndarray, shape (iterations + 1, n)
        The rank vector before the first step (uniform 1/n) and after every
        step; ``history[-1] == ranks``.
    iterations : int
        Number of power-iteration steps taken.
    converged : bool
        Whether the change in the last step was below ``tol``.
    matrix : ndarray, shape (n, n)
        The (damped) column-stochastic matrix M that was iterated.
    """

    ranks: np.ndarray
    history: np.ndarray
    iterations: int
    converged: bool
    matrix: np.ndarray


def link_probabilities(link_matrix: Any) -> np.ndarray:
    """Column-normalised link matrix (dangling pages link everywhere).

    Parameters
    ----------
    link_matrix : array_like, shape (n, n)
        ``L[i, j]`` = weight of the link from page j to page i; non-negative.

    Returns
    -------
    ndarray, shape (n, n)
        Column-stochastic matrix (every column sums to 1).
    """
    L = as_square_matrix(link_matrix, "link_matrix")
    if (L < 0).any():
        i, j = (int(t) for t in np.argwhere(L < 0)[0])
        raise MathsError(
            f"link_matrix has a negative weight {format_number(L[i, j])} at row {i + 1}, "
            f"column {j + 1}; link weights must be 0 or positive"
        )
    n = L.shape[0]
    sums = L.sum(axis=0)
    P = np.empty_like(L)
    dangling = sums == 0
    P[:, ~dangling] = L[:, ~dangling] / sums[~dangling]
    P[:, dangling] = 1.0 / n
    return P


def pagerank(
    link_matrix: Any,
    damping: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> PageRank:
    """Rank pages by power iteration ``r ← M r`` starting from uniform ranks.

    Parameters
    ----------
    link_matrix : array_like, shape (n, n)
        ``L[i, j]`` = weight of the link from page j to page i (column j is
        page j's outgoing links, as in the course). Columns are normalised;
        all-zero columns become uniform 1/n.
    damping : float in (0, 1], optional
        ``None`` means no damping (d = 1), as in the course's first example.
        Otherwise ``M = d·L + (1 - d)/n`` (every entry).
    tol : float
        Stop when ``||r_new - r_old||_1 < tol``.
    max_iter : int
        Maximum number of steps.

    Returns
    -------
    PageRank
        ``ranks`` (n,), ``history`` (iterations + 1, n), ``iterations``,
        ``converged`` and the iterated ``matrix``.
    """
    P = link_probabilities(link_matrix)
    n = P.shape[0]
    if damping is None:
        d = 1.0
    else:
        d = as_positive_float(damping, "damping")
        if d > 1:
            raise MathsError(f"damping must be between 0 and 1, got {format_number(d)}")
    tol = as_positive_float(tol, "tol")
    max_iter = as_positive_int(max_iter, "max_iter")
    M = d * P + (1.0 - d) / n
    r = np.full(n, 1.0 / n)
    history = [r]
    converged = False
    for _ in range(max_iter):
        new = M @ r
        new /= new.sum()  # guard against round-off drift
        history.append(new)
        change = float(np.abs(new - r).sum())
        r = new
        if change < tol:
            converged = True
            break
    return PageRank(
        ranks=r,
        history=np.array(history),
        iterations=len(history) - 1,
        converged=converged,
        matrix=M,
    )


def settled_step(history: Any, decimals: int) -> int:
    """The first step after which the ranks, rounded to ``decimals`` places, no longer change.

    Parameters
    ----------
    history : array_like, shape (k + 1, n)
        Rank vectors, the start first (``PageRank.history``).
    decimals : int
        Decimal places the ranks are shown with (0 or more).

    Returns
    -------
    int
        The smallest ``s`` such that ``round(history[j], decimals)`` equals
        ``round(history[-1], decimals)`` for every ``j >= s``; 0 when the start
        already shows the final ranks.
    """
    h = np.asarray(history, dtype=float)
    if h.ndim != 2 or len(h) == 0:
        raise MathsError(f"history must be a (steps + 1, n) array, got shape {h.shape}")
    if int(decimals) != decimals or decimals < 0:
        raise MathsError(f"decimals must be a whole number, 0 or more, got {decimals}")
    # Rounded as the screen shows them (half away from zero, like Python's format of a float).
    shown = np.array([[float(f"{x:.{int(decimals)}f}") for x in row] for row in h])
    differs = np.any(shown != shown[-1], axis=1)
    changed = np.flatnonzero(differs)
    return int(changed[-1]) + 1 if len(changed) else 0
