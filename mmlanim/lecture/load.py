"""Load a lecture file: YAML with positions, then the models, then semantic checks.

Every problem becomes a :class:`~mmlanim.errors.Problem` located at the
offending YAML node, so messages read ``lectures/x.yaml:LINE:COL: message``.
"""

from __future__ import annotations

__all__ = ["LoadedLecture", "load_lecture", "validate_file"]

import contextlib
import dataclasses
import re
import types
import typing
import warnings as _py_warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticUndefined

from ..errors import LectureError, Problem
from ..narration.markers import find_markers, marker_problems
from ..narration.rules import cue_problems
from ..narration.voice import Voice
from ..paths import resolve_lecture_file
from ..suggest import did_you_mean
from ..visuals import Visual, VisualContext, registry
from ..visuals.base import opening_of, too_large_to_draw
from .model import LectureBase, SegmentBase, lecture_model
from .shapes import SHAPE_ERRORS, describe, shape_message, strip_annotated
from .source import YamlSource, read_yaml

Loc = tuple[Any, ...]


@dataclass
class LoadedLecture:
    """A validated lecture and where it came from.

    Attributes
    ----------
    path : Path
        The lecture file.
    source : YamlSource
        Its text and node tree (for positions in later errors).
    lecture : LectureBase
        The validated lecture (an instance of :func:`lecture_model`).
    warnings : list of Problem
        Located warnings from the visuals (:meth:`Visual.warnings`), such as
        a gradient descent that diverges: worth telling the author, but the
        lecture renders. Each message starts with ``"warning: "``.
    """

    path: Path
    source: YamlSource
    lecture: LectureBase
    warnings: list[Problem] = field(default_factory=list)

    @property
    def base_dir(self) -> Path:
        return self.path.resolve().parent

    @property
    def stem(self) -> str:
        return self.path.stem

    def segment_index(self, segment_id: str) -> int:
        ids = [s.id for s in self.lecture.segments]
        if segment_id not in ids:
            raise LectureError.single(self.source.path, 1, 1, f"no segment with id {segment_id!r}"
                                      f"{did_you_mean(segment_id, ids)} (segments: {', '.join(ids)})")
        return ids.index(segment_id)

    def visual(self, segment: SegmentBase) -> Visual:
        """The visual object of a segment, ready to draw (knowing whether it continues the
        segment before it: same kind, same background)."""
        index = next(i for i, s in enumerate(self.lecture.segments) if s is segment)
        visual = self._visual(segment)
        if index > 0:
            # The picture the segment before ended on, to cross-fade from: all of it when this segment
            # starts afresh; when it continues that segment, its background is the same, so only what
            # was drawn on it fades away.
            before = self.lecture.segments[index - 1]
            opening = opening_of(before.visual, self.beats_for(before), before.title, self._continues(index - 1))
            visual.context = dataclasses.replace(visual.context, continues=self._continues(index), opening=opening)
        return visual

    def _continues(self, index: int) -> bool:
        """Whether segment ``index`` continues the one before: same kind, same background."""
        if index == 0:
            return False
        visual, before = (self._visual(self.lecture.segments[i]) for i in (index, index - 1))
        key = visual.background()
        return key is not None and before.kind == visual.kind and before.background() == key

    def _visual(self, segment: SegmentBase) -> Visual:
        params = segment.visual
        cls = registry()[params.kind]
        context = VisualContext(
            base_dir=self.base_dir,
            lecture_title=self.lecture.title,
            course=self.lecture.course,
            segment_title=segment.title,
            beats=tuple(segment.beats) if segment.beats else None,
        )
        return cls(params, context)

    def beats_for(self, segment: SegmentBase) -> tuple[str, ...]:
        """The beats the segment plays, in order: its ``beats:``, or all of its visual's."""
        return tuple(segment.beats) if segment.beats else registry()[segment.visual.kind].beat_names()

    def input_files(self, segment: SegmentBase) -> list[Path]:
        """The files a segment's render reads besides the lecture: its visual's data files,
        its recordings and its voice model (absolute; those that do not exist are kept too).

        The segment's cache key hashes them, and ``preview --watch`` watches them.
        """
        named: list[str | Path] = [segment.audio or ""]
        if isinstance(segment.narration, list):
            named += [cue.audio or "" for cue in segment.narration]
        named.append(self.voice_for(segment).model or "")
        visual = self.visual(segment)
        named += list(visual.input_files())
        if visual.context.opening is not None:  # it opens on the picture of the segment before
            index = next(i for i, s in enumerate(self.lecture.segments) if s is segment)
            named += list(self._visual(self.lecture.segments[index - 1]).input_files())
        return sorted({self.base_dir / name for name in named if name})

    def voice_for(self, segment: SegmentBase, override: dict[str, Any] | None = None) -> Voice:
        """The segment's voice: lecture voice, then segment keys, then ``override``."""
        voice = self.lecture.voice
        if segment.voice is not None:
            voice = voice.merged(**{k: getattr(segment.voice, k) for k in segment.voice.model_fields_set})
        return voice.merged(**override) if override else voice

    def problem(self, loc: Loc, message: str, *, column: int | None = None) -> Problem:
        """A problem at ``loc`` (see :meth:`YamlSource.problem` for ``column``)."""
        return self.source.problem(loc, message, column=column)


