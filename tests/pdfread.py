"""Read a printed PDF back once: each page's text, and each character's font, size as printed
and place, through PDFium (a C library), so the 300-page guide is read in one pass."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Run:
    """Characters in a row with one font and size: the font's base name, the size in points as
    printed (the font size times the text's scale on the page), and the first character."""

    font: str
    size: float
    first: str


@dataclass(frozen=True)
class PageText:
    text: str
    runs: tuple[Run, ...]
    # The bottom of every line of text, in millimetres from the page's top.
    line_bottoms: tuple[float, ...]

    @property
    def words(self) -> str:
        return " ".join(self.text.split())


def read_pages(path: Path) -> list[PageText]:
    document = pdfium.PdfDocument(path)
    try:
        return [_page(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _page(page: pdfium.PdfPage) -> PageText:
    """Font and scale are looked up only where the font size changes, and line boxes stand in for
    characters' places: a few calls a line rather than four a character."""
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    top = page.get_mediabox()[3]
    runs: list[Run] = []
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    matrix = raw.FS_MATRIX()
    last = (-1.0, 0.0)
    for index in range(min(textpage.count_chars(), len(text))):
        if not text[index].strip():
            continue
        size = raw.FPDFText_GetFontSize(textpage, index)
        raw.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
        if (size, matrix.a) == last and runs:
            continue
        raw.FPDFText_GetFontInfo(textpage, index, name, 128, ctypes.byref(flags))
        scale = (matrix.a ** 2 + matrix.b ** 2) ** 0.5
        runs.append(Run(name.value.decode(errors="replace").split("+")[-1], round(size * scale, 2), text[index]))
        last = (size, matrix.a)
    bottoms = []
    left, upper, right, bottom = (ctypes.c_double() for _ in range(4))
    for index in range(raw.FPDFText_CountRects(textpage, 0, -1)):
        raw.FPDFText_GetRect(textpage, index, *(ctypes.byref(value) for value in (left, upper, right, bottom)))
        bottoms.append((top - bottom.value) / POINTS_PER_MM)
    return PageText(text, tuple(runs), tuple(bottoms))
