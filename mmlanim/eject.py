"""``mmlanim eject``: a segment as a plain manim Python file.

The file imports mmlanim's visual classes with the segment's parameters and
beat durations filled in, and renders with manim's own CLI::

    manim -ql basis.py Basis
"""

from __future__ import annotations

__all__ = ["eject_segment", "ejected_source"]

import pprint
from pathlib import Path
from typing import Any

from .errors import UserError
from .fsutil import write_text_atomic
from .lecture import load_lecture

TEMPLATE = '''"""Segment {segment_id!r} of {lecture!r}, ejected by mmlanim {version}.

Render it with manim's own command line:

    manim -ql {file_name} {class_name}

Change the parameters or the beat durations below, or subclass the visual to go
beyond what the lecture format offers.
"""

from pathlib import Path

from mmlanim.render.scene import scene_class_for
from mmlanim.visuals import VisualContext, registry

KIND = {kind!r}
PARAMS = {params}
CONTEXT = VisualContext(
    base_dir=Path({base_dir!r}),
    lecture_title={lecture_title!r},
    course={course!r},
    segment_title={segment_title!r},
    continues={continues!r},
    opening={opening!r},
)
# Beat names and their durations in seconds (timed to the narration when ejected).
BEATS = {beats}
# Seconds a beat's animation takes, where a cue sets it (others play at their natural length).
RUN_TIMES = {run_times!r}
# Objects pointed at after each beat.
EMPHASIS = {emphasis!r}


class {class_name}(scene_class_for(registry()[KIND])):
    def __init__(self, **kwargs):
        visual_class = registry()[KIND]
        visual = visual_class(visual_class.model.model_validate(PARAMS), CONTEXT)
        super().__init__(visual, BEATS, run_times=RUN_TIMES, emphasis=EMPHASIS, **kwargs)
'''


def _class_name(segment_id: str) -> str:
    name = "".join(part.capitalize() for part in segment_id.replace("-", "_").split("_") if part)
    return name if name[:1].isalpha() else f"Segment{name}"


def ejected_source(lecture_path: str | Path, segment_id: str, file_name: str = "segment.py",
                   beat_durations: dict[str, float] | None = None) -> tuple[str, str]:
    """The Python source of an ejected segment and its scene class name.

    ``beat_durations`` defaults to the narration's timing (synthesised through
    the audio cache, so the ejected scene matches the rendered segment).
    """
    from . import __version__
    from .narration.cache import AudioCache
    from .narration.plan import plan_segment
    from .paths import default_cache_dir

    loaded = load_lecture(lecture_path)
    seg = loaded.lecture.segments[loaded.segment_index(segment_id)]
    visual = loaded.visual(seg)
    if beat_durations is None:
        audio = plan_segment(seg.cue_specs(), loaded.beats_for(seg), loaded.voice_for(seg), loaded.base_dir,
                             AudioCache(default_cache_dir() / "audio"), at_least=seg.beat_minimums())
        beats = [(b.beat, round(b.duration, 6)) for b in audio.beats]
    else:
        beats = [(name, beat_durations.get(name, 1.0)) for name in loaded.beats_for(seg)]
    params: dict[str, Any] = seg.visual.model_dump(mode="json")  # type: ignore[attr-defined]
    class_name = _class_name(seg.id)
    ctx = visual.context
    source = TEMPLATE.format(
        segment_id=seg.id, lecture=str(lecture_path), version=__version__, file_name=file_name,
        class_name=class_name, kind=params["kind"], params=pprint.pformat(params, sort_dicts=False, width=100),
        base_dir=str(ctx.base_dir), lecture_title=ctx.lecture_title, course=ctx.course,
        segment_title=ctx.segment_title, continues=ctx.continues, opening=ctx.opening,
        beats="[\n" + "".join(f"    {b!r},\n" for b in beats) + "]", run_times=seg.run_times(),
        emphasis=seg.emphasis(),
    )
    return source, class_name


def eject_segment(lecture_path: str | Path, segment_id: str, out: Path | None = None,
                  *, force: bool = False) -> Path:
    """Write the ejected segment to ``out`` (default ``<segment id>.py`` in the current folder)."""
    out = Path(out) if out else Path(f"{segment_id.replace('-', '_')}.py")
    if out.exists() and not force:
        raise UserError(f"{out} already exists (use --force to overwrite it)")
    source, _ = ejected_source(lecture_path, segment_id, out.name)
    write_text_atomic(out, source)
    return out
