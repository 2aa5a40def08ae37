"""Rendering: manim scenes per segment, joined into a narrated lecture.

Only :mod:`mmlanim.render.manim_config` touches manim's global config.
"""
