"""Analytics on the built-in data, checked against figures worked out by hand.

Each expected number is derived in the comment above it from the source
figures; the tests compare with a relative tolerance of 1e-9 unless the
comment says otherwise.
"""

from __future__ import annotations

import pandas as pd
import pytest

import ipbench

TIGHT = 1e-9


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return ipbench.load_observations()


def _row(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].astype(str) == str(value)
    rows = frame[mask]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- ambition -----------------------------------------------------------------


def test_xuanwu_invention_patents_ambition(obs: pd.DataFrame) -> None:
    row = _row(ipbench.ambition(obs), adcode="320102", indicator="invention_patents_in_force")
    # baseline: 有效发明专利拥有量12482件 at the end of 2020;
    # target: 有效发明专利拥有量达18000件 by 2025
    assert (row["baseline_value"], row["target_value"]) == (12482, 18000)
    assert (row["baseline_year"], row["target_year"], row["years"]) == (2020, 2025, 5.0)
    # ratio = 18000 / 12482 = 1.44207659029...
    assert row["ambition_ratio"] == pytest.approx(1.4420765902900177, rel=TIGHT)
    # required CAGR = 1.44207659^(1/5) - 1 = 0.0759638...
    assert row["required_cagr"] == pytest.approx(0.07596381315461431, rel=TIGHT)
    # no earlier Xuanwu figure: no observed trend, so no R ratio; 12482 < 18000: not met
    assert pd.isna(row["observed_cagr"])
    assert row["progress_class"] == "insufficient data"
    assert not row["met"]
    # peers share Xuanwu's level (districts); none has two comparable counts five years
    # apart, and the cities (Dalian 9625 → 20309) are not its peers
    assert row["peer_count"] == 0
    assert pd.isna(row["required_cagr_peer_percentile"])


def test_per_capita_target_gets_a_derived_baseline(obs: pd.DataFrame) -> None:
    row = _row(
        ipbench.ambition(obs), adcode="320102", indicator="invention_patents_in_force_per_10k"
    )
    # no reported 2020 rate: 12482 件 / 537825 人 (census 2020) × 10^4 = 232.0829 件/万人
    assert row["baseline_value"] == pytest.approx(232.08292660251942, rel=TIGHT)
    assert row["baseline_method"].startswith("derived: 12482 件 / 537825 人 × 10000")
    # required CAGR = (300 / 232.0829)^(1/5) - 1 = 0.052678
    assert row["required_cagr"] == pytest.approx(0.052678159486843956, rel=TIGHT)
    # relative ambition compares like dates: Nanjing's rate at the baseline date (end-2020)
    # is not reported, and its 95.42 of end-2021 is a year later, so no parent ratio; nor has
    # Nanjing a 2025 target of its own to set the 300 beside
    assert row["parent_adcode"] == "320100"
    assert pd.isna(row["parent_value"])
    assert pd.isna(row["baseline_to_parent_ratio"])
    assert pd.isna(row["target_to_parent_ratio"])


def test_additions_target_reads_against_the_stock(obs: pd.DataFrame) -> None:
    row = _row(
        ipbench.ambition(obs),
        adcode="320102",
        indicator="ip_management_certified_enterprises_added",
    )
    # 新增贯标认证通过企业80家 on 认证企业28家 (end 2020): the stock becomes 108 by 2025,
    # ratio 108 / 28 = 3.857, required CAGR (108 / 28)^(1/5) - 1 = 0.30995
    assert row["target_kind"] == "additions"
    assert row["ambition_ratio"] == pytest.approx(108 / 28, rel=TIGHT)
    assert row["required_cagr"] == pytest.approx((108 / 28) ** 0.2 - 1, rel=TIGHT)


