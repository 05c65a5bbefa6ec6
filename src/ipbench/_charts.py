"""Altair charts of analytics results, in Chinese or English.

Charts draw what the analytics functions return; they add only display text
(formatted values, names, periods) and never derive a number.
"""

from __future__ import annotations

from typing import Any, Literal

import altair as alt
import pandas as pd

from ipbench._load import load_indicators, load_regions, load_sources
from ipbench._units import format_quantity

Lang = Literal["zh", "en"]

#: Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
CJK_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
#: Altair's default row limit; larger inputs are aggregated before drawing.
MAX_ROWS = 5000

CLASS_COLOURS = {
    "target met": "#009E73",
    "on track": "#56B4E9",
    "acceleration needed": "#E69F00",
    "limited progress": "#D55E00",
    "deterioration": "#000000",
    "insufficient data": "#999999",
}

TEXT: dict[str, dict[Lang, str]] = {
    "region": {"zh": "地区", "en": "Region"},
    "level": {"zh": "行政级别", "en": "Level"},
    "value": {"zh": "数值", "en": "Value"},
    "period": {"zh": "时期", "en": "Period"},
    "source": {"zh": "来源", "en": "Source"},
    "evidence": {"zh": "原文", "en": "Evidence"},
    "method": {"zh": "推算方法", "en": "Derivation"},
    "indicator": {"zh": "指标", "en": "Indicator"},
    "reference": {"zh": "参照", "en": "Reference"},
    "baseline": {"zh": "基期", "en": "Baseline"},
    "target": {"zh": "目标", "en": "Target"},
    "ratio": {"zh": "目标 / 基期（对数轴）", "en": "Target / baseline (log scale)"},
    "required": {"zh": "所需年均增速", "en": "Required CAGR"},
    "observed": {"zh": "实际年均增速", "en": "Observed CAGR"},
    "class": {"zh": "进展评价", "en": "Progress class"},
    "reported": {"zh": "公布值", "en": "Reported"},
    "reconstructed": {"zh": "推算值", "en": "Reconstructed"},
    "kind": {"zh": "类型", "en": "Kind"},
    "per_resident": {"zh": "每万常住人口", "en": "Per 10,000 residents"},
    "per_year": {"zh": "规划期年均", "en": "Per plan-year"},
    "score": {"zh": "标准化得分（0–100）", "en": "Min-max score (0-100)"},
    "district": {"zh": "区", "en": "District"},
    "city": {"zh": "市", "en": "City"},
    "province": {"zh": "省", "en": "Province"},
    "country": {"zh": "全国", "en": "Country"},
}
CLASS_NAMES: dict[str, dict[Lang, str]] = {
    "target met": {"zh": "已达标", "en": "target met"},
    "on track": {"zh": "按进度", "en": "on track"},
    "acceleration needed": {"zh": "需加速", "en": "acceleration needed"},
    "limited progress": {"zh": "进展有限", "en": "limited progress"},
    "deterioration": {"zh": "倒退", "en": "deterioration"},
    "insufficient data": {"zh": "数据不足", "en": "insufficient data"},
}


@alt.theme.register("ipbench", enable=False)
def ipbench_theme() -> alt.theme.ThemeConfig:
    """Print-readable sizes, a colour-blind-safe palette and a CJK font family."""
    return {
        "config": {
            "font": CJK_FONTS,
            "background": "white",
            "view": {"stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e5e5e5"},
            # indicator names are long, in English especially: do not cut them short
            "axisY": {"labelLimit": 320},
            "legend": {"labelFontSize": 12, "titleFontSize": 13},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "title": {"fontSize": 16, "anchor": "start", "subtitleFontSize": 12},
            "text": {"fontSize": 12},
        }
    }


def _t(key: str, lang: Lang) -> str:
    return TEXT[key][lang]


def _indicator_names(lang: Lang) -> pd.Series:
    catalog = load_indicators().set_index("indicator")
    return catalog["name_zh" if lang == "zh" else "name_en"]


def _region_names(lang: Lang) -> pd.Series:
    return load_regions().set_index("adcode")["name_zh" if lang == "zh" else "name_en"]


