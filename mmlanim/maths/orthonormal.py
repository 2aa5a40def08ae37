"""Orthonormal bases step by step: the Gram–Schmidt process as taught, and the mirror basis of a plane.

:func:`mmlanim.maths.linalg.gram_schmidt` gives the orthonormal vectors; the
functions here give what a lecture draws on the way there (each vector's
projections onto the directions already done, what is left, its length) and
the course's reflection construction ``R = E T_E E⁻¹``, in which ``E`` is an
orthonormal basis made of the mirror plane and its normal.
"""

from __future__ import annotations

__all__ = ["GramSchmidtStep", "MirrorBasis", "gram_schmidt_steps", "mirror_basis"]

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import MathsError, as_vectors, vector_label
from .linalg import _basis, gram_schmidt, inverse, reflection_matrix, transform_in_basis


@dataclass(frozen=True)
class GramSchmidtStep:
    """One vector's turn in the Gram–Schmidt process.

    Attributes
    ----------
    index : int
        0-based index of the input vector.
    vector : ndarray, shape (n,)
        The input vector ``v``.
    coefficients : ndarray, shape (k,)
        ``v·e_j`` for each unit vector ``e_j`` already made (k of them; 0 for the first).
    projections : ndarray, shape (k, n)
        ``(v·e_j) e_j``, the parts of ``v`` along the directions already done.
    residual : ndarray, shape (n,)
        ``u = v - Σ_j (v·e_j) e_j``, orthogonal to every earlier ``e_j``.
    norm : float
        ``|u|``.
    unit : ndarray, shape (n,)
        ``e = u / |u|``, the new orthonormal vector (row ``index`` of
        :func:`~mmlanim.maths.linalg.gram_schmidt`'s basis).
    """

    index: int
    vector: np.ndarray
    coefficients: np.ndarray
    projections: np.ndarray
    residual: np.ndarray
    norm: float
    unit: np.ndarray


@dataclass(frozen=True)
class MirrorBasis:
    """The reflection in a plane through the origin of R³, built as ``E T_E E⁻¹``.

    Attributes
    ----------
    basis : ndarray, shape (3, 3)
        ``E``: columns ``e1, e2`` (an orthonormal basis of the plane, by
        Gram–Schmidt from its spanning vectors) and ``n`` (the unit normal,
        Gram–Schmidt's third vector from a standard basis vector off the plane).
    helper : ndarray, shape (3,)
        The standard basis vector Gram–Schmidt turned into the normal.
    normal : ndarray, shape (3,)
        ``n``, the third column of ``E``.
    in_basis : ndarray, shape (3, 3)
        ``T_E = diag(1, 1, -1)``: the reflection in ``E``'s coordinates (keep the
        plane, flip the normal).
    inverse : ndarray, shape (3, 3)
        ``E⁻¹`` (equal to ``Eᵀ``, as ``E`` is orthogonal).
    matrix : ndarray, shape (3, 3)
        ``R = E T_E E⁻¹``, the reflection in standard coordinates.
    """

    basis: np.ndarray
    helper: np.ndarray
    normal: np.ndarray
    in_basis: np.ndarray
    inverse: np.ndarray
    matrix: np.ndarray


def gram_schmidt_steps(vectors: Any) -> tuple[GramSchmidtStep, ...]:
    """The Gram–Schmidt process one vector at a time, with what a lecture shows of each step.

    Parameters
    ----------
    vectors : sequence of array_like, shape (k, n)
        Linearly independent vectors as rows, processed in order.

    Returns
    -------
    tuple of GramSchmidtStep
        One per input vector; the units are :func:`~mmlanim.maths.linalg.gram_schmidt`'s basis.

    Raises
    ------
    MathsError
        Dependent vectors (naming the first one that adds no new direction).
    """
    vecs = as_vectors(vectors, "vectors", "v")
    result = gram_schmidt(vecs)
    if result.dropped:
        first = result.dropped[0]
        raise MathsError(f"{vector_label('v', first)} is in the span of the vectors before it, "
                         "so Gram–Schmidt leaves nothing of it to normalise")
    units = result.basis
    steps = []
    for i, v in enumerate(vecs):
        done = units[:i]
        coefficients = done @ v
        projections = coefficients[:, np.newaxis] * done
        residual = v - projections.sum(axis=0)
        steps.append(GramSchmidtStep(index=i, vector=v.copy(), coefficients=coefficients,
                                     projections=projections, residual=residual,
                                     norm=float(np.linalg.norm(residual)), unit=units[i].copy()))
    return tuple(steps)


def mirror_basis(plane_basis: Any) -> MirrorBasis:
    """The orthonormal basis of a mirror plane in R³ and its normal, and the reflection ``E T_E E⁻¹``.

    Parameters
    ----------
    plane_basis : sequence of array_like, shape (2, 3)
        Two independent vectors spanning the mirror plane, as rows.

    Returns
    -------
    MirrorBasis
        ``matrix`` agrees with :func:`~mmlanim.maths.linalg.reflection_matrix`.
    """
    vecs = _basis(plane_basis)
    if vecs.shape != (2, 3):
        raise MathsError(f"a plane in 3-D space is spanned by 2 vectors of length 3, not {vecs.shape[0]} "
                         f"of length {vecs.shape[1]}")
    plane = gram_schmidt(vecs).basis
    # The standard basis vector furthest from the plane gives the normal by one more Gram–Schmidt step.
    helper = np.eye(3)[int(np.argmin((plane ** 2).sum(axis=0)))]  # least of it in the plane
    E = gram_schmidt(np.vstack([plane, helper])).basis.T
    T = np.diag([1.0, 1.0, -1.0])
    E_inv = inverse(E)
    # transform_in_basis(T, rows) is B⁻¹ T B with B = rowsᵀ; B = E⁻¹ gives E T E⁻¹.
    R = transform_in_basis(T, E_inv.T)
    if not np.allclose(R, reflection_matrix(vecs), atol=1e-9):  # pragma: no cover - the same reflection
        raise MathsError("the reflection built in the mirror basis disagrees with 2P - I")
    return MirrorBasis(basis=E, helper=helper, normal=E[:, 2].copy(), in_basis=T, inverse=E_inv, matrix=R)
