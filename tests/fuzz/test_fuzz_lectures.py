"""Mutated lectures never crash mmlanim: validate (a few hundred cases) and dry renders (a few dozen).

Many thousands more on demand: ``python scripts/fuzz_lectures.py --count 5000``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from mmlanim.cli import main
from mmlanim.visuals import registry

from .lecture_fuzz import (
    LECTURE,
    Case,
    dry_render_args,
    judge,
    lectures,
    make_workspace,
    seed_lectures,
    validate_args,
)

SEEDS = seed_lectures()
KINDS = tuple(registry())
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_workspace(tmp_path_factory.mktemp("fuzz"))


def _explain(case: Case, verdict) -> str:
    return f"{verdict.outcome}: {verdict.reasons}\nmade by: {case.notes}\noutput:\n{verdict.output[-3000:]}"


def test_the_seeds_are_valid_lectures(workspace):
    assert len(SEEDS) >= 5
    for path, _ in SEEDS:
        case = Case(path.read_bytes(), (path.name,))
        verdict = judge(CliRunner(), main, workspace, case, validate_args())
        assert verdict.outcome == "valid", _explain(case, verdict)


@settings(FUZZ, max_examples=300)
@given(case=lectures(SEEDS, KINDS))
def test_validate_ends_valid_or_with_located_problems(workspace, case):
    verdict = judge(CliRunner(), main, workspace, case, validate_args())
    assert verdict.ok, _explain(case, verdict)


@pytest.mark.render
@settings(FUZZ, max_examples=24)
@given(case=lectures(SEEDS, KINDS, small=True))
def test_dry_render_ends_rendered_or_with_located_problems(workspace, case):
    verdict = judge(CliRunner(), main, workspace, case, dry_render_args(), seconds=90)
    assert verdict.ok, _explain(case, verdict)


# -- the judge itself must catch misbehaviour ------------------------------------------------

@click.group()
def _fake() -> None:
    """A stand-in for mmlanim that misbehaves on request."""


@_fake.command("validate")
@click.argument("path")
@click.option("--how")
def _fake_validate(path: str, how: str) -> None:
    if how == "raise":
        raise RuntimeError("boom")
    if how == "traceback":
        click.echo("Traceback (most recent call last):", err=True)
        sys.exit(1)
    if how == "write":
        Path("out").mkdir()
        sys.exit(1)
    if how == "unlocated":
        click.echo("error: something went wrong", err=True)
        sys.exit(1)
    if how == "beyond":
        click.echo(f"{path}:99:1: no such line", err=True)
        sys.exit(1)
    if how == "exit2":
        sys.exit(2)
    click.echo(f"{path}:1:1: a located problem\n    title: T\n    ^", err=True)
    sys.exit(1)


@pytest.mark.parametrize(("how", "reason"), [
    ("raise", "raised RuntimeError: boom"),
    ("traceback", "printed a traceback"),
    ("write", "the workspace changed"),
    ("unlocated", "is not 'PATH:LINE:COL: message'"),
    ("beyond", "outside the file"),
    ("exit2", "exit status 2"),
])
def test_the_judge_catches_each_misbehaviour(tmp_path, how, reason):
    verdict = judge(CliRunner(), _fake, make_workspace(tmp_path), Case(b"title: T\n", ()),
                    ["validate", str(LECTURE), "--how", how])
    assert verdict.outcome == "bad"
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_the_judge_accepts_located_problems(tmp_path):
    verdict = judge(CliRunner(), _fake, make_workspace(tmp_path), Case(b"title: T\n", ()),
                    ["validate", str(LECTURE), "--how", "ok"])
    assert (verdict.outcome, verdict.reasons) == ("invalid", [])
