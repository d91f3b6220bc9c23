"""Tests of the minutes parser on the three sample speeches and on small texts written here."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskboard.meetings.parser import ParseResult, Proposal, parse_minutes

DATA = Path(__file__).resolve().parents[1] / "data"
SPEECH_000 = "000_34578b94dd12c1c2.txt"
SPEECH_001 = "001_e3f7c2135ebbd966.txt"
SPEECH_002 = "002_9f6b7870784384ff.txt"


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _by_title(result: ParseResult, fragment: str) -> Proposal:
    (found,) = [p for p in result.proposals if fragment in p.title]
    return found


def _targets(p: Proposal) -> list[tuple[str, str, Decimal | None, str]]:
    return [(t.metric, t.comparator, t.value, t.unit) for t in p.targets]


def _titles_by_category(result: ParseResult, after: int = 0) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for p in result.proposals:
        if p.start >= after:
            grouped.setdefault(p.category, []).append(p.title)
    return grouped


def _item(body: str) -> Proposal:
    """The proposal of item 一要 in a two-item section whose first item is ``body``."""
    text = f"一、重点工作\n一要{body}\n二要抓好督查落实，逐项销号。"
    return parse_minutes(text, year=2022).proposals[0]


# --- 000: 务虚会 speech ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def speech_000() -> tuple[str, ParseResult]:
    text = _read(SPEECH_000)
    return text, parse_minutes(text)


def test_000_offsets_year_and_confidence(speech_000: tuple[str, ParseResult]) -> None:
    text, result = speech_000
    assert result.year == 2022
    assert len(result.proposals) == 18
    for p in result.proposals:
        assert text[p.start:p.end] == p.excerpt
        assert 0.5 <= p.confidence <= 1


def test_000_opening_paragraph_targets(speech_000: tuple[str, ParseResult]) -> None:
    text, result = speech_000
    opening = [p for p in result.proposals if p.end < text.index("一、园区人")]
    assert [p.title for p in opening] == ["确保公共财政预算收入增幅不低于20%",
                                          "力争新签约亿元以上产业项目不少于60个"]
    assert [t for p in opening for t in _targets(p)] == [
        ("公共财政预算收入增幅", ">=", Decimal(20), "%"),
        ("税收占比", ">=", Decimal(87), "%"),
        ("固定资产投资增幅", ">=", Decimal(25), "%"),
        ("规上工业产值增幅", ">=", Decimal(25), "%"),
        ("实际利用外资", ">=", Decimal("1.5"), "亿美元"),
        ("新签约亿元以上产业项目", ">=", Decimal(60), "个"),
        ("新开工亿元以上产业项目", ">=", Decimal(40), "个"),
        ("竣工亿元以上产业项目", ">=", Decimal(30), "个"),
        ("竣工项目的投产率", ">=", Decimal(80), "%"),
    ]
    assert [t.cumulative for p in opening for t in p.targets] == [
        False, False, False, False, True, True, True, True, False]


def test_000_one_proposal_per_numbered_item(speech_000: tuple[str, ParseResult]) -> None:
    text, result = speech_000
    assert _titles_by_category(result, after=text.index("一、园区人")) == {
        "激情": ["牢固树立目标必成意识", "牢固树立奋力争先意识", "牢固树立效能优先意识"],
        "责任": ["综保区建设成效", "服务业发展成效", "城建工作成效"],
        "担当": ["做好人力资源服务", "切实化解融资难题", "重点保障土地供给"],
        "创新": ["推进XX集团转型创新", "推进干部人事制度改革", "推进科技成果转化申报",
                 "推进离岸孵化相关工作"],
        "廉洁": ["抓好责任落实", "强化团队精神", "加强队伍建设"],
    }
    first = _by_title(result, "目标必成意识")
    assert first.excerpt.startswith("一要牢固树立目标必成意识。")
    assert first.excerpt.endswith("工作推进又好又快。")


def test_000_offshore_incubation_assignment(speech_000: tuple[str, ParseResult]) -> None:
    p = _by_title(speech_000[1], "离岸孵化")
    assert (p.lead, p.units, p.cooperating) == ("潘爱民", ["区企业服务中心"], ["其他相关部门"])
    assert _targets(p) == [("建设离岸孵化基地", ">=", Decimal(5), "个"),
                           ("离岸孵化项目", ">=", Decimal(15), "个"),
                           ("落地项目", ">=", Decimal(15), "个")]
    assert p.deadline is None
    assert p.confidence == 0.85


def test_000_masked_lead_and_subject_units(speech_000: tuple[str, ParseResult]) -> None:
    result = speech_000[1]
    transfer = _by_title(result, "科技成果转化")
    assert (transfer.lead, transfer.units, transfer.cooperating) == ("**", ["区企业服务中心"], [])
    assert _targets(transfer) == [("申报科技成果转化项目", ">=", Decimal(5), "个")]
    financing = _by_title(result, "融资难题")
    assert financing.lead is None
    assert financing.units == ["区财政金融服务中心", "XX集团"]
    group = _by_title(result, "集团转型")
    assert _targets(group) == [("营业收入和利润增长", ">", Decimal(50), "%")]
    assert _targets(_by_title(result, "综保区")) == [("土地利用率", ">=", Decimal(80), "%")]


# --- 001: 工委（扩大）会议 speech -------------------------------------------------------------

@pytest.fixture(scope="module")
def speech_001() -> tuple[str, ParseResult]:
    text = _read(SPEECH_001)
    return text, parse_minutes(text)


def test_001_review_gives_nothing_and_areas_give_categories(
        speech_001: tuple[str, ParseResult]) -> None:
    text, result = speech_001
    assert result.year == 2022  # the range （2021-2023年） is a horizon, not the speech's year
    assert all(p.start > text.index("三、锚定方向") for p in result.proposals)
    grouped = _titles_by_category(result)
    assert list(grouped) == ["经济增速走在前列", "产业发展走在前列", "创新驱动走在前列",
                             "项目引进走在前列", "营商环境走在前列", "社会事业发展"]
    assert grouped["产业发展走在前列"] == [
        "高标准规划引领园区科学发展", "搭建大平台引领产业大发展",
        "培育龙头企业做大做强引领产业集聚发展", "推动服务业与制造业深度融合引领高质量发展"]
    assert grouped["项目引进走在前列"] == [
        "做好总结", "始终坚持产业链招商、招大商、引大项目的思维", "进一步完善招商体制和奖惩机制"]
    assert len(grouped["营商环境走在前列"]) == 4
    assert len(grouped["社会事业发展"]) == 4


def test_001_targets_and_deadlines(speech_001: tuple[str, ParseResult]) -> None:
    result = speech_001[1]
    assert _targets(_by_title(result, "民生实事")) == [("办好民生实事", ">=", Decimal(100), "件")]
    assert _by_title(result, "破解发展瓶颈").deadline == date(2022, 6, 30)
    # 现代服务业发展“12条” names a policy; it is no target
    assert _by_title(result, "深度融合").targets == []


# --- 002: 誓师动员大会 speech -----------------------------------------------------------------

def test_002_directive_sentences_in_each_section() -> None:
    text = _read(SPEECH_002)
    result = parse_minutes(text)
    assert all(p.start > text.index("一、聚焦主责主业") for p in result.proposals)
    assert {k: len(v) for k, v in _titles_by_category(result).items()} == {
        "主责主业不动摇": 8, "各项改革": 3, "区域协调发展": 5, "民生领域短板": 8,
        "党的全面领导": 5}
    first = result.proposals[0]
    assert first.title == "建立完善的科技创新支撑体系"
    assert first.excerpt.startswith("要建立完善的科技创新支撑体系，")
    assert _by_title(result, "自创区三年行动计划").deadline == date(2022, 12, 31)
    assert _by_title(result, "城市管理要精细化").excerpt.endswith("推行市场化管理；")
    everything = parse_minutes(text, include_low_confidence=True).proposals
    assert len(everything) == 40
    assert min(p.confidence for p in everything) == 0.35


# --- Small texts ---------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "comparator", "value", "unit"), [
    ("不少于50亿元", ">=", Decimal(50), "亿元"),
    ("不低于8%", ">=", Decimal(8), "%"),
    ("达到1,200家", ">=", Decimal(1200), "家"),
    ("50亿元以上", ">=", Decimal(50), "亿元"),
    ("超过50亿元", ">", Decimal(50), "亿元"),
    ("不超过3个工作日", "<=", Decimal(3), "工作日"),
    ("控制在5%以内", "<=", Decimal(5), "%"),
    ("压缩至2.5万平方米", "<=", Decimal("2.5"), "万平方米"),
    ("低于3.5%", "<", Decimal("3.5"), "%"),
    ("3000万美元", ">=", Decimal(3000), "万美元"),
])
def test_comparators(phrase: str, comparator: str, value: Decimal, unit: str) -> None:
    p = _item(f"扩大有效投资。全年固定资产投资{phrase}。")
    assert _targets(p) == [("固定资产投资", comparator, value, unit)]


def test_masked_values_are_none_and_rates_do_not_accumulate() -> None:
    p = _item("稳定经济增长。营业收入增长**％以上，到位资金*亿元，新增企业XX家。")
    assert _targets(p) == [("营业收入增长", ">=", None, "%"), ("到位资金", ">=", None, "亿元"),
                           ("新增企业", ">=", None, "家")]
    assert [t.cumulative for t in p.targets] == [False, True, True]


@pytest.mark.parametrize(("phrase", "deadline"), [
    ("6月底前", date(2022, 6, 30)), ("11月30日前", date(2022, 11, 30)),
    ("3月底前", date(2022, 3, 31)), ("年底前", date(2022, 12, 31)),
    ("一季度", date(2022, 3, 31)), ("上半年", date(2022, 6, 30)),
    ("三季度末", date(2022, 9, 30)), ("下半年", date(2022, 12, 31)),
    ("十月中旬", date(2022, 10, 20)), ("2023年6月底前", date(2023, 6, 30)),
    ("明年2月底前", date(2023, 2, 28)),
])
def test_deadlines(phrase: str, deadline: date) -> None:
    assert _item(f"加快项目建设，{phrase}完成主体工程。").deadline == deadline


def test_lead_units_and_cooperating_forms() -> None:
    p = _item("加快重大项目开工。由张三同志总牵头，区发改局会同区财政局、区住房和城乡建设局推进。")
    assert (p.lead, p.units, p.cooperating) == (
        "张三", ["区发改局"], ["区财政局", "区住房和城乡建设局"])
    p = _item("盘活低效用地。区自然资源局、区财政局共同负责，其他相关部门配合。")
    assert (p.lead, p.units, p.cooperating) == (
        None, ["区自然资源局", "区财政局"], ["其他相关部门"])
    p = _item("推进一网通办（牵头领导：李四；牵头单位：区政务服务中心；配合单位：区司法局）。")
    assert (p.lead, p.units, p.cooperating) == ("李四", ["区政务服务中心"], ["区司法局"])
    p = _item("抓好城市更新。由区委副书记王五同志牵头，区住建局等部门负总责，各镇街配合。")
    assert (p.lead, p.units, p.cooperating) == ("王五", ["区住建局"], ["各镇街"])
    p = _item("抓好安全生产。由常务副区长牵头，区应急局要会同区消防大队开展专项整治。")
    assert (p.lead, p.units, p.cooperating) == ("常务副区长", ["区应急局"], ["区消防大队"])


def test_nested_items_give_the_innermost() -> None:
    text = ("一、安全生产\n第一，抓好隐患整治。一是开展隐患排查，整改率达到100%；"
            "二是组织应急演练不少于10场。由区应急局负责，3月底前完成。\n第二，做好信访维稳。")
    result = parse_minutes(text, year=2022)
    assert [p.title for p in result.proposals] == ["开展隐患排查", "组织应急演练不少于10场",
                                                   "做好信访维稳"]
    drill = result.proposals[1]
    assert (drill.units, drill.deadline) == (["区应急局"], date(2022, 3, 31))
    # without a heading, the parent item names the category
    headless = parse_minutes(text.split("\n", 1)[1], year=2022)
    assert headless.proposals[0].category == "隐患整治"


def test_directive_followed_by_its_assignment() -> None:
    text = "会议要求，建设标准厂房8万平方米，年内建成。这项工作由王五同志牵头，区国资公司负责。"
    (p,) = parse_minutes(text, year=2022).proposals
    assert (p.title, p.lead, p.units, p.deadline) == (
        "建设标准厂房8万平方米", "王五", ["区国资公司"], date(2022, 12, 31))
    assert p.excerpt == text


def test_greetings_praise_review_agenda_and_closing_give_nothing() -> None:
    text = ("同志们：\n这次会议的主要任务是：一是总结工作；二是部署任务。\n"
            "2021年，我们取得了显著成绩，全年新增企业500家，一是产业发展加快，"
            "二是民生持续改善。在此，我代表区委向大家表示衷心的感谢！\n"
            "我们还存在不少差距。主要是：一是营商环境有待优化；二是干部作风还需改进。\n"
            "同志们，让我们团结一心，再创辉煌！\n谢谢大家。")
    assert parse_minutes(text, year=2022).proposals == []
    low = parse_minutes(text, year=2022, include_low_confidence=True).proposals
    assert [(p.title, p.confidence) for p in low] == [
        ("总结工作", 0.3), ("部署任务", 0.3), ("产业发展加快", 0.3), ("民生持续改善", 0.3),
        ("营商环境有待优化", 0.3), ("干部作风还需改进", 0.3)]


def test_crlf_fullwidth_spaces_and_indentation_keep_offsets() -> None:
    plain = "一、项目建设\n一要加快开工，新开工项目不少于１０个。\n二要抓好竣工，６月底前完成。"
    text = "\u3000\u3000" + plain.replace("\n", "\r\n\u3000\u3000 ")
    result = parse_minutes(text, year=2022)
    assert [p.excerpt for p in result.proposals] == ["一要加快开工，新开工项目不少于１０个。",
                                                     "二要抓好竣工，６月底前完成。"]
    assert all(text[p.start:p.end] == p.excerpt for p in result.proposals)
    assert _targets(result.proposals[0]) == [("新开工项目", ">=", Decimal(10), "个")]
    assert result.proposals[1].deadline == date(2022, 6, 30)


def test_year_resolution() -> None:
    text = "到2025年建成示范区。2023年，一要加快开工，6月底前完成；二要抓好竣工，年底前完成。"
    assert parse_minutes(text).year == 2023  # 到2025年 is a horizon
    assert parse_minutes(text, meeting_date=date(2024, 1, 5)).year == 2024
    assert parse_minutes(text, year=2030, meeting_date=date(2024, 1, 5)).year == 2030
    undated = "一要加快开工，6月底前完成；二要抓好竣工。"
    assert parse_minutes(undated, year=2030).proposals[0].deadline == date(2030, 6, 30)
    by_meeting = parse_minutes(undated, meeting_date=date(2024, 1, 5))
    assert by_meeting.proposals[0].deadline == date(2024, 6, 30)


def test_to_dict_is_json_ready(speech_000: tuple[str, ParseResult]) -> None:
    data = json.loads(json.dumps(speech_000[1].to_dict(), ensure_ascii=False))
    assert data["year"] == 2022
    offshore = next(p for p in data["proposals"] if p["lead"] == "潘爱民")
    assert offshore["targets"][0] == {"metric": "建设离岸孵化基地", "comparator": ">=",
                                      "value": 5, "unit": "个"}
    assert offshore["deadline"] is None
    assert data["proposals"][0]["targets"][4]["value"] == 1.5
    masked = parse_minutes("一要稳增长，增长**％以上，6月底前完成。二要抓好落实。",
                           year=2022).to_dict()["proposals"][0]
    assert (masked["targets"][0]["value"], masked["deadline"]) == (None, "2022-06-30")


# --- Properties ----------------------------------------------------------------------------

FRAGMENTS = ["一要", "二要", "三是", "一、", "（一）", "1.", "（2）", "首先", "其次", "第一，",
             "牵头", "同志", "负责", "配合", "会同", "由", "区发改局", "不少于", "超过", "以上",
             "以内", "控制在", "年底前", "6月底前", "11月30日前", "一季度", "上半年", "要",
             "确保", "力争", "**", "*", "XX", "％", "%", "个", "亿元", "2022年", "20", "1.5",
             "，", "。", "；", "：", "\n", "\r\n", "\u3000", " ", "同志们", "了"]


def _check_invariants(text: str) -> None:
    result = parse_minutes(text, year=2022, include_low_confidence=True)
    for p in result.proposals:
        assert text[p.start:p.end] == p.excerpt
        assert 0 <= p.confidence <= 1
    json.dumps(result.to_dict())


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_parses(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.integers(0, 99).map(str)),
                max_size=60).map("".join))
def test_fragment_soup_parses(text: str) -> None:
    _check_invariants(text)
