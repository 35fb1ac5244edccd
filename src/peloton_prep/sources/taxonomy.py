"""The fixed names that tags map to: Anki subdecks must never be renamed."""

from __future__ import annotations

DECK_ROOT = "Peloton Interview Prep"

ROLES = {
    "de": "Distinguished Engineer",
    "pm": "Product Manager",
}

ROUNDS = {
    "overview": "The Loop",
    "recruiter-screen": "Recruiter Screen",
    "system-design": "System Design",
    "coding": "Coding and Algorithms",
    "leadership": "Leadership and Strategy",
    "executive": "Executive and Vision",
    "common-questions": "Common Questions",
    "behavioral": "Behavioral",
    "design-patterns": "Design Patterns",
    "mistakes": "Mistakes to Avoid",
    "trade-offs": "Trade-off Facts",
}

SEEDS = {
    "seed:de-loop-guide": "Guide to Peloton's Distinguished Engineer (L10) loop",
    "seed:pm-system-design": "Article on Peloton's PM system-design interview",
}


# Rounds whose cards serve every loop: one subdeck both roles study, outside either role's tree.
SHARED_ROUNDS = frozenset({"design-patterns"})


def deck_name(role: str, round_: str) -> str:
    """The full Anki deck name for a role and round slug."""
    if round_ in SHARED_ROUNDS:
        return f"{DECK_ROOT}::{ROUNDS[round_]}"
    return f"{DECK_ROOT}::{ROLES[role]}::{ROUNDS[round_]}"
