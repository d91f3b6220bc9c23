"""Minutes parser: turns a leader's speech or meeting minutes (督查督办) into proposed tasks.

The parser is purely textual and deterministic (no I/O, no network). It works on a normalised
copy of the text in which every character is replaced by exactly one character (full-width
digits and spaces, ％, \\r …), so every offset found in the copy is also an offset into the
original text. Hard-wrapped text (copied from a PDF: lines cut mid-sentence) is then read
without its soft line breaks; every offset is mapped back, so ``text[start:end] == excerpt``
holds for every proposal (the excerpt keeps the line breaks).

How a text is read:

1. Paragraphs whose first characters are a heading number (一、, 第一部分 or （一）) cut the
   text into segments. The innermost heading gives a segment its category; a heading that
   reviews the past (a past year, 回顾, 成绩 …) mutes its whole segment. Where sibling
   headings each head one short paragraph (minutes: 一、关于…。会议要求…由X牵头…), each such
   section is one task titled by its heading, unless it holds numbered items.
2. Numbered items (一要/二是/三看, 首先/其次, 一方面, 第一，, 1./1）, （1）, ①, inline （一）/一、)
   are chained into sequences that count 1, 2, 3 …; where sequences nest, the innermost items
   become the proposals and inherit what their parent item assigns (lead, units, deadline).
3. A table (a header 序号 督办事项 责任单位 完成时限, cells apart by tabs or runs of spaces)
   gives one task per row; its column names read as the labels of label lines.
4. Outside items, sentences that carry quantitative targets become proposals (the 必保目标 of an
   opening paragraph). A section with no numbered item falls back on its directive sentences
   (要…, 必须…, 确保…, 力争…) that have concrete content.
5. Each proposal gets its targets, lead leader, responsible and cooperating units, deadline and
   a confidence; proposals under ``MIN_CONFIDENCE`` are dropped unless asked for. Closing
   instructions that only order follow-up (督查室要加强跟踪督办) and, under a 保障措施 heading,
   exhortations without target, unit or date (加强组织领导) get a confidence under it.
"""

from __future__ import annotations

import bisect
import calendar
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = ["MIN_CONFIDENCE", "ParseResult", "Proposal", "ProposedTarget", "parse_minutes"]

MIN_CONFIDENCE = 0.5
TITLE_MAX = 40  # longer lead clauses are cut: a title names the task, the excerpt holds it
SUBJECT_MAX = 10  # a modal verb opens a clause when at most this many characters precede it


@dataclass
class ProposedTarget:
    """One quantitative target of a proposal, e.g. 新签约亿元以上产业项目 >= 60 个."""

    metric: str
    comparator: str  # one of ">=", ">", "<=", "<", "="
    value: Decimal | None  # None when the figure is masked ("**％"): never invent a number
    unit: str
    cumulative: bool  # counts and amounts accumulate month by month; rates do not


@dataclass
class Proposal:
    """One task proposed from the text, with its verbatim excerpt and code-point offsets."""

    title: str
    category: str
    excerpt: str
    start: int
    end: int
    lead: str | None
    units: list[str]
    cooperating: list[str]
    deadline: date | None
    targets: list[ProposedTarget]
    confidence: float