def _names(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Add display names of regions and indicators (ids not in the catalog stay as they are)."""
    own = f"name_{lang}"
    regions = frame["adcode"].map(_region_names(lang)).fillna(frame["adcode"])
    if own in frame:  # a benchmark carries the names of the user's own regions too
        regions = frame[own].where(frame[own] != "", regions)
    indicators = frame["indicator"].map(_indicator_names(lang)).fillna(frame["indicator"])
    named = frame.assign(region_name=regions.astype(str), indicator_name=indicators.astype(str))
    return _blank_missing_text(named)


def _blank_missing_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Show missing text as blank.

    Altair re-infers text columns under pandas 3, which turns a missing cell
    (None) into NaN, and NaN is not JSON: one such cell makes a browser reject
    the whole chart. Blank text reads the same in a tooltip.
    """
    text = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    return frame.assign(**{c: frame[c].astype("object").where(frame[c].notna(), "") for c in text})


def _period_text(
    frame: pd.DataFrame, start: str = "period_start", end: str = "period_end"
) -> pd.Series:
    start_text = frame[start].dt.strftime("%Y-%m-%d")
    end_text = frame[end].dt.strftime("%Y-%m-%d")
    text = end_text.where(frame[start] == frame[end], start_text + " – " + end_text).fillna("")
    return pd.Series(text, index=frame.index, dtype="object")


def _value_text(
    values: pd.Series, units: pd.Series, lang: Lang, qualifiers: pd.Series | None = None
) -> pd.Series:
    marks = qualifiers if qualifiers is not None else pd.Series("eq", index=values.index)
    marks = marks.astype(str).where(lambda q: q.isin(["eq", "gt", "ge", "lt", "approx"]), "eq")
    return pd.Series(
        [
            ""
            if pd.isna(v)
            else format_quantity(float(v), str(u), lang=lang, qualifier=q, significant=4)  # type: ignore[arg-type]
            for v, u, q in zip(values, units, marks, strict=True)
        ],
        index=values.index,
        dtype="object",
    )


def _source_titles(ids: pd.Series) -> pd.Series:
    titles = load_sources().set_index("source")["title"]
    return ids.astype(str).map(
        lambda joined: "；".join(titles.get(s, s) for s in joined.split(";"))
    )


def _tooltip(lang: Lang, *extra: alt.Tooltip) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("region_name:N", title=_t("region", lang)),
        alt.Tooltip("indicator_name:N", title=_t("indicator", lang)),
        alt.Tooltip("value_text:N", title=_t("value", lang)),
        alt.Tooltip("period_text:N", title=_t("period", lang)),
        *extra,
        alt.Tooltip("source_title:N", title=_t("source", lang)),
        alt.Tooltip("evidence:N", title=_t("evidence", lang)),
    ]


