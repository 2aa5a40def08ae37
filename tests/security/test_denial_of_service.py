"""Work a lecture can ask for stays bounded: no input makes validation or narration run for minutes."""

from __future__ import annotations

import time

import yaml
from fuzz.lecture_fuzz import time_limit

from mmlanim.lecture import validate_file
from mmlanim.narration.sentences import split_sentences


def test_sentence_splitting_is_linear_in_the_dots():
    with time_limit(3):
        start = time.perf_counter()
        assert split_sentences("Wait " + "." * 60 + "x. Next one.") == ["Wait " + "." * 60 + "x.", "Next one."]
        assert time.perf_counter() - start < 0.5


def test_thousands_of_problems_are_reported_in_seconds(tmp_path):
    segment = {"id": "same", "narration": "Hi.", "visual": {"kind": "title"}}
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump({"title": "T", "segments": [segment] * 3000}), encoding="utf-8")
    start = time.perf_counter()
    problems = validate_file(path)
    assert len(problems) == 2999 and problems[0].message.startswith("duplicate segment id 'same'")
    assert time.perf_counter() - start < 15
