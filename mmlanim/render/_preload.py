"""Imported once by the workers' fork server (see :class:`mmlanim.render.schedule.Workers`): it warms
the server, so that every worker forked from it starts with manim, the visual kinds and the lecture
model already imported, instead of importing them itself (a second or two each).

What it imported lives as long as the server and every worker forked from it, so it is then frozen
out of the garbage collector's sight (:func:`gc.freeze`): a worker's full collections no longer walk
those objects again and again (they were most of what a collection walked), nor write to their
pages, which stay shared with the server."""

from __future__ import annotations

__all__: list[str] = []

from .worker import settle_heap, warm_up

warm_up()
settle_heap()