@dataclass
class ParseResult:
    """The proposals of one text and the year its deadlines were resolved in."""

    year: int
    proposals: list[Proposal] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: ISO dates, values as int when integral else float."""
        return {"year": self.year, "proposals": [_proposal_dict(p) for p in self.proposals]}


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _proposal_dict(p: Proposal) -> dict[str, Any]:
    return {
        "title": p.title,
        "category": p.category,
        "excerpt": p.excerpt,
        "start": p.start,
        "end": p.end,
        "lead": p.lead,
        "units": list(p.units),
        "cooperating": list(p.cooperating),
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "targets": [
            {"metric": t.metric, "comparator": t.comparator,
             "value": _json_number(t.value), "unit": t.unit}
            for t in p.targets
        ],
        "confidence": p.confidence,
    }


# --------------------------------------------------------------------------------------------
# Normalisation: one character in, one character out, so offsets survive.

def _normaliser() -> dict[int, str]:
    table = {0xFF10 + i: str(i) for i in range(10)}
    table.update({0xFF21 + i: chr(ord("A") + i) for i in range(26)})
    table.update({0xFF41 + i: chr(ord("a") + i) for i in range(26)})
    table.update({ord(k): v for k, v in {
        "\u3000": " ", "\xa0": " ", "\t": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n",
        "％": "%", "．": ".", "＊": "*", "(": "（", ")": "）", ";": "；", ":": "：",
        "?": "？", "!": "！",
    }.items()})
    return table


_NORMALISE = _normaliser()

# Hard wraps. Text copied from a PDF breaks its lines wherever the page ended; such a break is
# no paragraph end. The parser reads a copy without those breaks and maps offsets back.
_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_SENTENCE_CLOSED = re.compile(r"[。！？；：…][”’」』）》]*$")
_MID_SENTENCE_END = re.compile(r"[，、,“‘《（—]$")  # a line ending so is surely cut
# Label lines (牵头单位：…) have no full stop. Task labels belong to the item above them; the
# attendance lines that close minutes (出席：…) set no task.
_TASK_LABEL = re.compile(
    r"(?:(?:牵头|责任|配合|协办|参与|主办|承办|分管)(?:单位|领导|部门|人)|责任人|完成时限|完成时间"
    r"|时间节点|时限要求)：")
_META_LINE = re.compile(r"(?:出席|列席|缺席|记录|主持|参加|参会|抄送|印发)(?:人员|单位)?：")
_WRAP_SHARE = 0.8  # a wrapped line fills at least this share of the typical line width
_WRAPPED_SHARE = 0.25  # a hard-wrapped text has at least this share of open-ended lines

# --------------------------------------------------------------------------------------------
# Vocabulary. Every pattern is general Chinese officialese, never a phrase of one speech.

_HAN = "\u4e00-\u9fff"
_CN = "一二三四五六七八九十"
_CN_VALUES = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}

_PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")
_HEADING_1 = re.compile(  # 一、… or 第一个问题：… / 第二部分 …
    rf"[{_CN}]{{1,3}}[、.](?![{_CN}])|第[{_CN}]{{1,3}}(?:个问题|部分|个方面)[：，、.]?")
_HEADING_2 = re.compile(rf"（([{_CN}]{{1,3}})）")
_SENTENCE_END = re.compile(r"[。！？]")
_CLAUSE_SEP = re.compile(r"[，；：。！？\n]|,(?![0-9]{3})")
_PIECE_SEP = re.compile(r"[。！？；]+[”’」』）]*")
_CLOSERS = "”’」』）"

# Numbered item markers; each named group is one family of numbering.
_MARKER = re.compile(
    rf"(?P<ov>[{_CN}]{{1,2}})(?P<ov_suffix>是要|是|要|看|抓)"  # 一要 / 二是 / 三看
    r"|(?P<fn>首先|其次|再次|最后)"  # 首先 … 其次 … 最后
    r"|(?P<side>另一方面|一方面)"  # 一方面 … 另一方面
    rf"|第(?P<di>[{_CN}]{{1,2}})(?=[，、：])"  # 第一，
    r"|(?P<ar>[0-9]{1,2})[.、）](?![0-9])"  # 1. / 1、 / 1）
    r"|（(?P<par>[0-9]{1,2})）"  # （1）
    r"|(?P<circ>[①-⑳])"  # ①
    rf"|（(?P<pcn>[{_CN}]{{1,3}})）"  # inline （一）; at a paragraph start it is a heading
    rf"|(?P<cnc>[{_CN}]{{1,2}})、(?![{_CN}])"  # inline 一、
)
_LAST = -1  # 最后 closes whatever list is running
_FIRST_NEXT = {"首先": 1, "其次": 2, "再次": 3, "最后": _LAST, "一方面": 1, "另一方面": 2}
_STRICT_FAMILIES = {"ar", "cnc"}  # "1." and "一、" only after a full stop, never after "，"
_INLINE_ONLY = {"pcn", "cnc"}  # at a paragraph start these are headings, not items
_BRACKETED = {"par", "circ", "pcn"}  # （1） and ① number a list wherever they stand
_RESUMING = {"ar", "par"}  # numberings that may run on across sections
_MIN_ITEM_CHARS = 4  # "一、二季度" is no list of two items
_BLOCK_MAX = 500  # a numbered paragraph longer than this is a theme with tasks, not one task

# A modal verb that opens a clause makes it a directive. 要 is not 主要/重要/要求/要素 ….
_YAO = r"(?<![主重只想紧必首纲提摘扼概不需简纪])要(?![求素点害是么闻务员件领])"
_MOOD = rf"一定要|必须|务必|需要|{_YAO}|(?<![所急必无])需(?!求)|应当"  # sets the mood only
_MEETING_SAYS = r"会议(?:要求|决定|同意|明确|议定|责成)"
_MODAL = re.compile(rf"{_MOOD}|确保|力争|争取|{_MEETING_SAYS}")
# Titles drop a mood modal (要, 必须) and its subject, but keep 确保/力争, which carry meaning.
_SUBJECT_OPENING = re.compile(
    rf"(?P<subject>[^，。；]{{0,30}}?)(?:{_MOOD}|(?:具体|牵头|统筹)?负责(?![人同]))")
_PREAMBLE_CLAUSE = re.compile(  # clauses that open a sentence but name no task
    r"20[0-9]{2}年度?|今年|全年|明年|新的一年|同时|此外|另外|(?:[0-9]{1,2}月底|年底)前?"
    r"|[^，。]*(?:目标|任务)(?:是|为)"  # 主要预期目标是：… opens a list of targets
    rf"|{_MEETING_SAYS}|会议(?:强调|指出|认为)")
_ABSTRACT_START = re.compile(
    r"(?:始终|牢固|时刻|自觉|进一步|一定|切实|认真)?"
    r"(?:坚持|树立|增强|认清|认识|把握|牢记|发扬|弘扬|保持|贯彻|学习|敢于|勇于|善于|筑牢|坚定"
    r"|有|做到|当好|争当|争做|发挥|高举|统一|提振|聚焦|防止|克服|担负|扛起|履行|增强|清醒|看到|意识到)"
)
_CONCRETE = re.compile(
    r"建立|建设|建成|完善|推进|推动|实施|开展|出台|制定|设立|引进|培育|打造|改造|完成|举办|加快"
    r"|组织|落实|编制|申报|化解|清理|整治|盘活|扩大|提高|提升|优化|降低|规范|加大|深化|探索|实行"
    r"|健全|强化|加强|梳理|办好|抓好|做好|推行|启动|开工|投产|招引|保障|解决|取得|实现|改进|压实"
    r"|查处|整改|培训|督查|考核|兑现"
)
_PAST = re.compile(r"(?<![为除])了(?![解却结])|去年|过去|年来|已经|上年|今年以来")
_AHEAD = r"今年|明年|年底|年内|目标|计划|力争|确保|必保"
_FUTURE = re.compile(rf"全年|{_AHEAD}")
# A paragraph that opens on a past time (过去一年，…) recounts it: its later sentences' 全年 is
# then last year's, unless they look ahead. 会议研究了… opens minutes' decisions: no past time.
_PAST_TIME = re.compile(r"去年|过去|年来|上年|今年以来")
_LOOKS_AHEAD = re.compile(_AHEAD)
# 会议指出/强调，…必须…: the meeting's view; its decisions (会议要求…由X负责) hold the tasks.
_MEETING_VIEW = re.compile(r"会议(?:指出|强调|认为)")
# The closing instructions of minutes (督查室要加强跟踪督办，各单位要按照会议要求抓好落实) watch
# over the tasks and are none themselves: they address the overseers or every unit, and name no
# target, date or leader.
_OVERSIGHT = re.compile(
    r"督查|督办|督导|通报|考核|问责|约谈|抓好落实|抓落实|狠抓落实|议定事项|会议要求|落地见效"
    r"|按期(?:保质)?完成|报送")
_OVERSEER = re.compile(r"督查|督办|督导|考核|办公室|纪委|监委")
_OVERSIGHT_ADDRESSEE = re.compile(
    r"督查室|督查组|督办|各(?:级|有关|相关)?(?:责任|牵头)?(?:单位|部门)")
_NON_TASK = re.compile(r"同志们|让我们|谢谢|感谢|敬意|致以|祝愿|祝大家")
_PROBLEM = re.compile(r"不足|不强|不高|不够|不优|偏小|偏少|偏弱|薄弱|滞后|较低|欠缺|短板|差距|问题")
_ASIDE_LEAD_IN = re.compile(r"存在[^。]*(?:问题|不足|差距|短板)|主要问题|议程|会议的主要任务")
_LEAD_IN_STOP = re.compile(r"[。！？；\n]")
_LEAD_IN_MAX = 200  # an introduction is a sentence or two; never read further back
# Minutes that approve a document (原则同意《…方案》) are titled by the document's name.
_APPROVAL = re.compile(r"^(?:原则同意|原则通过|审议通过|同意)《(.+)》$")
_REVIEW_HEADING = re.compile(
    r"回顾|成绩|成就|亮点纷呈|成效显著|来之不易|一年来|过去一年|工作情况|完成情况|总体情况|基本情况"
    r"|存在的?(?:主要)?问题|问题(?:和|与)不足")
# The closing section of a plan or speech (保障措施, 工作要求) exhorts: 加强组织领导, 营造良好氛围.
# There a proposal needs concrete data (a target, a unit, a date) to count as a task.
_SUPPORT_HEADING = re.compile(
    r"保障措施|保障机制|(?:工作|组织|机制|制度)保障|(?:工作|有关|几点)要求|组织实施")
_YEAR_MENTION = re.compile(r"(?<![0-9])(20[0-9]{2})(?:[-—–~～至到]20[0-9]{2})?年度?")
_HORIZON_BEFORE = "-—–~～至到"  # "到2025年", "2021-2023年": a horizon, not the document's year
# The date a text is signed or a meeting held: a date line of its own, or 2023年4月18日上午，…召开.
_DOC_DATE = re.compile(
    r"^ *（?(20[0-9]{2})年(1[0-2]|0?[1-9])月[0-9]{1,2}日(?:）?$|[上下]午|晚上|，[^。\n]{0,60}召开)",
    re.MULTILINE)
_DATE_LINE = re.compile(r"（?20[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日）?")  # a signature sets no task
_PLANS_AHEAD_FROM = 11  # a text dated in November or December may set next year's work

# Heading short forms: drop the leading verb of the heading's first clause.
_HEADING_VERB = re.compile(
    r"坚定不移|聚焦|坚持|确保|推进|推动|加快|强化|加强|统筹|补齐|抓好|做好|抓实|围绕|打造|提升|优化|深化"
    r"|狠抓|突出|培育|实施|构建|建立|完善|落实|持续|着力|聚力|扎实|切实|全力(?!以赴)|大力|全面|深入|激发"
    r"|促进|保障|扩大|夯实|筑牢|锚定|把握|抓住|提高|坚定|关于|实现|做强|做优|做大"
)
_HEADING_MODAL = re.compile(rf"(?<=.)(?:{_MOOD})")
_LEADING_MOOD = re.compile(rf"^(?:{_MOOD})")
_LIGHT_VERB = "有会守保做当"  # "必须有激情" -> "激情"

# Deadlines. Chinese-numeral months must not sit inside a word (统一月度 is no January).
_DEADLINE = re.compile(
    r"(?:(?P<year>20[0-9]{2})年|(?P<rel>今年|本年|明年))?"
    r"(?:(?<![0-9.])(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月份?"
    r"(?:(?P<day>3[01]|[12][0-9]|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
    r"|(?P<part>底|末|上旬|中旬|下旬))?"
    r"|第?(?P<quarter>[一二三四1-4])季度末?"
    r"|(?P<half>上半年|下半年)"
    r"|(?P<yearend>(?<=年)[底末]|年底|年末|(?<![一二三四五两0-9几])年内|年终)"
    r"|(?P<this>本月|当月|下个?月|(?<![0-9一二三四五六七八九十])(?=月[底末]))月?(?:底|末)"
    r"|(?P<this_quarter>本季度)末?)"
    r"(?:之前|以前|前)?"
)
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_PART_DAY = {"上旬": 10, "中旬": 20}
_MONTH_LEAD_INS = "年于在到至前今"
_TIME_OF_DAY = ("上午", "下午", "晚上")

# Quantitative targets.
_COMPARATOR_WORDS = {
    ">=": "不少于 不低于 不小于 不下于 至少 达到 达 提高到 提高至 提升到 提升至 增加到 增加至 增至"
          " 扩大到 扩大至",
    ">": "超过 高于 大于 多于 超出 突破 超",
    "<=": "不超过 不高于 不多于 不大于 控制在 压缩至 压缩到 压减至 压减到 缩短至 缩短到 降至 降到"
          " 降低到 降低至 下降到 下降至 减少到 减少至 减至",
    "<": "低于 少于 小于",
    "=": "保持在 稳定在",
}
_COMPARATOR_OF = {w: op for op, words in _COMPARATOR_WORDS.items() for w in words.split()}
_POST_COMPARATOR = {"以上": ">=", "以内": "<=", "以下": "<=", "内": "<=", "左右": "="}
_UNIT = (
    r"个百分点|百分点|[%‰]|个?工作日|小时"
    r"|微克/立方米|[万亿]?(?:美元|元|平方公里|平方米|立方米|公里|公顷|亩|吨|千瓦时|千瓦|人次|人|户|套"
    r"|辆|床|标箱)"
    r"|[家户场批]次|[个家场件项名所座条天栋台批次期张间宗处]|[万亿]"
)
_FIGURE = re.compile(
    "(?P<cmp>" + "|".join(sorted(_COMPARATOR_OF, key=len, reverse=True)) + ")?"
    rf"(?<![0-9.,*X{_CN}两百千万])"
    r"(?P<value>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|\*+|X{1,4}"
    r"|[两二三四五六七八九十]|[二三四五六七八九]?十[一二三四五六七八九]?)"
    r"(?P<approx>多|余)?"  # 10多个, 100余家: at least the round figure
    rf"(?P<unit>{_UNIT})"
    r"(?P<post>以上|以内|以下|左右|内)?"
)
_UNIT_ALIASES = {"个工作日": "工作日", "百分点": "个百分点"}
_NON_CUMULATIVE_UNITS = {"%", "‰", "个百分点", "工作日", "天", "小时", "微克/立方米"}
# 200家以上企业 counts firms: a count with 以上 before a noun is a target. 亿元以上项目 and
# 10万平方米以上厂房 measure each one: a size class inside the metric.
_COUNT_UNIT = re.compile(r"[个家户所座项名件条台套辆人批场期]|人次|户次|家次")
_BARE_RATE = re.compile(r"(?:同比|比上年)?(?:增长|增幅|增速|下降|提高)")
_RATE_METRIC = re.compile(r"增幅|增长|增速|占比|比重|率|比例|指数|幅度|平均|浓度|排名|名次")
_NOT_A_VALUE_BEFORE = "第前近每“"  # 第5次, 前10名, 近9年, 每5个, “12条”: ordinals, names
_NOT_A_VALUE_AFTER = "级多"  # 10亿级项目, 1万多: sizes and estimates, not targets
_GOAL_WORDS = re.compile(r"的?(?:目标|任务)")
# 设立规模5亿元的引导基金: the figure measures the noun after 的 -> 引导基金规模.
_SIZE_WORD = re.compile(r"(?:总)?(?:规模|面积|投资|容量|长度|金额)$")
_METRIC_LEAD_IN = re.compile(
    r"(?:、|和|及|并|以及|其中|同时|全年|今年|年内|全区|我区|全市|我们|要|需要|需|必须|务必|确保"
    r"|力争|争取|努力|积极|计划|围绕|实现|完成|累计|总计|使|让|推动|促进|带动)+"
)
# A verb of building or achieving is no part of what is counted (实施重点项目 -> 重点项目),
# unless it names a kind of thing (建设用地, 建设项目). 新签约/新开工/竣工/新增/引进 are kept:
# they say which ones count.
_METRIC_VERB = re.compile(
    r"(?:建设|新建|建成|完成|实现|打造|办好|办成|实施)(?:投用|投运)?(?![改扩续])"
    r"(?!用地|资金|投资|规模|项目|周期|进度|方案|细则|计划)")
_METRIC_TAIL = re.compile(r"(?:的|能否|是否|能不能|要|将|可|全部|均|都)+$")
_TARGET_VERB_END = re.compile(
    r"(?:新增|新建|新开工|开工|竣工|建成|建设|完成|办好|办成|实施|引进|招引|培育|打造|举办|开展"
    r"|组织|签约|申报|认定|创建|改造|提升|改建|扩建|整治|培训|帮扶|扶持|吸引|储备|招聘|安置|提供|发放"
    r"|盘活|处置|落地|安排|投入|筹集)$"
)

# People and units.
_LEAD = re.compile(rf"(?:^|(?<![自理缘经])由|请)(?P<names>[{_HAN}*X、]{{1,14}}?)同志"
                   r"[^，。；]{0,4}?(?:牵头|负责|抓总)")
_LEADER_TITLE = re.compile(
    r"书记|区长|县长|市长|镇长|乡长|主任|局长|部长|主席|委员|常委|秘书长|院长|行长|组长|指挥长"
    r"|总经理|董事长|处长|所长|队长")
# 由王强牵头 and 王强负责协调 name a person without a post: a surname, one or two characters,
# and no ending of a unit (由高校负责, 由施工方负责 name none).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严"
    "覃武戴莫孔汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿兰焦俞左柳甘祝舒阮柯梅童凌毕"
    "季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍喻祁蒲滕屈饶牟艾尤穆卓缪褚娄窦戚岑景费卜冷晏席卫米柏"
    "宗瞿桂佟臧闵苟邬卞姬栾隋刁巫寇桑郎甄仲虞敖巩佘池麻苑迟邝")
_LEAD_BY_NAME = re.compile(
    rf"(?:^|(?<![自理缘经])由|请)(?P<name>[{_SURNAMES}][{_HAN}]{{1,2}}?)"
    r"(?<![方校区局委办所院站队会部处科室厅司行厂组企村镇乡街场馆班团体])"
    r"(?:总|统筹|亲自|具体)?(?:牵头|负责|抓总)")
# 由常务副区长牵头 names a post; 由区委常委、副区长王海涛牵头 and 副区长李红负责 name the person
# after the post. Without 由 or 请 a post alone is a subject (各乡镇党委书记负责), not a lead.
_LEAD_BY_TITLE = re.compile(
    rf"(?:(?<![自理缘经])(?P<by>由|请)|^)(?P<post>[^，。；]{{0,12}}?(?:{_LEADER_TITLE.pattern}))"
    rf"(?P<name>[{_HAN}]{{2,3}}|\*+|X{{1,3}})?(?:同志)?(?:总|统筹|亲自|具体)?(?:牵头|负责|抓总)")
_ROLE = re.compile(
    r"(?:具体|总|统筹|全面|共同|主要|牵头|积极|全力)*"
    r"(?P<kw>负总责|负责(?![人同])|牵头(?!领导|单位|部门)|承办(?!单位)|配合(?!单位|部门)|参与(?!单位)"
    r"|协助|协同(?!单位)|协办)"
)
_LEAD_ROLES = {"负总责", "负责", "牵头", "承办"}
# 各单位, 相关部门, 管委会各部门, 各乡镇: every unit, so none in particular; a grader's list names
# real units, so these are never given as the responsible ones.
_GENERIC_UNIT = re.compile(
    rf"(?:[{_HAN}]{{0,4}}各级?|其他)?(?:相关|有关)?(?:责任|牵头|配合|协办|成员|职能|相关|有关)?"
    r"(?:单位|部门|乡镇|镇街|街道|乡镇（街道）)")
_SUBJECT_TAIL = re.compile(r"(?:要|需要|需|必须|务必|应当|主动|积极)+$")  # 区财政局要会同…
# Several labels may share a line (牵头领导：张三 牵头单位：区住建局 完成时限：…): a value ends at
# a space, a stop or the next label.
_LABEL = re.compile(
    r"(?P<label>牵头领导|责任领导|分管领导|责任人|牵头单位|牵头部门|责任单位|责任部门|主办单位"
    r"|承办单位|配合单位|配合部门|协办单位|协同单位|参与单位|完成时限|完成时间|时间节点|时限要求)"
    r"(?:：|为)"
)
_LABEL_VALUE = re.compile(r"[^；。）\s]+")
_LABEL_ROLE = {"牵头领导": "lead", "责任领导": "lead", "分管领导": "lead", "责任人": "lead",
               "牵头单位": "first", "牵头部门": "first", "责任单位": "unit", "责任部门": "unit",
               "主办单位": "unit", "承办单位": "unit", "配合单位": "coop", "配合部门": "coop",
               "协办单位": "coop", "协同单位": "coop", "参与单位": "coop"}
_ORG_LEAD_IN = re.compile(
    r"^(?:.*(?<![自理缘经])(?:由|请))?(?:这项工作|此项工作|该项工作|上述工作|以上工作|具体|并|同时"
    r"|其中|再)*"
)
_ORG_SEP = re.compile(r"、|以及|及|与")
_ORG_ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位)$")  # 区住建局等部门 -> 区住建局
_PEOPLE_SEP = re.compile(r"[，；。！？\n]")  # not ：, which binds a label to its value
_ORG_SUFFIXES = (
    "局", "委", "办", "中心", "部", "处", "室", "科", "所", "院", "站", "队", "组", "集团",
    "公司", "街道", "镇", "乡", "社区", "政府", "管委会", "委员会", "办公室", "部门", "单位",
    "银行", "协会", "商会", "专班", "指挥部", "机构", "学校", "医院", "镇街", "开发区",
    "高新区", "园区",
)
_NOT_ORG_ENDINGS = ("干部", "全部", "内部", "外部", "局部", "领导班子", "之间")
_ORG_CHARS = re.compile(rf"[{_HAN}A-Za-z0-9*X（）]+")
_NOT_ORG_CHARS = re.compile(r"的|了|着|是|在|要|同志|负责人|加强|加快|开展|做好|抓好|督办")
_ASSIGNMENT_OPENER = re.compile(
    r"(?:这项工作|此项工作|该项工作|上述工作|以上工作|具体)?(?:由(?![于此衷])|请)|牵头单位|责任单位"
    r"|牵头领导|责任领导|完成时限")
# A table (序号 督办事项 责任单位 完成时限, cells apart by tabs or spaces) lists one task a row;
# its column names are the labels of label lines, so a row reads as the task cell labelled.
_TASK_COLUMN = re.compile(
    r"(?:督办|重点|工作|具体|主要|目标)?(?:任务|事项|工作)(?:内容|名称|事项)?|工作目标|目标任务")
_OTHER_COLUMN = re.compile(r"序号|编号|备注|进展情况|推进情况|完成情况|工作措施|具体措施")
_CELL_GAP = re.compile(r"\S(?:\t| {2,}|\u3000{2,})\s*\S")  # cells, not words, are so far apart


# --------------------------------------------------------------------------------------------
# Small helpers.

def _cn_int(s: str) -> int:
    """Value of an Arabic numeral or a small Chinese one (一 … 九十九); 0 when unreadable."""
    if s.isascii() and s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_VALUES.get(s, 0)
    tens, _, ones = s.partition("十")
    return (_CN_VALUES.get(tens, 0) if tens else 1) * 10 + _CN_VALUES.get(ones, 0)


def _trim(norm: str, start: int, end: int) -> tuple[int, int]:
    while start < end and norm[start].isspace():
        start += 1
    while end > start and norm[end - 1].isspace():
        end -= 1
    return start, end


def _clause_spans(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for m in _CLAUSE_SEP.finditer(text):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def _clauses(text: str) -> list[str]:
    return [text[s:e].strip() for s, e in _clause_spans(text) if text[s:e].strip()]


def _cap(title: str) -> str:
    title = title.strip()
    # A clause cut at a comma may keep only one half of a pair of quotes.
    if title.startswith("“") and "”" not in title:
        title = title[1:]
    if title.endswith("”") and "“" not in title:
        title = title[:-1]
    # A clause cut at the colon of 抓好…（牵头领导：… keeps an open bracket: drop what it opens.
    opened = title.rfind("（")
    if opened > 0 and "）" not in title[opened:]:
        title = title[:opened]
    return title if len(title) <= TITLE_MAX else title[:TITLE_MAX] + "…"


def _drop_subject(text: str, min_rest: int) -> str:
    """``text`` without a subject-and-modal opening (要…, 区财政局要…, 区财政局负责…), unless
    too little (under ``min_rest`` characters) would be left."""
    m = _SUBJECT_OPENING.match(text)
    if m and len(text) - m.end() >= min_rest and (
            len(m["subject"]) <= SUBJECT_MAX or _org_list(m["subject"])):
        rest = text[m.end():]
        if rest.startswith("会同"):  # 区财政局要会同区发改委加强…: the partners name no task
            partners = _leading_orgs(rest[2:])
            joined = len("".join(partners)) + len(partners) - 1
            if partners and len(rest) - 2 - joined >= min_rest:
                return rest[2 + joined:]
        return rest
    return text


def _lead_clause(text: str) -> str:
    """The clause that names the task: the first one that is neither a time phrase nor an
    assignment (由X负责), without its subject-and-modal opening."""
    clauses = _clauses(text)
    named = [c for c in clauses if not _PREAMBLE_CLAUSE.fullmatch(c) and not _is_assignment(c)]
    clause = (named or clauses or [""])[0]
    return _cap(_drop_subject(clause, _MIN_ITEM_CHARS))


def _find_modal(text: str) -> re.Match[str] | None:
    """The first modal verb that opens a clause, after a subject of at most SUBJECT_MAX chars."""
    for cs, ce in _clause_spans(text):
        m = _MODAL.search(text, cs, ce)
        if m and m.start() - cs <= SUBJECT_MAX:
            return m
    return None


def _is_past(text: str, year: int) -> bool:
    """Does ``text`` speak of the past (了, 去年, an earlier year …)?"""
    if _PAST.search(text):
        return True
    return any(int(m.group(1)) < year for m in _YEAR_MENTION.finditer(text))


def _short_heading(text: str) -> str:
    """Short category from a heading: 聚焦项目建设，确保… -> 项目建设; 园区人必须有激情 -> 激情."""
    clause = next(iter(_clauses(text)), "").strip("“”\"")
    clause = _LEADING_MOOD.sub("", clause)  # 要全力以赴推进…: an item, not a heading, opens so
    m = _HEADING_MODAL.search(clause)
    if m:
        rest = clause[m.end():]
        if len(rest) >= 3 and rest[0] in _LIGHT_VERB:
            rest = rest[1:]
        return rest or clause
    # The first verb may follow a short adverbial idiom (大刀阔斧推进…); later ones must lead.
    limit = 5
    while True:
        m = _HEADING_VERB.search(clause, 0, limit + 2)
        if not m or m.start() >= limit or len(clause) - m.end() < 2:
            break
        clause = clause[m.end():].lstrip("和与及、")
        limit = 1
    if clause.startswith("在") and clause.endswith("方面"):
        clause = clause[1:-2]
    return clause


# --------------------------------------------------------------------------------------------
# Hard wraps.

def _opens_paragraph(line: str) -> bool:
    """Does a line start with a heading, an item marker or a label (牵头单位：…)?"""
    return bool(_HEADING_1.match(line) or _HEADING_2.match(line) or _MARKER.match(line)
                or _TASK_LABEL.match(line) or _META_LINE.match(line))


def _soft_break(line: str, nxt: str, indented: bool, width: float | None) -> bool:
    """Is the break between ``line`` and ``nxt`` (both stripped) a wrap inside a sentence?"""
    if not line or not nxt or _SENTENCE_CLOSED.search(line) or _opens_paragraph(nxt):
        return False
    if _TASK_LABEL.match(line) or _META_LINE.match(line):
        return False
    if _MID_SENTENCE_END.search(line):
        return True
    if indented or width is None:  # an indented line starts a paragraph
        return False
    # A short line is a title, a signature or a date; a heading alone on its line is short too,
    # so it counts as wrapped only when it fills the whole width.
    title = (_HEADING_1.match(line) or _HEADING_2.match(line)) and not _SENTENCE_END.search(line)
    return len(line) >= (width - 1 if title else width * _WRAP_SHARE)


def _unwrap(text: str, norm: str) -> tuple[str, list[int]]:
    """``norm`` without its soft line breaks, and for each character kept its offset in
    ``norm``. Line breaks are found in ``text``, where \\r\\n is still one break."""
    lines, pos = [], 0
    for m in _BREAK.finditer(text):
        lines.append((pos, m.start()))
        pos = m.end()
    lines.append((pos, len(text)))
    stripped = [norm[s:e].strip() for s, e in lines]
    rows = [bool(_CELL_GAP.search(text[s:e].strip())) for s, e in lines]  # a table's rows
    open_ended = [len(t) for t, row in zip(stripped, rows, strict=True)
                  if t and not row and not _SENTENCE_CLOSED.search(t) and not _opens_paragraph(t)]
    # Only a text that is mostly open-ended lines is wrapped; a title and a signature are not.
    wrapped = len(open_ended) >= max(3, _WRAPPED_SHARE * sum(map(bool, stripped)))
    width = statistics.median(open_ended) if wrapped else None
    kept, pos = [], 0
    for i in range(len(lines) - 1):
        (s, e), (ns, ne) = lines[i], lines[i + 1]
        indented = ns < ne and norm[ns].isspace()
        table = rows[i] or rows[i + 1]
        if not table and _soft_break(stripped[i], stripped[i + 1], indented, width):
            cut_from, cut_to = _trim(norm, s, e)[1], _trim(norm, ns, ne)[0]
            kept.append((pos, cut_from))
            pos = cut_to
    kept.append((pos, len(norm)))
    origin = [i for s, e in kept for i in range(s, e)]
    return "".join(norm[s:e] for s, e in kept), origin


# --------------------------------------------------------------------------------------------
# Dates.

def _resolve_year(norm: str, year: int | None, meeting_date: date | None) -> int:
    if year is not None:
        return year
    if meeting_date is not None:
        return meeting_date.year
    named, planned = [], []
    dated = _DOC_DATE.search(norm)
    for m in _YEAR_MENTION.finditer(norm):
        y = int(m.group(1))
        named.append(y)
        horizon = m.start() > 0 and norm[m.start() - 1] in _HORIZON_BEFORE
        if not horizon and not norm.startswith("前", m.end()):
            planned.append(y)
    if dated:  # a notice of September 2023 that plans 2024年重点项目 still sets 2023's dates
        y = int(dated.group(1))
        return y + 1 if int(dated.group(2)) >= _PLANS_AHEAD_FROM and y + 1 in planned else y
    if planned or named:
        return max(planned or named)
    return date.today().year  # last resort, documented: callers should pass year or date


def _relative_deadline(m: re.Match[str], meeting: date) -> date:
    """本月底, 下月底, 本季度: counted from the meeting, not from the deadline year."""
    if m["this_quarter"]:
        return date(meeting.year, *_QUARTER_END[(meeting.month - 1) // 3 + 1])
    y, month = meeting.year, meeting.month + (1 if m["this"].startswith("下") else 0)
    if month > 12:
        y, month = y + 1, 1
    return date(y, month, calendar.monthrange(y, month)[1])


def _deadline_of(m: re.Match[str], year: int, meeting: date | None) -> date | None:
    if m["this"] is not None or m["this_quarter"]:
        return _relative_deadline(m, meeting) if meeting and not m["year"] else None
    y = int(m["year"]) if m["year"] else year + (1 if m["rel"] == "明年" else 0)
    try:
        if m["month"]:
            month = _cn_int(m["month"])
            if m["day"]:
                return date(y, month, _cn_int(m["day"]))
            day = _PART_DAY.get(m["part"] or "", calendar.monthrange(y, month)[1])
            return date(y, month, day)
        if m["quarter"]:
            return date(y, *_QUARTER_END[_cn_int(m["quarter"])])
        if m["half"]:
            return date(y, 6, 30) if m["half"] == "上半年" else date(y, 12, 31)
        if m["yearend"]:
            return date(y, 12, 31)
    except ValueError:  # 2月30日, 13月 …: not a date
        return None
    return None


def _deadlines(text: str, year: int,
               meeting: date | None = None) -> Iterator[tuple[int, int, date]]:
    """Every deadline-like date expression of ``text`` with its span; 本月底 needs the date of
    the meeting."""
    for m in _DEADLINE.finditer(text):
        if m.start() and text[m.start() - 1] == "每":  # 每季度, 每月底: recurring
            continue
        if m["day"] and text.startswith(_TIME_OF_DAY, m.end()):  # 3月22日下午，…召开: held then
            continue
        if m["month"] and not m["month"].isascii() and not m["year"] and not m["rel"]:
            before = text[m.start() - 1] if m.start() else ""
            if re.match(rf"[{_HAN}]", before) and before not in _MONTH_LEAD_INS:
                continue
        d = _deadline_of(m, year, meeting)
        if d is not None:
            yield m.start(), m.end(), d


def _masked(norm: str, year: int, meeting: date | None) -> str:
    """``norm`` with dates and years blanked, so that 30日 or 2022年 never read as figures."""
    chars = list(norm)
    spans = [(s, e) for s, e, _ in _deadlines(norm, year, meeting)]
    spans += [m.span() for m in _YEAR_MENTION.finditer(norm)]
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


# --------------------------------------------------------------------------------------------
# Targets.

def _comparator(m: re.Match[str]) -> str:
    pre = _COMPARATOR_OF.get(m["cmp"] or "")
    post = _POST_COMPARATOR.get(m["post"] or "")
    if pre and pre != "=":
        return pre
    # A bare figure in a task is a quota to reach: 需申报项目5个 means at least five.
    return post or pre or ">="


def _clean_metric(text: str) -> str:
    text = _drop_subject(text.replace(" ", "").lstrip("、，"), 2)
    m = _METRIC_LEAD_IN.match(text)
    if m and len(text) - m.end() >= 2:
        text = text[m.end():]
    tail = _METRIC_TAIL.search(text)
    if tail and tail.start() >= 2:
        text = text[:tail.start()]
    return text


def _strip_verb(metric: str) -> str:
    m = _METRIC_VERB.match(metric)
    return metric[m.end():] if m and len(metric) - m.end() >= 2 else metric


def _target(clause: str, m: re.Match[str], metric_from: int,
            verb: str) -> tuple[ProposedTarget, int] | None:
    """The target of figure ``m`` in ``clause`` and where the next metric may start, or None
    when the figure sets no target. ``verb`` is the verb of the figure before it: 新建三所学校、
    两个卫生院 builds both."""
    start = m.start()
    if start and clause[start - 1] in _NOT_A_VALUE_BEFORE:
        return None
    after = clause[m.end():].replace(" ", "")
    if after and after[0] in _NOT_A_VALUE_AFTER:
        return None
    counted = False  # 推动200家以上企业上云: the figure counts the noun after it
    if m["post"] == "以上" and re.match(rf"[{_HAN}]", after) and after[0] != "的":
        if not _COUNT_UNIT.fullmatch(m["unit"]) or "每" in clause[metric_from:start]:
            return None  # 亿元以上项目, 每人联系两个以上企业: a size class or a rate, no total
        counted = True
    spelled = not m["value"][0].isdigit() and m["value"][0] not in "*X"
    if spelled and not m["cmp"] and not re.match(rf"[{_HAN}“]", after):
        return None  # 梅兰三期 names a project phase; 新建三所学校 and 不少于三个 count
    metric = _clean_metric(clause[metric_from:start]) or verb
    next_from = m.end()
    if after.startswith("的"):  # 达到80%的利用率 -> 土地利用率
        noun = after[1:]
        if not _GOAL_WORDS.fullmatch(noun):  # 设立规模5亿元的引导基金 -> 引导基金规模
            size = _SIZE_WORD.search(metric)
            metric = noun + size.group() if size else metric + noun
    elif re.match(rf"[{_HAN}“]", after):  # figure first: 办好100件民生实事
        goal = _GOAL_WORDS.search(after)
        if counted and not _TARGET_VERB_END.search(metric):
            metric = ""  # 推动200家以上企业…: the verb before the count is no part of the metric
        if goal:
            metric += after[:goal.start()]
        elif counted or _TARGET_VERB_END.search(metric):
            # the noun runs to the next item of a list: 新建三所学校、两个卫生院
            noun = re.split(r"、|(?=[0-9两二三四五六七八九十])", clause[m.end():], maxsplit=1)[0]
            metric += noun.replace(" ", "")
            next_from = m.end() + len(noun)
        else:
            return None
    value = _value(m["value"])
    metric = _strip_verb(metric)
    unit = _UNIT_ALIASES.get(m["unit"], m["unit"])
    cumulative = unit not in _NON_CUMULATIVE_UNITS and not _RATE_METRIC.search(metric)
    return ProposedTarget(metric, _comparator(m), value, unit, cumulative), next_from


def _value(figure: str) -> Decimal | None:
    if figure[0] in "*X":
        return None  # masked
    if figure[0].isdigit():
        return Decimal(figure.replace(",", ""))
    return Decimal(2 if figure == "两" else _cn_int(figure))


def _targets(masked: str) -> list[ProposedTarget]:
    found: list[ProposedTarget] = []
    for clause in _clauses(masked):
        metric_from, verb = 0, ""
        for m in _FIGURE.finditer(clause):
            placed = _target(clause, m, metric_from, verb)
            if not placed:
                continue
            target, next_from = placed
            if found and _BARE_RATE.fullmatch(target.metric):  # 投资50亿元，增长10%
                target.metric = found[-1].metric + target.metric
            found.append(target)
            verb_end = _TARGET_VERB_END.search(_clean_metric(clause[metric_from:m.start()]))
            verb = verb_end.group() if verb_end else ""
            metric_from = next_from
    return found


# --------------------------------------------------------------------------------------------
# Lead leader, responsible and cooperating units.

def _is_org(piece: str) -> bool:
    return (2 <= len(piece) <= 20 and piece.endswith(_ORG_SUFFIXES)
            and not piece.endswith(_NOT_ORG_ENDINGS)
            and _ORG_CHARS.fullmatch(piece) is not None and not _NOT_ORG_CHARS.search(piece))


def _org_list(text: str) -> list[str]:
    """Units named in ``text`` (区发改局、区财政局和区住房和城乡建设局), or [] if not all are."""
    text = _ORG_ETC.sub("", _ORG_LEAD_IN.sub("", text.strip()))
    orgs: list[str] = []
    for piece in _ORG_SEP.split(text):
        parts = piece.split("和")
        if len(parts) > 1 and all(_is_org(p) for p in parts):
            orgs += parts
        elif _is_org(piece):  # 和 inside a name: 住房和城乡建设局
            orgs.append(piece)
        else:
            return []
    return orgs


def _leading_orgs(text: str) -> list[str]:
    """The longest run of units that opens ``text`` (after 会同: 区财政局、区住建局制定…)."""
    for end in range(min(len(text), 60), 1, -1):
        if text[end - 1] in "、和及与":
            continue
        orgs = _org_list(text[:end])
        if orgs:
            return orgs
    return []


def _first_name(names: str) -> str | None:
    """First of 张三、李四; a title before it (区委副书记张三) is dropped."""
    name = _LEADER_TITLE.split(re.split(r"[、和]", names)[0])[-1]
    return name if 1 <= len(name) <= 4 else None


@dataclass
class _People:
    lead: str | None = None
    first_units: list[str] = field(default_factory=list)  # 牵头 units lead the list
    units: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # 区财政局要…: responsible if none named


def _label_people(clause: str, people: _People) -> bool:
    labels = list(_LABEL.finditer(clause))
    lists = {"first": people.first_units, "unit": people.units, "coop": people.cooperating}
    for i, m in enumerate(labels):
        role = _LABEL_ROLE.get(m["label"])  # 完成时限 names a date, read with the others
        end = labels[i + 1].start() if i + 1 < len(labels) else len(clause)
        value = _LABEL_VALUE.match(clause, m.end(), end)
        if role is None or value is None:
            continue
        if role == "lead":
            people.lead = people.lead or _first_name(value.group().removesuffix("同志"))
        else:
            lists[role] += [p for p in re.split(r"[、，]", value.group()) if p]
    return bool(labels)


def _clause_people(clause: str, people: _People) -> None:
    if _label_people(clause, people):
        return
    clause = clause.rsplit("：", 1)[-1]  # 会议要求：区发改局负责… -> 区发改局负责…
    lead = _LEAD.search(clause)
    if lead:
        people.lead = people.lead or _first_name(re.split("由|请", lead["names"])[-1])
    titled = _LEAD_BY_TITLE.search(clause)
    name = titled and titled["name"]
    if titled and (name or titled["by"]) and not (name and _is_org(name)):
        people.lead = people.lead or name or titled["post"]  # 由常务副区长牵头: only the post
    named = _LEAD_BY_NAME.search(clause.strip())
    if named:
        people.lead = people.lead or named["name"]
    head, together, tail = clause.partition("会同")
    if together:
        people.units += _org_list(_SUBJECT_TAIL.sub("", head))
        people.cooperating += _leading_orgs(tail)
        return
    role = _ROLE.search(clause)
    if role:
        orgs = _org_list(_SUBJECT_TAIL.sub("", clause[:role.start()]))
        if role["kw"] == "牵头":
            people.first_units += orgs
        elif role["kw"] in _LEAD_ROLES:
            people.units += orgs
        else:
            people.cooperating += orgs
        return
    modal = _MODAL.search(clause)
    if modal and modal.start():  # 区财政金融服务中心和XX集团要…: the subject is responsible
        people.subjects += _org_list(clause[:modal.start()])


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _people(text: str) -> _People:
    people = _People()
    for clause in _PEOPLE_SEP.split(text.replace("（", "，").replace("）", "，")):
        _clause_people(clause, people)
    people.units = [u for u in _dedupe(people.first_units + people.units)
                    or _dedupe(people.subjects) if not _GENERIC_UNIT.fullmatch(u)]
    people.cooperating = [c for c in _dedupe(people.cooperating) if c not in people.units]
    return people


# --------------------------------------------------------------------------------------------
# Everything a proposal says, gathered from its text.

@dataclass
class _Fields:
    lead: str | None
    units: list[str]
    cooperating: list[str]
    deadline: date | None
    targets: list[ProposedTarget]

    @property
    def evidence(self) -> int:
        """How many kinds of concrete task data the text holds (0 … 3)."""
        return (bool(self.targets) + bool(self.lead or self.units or self.cooperating)
                + bool(self.deadline))

    def inherit(self, parent: _Fields) -> None:
        """Take the parent item's assignment where this item names none of its own."""
        self.lead = self.lead or parent.lead
        self.units = self.units or parent.units
        self.cooperating = self.cooperating or parent.cooperating
        self.deadline = self.deadline or parent.deadline


