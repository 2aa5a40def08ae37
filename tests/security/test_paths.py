"""Files a lecture names stay inside its folder; what a render writes stays inside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mmlanim.fsutil import slug
from mmlanim.narration.engines import resolve_lecture_file as narration_resolve
from mmlanim.narration.errors import NarrationError
from mmlanim.paths import MAX_PATH_CHARS, LecturePathError, resolve_lecture_file

from .conftest import assert_clean_failure


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """``lecture/`` with ``data/ok.csv`` and links; ``outside.csv`` next to it."""
    lecture = tmp_path / "lecture"
    (lecture / "data").mkdir(parents=True)
    (lecture / "data" / "ok.csv").write_text("a,b\n1,2\n3,4\n")
    (tmp_path / "outside.csv").write_text("a,b\n1,2\n3,4\n")
    (lecture / "out-link.csv").symlink_to(tmp_path / "outside.csv")
    (lecture / "dir-link").symlink_to(tmp_path)
    (lecture / "in-link.csv").symlink_to(lecture / "data" / "ok.csv")
    (lecture / "loop.csv").symlink_to(lecture / "loop.csv")
    os.mkfifo(lecture / "pipe.csv")
    return lecture, tmp_path


def test_files_inside_the_folder_resolve(folders):
    lecture, _ = folders
    ok = (lecture / "data" / "ok.csv").resolve()
    assert resolve_lecture_file("data/ok.csv", lecture) == ok
    assert resolve_lecture_file("in-link.csv", lecture) == ok
    assert resolve_lecture_file(str(lecture / "data" / "ok.csv"), lecture) == ok  # absolute, but inside
    assert resolve_lecture_file("data/../data/ok.csv", lecture) == ok


@pytest.mark.parametrize("name", ["../outside.csv", "out-link.csv", "dir-link/outside.csv", "data/../../outside.csv",
                                  "/etc/passwd", "ABSOLUTE_OUTSIDE"])
def test_escapes_are_refused(folders, name):
    lecture, root = folders
    name = str(root / "outside.csv") if name == "ABSOLUTE_OUTSIDE" else name
    with pytest.raises(LecturePathError, match=r"outside the lecture folder .*keep lecture files inside"):
        resolve_lecture_file(name, lecture, "CSV file")


@pytest.mark.parametrize(("name", "message"), [
    ("missing.csv", r"CSV file 'missing\.csv' not found \(looked for .*missing\.csv\)"),
    ("data", r"CSV file 'data' is a folder; name a file"),
    ("pipe.csv", r"CSV file 'pipe\.csv' is not a regular file; name a file"),
    ("loop.csv", r"CSV file 'loop\.csv' is a loop of symbolic links"),
    ("", r"CSV file: the file name is empty"),
    ("a\x00b", r"CSV file 'a\\x00b': a file name cannot contain a NUL character"),
    ("x" * (MAX_PATH_CHARS + 1), rf"the file name is too long \({MAX_PATH_CHARS + 1} characters; at most"),
    ("x" * 300 + ".csv", r"cannot (be resolved|be read): File name too long|not found"),
])
def test_bad_names_get_clear_messages(folders, name, message):
    lecture, _ = folders
    with pytest.raises(LecturePathError, match=message):
        resolve_lecture_file(name, lecture, "CSV file")


def test_size_limit_and_checking_only_where_a_path_leads(folders):
    lecture, _ = folders
    with pytest.raises(LecturePathError, match=r"'data/ok\.csv' is 12 bytes; at most 10 bytes are read"):
        resolve_lecture_file("data/ok.csv", lecture, "CSV file", max_bytes=10)
    later = resolve_lecture_file("voices/later.onnx", lecture, must_exist=False)
    assert later == lecture.resolve() / "voices/later.onnx"
    with pytest.raises(LecturePathError, match="outside the lecture folder"):
        resolve_lecture_file("../later.onnx", lecture, must_exist=False)


def test_the_narration_alias_raises_narration_errors(folders):
    lecture, _ = folders
    assert narration_resolve("data/ok.csv", lecture) == (lecture / "data" / "ok.csv").resolve()
    with pytest.raises(NarrationError, match="outside the lecture folder") as info:
        narration_resolve("out-link.csv", lecture, "audio file")
    assert isinstance(info.value.__cause__, LecturePathError)


# -- at the lecture level: located at the key that names the file ---------------------------------------

def lecture_with(folder: Path, segment_extra: str, visual: str = "{kind: title}", head: str = "") -> Path:
    path = folder / "lecture.yaml"
    path.write_text(f"title: T\n{head}segments:\n  - id: a\n    narration: Hi.\n{segment_extra}"
                    f"    visual: {visual}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("extra", "visual", "head", "where", "what"), [
    ("    audio: out-link.csv\n", "{kind: title}", "", "5:12", "audio file 'out-link.csv'"),
    ("    audio: ../outside.csv\n", "{kind: title}", "", "5:12", "audio file '../outside.csv'"),
    ("", "{kind: linear_regression, data: {csv: out-link.csv, columns: [a, b]}}", "", "5:51",
     "CSV file 'out-link.csv'"),
    ("", "{kind: pca_projection, data: {csv: ABSOLUTE_OUTSIDE, columns: [a, b]}}", "", "5:48", "CSV file '/"),
    ("    voice: {engine: piper, model: ../voices/x.onnx}\n", "{kind: title}", "", "5:35",
     "piper voice model '../voices/x.onnx'"),
    ("", "{kind: title}", "voice: {engine: piper, model: /opt/voices/x.onnx}\n", "2:31",
     "piper voice model '/opt/voices/x.onnx'"),
])
def test_lecture_files_outside_the_folder_are_located(cli, folders, extra, visual, head, where, what):
    lecture, root = folders
    visual = visual.replace("ABSOLUTE_OUTSIDE", str(root / "outside.csv"))
    path = lecture_with(lecture, extra, visual, head)
    result = cli("validate", str(path))
    assert_clean_failure(result)
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{where}: {what}"), first
    assert "outside the lecture folder" in first


def test_a_voice_model_that_is_not_there_yet_is_fine_for_validation(cli, folders):
    lecture, _ = folders
    path = lecture_with(lecture, "    voice: {engine: piper, model: voices/later.onnx}\n")
    assert cli("validate", str(path)).exit_code == 0


# -- outputs: slugs and ids, never outside the output folder ----------------------------------------

@pytest.mark.parametrize("stem", ["..", "...", "../../evil name", "..\\..\\evil", "-rf", " ", ".hidden", "évil 名前",
                                  "a/../../b", "con", "x" * 300, "\u202etxt.exe"])
def test_output_names_are_single_safe_components(tmp_path, stem):
    name = slug(stem)
    assert name and name == name.strip("-") and len(name) <= 80
    assert all(c.isascii() and (c.isalnum() or c in "-_") for c in name)
    out = tmp_path / "renders"
    assert (out / name / "480p15").resolve().parent.parent == out.resolve()


@pytest.mark.parametrize("bad_id", ["..", "../x", "a/b", "a\n", "a b", ".hidden", "x" * 65, ""])
def test_segment_ids_that_could_name_other_files_are_refused(cli, tmp_path, bad_id):
    path = tmp_path / "lecture.yaml"
    path.write_text(f'title: T\nsegments:\n  - id: "{bad_id.encode("unicode_escape").decode()}"\n'
                    "    narration: Hi.\n    visual: {kind: title}\n", encoding="utf-8")
    result = cli("validate", str(path))
    assert_clean_failure(result)
    assert result.stderr.startswith(f"{path}:3:9: segments[0].id: ")


@pytest.mark.render
def test_a_render_of_a_strangely_named_lecture_writes_only_in_the_output_folder(cli, tmp_path, monkeypatch,
                                                                                 probe_kind):
    work = tmp_path / "work"
    (work / "lectures").mkdir(parents=True)
    path = work / "lectures" / ".. evil name.yaml"
    path.write_text("title: T\nsegments:\n  - id: a\n    narration: Hi.\n    visual: {kind: security_probe}\n",
                    encoding="utf-8")
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*")}
    result = cli("render", str(path), "--voice", "silent", "-q", "l", "-r", "64,36", "-j", "1", "--quiet",
                 "-o", "out")
    assert result.exit_code == 0, result.output
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p.is_relative_to(work / "out") for p in created), sorted(created)
    [video] = [p for p in created if p.suffix == ".mp4" and p.parent.name != "segments"]
    assert video.name == "evil-name.mp4" and video.parent.parent == work / "out" / "evil-name"
    assert result.stdout.strip() == str(Path("out") / "evil-name" / video.parent.name / "evil-name.mp4")


@pytest.mark.render
def test_latex_in_a_lecture_cannot_read_files_outside_its_folder(cli, tmp_path):
    secret = tmp_path / "secret.tex"
    secret.write_text("s", encoding="utf-8")  # valid LaTeX: if it is read, the formula compiles
    lecture = tmp_path / "lecture"
    lecture.mkdir()
    name = "\\text{\\input{" + str(secret.with_suffix("")) + "}}"
    path = lecture_with(lecture, "", "{kind: vectors, vectors: [[2, 1]], names: ['" + name + "']}")
    result = cli("preview", str(path), "a", "--still", "-r", "64,36", "-o", str(tmp_path / "out"))
    assert_clean_failure(result)


@pytest.mark.parametrize("voice", ["../../../../etc/passwd", "/etc/passwd"])
def test_espeak_voice_names_cannot_name_files(cli, tmp_path, voice):
    path = lecture_with(tmp_path, "", head=f"voice: {{engine: espeak, voice: '{voice}'}}\n")
    result = cli("validate", str(path))
    assert_clean_failure(result)
    assert result.stderr.startswith(f"{path}:2:")
