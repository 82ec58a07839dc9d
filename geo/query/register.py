"""The project register: every feature a plan mentions, each plan's status and phase side by side, how
the status moved from plan to plan, and flags where the plans disagree. Spreadsheet export and its command.

Rules (the README's register section explains them with examples):
- Plan order: by the plans' dates (layers/meta/plans.yaml, the map's order too); a year-only date sorts
  before the months of its year, so prw-metro (2023, no month printed) comes before hq-master (2023-12).
- Stage: reserve and study are the earliest stage, then planned, under construction, existing.
- Progression: each plan's status in plan order (plans in a row with the same status grouped).
- Flags, one registry (RULES): `regression` when a plan gives an earlier stage than an earlier plan did
  (unless the feature is in place at the later plan's date and the later plan plans works on it);
  `existence` when a plan's status contradicts what was in place at its date; `names` when two plans each
  write one of the feature's name forms and share none; `carriers` when two plans name different carriers
  of a corridor.

    python -m geo.query.register -o register.xlsx [--lang en] [--plan ... --phase ... --status ... --layer ...]
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.i18n import phase_text, plan_dated, punctuation, short_phase, state_text, status_label, theme_label
from geo.query.cli import UsageError, add_filter_arguments, run, selection_from_args
from geo.query.selection import Selection, matching_mention
from geo.sources.mapdata import MapData, load_map_data
from geo.sources.plans import in_date_order
from geo.sources.schema import THEMES, WORKS_ON_EXISTING

# How far a project has come; a later plan giving a lower stage is a regression. Reserve and study tie.
STAGE: dict[str, int] = {"reserve": 0, "study": 0, "planned": 1, "under_construction": 2, "existing": 3}

Mention = dict[str, str]


@dataclass(frozen=True)
class Flag:
    rule: str  # a key of RULES
    plans: tuple[str, ...]  # the plans that disagree, in plan order
    detail: tuple[tuple[str, str], ...]  # (plan, its status / the names / the carriers it writes), in plan order


@dataclass(frozen=True)
class Row:
    id: str
    name_zh: str
    name_en: str
    layer: str
    theme: str
    mentions: dict[str, Mention]  # plan id -> that plan's mention, in plan order
    flags: tuple[Flag, ...]

    @property
    def multi_plan(self) -> bool:
        return len(self.mentions) > 1


def plan_sequence(plans: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """Plan ids in date order (geo.sources.plans.in_date_order), as the map orders them."""
    return tuple(in_date_order({plan_id: plan["date"] for plan_id, plan in plans.items()}))


def name_forms(name: str) -> tuple[str, ...]:
    """The ways the feature's Chinese name writes it: the name before a final bracket, and each name inside
    it (split at 、): 广州至珠海（澳门）高铁（广珠（澳）高铁、广中珠澳高铁） gives three forms."""
    if not name.endswith("）"):
        return (name,)
    depth, start = 0, -1
    for index in range(len(name) - 1, -1, -1):
        depth += {"）": 1, "（": -1}.get(name[index], 0)
        if depth == 0:
            start = index
            break
    if start <= 0:
        return (name,)
    forms, depth, current = [name[:start]], 0, ""
    for char in name[start + 1 : -1]:
        depth += {"（": 1, "）": -1}.get(char, 0)
        if char == "、" and depth == 0:
            forms.append(current)
            current = ""
        else:
            current += char
    forms.append(current)
    return tuple(dict.fromkeys(f for f in forms if f))


def _compact(text: str) -> str:
    return "".join(text.split())


def _used(forms: Iterable[str], quote: str) -> tuple[str, ...]:
    text = _compact(quote)
    return tuple(f for f in forms if _compact(f) in text)


# --- the flag rules: each takes the feature's properties, its mentions in plan order and a name lookup ---

Names = Callable[[str], tuple[str, ...]]  # a carrier (feature id or name) -> the name forms to look for


def _in_place(mention: Mention) -> bool:
    return mention.get("exists") in ("existing", "partial")


def regression(properties: dict[str, Any], mentions: dict[str, Mention], names: Names) -> tuple[Flag, ...]:
    """A plan gives an earlier stage than the most advanced earlier plan (the latest of equals): one flag each.
    Not when the feature is in place at the later plan's date and that plan plans works on it (扩建, 提升,
    修复 …): new work on something that exists is not a step back."""
    flags: list[Flag] = []
    ahead: str | None = None
    for plan, mention in mentions.items():
        behind = ahead is not None and STAGE[mention["status"]] < STAGE[mentions[ahead]["status"]]
        new_work = _in_place(mention) and mention.get("action") in WORKS_ON_EXISTING
        if behind and not new_work:
            flags.append(Flag("regression", (ahead, plan), ((ahead, mentions[ahead]["status"]), (plan, mention["status"]))))
        elif not behind:
            ahead = plan
    return tuple(flags)


def _existing_but_absent(mention: Mention) -> bool:
    return mention["status"] == "existing" and mention.get("exists") == "absent"


def _built_again(mention: Mention) -> bool:
    """In place at the plan's date, yet the plan builds it anew (新建), or has it under construction with no
    works word (扩建, 改造 …) saying what is done to it."""
    if mention.get("exists") != "existing":
        return False
    building = mention["status"] == "under_construction" and mention.get("action") in ("build", "named")
    return mention.get("action") == "new_build" or building


def against_existence(properties: dict[str, Any], mentions: dict[str, Mention], names: Names) -> tuple[Flag, ...]:
    """A plan's status contradicts what was in place at its date: 现状 for something not yet built, or new
    building (新建, or 在建 with no works word) of something already in place. One flag for all such plans."""
    wrong = [plan for plan, m in mentions.items() if _existing_but_absent(m) or _built_again(m)]
    if not wrong:
        return ()
    detail = tuple((plan, "/".join(mentions[plan][key] for key in ("exists", "status", "action"))) for plan in wrong)
    return (Flag("existence", tuple(wrong), detail),)


def different_names(properties: dict[str, Any], mentions: dict[str, Mention], names: Names) -> tuple[Flag, ...]:
    """Two plans each write one of the feature's name forms, and no form is written by all of them."""
    forms = name_forms(properties["name_zh"])
    used = {plan: u for plan, m in mentions.items() if (u := _used(forms, m["quote"]))}
    if len(used) < 2 or set.intersection(*(set(u) for u in used.values())):
        return ()
    return (Flag("names", tuple(used), tuple((plan, "、".join(u)) for plan, u in used.items())),)


