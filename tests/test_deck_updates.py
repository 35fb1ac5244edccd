"""Updates as a learner lives them: releases imported by the official anki library into a
collection the learner has used, with exact counts of what changed and what survived."""

from __future__ import annotations

import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from anki.models import NotetypeId
from anki.notes import Note

from ankidb import db, deck_description, deck_id, new_deck
from conftest import PAGE
from peloton_prep.cli import main
from peloton_prep.deck import (
    CLOZE_MODEL_ID,
    QA_MODEL_ID,
    RETIRED_DECK,
    TAG_ROOT,
    cut_release,
    deck_css,
    write_deck,
)
from peloton_prep.errors import ContentError
from peloton_prep.sources.content import load_content
from peloton_prep.sources.release import Release, current_release
from peloton_prep.sources.releases import RECORD_PATH, read_record, release_notes, write_record

if TYPE_CHECKING:
    # Importing anki.cards before anki.collection is circular at run time.
    from anki.cards import CardId

ROOT_DECK = "Peloton Interview Prep"
TRADE_OFFS = "Peloton Interview Prep::Product Manager::Trade-off Facts"
MISTAKES = "Peloton Interview Prep::Product Manager::Mistakes to Avoid"
T1, T2, T3 = 1_767_355_200, 1_767_441_600, 1_767_528_000  # 2026-01-02, -03, -04

PAGE_WITH_PATTERNS = PAGE + "\n## Retries { #retries }\n\nProse.\n"


def qa(card_id: str, back: str = "An answer.", section: str = "idempotency",
       tags: str = "role::pm, round::trade-offs", extra: str = "") -> str:
    return f"""\
- id: {card_id}
  kind: qa
  front: What is {card_id}?
  back: {back}
  tags: [{tags}]
  page: test.md
  section: {section}
  source: seed:pm-system-design
{extra}"""


CLOZE = """\
- id: c-cloze
  kind: cloze
  text: A budget of {{c1::1 s}} for {{c2::heart rate}}.
  extra: Riders compare effort live.
  tags: [role::pm, round::trade-offs]
  page: test.md
  section: latency-budgets
  source: seed:pm-system-design
"""

# Nine notes, ten cards: one per learner action and one per upstream change.
V1 = {
    "q-edit": qa("q-edit"),        # edited upstream in v2
    "q-keep": qa("q-keep"),        # the learner edits it and writes a note; unchanged upstream
    "q-marked": qa("q-marked"),    # the learner tags it `marked`
    "q-suspend": qa("q-suspend"),  # the learner suspends it
    "q-own": qa("q-own"),          # the learner moves it to their own deck
    "q-delete": qa("q-delete"),    # the learner deletes it
    "q-retire": qa("q-retire"),    # retired upstream in v2
    "q-move": qa("q-move"),        # moved to another round upstream in v2
    "q-tags": qa("q-tags"),        # its topic tags change upstream in v2
}
V2 = V1 | {
    "q-edit": qa("q-edit", back="A better answer."),
    "q-retire": qa("q-retire", extra="  retired: Merged into q-edit.\n"),
    "q-move": qa("q-move", tags="role::pm, round::mistakes"),
    "q-tags": qa("q-tags", tags="role::pm, round::trade-offs, topic::retries"),
}


@dataclass
class Project:
    root: Path
    out: Path

    def write(self, cards: dict[str, str], extra: str = "") -> None:
        (self.root / "cards" / "cards.yaml").write_text("".join(cards.values()) + extra)

    def release(self, version: str, time: int) -> None:
        write_record(self.root, cut_release(load_content(self.root), version, time))

    def deck(self, name: str, time: int, dev: bool = False) -> Path:
        target = self.out / name
        write_deck(load_content(self.root), Release(name, time, dev), target)
        return target


@pytest.fixture
def project(tiny_project: Path, tmp_path: Path) -> Project:
    (tiny_project / "docs" / "test.md").write_text(PAGE_WITH_PATTERNS)
    return Project(tiny_project, tmp_path)


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = Collection(str(tmp_path / "learner.anki2"))
    yield collection
    collection.close()


