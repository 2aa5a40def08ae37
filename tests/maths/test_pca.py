"""PCA against scikit-learn and its defining invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SkPCA

from mmlanim.maths import flip_signs, pca


def correlated(n: int, d: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    scales = np.linspace(3.0, 0.2, d)  # well-separated variances
    return (rng.normal(size=(n, d)) * scales) @ np.linalg.qr(rng.normal(size=(d, d)))[0] + 5


@pytest.mark.parametrize(("n", "d", "k"), [(500, 6, 3), (200, 10, 10), (8, 40, 5), (5, 12, 5)])
def test_matches_sklearn(n: int, d: int, k: int) -> None:
    X = correlated(n, d, seed=n + d)
    ours = pca(X, k)
    ref = SkPCA(n_components=k, svd_solver="full")
    scores = ref.fit_transform(X)
    live = ref.explained_variance_ > 1e-10 * ref.explained_variance_[0]
    np.testing.assert_allclose(ours.mean, ref.mean_)
    np.testing.assert_allclose(ours.components[live], ref.components_[live], atol=1e-8)
    np.testing.assert_allclose(ours.explained_variance, ref.explained_variance_, atol=1e-10, rtol=1e-9)
    np.testing.assert_allclose(ours.explained_variance_ratio, ref.explained_variance_ratio_,
                               atol=1e-12, rtol=1e-9)
    np.testing.assert_allclose(ours.scores[:, live], scores[:, live], atol=1e-8)
    np.testing.assert_allclose(ours.reconstruction, ref.inverse_transform(scores), atol=1e-8)
    if live.all():
        np.testing.assert_allclose(ours.transform(X[:3]), ref.transform(X[:3]), atol=1e-8)
    assert ours.scores.shape == (n, k) and ours.components.shape == (k, d)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(2, 40), st.integers(1, 12), st.integers(0, 2**32 - 1), st.data())
def test_reconstruction_error_equals_discarded_eigenvalues(n: int, d: int, seed: int, data) -> None:
    X = np.random.default_rng(seed).normal(size=(n, d)) * np.arange(1, d + 1)
    k = data.draw(st.integers(1, min(n, d)))
    res = pca(X, k)
    # eigenvalues from an independent reference: numpy's covariance with ddof=1
    ref_eigs = np.sort(np.linalg.eigvalsh(np.atleast_2d(np.cov(X, rowvar=False, ddof=1))))[::-1]
    discarded = ref_eigs[k:].sum()
    total = ref_eigs.sum()
    residual = X - res.reconstruction
    assert res.reconstruction_error == pytest.approx(np.sum(residual**2) / (n - 1), rel=1e-9, abs=1e-12)
    assert res.reconstruction_error == pytest.approx(discarded, abs=1e-9 * total + 1e-12)
    assert res.mean_squared_residual == pytest.approx(np.mean(np.sum(residual**2, axis=1)),
                                                      abs=1e-9 * total + 1e-12)
    np.testing.assert_allclose(res.explained_variance, ref_eigs[:k], atol=1e-9 * total + 1e-12)
    # orthonormal components with sklearn's sign rule
    np.testing.assert_allclose(res.components @ res.components.T, np.eye(k), atol=1e-8)
    np.testing.assert_array_equal(flip_signs(res.components), res.components)


def test_round_trip_and_full_rank_reconstruction() -> None:
    X = correlated(100, 4, seed=1)
    res = pca(X)
    assert res.n_components == 4
    np.testing.assert_allclose(res.reconstruction, X, atol=1e-10)
    assert res.reconstruction_error == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(res.inverse_transform(res.transform(X)), X, atol=1e-10)
    assert res.explained_variance_ratio.sum() == pytest.approx(1.0)


def test_sign_convention() -> None:
    comps = flip_signs(np.array([[0.1, -0.9, 0.3], [-0.5, 0.2, 0.1]]))
    np.testing.assert_allclose(comps, [[-0.1, 0.9, -0.3], [0.5, -0.2, -0.1]])
    res = pca(correlated(60, 5, seed=2), 3)
    lead = res.components[np.arange(3), np.argmax(np.abs(res.components), axis=1)]
    assert np.all(lead > 0)


@pytest.mark.parametrize(
    ("X", "k", "message"),
    [
        (np.zeros((10, 3)), 4, "n_components = 4 is more than the data's dimension D = 3"),
        (np.zeros((3, 10)), 4, "n_components = 4 is more than the number of samples N = 3"),
        (np.zeros((10, 3)), 0, "n_components must be at least 1"),
        ([], 1, "empty"),
        (np.zeros((0, 4)), 1, "empty"),
        ([[1.0, 2.0]], 1, "at least 2 samples"),
        ([[1.0, np.nan], [0.0, 1.0]], 1, "NaN"),
        ([[1.0, np.inf], [0.0, 1.0]], 1, "infinity"),
        ([1.0, 2.0, 3.0], 1, "table of numbers"),
    ],
)
def test_bad_input(X, k: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        pca(X, k)


def test_line_reconstruction_error_is_smallest_along_the_first_component() -> None:
    from mmlanim.maths import line_reconstruction_error

    X = correlated(80, 2, seed=7)
    ref = SkPCA(n_components=1, svd_solver="full").fit(X)
    rebuilt = ref.inverse_transform(ref.transform(X))
    mean_sq = float(np.mean(np.sum((X - rebuilt) ** 2, axis=1)))  # sklearn's 1-D reconstruction, 1/N
    assert line_reconstruction_error(X, ref.components_[0], ddof=0) == pytest.approx(mean_sq, rel=1e-10)
    assert line_reconstruction_error(X, 3 * ref.components_[0], ddof=1) == pytest.approx(
        mean_sq * 80 / 79, rel=1e-10)
    angles = np.linspace(0, np.pi, 181)
    errors = line_reconstruction_error(X, np.column_stack([np.cos(angles), np.sin(angles)]), ddof=0)
    # against the brute-force residual of each line
    for a, e in zip(angles[::30], errors[::30]):
        u = np.array([np.cos(a), np.sin(a)])
        Xc = X - X.mean(axis=0)
        assert e == pytest.approx(np.mean(np.sum((Xc - np.outer(Xc @ u, u)) ** 2, axis=1)), rel=1e-10)
    best = angles[np.argmin(errors)]
    u1 = ref.components_[0]
    assert abs(np.cos(best) * u1[0] + np.sin(best) * u1[1]) > np.cos(np.radians(1))
    assert errors.min() >= mean_sq - 1e-12


def test_line_reconstruction_error_refuses_the_zero_direction() -> None:
    from mmlanim.maths import MathsError, line_reconstruction_error

    with pytest.raises(MathsError, match="zero vector"):
        line_reconstruction_error([[0, 1], [1, 2], [3, 1]], [0, 0])
