"""Data sources for visuals: inline, CSV, synthetic and scikit-learn's bundled sets."""

from __future__ import annotations

import numpy as np
import pytest

from mmlanim.maths import (
    MathsError,
    gaussian_cloud,
    inline_points,
    line_with_noise,
    mean_and_covariance,
    read_csv,
    sklearn_dataset,
    sklearn_target,
)


@pytest.fixture()
def csv_file(tmp_path):
    path = tmp_path / "heights.csv"
    path.write_text("name,height,weight\nann,1.62,55\nbob,1.80,80.5\n\ncy,1.75,70\n")
    return path


def test_inline_points() -> None:
    np.testing.assert_array_equal(inline_points([[1, 2], [3, 4]]), [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(ValueError, match="ragged"):
        inline_points([[1, 2], [3]])
    with pytest.raises(ValueError, match="empty"):
        inline_points([])


def test_read_csv_named_and_indexed_columns(csv_file) -> None:
    got = read_csv(csv_file, ["weight", "height"])
    np.testing.assert_allclose(got, [[55, 1.62], [80.5, 1.80], [70, 1.75]])
    np.testing.assert_allclose(read_csv(csv_file, [1]), [[1.62], [1.80], [1.75]])


def test_read_csv_errors(csv_file, tmp_path) -> None:
    with pytest.raises(MathsError, match="no column named 'age'; available columns: name, height, weight"):
        read_csv(csv_file, ["age"])
    with pytest.raises(MathsError, match=r"line 2, column 'name': 'ann' is not a number"):
        read_csv(csv_file)
    with pytest.raises(MathsError, match="CSV file not found"):
        read_csv(tmp_path / "missing.csv", ["x"])
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(MathsError, match="empty"):
        read_csv(empty)
    header_only = tmp_path / "header.csv"
    header_only.write_text("x,y\n")
    with pytest.raises(MathsError, match="no data rows"):
        read_csv(header_only)
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n3,nan\n")
    with pytest.raises(MathsError, match="line 3, column 'y': 'nan' is not a finite number"):
        read_csv(bad)
    with pytest.raises(MathsError, match="out of range"):
        read_csv(csv_file, [7])


def test_gaussian_cloud_is_seeded_and_has_right_moments() -> None:
    mean, cov = [1.0, -1.0], [[2.0, 0.8], [0.8, 1.0]]
    a = gaussian_cloud(20000, mean, cov, seed=3)
    np.testing.assert_array_equal(a, gaussian_cloud(20000, mean, cov, seed=3))
    assert a.shape == (20000, 2)
    m = mean_and_covariance(a)
    np.testing.assert_allclose(m.mean, mean, atol=0.05)
    np.testing.assert_allclose(m.cov, cov, atol=0.08)
    with pytest.raises(MathsError, match="negative eigenvalue"):
        gaussian_cloud(10, [0, 0], [[1, 2], [2, 1]])
    with pytest.raises(MathsError, match="symmetric"):
        gaussian_cloud(10, [0, 0], [[1, 0.5], [0, 1]])
    with pytest.raises(MathsError, match="cov must have 2 rows"):
        gaussian_cloud(10, [0, 0], np.eye(3))
    with pytest.raises(MathsError, match="n must be at least 1"):
        gaussian_cloud(0, [0, 0], np.eye(2))


def test_line_with_noise() -> None:
    x, y = line_with_noise(50, 2.0, 1.0, 0.0, x_range=(0, 5), seed=1)
    assert x.shape == y.shape == (50,)
    assert np.all(np.diff(x) >= 0) and x.min() >= 0 and x.max() <= 5
    np.testing.assert_allclose(y, 2 * x + 1)
    x2, y2 = line_with_noise(2000, 2.0, 1.0, 0.5, seed=1)
    assert np.std(y2 - (2 * x2 + 1)) == pytest.approx(0.5, rel=0.1)
    with pytest.raises(MathsError, match="low to high"):
        line_with_noise(5, 1, 0, 0.1, x_range=(3, 1))
    with pytest.raises(MathsError, match="noise must be zero or positive"):
        line_with_noise(5, 1, 0, -0.1)


def test_sklearn_datasets_offline() -> None:
    iris = sklearn_dataset("iris", ["petal length (cm)", 3])
    assert iris.shape == (150, 2)
    from sklearn.datasets import load_iris

    np.testing.assert_array_equal(iris, load_iris().data[:, [2, 3]])
    assert sklearn_target("iris").shape == (150,)
    assert sklearn_dataset("digits").shape == (1797, 64)
    assert sklearn_dataset("diabetes").shape == (442, 10)
    with pytest.raises(MathsError, match="unknown data set 'mnist'; available: iris, digits, diabetes"):
        sklearn_dataset("mnist")
    with pytest.raises(MathsError, match="no column named 'petal'"):
        sklearn_dataset("iris", ["petal"])


def test_sklearn_datasets_are_fresh_copies_each_call() -> None:
    """A data set is loaded once per process, but each caller gets its own arrays: changing one changes
    neither the next call's nor scikit-learn's values."""
    from sklearn.datasets import load_digits, load_iris

    first = sklearn_dataset("digits")
    first[:] = -1.0
    np.testing.assert_array_equal(sklearn_dataset("digits"), load_digits().data)
    picked = sklearn_dataset("iris", [0])
    picked[0, 0] = 1e9
    np.testing.assert_array_equal(sklearn_dataset("iris", [0]), load_iris().data[:, [0]])
    target = sklearn_target("iris")
    target[:] = 7
    np.testing.assert_array_equal(sklearn_target("iris"), load_iris().target)

