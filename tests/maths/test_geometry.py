"""Lengths and angles against closed forms (math.hypot, atan2)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmlanim.maths import MathsError, angle_between, modulus


def test_modulus_is_pythagoras() -> None:
    assert modulus([3, 4]) == 5.0
    assert modulus([3, 1]) == pytest.approx(math.sqrt(10))
    assert modulus([1, 2, 2]) == pytest.approx(3.0)
    assert modulus([0, 0]) == 0.0


def test_the_course_pair_makes_45_degrees() -> None:
    a = angle_between([3, 1], [1, 2])
    assert a.dot == 5.0
    assert a.lengths == pytest.approx((math.sqrt(10), math.sqrt(5)))
    assert a.cosine == pytest.approx(1 / math.sqrt(2))
    assert a.degrees == pytest.approx(45.0)


def test_orthogonal_and_opposite() -> None:
    assert angle_between([2, 1], [-1, 2]).degrees == pytest.approx(90.0)
    assert angle_between([1, 1], [-2, -2]).degrees == pytest.approx(180.0)
    assert angle_between([1, 1], [3, 3]).degrees == pytest.approx(0.0, abs=1e-6)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.floats(0, 2 * math.pi), st.floats(0, 2 * math.pi), st.floats(0.1, 10), st.floats(0.1, 10))
def test_angle_matches_atan2(t1: float, t2: float, r1: float, r2: float) -> None:
    u = [r1 * math.cos(t1), r1 * math.sin(t1)]
    v = [r2 * math.cos(t2), r2 * math.sin(t2)]
    expected = abs(math.remainder(t2 - t1, 2 * math.pi))
    assert angle_between(u, v).radians == pytest.approx(expected, abs=1e-6)
    assert angle_between(u, v).lengths == pytest.approx((r1, r2))


def test_zero_vector_has_no_angle() -> None:
    with pytest.raises(MathsError, match="zero vector"):
        angle_between([0, 0], [1, 2])
    with pytest.raises(ValueError):
        angle_between([1, 2], [1, 2, 3])
    assert np.isfinite(angle_between([1e-8, 0], [0, 1e8]).degrees)
