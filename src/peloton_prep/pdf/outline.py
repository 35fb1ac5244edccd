"""PDF bookmarks and metadata, appended to a PDF Chromium printed, as an incremental update.

Chromium only writes an outline into a tagged PDF, which takes half again as long to print and
twice the bytes; and its outline is flat headings, with no level for the guide's parts. So the
guide prints untagged and its bookmarks are appended here: new objects after the old ones, a
new catalog that points to them, and an xref section chained to the old one. The bookmarks
point at named destinations, which Chromium writes for every element a link targets.

The same update carries what Chromium leaves out of the document information: the language
(/Lang in the catalog), the author and the subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from peloton_prep.pdf.edits import last_trailer
from peloton_prep.sources.release import Release

ROOT = re.compile(rb"/Root (\d+) 0 R")
AUTHOR = "peloton-prep contributors"
LANGUAGE = "en"
SIZE = re.compile(rb"/Size (\d+)")
# Entries the new trailer repeats from the old one: the identifier (the information is replaced).
CARRIED = re.compile(rb"/ID \[[^\]]*\]")
NAME_SAFE = re.compile(r"[A-Za-z0-9_.\-]")


class OutlineError(Exception):
    """The PDF is not laid out the way Chromium writes it, so no bookmarks could be added."""


@dataclass(frozen=True)
class Bookmark:
    """One entry of the outline: its title, the named destination it opens, and its children."""

    title: str
    anchor: str
    children: tuple[Bookmark, ...] = field(default=())


@dataclass(frozen=True)
class Trailer:
    """What the update needs from the old trailer: the catalog, the object count, the entries it
    repeats, and the xref."""

    root: int
    size: int
    carried: bytes
    xref: int


@dataclass(frozen=True)
class Metadata:
    """The document information a reader's file properties and a screen reader show."""

    title: str
    subject: str
    release: Release

    def info(self) -> bytes:
        stamp = datetime.fromtimestamp(self.release.timestamp, UTC).strftime("D:%Y%m%d%H%M%S+00'00'")
        entries = {
            "Title": self.title,
            "Author": AUTHOR,
            "Subject": self.subject,
            "Creator": f"peloton-prep {self.release.version}",
            "Producer": "Chromium (Skia/PDF)",
            "CreationDate": stamp,
            "ModDate": stamp,
        }
        return b"<<" + b"\n".join(b"/%s %s" % (key.encode(), _text(value)) for key, value in entries.items()) + b">>"


def with_outline(pdf: bytes, bookmarks: Sequence[Bookmark]) -> bytes:
    """The PDF with `bookmarks` as its outline, the top level open, shown beside the pages."""
    return finished(pdf, None, bookmarks)


def finished(pdf: bytes, metadata: Metadata | None, bookmarks: Sequence[Bookmark] = ()) -> bytes:
    """The PDF with its language, its document information (if given) and its outline (if any)."""
    trailer = _trailer(pdf)
    objects: dict[int, bytes] = {}
    catalog = _catalog(pdf, trailer.root) + b"\n/Lang (%s)" % LANGUAGE.encode()
    next_number = trailer.size
    if bookmarks:
        objects.update(_outline_objects(bookmarks, first_number=next_number))
        catalog += b"\n/Outlines %d 0 R\n/PageMode /UseOutlines" % next_number
        next_number = max(objects) + 1
    info = b""
    if metadata is not None:
        objects[next_number] = metadata.info()
        info = b"/Info %d 0 R" % next_number
    else:
        info = b"\n".join(re.findall(rb"/Info \d+ 0 R", _last_entries(pdf)))
    objects[trailer.root] = b"<<%s>>" % catalog
    return _append(pdf, objects, replace_carried(trailer, info))


def _last_entries(pdf: bytes) -> bytes:
    found = last_trailer(pdf)
    return found.entries if found else b""


def replace_carried(trailer: Trailer, info: bytes) -> Trailer:
    carried = b"\n".join(part for part in (info, trailer.carried) if part)
    return Trailer(trailer.root, trailer.size, carried, trailer.xref)


def _trailer(pdf: bytes) -> Trailer:
    found = last_trailer(pdf)
    root, size = (ROOT.search(found.entries), SIZE.search(found.entries)) if found else (None, None)
    if not (found and root and size):
        raise OutlineError("no trailer with /Root and /Size at the end of the PDF")
    carried = b"\n".join(CARRIED.findall(found.entries))
    return Trailer(int(root.group(1)), int(size.group(1)), carried, found.xref)