def _display(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    shown = _names(frame, lang)
    # rows not derived have no ``sources`` (blank after _names): their own source stands
    sources = (
        shown["sources"].where(shown["sources"] != "", shown["source"])
        if "sources" in shown
        else shown["source"]
    )
    return shown.assign(
        value_text=_value_text(shown["value"], shown["unit"], lang, shown.get("qualifier")),
        period_text=_period_text(shown),
        source_title=_source_titles(sources),
        evidence=shown.get("evidence", ""),
    )


def benchmark_bar(bench: pd.DataFrame, lang: Lang = "zh") -> alt.TopLevelMixin:
    """Bar chart of one indicator across regions, from :func:`ipbench.benchmark`.

    Bars are the scored rows, sorted by value and coloured by administrative
    level; the rule marks the reference (the peer mean, or the named region).
    Regions the benchmark left out (``scored`` False) are named in the
    subtitle; their reasons are in the table's ``note``.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench import charts
    >>> bench = ipbench.benchmark(ipbench.load_observations(),
    ...                           "invention_patents_in_force_per_10k", year=2021)
    >>> chart = charts.benchmark_bar(bench, lang="en")
    >>> len(chart.layer)
    2
    """
    if (bench["indicator"] != bench["indicator"].iloc[0]).any():
        raise ValueError("benchmark_bar draws one indicator; filter the benchmark first")
    scored = bench[bench["scored"]]
    if scored.empty:
        raise ValueError("benchmark_bar: no region is scored; the note column says why")
    left_out = _names(bench[~bench["scored"]], lang)["region_name"].tolist()
    data = _display(scored, lang).assign(
        level_name=scored["level"].map(lambda level: TEXT.get(level, {}).get(lang, level)),
        method=scored["note"],
    )
    title = str(data["indicator_name"].iloc[0])
    unit = str(scored["unit"].iloc[0])
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=f"{_t('value', lang)} ({unit})"),
            y=alt.Y("region_name:N", sort="-x", title=None),
            color=alt.Color("level_name:N", title=_t("level", lang)),
            tooltip=_tooltip(lang, alt.Tooltip("reference:N", title=_t("reference", lang))),
        )
    )
    rule = (
        alt.Chart(data.head(1))
        .mark_rule(strokeDash=[4, 3], color="#333333")
        .encode(
            x="reference_value:Q", tooltip=[alt.Tooltip("reference:N", title=_t("reference", lang))]
        )
    )
    reference = str(data["reference"].iloc[0])
    is_mean = reference.startswith("peer mean")
    who = (
        ("同组均值" if lang == "zh" else "peer mean")
        if is_mean
        else reference.split(" ", maxsplit=1)[0]
    )
    if not is_mean:
        who = str(_region_names(lang).get(who, who))
    amount = format_quantity(float(data["reference_value"].iloc[0]), unit, lang=lang, significant=4)
    subtitle = (
        f"{_t('reference', lang)}（虚线）：{who} {amount} = 100"
        if lang == "zh"
        else (f"{_t('reference', lang)} (dashed): {who} {amount} = 100")
    )
    lines = [subtitle]
    if left_out:
        names = ("、" if lang == "zh" else ", ").join(left_out)
        lines.append(
            f"未参与比较：{names}（原因见表格）"
            if lang == "zh"
            else f"Not compared: {names} (reasons in the table)"
        )
    return alt.layer(bars, rule).properties(title=alt.TitleParams(title, subtitle=lines), width=420)


def ambition_dumbbell(ambition: pd.DataFrame, adcode: str, lang: Lang = "zh") -> alt.TopLevelMixin:
    """Baseline → target of each indicator of one region on a ratio axis.

    The baseline sits at 1 and the target at target / baseline (log scale), so
    indicators in different units share one axis; the label is the required
    CAGR. Targets without a baseline are listed in the subtitle, not dropped.
    """
    rows = ambition[ambition["adcode"] == adcode]
    usable = rows[rows["ambition_ratio"].notna()]
    data = _names(usable, lang).assign(
        baseline_point=1.0,
        cagr_text=usable["required_cagr"].map(
            lambda r: f"{r:+.1%}/yr" if lang == "en" else f"年均{r:+.1%}"
        ),
        baseline_text=_value_text(usable["baseline_value"], _units_of(usable), lang),
        target_text=_value_text(usable["target_value"], _units_of(usable), lang),
        source_title=_source_titles(usable["sources"]),
    )
    missing = len(rows) - len(usable)
    region = str(_region_names(lang).get(adcode, adcode))
    subtitle = (
        f"{missing} 项目标无基期数据，未画出"
        if lang == "zh"
        else f"{missing} targets without a baseline are not drawn"
    )
    tooltip = [
        alt.Tooltip("indicator_name:N", title=_t("indicator", lang)),
        alt.Tooltip("baseline_text:N", title=_t("baseline", lang)),
        alt.Tooltip("baseline_method:N", title=_t("method", lang)),
        alt.Tooltip("target_text:N", title=_t("target", lang)),
        alt.Tooltip("cagr_text:N", title=_t("required", lang)),
        alt.Tooltip("source_title:N", title=_t("source", lang)),
    ]
    y = alt.Y("indicator_name:N", sort="-x", title=None)
    x_scale = alt.Scale(type="log")
    base = alt.Chart(data)
    line = base.mark_rule(color="#999999", strokeWidth=2).encode(
        x=alt.X("baseline_point:Q", scale=x_scale, title=_t("ratio", lang)),
        x2="ambition_ratio:Q",
        y=y,
    )
    start = base.mark_point(filled=True, color=PALETTE[5], size=70).encode(
        x=alt.X("baseline_point:Q", scale=x_scale), y=y, tooltip=tooltip
    )
    end = base.mark_point(filled=True, color=PALETTE[0], size=90).encode(
        x=alt.X("ambition_ratio:Q", scale=x_scale), y=y, tooltip=tooltip
    )
    label = base.mark_text(align="left", dx=8).encode(
        x=alt.X("ambition_ratio:Q", scale=x_scale), y=y, text="cagr_text:N"
    )
    title = f"{region}：目标与基期" if lang == "zh" else f"{region}: targets against baselines"
    return alt.layer(line, start, end, label).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420
    )


