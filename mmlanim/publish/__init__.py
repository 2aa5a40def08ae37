"""Publishing rendered lectures: a static site with an interactive transcript, presenter
slides with sound, and a PDF handout, all derived from the lectures' manifests."""

from __future__ import annotations

from .site import publish_site, write_slides

__all__ = ["publish_site", "write_slides"]
