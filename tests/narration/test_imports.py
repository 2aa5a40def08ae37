from __future__ import annotations

import subprocess
import sys


def test_voice_import_is_light() -> None:
    """The lecture model imports Voice: that must not pull in PyAV, numpy or manim."""
    code = (
        "import sys, mmlanim.narration, mmlanim.narration.voice\n"
        "heavy = {'av', 'numpy', 'manim'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "import mmlanim.render.media, mmlanim.narration.plan, mmlanim.narration.subtitles\n"
        "import mmlanim.narration.transcript, mmlanim.narration.chapters\n"
        "assert 'manim' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