@dataclass
class _Doc:
    norm: str
    masked: str
    year: int
    meeting: date | None

    def fields(self, spans: list[tuple[int, int]]) -> _Fields:
        # Joined with a full stop so that clauses never run across the gaps.
        norm = "。".join(self.norm[s:e] for s, e in spans)
        masked = "。".join(self.masked[s:e] for s, e in spans)
        people = _people(norm)
        deadlines = [d for _, _, d in _deadlines(norm, self.year, self.meeting)]
        return _Fields(people.lead, people.units, people.cooperating,
                       max(deadlines, default=None), _targets(masked))


# --------------------------------------------------------------------------------------------
# Structure: headings and segments.

@dataclass
class _Heading:
    level: int
    para_start: int
    body_start: int
    short: str
    title: str  # the heading's own words: the title when its section is one task
    review: bool
    support: bool  # a closing section of guarantees (保障措施)


@dataclass
class _Segment:
    start: int
    end: int
    category: str
    review: bool
    intro: bool  # preamble or a heading's introduction: only targets make proposals there
    support: bool = False  # under a 保障措施 heading: exhortations there are no tasks
    pieces: list[tuple[int, int]] = field(default_factory=list)  # clipped, closing words left out
    block_start: int | None = None  # a section that is one task, from its heading at this offset
    title: str = ""  # that task's title: the heading's words


