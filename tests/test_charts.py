"""Charts draw analytics results, with tooltips, names in both languages and a theme."""

from __future__ import annotations

import json
import os
from typing import Any

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

import ipbench
from ipbench import charts
from ipbench._fonts import find_cjk_font, require_cjk_font


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return ipbench.load_observations()


@pytest.fixture(scope="module")
def built(obs: pd.DataFrame) -> dict[str, Any]:
    amb = ipbench.ambition(obs)
    cities = obs[obs["adcode"].isin(["320100", "210200", "360100"])]
    return {
        "bar": lambda lang: charts.benchmark_bar(
            ipbench.benchmark(obs, "invention_patents_in_force_per_10k", 2021), lang
        ),
        "dumbbell": lambda lang: charts.ambition_dumbbell(amb, "320102", lang),
        "scatter": lambda lang: charts.cagr_scatter(amb, lang),
        "series": lambda lang: charts.time_series(
            obs, "invention_patents_in_force_per_10k", ipbench.reconstruct(obs), lang
        ),
        "targets": lambda lang: charts.target_comparison(ipbench.compare_targets(obs), lang),
        "heat": lambda lang: charts.heat_table(
            ipbench.benchmark(cities, ["invention_patents_in_force_per_10k", "patent_grants"]), lang
        ),
    }


def _text(spec: dict[str, Any]) -> str:
    return json.dumps(spec, ensure_ascii=False)


@pytest.mark.parametrize("name", ["bar", "dumbbell", "scatter", "series", "targets", "heat"])
def test_every_chart_speaks_both_languages(built: dict[str, Any], name: str) -> None:
    chinese = _text(built[name]("zh").to_dict())
    english = _text(built[name]("en").to_dict())
    assert chinese != english
    assert '"tooltip"' in chinese
    if name in ("bar", "series", "heat"):
        assert "南京市" in chinese
        assert "Nanjing" in english
        # tooltips carry the formatted value, the source title and the evidence phrase
        assert "95.42件/万人" in chinese
        assert "95.42 per 10k residents" in english
        assert "万人发明专利拥有量95.42件" in chinese
        assert "南京市暨江宁区知识产权宣传周启动" in chinese


def test_derived_points_say_how(built: dict[str, Any]) -> None:
    spec = _text(built["series"]("en").to_dict())
    # Nanchang's 2020 rate is reconstructed from 16 and +3.53: hollow, with its derivation
    assert "16 − 3.53 件/万人 (last year's level)" in spec
    assert '"filled": false' in spec
    assert "errorbar" in spec


def test_dumbbell_labels_required_growth(built: dict[str, Any], obs: pd.DataFrame) -> None:
    spec = _text(built["dumbbell"]("zh").to_dict())
    # 有效发明专利拥有量 12482 → 18000 needs 7.6 % a year
    assert "年均+7.6%" in spec
    amb = ipbench.ambition(obs)
    lacking = int(amb.loc[amb["adcode"] == "320102", "ambition_ratio"].isna().sum())
    assert lacking > 0
    assert f"{lacking} 项目标无基期数据" in spec  # targets without a baseline are said


def test_theme_is_registered_with_cjk_font_and_palette() -> None:
    assert "ipbench" in alt.theme.names()
    with alt.theme.enable("ipbench"):
        spec = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q").to_dict()
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    assert spec["config"]["range"]["category"][0] == "#0072B2"


def test_large_series_is_aggregated_not_silenced() -> None:
    panel = ipbench.synthetic_panel(n_regions=400, n_indicators=3, n_years=15, target_share=0)
    chart = charts.time_series(panel.observations, "syn_stock_00", lang="en")
    spec = chart.to_dict()
    rows = sum(len(values) for values in spec["datasets"].values())
    assert rows <= 15 * 2  # one row a period (plus nothing else)
    assert "6,000 rows aggregated by period" in _text(spec)


@pytest.fixture
def cjk_font() -> None:
    if find_cjk_font() is not None:
        require_cjk_font()
        return
    if os.environ.get("IPBENCH_REQUIRE_CJK_FONT"):
        pytest.fail("IPBENCH_REQUIRE_CJK_FONT is set but no CJK font was found")
    pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")


def _label_png(label: str) -> bytes:
    chart = (
        alt.Chart(pd.DataFrame({"label": [label]})).mark_text(fontSize=40).encode(text="label:N")
    )
    with alt.theme.enable("ipbench"):
        spec = chart.to_dict()
    return bytes(vlc.vegalite_to_png(spec))


@pytest.mark.usefixtures("cjk_font")
def test_chinese_labels_render_as_glyphs_not_boxes() -> None:
    # without CJK glyphs both labels would be drawn as the same two empty boxes
    nanjing, dalian = _label_png("南京"), _label_png("大连")
    assert nanjing != dalian
    assert _label_png("南京") == nanjing  # and the rendering is repeatable


@pytest.mark.parametrize("name", ["bar", "dumbbell", "scatter", "series", "targets", "heat"])
def test_specs_are_strict_json(built: dict[str, Any], name: str) -> None:
    # NaN is not JSON: one NaN cell (a missing text under pandas 3) blanks the chart in a
    # browser or notebook, so every spec must serialise with allow_nan=False
    for lang in ("zh", "en"):
        json.dumps(built[name](lang).to_dict(), allow_nan=False)


def test_china_ambition_chart_is_strict_json() -> None:
    amb = ipbench.ambition(ipbench.load_observations())
    # China has no parent: its parent_adcode is missing, and must not reach the spec as NaN
    json.dumps(charts.ambition_dumbbell(amb, "100000", "en").to_dict(), allow_nan=False)
    json.dumps(charts.cagr_scatter(amb, "en").to_dict(), allow_nan=False)


def test_heat_table_columns_name_their_year(obs: pd.DataFrame) -> None:
    cities = obs[obs["adcode"].isin(["320100", "210200", "360100"])]
    bench = ipbench.benchmark(
        cities, ["invention_patents_in_force_per_10k", "invention_patents_in_force"]
    )
    spec = _text(charts.heat_table(bench, "en").to_dict())
    # the rates are compared at end-2021, the counts at end-2016 (the latest year two cities
    # share): each column says so
    assert "Invention patents in force per 10k residents (2021)" in spec
    assert "Invention patents in force (2016)" in spec
    # Nanchang's count of end-2018 is not scored for 2016: not drawn under the 2016 column
    assert "4,996" not in spec
