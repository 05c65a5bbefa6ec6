"""Altair charts of analytics results, in Chinese or English.

Charts draw what the analytics functions return; they add only display text
(formatted values, names, periods, units) and never derive a number, except
the required path of a target, which is the target's own required CAGR laid
out year by year. Every word comes from :mod:`ipbench._labels`.

Every chart states what, where, when and in which unit in its title, and
carries the sources of its rows as a line under the figure, inside the
Vega-Lite spec, so every export (HTML, SVG, PNG, PDF) has it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, TypeAlias
from urllib.parse import urlsplit

import altair as alt
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._fonts import BUNDLED_FAMILY
from ipbench._labels import (
    CLASS_NAMES,
    LANGS,
    MIN_COUNT_BASE_FOR_GROWTH,
    SHOWS_CJK,
    SPLIT_LINES,
    UNIT_NAMES_EN,
    Lang,
    display_unit,
    has_cjk,
    label,
    unit_name,
    wrap,
)
from ipbench._options import check_option
from ipbench._units import Qualifier, format_quantity
from ipbench._validated import catalog_of

__all__ = ["Lang"]

#: What a chart function draws before the source line goes under it.
Drawable: TypeAlias = alt.Chart | alt.LayerChart | alt.FacetChart | alt.HConcatChart

#: Okabe–Ito: distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
#: Installed CJK fonts first; the one ipbench ships (registered only when none is installed) last.
CJK_FONTS = (
    "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', "
    f"'{BUNDLED_FAMILY}', sans-serif"
)
#: Altair's default row limit; larger inputs are aggregated before drawing.
MAX_ROWS = 5000
#: Significant digits of a number the analytics derived (a reported number keeps its own).
DERIVED_DIGITS = 4

CLASS_COLOURS = {
    "target met": "#009E73",
    "on track": "#56B4E9",
    "acceleration needed": "#E69F00",
    "limited progress": "#D55E00",
    "deterioration": "#000000",
    "insufficient data": "#999999",
}
#: Colours of the points of a target's path: baseline, latest actual, target.
#: The heat table colours a column only for these indicator kinds (a count across
#: regions of different size ranks their size)...
SCORED_KINDS = ("rate", "share")
#: ...and only with this many scored regions: a min-max score over two is 0 or 100.
MIN_SCORED_PEERS = 3
#: Background of a heat-table cell that is shown but not scored.
UNSCORED_CELL = "#f2f2f2"
POINT_COLOURS = {"baseline": "#56B4E9", "latest": "#E69F00", "target": "#0072B2"}
#: Points of a trajectory: every actual after the baseline is drawn in the latest's colour.
TRAJECTORY_POINTS = {
    "baseline": POINT_COLOURS["baseline"],
    "actual": POINT_COLOURS["latest"],
    "latest": POINT_COLOURS["latest"],
    "target": POINT_COLOURS["target"],
}
#: Qualifiers a target text carries as written (a range is shown by its lower end).
BOUNDS = ("gt", "ge", "lt", "approx")
#: Preferred level of a chart when regions of several levels have the same count of rows.
LEVEL_ORDER = ("city", "district", "province", "country")


@alt.theme.register("ipbench", enable=False)
def ipbench_theme() -> alt.theme.ThemeConfig:
    """Print-readable sizes, a colour-blind-safe palette and a CJK font family.

    Returns
    -------
    dict
        The theme's Vega-Lite ``config``.
    """
    return {
        "config": {
            "font": CJK_FONTS,
            "background": "white",
            "view": {"stroke": None},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 12, "titleFontSize": 13, "gridColor": "#e5e5e5"},
            # indicator names are long, in English especially: labels wrap, never cut
            "axisY": {"labelLimit": 320},
            "legend": {"labelFontSize": 12, "titleFontSize": 13},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "title": {"fontSize": 16, "anchor": "start", "subtitleFontSize": 12},
            "text": {"fontSize": 12},
        }
    }


# ---------------------------------------------------------------------------------------
# names, numbers, dates


def _catalog(frame: pd.DataFrame) -> Catalog:
    """Return the catalog a frame was validated against: a user's regions are named from it."""
    return catalog_of(frame) or Catalog.builtin()


def _indicator_names(lang: Lang, catalog: Catalog) -> pd.Series:
    return catalog.indicators.set_index("indicator")[f"name_{lang}"]


def _region_names(lang: Lang, catalog: Catalog) -> pd.Series:
    return catalog.regions.set_index("adcode")[f"name_{lang}"]


def _region_levels(catalog: Catalog) -> pd.Series:
    return catalog.level_of


def _names(frame: pd.DataFrame, lang: Lang, catalog: Catalog) -> pd.DataFrame:
    """Add display names of regions and indicators (ids not in the catalog stay as they are)."""
    own = f"name_{lang}"
    regions = frame["adcode"].map(_region_names(lang, catalog)).fillna(frame["adcode"])
    if own in frame:  # a benchmark carries the names of the user's own regions too
        regions = frame[own].where(frame[own].notna() & (frame[own] != ""), regions)
    indicators = frame["indicator"].map(_indicator_names(lang, catalog)).fillna(frame["indicator"])
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


def _is_derived(frame: pd.DataFrame) -> pd.Series:
    """Rows the analytics derived (they name a method); the others are reported figures."""
    if "method" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["method"].fillna("").astype(str).str.strip() != ""


def _value_text(
    values: pd.Series,
    units: pd.Series,
    lang: Lang,
    qualifiers: pd.Series | None = None,
    derived: pd.Series | None = None,
) -> pd.Series:
    """Values as text: a reported figure exactly as its source gave it (20309 stays 20309).

    Only a derived figure (``derived`` True) is rounded, to 4 significant digits.
    """
    marks = qualifiers if qualifiers is not None else pd.Series("eq", index=values.index)
    marks = marks.astype(str).where(lambda q: q.isin(["eq", "gt", "ge", "lt", "approx"]), "eq")
    rounded = derived if derived is not None else pd.Series(False, index=values.index)
    return pd.Series(
        [
            ""
            if pd.isna(v)
            else format_quantity(
                float(v),
                str(u),
                lang=lang,
                qualifier=q,  # type: ignore[arg-type]
                significant=DERIVED_DIGITS if bool(d) else None,
            )
            for v, u, q, d in zip(values, units, marks, rounded, strict=True)
        ],
        index=values.index,
        dtype="object",
    )


def _when(dates: Iterable[Any], lang: Lang, *, stock: bool = True) -> str:
    """Name the years a chart covers: "2021年末" for one year-end, "2019–2021年" for a span."""
    known = sorted({pd.Timestamp(d) for d in dates if pd.notna(d)})
    if not known:
        return ""
    years = sorted({d.year for d in known})
    if len(years) == 1:
        one_year_end = len(known) == 1 and known[0].month == 12 and known[0].day == 31
        return label("year_end" if stock and one_year_end else "year", lang, year=years[0])
    return label("years", lang, first=years[0], last=years[-1])