def _catalog(pdf: bytes, number: int) -> bytes:
    """The inside of the catalog dictionary, without its outer << >>."""
    found = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*endobj" % number, pdf, re.DOTALL)
    if not found or b"/Outlines" in found.group(1) or b"/Lang" in found.group(1):
        raise OutlineError(f"catalog object {number} not found, or it was already finished")
    return found.group(1)


def _outline_objects(bookmarks: Sequence[Bookmark], first_number: int) -> Iterator[tuple[int, bytes]]:
    """The outline dictionary (numbered `first_number`) and one object per bookmark, depth first.

    Top-level entries start open and every other entry closed, so the reader first sees the
    parts and their chapters.
    """
    flat = list(_walk(bookmarks, None))
    numbers = {id(bookmark): first_number + 1 + index for index, (bookmark, _) in enumerate(flat)}
    visible = len(bookmarks) + sum(len(bookmark.children) for bookmark in bookmarks)
    yield first_number, b"<</Type /Outlines /First %d 0 R /Last %d 0 R /Count %d>>" % (
        numbers[id(bookmarks[0])], numbers[id(bookmarks[-1])], visible)
    for bookmark, parent in flat:
        siblings = parent.children if parent else tuple(bookmarks)
        up = numbers[id(parent)] if parent else first_number
        yield numbers[id(bookmark)], _item(bookmark, siblings, numbers, up, is_open=parent is None)


def _walk(bookmarks: Sequence[Bookmark], parent: Bookmark | None) -> Iterator[tuple[Bookmark, Bookmark | None]]:
    for bookmark in bookmarks:
        yield bookmark, parent
        yield from _walk(bookmark.children, bookmark)


def _item(
    bookmark: Bookmark, siblings: Sequence[Bookmark], numbers: dict[int, int], parent: int, is_open: bool
) -> bytes:
    """One bookmark's dictionary: title, destination, parent, neighbours and children."""
    entries = [b"/Title " + _text(bookmark.title), b"/Dest /" + _name(bookmark.anchor), b"/Parent %d 0 R" % parent]
    position = next(index for index, sibling in enumerate(siblings) if sibling is bookmark)
    if position > 0:
        entries.append(b"/Prev %d 0 R" % numbers[id(siblings[position - 1])])
    if position < len(siblings) - 1:
        entries.append(b"/Next %d 0 R" % numbers[id(siblings[position + 1])])
    if bookmark.children:
        first, last = numbers[id(bookmark.children[0])], numbers[id(bookmark.children[-1])]
        # Children are all closed, so an open entry shows exactly them; a negative count is closed.
        count = len(bookmark.children) if is_open else -len(bookmark.children)
        entries.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, count))
    return b"<<" + b" ".join(entries) + b">>"


def _text(title: str) -> bytes:
    """A PDF text string in UTF-16 with its byte-order mark, so any title survives."""
    return b"<FEFF" + title.encode("utf-16-be").hex().upper().encode() + b">"


def _name(anchor: str) -> bytes:
    """A PDF name; characters outside the safe set are written as #xx escapes."""
    return "".join(c if NAME_SAFE.match(c) else "".join(f"#{b:02X}" for b in c.encode()) for c in anchor).encode()


def _append(pdf: bytes, objects: dict[int, bytes], trailer: Trailer) -> bytes:
    """Append the objects, an xref section for them and a trailer chained to the old xref."""
    update, offsets = bytearray(b"" if pdf.endswith(b"\n") else b"\n"), {}
    for number in sorted(objects):
        offsets[number] = len(pdf) + len(update)
        update += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(pdf) + len(update)
    update += b"xref\n" + b"".join(_xref_runs(offsets))
    size = max(max(objects) + 1, trailer.size)
    entries = (size, trailer.root, trailer.carried, trailer.xref)
    update += b"trailer\n<</Size %d\n/Root %d 0 R\n%s\n/Prev %d>>\n" % entries
    update += b"startxref\n%d\n%%%%EOF\n" % xref
    return pdf + bytes(update)


def _xref_runs(offsets: dict[int, int]) -> Iterator[bytes]:
    """Xref subsections, one per run of consecutive object numbers; each entry is 20 bytes."""
    run: list[int] = []
    for number in sorted(offsets):
        if run and number != run[-1] + 1:
            yield _xref_run(run, offsets)
            run = []
        run.append(number)
    yield _xref_run(run, offsets)


def _xref_run(run: list[int], offsets: dict[int, int]) -> bytes:
    return b"%d %d\n" % (run[0], len(run)) + b"".join(b"%010d 00000 n \n" % offsets[number] for number in run)
