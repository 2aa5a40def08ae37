"""Gram–Schmidt step by step and the mirror basis, against numpy.linalg.qr and the Householder reflection."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim.maths import MathsError, gram_schmidt_steps, mirror_basis


@pytest.mark.parametrize("vectors", [[[3, 1, 0], [2, 2, 1], [0, 1, 3]], [[1, 1], [0, 2]], [[2, 0, 0, 1], [1, 1, 1, 1]]])
def test_steps_rebuild_each_vector_and_match_qr(vectors):
    A = np.asarray(vectors, dtype=float)
    steps = gram_schmidt_steps(A)
    Q, R = np.linalg.qr(A.T)
    for i, st in enumerate(steps):
        # v = its projections onto the earlier units + what is left, and what is left is |u| e
        assert st.projections.sum(axis=0) + st.residual == pytest.approx(A[i])
        assert st.residual == pytest.approx(st.norm * st.unit)
        # QR: R[j, i] = e_j · v_i and |R[i, i]| = |u_i|
        assert np.abs(st.coefficients) == pytest.approx(np.abs(R[:i, i]))
        assert st.norm == pytest.approx(abs(R[i, i]))
        assert st.unit == pytest.approx(Q[:, i] * np.sign(R[i, i]))


def test_dependent_vectors_are_named():
    with pytest.raises(MathsError, match="v3 is in the span"):
        gram_schmidt_steps([[1, 0, 0], [0, 1, 0], [1, 1, 0]])


@pytest.mark.parametrize("plane", [[[1, 1, 0], [0, 1, 1]], [[2, 0, 1], [0, 3, -1]], [[0, 0, 1], [1, 0, 0]]])
def test_mirror_basis_is_householder(plane):
    u, v = np.asarray(plane, dtype=float)
    n = np.cross(u, v)
    n /= np.linalg.norm(n)
    m = mirror_basis(plane)
    assert abs(m.normal @ n) == pytest.approx(1.0)
    assert m.matrix == pytest.approx(np.eye(3) - 2 * np.outer(n, n))
    assert m.basis.T @ m.basis == pytest.approx(np.eye(3), abs=1e-12)
    assert m.inverse == pytest.approx(m.basis.T)
    assert m.basis @ m.in_basis @ m.inverse == pytest.approx(m.matrix)


def test_mirror_needs_a_plane_in_space():
    with pytest.raises(MathsError, match="2 vectors of length 3"):
        mirror_basis([[1, 0], [0, 1]])
    with pytest.raises(MathsError, match="dependent"):
        mirror_basis([[1, 2, 3], [2, 4, 6]])