def _growth_text(rate: float, base: float, unit: str, lang: Lang) -> str:
    """Write required growth, or why it is not shown (a count too small to grow from)."""
    if math.isnan(rate):
        return ""
    is_count = UNIT_NAMES_EN.get(unit) in ("number", "people", "person-times")
    if is_count and abs(base) < MIN_COUNT_BASE_FOR_GROWTH:
        return label("cagr_hidden", lang, base=format_quantity(base, unit, lang=lang))
    return label("cagr", lang, rate=f"{rate:+.1%}")


def _units_of(frame: pd.DataFrame, catalog: Catalog) -> pd.Series:
    units = frame["indicator"].map(catalog.unit_of)
    return units.fillna("").astype(str)


# ---------------------------------------------------------------------------------------
# sources


def _source_ids(column: Iterable[object]) -> list[str]:
    """Source ids of a column of ``source`` or ``;``-joined ``sources``, first seen first."""
    seen: dict[str, None] = {}
    for joined in column:
        if isinstance(joined, str):
            for source in joined.split(";"):
                if source.strip():
                    seen.setdefault(source.strip(), None)
    return list(seen)


def _source_titles(ids: pd.Series, lang: Lang, catalog: Catalog) -> pd.Series:
    """Each row's sources as text for a tooltip (titles, or ids where English needs them)."""
    sources = catalog.sources.set_index("source")
    return ids.astype(str).map(
        lambda joined: label("source_separator", lang).join(
            _source_name(s, sources, lang) for s in joined.split(";") if s
        )
    )


def _source_name(source: str, sources: pd.DataFrame, lang: Lang) -> str:
    if source not in sources.index:
        return source
    title = str(sources.at[source, "title"])
    # an English figure needs no CJK font: a Chinese title is cited by its id there
    return title if SHOWS_CJK[lang] or not has_cjk(title) else source


def _source_lines(ids: Iterable[str], lang: Lang, catalog: Catalog) -> list[str]:
    """Write the source line under a figure: each document's title, issuer and date."""
    sources = catalog.sources.set_index("source")
    items = []
    cited_by_id = False
    for source in ids:
        if source not in sources.index:
            items.append(source)
            continue
        row = sources.loc[source]
        title = _source_name(source, sources, lang)
        cited_by_id |= title == source
        publisher = str(row["publisher"]) if isinstance(row["publisher"], str) else ""
        if has_cjk(publisher) and not SHOWS_CJK[lang]:
            # an English figure draws no CJK: the site that published it names the publisher
            publisher = _site_of(row["url"])
        published = row["published"]
        if isinstance(published, pd.Timestamp) and publisher:
            text = label(
                "source_item", lang, title=title, publisher=publisher, date=f"{published:%Y-%m-%d}"
            )
        elif isinstance(published, pd.Timestamp):
            text = label(
                "source_item_undated", lang, title=title, publisher=f"{published:%Y-%m-%d}"
            )
        elif publisher:
            text = label("source_item_undated", lang, title=title, publisher=publisher)
        else:
            text = title
        items.append(text)
    lines = [label("source_line", lang, sources=item) for item in items[:1]]
    indent = " " * 4
    lines += [indent + item for item in items[1:]]
    if cited_by_id and label("source_see_list", lang):
        lines.append(label("source_see_list", lang))
    return lines


