"""Read a printed PDF back once, fast: each page's text, and every run of text with its font,
its size as printed and its place, through PDFium (a C library), walking the page's text and
form objects rather than its characters, so the 300-page guide reads in seconds."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

POINTS_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Run:
    """One text object: its font's base name, its size in points, its top and bottom in
    millimetres from the page's top, and its left edge in millimetres from the page's left."""

    font: str
    size: float
    top: float
    bottom: float
    left: float


@dataclass(frozen=True)
class PageText:
    text: str
    runs: tuple[Run, ...]
    height: float


def read_pages(path: Path) -> list[PageText]:
    document = pdfium.PdfDocument(path)
    try:
        return [_page(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _page(page: pdfium.PdfPage) -> PageText:
    textpage = page.get_textpage()
    height = page.get_height()
    runs: list[Run] = []
    for index in range(raw.FPDFPage_CountObjects(page)):
        _collect(raw.FPDFPage_GetObject(page, index), height, runs, 0)
    return PageText(textpage.get_text_range(), tuple(runs), height / POINTS_PER_MM)


def _collect(obj: raw.FPDF_PAGEOBJECT, page_height: float, runs: list[Run], depth: int) -> None:
    kind = raw.FPDFPageObj_GetType(obj)
    if kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
        for index in range(raw.FPDFFormObj_CountObjects(obj)):
            _collect(raw.FPDFFormObj_GetObject(obj, index), page_height, runs, depth + 1)
        return
    if kind != raw.FPDF_PAGEOBJ_TEXT:
        return
    size = ctypes.c_float()
    raw.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw.FPDFPageObj_GetBounds(obj, *(ctypes.byref(value) for value in (left, bottom, right, top)))
    font = raw.FPDFTextObj_GetFont(obj)
    name = ctypes.create_string_buffer(128)
    raw.FPDFFont_GetBaseFontName(font, name, 128)
    runs.append(Run(
        name.value.decode(errors="replace").split("+")[-1],
        size.value,
        (page_height - top.value) / POINTS_PER_MM,
        (page_height - bottom.value) / POINTS_PER_MM,
        left.value / POINTS_PER_MM,
    ))