def import_package(col: Collection, path: Path) -> dict[str, int]:
    """Import with the options the guide tells learners to choose (Anki's own defaults)."""
    options = ImportAnkiPackageOptions(merge_notetypes=False, with_scheduling=False, with_deck_configs=False)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log
    return {kind: len(getattr(log, kind)) for kind in ("new", "updated", "duplicate", "conflicting")}


def note_of(col: Collection, card_id: str) -> Note:
    return col.get_note(col.find_notes(f'"Card ID:{card_id}"')[0])


def snapshot(col: Collection) -> dict[str, tuple[str, str, int]]:
    """Each note's fields, tags and modified time, by card id."""
    rows = db(col).all("select flds, tags, mod from notes")
    return {flds.split("\x1f")[6]: (flds, tags, mod) for flds, tags, mod in rows}


def counts(col: Collection) -> dict[str, int]:
    return {
        "notes": col.note_count(),
        "cards": col.card_count(),
        "revlog": db(col).scalar("select count() from revlog"),
        "note types": len(col.models.all_names_and_ids()),
        "decks": len(col.decks.all_names_and_ids()),
    }


def learner_uses(col: Collection) -> CardId:
    """Everything a learner does between releases; returns the reviewed card's id."""
    col.decks.select(deck_id(col, ROOT_DECK))
    card = col.sched.getCard()
    assert card is not None
    col.sched.answerCard(card, 3)
    keep = note_of(col, "q-keep")
    keep["Back"] = "My own wording."
    keep["Notes"] = "Remember the 2019 outage."
    keep.tags.append("mine")
    col.update_note(keep)
    for card_id in ("q-marked", "q-edit"):
        note = note_of(col, card_id)
        note.tags.append("marked")
        note["Notes"] = "my note"
        col.update_note(note)
    col.sched.suspend_cards([note_of(col, "q-suspend").cards()[0].id])
    col.set_deck([note_of(col, "q-own").cards()[0].id], new_deck(col, "My deck"))
    col.remove_notes([note_of(col, "q-delete").id])
    return card.id


def back_dated(col: Collection, seconds: int) -> None:
    """The learner's edits happened before the next release was cut, as they would in life."""
    db(col).execute("update notes set mod = ? where mod > ?", seconds, T3)


def test_reimporting_the_same_release_changes_nothing(project: Project, col: Collection) -> None:
    """The same release twice: no note added or updated, and the learner's work stays."""
    project.write(V1)
    project.release("1.0", T1)
    first = project.deck("v1.apkg", T1)
    stock = counts(col)
    assert import_package(col, first) == {"new": 9, "updated": 0, "duplicate": 0, "conflicting": 0}
    learner_uses(col)
    before, numbers = snapshot(col), counts(col)
    # Only the Q&A note type is in a package without cloze cards; decks: the root, the role, the
    # round and the learner's own.
    assert numbers == {"notes": 8, "cards": 8, "revlog": 1, "note types": stock["note types"] + 1,
                       "decks": stock["decks"] + 4}
    assert import_package(col, project.deck("again.apkg", T2)) == {
        "new": 1, "updated": 0, "duplicate": 8, "conflicting": 0}
    after = snapshot(col)
    assert {card_id: row for card_id, row in after.items() if card_id != "q-delete"} == before
    assert counts(col) == numbers | {"notes": 9, "cards": 9}  # only the deleted note came back


