"""The linear_map kind: the shaded area, the images of vectors and the eigen-directions, read back from
the mobjects, against numpy.linalg."""

from __future__ import annotations

import re
import textwrap
from fractions import Fraction

import numpy as np
import pytest

from mmlanim import theme
from mmlanim.errors import LectureError
from mmlanim.lecture import load_lecture

from .conftest import build


def coords(plane, point):
    return np.asarray(plane.p2c(point))[:2]


def signed_area(plane, polygon) -> float:
    """Shoelace area of a polygon's vertices, in the plane's coordinates."""
    pts = np.array([coords(plane, p) for p in polygon.get_vertices()])
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def tex(mob) -> str:
    if hasattr(mob, "tex_string"):
        return mob.tex_string
    return " ".join(tex(m) for m in mob.submobjects)


def cross(a, b) -> float:
    return float(a[0] * b[1] - a[1] * b[0])


def numbers(text: str) -> list[float]:
    out = []
    for m in re.finditer(r"(-?)\\tfrac\{(\d+)\}\{(\d+)\}|(-?\d+(?:\.\d+)?)", text):
        if m.group(4) is not None:
            out.append(float(m.group(4)))
        else:
            out.append(float(Fraction(int(m.group(2)), int(m.group(3)))) * (-1 if m.group(1) else 1))
    return out


@pytest.mark.parametrize("A", [[[2, 1], [1, 2]], [[0, 1], [1, 0]], [[1, 2], [2, 4]], [[3, -1], [0.5, 2]],
                               [[-1, 0], [0, 1]]])
def test_the_squares_image_has_signed_area_det(A):
    v, _, steps = build("linear_map", {"matrix": A})
    image = v.after["A"]["square"]
    det = float(np.linalg.det(np.array(A, float)))
    assert signed_area(v.plane, image) == pytest.approx(det, abs=1e-6)
    assert signed_area(v.plane, v.square) == pytest.approx(1.0)
    flipped = image.get_fill_color().to_hex().upper() == theme.PALETTE[4].upper()
    assert flipped == (det < -1e-12)
    # the basis vectors land on A's columns
    for k, e in enumerate(v.after["A"]["e"]):
        assert np.allclose(coords(v.plane, e.get_end()), np.array(A, float)[:, k], atol=1e-6)
    assert steps["apply"] and steps["show_area"]


def test_area_readouts_say_flip_and_collapse():
    v, _, _ = build("linear_map", {"matrix": [[0, 1], [1, 0]]}, draw_text=True)
    assert tex(v.panel_lines["det"]).endswith("= -1") and "orientation flipped" in tex(v.panel_lines["area"])
    v, _, steps = build("linear_map", {"matrix": [[1, 2], [2, 4]]}, draw_text=True)
    assert tex(v.panel_lines["det"]).endswith("= 0") and "collapses onto a line" in tex(v.panel_lines["area"])
    # the line the plane collapses onto is the columns' line
    a, b = (coords(v.plane, p) for p in (v.collapse_line.get_start(), v.collapse_line.get_end()))
    assert abs(cross(b - a, [1, 2])) < 1e-6


def test_vectors_land_on_a_times_v():
    A, vs = np.array([[3, -1], [0.5, 2]]), np.array([[1, 2], [-2, 1]])
    v, _, _ = build("linear_map", {"matrix": A.tolist(), "vectors": vs.tolist(), "spans": True}, draw_text=True)
    for i, arr in enumerate(v.after["A"]["v"]):
        assert np.allclose(coords(v.plane, arr.get_end()), A @ vs[i], atol=1e-6)
        assert np.allclose(coords(v.plane, v.v_arrows[i].get_end()), vs[i], atol=1e-6)
        assert numbers(tex(v.panel_lines[f"v{i}"]))[-2:] == pytest.approx(list(A @ vs[i]))
        # the image's span line runs through A v
        pts = np.vstack([m.points for m in v.after["A"]["spans"][i].family_members_with_points()])
        a, b = coords(v.plane, pts[0]), coords(v.plane, pts[-1])
        assert abs(cross(b - a, A @ vs[i])) < 1e-6


@pytest.mark.parametrize("A", [[[2, 1], [1, 2]], [[3, 1], [0, 2]], [[1, 2], [2, 4]]])
def test_eigen_directions_match_numpy(A):
    M = np.array(A, float)
    v, _, steps = build("linear_map", {"matrix": A}, draw_text=True)
    values, vectors = np.linalg.eig(M)
    drawn = []
    for line, arr, target, lab in zip(v.eigen_lines, v.eigen_arrows, v.eigen_targets, v.eigen_labels):
        a, b = coords(v.plane, line.get_start()), coords(v.plane, line.get_end())
        d = (b - a) / np.linalg.norm(b - a)
        k = int(np.argmax([abs(np.dot(d, vectors[:, j] / np.linalg.norm(vectors[:, j]))) for j in range(2)]))
        assert abs(abs(np.dot(d, vectors[:, k] / np.linalg.norm(vectors[:, k]))) - 1) < 1e-6
        x = coords(v.plane, arr.get_end())
        assert abs(cross(x, d)) < 1e-6  # the eigenvector lies on its line ...
        from manim import Dot

        end = coords(v.plane, target.get_center() if isinstance(target, Dot) else target.get_end())
        assert np.allclose(end, values[k] * x, atol=1e-6)  # ... and A x = λ x stays on it
        assert numbers(tex(lab))[-1] == pytest.approx(values[k])
        drawn.append(values[k])
    assert sorted(drawn) == pytest.approx(sorted(values))
    assert steps["show_eigen"]