def _heading(norm: str, s: int, e: int, year: int) -> _Heading | None:
    m = _HEADING_1.match(norm, s, e) or _HEADING_2.match(norm, s, e)
    if not m:
        return None
    stop = _SENTENCE_END.search(norm, m.end(), e)
    text_end = stop.start() if stop else e
    text = _APPROVAL.sub(r"\1", norm[m.end():text_end])
    years = [int(y) for y in _YEAR_MENTION.findall(text)]
    review = (bool(years) and max(years) < year) or (
        bool(_REVIEW_HEADING.search(text)) and not years and not _MODAL.search(text))
    level = 1 if m.re is _HEADING_1 else 2
    return _Heading(level, s, stop.end() if stop else e, _short_heading(text),
                    _cap(text.removeprefix("关于")), review, bool(_SUPPORT_HEADING.search(text)))


def _is_closing(norm: str, s: int, e: int) -> bool:
    """Greetings, thanks, the closing call (同志们，…让我们…) and the date line set no task."""
    para = norm[s:e]
    return (para.startswith("同志们") or "让我们" in para or para.startswith("谢谢")
            or _DATE_LINE.fullmatch(para) is not None)


def _block_shape(norm: str, h: _Heading, paras: list[tuple[int, int]]) -> tuple[int, bool] | None:
    """(end, more): where the one short paragraph of a heading's section ends, with the label
    lines and the assignment (由X负责…) under it, and whether more paragraphs follow; None when
    the section has no body or a long one (a theme of a speech, not a task)."""
    body = paras if paras and h.body_start < paras[0][1] else paras[1:]
    if not body:
        return None
    end, rest = body[0][1], body[1:]
    while rest and (_TASK_LABEL.match(norm, rest[0][0])
                    or _is_assignment(norm[rest[0][0]:rest[0][1]])):
        end, rest = rest[0][1], rest[1:]
    if end - max(h.body_start, body[0][0]) > _BLOCK_MAX:
        return None
    return end, bool(rest)


