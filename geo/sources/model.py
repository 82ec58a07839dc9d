"""The feature model: layers, features and mentions parsed from `layers/*.yaml`.

Parsing checks shape and vocabulary only (required keys, types, known values); checks that need
other data (plan texts, geometry, other features) live in geo.validate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from geo.sources.problems import Problem
from geo.sources.schema import ACTION_IDS, EXISTENCE_IDS, KINDS, PHASE_IDS, QUOTE_MAX_CHARS, STATUS_IDS, STYLE_KEYS, THEME_IDS
from geo.sources.yaml_source import line_of, without_lines

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}(-\d{2})?$")
# Descriptive texts a reader sees, written in both languages as <key>_zh and <key>_en.
BILINGUAL_FEATURE_KEYS = ("geometry_basis", "exists_basis", "note")
BILINGUAL_MENTION_KEYS = ("status_basis", "action_basis")


def _both(keys: tuple[str, ...]) -> set[str]:
    return {f"{key}_{lang}" for key in keys for lang in ("zh", "en")} | set(keys)  # bare key: reported by _Reader.bilingual


_FEATURE_KEYS = {
    "id",
    "name_zh",
    "name_en",
    "kind",
    "geometry",
    "geometry_source",
    "geometry_ref",
    "accuracy_m",
    "mentions",
    "within",
    "clip_to",
    "style",
    "carriers",
    "exists",
    "exists_from",
    "complete_from",
    "aliases",
    "site_undetermined",
    "related",
    "geometry_add",
} | _both(BILINGUAL_FEATURE_KEYS)
_MENTION_KEYS = {"plan", "section", "quote", "status", "phase", "phase_source", "action", "also"} | _both(BILINGUAL_MENTION_KEYS)
_LAYER_KEYS = {"layer", "title_zh", "title_en", "theme", "order", "style", "features"}


@dataclass(frozen=True)
class Bilingual:
    """A descriptive text in Chinese and English; cards and tables show the interface language's."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def as_properties(self, key: str) -> dict[str, str]:
        return {f"{key}_zh": self.zh, f"{key}_en": self.en}


@dataclass(frozen=True)
class Alias:
    """A name a plan uses for the feature (verbatim in that plan's text), with the passage citing it if given."""

    plan: str
    name: str
    quote: str | None = None
    section: str | None = None

    def as_properties(self) -> dict[str, str]:
        extra = {"quote": self.quote, "section": self.section}
        return {"plan": self.plan, "name": self.name, **{k: v for k, v in extra.items() if v}}


@dataclass(frozen=True)
class PhaseSource:
    """A dated statement elsewhere in the plan that gives a mention its phase (phase_basis `section`)."""

    section: str
    fragments: tuple[str, ...]  # verbatim, in order, within one passage (geo.sources.plans.FRAGMENT_WINDOW)

    def text(self) -> str:
        return f"{self.section}：{'…'.join(self.fragments)}"


@dataclass(frozen=True)
class Passage:
    """Another passage of the same plan about the feature: quoted word for word, shown and exported with the
    mention; the mention's own quote decides status and phase."""

    section: str
    quote: str

    def as_properties(self) -> dict[str, str]:
        return {"section": self.section, "quote": self.quote}


@dataclass(frozen=True)
class Mention:
    plan: str
    section: str
    quote: str
    status: str
    phase: str
    status_basis: Bilingual | None = None
    phase_source: PhaseSource | None = None
    action: str = ""  # as written (with action_basis), else set by the catalogue from the action rule
    action_basis: Bilingual | None = None
    phase_basis: str = ""  # set by the catalogue from the phase rule (geo.sources.wording)
    exists: str = ""  # set by the catalogue: the feature's existence at this plan's date
    also: tuple[Passage, ...] = ()
    line: int | None = None

    def as_properties(self) -> dict[str, str]:
        properties = {
            "plan": self.plan,
            "section": self.section,
            "quote": self.quote,
            "exists": self.exists,
            "status": self.status,
            "action": self.action,
            "phase": self.phase,
            "phase_basis": self.phase_basis,
        }
        if self.phase_source is not None:
            properties["phase_source"] = self.phase_source.text()
        if self.also:
            properties["also"] = [passage.as_properties() for passage in self.also]
        for key, text in (("status_basis", self.status_basis), ("action_basis", self.action_basis)):
            if text is not None:
                properties.update(text.as_properties(key))
        return properties


