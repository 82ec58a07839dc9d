"""The four plans: their metadata (layers/meta/plans.yaml) and their texts, for verbatim quote checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from geo.sources.problems import BuildError, Problem
from geo.sources.yaml_source import line_of, read_yaml

_WHITESPACE = re.compile(r"\s+")
# The fragments of a quote given as a list ("到2029年…澳门品牌工业园…落地建成") must all lie, in order,
# within this many characters of the plan's text (whitespace removed): one passage, not a collage.
FRAGMENT_WINDOW = 600
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_REQUIRED = ("id", "title_zh", "title_en", "short_zh", "text", "seed", "date", "date_basis", "planned_phase")


def in_date_order(dates: dict[str, str]) -> list[str]:
    """Plan ids (plan id -> ISO-prefix date) by date. Compared as text, so a year-only date ("2023") sorts
    before the months of that year ("2023-12"): it can be no later than December. Equal dates keep the
    given order."""
    return sorted(dates, key=lambda plan_id: dates[plan_id])


def normalise(text: str) -> str:
    """Drop all whitespace: the texts come from PDFs, where line breaks fall mid-word."""
    return _WHITESPACE.sub("", text)


@dataclass(frozen=True)
class Plan:
    id: str
    title_zh: str
    title_en: str
    short_zh: str
    text_path: Path
    seed: str
    date: str
    date_basis: str
    planned_phase: str

    @cached_property
    def normalised_text(self) -> str:
        return normalise(self.text_path.read_text(encoding="utf-8"))

    def contains(self, quote: str) -> bool:
        return normalise(quote) in self.normalised_text

    def contains_passage(self, fragments: tuple[str, ...]) -> bool:
        """Each fragment verbatim, in order, all within FRAGMENT_WINDOW characters."""
        parts = [normalise(f) for f in fragments]
        text = self.normalised_text
        start = text.find(parts[0])
        while start >= 0:
            end = start + len(parts[0])
            for part in parts[1:]:
                found = text.find(part, end)
                end = found + len(part) if found >= 0 else len(text) + 1
            if end - start <= FRAGMENT_WINDOW:
                return True
            start = text.find(parts[0], start + 1)
        return False

    def catalog_entry(self, rank: int) -> dict[str, str | int]:
        return {
            "id": self.id,
            "rank": rank,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "short_zh": self.short_zh,
            "date": self.date,
            "date_basis": self.date_basis,
        }


def load_plans(meta_file: Path, root: Path) -> dict[str, Plan]:
    """Plans by id, in date order (layers/meta/plans.yaml explains the order of plans of the same year)."""
    display = str(meta_file.relative_to(root)) if meta_file.is_relative_to(root) else str(meta_file)
    data = read_yaml(meta_file, display)
    entries = data.get("plans") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise BuildError([Problem(display, "expected a top-level 'plans:' list")])
    problems: list[Problem] = []
    plans: dict[str, Plan] = {}
    for entry in entries:
        missing = [key for key in _REQUIRED if not entry.get(key)]
        if missing:
            problems.append(Problem(display, f"plan entry lacks {', '.join(missing)}", line_of(entry)))
            continue
        if not _DATE.match(str(entry["date"])):
            problems.append(Problem(display, f"plan '{entry['id']}': date must be YYYY, YYYY-MM or YYYY-MM-DD", line_of(entry)))
            continue
        text_path = root / entry["text"]
        if not text_path.is_file():
            problems.append(Problem(display, f"plan '{entry['id']}': text file {entry['text']} not found", line_of(entry)))
            continue
        plans[entry["id"]] = Plan(
            id=entry["id"],
            title_zh=entry["title_zh"],
            title_en=entry["title_en"],
            short_zh=entry["short_zh"],
            text_path=text_path,
            seed=entry["seed"],
            date=str(entry["date"]),
            date_basis=entry["date_basis"],
            planned_phase=entry["planned_phase"],
        )
    if problems:
        raise BuildError(problems)
    return {plan_id: plans[plan_id] for plan_id in in_date_order({p.id: p.date for p in plans.values()})}
