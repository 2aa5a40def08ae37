"""PageRank against the eigenvector of eigenvalue 1 (numpy.linalg.eig)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlanim.maths import MathsError, link_probabilities, pagerank, settled_step

# The six-page web from the MML course (A..F); column j = page j's outgoing links.
COURSE_WEB = np.array(
    [
        [0, 1 / 2, 1 / 3, 0, 0, 0],
        [1 / 3, 0, 0, 0, 1 / 2, 0],
        [1 / 3, 1 / 2, 0, 1, 0, 1 / 2],
        [1 / 3, 0, 1 / 3, 0, 1 / 2, 1 / 2],
        [0, 0, 0, 0, 0, 0],
        [0, 0, 1 / 3, 0, 0, 0],
    ]
)


def stationary(M: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eig(M)
    v = np.real(vectors[:, np.argmin(np.abs(values - 1))])
    return v / v.sum()


def test_course_web_matches_eigenvector() -> None:
    res = pagerank(COURSE_WEB)
    assert res.converged
    np.testing.assert_allclose(res.ranks, stationary(COURSE_WEB), atol=1e-8)
    assert res.ranks.sum() == pytest.approx(1.0)
    assert res.history.shape == (res.iterations + 1, 6)
    np.testing.assert_allclose(res.history[0], np.full(6, 1 / 6))
    np.testing.assert_allclose(res.history[-1], res.ranks)
    np.testing.assert_allclose(res.history.sum(axis=1), 1.0)


def test_damping_formula() -> None:
    d = 0.85
    res = pagerank(COURSE_WEB, damping=d)
    M = d * COURSE_WEB + (1 - d) / 6
    np.testing.assert_allclose(res.matrix, M)
    np.testing.assert_allclose(res.ranks, stationary(M), atol=1e-8)


def test_unnormalised_links_and_dangling_page() -> None:
    # page 3 (index 2) has no outgoing links: it links everywhere uniformly
    L = np.array([[0, 2, 0], [1, 0, 0], [1, 2, 0]], dtype=float)
    P = link_probabilities(L)
    np.testing.assert_allclose(P, [[0, 0.5, 1 / 3], [0.5, 0, 1 / 3], [0.5, 0.5, 1 / 3]])
    res = pagerank(L)
    np.testing.assert_allclose(res.ranks, stationary(P), atol=1e-8)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(2, 8), st.integers(0, 2**32 - 1), st.floats(0.5, 0.95))
def test_random_webs_with_damping(n: int, seed: int, d: float) -> None:
    rng = np.random.default_rng(seed)
    L = (rng.random((n, n)) < 0.4).astype(float)
    res = pagerank(L, damping=d)
    assert res.converged
    M = d * link_probabilities(L) + (1 - d) / n
    np.testing.assert_allclose(res.ranks, stationary(M), atol=1e-8)
    assert np.all(res.ranks > 0)


def test_periodic_web_without_damping_does_not_converge() -> None:
    # page 1 links to 2 and 3, which both link back: ranks oscillate with period 2
    L = [[0, 1, 1], [1, 0, 0], [1, 0, 0]]
    res = pagerank(L, max_iter=50)
    assert not res.converged and res.iterations == 50
    np.testing.assert_allclose(res.history[1], [2 / 3, 1 / 6, 1 / 6])
    np.testing.assert_allclose(res.history[2], [1 / 3, 1 / 3, 1 / 3])
    assert pagerank(L, damping=0.85).converged  # damping fixes it


def test_bad_link_matrices() -> None:
    with pytest.raises(ValueError, match="negative weight -1 at row 1, column 2"):
        pagerank([[0, -1], [1, 0]])
    with pytest.raises(ValueError, match="square"):
        pagerank([[0, 1, 1], [1, 0, 1]])
    with pytest.raises(ValueError, match="NaN"):
        pagerank([[0, np.nan], [1, 0]])
    with pytest.raises(MathsError, match="damping must be between 0 and 1"):
        pagerank(COURSE_WEB, damping=1.5)
    with pytest.raises(MathsError, match="damping must be positive"):
        pagerank(COURSE_WEB, damping=0)


def test_settled_step_is_where_the_shown_digits_stop_changing() -> None:
    history = np.array([[0.5, 0.5], [0.31, 0.69], [0.296, 0.704], [0.3001, 0.6999], [0.30001, 0.69999]])
    # shown with 1 decimal: 0.5, 0.3, 0.3, 0.3, 0.3 -> settled from step 1
    assert settled_step(history, 1) == 1
    # with 2 decimals: 0.5, 0.31, 0.3, 0.3, 0.3 -> from step 2
    assert settled_step(history, 2) == 2
    # with 4 decimals: ..., 0.2960, 0.3001, 0.3000 -> only the last
    assert settled_step(history, 4) == 4
    assert settled_step(np.full((3, 2), 0.5), 2) == 0
    with pytest.raises(MathsError, match="decimals"):
        settled_step(history, -1)


def test_settled_step_of_the_course_web_by_brute_force() -> None:
    res = pagerank(COURSE_WEB, damping=0.85)
    s = settled_step(res.history, 2)
    def shown(h: np.ndarray) -> list[str]:  # as a readout writes them
        return [f"{x:.2f}" for x in h]

    final = shown(res.ranks)
    assert all(shown(h) == final for h in res.history[s:])
    assert shown(res.history[s - 1]) != final
