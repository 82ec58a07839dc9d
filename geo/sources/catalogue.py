"""Load and validate every layer source into one catalogue, or fail with every problem found.

Problems are collected, not raised one at a time, so a planner sees all of them in one run;
each names its file, line and feature.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from shapely.geometry.base import BaseGeometry

from geo.geography import admin, geometry
from geo.i18n import kind_label
from geo.paths import LAYERS_DIR, META_DIR, ROOT
from geo.sources.model import Bilingual, Feature, Layer, Mention, parse_layer
from geo.sources.plans import Plan, load_plans, normalise
from geo.sources.problems import BuildError, Problem
from geo.sources.schema import PHASES
from geo.sources.wording import WordingRules, load_rules
from geo.sources.yaml_source import read_yaml

# How far (degrees, about 10 m) a feature may stray outside a polygon it must lie `within`:
# the tolerance of hand digitising, not of the plans.
WITHIN_TOLERANCE_DEG = 0.0001


@dataclass
class Catalogue:
    plans: dict[str, Plan]
    layers: list[Layer]
    geometries: dict[str, BaseGeometry]

    def features(self) -> list[Feature]:
        return [f for layer in self.layers for f in layer.features]

    def feature(self, feature_id: str) -> Feature:
        return next(f for f in self.features() if f.id == feature_id)

    def plans_of(self, feature: Feature) -> list[str]:
        named = {m.plan for m in feature.mentions}
        return [plan_id for plan_id in self.plans if plan_id in named]

    def phases_of(self, feature: Feature) -> list[str]:
        named = {m.phase for m in feature.mentions}
        return [p.id for p in PHASES if p.id in named]

    def latest(self, feature: Feature) -> Mention:
        """The mention of the most recent plan (self.plans is in date order; one mention per plan)."""
        order = list(self.plans)
        return max(feature.mentions, key=lambda m: order.index(m.plan))

    def status_of(self, feature: Feature) -> str:
        """The status in the most recent plan that mentions the feature."""
        return self.latest(feature).status


def layer_files(layers_dir: Path = LAYERS_DIR) -> list[Path]:
    return sorted(layers_dir.glob("*.yaml"))


def load_catalogue(layers_dir: Path = LAYERS_DIR, meta_dir: Path = META_DIR, root: Path = ROOT) -> Catalogue:
    """Read plans, rules and layers; validate everything; raise BuildError listing all problems."""
    plans = load_plans(meta_dir / "plans.yaml", root)
    rules = load_rules(meta_dir / "status_rules.yaml", _display(meta_dir / "status_rules.yaml", root))
    problems: list[Problem] = []
    layers: list[Layer] = []
    for path in layer_files(layers_dir):
        display = _display(path, layers_dir.parent)
        try:
            data = read_yaml(path, display)
        except BuildError as exc:
            problems.extend(exc.problems)
            continue
        layer, layer_problems = parse_layer(data, display, path.stem)
        problems.extend(layer_problems)
        if layer is not None:
            layers.append(layer)
    if not layers and not problems:
        problems.append(Problem(_display(layers_dir, layers_dir.parent), "no layer files (*.yaml) found"))
    features = [f for layer in layers for f in layer.features]
    problems.extend(_duplicate_ids(features))
    for feature in features:
        problems.extend(_resolve_existence(feature, rules))
        problems.extend(_check_aliases(feature, plans))
        checked = [_check_mention(feature, mention, plans, rules) for mention in feature.mentions]
        problems.extend(p for _, mention_problems in checked for p in mention_problems)
        feature.mentions = [mention for mention, _ in checked]
    geometries, geometry_problems = _build_geometries(features)
    problems.extend(geometry_problems)
    problems.extend(_check_within(features, geometries))
    problems.extend(_check_related(features))
    if problems:
        raise BuildError(sorted(problems, key=lambda p: (p.file, p.line or 0)))
    layers.sort(key=lambda layer: (layer.order, layer.id))
    return Catalogue(plans, layers, geometries)


def _display(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _duplicate_ids(features: list[Feature]) -> list[Problem]:
    seen: dict[str, Feature] = {}
    problems = []
    for feature in features:
        first = seen.setdefault(feature.id, feature)
        if first is not feature:
            where = f"{first.file}:{first.line}" if first.line else first.file
            problems.append(Problem(feature.file, f"duplicate id, first defined at {where}", feature.line, feature.id))
    return problems


def _check_aliases(feature: Feature, plans: dict[str, Plan]) -> list[Problem]:
    """Each alias occurs in its plan's text; a citing quote is verbatim there and holds the name."""
    problems = []
    for alias in feature.aliases:
        plan = plans.get(alias.plan)
        if plan is None:
            problem = f"alias {alias.name}: unknown plan '{alias.plan}'"
        elif not plan.contains(alias.name):
            problem = f"alias {alias.name} does not occur in {plan.id} ({plan.text_path.name})"
        elif alias.quote and not (plan.contains(alias.quote) and normalise(alias.name) in normalise(alias.quote)):
            problem = f"alias {alias.name}: its quote is not in {plan.id} or does not hold the name"
        else:
            continue
        problems.append(Problem(feature.file, problem, feature.line, feature.id))
    return problems


