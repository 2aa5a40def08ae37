"""The base of every visual kind: typed parameters, an example, named beats.

A visual kind is a subclass of :class:`Visual` in a module of its own,
declared by one line under the ``mmlanim.visuals`` entry-point group (see
:mod:`mmlanim.visuals` and docs/plugins.md)::

    class Dots(Visual, kind="dots"):
        '''Dots on a plane.'''

        class Params(VisualParams):
            points: list[Vector2] = Field(description="The dots to draw.")

        example = {"points": [[1, 2], [3, 1]]}

        def setup(self, scene):
            self.caption = self.ctx.text("Dots")   # text through the render context
            ...

        @beat("Draw the dots one by one.")
        def show_dots(self, scene):
            yield mn.Create(...)

A beat method yields *steps*: an animation, or a tuple of animations played
together. The scene plays a beat's steps as the narration's cue for it
begins, and holds the picture while the cue finishes.

A kind that sets ``three_d = True`` is rendered in a manim ``ThreeDScene``
(:func:`mmlanim.render.scene.scene_class_for`): its ``setup(scene)`` may set the
camera's orientation and start it orbiting, and pins flat text to the screen
(see :mod:`mmlanim.visuals._space`).

A visual reads what it needs from two explicit contexts: :attr:`Visual.context`
(the lecture: its folder and titles) and :attr:`Visual.ctx`, the
:class:`~mmlanim.visuals.context.RenderContext` the scene binds it to
(:meth:`Visual.bound`): whether text is drawn, where formulas are recorded,
the timing of the beat. Its data (files read, numbers computed) is loaded
once by :meth:`Visual.load` and shared by :meth:`~Visual.check`, the
rehearsal and :meth:`~Visual.setup` through :attr:`Visual.data`.
"""

from __future__ import annotations

__all__ = [
    "MAX_DRAWN_MAGNITUDE",
    "too_large_to_draw",
    "BeatInfo",
    "Visual",
    "VisualContext",
    "VisualParams",
    "beat",
    "check_ordered_domain",
    "opening_of",
]

import copy
import inspect
import textwrap
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from .context import RenderContext

#: Largest magnitude of a number a visual draws or writes: beyond it, nothing can be drawn.
#: Validation refuses larger decimal numbers in parameters, and kinds refuse larger results.
MAX_DRAWN_MAGNITUDE = 1e6

def too_large_to_draw(values: Any, what: str = "") -> str | None:
    """The problem with the largest of ``values`` if it is beyond :data:`MAX_DRAWN_MAGNITUDE`, else None.

    ``what`` says what the number is, e.g. ``" (an entry of B⁻¹)"``.
    """
    flat = [float(v) for v in np.ravel(values)]
    largest = max(flat, key=abs, default=0.0)
    if abs(largest) <= MAX_DRAWN_MAGNITUDE:
        return None
    return f"{largest:g}{what} is too large to draw: numbers in a visual are limited to ±{MAX_DRAWN_MAGNITUDE:,.0f}"


