"""Small feed-forward neural networks: the forward pass, the cost, and backpropagation.

A network with layer sizes ``(n0, n1, ..., nL)`` has, for each layer
``l = 1..L``, a weight matrix ``W[l]`` of shape ``(n_l, n_{l-1})`` and a bias
vector ``b[i]`` of shape ``(n_l,)``. With activation σ (sigmoid or tanh)::

    z(l) = W(l) a(l-1) + b(l),      a(l) = σ(z(l)),      a(0) = x
    C    = Σ_j (a_j(L) - y_j)²

Backpropagation is the multivariate chain rule, applied layer by layer from
the output back::

    ∂C/∂a(L) = 2 (a(L) - y)
    δ(l)     = ∂C/∂z(l) = σ'(z(l)) ⊙ ∂C/∂a(l)
    ∂C/∂W(l) = δ(l) a(l-1)ᵀ,   ∂C/∂b(l) = δ(l),   ∂C/∂a(l-1) = W(l)ᵀ δ(l)

Python lists are 0-based: ``weights[0]`` is W(1), the first layer's.
Pure numpy; never imports manim.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ._validation import MathsError, as_nonnegative_int, as_positive_float, as_vector, format_number

__all__ = [
    "Activation",
    "Network",
    "ForwardPass",
    "Backprop",
    "Training",
    "activate",
    "activation_slope",
    "make_network",
    "forward_pass",
    "network_cost",
    "backpropagate",
    "train_network",
]

Activation = Literal["sigmoid", "tanh"]

#: Most nodes in one layer, and most layers (the networks are drawn, so they stay small).
MAX_NODES = 12
MAX_LAYERS = 8


def activate(z: Any, activation: Activation = "sigmoid") -> np.ndarray:
    """σ(z), elementwise.

    Parameters
    ----------
    z : array_like, any shape
    activation : {"sigmoid", "tanh"}
        ``sigmoid``: ``1 / (1 + e^{-z})``; ``tanh``: ``tanh z``.

    Returns
    -------
    ndarray, same shape as z
    """
    z = np.asarray(z, dtype=np.float64)
    if activation == "sigmoid":
        # exp of a non-positive number only: no overflow warnings for large |z|
        e = np.exp(-np.abs(z))
        return np.asarray(np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), dtype=np.float64)
    if activation == "tanh":
        return np.asarray(np.tanh(z), dtype=np.float64)
    raise MathsError(f"activation must be 'sigmoid' or 'tanh', got {activation!r}")


def activation_slope(z: Any, activation: Activation = "sigmoid") -> np.ndarray:
    """σ'(z), elementwise: ``σ(1 - σ)`` for sigmoid, ``1 - tanh²`` for tanh.

    Parameters
    ----------
    z : array_like, any shape
    activation : {"sigmoid", "tanh"}

    Returns
    -------
    ndarray, same shape as z
    """
    s = activate(z, activation)
    return np.asarray(s * (1.0 - s) if activation == "sigmoid" else 1.0 - s * s, dtype=np.float64)


@dataclass(frozen=True)
class Network:
    """Weights and biases of a feed-forward network.

    Attributes
    ----------
    weights : tuple of ndarray
        ``weights[l]`` has shape ``(sizes[l + 1], sizes[l])``: W(l + 1).
    biases : tuple of ndarray
        ``biases[l]`` has shape ``(sizes[l + 1],)``.
    activation : {"sigmoid", "tanh"}
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activation: Activation = "sigmoid"

    @property
    def sizes(self) -> tuple[int, ...]:
        """Nodes per layer, input first: ``(n0, n1, ..., nL)``."""
        return (int(self.weights[0].shape[1]), *(int(w.shape[0]) for w in self.weights))

    @property
    def n_parameters(self) -> int:
        """How many weights and biases there are."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def stepped(self, grads: Backprop, learning_rate: float) -> Network:
        """The network after one step of gradient descent, ``θ ← θ - η ∂C/∂θ``."""
        return Network(
            weights=tuple(w - learning_rate * g for w, g in zip(self.weights, grads.weight_gradients)),
            biases=tuple(b - learning_rate * g for b, g in zip(self.biases, grads.bias_gradients)),
            activation=self.activation,
        )


def _check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    try:
        out = tuple(int(n) for n in sizes)
    except (TypeError, ValueError):
        raise MathsError(f"layer sizes must be whole numbers, got {sizes!r}") from None
    if len(out) < 2:
        raise MathsError(f"a network needs at least two layers (input and output), got {len(out)}")
    if len(out) > MAX_LAYERS:
        raise MathsError(f"at most {MAX_LAYERS} layers, got {len(out)}")
    for n in out:
        if not 1 <= n <= MAX_NODES:
            raise MathsError(f"each layer has 1 to {MAX_NODES} nodes, got {n}")
    return out


def make_network(
    sizes: Sequence[int],
    weights: Sequence[Any] | None = None,
    biases: Sequence[Any] | None = None,
    activation: Activation = "sigmoid",
    seed: int = 0,
) -> Network:
    """A network with the given weights and biases, or seeded random ones.

    Parameters
    ----------
    sizes : sequence of int, length L + 1
        Nodes per layer, input first.
    weights : sequence of array_like, optional
        ``weights[l]`` of shape ``(sizes[l + 1], sizes[l])``. Missing: drawn
        from N(0, 1/sizes[i]) with ``seed``.
    biases : sequence of array_like, optional
        ``biases[l]`` of shape ``(sizes[l + 1],)``. Missing: zeros if the
        weights are given, else drawn from N(0, 0.25) with ``seed``.
    activation : {"sigmoid", "tanh"}
    seed : int

    Returns
    -------
    Network
    """
    sizes = _check_sizes(sizes)
    if activation not in ("sigmoid", "tanh"):
        raise MathsError(f"activation must be 'sigmoid' or 'tanh', got {activation!r}")
    rng = np.random.default_rng(seed)
    layers = len(sizes) - 1
    if weights is None:
        ws = [rng.normal(0.0, 1.0 / math.sqrt(sizes[i]), (sizes[i + 1], sizes[i])) for i in range(layers)]
    else:
        if len(weights) != layers:
            raise MathsError(f"{len(sizes)} layers need {layers} weight matrices, got {len(weights)}")
        ws = []
        for i, w in enumerate(weights):
            arr = np.asarray(w, dtype=np.float64)
            if arr.ndim == 1 and sizes[i] == 1:  # a column written as a list
                arr = arr.reshape(-1, 1)
            if arr.shape != (sizes[i + 1], sizes[i]):
                raise MathsError(f"weights[{i}] must be {sizes[i + 1]}×{sizes[i]} (one row per node of layer "
                                 f"{i + 1}), got shape {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise MathsError(f"weights[{i}] must be finite numbers")
            ws.append(arr)
    if biases is None:
        bs = [np.zeros(sizes[i + 1]) if weights is not None else rng.normal(0.0, 0.5, sizes[i + 1])
              for i in range(layers)]
    else:
        if len(biases) != layers:
            raise MathsError(f"{len(sizes)} layers need {layers} bias vectors, got {len(biases)}")
        bs = [as_vector(b, f"biases[{i}]", dim=sizes[i + 1]) for i, b in enumerate(biases)]
    return Network(weights=tuple(ws), biases=tuple(bs), activation=activation)


@dataclass(frozen=True)
class ForwardPass:
    """Every value of a forward pass.

    Attributes
    ----------
    pre_activations : tuple of ndarray
        ``pre_activations[l]`` is z(l + 1), shape ``(sizes[l + 1],)``.
    activations : tuple of ndarray
        ``activations[l]`` is a(l), shape ``(sizes[l],)``; ``activations[0]``
        is the input and ``activations[-1]`` the output.
    """

    pre_activations: tuple[np.ndarray, ...]
    activations: tuple[np.ndarray, ...]

    @property
    def output(self) -> np.ndarray:
        """a(L), shape ``(sizes[-1],)``."""
        return self.activations[-1]


def forward_pass(net: Network, x: Any) -> ForwardPass:
    """Feed ``x`` through the network.

    Parameters
    ----------
    net : Network
    x : array_like, shape (sizes[0],)

    Returns
    -------
    ForwardPass
    """
    a = as_vector(x, "input", dim=net.sizes[0])
    zs, acts = [], [a]
    for w, b in zip(net.weights, net.biases):
        z = w @ a + b
        a = activate(z, net.activation)
        zs.append(z)
        acts.append(a)
    return ForwardPass(pre_activations=tuple(zs), activations=tuple(acts))


def network_cost(output: Any, target: Any) -> float:
    """``C = Σ_j (a_j - y_j)²``.

    Parameters
    ----------
    output, target : array_like, shape (n,)

    Returns
    -------
    float
    """
    a = as_vector(output, "output")
    y = as_vector(target, "target", dim=a.shape[0])
    d = a - y
    return float(np.dot(d, d))


@dataclass(frozen=True)
class Backprop:
    """The cost of one example and its partial derivatives.

    Attributes
    ----------
    forward : ForwardPass
    cost : float
        ``Σ_j (a_j(L) - y_j)²``.
    activation_gradients : tuple of ndarray
        ``activation_gradients[l]`` is ∂C/∂a(l), shape ``(sizes[l],)``
        (l = 0 is the input).
    deltas : tuple of ndarray
        ``deltas[l]`` is δ(l + 1) = ∂C/∂z(l + 1), shape ``(sizes[l + 1],)``.
    weight_gradients : tuple of ndarray
        ``weight_gradients[l]`` is ∂C/∂W(l + 1), shape of ``weights[l]``.
    bias_gradients : tuple of ndarray
        ``bias_gradients[l]`` is ∂C/∂b(l + 1), shape of ``biases[l]``.
    """

    forward: ForwardPass
    cost: float
    activation_gradients: tuple[np.ndarray, ...]
    deltas: tuple[np.ndarray, ...]
    weight_gradients: tuple[np.ndarray, ...]
    bias_gradients: tuple[np.ndarray, ...]


def backpropagate(net: Network, x: Any, y: Any) -> Backprop:
    """∂C/∂(every weight and bias) for one example, by the chain rule from the output back.

    Parameters
    ----------
    net : Network
    x : array_like, shape (sizes[0],)
        The input.
    y : array_like, shape (sizes[-1],)
        The target output.

    Returns
    -------
    Backprop
    """
    fp = forward_pass(net, x)
    target = as_vector(y, "target", dim=net.sizes[-1])
    layers = len(net.weights)
    da = 2.0 * (fp.output - target)
    act_grads: list[np.ndarray] = [np.empty(0)] * (layers + 1)
    deltas: list[np.ndarray] = [np.empty(0)] * layers
    w_grads: list[np.ndarray] = [np.empty(0)] * layers
    act_grads[layers] = da
    for i in range(layers - 1, -1, -1):
        delta = activation_slope(fp.pre_activations[i], net.activation) * da
        deltas[i] = delta
        w_grads[i] = np.outer(delta, fp.activations[i])
        da = net.weights[i].T @ delta
        act_grads[i] = da
    return Backprop(forward=fp, cost=network_cost(fp.output, target), activation_gradients=tuple(act_grads),
                    deltas=tuple(deltas), weight_gradients=tuple(w_grads), bias_gradients=tuple(deltas))


@dataclass(frozen=True)
class Training:
    """A network trained on one example by gradient descent.

    Attributes
    ----------
    networks : tuple of Network
        The network before training, then after each step (k + 1 of them).
    costs : ndarray, shape (k + 1,)
        The cost of each.
    outputs : ndarray, shape (k + 1, sizes[-1])
        The output of each.
    """

    networks: tuple[Network, ...]
    costs: np.ndarray
    outputs: np.ndarray


def train_network(net: Network, x: Any, y: Any, learning_rate: float, steps: int) -> Training:
    """Gradient descent on C for one example: ``θ ← θ - η ∂C/∂θ``, gradients by :func:`backpropagate`.

    Parameters
    ----------
    net : Network
    x : array_like, shape (sizes[0],)
    y : array_like, shape (sizes[-1],)
    learning_rate : float
        η > 0.
    steps : int
        Steps to take (≥ 0).

    Returns
    -------
    Training
    """
    eta = as_positive_float(learning_rate, "learning_rate")
    steps = as_nonnegative_int(steps, "steps")
    grads = backpropagate(net, x, y)
    nets, costs, outputs = [net], [grads.cost], [grads.forward.output]
    for _ in range(steps):
        net = net.stepped(grads, eta)
        grads = backpropagate(net, x, y)
        if not math.isfinite(grads.cost):
            raise MathsError(f"the training diverged (learning rate {format_number(eta)} is too large)")
        nets.append(net)
        costs.append(grads.cost)
        outputs.append(grads.forward.output)
    return Training(networks=tuple(nets), costs=np.array(costs), outputs=np.array(outputs))
