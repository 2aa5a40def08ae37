"""A visual kind from another installed package: tests/plugin_example, installed with pip.

The plugin is installed into a temporary folder (``pip install --target``,
offline, without build isolation) and mmlanim runs in subprocesses with that
folder on ``PYTHONPATH``, as it would for a user who installed the plugin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, install_distribution

VECTORS_AGAIN = ("from mmlanim.visuals import Visual, beat\n\n"
                 "class Vectors(Visual, kind='vectors'):\n    '''Mine.'''\n\n    @beat('x')\n"
                 "    def b(self, scene):\n        yield from ()\n")

EXAMPLE = ROOT / "tests" / "plugin_example"

LECTURE = """\
title: Dots
segments:
  - id: first
    narration:
      - say: Three dots.
        beat: show_dots
      - say: This one.
        beat: circle_dot
    visual:
      kind: dots
      points: [[-3, -1], [0, 2], [3, 0]]
      circled: 1
  - id: second
    narration: More dots.
    visual: {kind: dots, points: [[1, 1], [2, 2]], color: "#FC6255"}
"""


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory):
    """Environment variables with the example plugin installed on PYTHONPATH."""
    work = tmp_path_factory.mktemp("plugin")
    src = work / "src"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    site = work / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "--target", str(site), str(src)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (
        "installing tests/plugin_example failed (building a wheel without build isolation needs "
        "setuptools>=70.1, or setuptools with the `wheel` package):\n" + result.stdout + result.stderr)
    assert (site / "mmlanim_dots.py").is_file()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    return env


@pytest.fixture
def mmlanim(plugin_env, tmp_path):
    """Run ``python -m mmlanim ARGS`` in tmp_path with the plugin installed and a fresh cache."""

    def run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        env = dict(plugin_env, MMLANIM_CACHE_DIR=str(tmp_path / "cache"))
        return subprocess.run([sys.executable, "-m", "mmlanim", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=timeout)

    return run


def test_the_plugin_is_not_installed_here():
    from mmlanim.visuals import registry

    assert "dots" not in registry()  # so the subprocess results below come from the installation


def test_visuals_lists_the_plugin_kind_with_its_package(mmlanim):
    result = mmlanim("visuals")
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("dots ")]
    assert "Dots on a plane, then one of them circled." in line and line.endswith("[mmlanim-dots]")
    assert any(line.startswith("vectors ") and "[" not in line for line in result.stdout.splitlines())


def test_visuals_kind_shows_parameters_beats_and_example(mmlanim):
    result = mmlanim("visuals", "dots")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("dots: Dots on a plane, then one of them circled.")
    assert "  points  (list of list of number, default required)\n      The dots, as [x, y] pairs." in out
    assert '  color  (text, default "#58C4DD")' in out
    assert "  circled  (integer or null, default null)" in out
    assert "  show_dots          Draw the dots one after the other." in out
    assert "  circle_dot         Circle one of the dots." in out
    assert "    kind: dots\n" in out


def test_schema_has_the_plugin_branch(mmlanim):
    import json

    schema = json.loads(mmlanim("schema").stdout)
    mapping = schema["$defs"]["Segment"]["properties"]["visual"]["discriminator"]["mapping"]
    branch = schema["$defs"][mapping["dots"].rsplit("/", 1)[1]]
    assert set(branch["properties"]) == {"kind", "points", "color", "circled"}


def test_a_lecture_using_the_plugin_validates(mmlanim, tmp_path):
    (tmp_path / "dots.yaml").write_text(LECTURE)
    result = mmlanim("validate", "dots.yaml")
    assert (result.returncode, result.stdout.strip()) == (0, "1 lecture valid"), result.stderr


def test_bad_plugin_parameter_is_located_with_a_suggestion(mmlanim, tmp_path):
    (tmp_path / "dots.yaml").write_text(LECTURE.replace('color: "#FC6255"', 'colour: "#FC6255"'))
    result = mmlanim("validate", "dots.yaml")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == ("dots.yaml:15:52: segments[1].visual: unknown key 'colour'; "
                                             "did you mean 'color'?")


def test_plugin_check_is_located(mmlanim, tmp_path):
    (tmp_path / "dots.yaml").write_text(LECTURE.replace("circled: 1", "circled: 3"))
    result = mmlanim("validate", "dots.yaml")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "dots.yaml:12:16: there are only 3 dots (0 to 2)"


@pytest.mark.render
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_lecture_using_the_plugin_renders(mmlanim, tmp_path, jobs):
    from mmlanim.render.media import probe

    (tmp_path / "dots.yaml").write_text(LECTURE)
    result = mmlanim("render", "dots.yaml", "-q", "l", "-r", "64,36", "--voice", "silent", "-j", jobs,
                     "-o", "out", "--quiet")
    assert result.returncode == 0, result.stderr
    video = tmp_path / result.stdout.strip()
    assert video == tmp_path / "out" / "dots" / "36p15" / "dots.mp4" and video.is_file()
    info = probe(video)
    assert (info.width, info.height, info.has_audio) == (64, 36, True)
    assert [c.title for c in info.chapters] == ["first", "second"]
    assert sorted(p.name for p in (video.parent / "segments").glob("*.mp4")) == ["first.mp4", "second.mp4"]
    assert info.video_duration > 2.0


def test_plugins_doc_shows_the_example_plugin_verbatim():
    doc = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    for name in ("mmlanim_dots.py", "pyproject.toml"):
        text = (EXAMPLE / name).read_text(encoding="utf-8")
        assert text in doc, f"docs/plugins.md no longer shows tests/plugin_example/{name}"


@pytest.mark.parametrize(("kinds", "module", "message"), [
    ({"broken": "broken:Broken"}, "raise ImportError('needs foo')\n",
     "error: visual plugin 'broken' (broken:Broken, from broken) failed to load: needs foo; fix or uninstall it"),
    ({"vectors": "broken:Vectors"}, VECTORS_AGAIN,
     "error: visual kind 'vectors' is declared twice: by mmlanim (mmlanim.visuals.vectors:Vectors) and by "
     "broken (broken:Vectors); uninstall one of them"),
    ({"broken": "broken:Vectors"}, VECTORS_AGAIN,
     "error: visual plugin 'broken' (broken:Vectors, from broken) names the class of kind 'vectors': "
     "the entry point's name must be the kind"),
    ({"broken": "broken:helper"}, "def helper():\n    pass\n",
     "error: visual plugin 'broken' (broken:helper, from broken) does not name a visual kind: the entry "
     "point's value must be 'module:Class', a Visual subclass declared with kind=..."),
])
def test_a_broken_plugin_is_named_without_a_traceback(tmp_path, kinds, module, message):
    site = install_distribution(tmp_path / "site", "broken", {"broken": module}, kinds)
    env = dict(os.environ, PYTHONPATH=str(site))
    result = subprocess.run([sys.executable, "-m", "mmlanim", "visuals"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert (result.returncode, result.stderr.strip()) == (1, message)