@dataclass
class Feature:
    id: str
    name_zh: str
    name_en: str
    layer: str
    kind: str
    geometry_basis: Bilingual
    accuracy_m: float
    mentions: list[Mention]
    geometry: dict[str, Any] | None = None
    geometry_source: dict[str, Any] | None = None
    # ids of features whose geometry this one shares (横琴 as a platform), or whose union it is (a corridor's carriers)
    geometry_ref: list[str] = field(default_factory=list)
    # drawn with the geometry_ref union where the carriers stop short of a place the plan names (geometry_basis says why)
    geometry_add: dict[str, Any] | None = None
    within: list[str] = field(default_factory=list)
    clip_to: str | None = None
    style: dict[str, Any] = field(default_factory=dict)
    note: Bilingual | None = None
    carriers: list[str] = field(default_factory=list)
    exists: str | None = None  # as written; else the kind's default (status_rules.yaml exists_by_kind)
    exists_from: str | None = None  # YYYY or YYYY-MM it came into use: before that date it is absent
    complete_from: str | None = None  # YYYY or YYYY-MM a partly built feature was complete: existing from then
    exists_basis: Bilingual | None = None
    aliases: list[Alias] = field(default_factory=list)
    site_undetermined: bool = False  # 位置待定: the plan leaves the site open; drawn as a symbol in its area
    related: list[str] = field(default_factory=list)  # ids of features the plans name nearby as other things
    file: str = ""
    line: int | None = None

    def exists_at(self, date: str) -> str:
        """The feature's existence at a plan's date (ISO prefixes compared as text). A plan dated to the year
        only cannot be placed before or after an opening in that same year: its existence is then unknown."""
        if self.exists_from and self.exists in ("existing", "partial"):
            if _undecided(date, self.exists_from):
                return "unknown"
            if date < self.exists_from:
                return "absent"
        if self.complete_from and date >= self.complete_from:  # a year-only date sorts before its months
            return "existing"
        return self.exists or "unknown"

    @property
    def exists_now(self) -> str | None:
        """Today's existence where it changed after a plan's date (opened or completed since), else None."""
        if self.complete_from:
            return "existing"
        return self.exists if self.exists_from else None


def _undecided(date: str, since: str) -> bool:
    """Whether a coarser date (2023) contains a finer one (2023-01), so neither comes first."""
    return len(date) < len(since) and since.startswith(date)


@dataclass
class Layer:
    id: str
    title_zh: str
    title_en: str
    theme: str
    order: int
    style: dict[str, Any]
    features: list[Feature]
    file: str


class _Reader:
    """Collects problems while reading one file's mappings."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, message: str, mapping: Any = None, feature: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, line_of(mapping), feature))

    def text(self, mapping: dict, key: str, feature: str | None = None) -> str:
        value = mapping.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)  # e.g. a phase written as 2035: report it as an unknown phase, not a missing one
        if not isinstance(value, str) or not value.strip():
            self.problem(f"missing or empty '{key}'", mapping, feature)
            return ""
        return value.strip()

    def bilingual(self, mapping: dict, key: str, feature: str | None, required: bool = False) -> Bilingual | None:
        """<key>_zh and <key>_en, both non-empty; None when neither is given and the text is optional."""
        if key in mapping:
            self.problem(f"'{key}' must be written in both languages, as '{key}_zh' and '{key}_en'", mapping, feature)
            return None
        if not required and f"{key}_zh" not in mapping and f"{key}_en" not in mapping:
            return None
        zh, en = self.text(mapping, f"{key}_zh", feature), self.text(mapping, f"{key}_en", feature)
        return Bilingual(zh, en) if zh and en else None

    def unknown_keys(self, mapping: dict, allowed: set[str], what: str, feature: str | None = None) -> None:
        extra = sorted(str(k) for k in mapping if k not in allowed and k != "__line__")
        if extra:
            self.problem(f"unknown {what} key(s): {', '.join(extra)}", mapping, feature)

    def style(self, value: Any, mapping: dict, feature: str | None = None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem("'style' must be a mapping", mapping, feature)
            return {}
        self.unknown_keys(value, set(STYLE_KEYS), "style", feature)
        return {k: v for k, v in without_lines(value).items() if k in STYLE_KEYS}


def parse_layer(data: Any, file: str, expected_id: str) -> tuple[Layer | None, list[Problem]]:
    """Parse one layer file's content; returns the layer (None if unusable) and its problems."""
    reader = _Reader(file)
    if not isinstance(data, dict):
        reader.problem("expected a mapping with 'layer', 'title_zh', ..., 'features'")
        return None, reader.problems
    reader.unknown_keys(data, _LAYER_KEYS, "layer")
    layer_id = reader.text(data, "layer")
    if layer_id and layer_id != expected_id:
        reader.problem(f"layer id '{layer_id}' differs from the file name '{expected_id}'", data)
    theme = reader.text(data, "theme")
    if theme and theme not in THEME_IDS:
        reader.problem(f"unknown theme '{theme}' (allowed: {', '.join(sorted(THEME_IDS))})", data)
    order = data.get("order", 100)
    if not isinstance(order, int):
        reader.problem("'order' must be a whole number", data)
        order = 100
    raw_features = data.get("features")
    if not isinstance(raw_features, list) or not raw_features:
        reader.problem("'features' must be a non-empty list", data)
        raw_features = []
    layer = Layer(
        id=expected_id,
        title_zh=reader.text(data, "title_zh"),
        title_en=reader.text(data, "title_en"),
        theme=theme,
        order=order,
        style=reader.style(data.get("style"), data),
        features=[],
        file=file,
    )
    for raw in raw_features:
        feature = _parse_feature(raw, expected_id, reader)
        if feature is not None:
            layer.features.append(feature)
    return layer, reader.problems


