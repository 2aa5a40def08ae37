"""A mobject's family listed without generators (mmlanim.render.family): the very list manim's gives."""

from __future__ import annotations

import random

import pytest

mn = pytest.importorskip("manim")

from mmlanim.render.family import plain_families  # noqa: E402


@pytest.fixture(autouse=True)
def _plain() -> None:
    plain_families()


def manims(mobject: mn.Mobject) -> list[mn.Mobject]:
    return mn.Mobject.get_family.manims(mobject)


def _random_forest(rng: random.Random, size: int) -> list[mn.Mobject]:
    """``size`` mobjects, each given a few random others as submobjects: shared submobjects, a mobject
    listed twice under one parent, cycles and self-containment included."""
    nodes = [mn.VMobject() if rng.random() < 0.5 else mn.Mobject() for _ in range(size)]
    for node in nodes:
        for _ in range(rng.choice([0, 0, 1, 2, 3])):
            node.submobjects.append(rng.choice(nodes))  # past add(), which refuses a mobject itself
    return nodes


@pytest.mark.parametrize("seed", range(40))
def test_every_family_is_manims_list_in_manims_order(seed: int) -> None:
    nodes = _random_forest(random.Random(seed), 12)
    for node in nodes:
        got, want = node.get_family(), manims(node)
        assert [id(m) for m in got] == [id(m) for m in want]


def test_a_plain_tree_a_formula_and_a_plane() -> None:
    formula = mn.MathTex(r"x^2 + y", r"= 1")
    group = mn.VGroup(formula, mn.NumberPlane(x_range=[-2, 2], y_range=[-2, 2]), mn.Dot())
    got = group.get_family()
    assert [id(m) for m in got] == [id(m) for m in manims(group)]
    assert got[0] is group and got[1] is formula and len(got) == len(set(map(id, got)))
    leaf = mn.Dot()
    assert leaf.get_family() == [leaf]


class Pruned(mn.VGroup):
    """Lists its family its own way: without its submobjects."""

    def _iter_family(self, active_path):  # noqa: ANN001, ANN202
        yield self


def test_a_class_listing_its_family_its_own_way_is_walked_by_that_way() -> None:
    hidden = mn.Dot()
    pruned = Pruned(hidden)
    outer = mn.VGroup(mn.Square(), pruned)
    assert [id(m) for m in outer.get_family()] == [id(m) for m in manims(outer)]
    assert hidden not in outer.get_family() and pruned.get_family() == manims(pruned) == [pruned]
