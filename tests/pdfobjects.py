"""Typed look-ups in pypdf's object tree: a dictionary's value is any `PdfObject`, so each step
checks the kind of object it indexes instead of casting the tree away."""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ArrayObject, ByteStringObject, Destination, DictionaryObject, PdfObject, TextStringObject


def entry(obj: PdfObject, *path: str | int) -> PdfObject:
    """Follow dictionary keys (resolved, as `obj[key]` does) and array indexes (as stored) from obj."""
    for key in path:
        if isinstance(key, str):
            assert isinstance(obj, DictionaryObject), (key, obj)
            obj = obj[key]
        else:
            assert isinstance(obj, ArrayObject), (key, obj)
            item = obj[key]
            assert isinstance(item, PdfObject), (key, item)
            obj = item
    return obj


def text(obj: PdfObject, *path: str | int) -> str:
    """The string (a name or a text string) at the end of the path."""
    value = entry(obj, *path)
    assert isinstance(value, str), (path, value)
    return value


def string_bytes(obj: PdfObject, *path: str | int) -> bytes:
    """The bytes of the PDF string at the end of the path, as the file holds them."""
    value = entry(obj, *path)
    assert isinstance(value, ByteStringObject | TextStringObject), (path, value)
    return value.original_bytes


def bookmarks(items: object) -> list[Destination]:
    """One level of an outline that holds bookmarks only, no nested levels."""
    assert isinstance(items, list), items
    marks = [item for item in items if isinstance(item, Destination)]
    assert len(marks) == len(items), items
    return marks


def page_number(reader: PdfReader, destination: Destination) -> int:
    """The page (from 0) a destination opens, which must be a page of the reader's document."""
    number = reader.get_destination_page_number(destination)
    assert number is not None, destination
    return number