def _parse_feature(raw: Any, layer_id: str, reader: _Reader) -> Feature | None:
    if not isinstance(raw, dict):
        reader.problem(f"a feature must be a mapping, got {type(raw).__name__}")
        return None
    fid = raw.get("id")
    if not isinstance(fid, str) or not _SLUG.match(fid):
        reader.problem(f"feature id {fid!r} must be a slug of lower-case letters, digits and hyphens", raw)
        return None
    reader.unknown_keys(raw, _FEATURE_KEYS, "feature", fid)
    kind = reader.text(raw, "kind", fid)
    if kind and kind not in KINDS:
        reader.problem(f"unknown kind '{kind}' (allowed kinds: KINDS in geo/sources/schema.py)", raw, fid)
    accuracy = raw.get("accuracy_m")
    if isinstance(accuracy, bool) or not isinstance(accuracy, (int, float)) or accuracy <= 0:
        reader.problem("'accuracy_m' must be a positive number of metres", raw, fid)
        accuracy = 0
    if sum(key in raw for key in ("geometry", "geometry_source", "geometry_ref")) != 1:
        reader.problem("give exactly one of 'geometry', 'geometry_source' and 'geometry_ref'", raw, fid)
    if "geometry_add" in raw and "geometry_ref" not in raw:
        reader.problem("'geometry_add' extends a 'geometry_ref' union; give it with geometry_ref only", raw, fid)
    raw_mentions = _as_list(raw.get("mentions"))
    mentions = [m for m in (_parse_mention(r, reader, fid) for r in raw_mentions) if m]
    if not raw_mentions:
        reader.problem("needs at least one mention (plan, section, quote, status, phase)", raw, fid)
    plans = [m.plan for m in mentions]
    for plan in sorted({p for p in plans if plans.count(p) > 1}):
        reader.problem(f"cites plan '{plan}' more than once: keep one mention per plan (README: Layers)", raw, fid)
    within = _as_list(raw.get("within"))
    carriers = _as_list(raw.get("carriers"))
    exists, exists_from, complete_from = raw.get("exists"), raw.get("exists_from"), raw.get("complete_from")
    exists_basis = reader.bilingual(raw, "exists_basis", fid)
    if exists is not None and exists not in EXISTENCE_IDS:
        reader.problem(f"unknown exists '{exists}' (allowed: {', '.join(sorted(EXISTENCE_IDS))})", raw, fid)
    if exists is not None and not any(f"exists_basis{suffix}" in raw for suffix in ("", "_zh", "_en")):
        reader.problem("'exists' needs an 'exists_basis_zh' and 'exists_basis_en' saying where it comes from", raw, fid)
    for key, value in (("exists_from", exists_from), ("complete_from", complete_from)):
        if value is not None and not _DATE.match(str(value)):
            reader.problem(f"'{key}' must be YYYY or YYYY-MM", raw, fid)
    if complete_from is not None and exists != "partial":
        reader.problem("'complete_from' is for a feature that is 'exists: partial' until that date", raw, fid)
    if complete_from is not None and exists_from is not None and str(complete_from) <= str(exists_from):
        reader.problem("'complete_from' must come after 'exists_from'", raw, fid)
    return Feature(
        id=fid,
        name_zh=reader.text(raw, "name_zh", fid),
        name_en=reader.text(raw, "name_en", fid),
        layer=layer_id,
        kind=kind,
        geometry_basis=reader.bilingual(raw, "geometry_basis", fid, required=True) or Bilingual("", ""),
        accuracy_m=accuracy,
        mentions=mentions,
        geometry=without_lines(raw.get("geometry")),
        geometry_source=without_lines(raw.get("geometry_source")),
        geometry_ref=[str(ref) for ref in _as_list(raw.get("geometry_ref"))],
        geometry_add=without_lines(raw.get("geometry_add")),
        within=[str(w) for w in within],
        clip_to=raw.get("clip_to"),
        style=reader.style(raw.get("style"), raw, fid),
        note=reader.bilingual(raw, "note", fid),
        carriers=[str(c) for c in carriers],
        exists=exists,
        exists_from=str(exists_from) if exists_from is not None else None,
        complete_from=str(complete_from) if complete_from is not None else None,
        exists_basis=exists_basis,
        aliases=_parse_aliases(raw.get("aliases"), reader, fid),
        site_undetermined=raw.get("site_undetermined") is True,
        related=[str(r) for r in _as_list(raw.get("related"))],
        file=reader.file,
        line=line_of(raw),
    )


