"""The equations kind: the numbers drawn, read back from the formulas, against numpy, sympy and fractions;
located errors for bad LaTeX and matrices."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest
import sympy

from mmlanim.visuals.equations import split_terms, tex_problems

from .conftest import build, lecture, problems


def number(tex: str) -> Fraction:
    """A number as drawn (``-\\tfrac{7}{10}``, ``2``, ``0.5``), read back exactly."""
    tex = tex.strip()
    m = re.fullmatch(r"(-?)\\tfrac\{(\d+)\}\{(\d+)\}", tex)
    if m:
        return Fraction(int(m.group(2)), int(m.group(3))) * (-1 if m.group(1) else 1)
    return Fraction(tex)


def drawn_matrix(mob, entries) -> list[list[Fraction]]:
    return [[number(mob.submobjects[k].tex_string) for k in row] for row in entries]


def bmatrix_numbers(tex: str) -> np.ndarray:
    body = re.search(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", tex).group(1)
    return np.array([[float(number(x)) for x in row.split("&")] for row in body.split(r"\\")])


def line_tex(mob) -> str:
    return " ".join(m.tex_string for m in mob.submobjects)


def test_elimination_draws_each_row_operation_and_the_solution_of_numpy():
    A, b = [[1, 1, 3], [1, 2, 4], [1, 1, 2]], [15, 21, 13]
    v, _, steps = build("equations", {"worked": {"elimination": A, "rhs": b, "unknowns": ["a", "b", "c"]}},
                        draw_text=True)
    M = np.hstack([np.array(A, float), np.array(b, float)[:, None]]).astype(object)
    M = np.vectorize(Fraction)(M)
    ops = [(i, item) for i, item in enumerate(v.planned) if item.role == "operation"]
    assert ops
    for i, item in ops:  # each drawn matrix is the one before with the noted row operation applied
        note = v.planned[i].note
        m = re.fullmatch(r"R_(\d) \\to R_\1 ([+-]) (?:(\S+)\\,)?R_(\d)", note)
        s = re.fullmatch(r"R_(\d) \\to (-?)(\S+?)?(?:\\,)?R_\1", note)
        if m:
            t, src = int(m.group(1)) - 1, int(m.group(4)) - 1
            f = number(m.group(3) or "1") * (-1 if m.group(2) == "-" else 1)
            M[t] = M[t] + f * M[src]
        elif s:
            t = int(s.group(1)) - 1
            M[t] = M[t] * number(s.group(3) or "1") * (-1 if s.group(2) else 1)
        else:
            r1, r2 = (int(x) - 1 for x in re.findall(r"R_(\d)", note))
            M[[r1, r2]] = M[[r2, r1]]
        assert drawn_matrix(v.lines[i], item.entries) == M.tolist(), note
    rref = sympy.Matrix(np.hstack([np.array(A), np.array(b)[:, None]]).tolist()).rref()[0]
    assert M.tolist() == [[Fraction(int(x.p), int(x.q)) for x in row] for row in rref.tolist()]
    [solution] = [mob for item, mob in zip(v.planned, v.lines) if item.role == "solution"]
    drawn = [number(x) for x in re.findall(r"= (\S+)", line_tex(solution))]
    assert np.allclose([float(x) for x in drawn], np.linalg.solve(np.array(A, float), b))
    assert "a = " in line_tex(solution) and "c = " in line_tex(solution)
    assert v.box is not None and v.box.get_center() == pytest.approx(solution.get_center(), abs=1e-6)
    assert all(steps[f"step_{k}"] for k in range(1, 7)) and steps["box_result"]


def test_a_zero_pivot_is_swapped_and_noted():
    v, _, _ = build("equations", {"worked": {"elimination": [[0, 2], [3, 1]], "rhs": [4, 5]}}, draw_text=True)
    assert v.planned[2].note == r"R_1 \leftrightarrow R_2"
    [solution] = [mob for item, mob in zip(v.planned, v.lines) if item.role == "solution"]
    drawn = [float(number(x)) for x in re.findall(r"= (\S+)", line_tex(solution))]
    assert np.allclose(drawn, np.linalg.solve([[0, 2], [3, 1]], [4, 5]))


def test_a_singular_system_says_so():
    v, _, _ = build("equations", {"worked": {"elimination": [[1, 2], [2, 4]], "rhs": [3, 7]}})
    assert v.planned[-1].role == "no solution"
    v, _, _ = build("equations", {"worked": {"elimination": [[1, 2], [2, 4]], "rhs": [3, 6]}})
    assert v.planned[-1].role == "many solutions"


def test_inverse_is_drawn_as_exact_fractions():
    A = [[4, 7], [2, 6]]
    v, _, _ = build("equations", {"worked": {"inverse": A}}, draw_text=True)
    [result] = [mob for item, mob in zip(v.planned, v.lines) if item.role == "inverse"]
    tex = line_tex(result)
    assert r"\tfrac{3}{5}" in tex and r"-\tfrac{7}{10}" in tex
    expected = sympy.Matrix(A).inv()
    assert np.allclose(bmatrix_numbers(tex), np.array(expected.tolist(), dtype=float))
    last = [i for i, item in enumerate(v.planned) if item.role == "operation"][-1]
    reduced = drawn_matrix(v.lines[last], v.planned[last].entries)
    assert reduced == [[1, 0, Fraction(3, 5), Fraction(-7, 10)], [0, 1, Fraction(-1, 5), Fraction(2, 5)]]


@pytest.mark.parametrize("A", [[[2, 1], [1, 2]], [[1, 2], [4, 3]], [[2, 0, 0], [0, 3, 4], [0, 4, 9]]])
def test_characteristic_polynomial_and_eigenvalues_match_numpy(A):
    v, _, _ = build("equations", {"worked": {"characteristic": A}}, draw_text=True)
    lines = {item.role: mob for item, mob in zip(v.planned, v.lines)}
    lam = sympy.Symbol("lambda")
    poly = sympy.Poly((sympy.Matrix(A) - lam * sympy.eye(len(A))).det(), lam)
    drawn_poly = line_tex(lines["polynomial"]).replace(" = 0", "").replace(r"\lambda", "L")
    assert sympy.simplify(sympy.sympify(drawn_poly.replace("^", "**").replace("L", "*lam")
                                        .replace("-*", "-").replace("+ *", "+ ").lstrip("*"),
                                        locals={"lam": lam}) - poly.as_expr()) == 0
    drawn = sorted(float(number(x)) for x in re.findall(r"= (-?[\d.]+)", line_tex(lines["eigenvalues"])))
    assert np.allclose(drawn, sorted(np.linalg.eigvals(np.array(A, float)).real))


def test_complex_eigenvalues_are_said_to_have_no_real_direction():
    v, _, _ = build("equations", {"worked": {"characteristic": [[0, -1], [1, 0]]}}, draw_text=True)
    tex = line_tex(v.lines[-1])
    assert r"\pm i" in tex and "no real eigenvalues" in tex


def test_product_entries_match_numpy():
    A, B = [[1, 2], [3, 4]], [[5, 6], [7, 8]]
    v, _, _ = build("equations", {"worked": {"product": [A, B]}}, draw_text=True)
    lines = {item.role: mob for item, mob in zip(v.planned, v.lines)}
    assert np.allclose(bmatrix_numbers(line_tex(lines["product"])), np.array(A) @ np.array(B))
    assert r"1 \cdot 5 + 2 \cdot 7" in line_tex(lines["sums"])


def test_coloured_terms_are_isolated_and_coloured():
    v, _, steps = build("equations", {"lines": [r"{{A}}\mathbf{x} = \mathbf{b}",
                                                {"tex": r"\mathbf{x} = {{A^{-1}}}\mathbf{b}", "reveal": "transform"}],
                                      "colors": {r"\mathbf{x}": "orange", "A": "blue"}}, draw_text=True)
    from mmlanim import theme

    first = v.lines[0]
    coloured = {m.tex_string: m.get_color().to_hex().upper() for m in first.submobjects}
    assert coloured["A"] == theme.COLOR_NAMES["blue"].upper()
    assert coloured[r"\mathbf{x}"] == theme.COLOR_NAMES["orange"].upper()
    assert type(steps["step_2"][0][0]).__name__ == "TransformMatchingTex"


def test_split_terms_respects_commands_and_braces():
    assert split_terms(r"\max x + {{\frac{a}{b}}} = x", ["x"]) == [r"\max ", "x", " + ", r"\frac{a}{b}", " = ", "x"]
    assert split_terms(r"\mathbf{x}_{x}", ["x"]) == [r"\mathbf{x}_{x}"]


@pytest.mark.parametrize("tex, column, words", [
    (r"\frac{a}{b", 9, "never closed"),
    (r"a}", 2, "closes nothing"),
    (r"\begin{bmatrix} 1 \end{pmatrix}", 19, "does not close"),
    (r"$x$", 1, "no $"),
    (r"\fracc{1}{2}", 1, "did you mean \\frac"),
    (r"\left( x", 1, "without a \\right"),
])
def test_tex_problems_locate_the_mistake(tex, column, words):
    [(col, message)] = list(tex_problems(tex))
    assert col == column and words in message




def test_bad_latex_is_located_at_its_column(tmp_path):
    path = lecture(tmp_path, r"""
        kind: equations
        lines: ['x = \frac{1}{2']
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:28:" in message and "never closed" in message


