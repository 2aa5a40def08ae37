"""Render qualities, with manim's letters and folder names (no manim import)."""

from __future__ import annotations

__all__ = ["QUALITIES", "Quality", "quality"]

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Quality:
    """A render quality.

    Attributes
    ----------
    letter : str
        manim's flag letter (``l m h p k``).
    name : str
        manim's config name (``low_quality`` ...).
    width, height, fps : int
        Pixel size and frame rate.
    """

    letter: str
    name: str
    width: int
    height: int
    fps: int

    @property
    def folder(self) -> str:
        """manim's folder name, such as ``480p15``."""
        return f"{self.height}p{self.fps}"

    def with_resolution(self, width: int, height: int) -> Quality:
        return replace(self, width=width, height=height)


QUALITIES: dict[str, Quality] = {
    q.letter: q
    for q in (
        Quality("l", "low_quality", 854, 480, 15),
        Quality("m", "medium_quality", 1280, 720, 30),
        Quality("h", "high_quality", 1920, 1080, 60),
        Quality("p", "production_quality", 2560, 1440, 60),
        Quality("k", "fourk_quality", 3840, 2160, 60),
    )
}


def quality(letter: str, resolution: tuple[int, int] | None = None, fps: int | None = None) -> Quality:
    """The quality for a letter, optionally at another pixel size (``-r W,H``) or frame rate."""
    q = QUALITIES[letter]
    q = q.with_resolution(*resolution) if resolution else q
    return replace(q, fps=fps) if fps else q
