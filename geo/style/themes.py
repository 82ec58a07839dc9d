"""Thematic maps (专题图) as data (layers/meta/themes.yaml): what each theme shows, muted or strong, and how titled.

    from geo.style.themes import load_themes, get_theme, view_scale
    theme = get_theme("structure")
    theme.title("hengqin", "zh")                  # 横琴粤澳深度合作区空间结构示意图
    theme.role("hq-axis", "hq-structure", "local")  # "subject", "context" or None
    theme.layers(data, "local"), theme.context_layers(data, "local")

A theme lists, per scale of view ('local': the Hengqin views; 'region': metro and GBA), its subject and
its context as symbol classes (geo.style.symbols) or whole layers; the plan/phase/status/layer filters still
apply inside a theme (a feature must be selected and in the theme).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from geo.paths import META_DIR
from geo.sources.yaml_source import read_yaml, without_lines

SCALES = ("local", "region")


@dataclass(frozen=True)
class Theme:
    id: str
    zh: str
    en: str
    titles: dict[str, dict[str, str]]  # view id -> {zh, en}
    subject: dict[str, tuple[str, ...]]  # scale -> class or layer ids, in legend order
    context: dict[str, tuple[str, ...]]
    labels: dict[str, dict[str, int]]  # class id -> scale -> label rank
    excludes: dict[str, tuple[str, ...]]  # scale -> layers left out unless named as a layer

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def title(self, view_id: str | None, lang: str) -> str | None:
        """The figure title at a named view (None for a view the theme has no title for)."""
        entry = self.titles.get(view_id or "")
        return entry["zh" if lang == "zh" else "en"] if entry else None

    def role(self, class_id: str, layer: str, scale: str) -> str | None:
        """'subject', 'context' or None (not shown): a layer named in a list wins, then a class (unless its
        layer is too detailed or too coarse for the scale)."""
        for role, lists in (("subject", self.subject), ("context", self.context)):
            if layer in lists[scale]:
                return role
        if layer in self.excludes[scale]:
            return None
        for role, lists in (("subject", self.subject), ("context", self.context)):
            if class_id in lists[scale]:
                return role
        return None

    def order(self, class_id: str, layer: str, scale: str) -> int:
        """Position in the theme's listing, for the legend (subject first, then context)."""
        listing = self.subject[scale] + self.context[scale]
        for key in (class_id, layer):
            if key in listing:
                return listing.index(key)
        return len(listing)

    def label_rank(self, class_id: str, role: str, scale: str) -> int | None:
        """The rank a class's names are drawn at (1 largest), or None: not named in this theme at this scale."""
        rank = self.labels.get(class_id, {}).get(scale)
        if rank is None:
            return None
        return max(rank, 3) if role == "context" else rank

    def _layer_roles(self, data: Any, scale: str) -> dict[str, set[str]]:
        from geo.style.symbols import GEOMETRY_FAMILY, classify

        roles: dict[str, set[str]] = {}
        for feature in data.features:
            props = feature["properties"]
            cls = classify(props, GEOMETRY_FAMILY[feature["geometry"]["type"]])
            role = self.role(cls.id, props["layer"], scale) if cls else None
            if role:
                roles.setdefault(props["layer"], set()).add(role)
        return roles

    def layers(self, data: Any, scale: str) -> tuple[str, ...]:
        """Every layer with features this theme shows at a scale (subject or context)."""
        return tuple(sorted(self._layer_roles(data, scale)))

    def context_layers(self, data: Any, scale: str) -> tuple[str, ...]:
        """Layers this theme shows only as context at a scale."""
        return tuple(sorted(layer for layer, roles in self._layer_roles(data, scale).items() if roles == {"context"}))


@dataclass(frozen=True)
class Themes:
    themes: tuple[Theme, ...]
    default: str
    scales: dict[str, str]  # view id -> scale
    local_max_km: float

    def get(self, theme_id: str) -> Theme:
        theme = next((t for t in self.themes if t.id == theme_id), None)
        if theme is None:
            raise KeyError(f"unknown theme {theme_id!r} (known: {', '.join(self.ids)})")
        return theme

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)


def _theme(row: dict[str, Any], excludes: dict[str, list[str]]) -> Theme:
    return Theme(
        id=row["id"],
        zh=row["zh"],
        en=row["en"],
        titles=row["titles"],
        subject={s: tuple(row[s]["subject"]) for s in SCALES},
        context={s: tuple(row[s]["context"]) for s in SCALES},
        labels={
            k: {s: int(v[s]) for s in SCALES if s in v} if isinstance(v, dict) else dict.fromkeys(SCALES, int(v))
            for k, v in row["labels"].items()
        },
        excludes={s: tuple(excludes.get(s, ())) for s in SCALES},
    )


@cache
def load_themes() -> Themes:
    raw = without_lines(read_yaml(META_DIR / "themes.yaml", "layers/meta/themes.yaml"))
    return Themes(
        tuple(_theme(row, raw["scale_excludes"]) for row in raw["themes"]),
        raw["default"],
        raw["scales"],
        float(raw["local_max_km"]),
    )


def get_theme(theme_id: str) -> Theme:
    return load_themes().get(theme_id)


def view_scale(view_id: str | None, width_km: float) -> str:
    """'local' or 'region': a named view's scale, or a box's by its width."""
    themes = load_themes()
    if view_id in themes.scales:
        return themes.scales[view_id]
    return "local" if width_km <= themes.local_max_km else "region"
