"""Parameter types the visual kinds share: points, ranges and small matrices as YAML lists.

Pydantic only (no manim): the kinds' ``Params`` models, and so the lecture schema, are built
from these without importing manim.
"""

from __future__ import annotations

__all__ = ["Matrix2", "Range", "Vector2", "Vector3"]

from typing import Annotated

from pydantic import Field

#: A point or vector of the plane, ``[x, y]``.
Vector2 = Annotated[list[float], Field(min_length=2, max_length=2)]
#: A point or vector of space, ``[x, y, z]``.
Vector3 = Annotated[list[float], Field(min_length=3, max_length=3)]
#: An interval ``[low, high]`` (kinds check its order with ``check_ordered_domain``).
Range = Annotated[list[float], Field(min_length=2, max_length=2)]
#: A 2×2 matrix as its rows, ``[[a, b], [c, d]]``.
Matrix2 = Annotated[list[Vector2], Field(min_length=2, max_length=2)]
