"""Lazily imported ``manim`` and ``sympy``, so that mmlanim imports cheaply.

Visual kinds are imported by ``mmlanim validate`` to learn their parameters;
importing manim takes over a second, so drawing code reaches it through
:data:`manim`, which imports the real module on first attribute access.
Likewise :data:`sympy` (0.4 s), which only symbolic functions need.
"""

from __future__ import annotations

__all__ = ["manim", "sympy"]

import importlib
from types import ModuleType
from typing import Any


class _LazyModule:
    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded"
        return f"<lazy module {self._name!r} ({state})>"


manim: Any = _LazyModule("manim")
sympy: Any = _LazyModule("sympy")
