"""parse_function: correctness of the symbolic/numeric results and safety."""

from __future__ import annotations

import builtins
import time

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmlanim.maths import ExpressionError, Function, MathsError, numeric_gradient, parse_function

FAST = 0.05  # seconds: refusals must be this quick


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    # the first sympy/latex call of a process pays one-off import costs
    parse_function("x**2 + exp(-x*y)").gradient([0.0, 0.0])


# ---------------------------------------------------------------------------
# accepted input
# ---------------------------------------------------------------------------


def test_builds_expected_sympy_expression() -> None:
    f = parse_function("x**2 + 3*y**2 - exp(-x*y)")
    x, y = sp.symbols("x y", real=True)
    assert sp.simplify(f.expr - (x**2 + 3 * y**2 - sp.exp(-x * y))) == 0
    assert f.variables == ("x", "y")
    assert f.latex == sp.latex(f.expr)
    assert f.text == "x**2 + 3*y**2 - exp(-x*y)"


def test_value_gradient_hessian_shapes_and_values() -> None:
    f = parse_function("x**2 + 3*y**2 - exp(-x*y)")
    pts = np.random.default_rng(0).normal(size=(4, 5, 2))
    x, y = pts[..., 0], pts[..., 1]
    np.testing.assert_allclose(f.value(pts), x**2 + 3 * y**2 - np.exp(-x * y))
    np.testing.assert_allclose(f(pts), f.value(pts))
    grad = f.gradient(pts)
    assert grad.shape == (4, 5, 2)
    np.testing.assert_allclose(grad[..., 0], 2 * x + y * np.exp(-x * y))
    np.testing.assert_allclose(grad[..., 1], 6 * y + x * np.exp(-x * y))
    hess = f.hessian(pts)
    assert hess.shape == (4, 5, 2, 2)
    np.testing.assert_allclose(hess[..., 0, 1], hess[..., 1, 0])
    np.testing.assert_allclose(hess[..., 0, 0], 2 - y**2 * np.exp(-x * y))


def test_constant_components_broadcast() -> None:
    f = parse_function("x**2 + y**2 + 3*x")
    pts = np.zeros((7, 3, 2))
    assert f.gradient(pts).shape == (7, 3, 2)
    np.testing.assert_allclose(f.hessian(pts), np.broadcast_to(2 * np.eye(2), (7, 3, 2, 2)))
    c = parse_function("5")
    np.testing.assert_allclose(c.value(np.ones((3, 2))), [5.0, 5.0, 5.0])
    np.testing.assert_allclose(c.gradient(np.ones((3, 2))), np.zeros((3, 2)))


def test_single_point_and_at_with_meshgrid() -> None:
    f = parse_function("x*y + sin(x)")
    assert np.ndim(f.value([1.0, 2.0])) == 0
    X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(0, 2, 3))
    np.testing.assert_allclose(f.at(X, Y), X * Y + np.sin(X))
    with pytest.raises(MathsError, match="needs 2 coordinate"):
        f.at(X)
    with pytest.raises(MathsError, match="last axis"):
        f.value(np.zeros((3, 3)))


def test_gradient_latex_and_one_variable() -> None:
    f = parse_function("x**3 + sqrt(x)", variables=("x",))
    assert f.gradient_latex == (sp.latex(3 * sp.Symbol("x", real=True) ** 2
                                         + 1 / (2 * sp.sqrt(sp.Symbol("x", real=True)))),)
    assert f.gradient(np.array([[4.0]])).shape == (1, 1)


def test_all_whitelisted_functions_and_constants() -> None:
    text = ("exp(x) + log(x) + sin(x) + cos(x) + tan(x) + tanh(x) + sinh(x) + cosh(x)"
            " + sqrt(x) + abs(-x) + pi + e")
    f = parse_function(text, variables=("x",))
    v = 0.7
    expected = (np.exp(v) + np.log(v) + np.sin(v) + np.cos(v) + np.tan(v) + np.tanh(v) + np.sinh(v)
                + np.cosh(v) + np.sqrt(v) + abs(-v) + np.pi + np.e)
    assert f.value([v]) == pytest.approx(expected)


