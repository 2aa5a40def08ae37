"""Imported once by the workers' fork server (see :class:`mmlanim.render.schedule.Workers`): it warms
the server, so that every worker forked from it starts with manim, the visual kinds and the lecture
model already imported, instead of importing them itself (a second or two each)."""

from __future__ import annotations

__all__: list[str] = []

from .worker import warm_up

warm_up()
