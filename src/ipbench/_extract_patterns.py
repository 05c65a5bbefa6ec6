"""The words and patterns of Chinese statistical prose that the extractor reads.

One home for the cue words of :mod:`ipbench._extract`: how a figure is written
(number, multiplier, measure word, qualifier: taken from :mod:`ipbench._units`),
how a time is written, which words mark a change, a share, a target, a stock
or a flow, and which verbs state a count of one without writing a number.
"""

from __future__ import annotations

import re
from typing import Final

from ipbench._units import CHINESE_DIGITS, CHINESE_PLACES, PREFIXES, RANGE_SEPARATORS, SUFFIXES

# --- figures -------------------------------------------------------------------------------

#: Measure words and units a figure may end with, longest first so 人次 wins over 人.
FIGURE_UNITS: Final = (
    "个百分点",
    "万亿元",
    "亿元",
    "万元",
    "千元",
    "人次",
    "件",
    "家",
    "个",
    "人",
    "名",
    "所",
    "笔",
    "项",
    "次",
    "场",
    "门",
    "元",
    "%",
    "‰",
    "倍",
)
#: What a written measure word becomes when the indicator counts in another one.
UNIT_SYNONYMS: Final = {"名": "人", "所": "家"}

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CHINESE_NUMERAL_CHARS = "".join((*CHINESE_DIGITS, *CHINESE_PLACES))
_CHINESE = rf"[{_CHINESE_NUMERAL_CHARS}]+(?:[万亿][{_CHINESE_NUMERAL_CHARS}]+)*"
_MULTIPLIER = r"(?:万亿|亿|万|千)"
_PREFIX_WORDS = "|".join(re.escape(word) for word, _ in PREFIXES)
_SUFFIX_WORDS = "|".join(re.escape(word) for word, _ in SUFFIXES)
_UNIT_WORDS = "|".join(re.escape(unit) for unit in FIGURE_UNITS)
_SEPARATORS = re.escape(RANGE_SEPARATORS.replace("到", ""))

#: A figure as sources write it: optional qualifier word, a number (Arabic or Chinese, or
#: 万/亿 alone as in 万余人), 余/多, a multiplier, a range, the measure word, 以上/左右.
#: A number after 第 is an ordinal, after 每 a denominator (每百万人): neither is a figure.
FIGURE: Final = re.compile(
    rf"(?P<prefix>{_PREFIX_WORDS})?\s*"
    rf"(?<![\d.A-Za-z{_CHINESE_NUMERAL_CHARS}第每])"
    rf"(?P<number>{_ARABIC}|{_CHINESE}|(?=[万亿][余多]))"
    rf"(?P<around>[余多])?(?P<mult>{_MULTIPLIER})?(?P<after>[余多])?"
    rf"(?:\s*[{_SEPARATORS}]\s*(?P<high>{_ARABIC}|{_CHINESE})(?P<mult_high>{_MULTIPLIER})?)?"
    rf"(?P<unit>{_UNIT_WORDS})(?P<suffix>{_SUFFIX_WORDS})?"
)
#: The "（unit）" that ends a table cell "label（unit）", then cells holding only a number.
TABLE_ROW: Final = re.compile(
    r"[（(](?P<unit>[^）)\n\d]{1,5})[）)][ \t]*"
    r"(?P<cells>(?:\s*\n?[ \t]*[<>≤≥]?[ \t]*\d+(?:\.\d+)?%?[ \t]*(?=\n|\t|$))+)"
)
#: Cell separators of a table written as text, besides a tab: a bar, or a run of spaces
#: between two words (a table pasted from a PDF or a Markdown file).
TABLE_SEPARATOR: Final = re.compile(r"[ \t]*\|[ \t]*|(?<=\S) {2,}(?=\S)")
TABLE_CELL: Final = re.compile(r"(?P<bound>[<>≤≥])?[ \t]*(?P<number>\d+(?:\.\d+)?)")
#: Words of a table header that name a column of observed (base-year) values.
BASE_COLUMN_WORDS: Final = ("基期", "基准", "现状", "基数")

