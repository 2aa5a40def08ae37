"""Data sources a lecture may plot: inline points, CSV files, synthetic clouds
and the small data sets shipped inside scikit-learn (no downloads).

Every loader returns a float array of shape (N, D) (:func:`line_with_noise`
gives x and y). The lecture format's data sources (``mmlanim.visuals._data``)
call them, with paths already confined to the lecture's folder.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validation import (
    MathsError,
    as_data_matrix,
    as_matrix,
    as_nonnegative_int,
    as_positive_float,
    as_positive_int,
    as_vector,
    format_number,
)

__all__ = [
    "SKLEARN_DATASETS",
    "SklearnData",
    "inline_points",
    "read_csv",
    "gaussian_cloud",
    "line_with_noise",
    "load_sklearn",
    "sklearn_dataset",
    "sklearn_target",
]

#: Data sets that ship inside scikit-learn (loaded without network access).
SKLEARN_DATASETS = ("iris", "digits", "diabetes")


def inline_points(points: Any) -> np.ndarray:
    """Points written directly in the lecture.

    Parameters
    ----------
    points : array_like, shape (N, D)
        Rows like ``[[1, 2], [3, 4]]``.

    Returns
    -------
    ndarray, shape (N, D)
    """
    return as_data_matrix(points, "points")


def _column_indices(header: Sequence[str], columns: Sequence[Any], source: str) -> list[int]:
    names = [h.strip() for h in header]
    indices = []
    for col in columns:
        if isinstance(col, (int, np.integer)) and not isinstance(col, bool):
            if not 0 <= col < len(names):
                raise MathsError(
                    f"{source}: column index {col} is out of range (there are {len(names)} columns, "
                    f"numbered from 0)"
                )
            indices.append(int(col))
        elif isinstance(col, str):
            if col.strip() not in names:
                raise MathsError(
                    f"{source}: no column named {col!r}; available columns: {', '.join(names)}"
                )
            indices.append(names.index(col.strip()))
        else:
            raise MathsError(f"{source}: columns must be names or indices, got {col!r}")
    return indices


def read_csv(path: str | Path, columns: Sequence[str | int] | None = None) -> np.ndarray:
    """Numeric columns of a CSV file with a header row.

    Parameters
    ----------
    path : str or Path
    columns : sequence of str or int, optional
        Column names from the header (or 0-based indices); all columns if
        omitted.

    Returns
    -------
    ndarray, shape (N, len(columns))

    Raises
    ------
    MathsError
        Missing file, missing column, empty file or a non-numeric cell
        (the message gives the line and column).
    """
    path = Path(path)
    if not path.is_file():
        raise MathsError(f"CSV file not found: {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise MathsError(f"{path}: the file is empty (a header row is needed)")
            indices = _column_indices(header, list(range(len(header))) if columns is None
                                      else list(columns), str(path))
            rows = []
            for line_no, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue  # blank line
                values = []
                for i in indices:
                    cell = row[i].strip() if i < len(row) else ""
                    try:
                        value = float(cell)
                    except ValueError:
                        raise MathsError(
                            f"{path}, line {line_no}, column {header[i].strip()!r}: "
                            f"{cell!r} is not a number"
                        ) from None
                    if not math.isfinite(value):
                        raise MathsError(
                            f"{path}, line {line_no}, column {header[i].strip()!r}: {cell!r} is not "
                            "a finite number"
                        )
                    values.append(value)
                rows.append(values)
    except UnicodeDecodeError:
        raise MathsError(f"{path}: the file is not UTF-8 text") from None
    except csv.Error as exc:  # e.g. a field larger than the csv module allows
        raise MathsError(f"{path}: not a readable CSV file ({exc})") from None
    if not rows:
        raise MathsError(f"{path}: no data rows after the header")
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(indices))


def gaussian_cloud(n: int, mean: Any, cov: Any, seed: int | None = 0) -> np.ndarray:
    """Samples from a multivariate normal distribution.

    Parameters
    ----------
    n : int
        Number of points.
    mean : array_like, shape (D,)
    cov : array_like, shape (D, D)
        Symmetric positive semi-definite.
    seed : int, optional
        Seed for :func:`numpy.random.default_rng` (reproducible by default).

    Returns
    -------
    ndarray, shape (n, D)
    """
    n = as_positive_int(n, "n")
    mean = as_vector(mean, "mean")
    d = mean.shape[0]
    cov = as_matrix(cov, "cov", shape=(d, d))
    scale = max(1.0, float(np.abs(cov).max()))
    if not np.allclose(cov, cov.T, rtol=0, atol=1e-12 * scale):
        raise MathsError("cov must be symmetric (cov[i][j] == cov[j][i])")
    smallest = float(np.linalg.eigvalsh(cov)[0])
    if smallest < -1e-10 * scale:
        raise MathsError(
            f"cov is not a covariance matrix: it has a negative eigenvalue "
            f"{format_number(smallest)} (variances cannot be negative)"
        )
    rng = np.random.default_rng(_seed(seed))
    return rng.multivariate_normal(mean, cov, size=n, method="eigh")


def _seed(seed: Any) -> int | None:
    return None if seed is None else as_nonnegative_int(seed, "seed")


def line_with_noise(
    n: int,
    slope: float,
    intercept: float,
    noise: float,
    x_range: Sequence[float] = (0.0, 1.0),
    seed: int | None = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered about a line: ``y = slope·x + intercept + N(0, noise²)``.

    Parameters
    ----------
    n : int
    slope, intercept : float
    noise : float
        Standard deviation of the vertical noise (≥ 0).
    x_range : (float, float)
        x is uniform on this interval.
    seed : int, optional

    Returns
    -------
    x, y : ndarray, shape (n,) each
        x sorted ascending.
    """
    n = as_positive_int(n, "n")
    slope, intercept = as_vector([slope, intercept], "slope and intercept")
    noise = as_positive_float(noise, "noise", allow_zero=True)
    lo, hi = as_vector(x_range, "x_range", dim=2)
    if not lo < hi:
        raise MathsError(f"x_range must go from low to high, got [{format_number(lo)}, {format_number(hi)}]")
    rng = np.random.default_rng(_seed(seed))
    x = np.sort(rng.uniform(lo, hi, size=n))
    y = slope * x + intercept + rng.normal(0.0, noise, size=n)
    return x, y


