"""Descriptions derived from the one declaration of the format: kinds, parameters, schema.

Used by ``mmlanim visuals``, ``mmlanim schema`` and the generated docs.
"""

from __future__ import annotations

__all__ = ["describe_kind", "example_segment", "field_default", "format_reference", "format_visuals",
           "github_anchor", "json_schema", "json_schema_text", "list_kinds", "markdown_table", "model_rows",
           "param_rows", "type_name"]

import json
import types
import typing
import unicodedata
from typing import Any

import yaml
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from .visuals import Visual, get_kind, registry


def type_name(annotation: Any) -> str:
    """A readable name for a parameter's type (``list of [x, y]``, ``number or null``)."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_name(a) for a in args)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return "mapping"
    names = {str: "text", int: "integer", float: "number", bool: "true/false", type(None): "null"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def param_rows(cls: type[Visual]) -> list[tuple[str, str, str, str]]:
    """(name, type, default, description) for each parameter of a kind."""
    return model_rows(cls.Params)


def example_segment(cls: type[Visual]) -> dict[str, Any]:
    """An example segment using the kind, with one narration cue per beat."""
    return {
        "id": f"{cls.kind.replace('_', '-')}-example",
        "title": f"Example: {cls.kind}",
        "narration": [{"say": b.description, "beat": b.name} for b in cls.beats],
        "visual": {"kind": cls.kind, **cls.example},
    }


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, allow_unicode=True, width=100)


def list_kinds() -> str:
    """One line per kind: name and summary."""
    kinds = registry()
    width = max(len(k) for k in kinds)
    lines = [f"{kind:<{width}}  {cls.summary()}" + (f"  [{cls.plugin}]" if cls.plugin else "")
             for kind, cls in kinds.items()]
    return "\n".join(lines + ["", "Details: mmlanim visuals KIND"])


def describe_kind(kind: str) -> str:
    """A kind's description, parameters, beats and an example segment in YAML."""
    cls = get_kind(kind)
    out = [f"{cls.kind}: {cls.summary()}", ""]
    rest = cls.description().split("\n\n", 1)
    if len(rest) > 1:
        out += [rest[1], ""]
    out.append("Parameters:")
    for name, typ, default, desc in param_rows(cls):
        out.append(f"  {name}  ({typ}, default {default})")
        if desc:
            out.append(f"      {desc}")
    out += ["", "Beats (in order; narration cues attach to them with `beat:`):"]
    out += [f"  {b.name:<18} {b.description}" for b in cls.beats]
    if cls.emphasis_targets:
        out += ["", "Objects a cue can point at (`emphasis: [...]`):"]
        out += [f"  {name:<18} {desc}" for name, desc in cls.emphasis_targets.items()]
    out += ["", "Example segment:", _yaml([example_segment(cls)]).rstrip()]
    return "\n".join(out)


def model_rows(model: type[Any]) -> list[tuple[str, str, str, str]]:
    """(name, type, default, description) for each field of a pydantic model."""
    rows = []
    for name, f in model.model_fields.items():
        default = "required" if f.is_required() else json.dumps(field_default(f), ensure_ascii=False)
        rows.append((name, type_name(f.annotation), default, f.description or ""))
    return rows


def field_default(f: FieldInfo) -> Any:
    """A field's default as JSON data (calling its default factory); the field must be optional."""
    value = f.get_default(call_default_factory=True, validated_data={})
    return to_jsonable_python(value)


