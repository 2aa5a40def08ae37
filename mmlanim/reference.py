"""Descriptions derived from the one declaration of the format: kinds, parameters, schema.

Used by ``mmlanim visuals``, ``mmlanim schema`` and the generated docs.
"""

from __future__ import annotations

__all__ = ["describe_kind", "example_segment", "format_reference", "json_schema", "json_schema_text",
           "list_kinds", "markdown_table", "model_rows", "param_rows", "type_name"]

import json
import types
import typing
from typing import Any

import yaml
from pydantic_core import PydanticUndefined

from .errors import UserError
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
    try:
        cls = get_kind(kind)
    except UserError:
        raise
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
    out += ["", "Example segment:", _yaml([example_segment(cls)]).rstrip()]
    return "\n".join(out)


def model_rows(model: type[Any]) -> list[tuple[str, str, str, str]]:
    """(name, type, default, description) for each field of a pydantic model."""
    rows = []
    for name, f in model.model_fields.items():
        if f.is_required():
            default = "required"
        elif f.default_factory is not None:
            default = "see below"
        else:
            default = json.dumps(f.default) if f.default is not None else "null"
        rows.append((name, type_name(f.annotation), default, f.description or ""))
    return rows


def markdown_table(rows: list[tuple[str, str, str, str]]) -> str:
    """A Markdown table of (name, type, default, description) rows."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| key | type | default | description |", "|---|---|---|---|"]
    lines += [f"| `{n}` | {cell(t)} | `{cell(d)}` | {cell(desc)} |" for n, t, d, desc in rows]
    return "\n".join(lines)


def format_reference(template: str) -> str:
    """Fill a docs template's ``{{fields:NAME}}``, ``{{kinds}}`` and ``{{starter}}`` markers."""
    from .lecture.model import Cue, LectureBase, SegmentBase
    from .narration.voice import Voice
    from .starter import starter_text

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
        text = text.replace("{{fields:%s}}" % name, markdown_table(rows))
    kinds = "\n".join(f"| [`{k}`](visuals.md#{k.replace('_', '-')}) | {c.summary()} |"
                       for k, c in registry().items())
    text = text.replace("{{kinds}}", "| kind | what it shows |\n|---|---|\n" + kinds)
    return text.replace("{{starter}}", starter_text("../docs/lecture.schema.json").rstrip())


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the lecture format: one branch per visual kind, chosen by ``kind``."""
    from .lecture.model import lecture_model

    schema = lecture_model().model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
