"""Principal component analysis.

Normalisation
-------------
Variances use ``N - 1`` (ddof=1), like scikit-learn's ``explained_variance_``.
The reconstruction error is defined with the same normalisation,

    reconstruction_error = Σ_n |x_n - x̃_n|² / (N - 1),

so that it equals **exactly the sum of the discarded eigenvalues** of the
ddof=1 covariance matrix. The plain mean over samples of the squared residual
norm is ``mean_squared_residual = reconstruction_error · (N - 1) / N``.

Sign convention
---------------
As scikit-learn ≥ 1.5 (``svd_flip(..., u_based_decision=False)``): in each
component the entry of largest absolute value is positive.

Algorithm
---------
For N ≥ D the D × D covariance matrix is diagonalised with
:func:`numpy.linalg.eigh` (much faster than an SVD of the data when N ≫ D).
For N < D the N × N Gram matrix ``Xc Xcᵀ / (N-1)`` is diagonalised instead
and the components are recovered as ``Xcᵀ u / sqrt((N-1) λ)``; if a
requested component has (numerically) zero variance the SVD of the centred
data is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import MathsError, as_data_matrix, as_matrix, as_positive_int

__all__ = ["PCA", "pca", "flip_signs", "line_reconstruction_error"]


@dataclass(frozen=True)
class PCA:
    """Result of :func:`pca` on N samples of dimension D with k components.

    Attributes
    ----------
    mean : ndarray, shape (D,)
    components : ndarray, shape (k, D)
        Orthonormal principal directions as rows, by decreasing variance.
    explained_variance : ndarray, shape (k,)
        Variance (ddof=1) along each component = its eigenvalue.
    explained_variance_ratio : ndarray, shape (k,)
        ``explained_variance / total variance``.
    eigenvalues : ndarray, shape (min(N, D),)
        All eigenvalues of the ddof=1 covariance, descending (≥ 0).
    scores : ndarray, shape (N, k)
        Coordinates of the centred data along the components.
    reconstruction : ndarray, shape (N, D)
        ``mean + scores @ components``.
    reconstruction_error : float
        ``Σ_n |x_n - x̃_n|² / (N - 1)`` = ``eigenvalues[k:].sum()``.
    n_samples : int
        N.
    """

    mean: np.ndarray
    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    eigenvalues: np.ndarray
    scores: np.ndarray
    reconstruction: np.ndarray
    reconstruction_error: float
    n_samples: int

    @property
    def n_components(self) -> int:
        """k."""
        return int(self.components.shape[0])

    @property
    def mean_squared_residual(self) -> float:
        """Mean over samples of ``|x_n - x̃_n|²`` (= error · (N-1)/N)."""
        return self.reconstruction_error * (self.n_samples - 1) / self.n_samples

    def transform(self, X: Any) -> np.ndarray:
        """Scores of new data: (M, D) → (M, k)."""
        X = as_matrix(X, "X", shape=(None, self.mean.shape[0]))
        return np.asarray((X - self.mean) @ self.components.T, dtype=np.float64)

    def inverse_transform(self, scores: Any) -> np.ndarray:
        """Back to data space: (M, k) → (M, D)."""
        scores = as_matrix(scores, "scores", shape=(None, self.n_components))
        return np.asarray(scores @ self.components + self.mean, dtype=np.float64)


def flip_signs(components: np.ndarray) -> np.ndarray:
    """Make the largest-|.| entry of each row positive (scikit-learn's rule).

    Parameters
    ----------
    components : ndarray, shape (k, D)

    Returns
    -------
    ndarray, shape (k, D)
    """
    lead = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(components.shape[0]), lead])
    signs[signs == 0] = 1.0
    return np.asarray(components * signs[:, np.newaxis], dtype=np.float64)


def _eig_descending(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values, vectors = np.linalg.eigh(S)
    values = np.clip(values[::-1], 0.0, None)
    return values, vectors[:, ::-1]


def pca(X: Any, n_components: int | None = None) -> PCA:
    """Principal component analysis of data with samples as rows.

    Parameters
    ----------
    X : array_like, shape (N, D)
        N ≥ 2 samples.
    n_components : int, optional
        k, with 1 ≤ k ≤ min(N, D); defaults to min(N, D).

    Returns
    -------
    PCA

    Raises
    ------
    MathsError
        Empty data, fewer than 2 samples, NaN/inf, or k out of range.
    """
    X = as_data_matrix(X, min_samples=2)
    N, D = X.shape
    limit = min(N, D)
    k = limit if n_components is None else as_positive_int(n_components, "n_components")
    if k > limit:
        what = f"the data's dimension D = {D}" if D <= N else f"the number of samples N = {N}"
        raise MathsError(
            f"n_components = {k} is more than {what}; at most {limit} components exist"
        )
    mean = X.mean(axis=0)
    Xc = X - mean
    if N >= D:
        cov = Xc.T @ Xc
        cov /= N - 1
        eigenvalues, vectors = _eig_descending(cov)
        total = float(np.trace(cov))
        components = vectors[:, :k].T
    else:
        gram = Xc @ Xc.T
        gram /= N - 1
        eigenvalues, U = _eig_descending(gram)
        total = float(np.trace(gram))
        kept = eigenvalues[:k]
        if kept[-1] > 1e-10 * max(eigenvalues[0], np.finfo(float).tiny):
            components = (Xc.T @ U[:, :k]).T / np.sqrt((N - 1) * kept)[:, np.newaxis]
        else:  # zero-variance directions requested: take them from the SVD
            components = np.linalg.svd(Xc, full_matrices=False)[2][:k]
    components = flip_signs(np.ascontiguousarray(components))
    scores = Xc @ components.T
    reconstruction = scores @ components
    residual = Xc - reconstruction
    reconstruction += mean
    flat = residual.ravel()
    error = float(np.dot(flat, flat)) / (N - 1)
    explained = eigenvalues[:k].copy()
    ratio = explained / total if total > 0 else np.zeros(k)
    return PCA(
        mean=mean,
        components=components,
        explained_variance=explained,
        explained_variance_ratio=ratio,
        eigenvalues=eigenvalues,
        scores=scores,
        reconstruction=reconstruction,
        reconstruction_error=error,
        n_samples=N,
    )


def line_reconstruction_error(X: Any, direction: Any, ddof: int = 1) -> Any:
    """The average squared reconstruction error J of projecting data onto a line through its mean.

    Each sample is replaced by ``x̃_n = μ + (uᵀ(x_n − μ)) u``, u the unit vector along
    ``direction``, and

        J = Σ_n |x_n − x̃_n|² / (N − ddof).

    J is smallest, equal to the sum of the other eigenvalues of the covariance
    (with the same normalisation), when ``direction`` is the first principal axis.

    Parameters
    ----------
    X : array_like, shape (N, D)
        N ≥ ddof + 1 samples as rows.
    direction : array_like, shape (D,) or (M, D)
        A non-zero direction, or M of them as rows (any length; only the direction counts).
    ddof : int, default 1
        J divides by ``N - ddof`` (1: as :attr:`PCA.reconstruction_error`; 0: the plain mean).

    Returns
    -------
    float, or ndarray of shape (M,) for M directions
    """
    from ._validation import as_nonnegative_int

    ddof = as_nonnegative_int(ddof, "ddof")
    X = as_data_matrix(X, min_samples=max(2, ddof + 1))
    N, D = X.shape
    dirs = np.asarray(direction, dtype=np.float64)
    single = dirs.ndim == 1
    dirs = as_matrix(np.atleast_2d(dirs), "direction", shape=(None, D))
    norms = np.linalg.norm(dirs, axis=1)
    if np.any(norms == 0):
        raise MathsError("the direction of the line is the zero vector: it has no direction")
    units = dirs / norms[:, np.newaxis]
    Xc = X - X.mean(axis=0)
    total = float(np.einsum("nd,nd->", Xc, Xc))
    along = Xc @ units.T  # (N, M) scores on each line
    errors = (total - np.einsum("nm,nm->m", along, along)) / (N - ddof)
    errors = np.clip(errors, 0.0, None)
    return float(errors[0]) if single else np.asarray(errors, dtype=np.float64)
