"""``python -m mmlanim``."""

from mmlanim.cli import main

main()