class VisualParams(BaseModel):
    """Base of every visual kind's parameters: unknown keys and non-finite numbers are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


@dataclass(frozen=True)
class BeatInfo:
    """A named step of a visual, which narration cues attach to."""

    name: str
    description: str


@dataclass(frozen=True)
class VisualContext:
    """What a visual may know about the lecture it appears in.

    Attributes
    ----------
    base_dir : Path
        The lecture file's folder; data files are resolved inside it.
    lecture_title, course, segment_title : str or None
        Titles, for title cards and captions.
    continues : bool
        The segment before this one showed the same background (the same kind,
        and :meth:`Visual.background` equal): it is on screen from the first
        frame, not drawn again, so the lecture reads as one continuous scene.
    opening : str or None
        The picture the segment before ended on, as JSON (``{"visual": its parameters, "beats": [...], "title":
        ..., "continues": ...}``, see :func:`opening_of`). The scene rebuilds that
        picture and fades it out while this segment's first beat draws in: a
        cross-fade, not a cut (a continuing segment's background lies under it,
        the same, so only what was drawn on it fades).
    beats : tuple of str or None
        The beats the segment chose to play (its ``beats:``), or None for all of
        them. A visual leaves out of its layout what only the other beats show
        (see :meth:`Visual.plays`), so a panel has no gaps where they would be.
    """

    base_dir: Path = field(default_factory=Path.cwd)
    lecture_title: str = ""
    course: str | None = None
    segment_title: str | None = None
    continues: bool = False
    opening: str | None = None
    beats: tuple[str, ...] | None = None


def check_ordered_domain(domain: Any) -> None:
    """Raise ValueError unless each ``[low, high]`` of a plane's ``domain`` (x range, then y range)
    goes from low to high: the one check of every kind drawn over a domain of the plane."""
    for axis, (lo, hi) in zip("xy", domain):
        if not lo < hi:
            raise ValueError(f"the {axis} range must go from low to high, got [{lo:g}, {hi:g}]")


def opening_of(params: VisualParams, beats: Iterable[str], title: str | None, continues: bool) -> str:
    """The :attr:`VisualContext.opening` of the segment after one showing ``params`` with ``beats``
    played, titled ``title``, continuing the one before it or not (canonical JSON: it is hashed)."""
    import json

    return json.dumps({"visual": params.model_dump(mode="json"), "beats": list(beats), "title": title,
                       "continues": continues}, sort_keys=True)


def beat(description: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a method as a named beat of its visual, in definition order."""

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__mmlanim_beat__ = description  # type: ignore[attr-defined]
        return fn

    return mark


