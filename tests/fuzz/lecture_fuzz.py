"""Fuzzing lectures: hypothesis strategies that mutate valid lectures, and the verdict on a run.

Shared by ``tests/fuzz/test_fuzz_lectures.py`` (a few hundred cases in CI)
and ``scripts/fuzz_lectures.py`` (many thousands on demand).

A case starts from a valid lecture (``lectures/**/*.yaml``, ``tests/data/*.yaml``),
applies a few structural mutations to its data (wrong types, missing and
extra keys, extreme and non-finite numbers, unicode, very long strings and
lists, duplicated ids, swapped kinds, hostile formulas and file names), dumps
it as YAML and sometimes damages the text (random bytes, cut lines,
duplicated keys, YAML tricks). :func:`judge` runs ``mmlanim`` on it through
click's CliRunner and says whether the run behaved: valid (exit 0), or
exit 1 with every problem printed as ``PATH:LINE:COL: message`` (followed by
the source line and a caret), never a traceback, and nothing written in the
workspace.
"""

from __future__ import annotations

__all__ = [
    "CHEAP_KINDS",
    "Case",
    "Hang",
    "Verdict",
    "dry_render_args",
    "judge",
    "lectures",
    "make_workspace",
    "seed_lectures",
    "time_limit",
    "validate_args",
]

import contextlib
import copy
import math
import os
import re
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

#: Visual kinds cheap enough to dry-render by the dozen in CI.
CHEAP_KINDS = ("title", "vectors", "basis_change")

#: The lecture file inside the workspace (the lecture folder is ``lecture/``).
LECTURE = Path("lecture") / "lecture.yaml"

_EXTREME_NUMBERS: list[Any] = [math.nan, math.inf, -math.inf, 1e308, -1e308, -0.0, 5e-324, 1e-308, 0, -1,
                               10**20, 2**63, 10**500, 0.1, 1e16]
_WRONG_TYPES: list[Any] = [0, 1.5, "text", "", [], {}, None, True, [1, 2], {"a": 1}, [[1, 2], [3]], "1e3"]
_UNICODE: list[str] = ["é", "名前", "\u202e", "\u2028", "line\nbreak", "tab\there", "🙂", "\x00", "\x1b[31m",
                       "a\u0301", "\ufeff", "'", '"', "\\", "${x}", "%s", "{kind: title}"]
_KEYS = ["kind", "id", "titel", "title", "extra", "narration", "audio", "voice", "data", "x", "__class__",
         "beat", "say", "function", "csv", "model", "segments", "1"]
_FORMULAS = ["__import__('os').system('touch marker')", "x.__class__", "().__class__.__bases__[0]",
             "open('marker', 'w')", "lambda: 1", "[i for i in (1, 2)]", "'abc'", "x[0]", "9**9**9",
             "x**x**x**x**x**x", "(" * 60 + "x" + ")" * 60, "exp(" * 60 + "x" + ")" * 60, "x+" * 300 + "x",
             "1/(x - x)", "x +", "", "x\n+1", "exp(exp(exp(x)))", "x**2 + 1e308*y**2", "log(x) + sqrt(y)",
             "sin(x)*cos(y)", "x**2 + 3*y**2", "abs(x) + abs(y)", "tanh(x*y)", "x*y"]
_PATHS = ["../secret.csv", "/etc/passwd", "data/../../secret.csv", "", "data", "missing.csv", "/dev/zero",
          "link-out.csv", "x" * 2000, "data/study-hours.csv", "data/header-only.csv", "data/nan.csv",
          "a\x00b", "~/x.csv", "loop.csv", "data/big-field.csv", "data/latin1.csv"]
_SNIPPETS = ["&a ", "*a", "!!python/object:os.system ", "!!python/object/apply:os.system ['touch marker'] ",
             "!!binary ", "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!set ", "<<: *a\n", "? ", "{", "[",
             "- ", "\t", "%YAML 1.1\n", "---\n", "...\n", "!foo ", "|\n", ">-\n", "'", '"', "#", ": ", "@",
             "`", "2024-13-45 ", "0x", "0o", "1_000 ", ".nan ", ".inf ", "~ ", "\ufeff", "\u2028"]
_BOMB = ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n")


@dataclass(frozen=True)
class Case:
    """One fuzzed lecture: its bytes and how they were made (for reports)."""

    text: bytes
    notes: tuple[str, ...]

    def __repr__(self) -> str:  # hypothesis prints this for a failing example
        return f"Case(notes={self.notes!r}, text={self.text[:3000]!r})"