def _site_of(url: object) -> str:
    """Host of a web address ("en.dl.gov.cn"), or "" for anything else."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return ""
    return urlsplit(url).hostname or ""


def _with_source(
    chart: Drawable, ids: Iterable[str], lang: Lang, catalog: Catalog
) -> alt.VConcatChart:
    """Put the source line under a chart, as a bottom title of a one-chart concatenation.

    Being part of the spec, the line is in every export of the figure.
    """
    lines = _source_lines(ids, lang, catalog)
    return alt.vconcat(chart).properties(
        title=alt.TitleParams(
            lines,
            orient="bottom",
            anchor="start",
            fontSize=10,
            fontWeight="normal",
            color="#444444",
            offset=12,
        )
    )


# ---------------------------------------------------------------------------------------
# colours


def _region_colours(adcodes: Iterable[str], names: Iterable[str], catalog: Catalog) -> alt.Scale:
    """One fixed colour per region, keyed by adcode: the same in Chinese and English.

    A region's colour is its place, by adcode, among the catalog's regions of its
    administrative level (a chart shows one level), so Nanjing has one colour in every
    chart of cities. When two regions of one chart would still share a colour, the
    chart's own regions are coloured in adcode order instead — the same in both languages.
    """
    pairs = dict(zip(adcodes, names, strict=True))
    chart_codes = sorted(pairs)
    levels = _region_levels(catalog)
    places = {}
    for code in chart_codes:
        level = levels.get(code, "")
        peers = sorted(set(levels[levels == level].index) | {code})
        places[code] = peers.index(code)
    colours = [PALETTE[places[code] % len(PALETTE)] for code in chart_codes]
    if len(set(colours)) < len(colours):
        colours = [PALETTE[i % len(PALETTE)] for i in range(len(chart_codes))]
    return alt.Scale(domain=[pairs[code] for code in chart_codes], range=colours)


def _region_colour(
    frame: pd.DataFrame, lang: Lang, catalog: Catalog, *, legend: bool = True
) -> alt.Color:
    pairs = frame[["adcode", "region_name"]].drop_duplicates("adcode")
    return alt.Color(
        "region_name:N",
        title=label("region", lang),
        scale=_region_colours(pairs["adcode"], pairs["region_name"], catalog),
        legend=alt.Legend() if legend else None,
    )


# ---------------------------------------------------------------------------------------
# tooltips


def _tooltip(lang: Lang, *extra: alt.Tooltip) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("region_name:N", title=label("region", lang)),
        alt.Tooltip("indicator_name:N", title=label("indicator", lang)),
        alt.Tooltip("value_text:N", title=label("value", lang)),
        alt.Tooltip("period_text:N", title=label("period", lang)),
        *extra,
        alt.Tooltip("source_title:N", title=label("source", lang)),
        alt.Tooltip("evidence:N", title=label("evidence", lang)),
    ]


def _sources_of(frame: pd.DataFrame) -> pd.Series:
    """Each row's sources: a derived row's ``sources``, else its own ``source``."""
    if "sources" not in frame:
        return frame["source"].fillna("").astype(str)
    joined = frame["sources"].fillna("").astype(str)
    return joined.where(joined != "", frame["source"].fillna("").astype(str))


def _display(frame: pd.DataFrame, lang: Lang, catalog: Catalog) -> pd.DataFrame:
    shown = _names(frame, lang, catalog)
    return shown.assign(
        value_text=_value_text(
            frame["value"], frame["unit"], lang, frame.get("qualifier"), _is_derived(frame)
        ),
        period_text=_period_text(shown),
        source_title=_source_titles(_sources_of(frame), lang, catalog),
        evidence=shown.get("evidence", ""),
    )


# ---------------------------------------------------------------------------------------
# charts


def benchmark_bar(bench: pd.DataFrame, lang: Lang = "zh") -> alt.VConcatChart:
    """Bar chart of one indicator across regions, from :func:`ipbench.benchmark`.

    Bars are the scored rows, sorted by value, one colour per region; the rule
    marks the reference (the peer mean, or the named region). Regions the
    benchmark left out (``scored`` False) are named in the subtitle; their
    reasons are in the table's ``note``. The title names the indicator and
    unit, the subtitle the level and year, and the sources are under the chart.

    Parameters
    ----------
    bench : pandas.DataFrame
        One indicator's rows of :func:`ipbench.benchmark`.
    lang : {"zh", "en"}
        Language of every label.

    Returns
    -------
    altair.VConcatChart
        The bars and reference rule, with the source line under them.

    Raises
    ------
    ValueError
        When ``bench`` holds several indicators or no scored row.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench import charts
    >>> bench = ipbench.benchmark(ipbench.load_observations(),
    ...                           "invention_patents_in_force_per_10k", year=2021)
    >>> chart = charts.benchmark_bar(bench, lang="en")
    >>> len(chart.vconcat[0].layer)
    2
    >>> chart.title.text[0].startswith("Source: ")
    True
    """
    check_option("lang", lang, LANGS)
    catalog = _catalog(bench)
    if (bench["indicator"] != bench["indicator"].iloc[0]).any():
        raise ValueError("benchmark_bar draws one indicator; filter the benchmark first")
    scored = bench[bench["scored"]]
    if scored.empty:
        raise ValueError("benchmark_bar: no region is scored; the note column says why")
    left_out = _names(bench[~bench["scored"]], lang, catalog)["region_name"].tolist()
    data = _display(scored, lang, catalog)
    unit = str(scored["unit"].iloc[0])
    levels = sorted(set(scored["level"].astype(str)))
    title = label(
        "benchmark_title",
        lang,
        indicator=data["indicator_name"].iloc[0],
        unit=unit_name(unit, lang),
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=label("value_in", lang, unit=unit_name(unit, lang))),
            y=alt.Y("region_name:N", sort="-x", title=None),
            color=_region_colour(data, lang, catalog, legend=False),
            tooltip=_tooltip(lang, alt.Tooltip("reference:N", title=label("reference", lang))),
        )
    )
    rule = (
        alt.Chart(data.head(1))
        .mark_rule(strokeDash=[4, 3], color="#333333")
        .encode(
            x="reference_value:Q",
            tooltip=[alt.Tooltip("reference:N", title=label("reference", lang))],
        )
    )
    reference = str(data["reference"].iloc[0])
    if reference.startswith("peer mean"):
        who = label("peer_mean", lang)
    else:
        code = reference.split(" ", maxsplit=1)[0]
        who = str(_region_names(lang, catalog).get(code, code))
    amount = format_quantity(
        float(data["reference_value"].iloc[0]), unit, lang=lang, significant=DERIVED_DIGITS
    )
    lines = [
        label(
            "benchmark_subtitle",
            lang,
            level=label("list_separator", lang).join(label(f"plural_{lv}", lang) for lv in levels),
            when=_when(scored["period_end"], lang, stock=_is_stock(scored)),
        ),
        label("reference_line", lang, who=who, amount=amount),
    ]
    if left_out:
        lines.append(
            label("not_compared", lang, names=label("list_separator", lang).join(left_out))
        )
    chart = alt.layer(bars, rule).properties(
        title=alt.TitleParams(title, subtitle=lines), width=420
    )
    return _with_source(chart, _source_ids(_sources_of(scored)), lang, catalog)


def _is_stock(frame: pd.DataFrame) -> bool:
    """Rows of a point in time (a stock or a rate at a date), not of a period."""
    return bool((frame["period_start"] == frame["period_end"]).all())


def _actuals_after_baseline(
    usable: pd.DataFrame, obs: pd.DataFrame | None
) -> dict[tuple[str, str], list[tuple[pd.Timestamp, float, str, str]]]:
    """Actual levels of each target's indicator after its baseline, up to its latest actual.

    Keyed by (adcode, indicator); each is (date, value, qualifier, source id), by date.
    """
    if obs is None:
        return {}
    actual = obs[(obs["status"] == "actual") & (obs["measure"] == "level")]
    found: dict[tuple[str, str], list[tuple[pd.Timestamp, float, str, str]]] = {}
    for row in usable.to_dict("records"):
        last = row["latest_period_end"]
        mine = actual[
            (actual["adcode"] == row["adcode"])
            & (actual["indicator"] == row["indicator"])
            & (actual["period_end"] > row["baseline_period_end"])
        ]
        if pd.notna(last):
            mine = mine[mine["period_end"] <= last]
        # one point a date: a date reported twice (two sources) is drawn once
        mine = mine.sort_values("period_end").drop_duplicates("period_end")
        found[(str(row["adcode"]), str(row["indicator"]))] = [
            (pd.Timestamp(d), float(v), str(q), str(src))
            for d, v, q, src in zip(
                mine["period_end"], mine["value"], mine["qualifier"], mine["source"], strict=True
            )
        ]
    return found


def _path_points(
    ambition: pd.DataFrame,
    lang: Lang,
    actuals: dict[tuple[str, str], list[tuple[pd.Timestamp, float, str, str]]] | None = None,
) -> pd.DataFrame:
    """Baseline, actuals and target of each target with a baseline, in display units.

    ``actuals`` holds every actual after the baseline; without an entry, the
    latest actual of the ambition table is drawn (when later than the baseline).

    A target of additions is drawn at the level it implies (baseline × ambition ratio,
    i.e. the stock plus the additions), the level its required CAGR grows to.
    """
    rows = []
    for row in ambition.to_dict("records"):
        unit = str(row["unit"])
        base = float(row["baseline_value"])
        target_level = base * float(row["ambition_ratio"])
        divisor, unit_text = display_unit(unit, max(abs(base), abs(target_level)), lang)
        panel = (
            wrap(str(row["indicator_name"]), lang) + "\n" + label("unit_line", lang, unit=unit_text)
        )
        growth = _growth_text(float(row["required_cagr"]), base, unit, lang)
        common = {
            "adcode": row["adcode"],
            "indicator": row["indicator"],
            "panel": panel,
            "indicator_name": row["indicator_name"],
            "growth_text": growth,
            "source_title": row["source_title"],
        }
        # a baseline the analytics derived is rounded; a reported figure is not
        base_digits = None if str(row["baseline_method"]) == "reported" else DERIVED_DIGITS
        base_text = format_quantity(base, unit, lang=lang, significant=base_digits)
        # a range target is written by its lower end here; its table row has both
        bound: Qualifier = row["qualifier"] if row["qualifier"] in BOUNDS else "eq"
        target_text = format_quantity(float(row["target_value"]), unit, lang=lang, qualifier=bound)
        if row["target_kind"] == "additions":
            target_text = label(
                "target_additions",
                lang,
                level=format_quantity(target_level, unit, lang=lang),
                base=base_text,
                added=target_text,
            )
        points = [
            ("baseline", row["baseline_period_end"], base, base_text),
            ("target", row["period_end"], target_level, target_text),
        ]
        key = (str(row["adcode"]), str(row["indicator"]))
        latest = row["latest_period_end"]
        if actuals and key in actuals:
            after = actuals[key]
        elif pd.notna(latest) and latest > row["baseline_period_end"]:
            after = [(pd.Timestamp(latest), float(row["latest_value"]), "eq", "")]
        else:
            after = []
        # every actual from the observations, or the one latest the ambition table names
        kind = "actual" if actuals else "latest"
        for date, value, qualifier, _source in reversed(after):
            shown_qualifier: Qualifier = qualifier if qualifier in BOUNDS else "eq"  # type: ignore[assignment]
            text = format_quantity(value, unit, lang=lang, qualifier=shown_qualifier)
            points.insert(1, (kind, date, value, text))
        for kind, date, value, text in points:
            rows.append(
                common
                | {
                    "point": kind,
                    "point_name": label(kind, lang),
                    "date": pd.Timestamp(date),
                    "date_text": f"{pd.Timestamp(date):%Y-%m-%d}",
                    "shown": value / divisor,
                    "value_text": text,
                }
            )
    return pd.DataFrame(rows)


def _region_targets(
    ambition: pd.DataFrame, adcode: str, lang: Lang, chart: str
) -> tuple[pd.DataFrame, Catalog]:
    """Select a region's targets that have a baseline to draw from, with the catalog."""
    catalog = _catalog(ambition)
    usable = _with_baseline(ambition[ambition["adcode"] == adcode], lang, catalog)
    if usable.empty:
        raise ValueError(f"{chart}: no target of {adcode} has a baseline to draw")
    return usable, catalog


