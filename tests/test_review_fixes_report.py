"""Review fixes of the report (issue 8, the referee's findings): tables, heat table, captions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import ipbench
from ipbench import _charts as charts
from ipbench import _report
from ipbench._labels import Lang, column_label


def _quiet(line: str) -> None:
    del line


@pytest.fixture(scope="module")
def zh_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zh") / "out"
    _report.build_report(folder, lang="zh", formats=["html"], progress=_quiet)
    return folder


def _tables_part(folder: Path) -> str:
    page = (folder / "index.html").read_text(encoding="utf-8")
    return page[page.index("<h2>数据表</h2>") :]


# --- 1. localised tables -----------------------------------------------------------------


def test_zh_page_tables_have_chinese_headers_and_empty_missing_cells(zh_report: Path) -> None:
    tables = _tables_part(zh_report)
    headers = re.findall(r"<th>([^<]*)</th>", tables)
    assert "行政区划代码" in headers
    assert "对标年份" in headers
    assert not [h for h in headers if re.fullmatch(r"[a-z_]+", h)]  # no raw column id
    assert "&lt;NA&gt;" not in tables
    assert "<NA>" not in tables
    assert "nan" not in re.findall(r"<td>([^<]*)</td>", tables)


def test_zh_page_tables_have_no_scientific_notation_nor_float_noise(zh_report: Path) -> None:
    cells = re.findall(r"<td>([^<]*)</td>", _tables_part(zh_report))
    assert not [c for c in cells if re.fullmatch(r"-?[\d.]+e[+-]\d+", c)]
    # no number with more than 8 significant digits after the point (17648.648648648646)
    assert not [c for c in cells if re.fullmatch(r"-?\d+\.\d{9,}", c)]


def test_money_is_shown_in_yi_yuan_and_counts_at_the_source_precision() -> None:
    table = pd.DataFrame(
        {
            "indicator": ["pledge_financing", "invention_patents_granted", "x"],
            "value": [3.09815e11, 20309.0, 1.0664e6],
            "unit": ["元", "件", "元"],
        }
    )
    shown = _report.display_table("growth", table, "zh", pd.Series(dtype=str))
    # 3.09815e11 元 / 1e8 = 3098.15 亿元; 1.0664e6 元 / 1e4 = 106.64 万元; 20309 件 stays 20309
    assert shown["数值"].tolist() == ["3098.15", "20309", "106.64"]
    assert shown["单位"].tolist() == ["亿元", "件", "万元"]
    english = _report.display_table("growth", table, "en", pd.Series(dtype=str))
    # 3.09815e11 / 1e9 = 309.815 CNY bn; 1.0664e6 / 1e6 = 1.0664 CNY m
    assert english["Value"].tolist() == ["309.815", "20309", "1.0664"]
    assert english["Unit"].tolist() == ["CNY bn", "number", "CNY m"]


def test_derived_values_are_rounded_in_the_page_but_not_reported_ones() -> None:
    # a reconstructed level: 20309 / (1 + 15.08 %) = 17647.27... is ipbench's, not a source's
    table = pd.DataFrame({"indicator": ["a"], "value": [17648.648648648646], "unit": ["件"]})
    shown = _report.display_table("reconstructed", table, "zh", pd.Series(dtype=str))
    assert shown["数值"].tolist() == ["17649"]
    # a reported 27.26 件/万人 keeps its two decimals; a CAGR of 0.075963813 shows 4 digits
    rates = pd.DataFrame(
        {"indicator": ["b"], "value": [27.26], "unit": ["件/万人"], "cagr": [0.07596381315461431]}
    )
    shown = _report.display_table("growth", rates, "zh", pd.Series(dtype=str))
    assert shown[["数值", "年均增速"]].to_numpy().tolist() == [["27.26", "0.07596"]]


def test_csv_counts_do_not_gain_a_point_zero(zh_report: Path) -> None:
    raw = (zh_report / "tables" / "observations.csv").read_text(encoding="utf-8-sig")
    # observations.csv: Dalian's 2021 invention patents in force, 20309 件 (also 32073, 23508)
    assert ",20309," in raw
    assert ",20309.0," not in raw
    assert not re.search(r",\d+\.0,", raw)
    ambition = (zh_report / "tables" / "ambition.csv").read_text(encoding="utf-8-sig")
    # Xuanwu's target of 18000 invention patents in force, baseline 12482 (end-2020)
    assert ",18000," in ambition
    assert ",12482," in ambition
    assert ",18000.0," not in ambition


def test_excel_headers_are_in_the_report_language(zh_report: Path) -> None:
    book = openpyxl.load_workbook(zh_report / "tables.xlsx", read_only=True)
    header = next(book["ambition"].iter_rows(max_row=1, values_only=True))
    assert header[:2] == (column_label("adcode", "zh"), column_label("indicator", "zh"))
    assert header[:2] == ("行政区划代码", "指标代码")  # the id columns are kept, labelled


# --- 2. the score heat table ---------------------------------------------------------------


def _data_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def _heat_rows(cities: list[str], lang: Lang = "en") -> tuple[list[dict[str, Any]], str]:
    obs = ipbench.load_observations()
    bench = ipbench.benchmark(
        obs[obs["adcode"].isin(cities)],
        ["invention_patents_in_force_per_10k", "patent_grants"],
        year=2021,
    )
    spec = charts.heat_table(bench, lang).to_dict()
    return _data_rows(spec), json.dumps(spec, ensure_ascii=False)


def test_heat_table_colours_only_rates_with_three_scored_peers() -> None:
    rows, _ = _heat_rows(["320100", "210200", "360100"])
    rates = {
        r["adcode"]: r["colour_score"]
        for r in rows
        if r["indicator"] == "invention_patents_in_force_per_10k"
    }
    # observations.csv, end-2021 per 10k: Nanjing 95.42, Dalian 27.26, Nanchang 16.0;
    # min-max: (27.26 - 16) / (95.42 - 16) * 100 = 11.26 / 79.42 * 100 = 14.18
    assert rates["320100"] == pytest.approx(100.0)
    assert rates["210200"] == pytest.approx(14.18, abs=0.01)
    assert rates["360100"] == pytest.approx(0.0)
    # patent grants of 2021 are a count (Dalian 23508, Nanchang 23800): a count across cities
    # of different size is not scored, so its cells carry no colour, only the value
    grants = [r for r in rows if r["indicator"] == "patent_grants"]
    assert {r["value_text"] for r in grants} == {"23,508", "23,800"}
    assert all(r["colour_score"] is None for r in grants)


def test_heat_table_does_not_colour_two_peers_and_says_why() -> None:
    # Dalian and Nanchang alone: min-max over two regions can only give 0 and 100
    rows, text = _heat_rows(["210200", "360100"])
    assert rows
    assert all(r["colour_score"] is None for r in rows)
    assert "fewer than 3 regions" in text
    assert "a count" in text
    _, chinese = _heat_rows(["210200", "360100"], "zh")
    assert "少于3个" in chinese


# --- 3. captions of figures.pdf, 4. the plan windows of a target comparison ------------------


def _comparison(lang: Lang) -> dict[str, Any]:
    obs = ipbench.load_observations()
    comparison = ipbench.compare_targets(
        obs, basis=["year_end_census_revised", "census_2020_11_01", "year_end_pre_census"]
    )
    return _report._spec(charts.target_comparison(comparison, lang))


def test_caption_is_the_figures_main_title_not_a_panel_heading() -> None:
    title = _report._title_text(_comparison("zh"))
    assert title.startswith("玄武区 / 鼓楼区：共同目标")
    assert title != "每万常住人口"  # the left panel's heading
    obs = ipbench.load_observations()
    cities = obs[obs["adcode"].isin(["320100", "210200", "360100"])]
    heat = charts.heat_table(ipbench.benchmark(cities, "invention_patents_in_force_per_10k"), "en")
    # a single chart's caption is its own title (the source line is the outer title)
    assert _report._title_text(_report._spec(heat)).startswith("Benchmark scores of cities")


def test_target_comparison_title_states_each_plan_window() -> None:
    # plans.csv: Xuanwu's plan runs 2021-01-01 to 2025-12-31, Gulou's 2022-08-01 to 2025-07-31
    zh = _report._title_text(_comparison("zh"))
    assert "玄武区 2021年1月–2025年12月" in zh
    assert "鼓楼区 2022年8月–2025年7月" in zh
    assert "2021–2025年规划期" not in zh
    en = _report._title_text(_comparison("en"))
    assert "Xuanwu 2021-01 to 2025-12" in en
    assert "Gulou 2022-08 to 2025-07" in en


# --- 5. every actual on the trajectory -----------------------------------------------------


def _trajectory_rows(adcode: str, lang: Lang, with_obs: bool) -> list[dict[str, Any]]:
    obs = ipbench.load_observations()
    amb = ipbench.ambition(obs)
    chart = charts.target_trajectories(amb, adcode, lang, obs=obs if with_obs else None)
    return _data_rows(chart.to_dict())


def test_trajectory_draws_every_actual_between_baseline_and_latest() -> None:
    rows = _trajectory_rows("100000", "en", with_obs=True)
    high_value = [
        r
        for r in rows
        if r["indicator"] == "high_value_invention_patents_per_10k" and r.get("layer") == "point"
    ]
    # observations.csv: China's high-value invention patents per 10k: 6.3 at end-2020 (the
    # plan's baseline), 7.5 at end-2021, 9.4 at end-2022, 15.3 at 2025-06-30 (the latest)
    actual = sorted((r["date_text"], r["shown"]) for r in high_value if r["point"] == "actual")
    assert actual == [("2021-12-31", 7.5), ("2022-12-31", 9.4), ("2025-06-30", 15.3)]


def test_trajectory_legend_lists_only_the_points_drawn() -> None:
    obs = ipbench.load_observations()
    amb = ipbench.ambition(obs)
    # Xuanwu's (320102) latest actuals are its end-2020 baselines: no actual after them
    spec = json.dumps(charts.target_trajectories(amb, "320102", "zh", obs=obs).to_dict(),
                      ensure_ascii=False)  # fmt: skip
    assert "最新实际值" not in spec
    assert '"实际值"' not in spec
    assert '"基期"' in spec


def test_trajectory_source_line_names_the_sources_of_every_actual_drawn() -> None:
    obs = ipbench.load_observations()
    amb = ipbench.ambition(obs)
    spec = charts.target_trajectories(amb, "100000", "en", obs=obs).to_dict()
    # observations.csv: the 9.4 of end-2022 is read from ref_scio_ip_2022 (sources.csv)
    source = obs.loc[
        (obs["adcode"] == "100000")
        & (obs["indicator"] == "high_value_invention_patents_per_10k")
        & (obs["period_end"] == "2022-12-31")
        & (obs["measure"] == "level"),
        "source",
    ]
    assert source.tolist() == ["ref_scio_ip_2022"]
    assert "ref_scio_ip_2022" in json.dumps(spec["title"])


# --- 6. English source lines ---------------------------------------------------------------


def _bottom_line(chart: Any) -> str:
    return " ".join(chart.to_dict()["title"]["text"])


def test_english_source_line_names_publisher_site_and_date() -> None:
    obs = ipbench.load_observations()
    bench = ipbench.benchmark(obs, "invention_patents_in_force_per_10k", 2021)
    line = _bottom_line(charts.benchmark_bar(bench[bench["level"] == "city"], "en"))
    # sources.csv: nanjing_ipweek_2022 has a Chinese title and publisher (中国市场监管新闻网,
    # 2022-04-24) at http://finews.zning.xyz/...: the id stays, the site and date are added
    assert "nanjing_ipweek_2022 (finews.zning.xyz, 2022-04-24)" in line
    assert "nanjing_ipweek_2022 (2022-04-24)" not in line