def different_carriers(properties: dict[str, Any], mentions: dict[str, Mention], names: Names) -> tuple[Flag, ...]:
    """Two plans name different sets of a corridor's carriers."""
    carriers = properties.get("carriers") or []
    named = {plan: tuple(names(c)[0] for c in carriers if _used(names(c), m["quote"])) for plan, m in mentions.items()}
    named = {plan: c for plan, c in named.items() if c}
    if len({frozenset(c) for c in named.values()}) < 2:
        return ()
    return (Flag("carriers", tuple(named), tuple((plan, "、".join(c)) for plan, c in named.items())),)


# --- how a flag reads ---


def plan_tag(plan: str, plans: dict[str, dict[str, Any]]) -> str:
    return f"{plan} {plans[plan]['date']}"


def _stages(flag: Flag, plans: dict[str, dict[str, Any]], lang: str) -> str:
    p = punctuation(lang)
    return p.arrow.join(f"{status_label(status, lang)}{p.open}{plan_tag(plan, plans)}{p.close}" for plan, status in flag.detail)


def _wordings(flag: Flag, plans: dict[str, dict[str, Any]], lang: str) -> str:
    p = punctuation(lang)
    return p.semicolon.join(f"{plan_tag(plan, plans)}{p.colon}{words}" for plan, words in flag.detail)


def _states(flag: Flag, plans: dict[str, dict[str, Any]], lang: str) -> str:
    """Each plan's existence, status and action (ids joined by /, labelled here): 未建成 · 现状（…）."""
    p = punctuation(lang)
    return p.semicolon.join(
        f"{plan_tag(plan, plans)}{p.colon}{state_text(*state.split('/'), lang)}" for plan, state in flag.detail
    )


@dataclass(frozen=True)
class Rule:
    zh: str
    en: str
    check: Callable[[dict[str, Any], dict[str, Mention], Names], tuple[Flag, ...]]
    describe: Callable[[Flag, dict[str, dict[str, Any]], str], str]  # the flag's detail as text (flag, plans, lang)