def _parse_mention(raw: Any, reader: _Reader, fid: str) -> Mention | None:
    if not isinstance(raw, dict):
        reader.problem("a mention must be a mapping", None, fid)
        return None
    reader.unknown_keys(raw, _MENTION_KEYS, "mention", fid)
    ok = True
    plan = reader.text(raw, "plan", fid)
    section = reader.text(raw, "section", fid)
    quote = reader.text(raw, "quote", fid)
    status = reader.text(raw, "status", fid)
    phase = reader.text(raw, "phase", fid)
    if status and status not in STATUS_IDS:
        reader.problem(f"unknown status '{status}' (allowed: {', '.join(sorted(STATUS_IDS))})", raw, fid)
        ok = False
    if phase and phase not in PHASE_IDS:
        reader.problem(f"unknown phase '{phase}' (allowed: {', '.join(sorted(PHASE_IDS))})", raw, fid)
        ok = False
    action = raw.get("action") or ""
    status_basis = reader.bilingual(raw, "status_basis", fid)
    action_basis = reader.bilingual(raw, "action_basis", fid)
    if action and (action not in ACTION_IDS or action_basis is None):
        reader.problem(
            f"'action: {action}' must be one of ACTIONS (geo/sources/schema.py) and have action_basis_zh and action_basis_en",
            raw,
            fid,
        )
        ok = False
    if len(quote) > QUOTE_MAX_CHARS:
        reader.problem(f"quote is {len(quote)} characters; at most {QUOTE_MAX_CHARS}", raw, fid)
    if not (plan and section and quote and status and phase and ok):
        return None
    return Mention(
        plan,
        section,
        quote,
        status,
        phase,
        status_basis=status_basis,
        phase_source=_parse_phase_source(raw.get("phase_source"), reader, fid),
        action=action,
        action_basis=action_basis if action else None,
        also=_parse_passages(raw.get("also"), reader, fid),
        line=line_of(raw),
    )


def _parse_passages(raw: Any, reader: _Reader, fid: str) -> tuple[Passage, ...]:
    """`also`: further passages of the mention's plan, each a section and a verbatim quote."""
    passages = []
    for item in _as_list(raw):
        if not isinstance(item, dict):
            item = {}
        section, quote = (str(item.get(key) or "").strip() for key in ("section", "quote"))
        if not section or not quote:
            reader.problem("each 'also' passage needs a section and a quote", item or None, fid)
            continue
        reader.unknown_keys(item, {"section", "quote"}, "also passage", fid)
        if len(quote) > QUOTE_MAX_CHARS:
            reader.problem(f"'also' quote is {len(quote)} characters; at most {QUOTE_MAX_CHARS}", item, fid)
        passages.append(Passage(section, quote))
    return tuple(passages)


def _parse_aliases(raw: Any, reader: _Reader, fid: str) -> list[Alias]:
    """plan -> [name, or {name, quote, section}]."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        reader.problem("'aliases' must map a plan id to a list of names", raw, fid)
        return []
    aliases = []
    for plan, names in without_lines(raw).items():
        for entry in _as_list(names):
            if isinstance(entry, dict) and entry.get("name"):
                reader.unknown_keys(entry, {"name", "quote", "section"}, "alias", fid)
                aliases.append(Alias(str(plan), str(entry["name"]), entry.get("quote"), entry.get("section")))
            elif isinstance(entry, str) and entry.strip():
                aliases.append(Alias(str(plan), entry.strip()))
            else:
                reader.problem(f"alias {entry!r} of {plan}: give a name, or a mapping with name (quote, section)", raw, fid)
    return aliases


def _parse_phase_source(raw: Any, reader: _Reader, fid: str) -> PhaseSource | None:
    if raw is None:
        return None
    fragments = [str(f).strip() for f in _as_list(raw.get("quote"))] if isinstance(raw, dict) else []
    if not isinstance(raw, dict) or not raw.get("section") or not fragments or not all(fragments):
        reader.problem("'phase_source' needs a section and a quote (or a list of quoted fragments)", raw, fid)
        return None
    reader.unknown_keys(raw, {"section", "quote"}, "phase_source", fid)
    return PhaseSource(str(raw["section"]).strip(), tuple(fragments))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
