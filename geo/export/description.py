"""The KML placemark description: what a planner reads on clicking the feature in Google Earth.

Built here from the feature's properties (not from the web map's popup, which the browser draws): names,
kind, whether it is in place, each plan's section and words, what exists and what the plan does to it
(现状 · 规划改扩建) dated as that plan's words (据《…》，2023), the phase with where it comes from, and the
geometry's basis and accuracy, in the description's language.
Everything from the data is escaped once, here.
"""

from __future__ import annotations

from html import escape
from typing import Any

from geo.i18n import bracketed, dated, existence_text, kind_label, labelled, localised, phase_text, state_text, t


def description_html(properties: dict[str, Any], plans: dict[str, dict[str, Any]], lang: str = "zh") -> str:
    title = properties["name_zh"] if lang == "zh" else properties["name_en"]
    subtitle = properties["name_en"] if lang == "zh" else properties["name_zh"]
    parts = [f"<h4>{escape(title)}</h4>", f"<p>{escape(subtitle)} · {escape(kind_label(properties['kind'], lang))}</p>"]
    if existence := existence_text(properties, lang):
        parts.append(f"<p>{escape(labelled(t('existence', lang), existence, lang))}</p>")
    for mention in properties["mentions"]:
        plan = plans.get(mention["plan"], {})
        phase = phase_text(mention["phase"], mention.get("phase_basis"), lang)
        state = state_text(mention.get("exists"), mention["status"], mention.get("action"), lang)
        if plan:
            state = dated(state, plan, lang)
        parts += [
            f"<p><b>{escape(plan.get('title_zh' if lang == 'zh' else 'title_en', mention['plan']))}</b><br>",
            f"{escape(labelled(t('section', lang), mention['section'], lang))}<br>",
            f"<i>{escape(mention['quote'])}</i><br>",
            escape(labelled(t("status", lang), state, lang)),
            f" · {escape(labelled(t('phase', lang), phase, lang))}",
        ]
        if mention.get("phase_source"):
            parts.append(f"<br>{escape(mention['phase_source'])}")
        parts += [
            f"<br>{escape(labelled(t('also', lang), passage['section'], lang))}<br><i>{escape(passage['quote'])}</i>"
            for passage in mention.get("also", ())
        ]
        parts.append("</p>")
    accuracy = t("accuracy", lang, m=f"{properties['accuracy_m']:g}")
    basis = localised(properties, "geometry_basis", lang)
    parts.append(f"<p>{escape(labelled(t('geometry_basis', lang), bracketed(basis, accuracy, lang), lang))}</p>")
    return "".join(parts)
