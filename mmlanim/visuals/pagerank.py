"""The ``pagerank`` visual: a small web of pages, its link matrix, and power iteration
converging to the pages' ranks."""

from __future__ import annotations

__all__ = ["PageRankWeb"]

import math
from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import Field

from .. import theme
from .._lazy import manim as mn
from ..maths.pagerank import link_probabilities, pagerank, settled_step
from ._layout import PANEL_CONTENT_Z, count_to, fmt, fraction_tex, panel_background, panel_column, plane_area
from .base import Visual, VisualParams, beat

PageName = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,3}$")]
PageRef = str | int

#: Radius of a page's circle (scene units).
_NODE_RADIUS = 0.42
#: Longest bar (scene units), given to the largest rank shown.
_BAR_LENGTH = 1.9
#: Most pages a web may have (they must stay legible, and the matrix must fit the panel).
MAX_PAGES = 6


class PageRankWeb(Visual, kind="pagerank"):
    """PageRank: a web of pages, its link matrix, and power iteration converging to the pages' ranks.

    Pages are circles on a ring, links are arrows. The link matrix L (column j
    holds where page j's links go, each with probability one over the number of
    its links, from ``mmlanim.maths.link_probabilities``) is built column by
    column as each page's links light up. Every page starts with rank 1/n; each
    step of power iteration, r ← L r (or r ← d L r + (1 − d)/n with
    ``damping: d``), changes the bars and their numbers in place, and the ranks
    converge to those ``mmlanim.maths.pagerank`` computes: the eigenvector of
    the (damped) link matrix with eigenvalue 1.
    """

    class Params(VisualParams):
        pages: list[PageName] | None = Field(None, min_length=2, max_length=MAX_PAGES, description=(
            "The pages' names, 1 to 3 letters or digits (default: A, B, C... or, with named links, "
            "the names the links use, sorted)."))
        links: list[Annotated[list[PageRef], Field(min_length=2, max_length=2)]] | None = Field(
            None, min_length=1, description=(
                "The links as [from, to] pairs, by page name or 0-based index, e.g. [[A, B], [B, A]] "
                "(give `links` or `matrix`)."))
        matrix: list[list[float]] | None = Field(None, description=(
            "The link matrix instead of links: row i, column j is the weight of the link from page j "
            "to page i (0: none); columns are normalised to probabilities."))
        damping: float | None = Field(None, gt=0, le=1, description=(
            "The damping factor d: r ← d L r + (1 − d)/n (default: none, r ← L r)."))
        steps: int = Field(6, ge=0, le=30, description="Steps of power iteration shown one by one "
                           "(beat iterate); beat converge then jumps to the converged ranks.")
        decimals: int = Field(2, ge=1, le=3, description="Decimal places of the ranks shown.")
        matrix_name: str = Field("L", description="LaTeX name of the link matrix.")

    params: Params
    key_hints: ClassVar[dict[str, str]] = {
        "edges": "give the links as `links:`, [from, to] pairs, e.g. links: [[A, B], [B, A]]",
        "link_matrix": "the link matrix is `matrix:` (row i, column j: the link from page j to page i)",
        "names": "name the pages with `pages:`, e.g. pages: [A, B, C, D]",
        "d": "the damping factor is `damping:`, e.g. damping: 0.85",
        "iterations": "the number of steps shown one by one is `steps:`",
    }

    emphasis_targets: ClassVar[dict[str, str]] = {
        "matrix": "the link matrix, in the panel",
        "rule": "the rule of power iteration, in the panel",
        "ranks": "the ranks' bars and numbers",
        "step": "the step counter k",
        "top": "the page with the highest rank",
        "fixed": "the fixed point L r = r, in the panel",
    }

    example = {
        "pages": ["A", "B", "C", "D"],
        "links": [["A", "B"], ["A", "C"], ["A", "D"], ["B", "A"], ["B", "D"], ["C", "D"], ["D", "B"], ["D", "C"]],
        "steps": 5,
    }

    # -- the web -----------------------------------------------------------------
    def _names_and_matrix(self) -> tuple[list[str], np.ndarray, list[tuple[Any, ...]]]:
        """The page names, the weight matrix W (W[i, j]: link from j to i) and located problems."""
        p = self.params
        problems: list[tuple[Any, ...]] = []
        if (p.links is None) == (p.matrix is None):
            where = ("links",) if p.links is not None else ()
            problems.append((where, "give the web either as `links:` ([from, to] pairs) or as `matrix:`, "
                                    "not both" if p.links is not None else
                                    "give the web as `links:` ([from, to] pairs) or as `matrix:`"))
            return [], np.zeros((0, 0)), problems
        if p.matrix is not None:
            rows = p.matrix
            n = len(rows)
            for i, row in enumerate(rows):
                if len(row) != n:
                    problems.append((("matrix", i), f"the link matrix is square: row {i + 1} has {len(row)} "
                                                    f"entries, there are {n} rows"))
            if problems:
                return [], np.zeros((0, 0)), problems
            if not 2 <= n <= MAX_PAGES:
                problems.append((("matrix",), f"a web shows 2 to {MAX_PAGES} pages, this matrix has {n}"))
                return [], np.zeros((0, 0)), problems
            W = np.asarray(rows, dtype=float)
            for i, j in np.argwhere(W < 0):
                problems.append((("matrix", int(i), int(j)), "a link's weight is 0 (no link) or positive"))
            for i in range(n):
                if W[i, i] != 0:
                    problems.append((("matrix", i, i), f"page {i + 1} links to itself: the diagonal is 0"))
            if p.pages is not None and len(p.pages) != n:
                problems.append((("pages",), f"{len(p.pages)} page names for a {n}×{n} link matrix"))
            names = list(p.pages) if p.pages is not None and len(p.pages) == n else _default_names(n)
            return names, W, problems
        links = p.links or []
        if p.pages is not None:
            names = list(p.pages)
        elif all(isinstance(a, str) for link in links for a in link):
            names = sorted({str(a) for link in links for a in link})
        else:
            top = max((a for link in links for a in link if isinstance(a, int)), default=-1)
            names = _default_names(max(top + 1, 2))
        if len(set(names)) != len(names):
            problems.append((("pages",), "page names must differ"))
        if not 2 <= len(names) <= MAX_PAGES:
            problems.append((("pages",) if p.pages else ("links",),
                             f"a web shows 2 to {MAX_PAGES} pages, these links name {len(names)}"))
            return [], np.zeros((0, 0)), problems
        n = len(names)
        W = np.zeros((n, n))
        for k, link in enumerate(links):
            ends = []
            for side, ref in enumerate(link):
                if isinstance(ref, int):
                    if not 0 <= ref < n:
                        problems.append((("links", k, side), f"there is no page {ref}: pages are numbered "
                                                             f"0 to {n - 1} ({', '.join(names)})"))
                        continue
                    ends.append(ref)
                elif ref in names:
                    ends.append(names.index(ref))
                else:
                    problems.append((("links", k, side), f"there is no page {ref!r}; the pages are "
                                                         f"{', '.join(names)}"))
            if len(ends) != 2:
                continue
            a, b = ends
            if a == b:
                problems.append((("links", k), f"page {names[a]} links to itself; a link joins two pages"))
            elif W[b, a]:
                problems.append((("links", k), f"the link from {names[a]} to {names[b]} is given twice"))
            else:
                W[b, a] = 1.0
        return names, W, problems

    def check(self):
        names, W, problems = self._names_and_matrix()
        yield from problems
        if problems:
            return
        where = ("matrix",) if self.params.matrix is not None else ("links",)
        for j in np.flatnonzero(W.sum(axis=0) == 0):
            yield where, (f"page {names[j]} links nowhere (a dangling page): give it at least one link, "
                          f"e.g. [{names[j]}, {names[(j + 1) % len(names)]}]")
        if (W.sum(axis=0) == 0).any():
            return
        result = pagerank(W, damping=self.params.damping)
        if not result.converged:
            yield (("damping",) if self.params.damping is not None else where), (
                "the ranks never settle: power iteration cycles round this web; add damping, e.g. damping: 0.85")

    # -- building ------------------------------------------------------------------
    def setup(self, scene: Any) -> None:
        p = self.params
        names, W, _ = self._names_and_matrix()
        n = len(names)
        self.names = names
        self.weights = W
        self.L = link_probabilities(W)
        self.result = pagerank(W, damping=p.damping)
        history = self.result.history
        self.steps = min(p.steps, self.result.iterations)
        self.settled = max(settled_step(history, p.decimals), self.steps)
        self.shown: dict[str, Any] = {"matrix": self.L, "ranks": self.result.ranks}
        colors = [theme.color_at(i) for i in range(n)]
        area = plane_area()

        # The web: pages on a ring in the left part of the plane area.
        graph_w = area.width * 0.56
        cx, cy = area.left + graph_w / 2, area.center[1]
        ring = min(graph_w, area.height) / 2 - _NODE_RADIUS - 0.15
        start = math.pi / 2 + math.pi / n
        self.centres = [np.array([cx + ring * math.cos(start - 2 * math.pi * i / n),
                                  cy + ring * math.sin(start - 2 * math.pi * i / n), 0.0]) for i in range(n)]
        self.nodes = []
        for i, c in enumerate(self.centres):
            circle = mn.Circle(radius=_NODE_RADIUS, stroke_color=colors[i], stroke_width=5,
                               fill_color=theme.PANEL_BACKGROUND, fill_opacity=1.0).move_to(c)
            lab = self.ctx.label(rf"\mathrm{{{names[i]}}}", color=theme.FOREGROUND).move_to(c)
            self.nodes.append(mn.VGroup(circle, lab).set_z_index(3))
        self.arrows: dict[tuple[int, int], Any] = {}
        for j, i in zip(*np.nonzero(W.T)):  # a link from page j to page i
            self.arrows[(int(j), int(i))] = self._link_arrow(int(j), int(i), both=bool(W[j, i]))

        # The bars: one row per page, right of the web.
        left = cx + graph_w / 2 + 0.35
        self.bar_x0 = left + 0.45
        row = min(0.8, (area.height - 1.6) / n)
        self.bar_height = min(0.4, row * 0.55)
        self.rows_y = [cy + row * ((n - 1) / 2 - i) - 0.2 for i in range(n)]
        top_shown = float(max(history[: self.steps + 1].max(), self.result.ranks.max()))
        self.bar_unit = _BAR_LENGTH / top_shown
        self.bar_names = mn.VGroup(*(
            self.ctx.label(rf"\mathrm{{{names[i]}}}", color=colors[i]).move_to([left + 0.15, y, 0])
            for i, y in enumerate(self.rows_y)))
        self.bar_axis = mn.Line([self.bar_x0, self.rows_y[0] + row / 2, 0], [self.bar_x0, self.rows_y[-1] - row / 2, 0],
                                stroke_color=theme.MUTED, stroke_width=2)
        self.states: list[tuple[int, Any, Any]] = []  # (step, bars, values) as drawn, in order
        self.bars, self.values = self._bars_at(history[0])
        self.states.append((0, self.bars, self.values))
        self.k_label = self.ctx.label("k =", color=theme.ACCENT)
        self.readout = self._readout(0)

        # The panel: the link matrix, the rule, the start, the fixed point.
        self.matrix_group, self.columns, self.matrix_frame = self._matrix_mobject(colors)
        d = p.damping
        name = p.matrix_name
        if d is None:
            rule = rf"\mathbf{{r}}_{{k+1}} = {name}\,\mathbf{{r}}_k"
            fixed = rf"{name}\,\mathbf{{r}} = \mathbf{{r}}"
            M = self.L
        else:
            extra = rf"\tfrac{{{fmt(1 - d, 3)}}}{{{n}}}"
            rule = rf"\mathbf{{r}}_{{k+1}} = {fmt(d, 3)}\,{name}\,\mathbf{{r}}_k + {extra}"
            fixed = rf"\mathbf{{r}} = {fmt(d, 3)}\,{name}\,\mathbf{{r}} + {extra}"
            M = self.result.matrix
        r = self.result.ranks
        self.shown["eigenvalue"] = float(r @ (M @ r) / (r @ r))
        lines = {
            "matrix": self.matrix_group,
            "start": self.ctx.label(rf"\mathbf{{r}}_0 = \tfrac{{1}}{{{n}}} \text{{ for every page}}",
                                    color=theme.MUTED),
            "rule": self.ctx.label(rule),
            "fixed": self.ctx.label(fixed, color=theme.ACCENT),
            "eigen": self.ctx.label(rf"\text{{an eigenvector, }} \lambda = {fmt(self.shown['eigenvalue'], 3)}",
                                    color=theme.ACCENT),
        }
        self.panel_lines = lines
        self.panel = panel_background()
        panel_column(list(lines.values()), buff=0.4)
        scene.add(self.panel)
        if self.context.continues:  # the segment before left this web and its link matrix on screen
            for j, i in self.arrows:
                self.arrows[(j, i)].set_color(colors[j])
            scene.add(*self.nodes, *self.arrows.values(), self.matrix_group)

    def background(self) -> tuple[object, ...]:
        """The web and its link matrix (drawn by show_web and show_matrix)."""
        p = self.params
        return ("pagerank", repr(p.pages), repr(p.links), repr(p.matrix), p.matrix_name)

    def background_mobjects(self) -> list[Any]:
        """The web and its link matrix: a segment continuing this one keeps them as they are."""
        return [*self.nodes, *self.arrows.values(), self.matrix_group]

    def target(self, name: str) -> Any:
        if name == "ranks":
            return mn.VGroup(self.bars, self.values)
        if name == "step":
            return self.readout
        if name == "top":
            return self.nodes[int(np.argmax(self.result.ranks))]
        return self.panel_lines.get(name)

    def _link_arrow(self, j: int, i: int, *, both: bool) -> Any:
        a, b = self.centres[j], self.centres[i]
        u = (b - a) / np.linalg.norm(b - a)
        side = np.array([u[1], -u[0], 0.0]) * (0.17 if both else 0.0)  # two-way links: one arrow each side
        gap = math.sqrt(max(_NODE_RADIUS ** 2 - float(side @ side), 0.0)) + 0.04
        arr = mn.Arrow(a + side + u * gap, b + side - u * gap, buff=0, color=theme.MUTED, stroke_width=4,
                       tip_length=0.2, max_tip_length_to_length_ratio=0.25, max_stroke_width_to_length_ratio=10)
        arr.set_z_index(2)
        return arr

    def _bars_at(self, ranks: np.ndarray) -> tuple[Any, Any]:
        bars, values = mn.VGroup(), mn.VGroup()
        for i, (rank, y) in enumerate(zip(ranks, self.rows_y)):
            width = max(float(rank) * self.bar_unit, 1e-3)
            bar = mn.Rectangle(width=width, height=self.bar_height, stroke_width=0,
                               fill_color=theme.color_at(i), fill_opacity=0.9)
            bar.move_to([self.bar_x0 + width / 2, y, 0])
            bars.add(bar)
            num = self.ctx.number(float(rank), self.params.decimals, size=theme.SMALL_SIZE)
            num.next_to([self.bar_x0 + width, y, 0], mn.RIGHT, buff=0.12)
            values.add(num)
        return bars, values

    def _readout(self, k: int) -> Any:
        group = mn.VGroup(self.k_label.copy(), self.ctx.number(k, 0, color=theme.ACCENT)).arrange(mn.RIGHT, buff=0.12)
        group.move_to([self.bar_x0, self.rows_y[0] + 0.9, 0], aligned_edge=mn.LEFT)
        return group

    def _matrix_mobject(self, colors: list[str]) -> tuple[Any, list[Any], Any]:
        """``L =`` and the matrix, entries as exact fractions, page names above the columns and beside the rows."""
        n = len(self.names)
        dx = dy = 0.66 if n <= 4 else 0.54
        entries = [[self.ctx.label(fraction_tex(self.L[i, j]).replace(r"\tfrac", r"\frac"), size=theme.SMALL_SIZE)
                    .move_to([j * dx, -i * dy, 0])
                    for j in range(n)] for i in range(n)]
        columns = [mn.VGroup(*(entries[i][j] for i in range(n))) for j in range(n)]
        top, bottom = dy * 0.55, -(n - 1) * dy - dy * 0.55
        lx, rx = -dx * 0.55, (n - 1) * dx + dx * 0.55
        def bracket(x: float, inward: float) -> Any:
            return mn.VMobject(stroke_color=theme.FOREGROUND, stroke_width=2.5).set_points_as_corners(
                [[x + inward, top, 0], [x, top, 0], [x, bottom, 0], [x + inward, bottom, 0]])
        heads = mn.VGroup(*(self.ctx.label(rf"\mathrm{{{self.names[j]}}}", color=colors[j], size=theme.SMALL_SIZE)
                            .move_to([j * dx, top + 0.28, 0]) for j in range(n)))
        rows = mn.VGroup(*(self.ctx.label(rf"\mathrm{{{self.names[i]}}}", color=colors[i], size=theme.SMALL_SIZE)
                           .move_to([rx + 0.35, -i * dy, 0]) for i in range(n)))
        name = self.ctx.label(f"{self.params.matrix_name} =").next_to([lx, (top + bottom) / 2, 0], mn.LEFT, buff=0.2)
        frame = mn.VGroup(name, bracket(lx, 0.12), bracket(rx, -0.12), heads, rows)
        group = mn.VGroup(frame, *columns)
        group.set_z_index(PANEL_CONTENT_Z)
        return group, columns, frame

    # -- beats -------------------------------------------------------------------------
    @beat("Draw the web: the pages, then the links between them as arrows.")
    def show_web(self, scene: Any):
        if self.context.continues:
            return
        yield mn.LaggedStart(*(mn.GrowFromCenter(node) for node in self.nodes), lag_ratio=0.2)
        yield mn.LaggedStart(*(mn.GrowArrow(a) for a in self.arrows.values()), lag_ratio=0.1)

    @beat("Build the link matrix column by column: each page's links light up as its column appears.")
    def show_matrix(self, scene: Any):
        if self.context.continues:
            return
        yield mn.FadeIn(self.matrix_frame)
        for j, column in enumerate(self.columns):
            out = [a for (src, _), a in self.arrows.items() if src == j]
            color = theme.color_at(j)
            yield (mn.FadeIn(column, shift=0.1 * mn.DOWN), mn.Indicate(self.nodes[j][0], color=color),
                   *(a.animate.set_color(color) for a in out))

    @beat("Start every page with the same rank, 1/n: the bars and their values.")
    def start_ranks(self, scene: Any):
        yield (mn.Create(self.bar_axis), mn.FadeIn(self.bar_names), mn.FadeIn(self.panel_lines["start"]),
               mn.FadeIn(self.readout))
        yield tuple(mn.GrowFromEdge(b, mn.LEFT) for b in self.bars) + (mn.FadeIn(self.values),)

    @beat("Power iteration, step by step: r ← L r (with damping, r ← d L r + (1 − d)/n).")
    def iterate(self, scene: Any):
        yield mn.FadeIn(self.panel_lines["rule"], shift=0.1 * mn.UP)
        for k in range(1, self.steps + 1):
            yield self._step_to(k)

    @beat("Jump to the converged ranks: the bars settle, L r = r, an eigenvector of eigenvalue 1.")
    def converge(self, scene: Any):
        # From the step the readout names on, the ranks shown no longer change in the digits shown;
        # the bars take the converged values (within a hair of that step's).
        yield self._step_to(self.settled, final=True)
        top = int(np.argmax(self.result.ranks))
        ring = mn.Circle(radius=_NODE_RADIUS + 0.14, stroke_color=theme.ACCENT, stroke_width=4)
        self.top_ring = ring.move_to(self.centres[top]).set_z_index(3)
        yield mn.FadeIn(self.panel_lines["fixed"]), mn.Create(self.top_ring)
        yield mn.FadeIn(self.panel_lines["eigen"])

    def _step_to(self, k: int, *, final: bool = False) -> tuple[Any, ...]:
        """Bars, values and k move to step ``k`` (the converged ranks, labelled ``k``, when ``final``)."""
        ranks = self.result.ranks if final else self.result.history[k]
        bars, values = self._bars_at(ranks)
        self.states.append((k, bars, values))
        readout = self._readout(k)
        anims = [mn.Transform(b, t) for b, t in zip(self.bars, bars)]
        anims += [count_to(v, t) for v, t in zip(self.values, values)]
        anims.append(count_to(self.readout, readout))
        return tuple(anims)


def _default_names(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]
