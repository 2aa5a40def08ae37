"""The pagerank kind: the web, the link matrix and the ranks drawn, read back from the mobjects and
compared with numpy (the dominant eigenvector of the damped link matrix, power iteration by hand)."""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest

from mmlanim.lecture import load_lecture

from .conftest import build, lecture, problems

COURSE = {
    "pages": ["A", "B", "C", "D"],
    "links": [["A", "B"], ["A", "C"], ["A", "D"], ["B", "A"], ["B", "D"], ["C", "D"], ["D", "B"], ["D", "C"]],
    "steps": 5,
}
SIX = {
    "links": [["A", "B"], ["A", "C"], ["B", "C"], ["C", "A"], ["D", "C"], ["D", "E"], ["E", "F"], ["F", "D"],
              ["F", "A"]],
    "damping": 0.85,
    "steps": 4,
    "decimals": 3,
}


def link_matrix(names: list[str], links: list[list[str]]) -> np.ndarray:
    """Column j: page j's links, each 1 / (its number of links); written out independently of mmlanim."""
    n = len(names)
    M = np.zeros((n, n))
    for a, b in links:
        M[names.index(b), names.index(a)] = 1.0
    return M / M.sum(axis=0)


def dominant(M: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eig(M)
    k = int(np.argmax(values.real))
    assert values[k].real == pytest.approx(1.0)
    v = np.real(vectors[:, k])
    return v / v.sum()


def widths(bars) -> np.ndarray:
    return np.array([b.width for b in bars])


@pytest.mark.parametrize("params, names", [(COURSE, ["A", "B", "C", "D"]), (SIX, list("ABCDEF"))])
def test_the_ranks_drawn_converge_to_the_dominant_eigenvector(params, names):
    v, _, steps = build("pagerank", params, draw_text=True)
    d = params.get("damping", 1.0)
    n = len(names)
    M = d * link_matrix(names, params["links"]) + (1 - d) / n
    expected = dominant(M)
    k, bars, values = v.states[-1]
    assert k > params["steps"] and steps["converge"]
    # the bars are proportional to the ranks, the numbers are the ranks
    assert np.allclose(widths(bars) / widths(bars).sum(), expected, atol=1e-6)
    assert np.allclose([num.get_value() for num in values], expected, atol=1e-8)
    # the ranks shown no longer change from the step the readout names: power iteration by hand
    r = np.full(n, 1 / n)
    for _ in range(k):
        r = M @ r
    places = params.get("decimals", 2)
    assert [f"{x:.{places}f}" for x in r] == [f"{x:.{places}f}" for x in expected]
    # the largest rank is ringed
    assert np.allclose(v.top_ring.get_center(), v.nodes[int(np.argmax(expected))].get_center())


def test_every_step_shown_is_one_step_of_power_iteration():
    v, _, steps = build("pagerank", COURSE, draw_text=True)
    M = link_matrix(COURSE["pages"], COURSE["links"])
    r = np.full(4, 0.25)
    shown = v.states[: COURSE["steps"] + 1]
    assert [k for k, _, _ in shown] == list(range(COURSE["steps"] + 1))
    for _, bars, values in shown:
        assert np.allclose([num.get_value() for num in values], r, atol=1e-12)
        assert np.allclose(widths(bars) / widths(bars).sum(), r, atol=1e-9)
        # the bars share one scale and start at one axis
        assert np.allclose([b.get_left()[0] for b in bars], v.bar_axis.get_start()[0])
        r = M @ r
    assert len(steps["iterate"]) == COURSE["steps"] + 1  # the rule, then one step each


def _entry(tex: str) -> float:
    m = re.fullmatch(r"\\frac\{(\d+)\}\{(\d+)\}", tex.strip())
    return float(Fraction(int(m[1]), int(m[2]))) if m else float(tex)


@pytest.mark.parametrize("params, names", [(COURSE, ["A", "B", "C", "D"]), (SIX, list("ABCDEF"))])
def test_the_link_matrix_shown_is_the_webs(params, names):
    v, _, _ = build("pagerank", params, draw_text=True)
    expected = link_matrix(names, params["links"])
    shown = np.array([[_entry(e.tex_string) for e in column] for column in v.columns]).T
    assert np.allclose(shown, expected, atol=1e-12)
    # column j sits under page j's name, and the columns are in page order, left to right
    xs = [column.get_center()[0] for column in v.columns]
    assert xs == sorted(xs)


def test_one_arrow_per_link_from_page_to_page():
    v, _, _ = build("pagerank", COURSE)
    names = COURSE["pages"]
    centres = np.array([node.get_center() for node in v.nodes])
    drawn = set()
    for a in v.arrows.values():
        start = int(np.argmin(np.linalg.norm(centres - a.get_start(), axis=1)))
        end = int(np.argmin(np.linalg.norm(centres - a.get_end(), axis=1)))
        # arrows run from the edge of one circle to the edge of the other, not into them
        assert np.linalg.norm(centres[start] - a.get_start()) >= v.nodes[start][0].width / 2
        assert np.linalg.norm(centres[end] - a.get_end()) >= v.nodes[end][0].width / 2
        drawn.add((names[start], names[end]))
    assert drawn == {tuple(link) for link in COURSE["links"]}
    assert len(v.arrows) == len(COURSE["links"])


def test_a_link_matrix_may_be_given_instead_of_links():
    L = [[0, 1, 1], [1, 0, 1], [1, 0, 0]]
    v, _, _ = build("pagerank", {"matrix": L, "damping": 0.9})
    expected = dominant(0.9 * (np.array(L) / np.sum(L, axis=0)) + 0.1 / 3)
    _, bars, _ = v.states[-1]
    assert np.allclose(widths(bars) / widths(bars).sum(), expected, atol=1e-6)
    assert v.names == ["A", "B", "C"]


# -- located problems --------------------------------------------------------------



def test_a_dangling_page_is_located_at_the_links(tmp_path):
    path = lecture(tmp_path, """
        kind: pagerank
        links: [[A, B], [B, C], [C, A], [A, D]]
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:" in message and "page D links nowhere" in message and "[D, A]" in message


def test_bad_page_references_are_located_at_the_reference(tmp_path):
    path = lecture(tmp_path, """
        kind: pagerank
        pages: [A, B, C]
        links:
          - [A, B]
          - [B, Q]
          - [C, 7]
          - [A, A]
          - [A, B]
        """)
    found = problems(path)
    assert any(":10:" in p and "no page 'Q'" in p for p in found)
    assert any(":11:" in p and "no page 7" in p and "0 to 2" in p for p in found)
    assert any(":12:" in p and "links to itself" in p for p in found)
    assert any(":13:" in p and "given twice" in p for p in found)


def test_matrix_problems(tmp_path):
    square = problems(lecture(tmp_path, """
        kind: pagerank
        matrix: [[0, 1], [1, 0, 1]]
        """))
    assert any("square" in p for p in square)
    dangling = problems(lecture(tmp_path, """
        kind: pagerank
        matrix: [[0, 1, 0], [1, 0, 0], [1, 1, 0]]
        """))
    assert any("page C links nowhere" in p for p in dangling)
    both = problems(lecture(tmp_path, """
        kind: pagerank
        matrix: [[0, 1], [1, 0]]
        links: [[A, B], [B, A]]
        """))
    assert any("not both" in p for p in both)


def test_a_periodic_web_needs_damping(tmp_path):
    path = lecture(tmp_path, """
        kind: pagerank
        links: [[A, B], [A, C], [B, A], [C, A]]
        """)
    [message] = problems(path)
    assert "never settle" in message and "damping" in message
    ok = lecture(tmp_path, """
        kind: pagerank
        links: [[A, B], [A, C], [B, A], [C, A]]
        damping: 0.85
        """)
    load_lecture(ok)


def test_a_segment_continuing_the_web_opens_with_it_drawn():
    from mmlanim.visuals import RenderContext, VisualContext, registry

    from .conftest import FakeScene

    cls = registry()["pagerank"]
    first = cls(cls.model.model_validate({"kind": "pagerank", **COURSE}))
    damped = cls.model.model_validate({"kind": "pagerank", **COURSE, "damping": 0.85})
    assert cls(damped).background() == first.background()  # damping changes the ranks, not the web
    v = cls(damped, VisualContext(continues=True)).bound(RenderContext(draw_text=False))
    scene = FakeScene()
    v.setup(scene)
    assert all(node in scene.added for node in v.nodes) and v.matrix_group in scene.added
    assert list(v.run_beat("show_web", scene)) == [] and list(v.run_beat("show_matrix", scene)) == []
    assert list(v.run_beat("start_ranks", scene))


def test_every_emphasis_target_is_drawn_after_the_beats():
    v, _, _ = build("pagerank", COURSE)
    for name in type(v).emphasis_targets:
        assert v.target(name) is not None, name
    assert v.target("top") is v.nodes[3]  # D has the highest rank, 0.4


def test_the_background_kept_by_a_continuing_segment_is_the_web_and_its_matrix():
    v, _, _ = build("pagerank", COURSE)
    kept = v.background_mobjects()
    assert all(node in kept for node in v.nodes) and all(a in kept for a in v.arrows.values())
    assert v.matrix_group in kept and v.bars not in kept
