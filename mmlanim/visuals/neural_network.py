"""The ``neural_network`` visual: a small feed-forward network, its forward pass, its cost,
backpropagation by the chain rule, and training by gradient descent."""

from __future__ import annotations

__all__ = ["NeuralNetwork"]

from typing import Annotated, Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ._layout import MAX_DESCENT_STEPS, count_to, fmt, panel_background, panel_column, plane_area
from .base import Visual, VisualParams, beat, too_large_to_draw

#: Drawn networks stay small: at most this many layers, and nodes in a layer.
_MAX_LAYERS = 5
_MAX_NODES = 6
#: Radius of a node, scene units.
_NODE_RADIUS = 0.42

Index3 = Annotated[list[int], Field(min_length=3, max_length=3)]


class NeuralNetwork(Visual, kind="neural_network"):
    """A small feed-forward network: its forward pass, its cost, backpropagation and training.

    The network has layers of ``sizes`` nodes (input first), weights and
    biases given (``weights``, ``biases``) or drawn with ``seed``, and a
    sigmoid or tanh activation: ``z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾``, ``a⁽ˡ⁾ = σ(z⁽ˡ⁾)``.
    Each weight is an edge, orange when positive and blue when negative,
    its width growing with |w|. The forward pass fills each node with its
    activation (numbers that change in place); the cost is
    ``C = Σ (a⁽ᴸ⁾ − y)²`` for the ``target`` y; backpropagation writes
    δ = ∂C/∂z under each node, layer by layer from the output back, and
    the panel works out ∂C/∂w for the ``highlight``-ed weight by the chain
    rule. Training takes ``train_steps`` steps of gradient descent on every
    weight and bias: the edges, the activations and the cost change as it
    goes. Every number comes from ``mmlanim.maths.networks``.
    """

    class Params(VisualParams):
        sizes: list[int] = Field([2, 3, 1], min_length=2, max_length=_MAX_LAYERS, description=(
            f"Nodes per layer, input first, e.g. [2, 3, 1] (2 to {_MAX_LAYERS} layers of 1 to {_MAX_NODES})."))
        weights: list[list[list[float]]] | None = Field(None, description=(
            "The weight matrices, one per layer after the input: weights[l] has one row per node of "
            "layer l + 1 and one column per node of layer l (default: drawn with seed)."))
        biases: list[list[float]] | None = Field(None, description=(
            "The bias vectors, one per layer after the input (default: drawn with seed, or zeros when "
            "weights are given)."))
        seed: int = Field(0, ge=0, description="Random seed of the weights and biases not given.")
        activation: Literal["sigmoid", "tanh"] = Field("sigmoid", description="σ: sigmoid or tanh.")
        input: list[float] = Field([1.0, 0.5], min_length=1, max_length=_MAX_NODES,
                                   description="The input x, one number per input node.")
        target: list[float] = Field([1.0], min_length=1, max_length=_MAX_NODES,
                                    description="The target output y, one number per output node.")
        highlight: Index3 | None = Field(None, description=(
            "The weight whose ∂C/∂w the panel works out, as [layer, j, k] counted from 1: the edge from "
            "node k of layer − 1 to node j of layer (default: [1, 1, 1], the first weight)."))
        learning_rate: float = Field(1.0, gt=0, description="Step size η of training, θ ← θ − η ∂C/∂θ.")
        show_weights: bool = Field(False, description="Write each weight's value on its edge (for small "
                                   "networks; the values change as it trains).")
        train_steps: int = Field(20, ge=0, le=500, description="Gradient-descent steps of the train beat "
                                 "(0: no training).")

    params: Params
    emphasis_targets = {
        "input": "the input nodes",
        "output": "the output nodes",
        "layer": "the formula of a layer, z = W a + b, in the panel",
        "activation": "the activation a = σ(z), in the panel",
        "cost": "the cost's formula and value, in the panel",
        "delta": "the output layer's δ, in the panel",
        "pass_back": "the rule passing δ back a layer, in the panel",
        "chain": "∂C/∂w of the highlighted weight, worked out, in the panel",
        "weight": "the highlighted weight's edge",
        "rule": "the training rule, in the panel",
    }
    key_hints: ClassVar[dict[str, str]] = {
        "layers": "the layer sizes are `sizes:`, e.g. sizes: [2, 3, 1]",
        "x": "the input is `input:`",
        "y": "the target output is `target:`",
        "lr": "the step size is `learning_rate:`",
        "steps": "the number of training steps is `train_steps:`",
    }

    example = {"sizes": [2, 3, 1], "seed": 2, "input": [1.0, 0.5], "target": [1.0],
               "learning_rate": 2.0, "train_steps": 20}

    # -- numbers ---------------------------------------------------------------
    def _network(self) -> Any:
        from ..maths.networks import make_network

        p = self.params
        return make_network(p.sizes, p.weights, p.biases, p.activation, p.seed)

    def _highlight(self) -> tuple[int, int, int]:
        return tuple(self.params.highlight or (1, 1, 1))  # type: ignore[return-value]

    def check(self):
        p = self.params
        for i, n in enumerate(p.sizes):
            if not 1 <= n <= _MAX_NODES:
                yield ("sizes", i), f"a layer has 1 to {_MAX_NODES} nodes here (it is drawn), got {n}"
                return
        try:
            net = self._network()
        except ValueError as exc:
            where = "weights" if p.weights is not None and "weights" in str(exc) else \
                "biases" if "biases" in str(exc) else "sizes"
            yield (where,), str(exc)
            return
        if len(p.input) != p.sizes[0]:
            yield ("input",), f"the input layer has {p.sizes[0]} nodes, so input needs {p.sizes[0]} numbers"
        if len(p.target) != p.sizes[-1]:
            yield ("target",), f"the output layer has {p.sizes[-1]} nodes, so target needs {p.sizes[-1]} numbers"
        layer, j, k = self._highlight()
        if not 1 <= layer < len(p.sizes):
            yield ("highlight", 0), f"layer is 1 to {len(p.sizes) - 1} (the layers with weights), got {layer}"
        elif not 1 <= j <= p.sizes[layer]:
            yield ("highlight", 1), f"layer {layer} has nodes 1 to {p.sizes[layer]}, got {j}"
        elif not 1 <= k <= p.sizes[layer - 1]:
            yield ("highlight", 2), f"layer {layer - 1} has nodes 1 to {p.sizes[layer - 1]}, got {k}"
        if len(p.input) != p.sizes[0] or len(p.target) != p.sizes[-1]:
            return
        from ..maths.networks import train_network

        try:
            run = train_network(net, p.input, p.target, p.learning_rate, p.train_steps)
        except ValueError as exc:
            yield ("learning_rate",), str(exc)
            return
        big = too_large_to_draw([w for n in run.networks for w in np.concatenate([x.ravel() for x in n.weights])],
                                " (a weight during training)")
        if big:
            yield ("learning_rate",), big

    def background(self) -> tuple[object, ...]:
        """The network as drawn before any pass: its shape and its weights."""
        p = self.params
        return ("neural_network", repr(p.sizes), repr(p.weights), repr(p.biases), p.seed, p.activation)

    # -- building --------------------------------------------------------------
    def target(self, name: str) -> Any:
        lines = self.panel_lines
        found = {
            "input": self.nodes[0], "output": self.nodes[-1], "layer": lines["layer"], "activation": lines["act"],
            "cost": mn.VGroup(lines["cost"], lines["cost_value"]), "delta": lines["delta_out"],
            "pass_back": lines.get("delta_back"), "chain": mn.VGroup(lines["chain"], lines["chain_value"]),
            "weight": self.glow, "rule": lines["rule"],
        }
        return found.get(name)

    def setup(self, scene: Any) -> None:
        from ..maths.networks import backpropagate, train_network

        p = self.params
        net = self.net = self._network()
        grads = self.grads = backpropagate(net, p.input, p.target)
        run = self.run = train_network(net, p.input, p.target, p.learning_rate, p.train_steps)
        self.shown: dict[str, Any] = {
            "activations": grads.forward.activations, "cost": grads.cost, "deltas": grads.deltas,
            "weight_gradients": grads.weight_gradients, "costs": run.costs,
        }

        # Node positions: columns across the area, left of the panel, with room for y on the right.
        area = plane_area()
        sizes = net.sizes
        left, right = area.left + 0.9, area.right - 1.6
        xs = np.linspace(left, right, len(sizes))
        gap = min(1.8, (area.height - 2.6) / max(max(sizes) - 1, 1))
        self.r = min(_NODE_RADIUS, 0.34 * gap)
        mid_y = area.center[1] + 0.55
        self.centres = [np.array([[x, mid_y + gap * ((n - 1) / 2 - i), 0.0] for i in range(n)])
                        for x, n in zip(xs, sizes)]
        self.nodes = [mn.VGroup(*(mn.Circle(radius=self.r, stroke_color=theme.FOREGROUND, stroke_width=3,
                                            fill_color=theme.PANEL_BACKGROUND, fill_opacity=1.0).move_to(c)
                                  for c in col)).set_z_index(3) for col in self.centres]
        self.edges = [self._edges(i, w) for i, w in enumerate(net.weights)]
        self.weight_labels = self._weight_labels(net.weights)
        captions = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
        bottom = min(c[-1][1] for c in self.centres) - self.r - 0.7  # below the δ written under the nodes
        self.captions = mn.VGroup(*(self.ctx.text(name, color=theme.MUTED, size=theme.LABEL_SIZE)
                                    .move_to([x, bottom, 0]) for name, x in zip(captions, xs)))
        for caption in self.captions:  # one line of text: the tops level, whatever the letters
            caption.align_to(self.captions[0], mn.UP)

        # Numbers in the nodes (forward pass, then each training step), δ under them, y beside the output.
        self.values = [self._layer_numbers(i, a) for i, a in enumerate(grads.forward.activations)]
        self.delta_numbers = [self._deltas(i + 1, d) for i, d in enumerate(grads.deltas)]
        self.targets = mn.VGroup()
        for c, y in zip(self.centres[-1], p.target):
            row = mn.VGroup(self.ctx.label("y =", color=theme.ACCENT),
                            self.ctx.number(y, 2, color=theme.ACCENT))
            row.arrange(mn.RIGHT, buff=0.1)
            self.targets.add(row.next_to(c, mn.RIGHT, buff=self.r + 0.15))

        # The highlighted weight: its edge, drawn over in the accent colour.
        layer, j, k = self._highlight()
        a, b = self.centres[layer - 1][k - 1], self.centres[layer][j - 1]
        self.glow = mn.Line(a, b, buff=self.r, stroke_color=theme.ACCENT, stroke_width=9).set_z_index(2)

        self._panel()
        self.panel = panel_background()
        scene.add(self.panel)
        if self.context.continues:  # the segment before left this network on screen
            scene.add(*self.edges, *self.nodes, self.captions, self.legend, self.weight_labels)

    def _weight_labels(self, weights: Any) -> Any:
        """Each weight's value above its edge, a third of the way along (with ``show_weights``)."""
        group = mn.VGroup()
        if not self.params.show_weights:
            return group
        for layer, w in enumerate(weights):
            for j, end in enumerate(self.centres[layer + 1]):
                for k, start in enumerate(self.centres[layer]):
                    value = float(w[j, k])
                    number = self.ctx.number(value, 2, color=theme.diverging_color(value), size=theme.SMALL_SIZE)
                    d = (end - start) / np.linalg.norm(end - start)
                    normal = np.array([-d[1], d[0], 0.0])
                    number.move_to(start + d * (self.r + 0.45 * (np.linalg.norm(end - start) - 2 * self.r))
                                   + normal * 0.22)
                    group.add(number)
        return group.set_z_index(4)

    def _edges(self, layer: int, w: np.ndarray) -> Any:
        """The edges into layer ``layer + 1``: colour by sign, width by |w| (against the network's largest)."""
        top = max(float(np.abs(m).max()) for m in self.net.weights) or 1.0
        group = mn.VGroup()
        for j, end in enumerate(self.centres[layer + 1]):
            for k, start in enumerate(self.centres[layer]):
                value = float(w[j, k])
                group.add(mn.Line(start, end, buff=self.r, stroke_color=theme.diverging_color(value),
                                  stroke_width=1.2 + 7.0 * min(abs(value) / top, 1.5), stroke_opacity=0.95))
        return group.set_z_index(1)

    def _layer_numbers(self, layer: int, values: np.ndarray) -> Any:
        colour = theme.FOREGROUND if 0 < layer < len(self.centres) - 1 else theme.ACCENT if layer else theme.color_at(0)
        return mn.VGroup(*(self._fit(self.ctx.number(v, 2, color=colour, size=theme.LABEL_SIZE)).move_to(c)
                           for v, c in zip(values, self.centres[layer]))).set_z_index(4)

    def _deltas(self, layer: int, values: np.ndarray) -> Any:
        return mn.VGroup(*(self.ctx.number(v, 3, color=theme.PALETTE[4], size=theme.SMALL_SIZE)
                           .next_to(c, mn.DOWN, buff=self.r + 0.06)
                           for v, c in zip(values, self.centres[layer]))).set_z_index(4)

    def _fit(self, number: Any) -> Any:
        """A number shrunk to fit inside a node."""
        if number.width > 1.7 * self.r:
            number.scale_to_fit_width(1.7 * self.r)
        return number

    def _panel(self) -> None:
        p, g = self.params, self.grads
        L = len(self.net.weights)
        layer, j, k = self._highlight()
        sigma = r"\sigma(z) = \frac{1}{1 + e^{-z}}" if p.activation == "sigmoid" else r"\sigma(z) = \tanh z"
        slope = r"\sigma' = \sigma(1 - \sigma)" if p.activation == "sigmoid" else r"\sigma' = 1 - \sigma^2"
        one_out = self.net.sizes[-1] == 1
        cost_tex = rf"C = (a^{{({L})}} - y)^2" if one_out else rf"C = \sum_j (a^{{({L})}}_j - y_j)^2"
        w_name = rf"w^{{({layer})}}_{{{j}{k}}}"
        delta = float(g.deltas[layer - 1][j - 1])
        a_prev = float(g.forward.activations[layer - 1][k - 1])
        grad = float(g.weight_gradients[layer - 1][j - 1, k - 1])
        a_name = "x" if layer == 1 else "a"
        lines: dict[str, Any] = {
            "layer": self.ctx.label(r"z^{(l)} = W^{(l)} a^{(l-1)} + b^{(l)}"),
            "act": mn.VGroup(self.ctx.label(r"a^{(l)} = \sigma(z^{(l)}),"),
                             self.ctx.label(sigma)).arrange(mn.RIGHT, buff=0.2),
            "cost": self.ctx.label(cost_tex, color=theme.ACCENT),
            "cost_value": self._cost_readout(0, with_step=False),
            "delta_out": self.ctx.label(rf"\delta^{{({L})}} = \frac{{\partial C}}{{\partial z^{{({L})}}}} = "
                                        rf"2(a^{{({L})}} - y)\,\sigma'(z^{{({L})}})", color=theme.PALETTE[4]),
            "slope": self.ctx.label(slope, color=theme.MUTED, size=theme.SMALL_SIZE),
            "delta_back": self.ctx.label(r"\delta^{(l)} = \sigma'(z^{(l)}) \odot W^{(l+1)\top} \delta^{(l+1)}",
                                         color=theme.PALETTE[4]),
            "chain": self.ctx.label(rf"\frac{{\partial C}}{{\partial {w_name}}} = \delta^{{({layer})}}_{j}\, "
                                    rf"{a_name}^{{({layer - 1})}}_{k}" if layer > 1 else
                                    rf"\frac{{\partial C}}{{\partial {w_name}}} = \delta^{{(1)}}_{j}\, x_{k}",
                                    color=theme.ACCENT),
            "chain_value": self.ctx.label(rf"= ({delta:.3f})({a_prev:.2f}) = {grad:.3f}",
                                          color=theme.ACCENT),
            "rule": self.ctx.label(rf"\theta \leftarrow \theta - \eta\,\frac{{\partial C}}{{\partial \theta}},"
                                   rf"\quad \eta = {fmt(p.learning_rate, 3)}"),
        }
        if L == 1:  # one layer of weights: nothing to pass back through
            del lines["delta_back"]
        self.panel_lines = lines
        panel_column(list(lines.values()), buff=0.28)
        self.legend = self._legend().next_to(self.captions, mn.DOWN, buff=0.3)
        self.legend.set_x(plane_area().center[0])
        # the training readout shares the cost readout's place
        self.train_readout = self._cost_readout(0, with_step=True)
        self.train_readout.move_to(lines["cost_value"], aligned_edge=mn.UL).set_z_index(lines["cost_value"].z_index)

    def _legend(self) -> Any:
        rows = []
        for sign, colour in ((r"w > 0", theme.DIVERGING[2]), (r"w < 0", theme.DIVERGING[0])):
            sample = mn.Line(mn.ORIGIN, 0.5 * mn.RIGHT, stroke_color=colour, stroke_width=6)
            rows.append(mn.VGroup(sample, self.ctx.label(sign, color=colour, size=theme.SMALL_SIZE))
                        .arrange(mn.RIGHT, buff=0.12))
        width = self.ctx.text("width: |w|", color=theme.MUTED, size=theme.SMALL_SIZE)
        return mn.VGroup(*rows, width).arrange(mn.RIGHT, buff=0.35)

    def _cost_readout(self, step: int, *, with_step: bool) -> Any:
        cost = mn.VGroup(self.ctx.label("C =", color=theme.ACCENT),
                         self.ctx.number(float(self.run.costs[step]), 4, color=theme.ACCENT))
        cost.arrange(mn.RIGHT, buff=0.12)
        if not with_step:
            return cost
        k = mn.VGroup(self.ctx.label("k ="), self.ctx.number(step, 0)).arrange(mn.RIGHT, buff=0.12)
        return mn.VGroup(k, cost).arrange(mn.RIGHT, buff=0.5)

    @staticmethod
    def _on_screen(scene: Any, mob: Any) -> bool:
        return any(m is mob for m in getattr(scene, "mobjects", getattr(scene, "added", ())))

    def _reshow(self, scene: Any, *keys: str) -> list[Any]:
        """Fade in what a later beat builds on when it was not played here: a segment that continues
        the network from the one before starts from the bare network. ``keys``: panel lines to add."""
        mobs = [*self.values, self.panel_lines["layer"], self.panel_lines["act"], *(self.panel_lines[k] for k in keys)]
        anims = [mn.FadeIn(v) for v in mobs if not self._on_screen(scene, v)]
        if not self._on_screen(scene, self.targets):
            anims.append(mn.FadeIn(self.targets))
        return anims

    # -- beats -------------------------------------------------------------------
    def beats_off(self) -> dict[str, str]:
        """Beats that show nothing with these parameters, and the parameter that turns each off."""
        off = {"train": "train_steps"} if self.params.train_steps == 0 else {}
        if len(self.params.sizes) == 2:
            off["pass_back"] = "sizes"
        return off

    @beat("Draw the network layer by layer: nodes, then the weights as coloured edges.")
    def show_network(self, scene: Any):
        formulas = (mn.FadeIn(self.panel_lines["layer"]), mn.FadeIn(self.panel_lines["act"]))
        if self.context.continues:  # the network is on screen already
            yield _timed(formulas)
            return
        yield _timed((mn.LaggedStart(*(mn.FadeIn(n, scale=0.6) for n in self.nodes), lag_ratio=0.3),
                      mn.FadeIn(self.captions), *formulas), 0.7)
        yield _timed((mn.LaggedStart(*(mn.Create(e, lag_ratio=0.05) for e in self.edges), lag_ratio=0.5),
                      mn.FadeIn(self.legend), mn.FadeIn(self.weight_labels)), 1.0)

    @beat("The forward pass: the input, then each layer's activations, flowing left to right.")
    def forward(self, scene: Any):
        yield _timed((mn.FadeIn(self.values[0]), self._pulse(0, theme.color_at(0))))
        for layer, edges in enumerate(self.edges, start=1):
            flash = edges.copy().set_stroke(color=theme.ACCENT, width=9, opacity=1).set_z_index(2)
            yield _timed((mn.ShowPassingFlash(flash, time_width=0.6), mn.FadeIn(self.values[layer]),
                          self._pulse(layer, theme.ACCENT)))

    @beat("The cost: the target y beside the output, and C = (a − y)².")
    def cost(self, scene: Any):
        out = mn.VGroup(self.nodes[-1], self.targets)
        yield _timed((mn.FadeIn(self.panel_lines["cost"]), *self._reshow(scene),
                      mn.Circumscribe(out, color=theme.ACCENT, buff=0.12),
                      self._pulse(len(self.nodes) - 1, theme.ACCENT)), 1.0)
        yield _timed((mn.FadeIn(self.panel_lines["cost_value"], scale=1.4),))

    @beat("Backpropagation starts at the output: δ = ∂C/∂z of the output layer, from the cost.")
    def backward(self, scene: Any):
        lines, L = self.panel_lines, len(self.edges)
        yield _timed((mn.FadeIn(self.delta_numbers[L - 1]), *self._reshow(scene), mn.FadeIn(lines["delta_out"]),
                      mn.FadeIn(lines["slope"]), self._pulse(L, theme.PALETTE[4])), 1.0)

    @beat("δ passed back layer by layer through the weights, by the chain rule (networks with hidden layers).")
    def pass_back(self, scene: Any):
        lines = self.panel_lines
        for layer in range(len(self.edges) - 1, 0, -1):
            back = mn.VGroup(*(mn.Line(e.get_end(), e.get_start()) for e in self.edges[layer]))
            back.set_stroke(color=theme.PALETTE[4], width=9, opacity=1).set_z_index(2)
            first = [mn.FadeIn(lines["delta_back"]), *self._reshow(scene)] if layer == len(self.edges) - 1 else []
            yield _timed((mn.ShowPassingFlash(back, time_width=0.6), mn.FadeIn(self.delta_numbers[layer - 1]),
                          self._pulse(layer, theme.PALETTE[4]), *first), 1.0)

    @beat("∂C/∂w of the highlighted weight: its node's δ times the activation it carries.")
    def gradient(self, scene: Any):
        lines = self.panel_lines
        layer, j, k = self._highlight()
        ends = mn.VGroup(self.nodes[layer - 1][k - 1], self.nodes[layer][j - 1])
        yield _timed((mn.Create(self.glow), mn.FadeIn(lines["chain"]), *self._reshow(scene),
                      mn.Indicate(ends, color=theme.ACCENT, scale_factor=1.2)), 0.9)
        yield _timed((mn.FadeIn(lines["chain_value"]), mn.Circumscribe(lines["chain_value"], color=theme.ACCENT)))

    def _pulse(self, layer: int, colour: str) -> Any:
        """The nodes of a layer swell and glow for a moment."""
        return mn.Indicate(self.nodes[layer], color=colour, scale_factor=1.2)

    @beat("Training: gradient-descent steps on every weight and bias; the edges, activations and cost change.")
    def train(self, scene: Any):
        from ..maths.networks import forward_pass

        n = len(self.run.networks) - 1
        readout = self.panel_lines["cost_value"]
        #: (step, node numbers of layers 1.., readout) each training step swaps in, for tests and docs
        self.train_shown: list[tuple[int, list[Any], Any]] = []
        gone = [m for m in (self.glow, *self.delta_numbers, readout) if self._on_screen(scene, m)]
        yield _timed((mn.FadeIn(self.panel_lines["rule"]), *(mn.FadeOut(m) for m in gone),
                      *self._reshow(scene, "cost"), mn.FadeIn(self.train_readout)), 0.6)
        if n == 0:
            return
        chunks = np.array_split(np.arange(1, n + 1), min(n, MAX_DESCENT_STEPS))
        # the steps take three seconds or so, whatever their number: the picture leads the words
        each = min(0.4, max(1 / 15, 3.0 / len(chunks)))
        for chunk in chunks:
            step = int(chunk[-1])
            net = self.run.networks[step]
            fp = forward_pass(net, self.params.input)
            anims: list[Any] = [mn.Transform(e, self._edges(i, w))
                                for i, (e, w) in enumerate(zip(self.edges, net.weights))]
            shown = [self._layer_numbers(layer, fp.activations[layer]) for layer in range(1, len(self.values))]
            anims += [count_to(old, new) for old, new in zip(self.values[1:], shown)]
            if self.params.show_weights:
                anims.append(count_to(self.weight_labels, self._weight_labels(net.weights)))
            target = self._cost_readout(step, with_step=True).move_to(self.train_readout, aligned_edge=mn.UL)
            anims.append(count_to(self.train_readout, target.set_z_index(self.train_readout.z_index)))
            self.train_shown.append((step, shown, target))
            for anim in anims:
                anim.run_time = each
            yield tuple(anims)


def _timed(anims: tuple[Any, ...], seconds: float = 0.8) -> tuple[Any, ...]:
    """The animations of one step, each given ``seconds`` (their natural length in the beat)."""
    for anim in anims:
        anim.run_time = seconds
    return anims