# What a kind's default existence (status_rules.yaml exists_by_kind) means, as the card and exports say it.
_BY_KIND = {
    "existing": ("自然或行政要素，视为现状", "a natural or administrative feature, taken as in place"),
    "designation": ("规划划定的范围，无建成与否之分", "an area the plans designate, not something built"),
}


def _resolve_existence(feature: Feature, rules: WordingRules) -> list[Problem]:
    """Take the kind's default existence where the feature states none; every other kind must state it."""
    if feature.exists is None:
        feature.exists = rules.exists_by_kind.get(feature.kind)
        zh, en = _BY_KIND.get(feature.exists, ("取默认值", "its default"))
        feature.exists_basis = Bilingual(
            f"按要素类型（{kind_label(feature.kind, 'zh')}）：{zh}", f"by its kind ({kind_label(feature.kind, 'en')}): {en}"
        )
    if feature.exists is None:
        message = f"kind '{feature.kind}' has no default existence: give exists (existing, partial, absent, unknown)"
        return [Problem(feature.file, f"{message} and exists_basis_zh / exists_basis_en", feature.line, feature.id)]
    return []


def _check_mention(
    feature: Feature, mention: Mention, plans: dict[str, Plan], rules: WordingRules
) -> tuple[Mention, list[Problem]]:
    """The mention with its phase basis, and its problems."""

    def problem(message: str) -> Problem:
        return Problem(feature.file, message, mention.line, feature.id)

    plan = plans.get(mention.plan)
    if plan is None:
        return mention, [problem(f"unknown plan '{mention.plan}' (known: {', '.join(plans)})")]
    problems = []
    if not plan.contains(mention.quote):
        problems.append(problem(f"quote not found in {plan.id} ({plan.text_path.name}): “{mention.quote[:40]}…”"))
    for passage in mention.also:
        if not plan.contains(passage.quote):
            problems.append(problem(f"'also' quote not found in {plan.id} ({plan.text_path.name}): “{passage.quote[:40]}…”"))
        if passage.quote == mention.quote:
            problems.append(problem(f"'also' repeats the mention's own quote: “{passage.quote[:40]}…”"))
    expected = rules.expected_status(mention.quote)
    if not mention.status_basis and expected and expected[0] != mention.status:  # a stated reason overrides the rule
        status, word = expected
        rule = f"the quote says “{word}”, which the status rule maps to {status}, not {mention.status}"
        problems.append(problem(f"{rule}; fix it or add status_basis_zh and status_basis_en"))
        return mention, problems
    phase, basis, why = rules.expected_phase(mention.quote, mention.status, plan.planned_phase)
    source = mention.phase_source
    if source is not None and basis != "quote":
        stated = rules.stated_phase("".join(source.fragments))
        if not plan.contains_passage(source.fragments):
            problems.append(problem(f"phase_source not found in {plan.id} as one passage: “{source.fragments[0][:40]}…”"))
        elif stated is None:
            problems.append(problem("phase_source states no phase (no word of the phase rules, e.g. 2029年)"))
        else:
            phase, basis, why = stated[0], "section", f"its phase_source says {stated[1]}"
    if phase != mention.phase:
        problems.append(
            problem(f"phase {mention.phase} disagrees with the phase rule ({why}: {phase}); fix it or add phase_source")
        )
    action = mention.action or rules.expected_action(mention.quote)[0]  # a stated action has its action_basis
    exists = feature.exists_at(plan.date) if feature.exists else "unknown"
    return replace(mention, phase_basis=basis, action=action, exists=exists), problems


