"""Fixtures for the security tests: a test-only visual kind, and running the CLI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from mmlanim.cli import main

PROBE = """
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from mmlanim.visuals.base import Visual, VisualParams, beat


class Probe(Visual, kind="security_probe"):
    \"\"\"A test-only visual that reports problems, warns or fails on request.\"\"\"

    class Params(VisualParams):
        formula: str = Field("x", description="Text checked for the token BAD.")
        warn: bool = Field(False, description="Yield a warning.")
        explode: bool = Field(False, description="Raise while rendering.")

    def check(self) -> Iterator[tuple[Any, ...]]:
        column = self.params.formula.find("BAD") + 1
        if column:
            yield ("formula",), "the token BAD is not allowed", column

    def warnings(self) -> Iterator[tuple[Any, ...]]:
        if self.params.warn:
            yield ("warn",), "this probe warns [on purpose]"

    @beat("Hold still, or raise when asked to explode.")
    def show(self, scene: Any) -> Iterator[Any]:
        if self.params.explode:
            raise RuntimeError("the probe exploded")
        yield from ()
"""


@pytest.fixture
def probe_kind(add_kinds) -> type:
    """The visual kind ``security_probe``, installed for one test through an entry point.

    Its parameters ask for what a test needs: ``formula`` is checked like a
    formula (``BAD`` is an error at its column inside the value), ``warn``
    yields a warning, ``explode`` makes its beat raise while rendering.
    """
    from mmlanim.visuals import registry

    add_kinds("security-probe", {"security_probe_kind": PROBE}, {"security_probe": "security_probe_kind:Probe"})
    return registry()["security_probe"]


@pytest.fixture
def cli():
    """Run ``mmlanim ARGS`` in-process; exceptions are kept in the result, as in the fuzz tests."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=True)

    return run


def assert_clean_failure(result: Result) -> None:
    """Exit 1, a message, no exception escaped, no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