def test_targets_without_baseline_are_kept_with_reason(obs: pd.DataFrame) -> None:
    ambition = ipbench.ambition(obs)
    targets = obs[(obs["status"] == "target") & (obs["measure"] == "level")]
    assert len(ambition) == len(targets)
    gulou = ambition[ambition["adcode"] == "320106"]
    assert len(gulou) == (targets["adcode"] == "320106").sum()
    assert (gulou["reason"] == "no baseline: no comparable actual at the base date").all()
    assert gulou["required_cagr"].isna().all()


def _series(values: dict[str, float], target: float, qualifier: str = "eq") -> pd.DataFrame:
    """Observations of one Nanchang indicator: actual year-end levels and a 2025 target."""
    rows = [
        {
            "adcode": "360100",
            "indicator": "madrid_trademarks_in_force",
            "measure": "level",
            "status": "actual",
            "period_start": date,
            "period_end": date,
            "value": value,
            "qualifier": "eq",
            "value_high": None,
            "unit": "件",
            "source": "nanchang_daily_ip_2022",
            "evidence": "test",
            "note": None,
        }
        for date, value in values.items()
    ]
    rows.append(
        rows[0]
        | {
            "status": "target",
            "period_start": "2025-12-31",
            "period_end": "2025-12-31",
            "value": target,
            "qualifier": qualifier,
        }
    )
    return ipbench.validate(pd.DataFrame(rows))


@pytest.mark.parametrize(
    ("history", "target", "expected"),
    [
        # 100 → 121 over 2 years: observed 10 %; 121 → 177.156 over 4 years needs 10 %: R = 1
        ({"2019-12-31": 100, "2021-12-31": 121}, 177.1561, "on track"),
        # observed 10 %; 121 → 254.1 needs 20.4 % a year: R = 0.49
        ({"2019-12-31": 100, "2021-12-31": 121}, 254.1, "limited progress"),
        # observed 10 %; needs 13.6 %: R = 0.736
        ({"2019-12-31": 100, "2021-12-31": 121}, 201.5, "acceleration needed"),
        # 121 → 100: observed −9.1 %: R < 0
        ({"2019-12-31": 121, "2021-12-31": 100}, 150, "deterioration"),
    ],
)
def test_eurostat_classes(history: dict[str, float], target: float, expected: str) -> None:
    row = ipbench.ambition(_series(history, target)).iloc[0]
    assert row["progress_class"] == expected


def test_met_honours_the_qualifier() -> None:
    history = {"2019-12-31": 2000, "2021-12-31": 2800}
    # "＞2800" is not met by 2800; "达2800" is
    strict = ipbench.ambition(_series(history, 2800, "gt")).iloc[0]
    reached = ipbench.ambition(_series(history, 2800, "eq")).iloc[0]
    assert not strict["met"]
    assert reached["met"]
    assert reached["progress_class"] == "target met"


def test_gap_closed_uses_the_newer_actual() -> None:
    # the plan (published 2022-04-24) sees 100 at end-2021; a later 130 (reported after,
    # as another user row) closes (130 - 100) / (200 - 100) = 30 % of the gap
    frame = _series({"2020-12-31": 90, "2021-12-31": 100}, 200)
    later = frame.iloc[[0]].assign(
        period_start=pd.Timestamp("2023-06-30"),
        period_end=pd.Timestamp("2023-06-30"),
        value=130.0,
        source="ref_dalian_gov_2023",
    )
    row = ipbench.ambition(pd.concat([frame, later], ignore_index=True)).iloc[0]
    assert row["baseline_value"] == 100
    assert row["gap_closed"] == pytest.approx(0.3, rel=TIGHT)


# --- per capita and implied denominators ----------------------------------------