def test_bad_matrices_are_located(tmp_path):
    path = lecture(tmp_path, """
        kind: equations
        worked: {inverse: [[1, 2], [2, 4]]}
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:" in message and "singular" in message
    path = lecture(tmp_path, """
        kind: equations
        worked:
          elimination: [[1, 2], [3, 4]]
          rhs: [1, 2, 3]
        """)
    [message] = problems(path)
    assert "lecture.yaml:9:" in message and "2 numbers" in message
    path = lecture(tmp_path, """
        kind: equations
        worked: {product: [[[1, 2]], [[1, 2]]]}
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:" in message and "columns" in message


def test_a_long_line_writes_in_at_most_one_and_a_half_seconds():
    long = r"J = \frac{1}{N}\sum_{n=1}^{N} \|\mathbf{x}_n - \tilde{\mathbf{x}}_n\|^2 + \lambda \|\mathbf{w}\|^2"
    v, _, steps = build("equations", {"lines": ["y = 1", long]}, draw_text=True)
    writes = [a for beat in steps.values() for step in beat for a in step if type(a).__name__ == "Write"]
    times = {len(w.mobject.family_members_with_points()) >= 15: w.run_time for w in writes}
    assert times == {False: 1.0, True: 1.5}  # manim's 1 s for a short line; its 2 s capped for a long one
