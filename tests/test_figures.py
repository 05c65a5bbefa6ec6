"""Report figures a journal would take: source line, years, units, colours, dates, precision.

Checked on the Vega-Lite spec (what every export is drawn from) and, where the
drawing itself matters, on the SVG vl-convert draws from it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

import ipbench
from ipbench import _report, charts
from ipbench._labels import MIN_COUNT_BASE_FOR_GROWTH, has_cjk

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
#: Data fields a figure draws as text or axis labels (the others are tooltip-only).
DRAWN_FIELDS = (
    "region_name",
    "column_label",
    "panel",
    "panel_title",
    "value_text",
    "shown_text",
    "point_name",
    "kind_name",
)


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return ipbench.load_observations()


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, alt.TopLevelMixin]]:
    built = {}
    for lang in ("zh", "en"):
        out = tmp_path_factory.mktemp(f"report_{lang}")
        report = _report.build_report(out, lang=lang, formats=("html",), progress=lambda _: None)
        built[lang] = report.figures
    return built


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    return spec


def _bottom_title(spec: dict[str, Any]) -> list[str]:
    title = spec.get("title", {})
    if not isinstance(title, dict) or title.get("orient") != "bottom":
        return []
    text = title["text"]
    return [text] if isinstance(text, str) else list(text)


def _titles(value: Any) -> list[str]:
    """Every title and subtitle text anywhere in a spec (not the data)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "datasets":
                continue
            if key in ("title", "subtitle", "text") and isinstance(item, str):
                found.append(item)
            elif key in ("title", "subtitle", "text") and isinstance(item, list):
                found += [str(line) for line in item]
            else:
                found += _titles(item)
    elif isinstance(value, list):
        for item in value:
            found += _titles(item)
    return found