def _with_baseline(ambition: pd.DataFrame, lang: Lang, catalog: Catalog) -> pd.DataFrame:
    usable = ambition[ambition["required_cagr"].notna() & ambition["baseline_value"].notna()]
    return _names(usable, lang, catalog).assign(
        unit=_units_of(usable, catalog),
        source_title=_source_titles(usable["sources"], lang, catalog),
    )


def ambition_dumbbell(ambition: pd.DataFrame, adcode: str, lang: Lang = "zh") -> alt.VConcatChart:
    """Baseline → target of each indicator of one region, in each indicator's own unit.

    One row per indicator, each with its own scale and unit (money in 万元/亿元
    or CNY m): the light dot is the baseline, the orange one the latest actual
    (when later than the baseline), the dark one the target; the label is the
    required CAGR, or why it is not shown (a count too small to grow from).
    Targets without a baseline are counted in the subtitle, not dropped silently.

    Parameters
    ----------
    ambition : pandas.DataFrame
        The result of :func:`ipbench.ambition`.
    adcode : str
        The region whose targets are drawn.
    lang : {"zh", "en"}
        Language of every label.

    Returns
    -------
    altair.VConcatChart
        The faceted dumbbells, with the source line under them.

    Raises
    ------
    ValueError
        When no target of ``adcode`` has a baseline.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench import charts
    >>> amb = ipbench.ambition(ipbench.load_observations())
    >>> chart = charts.ambition_dumbbell(amb, "100000", lang="en")
    >>> chart.vconcat[0].title.text
    'China: plan targets against baselines, 2020-2025'
    """
    check_option("lang", lang, LANGS)
    usable, catalog = _region_targets(ambition, adcode, lang, "ambition_dumbbell")
    points = _path_points(usable, lang)
    drawn = set(points["point"])
    region = str(_region_names(lang, catalog).get(adcode, adcode))
    when = _when(pd.concat([usable["baseline_period_end"], usable["period_end"]]), lang)
    subtitle = [label("dumbbell_subtitle", lang)]
    missing = int((ambition["adcode"] == adcode).sum()) - len(usable)
    if missing:
        subtitle.append(label("no_baseline", lang, count=missing))
    tooltip = [
        alt.Tooltip("indicator_name:N", title=label("indicator", lang)),
        alt.Tooltip("point_name:N", title=label("point", lang)),
        alt.Tooltip("value_text:N", title=label("value", lang)),
        alt.Tooltip("date_text:N", title=label("date", lang)),
        alt.Tooltip("growth_text:N", title=label("required", lang)),
        alt.Tooltip("source_title:N", title=label("source", lang)),
    ]
    x = alt.X("shown:Q", title=None, scale=alt.Scale(zero=False, nice=True))
    line = alt.Chart().mark_line(color="#999999", strokeWidth=2).encode(x=x, detail="indicator:N")
    dots = (
        alt.Chart()
        .mark_point(filled=True, size=90, opacity=1)
        .encode(
            x=x,
            color=alt.Color(
                "point_name:N",
                title=label("point", lang),
                # only the kinds of point drawn: no legend entry for an actual never shown
                scale=alt.Scale(
                    domain=[label(k, lang) for k in TRAJECTORY_POINTS if k in drawn],
                    range=[c for k, c in TRAJECTORY_POINTS.items() if k in drawn],
                ),
            ),
            tooltip=tooltip,
        )
    )
    points = points.assign(panel_title=points["panel"] + "\n" + points["growth_text"])
    panels = (
        alt.layer(line, dots, data=points)
        .properties(width=360, height=_row_height(points["panel_title"]))
        .facet(
            row=alt.Row(
                "panel_title:N",
                title=None,
                sort=list(dict.fromkeys(points["panel_title"])),
                header=alt.Header(
                    labelAngle=0, labelAlign="left", labelExpr=SPLIT_LINES, labelLimit=0
                ),
            )
        )
        .resolve_scale(x="independent")
        .resolve_axis(x="independent")
        .properties(
            title=alt.TitleParams(
                label("dumbbell_title", lang, region=region, when=when), subtitle=subtitle
            )
        )
    )
    return _with_source(panels, _source_ids(usable["sources"]), lang, catalog)