class Visual:
    """Base class of visual kinds; see the module docstring.

    Class attributes set by subclasses
    ----------------------------------
    Params : type[VisualParams]
        The kind's parameters (pydantic model with defaults and descriptions).
    example : dict
        Parameters for an example that validates as is (used by
        ``mmlanim visuals KIND``, the docs and the graphical tests).

    Derived when the class is defined
    ---------------------------------
    kind : str
        The name used in lectures (``visual: {kind: ...}``).
    model : type[VisualParams]
        ``Params`` plus the literal ``kind`` field, one branch of the lecture schema.
    beats : tuple[BeatInfo, ...]
        The beats, in order.

    Set by the registry
    -------------------
    plugin : str or None
        The distribution declaring the kind, when it is not mmlanim itself.

    Optional
    --------
    three_d : bool
        Render in a 3-D scene (a camera with an orientation, shading, depth order).
    emphasis_targets : dict of str to str
        The objects a cue can point at (``emphasis: [name]``), each with a description;
        :meth:`target` returns the drawn object of a name.
    """

    kind: ClassVar[str]
    Params: ClassVar[type[VisualParams]] = VisualParams
    example: ClassVar[dict[str, Any]] = {}
    model: ClassVar[type[VisualParams]]
    beats: ClassVar[tuple[BeatInfo, ...]] = ()
    plugin: ClassVar[str | None] = None
    three_d: ClassVar[bool] = False
    emphasis_targets: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, *, kind: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if kind is None:  # an abstract helper base, not a kind
            return
        cls.kind = kind
        cls.beats = tuple(_collect_beats(cls))
        if not cls.beats:
            raise TypeError(f"visual kind {kind!r} declares no @beat methods")
        cls.model = create_model(
            f"{cls.__name__}Visual",
            __base__=cls.Params,
            __doc__=cls.summary(),
            kind=(Literal[kind], Field(description=f"Visual kind: {kind}.")),  # type: ignore[valid-type,arg-type]
        )
        try:
            cls.model.model_validate({"kind": kind, **cls.example})
        except ValidationError as exc:
            raise TypeError(f"the example of visual kind {kind!r} does not validate:\n{exc}") from None

    def __init__(self, params: VisualParams, context: VisualContext | None = None) -> None:
        self.params = params
        self.context = context or VisualContext()
        self.ctx = RenderContext()

    def bound(self, ctx: RenderContext) -> Visual:
        """A fresh copy of this visual that draws with ``ctx`` (its loaded :attr:`data` shared).

        The scene binds the visual it renders; a rehearsal binds another copy
        to a recording context. Nothing built by :meth:`setup` is shared.
        """
        fresh = copy.copy(self)
        fresh.__dict__ = {k: v for k, v in self.__dict__.items()
                          if k in ("params", "context", "data")}
        fresh.ctx = ctx
        return fresh

    @cached_property
    def data(self) -> Any:
        """What :meth:`load` returns, loaded once per visual and shared with its bound copies."""
        return self.load()

    # -- description -------------------------------------------------------
    @classmethod
    def summary(cls) -> str:
        """The first paragraph of the class docstring."""
        doc = inspect.getdoc(cls) or ""
        return doc.split("\n\n")[0].replace("\n", " ").strip()

    @classmethod
    def description(cls) -> str:
        return textwrap.dedent(inspect.getdoc(cls) or "").strip()

    @classmethod
    def beat_names(cls) -> tuple[str, ...]:
        return tuple(b.name for b in cls.beats)

    @classmethod
    def example_params(cls) -> VisualParams:
        return cls.model.model_validate({"kind": cls.kind, **cls.example})

    def plays(self, beat_name: str) -> bool:
        """Whether the segment plays beat ``beat_name`` (see :attr:`VisualContext.beats`)."""
        chosen = self.context.beats
        return chosen is None or beat_name in chosen

    # -- hooks for subclasses ----------------------------------------------
    def background(self) -> Hashable | None:
        """What identifies this visual's background (plane, grid, contours), or None.

        Two consecutive segments of one kind with equal backgrounds make one
        continuous scene: the second opens with the background on screen
        (:attr:`VisualContext.continues`). Computed from the parameters alone
        (no manim); None (the default) never continues.
        """
        return None

    def load(self) -> Any:
        """Read and compute the visual's data (files, results of mmlanim.maths); default None.

        Called once, through :attr:`data`; may raise ``ValueError`` with a
        message for the author (validation reports it at the visual).
        """
        return None

    def check(self) -> Iterable[tuple[Any, ...]]:
        """Semantic checks beyond types: yield ``(loc, message)`` pairs.

        ``loc`` is relative to the visual's parameters, for instance
        ``("basis", 1)``. Called by validation, before anything renders.
        A third item, ``(loc, message, column)``, gives the 1-based column
        inside the value at ``loc`` (the offending token of a formula: pass
        :attr:`ExpressionError.column <mmlanim.maths.ExpressionError>`); the
        problem then points at that column of the lecture's line.
        """
        return ()

    def warnings(self) -> Iterable[tuple[tuple[str | int, ...], str]]:
        """Things worth telling the author that do not stop the render: yield ``(loc, message)``.

        For instance a gradient descent that diverges (a teaching moment,
        drawn clamped). Called by validation after :meth:`check` found
        nothing; ``mmlanim validate`` and ``render`` print each as
        ``PATH:LINE:COL: warning: message``. ``loc`` is as in :meth:`check`.
        """
        return ()

    def input_files(self) -> Iterable[Path]:
        """Files this visual reads (data files): they count in the segment's
        cache key, and ``preview --watch`` watches them."""
        return ()

    def background_mobjects(self) -> list[Any]:
        """The drawn objects that make up :meth:`background` (after :meth:`setup`): when the next segment
        continues this one, they stay as they are, not faded out over the next one's identical copy."""
        return []

    def target(self, name: str) -> Any:
        """The drawn object called ``name`` in :attr:`emphasis_targets` (after the beats that draw it),
        or None when it is not on screen."""
        return None

    def setup(self, scene: Any) -> None:
        """Build the mobjects; add what is on screen from the start."""

    def run_beat(self, name: str, scene: Any) -> Iterator[Any]:
        """The steps of beat ``name`` (see the module docstring)."""
        steps = getattr(self, name)(scene)
        return iter(steps or ())


def _collect_beats(cls: type) -> Iterator[BeatInfo]:
    seen: set[str] = set()
    for klass in reversed(cls.__mro__):
        for name, member in vars(klass).items():
            desc = getattr(member, "__mmlanim_beat__", None)
            if desc is not None and name not in seen:
                seen.add(name)
                yield BeatInfo(name, desc)

