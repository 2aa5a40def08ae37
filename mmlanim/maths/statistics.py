"""Means, covariances, affine maps of moments and inner-product geometry."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import (
    MathsError,
    as_data_matrix,
    as_matrix,
    as_nonnegative_int,
    as_square_matrix,
    as_vector,
    format_number,
)

__all__ = [
    "Moments",
    "InnerProductGeometry",
    "mean_and_covariance",
    "affine_moments",
    "check_positive_definite",
    "inner_product_geometry",
    "orthogonal_under",
]


@dataclass(frozen=True)
class Moments:
    """Mean vector and covariance matrix.

    Attributes
    ----------
    mean : ndarray, shape (D,)
    cov : ndarray, shape (D, D)
    """

    mean: np.ndarray
    cov: np.ndarray


@dataclass(frozen=True)
class InnerProductGeometry:
    """Lengths, distance and angle under ``⟨x, y⟩ = xᵀ A y``.

    Attributes
    ----------
    inner : float
        ⟨x, y⟩.
    length_x, length_y : float
        ``sqrt(⟨x, x⟩)``, ``sqrt(⟨y, y⟩)``.
    distance : float
        ``sqrt(⟨x - y, x - y⟩)``.
    angle : float
        Angle in radians, in [0, π].
    """

    inner: float
    length_x: float
    length_y: float
    distance: float
    angle: float


def mean_and_covariance(X: Any, ddof: int = 1) -> Moments:
    """Sample mean and covariance of data with samples as rows.

    Parameters
    ----------
    X : array_like, shape (N, D)
    ddof : int, default 1
        The covariance divides by ``N - ddof``. The default 1 (unbiased)
        matches :func:`numpy.cov` and scikit-learn; use 0 for the 1/N
        "population" variance used in parts of the course.

    Returns
    -------
    Moments
        ``mean`` (D,), ``cov`` (D, D).
    """
    ddof = as_nonnegative_int(ddof, "ddof")
    X = as_data_matrix(X, min_samples=ddof + 1)
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = (Xc.T @ Xc) / (X.shape[0] - ddof)
    return Moments(mean=mean, cov=(cov + cov.T) / 2)


def affine_moments(mean: Any, cov: Any, A: Any, b: Any = None) -> Moments:
    """Mean and covariance of ``A x + b`` when x has the given moments.

    Parameters
    ----------
    mean : array_like, shape (D,)
    cov : array_like, shape (D, D)
        Symmetric.
    A : array_like, shape (M, D)
    b : array_like, shape (M,), optional
        Defaults to zero.

    Returns
    -------
    Moments
        ``A μ + b`` (M,) and ``A Σ Aᵀ`` (M, M).
    """
    mean = as_vector(mean, "mean")
    d = mean.shape[0]
    cov = as_matrix(cov, "cov", shape=(d, d))
    if not np.allclose(cov, cov.T, rtol=1e-10, atol=1e-12):
        raise MathsError("cov must be symmetric (cov[i][j] == cov[j][i])")
    A = as_matrix(A, "A", shape=(None, d))
    b = np.zeros(A.shape[0]) if b is None else as_vector(b, "b", dim=A.shape[0])
    new_cov = A @ cov @ A.T
    return Moments(mean=A @ mean + b, cov=(new_cov + new_cov.T) / 2)


def check_positive_definite(A: Any, name: str = "A") -> np.ndarray:
    """Validate a symmetric positive definite matrix.

    Parameters
    ----------
    A : array_like, shape (n, n)

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    MathsError
        Not symmetric, or an eigenvalue ≤ 0 (then ⟨x, x⟩ = xᵀAx is not
        always positive, so A does not define an inner product).
    """
    A = as_square_matrix(A, name)
    scale = max(1.0, float(np.abs(A).max()))
    if not np.allclose(A, A.T, rtol=0, atol=1e-12 * scale):
        i, j = (int(t) for t in np.argwhere(~np.isclose(A, A.T, rtol=0, atol=1e-12 * scale))[0])
        raise MathsError(
            f"{name} must be symmetric to define an inner product, but {name}[{i + 1}][{j + 1}] = "
            f"{format_number(A[i, j])} and {name}[{j + 1}][{i + 1}] = {format_number(A[j, i])}"
        )
    smallest = float(np.linalg.eigvalsh((A + A.T) / 2)[0])
    if smallest <= 1e-12 * scale:
        raise MathsError(
            f"{name} is not positive definite: it has eigenvalue {format_number(smallest)} ≤ 0, "
            "so ⟨x, x⟩ = xᵀAx is not positive for every x ≠ 0"
        )
    return np.asarray(A, dtype=np.float64)


def inner_product_geometry(x: Any, y: Any, A: Any = None) -> InnerProductGeometry:
    """Geometry of two vectors under the inner product ``⟨x, y⟩ = xᵀ A y``.

    Parameters
    ----------
    x, y : array_like, shape (n,)
    A : array_like, shape (n, n), optional
        Symmetric positive definite; defaults to the identity (dot product).

    Returns
    -------
    InnerProductGeometry

    Raises
    ------
    MathsError
        If A is not symmetric positive definite, or x or y is the zero vector
        (the angle is undefined).
    """
    x = as_vector(x, "x")
    y = as_vector(y, "y", dim=x.shape[0])
    n = x.shape[0]
    A = np.eye(n) if A is None else check_positive_definite(A)
    if A.shape != (n, n):
        raise MathsError(f"A must be {n} × {n} to match x and y, got {A.shape[0]} × {A.shape[1]}")
    xy = float(x @ A @ y)
    lx = math.sqrt(max(float(x @ A @ x), 0.0))
    ly = math.sqrt(max(float(y @ A @ y), 0.0))
    diff = x - y
    dist = math.sqrt(max(float(diff @ A @ diff), 0.0))
    if lx == 0 or ly == 0:
        which = "x" if lx == 0 else "y"
        raise MathsError(f"{which} is the zero vector, so the angle between x and y is undefined")
    angle = math.acos(min(1.0, max(-1.0, xy / (lx * ly))))
    return InnerProductGeometry(inner=xy, length_x=lx, length_y=ly, distance=dist, angle=angle)


def orthogonal_under(x: Any, A: Any = None) -> np.ndarray:
    """A 2-D vector z orthogonal to x under ``⟨x, z⟩ = xᵀ A z``, as long as x under it.

    z is ``A x`` turned a quarter turn anticlockwise, scaled so that
    ``⟨z, z⟩ = ⟨x, x⟩``.

    Parameters
    ----------
    x : array_like, shape (2,)
        Non-zero.
    A : array_like, shape (2, 2), optional
        Symmetric positive definite; defaults to the identity (then z is x turned by 90°).

    Returns
    -------
    ndarray, shape (2,)
    """
    x = as_vector(x, "x", dim=2)
    A = np.eye(2) if A is None else check_positive_definite(A)
    if A.shape != (2, 2):
        raise MathsError(f"A must be 2 × 2, got {A.shape[0]} × {A.shape[1]}")
    ax = A @ x
    z = np.array([-ax[1], ax[0]])
    zz, xx = float(z @ A @ z), float(x @ A @ x)
    if zz == 0 or xx == 0:
        raise MathsError("x is the zero vector: every vector is orthogonal to it")
    return np.asarray(z * math.sqrt(xx / zz), dtype=np.float64)

