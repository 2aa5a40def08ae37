"""The PDF writer (read back with pypdf) and still extraction (against frames written here)."""

from __future__ import annotations

import io
from fractions import Fraction

import av
import numpy as np
import pypdf
import pytest
from PIL import Image

from mmlanim.publish.pdf import PdfDocument, text_width, wrap_text
from mmlanim.publish.stills import frame_stills, last_frame_of


def test_text_width_uses_helvetica_metrics():
    # Helvetica's published widths: H 722, e 556, l 222, o 556 (1/1000 em).
    assert text_width("Hello", 10) == pytest.approx((722 + 556 + 222 + 222 + 556) / 100)
    assert text_width("", 12) == 0


def test_wrap_text_keeps_every_word_and_the_width():
    words = ("the quick brown fox jumps over the lazy dog " * 6).split()
    lines = wrap_text(" ".join(words), 10, 120)
    assert " ".join(lines).split() == words
    assert all(text_width(line, 10) <= 120 for line in lines)
    # Filled greedily: the next line's first word would not have fitted.
    assert all(text_width(f"{a} {b.split()[0]}", 10) > 120 for a, b in zip(lines, lines[1:], strict=False))


def test_pdf_reads_back_with_its_text_and_pictures(tmp_path):
    picture = Image.fromarray(np.tile(np.array([200, 30, 60], dtype=np.uint8), (30, 40, 1)))
    jpeg = io.BytesIO()
    picture.save(jpeg, format="JPEG")
    doc = PdfDocument("A (test) title")
    first = doc.page()
    first.text(50, 780, 14, "Eigenvalues (and vectors) \\ café", bold=True)
    first.image(jpeg.getvalue(), picture.size, 50, 600, 160, 120)
    doc.page(300, 200).text(20, 100, 10, "second page")
    doc.save(tmp_path / "out.pdf")
    reader = pypdf.PdfReader(tmp_path / "out.pdf")
    assert len(reader.pages) == 2
    assert reader.metadata.title == "A (test) title"
    assert "Eigenvalues (and vectors) \\ café" in reader.pages[0].extract_text()
    assert reader.pages[1].extract_text().strip() == "second page"
    assert [float(x) for x in reader.pages[1].mediabox] == [0, 0, 300, 200]
    (image,) = reader.pages[0].images
    assert image.image.size == (40, 30)
    assert np.abs(np.asarray(image.image.convert("RGB"), dtype=int) - [200, 30, 60]).max() < 12


def _numbered_video(path, n_frames: int, fps: int) -> None:
    """A video whose frame i is flat, red 8 * (i % 32) and green 8 * (i // 32): each frame says its index."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.options = {"g": "10", "crf": "1"}
        for i in range(n_frames):
            colour = np.array([8 * (i % 32), 8 * (i // 32), 0], dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(np.tile(colour, (48, 64, 1)), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def _index(still: Image.Image) -> int:
    red, green, _ = np.asarray(still.convert("RGB"), dtype=float).reshape(-1, 3).mean(axis=0)
    return round(red / 8) + 32 * round(green / 8)


def test_frame_stills_picks_each_asked_frame(tmp_path):
    video = tmp_path / "numbered.mp4"
    _numbered_video(video, 130, 10)
    # Unordered, repeated, far apart (a seek), close together (decoding on), past the end (the last frame).
    wanted = [129, 0, 7, 8, 21, 7, 95, 96, 140]
    assert [_index(s) for s in frame_stills(video, wanted, 10)] == [129, 0, 7, 8, 21, 7, 95, 96, 129]
    (small,) = frame_stills(video, [3], 10, max_width=32)
    assert small.size == (32, 24)


@pytest.mark.parametrize(("end", "fps", "frame"), [(1.0, 15, 14), (1.684979, 15, 24), (0.01, 30, 0), (2.0, 60, 119)])
def test_last_frame_of_a_beat(end, fps, frame):
    # A beat's frames run up to the frame boundary nearest its end.
    assert last_frame_of(end, fps) == frame