def _units_of(frame: pd.DataFrame) -> pd.Series:
    return frame["indicator"].map(load_indicators().set_index("indicator")["unit"]).fillna("")


def cagr_scatter(ambition: pd.DataFrame, lang: Lang = "zh") -> alt.TopLevelMixin:
    """Plot required against observed CAGR, with the on-track diagonal and Eurostat classes.

    A target above the diagonal grows fast enough (R = observed / required
    ≥ 0.95 is on track); the bands mark R = 0.95, 0.6 and 0.
    """
    points = ambition[ambition["required_cagr"].notna()]
    top = max(0.05, float(points["required_cagr"].max()) if len(points) else 0.05) * 1.1
    # each class is the area between two lines through the origin, observed = R × required
    edges = {
        "on track": (0.95, None),
        "acceleration needed": (0.6, 0.95),
        "limited progress": (0.0, 0.6),
        "deterioration": (None, 0.0),
    }
    bands = pd.DataFrame(
        [
            {
                "x": x,
                "low": -top if low is None else low * x,
                "high": 2 * top if high is None else high * x,
                "band": band,
            }
            for band, (low, high) in edges.items()
            for x in (0.0, top)
        ]
    )
    bands["band_name"] = bands["band"].map(lambda c: CLASS_NAMES[c][lang])
    scale = alt.Scale(
        domain=[CLASS_NAMES[c][lang] for c in CLASS_COLOURS],
        range=list(CLASS_COLOURS.values()),
    )
    area = (
        alt.Chart(bands)
        .mark_area(opacity=0.15)
        .encode(
            x=alt.X("x:Q", title=_t("required", lang), axis=alt.Axis(format="%")),
            y=alt.Y("low:Q", title=_t("observed", lang), axis=alt.Axis(format="%")),
            y2="high:Q",
            color=alt.Color("band_name:N", scale=scale, title=_t("class", lang)),
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"x": [0.0, top]}))
        .mark_line(color="#333333", strokeDash=[4, 3])
        .encode(x="x:Q", y="x:Q")
    )
    data = _names(points, lang).assign(
        class_name=points["progress_class"].map(lambda c: CLASS_NAMES[c][lang]),
        source_title=_source_titles(points["sources"]),
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=80)
        .encode(
            x="required_cagr:Q",
            y="observed_cagr:Q",
            color=alt.Color("class_name:N", scale=scale, title=_t("class", lang)),
            tooltip=[
                alt.Tooltip("region_name:N", title=_t("region", lang)),
                alt.Tooltip("indicator_name:N", title=_t("indicator", lang)),
                alt.Tooltip("required_cagr:Q", format=".1%", title=_t("required", lang)),
                alt.Tooltip("observed_cagr:Q", format=".1%", title=_t("observed", lang)),
                alt.Tooltip("observed_method:N", title=_t("method", lang)),
                alt.Tooltip("source_title:N", title=_t("source", lang)),
            ],
        )
    )
    shown = int(points["observed_cagr"].notna().sum())
    subtitle = (
        f"{shown} 项目标有实际增速（共 {len(points)} 项有所需增速）"
        if lang == "zh"
        else f"{shown} of {len(points)} targets with a required CAGR have an observed one"
    )
    title = "所需与实际年均增速" if lang == "zh" else "Required against observed growth"
    return alt.layer(area, diagonal, dots).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420, height=320
    )


