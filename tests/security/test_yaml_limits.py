"""YAML from strangers: safe loading only, bounded, every refusal located and quick."""

from __future__ import annotations

import os
import threading
import time

import pytest
import yaml

from mmlanim.errors import LectureError
from mmlanim.lecture import load_lecture
from mmlanim.lecture.source import MAX_BYTES, MAX_DEPTH, MAX_NODES, one_line, read_yaml

from .conftest import assert_clean_failure

QUICK = 1.0  # seconds: refusals must be this quick

VALID = "title: T\nsegments:\n  - id: a\n    narration: Hello.\n    visual: {kind: title}\n"

BILLION_LAUGHS = """\
a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
title: *i
"""


def refusal(path) -> tuple[str, float]:
    """The single problem of a refused file, as printed, and the time the refusal took."""
    start = time.perf_counter()
    with pytest.raises(LectureError) as info:
        load_lecture(path)
    elapsed = time.perf_counter() - start
    [problem] = info.value.problems
    return str(problem), elapsed


def test_billion_laughs_is_refused_quickly_at_its_place(write_lecture):
    path = write_lecture(BILLION_LAUGHS)
    message, elapsed = refusal(path)
    assert message.startswith(f"{path}:1:")
    assert message.endswith(f": document expands to more than {MAX_NODES:,} values (too many aliases?); "
                            "refusing to load it")
    assert elapsed < QUICK


def test_billion_laughs_through_merge_keys_is_refused(write_lecture):
    text = "a: &a {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1}\n"
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    text += "title: {<<: *i}\n"
    message, elapsed = refusal(write_lecture(text))
    assert "too many aliases" in message and elapsed < QUICK


def test_a_recursive_alias_is_refused(write_lecture):
    message, elapsed = refusal(write_lecture("title: &t [*t]\nsegments: []\n"))
    assert message.endswith("refusing to load it") and ":1:8:" in message
    assert elapsed < QUICK


def test_a_file_above_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"title: " + b"x" * MAX_BYTES + b"\n")
    message, elapsed = refusal(path)
    assert message == f"{path}:1:1: file is larger than {MAX_BYTES:,} bytes, the limit for a lecture; " \
                      "put large data in a CSV file"
    assert elapsed < QUICK


def test_deep_nesting_is_refused_at_the_level_too_deep(write_lecture):
    path = write_lecture("title: " + "[" * 100_000 + "]" * 100_000 + "\n")
    message, elapsed = refusal(path)
    assert message == f"{path}:1:{8 + MAX_DEPTH - 1}: the document is nested more than {MAX_DEPTH} levels " \
                      "deep; refusing to load it"
    assert elapsed < QUICK


@pytest.mark.parametrize("tag", [
    "!!python/object:os.system {}",
    "!!python/object/apply:os.system ['touch marker']",
    "!!python/object/new:os.system ['touch marker']",
    "!!python/name:os.system",
    "!!python/module:os",
    "!custom 1",
])
def test_unsafe_tags_are_refused_at_the_tag(write_lecture, tmp_path, monkeypatch, tag):
    monkeypatch.chdir(tmp_path)
    path = write_lecture(f"title: T\nsegments:\n  - id: a\n    narration: {tag}\n")
    message, _ = refusal(path)
    assert message.startswith(f"{path}:4:16: YAML syntax error: could not determine a constructor for the tag")
    assert not (tmp_path / "marker").exists()


def test_only_the_safe_loader_is_ever_used(write_lecture, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("only yaml.SafeLoader may be used")

    for name in ("load", "load_all", "full_load", "unsafe_load", "unsafe_load_all"):
        monkeypatch.setattr(yaml, name, forbidden)
    for loader in (yaml.Loader, yaml.FullLoader, yaml.UnsafeLoader):
        monkeypatch.setattr(loader, "__init__", forbidden)
    assert load_lecture(write_lecture(VALID)).lecture.title == "T"


@pytest.mark.parametrize(("value", "expected"), [
    ("!!int abc", "'abc' is not a valid integer"),
    ("!!float abc", "'abc' is not a valid number"),
    ("!!bool maybe", "'maybe' is not a valid boolean"),
    ("!!timestamp 2024-13-45", "'2024-13-45' is not a valid date"),
    ("2024-13-45", "'2024-13-45' is not a valid date"),
    ("!!timestamp soon", "'soon' is not a valid date"),
    ("9" * 5000, "number written with 5,000 characters (at most 400)"),
])
def test_malformed_scalars_are_located(write_lecture, value, expected):
    path = write_lecture(f"title: T\nsegments:\n  - id: a\n    narration: {value}\n")
    message, _ = refusal(path)
    assert message.startswith(f"{path}:4:16: ") and expected in message


@pytest.mark.parametrize(("text", "position", "character"), [
    ("title: a\x00b\n", "1:9", "U+0000"),
    ("title: T\nsegments: \x1b[31m\n", "2:11", "U+001B"),
    ("title: T\r\nx: \x07\n", "2:4", "U+0007"),
])
def test_control_characters_are_refused_at_their_position(tmp_path, text, position, character):
    path = tmp_path / "ctl.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(LectureError) as info:
        load_lecture(path)
    [problem] = info.value.problems
    assert str(problem) == (f"{path}:{position}: character {character} is not allowed in a lecture "
                            "(control characters other than tab and line breaks)")
    assert problem.source_line is not None and problem.source_line.isprintable()  # shown without the character


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "lecture.yaml"
    os.mkfifo(fifo)
    outcome: list[str] = []
    reader = threading.Thread(target=lambda: outcome.append(refusal(fifo)[0]), daemon=True)
    reader.start()
    reader.join(QUICK * 5)
    assert outcome == [f"{fifo}:1:1: is not a regular file (a pipe or a device?)"]


def test_messages_stay_on_one_line(cli, write_lecture):
    path = write_lecture('title: T\nsegments:\n  - id: a\n    narration: [{say: Hi., beat: "x\\ny\\u2028z"}]\n'
                         '    "bad\\nkey": 1\n    visual: {kind: title}\n')
    result = cli("validate", str(path))
    assert_clean_failure(result)
    heads = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert heads == [
        f"{path}:5:5: segments[0]: unknown key 'bad\\nkey' "
        "(allowed: id, title, narration, audio, beats, voice, visual)",
    ]
    assert one_line("a\nb\u2028c\u202ed\x00e\u00a0f") == "a\\nb\\u2028c\\u202ed\\x00e\u00a0f"


def test_keys_that_are_not_names_are_located_at_the_key(write_lecture):
    path = write_lecture("title: T\nsegments:\n  - id: a\n    narration: Hi.\n    7: x\n    visual: {kind: title}\n")
    message, _ = refusal(path)
    assert message == f"{path}:5:5: segments[0]: keys are names, not 7"


def test_read_yaml_keeps_positions_of_a_normal_file(write_lecture):
    source = read_yaml(write_lecture(VALID))
    assert source.locate(("segments", 0, "visual", "kind")) == (5, 20)
