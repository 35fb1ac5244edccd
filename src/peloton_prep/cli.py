"""The `peloton-prep` command: build, check, release and serve.

Exit codes: 0 success, 1 content errors, 2 usage errors, 3 a missing tool, 4 an output that could
not be written, 130 interrupted. No traceback reaches a user: an unexpected error prints one line
that points at a saved traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mkdocs.exceptions import MkDocsException

from peloton_prep.build import PAPERS, build, summary_lines
from peloton_prep.deck import cut_release
from peloton_prep.errors import INTERRUPTED, ContentError, PelotonPrepError, UsageError
from peloton_prep.sources.content import load_content
from peloton_prep.sources.release import current_release, uncommitted_sources
from peloton_prep.sources.releases import write_record

OK, CONTENT_ERRORS, USAGE_ERRORS = 0, 1, 2
BUG_REPORTS = "https://github.com/peloton-prep/peloton-prep/issues"


def dev_addr(value: str) -> str:
    """HOST:PORT, with a port from 1 to 65535."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"{value!r} is not HOST:PORT (for example 127.0.0.1:8000)")
    return value


# Every command and its options, in one table: the parser is built from it, and the README test
# reads it to check that each is documented.
GLOBAL_OPTIONS: dict[str, dict[str, Any]] = {
    "--root": {"type": Path, "default": Path("."), "help": "project folder (default: .)"},
}
COMMAND_OPTIONS: dict[str, tuple[str, dict[str, dict[str, Any]]]] = {
    "build": ("write build/site, the .apkg and the PDF guides", {
        "--paper": {"choices": PAPERS, "help": "write only the guide for this paper size (default: both)"},
    }),
    "check": ("validate every card and reference; write nothing", {}),
    "release": ("record a release of the deck in cards/release-lock.json", {
        "version": {"metavar": "VERSION", "help": "the new release's number, such as 1.0 (numbers and dots)"},
    }),
    "serve": ("live preview that also reloads on card edits", {
        "--dev-addr": {"type": dev_addr, "default": "127.0.0.1:8000", "help": "address to serve on"},
    }),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="peloton-prep",
        description="Build the peloton-prep site, Anki deck and study guide from docs/ and cards/.",
    )
    for flag, options in GLOBAL_OPTIONS.items():
        top.add_argument(flag, **options)
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, flags) in COMMAND_OPTIONS.items():
        command = commands.add_parser(name, help=summary)
        for flag, options in flags.items():
            command.add_argument(flag, **options)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return OK if exit_.code == 0 else USAGE_ERRORS
    _show_mkdocs_warnings()
    # We pin MkDocs 1.x on purpose (2.x drops plugins), so its move-on banner is noise here.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        root = _project(args.root)
        return int(COMMANDS[args.command](root, args))
    except ContentError as error:
        _print_problems(error)
        return error.exit_code
    except PelotonPrepError as error:
        _say(str(error))
        return error.exit_code
    except MkDocsException as error:
        _say(f"site build failed: {' '.join(str(error).split())}")
        return CONTENT_ERRORS
    except KeyboardInterrupt:
        _say("interrupted; build/ keeps its previous outputs")
        return INTERRUPTED
    except Exception as error:  # a bug: one line for the user, the traceback in a file
        _say(f"internal error ({type(error).__name__}: {_first_line(error)}); "
             f"traceback saved to {_save_traceback()}; please report it at {BUG_REPORTS}")
        return CONTENT_ERRORS


def run() -> None:
    sys.exit(main())


def _project(folder: Path) -> Path:
    root = folder.resolve()
    if not (root / "mkdocs.yml").is_file():
        raise UsageError(f"no mkdocs.yml in {root}: run from the project folder or pass --root")
    return root


def _build(root: Path, args: argparse.Namespace) -> int:
    papers = (args.paper,) if args.paper else PAPERS
    print(f"Building {root.name} into build/")
    report = build(root, root / "build", papers, print)
    print("\n".join(summary_lines(report)))
    return OK


def _check(root: Path, args: argparse.Namespace) -> int:
    content = load_content(root)
    print(f"OK: {len(content.pages)} pages, {len(content.cards)} cards, no problems")
    return OK


def _release(root: Path, args: argparse.Namespace) -> int:
    """Cut a release from the last commit: the record then holds what learners were given."""
    release = current_release(root)
    if release.dev:
        changed = uncommitted_sources(root)
        shown = ", ".join(changed[:5]) + (" …" if len(changed) > 5 else "") or "not a git checkout"
        raise UsageError(f"uncommitted changes ({shown}): commit them first, so the release is a commit")
    content = load_content(root)
    record = cut_release(content, args.version, release.timestamp)
    path = write_record(root, record)
    entry = record.releases[-1]
    print(f"Release {entry.version} ({entry.date}): {len(entry.added)} added, {len(entry.changed)} changed, "
          f"{len(entry.retired)} retired, {len(entry.moved)} moved")
    print(f"Now commit {path.relative_to(root)}; builds from that commit are release {entry.version}.")
    return OK


def _serve(root: Path, args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    logging.getLogger("mkdocs").setLevel(logging.INFO)
    # Not strict: the preview must come up before the first build has made the downloads. Dirty:
    # an edit re-renders only the pages it changed (the plugin tells MkDocs which; see site/preview.py).
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True, strict=False,
          build_type="dirty")
    return OK


COMMANDS = {"build": _build, "check": _check, "release": _release, "serve": _serve}


def _print_problems(error: ContentError) -> None:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    _say(f"{count} problem{'s' * (count != 1)}; nothing was written")


def _say(message: str) -> None:
    print(f"peloton-prep: {message}", file=sys.stderr)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [""])[0][:200]


def _save_traceback() -> str:
    with tempfile.NamedTemporaryFile("w", prefix="peloton-prep-crash-", suffix=".txt", delete=False) as file:
        file.write(traceback.format_exc())
    return file.name


def _show_mkdocs_warnings() -> None:
    """MkDocs reports through logging; show its warnings, which strict mode turns into failures."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s - %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)


if __name__ == "__main__":
    run()
