"""Moments and inner-product geometry against numpy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlanim.maths import (
    MathsError,
    affine_moments,
    check_positive_definite,
    inner_product_geometry,
    mean_and_covariance,
)


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.integers(2, 60), st.integers(1, 5), st.integers(0, 2**32 - 1), st.integers(0, 1))
def test_mean_and_covariance_match_numpy(n: int, d: int, seed: int, ddof: int) -> None:
    X = np.random.default_rng(seed).normal(size=(n, d)) * 3 + 1
    m = mean_and_covariance(X, ddof=ddof)
    np.testing.assert_allclose(m.mean, X.mean(axis=0))
    np.testing.assert_allclose(m.cov, np.atleast_2d(np.cov(X, rowvar=False, ddof=ddof)), atol=1e-12)


def test_default_ddof_is_one() -> None:
    m = mean_and_covariance([[0.0], [2.0]])
    assert m.cov[0, 0] == pytest.approx(2.0)  # (1 + 1) / (2 - 1)
    assert mean_and_covariance([[0.0], [2.0]], ddof=0).cov[0, 0] == pytest.approx(1.0)


def test_affine_moments_against_samples() -> None:
    rng = np.random.default_rng(0)
    mean = np.array([1.0, -2.0])
    cov = np.array([[2.0, 0.6], [0.6, 1.0]])
    A = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]])
    b = np.array([0.5, 0.0, -1.0])
    m = affine_moments(mean, cov, A, b)
    np.testing.assert_allclose(m.mean, A @ mean + b)
    np.testing.assert_allclose(m.cov, A @ cov @ A.T)
    # empirical check: transform a sample, its moments follow exactly (linearity)
    X = rng.multivariate_normal(mean, cov, size=200)
    sample = mean_and_covariance(X)
    Y = X @ A.T + b
    m2 = affine_moments(sample.mean, sample.cov, A, b)
    ref = mean_and_covariance(Y)
    np.testing.assert_allclose(m2.mean, ref.mean, atol=1e-12)
    np.testing.assert_allclose(m2.cov, ref.cov, atol=1e-10)
    np.testing.assert_allclose(affine_moments(mean, cov, A).mean, A @ mean)


def test_inner_product_geometry_dot_and_general() -> None:
    g = inner_product_geometry([1, 0], [0, 1])
    assert (g.inner, g.length_x, g.length_y) == (0.0, 1.0, 1.0)
    assert g.distance == pytest.approx(math.sqrt(2))
    assert g.angle == pytest.approx(math.pi / 2)
    # MML book (Sec. 3.4): x = (1, 1), y = (-1, 1) are orthogonal under the dot product,
    # but under A = [[2, 0], [0, 1]] the angle is arccos(-1/3) ≈ 1.91 rad
    g = inner_product_geometry([1, 1], [-1, 1], [[2, 0], [0, 1]])
    assert g.inner == pytest.approx(-1.0)
    assert g.length_x == pytest.approx(math.sqrt(3)) and g.length_y == pytest.approx(math.sqrt(3))
    assert g.angle == pytest.approx(math.acos(-1 / 3)) and g.angle == pytest.approx(1.91, abs=5e-3)
    assert g.distance == pytest.approx(math.sqrt(8))  # x - y = (2, 0): 2·2·2
    A = [[1, -0.5], [-0.5, 1]]
    Am = np.array(A)
    x2, y2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    g2 = inner_product_geometry(x2, y2, A)
    cos = (x2 @ Am @ y2) / math.sqrt((x2 @ Am @ x2) * (y2 @ Am @ y2))
    assert g2.angle == pytest.approx(math.acos(cos))
    assert g2.angle == pytest.approx(2 * math.pi / 3)


def test_inner_product_bad_input() -> None:
    with pytest.raises(ValueError, match="not positive definite: it has eigenvalue -1"):
        inner_product_geometry([1, 0], [0, 1], [[1, 0], [0, -1]])
    with pytest.raises(ValueError, match=r"must be symmetric.*A\[1\]\[2\] = 1 and A\[2\]\[1\] = 0"):
        inner_product_geometry([1, 0], [0, 1], [[1, 1], [0, 1]])
    with pytest.raises(ValueError, match="zero vector"):
        inner_product_geometry([0, 0], [0, 1])
    with pytest.raises(ValueError, match="must be 2 × 2"):
        inner_product_geometry([1, 0], [0, 1], np.eye(3))
    with pytest.raises(ValueError, match="y must have 2 entries"):
        inner_product_geometry([1, 0], [0, 1, 2])
    with pytest.raises(MathsError, match="not positive definite"):
        check_positive_definite([[1, 2], [2, 1]])


def test_moments_bad_input() -> None:
    with pytest.raises(ValueError, match="empty"):
        mean_and_covariance([])
    with pytest.raises(ValueError, match="empty"):
        mean_and_covariance(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="at least 2 samples"):
        mean_and_covariance([[1.0, 2.0]])
    with pytest.raises(ValueError, match="NaN"):
        mean_and_covariance([[1.0, np.nan], [0, 0]])
    with pytest.raises(ValueError, match="table of numbers"):
        mean_and_covariance([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="ragged"):
        mean_and_covariance([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="cov must be symmetric"):
        affine_moments([0, 0], [[1, 2], [0, 1]], np.eye(2))
    with pytest.raises(ValueError, match="A must have 2 columns"):
        affine_moments([0, 0], np.eye(2), np.eye(3))


def test_orthogonal_under_an_inner_product() -> None:
    from mmlanim.maths import orthogonal_under

    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = np.array([1.0, -2.0])
    z = orthogonal_under(x, A)
    assert float(x @ A @ z) == pytest.approx(0.0, abs=1e-12)
    assert float(z @ A @ z) == pytest.approx(float(x @ A @ x))
    assert np.allclose(orthogonal_under(x), [2.0, 1.0])  # the dot product: x turned by 90°
    with pytest.raises(ValueError, match="positive definite"):
        orthogonal_under(x, [[1, 2], [2, 1]])
