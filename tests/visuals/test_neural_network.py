"""The neural_network visual draws the activations, deltas and gradients of an independent reference.

The reference here is a few lines of numpy for the forward pass and central finite differences
of the cost for every derivative: nothing from mmlanim.maths.networks.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from mmlanim import theme

from .conftest import build

W1 = [[0.8, -1.2], [0.5, 0.9], [-0.7, 0.4]]
W2 = [[1.1, -0.6, 0.9]]
B1 = [0.1, -0.2, 0.3]
B2 = [-0.4]
X, Y = [1.0, 0.5], [1.0]
PARAMS = {"sizes": [2, 3, 1], "weights": [W1, W2], "biases": [B1, B2], "input": X, "target": Y,
          "learning_rate": 1.5, "train_steps": 12, "highlight": [1, 2, 1]}


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _forward(theta, x=X):
    w1, b1, w2, b2 = _unpack(theta)
    a1 = _sig(w1 @ np.asarray(x) + b1)
    return a1, _sig(w2 @ a1 + b2)


def _pack(w1, b1, w2, b2):
    return np.concatenate([np.ravel(w1), np.ravel(b1), np.ravel(w2), np.ravel(b2)]).astype(float)


def _unpack(theta):
    return theta[:6].reshape(3, 2), theta[6:9], theta[9:12].reshape(1, 3), theta[12:13]


def _cost(theta):
    return float(np.sum((_forward(theta)[1] - np.asarray(Y)) ** 2))


def _fd_grad(theta, h=1e-6):
    return np.array([(_cost(theta + e) - _cost(theta - e)) / (2 * h) for e in np.eye(theta.size) * h])


THETA = _pack(W1, B1, W2, B2)


def _values(group):
    return np.array([m.get_value() for m in group])


@pytest.fixture(scope="module")
def drawn():
    return build("neural_network", PARAMS, draw_text=True)


def test_nodes_show_the_forward_pass(drawn):
    v, _, _ = drawn
    a1, a2 = _forward(THETA)
    np.testing.assert_allclose(_values(v.values[0]), X, atol=0.005)
    np.testing.assert_allclose(_values(v.values[1]), a1, atol=0.005)
    np.testing.assert_allclose(_values(v.values[2]), a2, atol=0.005)
    # each number sits in its node
    for numbers, nodes in zip(v.values, v.nodes):
        for number, node in zip(numbers, nodes):
            assert np.allclose(number.get_center()[:2], node.get_center()[:2], atol=0.02)
            assert number.width < node.width


def test_deltas_are_the_bias_derivatives_and_the_chain_rule_is_worked_out(drawn):
    v, _, _ = drawn
    g = _fd_grad(THETA)
    # δ = ∂C/∂z = ∂C/∂b, written under each node with 3 decimals
    np.testing.assert_allclose(_values(v.delta_numbers[0]), g[6:9], atol=0.0006)
    np.testing.assert_allclose(_values(v.delta_numbers[1]), g[12:13], atol=0.0006)
    for numbers, nodes in zip(v.delta_numbers, v.nodes[1:]):
        for number, node in zip(numbers, nodes):
            assert number.get_top()[1] < node.get_bottom()[1]
    # highlight [1, 2, 1]: ∂C/∂w⁽¹⁾₂₁ = δ⁽¹⁾₂ x₁, the weight W1[1][0] (index 2 of θ)
    tex = v.panel_lines["chain_value"].tex_string
    d, a, product = (float(s) for s in re.findall(r"-?\d+\.\d+", tex))
    assert d == pytest.approx(g[7], abs=0.0006) and a == pytest.approx(X[0], abs=0.005)
    assert product == pytest.approx(g[2], abs=0.0006)
    assert v.glow.get_start() == pytest.approx(v.nodes[0][0].get_center(), abs=0.5)


def test_the_cost_readout_is_the_squared_error(drawn):
    v, _, _ = drawn
    readout = v.panel_lines["cost_value"]
    assert readout[1].get_value() == pytest.approx(_cost(THETA), abs=5e-5)


def test_edges_are_coloured_by_sign_and_widened_by_size(drawn):
    v, _, _ = drawn
    from manim import ManimColor

    for edges, w in zip(v.edges, (W1, W2)):
        w = np.asarray(w)
        flat = w.ravel()  # edges are drawn row by row: into node j from node k
        colours = [e.get_stroke_color() for e in edges]
        for c, value in zip(colours, flat):
            assert c == ManimColor(theme.DIVERGING[2] if value > 0 else theme.DIVERGING[0])
        widths = np.array([e.get_stroke_width() for e in edges])
        order = np.argsort(np.abs(flat))
        assert np.all(np.diff(widths[order]) >= -1e-9)
        # and each edge joins the nodes of its weight
        for idx, e in enumerate(edges):
            j, k = divmod(idx, w.shape[1])
            layer = 0 if w is not None and w.shape == (3, 2) else 1
            start, end = v.nodes[layer][k].get_center(), v.nodes[layer + 1][j].get_center()
            direction = (end - start) / np.linalg.norm(end - start)
            assert np.allclose(e.get_start(), start + v.r * direction, atol=1e-6)
            assert np.allclose(e.get_end(), end - v.r * direction, atol=1e-6)


def test_training_takes_gradient_steps_and_the_drawn_numbers_follow(drawn):
    v, _, steps = drawn
    theta = THETA.copy()
    costs = [_cost(theta)]
    for _ in range(12):
        theta = theta - 1.5 * _fd_grad(theta)
        costs.append(_cost(theta))
    np.testing.assert_allclose(v.run.costs, costs, rtol=1e-6)
    # the last step swaps in (in place, from its first frame) the last network's numbers
    step, shown, readout = v.train_shown[-1]
    assert step == 12 and len(v.train_shown) == len(steps["train"]) - 1
    assert readout[0][1].get_value() == 12
    assert readout[1][1].get_value() == pytest.approx(costs[-1], abs=5e-5)
    assert shown[-1][0].get_value() == pytest.approx(_forward(theta)[1][0], abs=0.005)
    np.testing.assert_allclose(_values(shown[0]), _forward(theta)[0], atol=0.005)
    swap = next(a for a in steps["train"][-1] if getattr(a, "mobject", None) is v.train_readout)
    swap.begin()
    swap.interpolate(0.1)
    assert v.train_readout.width == pytest.approx(readout.width, abs=1e-6)
    assert np.allclose(v.train_readout.get_center(), readout.get_center(), atol=1e-6)
    assert costs[-1] < costs[0] / 3


def test_bad_shapes_are_reported_at_their_parameter():
    from mmlanim.visuals import registry

    cls = registry()["neural_network"]

    def problems(**params):
        model = cls.model.model_validate({"kind": "neural_network", **params})
        return [(p[0], p[1]) for p in cls(model).check()]

    assert problems(sizes=[2, 3, 1], input=[1.0], target=[1.0])[0][0] == ("input",)
    assert problems(sizes=[2, 3, 1], input=[1.0, 2.0], target=[1.0, 0.0])[0][0] == ("target",)
    found = problems(sizes=[2, 1], weights=[[[1.0]]], input=[1.0, 2.0], target=[1.0])
    assert found[0][0] == ("weights",) and "1×2" in found[0][1]
    assert problems(sizes=[2, 3, 1], highlight=[3, 1, 1])[0][0] == ("highlight", 0)
    assert problems(sizes=[2, 9, 1])[0][0] == ("sizes", 1)
    assert problems(**PARAMS) == []


def test_weights_can_be_written_on_their_edges():
    v, _, steps = build("neural_network", {**PARAMS, "show_weights": True}, draw_text=True)
    np.testing.assert_allclose(_values(v.weight_labels), np.concatenate([np.ravel(W1), np.ravel(W2)]), atol=0.005)
    edges = [e for group in v.edges for e in group]
    for label, edge in zip(v.weight_labels, edges):  # each sits beside its own edge, nearer its start
        a, b, c = edge.get_start()[:2], edge.get_end()[:2], label.get_center()[:2]
        t = np.dot(c - a, b - a) / np.dot(b - a, b - a)
        gap = np.linalg.norm(a + t * (b - a) - c)
        assert 0.2 < t < 0.6 and 0.1 < gap < 0.35
    assert any(getattr(a, "mobject", None) is v.weight_labels for a in steps["train"][-1])


def test_the_chain_rule_lecture_validates_and_uses_the_network():
    from conftest import ROOT

    from mmlanim.lecture.load import load_lecture

    lecture = load_lecture(ROOT / "lectures" / "multivariate-calculus" / "03-chain-rule-and-networks.yaml").lecture
    kinds = [s.visual.kind for s in lecture.segments]
    assert "neural_network" in kinds and "equations" in kinds
    assert 5 <= len(lecture.segments) <= 9