def test_invalid_domain_gives_nan_not_exception() -> None:
    f = parse_function("log(x) + sqrt(y)")
    out = f.value([[-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    assert np.isnan(out[0]) and np.isnan(out[1]) and out[2] == 1.0


@settings(max_examples=50, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(-2, 2), min_size=2, max_size=2))
def test_symbolic_gradient_matches_finite_differences(point: list[float]) -> None:
    f = parse_function("x**2*y + 3*sin(x*y) - exp(-x**2 - y**2) + cosh(y/3)")
    np.testing.assert_allclose(f.gradient(point), numeric_gradient(f, point), rtol=1e-6, atol=1e-6)


def test_variables_validation() -> None:
    with pytest.raises(MathsError, match="clashes"):
        parse_function("e", variables=("e",))
    with pytest.raises(MathsError, match="not allowed"):
        parse_function("x", variables=("__class__",))
    with pytest.raises(MathsError, match="different"):
        parse_function("x", variables=("x", "x"))
    with pytest.raises(MathsError, match="at least one"):
        parse_function("1", variables=())
    assert parse_function("w1 + w2", variables=("w1", "w2")).n_variables == 2


# ---------------------------------------------------------------------------
# refused input: message, column, speed
# ---------------------------------------------------------------------------

REFUSED = [
    # text, expected column, message fragment
    ("__import__('os').system('touch marker')", 1, "double underscores"),
    ("x.real", 2, "attribute access"),
    ("x + y.__class__", 6, "attribute access"),
    ("().__class__", 1, "tuples"),
    ("x + foo", 5, "unknown name 'foo' at column 5; allowed: x, y, exp, log"),
    ("foo(x)", 1, "unknown function 'foo'"),
    ("x + __builtins__", 5, "double underscores"),
    ("open('marker', 'w')", 1, "unknown function 'open'"),
    ("eval('1')", 1, "unknown function 'eval'"),
    ("exp(x=1)", 5, "keyword arguments"),
    ("exp(x, y)", 1, "exactly one argument"),
    ("exp(*x)", 5, "starred"),
    ("lambda: 1", 1, "lambda"),
    ("[i for i in (1, 2)]", 1, "comprehensions"),
    ("x + (i for i in y)", 5, "generator"),
    ("'abc'", 1, "text strings"),
    ("x + b'ab'", 5, "text strings"),
    ("x[0]", 1, "indexing"),
    ("x < y", 1, "comparisons"),
    ("x and y", 1, "'and'/'or'"),
    ("not x", 1, "'not'"),
    ("x if y else 1", 1, "'if ... else'"),
    ("x // 2", 3, "operator '//'"),
    ("x % 2", 3, "operator '%'"),
    ("x @ y", 3, "operator '@'"),
    ("1j * x", 1, "complex"),
    ("True + x", 1, "'True'"),
    ("exp", 1, "is a function"),
    ("x(2)", 1, "is not a function"),
    ("(x := 2)", 2, "':='"),
    ("f'{x}'", 1, "f-strings"),
    ("9**9**9", 4, "exponent is too large"),
    ("x**1000", 4, "exponent is too large"),
    ("2**-200 + x", 4, "exponent is too large"),
    ("(2**100)**100", 1, "constant is too large"),
    ("x**exp(exp(exp(100)))", 8, "constant is too large"),
    ("10**100 * 10**100", 1, "constant is too large"),
    ("1e400 + x", 1, "too large"),
    ("x/0", 3, "division by zero"),
    ("1/(x - x)", 1, "undefined"),
    ("sqrt(-1) * x", 1, "not a real number"),
    ("x**x**x**x**x**x", 1, "nested powers"),
    ("x +", 4, "not valid"),
    ("  x + foo", 7, "unknown name 'foo'"),
    ("", 1, "empty"),
    ("x\n+1", 2, "single line"),
]


@pytest.mark.parametrize(("text", "column", "fragment"), REFUSED)
def test_refuses_quickly_with_column(text: str, column: int, fragment: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ExpressionError, match=fragment.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[").replace("*", r"\*").replace("+", r"\+")
                       .replace(".", r"\.").replace("?", r"\?")) as info:
        parse_function(text)
    elapsed = time.perf_counter() - start
    assert info.value.column == column, str(info.value)
    assert isinstance(info.value, MathsError) and isinstance(info.value, ValueError)
    assert elapsed < FAST, f"refusal took {elapsed * 1000:.1f} ms"


def test_refuses_long_text_and_deep_nesting_quickly() -> None:
    for text, fragment in [
        ("x+" * 250 + "x", "too long"),
        ("-" * 60 + "x", "too deeply nested"),
        ("(" * 300 + "x" + ")" * 300, "too long"),
        ("(" * 240 + "x" + ")" * 240, "not valid|too deeply nested"),
        ("exp(" * 60 + "x" + ")" * 60, "too deeply nested"),
    ]:
        start = time.perf_counter()
        with pytest.raises(ExpressionError, match=fragment):
            parse_function(text)
        assert time.perf_counter() - start < FAST


def test_dangerous_text_never_runs(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    attacks = [
        "__import__('os').system('touch marker')",
        "exec(\"open('marker', 'w')\")",
        "open('marker', 'w').write('x')",
        "().__class__.__bases__[0].__subclasses__()",
        "getattr(x, 'y')",
        "sympify('x')",
    ]
    for text in attacks:
        with pytest.raises(ExpressionError):
            parse_function(text)
    assert not (tmp_path / "marker").exists()
    assert list(tmp_path.iterdir()) == []


def test_parsing_never_calls_eval_or_exec(monkeypatch) -> None:
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must not be called while parsing")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    f = parse_function("x**2 + 3*y**2 - exp(-x*y) + sqrt(abs(x)) / (1 + pi)")
    assert isinstance(f, Function)
    with pytest.raises(ExpressionError):
        parse_function("__import__('os')")


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="xy0123456789+-*/().e_ ,[]'abcdfgijklmnopqrstuvwz=<>!@%^&|~:;", max_size=40))
def test_fuzz_only_expression_errors(text: str) -> None:
    start = time.perf_counter()
    try:
        f = parse_function(text)
    except ExpressionError as err:
        assert err.column is None or 1 <= err.column <= max(len(text), 500) + 1
    else:
        with np.errstate(all="ignore"):
            v = f.value(np.array([[0.5, -1.5], [2.0, 3.0]]))
        assert v.shape == (2,)
    assert time.perf_counter() - start < 0.5


# ---------------------------------------------------------------------------
# formulas as people write them
# ---------------------------------------------------------------------------

WRITTEN = [
    # as written, the same formula in Python syntax (parsed independently by sympy)
    ("x^2 + 3y^2", "x**2 + 3*y**2"),
    ("2x y", "2*x*y"),
    ("2(x + 1)", "2*(x + 1)"),
    ("(x + 1)(x - 1)", "(x + 1)*(x - 1)"),
    ("2sin(x) + 3 cos(y)", "2*sin(x) + 3*cos(y)"),
    ("x^2y", "x**2*y"),
    ("-x^2", "-(x**2)"),
    ("2^3^x", "2**(3**x)"),
    ("x² + y³", "x**2 + y**3"),
    ("x·y − 2×x", "x*y - 2*x"),
    ("2e", "2*E"),
    ("2e-3x", "0.002*x"),
    ("(x - 1)^2 + 5(y - x^2)^2", "(x - 1)**2 + 5*(y - x**2)**2"),
    ("exp(-x y) + pi x", "exp(-x*y) + pi*x"),
    ("x(y)", None),  # a variable is not a function: refused (below)
]


@pytest.mark.parametrize(("written", "python"), [w for w in WRITTEN if w[1] is not None])
def test_common_notation_means_what_it_says(written: str, python: str) -> None:
    x, y = sp.symbols("x y", real=True)
    expected = sp.sympify(python, locals={"x": x, "y": y, "E": sp.E, "pi": sp.pi})
    got = parse_function(written).expr
    assert sp.simplify(got - expected) == 0, (written, got, expected)


REWRITES = [
    # text, column, the advice the message must contain
    ("xy + 1", 1, "write x*y for a product"),
    ("x(y + 1)", 1, "write x*(...) to multiply"),
    ("sin x", 1, "write sin(x)"),
    ("x^2 + 3*y^2 + foo", 15, "unknown name 'foo' at column 15"),
    ("x^2 + 3y^2 )", 12, "a ')' has no '(' before it at column 12"),
    ("3y^2 + (x", 8, "a '(' is never closed at column 8"),
    ("x ^ 2 +* y", 8, "write it like x^2 + 3y^2"),
    ("x % y", 3, "use + - * / and ^ (or **) for powers"),
]


@pytest.mark.parametrize(("text", "column", "fragment"), REWRITES)
def test_refusals_point_at_the_column_and_say_what_is_allowed(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_function(text)
    assert info.value.column == column, str(info.value)
    assert fragment in str(info.value)
    assert text[column - 1] != " ", "the caret must not point at a space"