def _blocks(norm: str, heads: list[_Heading], ends: list[int],
            paras: list[tuple[int, int]]) -> dict[int, int]:
    """Sections that are one task each, by heading index, with the end of the task's text.

    Minutes (一、关于…。会议要求…) and many speeches (（一）…。要…) give each task a numbered
    paragraph: a section of one paragraph is one task when at least half of its siblings are
    alike. Only the last sibling may run on, into the closing words of the text."""
    groups: dict[tuple[int, int], list[int]] = {}
    parent = -1
    for i, h in enumerate(heads):
        parent = i if h.level == 1 else parent
        groups.setdefault((h.level, -1 if h.level == 1 else parent), []).append(i)
    starts = [s for s, _ in paras]
    shapes: dict[int, int] = {}
    for group in groups.values():
        if any(heads[i].level == 1 and i + 1 < len(heads) and heads[i + 1].level == 2
               for i in group):
            continue  # an outline: its (一) sections are the tasks, if any
        for i in group:
            h = heads[i]
            lo = bisect.bisect_left(starts, h.para_start)
            shape = _block_shape(norm, h, paras[lo:bisect.bisect_left(starts, ends[i])])
            if shape and (not shape[1] or i == group[-1]):
                shapes[i] = shape[0]
    blocks = {}
    for group in groups.values():
        alike = [i for i in group if i in shapes]
        if len(alike) >= 2 and 2 * len(alike) >= len(group):
            blocks.update((i, shapes[i]) for i in alike)
    return blocks


