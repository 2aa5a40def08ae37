"""Package-level guarantees: no manim import, public API, shared validation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mmlanim.maths as maths
from mmlanim.maths import MathsError
from mmlanim.maths._validation import (
    as_matrix,
    as_nonnegative_int,
    as_positive_float,
    as_vector,
    as_vectors,
    format_number,
)

REPO = Path(__file__).resolve().parents[2]


def test_import_does_not_import_manim() -> None:
    code = (
        "import mmlanim.maths, sys; "
        "assert 'manim' not in sys.modules, 'manim imported'; "
        "assert 'sklearn' not in sys.modules, 'sklearn imported eagerly'; "
        "assert 'scipy' not in sys.modules, 'scipy imported'"
    )
    paths = [str(REPO), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_no_manim_or_eval_in_sources() -> None:
    for path in (REPO / "mmlanim" / "maths").glob("*.py"):
        text = path.read_text()
        assert "import manim" not in text and "from manim" not in text, path
        assert "eval(" not in text.replace("literal_eval(", ""), path
        assert "exec(" not in text, path


def test_public_api_is_exported_and_documented() -> None:
    assert len(maths.__all__) == len(set(maths.__all__))
    for name in maths.__all__:
        obj = getattr(maths, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"


def test_maths_error_is_value_error() -> None:
    assert issubclass(MathsError, ValueError)
    assert issubclass(maths.ExpressionError, MathsError)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: as_vector([1, np.nan], "v"), r"v contains NaN \(not a number\) at position 1"),
        (lambda: as_vector([[1, 2]], "v"), "flat list"),
        (lambda: as_vector("12", "v"), "text"),
        (lambda: as_vector([], "v"), "empty"),
        (lambda: as_vector([1, 2], "v", dim=3), "v must have 3 entries, got 2"),
        (lambda: as_matrix([[1, 2], [3]], "A"), "ragged"),
        (lambda: as_matrix([[1, "x"], [3, 4]], "A"), "only numbers"),
        (lambda: as_matrix([[1, 2], [3, np.inf]], "A"), r"infinity at position \(1, 1\)"),
        (lambda: as_matrix(np.array([[1j]]), "A"), "complex"),
        (lambda: as_vectors([[1, 2], "ab"], "basis", "b"), "b2 must be a list of numbers"),
        (lambda: as_nonnegative_int(True, "steps"), "whole number"),
        (lambda: as_nonnegative_int(-3, "steps"), "must not be negative"),
        (lambda: as_positive_float(float("nan"), "rate"), "finite"),
        (lambda: as_positive_float("fast", "rate"), "must be a number"),
    ],
)
def test_validation_messages(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_format_number() -> None:
    assert format_number(2.0) == "2"
    assert format_number(-0.5) == "-0.5"
    assert format_number(4 / 3) == "1.333"
