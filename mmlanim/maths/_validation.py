"""Shared input checks for :mod:`mmlanim.maths`.

Every public function of the maths package funnels lecture-author input
through these helpers, so that bad input (NaN, infinity, ragged lists,
wrong shapes, text where numbers are expected) fails early with a
:class:`MathsError` whose message a lecturer can act on.

:class:`MathsError` subclasses :class:`ValueError`, so callers that only
know about ``ValueError`` still catch it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "MathsError",
    "format_combination",
    "as_vector",
    "as_matrix",
    "as_vectors",
    "as_points",
    "as_square_matrix",
    "as_data_matrix",
    "as_positive_int",
    "as_nonnegative_int",
    "as_positive_float",
    "check_finite",
    "format_number",
    "vector_label",
]


class MathsError(ValueError):
    """Invalid mathematical input (bad numbers, shapes or degenerate cases).

    A subclass of :class:`ValueError`; every error raised on purpose by
    :mod:`mmlanim.maths` is one of these.
    """


def format_number(x: float, digits: int = 4) -> str:
    """Format a number compactly for an error message.

    Parameters
    ----------
    x : float
        The number.
    digits : int, default 4
        Significant digits.

    Returns
    -------
    str
        ``"2"`` for 2.0, ``"-0.5"`` for -0.5, ``"1.333"`` for 4/3.
    """
    x = float(x)
    if math.isfinite(x) and x == round(x) and abs(x) < 1e15:
        return str(int(round(x)))
    return f"{x:.{digits}g}"


def format_combination(coefficients: Any, names: Any, *, number: Any = format_number,
                       times: str = "·") -> str:
    """``c1 n1 + c2 n2 ...`` as text: ``"2·b1 - b2"``.

    Parameters
    ----------
    coefficients : sequence of float
    names : sequence of str
        One name per coefficient.
    number : callable
        Formats a magnitude; a term whose magnitude formats as ``"0"`` (or is
        below 1e-9) is left out, and a magnitude of ``"1"`` is not written.
    times : str
        Put between a magnitude and its name (``"\\,"`` in LaTeX).
    """
    terms: list[str] = []
    for c, name in zip(coefficients, names):
        mag = number(abs(c))
        if abs(c) < 1e-9 or mag == "0":
            continue
        body = name if mag == "1" else f"{mag}{times}{name}"
        if not terms:
            terms.append(body if c > 0 else f"-{body}")
        else:
            terms.append(("+ " if c > 0 else "- ") + body)
    return " ".join(terms) if terms else "0"


def vector_label(name: str, index: int) -> str:
    """Label of the ``index``-th (0-based) vector of a named family, 1-based.

    ``vector_label("b", 0) == "b1"``.
    """
    return f"{name}{index + 1}"


def _to_float_array(value: Any, name: str) -> np.ndarray:
    """Convert nested lists / arrays to a float64 array, with clear errors."""
    if isinstance(value, (str, bytes)):
        raise MathsError(f"{name} must be numbers, got the text {value!r}")
    if isinstance(value, np.ndarray) and np.iscomplexobj(value):
        raise MathsError(f"{name} must be real numbers, got complex values")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        text = str(exc)
        if "inhomogeneous" in text or "sequence" in text:
            raise MathsError(
                f"{name} is ragged: every row must have the same number of entries"
            ) from None
        raise MathsError(f"{name} must contain only numbers ({text})") from None
    return arr


def check_finite(arr: np.ndarray, name: str) -> np.ndarray:
    """Raise :class:`MathsError` if ``arr`` contains NaN or infinity.

    Parameters
    ----------
    arr : ndarray
        Any shape.
    name : str
        Name used in the message.

    Returns
    -------
    ndarray
        ``arr`` itself.
    """
    # Fast path: a sum is finite whenever every entry is (NaN/inf propagate);
    # an overflowing sum of finite values falls through to the exact check.
    if arr.size == 0 or math.isfinite(float(np.sum(arr))):
        return arr
    bad = ~np.isfinite(arr)
    if not bad.any():
        return arr
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    pos = where[0] if len(where) == 1 else where
    what = "NaN (not a number)" if np.isnan(arr[where]) else "infinity"
    raise MathsError(f"{name} contains {what} at position {pos}; all entries must be finite numbers")


def as_vector(value: Any, name: str = "vector", dim: int | None = None) -> np.ndarray:
    """Validate a single vector.

    Parameters
    ----------
    value : array_like, shape (n,)
        A flat list of numbers.
    name : str
        Name used in error messages.
    dim : int, optional
        Required length ``n``.

    Returns
    -------
    ndarray, shape (n,), float64
    """
    arr = _to_float_array(value, name)
    if arr.ndim != 1:
        raise MathsError(
            f"{name} must be a flat list of numbers like [1, 2], got an array of shape {arr.shape}"
        )
    if arr.size == 0:
        raise MathsError(f"{name} is empty")
    if dim is not None and arr.shape[0] != dim:
        raise MathsError(f"{name} must have {dim} entries, got {arr.shape[0]}")
    return check_finite(arr, name)


def as_matrix(
    value: Any,
    name: str = "matrix",
    shape: tuple[int | None, int | None] | None = None,
    allow_empty: bool = False,
) -> np.ndarray:
    """Validate a 2-D matrix.

    Parameters
    ----------
    value : array_like, shape (m, n)
        Nested list of rows.
    name : str
        Name used in error messages.
    shape : tuple of (int or None), optional
        Required ``(m, n)``; ``None`` entries are not checked.
    allow_empty : bool, default False
        Whether zero rows are allowed.

    Returns
    -------
    ndarray, shape (m, n), float64
    """
    arr = _to_float_array(value, name)
    if arr.ndim != 2:
        raise MathsError(
            f"{name} must be a table of numbers (a list of rows like [[1, 2], [3, 4]]), "
            f"got an array of shape {arr.shape}"
        )
    if not allow_empty and arr.size == 0:
        raise MathsError(f"{name} is empty")
    if shape is not None:
        for want, got, what in zip(shape, arr.shape, ("rows", "columns"), strict=True):
            if want is not None and want != got:
                raise MathsError(f"{name} must have {want} {what}, got {got} (shape {arr.shape})")
    return check_finite(arr, name)


def as_square_matrix(value: Any, name: str = "matrix") -> np.ndarray:
    """Validate a square matrix, shape (n, n)."""
    arr = as_matrix(value, name)
    if arr.shape[0] != arr.shape[1]:
        raise MathsError(f"{name} must be square, got {arr.shape[0]} rows and {arr.shape[1]} columns")
    return arr


def as_data_matrix(value: Any, name: str = "X", min_samples: int = 1) -> np.ndarray:
    """Validate a data matrix with one sample per row.

    Parameters
    ----------
    value : array_like, shape (N, D)
        Samples as rows.
    name : str
        Name used in error messages.
    min_samples : int
        Smallest allowed N.

    Returns
    -------
    ndarray, shape (N, D), float64
    """
    arr = _to_float_array(value, name)
    if arr.size == 0:
        raise MathsError(f"{name} is empty: it needs at least one sample (row) and one feature")
    arr = as_matrix(arr, name)
    if arr.shape[0] < min_samples:
        raise MathsError(f"{name} needs at least {min_samples} samples (rows), got {arr.shape[0]}")
    return arr


def as_vectors(value: Any, name: str = "vectors", label: str = "v") -> np.ndarray:
    """Validate a sequence of vectors written as rows.

    ``[[2, 1], [-2, 4]]`` means v1 = (2, 1) and v2 = (-2, 4).

    Parameters
    ----------
    value : sequence of array_like, shape (k, n)
        The vectors, one per row.
    name : str
        Name of the family, used in error messages.
    label : str
        Prefix of an individual vector in messages (``"b"`` gives b1, b2...).

    Returns
    -------
    ndarray, shape (k, n), float64
    """
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        if len(value) == 0:
            raise MathsError(f"{name} is empty")
        if all(not hasattr(item, "__len__") for item in value):
            raise MathsError(
                f"{name} must be a list of vectors like [[1, 0], [0, 1]], got a single flat list"
            )
        lengths = []
        for i, item in enumerate(value):
            if isinstance(item, (str, bytes)) or not hasattr(item, "__len__"):
                raise MathsError(
                    f"{name}: {vector_label(label, i)} must be a list of numbers, got {item!r}"
                )
            lengths.append(len(item))
        if lengths and len(set(lengths)) > 1:
            detail = ", ".join(f"{vector_label(label, i)} has {n}" for i, n in enumerate(lengths))
            raise MathsError(f"{name} must all have the same number of entries: {detail}")
    arr = _to_float_array(value, name)
    if arr.ndim == 1 and arr.size > 0:
        raise MathsError(
            f"{name} must be a list of vectors like [[1, 0], [0, 1]], got a single flat list"
        )
    if arr.ndim != 2:
        raise MathsError(f"{name} must be a list of vectors, got an array of shape {arr.shape}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise MathsError(f"{name} is empty")
    if not np.isfinite(arr).all():
        i, j = (int(t) for t in np.argwhere(~np.isfinite(arr))[0])
        what = "NaN (not a number)" if np.isnan(arr[i, j]) else "infinity"
        raise MathsError(f"{name}: {vector_label(label, i)} contains {what} at entry {j + 1}")
    return arr


def as_points(value: Any, dim: int, name: str = "points") -> np.ndarray:
    """Validate a batch of points whose last axis is the coordinate axis.

    Parameters
    ----------
    value : array_like, shape (..., dim)
        Points. NaN is allowed here (it simply propagates through the
        evaluation), because plotting code evaluates on grids.
    dim : int
        Number of coordinates.
    name : str
        Name used in error messages.

    Returns
    -------
    ndarray, shape (..., dim), float64
    """
    arr = _to_float_array(value, name)
    if arr.ndim == 0 or arr.shape[-1] != dim:
        raise MathsError(
            f"{name} must have {dim} coordinate(s) along the last axis, got shape {arr.shape}"
        )
    return arr


def as_positive_int(value: Any, name: str) -> int:
    """Validate an integer ``>= 1``."""
    n = as_nonnegative_int(value, name)
    if n < 1:
        raise MathsError(f"{name} must be at least 1, got {n}")
    return n


def as_nonnegative_int(value: Any, name: str) -> int:
    """Validate an integer ``>= 0`` (bools are refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        if isinstance(value, (float, np.floating)) and float(value).is_integer():
            value = int(value)
        else:
            raise MathsError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise MathsError(f"{name} must not be negative, got {value}")
    return int(value)


def as_positive_float(value: Any, name: str, allow_zero: bool = False) -> float:
    """Validate a finite real number ``> 0`` (or ``>= 0`` with ``allow_zero``)."""
    if isinstance(value, bool):
        raise MathsError(f"{name} must be a number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise MathsError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise MathsError(f"{name} must be a finite number, got {value!r}")
    if x < 0 or (x == 0 and not allow_zero):
        bound = "zero or positive" if allow_zero else "positive"
        raise MathsError(f"{name} must be {bound}, got {format_number(x)}")
    return x