def target_trajectories(
    ambition: pd.DataFrame, adcode: str, lang: Lang = "zh", obs: pd.DataFrame | None = None
) -> alt.VConcatChart:
    """Each target of one region as a path: baseline → actuals → target.

    One panel per target with a baseline, in the indicator's own unit: the
    baseline, every actual after it (from ``obs``; without it, the latest
    actual the ambition table names) and the target at their dates, and
    dashed the path growing at the required CAGR from the baseline to the target.
    The panel title names the required growth, or why none is shown (a count
    too small to grow from). This replaces the scatter of required against
    observed growth, which is empty when targets have no second actual.

    Parameters
    ----------
    ambition : pandas.DataFrame
        The result of :func:`ipbench.ambition`.
    adcode : str
        The region whose targets are drawn.
    lang : {"zh", "en"}
        Language of every label.
    obs : pandas.DataFrame, optional
        The observations the ambition table was computed from: each actual
        level after the baseline is drawn, up to the latest.

    Returns
    -------
    altair.VConcatChart
        The panels, with the source line under them.

    Raises
    ------
    ValueError
        When no target of ``adcode`` has a baseline.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench import charts
    >>> amb = ipbench.ambition(ipbench.load_observations())
    >>> chart = charts.target_trajectories(amb, "100000", lang="en")
    >>> chart.vconcat[0].title.text
    'China: paths to the targets, 2020-2025'
    """
    check_option("lang", lang, LANGS)
    usable, catalog = _region_targets(ambition, adcode, lang, "target_trajectories")
    actuals = _actuals_after_baseline(usable, obs)
    points = _path_points(usable, lang, actuals)
    path = _required_paths(points)
    data = pd.concat([points.assign(layer="point"), path.assign(layer="path")], ignore_index=True)
    data = _blank_missing_text(data.assign(panel_title=data["panel"] + "\n" + data["growth_text"]))
    region = str(_region_names(lang, catalog).get(adcode, adcode))
    when = _when(pd.concat([usable["baseline_period_end"], usable["period_end"]]), lang)
    x = alt.X(
        "date:T",
        title=None,
        axis=alt.Axis(
            values=_year_end_ticks(points["date"]), labelExpr=_year_end_label(lang), labelAngle=0
        ),
    )
    y = alt.Y("shown:Q", title=None, scale=alt.Scale(zero=False))
    drawn = set(points["point"])
    required = (
        alt.Chart()
        .transform_filter(alt.datum.layer == "path")
        .mark_line(strokeDash=[5, 4], color="#555555")
        .encode(x=x, y=y)
    )
    actual = (
        alt.Chart()
        .transform_filter(alt.datum.layer == "point")
        .transform_filter(alt.datum.point != "target")
        .mark_line(color=POINT_COLOURS["latest"])
        .encode(x=x, y=y)
    )
    dots = (
        alt.Chart()
        .transform_filter(alt.datum.layer == "point")
        .mark_point(filled=True, size=80, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "point_name:N",
                title=label("point", lang),
                # only the kinds of point drawn: no legend entry for an actual never shown
                scale=alt.Scale(
                    domain=[label(k, lang) for k in TRAJECTORY_POINTS if k in drawn],
                    range=[c for k, c in TRAJECTORY_POINTS.items() if k in drawn],
                ),
            ),
            tooltip=[
                alt.Tooltip("indicator_name:N", title=label("indicator", lang)),
                alt.Tooltip("point_name:N", title=label("point", lang)),
                alt.Tooltip("value_text:N", title=label("value", lang)),
                alt.Tooltip("date_text:N", title=label("date", lang)),
                alt.Tooltip("growth_text:N", title=label("required", lang)),
                alt.Tooltip("source_title:N", title=label("source", lang)),
            ],
        )
    )
    panels = (
        alt.layer(required, actual, dots, data=data)
        .properties(width=220, height=150)
        .facet(
            facet=alt.Facet(
                "panel_title:N",
                title=None,
                sort=list(dict.fromkeys(data["panel_title"])),
                header=alt.Header(labelExpr=SPLIT_LINES, labelAlign="left", labelAnchor="start"),
            ),
            columns=3,
        )
        .resolve_scale(y="independent")
        .properties(
            title=alt.TitleParams(
                label("trajectory_title", lang, region=region, when=when),
                subtitle=[label("trajectory_subtitle", lang)],
            )
        )
    )
    # the observations drawn between baseline and latest name their own sources
    drawn_sources = pd.Series([src for found in actuals.values() for *_, src in found], dtype=str)
    sources = pd.concat([usable["sources"].astype(str), drawn_sources], ignore_index=True)
    return _with_source(panels, _source_ids(sources), lang, catalog)


def _required_paths(points: pd.DataFrame) -> pd.DataFrame:
    """Lay out the path at the required CAGR: baseline × ratio^(elapsed share), each year end.

    It is the target's required growth laid out year by year; it ends on the target.
    """
    rows = []
    for indicator, own in points.groupby("indicator", sort=False):
        first = own[own["point"] == "baseline"].iloc[0]
        last = own[own["point"] == "target"].iloc[0]
        start, end = pd.Timestamp(first["date"]), pd.Timestamp(last["date"])
        dates = [start, *pd.date_range(start, end, freq="YE")[1:]]
        if dates[-1] != end:
            dates.append(end)
        ratio = float(last["shown"]) / float(first["shown"])
        for date in dates:
            share = (date - start) / (end - start)
            rows.append(
                {
                    "indicator": indicator,
                    "panel": first["panel"],
                    "growth_text": first["growth_text"],
                    "date": date,
                    "shown": float(first["shown"]) * ratio**share,
                }
            )
    return pd.DataFrame(rows)


def _row_height(labels: pd.Series) -> int:
    """Height of a facet row that fits its longest wrapped label (18 px a line)."""
    lines = max((str(text).count("\n") + 1 for text in labels), default=1)
    return max(36, 18 * lines)


def _year_end_ticks(dates: pd.Series) -> list[alt.DateTime]:
    """Axis ticks at the dates drawn, so a stock of 2020-12-31 sits on its own tick."""
    return [
        alt.DateTime(year=d.year, month=d.month, date=d.day)
        for d in sorted({pd.Timestamp(d) for d in dates if pd.notna(d)})
    ]


def _year_end_label(lang: Lang) -> str:
    """Vega expression: a 31 December tick reads "2020年末" / "end-2020", others the date."""
    before, _, after = label("year_end", lang, year="\0").partition("\0")
    year = "timeFormat(datum.value, '%Y')"
    return (
        f"timeFormat(datum.value, '%m-%d') == '12-31' ? '{before}' + {year} + '{after}'"
        " : timeFormat(datum.value, '%Y-%m-%d')"
    )


