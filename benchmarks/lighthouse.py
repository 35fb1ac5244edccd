"""Lighthouse (mobile) scores of every page of the built site, served locally with gzip like a real host.

usage: .venv/bin/python benchmarks/lighthouse.py [SITE_DIR] [--runs 3] [--page PATH ...]
                                                 [--output benchmarks/lighthouse.md]

Every built page (each index.html, and 404.html) is audited --runs times and each category
reports the median score: single runs vary by several performance points here, and Lighthouse's
guidance on variability is to take a median
(github.com/GoogleChrome/lighthouse/blob/main/docs/variability.md).
--page limits the run to the given paths ("" is the home page).

Needs `npm ci` in benchmarks/lighthouse/ and Debian's chromium; run `make build` first.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
BARS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class GzipHandler(SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the client accepts it, as a static host would. The 404
    page links from the published site's root (site_url's path), so that path serves the root too."""

    published_root = "/peloton-prep/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.published_root):
            path = "/" + path[len(self.published_root) :]
        return super().translate_path(path)

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _BytesFile(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _BytesFile:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def serve(site: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def audit(url: str) -> dict[str, int]:
    """One Lighthouse run with its default mobile emulation and throttling."""
    cli = HERE / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [
                "node",
                str(cli),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        )
        categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def site_pages(site: Path) -> list[str]:
    """Every built page's path under the site's root ("" for the home page), then the 404 page."""
    paths = sorted(index.parent.relative_to(site).as_posix() for index in site.rglob("index.html"))
    return ["" if path == "." else path + "/" for path in paths] + ["404.html"]


def median_scores(runs: list[dict[str, int]]) -> dict[str, int]:
    return {name: round(statistics.median(run[name] for run in runs)) for name in CATEGORIES}


def table(scores: dict[str, dict[str, int]], runs: int) -> str:
    rows = ["| Page | Performance | Accessibility | Best Practices | SEO |", "| --- | --- | --- | --- | --- |"]
    for page, result in scores.items():
        cells = [f"{result[name]}{'' if result[name] >= BARS[name] else ' (below bar)'}" for name in CATEGORIES]
        rows.append(f"| `{page or '/'}` | " + " | ".join(cells) + " |")
    bars = ", ".join(f"{name} ≥ {bar}" for name, bar in BARS.items())
    method = f"Lighthouse mobile preset, site served locally with gzip; median of {runs} runs per page"
    return "\n".join(rows) + f"\n\nBars: {bars}. {method}.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("build/site"))
    parser.add_argument("--runs", type=int, default=3, help="audits per page; the median is reported")
    parser.add_argument("--page", action="append", help="a page's path to audit (default: every page)")
    parser.add_argument("--output", type=Path, default=HERE / "lighthouse.md")
    args = parser.parse_args(argv)
    server = serve(args.site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = args.page if args.page is not None else site_pages(args.site.resolve())
    scores: dict[str, dict[str, int]] = {}
    try:
        for path in pages:
            scores[path] = median_scores([audit(base + path) for _ in range(args.runs)])
            print(f"{path or '/'}: {scores[path]}", file=sys.stderr, flush=True)
    finally:
        server.shutdown()
    text = table(scores, args.runs)
    args.output.write_text("# Lighthouse scores\n\n" + text)
    print(text)
    below = [page for page, result in scores.items() if any(result[n] < BARS[n] for n in CATEGORIES)]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