# --- text structure ------------------------------------------------------------------------

#: Where a sentence ends: a full stop, an exclamation or question mark, an ellipsis, a line.
SENTENCE_END: Final = re.compile(r"[。！？!?]|……|\n")
#: Where a clause ends inside a sentence.
CLAUSE_END: Final = "，,；;：:"
#: A section heading: 一、 （二） 3. at the start of a line (after markup residue).
HEADING: Final = re.compile(
    r"^[ \t\u3000]*(?:\[bookmark:[^\]]*\][ \t]*)*"
    r"(?:(?P<r1>[一二三四五六七八九十]+、)|(?P<r2>[（(][一二三四五六七八九十]+[）)])|(?P<r3>\d+\.\s?))"
    r"(?:\[bookmark:[^\]]*\])?(?P<title>[^\n。]{1,40})$",
    re.MULTILINE,
)
#: Markup that is not text: HTML tags, entities, Word bookmark residue.
MARKUP: Final = re.compile(r"<[^<>\n]{1,300}>|&[a-z]{2,6};|\[bookmark:[^\]\n]*\]")

# --- status and time -----------------------------------------------------------------------

#: A heading with one of these words opens a section of targets.
TARGET_HEADING_WORDS: Final = ("目标", "主要指标", "预期")
#: A line starting with this is a target line (the 目标： of a plan's project box).
TARGET_LINE: Final = re.compile(r"^[ \t\u3000]*目标[:：]", re.MULTILINE)
#: Words that make a sentence a target even outside a target section.
TARGET_WORDS: Final = ("力争", "争取", "确保")

QUOTE = "“”\"'‘’「」『』"
OPENING_QUOTES: Final = ("“", '"', "‘", "「", "『")
_Q = f"[{QUOTE}]?"
#: Five-year plans: the Nth plan from the third one on runs 1966 + 5 (N - 3) onwards.
FIVE_YEAR_PLAN: Final = re.compile(
    rf"{_Q}(?P<n>十[一二三四五六七八九]|[三四五六七八九]|二十[一二三]?)五{_Q}"
    r"(?P<when>期间|时期|以来|末|末期|初)?"
)
FIVE_YEAR_PLAN_NUMBERS: Final = {
    **{f"十{d}": 10 + v for d, v in zip("一二三四五六七八九", range(1, 10), strict=True)},
    **dict(zip("三四五六七八九", range(3, 10), strict=True)),
    "二十": 20,
    "二十一": 21,
    "二十二": 22,
    "二十三": 23,
}
YEAR_WINDOW: Final = re.compile(
    r"(?P<y1>(?:19|20)\d{2})年?(?:(?P<m1>\d{1,2})月)?\s*(?:至|到|—|－|-|–|~|～)\s*"
    r"(?P<y2>(?:19|20)\d{2})年(?:(?P<m2>\d{1,2})月)?"
)
YEAR_END: Final = re.compile(
    r"(?P<until>截至|截止到?|到)?(?P<y>(?:19|20)\d{2})年(?:(?P<m>\d{1,2})月)?(?P<end>底|末|年底|年末)"
)
FULL_DATE: Final = re.compile(
    r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|份)?(?![底末])"
)
TARGET_YEAR: Final = re.compile(r"(?:到|至|截至)(?P<y>(?:19|20)\d{2})年")
YEAR: Final = re.compile(r"(?<![\d〔\[（(－-])(?P<y>(?:19|20)\d{2})年(?![）)\d度])")
MONTH_DAY: Final = re.compile(r"(?<!\d)(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日|份|初)?")
RELATIVE: Final = re.compile(
    r"(?P<word>截至目前|截止目前|截至发稿|目前|今年以来|今年|本年|去年|上年|前年|年内|当前)"
)
RELATIVE_YEARS: Final = {"今年": 0, "本年": 0, "年内": 0, "去年": -1, "上年": -1, "前年": -2}
UNTIL_NOW: Final = ("截至目前", "截止目前", "截至发稿", "目前", "当前")

# --- measures ------------------------------------------------------------------------------

