"""The shared data source, and semantic problems reported at their line in the lecture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mmlanim import maths
from mmlanim.visuals._data import CsvData, DatasetData, PointsData, _kept_dataset, load_data

from .conftest import build, lecture, problems


def test_csv_is_read_relative_to_the_lecture(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "h.csv").write_text("height,weight,age\n1.6,60,30\n1.8,80,40\n1.7,72,35\n")
    loaded = load_data(CsvData(csv="data/h.csv", columns=["height", "weight"]), tmp_path)
    assert np.array_equal(loaded.values, [[1.6, 60], [1.8, 80], [1.7, 72]])
    assert loaded.names == ("height", "weight")
    v, _, _ = build("linear_regression", {"data": {"csv": "data/h.csv", "columns": ["height", "weight"]},
                                          "steps": 3, "learning_rate": 0.01}, base_dir=tmp_path)
    fit = maths.least_squares([1.6, 1.8, 1.7], [60, 80, 72])
    assert v.shown["slope"] == pytest.approx(fit.slope)


def test_csv_outside_the_lecture_folder_is_refused(tmp_path):
    (tmp_path / "secret.csv").write_text("a,b\n1,2\n3,4\n")
    inner = tmp_path / "lecture"
    inner.mkdir()
    path = lecture(inner, """
        kind: linear_regression
        data: {csv: ../secret.csv, columns: [a, b]}
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:" in message and "outside the lecture folder" in message


def test_missing_csv_column_is_located_at_the_csv_key(tmp_path):
    (tmp_path / "d.csv").write_text("a,b\n1,2\n3,4\n")
    path = lecture(tmp_path, """
        kind: pca_projection
        data:
          csv: d.csv
          columns: [a, c]
        """)
    [message] = problems(path)
    assert "lecture.yaml:9:" in message and "no column named 'c'" in message


def test_unknown_data_form_lists_the_forms(tmp_path):
    path = lecture(tmp_path, """
        kind: linear_regression
        data: {file: x.csv}
        """)
    [message] = problems(path)
    assert "data must be one of" in message and "{csv: FILE, columns: [X, Y]}" in message


def test_bad_key_inside_a_form_is_reported_in_that_form(tmp_path):
    path = lecture(tmp_path, """
        kind: linear_regression
        data: {generate: line, n: 20, slop: 2}
        """)
    [message] = problems(path)
    assert "unknown key 'slop'" in message and "slope" in message


@pytest.mark.parametrize("name", ["iris", "digits", "diabetes"])
def test_a_data_set_is_kept_and_read_back_by_another_process_without_scikit_learn(tmp_path, monkeypatch, name):
    """The first load keeps the parsed data set in the cache (named by scikit-learn's version, with its
    hash record); a later process reads it back, equal to scikit-learn's own loader, and never imports
    scikit-learn."""
    import subprocess
    import sys
    from importlib import metadata

    from sklearn import datasets

    reference = getattr(datasets, f"load_{name}")()
    monkeypatch.setenv("MMLANIM_CACHE_DIR", str(tmp_path / "cache"))
    first = load_data(DatasetData(dataset=name), tmp_path)
    np.testing.assert_array_equal(first.values, reference.data)
    entry = f"{name}-scikit-learn-{metadata.version('scikit-learn')}.npz"
    assert sorted(p.name for p in (tmp_path / "cache" / "datasets").iterdir()) == [entry, entry + ".sha256"]

    column = str(reference.feature_names[0])
    code = ("import sys, numpy as np; from pathlib import Path; "
            "from mmlanim.visuals._data import DatasetData, load_data; "
            f"out = Path({str(tmp_path)!r}); "
            f"np.save(out / 'all.npy', load_data(DatasetData(dataset={name!r}), out).values); "
            f"np.save(out / 'some.npy', load_data(DatasetData(dataset={name!r}, columns=[{column!r}, 'target']), "
            "out).values); print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120,
                         env={**__import__("os").environ, "MMLANIM_CACHE_DIR": str(tmp_path / "cache")}).stdout
    assert out.split() == ["False"]
    np.testing.assert_array_equal(np.load(tmp_path / "all.npy"), reference.data)
    np.testing.assert_array_equal(np.load(tmp_path / "some.npy"),
                                  np.column_stack([reference.data[:, 0], reference.target]))


