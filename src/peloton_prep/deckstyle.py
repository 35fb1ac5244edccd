"""The note types' CSS: readable in day mode, night mode and on phones, with no inline colours."""

from __future__ import annotations

from pygments.formatters import HtmlFormatter

_BASE = """
.card {
  --pp-fg: #1d1d1f; --pp-bg: #ffffff; --pp-muted: #5f6368; --pp-accent: #b3261e;
  --pp-code-bg: #f4f4f6; --pp-rule: #d0d0d6;
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 18px; line-height: 1.45; text-align: left;
  color: var(--pp-fg); background: var(--pp-bg);
  max-width: 40em; margin: 0 auto; padding: 0.5em 0.75em;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --pp-fg: #e8e8ea; --pp-bg: #1e1e20; --pp-muted: #a8a8b0; --pp-accent: #ff8a80;
  --pp-code-bg: #2a2a2e; --pp-rule: #44444a;
}
.pp-front { font-weight: 600; }
.pp-back ul, .pp-back ol { padding-left: 1.2em; margin: 0.3em 0; }
.pp-meta { margin-top: 1em; font-size: 0.75em; color: var(--pp-muted); }
.pp-meta a { color: var(--pp-accent); }
hr#answer { border: 0; border-top: 1px solid var(--pp-rule); }
.cloze { font-weight: 700; color: var(--pp-accent); }
code { background: var(--pp-code-bg); padding: 0 0.2em; border-radius: 3px; font-size: 0.9em; }
pre { background: var(--pp-code-bg); padding: 0.5em; overflow-x: auto; white-space: pre; }
pre code { padding: 0; background: none; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--pp-rule); padding: 0.2em 0.4em; }
.mobile .card, .card.mobile { font-size: 17px; padding: 0.25em 0.4em; }
.mobile pre, .card.mobile pre { font-size: 0.8em; }
"""


def _code_styles() -> str:
    """Pygments colours for day and night, scoped so they never leak outside code blocks."""
    day = HtmlFormatter(style="friendly").get_style_defs(".highlight")
    night = HtmlFormatter(style="monokai").get_style_defs(
        [".nightMode .highlight", ".night_mode .highlight", ".card.nightMode .highlight"]
    )
    return f"{day}\n{night}\n"


DECK_CSS = _BASE + _code_styles()
