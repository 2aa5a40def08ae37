"""Formulas from strangers: refused with the column of the offending token, in the formula and in the lecture.

``tests/maths/test_expressions.py`` covers the whitelist itself; these tests
add what it lacks and follow a formula's column into the lecture's line.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from fuzz.lecture_fuzz import time_limit

from mmlanim.maths import ExpressionError, parse_function
from mmlanim.maths.expressions import MAX_TEXT_LENGTH

from .conftest import assert_clean_failure

FAST = 0.05


# -- parse_function: what the maths tests do not cover -------------------------------------------

@pytest.mark.parametrize(("text", "column", "fragment"), [
    ("＿＿import＿＿('os')", 1, "invalid character"),     # full-width underscores
    ("x + ＿＿class＿＿", 5, "invalid character"),
    ("x\u00a0+ y", 2, "bad character '\\xa0' at column 2"),   # an invisible space
    ("x\u200b+ y", 2, "bad character '\\u200b' at column 2"),  # a zero-width space
    ("x + \u202ey", 5, "bad character '\\u202e' at column 5"),  # a bidirectional override
    ("print(x)", 1, "unknown function 'print'"),
    ("globals()", 1, "unknown function 'globals'"),
    ("vars(x)", 1, "unknown function 'vars'"),
    ("breakpoint()", 1, "unknown function 'breakpoint'"),
    ("x if x else __import__", 1, "'if ... else'"),
    ("é + x", 1, "unknown name 'é'"),
    ("x" * MAX_TEXT_LENGTH, 1, "unknown name"),
    ("x" * (MAX_TEXT_LENGTH + 1), MAX_TEXT_LENGTH + 1, "too long"),
    ("'abc'(x)", 1, "only named functions can be called"),  # exp(x)(y) is a product: exp(x)*y
    ("x**(-y)**x**y**x**y", 1, "nested powers"),
])
def test_more_refusals_with_their_column(text, column, fragment):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    assert time.perf_counter() - start < FAST
    assert fragment in str(info.value)
    assert info.value.column == column, str(info.value)


@pytest.mark.parametrize("value", [None, 1, 1.5, b"x", ["x"], {"x": 1}])
def test_only_text_is_parsed(value):
    with pytest.raises(ExpressionError, match=f"the formula must be text, got {type(value).__name__}"):
        parse_function(value)


def test_unicode_lookalikes_mean_the_same_as_python_reads_them():
    # Python folds letters to their NFKC form: 'ｅｘｐ' is exp and '𝑥' is x, nothing else.
    assert parse_function("ｅｘｐ(𝑥) + ｙ").expr == parse_function("exp(x) + y").expr


def test_an_accepted_formula_is_differentiated_quickly():
    text = "*".join(f"sin(x*y+{i})" for i in range(40))[:MAX_TEXT_LENGTH].rstrip("*+0123456789(xy")
    start = time.perf_counter()
    with time_limit(5):
        try:
            parse_function(text).gradient(np.zeros((9, 9, 2)))
        except ExpressionError:
            pass  # refusing it as too complex is fine too
    assert time.perf_counter() - start < 5  # also when something on the way swallowed the time limit


# -- the column inside the lecture ----------------------------------------------------------------

def probe_lecture(folder, formula_yaml: str):
    path = folder / "lecture.yaml"
    path.write_text("title: T\nsegments:\n  - id: a\n    narration: Hi.\n    visual:\n"
                    f"      kind: security_probe\n      formula: {formula_yaml}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("written", "column"), [
    ("x + BAD", 20),              # plain: the node's column + 5 - 1
    ("'x + BAD'", 21),            # quoted: one more for the quote
    ('"x + BAD"', 21),
    ('"x\\t+ BAD"', 16),          # an escape: the written text differs, so the node itself
    ("'it''s BAD'", 16),          # a doubled quote: the node itself
    ("|\n        x + BAD", 16),   # a block scalar: the node
    ("x +\n        BAD", 16),     # a plain scalar over two lines: the node
])
def test_a_check_column_points_into_the_lecture_line(cli, tmp_path, probe_kind, written, column):
    path = probe_lecture(tmp_path, written)
    result = cli("validate", str(path))
    assert_clean_failure(result)
    lines = result.stderr.splitlines()
    assert lines[0] == f"{path}:7:{column}: the token BAD is not allowed"
    assert lines[2] == "    " + " " * (column - 1) + "^"
    if column > 16:
        assert lines[1][4:][column - 1:].lstrip("'\"").startswith("BAD")


def test_a_bad_formula_in_gradient_descent_is_located_at_its_token(cli, write_lecture):
    path = write_lecture("""
        title: T
        segments:
          - id: a
            narration: Hi.
            visual: {kind: gradient_descent, function: "x**2 + __import__('os')"}
        """)
    result = cli("validate", str(path))
    assert_clean_failure(result)
    first = result.stderr.splitlines()[0]
    # the formula starts at column 49 (after the quote); the token is its 8th character
    assert first.startswith(f"{path}:5:56: name '__import__' is not allowed (double underscores); allowed: x, y")
    assert "of the formula)" not in first


def test_an_attack_in_a_formula_runs_nothing(cli, write_lecture, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_lecture("""
        title: T
        segments:
          - id: a
            narration: Hi.
            visual:
              kind: gradient_descent
              function: __import__('os').system('touch marker')
          - id: b
            narration: Hi.
            visual:
              kind: gradient_descent
              function: "x + open('marker', 'w').write('x')"
        """)
    before = sorted(tmp_path.rglob("*"))
    for args in (["validate", str(path)],
                 ["render", str(path), "--dry-run", "--voice", "silent", "-q", "l", "-r", "64,36", "-j", "1",
                  "--quiet", "-o", "out"]):
        result = cli(*args)
        assert_clean_failure(result)
        assert "double underscores" in result.stderr and "unknown function 'open'" in result.stderr
    assert sorted(tmp_path.rglob("*")) == before
    assert not (tmp_path / "marker").exists()
