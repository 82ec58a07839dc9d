"""(Baseline map only.) What a planner reads on clicking a feature: names, kind, each plan's words, geometry basis.

Everything that comes from data is escaped here, once; the map inserts the result as HTML.
"""

from __future__ import annotations

from html import escape
from typing import Any

from geo.i18n import kind_label, phase_label, status_label, t


def popup_html(properties: dict[str, Any], plans: dict[str, dict[str, Any]], lang: str) -> str:
    title = properties["name_zh"] if lang == "zh" else properties["name_en"]
    subtitle = properties["name_en"] if lang == "zh" else properties["name_zh"]
    parts = [
        '<div class="pm-popup">',
        f"<h4>{escape(title)}</h4>",
        f'<div class="pm-sub">{escape(subtitle)} · {escape(kind_label(properties["kind"], lang))}</div>',
    ]
    for mention in properties["mentions"]:
        plan = plans.get(mention["plan"], {})
        plan_name = plan.get("title_zh" if lang == "zh" else "title_en", mention["plan"])
        parts += [
            '<div class="pm-mention">',
            f'<div class="pm-plan">{escape(plan_name)}</div>',
            f'<div class="pm-section">{escape(t("section", lang))}：{escape(mention["section"])}</div>',
            f'<blockquote class="pm-quote">{escape(mention["quote"])}</blockquote>',
            f'<div class="pm-status">{escape(t("status", lang))}：{escape(status_label(mention["status"], lang))}'
            f" · {escape(t('phase', lang))}：{escape(phase_label(mention['phase'], lang))}</div>",
            "</div>",
        ]
    accuracy = f"{properties['accuracy_m']:g}"
    parts += [
        f'<div class="pm-basis">{escape(t("geometry_basis", lang))}：{escape(properties[f"geometry_basis_{lang}"])}'
        f"（{escape(t('accuracy', lang, m=accuracy))}）</div>",
        _register_link(properties["id"], lang),
        "</div>",
    ]
    return "".join(parts)


def tooltip_html(properties: dict[str, Any], lang: str) -> str:
    name = properties["name_zh"] if lang == "zh" else f"{properties['name_en']} · {properties['name_zh']}"
    return escape(name)


def _register_link(feature_id: str, lang: str) -> str:
    """A link to the feature's row in the project register (a new tab: the map's frame may not navigate its page)."""
    target = escape(f"register?select={feature_id}")
    label = "在项目登记表中查看" if lang == "zh" else "Show in the project register"
    return (
        f'<a class="pm-register" href="/{target}" target="_blank" rel="noopener"'
        f" onclick=\"this.href = new URL('{target}', top.location.href).href\">{escape(label)}</a>"
    )