def cagr_scatter(ambition: pd.DataFrame, lang: Lang = "zh") -> alt.VConcatChart:
    """Plot required against observed CAGR, with the on-track diagonal and Eurostat classes.

    A target above the diagonal grows fast enough (R = observed / required
    ≥ 0.95 is on track); the bands mark R = 0.95, 0.6 and 0. The report draws
    :func:`target_trajectories` instead: few targets have an observed CAGR.

    Parameters
    ----------
    ambition : pandas.DataFrame
        The result of :func:`ipbench.ambition`.
    lang : {"zh", "en"}
        Language of every label.

    Returns
    -------
    altair.VConcatChart
        Bands, diagonal and one point per target with both rates, with the source line.
    """
    check_option("lang", lang, LANGS)
    catalog = _catalog(ambition)
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
            x=alt.X("x:Q", title=label("required", lang), axis=alt.Axis(format="%")),
            y=alt.Y("low:Q", title=label("observed", lang), axis=alt.Axis(format="%")),
            y2="high:Q",
            color=alt.Color("band_name:N", scale=scale, title=label("class", lang)),
        )
    )
    diagonal = (
        alt.Chart(pd.DataFrame({"x": [0.0, top]}))
        .mark_line(color="#333333", strokeDash=[4, 3])
        .encode(x="x:Q", y="x:Q")
    )
    data = _names(points, lang, catalog).assign(
        class_name=points["progress_class"].map(lambda c: CLASS_NAMES[c][lang]),
        source_title=_source_titles(points["sources"], lang, catalog),
    )
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=80)
        .encode(
            x="required_cagr:Q",
            y="observed_cagr:Q",
            color=alt.Color("class_name:N", scale=scale, title=label("class", lang)),
            tooltip=[
                alt.Tooltip("region_name:N", title=label("region", lang)),
                alt.Tooltip("indicator_name:N", title=label("indicator", lang)),
                alt.Tooltip("required_cagr:Q", format=".1%", title=label("required", lang)),
                alt.Tooltip("observed_cagr:Q", format=".1%", title=label("observed", lang)),
                alt.Tooltip("observed_method:N", title=label("method", lang)),
                alt.Tooltip("source_title:N", title=label("source", lang)),
            ],
        )
    )
    shown = int(points["observed_cagr"].notna().sum())
    subtitle = label("scatter_subtitle", lang, shown=shown, total=len(points))
    chart = alt.layer(area, diagonal, dots).properties(
        title=alt.TitleParams(label("scatter_title", lang), subtitle=subtitle),
        width=420,
        height=320,
    )
    return _with_source(chart, _source_ids(points["sources"]), lang, catalog)


