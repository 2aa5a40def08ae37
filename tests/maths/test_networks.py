"""Backpropagation against finite differences, a closed form and sympy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from mmlanim.maths import MathsError
from mmlanim.maths.networks import (
    activate,
    activation_slope,
    backpropagate,
    forward_pass,
    make_network,
    network_cost,
    train_network,
)


def _cost_of(net, x, y):
    return network_cost(forward_pass(net, x).output, y)


def _with(net, kind, layer, index, delta):
    """A copy of ``net`` with one weight (or bias) nudged by ``delta``."""
    ws = [w.copy() for w in net.weights]
    bs = [b.copy() for b in net.biases]
    (ws if kind == "w" else bs)[layer][index] += delta
    return type(net)(weights=tuple(ws), biases=tuple(bs), activation=net.activation)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("sizes", [(2, 3, 1), (3, 4, 2), (1, 2, 2, 1)])
def test_gradients_match_central_differences(sizes, activation):
    net = make_network(sizes, activation=activation, seed=7)
    rng = np.random.default_rng(1)
    x, y = rng.uniform(-1, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])
    grads = backpropagate(net, x, y)
    h = 1e-6
    for layer, (w, b) in enumerate(zip(net.weights, net.biases)):
        for index in np.ndindex(w.shape):
            fd = (_cost_of(_with(net, "w", layer, index, h), x, y)
                  - _cost_of(_with(net, "w", layer, index, -h), x, y)) / (2 * h)
            assert grads.weight_gradients[layer][index] == pytest.approx(fd, abs=1e-8)
        for index in np.ndindex(b.shape):
            fd = (_cost_of(_with(net, "b", layer, index, h), x, y)
                  - _cost_of(_with(net, "b", layer, index, -h), x, y)) / (2 * h)
            assert grads.bias_gradients[layer][index] == pytest.approx(fd, abs=1e-8)
    # ∂C/∂x too, against differences in the input
    for i in range(sizes[0]):
        e = np.zeros(sizes[0])
        e[i] = h
        fd = (_cost_of(net, x + e, y) - _cost_of(net, x - e, y)) / (2 * h)
        assert grads.activation_gradients[0][i] == pytest.approx(fd, abs=1e-8)


def test_one_neuron_closed_form():
    # a = σ(w x + b), C = (a - y)²: ∂C/∂w = 2 (a - y) σ(z)(1 - σ(z)) x, ∂C/∂b the same without x.
    w, b, x, y = 0.8, -0.3, 1.5, 1.0
    net = make_network([1, 1], weights=[[[w]]], biases=[[b]])
    grads = backpropagate(net, [x], [y])
    z = w * x + b
    a = 1 / (1 + math.exp(-z))
    assert grads.forward.output[0] == pytest.approx(a, rel=1e-14)
    assert grads.cost == pytest.approx((a - y) ** 2, rel=1e-14)
    assert grads.weight_gradients[0][0, 0] == pytest.approx(2 * (a - y) * a * (1 - a) * x, rel=1e-12)
    assert grads.bias_gradients[0][0] == pytest.approx(2 * (a - y) * a * (1 - a), rel=1e-12)
    assert grads.activation_gradients[1][0] == pytest.approx(2 * (a - y), rel=1e-12)


def test_two_layer_chain_matches_sympy():
    # x -> a1 = tanh(w1 x + b1) -> a2 = tanh(w2 a1 + b2), C = (a2 - y)², differentiated symbolically.
    w1, b1, w2, b2, xs, ys = sp.symbols("w1 b1 w2 b2 x y")
    cost = (sp.tanh(w2 * sp.tanh(w1 * xs + b1) + b2) - ys) ** 2
    values = {w1: 1.3, b1: -0.4, w2: -0.9, b2: 0.2, xs: 0.7, ys: 0.5}
    net = make_network([1, 1, 1], weights=[[[1.3]], [[-0.9]]], biases=[[-0.4], [0.2]], activation="tanh")
    grads = backpropagate(net, [0.7], [0.5])
    for sym, got in ((w1, grads.weight_gradients[0][0, 0]), (b1, grads.bias_gradients[0][0]),
                     (w2, grads.weight_gradients[1][0, 0]), (b2, grads.bias_gradients[1][0])):
        assert got == pytest.approx(float(sp.diff(cost, sym).subs(values)), rel=1e-12)
    assert grads.cost == pytest.approx(float(cost.subs(values)), rel=1e-12)


def test_activations_and_slopes():
    z = np.array([-800.0, -2.0, 0.0, 3.0, 800.0])
    with np.errstate(over="raise", invalid="raise"):  # no overflow for large |z|
        s = activate(z)
    np.testing.assert_allclose(s[1:4], 1 / (1 + np.exp(-z[1:4])), rtol=1e-14)
    assert s[0] == 0.0 and s[-1] == 1.0
    h = 1e-6
    for act in ("sigmoid", "tanh"):
        fd = (activate(z[1:4] + h, act) - activate(z[1:4] - h, act)) / (2 * h)
        np.testing.assert_allclose(activation_slope(z[1:4], act), fd, rtol=1e-7)
    np.testing.assert_allclose(activate(z[1:4], "tanh"), np.tanh(z[1:4]))


def test_forward_pass_by_hand():
    net = make_network([2, 2, 1], weights=[[[1, -1], [0.5, 2]], [[1.5, -0.5]]], biases=[[0, 0.1], [-0.2]])
    fp = forward_pass(net, [0.3, 0.6])
    sig = lambda t: 1 / (1 + np.exp(-t))  # noqa: E731
    a1 = sig(np.array([0.3 - 0.6, 0.15 + 1.2 + 0.1]))
    a2 = sig(np.array([1.5 * a1[0] - 0.5 * a1[1] - 0.2]))
    np.testing.assert_allclose(fp.activations[1], a1, rtol=1e-14)
    np.testing.assert_allclose(fp.output, a2, rtol=1e-14)
    assert net.sizes == (2, 2, 1) and net.n_parameters == 9


def test_training_lowers_the_cost_by_gradient_steps():
    net = make_network([2, 3, 1], seed=3)
    run = train_network(net, [0.5, -0.2], [0.9], learning_rate=1.0, steps=30)
    assert len(run.networks) == 31 and run.costs.shape == (31,) and run.outputs.shape == (31, 1)
    assert np.all(np.diff(run.costs) < 0)
    # each step is θ - η ∂C/∂θ, the gradient by finite differences of the cost
    first, second = run.networks[0], run.networks[1]
    h = 1e-6
    fd = (_cost_of(_with(first, "w", 0, (1, 0), h), [0.5, -0.2], [0.9])
          - _cost_of(_with(first, "w", 0, (1, 0), -h), [0.5, -0.2], [0.9])) / (2 * h)
    assert second.weights[0][1, 0] == pytest.approx(first.weights[0][1, 0] - 1.0 * fd, abs=1e-8)
    assert run.costs[0] == pytest.approx(_cost_of(first, [0.5, -0.2], [0.9]))


def test_seeded_networks_repeat_and_bad_shapes_are_refused():
    a, b = make_network([2, 3, 1], seed=5), make_network([2, 3, 1], seed=5)
    assert all(np.array_equal(u, v) for u, v in zip(a.weights, b.weights))
    with pytest.raises(MathsError, match="3×2"):
        make_network([2, 3, 1], weights=[np.ones((2, 3)), np.ones((1, 3))])
    with pytest.raises(MathsError, match="at least two layers"):
        make_network([3])
    with pytest.raises(MathsError, match="activation"):
        make_network([1, 1], activation="relu")  # type: ignore[arg-type]
    with pytest.raises(MathsError):
        backpropagate(a, [1.0], [0.0])