def time_series(
    obs: pd.DataFrame,
    indicator: str,
    reconstructed: pd.DataFrame | None = None,
    lang: Lang = "zh",
) -> alt.TopLevelMixin:
    """One indicator over time for several regions: reported solid, reconstructed hollow.

    Reconstructed points (from :func:`ipbench.reconstruct`) carry their
    rounding interval as an error bar. With more rows than Altair draws
    (5,000), each period shows the median and interquartile range across
    regions instead, and the subtitle says so.
    """
    reported = obs[
        (obs["indicator"] == indicator) & (obs["measure"] == "level") & (obs["status"] == "actual")
    ].assign(kind="reported", interval_low=float("nan"), interval_high=float("nan"), method="")
    parts = [reported]
    if reconstructed is not None:
        rebuilt = reconstructed[
            (reconstructed["indicator"] == indicator) & reconstructed["value"].notna()
        ]
        parts.append(rebuilt.assign(kind="reconstructed"))
    frame = pd.concat(parts, ignore_index=True)
    if frame.empty:
        raise ValueError(f"no actual levels of {indicator} to draw")
    title = str(_indicator_names(lang).get(indicator, indicator))
    if len(frame) > MAX_ROWS:
        return _aggregated_series(frame, title, lang)
    data = _display(frame, lang).assign(kind_name=frame["kind"].map(lambda k: _t(k, lang)))
    x = alt.X(
        "period_end:T", title=_t("period", lang), axis=alt.Axis(format="%Y", tickCount="year")
    )
    y_title = f"{_t('value', lang)} ({frame['unit'].iloc[0]})"
    y = alt.Y("value:Q", title=y_title)
    colour = alt.Color("region_name:N", title=_t("region", lang))
    tooltip = _tooltip(
        lang,
        alt.Tooltip("kind_name:N", title=_t("kind", lang)),
        alt.Tooltip("method:N", title=_t("method", lang)),
    )
    solid = (
        alt.Chart(data[data["kind"] == "reported"])
        .mark_point(filled=True, size=70)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    line = (
        alt.Chart(data[data["kind"] == "reported"])
        .mark_line(opacity=0.5)
        .encode(x=x, y=y, color=colour)
    )
    hollow_data = data[data["kind"] == "reconstructed"]
    hollow = (
        alt.Chart(hollow_data)
        .mark_point(filled=False, size=70, strokeWidth=2)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    bars = (
        alt.Chart(hollow_data)
        .mark_errorbar(ticks=True)
        .encode(x=x, y=alt.Y("interval_low:Q", title=y_title), y2="interval_high:Q", color=colour)
    )
    subtitle = (
        "实心：公布值；空心：推算值及其取整区间"
        if lang == "zh"
        else "solid: reported; hollow: reconstructed, with the interval its rounding allows"
    )
    return alt.layer(line, solid, bars, hollow).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420
    )


def _aggregated_series(frame: pd.DataFrame, title: str, lang: Lang) -> alt.TopLevelMixin:
    summary = frame.groupby("period_end")["value"].describe()[["25%", "50%", "75%", "count"]]
    summary = summary.reset_index().rename(columns={"25%": "q1", "50%": "median", "75%": "q3"})
    x = alt.X("period_end:T", title=_t("period", lang))
    band = (
        alt.Chart(summary)
        .mark_area(opacity=0.25)
        .encode(x=x, y=alt.Y("q1:Q", title=_t("value", lang)), y2="q3:Q")
    )
    line = (
        alt.Chart(summary)
        .mark_line()
        .encode(x=x, y="median:Q", tooltip=["period_end:T", "median:Q", "q1:Q", "q3:Q", "count:Q"])
    )
    subtitle = (
        f"{len(frame):,} 行数据按时期汇总：中位数与四分位区间"
        if lang == "zh"
        else f"{len(frame):,} rows aggregated by period: median and interquartile range"
    )
    return alt.layer(band, line).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420
    )


