"""mmlanim: YAML lecture scripts into narrated Manim video lectures.

Importing this package is cheap: it never imports manim. Rendering code
imports manim lazily, on first use.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