def _build_geometries(features: list[Feature]) -> tuple[dict[str, BaseGeometry], list[Problem]]:
    geometries: dict[str, BaseGeometry] = {}
    problems: list[Problem] = []
    for feature in features:
        if feature.geometry_ref:
            continue  # shares other features' geometry: resolved below
        try:
            geom = (
                admin.resolve_source(feature.geometry_source)
                if feature.geometry_source is not None
                else geometry.parse_geometry(feature.geometry)
            )
            geometry.check_bounds(geom)
            geometry.check_valid(geom)
        except geometry.GeometryProblem as exc:
            problems.append(Problem(feature.file, str(exc), feature.line, feature.id))
            continue
        geometries[feature.id] = geometry.normalise(geom)
    for feature in features:
        if not feature.geometry_ref:
            continue
        missing = [ref for ref in feature.geometry_ref if ref not in geometries]
        if missing:
            message = f"geometry_ref: no feature {', '.join(repr(m) for m in missing)} with a geometry"
            problems.append(Problem(feature.file, message, feature.line, feature.id))
            continue
        parts = [geometries[ref] for ref in feature.geometry_ref]
        if feature.geometry_add is not None:
            try:
                added = geometry.parse_geometry(feature.geometry_add)
                geometry.check_bounds(added)
            except geometry.GeometryProblem as exc:
                problems.append(Problem(feature.file, f"geometry_add: {exc}", feature.line, feature.id))
                continue
            parts.append(geometry.normalise(added))
        geometries[feature.id] = geometry.union_of(parts)
    for feature in features:  # clipping needs the target's geometry, so it comes second
        if feature.clip_to is None or feature.id not in geometries:
            continue
        target = geometries.get(feature.clip_to)
        if target is None or target.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                Problem(feature.file, f"clip_to '{feature.clip_to}' is not a polygon feature", feature.line, feature.id)
            )
            continue
        clipped = geometries[feature.id].intersection(target)
        if clipped.is_empty:
            problems.append(
                Problem(feature.file, f"nothing is left after clipping to '{feature.clip_to}'", feature.line, feature.id)
            )
            continue
        geometries[feature.id] = geometry.normalise(clipped)
    return geometries, problems


def _check_within(features: list[Feature], geometries: dict[str, BaseGeometry]) -> list[Problem]:
    problems = []
    for feature in features:
        geom = geometries.get(feature.id)
        for target_id in feature.within:
            target = geometries.get(target_id)
            if target is None:
                problems.append(Problem(feature.file, f"within: unknown feature '{target_id}'", feature.line, feature.id))
            elif geom is not None and not target.buffer(WITHIN_TOLERANCE_DEG).covers(geom):
                outside = geom.difference(target)
                problems.append(
                    Problem(
                        feature.file,
                        f"does not lie within '{target_id}' (part outside near {_rounded_point(outside)})",
                        feature.line,
                        feature.id,
                    )
                )
    return problems


def _check_related(features: list[Feature]) -> list[Problem]:
    """Related features exist and name each other back, so the link reads the same from either side."""
    by_id = {f.id: f for f in features}
    problems = []
    for feature in features:
        for other in feature.related:
            if other not in by_id:
                problems.append(Problem(feature.file, f"related: unknown feature '{other}'", feature.line, feature.id))
            elif feature.id not in by_id[other].related:
                message = f"related: '{other}' does not list '{feature.id}' back"
                problems.append(Problem(feature.file, message, feature.line, feature.id))
    return problems


def _rounded_point(geom: BaseGeometry) -> str:
    point = geom.representative_point() if not geom.is_empty else None
    return "?" if point is None else f"[{point.x:.4f}, {point.y:.4f}]"