def test_release_updates_only_the_changed_notes(project: Project, col: Collection) -> None:
    """A release that edits one card, retires one, moves one and changes one's tags updates
    exactly those four notes; everything the learner did to the others survives."""
    project.write(V1)
    project.release("1.0", T1)
    import_package(col, project.deck("v1.apkg", T1))
    stock_types = len(col.models.all_names_and_ids()) - 1
    reviewed = learner_uses(col)
    back_dated(col, T1 + 3600)
    reviewed_before = col.get_card(reviewed)
    revlog = db(col).all("select * from revlog")
    before, numbers = snapshot(col), counts(col)

    project.write(V2)
    project.release("2.0", T2)
    result = import_package(col, project.deck("v2.apkg", T2))

    assert result == {"new": 1, "updated": 4, "duplicate": 4, "conflicting": 0}
    after = snapshot(col)
    changed = {card_id for card_id in before if after[card_id] != before[card_id]}
    assert changed == {"q-edit", "q-retire", "q-move", "q-tags"}
    # Counts: the deleted note comes back; the moved card's new subdeck and the retired deck appear.
    assert counts(col) == numbers | {"notes": 9, "cards": 9, "decks": numbers["decks"] + 2}
    assert counts(col)["note types"] == stock_types + 1
    assert db(col).all("select * from revlog") == revlog
    reviewed_after = col.get_card(reviewed)
    assert (reviewed_after.type, reviewed_after.queue, reviewed_after.due, reviewed_after.ivl) == (
        reviewed_before.type, reviewed_before.queue, reviewed_before.due, reviewed_before.ivl)
    # The learner's edit, Notes field and tags on unchanged notes survive.
    keep = note_of(col, "q-keep")
    assert (keep["Back"], keep["Notes"], "mine" in keep.tags) == ("My own wording.", "Remember the 2019 outage.", True)
    assert "marked" in note_of(col, "q-marked").tags and note_of(col, "q-marked")["Notes"] == "my note"
    # A note changed upstream is replaced whole: its new text, and the learner's Notes and tags on it are gone.
    edited = note_of(col, "q-edit")
    assert ("A better answer." in edited["Back"], edited["Notes"], "marked" in edited.tags) == (True, "", False)
    # Suspended stays suspended; a card the learner moved stays in their deck.
    assert note_of(col, "q-suspend").cards()[0].queue == -1
    assert col.decks.name(note_of(col, "q-own").cards()[0].did) == "My deck"
    # A card moved upstream keeps its old subdeck for this learner; its tag says the new round.
    moved = note_of(col, "q-move")
    assert col.decks.name(moved.cards()[0].did) == TRADE_OFFS
    assert f"{TAG_ROOT}::round::mistakes" in moved.tags
    assert col.decks.id_for_name(MISTAKES) is not None
    # The retired card stays, tagged, with the reason on its back; the learner suspends it.
    retired = note_of(col, "q-retire")
    assert f"{TAG_ROOT}::retired" in retired.tags and "Merged into q-edit." in retired["Back"]
    assert col.decks.name(retired.cards()[0].did) == TRADE_OFFS
    assert col.decks.id_for_name(RETIRED_DECK) is not None


def test_a_one_card_release_updates_exactly_one_note(project: Project, col: Collection) -> None:
    """The issue's bar: a release that changes one card updates one note, and only that one."""
    project.write(V1)
    project.release("1.0", T1)
    import_package(col, project.deck("v1.apkg", T1))
    before = snapshot(col)
    project.write(V1 | {"q-keep": qa("q-keep", back="Sharper.")})
    project.release("1.1", T2)
    assert import_package(col, project.deck("v1.1.apkg", T2)) == {
        "new": 0, "updated": 1, "duplicate": 8, "conflicting": 0}
    after = snapshot(col)
    assert {card_id for card_id in before if after[card_id] != before[card_id]} == {"q-keep"}


def test_an_unreleased_build_stamps_only_changed_cards(project: Project, col: Collection) -> None:
    """A build after a release: cards that differ from the record take the build's time, the rest
    keep the recorded time, so it too updates only what changed."""
    project.write(V1)
    project.release("1.0", T1)
    import_package(col, project.deck("v1.apkg", T1))
    project.write(V1 | {"q-keep": qa("q-keep", back="Sharper.")})
    assert import_package(col, project.deck("build.apkg", T2))["updated"] == 1
    mods = {card_id: row[2] for card_id, row in snapshot(col).items()}
    assert mods.pop("q-keep") == T2
    assert set(mods.values()) == {T1}


