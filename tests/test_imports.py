"""Cheap imports: the package, the CLI and `mmlanim validate` never import manim."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import TEST_DATA


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_import_cli_does_not_import_manim_or_sympy():
    result = run_python("import sys, mmlanim, mmlanim.cli, mmlanim.maths, mmlanim.visuals; "
                        "print('manim' in sys.modules, 'sympy' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


def test_loading_the_registry_imports_no_sympy():
    """Every kind's model (its example validated) is built when a lecture is loaded, in every render
    and each of its workers: no kind may need sympy for that (about 0.7 s)."""
    result = run_python("import sys\nfrom mmlanim.visuals import registry\n"
                        "kinds = registry()\nprint(len(kinds) > 20, 'sympy' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_dask_is_imported_only_for_a_cluster():
    lecture = TEST_DATA / "two-segments.yaml"
    code = ("import sys\nimport mmlanim, mmlanim.cli, mmlanim.render.pipeline, mmlanim.render.course\n"
            "from mmlanim.cli import main\n"
            f"sys.argv = ['mmlanim', 'validate', {str(lecture)!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, 'dask' in sys.modules, 'distributed' in sys.modules)")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["0", "False", "False"]


def test_sympy_is_imported_when_a_function_needs_it():
    code = ("import json, sys\nfrom mmlanim.maths import parse_function\n"
            "f = parse_function('x**2 + sin(y)')\n"
            "print(json.dumps(['sympy' in sys.modules, f.gradient_latex]))")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, ["2 x", r"\cos{\left(y \right)}"]]


def test_validate_does_not_import_manim():
    lecture = TEST_DATA / "two-segments.yaml"
    code = ("import sys\nfrom mmlanim.cli import main\n"
            f"sys.argv = ['mmlanim', 'validate', {str(lecture)!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, 'manim' in sys.modules)")
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["0", "False"]


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "mmlanim", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "mmlanim" in result.stdout


def test_quality_table_matches_manims():
    from manim.constants import QUALITIES as MANIM

    from mmlanim.quality import QUALITIES

    for q in QUALITIES.values():
        m = MANIM[q.name]
        assert (m["flag"], m["pixel_width"], m["pixel_height"], m["frame_rate"]) == (q.letter, q.width, q.height, q.fps)
