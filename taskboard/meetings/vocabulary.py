"""The words the parser knows. Every pattern is general Chinese officialese, never a phrase of
one document; a new genre adds its words here."""

from __future__ import annotations

import re

TITLE_MAX = 40  # longer lead clauses are cut: a title names the task, the excerpt holds it
SUBJECT_MAX = 10  # a modal verb opens a clause when at most this many characters precede it

HAN = "\u4e00-\u9fff"
_CN = "一二三四五六七八九十"
CN_VALUES = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}

PARAGRAPH = re.compile(r"\S(?:[^\n]*\S)?")
HEADING_1 = re.compile(  # 一、… or 第一个问题：… / 第二部分 …
    rf"[{_CN}]{{1,3}}[、.](?![{_CN}])|第[{_CN}]{{1,3}}(?:个问题|部分|个方面)[：，、.]?")
HEADING_2 = re.compile(rf"（([{_CN}]{{1,3}})）")
SENTENCE_END = re.compile(r"[。！？]")
CLAUSE_SEP = re.compile(r"[，；：。！？\n]|,(?![0-9]{3})")
PIECE_SEP = re.compile(r"[。！？；]+[”’」』）]*")
CLOSERS = "”’」』）"

# Numbered item markers; each named group is one family of numbering.
MARKER = re.compile(
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
LAST = -1  # 最后 closes whatever list is running
FIRST_NEXT = {"首先": 1, "其次": 2, "再次": 3, "最后": LAST, "一方面": 1, "另一方面": 2}
STRICT_FAMILIES = {"ar", "cnc"}  # "1." and "一、" only after a full stop, never after "，"
INLINE_ONLY = {"pcn", "cnc"}  # at a paragraph start these are headings, not items
BRACKETED = {"par", "circ", "pcn"}  # （1） and ① number a list wherever they stand
RESUMING = {"ar", "par"}  # numberings that may run on across sections
MIN_ITEM_CHARS = 4  # "一、二季度" is no list of two items
BLOCK_MAX = 500  # a numbered paragraph longer than this is a theme with tasks, not one task

# A modal verb that opens a clause makes it a directive. 要 is not 主要/重要/要求/要素 ….
_YAO = r"(?<![主重只想紧必首纲提摘扼概不需简纪])要(?![求素点害是么闻务员件领])"
_MOOD = rf"一定要|必须|务必|需要|{_YAO}|(?<![所急必无])需(?!求)|应当"  # sets the mood only
_MEETING_SAYS = r"会议(?:要求|决定|同意|明确|议定|责成)"
# 会议议定： / 会议要求如下： on a line of its own opens the decisions of minutes: the （一）（二）
# paragraphs under it are items, not headings.
DECISION_LEAD_IN = re.compile(rf"(?:{_MEETING_SAYS}|会议研究(?:决定|议定))[^。\n]{{0,8}}[：:]$")
DECISION_ITEM_MIN = 20  # a one-sentence （一） paragraph so long, with a comma, is an item
MODAL = re.compile(rf"{_MOOD}|确保|力争|争取|{_MEETING_SAYS}")
# Titles drop a mood modal (要, 必须) and its subject, but keep 确保/力争, which carry meaning.
SUBJECT_OPENING = re.compile(
    rf"(?P<subject>[^，。；]{{0,30}}?)(?:{_MOOD}|(?:具体|牵头|统筹)?负责(?![人同]))")
PREAMBLE_CLAUSE = re.compile(  # clauses that open a sentence but name no task
    r"20[0-9]{2}年度?|今年|全年|明年|新的一年|同时|此外|另外|(?:[0-9]{1,2}月底|年底)前?"
    r"|[^，。]*(?:目标|任务)(?:是|为)"  # 主要预期目标是：… opens a list of targets
    rf"|{_MEETING_SAYS}|会议(?:强调|指出|认为)")
ABSTRACT_START = re.compile(
    r"(?:始终|牢固|时刻|自觉|进一步|一定|切实|认真)?"
    r"(?:坚持|树立|增强|认清|认识|把握|牢记|发扬|弘扬|保持|贯彻|学习|敢于|勇于|善于|筑牢|坚定"
    r"|有|做到|当好|争当|争做|发挥|高举|统一|提振|(?:高度)?重视|把思想|聚焦|防止|克服|担负|扛起|履行|增强|清醒|看到|意识到)"
)
CONCRETE = re.compile(
    r"建立|建设|建成|完善|推进|推动|实施|开展|出台|制定|设立|引进|培育|打造|改造|完成|举办|加快"
    r"|组织|落实|编制|申报|化解|清理|整治|盘活|扩大|提高|提升|优化|降低|规范|加大|深化|探索|实行"
    r"|健全|强化|加强|梳理|办好|抓好|做好|推行|启动|开工|投产|招引|保障|解决|取得|实现|改进|压实"
    r"|查处|整改|培训|督查|考核|兑现"
)
PAST = re.compile(r"(?<![为除])了(?![解却结])|去年|过去|年来|已经|上年|今年以来")
_AHEAD = r"今年|明年|年底|年内|目标|计划|力争|确保|必保"
FUTURE = re.compile(rf"全年|{_AHEAD}")
# A paragraph that opens on a past time (过去一年，…) recounts it: its later sentences' 全年 is
# then last year's, unless they look ahead. 会议研究了… opens minutes' decisions: no past time.
PAST_TIME = re.compile(r"去年|过去|年来|上年|今年以来")
LOOKS_AHEAD = re.compile(_AHEAD)
# 会议指出/强调，…必须…: the meeting's view; its decisions (会议要求…由X负责) hold the tasks.
# 会议听取了…汇报。该项目计划总投资32亿元…: a paragraph that opens so reports; only its
# directives (会议要求…, 要…) set work. (会议研究了… opens decisions.)
MEETING_NARRATIVE = re.compile(r"会议(?:听取|通报|学习)")
MEETING_VIEW = re.compile(r"会议(?:指出|强调|认为)")
# The closing instructions of minutes (督查室要加强跟踪督办，各单位要按照会议要求抓好落实) watch
# over the tasks and are none themselves: they address the overseers or every unit, and name no
# target, date or leader.
OVERSIGHT = re.compile(
    r"督查|督办|督导|通报|考核|问责|约谈|抓好落实|抓落实|狠抓落实|议定事项|会议要求|落地见效"
    r"|按期(?:保质)?完成|报送")
OVERSEER = re.compile(r"督查|督办|督导|考核|办公室|纪委|监委")
OVERSIGHT_ADDRESSEE = re.compile(
    r"督查室|督查组|督办|各(?:级|有关|相关)?(?:责任|牵头)?(?:单位|部门)")
NON_TASK = re.compile(r"同志们|让我们|谢谢|感谢|敬意|致以|祝愿|祝大家")
PROBLEM = re.compile(r"不足|不强|不高|不够|不优|偏小|偏少|偏弱|薄弱|滞后|较低|欠缺|短板|差距|问题")
ASIDE_LEAD_IN = re.compile(r"存在[^。]*(?:问题|不足|差距|短板)|主要问题|议程|会议的主要任务")
LEAD_IN_STOP = re.compile(r"[。！？；\n]")
LEAD_IN_MAX = 200  # an introduction is a sentence or two; never read further back
# Minutes that approve a document (原则同意《…方案》) are titled by the document's name.
APPROVAL = re.compile(r"^(?:原则同意|原则通过|审议通过|同意)《(.+)》$")
REVIEW_HEADING = re.compile(
    r"回顾|成绩|成就|亮点纷呈|成效显著|来之不易|一年来|过去一年|工作情况|完成情况|总体情况|基本情况"
    r"|存在的?(?:主要)?问题|问题(?:和|与)不足")
# The closing section of a plan or speech (保障措施, 工作要求) exhorts: 加强组织领导, 营造良好氛围.
# There a proposal needs concrete data (a target, a unit, a date) to count as a task.
SUPPORT_HEADING = re.compile(
    r"保障措施|保障机制|(?:工作|组织|机制|制度)保障|(?:工作|有关|几点)要求|组织实施|作风")
YEAR_MENTION = re.compile(r"(?<![0-9])(20[0-9]{2})(?:[-—–~～至到]20[0-9]{2})?年度?")
HORIZON_BEFORE = "-—–~～至到"  # "到2025年", "2021-2023年": a horizon, not the document's year
# The date a text is signed or a meeting held: a date line of its own, or 2023年4月18日上午，…召开.
DOC_DATE = re.compile(
    r"^ *（?(20[0-9]{2})年(1[0-2]|0?[1-9])月[0-9]{1,2}日(?:）?$|[上下]午|晚上|，[^。\n]{0,60}召开)",
    re.MULTILINE)
# A signature sets no task: （2023年4月18日） or （区政府督查室 2025年3月）.
DATE_LINE = re.compile(
    r"（?(?:[^，。；：（）]{2,20}\s*)?20[0-9]{2}年[0-9]{1,2}月(?:[0-9]{1,2}日)?）?")
PLANS_AHEAD_FROM = 11  # a text dated in November or December may set next year's work

# Heading short forms: drop the leading verb of the heading's first clause.
HEADING_VERB = re.compile(
    r"坚定不移|聚焦|坚持|确保|推进|推动|加快|强化|加强|统筹|补齐|抓好|做好|抓实|围绕|打造|提升|优化|深化"
    r"|狠抓|突出|培育|实施|构建|建立|完善|落实|持续|着力|聚力|扎实|切实|全力(?!以赴)|大力|全面|深入|激发"
    r"|促进|保障|扩大|夯实|筑牢|锚定|把握|抓住|提高|坚定|关于|实现|做强|做优|做大"
)
HEADING_MODAL = re.compile(rf"(?<=.)(?:{_MOOD})")
LEADING_MOOD = re.compile(rf"^(?:{_MOOD})")
LIGHT_VERB = "有会守保做当"  # "必须有激情" -> "激情"

# Deadlines. Chinese-numeral months must not sit inside a word (统一月度 is no January).
DEADLINE = re.compile(
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
QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
PART_DAY = {"上旬": 10, "中旬": 20}
MONTH_LEAD_INS = "年于在到至前今"
TIME_OF_DAY = ("上午", "下午", "晚上")

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
COMPARATOR_OF = {w: op for op, words in _COMPARATOR_WORDS.items() for w in words.split()}
POST_COMPARATOR = {"以上": ">=", "以内": "<=", "以下": "<=", "内": "<=", "左右": "="}
_UNIT = (
    r"个百分点|百分点|[%‰]|个?工作日|小时"
    r"|微克/立方米|[万亿]?(?:美元|元|平方公里|平方米|立方米|公里|公顷|亩|吨|千瓦时|千瓦|人次|人|户|套"
    r"|辆|床|标箱)"
    r"|[家户场批]次|[个家场件项名所座条天栋台批次期张间宗处部]|[万亿]"
)
FIGURE = re.compile(
    "(?P<cmp>" + "|".join(sorted(COMPARATOR_OF, key=len, reverse=True)) + ")?"
    rf"(?<![0-9.,*X{_CN}两百千万])"
    r"(?P<value>[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?|\*+|X{1,4}"
    r"|[两二三四五六七八九十]|[二三四五六七八九]?十[一二三四五六七八九]?)"
    r"(?P<approx>多|余)?"  # 10多个, 100余家: at least the round figure
    rf"(?P<unit>{_UNIT})"
    r"(?P<post>以上|以内|以下|左右|内)?"
)
UNIT_ALIASES = {"个工作日": "工作日", "百分点": "个百分点"}
NON_CUMULATIVE_UNITS = {"%", "‰", "个百分点", "工作日", "天", "小时", "微克/立方米"}
# 200家以上企业 counts firms: a count with 以上 before a noun is a target. 亿元以上项目 and
# 10万平方米以上厂房 measure each one: a size class inside the metric.
COUNT_UNIT = re.compile(r"[个家户所座项名件条台套辆人批场期处部]|人次|户次|家次")
BARE_RATE = re.compile(r"(?:同比|比上年)?(?:增长|增幅|增速|下降|提高)")
RATE_METRIC = re.compile(r"增幅|增长|增速|占比|比重|率|比例|指数|幅度|平均|浓度|排名|名次")
NOT_A_VALUE_BEFORE = "第前近每“"  # 第5次, 前10名, 近9年, 每5个, “12条”: ordinals, names
NOT_A_VALUE_AFTER = "级多"  # 10亿级项目, 1万多: sizes and estimates, not targets
GOAL_WORDS = re.compile(r"的?(?:目标|任务)")
# 设立规模5亿元的引导基金: the figure measures the noun after 的 -> 引导基金规模.
SIZE_WORD = re.compile(r"(?:总)?(?:规模|面积|投资|容量|长度|金额)$")
METRIC_LEAD_IN = re.compile(
    r"(?:、|和|及|并|以及|其中|同时|全年|今年|年内|全区|我区|全市|我们|要|需要|需|必须|务必|确保"
    r"|力争|争取|努力|积极|计划|围绕|实现|完成|累计|总计|使|让|推动|促进|带动)+"
)
# A verb of building or achieving is no part of what is counted (实施重点项目 -> 重点项目),
# unless it names a kind of thing (建设用地, 建设项目). 新签约/新开工/竣工/新增/引进 are kept:
# they say which ones count.
METRIC_VERB = re.compile(
    r"(?:建设|新建|建成|完成|实现|打造|办好|办成|实施)(?:投用|投运)?(?![改扩续])"
    r"(?!用地|资金|投资|规模|项目|周期|进度|方案|细则|计划)")
METRIC_TAIL = re.compile(r"(?:的|能否|是否|能不能|要|将|可|全部|均|都)+$")
TARGET_VERB_END = re.compile(
    r"(?:新增|新建|新开工|开工|竣工|建成|建设|完成|办好|办成|实施|引进|招引|培育|打造|举办|开展"
    r"|组织|签约|申报|认定|创建|改造|提升|改建|扩建|整治|培训|帮扶|扶持|吸引|储备|招聘|安置|提供|发放"
    r"|盘活|处置|落地|安排|投入|筹集)$"
)

# People and units.
LEAD = re.compile(rf"(?:^|(?<![自理缘经])由|请)(?P<names>[{HAN}*X、]{{1,14}}?)同志"
                   r"[^，。；]{0,4}?(?:牵头|负责|抓总)")
LEADER_TITLE = re.compile(
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
LEAD_BY_NAME = re.compile(
    rf"(?:^|(?<![自理缘经])由|请)(?P<name>[{_SURNAMES}][{HAN}]{{1,2}}?)"
    r"(?<![方校区局委办所院站队会部处科室厅司行厂组企村镇乡街场馆班团体])"
    r"(?:总|统筹|亲自|具体)?(?:牵头|负责|抓总)")
# 由常务副区长牵头 names a post; 由区委常委、副区长王海涛牵头 and 副区长李红负责 name the person
# after the post. Without 由 or 请 a post alone is a subject (各乡镇党委书记负责), not a lead.
LEAD_BY_TITLE = re.compile(
    rf"(?:(?<![自理缘经])(?P<by>由|请)|^)(?P<post>[^，。；]{{0,12}}?(?:{LEADER_TITLE.pattern}))"
    rf"(?P<name>[{HAN}]{{2,3}}|\*+|X{{1,3}})?(?:同志)?(?:总|统筹|亲自|具体)?(?:牵头|负责|抓总)")
ROLE = re.compile(
    r"(?:具体|总|统筹|全面|共同|主要|牵头|积极|全力)*"
    r"(?P<kw>负总责|负责(?![人同])|牵头(?!领导|单位|部门)|承办(?!单位)|配合(?!单位|部门)|参与(?!单位)"
    r"|协助|协同(?!单位)|协办)"
)
LEAD_ROLES = {"负总责", "负责", "牵头", "承办"}
# 各单位, 相关部门, 管委会各部门, 各乡镇: every unit, so none in particular; a grader's list names
# real units, so these are never given as the responsible ones.
GENERIC_UNIT = re.compile(
    rf"(?:[{HAN}]{{0,4}}各级?|其他)?(?:相关|有关)?(?:责任|牵头|配合|协办|成员|职能|相关|有关)?"
    r"(?:单位|部门|乡镇|镇街|街道|乡镇（街道）)")
SUBJECT_TAIL = re.compile(r"(?:要|需要|需|必须|务必|应当|主动|积极)+$")  # 区财政局要会同…
# Several labels may share a line (牵头领导：张三 牵头单位：区住建局 完成时限：…): a value ends at
# a space, a stop or the next label.
LABEL = re.compile(
    r"(?P<label>牵头领导|责任领导|分管领导|责任人|牵头单位|牵头部门|责任单位|责任部门|主办单位"
    r"|承办单位|配合单位|配合部门|协办单位|协同单位|参与单位|完成时限|完成时间|时间节点|时限要求)"
    r"(?:：|为)"
)
LABEL_VALUE = re.compile(r"[^；。）\s]+")
LABEL_ROLE = {"牵头领导": "lead", "责任领导": "lead", "分管领导": "lead", "责任人": "lead",
               "牵头单位": "first", "牵头部门": "first", "责任单位": "unit", "责任部门": "unit",
               "主办单位": "unit", "承办单位": "unit", "配合单位": "coop", "配合部门": "coop",
               "协办单位": "coop", "协同单位": "coop", "参与单位": "coop"}
ORG_LEAD_IN = re.compile(
    r"^(?:.*(?<![自理缘经])(?:由|请))?(?:这项工作|此项工作|该项工作|上述工作|以上工作|具体|并|同时"
    r"|其中|再)*"
)
ORG_SEP = re.compile(r"、|以及|及|与")
ORG_ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位)$")  # 区住建局等部门 -> 区住建局
PEOPLE_SEP = re.compile(r"[，；。！？\n]")  # not ：, which binds a label to its value
ORG_SUFFIXES = (
    "局", "委", "办", "中心", "部", "处", "室", "科", "所", "院", "站", "队", "组", "集团",
    "公司", "街道", "镇", "乡", "社区", "政府", "管委会", "委员会", "办公室", "部门", "单位",
    "银行", "协会", "商会", "专班", "指挥部", "机构", "学校", "医院", "镇街", "开发区",
    "高新区", "园区",
)
NOT_ORG_ENDINGS = ("干部", "全部", "内部", "外部", "局部", "领导班子", "之间")
ORG_CHARS = re.compile(rf"[{HAN}A-Za-z0-9*X（）]+")
NOT_ORG_CHARS = re.compile(r"的|了|着|是|在|要|同志|负责人|加强|加快|开展|做好|抓好|督办")
ASSIGNMENT_OPENER = re.compile(
    r"(?:这项工作|此项工作|该项工作|上述工作|以上工作|具体)?(?:由(?![于此衷])|请)|牵头单位|责任单位"
    r"|牵头领导|责任领导|完成时限")
# A table (序号 督办事项 责任单位 完成时限, cells apart by tabs or spaces) lists one task a row;
# its column names are the labels of label lines, so a row reads as the task cell labelled.
TASK_COLUMN = re.compile(
    r"(?:督办|重点|工作|具体|主要|目标)?(?:任务|事项|工作)(?:内容|名称|事项)?|工作目标|目标任务")
OTHER_COLUMN = re.compile(r"序号|编号|备注|进展情况|推进情况|完成情况|工作措施|具体措施")
CELL_GAP = re.compile(r"\S(?:\t| {2,}|\u3000{2,})\s*\S")  # cells, not words, are so far apart