def test_note_type_tweaks_survive_until_the_note_type_changes(project: Project, tmp_path: Path) -> None:
    """The learner's CSS tweak survives a release whose note types did not change."""
    project.write(V1)
    project.release("1.0", T1)
    path = tmp_path / "css.anki2"
    col = Collection(str(path))
    import_package(col, project.deck("v1.apkg", T1))
    model = col.models.get(NotetypeId(QA_MODEL_ID))
    assert model is not None and model["mod"] == T1
    model["css"] += "\n.card { font-size: 30px; }"
    col.models.update_dict(model)
    project.write(V2)
    project.release("2.0", T2)
    import_package(col, project.deck("v2.apkg", T2))
    col.close()
    col = Collection(str(path))  # note types are cached in the session: read them afresh
    try:
        model = col.models.get(NotetypeId(QA_MODEL_ID))
        assert model is not None and "font-size: 30px" in model["css"]
    finally:
        col.close()


def test_new_cards_follow_the_site_order_and_retired_cards_are_not_studied(project: Project, col: Collection) -> None:
    """New cards come in the order of the pages, sections and files; a new learner's retired cards
    are outside the root deck, so studying it never shows them."""
    project.write({"q-late": qa("q-late", section="retries"), "q-early": qa("q-early"), "c-cloze": CLOZE,
                   "q-retire": qa("q-retire", extra="  retired: Gone.\n")})
    import_package(col, project.deck("v.apkg", T1))
    rows = db(col).all("select n.flds, c.ord, c.due, c.did from cards c join notes n on n.id = c.nid "
                      "order by c.due, c.ord")
    order = [(flds.split("\x1f")[6], ordinal) for flds, ordinal, _, _ in rows]
    assert order == [("c-cloze", 0), ("c-cloze", 1), ("q-early", 0), ("q-late", 0), ("q-retire", 0)]
    root = col.decks.id_for_name(ROOT_DECK)
    assert root is not None
    studied = col.find_cards(f'"deck:{ROOT_DECK}"')
    assert len(studied) == 4 and len(col.find_cards(f'"deck:{RETIRED_DECK}"')) == 1


def test_deck_says_its_version_and_how_to_update(project: Project, col: Collection) -> None:
    """The deck overview shows the release, its date, the site and the update steps; each card's
    back shows its release, small; a later release's description replaces the earlier one."""
    project.write(V1)
    project.release("1.0", T1)
    import_package(col, project.deck("v1.apkg", T1))
    # Anki imports only the decks that hold cards, so the description is on every subdeck.
    assert deck_description(col, ROOT_DECK) == ""
    description = deck_description(col, TRADE_OFFS)
    assert "release 1.0, 2026-01-02" in description
    assert "https://peloton-prep.github.io/peloton-prep/" in description and "Empty Cards" in description
    assert 'class="pp-meta"' in note_of(col, "q-edit").cards()[0].answer()
    assert "release 1.0</div>" in note_of(col, "q-edit").cards()[0].answer()
    project.write(V2)
    project.release("2.0", T2)
    import_package(col, project.deck("v2.apkg", T2))
    description = deck_description(col, TRADE_OFFS)
    assert "release 2.0, 2026-01-03" in description
    project.write(V2 | {"q-keep": qa("q-keep", back="Sharper.")})
    with zipfile.ZipFile(project.deck("build.apkg", T3)) as archive:
        assert b"unreleased build" in archive.read("collection.anki2")


def test_hint_is_tap_to_reveal_and_tags_share_one_root(project: Project, col: Collection) -> None:
    """A hint renders as Anki's hint link on the front; every tag is under PelotonPrep::."""
    project.write({"q-hint": qa("q-hint", extra="  hint: Think of **keys**.\n"), "c-cloze": CLOZE})
    import_package(col, project.deck("v.apkg", T1))
    note = note_of(col, "q-hint")
    question = note.cards()[0].question()
    assert "Think of <strong>keys</strong>." in question and "hint" in question.lower()
    assert note["Notes"] == ""
    tags = set(col.tags.all())
    assert tags == {f"{TAG_ROOT}::role::pm", f"{TAG_ROOT}::round::trade-offs"}