@dataclass
class Verdict:
    """How ``mmlanim`` handled a case: 'valid', 'invalid', or 'bad' with the reasons."""

    outcome: str
    reasons: list[str] = field(default_factory=list)
    output: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome != "bad"


# -- seeds ---------------------------------------------------------------------

def seed_lectures(root: Path = ROOT) -> list[tuple[Path, dict[str, Any]]]:
    """The valid lectures mutations start from: ``(file, data)`` pairs."""
    files = sorted((root / "lectures").rglob("*.yaml")) + sorted((root / "tests" / "data").glob("*.yaml"))
    return [(f, yaml.safe_load(f.read_text(encoding="utf-8"))) for f in files]


def _cheap_seeds(seeds: list[tuple[Path, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """One-segment lectures of the cheap kinds, with a short narration (quick to dry-render)."""
    out = []
    for path, data in seeds:
        name = path.name
        for seg in data.get("segments", []):
            if seg.get("visual", {}).get("kind") in CHEAP_KINDS:
                seg = copy.deepcopy(seg)
                if isinstance(seg["narration"], str):
                    seg["narration"] = "A short line."
                else:
                    for cue in seg["narration"]:
                        cue["say"] = "Short."
                out.append((f"{name}#{seg['id']}", {"title": data["title"], "segments": [seg]}))
    return out


# -- structural mutations ------------------------------------------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into a data tree (the root is ``()``)."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """Replace the node at ``path`` (returns the new root)."""
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def _pick(draw: Draw, data: Any, accept: Callable[[Any], bool] = lambda _: True) -> tuple[Any, ...] | None:
    paths = [p for p in _paths(data) if accept(_get(data, p))]
    return draw(st.sampled_from(paths)) if paths else None


def _segments(data: Any) -> list[Any]:
    segs = data.get("segments") if isinstance(data, dict) else None
    return [s for s in segs if isinstance(s, dict)] if isinstance(segs, list) else []


def _wrong_type(draw: Draw, data: Any) -> tuple[Any, str]:
    path = _pick(draw, data)
    value = draw(st.sampled_from(_WRONG_TYPES))
    return _set(data, path, copy.deepcopy(value)), f"wrong type at {path}: {value!r}"


def _missing_key(draw: Draw, data: Any) -> tuple[Any, str]:
    path = _pick(draw, data, lambda n: isinstance(n, dict) and bool(n))
    if path is None:
        return data, "missing key: no mapping"
    key = draw(st.sampled_from(sorted(_get(data, path), key=str)))
    del _get(data, path)[key]
    return data, f"missing key {key!r} at {path}"


def _extra_key(draw: Draw, data: Any) -> tuple[Any, str]:
    path = _pick(draw, data, lambda n: isinstance(n, dict))
    if path is None:
        return data, "extra key: no mapping"
    key = draw(st.sampled_from(_KEYS + [0, None, 1.5]))
    value = draw(st.sampled_from(_WRONG_TYPES + ["title", "vectors"]))
    _get(data, path)[key] = copy.deepcopy(value)
    return data, f"extra key {key!r}={value!r} at {path}"


def _extreme_number(draw: Draw, data: Any) -> tuple[Any, str]:
    numeric = lambda n: isinstance(n, (int, float)) and not isinstance(n, bool)  # noqa: E731
    path = _pick(draw, data, numeric) or _pick(draw, data, lambda n: not isinstance(n, (dict, list)))
    value = draw(st.sampled_from(_EXTREME_NUMBERS))
    return _set(data, path, value), f"number at {path}: {value!r}"[:200]


def _unicode(draw: Draw, data: Any) -> tuple[Any, str]:
    path = _pick(draw, data, lambda n: isinstance(n, str)) or ()
    value = draw(st.sampled_from(_UNICODE) | st.text(st.characters(exclude_categories=("Cs",)), max_size=12))
    return _set(data, path, value), f"unicode at {path}: {value!r}"


def _long_string(draw: Draw, data: Any) -> tuple[Any, str]:
    path = _pick(draw, data, lambda n: isinstance(n, str)) or ()
    unit = draw(st.sampled_from(["x", "word ", "é", "(", "[", "{", ".", "-", " ", "\\"]))
    value = unit * draw(st.sampled_from([500, 5_000, 60_000]))
    return _set(data, path, value), f"long string at {path}: {unit!r} * {len(value) // len(unit)}"


def _long_list(draw: Draw, data: Any) -> tuple[Any, str]:
    path = _pick(draw, data, lambda n: isinstance(n, list) and bool(n))
    if path is None:
        return data, "long list: no list"
    items = _get(data, path)
    item_size = max(len(repr(item)) for item in items[:5])
    n = min(draw(st.sampled_from([50, 1_000, 5_000])), max(2, 2_000_000 // item_size))  # at most ~2 MB
    _set(data, path, [copy.deepcopy(items[i % len(items)]) for i in range(n)])
    return data, f"long list at {path}: {n} items"


def _duplicate_id(draw: Draw, data: Any) -> tuple[Any, str]:
    segs = _segments(data)
    if not segs:
        return data, "duplicate id: no segments"
    if len(segs) >= 2 and draw(st.booleans()):
        i, j = draw(st.sampled_from([(i, j) for i in range(len(segs)) for j in range(len(segs)) if i != j]))
        segs[j]["id"] = segs[i].get("id")
        return data, f"segment {j} gets the id of segment {i}"
    data["segments"].append(copy.deepcopy(segs[0]))
    return data, "segment 0 duplicated"


def _swap_kind(draw: Draw, data: Any, kinds: tuple[str, ...]) -> tuple[Any, str]:
    visuals = [s["visual"] for s in _segments(data) if isinstance(s.get("visual"), dict)]
    if not visuals:
        return data, "swap kind: no visual"
    visual = draw(st.sampled_from(visuals))
    kind = draw(st.sampled_from(kinds))
    old, visual["kind"] = visual.get("kind"), kind
    return data, f"kind {old!r} -> {kind!r}"


def _swap_visuals(draw: Draw, data: Any) -> tuple[Any, str]:
    segs = [s for s in _segments(data) if "visual" in s]
    if len(segs) < 2:
        return data, "swap visuals: fewer than two"
    i, j = draw(st.sampled_from([(i, j) for i in range(len(segs)) for j in range(i + 1, len(segs))]))
    segs[i]["visual"], segs[j]["visual"] = segs[j]["visual"], segs[i]["visual"]
    return data, f"visuals of segments {i} and {j} swapped"


def _formula(draw: Draw, data: Any) -> tuple[Any, str]:
    visuals = [s["visual"] for s in _segments(data) if isinstance(s.get("visual"), dict)]
    if not visuals:
        return data, "formula: no visual"
    visual = draw(st.sampled_from(visuals))
    text = draw(st.sampled_from(_FORMULAS) | st.text("xy0123456789+-*/().e_ ,[]'abcdfgijklmnopqrstuvwz=<>@%^&|~:",
                                                     max_size=30))
    visual["kind"] = "gradient_descent"
    for key in list(visual):
        if key not in ("kind", "function", "domain", "start", "learning_rate", "steps"):
            del visual[key]
    visual["function"] = text
    return data, f"gradient_descent function {text!r}"


def _file_name(draw: Draw, data: Any) -> tuple[Any, str]:
    segs = _segments(data)
    if not segs:
        return data, "file name: no segments"
    seg = draw(st.sampled_from(segs))
    name = draw(st.sampled_from(_PATHS))
    where = draw(st.sampled_from(["csv", "audio", "cue audio", "model"]))
    if where == "csv":
        seg["visual"] = {"kind": draw(st.sampled_from(["linear_regression", "pca_projection"])),
                         "data": {"csv": name, "columns": [0, 1]}}
        seg["narration"] = "Data."
    elif where == "audio":
        seg["audio"] = name
    elif where == "cue audio" and isinstance(seg.get("narration"), list) and seg["narration"]:
        seg["narration"][0]["audio"] = name
    else:
        seg["voice"] = {"engine": "piper", "model": name}
    return data, f"{where} file {name!r}"[:200]


def _voice(draw: Draw, data: Any) -> tuple[Any, str]:
    if not isinstance(data, dict):
        return data, "voice: root is not a mapping"
    voice = {"engine": draw(st.sampled_from(["espeak", "piper", "recorded", "silent", "x", 3])),
             "rate": draw(st.sampled_from([80, 450, 79, 451, 0, -1, 1e308, "fast"])),
             "voice": draw(st.sampled_from(["en-us", "", "-w /tmp/x", "../../etc/passwd", "de"]))}
    data["voice"] = voice
    return data, f"voice {voice!r}"


def _structural(kinds: tuple[str, ...], small: bool) -> list[Callable[[Draw, Any], tuple[Any, str]]]:
    ops: list[Callable[[Draw, Any], tuple[Any, str]]] = [
        _wrong_type, _missing_key, _extra_key, _extreme_number, _unicode, _duplicate_id,
        lambda draw, data: _swap_kind(draw, data, kinds), _swap_visuals, _voice,
    ]
    if not small:
        ops += [_long_string, _long_list, _formula, _file_name]
    return ops


# -- text mutations --------------------------------------------------------------------

def _damage_text(draw: Draw, text: bytes) -> tuple[bytes, str]:
    how = draw(st.sampled_from(["bytes", "cut", "duplicate line", "snippet", "bomb", "truncate", "indent"]))
    at = draw(st.integers(0, len(text)))
    if how == "bytes":
        junk = draw(st.binary(min_size=1, max_size=6))
        return text[:at] + junk + text[at:], f"bytes {junk!r} at {at}"
    if how == "cut":
        n = draw(st.integers(1, 40))
        return text[:at] + text[at + n:], f"cut {n} bytes at {at}"
    lines = text.split(b"\n")
    k = draw(st.integers(0, max(len(lines) - 1, 0)))
    if how == "duplicate line":
        return b"\n".join(lines[:k + 1] + lines[k:]), f"line {k + 1} duplicated"
    if how == "snippet":
        snippet = draw(st.sampled_from(_SNIPPETS)).encode()
        line = lines[k]
        col = draw(st.integers(0, len(line)))
        lines[k] = line[:col] + snippet + line[col:]
        return b"\n".join(lines), f"{snippet!r} at line {k + 1}, column {col + 1}"
    if how == "bomb":
        return _BOMB.encode() + text, "alias bomb first"
    if how == "indent":
        lines[k] = b" " * draw(st.integers(1, 3)) + lines[k]
        return b"\n".join(lines), f"line {k + 1} indented"
    return text[:at], f"truncated at {at}"


@st.composite
def lectures(draw: Draw, seeds: list[tuple[Path, dict[str, Any]]], kinds: tuple[str, ...], *,
             small: bool = False) -> Case:
    """A mutated lecture.

    Parameters
    ----------
    seeds : list of (file, data)
        Valid lectures (:func:`seed_lectures`).
    kinds : tuple of str
        The registered visual kinds (for swapped kinds).
    small : bool
        Quick to dry-render: one segment of a cheap kind, short narration,
        no long strings or lists, no damaged text; swapped kinds stay cheap.
    """
    pool = _cheap_seeds(seeds) if small else [(path.name, data) for path, data in seeds]
    name, data = draw(st.sampled_from(pool))
    data = copy.deepcopy(data)
    notes = [f"from {name}"]
    ops = _structural(CHEAP_KINDS if small else kinds, small)
    for _ in range(draw(st.integers(0, 1 if small else 3))):
        data, note = draw(st.sampled_from(ops))(draw, data)
        notes.append(note)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")
    if not small and draw(st.integers(0, 3)) == 0:
        text, note = _damage_text(draw, text)
        notes.append(note)
    return Case(text, tuple(notes))


# -- the workspace and the verdict ----------------------------------------------------------

def make_workspace(path: Path, *, hostile_data: bool = False) -> Path:
    """A workspace with the lecture folder ``lecture/`` (its data files) and files around it.

    ``secret.csv`` lies outside the lecture folder, ``lecture/link-out.csv``
    links to it, ``lecture/loop.csv`` is a symbolic link loop. With
    ``hostile_data``, ``data/big-field.csv`` (a 200 kB field) and
    ``data/latin1.csv`` (not UTF-8) are there too: the CSV reader does not
    yet turn them into located problems (see docs/security.md), so CI leaves
    them out and ``scripts/fuzz_lectures.py`` puts them in.
    """
    folder = path / "lecture"
    (folder / "data").mkdir(parents=True)
    for shipped in (ROOT / "lectures").rglob("data/*"):  # the data files of every course's lectures
        shutil.copy(shipped, folder / "data" / shipped.name)
    (folder / "data" / "header-only.csv").write_text("a,b\n", encoding="utf-8")
    (folder / "data" / "nan.csv").write_text("a,b\n1,2\nnan,3\n4,inf\n", encoding="utf-8")
    if hostile_data:
        (folder / "data" / "big-field.csv").write_text('a,b\n1,"' + "2" * 200_000 + '"\n3,4\n', encoding="utf-8")
        (folder / "data" / "latin1.csv").write_bytes(b"a,b\n1,2\n3,\xe9\n")
    (path / "secret.csv").write_text("a,b\n1,2\n3,4\n", encoding="utf-8")
    (folder / "link-out.csv").symlink_to(path / "secret.csv")
    (folder / "loop.csv").symlink_to(folder / "loop.csv")
    return path


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every entry under ``folder`` (not following links) with its size and modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st_ = p.lstat()
            out[str(p.relative_to(folder))] = (st_.st_size, st_.st_mtime_ns)
    return out


def validate_args() -> list[str]:
    return ["validate", str(LECTURE)]


def dry_render_args() -> list[str]:
    return ["render", str(LECTURE), "--dry-run", "--voice", "silent", "-q", "l", "-r", "64,36", "-j", "1",
            "--quiet", "-o", "out"]


class Hang(BaseException):  # noqa: N818 - not an Exception, so nothing on the way catches it
    """A run took longer than its time limit."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds`` (POSIX)."""
    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


_PYTHON_WARNING = re.compile(r"^\S.*:\d+: \w*Warning: |^  \S")  # a warnings.warn line and its source line


def _problem_lines(stderr: str, path: str, n_lines: int, *, allow_python_warnings: bool) -> list[str]:
    """Why ``stderr`` is not a list of located problems (empty when it is)."""
    head = re.compile(rf"^{re.escape(path)}:(\d+):(\d+): \S.*$")
    lines = stderr.splitlines()
    reasons = []
    i = 0
    while i < len(lines):
        m = head.match(lines[i])
        if m is None:
            if not (allow_python_warnings and _PYTHON_WARNING.match(lines[i])):
                reasons.append(f"output line {i + 1} is not 'PATH:LINE:COL: message': {lines[i][:200]!r}")
            i += 1
            continue
        line, col = int(m[1]), int(m[2])
        if not (1 <= line <= n_lines + 1 and col >= 1):
            reasons.append(f"position {line}:{col} is outside the file ({n_lines} lines)")
        i += 1
        if i + 1 < len(lines) and lines[i].startswith("    ") and re.fullmatch(r" *\^", lines[i + 1]):
            i += 2  # the source line and the caret
    return reasons


def judge(runner: Any, main: Any, workspace: Path, case: Case, args: list[str], *,
          seconds: int = 20) -> Verdict:
    """Write ``case`` as the workspace's lecture, run ``mmlanim ARGS`` there and judge the run.

    A run is good when it ends valid (exit 0) or with exit status 1 and
    every output line a located problem (with its source line and caret);
    it never raises (a ``SystemExit`` aside), never prints a traceback, never
    takes more than ``seconds``, and leaves the workspace as it was (only the
    lecture file is rewritten). Python warning lines are tolerated in render
    output (manim and numpy print them), not in validate output.
    """
    lecture = workspace / LECTURE
    lecture.write_bytes(case.text)
    before = _snapshot(workspace)
    rendering = args[0] == "render"
    with contextlib.chdir(workspace):
        try:
            with time_limit(seconds):
                result = runner.invoke(main, args, catch_exceptions=True)
        except Hang as exc:
            return Verdict("bad", [str(exc)])
    reasons = []
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        reasons.append(f"raised {type(result.exception).__name__}: {result.exception}")
    if "Traceback" in output:
        reasons.append("printed a traceback")
    after = _snapshot(workspace)
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        reasons.append(f"the workspace changed: {changed[:5]}")
    n_lines = len(case.text.splitlines())
    if result.exit_code == 0:
        outcome = "valid"
        if not rendering and "1 lecture valid" not in result.stdout:
            reasons.append(f"exit 0 without '1 lecture valid': {result.stdout[:200]!r}")
        if not rendering:
            reasons += _problem_lines(result.stderr, str(LECTURE), n_lines, allow_python_warnings=False)
    elif result.exit_code == 1:
        outcome = "invalid"
        if not result.stderr.strip():
            reasons.append("exit 1 without a message")
        reasons += _problem_lines(result.stderr, str(LECTURE), n_lines, allow_python_warnings=rendering)
    else:
        outcome = "bad"
        reasons.append(f"exit status {result.exit_code}")
    return Verdict("bad" if reasons else outcome, reasons, output)
