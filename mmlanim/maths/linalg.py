"""Linear algebra for the MML lectures: bases, projections, elimination, eigen.

Conventions
-----------
* A *sequence of vectors* is written as rows, the way a lecture author
  types it: ``basis = [[2, 1], [-2, 4]]`` means b1 = (2, 1), b2 = (-2, 4).
* A *matrix* is a nested list of rows, ``[[a, b], [c, d]]``.
* The change-of-basis matrix ``B`` has the basis vectors as **columns**.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ._validation import (
    MathsError,
    as_matrix,
    as_square_matrix,
    as_vector,
    as_vectors,
    format_combination,
    format_number,
    vector_label,
)

__all__ = [
    "Projection",
    "SubspaceProjection",
    "GramSchmidt",
    "EchelonForm",
    "Eigen",
    "RowOperation",
    "is_orthogonal",
    "coordinates_in_basis",
    "change_of_basis_matrix",
    "transform_in_basis",
    "project",
    "project_onto_subspace",
    "gram_schmidt",
    "reflection_matrix",
    "reflect_in_plane",
    "echelon_form",
    "rank",
    "determinant",
    "inverse",
    "eigen",
    "elimination_steps",
    "characteristic_polynomial",
    "matrix_product",
]

#: Relative tolerance for "this vector is (numerically) in the span of those".
_DEPENDENCE_TOL = 1e-10


# ---------------------------------------------------------------------------
# result types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Projection of a vector onto the line spanned by another.

    Attributes
    ----------
    scalar : float
        Scalar projection ``v·u / |u|`` (signed length of the shadow).
    vector : ndarray, shape (n,)
        Vector projection ``(v·u / u·u) u``.
    residual : ndarray, shape (n,)
        ``v - vector``, orthogonal to ``u``.
    """

    scalar: float
    vector: np.ndarray
    residual: np.ndarray


@dataclass(frozen=True)
class SubspaceProjection:
    """Orthogonal projection onto the span of a set of basis vectors.

    Attributes
    ----------
    matrix : ndarray, shape (n, n)
        Projection matrix ``P = B (BᵀB)⁻¹ Bᵀ`` (B has the basis as columns).
    coefficients : ndarray, shape (k,) or (N, k)
        Coordinates λ of the projection in the given basis: ``proj = B λ``.
    projection : ndarray, shape (n,) or (N, n)
        The projected point(s) ``P x``.
    residual : ndarray, shape (n,) or (N, n)
        ``x - P x``, orthogonal to the subspace.
    """

    matrix: np.ndarray
    coefficients: np.ndarray
    projection: np.ndarray
    residual: np.ndarray


@dataclass(frozen=True)
class GramSchmidt:
    """Result of Gram–Schmidt orthonormalisation.

    Attributes
    ----------
    basis : ndarray, shape (r, n)
        Orthonormal vectors, as rows.
    dimension : int
        ``r``, the dimension of the span of the input vectors.
    kept : tuple of int
        0-based indices of the input vectors that contributed a new direction.
    dropped : tuple of int
        0-based indices of input vectors that were linearly dependent on the
        earlier ones and were dropped.
    """

    basis: np.ndarray
    dimension: int
    kept: tuple[int, ...]
    dropped: tuple[int, ...]


@dataclass(frozen=True)
class EchelonForm:
    """Row echelon form obtained by Gaussian elimination with partial pivoting.

    Attributes
    ----------
    matrix : ndarray, shape (m, n)
        The echelon (or reduced echelon) form. Entries below the tolerance are
        set to exactly 0.
    rank : int
        Number of pivots.
    pivots : tuple of int
        0-based column index of each pivot, in row order.
    swaps : int
        Number of row swaps performed (the determinant changes sign per swap).
    """

    matrix: np.ndarray
    rank: int
    pivots: tuple[int, ...]
    swaps: int