def _segments(norm: str, year: int) -> list[_Segment]:
    paras = [m.span() for m in _PARAGRAPH.finditer(norm)]
    heads = [h for s, e in paras if (h := _heading(norm, s, e, year))]
    open_paras = [(s, e) for s, e in paras
                  if not _is_closing(norm, s, e) and not _META_LINE.match(norm, s)]
    ends = [h.para_start for h in heads[1:]] + [len(norm)]
    blocks = _blocks(norm, heads, ends, open_paras)
    first = heads[0].para_start if heads else len(norm)
    segments = [_Segment(0, first, "", False, bool(heads))]
    parent: _Heading | None = None
    for i, h in enumerate(heads):
        parent = h if h.level == 1 else parent
        inner = h.level == 2 and parent is not None
        review = h.review or (inner and parent.review)
        support = h.support or (inner and parent.support)
        if i in blocks:
            segments.append(_Segment(h.body_start, blocks[i], h.short, review, False, support,
                                     block_start=h.para_start, title=h.title))
            if blocks[i] < ends[i]:  # the closing words after the last task
                segments.append(_Segment(blocks[i], ends[i], h.short, review, False, support))
            continue
        has_children = h.level == 1 and i + 1 < len(heads) and heads[i + 1].level == 2
        segments.append(_Segment(h.body_start, ends[i], h.short, review, has_children, support))
    para_ends = [e for _, e in open_paras]
    for seg in segments:
        for s, e in open_paras[bisect.bisect_right(para_ends, seg.start):]:
            if s >= seg.end:
                break
            piece = _trim(norm, max(s, seg.start), min(e, seg.end))
            if piece[0] < piece[1]:
                seg.pieces.append(piece)
    return segments


# --------------------------------------------------------------------------------------------
# Numbered items.

@dataclass
class _Item:
    family: str
    number: int
    start: int
    content_start: int
    end: int = 0
    parent: _Item | None = None
    children: list[_Item] = field(default_factory=list)
    aside: bool = False  # the list recounts results, shortcomings or the agenda: no tasks
    resumes: bool = False  # 4. opening a paragraph may continue the numbering of a section above


def _at_boundary(norm: str, pos: int, para_start: int, loose: bool) -> bool:
    i = pos - 1
    while i >= para_start and norm[i] == " ":
        i -= 1
    if i < para_start:
        return True
    c = norm[i]
    if c in _CLOSERS and i > para_start and norm[i - 1] in "。；！？":
        return True
    return c in "。；！？：" or (loose and c in "，,")


def _markers(norm: str, pieces: list[tuple[int, int]]) -> list[tuple[_Item, int, int]]:
    """Candidate item markers with the paragraph piece each sits in."""
    found = []
    for s, e in pieces:
        for m in _MARKER.finditer(norm, s, e):
            family = m.lastgroup or ""
            if family == "ov_suffix":  # lastgroup names the last group that matched
                family = "ov"
            at_start = m.start() == s
            if family in _INLINE_ONLY and at_start:
                continue
            if family not in _BRACKETED and not _at_boundary(
                    norm, m.start(), s, family not in _STRICT_FAMILIES):
                continue
            raw = m.group(family)
            number = _FIRST_NEXT.get(raw) or _cn_int(raw)
            if family == "ov":  # 一是 and 二要 may share a list; try each suffix first
                family = "ov" + m["ov_suffix"][0]
            item = _Item(family, number, m.start(), m.end(),
                         resumes=at_start and family in _RESUMING and number > 1)
            found.append((item, s, e))
    return found


