"""The rules that map a plan's wording to status, phase and action, and the existence of a feature by its
kind (layers/meta/status_rules.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.sources.plans import normalise
from geo.sources.problems import BuildError, Problem
from geo.sources.schema import ACTION_IDS, EXISTENCE_IDS, KINDS, PHASE_IDS, STATUS_IDS
from geo.sources.yaml_source import read_yaml

_GAP = "…"  # in a rule word, stands for a project name (加快…建设) or a list of them (推进A、B、C等项目建设):
_GAP_CHARS = 30  # up to this many characters of any kind,
_LIST_GAP_CHARS = 160  # or up to this many within one clause (no ，。； between: the list stays in its sentence)
_GAP_PATTERN = f"(?:.{{0,{_GAP_CHARS}}}?|[^，。；]{{0,{_LIST_GAP_CHARS}}}?)"


@dataclass(frozen=True)
class Rule:
    value: str
    words: tuple[str, ...]

    def matches(self, quote: str) -> str | None:
        """The first of this rule's words found in the quote, if any."""
        text = normalise(quote)
        return next((word for word in self.words if _pattern(word).search(text)), None)


@cache
def _pattern(word: str) -> re.Pattern[str]:
    return re.compile(_GAP_PATTERN.join(re.escape(part) for part in word.split(_GAP)))


@dataclass(frozen=True)
class WordingRules:
    status_rules: tuple[Rule, ...]
    phase_rules: tuple[Rule, ...]
    default_phase: dict[str, str]  # status -> phase, or "plan" for the plan's planned_phase
    action_rules: tuple[Rule, ...]
    exists_by_kind: dict[str, str]  # kind -> existence, for kinds whose features need not state it

    def expected_status(self, quote: str) -> tuple[str, str] | None:
        """(status, the word that decided it) for the first matching rule."""
        for rule in self.status_rules:
            word = rule.matches(quote)
            if word:
                return rule.value, word
        return None

    def expected_action(self, quote: str) -> tuple[str, str | None]:
        """(action, the word that decided it); `named` when the words state no action."""
        for rule in self.action_rules:
            word = rule.matches(quote)
            if word:
                return rule.value, word
        return "named", None

    def stated_phase(self, words: str) -> tuple[str, str] | None:
        """(phase, the timing word) when the words state one."""
        for rule in self.phase_rules:
            word = rule.matches(words)
            if word:
                return rule.value, word
        return None

    def expected_phase(self, quote: str, status: str, planned_phase: str) -> tuple[str, str, str]:
        """(phase, phase basis, why): a timing word in the quote wins, else the status's default."""
        stated = self.stated_phase(quote)
        if stated:
            return stated[0], "quote", f"the quote says {stated[1]}"
        default = self.default_phase[status]
        if default == "plan":
            return planned_phase, "plan_period", f"{status} with no date takes the plan's horizon"
        return default, "wording_rule", f"default for {status}"


def load_rules(path: Path, display: str) -> WordingRules:
    data = read_yaml(path, display)
    problems: list[Problem] = []

    def rules(key: str, allowed: frozenset[str]) -> tuple[Rule, ...]:
        out = []
        for entry in data.get(key, []):
            value = entry.get("status") or entry.get("phase") or entry.get("action")
            if value not in allowed:
                problems.append(Problem(display, f"{key}: unknown value {value!r}", entry.get("__line__")))
                continue
            out.append(Rule(value, tuple(str(w) for w in entry.get("words", []))))
        return tuple(out)

    status_rules = rules("status_rules", STATUS_IDS)
    phase_rules = rules("phase_rules", PHASE_IDS)
    action_rules = rules("action_rules", ACTION_IDS)
    default_phase = {k: v for k, v in data.get("default_phase", {}).items() if k != "__line__"}
    for status in STATUS_IDS - default_phase.keys():
        problems.append(Problem(display, f"default_phase lacks status {status!r}"))
    exists_by_kind = {k: v for k, v in data.get("exists_by_kind", {}).items() if k != "__line__"}
    for kind, existence in exists_by_kind.items():
        if kind not in KINDS or existence not in EXISTENCE_IDS:
            problems.append(Problem(display, f"exists_by_kind: unknown kind or existence {kind}: {existence}"))
    if problems:
        raise BuildError(problems)
    return WordingRules(status_rules, phase_rules, default_phase, action_rules, exists_by_kind)