def test_dalian_implied_population(obs: pd.DataFrame) -> None:
    implied = ipbench.implied_denominators(obs)
    row = _row(implied, adcode="210200", count=20300.0)
    # 20300 件 / 27.26 件/万人 × 10^4 = 7,446,808.5 residents
    assert row["implied_denominator"] == pytest.approx(7446808.510638298, rel=TIGHT)
    # census 2020: 7,450,785; deviation 7446808.5 / 7450785 - 1 = -0.0534 %
    assert row["reference_value"] == 7450785
    assert row["deviation"] == pytest.approx(-0.0005337007257225634, rel=1e-6)
    # 2.03万 is rounded to ±50 and 27.26 to ±0.005:
    # [20250 / 27.265, 20350 / 27.255] × 10^4 = [7,427,104.3, 7,466,519.9] holds the census
    assert row["interval_low"] == pytest.approx(7427104.346231432, rel=TIGHT)
    assert row["interval_high"] == pytest.approx(7466519.904604659, rel=TIGHT)
    assert row["reference_in_interval"]


def test_xuanwu_paired_targets_imply_a_2025_population(obs: pd.DataFrame) -> None:
    implied = ipbench.implied_denominators(obs)
    row = _row(implied, adcode="320102", status="target")
    # 有效发明专利拥有量达18000件 / 万人发明专利拥有量达300件 × 10^4 = 600,000 residents,
    # 11.56 % above the 537,825 of the 2020 census
    assert row["implied_denominator"] == 600000
    assert row["deviation"] == pytest.approx(600000 / 537825 - 1, rel=TIGHT)


def test_per_capita_records_its_denominator(obs: pd.DataFrame) -> None:
    actual = obs[obs["status"] == "actual"]
    rates = ipbench.per_capita(actual, nearest_year=True)
    row = _row(rates, adcode="320102")
    # 12482 / 537825 × 10^4 = 232.0829 with the census of the same year
    assert row["value"] == pytest.approx(232.08292660251942, rel=TIGHT)
    assert (row["denominator_year"], row["denominator_basis"]) == (2020, "census_2020_11_01")
    dalian = _row(rates, adcode="210200", numerator=20309.0)
    # no 2021 figure: 2020 (census) and 2022 are equally near; the earlier, already known
    # figure is used and said so: 20309 / 7450785 × 10^4 = 27.2575. Divided by another
    # year's population it is no check of the reported 27.26, which stands
    assert dalian["denominator_year"] == 2020
    assert "(nearest year)" in dalian["method"]
    assert dalian["derived_value"] == pytest.approx(20309 / 7450785 * 1e4, rel=TIGHT)
    assert (dalian["value"], dalian["rate_check"]) == (27.26, "not checked")


def test_missing_denominator_names_region_and_year(obs: pd.DataFrame) -> None:
    dalian = obs[(obs["adcode"] == "210200") & (obs["indicator"] == "invention_patents_in_force")]
    with pytest.raises(ipbench.DenominatorError, match=r"大连市 210200, 2021: none on basis"):
        ipbench.per_capita(dalian)
    coerced = ipbench.per_capita(dalian, errors="coerce")
    missing = coerced[coerced["period_end"] == pd.Timestamp("2021-12-31")]
    assert missing["value"].isna().all()
    assert (missing["reason"] != "").all()


def test_zero_denominator_is_rejected() -> None:
    zero = ipbench.load_denominators().head(1).assign(value=0.0)
    obs = ipbench.load_observations()
    with pytest.raises(ipbench.ValidationError) as caught:
        ipbench.per_capita(obs, denominators=zero)
    failure = caught.value.failures.iloc[0]
    assert (failure["column"], failure["value"]) == ("value", 0.0)


def test_per_capita_refuses_a_rate(obs: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="rates or shares already"):
        ipbench.per_capita(obs, select=["invention_patents_in_force_per_10k"])


# --- growth and reconstruction --------------------------------------------------


def test_nanchang_reconstructed_2020_patent_grants(obs: pd.DataFrame) -> None:
    rebuilt = ipbench.reconstruct(obs)
    row = _row(rebuilt, adcode="360100", indicator="patent_grants", derived_from="yoy_pct")
    # 专利授权量23800件, 同比增长32.9%: 2020 = 23800 / 1.329 = 17908.20
    assert row["value"] == pytest.approx(17908.201655379984, rel=TIGHT)
    assert row["period_end"] == pd.Timestamp("2020-12-31")
    # 32.9 % means [32.85 %, 32.95 %); 23800 is an exact count:
    # [23800 / 1.3295, 23800 / 1.3285] = [17901.47, 17914.94]
    assert row["interval_low"] == pytest.approx(17901.46671681083, rel=TIGHT)
    assert row["interval_high"] == pytest.approx(17914.9416635303, rel=TIGHT)


