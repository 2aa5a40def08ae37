"""Gauss–Jordan elimination step by step, and the characteristic polynomial, against sympy."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from mmlanim.maths import characteristic_polynomial, echelon_form, elimination_steps


def _replay(M: np.ndarray, steps) -> np.ndarray:
    """Apply the recorded operations to ``M`` independently of the code under test."""
    M = M.astype(float).copy()
    for s in steps:
        if s.kind == "swap":
            M[[s.target, s.source]] = M[[s.source, s.target]]
        elif s.kind == "scale":
            M[s.target] *= s.factor
        else:
            M[s.target] += s.factor * M[s.source]
        assert np.allclose(M, s.matrix), "each step's matrix is the operation applied to the one before"
    return M


@pytest.mark.parametrize("A, b", [
    ([[1, 1, 3], [1, 2, 4], [1, 1, 2]], [15, 21, 13]),   # the course's apples and bananas
    ([[0, 2], [3, 1]], [4, 5]),                           # a zero pivot: one swap
    ([[2, 4, -2], [4, 9, -3], [-2, -3, 7]], [2, 8, 10]),
    ([[1, 2], [2, 4]], [3, 6]),                           # singular
])
def test_elimination_steps_end_in_sympys_rref(A, b):
    steps = elimination_steps(A, b)
    M = np.hstack([np.asarray(A, float), np.asarray(b, float)[:, None]])
    final = _replay(M, steps)
    rref, _ = sympy.Matrix(M.tolist()).applyfunc(sympy.nsimplify).rref()
    assert np.allclose(final, np.array(rref.tolist(), dtype=float))
    assert np.allclose(final, echelon_form(M, reduced=True).matrix)
    if np.linalg.matrix_rank(np.asarray(A, float)) == len(A):
        assert np.allclose(final[:, -1], np.linalg.solve(np.asarray(A, float), b))


def test_elimination_swaps_only_for_a_zero_pivot():
    kinds = [s.kind for s in elimination_steps([[0, 2], [3, 1]], [4, 5])]
    assert kinds[0] == "swap" and kinds.count("swap") == 1
    assert all(s.kind != "swap" for s in elimination_steps([[1, 1, 3], [1, 2, 4], [1, 1, 2]], [15, 21, 13]))


def test_elimination_of_a_with_identity_gives_the_inverse():
    A = [[4, 7], [2, 6]]
    final = elimination_steps(A, np.eye(2))[-1].matrix
    assert np.allclose(final[:, :2], np.eye(2))
    assert np.allclose(final[:, 2:], np.linalg.inv(np.asarray(A, float)))


def test_elimination_is_exact_for_decimals_as_written():
    final = elimination_steps([[0.1, 0.2], [0.3, 0.1]], [0.5, 0.5])[-1].matrix
    R = sympy.Rational
    exact = sympy.Matrix([[R(1, 10), R(2, 10)], [R(3, 10), R(1, 10)]]).solve(sympy.Matrix([R(1, 2)] * 2))
    assert np.allclose(final[:, -1], np.array(exact.tolist(), dtype=float).ravel(), atol=1e-15)


@pytest.mark.parametrize("A", [[[2, 1], [1, 2]], [[0, -1], [1, 0]], [[1, 2, 0], [0, 3, 1], [4, 0, 1]],
                               [[0.5, 1.5], [2.5, -1]]])
def test_characteristic_polynomial_matches_sympy(A):
    lam = sympy.Symbol("lam")
    M = sympy.Matrix(A).applyfunc(sympy.nsimplify)
    expected = sympy.Poly((M - lam * sympy.eye(M.shape[0])).det(), lam).all_coeffs()
    assert np.allclose(characteristic_polynomial(A), np.array(expected, dtype=float))