def _chain(items: list[_Item]) -> list[list[_Item]]:
    """Greedy 1, 2, 3 … chains of one family; a chain needs two items. A work plan numbers its
    items 1. … 11. across its sections: there a chain may start at a later number."""
    chains: list[list[_Item]] = []
    current: list[_Item] | None = None
    for item in items:
        if item.number == 1 or (not chains and item.resumes):
            current = [item]
            chains.append(current)
        elif current and item.number == current[0].number + len(current):
            current.append(item)
        elif current and item.number == _LAST and len(current) >= 2:
            current.append(item)
            current = None
    return [c for c in chains if len(c) >= 2]


def _sequences(found: list[tuple[_Item, int, int]]) -> list[list[_Item]]:
    by_family: dict[str, list[_Item]] = {}
    for item, _, _ in found:
        by_family.setdefault(item.family, []).append(item)
    chains = [c for items in by_family.values() for c in _chain(items)]
    used = {id(i) for c in chains for i in c}
    # Second pass: 一是 / 二要 / 三是 mixed in one list.
    loose = [i for i, _, _ in found if i.family.startswith("ov") and id(i) not in used]
    chains += _chain(loose)
    return chains


def _item_ends(norm: str, chain: list[_Item], piece_of: dict[int, tuple[int, int]],
               pieces: list[tuple[int, int]], seg_end: int) -> None:
    for i, item in enumerate(chain):
        nxt = chain[i + 1].start if i + 1 < len(chain) else seg_end
        ps, pe = piece_of[item.start]
        title_only = (item.start == ps and pe - ps <= 50
                      and not _PIECE_SEP.search(norm, item.content_start, pe))
        if title_only:  # "1.加快重大项目开工" on a line of its own: its body follows
            ends = [e for s, e in pieces if ps <= s < nxt]
            item.end = min(max(ends), nxt)
        else:  # its paragraph, and the label lines and assignment (由X负责…) that follow it
            item.end = min(pe, nxt)
            for s, e in pieces[bisect.bisect_right(pieces, (ps, pe)):]:
                if s >= nxt or not (_TASK_LABEL.match(norm, s) or _is_assignment(norm[s:e])):
                    break
                item.end = min(e, nxt)
        item.end = _trim(norm, item.start, item.end)[1]


def _within(item: _Item, ancestor: _Item) -> bool:
    node: _Item | None = item
    while node is not None and node is not ancestor:
        node = node.parent
    return node is ancestor


def _nest(norm: str, chains: list[list[_Item]]) -> list[_Item]:
    """Place chains inside the items that contain them; return every placed item."""
    chains.sort(key=lambda c: (c[0].start, -(c[-1].end - c[0].start)))
    placed: list[_Item] = []
    reaching: list[_Item] = []  # placed items that may still hold a later chain
    for chain in chains:
        first = chain[0]
        reaching = [p for p in reaching if p.end > first.start]
        around = [p for p in reaching if p.start < first.start]
        # The same numbering restarting inside an item starts the next list, not a sub-list:
        # the item (and what it holds) ends where the new list begins.
        cut = [p for p in around if p.family == first.family]
        for p in around:
            if any(_within(p, c) for c in cut):
                p.end = _trim(norm, p.start, first.start)[1]
        holders = [p for p in around if p.end > first.start]
        holder = min(holders, key=lambda p: p.end - p.start, default=None)
        if holder:
            chain = [i for i in chain if i.start < holder.end]
            if len(chain) < 2:
                continue
            _leave_shared_tail(norm, chain)
            for item in chain:
                item.end = min(item.end, holder.end)
                item.parent = holder
            holder.children += chain
        placed += chain
        reaching += chain
    return placed


def _leave_shared_tail(norm: str, chain: list[_Item]) -> None:
    """1.…；2.…。由X牵头…: items that are clauses of one sentence share the assignment after
    it, so the last item ends with the sentence and the parent item keeps the assignment."""
    if not all(norm[i.content_start:i.end].rstrip().endswith("；") for i in chain[:-1]):
        return
    last = chain[-1]
    stop = _SENTENCE_END.search(norm, last.content_start, last.end)
    if stop and _is_assignment(norm[stop.end():last.end].strip()):
        last.end = stop.end()


def _lead_in(norm: str, lo: int, pos: int) -> str:
    """The (at most two) sentences that introduce a list starting at ``pos``."""
    head = norm[max(lo, pos - _LEAD_IN_MAX):pos].rstrip(" \n。！？；：" + _CLOSERS)
    stops = [m.start() for m in _LEAD_IN_STOP.finditer(head)]
    return head[stops[-2] + 1:] if len(stops) >= 2 else head


def _items(norm: str, seg: _Segment, year: int) -> list[_Item]:
    found = _markers(norm, seg.pieces)
    piece_of = {item.start: (s, e) for item, s, e in found}
    chains = []
    for chain in _sequences(found):
        _item_ends(norm, chain, piece_of, seg.pieces, seg.end)
        if all(len(norm[i.content_start:i.end].strip(" ，、：。")) >= _MIN_ITEM_CHARS
               for i in chain):
            lead_in = _lead_in(norm, seg.start, chain[0].start)
            aside = not _find_modal(lead_in) and (
                _is_past(lead_in, year) or _ASIDE_LEAD_IN.search(lead_in) is not None)
            for item in chain:
                item.aside = aside
            chains.append(chain)
    return _nest(norm, chains)


# --------------------------------------------------------------------------------------------
# Proposals.

def _own_spans(item: _Item) -> list[tuple[int, int]]:
    spans, pos = [], item.start
    for child in sorted(item.children, key=lambda c: c.start):
        spans.append((pos, child.start))
        pos = max(pos, child.end)
    spans.append((pos, item.end))
    return [(s, e) for s, e in spans if s < e]


def _proposal(doc: _Doc, start: int, end: int, title: str, category: str, fields: _Fields,
              confidence: float) -> Proposal:
    if _is_oversight(doc.norm[start:end], fields):
        confidence = min(confidence, 0.4)
    # Offsets and excerpt are still those of the unwrapped text: parse_minutes maps them back.
    return Proposal(title=title, category=category, excerpt=doc.norm[start:end], start=start,
                    end=end, lead=fields.lead, units=fields.units,
                    cooperating=fields.cooperating, deadline=fields.deadline,
                    targets=fields.targets, confidence=round(min(max(confidence, 0.0), 1.0), 2))


def _is_oversight(text: str, fields: _Fields) -> bool:
    """Does ``text`` only order the follow-up of other tasks (跟踪督办, 定期通报)?"""
    return (not (fields.targets or fields.deadline or fields.lead)
            and all(_OVERSEER.search(u) for u in fields.units)
            and _OVERSIGHT.search(text) is not None
            and _OVERSIGHT_ADDRESSEE.search(text) is not None)


def _item_proposal(doc: _Doc, item: _Item, category: str,
                   parents: dict[int, _Fields]) -> Proposal:
    """Proposal of a leaf item; ``parents`` caches what each parent item itself assigns."""
    fields = doc.fields([(item.content_start, item.end)])
    ancestor = item.parent
    while ancestor is not None:
        if id(ancestor) not in parents:
            parents[id(ancestor)] = doc.fields(_own_spans(ancestor))
        fields.inherit(parents[id(ancestor)])
        ancestor = ancestor.parent
    text = doc.norm[item.content_start:item.end]
    title = _lead_clause(text)
    directive = (item.family in ("ov要", "ov抓") or _find_modal(text) is not None
                 or _CONCRETE.match(title) is not None)
    confidence = 0.7 + 0.05 * fields.evidence + (0.05 if directive else 0.0)
    shortcoming = _PROBLEM.search(title) and not _CONCRETE.search(title)
    if item.aside or (not directive and (_is_past(text, doc.year) or shortcoming)):
        confidence = 0.3  # a numbered list of last year's results, shortcomings or the agenda
    return _proposal(doc, item.start, item.end, title, category, fields, confidence)


def _area(norm: str, item: _Item) -> str:
    """Category of an item under no heading: its top parent item (第一，聚焦项目建设…) names it."""
    top = item
    while top.parent is not None:
        top = top.parent
    if top is item:
        return ""
    title_end = min(child.start for child in top.children)
    return _short_heading(norm[top.content_start:title_end])