def test_nanchang_reconstructed_2020_rate_and_jiangxi(obs: pd.DataFrame) -> None:
    rebuilt = ipbench.reconstruct(obs)
    rate = _row(rebuilt, adcode="360100", derived_from="yoy_abs")
    # 每万人有效发明专利拥有量16件, 同比增长3.53件: 2020 = 16 - 3.53 = 12.47, and with 16 rounded
    # (±0.5) and 3.53 (±0.005): [15.5 - 3.535, 16.5 - 3.525] = [11.965, 12.975]
    assert rate["value"] == pytest.approx(12.47, rel=TIGHT)
    assert (rate["interval_low"], rate["interval_high"]) == pytest.approx((11.965, 12.975))
    province = _row(rebuilt, adcode="360000", indicator="patent_grants")
    # 占全省24.44%: Jiangxi 2021 = 23800 / 0.2444 = 97381.34, in [23800/0.24445, 23800/0.24435]
    assert province["value"] == pytest.approx(97381.34206219313, rel=TIGHT)
    assert province["interval_low"] == pytest.approx(97361.423604009, rel=TIGHT)
    assert province["interval_high"] == pytest.approx(97401.2686719869, rel=TIGHT)


def test_growth_by_hand(obs: pd.DataFrame) -> None:
    growth = ipbench.growth(obs)
    dalian = _row(growth, adcode="210200", indicator="invention_patents_in_force")
    # 9625 (CNIPA, end 2016) to 20309 (end 2021; the 2.03万 of the IP week agrees and is named)
    assert (dalian["from_value"], dalian["to_value"], dalian["years"]) == (9625, 20309, 5.0)
    assert dalian["cagr"] == pytest.approx(0.16106774488637332, rel=TIGHT)
    assert "also reported 20300 (dalian_ipweek_2022)" in dalian["method"]
    grants = _row(growth, adcode="360100", indicator="patent_grants")
    # 13040 (2018) to 23800 (2021), both annual flows: (23800 / 13040)^(1/3) - 1 = 22.2 %
    assert grants["cagr"] == pytest.approx(0.22208042732636857, rel=TIGHT)


def test_five_year_flow_is_annualised_before_comparison() -> None:
    # Xuanwu's 专利授权量26875件 over 2016-2020 averages 5375 a year at mid-2018;
    # an annual 6450 in 2021 (a test row) is three years later; a 5-year average and a
    # 1-year flow are unlike windows, so no CAGR (tests/test_growth_honesty.py)
    obs = ipbench.load_observations()
    sum_row = obs[(obs["adcode"] == "320102") & (obs["indicator"] == "patent_grants")]
    annual = sum_row.assign(
        period_start=pd.Timestamp("2021-01-01"),
        period_end=pd.Timestamp("2021-12-31"),
        value=6450.0,
        source="xuanwu_ip_plan_14fyp",
        evidence="test",
    )
    growth = ipbench.growth(pd.concat([sum_row, annual], ignore_index=True))
    row = growth.iloc[0]
    assert (row["from_value"], row["to_value"], row["years"]) == (5375, 6450, 3.0)
    assert pd.isna(row["cagr"])
    assert row["reason"] == "flows over windows of different length: 5 vs 1 years"


def test_growth_from_zero_is_nan_with_reason() -> None:
    obs = ipbench.load_observations()
    two = obs[
        (obs["adcode"] == "210200")
        & (obs["indicator"] == "invention_patents_in_force_per_10k")
        & (obs["measure"] == "level")
    ]
    zero = two.assign(value=two["value"].where(two["period_end"].dt.year == 2021, 0.0))
    row = ipbench.growth(zero).iloc[0]
    assert pd.isna(row["cagr"])
    assert row["reason"] == "growth from zero has no rate"