def test_diagrams_fit_the_card_and_read_in_night_mode() -> None:
    """Images never overflow a phone's card, and night mode inverts them keeping hues."""
    css = deck_css()
    assert "img { max-width: 100%; height: auto; }" in css
    assert ".nightMode img" in css and "invert(1) hue-rotate(180deg)" in css


def test_development_build_never_touches_release_notes(project: Project, col: Collection) -> None:
    """A build from uncommitted sources has its own deck, note types and GUIDs: importing it next to
    a release adds its own notes and updates none of the release's."""
    project.write(V1)
    project.release("1.0", T1)
    import_package(col, project.deck("v1.apkg", T1))
    before = snapshot(col)
    project.write(V2)
    result = import_package(col, project.deck("dev.apkg", T3, dev=True))
    assert result == {"new": 9, "updated": 0, "duplicate": 0, "conflicting": 0}
    assert db(col).scalar("select count() from notes where mid not in (?, ?)", QA_MODEL_ID, CLOZE_MODEL_ID) == 9
    release_rows = db(col).all("select flds, tags, mod from notes where mid = ?", QA_MODEL_ID)
    assert sorted(map(tuple, release_rows)) == sorted(before.values())
    assert col.decks.id_for_name(f"{ROOT_DECK} (development build)") is not None


