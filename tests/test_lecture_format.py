"""The lecture format: every problem is reported at its exact line and column."""

from __future__ import annotations

import pytest
from conftest import RECORDED_LECTURE

from mmlanim.errors import LectureError
from mmlanim.lecture import load_lecture, validate_file
from mmlanim.quality import quality

GOOD = """
title: Changing basis
course: Linear Algebra
segments:
  - id: intro
    narration: Hello.
    visual: {kind: title}
  - id: arrows
    narration:
      - say: Two vectors.
        beat: show_vectors
    visual:
      kind: vectors
      vectors: [[2, 1], [-1, 2]]
"""


def only_problem(path) -> str:
    problems = validate_file(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def test_good_lecture_loads_with_defaults(write_lecture):
    loaded = load_lecture(write_lecture(GOOD))
    lecture = loaded.lecture
    assert lecture.title == "Changing basis"
    assert [s.id for s in lecture.segments] == ["intro", "arrows"]
    assert lecture.voice.engine is None and lecture.voice.rate == 165  # None: the default voice
    assert lecture.segments[1].visual.vectors == [[2.0, 1.0], [-1.0, 2.0]]
    assert lecture.segments[1].visual.show_sum is True  # the kind's default


def test_yaml_syntax_error_position(write_lecture):
    path = write_lecture("title: x\nsegments:\n  - id: a\n    narration: [unclosed\n    visual: {kind: title}\n")
    message = only_problem(path)
    assert message == (f"{path}:5:11: the '[' opened on line 4, column 16 is not closed before this; "
                       "every '[' needs its ']', and items are separated by ','")


def test_unknown_key_points_at_the_key_with_suggestion(write_lecture):
    path = write_lecture(GOOD.replace("      vectors: [[2, 1], [-1, 2]]",
                                      "      vectors: [[2, 1], [-1, 2]]\n      show_summ: false"))
    assert only_problem(path) == (f"{path}:14:7: segments[1].visual: unknown key 'show_summ'; "
                                  "did you mean 'show_sum'?")


def test_wrong_type_points_at_the_value(write_lecture):
    path = write_lecture(GOOD.replace("[-1, 2]]", "[-1, two]]"))
    message = only_problem(path)
    assert message == (f"{path}:13:30: `vectors` needs 1 to 8 2-D vectors [x, y], like [[3, 1], [1, 2]]; "
                       "'two' is not a number")


def test_missing_field_points_at_the_mapping(write_lecture):
    path = write_lecture(GOOD.replace("    narration: Hello.\n", ""))
    assert only_problem(path) == f"{path}:4:5: segments[0]: missing required field 'narration'"


def test_unknown_kind_suggests_the_closest(write_lecture):
    path = write_lecture(GOOD.replace("kind: vectors", "kind: vector"))
    assert only_problem(path) == (f"{path}:12:13: unknown visual kind 'vector'; did you mean 'vectors'? "
                                  "(see `mmlanim visuals`)")


def test_duplicate_segment_ids(write_lecture):
    path = write_lecture(GOOD.replace("id: arrows", "id: intro"))
    assert only_problem(path) == (f"{path}:7:9: duplicate segment id 'intro' (first used on line 4); "
                                  "give each segment its own id")


def test_duplicate_yaml_keys_are_refused(write_lecture):
    path = write_lecture(GOOD.replace("course: Linear Algebra", "course: A\ncourse: B"))
    assert only_problem(path) == f"{path}:3:1: duplicate key 'course' (first given on line 2)"


def test_unknown_beat_suggests_the_closest(write_lecture):
    path = write_lecture(GOOD.replace("beat: show_vectors", "beat: show_vector"))
    message = only_problem(path)
    assert message.startswith(f"{path}:10:15: unknown beat 'show_vector' for visual 'vectors'; "
                              "did you mean 'show_vectors'?")


def test_bad_segment_id(write_lecture):
    path = write_lecture(GOOD.replace("id: arrows", "id: two words"))
    assert only_problem(path).startswith(f"{path}:7:9: segments[1].id: ids use only letters")


def test_every_problem_is_reported_at_once(write_lecture):
    path = write_lecture(GOOD.replace("kind: vectors", "kind: vector").replace("title: Changing basis\n", ""))
    problems = validate_file(path)
    assert len(problems) == 2
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_problem_render_shows_the_line_and_a_caret(write_lecture):
    path = write_lecture(GOOD.replace("kind: vectors", "kind: vector"))
    with pytest.raises(LectureError) as info:
        load_lecture(path)
    rendered = info.value.problems[0].render().splitlines()
    assert rendered[1].strip() == "kind: vector"
    assert rendered[2].index("^") == rendered[1].index("vector")


def test_not_a_mapping_and_empty_file(write_lecture):
    assert only_problem(write_lecture("- just\n- a list\n")).endswith(
        "a lecture is a mapping with 'title' and 'segments'")
    assert only_problem(write_lecture("", name="empty.yaml")).endswith(
        "file is empty; a lecture needs a title and segments")


def test_missing_file(tmp_path):
    assert only_problem(tmp_path / "nope.yaml").endswith(":1:1: no such file")


def test_segment_voice_overrides_only_given_keys(write_lecture):
    text = GOOD.replace("course: Linear Algebra", "course: LA\nvoice: {rate: 190, voice: en-gb}")
    text = text.replace("  - id: arrows\n", "  - id: arrows\n    voice: {rate: 120}\n")
    loaded = load_lecture(write_lecture(text))
    voice = loaded.voice_for(loaded.lecture.segments[1])
    assert (voice.rate, voice.voice) == (120, "en-gb")
    assert loaded.voice_for(loaded.lecture.segments[0], {"engine": "silent"}).engine == "silent"


RECORDED = RECORDED_LECTURE


def test_recorded_voice_missing_file_names_file_and_line(write_lecture):
    path = write_lecture(RECORDED)
    message = only_problem(path)
    assert message.startswith(f"{path}:8:16: audio file 'takes/hello.wav' not found")


def test_recorded_voice_file_outside_the_lecture_folder(write_lecture, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-elsewhere.wav"
    outside.write_bytes(b"RIFF")
    (tmp_path / "takes").mkdir()
    (tmp_path / "takes" / "hello.wav").symlink_to(outside)
    message = only_problem(write_lecture(RECORDED))
    assert ":8:16: audio file 'takes/hello.wav' resolves to" in message and "outside the lecture folder" in message


def test_recorded_voice_needs_audio_on_every_cue(write_lecture):
    path = write_lecture(RECORDED.replace("        audio: takes/hello.wav\n", ""))
    assert only_problem(path) == (f"{path}:6:9: the 'recorded' voice needs `audio:` on every cue "
                                  "(or one `audio:` file for the segment)")


def test_cues_mixing_beats_and_no_beats(write_lecture):
    cue = "      - say: Two vectors.\n        beat: show_vectors\n"
    path = write_lecture(GOOD.replace(cue, cue + "      - say: And more.\n"))
    assert only_problem(path).startswith(f"{path}:11:9: this cue has no `beat:` while others have one")


def test_a_segment_plays_only_the_beats_it_chooses(write_lecture, tmp_path):
    """`beats:` leaves beats out: they are not in the narration plan, so they neither play nor take time."""
    from mmlanim.render.pipeline import RenderOptions, _Caches, plan_segment

    path = write_lecture("""
        title: Chosen beats
        voice: {engine: silent}
        segments:
          - id: two
            beats: [show_plane, show_vectors]
            narration:
              - say: Two vectors.
                beat: show_vectors
            visual: {kind: vectors, vectors: [[2, 1], [1, 2]]}
        """)
    loaded = load_lecture(path)
    assert loaded.beats_for(loaded.lecture.segments[0]) == ("show_plane", "show_vectors")
    planned = plan_segment(loaded, 0, opts=RenderOptions(quality="l", voice={"engine": "silent"}),
                           q=quality("l", (64, 36)), caches=_Caches.at(tmp_path / "cache"))
    assert [b.beat for b in planned.audio.beats] == ["show_plane", "show_vectors"]
    # show_plane is not spoken: it plays inside show_vectors' time, which is the whole segment's.
    assert planned.audio.beats[0].duration == 0.0
    assert planned.audio.beats[1].duration == pytest.approx(planned.audio.duration)
