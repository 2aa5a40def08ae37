"""The JSON Schema editors use agrees with the pydantic models, and describes every parameter."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml
from conftest import ROOT, TEST_DATA
from pydantic import ValidationError

from mmlanim.lecture.model import Cue, lecture_model
from mmlanim.narration.voice import EngineName, Voice
from mmlanim.reference import field_default, json_schema
from mmlanim.visuals import registry

HEADER = "# yaml-language-server: $schema=../docs/lecture.schema.json"
LECTURES = sorted((ROOT / "lectures").rglob("*.yaml"))


@pytest.fixture(scope="module")
def schema():
    return json_schema()


@pytest.fixture(scope="module")
def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def model_accepts(doc) -> bool:
    try:
        lecture_model().model_validate(doc)
    except ValidationError:
        return False
    return True


def test_there_are_lectures():
    assert len(LECTURES) >= 3


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_every_lecture_names_the_schema_on_its_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(HEADER.split("=", 1)[0] + "=")
    # The header's relative path reaches the committed schema.
    assert (path.parent / first.split("=", 1)[1]).resolve() == ROOT / "docs" / "lecture.schema.json"


@pytest.mark.parametrize("path", LECTURES + sorted(TEST_DATA.glob("*.yaml")), ids=lambda p: p.name)
def test_lecture_validates_against_the_schema(validator, path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert model_accepts(doc)


GOOD = {
    "title": "T",
    "segments": [
        {"id": "intro", "narration": "Hello.", "visual": {"kind": "title"}},
        {"id": "arrows", "narration": [{"say": "Two vectors.", "beat": "show_vectors"}],
         "visual": {"kind": "vectors", "vectors": [[2, 1], [-1, 2]]}},
    ],
}


def edit(fn):
    doc = copy.deepcopy(GOOD)
    fn(doc)
    return doc


def seg(doc, i=1):
    return doc["segments"][i]


# (name, document, valid?): the schema and the model must both give the expected verdict.
TABLE = [
    ("good", GOOD, True),
    ("course, voice and segment voice", edit(lambda d: (d.update(course="LA", voice={"engine": "silent", "rate": 200}),
                                                        seg(d).update(voice={"pause": 0}))), True),
    ("cue with audio, no beat", edit(lambda d: seg(d).update(narration=[{"say": "Hi.", "audio": "a.wav"}])), True),
    ("optional param null", edit(lambda d: seg(d)["visual"].update(scale=None)), True),
    ("integral float for an integer", edit(lambda d: d.update(voice={"rate": 190.0})), True),
    ("unknown top-level key", edit(lambda d: d.update(author="me")), False),
    ("unknown segment key", edit(lambda d: seg(d).update(notes="x")), False),
    ("unknown visual parameter", edit(lambda d: seg(d)["visual"].update(show_summ=False)), False),
    ("wrong type: text for a number", edit(lambda d: seg(d)["visual"].update(vectors=[[2, "one"]])), False),
    ("wrong type: list for the title", edit(lambda d: d.update(title=["T"])), False),
    ("wrong length of a vector", edit(lambda d: seg(d)["visual"].update(vectors=[[1, 2, 3]])), False),
    ("unknown kind", edit(lambda d: seg(d)["visual"].update(kind="vector")), False),
    ("missing kind", edit(lambda d: seg(d)["visual"].pop("kind")), False),
    ("missing required parameter", edit(lambda d: seg(d)["visual"].pop("vectors")), False),
    ("missing narration", edit(lambda d: seg(d).pop("narration")), False),
    ("narration as a number", edit(lambda d: seg(d).update(narration=42)), False),
    ("cue without say", edit(lambda d: seg(d).update(narration=[{"beat": "show_vectors"}])), False),
    ("cue with empty say", edit(lambda d: seg(d).update(narration=[{"say": ""}])), False),
    ("voice rate out of range", edit(lambda d: d.update(voice={"rate": 1000})), False),
    ("voice rate not integral", edit(lambda d: d.update(voice={"rate": 190.5})), False),
    ("unknown voice engine", edit(lambda d: d.update(voice={"engine": "siri"})), False),
    ("extra key in voice", edit(lambda d: d.update(voice={"speed": 2})), False),
    ("extra key in segment voice", edit(lambda d: seg(d).update(voice={"engine": "silent", "sped": 1})), False),
    ("segment id with a space", edit(lambda d: seg(d).update(id="two words")), False),
    ("segment id too long", edit(lambda d: seg(d).update(id="a" * 65)), False),
    ("no segments", edit(lambda d: d.update(segments=[])), False),
    ("empty title", edit(lambda d: d.update(title="")), False),
    ("lecture voice null", edit(lambda d: d.update(voice=None)), False),
]


@pytest.mark.parametrize(("name", "doc", "valid"), TABLE, ids=[t[0] for t in TABLE])
def test_schema_and_model_agree(validator, name, doc, valid):
    assert model_accepts(doc) is valid, "model"
    assert validator.is_valid(doc) is valid, "schema"


@pytest.mark.parametrize("value", ["190", True])
def test_the_schema_flags_values_the_model_would_coerce(validator, value):
    # pydantic's lax mode turns "190" into 190; the editor asks for the plain number.
    assert not validator.is_valid(edit(lambda d: d.update(voice={"rate": value})))


def test_semantic_checks_are_outside_the_schema(validator):
    """Duplicate ids and unknown beats pass both the schema and the model; the loader refuses them."""
    doc = edit(lambda d: (seg(d, 0).update(id="arrows"), seg(d)["narration"][0].update(beat="show_vector")))
    assert validator.is_valid(doc) and model_accepts(doc)


@pytest.mark.parametrize("kind", sorted(registry()))
def test_every_parameter_has_type_default_and_description(schema, kind):
    cls = registry()[kind]
    branch = schema["$defs"][cls.model.__name__]
    assert branch["description"] == cls.summary()
    assert list(branch["properties"])[0] == "kind" and branch["required"][0] == "kind"
    assert branch["properties"]["kind"]["const"] == kind
    assert branch["additionalProperties"] is False
    for name, f in cls.Params.model_fields.items():
        prop = branch["properties"][name]
        assert prop.get("description") == f.description and f.description, name
        assert {"type", "anyOf", "oneOf", "$ref", "enum", "const"} & set(prop), name
        if f.is_required():
            assert name in branch["required"] and "default" not in prop, name
        else:
            assert name not in branch["required"], name
            assert prop["default"] == field_default(f), name


@pytest.mark.parametrize("kind", sorted(registry()))
def test_completion_snippet_is_the_kinds_example(schema, validator, kind):
    cls = registry()[kind]
    (snippet,) = schema["$defs"][cls.model.__name__]["defaultSnippets"]
    assert snippet["label"] == kind and snippet["body"] == {"kind": kind, **json.loads(json.dumps(cls.example))}
    doc = edit(lambda d: seg(d).update(narration="Hi.", visual=snippet["body"]))
    assert validator.is_valid(doc) and model_accepts(doc)


def test_visual_union_is_discriminated_by_kind(schema):
    visual = schema["$defs"]["Segment"]["properties"]["visual"]
    refs = [b["$ref"] for b in visual["oneOf"]]
    assert visual["discriminator"]["propertyName"] == "kind"
    mapping = visual["discriminator"]["mapping"]
    assert set(mapping) == set(registry()) and sorted(mapping.values()) == sorted(refs)
    for kind, ref in mapping.items():
        assert schema["$defs"][ref.rsplit("/", 1)[1]]["properties"]["kind"]["const"] == kind


def test_unknown_kind_fails_every_branch(validator):
    error = jsonschema.exceptions.best_match(validator.iter_errors(edit(lambda d: seg(d)["visual"].update(kind="x"))))
    assert list(error.absolute_path)[:3] == ["segments", 1, "visual"]


def test_narration_forms_and_cue_fields(schema):
    narration = schema["$defs"]["Segment"]["properties"]["narration"]
    forms = narration["oneOf"]
    assert {"type": "string"} in forms
    assert {"type": "array", "items": {"$ref": "#/$defs/Cue"}} in forms
    assert narration["description"].startswith("What is said")
    cue = schema["$defs"]["Cue"]
    assert cue["required"] == ["say"] and cue["additionalProperties"] is False
    for name, f in Cue.model_fields.items():
        assert cue["properties"][name]["description"] == f.description


def test_voice_fields(schema):
    voice = schema["$defs"]["Voice"]
    assert voice["description"] == "How narration is spoken."  # the docstring's first paragraph only
    assert voice["additionalProperties"] is False
    props = voice["properties"]
    engine = props["engine"]["anyOf"]  # an engine's name, or null for the default voice
    assert {"enum": list(EngineName.__args__), "type": "string"} in engine and {"type": "null"} in engine
    assert (props["rate"]["minimum"], props["rate"]["maximum"], props["rate"]["type"]) == (80, 450, "integer")
    for name, f in Voice.model_fields.items():
        assert props[name]["description"] == f.description
        assert props[name]["default"] == field_default(f)
    assert schema["properties"]["voice"]["default"] == Voice().model_dump(mode="json")
    segment_voice = schema["$defs"]["Segment"]["properties"]["voice"]
    assert {"$ref": "#/$defs/Voice"} in segment_voice["anyOf"] and {"type": "null"} in segment_voice["anyOf"]


def test_committed_schema_file_is_the_emitted_one(schema):
    committed = json.loads((ROOT / "docs" / "lecture.schema.json").read_text(encoding="utf-8"))
    assert committed == schema