RULES: dict[str, Rule] = {
    "regression": Rule("阶段倒退", "earlier stage later", regression, _stages),
    "existence": Rule("与现状不符", "status against what exists", against_existence, _states),
    "names": Rule("名称不同", "different names", different_names, _wordings),
    "carriers": Rule("载体不同", "different carriers", different_carriers, _wordings),
}


# --- the rows ---


def build_rows(data: MapData, selection: Selection | None = None) -> list[Row]:
    """One row per feature with mentions (in map order); with a selection, the features the map would show."""
    order = plan_sequence(data.plans)

    def names(carrier: str) -> tuple[str, ...]:
        feature = data.by_id.get(carrier)
        return name_forms(feature["properties"]["name_zh"]) if feature else name_forms(carrier)

    rows = []
    for feature in data.features:
        properties = feature["properties"]
        if not properties["mentions"]:
            continue
        if selection is not None and (
            properties["layer"] not in selection.layers or matching_mention(properties, selection, data.plan_order) is None
        ):
            continue
        by_plan = {m["plan"]: m for m in properties["mentions"]}
        mentions = {plan: by_plan[plan] for plan in order if plan in by_plan}
        flags = tuple(flag for rule in RULES.values() for flag in rule.check(properties, mentions, names))
        layer = properties["layer"]
        rows.append(
            Row(
                properties["id"],
                properties["name_zh"],
                properties["name_en"],
                layer,
                data.layers[layer]["theme"],
                mentions,
                flags,
            )
        )
    return rows


def matches(row: Row, query: str) -> bool:
    """The search box: part of the Chinese or English name, or of the id (case-insensitive)."""
    needle = query.strip().casefold()
    return not needle or any(needle in text.casefold() for text in (row.name_zh, row.name_en, row.id))


# --- text for tables, exports and the app ---


def progression(row: Row, plans: dict[str, dict[str, Any]], lang: str = "zh") -> str:
    """E.g. 研究（gba-gd 2019-07）→ 在建（hq-master 2023-12、prw-metro 2023）; empty for a one-plan row."""
    if not row.multi_plan:
        return ""
    steps: list[tuple[str, list[str]]] = []
    for plan, mention in row.mentions.items():
        if steps and steps[-1][0] == mention["status"]:
            steps[-1][1].append(plan)
        else:
            steps.append((mention["status"], [plan]))
    p = punctuation(lang)
    return p.arrow.join(
        f"{status_label(status, lang)}{p.open}{p.enum.join(plan_tag(x, plans) for x in group)}{p.close}"
        for status, group in steps
    )


def flag_text(flag: Flag, plans: dict[str, dict[str, Any]], lang: str = "zh") -> str:
    """E.g. 阶段倒退：在建（hq-master 2023-12）→ 规划（hq-industry 2025-06）."""
    rule = RULES[flag.rule]
    return f"{rule.zh if lang == 'zh' else rule.en}{punctuation(lang).colon}{rule.describe(flag, plans, lang)}"


def flags_text(row: Row, plans: dict[str, dict[str, Any]], lang: str = "zh") -> str:
    return " | ".join(flag_text(flag, plans, lang) for flag in row.flags)


def rule_labels(row: Row, lang: str = "zh") -> str:
    """The row's flag names, each once: 阶段倒退、名称不同."""
    labels = dict.fromkeys(RULES[f.rule].zh if lang == "zh" else RULES[f.rule].en for f in row.flags)
    return punctuation(lang).enum.join(labels)


def _status_cell(mention: Mention | None, plans: dict[str, dict[str, Any]], lang: str = "zh") -> str:
    """What exists and what the plan does, with the plan's date (its column names the plan): 现状 · 在建改扩建（2023-12）."""
    return "" if mention is None else dated_state(mention, plans, lang)


def dated_state(mention: Mention, plans: dict[str, dict[str, Any]], lang: str = "zh") -> str:
    """The state as the words of its plan at the plan's date, not today's: 未建成 · 在建（2023）."""
    p = punctuation(lang)
    return f"{mention_state(mention, lang)}{p.open}{plans[mention['plan']]['date']}{p.close}"


def mention_state(mention: Mention, lang: str = "zh") -> str:
    return state_text(mention.get("exists"), mention["status"], mention.get("action"), lang)


def _phase_cell(mention: Mention | None, lang: str = "zh") -> str:
    """The phase and where it comes from: 中期（据规划期推定）."""
    return "" if mention is None else phase_text(mention["phase"], mention.get("phase_basis"), lang)