def load_lecture(path: str | Path) -> LoadedLecture:
    """Read, validate and check a lecture file.

    Raises
    ------
    LectureError
        With every problem found, each located at its line and column.
    """
    source = read_yaml(path)
    model = lecture_model()
    if not isinstance(source.data, dict):
        raise LectureError([source.problem((), "a lecture is a mapping with 'title' and 'segments'")])
    try:
        lecture = model.model_validate(source.data)
    except ValidationError as exc:
        raise LectureError(list(_problems_from_validation(exc, source, model))) from None
    loaded = LoadedLecture(Path(path), source, lecture)
    problems = list(_semantic_problems(loaded))
    if problems:
        raise LectureError(problems)
    loaded.warnings = sorted(_visual_warnings(loaded), key=lambda p: (p.line, p.col))
    return loaded


def validate_file(path: str | Path, *, warnings: list[Problem] | None = None) -> list[Problem]:
    """Problems in a lecture file (empty when it is valid).

    Parameters
    ----------
    path : str or Path
        The lecture file.
    warnings : list, optional
        When given, the warnings of a valid lecture are appended to it
        (see :attr:`LoadedLecture.warnings`).
    """
    try:
        loaded = load_lecture(path)
    except LectureError as exc:
        return exc.problems
    if warnings is not None:
        warnings.extend(loaded.warnings)
    return []


# -- semantic checks ----------------------------------------------------------

def _semantic_problems(loaded: LoadedLecture) -> Iterator[Problem]:
    lecture = loaded.lecture
    if lecture.voice.model:
        yield from _model_problems(loaded, ("voice", "model"), lecture.voice.model)
    first_line: dict[str, int] = {}
    for i, seg in enumerate(lecture.segments):
        loc = ("segments", i)
        if seg.id in first_line:
            yield loaded.problem((*loc, "id"), f"duplicate segment id '{seg.id}' "
                                 f"(first used on line {first_line[seg.id]}); give each segment its own id")
        else:
            first_line[seg.id] = loaded.source.locate((*loc, "id"))[0]

        visual = loaded.visual(seg)
        beats = visual.beat_names()
        yield from _narration_problems(loaded, i, seg)
        chosen = list(_chosen_beat_problems(loaded, i, seg, beats))
        yield from chosen
        playing = loaded.beats_for(seg) if not chosen else beats
        if isinstance(seg.narration, list):
            rules = cue_problems([c.beat for c in seg.narration], beats, playing, visual.kind)
            for problem in rules:
                yield loaded.problem((*loc, "narration", problem.cue, *(("beat",) if problem.at_beat else ())),
                                     problem.message)
            broken = {p.cue for p in rules if p.at_beat}
            for k, cue in enumerate(seg.narration):
                if k in broken:
                    continue
                recorded = cue.audio is not None or loaded.voice_for(seg).engine_name == "recorded"
                for offset, message in marker_problems(cue.say, cue.beat, playing, recorded):
                    yield loaded.problem((*loc, "narration", k, "say"), message, column=offset + 1)
            yield from _cue_order_problems(loaded, i, seg, beats)
            yield from _emphasis_problems(loaded, i, seg, type(visual))
        elif isinstance(seg.narration, str) and (found := find_markers(seg.narration)):
            yield loaded.problem((*loc, "narration"), "beat markers [[...]] need cues that name a beat "
                                 "(`- say: ...` with `beat:`)", column=found[0].start + 1)
        huge = list(_too_large_to_draw(seg.visual.model_dump(mode="python")))  # type: ignore[attr-defined]
        yield from _visual_problems(loaded, i, huge or _collect(visual.check))