@dataclass(frozen=True)
class Eigen:
    """Eigen-decomposition ``A v = λ v``.

    Attributes
    ----------
    values : ndarray, shape (n,)
        Eigenvalues sorted by descending real part, then by descending
        absolute value (then by descending imaginary part). Real dtype unless
        the spectrum is complex.
    vectors : ndarray, shape (n, n)
        Unit eigenvectors as **columns**: ``A @ vectors[:, i] ==
        values[i] * vectors[:, i]``. Each is scaled so that its
        largest-magnitude component is real and positive (the first one, if
        several tie).
    is_complex : bool
        True when some eigenvalue has a non-negligible imaginary part (e.g.
        a rotation); values and vectors are then complex arrays.
    """

    values: np.ndarray
    vectors: np.ndarray
    is_complex: bool


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _combination_text(coeffs: np.ndarray, label: str) -> str:
    """``[0, -2]`` → ``"-2·b2"``; coefficients below 1e-9 are left out."""
    return format_combination(coeffs, [vector_label(label, i) for i in range(len(coeffs))])


def _require_independent(vectors: np.ndarray, name: str, label: str) -> None:
    """Raise a MathsError naming the first dependence among the rows.

    Parameters
    ----------
    vectors : ndarray, shape (k, n)
    """
    k, n = vectors.shape
    if k > n:
        raise MathsError(
            f"{name} has {k} vectors in {n}-dimensional space, so they are linearly "
            f"dependent (at most {n} independent vectors fit)"
        )
    scales = np.abs(vectors).max(axis=1)
    for j in np.flatnonzero(scales == 0)[:1]:
        raise MathsError(f"{name} is not a basis: {vector_label(label, int(j))} is the zero vector")
    unit = vectors / scales[:, np.newaxis]  # dependence is scale-free; avoids underflow
    for j in range(1, k):
        earlier = unit[:j]
        coeffs, *_ = np.linalg.lstsq(earlier.T, unit[j], rcond=None)
        residual = np.linalg.norm(unit[j] - earlier.T @ coeffs)
        if residual <= _DEPENDENCE_TOL:
            # undo the scaling: b_j = Σ c_i s_j / s_i b_i
            coeffs = coeffs * scales[j] / scales[:j]
            raise MathsError(
                f"{name} vectors are linearly dependent: "
                f"{vector_label(label, j)} = {_combination_text(coeffs, label)}"
            )


def _basis(basis: Any, label: str = "b", square: bool = False) -> np.ndarray:
    """Validated independent basis, rows, shape (k, n)."""
    vecs = as_vectors(basis, "basis", label)
    _require_independent(vecs, "basis", label)
    if square and vecs.shape[0] != vecs.shape[1]:
        raise MathsError(
            f"basis must have as many vectors as dimensions: got {vecs.shape[0]} vectors "
            f"of length {vecs.shape[1]}"
        )
    return vecs


def _vector_or_batch(x: Any, dim: int, name: str) -> np.ndarray:
    """A vector (n,) or a batch of row vectors (N, n)."""
    try:
        nd = np.ndim(x)
    except ValueError:  # ragged nested list: let as_vector explain
        nd = 1
    if nd == 2:
        return as_matrix(x, name, shape=(None, dim))
    return as_vector(x, name, dim=dim)


