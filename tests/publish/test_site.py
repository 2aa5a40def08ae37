"""The published site's files, checked without a browser: pages, tracks, handout, beat times."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from html.parser import HTMLParser

import pypdf
import pytest
import yaml
from click.testing import CliRunner

from mmlanim.cli import main
from mmlanim.lecture.files import lecture_paths as lecture_files

pytestmark = pytest.mark.render


class _Collect(HTMLParser):
    """Start tags with their attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(path):
    parser = _Collect()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _vtt_cues(text):
    """(start, end, text) of each cue of a WebVTT file, parsed here on its own."""
    def seconds(stamp):
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.splitlines()
        at = next(i for i, line in enumerate(lines) if "-->" in line)
        start, end = (seconds(x.strip()) for x in lines[at].split("-->"))
        cues.append((start, end, " ".join(lines[at + 1:])))
    return cues


def test_manifest_beats_partition_each_segment_and_hold_the_narration(published):
    for name, manifest in published.manifests.items():
        source = yaml.safe_load((published.lectures[0].parent / f"{name}.yaml").read_text())
        for seg, spec in zip(manifest["segments"], source["segments"], strict=True):
            beats = seg["beats"]
            lasting = [b for b in beats if b["end"] > b["start"]]  # the others play inside a neighbour's time
            assert lasting[0]["start"] == pytest.approx(seg["start"], abs=1e-6)
            assert lasting[-1]["end"] == pytest.approx(seg["end"], abs=1e-6)
            for a, b in zip(lasting, lasting[1:], strict=False):
                assert a["end"] == pytest.approx(b["start"], abs=1e-6)
            for beat in beats:
                assert seg["start"] <= beat["start"] <= beat["end"] <= seg["end"] + 1e-6
                assert beat["sentences"] == [] or beat in lasting
                for s in beat["sentences"]:
                    assert beat["start"] <= s["start"] < s["end"] <= beat["end"] + 1e-6
            said = " ".join(s["text"] for b in beats for s in b["sentences"])
            narration = spec["narration"]
            if isinstance(narration, list):  # each cue is said on its own beat
                by_beat = {b["name"]: " ".join(s["text"] for s in b["sentences"]) for b in beats}
                for cue in narration:
                    assert by_beat[cue["beat"]] == cue["say"]
                narration = " ".join(c["say"] for c in narration)
            assert said == narration


def test_sentence_times_match_the_subtitles(published):
    folder = published.renders / "three-segments" / "72p15"
    cues = _vtt_cues((folder / "three-segments.vtt").read_text())
    sentences = [s for seg in published.manifests["three-segments"]["segments"] for b in seg["beats"]
                 for s in b["sentences"]]
    assert len(cues) == len(sentences)  # each sentence fits in one subtitle here
    for (start, end, text), s in zip(cues, sentences, strict=True):
        assert (start, end) == (pytest.approx(s["start"], abs=1e-3), pytest.approx(s["end"], abs=1e-3))
        assert text == s["text"]


def test_index_groups_by_course_with_duration_and_chapters(published):
    page = _parse(published.site / "index.html")
    text = " ".join(" ".join(page.text).split())
    assert text.startswith("MML & co MML & co 2 lectures in 1 course.")  # the title, then the h1
    assert text.count("Linear Algebra") == 1  # both lectures are in one course
    assert "Adding vectors" in text and "Sync check" in text
    for name, chapters in (("two-segments", 2), ("three-segments", 3)):
        seconds = int(published.manifests[name]["duration"])
        assert f"{seconds // 60}:{seconds % 60:02d} · {chapters} chapters" in text
    links = [a["href"] for tag, a in page.tags if tag == "a"]
    assert links == ["two-segments/index.html", "three-segments/index.html"]
    images = [a for tag, a in page.tags if tag == "img"]
    assert all((published.site / a["src"]).is_file() and a["alt"] == "" for a in images) and len(images) == 2


def test_lecture_page_has_tracks_transcript_downloads_and_neighbours(published):
    folder = published.site / "two-segments"
    page = _parse(folder / "index.html")
    tracks = {a["kind"]: a["src"] for tag, a in page.tags if tag == "track"}
    assert set(tracks) == {"subtitles", "chapters"}
    prefix = "data:text/vtt;charset=utf-8,"
    subtitles = urllib.parse.unquote(tracks["subtitles"].removeprefix(prefix))
    assert subtitles == (folder / "two-segments.vtt").read_text()
    chapters = _vtt_cues(urllib.parse.unquote(tracks["chapters"].removeprefix(prefix)))
    manifest = published.manifests["two-segments"]
    assert [(c[0], c[2]) for c in chapters] == [(pytest.approx(s["start"], abs=1e-3), s["title"])
                                                for s in manifest["segments"]]
    sentences = [a for tag, a in page.tags if tag == "button" and a.get("class") == "sentence"]
    assert len(sentences) == 3
    downloads = [a["href"] for tag, a in page.tags if tag == "a" and "download" in a]
    assert downloads == ["two-segments.mp4", "two-segments.srt", "two-segments.vtt", "transcript.md", "handout.pdf"]
    assert all((folder / d).is_file() for d in downloads)
    rels = {a["rel"]: a["href"] for tag, a in page.tags if tag == "a" and "rel" in a}
    assert rels == {"next": "../three-segments/index.html"}
    rels = {a["rel"]: a["href"] for tag, a in _parse(published.site / "three-segments" / "index.html").tags
            if tag == "a" and "rel" in a}
    assert rels == {"prev": "../two-segments/index.html"}