def _one_level(frame: pd.DataFrame, catalog: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of the level most regions have (cities first on a tie), and the others."""
    levels = frame["adcode"].map(_region_levels(catalog)).fillna("")
    counts = frame.assign(level=levels).groupby("level")["adcode"].nunique()
    order = {lv: i for i, lv in enumerate(LEVEL_ORDER)}
    chosen = min(counts.index, key=lambda lv: (-counts[lv], order.get(lv, len(order))))
    return frame[levels == chosen], frame[levels != chosen]


def time_series(
    obs: pd.DataFrame,
    indicator: str,
    reconstructed: pd.DataFrame | None = None,
    lang: Lang = "zh",
) -> alt.VConcatChart:
    """One indicator over time for regions of one level: reported solid, reconstructed hollow.

    Each point sits at its date on a time axis whose ticks are the dates drawn
    (a stock of 2020-12-31 reads "2020年末", not 2021). Regions of another
    administrative level than most (a province among cities) are not drawn and
    are named in the subtitle. Reconstructed points (from
    :func:`ipbench.reconstruct`) carry their rounding interval as an error bar.
    With more rows than Altair draws (5,000), each period shows the median and
    interquartile range across regions instead, and the subtitle says so.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations (:func:`ipbench.load_observations`).
    indicator : str
        The indicator drawn.
    reconstructed : pandas.DataFrame, optional
        The result of :func:`ipbench.reconstruct`, drawn hollow.
    lang : {"zh", "en"}
        Language of every label.

    Returns
    -------
    altair.VConcatChart
        The series, with the source line under them.

    Raises
    ------
    ValueError
        When ``obs`` has no actual level of ``indicator``.
    """
    check_option("lang", lang, LANGS)
    catalog = _catalog(obs)
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
    name = str(_indicator_names(lang, catalog).get(indicator, indicator))
    unit = str(frame["unit"].iloc[0])
    if len(frame) > MAX_ROWS:
        return _aggregated_series(frame, name, unit, lang, catalog)
    frame, other = _one_level(frame, catalog)
    level = str(_region_levels(catalog).get(frame["adcode"].iloc[0], ""))
    data = _display(frame, lang, catalog).assign(
        kind_name=frame["kind"].map(lambda k: label(k, lang))
    )
    x = alt.X(
        "period_end:T",
        title=label("date", lang),
        axis=alt.Axis(
            values=_year_end_ticks(frame["period_end"]),
            labelExpr=_year_end_label(lang),
            labelAngle=0,
        ),
    )
    y_title = label("value_in", lang, unit=unit_name(unit, lang))
    y = alt.Y("value:Q", title=y_title)
    colour = _region_colour(data, lang, catalog)
    tooltip = _tooltip(
        lang,
        alt.Tooltip("kind_name:N", title=label("kind", lang)),
        alt.Tooltip("method:N", title=label("method", lang)),
    )
    solid = (
        alt.Chart(data[data["kind"] == "reported"])
        .mark_point(filled=True, size=70, opacity=1)
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
        .mark_point(filled=False, size=70, strokeWidth=2, opacity=1)
        .encode(x=x, y=y, color=colour, tooltip=tooltip)
    )
    bars = (
        alt.Chart(hollow_data)
        .mark_errorbar(ticks=True)
        .encode(x=x, y=alt.Y("interval_low:Q", title=y_title), y2="interval_high:Q", color=colour)
    )
    subtitle = [label("series_subtitle", lang)]
    if not other.empty:
        names = _names(other.drop_duplicates("adcode"), lang, catalog)["region_name"]
        subtitle.append(
            label("other_level_left_out", lang, names=label("list_separator", lang).join(names))
        )
    title = label(
        "series_title",
        lang,
        indicator=name,
        unit=unit_name(unit, lang),
        level=label(f"plural_{level}", lang) if level else "",
        when=_when(frame["period_end"], lang),
    )
    chart = alt.layer(line, solid, bars, hollow).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420
    )
    return _with_source(chart, _source_ids(_sources_of(frame)), lang, catalog)


def _aggregated_series(
    frame: pd.DataFrame, name: str, unit: str, lang: Lang, catalog: Catalog
) -> alt.VConcatChart:
    summary = frame.groupby("period_end")["value"].describe()[["25%", "50%", "75%", "count"]]
    summary = summary.reset_index().rename(columns={"25%": "q1", "50%": "median", "75%": "q3"})
    x = alt.X("period_end:T", title=label("date", lang))
    band = (
        alt.Chart(summary)
        .mark_area(opacity=0.25)
        .encode(
            x=x,
            y=alt.Y("q1:Q", title=label("value_in", lang, unit=unit_name(unit, lang))),
            y2="q3:Q",
        )
    )
    line = (
        alt.Chart(summary)
        .mark_line()
        .encode(x=x, y="median:Q", tooltip=["period_end:T", "median:Q", "q1:Q", "q3:Q", "count:Q"])
    )
    subtitle = label("aggregated", lang, rows=f"{len(frame):,}")
    title = label(
        "series_title",
        lang,
        indicator=name,
        unit=unit_name(unit, lang),
        level="",
        when=_when(frame["period_end"], lang),
    )
    chart = alt.layer(band, line).properties(
        title=alt.TitleParams(title, subtitle=subtitle), width=420
    )
    return _with_source(chart, _source_ids(frame["source"]), lang, catalog)


def target_comparison(comparison: pd.DataFrame, lang: Lang = "zh") -> alt.VConcatChart:
    """Shared targets of two or more regions, per 10,000 residents and per plan-year.

    Draws :func:`ipbench.compare_targets`: each panel shows the targets that
    have that form (a level to reach has no per-year form). Each row is one
    indicator in its own unit (money in 万元/亿元, CNY m in English) with the
    value written at the bar; a region without that target reads "no target",
    never an empty bar.

    Parameters
    ----------
    comparison : pandas.DataFrame
        The result of :func:`ipbench.compare_targets`.
    lang : {"zh", "en"}
        Language of every label.

    Returns
    -------
    altair.VConcatChart
        Both panels side by side, with the source line under them.
    """
    check_option("lang", lang, LANGS)
    catalog = _catalog(comparison)
    data = _names(comparison.assign(value=comparison["target_value"]), lang, catalog).assign(
        value_text=_value_text(
            comparison["target_value"], comparison["unit"], lang, comparison.get("qualifier")
        ),
        period_text=_period_text(comparison),
        source_title=_source_titles(comparison["source"], lang, catalog),
    )
    regions = data[["adcode", "region_name"]].drop_duplicates("adcode")
    colour = alt.Color(
        "region_name:N",
        title=label("region", lang),
        scale=_region_colours(regions["adcode"], regions["region_name"], catalog),
    )
    panels = []
    for column, key in (("per_10k_residents", "per_resident"), ("per_plan_year", "per_year")):
        shown = _panel_rows(data, column, regions, lang)
        if shown.empty:
            continue
        y = alt.Y("region_name:N", title=None, sort=list(regions["region_name"]))
        x = alt.X("shown:Q", title=None, axis=None, scale=alt.Scale(zero=True))
        bars = (
            alt.Chart()
            .mark_bar()
            .encode(
                x=x,
                y=y,
                color=colour,
                tooltip=[
                    *_tooltip(lang),
                    alt.Tooltip("shown_text:N", title=label(key, lang)),
                    alt.Tooltip("population_basis:N", title=label("population_basis", lang)),
                    alt.Tooltip("note:N", title=label("note", lang)),
                ],
            )
        )
        text = alt.Chart().mark_text(align="left", dx=4).encode(x=x, y=y, text="shown_text:N")
        panels.append(
            alt.layer(bars, text, data=shown)
            .properties(width=200, height=_row_height(shown["panel"]))
            .facet(
                row=alt.Row(
                    "panel:N",
                    title=None,
                    sort=list(dict.fromkeys(shown["panel"])),
                    header=alt.Header(
                        labelAngle=0, labelAlign="left", labelExpr=SPLIT_LINES, labelLimit=0
                    ),
                )
            )
            # units differ between indicators, so each row has its own scale
            .resolve_scale(x="independent")
            .properties(title=label(key, lang))
        )
    names = " / ".join(regions["region_name"])
    windows = _plan_windows(comparison, regions, lang, catalog)
    years = comparison["population_year"].dropna().astype(int).unique()
    population = label("list_separator", lang).join(
        label("population_of", lang, year=y) for y in sorted(years)
    )
    chart = alt.hconcat(*panels, spacing=40).properties(
        title=alt.TitleParams(
            label("targets_title", lang, names=names, windows=windows),
            subtitle=[label("targets_subtitle", lang, population=population)],
        )
    )
    return _with_source(chart, _source_ids(comparison["source"]), lang, catalog)


def _plan_windows(
    comparison: pd.DataFrame, regions: pd.DataFrame, lang: Lang, catalog: Catalog
) -> str:
    """Name each region's own plan window (plans differ: Gulou's runs 2022-08 to 2025-07).

    A plan the catalog does not list is named by the year its targets fall due.
    """
    plans = catalog.plans.drop_duplicates("plan").set_index("plan")
    texts = []
    for adcode, region in zip(regions["adcode"], regions["region_name"], strict=True):
        own = comparison[comparison["adcode"] == adcode]
        plan = own["plan"].dropna()
        if len(plan) and plan.iloc[0] in plans.index:
            start, end = plans.loc[plan.iloc[0], ["period_start", "period_end"]]
            texts.append(
                label(
                    "plan_window",
                    lang,
                    region=region,
                    start=label("month", lang, year=start.year, month=start.month),
                    end=label("month", lang, year=end.year, month=end.month),
                )
            )
        else:
            year = pd.Timestamp(own["period_end"].max()).year
            texts.append(label("plan_until", lang, region=region, year=year))
    return label("list_separator", lang).join(texts)


def _panel_rows(data: pd.DataFrame, column: str, regions: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Rows of one panel in display units, with a "no target" row for each region lacking one."""
    indicators = data.loc[data[column].notna(), "indicator"].unique()
    rows = []
    for indicator in indicators:
        mine = data[(data["indicator"] == indicator)]
        has = mine[mine[column].notna()]
        # a rate target stays a rate; a count or sum becomes per 10,000 residents or per year
        unit = str(has["unit"].iloc[0])
        divisor, unit_text = display_unit(unit, float(has[column].abs().max()), lang)
        if column == "per_10k_residents" and "/" not in unit:
            unit_text = _per_10k_text(unit_text, lang)
        elif column == "per_plan_year":
            unit_text = label("per_year_unit", lang, unit=unit_text)
        name = str(has["indicator_name"].iloc[0])
        panel = wrap(name, lang) + "\n" + label("unit_line", lang, unit=unit_text)
        for adcode, region in zip(regions["adcode"], regions["region_name"], strict=True):
            row = has[has["adcode"] == adcode]
            if row.empty:
                blank = {c: "" for c in data.columns if data[c].dtype == object}
                rows.append(
                    blank
                    | {
                        "adcode": adcode,
                        "region_name": region,
                        "indicator_name": name,
                        "panel": panel,
                        "shown": 0.0,
                        "shown_text": label("no_target", lang),
                    }
                )
                continue
            record = row.iloc[0].to_dict()
            value = float(record[column]) / divisor
            rows.append(
                record
                | {
                    "panel": panel,
                    "shown": value,
                    # per resident and per year are derived: 4 significant digits
                    "shown_text": f"{float(f'{value:.4g}'):,.10g}",
                }
            )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    keep = [
        c
        for c in (
            "adcode",
            "region_name",
            "indicator_name",
            "panel",
            "shown",
            "shown_text",
            "value_text",
            "period_text",
            "source_title",
            "evidence",
            "population_basis",
            "note",
        )
        if c in frame
    ]
    return _blank_missing_text(frame[keep])