def target_comparison(comparison: pd.DataFrame, lang: Lang = "zh") -> alt.TopLevelMixin:
    """Shared targets of two regions, per 10,000 residents and per plan-year.

    Draws :func:`ipbench.compare_targets`: each panel shows the targets that
    have that form (a level to reach has no per-year form).
    """
    data = _names(comparison.assign(value=comparison["target_value"]), lang).assign(
        value_text=_value_text(comparison["target_value"], comparison["unit"], lang),
        period_text=_period_text(comparison),
        source_title=_source_titles(comparison["source"]),
    )
    panels = []
    for column, key in (("per_10k_residents", "per_resident"), ("per_plan_year", "per_year")):
        shown = data[data[column].notna()]
        bars = (
            alt.Chart()
            .mark_bar()
            .encode(
                x=alt.X(
                    f"{column}:Q", title=None, axis=alt.Axis(format=",.2~f", labelOverlap=True)
                ),
                y=alt.Y("region_name:N", title=None),
                color=alt.Color("region_name:N", title=_t("region", lang)),
                tooltip=[
                    *_tooltip(lang),
                    alt.Tooltip(f"{column}:Q", format=",.4~g", title=_t(key, lang)),
                    alt.Tooltip("population_basis:N"),
                    alt.Tooltip("note:N"),
                ],
            )
            .properties(width=200, height=alt.Step(14))
        )
        # units differ between indicators, so each row has its own scale
        panels.append(
            alt.layer(bars, data=shown)
            .facet(
                row=alt.Row(
                    "indicator_name:N",
                    title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left"),
                )
            )
            .resolve_scale(x="independent")
            .properties(title=_t(key, lang))
        )
    names = " / ".join(dict.fromkeys(data["region_name"]))
    title = f"{names}：共同目标" if lang == "zh" else f"{names}: shared targets"
    return alt.hconcat(*panels).properties(title=title)


def heat_table(bench: pd.DataFrame, lang: Lang = "zh", score: str = "minmax") -> alt.TopLevelMixin:
    """Region × indicator table of benchmark scores, from :func:`ipbench.benchmark`.

    Colour is the ``score`` column (min-max by default); the cell text is the
    value; only scored rows are drawn, and each column names the year its
    indicator was benchmarked on
    (indicators may be compared on different latest years). With more cells
    than Altair draws, the regions of the first and last ranks are kept and
    the subtitle says how many were left out.
    """
    # a row the benchmark left out (another year, a bound, another level) has no score, and
    # its value would sit under a column of another year
    frame = bench[bench["scored"]] if "scored" in bench else bench
    note = ""
    if len(frame) > MAX_ROWS:
        keep = frame.groupby("adcode")["rank"].mean().sort_values()
        half = MAX_ROWS // (2 * frame["indicator"].nunique())
        chosen = set(keep.index[:half]) | set(keep.index[-half:])
        note = f"{frame['adcode'].nunique() - len(chosen)} regions in the middle ranks left out"
        frame = frame[frame["adcode"].isin(chosen)]
    data = _display(frame, lang)
    if "benchmark_year" in data:
        # each indicator is benchmarked on its own year: the column says which
        data = data.assign(
            indicator_name=data["indicator_name"] + " (" + data["benchmark_year"].astype(str) + ")"
        )
    base = alt.Chart(data).encode(
        x=alt.X("indicator_name:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=180)),
        y=alt.Y("region_name:N", title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{score}:Q", title=_t("score", lang), scale=alt.Scale(scheme="viridis")),
        tooltip=[*_tooltip(lang), alt.Tooltip(f"{score}:Q", format=".1f", title=_t("score", lang))],
    )
    text = base.mark_text(fontSize=11).encode(
        text="value_text:N",
        color=alt.condition(f"datum.{score} > 50", alt.value("black"), alt.value("white")),
    )
    title = "指标得分一览" if lang == "zh" else "Benchmark scores"
    return alt.layer(cells, text).properties(
        title=alt.TitleParams(title, subtitle=note), width=alt.Step(110)
    )


def enable_offline_rendering() -> Any:
    """Render charts in JupyterLab without internet (JavaScript from vl-convert)."""
    return alt.renderers.enable("jupyter", offline=True)
