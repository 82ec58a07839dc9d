"""Each kind of bad source stops the build with one line naming file, line and feature."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from geo.build import main as build_main
from geo.paths import ROOT
from geo.sources.catalogue import load_catalogue
from geo.sources.problems import BuildError

GOOD_FEATURE = """
  - id: {id}
    name_zh: 横琴口岸
    name_en: Hengqin Port
    kind: border_crossing
    exists: existing
    exists_basis_zh: 测试
    exists_basis_en: test
    geometry_basis_zh: 测试
    geometry_basis_en: test
    accuracy_m: 200
    geometry: {geometry}
    mentions:
      - plan: {plan}
        section: 第六章 第一节
        quote: {quote}
        status: {status}
        phase: {phase}
"""
DEFAULTS = {
    "id": "t-port",
    "geometry": "{type: Point, coordinates: [113.545, 22.14]}",
    "plan": "hq-master",
    "quote": "推进横琴口岸“常旅客”计划有序实施",
    "status": "existing",
    "phase": "现状",
}


def write_layer(layers: Path, *features: dict, name: str = "t-layer") -> Path:
    body = "".join(GOOD_FEATURE.format(**{**DEFAULTS, **f}) for f in features)
    path = layers / f"{name}.yaml"
    path.write_text(f"layer: {name}\ntitle_zh: 测试\ntitle_en: Test\ntheme: transport\nfeatures:{body}", encoding="utf-8")
    return path


def problems_for(layers: Path) -> list[str]:
    with pytest.raises(BuildError) as info:
        load_catalogue(layers, layers / "meta", ROOT)
    return [str(p) for p in info.value.problems]


def test_a_good_layer_builds(source_dir):
    write_layer(source_dir, {})
    catalogue = load_catalogue(source_dir, source_dir / "meta", ROOT)
    assert [f.id for f in catalogue.features()] == ["t-port"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"plan": "hq-masterplan"}, "layers/t-layer.yaml:18: feature 't-port': unknown plan 'hq-masterplan'"),
        ({"status": "built"}, "layers/t-layer.yaml:18: feature 't-port': unknown status 'built'"),
        ({"phase": "2035"}, "layers/t-layer.yaml:18: feature 't-port': unknown phase '2035'"),
        ({"quote": "横琴口岸将于明年关闭"}, "layers/t-layer.yaml:18: feature 't-port': quote not found in hq-master"),
        (
            {"geometry": "{type: Point, coordinates: [22.14, 113.545]}"},
            "feature 't-port': coordinates look swapped: [22.14, 113.545] is [lat, lon]",
        ),
        (
            {"geometry": "{type: Point, coordinates: [116.2, 22.14]}"},
            "feature 't-port': coordinate [116.2, 22.14] lies outside lon 111-115 / lat 21-23.5",
        ),
        ({"geometry": "{type: Polygon, coordinates: []}"}, "feature 't-port': geometry is empty"),
        (
            {"geometry": "{type: Polygon, coordinates: [[[113.50, 22.10], [113.52, 22.12], [113.52, 22.10], [113.50, 22.12]]]}"},
            "feature 't-port': invalid geometry: Self-intersection",
        ),
        ({"status": "planned"}, "feature 't-port': phase 现状 disagrees with the phase rule"),
        (
            {"quote": "加快推动澳门轻轨延伸横琴线项目建设", "status": "planned", "phase": "远期"},
            "the quote says “加快推动”, which the status rule maps to under_construction, not planned",
        ),
    ],
)
def test_bad_mention_or_geometry_names_file_line_and_feature(source_dir, change, expected):
    write_layer(source_dir, change)
    problems = problems_for(source_dir)
    assert len(problems) == 1, problems
    assert expected in problems[0]
    assert problems[0].startswith("layers/t-layer.yaml:")


def test_duplicate_ids_across_files_name_both_places(source_dir):
    write_layer(source_dir, {}, name="a-layer")
    write_layer(source_dir, {}, name="b-layer")
    problems = problems_for(source_dir)
    assert problems == ["layers/b-layer.yaml:6: feature 't-port': duplicate id, first defined at layers/a-layer.yaml:6"]


def test_every_problem_is_reported_in_one_run(source_dir):
    write_layer(source_dir, {"id": "t-one", "plan": "nope"}, {"id": "t-two", "status": "built"})
    problems = problems_for(source_dir)
    assert [p.split("feature ")[1].split(":")[0] for p in problems] == ["'t-one'", "'t-two'"]


def test_yaml_syntax_error_names_the_line(source_dir):
    (source_dir / "broken.yaml").write_text("layer: broken\nfeatures:\n  - id: x\n    name_zh: [unclosed\n", encoding="utf-8")
    problems = problems_for(source_dir)
    assert len(problems) == 1
    assert problems[0].startswith("layers/broken.yaml:") and "invalid YAML" in problems[0]


def test_missing_fields_are_named(source_dir):
    (source_dir / "t-layer.yaml").write_text(
        textwrap.dedent(
            """\
            layer: t-layer
            title_zh: 测试
            title_en: Test
            theme: transport
            features:
              - id: t-bare
                kind: station
                geometry: {type: Point, coordinates: [113.545, 22.14]}
            """
        ),
        encoding="utf-8",
    )
    problems = problems_for(source_dir)
    assert "layers/t-layer.yaml:6: feature 't-bare': needs at least one mention" in "\n".join(problems)
    assert "feature 't-bare': missing or empty 'name_zh'" in "\n".join(problems)
    assert "feature 't-bare': 'accuracy_m' must be a positive number of metres" in "\n".join(problems)


def test_clockwise_polygon_is_fixed_not_rejected(source_dir):
    clockwise = (
        "{type: Polygon, coordinates: [[[113.50, 22.10], [113.50, 22.12], [113.52, 22.12], [113.52, 22.10], [113.50, 22.10]]]}"
    )
    write_layer(source_dir, {"geometry": clockwise})
    catalogue = load_catalogue(source_dir, source_dir / "meta", ROOT)
    ring = catalogue.geometries["t-port"].exterior
    assert ring.is_ccw


def test_build_command_prints_problems_and_writes_nothing(source_dir, tmp_path, capsys):
    write_layer(source_dir, {"plan": "nope"})
    out = tmp_path / "out"
    assert build_main(["--layers", str(source_dir), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "unknown plan 'nope'" in err and "nothing written" in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.fixture(scope="module")
def rules():
    from geo.paths import META_DIR
    from geo.sources.wording import load_rules

    return load_rules(META_DIR / "status_rules.yaml", "status_rules.yaml")


def test_status_rule_words_may_have_a_gap_for_a_project_name(rules):
    assert rules.expected_status("加快横琴综合物流中心等项目建设") == ("under_construction", "加快…建设")
    assert rules.expected_status("规划建设游艇码头") == ("planned", "规划建设")
    assert rules.expected_status("在二井湾和大小横琴山局部地区安排用于“四新”产业发展的战略留白区") == ("reserve", "战略留白")


def test_the_gap_also_spans_a_long_list_of_projects_but_not_another_clause(rules):
    """推进A、B、C、D等…建设 stages every project of the list alike, however long the list; a 建设 in the next clause
    (after ，) does not belong to a 推进 more than 30 characters back."""
    long_list = (
        "推进台山黄茅海抽水蓄能电站、鹤山抽水蓄能电站、汇宁时代江门（台山）核储互补电化学储能电站、阳江走马坪抽水蓄能电站项目建设"
    )
    assert rules.expected_status(long_list) == ("under_construction", "推进…建设")
    next_clause = (
        "推进区域医养产业平台与养老服务体系的融合发展和资源共享，促进城乡基本公共服务均等化，打造一批健康养老示范基地的建设"
    )
    assert rules.expected_status(next_clause)[0] == "planned"


def test_a_phase_source_must_be_one_passage_of_the_plan_that_states_a_phase(source_dir):
    source = (
        "\n        phase_source:\n          section: 第一章 第三节 发展目标\n"
        "          quote: [到2029年澳门回归祖国30周年时, {fragment}]"
    )
    layer = write_layer(source_dir, {"status": "planned", "phase": "中期"})
    text = layer.read_text(encoding="utf-8")
    layer.write_text(text + source.format(fragment="澳门品牌工业园等产业园区"), encoding="utf-8")
    catalogue = load_catalogue(source_dir, source_dir / "meta", ROOT)
    assert catalogue.feature("t-port").mentions[0].phase_basis == "section"
    layer.write_text(text + source.format(fragment="封关运作顺利实施"), encoding="utf-8")  # in the 2024 paragraph
    assert "phase_source not found in hq-master as one passage" in problems_for(source_dir)[0]


def test_a_built_kind_must_say_whether_it_exists(source_dir):
    layer = write_layer(source_dir, {})
    stated = "    exists: existing\n    exists_basis_zh: 测试\n    exists_basis_en: test\n"
    layer.write_text(layer.read_text(encoding="utf-8").replace(stated, ""), encoding="utf-8")
    [problem] = problems_for(source_dir)
    assert "feature 't-port': kind 'border_crossing' has no default existence: give exists" in problem


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        ('    exists: existing\n    complete_from: "2024-06"\n', "'complete_from' is for a feature that is 'exists: partial'"),
        ('    exists: partial\n    complete_from: "mid-2024"\n', "'complete_from' must be YYYY or YYYY-MM"),
        (
            '    exists: partial\n    exists_from: "2024-06"\n    complete_from: "2024-02"\n',
            "'complete_from' must come after 'exists_from'",
        ),
    ],
)
def test_a_completion_date_belongs_to_a_partly_built_feature(source_dir, stated, expected):
    layer = write_layer(source_dir, {})
    layer.write_text(layer.read_text(encoding="utf-8").replace("    exists: existing\n", stated), encoding="utf-8")
    [problem] = problems_for(source_dir)
    assert f"layers/t-layer.yaml:6: feature 't-port': {expected}" in problem


def test_an_action_against_the_rule_needs_its_reason(source_dir):
    layer = write_layer(source_dir, {})
    text = layer.read_text(encoding="utf-8")
    layer.write_text(text + "\n        action: restore", encoding="utf-8")
    assert (
        "'action: restore' must be one of ACTIONS (geo/sources/schema.py) and have action_basis_zh" in problems_for(source_dir)[0]
    )
    basis = "\n        action_basis_zh: 该计划提升通关\n        action_basis_en: the programme improves clearance"
    layer.write_text(text + "\n        action: improve" + basis, encoding="utf-8")
    mention = load_catalogue(source_dir, source_dir / "meta", ROOT).feature("t-port").mentions[0]
    assert (mention.action, mention.exists) == ("improve", "existing")


def test_related_features_must_name_each_other(source_dir):
    write_layer(source_dir, {"id": "t-one"}, {"id": "t-two"})
    layer = source_dir / "t-layer.yaml"
    kind = "    kind: border_crossing\n"
    text = layer.read_text(encoding="utf-8").replace(kind, kind + "    related: [t-two]\n", 1)
    layer.write_text(text, encoding="utf-8")
    assert "feature 't-one': related: 't-two' does not list 't-one' back" in problems_for(source_dir)[0]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "    geometry_basis: test\n",
            "'geometry_basis' must be written in both languages, as 'geometry_basis_zh' and 'geometry_basis_en'",
        ),
        ("    geometry_basis_en: test\n", "missing or empty 'geometry_basis_zh'"),
        ("    geometry_basis_zh: 测试\n    geometry_basis_en: ' '\n", "missing or empty 'geometry_basis_en'"),
        ("    geometry_basis_zh: 测试\n    geometry_basis_en: test\n    note_zh: 备注\n", "missing or empty 'note_en'"),
    ],
)
def test_a_descriptive_text_needs_both_languages(source_dir, written, message):
    layer = write_layer(source_dir, {})
    both = "    geometry_basis_zh: 测试\n    geometry_basis_en: test\n"
    layer.write_text(layer.read_text(encoding="utf-8").replace(both, written), encoding="utf-8")
    [problem] = problems_for(source_dir)
    assert re.match(rf"{re.escape(str(layer.relative_to(source_dir.parent)))}:\d+: feature 't-port': ", problem), problem
    assert message in problem


def test_a_status_basis_needs_both_languages(source_dir):
    layer = write_layer(source_dir, {})
    layer.write_text(layer.read_text(encoding="utf-8") + "\n        status_basis_zh: 口岸已在运行", encoding="utf-8")
    [problem] = problems_for(source_dir)
    assert "missing or empty 'status_basis_en'" in problem and "feature 't-port'" in problem


@pytest.mark.parametrize(
    ("also", "expected"),
    [
        (
            "          - {section: 第六章 第一节, quote: 横琴口岸将于明年关闭}\n",
            "'also' quote not found in hq-master (hq-master.txt): “横琴口岸将于明年关闭…”",
        ),
        ("          - {quote: 推进横琴口岸“常旅客”计划有序实施}\n", "each 'also' passage needs a section and a quote"),
        (
            "          - {section: 第六章 第一节, quote: 推进横琴口岸“常旅客”计划有序实施}\n",
            "'also' repeats the mention's own quote",
        ),
    ],
)
def test_a_further_passage_must_be_the_plans_words(source_dir, also, expected):
    """`also` holds more of the same plan's words about the feature: each is checked like the quote."""
    layer = write_layer(source_dir, {})
    text = layer.read_text(encoding="utf-8")
    layer.write_text(text.replace("        phase: 现状\n", "        phase: 现状\n        also:\n" + also), encoding="utf-8")
    [problem] = problems_for(source_dir)
    assert "feature 't-port': " in problem and expected in problem, problem
