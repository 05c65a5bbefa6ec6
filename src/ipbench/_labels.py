"""Every word a chart shows, in Chinese and English: one table, no language test in chart code.

Chart functions look text up here with :func:`label` (templates take named
fields) and units with :func:`unit_name` and :func:`display_unit`. English text
is plain ASCII apart from typographic dashes and arrows, so a chart drawn in
English needs no CJK font (``--fallback-en``).
"""

from __future__ import annotations

import re
import textwrap
from typing import Final, Literal

Lang = Literal["zh", "en"]
#: The languages a figure or report is drawn in.
LANGS: tuple[Lang, ...] = ("zh", "en")

#: A growth rate is not shown when the figure it grows from is a count below this: with
#: fewer than 20 units, one more or one fewer moves the rate by 5 percentage points or
#: more, so "3 → 5 platforms, +10.8 %/yr" reads as a trend where there is only a count.
MIN_COUNT_BASE_FOR_GROWTH: Final = 20

#: Characters of one line of a category label before it wraps (CJK characters are about
#: twice as wide as Latin ones).
WRAP_WIDTH: Final[dict[Lang, int]] = {"zh": 12, "en": 26}

#: Whether a language's charts may show CJK text (an English chart must draw without a CJK
#: font, so a Chinese source title is cited there by its id).
SHOWS_CJK: Final[dict[Lang, bool]] = {"zh": True, "en": False}

