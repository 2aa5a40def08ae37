"""Maths that cannot work reaches the author at validation, at the line and column inside the segment's visual."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import assert_clean_failure

CSV = {
    "header.csv": "a,b\n",
    "empty.csv": "",
    "nan.csv": "a,b\n1,2\nnan,3\n4,5\n",
    "inf.csv": "a,b\n1,2\n3,-inf\n4,5\n",
}


def lecture(folder: Path, visual: str) -> Path:
    """A one-segment lecture whose visual is ``visual`` (YAML lines, 6-space indent from line 6 on)."""
    for name, text in CSV.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "lecture.yaml"
    body = "\n".join("      " + line for line in visual.strip().splitlines())
    path.write_text(f"title: T\nsegments:\n  - id: s\n    narration: Hi.\n    visual:\n{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("visual", "where", "message"), [
    ("kind: basis_change\nbasis: [[1, 2], [2, 4]]", "7:14",
     "basis vectors are linearly dependent: b2 = 2·b1"),
    ("kind: basis_change\nbasis: [[1, 0], [0, 0]]\nshow_matrix: true", "7:14",
     "basis is not a basis: b2 is the zero vector"),
    ("kind: basis_change\nbasis: [[1, 1], [1, 1.0000000000000002]]\nshow_matrix: true", "7:14",
     "basis vectors are linearly dependent: b2 = b1"),
    ("kind: linear_regression\ndata: {points: [[1, 2], [.nan, 3], [4, 5]]}", "7:32",
     "segments[0].visual.data.points[1][0]: should be a finite number (got nan)"),
    ("kind: pca_projection\ndata: {points: [[1, 2], [3, .inf], [4, 5]]}", "7:35",
     "segments[0].visual.data.points[1][1]: should be a finite number (got inf)"),
    ("kind: linear_regression\ndata: {csv: nan.csv, columns: [a, b]}", "7:19",
     "nan.csv, line 3, column 'a': 'nan' is not a finite number"),
    ("kind: pca_projection\ndata: {csv: inf.csv, columns: [a, b]}", "7:19",
     "inf.csv, line 3, column 'b': '-inf' is not a finite number"),
    ("kind: pca_images\ndata: {points: [[1, 2, 3, 4], [2, 3, 4, 5], [0, 1, 0, 1], [5, 5, 1, 1], "
     "[3, 1, 4, 1]]}\ncomponents: [1, 5]\nsamples: [0]", "8:23",
     "k = 5 is out of range: 1 ≤ k ≤ 4"),
    ("kind: pca_projection\ndata: {points: [[1, 2, 3], [2, 3, 4], [0, 1, 0]]}", "7:13",
     "this visual needs 2 columns of data, got 3"),
    ("kind: linear_regression\ndata: {csv: header.csv, columns: [a, b]}", "7:19",
     "header.csv: no data rows after the header"),
    ("kind: pca_projection\ndata: {csv: empty.csv, columns: [a, b]}", "7:19",
     "empty.csv: the file is empty (a header row is needed)"),
    ("kind: linear_regression\ndata: {points: [[1, 2], [1, 3], [1, 4]]}", "7:13",
     "all x values are equal (x = 1): a vertical line has no slope"),
])
def test_refused_at_validation_inside_the_visual(cli, tmp_path, visual, where, message):
    path = lecture(tmp_path, visual)
    result = cli("validate", str(path))
    assert_clean_failure(result)
    assert result.stderr.splitlines()[0] == f"{path}:{where}: {message}"


@pytest.mark.parametrize("visual", [
    "kind: basis_change\nbasis: [[1e-300, 0], [0, 1e-300]]\nvector: [1, 1]",
    "kind: basis_change\nbasis: [[1e308, 1e308], [-1e308, 1e308]]",
    "kind: linear_regression\ndata: {points: [[1e308, 1], [-1e308, 2], [0, 3]]}",
    "kind: pca_projection\ndata: {generate: gaussian, n: 20, mean: [0, 0], cov: [[1e308, 0], [0, 1e308]]}",
    "kind: gradient_descent\ndomain: [[-1e308, 1e308], [-1, 1]]\nstart: [0, 0]",
])
def test_numbers_too_large_to_draw_are_refused_at_validation(cli, tmp_path, visual):
    path = lecture(tmp_path, visual)
    result = cli("validate", str(path))
    assert_clean_failure(result)
    assert result.stderr.startswith(f"{path}:7:")


def test_coordinates_too_large_to_draw_are_refused_at_the_vector(cli, tmp_path):
    path = lecture(tmp_path, "kind: basis_change\nbasis: [[1e-4, 0], [0, 1e-4]]\nvector: [1000, 1]")
    result = cli("validate", str(path))
    assert_clean_failure(result)
    assert result.stderr.startswith(f"{path}:8:15: 1e+07 (a coordinate of the vector in this basis) is too large "
                                    "to draw: numbers in a visual are limited to ±1,000,000")


@pytest.mark.parametrize("content", [b'a,b\n1,"' + b"2" * 200_000 + b'"\n3,4\n', b"a,b\n1,2\n3,\xe9\n"],
                         ids=["huge-field", "latin-1"])
def test_hostile_csv_files_are_located_problems(cli, tmp_path, content):
    path = lecture(tmp_path, "kind: linear_regression\ndata: {csv: hostile.csv, columns: [a, b]}")
    (tmp_path / "hostile.csv").write_bytes(content)
    result = cli("validate", str(path))
    assert_clean_failure(result)
    assert result.stderr.startswith(f"{path}:7:19: hostile.csv")