def test_consistency_reports_disagreement() -> None:
    obs = ipbench.load_observations()
    grants_2021 = obs[
        (obs["source"] == "ref_dalian_ip_2021_official")
        & (obs["indicator"] == "patent_grants")
        & (obs["measure"] == "level")
    ]
    # a 2020 level that disagrees with +33.2 %: 23508 / 18000 - 1 = 30.6 %
    wrong_2020 = grants_2021.assign(
        period_start=pd.Timestamp("2020-01-01"),
        period_end=pd.Timestamp("2020-12-31"),
        value=18000.0,
        evidence="18000",
    )
    checks = ipbench.consistency(pd.concat([obs, wrong_2020], ignore_index=True))
    row = _row(checks, check="reported change vs levels", adcode="210200")
    assert row["computed"] == pytest.approx((23508 / 18000 - 1) * 100, rel=TIGHT)
    assert not row["consistent"]


# --- benchmark ------------------------------------------------------------------


def test_benchmark_index_and_scores(obs: pd.DataFrame) -> None:
    bench = ipbench.benchmark(obs, "invention_patents_in_force_per_10k", year=2021)
    dalian = _row(bench, adcode="210200")
    # 2021: Nanjing 95.42, Dalian 27.26, Nanchang 16; peer mean = 138.68 / 3 = 46.2267
    # index = 27.26 / 46.2267 × 100 = 58.970
    assert dalian["index"] == pytest.approx(58.970291318142486, rel=TIGHT)
    # min-max = (27.26 - 16) / (95.42 - 16) × 100 = 14.178
    assert dalian["minmax"] == pytest.approx(14.17778897003274, rel=TIGHT)
    # frontier Nanjing: 95.42 - 27.26 = 68.16 behind
    assert dalian["distance_to_frontier"] == pytest.approx(68.16, rel=TIGHT)
    assert (dalian["rank"], dalian["percentile_rank"]) == (2, 50.0)
    nanjing = _row(bench, adcode="320100")
    # z = (95.42 - 46.2267) / s, s = 42.9731 (n - 1): 1.14475
    assert nanjing["zscore"] == pytest.approx(1.1447478811229637, rel=1e-9)
    against_nanjing = ipbench.benchmark(obs, "invention_patents_in_force_per_10k", 2021, "320100")
    # index to Nanjing = 27.26 / 95.42 × 100 = 28.568
    assert _row(against_nanjing, adcode="210200")["index"] == pytest.approx(
        28.568434290505134, rel=TIGHT
    )


def test_benchmark_refuses_district_against_city_counts(obs: pd.DataFrame) -> None:
    # peers are cities by default: Xuanwu's count is a row left out with the reason
    bench = ipbench.benchmark(obs, "invention_patents_in_force")
    xuanwu = bench[bench["adcode"] == "320102"].iloc[0]
    assert not xuanwu["scored"]
    assert "not a peer" in xuanwu["note"]
    with pytest.raises(ipbench.BenchmarkError, match="a district is part of its city"):
        ipbench.benchmark(obs, "invention_patents_in_force", level=["city", "district"])


def test_benchmark_leaves_out_flows_over_several_years(obs: pd.DataFrame) -> None:
    five_years = obs[(obs["adcode"] == "320102") & (obs["indicator"] == "patent_grants")]
    as_a_city = five_years.assign(adcode="210200")  # a city's 2016-2020 sum, as a test row
    one_year = obs[
        (obs["adcode"] == "360100")
        & (obs["indicator"] == "patent_grants")
        & (obs["measure"] == "level")
        & (obs["period_end"].dt.year == 2021)
    ]
    bench = ipbench.benchmark(pd.concat([as_a_city, one_year]), "patent_grants")
    # a five-year sum is not a figure for a year: a row left out, never beside a year's flow
    five = _row(bench, adcode="210200")
    assert not five["scored"]
    assert "2016-2020 (5 years)" in five["note"]


