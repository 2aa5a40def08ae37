"""``python -m mmlanim``."""

from mmlanim.cli import run

run()
