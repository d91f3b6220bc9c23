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
    assert _targets(p) == [("离岸孵化基地", ">=", Decimal(5), "个"),
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
    assert _targets(_by_title(result, "民生实事")) == [("民生实事", ">=", Decimal(100), "件")]
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


# --- Documents written for these tests (tests/data/parser_extra) --------------------------

EXTRA = DATA / "parser_extra"


def _extra(name: str, meeting_date: date | None = None) -> tuple[str, ParseResult]:
    text = (EXTRA / name).read_bytes().decode("utf-8")  # as uploaded: \r\n stays
    result = parse_minutes(text, meeting_date=meeting_date)
    for p in result.proposals:
        assert text[p.start:p.end] == p.excerpt
    return text, result


def _who(p: Proposal) -> tuple[str | None, list[str], list[str], date | None]:
    return p.lead, p.units, p.cooperating, p.deadline


def test_minutes_each_numbered_paragraph_is_one_task() -> None:
    text, result = _extra("minutes_items.txt")
    items = [p for p in result.proposals if p.start < text.index("会议还研究了其他事项")]
    assert [p.title for p in items] == [
        "重点项目建设工作", "标准厂房建设工作", "优化营商环境工作", "中小学校建设工作",
        "安全生产工作", "低效用地盘活工作", "招商引资工作", "科技企业培育工作", "老旧小区改造工作"]
    first = items[0]
    assert first.excerpt.startswith("一、关于重点项目建设工作。")
    assert first.excerpt.endswith("6月底前完成二季度集中开工活动。")
    assert _who(first) == ("王强", ["区发改委"], ["区财政局", "区自然资源局"], date(2023, 6, 30))
    assert _targets(first) == [("重点项目", ">=", Decimal(120), "个"),
                               ("固定资产投资", ">=", Decimal(180), "亿元"),
                               ("新开工项目", ">=", Decimal(45), "个")]
    schools = items[3]
    assert _who(schools) == (None, ["区教育局"], ["区住建局", "区财政局"], date(2023, 8, 31))
    assert _targets(schools) == [("中小学", ">=", Decimal(3), "所"),
                                 ("新增学位", ">=", Decimal(3000), "个")]
    assert _who(items[4]) == (None, ["区应急管理局"], ["区住建局", "区市场监管局"],
                              date(2023, 4, 30))
    investment = items[6]
    assert _who(investment) == ("李明", ["区投资促进局"], ["区发改委", "区企业服务中心"], None)
    assert _targets(investment) == [("新签约亿元以上项目", ">=", Decimal(30), "个"),
                                    ("实际利用外资", ">", Decimal(2), "亿美元")]
    assert items[1].targets[0].metric == "标准厂房"  # 新建 is the verb, not the metric


def test_hard_wrapped_speech_with_bracketed_items() -> None:
    text, result = _extra("speech_hard_wrapped.txt", meeting_date=date(2023, 2, 10))
    tasks = [p for p in result.proposals if p.excerpt.startswith("（")]
    assert [p.title for p in tasks] == [
        "全力以赴扩大有效投资", "聚力做强主导产业", "大力提升科技创新能力", "持续优化营商环境",
        "扎实办好民生实事", "坚决守牢安全发展底线"]  # 强化工作保障 only exhorts and oversees
    assert len(result.proposals) == 7  # and the expected figures of 2023 that head the list
    investment = tasks[0]
    assert "\n" in investment.excerpt
    assert investment.excerpt.endswith("6月底前完成半年投资任务的60%。")
    assert _who(investment) == ("刘强", ["区发改委"], ["区自然资源局", "区财政局"],
                                date(2023, 6, 30))
    assert _targets(investment)[:3] == [("重点项目", ">=", Decimal(150), "个"),
                                        ("年度计划投资", ">=", Decimal(260), "亿元"),
                                        ("新开工亿元以上项目", ">=", Decimal(50), "个")]
    innovation = tasks[2]
    assert innovation.deadline == date(2023, 11, 30)  # "11" and "月底前" on two lines
    assert ("省级以上研发平台", ">=", Decimal(10), "个") in _targets(innovation)  # 10多个
    assert ("中试基地", ">=", Decimal(2), "个") in _targets(innovation)  # 打造两个中试基地
    business = tasks[3]
    assert _who(business) == (None, ["区行政审批局"], ["区市场监管局", "区企业服务中心"],
                              date(2023, 2, 28))  # 本月底 of the meeting
    assert _targets(business)[0] == ("企业开办时间", "<=", Decimal("0.5"), "工作日")
    assert _targets(tasks[4]) == [("民生实事", ">=", Decimal(10), "件"),
                                  ("学校", ">=", Decimal(3), "所"),
                                  ("社区卫生服务中心", ">=", Decimal(2), "个"),
                                  ("新增城镇就业", ">=", Decimal(8000), "人")]
    assert _who(tasks[4]) == ("陈红", ["区教育局", "区卫健局"], ["各街道"], date(2023, 12, 31))
    # without the meeting's date 本月底 names no day
    undated = parse_minutes(text, year=2023).proposals
    assert [p.deadline for p in undated if p.title == "持续优化营商环境"] == [None]


def test_work_plan_with_label_lines() -> None:
    _, result = _extra("work_plan_labels.txt")
    items = [p for p in result.proposals if p.excerpt[0].isdigit()]
    assert [p.title for p in items] == [
        "实施产业链招商攻坚行动", "推进重点产业项目建设", "培育龙头骨干企业", "加快创新平台建设",
        "强化科技企业梯度培育", "促进科技成果转移转化", "完善人才引育政策", "深化科技金融服务",
        "建设高品质孵化载体", "加快新型基础设施建设", "推进企业数字化转型"]
    first = items[0]
    assert first.excerpt.endswith("完成时限：2023年12月底")
    assert _who(first) == (None, ["区投资促进局", "区工信局", "区发改委", "各产业园区"], [],
                           date(2023, 12, 31))
    assert _targets(first) == [("新签约亿元以上项目", ">=", Decimal(30), "个"),
                               ("10亿元以上项目", ">=", Decimal(5), "个")]
    assert _who(items[5]) == (None, ["区科技局"], ["区企业服务中心"], date(2023, 12, 31))
    assert items[7].deadline == date(2023, 9, 30)  # 2023年第三季度
    assert _targets(items[7]) == [("科技创新引导基金规模", ">=", Decimal(5), "亿元"),
                                  ("科技型企业知识产权质押融资额", ">=", Decimal(10), "亿元")]
    assert _targets(items[10])[0] == ("企业上云用数赋智", ">=", Decimal(200), "家")
    assert _targets(items[9]) == [("5G基站", ">=", Decimal(300), "个"),
                                  ("工业互联网标识解析二级节点", ">=", Decimal(1), "个")]
    assert _who(items[10]) == (None, ["区工信局"], ["区科技局", "区财政局"], date(2023, 12, 31))


def test_speech_with_sequence_words() -> None:
    _, result = _extra("speech_sequence_words.txt", meeting_date=date(2023, 4, 12))
    assert [p.title for p in result.proposals] == [
        "坚定不移抓好招商引资", "加快在建项目进度", "加快新建项目开工", "持续用力优化营商环境",
        "新建三所幼儿园、改造提升两个农贸市场"]  # 最后 only orders 督查督办: no task
    investment, building, starting, business, livelihood = result.proposals
    assert _who(investment) == ("孙丽", ["区投资促进局"], ["各园区", "各街道"],
                                date(2023, 4, 30))
    assert _targets(investment) == [
        ("新签约亿元以上项目", ">=", Decimal(40), "个"),
        ("引进世界500强和行业龙头企业项目", ">=", Decimal(10), "个"),
        ("实际到位内资", ">=", Decimal(150), "亿元")]
    assert building.excerpt.startswith("一方面，")
    assert building.deadline == date(2023, 6, 30)
    assert starting.excerpt.startswith("另一方面，")
    assert _targets(starting) == [("新开工项目", ">=", Decimal(30), "个")]
    assert _who(business) == (None, ["区行政审批局"], ["区发改委", "区市场监管局"],
                              date(2023, 6, 30))
    assert _targets(business) == [("项目审批时间", "<=", Decimal(30), "工作日"),
                                  ("为企业减负", ">=", Decimal(5), "亿元")]
    assert _who(livelihood) == ("周敏", ["区教育局", "区商务局"], [], date(2023, 9, 30))
    assert _targets(livelihood) == [("幼儿园", ">=", Decimal(3), "所"),
                                    ("改造提升农贸市场", ">=", Decimal(2), "个"),
                                    ("民生实事", ">=", Decimal(10), "件")]


def test_wrapped_crlf_minutes_with_top_level_bracketed_items() -> None:
    _, result = _extra("minutes_top_level_wrapped.txt", meeting_date=date(2023, 5, 8))
    items = [p for p in result.proposals if p.excerpt.startswith("（")]
    assert [p.title for p in items] == [
        "园区道路建设", "污水处理厂扩容", "人才公寓建设", "环境综合整治", "中小企业产业园建设",
        "资金保障", "智慧园区平台建设", "安全生产隐患排查", "项目手续办理"]
    roads = items[0]
    assert "\r\n" in roads.excerpt
    assert _who(roads) == ("郑凯", ["规划建设局"], ["财政局", "园区发展集团"], date(2023, 10, 31))
    # 创新大道、科技三路等8条园区道路: the figure totals the list
    assert _targets(roads) == [("园区道路建设", ">=", Decimal(8), "条"),
                               ("道路建设投资", ">=", Decimal(6), "亿元"),
                               ("新建改建道路", ">=", Decimal(12), "公里")]
    assert _who(items[3]) == (None, ["综合执法局"], ["生态环境局", "各社区"], date(2023, 5, 31))
    assert _targets(items[5]) == [("统筹安排基础设施建设资金", ">=", Decimal(10), "亿元"),
                                  ("专项债券资金", ">=", Decimal(5), "亿元")]
    assert _who(items[7]) == ("黄蓉", ["综合执法局", "规划建设局"], ["各社区"], date(2023, 7, 15))
    assert not any("出席" in p.excerpt for p in result.proposals)


def test_standing_committee_minutes_with_approvals_and_closing_oversight() -> None:
    _, result = _extra("standing_committee_minutes.txt")
    assert result.year == 2023
    assert [p.title for p in result.proposals] == [
        "高新区2023年城市更新行动方案", "加快先进制造业高质量发展的若干政策", "乡村振兴工作",
        "中央生态环境保护督察反馈问题整改工作", "设立产业发展基金工作", "干部教育培训工作",
        "优化营商环境工作", "防汛备汛工作"]  # neither 会议认为 nor 督查室要加强跟踪督办
    renewal, industry, rural, rectify, fund, _, _, flood = result.proposals
    assert _who(renewal) == ("王海涛", ["区住建局"], ["区自然资源局", "区财政局"],
                             date(2023, 7, 31))  # 由区委常委、副区长王海涛牵头
    assert _targets(renewal) == [("启动城市更新片区", ">=", Decimal(8), "个"),
                                 ("改造老旧小区", ">=", Decimal(35), "个"),
                                 ("改造提升农贸市场", ">=", Decimal(2), "个"),
                                 ("新增公共停车泊位", ">=", Decimal(2000), "个")]
    assert _who(industry) == ("张卫东", ["区工信局"], ["区科技局", "区市场监管局"],
                              date(2023, 9, 30))  # 请张卫东、周晓梅同志牵头
    assert _targets(industry) == [("企业上云用平台", ">=", Decimal(200), "家"),
                                  ("技术改造项目", ">=", Decimal(50), "个"),
                                  ("培育“专精特新”企业", ">=", Decimal(20), "家")]
    assert _who(rural) == ("陈立新", ["区农业农村局"], ["区财政局", "区生态环境局"],
                           date(2023, 12, 31))  # 分管领导：区委常委陈立新
    assert _targets(rural) == [("高标准农田", ">=", Decimal("1.2"), "万亩"),
                               ("村级集体经济收入", ">=", Decimal(20), "万元"),
                               ("农村生活污水治理率", ">=", Decimal(75), "%")]
    assert _who(rectify) == (None, ["区生态环境局"], [], date(2023, 6, 30))  # not 各相关部门
    assert _who(fund) == ("李红", ["区财政局", "区国资集团"], [], date(2023, 8, 15))
    assert _targets(fund) == [("产业发展引导基金规模", ">=", Decimal(10), "亿元"),
                              ("首期到位资金", ">=", Decimal(3), "亿元")]
    assert _who(flood) == (None, ["区应急管理局"], ["区水务局", "各乡镇"], date(2023, 5, 15))
    text = (EXTRA / "standing_committee_minutes.txt").read_text(encoding="utf-8")
    low = parse_minutes(text, include_low_confidence=True).proposals
    closing = [p for p in low if p.start > flood.end]
    assert [p.title for p in closing] == ["切实担负起管党治党政治责任", "按照会议要求抓好落实",
                                          "加强跟踪督办"]
    assert all(p.confidence < 0.5 for p in closing)
    assert closing[1].units == []  # 各单位 is no unit in particular


def test_midyear_speech_with_nested_numbering() -> None:
    _, result = _extra("midyear_speech.txt")
    assert result.year == 2023  # （2023年7月6日）
    assert [p.title for p in result.proposals] == [
        "加快重点项目建设", "抓好新开工项目", "强化要素保障", "推动制造业数字化转型",
        "培育壮大市场主体", "做强现代服务业", "办好教育卫生实事", "抓好稳岗就业", "抓好安全生产",
        "打好污染防治攻坚战", "做好信访维稳"]  # 上半年工作简要回顾 is a review
    assert [p.category for p in result.proposals[:4]] == ["项目攻坚"] * 3 + ["产业升级"]
    projects, starts, factors, digital, firms, services = result.proposals[:6]
    assert _who(projects) == (None, ["区发改委"], ["区住建局", "区自然资源局"],
                              date(2023, 9, 30))
    assert _who(starts) == ("赵明", ["区发改委"], ["区行政审批局"], date(2023, 12, 31))
    assert _targets(starts) == [("新开工亿元以上项目", ">=", Decimal(20), "个"),
                                ("10亿元以上项目", ">=", Decimal(3), "个")]
    assert _who(factors) == (None, ["区财政局", "区自然资源局"], [], date(2023, 9, 30))
    assert _who(digital) == (None, ["区工信局"], ["区科技局"], date(2023, 10, 31))
    assert _targets(digital) == [("企业上云用数", ">=", Decimal(150), "家"),
                                 ("智能工厂和数字化车间", ">=", Decimal(12), "个")]
    assert _targets(firms)[2] == ("天使投资基金规模", ">=", Decimal(3), "亿元")
    assert _targets(services)[0] == ("改造提升商业街区", ">=", Decimal(3), "个")
    pollution = result.proposals[9]
    assert _targets(pollution) == [("空气质量优良天数比例", ">=", Decimal(80), "%"),
                                   ("PM2.5平均浓度", "<=", Decimal(35), "微克/立方米"),
                                   ("新增城市绿地面积", ">=", Decimal(30), "万平方米")]
    assert not pollution.targets[1].cumulative
    assert result.proposals[-1].units == []  # 各乡镇、各部门要…


def test_supervision_notice_with_bracketed_labels() -> None:
    _, result = _extra("supervision_notice.txt")
    assert result.year == 2023  # dated 2023年9月15日, though it plans 2024年重点项目
    assert [p.title for p in result.proposals] == [
        "加快推进科创大道东延工程建设", "加快标准厂房招商", "推动“专精特新”企业梯度培育",
        "实施老旧小区改造提升工程", "设立规模2亿元的人才发展专项资金", "开展冬季安全生产大检查",
        "做好冬季供暖保障", "完成2024年重点项目谋划储备", "推进智慧园区二期建设",
        "做好重点群体就业帮扶"]  # the 工作要求 and the date line set no task
    road, leasing, specialised, estates, talent, safety, heating, plans = result.proposals[:8]
    assert _who(road) == ("钱振华", ["规划建设局"], ["财政局", "园区发展集团"],
                          date(2023, 12, 20))
    assert _who(leasing) == ("孙立军", ["招商服务局"], ["经济发展局", "各街道"],
                             date(2023, 12, 31))
    assert _targets(leasing) == [("新引进中小企业", ">=", Decimal(40), "家"),
                                 ("标准厂房出租率", ">=", Decimal(85), "%")]
    assert _who(specialised) == (None, ["经济发展局"], ["科技创新局"], date(2023, 11, 30))
    assert _targets(specialised) == [("新增省级专精特新中小企业", ">=", Decimal(15), "家"),
                                     ("企业开展数字化诊断", ">=", Decimal(100), "家")]
    assert _targets(estates)[0] == ("改造提升老旧小区", ">=", Decimal(12), "个")
    assert _who(talent) == ("李冬梅", ["人才工作局", "财政局"], [], date(2023, 10, 31))
    assert _targets(talent) == [("人才发展专项资金规模", ">=", Decimal(2), "亿元")]
    assert _who(safety) == (None, ["应急管理局"], ["规划建设局", "综合执法局", "各街道"],
                            date(2023, 12, 15))
    assert _who(heating) == ("孙立军", ["城市管理局"], ["园区发展集团"], date(2023, 11, 15))
    assert _who(plans) == (None, ["经济发展局"], ["管委会各部门"], date(2023, 12, 25))


def test_government_report_work_section() -> None:
    text, result = _extra("government_report_tasks.txt")
    assert result.year == 2024
    assert all(p.start > text.index("二、2024年重点工作") for p in result.proposals)
    assert [p.title for p in result.proposals] == [
        "地区生产总值增长7%左右",  # the expected targets; the review of 2023 gives nothing
        "加快重大项目建设", "强化要素保障", "提升招商质效", "壮大创新主体", "建设创新平台",
        "推进数字化转型", "完善基础设施", "改造老旧小区", "提升生态环境", "办好教育卫生事业",
        "促进就业增收", "兜牢民生底线", "深化重点领域改革", "扩大高水平开放", "提升政务服务效能"]
    goals, projects = result.proposals[:2]
    assert _targets(goals) == [("地区生产总值增长", "=", Decimal(7), "%"),
                               ("一般公共预算收入增长", ">=", Decimal(6), "%"),
                               ("固定资产投资增长", ">=", Decimal(10), "%"),
                               ("城镇居民人均可支配收入增长", ">=", Decimal("6.5"), "%"),
                               ("城镇登记失业率", "<=", Decimal("3.5"), "%")]
    assert projects.category == "抓项目扩投资"  # 坚定不移 is an adverb, not a verb
    assert _targets(projects) == [("重点项目", ">=", Decimal(150), "个"),
                                  ("年度投资", ">=", Decimal(320), "亿元"),
                                  ("新开工项目", ">=", Decimal(60), "个")]
    platforms = _by_title(result, "建设创新平台")
    assert _who(platforms) == (None, ["区科技局"], ["区财政局"], date(2024, 9, 30))
    assert _targets(platforms) == [("省级以上研发平台", ">=", Decimal(15), "个"),
                                   ("新增孵化载体面积", ">=", Decimal(10), "万平方米")]
    estates = _by_title(result, "改造老旧小区")
    assert _who(estates) == (None, ["区住建局"], ["各街道"], date(2024, 11, 30))
    assert _targets(estates) == [("改造老旧小区", ">=", Decimal(45), "个"),
                                 ("惠及居民", ">=", Decimal("1.2"), "万户"),
                                 ("加装电梯", ">=", Decimal(100), "部")]  # 部 counts lifts
    assert _targets(_by_title(result, "促进就业增收")) == [
        ("城镇新增就业", ">=", Decimal("1.5"), "万人"),
        ("开展职业技能培训", ">=", Decimal(2), "万人次"),
        ("发放创业担保贷款", ">=", Decimal(2), "亿元")]
    assert _targets(_by_title(result, "兜牢民生底线"))[0] == (
        "发放各类救助资金", ">=", Decimal(8000), "万元")
    reform = _by_title(result, "深化重点领域改革")
    assert _who(reform) == (None, ["区国资局"], ["区财政局", "区委编办"], date(2024, 6, 30))


def test_mayor_office_minutes_without_numbering() -> None:
    text, result = _extra("mayor_office_minutes.txt")
    assert [p.title for p in result.proposals] == [
        "加快推进征收扫尾工作", "会议同意区财政局提出的资金安排方案", "加强资金绩效管理",
        "设立规模3亿元的中小企业转贷应急资金", "制定整治提升工作方案", "推动老旧小区物业服务全覆盖",
        "实行“以商招商、以企引企”", "会议原则同意区教育局提出的建设方案", "倒排工期",
        "做好手续办理和质量监管等服务保障工作",
        "对全区低洼易涝点、在建工地、地下空间开展拉网式排查",
        "按照“一场一策”原则推进农贸市场标准化改造"]
    # the meeting's date (3月22日下午), its views (会议指出/认为) and the closing set no task
    assert all(p.start > text.index("会议研究了城北") for p in result.proposals)
    assert not any("会议认为" in p.excerpt or "督查室" in p.excerpt for p in result.proposals)
    expropriation, _, funds, loans, lanes, property_, leasing = result.proposals[:7]
    assert _who(expropriation) == ("刘洋", ["区征收办"], ["城北街道", "区自然资源局"],
                                   date(2024, 6, 30))  # 由副区长刘洋牵头
    assert _who(funds) == (None, ["区财政局"], ["区发改委"], date(2024, 9, 30))
    assert _who(loans) == (None, ["区金融办"], ["区财政局", "区城投集团"], date(2024, 5, 31))
    assert _targets(loans) == [("中小企业转贷应急资金规模", ">=", Decimal(3), "亿元"),
                               ("为中小企业提供转贷服务", ">=", Decimal(200), "家次")]
    assert _who(lanes) == ("王强", ["区城管局"], ["各街道"], date(2024, 12, 31))  # 由王强负责协调
    assert _targets(lanes) == [("背街小巷整治提升", ">=", Decimal(30), "条"),
                               ("改造雨污管网", ">=", Decimal(12), "公里")]
    assert _who(property_) == ("陈雪梅", ["区住建局"], ["各街道"], date(2024, 10, 31))
    assert _who(leasing) == ("李华", ["区投资促进局"], ["区城投集团", "各园区"],
                             date(2024, 12, 31))
    flood, markets = result.proposals[-2:]
    assert _who(flood) == (None, ["区应急管理局"], ["区水务局", "区住建局"], date(2024, 5, 15))
    assert _targets(flood) == [("重大隐患整改率", ">=", Decimal(100), "%"),
                               ("储备防汛物资", ">=", Decimal(50), "万元")]
    assert _who(markets) == ("王强", ["区商务局"], ["区市场监管局", "相关街道"],
                             date(2024, 10, 31))  # 由王强牵头


def test_supervision_bulletin_with_tables() -> None:
    text, result = _extra("supervision_bulletin_table.txt")
    # 总体情况 and 存在的问题 report; each table row is one task
    assert all(p.start > text.index("三、下一步督办事项") for p in result.proposals)
    assert [p.title for p in result.proposals] == [
        "加快智能制造产业园二期建设", "新签约亿元以上产业项目不少于20个", "完成城南安置小区交房",
        "新增高新技术企业申报60家以上", "开展燃气安全专项整治", "建成投用社区嵌入式养老服务中心5个",
        "完成河道综合治理8公里", "推进城市更新", "制定重点项目审批服务专员制度",
        "完成园区控制性详细规划修编", "出台促进民营经济发展十条措施",
        "建立重点企业“服务专员”包联机制", "开展园区闲置厂房和低效用地专项清查"]
    first, signing = result.proposals[:2]
    assert first.excerpt == ("1\t加快智能制造产业园二期建设，完成主体结构封顶\t刘洋\t区发改局"
                             "\t区住建局、区自然资源局\t2024年6月30日")
    assert _who(first) == ("刘洋", ["区发改局"], ["区住建局", "区自然资源局"], date(2024, 6, 30))
    assert _who(signing) == ("李华", ["区投资促进局"], ["各街道"], date(2024, 6, 30))
    assert _targets(signing) == [("新签约亿元以上产业项目", ">=", Decimal(20), "个"),
                                 ("实际到位资金", ">", Decimal(80), "亿元")]
    elderly = result.proposals[5]
    assert _targets(elderly) == [("社区嵌入式养老服务中心", ">=", Decimal(5), "个")]
    assert _who(elderly) == ("张敏", ["区民政局"], ["区卫健委"], date(2024, 12, 31))
    assert _targets(result.proposals[6]) == [("河道综合治理", ">=", Decimal(8), "公里"),
                                             ("消除黑臭水体", ">=", Decimal(3), "处")]
    # the second table: cells apart by runs of spaces, relative and quarterly deadlines
    approval, planning = result.proposals[8:10]
    assert _who(approval) == (None, ["区行政审批局"], [], date(2024, 6, 30))
    assert _who(planning) == (None, ["区自然资源局"], [], date(2024, 9, 30))
    assert _targets(result.proposals[-1]) == [("清理处置闲置厂房", ">=", Decimal(10), "万平方米")]


def test_speech_with_sequences_inside_sections_and_guarantees() -> None:
    text, result = _extra("speech_sections_with_sequences.txt")
    assert all(p.start > text.index("二、全力推动") for p in result.proposals)  # 过去一年…
    assert [p.title for p in result.proposals] == [
        "做强主导产业", "加快布局低空经济", "培育人工智能企业", "建设生物医药中试平台",
        "提升服务业能级", "推动数字经济和实体经济深度融合", "实行重大项目“赛马”机制",
        "推行“拿地即开工”审批模式", "争取专项债券资金不少于20亿元", "完成土地征收2000亩",
        "优化营商环境", "新建中小学校3所", "推进集团化办学", "健全养老服务体系", "稳定扩大就业",
        "深化安全生产治本攻坚", "强化资金保障"]
    leading, air, ai, pilot = result.proposals[:4]
    assert _who(leading) == (None, ["区工信局"], ["区投资促进局"], None)
    # 1.…；2.…；3.…。由区科技局牵头…: the assignment after the list covers every item
    assert _who(air) == (None, ["区科技局"], ["区发改委", "区财政局"], date(2024, 6, 30))
    assert _who(ai) == (None, ["区科技局"], ["区发改委", "区财政局"], None)
    assert _targets(pilot) == [("中试平台", ">=", Decimal(2), "个")]
    assert air.category == "产业强链"
    digital = _by_title(result, "深度融合")
    assert _targets(digital) == [("企业实施数字化改造", ">=", Decimal(200), "家"),
                                 ("智能工厂", ">=", Decimal(5), "个"),
                                 ("数字化车间", ">=", Decimal(20), "个")]
    race, approval = result.proposals[6:8]
    assert _who(race) == ("刘洋", ["区发改委"], ["区行政审批局"], date(2024, 3, 31))
    assert _who(approval) == ("刘洋", ["区发改委"], ["区行政审批局"], None)
    assert _targets(approval) == [("审批时间", "<=", Decimal(15), "工作日")]
    schools = _by_title(result, "新建中小学校")
    assert _who(schools) == (None, ["区教育局"], ["区住建局", "区财政局"], date(2024, 8, 31))
    assert _targets(schools) == [("中小学校", ">=", Decimal(3), "所"),
                                 ("新增学位", ">=", Decimal(5400), "个")]
    funds = result.proposals[-1]
    assert _who(funds) == (None, ["区财政局"], [], date(2024, 4, 30))
    assert _targets(funds) == [("统筹安排产业发展专项资金", ">=", Decimal(5), "亿元")]
    low = parse_minutes(text, include_low_confidence=True).proposals
    exhortations = [p for p in low if p.start > text.index("三、保障措施")]
    assert [(p.title, p.confidence) for p in exhortations] == [
        ("加强组织领导", 0.4), ("强化资金保障", 0.9), ("严明工作纪律", 0.4), ("营造良好氛围", 0.4)]


@pytest.mark.parametrize(("body", "who"), [
    ("抓好城市更新。由王强牵头，区住建局负责。", ("王强", ["区住建局"], [])),
    ("抓好城市更新。王强负责协调，区住建局配合。", ("王强", [], ["区住建局"])),
    ("抓好城市更新。由欧阳明牵头，区住建局负责。", ("欧阳明", ["区住建局"], [])),
    ("抓好城市更新。由高校负责，区住建局配合。", (None, [], ["区住建局"])),
    ("抓好城市更新。由施工方负责，区住建局配合。", (None, [], ["区住建局"])),
    ("抓好城市更新。具体负责的区住建局要加强协调。", (None, [], [])),
])
def test_leads_named_without_post(body: str, who: tuple[str | None, list[str], list[str]]) -> None:
    p = _item(body)
    assert p.title == "抓好城市更新"
    assert (p.lead, p.units, p.cooperating) == who


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


@pytest.mark.parametrize(("phrase", "target"), [
    ("新建三所学校", ("学校", ">=", Decimal(3), "所")),
    ("打造两个孵化基地", ("孵化基地", ">=", Decimal(2), "个")),
    ("办好十件民生实事", ("民生实事", ">=", Decimal(10), "件")),
    ("建成二十个示范点", ("示范点", ">=", Decimal(20), "个")),
    ("引进企业100余家", ("引进企业", ">=", Decimal(100), "家")),
    ("新签约项目10多个", ("新签约项目", ">=", Decimal(10), "个")),
    ("建设离岸孵化基地5个", ("离岸孵化基地", ">=", Decimal(5), "个")),
    ("新建改建道路12公里", ("新建改建道路", ">=", Decimal(12), "公里")),
    ("建设用地控制在500亩以内", ("建设用地", "<=", Decimal(500), "亩")),
])
def test_spelled_and_approximate_figures_and_verbs(
        phrase: str, target: tuple[str, str, Decimal, str]) -> None:
    assert _targets(_item(f"加快发展，{phrase}。")) == [target]


@pytest.mark.parametrize("phrase", ["梅兰三期安置房分配到位", "增强“四个意识”", "抓好以下三个方面"])
def test_spelled_numbers_that_are_no_targets(phrase: str) -> None:
    assert _item(f"加快发展，{phrase}。").targets == []


def test_relative_deadlines_need_the_meeting_date() -> None:
    text = "一要加快开工，本月底前完成；二要抓好竣工，下个月底前完成；三要抓好验收，本季度内完成。"
    result = parse_minutes(text, meeting_date=date(2023, 12, 5))
    assert [p.deadline for p in result.proposals] == [
        date(2023, 12, 31), date(2024, 1, 31), date(2023, 12, 31)]
    undated = parse_minutes(text, year=2023)
    assert [p.deadline for p in undated.proposals] == [None, None, None]
    assert _item("加快项目建设，春节前完成主体工程。").deadline is None


def test_hard_wrapped_lines_are_joined_but_offsets_stay() -> None:
    body = ("一要加快重大项目开工建设，全年新开工项目不少于10个，由区发改局负责，6月底前完成。"
            "二要抓好竣工投产，竣工项目不少于8个，由区住建局牵头，区财政局配合，年底前完成。"
            "三要盘活低效用地，今年盘活低效用地不少于500亩，由区自然资源局负责。")
    wrapped = "\n".join(body[i:i + 17] for i in range(0, len(body), 17))
    text = "在全区项目建设推进会上的讲话\n" + wrapped + "\n同志们，让我们奋勇争先！"
    result = parse_minutes(text, year=2023)
    assert [p.title for p in result.proposals] == ["加快重大项目开工建设", "抓好竣工投产",
                                                   "盘活低效用地"]
    first, second, third = result.proposals
    assert "\n" in first.excerpt and first.excerpt.replace("\n", "") == body[:body.index("二要")]
    assert (first.units, first.deadline) == (["区发改局"], date(2023, 6, 30))
    assert _who(second) == (None, ["区住建局"], ["区财政局"], date(2023, 12, 31))
    assert _targets(third) == [("盘活低效用地", ">=", Decimal(500), "亩")]
    for p in result.proposals:
        assert text[p.start:p.end] == p.excerpt


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


@pytest.mark.parametrize(("body", "who"), [
    ("抓好城市更新。由区委常委、副区长王某某牵头，区住建局负责。", ("王某某", ["区住建局"], [])),
    ("抓好城市更新。分管领导：张三", ("张三", [], [])),
    ("抓好城市更新。请张三、李四同志牵头，区住建局负责。", ("张三", ["区住建局"], [])),
    ("抓好城市更新。由**同志牵头，区住建局负责。", ("**", ["区住建局"], [])),
    ("抓好城市更新。由副区长李四负责，区财政局具体承办，各乡镇配合。",
     ("李四", ["区财政局"], ["各乡镇"])),
    ("抓好城市更新。各单位、各部门要加强协作。", (None, [], [])),
    ("抓好城市更新。由区住建局牵头，各相关部门按职责分工负责。", (None, ["区住建局"], [])),
    ("抓好城市更新（牵头领导：张三 牵头单位：区住建局 配合单位：区财政局、区交通局）。",
     ("张三", ["区住建局"], ["区财政局", "区交通局"])),
])
def test_lead_forms_and_generic_subjects(
        body: str, who: tuple[str | None, list[str], list[str]]) -> None:
    p = _item(body)
    assert p.title == "抓好城市更新"
    assert (p.lead, p.units, p.cooperating) == who


def test_oversight_instructions_are_no_tasks() -> None:
    text = ("一、重点工作\n一要开展重点项目专项督办，由区委督查室牵头，6月底前完成。\n"
            "二要抓好招商引资，新签约项目不少于10个。\n"
            "各单位要按照会议要求抓好落实。区委督查室要加强跟踪督办，定期通报进展。")
    result = parse_minutes(text, year=2023)
    assert [p.title for p in result.proposals] == ["开展重点项目专项督办", "抓好招商引资"]
    assert result.proposals[0].units == ["区委督查室"]


@pytest.mark.parametrize(("phrase", "target"), [
    ("推动200家以上企业上云", ("企业上云", ">=", Decimal(200), "家")),
    ("引进50家以上高新技术企业", ("引进高新技术企业", ">=", Decimal(50), "家")),
    ("设立规模5亿元的科技创新引导基金", ("科技创新引导基金规模", ">=", Decimal(5), "亿元")),
    ("改造提升两个农贸市场", ("改造提升农贸市场", ">=", Decimal(2), "个")),
    ("实施重点项目120个", ("重点项目", ">=", Decimal(120), "个")),
])
def test_counted_nouns_sizes_and_verbs(phrase: str, target: tuple[str, str, Decimal, str]) -> None:
    assert _targets(_item(f"加快发展，{phrase}。")) == [target]


@pytest.mark.parametrize("phrase", ["新签约10亿元以上项目", "每名区级领导联系两个以上重点企业"])
def test_size_classes_and_rates_are_no_counts(phrase: str) -> None:
    assert _item(f"加快发展，{phrase}。").targets == []


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


def test_a_text_that_names_no_year_takes_the_year_of_the_callers_today() -> None:
    undated = "一要加快开工，6月底前完成；二要抓好竣工。"
    result = parse_minutes(undated, today=date(2031, 3, 1))
    assert (result.year, result.proposals[0].deadline) == (2031, date(2031, 6, 30))
    assert parse_minutes(undated, year=2030, today=date(2031, 3, 1)).year == 2030
    with pytest.raises(ValueError, match="names no year"):
        parse_minutes(undated)  # the parser never reads the clock


def test_to_dict_is_json_ready(speech_000: tuple[str, ParseResult]) -> None:
    data = json.loads(json.dumps(speech_000[1].to_dict(), ensure_ascii=False))
    assert data["year"] == 2022
    offshore = next(p for p in data["proposals"] if p["lead"] == "潘爱民")
    assert offshore["targets"][0] == {"metric": "离岸孵化基地", "comparator": ">=",
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
             "，", "。", "；", "：", "\n", "\r\n", "\u3000", " ", "同志们", "了", "一方面",
             "另一方面", "本月底", "下个月底", "三所", "两个", "10多个", "新建", "学校", "、",
             "牵头单位：", "完成时限：", "出席："]


def _check_invariants(text: str) -> None:
    result = parse_minutes(text, year=2022, meeting_date=date(2022, 12, 20),
                           include_low_confidence=True)
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