LABELS: Final[dict[str, dict[Lang, str]]] = {
    # axis, legend and tooltip titles
    "region": {"zh": "地区", "en": "Region"},
    "level": {"zh": "行政级别", "en": "Level"},
    "value": {"zh": "数值", "en": "Value"},
    "value_in": {"zh": "数值（{unit}）", "en": "Value ({unit})"},
    "period": {"zh": "时期", "en": "Period"},
    "date": {"zh": "日期", "en": "Date"},
    "source": {"zh": "来源", "en": "Source"},
    "evidence": {"zh": "原文", "en": "Evidence"},
    "method": {"zh": "推算方法", "en": "Derivation"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "reference": {"zh": "参照", "en": "Reference"},
    "baseline": {"zh": "基期", "en": "Baseline"},
    "latest": {"zh": "最新实际值", "en": "Latest actual"},
    "actual": {"zh": "实际值", "en": "Actual"},
    "target": {"zh": "目标", "en": "Target"},
    "required_path": {"zh": "所需路径", "en": "Required path"},
    "required": {"zh": "所需年均增速", "en": "Required CAGR"},
    "observed": {"zh": "实际年均增速", "en": "Observed CAGR"},
    "class": {"zh": "进展评价", "en": "Progress class"},
    "reported": {"zh": "公布值", "en": "Reported"},
    "reconstructed": {"zh": "推算值", "en": "Reconstructed"},
    "kind": {"zh": "类型", "en": "Kind"},
    "point": {"zh": "数据点", "en": "Point"},
    "per_resident": {"zh": "每万常住人口", "en": "Per 10,000 residents"},
    "per_year": {"zh": "规划期年均", "en": "Per plan-year"},
    "per_year_unit": {"zh": "{unit}/年", "en": "{unit} a year"},
    "per_10k_unit": {"zh": "{unit}/万人", "en": "{unit} per 10,000 residents"},
    "unit_line": {"zh": "单位：{unit}", "en": "Unit: {unit}"},
    "target_additions": {
        "zh": "{level}（基期{base}，新增{added}）",
        "en": "{level} (baseline {base} plus {added} added)",
    },
    "population_basis": {"zh": "人口口径", "en": "Population basis"},
    "note": {"zh": "说明", "en": "Note"},
    "score": {"zh": "标准化得分（0–100）", "en": "Min-max score (0-100)"},
    "no_target": {"zh": "无此目标", "en": "no target"},
    "peer_mean": {"zh": "同组均值", "en": "peer mean"},
    "list_separator": {"zh": "、", "en": ", "},
    "source_separator": {"zh": "；", "en": "; "},
    # administrative levels, singular (a legend) and plural (a subtitle)
    "district": {"zh": "区", "en": "District"},
    "city": {"zh": "市", "en": "City"},
    "province": {"zh": "省", "en": "Province"},
    "country": {"zh": "全国", "en": "Country"},
    "plural_district": {"zh": "区", "en": "districts"},
    "plural_city": {"zh": "城市", "en": "cities"},
    "plural_province": {"zh": "省", "en": "provinces"},
    "plural_country": {"zh": "全国", "en": "country"},
    # dates: a stock at the end of a year, a flow over a year, a span of years
    "year_end": {"zh": "{year}年末", "en": "end-{year}"},
    "year": {"zh": "{year}年", "en": "{year}"},
    "years": {"zh": "{first}–{last}年", "en": "{first}-{last}"},
    "year_end_tick": {"zh": "年末", "en": "end-"},
    # growth
    "cagr": {"zh": "年均{rate}", "en": "{rate}/yr"},
    "cagr_hidden": {
        "zh": "基数{base}，不计增速",
        "en": "base {base}: too small for a growth rate",
    },
    # titles and subtitles
    "benchmark_title": {"zh": "{indicator}（{unit}）", "en": "{indicator} ({unit})"},
    "benchmark_subtitle": {
        "zh": "{level}对标，{when}",
        "en": "Benchmark of {level}, {when}",
    },
    "reference_line": {
        "zh": "参照（虚线）：{who} {amount} = 100",
        "en": "Reference (dashed): {who} {amount} = 100",
    },
    "not_compared": {
        "zh": "未参与比较：{names}（原因见表格）",
        "en": "Not compared: {names} (reasons in the table)",
    },
    "dumbbell_title": {
        "zh": "{region}：规划目标与基期，{when}",
        "en": "{region}: plan targets against baselines, {when}",
    },
    "dumbbell_subtitle": {
        "zh": "每行一个指标，各用本身单位与刻度：浅色点为基期，橙色为最新实际值，深色为目标",
        "en": "One row per indicator, each in its own unit and scale: light dot baseline, "
        "orange latest actual, dark target",
    },
    "no_baseline": {
        "zh": "{count} 项目标无基期数据，未画出",
        "en": "{count} targets without a baseline are not drawn",
    },
    "trajectory_title": {
        "zh": "{region}：目标路径，{when}",
        "en": "{region}: paths to the targets, {when}",
    },
    "trajectory_subtitle": {
        "zh": "基期 → 实际值 → 目标；虚线为按所需年均增速到达目标的路径",
        "en": "Baseline → actuals → target; dashed: the path at the required annual growth",
    },
    "series_title": {
        "zh": "{indicator}（{unit}），{level}，{when}",
        "en": "{indicator} ({unit}), {level}, {when}",
    },
    "series_subtitle": {
        "zh": "实心：公布值；空心：推算值及其取整区间；点在统计时点（年末存量画在当年年末）",
        "en": "Solid: reported; hollow: reconstructed, with the interval its rounding allows; "
        "each point at its date (a year-end stock at the end of its year)",
    },
    "other_level_left_out": {
        "zh": "另有不同行政级别的地区未画出：{names}",
        "en": "Regions of another administrative level not drawn: {names}",
    },
    "aggregated": {
        "zh": "{rows} 行数据按时期汇总：中位数与四分位区间",
        "en": "{rows} rows aggregated by period: median and interquartile range",
    },
    "targets_title": {
        "zh": "{names}：共同目标（各自规划期：{windows}）",
        "en": "{names}: shared targets (each plan's window: {windows})",
    },
    "plan_window": {"zh": "{region} {start}–{end}", "en": "{region} {start} to {end}"},
    "plan_until": {"zh": "{region} 规划期至{year}年", "en": "{region} plan to {year}"},
    "month": {"zh": "{year}年{month}月", "en": "{year}-{month:02d}"},
    "targets_subtitle": {
        "zh": "左：每万常住人口（{population}）；右：规划期年均；每行一个指标，各用本身单位与刻度",
        "en": "Left: per 10,000 residents ({population}); right: per plan-year; "
        "one row per indicator, each in its own unit and scale",
    },
    "population_of": {"zh": "{year}年人口", "en": "population of {year}"},
    "heat_title": {
        "zh": "{level}指标对标得分，{when}",
        "en": "Benchmark scores of {level}, {when}",
    },
    "heat_subtitle": {
        "zh": "颜色为同组标准化得分（仅人均比率与占比、至少{peers}个地区时着色），格内为公布值；"
        "每列标注对标年份",
        "en": "Colour: min-max score among peers (rates and shares with at least {peers} "
        "regions only); cell text: the reported value; each column names its year",
    },
    "heat_uncoloured": {
        "zh": "未着色（不评分）：{items}",
        "en": "Not coloured (not scored): {items}",
    },
    "heat_reason_item": {"zh": "{name}（{reason}）", "en": "{name} ({reason})"},
    "heat_reason_count": {
        "zh": "总量，不宜跨规模不同的地区评分",
        "en": "a count: not scored across regions of different size",
    },
    "heat_reason_few": {"zh": "参评地区少于{peers}个", "en": "fewer than {peers} regions"},
    "heat_left_out": {
        "zh": "中间名次的 {count} 个地区未画出",
        "en": "{count} regions in the middle ranks left out",
    },
    "scatter_title": {"zh": "所需与实际年均增速", "en": "Required against observed growth"},
    "scatter_subtitle": {
        "zh": "{shown} 项目标有实际增速（共 {total} 项有所需增速）",
        "en": "{shown} of {total} targets with a required CAGR have an observed one",
    },
    # the source line under every figure
    "source_line": {"zh": "资料来源：{sources}", "en": "Source: {sources}"},
    "source_item": {"zh": "{title}（{publisher}，{date}）", "en": "{title} ({publisher}, {date})"},
    "source_item_undated": {"zh": "{title}（{publisher}）", "en": "{title} ({publisher})"},
    "source_see_list": {
        "zh": "",
        "en": "Titles of Chinese documents are given in the report's source list.",
    },
}

CLASS_NAMES: Final[dict[str, dict[Lang, str]]] = {
    "target met": {"zh": "已达标", "en": "target met"},
    "on track": {"zh": "按进度", "en": "on track"},
    "acceleration needed": {"zh": "需加速", "en": "acceleration needed"},
    "limited progress": {"zh": "进展有限", "en": "limited progress"},
    "deterioration": {"zh": "倒退", "en": "deterioration"},
    "insufficient data": {"zh": "数据不足", "en": "insufficient data"},
}

#: Units as an axis names them; Chinese keeps the canonical unit.
UNIT_NAMES_EN: Final[dict[str, str]] = {
    "件": "number",
    "家": "number",
    "个": "number",
    "项": "number",
    "人": "people",
    "名": "people",
    "人次": "person-times",
    "笔": "transactions",
    "次": "times",
    "场": "events",
    "门": "courses",
    "元": "CNY",
    "%": "%",
    "‰": "‰",
    "件/万人": "per 10,000 residents",
    "家/万企": "per 10,000 enterprises",
    "倍": "times",
}

#: Scales a chart's numbers are shown in, largest first: (divisor, unit text). A scale is
#: used when the largest value shown reaches its divisor; ``{unit}`` is the canonical unit.
MONEY_SCALES: Final[dict[Lang, tuple[tuple[float, str], ...]]] = {
    "zh": ((1e8, "亿元"), (1e4, "万元")),
    "en": ((1e9, "CNY bn"), (1e6, "CNY m"), (1e3, "CNY thousand")),
}
COUNT_SCALES: Final[dict[Lang, tuple[tuple[float, str], ...]]] = {
    # 万件 from 10万 on, as Chinese statistics write counts
    "zh": ((1e5, "万{unit}"),),
    "en": ((1e6, "million"),),
}
COUNT_DIVISORS: Final = {"万{unit}": 1e4, "million": 1e6}

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def label(key: str, lang: Lang, **fields: object) -> str:
    """Return the text of ``key`` in ``lang``, with ``fields`` filled into its template.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    lang : {"zh", "en"}
        Language of the text.
    **fields : object
        Values of the template's named fields.

    Returns
    -------
    str
        The text.

    Examples
    --------
    >>> label("year_end", "zh", year=2020)
    '2020年末'
    >>> label("year_end", "en", year=2020)
    'end-2020'
    """
    return LABELS[key][lang].format(**fields)


def has_cjk(text: str) -> bool:
    """Whether ``text`` has a character only a CJK font draws.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    bool
        True when a CJK ideograph or full-width punctuation is in it.

    Examples
    --------
    >>> has_cjk("件/万人"), has_cjk("per 10,000 residents")
    (True, False)
    """
    return bool(_CJK.search(text))


def unit_name(unit: str, lang: Lang) -> str:
    """Name of a canonical unit on an axis, without a scale.

    Parameters
    ----------
    unit : str
        A canonical unit of the data (件, 元, 件/万人, ...).
    lang : {"zh", "en"}
        Language of the text.

    Returns
    -------
    str
        The unit in ``lang``; an unknown unit is returned as it is.

    Examples
    --------
    >>> unit_name("件/万人", "en")
    'per 10,000 residents'
    """
    return unit if lang == "zh" else UNIT_NAMES_EN.get(unit, unit)


def display_unit(unit: str, largest: float, lang: Lang) -> tuple[float, str]:
    """Divisor and unit text for showing values up to ``largest`` in ``unit``.

    Money is shown in 万元/亿元 (CNY thousand/m/bn), counts from 100,000 on in
    万件 (million in English); every other unit as it is.

    Parameters
    ----------
    unit : str
        The canonical unit of the values.
    largest : float
        The largest absolute value that will be shown.
    lang : {"zh", "en"}
        Language of the unit text.

    Returns
    -------
    tuple of (float, str)
        Divide the values by the first; the second names the unit.

    Examples
    --------
    >>> display_unit("元", 6e8, "zh")
    (100000000.0, '亿元')
    >>> display_unit("元", 6e8, "en")
    (1000000.0, 'CNY m')
    >>> display_unit("件", 18000, "zh")
    (1.0, '件')
    """
    if unit == "元":
        for divisor, text in MONEY_SCALES[lang]:
            if abs(largest) >= divisor:
                return divisor, text
    elif unit in UNIT_NAMES_EN and UNIT_NAMES_EN[unit] in ("number", "people", "person-times"):
        for threshold, text in COUNT_SCALES[lang]:
            if abs(largest) >= threshold:
                named = text.format(unit=unit)
                english = f"{named} {UNIT_NAMES_EN[unit]}".replace(" number", "")
                return COUNT_DIVISORS[text], named if lang == "zh" else english
    return 1.0, unit_name(unit, lang)


def wrap(text: str, lang: Lang) -> str:
    r"""Break a long category label into lines (joined by a newline) instead of cutting it.

    Parameters
    ----------
    text : str
        The label.
    lang : {"zh", "en"}
        Its language, which sets the width of a line.

    Returns
    -------
    str
        The label with newlines; a chart splits it with ``labelExpr``.

    Examples
    --------
    >>> wrap("Enterprises passing the IP management standard certification", "en")
    'Enterprises passing the IP\nmanagement standard\ncertification'
    """
    width = WRAP_WIDTH[lang]
    if has_cjk(text):
        width = WRAP_WIDTH["zh"]
        return "\n".join(text[i : i + width] for i in range(0, len(text), width))
    return "\n".join(textwrap.wrap(text, width)) or text


#: Vega expression that splits a wrapped label into lines.
SPLIT_LINES: Final = "split(datum.label, '\\n')"


#: Column headers of the report's tables (HTML, Excel); a column not listed keeps its id.
COLUMN_LABELS: Final[dict[str, dict[Lang, str]]] = {
    "adcode": {"zh": "行政区划代码", "en": "Region code"},
    "name_zh": {"zh": "地区（中文）", "en": "Region (Chinese)"},
    "name_en": {"zh": "地区（英文）", "en": "Region (English)"},
    "level": {"zh": "行政级别", "en": "Level"},
    "indicator": {"zh": "指标代码", "en": "Indicator id"},
    "benchmark_year": {"zh": "对标年份", "en": "Benchmark year"},
    "period_start": {"zh": "起始日期", "en": "Period start"},
    "period_end": {"zh": "截止日期", "en": "Period end"},
    "year_gap": {"zh": "年份差", "en": "Year gap"},
    "value": {"zh": "数值", "en": "Value"},
    "qualifier": {"zh": "限定词", "en": "Qualifier"},
    "value_high": {"zh": "区间上限", "en": "Upper value"},
    "unit": {"zh": "单位", "en": "Unit"},
    "scored": {"zh": "参与评分", "en": "Scored"},
    "rank": {"zh": "名次", "en": "Rank"},
    "percentile_rank": {"zh": "百分位", "en": "Percentile rank"},
    "index": {"zh": "指数（参照=100）", "en": "Index (reference = 100)"},
    "minmax": {"zh": "标准化得分", "en": "Min-max score"},
    "zscore": {"zh": "Z分数", "en": "Z-score"},
    "distance_to_frontier": {"zh": "与最优差距", "en": "Distance to frontier"},
    "distance_to_frontier_pct": {"zh": "与最优差距（%）", "en": "Distance to frontier (%)"},
    "reference": {"zh": "参照", "en": "Reference"},
    "reference_value": {"zh": "参照值", "en": "Reference value"},
    "reference_period_end": {"zh": "参照截止日期", "en": "Reference period end"},
    "higher_is_better": {"zh": "越高越好", "en": "Higher is better"},
    "note": {"zh": "说明", "en": "Note"},
    "method": {"zh": "推算方法", "en": "Derivation"},
    "source": {"zh": "来源", "en": "Source"},
    "sources": {"zh": "所据来源", "en": "Sources used"},
    "evidence": {"zh": "原文", "en": "Evidence"},
    "reason": {"zh": "原因", "en": "Reason"},
    "measure": {"zh": "度量", "en": "Measure"},
    "status": {"zh": "状态", "en": "Status"},
    "target_kind": {"zh": "目标类型", "en": "Target kind"},
    "target_value": {"zh": "目标值", "en": "Target"},
    "target_value_high": {"zh": "目标上限", "en": "Upper target"},
    "target_year": {"zh": "目标年份", "en": "Target year"},
    "plan": {"zh": "规划", "en": "Plan"},
    "plan_period_start": {"zh": "规划起始", "en": "Plan start"},
    "plan_base_date": {"zh": "规划基期", "en": "Plan base date"},
    "plan_match": {"zh": "规划匹配", "en": "Plan match"},
    "baseline_value": {"zh": "基期值", "en": "Baseline"},
    "baseline_period_end": {"zh": "基期日期", "en": "Baseline date"},
    "baseline_year": {"zh": "基期年份", "en": "Baseline year"},
    "years": {"zh": "年数", "en": "Years"},
    "baseline_method": {"zh": "基期取法", "en": "Baseline method"},
    "ambition_ratio": {"zh": "目标/基期", "en": "Target / baseline"},
    "required_cagr": {"zh": "所需年均增速", "en": "Required CAGR"},
    "plan_population": {"zh": "规划隐含人口", "en": "Plan population"},
    "baseline_on_plan_population": {
        "zh": "按规划人口的基期值",
        "en": "Baseline on plan population",
    },
    "required_cagr_on_plan_population": {
        "zh": "按规划人口的所需年均增速",
        "en": "Required CAGR on plan population",
    },
    "observed_cagr": {"zh": "实际年均增速", "en": "Observed CAGR"},
    "observed_method": {"zh": "实际增速取法", "en": "Observed CAGR method"},
    "r_ratio": {"zh": "实际/所需增速比", "en": "Observed / required"},
    "progress_class": {"zh": "进展评价", "en": "Progress class"},
    "latest_value": {"zh": "最新实际值", "en": "Latest actual"},
    "latest_period_end": {"zh": "最新实际值日期", "en": "Latest actual date"},
    "gap_closed": {"zh": "差距已缩小比例", "en": "Share of gap closed"},
    "met": {"zh": "已达标", "en": "Met"},
    "parent_adcode": {"zh": "上级地区代码", "en": "Parent region code"},
    "parent_value": {"zh": "上级地区值", "en": "Parent value"},
    "parent_period_end": {"zh": "上级地区值日期", "en": "Parent value date"},
    "baseline_to_parent_ratio": {"zh": "基期/上级", "en": "Baseline / parent"},
    "parent_target_value": {"zh": "上级目标值", "en": "Parent target"},
    "target_to_parent_ratio": {"zh": "目标/上级目标", "en": "Target / parent target"},
    "peer_count": {"zh": "同组地区数", "en": "Peers"},
    "peer_span_years": {"zh": "同组跨度（年）", "en": "Peer span (years)"},
    "peer_observed_cagr_median": {"zh": "同组实际增速中位数", "en": "Peer observed CAGR median"},
    "required_cagr_peer_percentile": {
        "zh": "所需增速在同组中的百分位",
        "en": "Required CAGR, peer percentile",
    },
    "interval_low": {"zh": "区间下限", "en": "Interval low"},
    "interval_high": {"zh": "区间上限", "en": "Interval high"},
    "derived_from": {"zh": "推算依据", "en": "Derived from"},
    "span": {"zh": "跨度", "en": "Span"},
    "from_period_end": {"zh": "起点日期", "en": "From date"},
    "from_value": {"zh": "起点值", "en": "From value"},
    "to_value": {"zh": "终点值", "en": "To value"},
    "abs_change": {"zh": "变化量", "en": "Change"},
    "rel_change": {"zh": "变化率", "en": "Relative change"},
    "cagr": {"zh": "年均增速", "en": "CAGR"},
    "check": {"zh": "核对项", "en": "Check"},
    "reported": {"zh": "公布值", "en": "Reported"},
    "computed": {"zh": "计算值", "en": "Computed"},
    "tolerance": {"zh": "容差", "en": "Tolerance"},
    "consistent": {"zh": "一致", "en": "Consistent"},
    "count_indicator": {"zh": "总量指标代码", "en": "Count indicator id"},
    "count": {"zh": "总量", "en": "Count"},
    "rate": {"zh": "比率", "en": "Rate"},
    "implied_denominator": {"zh": "隐含人口", "en": "Implied denominator"},
    "reference_year": {"zh": "参照年份", "en": "Reference year"},
    "reference_basis": {"zh": "参照口径", "en": "Reference basis"},
    "deviation": {"zh": "偏差", "en": "Deviation"},
    "reference_in_interval": {"zh": "参照值在区间内", "en": "Reference in interval"},
    "plan_years": {"zh": "规划年数", "en": "Plan years"},
    "per_10k_residents": {"zh": "每万常住人口", "en": "Per 10,000 residents"},
    "per_plan_year": {"zh": "规划期年均", "en": "Per plan-year"},
    "per_10k_residents_per_year": {
        "zh": "每万常住人口年均",
        "en": "Per 10,000 residents a year",
    },
    "population": {"zh": "常住人口", "en": "Population"},
    "population_year": {"zh": "人口年份", "en": "Population year"},
    "population_basis": {"zh": "人口口径", "en": "Population basis"},
    "per_10k_on_plan_population": {
        "zh": "按规划人口每万人",
        "en": "Per 10,000 of plan population",
    },
    "title": {"zh": "标题", "en": "Title"},
    "publisher": {"zh": "发布机关", "en": "Publisher"},
    "published": {"zh": "发布日期", "en": "Published"},
    "document_number": {"zh": "文号", "en": "Document number"},
    "url": {"zh": "网址", "en": "URL"},
}

#: How a true or false cell reads in a table.
YES_NO: Final[dict[bool, dict[Lang, str]]] = {
    True: {"zh": "是", "en": "yes"},
    False: {"zh": "否", "en": "no"},
}


def column_label(column: str, lang: Lang) -> str:
    """Header of a table column in ``lang``; a column without a label keeps its id.

    Parameters
    ----------
    column : str
        The column's id (a column name of an ipbench table).
    lang : {"zh", "en"}
        Language of the header.

    Returns
    -------
    str
        The header.

    Examples
    --------
    >>> column_label("benchmark_year", "zh"), column_label("benchmark_year", "en")
    ('对标年份', 'Benchmark year')
    >>> column_label("not_a_column", "zh")
    'not_a_column'
    """
    return COLUMN_LABELS.get(column, {}).get(lang, column)
