"""The project register: rows, progression and flags from the mentions; CSV/Excel export; its command; its page."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from typing import Any

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from geo.paths import ROOT
from geo.query.cli import UsageError
from geo.query.register import (
    RULES,
    build_rows,
    columns,
    flag_text,
    flags_text,
    main,
    name_forms,
    plan_sequence,
    progression,
    records,
    timeline_points,
    to_csv,
    to_xlsx,
)
from geo.query.selection import Selection, select
from geo.sources.mapdata import MapData, load_map_data
from geo.sources.schema import PHASES, STATUSES, THEMES

DATA = load_map_data()
ROWS = build_rows(DATA)
BY_ID = {row.id: row for row in ROWS}


def only(**fields: set[str]) -> Selection:
    """Everything, but these fields limited to these values (as the app's filters and the command's options)."""
    return replace(Selection.everything(DATA), **{key: frozenset(values) for key, values in fields.items()})


# --- constructed cases: four plans shaped like the real ones (b and d share a year; d gives no month, so it
# sorts first), listed out of date order as the catalogue may be ---

PLANS = [
    {"id": "a", "date": "2019-07", "short_zh": "甲"},
    {"id": "b", "date": "2023-12", "short_zh": "乙"},
    {"id": "c", "date": "2025-06", "short_zh": "丙"},
    {"id": "d", "date": "2023", "short_zh": "丁"},
]


def mention(plan: str, status: str, quote: str = "建设某项目", phase: str = "远期") -> dict[str, str]:
    return {"plan": plan, "section": "第一章", "quote": quote, "status": status, "phase": phase}


def feature(fid: str, mentions: list[dict[str, str]], name_zh: str = "某项目", **extra: Any) -> dict[str, Any]:
    properties = {"id": fid, "name_zh": name_zh, "name_en": fid, "layer": "roads", "kind": "road", "mentions": mentions}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [113.5, 22.1]}, "properties": properties | extra}


def constructed(*features: dict[str, Any]) -> MapData:
    catalog = {
        "plans": PLANS,
        "layers": [{"id": "roads", "theme": "transport", "order": 0}],
        "phases": [{"id": p.id} for p in PHASES],
        "statuses": [{"id": s.id} for s in STATUSES],
    }
    return MapData(catalog, tuple(features), ())


def one_row(*mentions: dict[str, str], name_zh: str = "某项目", **extra: Any):
    [row] = build_rows(constructed(feature("x", list(mentions), name_zh, **extra)))
    return row


def rules_of(row) -> list[str]:
    return [flag.rule for flag in row.flags]


def test_plans_are_in_date_order_and_a_year_only_date_comes_before_the_months_of_its_year():
    assert plan_sequence({p["id"]: p for p in PLANS}) == ("a", "d", "b", "c")
    assert plan_sequence(DATA.plans) == ("gba-gd", "prw-metro", "hq-master", "hq-industry") == DATA.plan_order


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("深中通道", ("深中通道",)),
        ("珠海至肇庆高铁（珠肇高铁）", ("珠海至肇庆高铁", "珠肇高铁")),
        ("广州至珠海（澳门）高铁（广珠（澳）高铁、广中珠澳高铁）", ("广州至珠海（澳门）高铁", "广珠（澳）高铁", "广中珠澳高铁")),
        ("粤澳跨境金融合作（珠海）示范区", ("粤澳跨境金融合作（珠海）示范区",)),  # a bracket inside the name is not an alias
    ],
)
def test_name_forms_split_the_final_bracket_into_aliases(name, forms):
    assert name_forms(name) == forms


def test_progression_lists_each_plans_status_in_date_order_grouping_equal_neighbours():
    row = one_row(mention("c", "under_construction"), mention("a", "study"), mention("b", "planned"), mention("d", "planned"))
    assert list(row.mentions) == ["a", "d", "b", "c"]
    assert progression(row, {p["id"]: p for p in PLANS}) == "研究（a 2019-07）→ 规划（d 2023、b 2023-12）→ 在建（c 2025-06）"
    assert progression(row, {p["id"]: p for p in PLANS}, "en").startswith("study (a 2019-07) → planned (d 2023, b 2023-12)")
    assert rules_of(row) == []


def test_a_single_plan_has_no_progression():
    assert progression(one_row(mention("a", "planned")), {p["id"]: p for p in PLANS}) == ""


@pytest.mark.parametrize(
    ("statuses", "pairs"),
    [
        ({"a": "study", "b": "planned", "c": "existing"}, []),  # moving forward
        ({"a": "reserve", "b": "study"}, []),  # reserve and study are the same, earliest stage
        ({"a": "study", "b": "reserve"}, []),
        ({"a": "planned", "c": "planned"}, []),
        ({"a": "under_construction", "c": "planned"}, [("a", "c")]),
        ({"d": "existing", "b": "under_construction"}, [("d", "b")]),  # same year: the year-only date is earlier
        ({"a": "existing", "b": "planned", "c": "planned"}, [("a", "b"), ("a", "c")]),  # each against the furthest earlier
        ({"a": "existing", "d": "planned", "b": "existing", "c": "study"}, [("a", "d"), ("b", "c")]),
    ],
)
def test_regression_when_a_later_plan_gives_an_earlier_stage(statuses, pairs):
    row = one_row(*(mention(plan, status) for plan, status in statuses.items()))
    assert [flag.plans for flag in row.flags if flag.rule == "regression"] == pairs


def test_regression_reads_as_the_two_stages_with_their_plans():
    row = one_row(mention("a", "under_construction"), mention("c", "planned"))
    assert flag_text(row.flags[0], {p["id"]: p for p in PLANS}) == "阶段倒退：在建（a 2019-07）→ 规划（c 2025-06）"


@pytest.mark.parametrize(
    ("quotes", "flagged"),
    [
        ({"a": "建设珠海至肇庆高铁", "b": "加快珠肇高铁建设"}, True),  # each writes a different form
        ({"a": "建设珠海至肇庆高铁", "b": "推进珠海至肇庆高铁"}, False),  # the same form
        ({"a": "建设珠海至肇庆高铁（珠肇高铁）", "b": "加快珠肇高铁建设"}, False),  # a shared form
        ({"a": "珠海经江门至肇庆等高铁项目", "b": "加快珠肇高铁建设"}, False),  # a writes no form: not compared
    ],
)
def test_different_names_when_plans_write_different_name_forms(quotes, flagged):
    row = one_row(*(mention(plan, "planned", quote) for plan, quote in quotes.items()), name_zh="珠海至肇庆高铁（珠肇高铁）")
    assert ("names" in rules_of(row)) is flagged


def test_different_carriers_when_plans_name_different_carriers_of_a_corridor():
    bridge = feature("bridge", [mention("a", "planned", "建设乙桥")], name_zh="乙跨海通道（乙桥）")
    quotes = {"a": "依托甲高速、乙桥构建通道", "b": "依托甲高速构建通道", "c": "依托甲高速、乙跨海通道构建通道"}
    corridor = feature(
        "corridor",
        [mention(plan, "planned", quote) for plan, quote in quotes.items()],
        name_zh="某通道",
        kind="corridor",
        carriers=["甲高速", "bridge"],  # a name, and a feature id (matched by that feature's name forms)
    )
    row = {r.id: r for r in build_rows(constructed(corridor, bridge))}["corridor"]
    [flag] = [f for f in row.flags if f.rule == "carriers"]
    assert flag.plans == ("a", "b", "c")
    assert dict(flag.detail) == {"a": "甲高速、乙跨海通道", "b": "甲高速", "c": "甲高速、乙跨海通道"}


def test_the_same_carriers_in_every_plan_are_not_flagged():
    quotes = {"a": "依托甲高速、乙铁路", "b": "依托甲高速和乙铁路"}
    corridor = feature(
        "corridor", [mention(p, "planned", q) for p, q in quotes.items()], kind="corridor", carriers=["甲高速", "乙铁路"]
    )
    [row] = build_rows(constructed(corridor))
    assert rules_of(row) == []


# --- the real register ---


def test_one_row_per_catalogue_feature_with_mentions():
    with_mentions = [f["properties"]["id"] for f in DATA.features if f["properties"]["mentions"]]
    assert [row.id for row in ROWS] == with_mentions
    assert len(ROWS) == len(DATA.features) == 615


def test_a_feature_without_mentions_has_no_row():
    assert [row.id for row in build_rows(constructed(feature("x", []), feature("y", [mention("a", "planned")])))] == ["y"]


def test_the_filters_pick_the_rows_the_map_shows():
    for selection in (only(plans={"hq-industry"}), only(statuses={"study", "reserve"}, layers={"region-rail"})):
        assert [row.id for row in build_rows(DATA, selection)] == [s.id for s in select(DATA, selection)]


def test_guangzhou_zhuhai_macao_hsr_moves_from_study_to_under_construction_under_different_names():
    row = BY_ID["hq-rail-guangzhou-zhuhai-macao-hsr"]
    # prw-metro's rail programme pushes its preparatory work (its chapter 10 lists it to speed up: kept under also)
    assert progression(row, DATA.plans) == "研究（gba-gd 2019-07、prw-metro 2023-10）→ 在建（hq-master 2023-12）"
    assert rules_of(row) == ["names"]
    assert dict(row.flags[0].detail) == {"prw-metro": "广珠（澳）高铁", "hq-master": "广州至珠海（澳门）高铁"}


def test_zhuhai_zhaoqing_hsr_moves_from_planned_to_under_construction_under_different_names():
    row = BY_ID["hq-rail-zhuhai-zhaoqing-hsr"]
    assert progression(row, DATA.plans) == "规划（gba-gd 2019-07）→ 在建（prw-metro 2023-10、hq-master 2023-12）"
    assert rules_of(row) == ["names"]
    assert flags_text(row, DATA.plans) == "名称不同：prw-metro 2023-10：珠肇高铁；hq-master 2023-12：珠海至肇庆高铁"


def test_a_later_plan_naming_an_earlier_stage_is_flagged_in_the_real_data():
    row = BY_ID["hq-terminal-macao-airport-hengqin"]  # hq-master 过境候机楼 planned; hq-industry 研究推动 (study)
    assert rules_of(row) == ["regression", "names"]
    assert row.flags[0].detail == (("hq-master", "planned"), ("hq-industry", "study"))


def test_timeline_has_a_point_per_mention():
    points = timeline_points(ROWS, DATA.plans)
    assert len(points) == sum(len(f["properties"]["mentions"]) for f in DATA.features)
    plans = {"大湾区实施意见 2019-07", "珠西都市圈规划 2023-10", "合作区总体发展规划 2023-12", "合作区产业发展规划 2025-06"}
    assert {p["plan"] for p in points} == plans  # named as the columns are
    english = {p["plan"] for p in timeline_points(ROWS, DATA.plans, "en")}
    assert english == {"gba-gd 2019-07", "hq-master 2023-12", "prw-metro 2023-10", "hq-industry 2025-06"}


# --- export and command line ---


def test_csv_has_a_bom_the_columns_and_a_row_per_project():
    data = to_csv(ROWS, DATA.plans)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == [
        "id",
        "name_zh",
        "name_en",
        "layer",
        "大湾区实施意见 2019-07 状态",
        "大湾区实施意见 2019-07 阶段",
        "珠西都市圈规划 2023-10 状态",
        "珠西都市圈规划 2023-10 阶段",
        "合作区总体发展规划 2023-12 状态",
        "合作区总体发展规划 2023-12 阶段",
        "合作区产业发展规划 2025-06 状态",
        "合作区产业发展规划 2025-06 阶段",
        "progression",
        "flags",
    ]
    assert len(table) == len(ROWS) + 1
    record = dict(zip(table[0], next(r for r in table if r[0] == "hq-rail-zhuhai-zhaoqing-hsr"), strict=True))
    statuses = [
        record[f"{name} 状态"] for name in ("大湾区实施意见 2019-07", "珠西都市圈规划 2023-10", "合作区产业发展规划 2025-06")
    ]
    assert statuses == ["未建成 · 规划新建（2019-07）", "未建成 · 在建（2023-10）", ""]  # each status dated by its plan
    assert record["flags"].startswith("名称不同")


def test_excel_has_one_sheet_per_theme():
    book = load_workbook(io.BytesIO(to_xlsx(ROWS, DATA.plans, "en")))
    assert book.sheetnames == [t.en[:1].upper() + t.en[1:] for t in THEMES]  # one sheet per theme, named as a heading
    assert sum(sheet.max_row - 1 for sheet in book.worksheets) == len(ROWS)
    transport = book["Transport"]
    assert [c.value for c in transport[1]] == columns(DATA.plans, "en")
    assert "prw-metro 2023-10 status" in columns(DATA.plans, "en")
    assert transport.freeze_panes == "B2"


def test_command_writes_the_format_of_the_suffix_with_the_filters(tmp_path, capsys):
    out = tmp_path / "register.xlsx"
    assert main(["-o", str(out), "--plan", "hq-industry", "--layer", "hq-industry,region-rail"]) == 0
    ids = [row[0].value for sheet in load_workbook(out).worksheets for row in sheet.iter_rows(min_row=2)]
    assert sorted(ids) == sorted(s.id for s in select(DATA, only(plans={"hq-industry"}, layers={"hq-industry", "region-rail"})))
    assert re.search(r"\d+ rows, \d+ flagged", capsys.readouterr().out)
    main(["-o", str(tmp_path / "register.csv")])
    assert (tmp_path / "register.csv").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-o", "register.pdf"], "must end in .csv, .xlsx"),
        (["-o", "register.csv", "--plan", "nope"], "unknown --plan nope"),
        (["-o", "register.csv", "--status", "reserve", "--layer", "region-rail"], "has no features"),
    ],
)
def test_command_refuses_bad_requests_with_a_message(tmp_path, argv, message):
    argv = [str(tmp_path / a) if a.startswith("register.") else a for a in argv]
    with pytest.raises(UsageError, match=message):
        main(argv)
    assert list(tmp_path.iterdir()) == []


def test_every_rule_is_documented():
    doc = (ROOT / "docs" / "planners-guide.md").read_text(encoding="utf-8")
    for key, rule in RULES.items():
        assert f"`{key}`" in doc and rule.zh in doc, f"README does not explain the {key} rule"


# --- the page ---


def run_page(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / "register.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def counted(at: AppTest) -> tuple[int, int]:
    for md in at.markdown:
        found = re.search(r"(\d+) 个项目，其中 (\d+) 个有标记", md.value)
        if found:
            return int(found.group(1)), int(found.group(2))
    raise AssertionError("no project count on the page")


def test_page_lists_every_project_and_filters_like_the_map():
    at = run_page()
    assert counted(at) == (len(ROWS), sum(1 for row in ROWS if row.flags))
    at.text_input(key="reg_search").set_value("珠海至肇庆").run()
    assert counted(at) == (1, 1)
    assert counted(run_page(plan="hq-industry"))[0] == len(select(DATA, only(plans={"hq-industry"})))


def test_page_opens_with_the_linked_project_and_its_quotes_side_by_side():
    at = run_page(select="hq-rail-zhuhai-zhaoqing-hsr")
    text = " ".join(md.value for md in at.markdown)
    assert "珠海经江门至肇庆" in text and "珠肇高铁" in text and "珠海至肇庆高铁" in text


def test_new_works_on_something_in_place_are_not_a_regression():
    row = one_row(
        {**mention("a", "existing"), "exists": "existing", "action": "use"},
        {**mention("c", "planned"), "exists": "existing", "action": "rebuild_expand"},
    )
    assert rules_of(row) == []
    rebuilt = one_row(
        {**mention("a", "existing"), "exists": "existing", "action": "use"},
        {**mention("c", "planned"), "exists": "existing", "action": "new_build"},
    )
    assert rules_of(rebuilt) == ["regression", "existence"]


def test_existence_flags_a_status_that_contradicts_what_was_in_place():
    row = one_row(
        {**mention("b", "existing"), "exists": "absent", "action": "use"},
        {**mention("c", "under_construction"), "exists": "existing", "action": "build"},
    )
    [flag] = [f for f in row.flags if f.rule == "existence"]
    assert flag_text(flag, {p["id"]: p for p in PLANS}) == "与现状不符：b 2023-12：未建成 · 现状；c 2025-06：现状 · 在建"
    assert rules_of(BY_ID["rg-bridge-humen-second"]) == ["existence"]  # gba-gd has it under construction after it opened


def test_the_register_shows_existence_and_action_beside_the_status():
    [record] = [r for r in records([BY_ID["rg-airport-guangzhou-baiyun"]], DATA.plans)]
    assert "现状 · 在建改扩建（2019-07）" in record and "近期（据措辞规则推定）" in record


def test_the_plan_columns_are_headed_by_each_plans_short_name_and_date_whole():
    for lang, name in (("zh", "short_zh"), ("en", "id")):
        heads = [c for c in columns(DATA.plans, lang) if c.endswith((" 状态", " status"))]
        expected = [f"{DATA.plans[p][name]} {DATA.plans[p]['date']}" for p in plan_sequence(DATA.plans)]
        assert [h.rsplit(" ", 1)[0] for h in heads] == expected
    assert "珠西都市圈规划 2023-10 状态" in columns(DATA.plans, "zh")


def test_every_status_in_the_register_carries_its_plans_date():
    for record, row in zip(records(ROWS, DATA.plans, "en"), ROWS, strict=True):
        cells = record[4:-2:2]
        for plan, cell in zip(plan_sequence(DATA.plans), cells, strict=True):
            assert (cell == "") == (plan not in row.mentions)
            assert not cell or cell.endswith(f" ({DATA.plans[plan]['date']})"), cell
