"""Beat markers: how a cue is cut, and the located errors for wrong markers."""

from __future__ import annotations

from mmlanim.lecture.load import validate_file
from mmlanim.narration.markers import fragments, strip_markers


def test_fragments_split_a_sentence_at_its_marker() -> None:
    parts = fragments("Move v so its tail sits [[show_sum]] on the tip of u. Then   we stop.")
    assert [(f.beat, f.text, f.sentence, f.continues) for f in parts] == [
        (None, "Move v so its tail sits", 0, True),
        ("show_sum", "on the tip of u.", 0, False),
        (None, "Then we stop.", 1, False),
    ]
    assert {f.sentence_text for f in parts[:2]} == {"Move v so its tail sits on the tip of u."}


def test_a_marker_between_sentences_starts_the_next_one() -> None:
    parts = fragments("The end of v. [[b]] Next one. [[ c ]]Last.")
    assert [(f.beat, f.text, f.continues) for f in parts] == [
        (None, "The end of v.", False), ("b", "Next one.", False), ("c", "Last.", False)
    ]
    assert strip_markers("A [[b]] c.") == "A c." and strip_markers("No markers.") == "No markers."


def test_wrong_markers_are_located(write_lecture) -> None:
    path = write_lecture("""
        title: T
        segments:
          - id: s
            narration:
              - say: Here are two vectors.
                beat: show_vectors
              - say: "Move v so its tail sits [[show_sun]] on the tip of u."
                beat: show_vectors
              - say: "Back [[show_vectors]] again."
                beat: show_sum
              - say: "And then [[scale]]"
                beat: show_sum
            visual: {kind: vectors, vectors: [[1, 2], [2, 1]]}
          - id: t
            narration: "Plain text [[show_sum]] cannot mark."
            visual: {kind: vectors, vectors: [[1, 2], [2, 1]]}
        """)
    problems = {(p.line, p.col): p.message for p in validate_file(path)}
    line7 = path.read_text().splitlines()[6]
    assert problems[(7, line7.index("[[show_sun]]") + 1)].startswith(
        "unknown beat 'show_sun' in marker; did you mean 'show_sum'?")
    line9 = path.read_text().splitlines()[8]
    assert "must name a beat that plays after 'show_sum'" in problems[(9, line9.index("[[") + 1)]
    line11 = path.read_text().splitlines()[10]
    assert "nothing is said after the marker [[scale]]" in problems[(11, line11.index("[[") + 1)]
    line15 = path.read_text().splitlines()[14]
    assert "need cues that name a beat" in problems[(15, line15.index("[[") + 1)]
    assert len(problems) == 4