def _unit_rows(vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows divided by their largest |entry| (no underflow in dot products)."""
    scales = np.abs(vecs).max(axis=1)
    scales[scales == 0] = 1.0
    return vecs / scales[:, np.newaxis], scales


def _orthogonal_rows(vecs: np.ndarray, tol: float) -> bool:
    unit, _ = _unit_rows(vecs)
    gram = unit @ unit.T
    norms = np.sqrt(np.diag(gram))
    off = gram - np.diag(np.diag(gram))
    return bool(np.all(np.abs(off) <= tol * np.outer(norms, norms)))


# ---------------------------------------------------------------------------
# bases
# ---------------------------------------------------------------------------


def is_orthogonal(basis: Any, tol: float = 1e-10) -> bool:
    """Whether the given vectors are mutually orthogonal.

    Parameters
    ----------
    basis : sequence of array_like, shape (k, n)
        Vectors as rows.
    tol : float
        Relative tolerance: ``|bi·bj| <= tol |bi| |bj|`` for i ≠ j.

    Returns
    -------
    bool
    """
    return _orthogonal_rows(as_vectors(basis, "basis", "b"), tol)


def coordinates_in_basis(v: Any, basis: Any) -> np.ndarray:
    """Coordinates of ``v`` in a basis.

    When the basis vectors are mutually orthogonal the coordinates are the
    projections ``v·bi / |bi|²`` (the shortcut taught in the course);
    otherwise the linear system ``B c = v`` is solved. The basis may span a
    subspace (fewer vectors than dimensions) as long as ``v`` lies in it.

    Parameters
    ----------
    v : array_like, shape (n,)
        Vector in standard coordinates.
    basis : sequence of array_like, shape (k, n)
        Basis vectors as rows.

    Returns
    -------
    ndarray, shape (k,)
        Coordinates ``c`` with ``sum(c[i] * basis[i]) == v``.

    Raises
    ------
    MathsError
        Dependent basis vectors, mismatched lengths, or ``v`` outside the span.
    """
    vecs = _basis(basis)
    k, n = vecs.shape
    v = as_vector(v, "v", dim=n)
    if _orthogonal_rows(vecs, 1e-10):
        unit, scales = _unit_rows(vecs)
        coords = (unit @ v) / np.einsum("ij,ij->i", unit, unit) / scales
    elif k == n:
        coords = np.linalg.solve(vecs.T, v)
    else:
        coords, *_ = np.linalg.lstsq(vecs.T, v, rcond=None)
    if k < n:
        miss = np.linalg.norm(vecs.T @ coords - v)
        if miss > 1e-9 * max(1.0, float(np.linalg.norm(v))):
            raise MathsError(
                f"v is not in the span of the {k} basis vectors (it is {format_number(float(miss))} "
                "away from that subspace), so it has no coordinates in this basis"
            )
    return np.asarray(coords, dtype=np.float64)


def change_of_basis_matrix(basis: Any) -> np.ndarray:
    """Matrix whose columns are the basis vectors.

    It maps coordinates in the new basis to standard coordinates:
    ``B @ coords == v``.

    Parameters
    ----------
    basis : sequence of array_like, shape (n, n)
        n independent vectors of length n, as rows.

    Returns
    -------
    ndarray, shape (n, n)
    """
    return _basis(basis, square=True).T.copy()


def transform_in_basis(T: Any, basis: Any) -> np.ndarray:
    """Express a linear map in another basis: ``B⁻¹ T B``.

    Parameters
    ----------
    T : array_like, shape (n, n)
        The map in standard coordinates.
    basis : sequence of array_like, shape (n, n)
        New basis vectors, as rows.

    Returns
    -------
    ndarray, shape (n, n)
        The same map acting on coordinates in the new basis.
    """
    B = change_of_basis_matrix(basis)
    T = as_matrix(T, "T", shape=B.shape)
    return np.linalg.solve(B, T @ B)


# ---------------------------------------------------------------------------
# projections and reflections
# ---------------------------------------------------------------------------


def project(v: Any, onto: Any) -> Projection:
    """Scalar and vector projection of ``v`` onto the line through ``onto``.

    Parameters
    ----------
    v : array_like, shape (n,)
    onto : array_like, shape (n,)
        Non-zero direction.

    Returns
    -------
    Projection
    """
    u = as_vector(onto, "onto")
    v = as_vector(v, "v", dim=u.shape[0])
    uu = float(u @ u)
    if uu == 0.0:
        raise MathsError("cannot project onto the zero vector: it has no direction")
    vector = (float(v @ u) / uu) * u
    return Projection(scalar=float(v @ u) / np.sqrt(uu), vector=vector, residual=v - vector)


def project_onto_subspace(x: Any, basis: Any) -> SubspaceProjection:
    """Orthogonal projection onto the subspace spanned by ``basis``.

    Parameters
    ----------
    x : array_like, shape (n,) or (N, n)
        A point, or N points as rows.
    basis : sequence of array_like, shape (k, n)
        Independent spanning vectors as rows (need not be orthogonal).

    Returns
    -------
    SubspaceProjection
        ``matrix`` (n, n); ``coefficients`` (k,) or (N, k); ``projection`` and
        ``residual`` with the shape of ``x``.
    """
    vecs = _basis(basis)
    n = vecs.shape[1]
    x = _vector_or_batch(x, n, "x")
    B = vecs.T  # (n, k)
    gram = B.T @ B
    # coefficients λ = (BᵀB)⁻¹ Bᵀ x, for x as row(s)
    coeffs = np.linalg.solve(gram, B.T @ x.T).T
    P = B @ np.linalg.solve(gram, B.T)
    P = (P + P.T) / 2
    proj = coeffs @ vecs
    return SubspaceProjection(matrix=P, coefficients=coeffs, projection=proj, residual=x - proj)


def gram_schmidt(vectors: Any, tol: float = 1e-10) -> GramSchmidt:
    """Orthonormalise vectors, dropping the ones that add no new direction.

    Uses modified Gram–Schmidt with one re-orthogonalisation pass, which keeps
    the output orthonormal to machine precision.

    Parameters
    ----------
    vectors : sequence of array_like, shape (k, n)
        Input vectors as rows, processed in order.
    tol : float
        Each input is first scaled so its largest entry has magnitude 1; it is
        dropped when what is left of it after removing the earlier directions
        has norm ``<= tol`` times the largest such scaled norm.

    Returns
    -------
    GramSchmidt
        Orthonormal ``basis`` (r, n), ``dimension`` r, and the indices of the
        ``kept`` and ``dropped`` input vectors.
    """
    vecs = as_vectors(vectors, "vectors", "v")
    unit, _ = _unit_rows(vecs)  # directions only: rescaling each input is harmless
    scale = np.linalg.norm(unit, axis=1).max()
    out: list[np.ndarray] = []
    kept, dropped = [], []
    for i, v in enumerate(unit):
        w = v.copy()
        for _ in range(2):
            for e in out:
                w -= (e @ w) * e
        norm = np.linalg.norm(w)
        if norm <= tol * scale or scale == 0:
            dropped.append(i)
            continue
        out.append(w / norm)
        kept.append(i)
    basis = np.array(out) if out else np.zeros((0, vecs.shape[1]))
    return GramSchmidt(basis=basis, dimension=len(out), kept=tuple(kept), dropped=tuple(dropped))


def reflection_matrix(plane_basis: Any) -> np.ndarray:
    """Matrix of the reflection in the subspace spanned by ``plane_basis``.

    ``R = 2P - I``, with P the orthogonal projection onto the subspace. For a
    plane in R³ this is the mirror of the course's ``E T E⁻¹`` construction.

    Parameters
    ----------
    plane_basis : sequence of array_like, shape (k, n)
        Independent spanning vectors of the mirror, as rows.

    Returns
    -------
    ndarray, shape (n, n)
        Symmetric and orthogonal; ``R @ R == I``.
    """
    vecs = _basis(plane_basis)
    n = vecs.shape[1]
    E = gram_schmidt(vecs).basis  # (k, n) orthonormal
    return np.asarray(2.0 * (E.T @ E) - np.eye(n), dtype=np.float64)


def reflect_in_plane(x: Any, plane_basis: Any) -> np.ndarray:
    """Reflect point(s) in the plane (subspace) spanned by ``plane_basis``.

    Parameters
    ----------
    x : array_like, shape (n,) or (N, n)
        Point(s) as rows.
    plane_basis : sequence of array_like, shape (k, n)
        Independent spanning vectors of the mirror, as rows.

    Returns
    -------
    ndarray, same shape as ``x``
        The mirror image(s): the component in the plane is kept, the
        component normal to it flips sign.
    """
    R = reflection_matrix(plane_basis)
    x = _vector_or_batch(x, R.shape[0], "x")
    return np.asarray(x @ R.T, dtype=np.float64)


# ---------------------------------------------------------------------------
# elimination
# ---------------------------------------------------------------------------


def _eliminate(M: np.ndarray, pivot_cols: int, reduced: bool, tol: float) -> EchelonForm:
    """Gaussian elimination with partial pivoting on a float copy of ``M``.

    Only the first ``pivot_cols`` columns are searched for pivots (so that
    ``[A | I]`` can be reduced for an inverse).
    """
    M = M.astype(np.float64, copy=True)
    m = M.shape[0]
    pivots: list[int] = []
    swaps = 0
    row = 0
    for col in range(pivot_cols):
        if row >= m:
            break
        best = row + int(np.argmax(np.abs(M[row:, col])))
        if abs(M[best, col]) <= tol:
            M[row:, col] = 0.0
            continue
        if best != row:
            M[[row, best]] = M[[best, row]]
            swaps += 1
        if reduced:
            with np.errstate(over="ignore"):
                M[row] /= M[row, col]
            others = np.arange(m) != row
            M[others] -= np.outer(M[others, col], M[row])
            M[others, col] = 0.0
        else:
            factors = M[row + 1 :, col] / M[row, col]
            M[row + 1 :] -= np.outer(factors, M[row])
            M[row + 1 :, col] = 0.0
        pivots.append(col)
        row += 1
    M[np.abs(M) <= tol] = 0.0
    return EchelonForm(matrix=M, rank=len(pivots), pivots=tuple(pivots), swaps=swaps)


def _tolerance(A: np.ndarray) -> float:
    """Pivot tolerance: ``max(m, n) · eps · max|A|`` (as in numpy's matrix_rank)."""
    return float(max(A.shape) * np.finfo(np.float64).eps * float(np.abs(A).max(initial=0.0)))


def echelon_form(A: Any, reduced: bool = False) -> EchelonForm:
    """Row echelon form by Gaussian elimination with partial pivoting.

    Parameters
    ----------
    A : array_like, shape (m, n)
    reduced : bool, default False
        If True, return the reduced row echelon form (pivots 1, zeros above
        and below each pivot).

    Returns
    -------
    EchelonForm
        ``matrix`` (m, n), ``rank``, ``pivots`` (column indices), ``swaps``.
    """
    A = as_matrix(A, "A")
    return _eliminate(A, A.shape[1], reduced, _tolerance(A))


def rank(A: Any) -> int:
    """Rank of a matrix (number of pivots in its echelon form).

    Parameters
    ----------
    A : array_like, shape (m, n)

    Returns
    -------
    int
    """
    return echelon_form(A).rank


def _round_if_integer_matrix(A: np.ndarray, value: float) -> float:
    """Determinants of integer matrices are integers: remove float fuzz."""
    if np.all(A == np.round(A)) and np.abs(A).max(initial=0) < 2**20:
        r = round(value)
        if abs(value - r) <= 1e-9 * max(1.0, abs(value)):
            return float(r)
    return value


def determinant(A: Any) -> float:
    """Determinant via elimination: ± product of the pivots.

    Parameters
    ----------
    A : array_like, shape (n, n)

    Returns
    -------
    float
        Exactly 0.0 when elimination finds a (numerically) zero pivot. For
        matrices of whole numbers the result is rounded to the whole number
        it must be (removing floating-point fuzz such as -2.0000000000000004).
    """
    A = as_square_matrix(A, "A")
    ech = _eliminate(A, A.shape[1], False, _tolerance(A))
    if ech.rank < A.shape[0]:
        return 0.0
    det = float(np.prod(np.diag(ech.matrix))) * (-1.0) ** ech.swaps
    return _round_if_integer_matrix(A, det)


def inverse(A: Any) -> np.ndarray:
    """Inverse by Gauss–Jordan elimination of ``[A | I]`` with partial pivoting.

    Parameters
    ----------
    A : array_like, shape (n, n)

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    MathsError
        If A is singular; the message names a dependent column.
    """
    A = as_square_matrix(A, "A")
    n = A.shape[0]
    ech = _eliminate(np.hstack([A, np.eye(n)]), n, True, _tolerance(A))
    if ech.rank < n:
        missing = next(c for c in range(n) if c not in ech.pivots)
        coeffs, *_ = np.linalg.lstsq(A[:, :missing], A[:, missing], rcond=None)
        relation = _combination_text(coeffs, "column ") if missing else "0"
        raise MathsError(
            f"matrix is singular (determinant 0), so it has no inverse: its rank is "
            f"{ech.rank} < {n}; column {missing + 1} = {relation}"
        )
    inv = ech.matrix[:, n:].copy()
    if not np.all(np.isfinite(inv)):
        raise MathsError("the inverse has entries too large to represent: the matrix is "
                         "(nearly) singular")
    return inv


# ---------------------------------------------------------------------------
# eigen
# ---------------------------------------------------------------------------


def _normalise_columns(vectors: np.ndarray) -> np.ndarray:
    """Unit length, and the largest-magnitude entry real positive."""
    vectors = vectors / np.linalg.norm(vectors, axis=0, keepdims=True)
    mags = np.abs(vectors)
    # first index within a whisker of the maximum, stable against float noise
    lead = np.argmax(mags >= mags.max(axis=0, keepdims=True) * (1 - 1e-9), axis=0)
    pivot = vectors[lead, np.arange(vectors.shape[1])]
    phase = pivot / np.abs(pivot)
    return np.asarray(vectors / phase[np.newaxis, :])  # complex for complex eigenvectors


def eigen(A: Any, tol: float = 1e-10) -> Eigen:
    """Eigenvalues and unit eigenvectors, sorted and sign-normalised.

    Symmetric matrices use :func:`numpy.linalg.eigh` (real, orthonormal
    vectors); others :func:`numpy.linalg.eig`.

    Parameters
    ----------
    A : array_like, shape (n, n)
    tol : float
        Imaginary parts below ``tol · max(1, max|λ|)`` count as zero.

    Returns
    -------
    Eigen
        ``values`` (n,) sorted by descending real part then descending
        ``|λ|``; ``vectors`` (n, n) with eigenvectors as columns; the
        ``is_complex`` flag. Note: for a defective matrix (e.g. a shear)
        some returned columns are (numerically) parallel.
    """
    A = as_square_matrix(A, "A")
    if np.allclose(A, A.T, rtol=0, atol=1e-12 * max(1.0, np.abs(A).max())):
        values, vectors = np.linalg.eigh((A + A.T) / 2)
    else:
        values, vectors = np.linalg.eig(A)
    scale = max(1.0, float(np.abs(values).max()))
    complex_spectrum = bool(np.any(np.abs(np.imag(values)) > tol * scale))
    if not complex_spectrum:
        values = np.real(values)
        vectors = np.real(vectors)
    order = np.lexsort((-np.imag(values), -np.abs(values), -np.round(np.real(values), 12)))
    values = values[order]
    vectors = _normalise_columns(vectors[:, order])
    if not complex_spectrum:
        vectors = np.real(vectors)
    return Eigen(values=values, vectors=vectors, is_complex=complex_spectrum)


# ---------------------------------------------------------------------------
# elimination step by step, characteristic polynomial
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOperation:
    """One row operation of Gauss–Jordan elimination, and the matrix it leaves.

    Attributes
    ----------
    kind : {"swap", "scale", "add"}
        ``swap``: rows ``target`` and ``source`` change places; ``scale``: row
        ``target`` is multiplied by ``factor``; ``add``: ``factor`` times row
        ``source`` is added to row ``target``.
    target : int
        0-based index of the row changed (for a swap, the upper row).
    source : int or None
        0-based index of the other row (swap, add); None for a scaling.
    factor : float
        The scale factor, or the multiple of row ``source`` added.
    column : int
        0-based column of the pivot being worked on.
    stage : {"forward", "back"}
        Forward elimination (pivots to 1, zeros below) or back substitution
        (zeros above the pivots).
    matrix : ndarray, shape (m, p)
        The whole (augmented) matrix after the operation.
    """

    kind: str
    target: int
    source: int | None
    factor: float
    column: int
    stage: str
    matrix: np.ndarray


def _exact(x: float) -> Fraction:
    """The number as written: 0.1 is 1/10, not the binary float nearest to it."""
    return Fraction(repr(float(x)))


def elimination_steps(A: Any, rhs: Any = None) -> tuple[RowOperation, ...]:
    """Gauss–Jordan elimination of ``[A | rhs]``, one row operation at a time, as taught.

    Column by column: a row swap only when the pivot is zero, the pivot row
    divided by its pivot, multiples of it subtracted from the rows below;
    then back substitution clears the entries above each pivot, last pivot
    first. The arithmetic is exact (fractions of the numbers as written), so
    the last matrix is the reduced row echelon form, the one
    :func:`echelon_form` (``reduced=True``) gives.

    Parameters
    ----------
    A : array_like, shape (m, n)
        The coefficients; pivots are looked for in its columns only.
    rhs : array_like, shape (m,) or (m, k), optional
        Right-hand side(s) appended to ``A`` (a vector b, or the identity for an inverse).

    Returns
    -------
    tuple of RowOperation
        In order; each holds the whole augmented matrix, shape (m, n + k),
        after it. Empty when ``[A | rhs]`` is already reduced.
    """
    A = as_matrix(A, "A")
    m, n = A.shape
    M = A
    if rhs is not None:
        b = np.asarray(rhs, dtype=float)
        if b.ndim == 1:
            b = b[:, np.newaxis]
        b = as_matrix(b, "rhs", shape=(m, None))
        M = np.hstack([A, b])
    rows = [[_exact(x) for x in row] for row in M]
    steps: list[RowOperation] = []

    def record(kind: str, target: int, source: int | None, factor: Fraction, column: int, stage: str) -> None:
        steps.append(RowOperation(kind, target, source, float(factor), column, stage,
                                  np.array([[float(x) for x in row] for row in rows])))

    pivots: list[tuple[int, int]] = []
    r = 0
    for c in range(n):
        if r >= m:
            break
        found = next((i for i in range(r, m) if rows[i][c] != 0), None)
        if found is None:
            continue
        if found != r:
            rows[r], rows[found] = rows[found], rows[r]
            record("swap", r, found, Fraction(1), c, "forward")
        if rows[r][c] != 1:
            f = 1 / rows[r][c]
            rows[r] = [f * x for x in rows[r]]
            record("scale", r, None, f, c, "forward")
        for i in range(r + 1, m):
            if rows[i][c] != 0:
                f = -rows[i][c]
                rows[i] = [x + f * y for x, y in zip(rows[i], rows[r])]
                record("add", i, r, f, c, "forward")
        pivots.append((r, c))
        r += 1
    for pr, c in reversed(pivots):
        for i in range(pr):
            if rows[i][c] != 0:
                f = -rows[i][c]
                rows[i] = [x + f * y for x, y in zip(rows[i], rows[pr])]
                record("add", i, pr, f, c, "back")
    return tuple(steps)


def characteristic_polynomial(A: Any) -> np.ndarray:
    """Coefficients of the characteristic polynomial ``det(A − λI)``, highest power first.

    Parameters
    ----------
    A : array_like, shape (n, n)

    Returns
    -------
    ndarray, shape (n + 1,)
        ``c`` with ``det(A − λI) = c[0] λⁿ + c[1] λⁿ⁻¹ + … + c[n]``; ``c[0] = (−1)ⁿ``.
        For matrices of whole numbers the coefficients are whole numbers.
    """
    A = as_square_matrix(A, "A")
    n = A.shape[0]
    coeffs = np.real(np.poly(A)) * (-1.0) ** n  # np.poly gives det(λI − A)
    if np.all(A == np.round(A)) and np.abs(A).max(initial=0) < 2**10:
        coeffs = np.round(coeffs)
    return np.asarray(coeffs + 0.0, dtype=np.float64)


def matrix_product(A: Any, B: Any) -> np.ndarray:
    """The product ``A B`` (row of A dotted with column of B), with a message for mismatched shapes.

    Parameters
    ----------
    A : array_like, shape (m, k)
    B : array_like, shape (k, n)

    Returns
    -------
    ndarray, shape (m, n)
    """
    A = as_matrix(A, "A")
    B = as_matrix(B, "B")
    if A.shape[1] != B.shape[0]:
        raise MathsError(f"A has {A.shape[1]} columns but B has {B.shape[0]} rows: A B needs them equal")
    return np.asarray(A @ B, dtype=np.float64)
