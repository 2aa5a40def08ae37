"""docs/visuals.md: one section per kind, reachable from the lecture-format page's links."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import ROOT

from mmlanim.docs import generated_docs
from mmlanim.lecture import load_lecture
from mmlanim.reference import describe_kind, github_anchor, param_rows
from mmlanim.visuals import registry

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
BUILTIN = sorted(k for k, cls in registry().items() if cls.plugin is None)


@pytest.fixture(scope="module")
def docs():
    return generated_docs(ROOT)


def sections(markdown: str) -> dict[str, str]:
    """Level-2 sections by heading."""
    parts = re.split(r"^## (.+)$", markdown, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def anchors(markdown: str) -> set[str]:
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)  # '# comments' in code blocks are no headings
    return {github_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


@pytest.mark.parametrize(("heading", "anchor"), [
    ("basis_change", "basis_change"),  # GitHub keeps underscores
    ("Visual kinds", "visual-kinds"),
    ("The `kind` field: what it does!", "the-kind-field-what-it-does"),
    ("A–B (2.0)", "ab-20"),
    ("Grüße", "grüße"),
])
def test_github_anchor(heading, anchor):
    assert github_anchor(heading) == anchor


def test_lecture_format_links_reach_visuals_sections(docs):
    links = re.findall(r"\(visuals\.md#([^)]+)\)", docs["docs/lecture-format.md"])
    assert sorted(links) == sorted(github_anchor(k) for k in registry())
    assert set(links) <= anchors(docs["docs/visuals.md"])


def test_index_links_reach_sections(docs):
    page = docs["docs/visuals.md"]
    links = re.findall(r"\]\(#([^)]+)\)", page)
    assert len(links) == len(registry()) and set(links) <= anchors(page)


@pytest.mark.parametrize("kind", sorted(registry()))
def test_section_describes_the_kind(docs, kind):
    cls = registry()[kind]
    section = sections(docs["docs/visuals.md"])[kind]
    assert cls.description() in section
    for name, typ, _default, _desc in param_rows(cls):
        assert f"| `{name}` | {typ.replace('|', chr(92) + '|')} |" in section
    beats_table = section.split("**Beats**")[1].split("**Example**")[0].split("**Objects")[0]
    beat_rows = re.findall(r"^\| `(\w+)` \| (.+) \|$", beats_table, re.M)
    assert beat_rows == [(b.name, b.description) for b in cls.beats]
    if cls.emphasis_targets:
        objects = re.findall(r"^\| `(\w+)` \| (.+) \|$", section.split("**Objects")[1].split("**Example**")[0], re.M)
        assert objects == list(cls.emphasis_targets.items())
    if cls.plugin is None:
        assert f"![The last frame of the {kind} example](visuals/{kind}.png)" in section


@pytest.mark.parametrize("kind", sorted(registry()))
def test_section_example_is_the_cli_example_and_validates(docs, kind, write_lecture):
    section = sections(docs["docs/visuals.md"])[kind]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert example.rstrip() == describe_kind(kind).split("Example segment:\n", 1)[1].rstrip()
    path = write_lecture(yaml.safe_dump({"title": "T", "segments": yaml.safe_load(example)}))
    assert load_lecture(path).lecture.segments[0].visual.kind == kind


@pytest.mark.parametrize("kind", BUILTIN)
def test_every_builtin_kind_has_its_picture(kind):
    png = ROOT / "docs" / "visuals" / f"{kind}.png"
    assert png.is_file(), f"{png.relative_to(ROOT)} is missing: run scripts/contact_sheet.py"
    assert png.read_bytes()[:8] == PNG_MAGIC, f"{png.relative_to(ROOT)} is not a PNG: run scripts/contact_sheet.py"
