"""Linear algebra against numpy.linalg, closed forms and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mmlanim.maths import (
    MathsError,
    change_of_basis_matrix,
    coordinates_in_basis,
    determinant,
    echelon_form,
    eigen,
    gram_schmidt,
    inverse,
    is_orthogonal,
    project,
    project_onto_subspace,
    rank,
    reflect_in_plane,
    reflection_matrix,
    transform_in_basis,
)

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True, database=None)
# two decimals: lecture-sized numbers, no subnormal underflow games
entries = st.floats(-10, 10, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 2))


def square(n_min: int = 1, n_max: int = 5):
    return st.integers(n_min, n_max).flatmap(lambda n: arrays(np.float64, (n, n), elements=entries))


def well_conditioned(M: np.ndarray) -> bool:
    return bool(np.linalg.cond(M) < 1e6)


# --- bases -----------------------------------------------------------------


def test_course_example_coordinates() -> None:
    # MML course: v = (5, -1) in the orthogonal basis b1 = (1, 1), b2 = (1, -1)
    np.testing.assert_allclose(coordinates_in_basis([5, -1], [[1, 1], [1, -1]]), [2, 3])
    assert is_orthogonal([[1, 1], [1, -1]])
    assert is_orthogonal([[2, 1], [-2, 4]])  # the example: 2·(-2) + 1·4 = 0
    # 2·b1 + 1·b2 = (2, 6)
    np.testing.assert_allclose(coordinates_in_basis([2, 6], [[2, 1], [-2, 4]]), [2, 1])
    basis = [[2, 1], [1, 3]]
    assert not is_orthogonal(basis)
    c = coordinates_in_basis([2, 6], basis)
    np.testing.assert_allclose(c, np.linalg.solve(np.array(basis, float).T, [2, 6]))
    # tiny and huge scales work (no underflow in the orthogonality/dependence checks)
    np.testing.assert_allclose(coordinates_in_basis([1e-200, 0], [[1e-200, 0], [0, 1e200]]), [1, 0])


@SETTINGS
@given(square(1, 5), st.data())
def test_basis_round_trip(B: np.ndarray, data) -> None:
    assume(well_conditioned(B))
    v = data.draw(arrays(np.float64, B.shape[0], elements=entries))
    coords = coordinates_in_basis(v, B)
    np.testing.assert_allclose(change_of_basis_matrix(B) @ coords, v, atol=1e-7 * (1 + np.abs(v).max()))
    np.testing.assert_allclose(coords, np.linalg.solve(B.T, v), rtol=1e-6, atol=1e-6)


def test_coordinates_in_subspace_basis() -> None:
    basis = [[1, 0, 1], [0, 1, 1]]
    np.testing.assert_allclose(coordinates_in_basis([2, 3, 5], basis), [2, 3])
    with pytest.raises(MathsError, match="not in the span"):
        coordinates_in_basis([1, 0, 0], basis)


def test_transform_in_basis_matches_definition() -> None:
    rng = np.random.default_rng(1)
    T = rng.normal(size=(3, 3))
    B = rng.normal(size=(3, 3))
    got = transform_in_basis(T, B)  # rows of B are the basis vectors
    Bm = B.T
    np.testing.assert_allclose(got, np.linalg.inv(Bm) @ T @ Bm, atol=1e-10)
    # acting on coordinates == acting in standard space then converting
    c = rng.normal(size=3)
    np.testing.assert_allclose(got @ c, np.linalg.solve(Bm, T @ (Bm @ c)), atol=1e-10)


@pytest.mark.parametrize(
    ("basis", "message"),
    [
        ([[1, 2], [-2, -4]], r"linearly dependent: b2 = -2·b1"),
        ([[1, 0, 0], [0, 1, 0], [1, 1, 0]], r"b3 = b1 \+ b2"),
        ([[0, 0], [1, 1]], "b1 is the zero vector"),
        ([[1, 2], [3, 4], [5, 6]], "3 vectors in 2-dimensional space"),
        ([[1, 2], [3]], "same number of entries: b1 has 2, b2 has 1"),
        ([[1, np.nan], [0, 1]], "b1 contains NaN"),
        ([[1, 0], [0, np.inf]], "b2 contains infinity"),
        ([1, 2], "list of vectors"),
        ([], "empty"),
        ([["a", 1], [0, 1]], "numbers"),
    ],
)
def test_bad_basis(basis, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coordinates_in_basis([1, 1], basis)


def test_bad_vector_for_basis() -> None:
    with pytest.raises(ValueError, match="v must have 2 entries, got 3"):
        coordinates_in_basis([1, 2, 3], [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="NaN"):
        coordinates_in_basis([1, float("nan")], [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="as many vectors as dimensions"):
        change_of_basis_matrix([[1, 0, 0], [0, 1, 0]])


# --- projections -------------------------------------------------------------


def test_project_closed_form() -> None:
    p = project([3, 4], [1, 0])
    assert p.scalar == pytest.approx(3.0)
    np.testing.assert_allclose(p.vector, [3, 0])
    np.testing.assert_allclose(p.residual, [0, 4])
    p = project([2, 1], [3, 4])  # course: scalar = v·r/|r| = 10/5
    assert p.scalar == pytest.approx(2.0)
    np.testing.assert_allclose(p.vector, np.array([3, 4]) * 10 / 25)
    with pytest.raises(MathsError, match="zero vector"):
        project([1, 2], [0, 0])


@SETTINGS
@given(st.integers(2, 5), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_subspace_projection_idempotent_and_orthogonal(n: int, k: int, seed: int) -> None:
    assume(k <= n)
    rng = np.random.default_rng(seed)
    basis = rng.normal(size=(k, n))
    assume(well_conditioned(basis @ basis.T))
    x = rng.normal(size=n) * 5
    res = project_onto_subspace(x, basis)
    P = res.matrix
    np.testing.assert_allclose(P @ P, P, atol=1e-9)
    np.testing.assert_allclose(P, P.T, atol=1e-12)
    np.testing.assert_allclose(basis @ res.residual, np.zeros(k), atol=1e-8)
    np.testing.assert_allclose(res.projection + res.residual, x, atol=1e-12)
    np.testing.assert_allclose(res.coefficients @ basis, res.projection, atol=1e-9)
    # against a least-squares reference
    coef, *_ = np.linalg.lstsq(basis.T, x, rcond=None)
    np.testing.assert_allclose(res.coefficients, coef, rtol=1e-7, atol=1e-8)


def test_project_onto_subspace_batch() -> None:
    pts = np.random.default_rng(3).normal(size=(10, 3))
    res = project_onto_subspace(pts, [[1, 0, 0], [0, 1, 0]])
    np.testing.assert_allclose(res.projection, pts * [1, 1, 0])
    assert res.coefficients.shape == (10, 2)


@SETTINGS
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 5)), elements=entries))
def test_gram_schmidt_orthonormal(vectors: np.ndarray) -> None:
    assume(np.abs(vectors).max() > 1e-3)
    gs = gram_schmidt(vectors)
    E = gs.basis
    assert gs.dimension == E.shape[0] == len(gs.kept)
    np.testing.assert_allclose(E @ E.T, np.eye(gs.dimension), atol=1e-9)
    assert sorted(gs.kept + gs.dropped) == list(range(vectors.shape[0]))
    # every input vector lies in the span of the output
    if gs.dimension:
        resid = vectors - (vectors @ E.T) @ E
        assert np.abs(resid).max() <= 1e-7 * (1 + np.abs(vectors).max())
    assert gs.dimension == np.linalg.matrix_rank(vectors)


def test_gram_schmidt_reports_dropped_dimension() -> None:
    gs = gram_schmidt([[1, 0, 0], [2, 0, 0], [1, 1, 0], [3, 4, 0]])
    assert gs.dimension == 2 and gs.kept == (0, 2) and gs.dropped == (1, 3)
    np.testing.assert_allclose(gs.basis, [[1, 0, 0], [0, 1, 0]], atol=1e-15)


def test_reflection_in_plane_course_example() -> None:
    # mirror = the plane z = 0 in R^3
    np.testing.assert_allclose(reflect_in_plane([1, 2, 3], [[1, 0, 0], [1, 1, 0]]), [1, 2, -3])
    R = reflection_matrix([[1, 1, 1], [2, 0, 1]])
    np.testing.assert_allclose(R @ R, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(R, R.T, atol=1e-12)
    # normal flips, in-plane vectors stay
    normal = np.cross([1, 1, 1], [2, 0, 1])
    np.testing.assert_allclose(R @ normal, -normal, atol=1e-12)
    np.testing.assert_allclose(R @ np.array([2.0, 0, 1]), [2, 0, 1], atol=1e-12)
    pts = np.random.default_rng(0).normal(size=(4, 3))
    np.testing.assert_allclose(reflect_in_plane(pts, [[1, 1, 1], [2, 0, 1]]), pts @ R.T)
    with pytest.raises(MathsError, match="linearly dependent"):
        reflect_in_plane([1, 2, 3], [[1, 1, 1], [2, 2, 2]])


# --- elimination -------------------------------------------------------------


def test_echelon_form_known_matrix() -> None:
    A = [[1, 2, 1], [2, 4, 0], [3, 6, 3]]
    ech = echelon_form(A)
    assert ech.rank == 2 and ech.pivots == (0, 2)
    M = ech.matrix
    assert np.all(np.tril(M, -1) == 0)
    rref = echelon_form(A, reduced=True)
    np.testing.assert_allclose(rref.matrix, [[1, 2, 0], [0, 0, 1], [0, 0, 0]], atol=1e-15)


@SETTINGS
@given(arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 5)),
              elements=st.integers(-3, 3).map(float)))
def test_rank_matches_numpy(A: np.ndarray) -> None:
    assert rank(A) == np.linalg.matrix_rank(A)
    ech = echelon_form(A)
    # echelon structure: each pivot strictly right of the previous one, zeros below
    assert list(ech.pivots) == sorted(set(ech.pivots))
    for r, c in enumerate(ech.pivots):
        assert ech.matrix[r, c] != 0
        assert np.all(ech.matrix[r + 1:, c] == 0)
    assert np.all(ech.matrix[ech.rank:] == 0)


@SETTINGS
@given(square(1, 6))
def test_determinant_and_inverse_match_numpy(A: np.ndarray) -> None:
    ref = np.linalg.det(A)
    scale = np.prod(np.maximum(np.linalg.norm(A, axis=1), 1e-300))
    assert determinant(A) == pytest.approx(ref, rel=1e-8, abs=1e-9 * max(scale, 1.0))
    assume(well_conditioned(A))
    np.testing.assert_allclose(inverse(A), np.linalg.inv(A), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(inverse(A) @ A, np.eye(A.shape[0]), atol=1e-7)


def test_integer_determinant_is_exact() -> None:
    assert determinant([[1, 2], [3, 4]]) == -2.0
    assert determinant([[2, 0, 1], [1, 3, 2], [1, 1, 2]]) == 6.0
    assert determinant([[2, 0, 1], [1, 3, 2], [1, 1, 1]]) == 0.0
    assert determinant([[1, 2], [2, 4]]) == 0.0


def test_singular_inverse_message() -> None:
    with pytest.raises(MathsError, match=r"singular \(determinant 0\).*column 2 = 2·column 1"):
        inverse([[1, 2], [2, 4]])
    with pytest.raises(ValueError, match="square"):
        inverse([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ValueError, match="infinity"):
        determinant([[1, np.inf], [0, 1]])
    with pytest.raises(ValueError, match="table of numbers"):
        determinant([1, 2, 3])


# --- eigen -------------------------------------------------------------------


@SETTINGS
@given(square(1, 5))
def test_eigen_pairs_satisfy_definition(A: np.ndarray) -> None:
    e = eigen(A)
    V, lam = e.vectors, e.values
    scale = 1 + np.abs(A).max()
    np.testing.assert_allclose(A @ V, V * lam[np.newaxis, :], atol=1e-8 * scale * A.shape[0])
    np.testing.assert_allclose(np.linalg.norm(V, axis=0), 1.0, rtol=1e-12)
    # same spectrum as numpy (as multisets), sorted by descending real part
    ref = np.linalg.eigvals(A)
    assert np.all(np.diff(np.real(lam)) <= 1e-9 * scale)
    np.testing.assert_allclose(np.sort_complex(lam.astype(complex)), np.sort_complex(ref),
                               atol=1e-6 * scale)
    # largest-magnitude component real and positive
    for col in V.T:
        lead = col[np.argmax(np.abs(col) >= np.abs(col).max() * (1 - 1e-9))]
        assert abs(np.imag(lead)) < 1e-12 and np.real(lead) > 0


def test_eigen_known_matrices() -> None:
    e = eigen([[2, 1], [1, 2]])
    np.testing.assert_allclose(e.values, [3, 1])
    # columns: λ=3 → (1, 1)/√2; λ=1 → (1, -1)/√2 (tie: first entry made positive)
    np.testing.assert_allclose(e.vectors, np.array([[1, 1], [1, -1]]) / np.sqrt(2), atol=1e-12)
    assert not e.is_complex
    rot = eigen([[0, -1], [1, 0]])
    assert rot.is_complex
    np.testing.assert_allclose(rot.values, [1j, -1j], atol=1e-12)
    np.testing.assert_allclose(np.array([[0, -1], [1, 0]]) @ rot.vectors,
                               rot.vectors * rot.values, atol=1e-12)