@dataclass(frozen=True)
class SklearnData:
    """A scikit-learn data set as loaded (its arrays read-only: the functions below hand out copies).

    Attributes
    ----------
    data : ndarray, shape (N, D)
        The features, as floats.
    target : ndarray, shape (N,)
        Class labels or values.
    names : tuple of str, length D
        The features' names (their indices as text when the data set names none).
    """

    data: np.ndarray
    target: np.ndarray
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        self.data.flags.writeable = self.target.flags.writeable = False


@functools.cache  # parsing a data set's files takes a good part of a second, and a lecture asks several times
def load_sklearn(name: str) -> SklearnData:
    """Load one of :data:`SKLEARN_DATASETS` with scikit-learn (importing it: about a second, once a process)."""
    if name not in SKLEARN_DATASETS:
        raise MathsError(f"unknown data set {name!r}; available: {', '.join(SKLEARN_DATASETS)}")
    from sklearn import datasets  # lazy: only lectures that use it pay the import

    bunch = getattr(datasets, f"load_{name}")()
    data = np.array(bunch.data, dtype=np.float64)
    names = tuple(getattr(bunch, "feature_names", None) or [str(i) for i in range(data.shape[1])])
    return SklearnData(data, np.array(bunch.target), names)


def sklearn_dataset(name: str, columns: Sequence[str | int] | None = None, *,
                    loaded: SklearnData | None = None) -> np.ndarray:
    """Features of a data set shipped with scikit-learn (no download).

    Parameters
    ----------
    name : {"iris", "digits", "diabetes"}
    columns : sequence of str or int, optional
        Feature names (e.g. ``"petal length (cm)"``) or 0-based indices.
    loaded : SklearnData, optional
        The data set's arrays when already at hand (read back from a cache); by default
        :func:`load_sklearn`.

    Returns
    -------
    ndarray, shape (N, len(columns)) or (N, D)
    """
    loaded = loaded if loaded is not None else load_sklearn(name)
    if columns is None:
        return loaded.data.copy()
    return loaded.data[:, _column_indices(list(loaded.names), list(columns), name)]


def sklearn_target(name: str, *, loaded: SklearnData | None = None) -> np.ndarray:
    """Targets (class labels or values) of a scikit-learn data set, shape (N,) (``loaded``: as
    :func:`sklearn_dataset`)."""
    return (loaded if loaded is not None else load_sklearn(name)).target.copy()
