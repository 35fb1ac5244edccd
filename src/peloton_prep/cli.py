"""The `peloton-prep` command: build, check and serve. Exit 0 ok, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from .build import PAPERS, build, summary_lines
from .content import load_content
from .printer import PrinterError
from .problems import ContentError

OK, CONTENT_ERRORS, USAGE_ERRORS, SETUP_ERRORS = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="peloton-prep",
        description="Build the peloton-prep site, Anki deck and study guide from docs/ and cards/.",
    )
    top.add_argument("--root", type=Path, default=Path("."), help="project folder (default: .)")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = commands.add_parser("build", help="write build/site, the .apkg and the PDF guides")
    build_cmd.add_argument(
        "--paper", choices=PAPERS, help="write only the guide for this paper size (default: both)"
    )
    commands.add_parser("check", help="validate every card and reference; write nothing")
    serve_cmd = commands.add_parser("serve", help="live preview that also reloads on card edits")
    serve_cmd.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:
        return OK if exit_.code == 0 else USAGE_ERRORS
    root = args.root.resolve()
    if not (root / "mkdocs.yml").is_file():
        print(f"peloton-prep: no mkdocs.yml in {root}", file=sys.stderr)
        return USAGE_ERRORS
    _show_mkdocs_warnings()
    # We pin MkDocs 1.x on purpose (2.x drops plugins), so its move-on banner is noise here.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        return int(COMMANDS[args.command](root, args))
    except ContentError as error:
        _print_problems(error)
        return CONTENT_ERRORS
    except MkDocsException as error:
        print(f"peloton-prep: site build failed: {error}", file=sys.stderr)
        return CONTENT_ERRORS
    except PrinterError as error:
        print(f"peloton-prep: cannot print the guide: {error}", file=sys.stderr)
        return SETUP_ERRORS


def run() -> None:
    sys.exit(main())


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


def _serve(root: Path, args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve

    logging.getLogger("mkdocs").setLevel(logging.INFO)
    # Not strict: the preview must come up before the first build has made the downloads.
    serve(config_file=str(root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True, strict=False)
    return OK


COMMANDS = {"build": _build, "check": _check, "serve": _serve}


def _print_problems(error: ContentError) -> None:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"peloton-prep: {count} problem{'s' * (count != 1)}; nothing was written", file=sys.stderr)


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