def _emphasis_problems(loaded: LoadedLecture, i: int, seg: SegmentBase, cls: type[Visual]) -> Iterator[Problem]:
    """Cues pointing at objects the kind does not name, or pointing without a beat."""
    known = list(cls.emphasis_targets)
    for k, cue in enumerate(seg.narration if isinstance(seg.narration, list) else []):
        for j, name in enumerate(cue.emphasis):
            loc = ("segments", i, "narration", k, "emphasis", j)
            if not known:
                yield loaded.problem(loc, f"visual '{cls.kind}' names no objects to point at")
            elif name not in known:
                yield loaded.problem(loc, f"unknown object '{name}' for visual '{cls.kind}'"
                                          f"{did_you_mean(name, known)} (objects: {', '.join(known)})")
        if cue.emphasis and cue.beat is None:
            yield loaded.problem(("segments", i, "narration", k, "emphasis"),
                                 "`emphasis:` needs the cue's `beat:` (the objects are pointed at after it plays)")


def _too_large_to_draw(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """``(loc, message)`` for each decimal number in ``value`` beyond :data:`~mmlanim.visuals.base.MAX_DRAWN_MAGNITUDE`.

    Whole numbers (sample counts, seeds) are left to their own bounds.
    """
    if isinstance(value, float):
        problem = too_large_to_draw(value)
        if problem:
            yield loc, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _too_large_to_draw(item, (*loc, key))
    elif isinstance(value, (list, tuple)):
        for k, item in enumerate(value):
            yield from _too_large_to_draw(item, (*loc, k))


def _visual_problems(loaded: LoadedLecture, i: int,
                     found: Iterable[tuple[Any, ...]], prefix: str = "") -> Iterator[Problem]:
    """Problems from a visual's ``check()`` (or ``warnings()``) items, located in the segment's visual.

    An item is ``(loc, message)`` or ``(loc, message, column)``, ``column``
    being the 1-based column inside the value at ``loc`` (a formula's
    offending token).
    """
    for sub_loc, message, *column in found:
        loc = ("segments", i, "visual", *sub_loc)
        problem = loaded.problem(loc, prefix + str(message), column=column[0] if column else None)
        if column and column[0] is not None and (problem.line, problem.col) != loaded.source.locate(loc):
            # The caret is on the offending character: "at column N" of the formula would only confuse.
            problem = replace(problem, message=re.sub(r" at column \d+", "", problem.message, count=1))
        yield problem


def _visual_warnings(loaded: LoadedLecture) -> Iterator[Problem]:
    """Every visual's warnings, located (called once the lecture has no problems)."""
    for i, seg in enumerate(loaded.lecture.segments):
        visual = loaded.visual(seg)
        yield from _visual_problems(loaded, i, _collect(visual.warnings), prefix="warning: ")
        yield from _cues_on_beats_off(loaded, i, seg, visual)


def _chosen_beat_problems(loaded: LoadedLecture, i: int, seg: SegmentBase,
                          beats: tuple[str, ...]) -> Iterator[Problem]:
    """A segment's ``beats:`` names beats of its visual, each once, in the kind's order."""
    if not seg.beats:
        return
    order = {name: n for n, name in enumerate(beats)}
    for k, name in enumerate(seg.beats):
        where = ("segments", i, "beats", k)
        if name not in order:
            yield loaded.problem(where, f"unknown beat '{name}'{did_you_mean(name, beats)} "
                                 f"(beats: {', '.join(beats)})")
        elif name in seg.beats[:k]:
            yield loaded.problem(where, f"beat '{name}' is listed twice; list each beat once")
    known = [name for name in seg.beats if name in order]
    if known != sorted(set(known), key=order.__getitem__):
        yield loaded.problem(("segments", i, "beats"),
                             f"beats play in the kind's order; write them as "
                             f"[{', '.join(sorted(set(known), key=order.__getitem__))}]")


def _cue_order_problems(loaded: LoadedLecture, i: int, seg: SegmentBase,
                        beats: tuple[str, ...]) -> Iterator[Problem]:
    """Cues are written in the order their beats play (the transcript and subtitles read in
    that order): a cue whose beat plays before an earlier cue's is an error naming the order."""
    assert isinstance(seg.narration, list)
    order = {name: n for n, name in enumerate(beats)}
    latest: tuple[int, str] | None = None
    for k, cue in enumerate(seg.narration):
        if cue.beat not in order:
            continue
        if latest is not None and order[cue.beat] < latest[0]:
            yield loaded.problem(
                ("segments", i, "narration", k, "beat"),
                f"beat '{cue.beat}' plays before '{latest[1]}' (a cue above), but cues are spoken in the "
                f"order their beats play ({', '.join(beats)}): move this cue up")
        else:
            latest = (order[cue.beat], cue.beat)
            for marker in find_markers(cue.say):  # a [[beat]] inside the cue starts a later beat
                if marker.beat in order and order[marker.beat] > latest[0]:
                    latest = (order[marker.beat], marker.beat)


def _cues_on_beats_off(loaded: LoadedLecture, i: int, seg: SegmentBase, visual: Visual) -> Iterator[Problem]:
    """Warnings for cues on beats the parameters turn off.

    A kind says which of its beats show nothing, and which parameter decides,
    with an optional ``beats_off()`` method returning ``{beat: parameter}``.
    """
    if not isinstance(seg.narration, list):
        return
    hook = getattr(visual, "beats_off", None)
    if hook is None:
        return
    off: dict[str, str] = hook()
    for k, cue in enumerate(seg.narration):
        if cue.beat in off:
            key = off[cue.beat]
            value = getattr(visual.params, key, None)
            shown = {False: "false", True: "true", None: "not set"}.get(value, None) \
                if isinstance(value, bool) or value is None else str(value)
            if isinstance(value, list):
                shown = f"{len(value)} item{'s' if len(value) != 1 else ''}"
            setting = f"`{key}: {shown}`" if isinstance(value, bool) else f"`{key}` {shown}"
            yield loaded.problem(
                ("segments", i, "narration", k, "beat"),
                f"warning: beat '{cue.beat}' shows nothing with {setting}, so this cue is spoken over "
                f"a still picture; change `{key}` or attach the cue to another beat")


def _collect(hook: Any) -> list[tuple[Any, ...]]:
    """The items of a visual's ``check`` or ``warnings``; a ValueError it raises is an item at the visual."""
    try:
        with _quiet_numbers():
            return list(hook())
    except ValueError as exc:
        return [((), str(exc))]


@contextlib.contextmanager
def _quiet_numbers() -> Iterator[None]:
    """Silence numpy's floating-point warnings while visuals check their numbers.

    A check inspects its results (finite? singular?) and says what is wrong
    in the author's terms; numpy's ``RuntimeWarning: overflow encountered``
    lines would only interleave noise with the located problems.
    """
    with np.errstate(all="ignore"), _py_warnings.catch_warnings():
        _py_warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _narration_problems(loaded: LoadedLecture, i: int, seg: SegmentBase) -> Iterator[Problem]:
    """Recordings and voice models missing or outside the folder (the cue rules: narration.rules)."""
    loc = ("segments", i)
    cues = seg.narration if isinstance(seg.narration, list) else []
    recorded = loaded.voice_for(seg).engine_name == "recorded"
    files: list[tuple[Loc, str]] = [((*loc, "narration", k, "audio"), c.audio) for k, c in enumerate(cues) if c.audio]
    if seg.audio:
        files.append(((*loc, "audio"), seg.audio))
    for file_loc, name in files:
        try:
            resolve_lecture_file(name, loaded.base_dir, "audio file")
        except ValueError as exc:
            yield loaded.problem(file_loc, str(exc))
    if seg.voice is not None and seg.voice.model:
        yield from _model_problems(loaded, (*loc, "voice", "model"), seg.voice.model)
    if recorded and not seg.audio:
        for k, cue in enumerate(cues):
            if not cue.audio:
                yield loaded.problem((*loc, "narration", k), "the 'recorded' voice needs `audio:` on every "
                                     "cue (or one `audio:` file for the segment)")
        if isinstance(seg.narration, str):
            yield loaded.problem((*loc, "narration"), "the 'recorded' voice needs the segment's `audio:` file "
                                 "(or cues with `audio:`)")


def _model_problems(loaded: LoadedLecture, loc: Loc, model: str) -> Iterator[Problem]:
    """A piper voice model must lie inside the lecture's folder (it need not exist until it is used)."""
    try:
        resolve_lecture_file(model, loaded.base_dir, "piper voice model", must_exist=False)
    except ValueError as exc:
        yield loaded.problem(loc, str(exc))


# -- pydantic errors to problems ----------------------------------------------

def _problems_from_validation(exc: ValidationError, source: YamlSource,
                              model: type[BaseModel]) -> Iterator[Problem]:
    told: dict[Loc, int] = {}
    errors = exc.errors(include_url=False)
    shaped = [_shape_problem(err, source, model) for err in errors]
    counts: dict[Loc, int] = {}
    for found in shaped:
        if found is not None:
            counts[found[0]] = counts.get(found[0], 0) + 1
    for err, found in zip(errors, shaped):
        if found is not None:
            key, message_for, loc = found
            if key not in told:
                told[key] = 1
                yield source.problem(loc, message_for(counts[key]))
            continue
        loc = _clean_loc(model, tuple(err["loc"]))[0]
        kind = err["type"]
        where = _dotted(loc)
        if kind == "missing":
            parent = loc[:-1]
            yield source.problem(parent, f"{_dotted(parent) or 'lecture'}: missing required field '{loc[-1]}'")
        elif kind == "extra_forbidden":
            parent_model = _clean_loc(model, tuple(err["loc"])[:-1])[1]
            fields = list(parent_model.model_fields) if _is_model(parent_model) else []
            hint = _key_hint(tuple(err["loc"])) or (did_you_mean(loc[-1], fields) if fields else "")
            if fields and not hint:
                hint = f" (allowed: {', '.join(fields)})"
            yield source.problem(loc, f"{_dotted(loc[:-1]) or 'lecture'}: unknown key '{loc[-1]}'{hint}",
                                 at_key=True)
        elif kind == "invalid_key":
            yield _key_problem(source, loc[:-1], err.get("input"))
        elif kind in ("union_tag_invalid", "union_tag_not_found") and _is_visual(loc):
            yield _visual_kind_problem(source, loc, err)
        else:
            msg = err["msg"]
            if msg.startswith("Input should be"):
                msg = "should be" + msg[len("Input should be"):]
            elif msg.startswith("Value error, "):
                msg = msg[len("Value error, "):]
            elif kind == "string_pattern_mismatch" and loc[-1] == "id":
                msg = "ids use only letters, digits, '-' and '_'"
            got = err.get("input")
            if isinstance(got, (str, int, float, bool)):
                shown = repr(got) if not isinstance(got, str) or len(got) < 40 else repr(got[:37] + "...")
                msg += f" (got {shown})"
            yield source.problem(loc, f"{where}: {msg}" if where else msg)


def _shape_problem(err: Any, source: YamlSource, model: type[BaseModel]) -> tuple[Loc, Any, Loc] | None:
    """``(group key, message(count), loc)`` for a shape or type error in a list-of-numbers field, else None.

    Errors of one field, of one kind, at one depth share a group key: the
    loader tells each group once, at its first error.
    """
    if err["type"] not in SHAPE_ERRORS:
        return None
    raw = tuple(err["loc"])
    at = max((k for k, part in enumerate(raw) if isinstance(part, str)), default=None)
    if at is None:
        return None
    name, depth = raw[at], len(raw) - at - 1
    holder = _clean_loc(model, raw[:at])[1]
    if not _is_model(holder) or name not in holder.model_fields:
        return None
    info = holder.model_fields[name]
    example = None if info.default in (None, PydanticUndefined) else info.default
    if example is None and len(raw) >= 2 and raw[at - 1] in registry() and raw[at - 2] == "visual":
        example = registry()[raw[at - 1]].example.get(name)
    if describe(name, info) is None:
        return None
    loc = _clean_loc(model, raw)[0]
    family = "number" if err["type"] not in ("too_short", "too_long", "list_type") else "shape"
    key = (*loc[: len(loc) - depth], family, depth)

    def message(count: int) -> str:
        text = shape_message(name, info, example, err, depth, count)
        return f"{_dotted(loc)}: {err['msg']}" if text is None else text

    if shape_message(name, info, example, err, depth) is None:
        return None
    return key, message, loc


def _key_hint(raw: Loc) -> str:
    """A visual kind's own advice for a key it does not take (its ``key_hints``), or ''."""
    at = max((k for k, part in enumerate(raw) if part == "visual"), default=None)
    if at is None or at + 1 >= len(raw) or raw[at + 1] not in registry():
        return ""
    if len(raw) != at + 3:  # only keys of the visual itself
        return ""
    hints = getattr(registry()[raw[at + 1]], "key_hints", {})
    return f"; {hints[raw[-1]]}" if raw[-1] in hints else ""


def _key_problem(source: YamlSource, parent: Loc, key: Any) -> Problem:
    """A key that is not text (``1:``, ``null:``), located at the first such key of its mapping."""
    node = source.node_at(parent)
    if isinstance(node, yaml.MappingNode):
        node = next((k for k, _ in node.value if k.tag != "tag:yaml.org,2002:str"), node)
    mark = node.start_mark
    shown = repr(key) if len(repr(key)) < 40 else repr(key)[:37] + "..."
    return source.problem_at(mark.line + 1, mark.column + 1,
                             f"{_dotted(parent) or 'lecture'}: keys are names, not {shown}")


def _visual_kind_problem(source: YamlSource, loc: Loc, err: Mapping[str, Any]) -> Problem:
    kinds = list(registry())
    value = err.get("input")
    kind = value.get("kind") if isinstance(value, dict) else None
    if kind is None:
        return source.problem(loc, f"{_dotted(loc)}: missing 'kind' (one of: {', '.join(kinds)})")
    return source.problem((*loc, "kind"), f"unknown visual kind '{kind}'{did_you_mean(str(kind), kinds)} "
                          f"(see `mmlanim visuals`)")


def _is_visual(loc: Loc) -> bool:
    return len(loc) >= 1 and loc[-1] == "visual"


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _branch_tag(branch: Any) -> str | None:
    """The tag pydantic puts in an error's ``loc`` for a union branch: a ``Tag``, or the branch's ``kind``."""
    model, meta = strip_annotated(branch)
    for m in meta:
        tag = getattr(m, "tag", None)
        if isinstance(tag, str):
            return tag
    if _is_model(model) and "kind" in model.model_fields:
        kind = typing.get_args(model.model_fields["kind"].annotation)
        if len(kind) == 1 and isinstance(kind[0], str):
            return kind[0]
    return None


def _clean_loc(model: type[BaseModel], loc: Loc) -> tuple[Loc, Any]:
    """Drop union tags from a pydantic ``loc``; also return the type reached."""
    t: Any = model
    clean: list[Any] = []
    for part in loc:
        t, _ = strip_annotated(t)
        origin = typing.get_origin(t)
        if origin in (typing.Union, types.UnionType):
            branch = next((b for b in typing.get_args(t) if _branch_tag(b) == part), None)
            if branch is not None or isinstance(part, str) and part not in _keys_hint(t):
                t = branch
                continue
        clean.append(part)
        if _is_model(t) and isinstance(part, str):
            field = t.model_fields.get(part)
            t = field.annotation if field is not None else None
            if field is not None:
                # Annotated metadata lives on the FieldInfo; keep discriminated unions visible.
                t = typing.Annotated[t, *field.metadata] if field.metadata else t
        elif origin in (list, tuple) and isinstance(part, int):
            args = typing.get_args(t)
            t = args[0] if origin is list or len(args) == 2 and args[1] is Ellipsis else (
                args[part] if part < len(args) else None)
        else:
            t = None
    return tuple(clean), strip_annotated(t)[0]


def _keys_hint(union: Any) -> set[str]:
    """Field names any branch of a union accepts (to tell tags from keys)."""
    keys: set[str] = set()
    for b in typing.get_args(union):
        b, _ = strip_annotated(b)
        if _is_model(b):
            keys.update(b.model_fields)
    return keys


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