def markdown_table(rows: list[tuple[str, str, str, str]]) -> str:
    """A Markdown table of (name, type, default, description) rows."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| key | type | default | description |", "|---|---|---|---|"]
    lines += [f"| `{n}` | {cell(t)} | `{cell(d)}` | {cell(desc)} |" for n, t, d, desc in rows]
    return "\n".join(lines)


def format_reference(template: str) -> str:
    """Fill a docs template's ``{{fields:NAME}}`` and ``{{kinds}}`` markers (docs.py fills ``{{starter}}``)."""
    from .lecture.model import Cue, LectureBase, SegmentBase
    from .narration.voice import Voice

    tables = {
        "lecture": model_rows(LectureBase) + [("segments", "list of segment", "required",
                                                "The segments, in order (at least one).")],
        "segment": model_rows(SegmentBase) + [("visual", "mapping", "required",
                                                "What is shown: `kind` and the kind's parameters.")],
        "cue": model_rows(Cue),
        "voice": model_rows(Voice),
    }
    text = template
    for name, rows in tables.items():
        text = text.replace(f"{{{{fields:{name}}}}}", markdown_table(rows))
    text = text.replace("{{kinds}}", _kinds_table("visuals.md"))
    return text


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (``## basis_change`` → ``basis_change``).

    Like GitHub's slugger: lower case; code marks and punctuation dropped
    except ``-`` and connectors such as ``_``; each space becomes ``-``.
    """
    kept = "".join(ch for ch in heading.strip().lower()
                   if ch in " -" or unicodedata.category(ch)[0] in "LMN" or unicodedata.category(ch) == "Pc")
    return kept.replace(" ", "-")


def _kinds_table(page: str = "") -> str:
    """The kinds with their summaries, each linked to its section of ``page``'s reference."""
    rows = [f"| [`{k}`]({page}#{github_anchor(k)}) | {c.summary()} |" for k, c in registry().items()]
    return "\n".join(["| kind | what it shows |", "|---|---|", *rows])


def _kind_section(cls: type[Visual]) -> str:
    """A kind's section of docs/visuals.md: picture, description, parameters, beats, example."""
    out = [f"## {cls.kind}", ""]
    if cls.plugin is None:  # built-in kinds have a picture from scripts/contact_sheet.py
        out += [f"![The last frame of the {cls.kind} example](visuals/{cls.kind}.png)", ""]
    out += [cls.description(), "", "**Parameters** (besides `kind`)", "", markdown_table(param_rows(cls)), ""]
    out += ["**Beats**, in order (narration cues attach to them with `beat:`)", "",
            "| beat | what happens |", "|---|---|"]
    out += [f"| `{b.name}` | {b.description} |" for b in cls.beats]
    if cls.emphasis_targets:
        out += ["", "**Objects a cue can point at** (`emphasis: [...]`, once they are drawn)", "",
                "| object | what it is |", "|---|---|"]
        out += [f"| `{name}` | {desc} |" for name, desc in cls.emphasis_targets.items()]
    out += ["", "**Example**", "", "```yaml", _yaml([example_segment(cls)]).rstrip(), "```"]
    return "\n".join(out)


def format_visuals(template: str) -> str:
    """Fill the visual reference template's ``{{kinds}}`` (index) and ``{{visuals}}`` (sections)."""
    sections = "\n\n".join(_kind_section(cls) for cls in registry().values())
    return template.replace("{{kinds}}", _kinds_table()).replace("{{visuals}}", sections)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the lecture format, for editors and CI.

    Derived from :func:`~mmlanim.lecture.model.lecture_model`, then shaped
    for editors (yaml-language-server, VS Code): models are described by
    their first docstring paragraph; each visual kind's branch lists
    ``kind`` first and offers its example as a completion snippet
    (``defaultSnippets``); and the ``visual`` union, which pydantic emits
    as a plain ``oneOf``, also carries an OpenAPI-style ``discriminator``
    mapping each ``kind`` to its branch. Validators ignore these extra
    keywords: the schema accepts exactly what it did before.
    """
    from .lecture.model import LectureBase, SegmentBase, lecture_model

    schema = lecture_model().model_json_schema()
    defs = schema.get("$defs", {})
    schema.setdefault("description", _first_paragraph(LectureBase.__doc__ or ""))
    defs["Segment"].setdefault("description", _first_paragraph(SegmentBase.__doc__ or ""))
    for definition in defs.values():
        if "description" in definition:
            definition["description"] = _first_paragraph(definition["description"])
    _add_factory_defaults(schema, lecture_model())
    for cls in registry().values():
        if cls.model.__name__ in defs:
            _add_factory_defaults(defs[cls.model.__name__], cls.model)
            _shape_kind_branch(defs[cls.model.__name__], cls)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _first_paragraph(text: str) -> str:
    """The first paragraph of a docstring, on one line (drops numpydoc sections)."""
    return " ".join(text.strip().split("\n\n")[0].split())


def _add_factory_defaults(definition: dict[str, Any], model: type[Any]) -> None:
    """Defaults made by a factory, which pydantic leaves out of the schema (editors show defaults)."""
    for name, f in model.model_fields.items():
        prop = definition.get("properties", {}).get(name)
        if prop is not None and f.default_factory is not None and "default" not in prop:
            prop["default"] = field_default(f)


def _shape_kind_branch(definition: dict[str, Any], cls: type[Visual]) -> None:
    """``kind`` first (editors complete in this order) and the example as a snippet."""
    props = definition["properties"]
    definition["properties"] = {"kind": props.pop("kind"), **props}
    definition["required"] = ["kind", *(r for r in definition.get("required", []) if r != "kind")]
    definition["defaultSnippets"] = [{
        "label": cls.kind,
        "description": cls.summary(),
        "body": {"kind": cls.kind, **to_jsonable_python(cls.example)},
    }]


def json_schema_text() -> str:
    """:func:`json_schema` as indented JSON text (``mmlanim schema``, docs/lecture.schema.json)."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