#: Words between an indicator and a change figure: 同比增长, 较上年提高, 下降.
CHANGE: Final = re.compile(
    r"(?P<base>同比|比上年末?|较上年末?|比去年|较去年|比上年同期|较上年同期)?"
    r"(?P<verb>增长|增加|提高|提升|上升|下降|减少|降低|回落)了?$"
)
FALLING_VERBS: Final = ("下降", "减少", "降低", "回落")
#: 年均增长 is a growth path: no measure of the contract holds it.
AVERAGE_GROWTH: Final = re.compile(r"年均(?:增长率?|增速|增幅)(?:达|为)?$")
SHARE_OF_PARENT: Final = re.compile(
    r"占(?:全省|全市|全国|全区|全县|全自治区)(?:的)?(?:比重|比例|份额)?(?:为|达到?)?$"
)
MULTIPLE_OF_PARENT: Final = re.compile(r"(?:是|为|相当于)(?:全省|全市|全国|全区)(?:平均水平)?的?$")

# --- stock and flow ------------------------------------------------------------------------

#: Words that make an unknown indicator a stock (held at a date) or a flow (over a period).
STOCK_WORDS: Final = ("拥有量", "有效量", "有效", "拥有", "累计", "总数", "保有", "存量")
FLOW_WORDS: Final = ("申请量", "授权量", "登记量", "新增", "全年", "当年", "办结", "受理", "立案")
#: Words that say a target counts additions over the plan window, not a level.
ADDITION_WORDS: Final = ("新增", "累计", "引进", "培训")

# --- labels --------------------------------------------------------------------------------

#: Characters skipped between a label and its figure (达, 为 are qualifier prefixes), and
#: the striving words of a target (每万人口发明专利拥有量力争达到…).
LABEL_GAP: Final = re.compile(rf"^(?:[\s共计总数合已经累共是）)、的]|{'|'.join(TARGET_WORDS)})*$")
#: Words before the alias of a count that make the phrase a rate, and the denominator (the
#: catalog's ``denominator``) of that rate; None: a rate the catalog's denominators do not
#: name. Longest first, so 每百万人 (per million) is not read as 万人 (per 10k).
PER_UNIT_QUALIFIERS: Final[dict[str, str | None]] = dict(
    sorted(
        {
            "每万户企业": "enterprises",
            "每万家企业": "enterprises",
            "万户企业": "enterprises",
            "每万人口": "resident_population",
            "每万人": "resident_population",
            "万人口": "resident_population",
            "万人": "resident_population",
            "每百万人": None,
            "每万户": None,
            "每亿元": None,
            "人均": None,
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
#: Words before an alias that narrow what it counts (one kind of patent): an alias they
#: precede names a wider indicator, unless a longer alias includes them.
NARROWING_MODIFIERS: Final = ("实用新型", "外观设计", "高价值", "发明", "PCT")
#: How an alias of an amount or a count may end: 质押融资总额 = 质押融资额 = 质押融资金额;
#: 发明专利授权量 = 发明专利授权 (the measure word written, or left out).
AMOUNT_ENDINGS: Final = ("总额", "金额", "额")
COUNT_ENDINGS: Final = ("总量", "量")
#: An alias shortened to its stem keeps at least this many characters.
SHORTEST_STEM: Final = 4
#: Words dropped from a label before matching aliases: they never change what is counted.
LABEL_FILLERS: Final = ("共计", "合计", "总共", "共", "依法")
#: Verbs that state a count of one without a number: 获批X (X approved), 入选X.
ONE_WITHOUT_NUMBER: Final = ("获批创建", "获批", "入选", "成立了", "成立", "完成了", "获评")
#: Words of a sentence about an event: its counts are of attendees, not of the region.
EVENT_WORDS: Final = ("参加", "出席", "参与", "收看", "到场", "与会", "参会", "代表")

#: Traditional characters common in statistical text; one of them means the text needs
#: converting before it is matched against the (simplified) catalog.
TRADITIONAL_MARKERS: Final = frozenset(
    "專權發據數萬億場個項達較為與業務產標註冊實計錄藝術輸額請總國區縣擁獲關於長"
)
