"""Lengths and angles of vectors: the modulus and the angle from the dot product (the cosine rule)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import MathsError, as_vector

__all__ = ["Angle", "angle_between", "modulus"]


@dataclass(frozen=True)
class Angle:
    """Result of :func:`angle_between`.

    Attributes
    ----------
    dot : float
        The dot product u·v.
    lengths : tuple of float
        The moduli |u| and |v|.
    cosine : float
        cos θ = u·v / (|u| |v|), in [-1, 1].
    radians, degrees : float
        The angle θ between u and v, in [0, π] (0° to 180°).
    """

    dot: float
    lengths: tuple[float, float]
    cosine: float
    radians: float
    degrees: float


def modulus(v: Any) -> float:
    """The length |v| = √(v·v) of a vector.

    Parameters
    ----------
    v : array_like, shape (n,)

    Returns
    -------
    float
        The Euclidean length, 0 or more.
    """
    x = as_vector(v, "v")
    return float(math.sqrt(float(x @ x)))


def angle_between(u: Any, v: Any) -> Angle:
    """The angle between two non-zero vectors, from u·v = |u| |v| cos θ (the cosine rule).

    Parameters
    ----------
    u, v : array_like, shape (n,)
        Non-zero vectors of the same length.

    Returns
    -------
    Angle
        ``dot``, ``lengths``, ``cosine``, ``radians`` and ``degrees``.
    """
    a = as_vector(u, "u")
    b = as_vector(v, "v", dim=a.shape[0])
    la, lb = modulus(a), modulus(b)
    if la == 0.0 or lb == 0.0:
        which = "u" if la == 0.0 else "v"
        raise MathsError(f"{which} is the zero vector: it makes no angle with another vector")
    dot = float(a @ b)
    cosine = float(np.clip(dot / (la * lb), -1.0, 1.0))
    radians = math.acos(cosine)
    return Angle(dot=dot, lengths=(la, lb), cosine=cosine, radians=radians, degrees=math.degrees(radians))