def test_a_damaged_or_unwritable_data_set_cache_falls_back_to_scikit_learn(tmp_path, monkeypatch):
    from importlib import metadata

    from sklearn.datasets import load_iris

    monkeypatch.setenv("MMLANIM_CACHE_DIR", str(tmp_path / "cache"))
    load_data(DatasetData(dataset="iris"), tmp_path)
    entry = tmp_path / "cache" / "datasets" / f"iris-scikit-learn-{metadata.version('scikit-learn')}.npz"
    entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")  # damaged after it was kept
    _kept_dataset.cache_clear()  # as a new process would
    again = load_data(DatasetData(dataset="iris", columns=["target"]), tmp_path)
    np.testing.assert_array_equal(again.values[:, 0], load_iris().target)
    with np.load(entry) as made_again:  # the damaged entry was made again
        np.testing.assert_array_equal(made_again["data"], load_iris().data)

    (tmp_path / "a-file").write_text("")  # the cache's folder cannot be made: loaded all the same
    _kept_dataset.cache_clear()
    monkeypatch.setenv("MMLANIM_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    np.testing.assert_array_equal(load_data(DatasetData(dataset="iris"), tmp_path).values, load_iris().data)


def test_dataset_with_target_column():
    loaded = load_data(DatasetData(dataset="diabetes", columns=["bmi", "target"]), Path("."))
    assert loaded.values.shape == (442, 2)
    assert np.array_equal(loaded.values[:, 1], maths.sklearn_target("diabetes"))
    assert np.array_equal(loaded.values[:, 0], maths.sklearn_dataset("diabetes", ["bmi"])[:, 0])


def test_points_source_names_its_columns():
    loaded = load_data(PointsData(points=[[1, 2], [3, 4]]), Path("."))
    assert loaded.names == ("x", "y")


def test_regression_needs_two_columns(tmp_path):
    path = lecture(tmp_path, """
        kind: linear_regression
        data: {dataset: iris, columns: [0, 1, 2]}
        """)
    [message] = problems(path)
    assert "needs 2 columns" in message


def test_dependent_basis_is_located_at_the_basis(tmp_path):
    path = lecture(tmp_path, """
        kind: basis_change
        basis: [[1, 2], [2, 4]]
        """)
    [message] = problems(path)
    assert "lecture.yaml:7:" in message and "linearly dependent" in message and "b2 = 2·b1" in message


def test_bad_formula_is_located_at_the_function(tmp_path):
    path = lecture(tmp_path, """
        kind: gradient_descent
        function: x**2 + import(y)
        """)
    [message] = problems(path)
    # The caret is on the offending word (x**2 + at columns 17-23, then 'import').
    assert "lecture.yaml:7:24: formula is not valid" in message and "write it like" in message


def test_start_outside_domain_and_reversed_domain(tmp_path):
    path = lecture(tmp_path, """
        kind: gradient_descent
        start: [5, 0]
        """)
    [message] = problems(path)
    assert "outside the domain" in message
    path = lecture(tmp_path, """
        kind: gradient_descent
        domain: [[2, -2], [-1, 1]]
        """)
    assert any("low to high" in m for m in problems(path))


def test_dot_product_needs_two_vectors(tmp_path):
    path = lecture(tmp_path, """
        kind: vectors
        vectors: [[1, 2]]
        dot_product: true
        """)
    [message] = problems(path)
    assert "two vectors" in message


def test_pca_images_checks_components_and_samples(tmp_path):
    path = lecture(tmp_path, """
        kind: pca_images
        components: [1, 100]
        samples: [0, 5000]
        """)
    found = problems(path)
    assert any("k = 100 is out of range" in m for m in found)
    assert any("row 5000 does not exist" in m for m in found)


def test_every_example_passes_its_own_checks():
    from mmlanim.visuals import registry

    for kind, cls in registry().items():
        assert list(cls(cls.example_params()).check()) == [], kind


def test_csv_data_is_an_input_file(tmp_path):
    from mmlanim.visuals import registry

    (tmp_path / "d.csv").write_text("a,b\n1,2\n3,4\n")
    for kind in ("linear_regression", "pca_projection"):
        cls = registry()[kind]
        params = cls.model.model_validate({"kind": kind, "data": {"csv": "d.csv", "columns": ["a", "b"]}})
        from mmlanim.visuals import VisualContext

        visual = cls(params, VisualContext(base_dir=tmp_path))
        assert list(visual.input_files()) == [(tmp_path / "d.csv").resolve()]
        assert list(cls(cls.example_params()).input_files()) == []


@pytest.mark.parametrize("kind", ["gradient_descent", "surface", "lagrange"])
def test_a_domain_running_backwards_is_refused_by_every_kind_drawn_over_one(kind):
    from mmlanim.visuals import registry

    cls = registry()[kind]
    params = {"kind": kind, **cls.example, "domain": [[2, -2], [-2, 2]]}
    with pytest.raises(ValueError, match=r"the x range must go from low to high, got \[2, -2\]"):
        cls.model.model_validate(params)