PLAN_COLUMN_PARTS = {"zh": ("状态", "阶段"), "en": ("status", "phase")}


def columns(plans: dict[str, dict[str, Any]], lang: str = "zh") -> list[str]:
    """The export's columns: id, names, layer, a status/phase pair per plan (plan order) headed by the plan's
    short name and date in full (珠西都市圈规划 2023 状态 / prw-metro 2023 status), progression, flags."""
    parts = PLAN_COLUMN_PARTS["zh" if lang == "zh" else "en"]
    pairs = [f"{plan_dated(plans[plan], lang)} {part}" for plan in plan_sequence(plans) for part in parts]
    return ["id", "name_zh", "name_en", "layer", *pairs, "progression", "flags"]


def records(rows: Iterable[Row], plans: dict[str, dict[str, Any]], lang: str = "zh") -> list[list[str]]:
    order = plan_sequence(plans)
    out = []
    for row in rows:
        cells = [row.id, row.name_zh, row.name_en, row.layer]
        for plan in order:
            mention = row.mentions.get(plan)
            cells += [_status_cell(mention, plans, lang), _phase_cell(mention, lang)]
        out.append([*cells, progression(row, plans, lang), flags_text(row, plans, lang)])
    return out


def timeline_points(rows: Iterable[Row], plans: dict[str, dict[str, Any]], lang: str = "zh") -> list[dict[str, Any]]:
    """One point per mention for the timeline chart: project, plan, phase, status, quote (labels in `lang`)."""
    return [
        {
            "project": row.name_zh if lang == "zh" else f"{row.name_en} · {row.name_zh}",  # unique, as name_zh is
            "plan": plan_dated(plans[plan], lang),  # as the columns: 珠西都市圈规划 2023 / prw-metro 2023
            "phase": short_phase(mention["phase"], lang),
            "status": status_label(mention["status"], lang),
            "quote": mention["quote"],
        }
        for row in rows
        for plan, mention in row.mentions.items()
    ]


# --- spreadsheet formats: one registry, read by the command line and the app ---


def to_csv(rows: list[Row], plans: dict[str, dict[str, Any]], lang: str = "zh") -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns(plans, lang))
    writer.writerows(records(rows, plans, lang))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[Row], plans: dict[str, dict[str, Any]], lang: str = "zh") -> bytes:
    """One sheet per theme (in THEMES order, themes with rows only), header frozen and filterable."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    header = columns(plans, lang)
    for theme in THEMES:
        theme_rows = [row for row in rows if row.theme == theme.id]
        if not theme_rows:
            continue
        sheet = workbook.create_sheet(theme_label(theme.id, lang)[:31])
        sheet.append(header)
        for record in records(theme_rows, plans, lang):
            sheet.append(record)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, name in enumerate(header, start=1):
            width = max(len(str(c.value or "")) for c in sheet[get_column_letter(index)])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, len(name)) * 1.6 + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Format:
    label: str
    suffix: str
    mime: str
    write: Callable[[list[Row], dict[str, dict[str, Any]], str], bytes]


FORMATS: dict[str, Format] = {
    "csv": Format("CSV", ".csv", "text/csv", to_csv),
    "xlsx": Format("Excel", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", to_xlsx),
}


def format_for(path: Path) -> Format:
    fmt = next((f for f in FORMATS.values() if f.suffix == path.suffix.lower()), None)
    if fmt is None:
        known = ", ".join(f.suffix for f in FORMATS.values())
        raise UsageError(f"cannot tell the format of {path}: the name must end in {known}")
    return fmt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m geo.query.register", description="Write the project register as CSV or Excel (format from the suffix)."
    )
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="PATH", help="register.csv or register.xlsx")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of status, phase and flag text")
    add_filter_arguments(parser)
    args = parser.parse_args(argv)
    fmt = format_for(args.output)
    data = load_map_data()
    rows = build_rows(data, selection_from_args(args, data))
    if not rows:
        raise UsageError("the selection has no features; nothing written")
    try:
        args.output.write_bytes(fmt.write(rows, data.plans, args.lang))
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror}") from exc
    flagged = sum(1 for row in rows if row.flags)
    print(f"wrote {args.output}: {len(rows)} rows, {flagged} flagged")
    return 0


if __name__ == "__main__":
    run(main)
