"""Generated docs are current, and the starter lecture renders into the docs' example."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from mmlanim.docs import generated_docs


@pytest.mark.parametrize("rel", sorted(generated_docs(ROOT)))
def test_generated_doc_is_current(rel):
    expected = generated_docs(ROOT)[rel]
    committed = (ROOT / rel).read_text(encoding="utf-8")
    assert committed == expected, f"{rel} is stale: run `make docs`"


def test_schema_file_is_valid_json_with_segments():
    schema = json.loads((ROOT / "docs" / "lecture.schema.json").read_text())
    assert "segments" in schema["properties"]


def test_format_doc_lists_every_voice_and_cue_field():
    from mmlanim.lecture.model import Cue
    from mmlanim.narration.voice import Voice

    text = (ROOT / "docs" / "lecture-format.md").read_text()
    for name in [*Voice.model_fields, *Cue.model_fields]:
        assert f"| `{name}` |" in text
