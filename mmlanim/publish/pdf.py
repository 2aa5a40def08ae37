"""A minimal PDF writer: pages of JPEG pictures and Helvetica text (no dependencies).

Text uses the standard Helvetica fonts every PDF reader has (nothing is
embedded) in the Windows-1252 encoding; characters outside it print as ``?``.
"""

from __future__ import annotations

__all__ = ["PdfDocument", "PdfPage", "text_width", "wrap_text"]

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..fsutil import atomic_path

# Helvetica's advance widths (1/1000 em) for the printable ASCII characters 32..126.
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  # space .. /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  # 0 .. ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  # @ .. O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  # P .. _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  # ` .. o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,  # p .. ~
)
_OTHER_WIDTH = 556  # accented letters and punctuation outside ASCII: about a lower-case letter's width


def _encode(text: str) -> bytes:
    return text.encode("cp1252", errors="replace")


def text_width(text: str, size: float) -> float:
    """Width of ``text`` set in Helvetica at ``size`` points, in points."""
    total = 0
    for byte in _encode(text):
        total += _ASCII_WIDTHS[byte - 32] if 32 <= byte <= 126 else _OTHER_WIDTH
    return total * size / 1000


def wrap_text(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points (a longer word stands alone)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def _literal(text: str) -> bytes:
    raw = _encode(text)
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


@dataclass(frozen=True)
class _Image:
    jpeg: bytes
    width: int
    height: int


@dataclass
class PdfPage:
    """A page being drawn on; coordinates in points from the bottom left corner."""

    width: float
    height: float
    _ops: list[bytes] = field(default_factory=list)
    _images: list[_Image] = field(default_factory=list)

    def text(self, x: float, y: float, size: float, text: str, *, bold: bool = False,
             gray: float = 0.1) -> None:
        """Write one line of ``text`` with its baseline starting at ``(x, y)``."""
        font = b"/F2" if bold else b"/F1"
        self._ops.append(b"BT %s %.2f Tf %.3f g %.2f %.2f Td %s Tj ET" % (font, size, gray, x, y, _literal(text)))

    def image(self, jpeg: bytes, pixels: tuple[int, int], x: float, y: float, width: float, height: float) -> None:
        """Draw a JPEG (RGB, ``pixels`` = (width, height)) in the box with bottom left ``(x, y)``."""
        self._images.append(_Image(jpeg, *pixels))
        name = f"/Im{len(self._images)}".encode()
        self._ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm %s Do Q" % (width, height, x, y, name))

    def rule(self, x0: float, y0: float, x1: float, y1: float, gray: float = 0.6) -> None:
        """A thin line."""
        self._ops.append(b"%.3f G 0.5 w %.2f %.2f m %.2f %.2f l S" % (gray, x0, y0, x1, y1))


class PdfDocument:
    """Pages added with :meth:`page`, written by :meth:`save`."""

    def __init__(self, title: str = "") -> None:
        self.title = title
        self.pages: list[PdfPage] = []

    def page(self, width: float = 595.0, height: float = 842.0) -> PdfPage:
        """A new page (A4 portrait by default)."""
        page = PdfPage(width, height)
        self.pages.append(page)
        return page

    def to_bytes(self) -> bytes:
        """The document as PDF 1.4."""
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        def stream(head: bytes, data: bytes) -> bytes:
            return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (head, len(data), data)

        catalog = add(b"")  # filled in below
        pages_ref = add(b"")
        fonts = [add(b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % name)
                 for name in (b"Helvetica", b"Helvetica-Bold")]
        kids = []
        for page in self.pages:
            images = [add(stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                                 b"/BitsPerComponent 8 /Filter /DCTDecode" % (im.width, im.height), im.jpeg))
                      for im in page._images]
            content = add(stream(b"/Filter /FlateDecode", zlib.compress(b"\n".join(page._ops))))
            xobjects = b" ".join(b"/Im%d %d 0 R" % (i, ref) for i, ref in enumerate(images, start=1))
            kids.append(add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << %s >> >> >>"
                % (pages_ref, page.width, page.height, content, fonts[0], fonts[1], xobjects)))
        info = add(b"<< /Title %s /Producer (mmlanim) >>" % _literal(self.title))
        objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_ref
        objects[pages_ref - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % k for k in kids), len(kids))

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objects) + 1, catalog, info, xref)
        return bytes(out)

    def save(self, path: Path) -> None:
        """Write the PDF (replacing ``path`` atomically)."""
        with atomic_path(Path(path)) as tmp:
            tmp.write_bytes(self.to_bytes())