def _per_10k_text(unit_text: str, lang: Lang) -> str:
    """Name a count or sum per 10,000 residents: 件/万人, CNY m per 10,000 residents."""
    # "number per 10,000 residents" says no more than "per 10,000 residents"
    return label("per_10k_unit", lang, unit=unit_text).replace("number ", "")


def heat_table(bench: pd.DataFrame, lang: Lang = "zh", score: str = "minmax") -> alt.VConcatChart:
    """Region × indicator table of benchmark scores, from :func:`ipbench.benchmark`.

    Colour is the ``score`` column (min-max by default), for the columns of a
    rate or share with at least :data:`MIN_SCORED_PEERS` scored regions; a
    count's column and a column of fewer regions show their values on a pale
    cell, and the subtitle names them and why. The cell text is the
    value as its source wrote it (20309 stays 20309); only scored rows are
    drawn, and each column names the year its indicator was benchmarked on
    (indicators may be compared on different latest years). Column labels wrap
    instead of being cut. With more cells than Altair draws, the regions of
    the first and last ranks are kept and the subtitle says how many were left out.

    Parameters
    ----------
    bench : pandas.DataFrame
        The result of :func:`ipbench.benchmark` on one or more indicators.
    lang : {"zh", "en"}
        Language of every label.
    score : str
        The score column that colours the cells.

    Returns
    -------
    altair.VConcatChart
        The table, with the source line under it.
    """
    check_option("lang", lang, LANGS)
    catalog = _catalog(bench)
    # a row the benchmark left out (another year, a bound, another level) has no score, and
    # its value would sit under a column of another year
    frame = bench[bench["scored"]] if "scored" in bench else bench
    note = []
    if len(frame) > MAX_ROWS:
        keep = frame.groupby("adcode")["rank"].mean().sort_values()
        half = MAX_ROWS // (2 * frame["indicator"].nunique())
        chosen = set(keep.index[:half]) | set(keep.index[-half:])
        note.append(label("heat_left_out", lang, count=frame["adcode"].nunique() - len(chosen)))
        frame = frame[frame["adcode"].isin(chosen)]
    data = _display(frame, lang, catalog)
    data, left_uncoloured = _heat_colour(data, frame, score, lang, catalog)
    if left_uncoloured:
        note.append(left_uncoloured)
    # long names wrap onto lines (never cut); the year gets a line of its own
    data = data.assign(column_label=data["indicator_name"].map(lambda n: wrap(n, lang)))
    if "benchmark_year" in data:
        # each indicator is benchmarked on its own year: the column says which
        year = " (" + data["benchmark_year"].astype(str) + ")"
        data = data.assign(
            indicator_name=data["indicator_name"] + year,
            column_label=data["column_label"] + "\n" + year.str.strip(),
        )
    base = alt.Chart(data).encode(
        x=alt.X(
            "column_label:N",
            title=None,
            axis=alt.Axis(labelAngle=0, labelExpr=SPLIT_LINES, labelLimit=0, orient="bottom"),
        ),
        y=alt.Y("region_name:N", title=None),
    )
    tooltip = [
        *_tooltip(lang),
        alt.Tooltip("colour_score:Q", format=".1f", title=label("score", lang)),
    ]
    # every cell gets a pale background; a scored one is painted over with its score
    blank = base.mark_rect(color=UNSCORED_CELL).encode(tooltip=tooltip)
    cells = base.mark_rect().encode(
        color=alt.Color(
            "colour_score:Q", title=label("score", lang), scale=alt.Scale(scheme="viridis")
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=11).encode(
        text="value_text:N",
        color=alt.condition(
            "datum.colour_score == null || datum.colour_score > 50",
            alt.value("black"),
            alt.value("white"),
        ),
    )
    levels = sorted(set(frame["level"].astype(str))) if "level" in frame else []
    years = frame["benchmark_year"] if "benchmark_year" in frame else frame["period_end"].dt.year
    year_list = sorted({int(y) for y in years.dropna()})
    when = (
        label("year", lang, year=year_list[0])
        if len(year_list) == 1
        else label("list_separator", lang).join(label("year", lang, year=y) for y in year_list)
    )
    title = label(
        "heat_title",
        lang,
        level=label("list_separator", lang).join(label(f"plural_{lv}", lang) for lv in levels),
        when=when,
    )
    chart = alt.layer(blank, cells, text).properties(
        title=alt.TitleParams(
            title, subtitle=[label("heat_subtitle", lang, peers=MIN_SCORED_PEERS), *note]
        ),
        width=alt.Step(150),
    )
    return _with_source(chart, _source_ids(_sources_of(frame)), lang, catalog)


def _heat_colour(
    data: pd.DataFrame, frame: pd.DataFrame, score: str, lang: Lang, catalog: Catalog
) -> tuple[pd.DataFrame, str]:
    """Keep the score of the columns a colour can compare; name the others and why.

    A count compared across cities of different size ranks their size, not
    their performance; and a min-max score over two regions is 0 or 100 however
    close they are. So only a rate or share with at least
    :data:`MIN_SCORED_PEERS` scored regions is coloured.
    """
    kinds = frame["indicator"].map(catalog.kind_of)
    year = frame["benchmark_year"] if "benchmark_year" in frame else frame["period_end"].dt.year
    peers = frame.groupby([frame["indicator"], year])["adcode"].transform("nunique")
    comparable = kinds.isin(SCORED_KINDS)
    enough = peers >= MIN_SCORED_PEERS
    coloured = (comparable & enough).to_numpy()
    data = data.assign(colour_score=data[score].where(coloured))
    reasons: dict[str, str] = {}
    for name, is_rate, has_peers in zip(data["indicator_name"], comparable, enough, strict=True):
        if not is_rate:
            reasons.setdefault(name, label("heat_reason_count", lang))
        elif not has_peers:
            reasons.setdefault(name, label("heat_reason_few", lang, peers=MIN_SCORED_PEERS))
    if not reasons:
        return data, ""
    items = label("list_separator", lang).join(
        label("heat_reason_item", lang, name=name, reason=reason)
        for name, reason in reasons.items()
    )
    return data, label("heat_uncoloured", lang, items=items)


def chart_text(chart: alt.TopLevelMixin) -> list[str]:
    """Every piece of text a chart's spec shows or holds, for checks of language and content.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        Any chart.

    Returns
    -------
    list of str
        The string values anywhere in its Vega-Lite spec, data included.
    """
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.append(value)

    walk(chart.to_dict())
    return found