def _rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_report_draws_the_figures_it_should(
    figures: dict[str, dict[str, alt.TopLevelMixin]],
) -> None:
    # the CAGR scatter ("1 of 7") is replaced by a trajectory chart per region with targets
    assert "cagr_required_vs_observed" not in figures["zh"]
    assert {"trajectories_100000", "trajectories_320102"} <= set(figures["zh"])
    assert set(figures["zh"]) == set(figures["en"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_report_figure_has_a_source_line_and_years(
    figures: dict[str, dict[str, alt.TopLevelMixin]], lang: str
) -> None:
    sources = ipbench.load_sources().set_index("source")
    for name, chart in figures[lang].items():
        spec = _spec(chart)
        line = _bottom_title(spec)
        assert line, f"{name}: no source line under the figure"
        assert line[0].startswith("资料来源：" if lang == "zh" else "Source: "), name
        # each document of the plotted rows is named in it, by title (zh) or id (en)
        cited = " ".join(line)
        ids = {
            s
            for row in _rows(spec)
            for s in str(row.get("sources") or row.get("source") or "").split(";")
            if s in sources.index
        }
        for source in ids:
            title = str(sources.at[source, "title"])
            assert title in cited or source in cited, f"{name}: {source} not cited"
        # and the title or subtitle names a year (2016 ... 2025)
        heading = " ".join(_titles(spec.get("vconcat", [{}])[0]))
        assert re.search(r"20[12]\d", heading), f"{name}: no year in {heading!r}"


def test_source_line_names_issuer_and_date(
    figures: dict[str, dict[str, alt.TopLevelMixin]],
) -> None:
    # sources.csv: xuanwu_ip_plan_14fyp is 南京市玄武区“十四五”知识产权发展规划, issued by
    # 南京市玄武区人民政府办公室 on 2022-06-16
    line = " ".join(_bottom_title(_spec(figures["zh"]["ambition_320102"])))
    assert "南京市玄武区“十四五”知识产权发展规划" in line
    assert "南京市玄武区人民政府办公室" in line
    assert "2022-06-16" in line


def test_source_line_is_in_every_export(figures: dict[str, dict[str, alt.TopLevelMixin]]) -> None:
    # the line is part of the spec, so the SVG (and PNG/PDF, drawn by the same renderer) has it
    svg = vlc.vegalite_to_svg(_spec(figures["en"]["heat_table_cities"]))
    assert "Source: CNIPA monthly statistics December 2016" in svg


def _region_colours(spec: Any) -> dict[str, str]:
    """Display name → colour of every region colour scale in a spec."""
    found: dict[str, str] = {}
    if isinstance(spec, dict):
        colour = spec.get("color")
        if isinstance(colour, dict) and colour.get("field") == "region_name":
            scale = colour.get("scale", {})
            found |= dict(zip(scale.get("domain", []), scale.get("range", []), strict=True))
        for item in spec.values():
            found |= _region_colours(item)
    elif isinstance(spec, list):
        for item in spec:
            found |= _region_colours(item)
    return found


def test_each_region_has_one_colour_in_both_languages(
    figures: dict[str, dict[str, alt.TopLevelMixin]],
) -> None:
    regions = ipbench.load_regions().set_index("adcode")
    by_zh = dict(zip(regions["name_zh"], regions.index, strict=True))
    by_en = dict(zip(regions["name_en"], regions.index, strict=True))
    compared = 0
    for name in figures["zh"]:
        zh = {by_zh[k]: v for k, v in _region_colours(_spec(figures["zh"][name])).items()}
        en = {by_en[k]: v for k, v in _region_colours(_spec(figures["en"][name])).items()}
        assert zh == en, name
        assert len(set(zh.values())) == len(zh), f"{name}: two regions share a colour"
        compared += len(zh)
    # bar (3 cities), series (3 cities), targets (Xuanwu, Gulou): every one has a scale
    assert compared >= 8


def test_a_stock_sits_at_its_date(obs: pd.DataFrame) -> None:
    chart = charts.time_series(
        obs, "invention_patents_in_force_per_10k", ipbench.reconstruct(obs), "en"
    )
    spec = _spec(chart)
    layers = spec["vconcat"][0]["layer"]
    assert all(layer["encoding"]["x"]["field"] == "period_end" for layer in layers)
    assert all(layer["encoding"]["x"]["type"] == "temporal" for layer in layers)
    # Dalian's reconstructed rate of 2020-12-31 (observations.csv: 27.26 at end-2021 with a
    # rise of 2.86 → 24.4 at end-2020): the data carries the date itself ...
    dalian = [r for r in _rows(spec) if r.get("adcode") == "210200"]
    assert any(str(r["period_end"]).startswith("2020-12-31") for r in dalian)
    # ... and the axis has a tick at that date reading end-2020, no tick at 1 January
    ticks = layers[0]["encoding"]["x"]["axis"]["values"]
    assert {"year": 2020, "month": 12, "date": 31} in ticks
    assert not any(t["month"] == 1 and t["date"] == 1 for t in ticks)
    svg = vlc.vegalite_to_svg(spec)
    assert ">end-2020<" in svg
    assert ">2021<" not in svg


def test_a_province_is_not_drawn_among_cities(obs: pd.DataFrame) -> None:
    chart = charts.time_series(
        obs, "invention_patents_in_force_per_10k", ipbench.reconstruct(obs), "en"
    )
    spec = _spec(chart)
    # Jiangxi (360000, a province) has a reconstructed 2021 rate; the cities are drawn
    drawn = {r["adcode"] for r in _rows(spec)}
    assert "360000" not in drawn
    assert {"320100", "210200", "360100"} <= drawn
    assert "Regions of another administrative level not drawn: Jiangxi" in _titles(spec)


def test_no_report_figure_is_empty(figures: dict[str, dict[str, alt.TopLevelMixin]]) -> None:
    for lang in ("zh", "en"):
        for name, chart in figures[lang].items():
            spec = _spec(chart)
            assert spec.get("datasets"), name
            for key, rows in spec["datasets"].items():
                assert rows, f"{name}: dataset {key} is empty"


def test_trajectory_runs_from_baseline_to_target(obs: pd.DataFrame) -> None:
    amb = ipbench.ambition(obs)
    spec = _spec(charts.target_trajectories(amb, "100000", "en"))
    rows = _rows(spec)
    points = {r["point"]: r for r in rows if r.get("layer") == "point"}
    # observations.csv / ambition: China's high-value invention patents per 10k were 6.3 at
    # end-2020 (7.5 − 1.2), the plan asks 12 by end-2025, and 15.3 was reported for mid-2025
    assert points["baseline"]["shown"] == pytest.approx(6.3)
    assert points["latest"]["shown"] == pytest.approx(15.3)
    assert points["target"]["shown"] == pytest.approx(12.0)
    assert str(points["latest"]["date"]).startswith("2025-06-30")
    path = [r["shown"] for r in rows if r.get("layer") == "path"]
    # the required path: 6.3 × (12 / 6.3)^(t/5), end-2020 to end-2025, six year ends;
    # end-2021 is 6.3 × 1.9048^0.2 = 6.3 × 1.1375 = 7.166
    assert len(path) == 6
    assert path[0] == pytest.approx(6.3)
    assert path[1] == pytest.approx(7.166, abs=0.01)
    assert path[-1] == pytest.approx(12.0)
    # required CAGR (12 / 6.3)^(1/5) − 1 = 13.75 % a year, in the panel title
    assert any("+13.8%/yr" in str(r.get("panel_title")) for r in rows)


def test_dumbbell_plots_values_not_a_baseline_at_one(obs: pd.DataFrame) -> None:
    amb = ipbench.ambition(obs)
    rows = _rows(_spec(charts.ambition_dumbbell(amb, "320102", "zh")))
    patents = {r["point"]: r for r in rows if r["indicator"] == "invention_patents_in_force"}
    # observations.csv: Xuanwu's 12482 invention patents in force at end-2020, target 18000
    assert patents["baseline"]["shown"] == 12482
    assert patents["baseline"]["value_text"] == "12482件"
    assert patents["target"]["shown"] == 18000
    pledge = {r["point"]: r for r in rows if r["indicator"] == "ip_pledge_financing"}
    # 1亿元 at end-2020 to 6亿元 by 2025: drawn in 亿元, not raw 元
    assert pledge["baseline"]["shown"] == 1.0
    assert pledge["target"]["shown"] == 6.0
    assert "单位：亿元" in pledge["baseline"]["panel"]


def test_no_growth_rate_on_a_tiny_count(obs: pd.DataFrame) -> None:
    amb = ipbench.ambition(obs)
    rows = _rows(_spec(charts.ambition_dumbbell(amb, "320102", "en")))
    platforms = [r for r in rows if r["indicator"] == "ip_public_service_platforms"]
    # 3 → 5 platforms is (5/3)^(1/5) − 1 = +10.8 %/yr: 3 is below the threshold of 20
    assert MIN_COUNT_BASE_FOR_GROWTH > 3
    assert all("+10.8%" not in r["panel_title"] for r in platforms)
    assert all("base 3: too small for a growth rate" in r["panel_title"] for r in platforms)
    # 12482 patents is no tiny count: its (18000/12482)^(1/5) − 1 = +7.6 %/yr stays
    patents = [r for r in rows if r["indicator"] == "invention_patents_in_force"]
    assert all("+7.6%/yr" in r["panel_title"] for r in patents)


def test_heat_table_prints_counts_as_their_sources_do(obs: pd.DataFrame) -> None:
    cities = obs[obs["adcode"].isin(["320100", "210200", "360100"])]
    indicators = ["invention_patents_in_force", "patent_grants"]
    # observations.csv: Dalian's 20309 invention patents in force at end-2021 and 23508
    # patents granted in 2021 (ref_dalian_ip_2021_official); Nanjing's 32073 grants of 2017
    # (ref_nanjing_communique_2017)
    spec_2021 = json.dumps(
        _spec(charts.heat_table(ipbench.benchmark(cities, indicators, year=2021), "zh")),
        ensure_ascii=False,
    )
    spec_2017 = json.dumps(
        _spec(charts.heat_table(ipbench.benchmark(cities, "patent_grants", year=2017), "zh")),
        ensure_ascii=False,
    )
    assert '"20309件"' in spec_2021
    assert '"23508件"' in spec_2021
    assert '"32073件"' in spec_2017
    for rounded in ("20310", "20,310", "23510", "23,510", "32070", "32,070"):
        assert rounded not in spec_2021 + spec_2017
    english = json.dumps(
        _spec(charts.heat_table(ipbench.benchmark(cities, indicators, year=2021), "en"))
    )
    assert '"20,309"' in english  # English groups thousands, keeps every digit


def test_report_heat_table_keeps_source_precision(
    figures: dict[str, dict[str, alt.TopLevelMixin]],
) -> None:
    text = json.dumps(_spec(figures["zh"]["heat_table_cities"]), ensure_ascii=False)
    # observations.csv: Nanjing 33458 and Dalian 9625 invention patents in force at end-2016
    # (CNIPA December 2016), Dalian 23508 patents granted in 2021
    for count in ("33458件", "9625件", "23508件"):
        assert f'"{count}"' in text
    assert "33460" not in text
    assert "23510" not in text


def test_target_comparison_money_in_wan_yuan_and_no_raw_yuan_ticks(obs: pd.DataFrame) -> None:
    comparison = ipbench.compare_targets(
        obs, basis=["year_end_census_revised", "census_2020_11_01", "year_end_pre_census"]
    )
    zh = _spec(charts.target_comparison(comparison, "zh"))
    rows = [r for r in _rows(zh) if r.get("panel")]
    pledge = [r for r in rows if r["indicator_name"] == "知识产权质押融资总额"]
    assert pledge
    assert all("单位：万元/万人" in r["panel"] for r in pledge)
    # no bar axis at all (values are written at the bars): no "4,000,000" ticks to collide
    text = json.dumps(zh, ensure_ascii=False)
    assert "4,000,000" not in text
    bars = [layer for panel in zh["vconcat"][0]["hconcat"] for layer in panel["spec"]["layer"]]
    assert all(layer["encoding"]["x"].get("axis", "none") is None for layer in bars)
    en = _spec(charts.target_comparison(comparison, "en"))
    assert any("Unit: CNY m per 10,000 residents" in str(r.get("panel")) for r in _rows(en))


def test_a_missing_target_reads_no_target_not_zero(obs: pd.DataFrame) -> None:
    comparison = ipbench.compare_targets(
        obs, basis=["year_end_census_revised", "census_2020_11_01", "year_end_pre_census"]
    )
    # drop Gulou's (320106) service staff target: its row must say so, not draw an empty bar
    without = comparison[
        ~((comparison["adcode"] == "320106") & (comparison["indicator"] == "ip_service_staff"))
    ]
    rows = _rows(_spec(charts.target_comparison(without, "en")))
    staff = [r for r in rows if str(r.get("panel", "")).startswith("IP service staff")]
    gulou = [r for r in staff if r["region_name"] == "Gulou"]
    assert [r["shown_text"] for r in gulou] == ["no target"]


def test_heat_table_labels_wrap_not_cut(obs: pd.DataFrame) -> None:
    cities = obs[obs["adcode"].isin(["320100", "210200", "360100"])]
    spec = _spec(
        charts.heat_table(
            ipbench.benchmark(
                cities, ["invention_patents_in_force_per_10k", "invention_patents_in_force"]
            ),
            "en",
        )
    )
    axis = spec["vconcat"][0]["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelLimit"] == 0  # never cut
    labels = {r["column_label"] for r in _rows(spec)}
    assert "Invention patents in force\nper 10k residents\n(2021)" in labels
    # the full name stays for the tooltip
    assert "Invention patents in force per 10k residents (2021)" in {
        r["indicator_name"] for r in _rows(spec)
    }


def _drawn_text(spec: dict[str, Any]) -> list[str]:
    text = [t for t in _titles(spec) if isinstance(t, str)]
    for rows in spec.get("datasets", {}).values():
        text += [str(row[field]) for row in rows for field in DRAWN_FIELDS if field in row]
    return text


def test_english_figures_draw_no_cjk(figures: dict[str, dict[str, alt.TopLevelMixin]]) -> None:
    for name, chart in figures["en"].items():
        spec = _spec(chart)
        drawn = [t for t in _drawn_text(spec) if has_cjk(t)]
        assert not drawn, f"{name}: {drawn[:3]}"
        # and every axis title names an English unit (no 件/万人 drawn as boxes)
        assert "件" not in json.dumps(
            {k: v for k, v in spec.items() if k != "datasets"}, ensure_ascii=False
        )


def test_fallback_english_svg_has_no_cjk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no CJK font found: --fallback-en draws the static images in English
    monkeypatch.setattr(_report, "find_cjk_font", lambda: None)
    _report.build_report(
        tmp_path, lang="zh", formats=("svg", "png"), fallback_en=True, progress=lambda _: None
    )
    svgs = sorted((tmp_path / "figures").glob("*.svg"))
    assert svgs
    for svg in svgs:
        drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8"))
        assert drawn, svg.name
        cjk = [t for t in drawn if CJK.search(t)]
        assert not cjk, f"{svg.name}: {cjk[:3]}"
        assert "Value (" not in " ".join(drawn) or "per 10,000 residents" in " ".join(drawn)
