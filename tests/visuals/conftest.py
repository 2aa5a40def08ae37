"""Fixtures for the visual tests: a fake scene, built visuals, the control-frame switch."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mmlanim.errors import LectureError
from mmlanim.lecture import load_lecture
from mmlanim.visuals import RenderContext, VisualContext, registry


@pytest.fixture
def regen_control(request: pytest.FixtureRequest) -> bool:
    """True with ``--regen-control`` (or MMLANIM_REGEN_CONTROL=1)."""
    try:
        flag = bool(request.config.getoption("--regen-control"))
    except ValueError:  # the option was not registered (conftest not initial)
        flag = False
    return flag or os.environ.get("MMLANIM_REGEN_CONTROL") == "1"


@pytest.fixture(autouse=True, scope="session")
def _manim_dirs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """manim writes its LaTeX cache into a session folder (shared by the tests, not ./media)."""
    import manim

    media = tmp_path_factory.mktemp("manim-media")
    old = manim.config.media_dir, manim.config.tex_dir
    manim.config.media_dir = str(media)
    manim.config.tex_dir = str(media / "Tex")
    yield
    manim.config.media_dir, manim.config.tex_dir = old


class FakeScene:
    """Records what a visual adds; enough for ``setup`` and the beats' generators."""

    def __init__(self) -> None:
        self.added: list[Any] = []
        self.pinned: list[Any] = []  # drawn flat on the screen (3-D kinds' panels and readouts)

    def add(self, *mobjects: Any) -> FakeScene:
        self.added.extend(mobjects)
        return self

    def remove(self, *mobjects: Any) -> FakeScene:
        for m in mobjects:
            if m in self.added:
                self.added.remove(m)
        return self

    # A 3-D kind's set-up points the camera, may start it turning and pins text: recorded, nothing drawn.
    def set_camera_orientation(self, **orientation: Any) -> None:
        self.camera_orientation = orientation

    def begin_ambient_camera_rotation(self, rate: float = 0.02, about: str = "theta") -> None:
        self.orbit_rate = self.camera_rate = rate

    def add_fixed_in_frame_mobjects(self, *mobjects: Any) -> None:
        self.add(*mobjects)
        self.pinned.extend(mobjects)

    def add_fixed_orientation_mobjects(self, *mobjects: Any, **kwargs: Any) -> None:
        self.add(*mobjects)


def build(kind: str, params: dict[str, Any] | None = None, base_dir: Path | None = None, *,
          draw_text: bool = False):
    """A visual of ``kind`` (its example, or ``params``), set up, with every beat's steps collected.

    Text is not drawn unless ``draw_text`` (fast: no LaTeX). Returns
    ``(visual, scene, steps)`` with ``steps[beat] = [tuple of animations, ...]``.
    """
    cls = registry()[kind]
    model = cls.model.model_validate({"kind": kind, **(cls.example if params is None else params)})
    context = VisualContext(base_dir=base_dir) if base_dir else None
    visual = cls(model, context).bound(RenderContext(draw_text=draw_text))
    scene = FakeScene()
    if getattr(cls, "three_d", False):  # where the kind moves the picture of space (SpaceCamera.offset)
        from mmlanim.visuals._space import SpaceCamera

        scene.camera = SpaceCamera()
    visual.setup(scene)
    steps = {}
    for b in cls.beats:
        steps[b.name] = [s if isinstance(s, tuple) else (s,) for s in visual.run_beat(b.name, scene)]
    return visual, scene, steps


def lecture(tmp_path: Path, visual: str) -> Path:
    """A one-segment lecture file with the given ``visual:`` body (YAML, dedented here)."""
    text = textwrap.dedent("""\
        title: T
        segments:
          - id: s
            narration: Hello.
            visual:
        """) + textwrap.indent(textwrap.dedent(visual).strip("\n"), " " * 6) + "\n"
    path = tmp_path / "lecture.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    """The located problems loading the lecture at ``path`` reports (it must fail)."""
    with pytest.raises(LectureError) as info:
        load_lecture(path)
    return [str(p) for p in info.value.problems]
