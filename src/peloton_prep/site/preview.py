"""What lets `peloton-prep serve` rebuild only the pages an edit changed.

`serve` runs MkDocs' dirty builds: MkDocs re-renders a page only when its Markdown is newer than
its HTML. A page also shows its cards, its date and the site's navigation, which MkDocs does not
see; `stale_pages` names the pages whose part of those changed since the last build, so the
plugin removes their HTML and MkDocs renders them again. Theme templates compile once per session,
and the watcher looks for changes every 0.1 s instead of MkDocs' 0.5 s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

from peloton_prep.sources.content import Content

POLL_S = 0.1  # a stat of each watched file; about a millisecond for this project


def watch_often(server: LiveReloadServer, config: MkDocsConfig) -> None:
    """Move what MkDocs already watches to an observer that polls every POLL_S; paths watched
    after `on_serve` (mkdocs.yml's `watch:`) go to it too."""
    watched = [path for path in (config.docs_dir, config.config_file_path) if path]
    for path in watched:
        server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_S)
    for path in watched:
        server.watch(path)


def page_keys(content: Content, pages: list[str], shared: object, updated: Callable[[str], str]) -> dict[str, str]:
    """A digest per page of everything it shows besides its own Markdown. `shared` is what every page
    shows (navigation, titles, diagrams, problems): when it changes, every page is stale."""
    common = repr((content.nav, sorted((path, page.title) for path, page in content.pages.items()),
                   sorted((name, hashlib.sha1(svg).hexdigest()) for name, svg in content.diagrams.items()), shared))
    keys = {}
    for page in pages:
        faces = [(card.section, content.faces.get(card.id), content.card_terms.get(card.id))
                 for card in content.cards_for(page)]
        keys[page] = hashlib.sha1(repr((common, faces, updated(page))).encode()).hexdigest()
    return keys


def remove_stale(built: dict[str, str], keys: dict[str, str], html_of: dict[str, Path]) -> None:
    """Remove the HTML of every page whose key changed, so a dirty build renders it again."""
    for page, key in keys.items():
        if built.get(page) != key:
            html_of[page].unlink(missing_ok=True)
    built.clear()
    built.update(keys)


class TemplateCache(BytecodeCache):
    """Compiled theme templates kept in memory: a rebuild makes a new Jinja environment each time."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