def _units_of_speech(norm: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    """Sentences of a piece; a part after ； stays joined unless it opens a new directive."""
    parts, pos = [], s
    for m in _PIECE_SEP.finditer(norm, s, e):
        parts.append((pos, m.end(), "；" in m.group()))
        pos = m.end()
    if pos < e:
        parts.append((pos, e, False))
    open_start: int | None = None
    for i, (ps, pe, by_semicolon) in enumerate(parts):
        open_start = ps if open_start is None else open_start
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        if by_semicolon and nxt and not _opens(norm[nxt[0]:nxt[1]]):
            continue
        yield _trim(norm, open_start, pe)
        open_start = None


def _opens(text: str) -> bool:
    """Does ``text`` start a directive or an assignment of its own?"""
    modal = _find_modal(text)
    first = next(_clause_spans(text), (0, 0))
    return bool(modal and modal.start() < first[1]) or _is_assignment(text)


def _is_assignment(text: str) -> bool:
    """Does ``text`` open by saying who does the work (由X负责, X牵头, 牵头单位：X …)?"""
    if _ASSIGNMENT_OPENER.match(text):
        return True
    first = next(iter(_clauses(text)), "")
    role = _ROLE.search(first)
    return bool(role and role.end() == len(first)
                and (_org_list(first[:role.start()]) or _LEAD.search(first)))


def _free_spans(seg: _Segment, items: list[_Item]) -> Iterator[tuple[int, int]]:
    """The segment's text outside every numbered item."""
    taken = sorted((i.start, i.end) for i in items if i.parent is None)
    for s, e in seg.pieces:
        pos = s
        for ts, te in taken:
            if te <= pos or ts >= e:
                continue
            if ts > pos:
                yield pos, ts
            pos = max(pos, te)
        if pos < e:
            yield pos, e


def _sentence_proposals(doc: _Doc, seg: _Segment, items: list[_Item]) -> list[Proposal]:
    """Proposals from sentences outside items: targets anywhere, directives in plain sections."""
    directive_mode = not seg.intro and not items
    out: list[Proposal] = []
    for fs, fe in _free_spans(seg, items):
        opening = next(_clause_spans(doc.norm[fs:fe]), (0, 0))
        first = doc.norm[fs + opening[0]:fs + opening[1]]
        recounting = bool(_PAST_TIME.search(first)) or any(
            int(m.group(1)) < doc.year for m in _YEAR_MENTION.finditer(first))
        for s, e in _units_of_speech(doc.norm, fs, fe):
            text = doc.norm[s:e]
            if e - s < _MIN_ITEM_CHARS or _NON_TASK.search(text) or text.endswith("？"):
                continue
            modal = _find_modal(text)
            past = modal is None and (_is_past(text, doc.year)
                                      or (recounting and not _LOOKS_AHEAD.search(text)))
            if modal and _is_past(text[:modal.start()], doc.year):
                # 会议认为，一季度增长6.5%，但…，必须…: the figures and dates before are results
                fields = doc.fields([(s + modal.start(), e)])
            else:
                fields = doc.fields([(s, e)])
            if (out and fields.evidence and _is_assignment(text)
                    and not doc.norm[out[-1].end:s].strip()):
                out[-1] = _extend(doc, out[-1], e, fields)  # "这项工作由X负责": previous task's
                continue
            if fields.targets and not past and (modal or _FUTURE.search(text)):
                confidence = 0.65 + 0.05 * fields.evidence
            elif directive_mode and modal:
                # 要坚持…/要树立…意识 exhorts; 要建立…/要加快推进… sets work to do
                abstract = _ABSTRACT_START.match(text, modal.end()) or not _CONCRETE.search(text)
                confidence = (0.35 if abstract else 0.55) + 0.1 * fields.evidence
                if not fields.evidence and _MEETING_VIEW.match(text):
                    confidence = min(confidence, 0.45)
            elif directive_mode and fields.evidence and not past and _CONCRETE.search(text):
                confidence = 0.5 + 0.05 * fields.evidence
            else:
                continue
            title = _directive_title(text, modal) if modal else _lead_clause(text)
            out.append(_proposal(doc, s, e, title, seg.category, fields, confidence))
    return out


def _table_columns(cells: list[str]) -> list[str] | None:
    """Roles of a table's columns ("task", a label such as 责任单位, or "" for 序号 and notes),
    or None when ``cells`` are no header naming the task and who or when."""
    roles = []
    for cell in cells:
        if _TASK_COLUMN.fullmatch(cell):
            roles.append("task")
        elif _LABEL.fullmatch(cell + "："):
            roles.append(cell)
        elif _OTHER_COLUMN.fullmatch(cell):
            roles.append("")
        else:
            return None
    return roles if len(cells) >= 3 and roles.count("task") == 1 and len(set(roles)) > 2 else None


def _table_proposals(doc: _Doc, seg: _Segment) -> list[Proposal]:
    """Proposals from the rows of tables in ``seg``; their pieces are taken out of it."""
    out: list[Proposal] = []
    kept: list[tuple[int, int]] = []
    roles: list[str] | None = None
    for s, e in seg.pieces:
        cells = [m.span() for m in re.finditer(r"\S+", doc.norm[s:e])]
        if roles is not None and len(cells) == len(roles):
            out.append(_row_proposal(doc, seg, s, e, [(s + a, s + b) for a, b in cells], roles))
            continue
        roles = _table_columns([doc.norm[s + a:s + b] for a, b in cells])
        if roles is None:
            kept.append((s, e))
    seg.pieces = kept
    return out


def _row_proposal(doc: _Doc, seg: _Segment, s: int, e: int, cells: list[tuple[int, int]],
                  roles: list[str]) -> Proposal:
    task = cells[roles.index("task")]
    fields = doc.fields([task])
    labelled = " ".join(f"{role}：{doc.norm[cs:ce]}"
                        for (cs, ce), role in zip(cells, roles, strict=True)
                        if role not in ("", "task"))
    people = _people(labelled)
    dates = [d for _, _, d in _deadlines(labelled, doc.year, doc.meeting)]
    listed = _Fields(people.lead or fields.lead, people.units or fields.units,
                     people.cooperating or fields.cooperating, max(dates, default=fields.deadline),
                     fields.targets)
    title = _lead_clause(doc.norm[task[0]:task[1]])
    return _proposal(doc, s, e, title, seg.category, listed, 0.75 + 0.05 * listed.evidence)


def _block_proposal(doc: _Doc, seg: _Segment, head: int) -> Proposal:
    """A numbered paragraph that is one task, from its heading at ``head``."""
    start, end = _trim(doc.norm, head, seg.end)
    body = doc.norm[seg.start:end]
    fields = doc.fields([(start, end)])
    modal = _find_modal(body)
    directive = modal is not None or _CONCRETE.search(seg.title) is not None
    confidence = 0.45 + 0.1 * fields.evidence + (0.15 if directive else 0.0)
    if modal is None and _is_past(body, doc.year):
        confidence = 0.3  # 会议听取了…汇报: a record, no task
    return _proposal(doc, start, end, seg.title, seg.category, fields, confidence)


def _directive_title(text: str, modal: re.Match[str]) -> str:
    """Title of a directive sentence: the lead clause from the clause that holds the modal
    (a topic clause before it, 高新区…是重大机遇，要…, names no task)."""
    clause_start = max((s for s, _ in _clause_spans(text) if s <= modal.start()), default=0)
    return _lead_clause(text[clause_start:])


def _extend(doc: _Doc, p: Proposal, end: int, extra: _Fields) -> Proposal:
    """Grow ``p`` over a following assignment sentence, whose who and when take precedence."""
    merged = _Fields(extra.lead or p.lead, extra.units or p.units,
                     extra.cooperating or p.cooperating, extra.deadline or p.deadline,
                     p.targets + extra.targets)
    confidence = max(p.confidence, 0.55 + 0.1 * merged.evidence)
    return _proposal(doc, p.start, end, p.title, p.category, merged, confidence)


def _demote_exhortations(proposals: list[Proposal]) -> None:
    """Under a 保障措施 heading, a proposal without a target, unit, leader or date only exhorts
    (加强组织领导, 严明工作纪律)."""
    for p in proposals:
        if not (p.targets or p.lead or p.units or p.cooperating or p.deadline):
            p.confidence = min(p.confidence, 0.4)


def parse_minutes(text: str, *, year: int | None = None, meeting_date: date | None = None,
                  include_low_confidence: bool = False) -> ParseResult:
    """Propose tasks from a speech or meeting minutes.

    ``year`` fixes the year of deadlines such as 6月底前; without it the year of
    ``meeting_date`` is used, then the year of the date the text is signed or its meeting held
    (the next year when that date is in November or December and the text plans that year),
    then the latest year the text names as its own (not a horizon such as 到2025年), and only as
    a last resort the current year. Proposals whose confidence
    is below ``MIN_CONFIDENCE`` are left out unless ``include_low_confidence`` is true.
    Offsets are code points into ``text`` itself: ``text[p.start:p.end] == p.excerpt``.
    """
    norm, origin = _unwrap(text, text.translate(_NORMALISE))
    resolved = _resolve_year(norm, year, meeting_date)
    doc = _Doc(norm, _masked(norm, resolved, meeting_date), resolved, meeting_date)
    proposals: list[Proposal] = []
    for seg in _segments(norm, resolved):
        if seg.review:
            continue
        proposals += _table_proposals(doc, seg)
        items = _items(norm, seg, resolved)
        if seg.block_start is not None and all(item.aside for item in items):
            proposals.append(_block_proposal(doc, seg, seg.block_start))
            if seg.support:
                _demote_exhortations(proposals[-1:])
            continue
        parents: dict[int, _Fields] = {}
        first = len(proposals)
        proposals += [_item_proposal(doc, item, seg.category or _area(norm, item), parents)
                      for item in items if not item.children]
        proposals += _sentence_proposals(doc, seg, items)
        if seg.support:
            _demote_exhortations(proposals[first:])
    proposals.sort(key=lambda p: p.start)
    if not include_low_confidence:
        proposals = [p for p in proposals if p.confidence >= MIN_CONFIDENCE]
    for p in proposals:
        p.start, p.end = origin[p.start], origin[p.end - 1] + 1
        p.excerpt = text[p.start:p.end]
    return ParseResult(resolved, proposals)