def git(root: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_DATE": "@1767355200 +0000", "GIT_COMMITTER_DATE": "@1767355200 +0000",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_uncommitted_sources_make_a_development_build(project: Project) -> None:
    """A clean commit is a build of that commit, at its time; an edited card makes a -dev build."""
    project.write(V1)
    git(project.root, "init", "-q")
    git(project.root, "add", ".")
    git(project.root, "commit", "-qm", "v1")
    clean = current_release(project.root)
    assert (clean.dev, clean.timestamp) == (False, T1) and not clean.version.endswith("-dev")
    project.write(V2)
    dirty = current_release(project.root)
    assert dirty.dev and dirty.version.endswith("-dev") and dirty.timestamp > T1


def test_release_command_records_a_clean_commit(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """`release` refuses uncommitted sources, then writes the record for the last commit."""
    project.write(V1)
    git(project.root, "init", "-q")
    git(project.root, "add", ".")
    git(project.root, "commit", "-qm", "v1")
    assert main(["--root", str(project.root), "release", "1.0"]) == 0
    record = read_record(project.root)
    assert record is not None and [entry.version for entry in record.releases] == ["1.0"]
    assert record.cards["q-edit"].changed == T1 and record.cards["q-edit"].first_release == "1.0"
    assert main(["--root", str(project.root), "release", "1.1"]) == 2  # the record is not committed yet
    assert "uncommitted changes (cards/release-lock.json)" in capsys.readouterr().err
    assert main(["--root", str(project.root), "check"]) == 0  # the record is not a stray file in cards/


def test_release_notes_list_what_each_release_changed(project: Project) -> None:
    """The Changelog's generated part: newest release first, with added, changed, retired, moved."""
    project.write(V1)
    project.release("1.0", T1)
    project.write(V2 | {"q-new": qa("q-new")})
    project.release("2.0", T2)
    content = load_content(project.root)
    notes = release_notes(content.record, {card.id: card for card in (*content.cards, *content.retired)})
    assert notes.index("### Deck release 2.0 (2026-01-03)") < notes.index("### Deck release 1.0 (2026-01-02)")
    assert "- Added (1): [`q-new`](test.md#idempotency)" in notes
    assert "- Changed (3): [`q-edit`](test.md#idempotency), [`q-move`]" in notes
    assert "- Retired (1): `q-retire`" in notes and "- Moved to another subdeck (1): [`q-move`]" in notes
    assert "The first release: 9 cards." in notes
    assert "<!-- deck release notes -->" in (Path(__file__).parent.parent / "docs" / "changelog.md").read_text()


# ---- check guards published cards ----------------------------------------------------------


def problems_after(project: Project, cards: dict[str, str]) -> str:
    project.write(cards)
    with pytest.raises(ContentError) as raised:
        load_content(project.root)
    return str(raised.value)


@pytest.fixture
def released(project: Project) -> Project:
    project.write(V1 | {"c-cloze": CLOZE})
    project.release("1.0", T1)
    return project


def test_check_rejects_a_changed_kind(released: Project) -> None:
    cloze = CLOZE.replace("c-cloze", "q-edit")
    message = problems_after(released, {**V1, "q-edit": cloze, "c-cloze": CLOZE})
    assert "cards/cards.yaml:" in message and "card 'q-edit': kind: published as qa in release 1.0" in message
    assert "retire this id" in message


def test_check_rejects_a_removed_cloze_number(released: Project) -> None:
    message = problems_after(released, V1 | {"c-cloze": CLOZE.replace("{{c2::heart rate}}", "heart rate")})
    assert "card 'c-cloze': text: published with cloze c2, now gone" in message
    assert "No cloze 2 found" in message


def test_check_rejects_a_removed_id_and_accepts_retiring_it(released: Project) -> None:
    cards = dict(V1 | {"c-cloze": CLOZE})
    del cards["q-tags"]
    message = problems_after(released, cards)
    assert f"{RECORD_PATH}:" in message and "card 'q-tags': id: published in release 1.0 and now missing" in message
    assert "retired: <why>" in message
    released.write(cards | {"q-tags": qa("q-tags", extra="  retired: Covered by q-edit.\n")})
    content = load_content(released.root)
    assert [card.id for card in content.retired] == ["q-tags"]


def test_check_rejects_changed_note_type_fields(released: Project) -> None:
    """A field added to or renamed in a published note type (here, as code would do it after the
    release) is rejected."""
    path = released.root / RECORD_PATH
    path.write_text(path.read_text().replace('"Release"', '"Version"', 1))
    message = problems_after(released, V1 | {"c-cloze": CLOZE})
    assert "note type" in message and "would\nimport" not in message and "conflicting copy" in message


def test_before_any_release_cards_change_freely(project: Project) -> None:
    """Without a record nothing is guarded: the card redesign may split and rename cards."""
    project.write({"q-edit": CLOZE.replace("c-cloze", "q-edit")})
    assert [card.kind for card in load_content(project.root).cards] == ["cloze"]


def test_an_edit_after_the_release_keeps_the_learners_copy(project: Project, col: Collection) -> None:
    """A note the learner edited after a release's time counts as newer: Anki keeps it, and that
    release's fix to it does not arrive (the guide says so)."""
    project.write(V1)
    project.release("1.0", T1)
    import_package(col, project.deck("v1.apkg", T1))
    edit = note_of(col, "q-edit")
    edit["Notes"] = "written after 2.0 was cut"
    col.update_note(edit)
    db(col).execute("update notes set mod = ? where id = ?", T2 + 60, edit.id)
    project.write(V1 | {"q-edit": qa("q-edit", back="A better answer.")})
    project.release("2.0", T2)
    assert import_package(col, project.deck("v2.apkg", T2))["updated"] == 0
    assert note_of(col, "q-edit")["Notes"] == "written after 2.0 was cut"


def test_update_always_overwrites_the_learners_notes(project: Project, col: Collection) -> None:
    """Why the guide says *If newer*: *Always* replaces every note whose time differs from the
    package's, so a note the learner touched loses their Notes even though it did not change."""
    project.write(V1)
    project.release("1.0", T1)
    package = project.deck("v1.apkg", T1)
    import_package(col, package)
    keep = note_of(col, "q-keep")
    keep["Notes"] = "mine"
    col.update_note(keep)
    options = ImportAnkiPackageOptions(
        update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS)
    log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options)).log
    assert (len(log.updated), len(log.duplicate)) == (1, 8) and note_of(col, "q-keep")["Notes"] == ""