def test_benchmark_polarity_reverses_ranks(obs: pd.DataFrame) -> None:
    catalog = ipbench.load_indicators()
    lower = catalog[catalog["indicator"] == "invention_patents_in_force_per_10k"].assign(
        indicator="test_lower_is_better", higher_is_better=False, aliases_zh="测试指标"
    )
    renamed = obs.assign(
        indicator=obs["indicator"].replace(
            {"invention_patents_in_force_per_10k": "test_lower_is_better"}
        )
    )
    bench = ipbench.benchmark(renamed, "test_lower_is_better", 2021, indicators=lower)
    assert bench["adcode"].tolist() == ["360100", "210200", "320100"]
    # lower is better: Nanchang's 16 is the frontier and scores 100 on min-max
    assert _row(bench, adcode="360100")["minmax"] == 100


def test_compare_targets_per_resident_and_per_year(obs: pd.DataFrame) -> None:
    # Xuanwu and Gulou share no census or census-revised population: by default no
    # per-resident figure, and the note says what each region has
    default = ipbench.compare_targets(obs).set_index(["indicator", "adcode"])
    assert default["per_10k_residents_per_year"].isna().all()
    assert "pass basis=" in default.loc[("ip_trainees", "320106"), "note"]
    table = ipbench.compare_targets(obs, basis="year_end_pre_census")
    trainees = table[table["indicator"] == "ip_trainees"].set_index("adcode")
    # Xuanwu 5000 人次 over 2021-2025 (5 years), Gulou 3000 over 2022-08 to 2025-07 (3 years):
    # 1000 a year each
    assert trainees["per_plan_year"].tolist() == [1000.0, 1000.0]
    # per resident a year, with one vintage for both (the 2019 pre-census estimates the two
    # share): Xuanwu 1000 / 57.52万 = 17.39, Gulou 1000 / 106.64万 = 9.38 per 10k a year;
    # the five- and three-year totals themselves are never set per resident
    assert set(trainees["population_basis"]) == {"year_end_pre_census"}
    assert trainees["per_10k_residents"].isna().all()
    assert trainees.loc["320102", "per_10k_residents_per_year"] == pytest.approx(
        1000 / 575200 * 1e4
    )
    assert trainees.loc["320106", "per_10k_residents_per_year"] == pytest.approx(
        1000 / 1066400 * 1e4
    )


def test_compare_targets_beside_the_national_target(obs: pd.DataFrame) -> None:
    table = ipbench.compare_targets(obs, adcodes=("320102", "100000")).set_index("adcode")
    # the shared indicator is 万人高价值发明专利拥有量: Xuanwu 100 by 2025, China 12 by 2025
    assert table["indicator"].unique().tolist() == ["high_value_invention_patents_per_10k"]
    assert table.loc["320102", "per_10k_residents"] == 100
    assert table.loc["100000", "per_10k_residents"] == 12


def test_per_capita_per_100m_gdp(obs: pd.DataFrame) -> None:
    pledges = obs[(obs["adcode"] == "320100") & (obs["indicator"] == "ip_pledge_financing")]
    rates = ipbench.per_capita(
        pledges, per=100_000_000, quantity="gdp", select=["ip_pledge_financing"]
    )
    row = rates.iloc[0]
    # 知识产权质押融资总额43.1亿元 / GDP 16355.33亿元 (2021) × 10^8 = 263,522.7 元 per 亿元 of GDP
    assert row["value"] == pytest.approx(4310000000 / 1635533000000 * 1e8, rel=TIGHT)
    assert (row["indicator"], row["unit"]) == ("ip_pledge_financing_per_100m_gdp", "元/亿元")
    assert row["denominator_source"] == "ref_nanjing_gdp_2021"