def test_nothing_is_fetched_from_another_host(published):
    for page in published.site.rglob("*.html"):
        for _tag, attrs in _parse(page).tags:
            for key in ("src", "href"):
                value = attrs.get(key) or ""
                assert not re.match(r"^[a-z]+:", value) or value.startswith("data:"), (page, value)
    for css in published.site.rglob("*.css"):
        assert "url(" not in css.read_text() and "@import" not in css.read_text()


def test_handout_has_a_still_and_the_narration_of_every_beat(published):
    manifest = published.manifests["three-segments"]
    beats = [b for s in manifest["segments"] for b in s["beats"] if b["end"] > b["start"]]
    reader = pypdf.PdfReader(io.BytesIO((published.site / "three-segments" / "handout.pdf").read_bytes()))
    images = [im for p in reader.pages for im in p.images]
    assert len(images) == len(beats) >= 5
    assert images[0].image.size == (128, 72)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for beat in beats:
        for s in beat["sentences"]:
            assert s["text"] in text
    assert "Sync check" in text and "Second pair" in text


def test_publishing_again_replaces_the_site_and_refuses_other_folders(published, tmp_path):
    args = [str(published.lectures[0]), "-q", "l", "-r", "128,72", "--renders", str(published.renders), "--quiet"]
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["publish", *args, "-o", str(site)]).exit_code == 0
    (site / "stale.txt").write_text("from before")
    assert CliRunner().invoke(main, ["publish", *args, "-o", str(site)]).exit_code == 0
    assert not (site / "stale.txt").exists() and (site / "two-segments" / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no temporary folder left behind

    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["publish", *args, "-o", str(other)])
    assert result.exit_code == 1 and "not a site written by `mmlanim publish`" in result.output
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


def test_an_invalid_lecture_writes_nothing(write_lecture, tmp_path):
    good = write_lecture("title: Fine\nsegments:\n  - id: a\n    narration: Hi.\n    visual: {kind: title}\n", "a.yaml")
    bad = write_lecture("title: Broken\nsegments:\n  - id: a\n    narration: Hi.\n    visual: {kind: nope}\n",
                        "b.yaml")
    result = CliRunner().invoke(main, ["publish", str(good), str(bad), "-o", str(tmp_path / "site"),
                                       "--renders", str(tmp_path / "renders"), "--quiet"])
    assert result.exit_code == 1
    assert re.search(r"b\.yaml:5:\d+: ", result.output) and "Traceback" not in result.output
    assert not (tmp_path / "site").exists() and not (tmp_path / "renders").exists()


def test_two_lectures_of_one_name_are_refused(lecture_copy, tmp_path):
    first = lecture_copy("two-segments.yaml")
    (tmp_path / "other").mkdir()
    second = tmp_path / "other" / "two-segments.yaml"
    second.write_text(first.read_text())
    result = CliRunner().invoke(main, ["publish", str(first), str(second), "-o", str(tmp_path / "site"),
                                       "--renders", str(tmp_path / "renders"), "--quiet"])
    assert result.exit_code == 1 and "would render into the same folder (two-segments)" in result.output
    assert not (tmp_path / "site").exists() and not (tmp_path / "renders").exists()


def test_folders_expand_to_their_lecture_files(tmp_path):
    (tmp_path / "b.yaml").write_text("x")
    (tmp_path / "a.yml").write_text("x")
    (tmp_path / "notes.txt").write_text("x")
    assert [p.name for p in lecture_files([tmp_path, tmp_path / "b.yaml"])] == ["a.yml", "b.yaml"]
    with pytest.raises(Exception, match="no such file"):
        lecture_files([tmp_path / "missing.yaml"])


def test_slides_command_writes_beside_the_render(published):
    lecture = published.lectures[0]
    result = CliRunner().invoke(main, ["slides", str(lecture), "-q", "l", "-r", "128,72", "-o", str(published.renders),
                                       "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    folder = published.renders / "two-segments" / "72p15"
    assert result.output.strip() == str(folder / "slides.html")
    page = _parse(folder / "slides.html")
    referenced = [a.get("src") or a.get("href") for tag, a in page.tags if tag in ("script", "link", "source")]
    referenced = [r for r in referenced if r and not r.startswith("data:")]
    assert sorted(referenced) == ["assets/site.css", "assets/slides.js", "two-segments.mp4"]
    assert all((folder / r).is_file() for r in referenced)
    deck = json.loads(_between(folder / "slides.html", '<script type="application/json" id="deck">', "</script>"))
    beats = [b for s in published.manifests["two-segments"]["segments"] for b in s["beats"] if b["end"] > b["start"]]
    assert [(s["start"], s["end"]) for s in deck["steps"]] == [(b["start"], b["end"]) for b in beats]
    assert sum(len(p.images) for p in pypdf.PdfReader(folder / "handout.pdf").pages) == len(beats) >= 3


def _between(path, start, end):
    text = path.read_text(encoding="utf-8")
    return text.split(start, 1)[1].split(end, 1)[0]