def test_complex_eigenvalues_draw_no_direction_and_say_so():
    v, _, _ = build("linear_map", {"matrix": [[0, -1], [1, 0]]}, draw_text=True)
    assert v.eigen_lines == [] and "no real eigen-directions" in tex(v.panel_lines["eigen"])
    assert numbers(tex(v.panel_lines["eigen"]))[:2] == pytest.approx([0, 1])


def test_composition_and_inverse_match_numpy():
    A, B = np.array([[2, 1], [1, 2]], float), np.array([[0, -1], [1, 0]], float)
    v, _, steps = build("linear_map", {"matrix": A.tolist(), "then": B.tolist(), "show_inverse": True},
                        draw_text=True)
    for key, M in (("BA", B @ A), ("AB", A @ B)):
        corners = [coords(v.plane, p) for p in v.after[key]["square"].get_vertices()]
        assert np.allclose(corners, np.array([[0, 0], [1, 0], [1, 1], [0, 1]]) @ M.T, atol=1e-6)
    assert r"\neq" in tex(v.panel_lines["commute"])
    assert numbers(tex(v.panel_lines["then"]))[-4:] == pytest.approx(list((B @ A).ravel()))
    assert numbers(tex(v.panel_lines["inverse"]))[-4:] == pytest.approx(list(np.linalg.inv(A @ B).ravel()))
    assert steps["compose"] and steps["commute"] and steps["invert"]


def test_a_singular_map_says_it_has_no_inverse_and_does_not_move():
    v, _, steps = build("linear_map", {"matrix": [[1, 2], [2, 4]], "show_inverse": True}, draw_text=True)
    assert "no inverse" in tex(v.panel_lines["inverse"])
    assert len(steps["invert"]) == 1 and "inverse" not in v.shown


def _problems(tmp_path, visual: str) -> list[str]:
    text = "title: T\nsegments:\n  - id: s\n    narration: Hello.\n    visual:\n" + textwrap.indent(
        textwrap.dedent(visual).strip("\n"), " " * 6) + "\n"
    path = tmp_path / "lecture.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LectureError) as info:
        load_lecture(path)
    return [str(p) for p in info.value.problems]


def test_problems_are_located(tmp_path):
    [message] = _problems(tmp_path, """
        kind: linear_map
        matrix: [[1, 0], [0, 1]]
        vectors: [[1, 2]]
        vector_names: ['\\mathbf{a}', '\\mathbf{b}']
        """)
    assert "lecture.yaml:9:" in message and "name the 1 vectors" in message


def _grid_morph(steps):
    """The apply beat's animation of the moving grid (an UpdateFromAlphaFunc on it)."""
    import manim as mn

    found = [a for step in steps["apply"] for a in step if isinstance(a, mn.UpdateFromAlphaFunc)]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("A", [[[1, 1.5], [0, 1]], [[3, 1], [1, 2]], [[1, 2], [2, 1]], [[1, 2], [2, 4]]])
def test_the_moving_grid_is_the_grids_image_cut_to_the_planes_box(A):
    """At the end of the morph (and halfway) every line drawn lies inside the plane's box (not across
    its tick numbers), and is the image of a grid line; the x axis's image runs edge to edge of the box
    exactly where the line t·Ae1 crosses it (solved here edge by edge)."""
    A = np.array(A, float)
    v, _, steps = build("linear_map", {"matrix": A.tolist()})
    (x0, x1, step), (y0, y1, _) = v.plane.x_range, v.plane.y_range
    morph = _grid_morph(steps)
    morph.begin()
    for alpha, M in ((0.5, (np.eye(2) + A) / 2), (1.0, A)):
        morph.interpolate(alpha)  # the rate function maps 0.5 and 1 to themselves
        drawn = [line for line in v.moving_grid.submobjects if len(line.points)]
        assert len(drawn) > 4
        ends = np.array([[coords(v.plane, line.points[0]), coords(v.plane, line.points[-1])] for line in drawn])
        assert (ends[..., 0] >= x0 - 1e-9).all() and (ends[..., 0] <= x1 + 1e-9).all()
        assert (ends[..., 1] >= y0 - 1e-9).all() and (ends[..., 1] <= y1 + 1e-9).all()
        if abs(np.linalg.det(M)) > 1e-9:  # each line is the image of a grid line x = k step or y = k step
            pre = ends @ np.linalg.inv(M).T
            on_x = np.isclose(pre[:, 0, 0], pre[:, 1, 0], atol=1e-7) & np.isclose(
                pre[:, 0, 0] / step, np.round(pre[:, 0, 0] / step), atol=1e-7)
            on_y = np.isclose(pre[:, 0, 1], pre[:, 1, 1], atol=1e-7) & np.isclose(
                pre[:, 0, 1] / step, np.round(pre[:, 0, 1] / step), atol=1e-7)
            assert (on_x | on_y).all()
        # the x axis's image, t * M e1, crosses the box where it meets the box's edges
        d = M[:, 0]
        def in_box(p):
            return x0 - 1e-9 <= p[0] <= x1 + 1e-9 and y0 - 1e-9 <= p[1] <= y1 + 1e-9

        ts = sorted(t for k, bound in ((0, x0), (0, x1), (1, y0), (1, y1)) if abs(d[k]) > 1e-12
                    for t in [bound / d[k]] if in_box(t * d))
        expected = np.array([ts[0] * d, ts[-1] * d])
        assert any(np.allclose(e, expected, atol=1e-6) or np.allclose(e[::-1], expected, atol=1e-6) for e in ends)
