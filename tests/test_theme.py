"""The theme is legible: every colour text is drawn in reads against the grounds it sits on (WCAG AA)."""

from __future__ import annotations

import pytest

from mmlanim import theme


def _luminance(hex_colour: str) -> float:
    """Relative luminance, as WCAG 2.1 defines it (sRGB, linearised)."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-fails grey


TEXT_COLOURS = {"FOREGROUND": theme.FOREGROUND, "MUTED": theme.MUTED, "ACCENT": theme.ACCENT,
                **{f"PALETTE[{i}]": c for i, c in enumerate(theme.PALETTE)}}
GROUNDS = {"BACKGROUND": theme.BACKGROUND, "PANEL_BACKGROUND": theme.PANEL_BACKGROUND}


@pytest.mark.parametrize("ground", GROUNDS)
@pytest.mark.parametrize("name", TEXT_COLOURS)
def test_every_text_colour_reads_on_every_ground(name: str, ground: str) -> None:
    assert contrast(TEXT_COLOURS[name], GROUNDS[ground]) >= 4.5
