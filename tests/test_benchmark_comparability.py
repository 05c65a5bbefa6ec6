"""Benchmark compares like with like, or says why not (issue 7).

One period, bounds never scored as levels, peers of one administrative level,
and every region left out shown as a row with ``scored`` False and the reason.
Small observation frames are built here so that the tests do not depend on
rows other engineers add to the built-in datasets; every figure in them is
either copied from the sources (cited) or an illustration whose arithmetic is
worked out in the comment.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipbench

TIGHT = 1e-9
RATE = "invention_patents_in_force_per_10k"
COUNT = "invention_patents_in_force"

NANJING, XUANWU, GULOU, DALIAN, NANCHANG = "320100", "320102", "320106", "210200", "360100"
CHINA, JIANGSU = "100000", "320000"
#: Patent grants over 2021 as the sources report them: Nanchang 23800, Dalian 23508.
GRANTS_2021 = (
    {"adcode": NANCHANG, "indicator": "patent_grants", "start": "2021-01-01",
     "end": "2021-12-31", "value": 23800},
    {"adcode": DALIAN, "indicator": "patent_grants", "start": "2021-01-01",
     "end": "2021-12-31", "value": 23508},
)  # fmt: skip


def _obs(*rows: dict[str, object]) -> pd.DataFrame:
    """Validated observations from short rows: a stock at ``end`` unless ``start`` is given."""
    records = []
    for row in rows:
        indicator = str(row.get("indicator", RATE))
        end = str(row["end"])
        records.append(
            {
                "adcode": row["adcode"],
                "indicator": indicator,
                "measure": "level",
                "status": "actual",
                "period_start": row.get("start", end),
                "period_end": end,
                "value": row["value"],
                "qualifier": row.get("qualifier", "eq"),
                "value_high": row.get("value_high", ""),
                "unit": row.get("unit", "件/万人" if indicator.endswith("per_10k") else "件"),
                "source": row.get("source", "nanjing_ipweek_2022"),
                "evidence": "test row",
                "note": "",
            }
        )
    return ipbench.validate(pd.DataFrame(records))


def _row(frame: pd.DataFrame, adcode: str, indicator: str | None = None) -> pd.Series:
    rows = frame[frame["adcode"] == adcode]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    assert len(rows) == 1, rows
    return rows.iloc[0]


#: The 2021 year-end rates of the three cities, as the sources report them:
#: 万人发明专利拥有量95.42件 (Nanjing), 27.26 (Dalian), 16 (Nanchang).
CITIES_2021 = (
    {"adcode": NANJING, "end": "2021-12-31", "value": 95.42},
    {"adcode": DALIAN, "end": "2021-12-31", "value": 27.26},
    {"adcode": NANCHANG, "end": "2021-12-31", "value": 16.0},
)


# --- hand-worked check on the built-in data --------------------------------------------


def test_built_in_rates_2021_rank_the_three_cities() -> None:
    bench = ipbench.benchmark(ipbench.load_observations(), RATE, year=2021)
    scored = bench[bench["scored"]]
    assert scored[["adcode", "value", "rank"]].to_numpy().tolist() == [
        [NANJING, 95.42, 1],
        [DALIAN, 27.26, 2],
        [NANCHANG, 16.0, 3],
    ]
    assert set(scored["level"]) == {"city"}
    assert (scored["period_end"] == pd.Timestamp("2021-12-31")).all()
    # peer mean (95.42 + 27.26 + 16) / 3 = 138.68 / 3 = 46.2267;
    # Nanjing's index 95.42 / 46.2267 × 100 = 206.42
    nanjing = _row(bench, NANJING)
    assert nanjing["reference_value"] == pytest.approx(138.68 / 3, rel=TIGHT)
    assert nanjing["index"] == pytest.approx(95.42 / (138.68 / 3) * 100, rel=TIGHT)
    assert round(nanjing["index"], 1) == 206.4
    assert (bench["benchmark_year"] == 2021).all()


# --- periods -----------------------------------------------------------------------------


def test_latest_does_not_score_nanjings_mid_2022_bound() -> None:
    # built-in: Nanjing 有效发明专利 ">10万" at 2022-06-30 (qualifier gt), Dalian 20309 at
    # end-2021, Nanchang 4996 at end-2018; before the fix the three were ranked together
    bench = ipbench.benchmark(ipbench.load_observations(), COUNT)
    bound = bench[bench["qualifier"] == "gt"]
    assert not bound["scored"].any()
    scored = bench[bench["scored"]]
    # one period: every scored row ends in the benchmark year
    assert (scored["period_end"].dt.year == scored["benchmark_year"]).all()
    assert (scored["period_end"] == scored["period_end"].iloc[0]).all()
    assert (scored["year_gap"] == 0).all()


def test_latest_is_the_latest_year_every_peer_has() -> None:
    # Nanjing has end-2020 and end-2021, Dalian end-2020 and end-2021, Nanchang end-2020 only:
    # 2021 is not covered by Nanchang, 2020 is covered by all three, so 2020 is compared
    obs = _obs(
        {"adcode": NANJING, "end": "2021-12-31", "value": 95.42},
        {"adcode": NANJING, "end": "2020-12-31", "value": 80.0},
        {"adcode": DALIAN, "end": "2021-12-31", "value": 27.26},
        {"adcode": DALIAN, "end": "2020-12-31", "value": 24.25},
        {"adcode": NANCHANG, "end": "2020-12-31", "value": 12.47},
    )
    bench = ipbench.benchmark(obs, RATE)
    assert (bench["benchmark_year"] == 2020).all()
    assert bench["scored"].all()
    assert bench["value"].tolist() == [80.0, 24.25, 12.47]


def test_a_region_without_the_benchmark_year_is_a_row_that_says_why() -> None:
    # patent_grants: Nanchang 23800 and Dalian 23508 over 2021, Nanjing 32073 over 2017.
    # 2021 is covered by two cities, 2017 by one: the benchmark year is 2021
    obs = _obs(
        *GRANTS_2021,
        {"adcode": NANJING, "indicator": "patent_grants", "start": "2017-01-01",
         "end": "2017-12-31", "value": 32073},
    )  # fmt: skip
    bench = ipbench.benchmark(obs, "patent_grants")
    nanjing = _row(bench, NANJING)
    assert not nanjing["scored"]
    assert pd.isna(nanjing["rank"])
    assert pd.isna(nanjing["index"])
    assert nanjing["year_gap"] == -4  # 2017 is 4 years before 2021
    assert "2021" in nanjing["note"]
    assert "max_year_gap=4" in nanjing["note"]
    assert bench["rank"].dtype == "Int64"
    # peer mean of the two compared: (23800 + 23508) / 2 = 23654; 23800 / 23654 × 100 = 100.617
    assert _row(bench, NANCHANG)["index"] == pytest.approx(23800 / 23654 * 100, rel=TIGHT)


def test_max_year_gap_admits_other_years_and_says_so_per_row() -> None:
    obs = _obs(
        *GRANTS_2021,
        {"adcode": NANJING, "indicator": "patent_grants", "start": "2017-01-01",
         "end": "2017-12-31", "value": 32073},
    )  # fmt: skip
    with pytest.raises(ValueError, match="max_year_gap"):
        ipbench.benchmark(obs, "patent_grants", max_year_gap=-1)
    bench = ipbench.benchmark(obs, "patent_grants", max_year_gap=4)
    assert bench["scored"].all()
    nanjing = _row(bench, NANJING)
    assert nanjing["year_gap"] == -4
    assert "4 years before 2021" in nanjing["note"]
    assert _row(bench, DALIAN)["year_gap"] == 0
    # mean (23800 + 23508 + 32073) / 3 = 79381 / 3 = 26460.33; Nanjing 32073 / 26460.33 = 121.21
    assert nanjing["index"] == pytest.approx(32073 / (79381 / 3) * 100, rel=TIGHT)


def test_latest_counts_regions_within_the_tolerance() -> None:
    # Nanjing 95.42 and Dalian 27.26 at end-2021, Nanchang 12.47 (an illustration) at end-2020.
    # Without tolerance 2021 has two cities, 2020 one: 2021, and Nanchang is left out.
    # With max_year_gap=1, 2021 covers all three: Nanchang is scored, 1 year before 2021
    obs = _obs(
        {"adcode": NANJING, "end": "2021-12-31", "value": 95.42},
        {"adcode": DALIAN, "end": "2021-12-31", "value": 27.26},
        {"adcode": NANCHANG, "end": "2020-12-31", "value": 12.47},
    )
    strict = ipbench.benchmark(obs, RATE)
    assert (strict["benchmark_year"] == 2021).all()
    assert not _row(strict, NANCHANG)["scored"]
    tolerant = ipbench.benchmark(obs, RATE, max_year_gap=1)
    assert (tolerant["benchmark_year"] == 2021).all()
    nanchang = _row(tolerant, NANCHANG)
    assert nanchang["scored"]
    assert nanchang["year_gap"] == -1
    assert "end-2020: 1 year before 2021 (max_year_gap=1)" in nanchang["note"]
    # mean (95.42 + 27.26 + 12.47) / 3 = 135.15 / 3 = 45.05
    assert nanchang["reference_value"] == pytest.approx(135.15 / 3, rel=TIGHT)


def test_a_window_total_beside_a_year_is_left_out_not_compared() -> None:
    # Xuanwu's 十三五 total 26875 over 2016-2020, put under a city's code as a test row,
    # beside Nanchang's one-year 23800 of 2021: the latest year with a flow over one calendar
    # year is 2021; the five-year total is a row that says why it is not scored
    obs = _obs(
        {"adcode": DALIAN, "indicator": "patent_grants", "start": "2016-01-01",
         "end": "2020-12-31", "value": 26875},
        {"adcode": NANCHANG, "indicator": "patent_grants", "start": "2021-01-01",
         "end": "2021-12-31", "value": 23800},
    )  # fmt: skip
    bench = ipbench.benchmark(obs, "patent_grants")
    assert (bench["benchmark_year"] == 2021).all()
    dalian = _row(bench, DALIAN)
    assert not dalian["scored"]
    assert "2016-2020 (5 years)" in dalian["note"]
    assert _row(bench, NANCHANG)["scored"]


# --- bounds ----------------------------------------------------------------------------


def test_a_bound_is_shown_with_its_qualifier_and_not_scored() -> None:
    # Nanjing ">100000" (the 10万 bound, here at end-2021 as a test row), Dalian's 20309 and
    # Nanchang 7000 (an illustration) exact: the bound is listed, not ranked
    obs = _obs(
        {"adcode": NANJING, "indicator": COUNT, "end": "2021-12-31", "value": 100000,
         "qualifier": "gt"},
        {"adcode": DALIAN, "indicator": COUNT, "end": "2021-12-31", "value": 20309},
        {"adcode": NANCHANG, "indicator": COUNT, "end": "2021-12-31", "value": 7000},
    )  # fmt: skip
    bench = ipbench.benchmark(obs, COUNT, year=2021)
    nanjing = _row(bench, NANJING)
    assert not nanjing["scored"]
    assert nanjing["qualifier"] == "gt"
    assert nanjing["value"] == 100000
    assert pd.isna(nanjing["rank"])
    assert pd.isna(nanjing["index"])
    assert "bound" in nanjing["note"]
    assert "not scored" in nanjing["note"]
    assert "above every scored value" in nanjing["note"]
    assert _row(bench, DALIAN)["rank"] == 1
    # the bound is not in the peer mean: (20309 + 7000) / 2 = 13654.5
    assert _row(bench, DALIAN)["reference_value"] == 13654.5


@pytest.mark.parametrize(
    ("qualifier", "value_high", "scored"),
    [("gt", "", False), ("ge", "", False), ("lt", "", False), ("range", "30", False),
     ("approx", "", True), ("eq", "", True)],
)  # fmt: skip
def test_only_eq_and_approx_are_levels(qualifier: str, value_high: str, scored: bool) -> None:
    obs = _obs(
        {"adcode": DALIAN, "end": "2021-12-31", "value": 27.26, "qualifier": qualifier,
         "value_high": value_high},
        {"adcode": NANJING, "end": "2021-12-31", "value": 95.42},
    )  # fmt: skip
    assert bool(_row(ipbench.benchmark(obs, RATE, 2021), DALIAN)["scored"]) is scored


# --- peers -----------------------------------------------------------------------------


def test_default_peers_are_the_most_common_level() -> None:
    # three cities and one district (Xuanwu 232.08 = 12482 / 537825 × 1e4, here at end-2021
    # as a test row): peers are the cities; Xuanwu is a row that says it is not a peer
    obs = _obs(*CITIES_2021, {"adcode": XUANWU, "end": "2021-12-31", "value": 232.08})
    bench = ipbench.benchmark(obs, RATE, 2021)
    xuanwu = _row(bench, XUANWU)
    assert not xuanwu["scored"]
    assert "district" in xuanwu["note"]
    assert "cities" in xuanwu["note"]
    # Xuanwu and its parent Nanjing: the peer mean is that of the three cities, 46.2267
    assert _row(bench, NANJING)["reference_value"] == pytest.approx(138.68 / 3, rel=TIGHT)


def test_country_and_province_are_references_not_peers() -> None:
    # China's 每万人口发明专利拥有量 of 2021 as an illustration, 19.1; Jiangsu 41.2
    obs = _obs(
        *CITIES_2021,
        {"adcode": CHINA, "end": "2021-12-31", "value": 19.1},
        {"adcode": JIANGSU, "end": "2021-12-31", "value": 41.2},
    )
    bench = ipbench.benchmark(obs, RATE, 2021, reference=CHINA)
    china, jiangsu = _row(bench, CHINA), _row(bench, JIANGSU)
    assert not china["scored"]
    assert not jiangsu["scored"]
    assert "reference" in china["note"]
    assert "not a peer" in jiangsu["note"]
    nanjing = _row(bench, NANJING)
    # index to China: 95.42 / 19.1 × 100 = 499.58; China is not in the peer statistics,
    # so the z-score still uses the three cities: mean 46.2267, s = 42.9731
    assert nanjing["index"] == pytest.approx(95.42 / 19.1 * 100, rel=TIGHT)
    assert nanjing["zscore"] == pytest.approx(1.1447478811229637, rel=1e-9)
    assert nanjing["reference_period_end"] == pd.Timestamp("2021-12-31")
    assert nanjing["reference"].startswith(CHINA)
    assert nanjing["percentile_rank"] == 100.0  # (3 - 1) / (3 - 1) × 100


def test_several_levels_are_refused_for_absolute_counts() -> None:
    obs = _obs(
        {"adcode": NANJING, "indicator": COUNT, "end": "2020-12-31", "value": 80000},
        {"adcode": XUANWU, "indicator": COUNT, "end": "2020-12-31", "value": 12482},
    )
    with pytest.raises(ipbench.BenchmarkError, match="a district is part of its city"):
        ipbench.benchmark(obs, COUNT, level=("city", "district"))
    with pytest.raises(ValueError, match="country"):
        ipbench.benchmark(obs, COUNT, level="country")


# --- honest arithmetic -----------------------------------------------------------------


def test_reference_zero_gives_nan_index_with_a_reason() -> None:
    obs = _obs(*CITIES_2021, {"adcode": CHINA, "end": "2021-12-31", "value": 0.0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bench = ipbench.benchmark(obs, RATE, 2021, reference=CHINA)
    scored = bench[bench["scored"]]
    assert scored["index"].isna().all()
    assert scored["note"].str.contains("reference").all()
    assert not bench.select_dtypes("float").isin([math.inf, -math.inf]).any().any()


def test_a_zero_frontier_gives_no_percent_distance() -> None:
    catalog = ipbench.load_indicators()
    lower = catalog[catalog["indicator"] == RATE].assign(
        indicator="test_lower_is_better", higher_is_better=False, aliases_zh="测试指标"
    )
    frame = pd.DataFrame(
        {
            "adcode": [NANJING, DALIAN],
            "indicator": "test_lower_is_better",
            "measure": "level",
            "status": "actual",
            "period_start": "2021-12-31",
            "period_end": "2021-12-31",
            "value": [0.0, 5.0],
            "qualifier": "eq",
            "value_high": "",
            "unit": "件/万人",
            "source": "nanjing_ipweek_2022",
            "evidence": "test row",
            "note": "",
        }
    )
    obs = ipbench.validate(frame, indicators=lower)
    bench = ipbench.benchmark(obs, "test_lower_is_better", 2021, indicators=lower)
    dalian = _row(bench, DALIAN)
    # lower is better: the frontier is Nanjing's 0; Dalian is 5 behind, no percentage of 0
    assert dalian["distance_to_frontier"] == 5
    assert pd.isna(dalian["distance_to_frontier_pct"])
    assert "frontier" in dalian["note"]


@pytest.mark.parametrize("goalposts", [(50.0, 50.0), (80.0, 20.0)])
def test_goalposts_must_rise(goalposts: tuple[float, float]) -> None:
    obs = _obs(*CITIES_2021)
    with pytest.raises(ValueError, match=f"{goalposts[0]:g}.*{goalposts[1]:g}"):
        ipbench.benchmark(obs, RATE, 2021, goalposts=goalposts)


def test_minmax_range_must_have_two_ends() -> None:
    with pytest.raises(ValueError, match="minmax_range"):
        ipbench.benchmark(_obs(*CITIES_2021), RATE, 2021, minmax_range=(10.0, 10.0))


def test_goalposts_clip_and_score() -> None:
    # goalposts 0 .. 100: Dalian (27.26 - 0) / 100 × 100 = 27.26
    bench = ipbench.benchmark(_obs(*CITIES_2021), RATE, 2021, goalposts=(0.0, 100.0))
    assert _row(bench, DALIAN)["minmax"] == pytest.approx(27.26, rel=TIGHT)


# --- derived rates -----------------------------------------------------------------------


def test_per_capita_output_pipes_into_benchmark_and_keeps_its_method() -> None:
    # end-2020 counts (illustrations) divided by the 2020 census: Nanjing 80000 / 9,314,685 ×
    # 1e4 = 85.886; Dalian 18000 / 7,450,785 × 1e4 = 24.158
    counts = _obs(
        {"adcode": NANJING, "indicator": COUNT, "end": "2020-12-31", "value": 80000},
        {"adcode": DALIAN, "indicator": COUNT, "end": "2020-12-31", "value": 18000},
    )
    rates = ipbench.per_capita(counts, basis="census_2020_11_01")
    bench = rates.pipe(ipbench.benchmark, RATE, year=2020)
    assert bench["scored"].all()
    nanjing = _row(bench, NANJING)
    assert nanjing["value"] == pytest.approx(80000 / 9314685 * 1e4, rel=TIGHT)
    assert nanjing["method"].startswith("80000 件 / 9314685 人 × 10000")
    assert nanjing["sources"] == "nanjing_ipweek_2022;ref_nanjing_census_2020"
    # index to the peer mean: 85.886 / ((85.886 + 24.158) / 2) × 100 = 156.09
    mean = (80000 / 9314685 + 18000 / 7450785) * 1e4 / 2
    assert nanjing["index"] == pytest.approx(80000 / 9314685 * 1e4 / mean * 100, rel=TIGHT)


def test_reported_rate_beats_a_derived_one_of_the_same_period() -> None:
    # Dalian reports 27.26 件/万人 for end-2021; 20309 / a population gives a derived rate
    reported = _obs(*CITIES_2021)
    counts = _obs({"adcode": DALIAN, "indicator": COUNT, "end": "2021-12-31", "value": 20309})
    derived = ipbench.per_capita(counts, nearest_year=True)
    assert derived["value"].iloc[0] != 27.26
    both = pd.concat([reported, derived], ignore_index=True)
    bench = ipbench.benchmark(both, RATE, 2021)
    dalian = _row(bench, DALIAN)
    assert dalian["value"] == 27.26
    assert dalian["method"] == ""
    assert dalian["sources"] == "nanjing_ipweek_2022"


def test_a_missing_derived_value_is_a_row_with_its_reason() -> None:
    # no population of Nanjing or Dalian for 2017: both rates are NaN with a reason; Nanjing's
    # is then filled in by hand (40, an illustration) so that one region is scored
    counts = _obs(
        {"adcode": NANJING, "indicator": COUNT, "end": "2017-12-31", "value": 40000},
        {"adcode": DALIAN, "indicator": COUNT, "end": "2017-12-31", "value": 11000},
    )
    rates = ipbench.per_capita(counts, errors="coerce")
    assert rates["value"].isna().all()
    filled = rates.assign(
        value=rates["value"].mask(rates["adcode"] == NANJING, 40.0),
        reason=rates["reason"].mask(rates["adcode"] == NANJING, ""),
    )
    bench = ipbench.benchmark(filled, RATE, 2017)
    dalian = _row(bench, DALIAN)
    assert not dalian["scored"]
    assert "no value: no denominator" in dalian["note"]
    assert _row(bench, NANJING)["scored"]


# --- properties ------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=6),
    bound_at=st.integers(min_value=0, max_value=5),
)
def test_no_inf_no_warning_and_every_left_out_row_says_why(
    values: list[float], bound_at: int
) -> None:
    cities = [NANJING, DALIAN, NANCHANG, "210000", "360000", XUANWU]
    rows = [
        {"adcode": code, "end": "2021-12-31", "value": value,
         "qualifier": "gt" if i == bound_at else "eq"}
        for i, (code, value) in enumerate(zip(cities, values, strict=False))
    ]  # fmt: skip
    obs = _obs(*rows)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            bench = ipbench.benchmark(obs, RATE, 2021)
        except ipbench.BenchmarkError:
            return  # nothing to score (only a bound): refused with a reason
    numbers = bench.select_dtypes("float")
    assert not numbers.isin([math.inf, -math.inf]).any().any()
    left_out = bench[~bench["scored"]]
    assert (left_out["note"] != "").all()
    assert left_out["rank"].isna().all()
    assert bench.loc[bench["scored"], "rank"].notna().all()
    # one region a row: nothing dropped, nothing doubled
    assert sorted(bench["adcode"]) == sorted(r["adcode"] for r in rows)


# --- review findings: the reference's own period, window and level ------------------------

#: China's 每万人口发明专利拥有量 as ipbench.per_capita derives it from the built-in data:
#: end-2021 2,704,000 件 / 1,412,600,000 人 × 1e4 = 19.1420; end-2022 3,280,000 / 1,411,750,000
#: × 1e4 = 23.2336 (domestic holders; NBS communiqués of 2021 and 2022, year-end populations).
CHINA_2021 = 2704000 / 1412600000 * 1e4
CHINA_2022 = 3280000 / 1411750000 * 1e4


def test_each_row_is_indexed_to_the_reference_of_its_own_period() -> None:
    # finding 1: with year=2022 and max_year_gap=1 the cities' end-2021 rates were indexed to
    # China's end-2022 rate (Nanjing 95.42 / 23.2336 × 100 = 410.7). China's end-2021 rate
    # exists, so Nanjing is 95.42 / 19.1420 × 100 = 498.5
    rates = ipbench.per_capita(ipbench.load_observations(), errors="coerce")
    bench = ipbench.benchmark(rates, RATE, year=2022, max_year_gap=1, reference=CHINA)
    nanjing = _row(bench, NANJING)
    assert nanjing["period_end"] == pd.Timestamp("2021-12-31")
    assert nanjing["reference_value"] == pytest.approx(CHINA_2021, rel=TIGHT)
    assert nanjing["index"] == pytest.approx(95.42 / CHINA_2021 * 100, rel=TIGHT)
    assert round(nanjing["index"], 1) == 498.5
    assert nanjing["reference_period_end"] == pd.Timestamp("2021-12-31")
    assert "end-2021" in nanjing["reference"]
    # every scored row: the reference at the row's own period end
    scored = bench[bench["scored"]]
    assert (scored["reference_period_end"] == scored["period_end"]).all()


def test_a_row_without_a_reference_for_its_period_has_no_index_and_says_why() -> None:
    # Nanjing and Dalian at end-2021, Nanchang at end-2020 (12.47, an illustration), China only
    # at end-2021 (19.14, rounded from 19.1420): Nanchang's period has no reference value
    obs = _obs(
        {"adcode": NANJING, "end": "2021-12-31", "value": 95.42},
        {"adcode": DALIAN, "end": "2021-12-31", "value": 27.26},
        {"adcode": NANCHANG, "end": "2020-12-31", "value": 12.47},
        {"adcode": CHINA, "end": "2021-12-31", "value": 19.14},
    )
    bench = ipbench.benchmark(obs, RATE, 2021, max_year_gap=1, reference=CHINA)
    nanchang = _row(bench, NANCHANG)
    assert nanchang["scored"]  # still ranked: 12.47 is the lowest of three
    assert nanchang["rank"] == 3
    assert pd.isna(nanchang["index"])
    assert pd.isna(nanchang["reference_value"])
    assert pd.isna(nanchang["reference_period_end"])
    assert "no index" in nanchang["note"]
    assert "end-2020" in nanchang["note"]
    assert CHINA in nanchang["note"]
    # Dalian's period has one: 27.26 / 19.14 × 100 = 142.42
    assert _row(bench, DALIAN)["index"] == pytest.approx(27.26 / 19.14 * 100, rel=TIGHT)


def test_reference_from_another_period_gives_no_index() -> None:
    # the cities at end-2021, China only at end-2020 (15.8, an illustration): no index for any
    # row, whatever the tolerance, because no row's period has a reference value
    obs = _obs(*CITIES_2021, {"adcode": CHINA, "end": "2020-12-31", "value": 15.8})
    for gap in (0, 1):
        bench = ipbench.benchmark(obs, RATE, 2021, reference=CHINA, max_year_gap=gap)
        scored = bench[bench["scored"]]
        assert len(scored) == 3
        assert scored["index"].isna().all()
        assert scored["note"].str.contains("end-2020").all()  # the figure China has


def _with_china_grants_2020() -> pd.DataFrame:
    # China's 专利授权 over 2020 as a test row (3,520,900 件, an illustration of a one-year
    # national figure) beside the built-in data
    china = _obs(
        {"adcode": CHINA, "indicator": "patent_grants", "start": "2020-01-01",
         "end": "2020-12-31", "value": 3520900},
    )  # fmt: skip
    return pd.concat([ipbench.load_observations(), china], ignore_index=True)


def test_a_count_is_not_indexed_to_a_reference_of_another_level() -> None:
    # finding 2: a district's patent grants as a percentage of China's is a share of the
    # whole, not an index; refused with the reason
    with pytest.raises(ipbench.BenchmarkError, match="absolute count") as error:
        ipbench.benchmark(_with_china_grants_2020(), "patent_grants", year=2020,
                          level="district", reference=CHINA)  # fmt: skip
    message = str(error.value)
    assert CHINA in message
    assert "country" in message
    assert "rate" in message


def test_the_reference_must_pass_the_window_guard() -> None:
    # peers: Nanchang 23800 and Dalian 23508 over 2021 (patent grants, as the sources report);
    # the reference Nanjing has only a 2017-2021 total (150000, an illustration): a five-year
    # sum never meets a one-year figure, so no row is indexed
    obs = _obs(
        *GRANTS_2021,
        {"adcode": NANJING, "indicator": "patent_grants", "start": "2017-01-01",
         "end": "2021-12-31", "value": 150000},
    )  # fmt: skip
    bench = ipbench.benchmark(obs, "patent_grants", year=2021, reference=NANJING)
    scored = bench[bench["scored"]]
    assert sorted(scored["adcode"]) == [DALIAN, NANCHANG]
    assert scored["index"].isna().all()
    assert scored["note"].str.contains("2017-2021").all()
    nanjing = _row(bench, NANJING)
    assert not nanjing["scored"]
    assert "2017-2021" in nanjing["note"]


# --- a figure for year Y is a flow over year Y ---------------------------------------------


def test_a_five_year_total_is_not_a_figure_for_its_last_year() -> None:
    # finding 3: Xuanwu's 十三五 total 26875 (2016-2020) was ranked 1 for "2020"; it is the only
    # district, so nothing is left to score: refused, naming Xuanwu and why
    with pytest.raises(ipbench.BenchmarkError, match="nothing to score") as error:
        ipbench.benchmark(ipbench.load_observations(), "patent_grants", year=2020,
                          level="district")  # fmt: skip
    message = str(error.value)
    assert f"Xuanwu {XUANWU}" in message
    assert "2016-2020 (5 years)" in message
    assert "one calendar year" in message


def test_a_window_total_is_a_row_left_out_beside_annual_flows() -> None:
    # Nanchang 23800 and Dalian 23508 over 2021 are scored; a 2019-2021 total for Nanjing
    # (90000, an illustration) is a row left out with the reason, not in the peer mean:
    # (23800 + 23508) / 2 = 23654
    obs = _obs(
        *GRANTS_2021,
        {"adcode": NANJING, "indicator": "patent_grants", "start": "2019-01-01",
         "end": "2021-12-31", "value": 90000},
    )  # fmt: skip
    for year in (2021, "latest"):
        bench = ipbench.benchmark(obs, "patent_grants", year=year)  # type: ignore[arg-type]
        assert (bench["benchmark_year"] == 2021).all()
        nanjing = _row(bench, NANJING)
        assert not nanjing["scored"]
        assert "2019-2021 (3 years)" in nanjing["note"]
        assert "ipbench.growth" not in nanjing["note"]
        assert _row(bench, DALIAN)["reference_value"] == 23654


def test_nanchangs_three_year_pledge_total_is_not_scored_for_2021() -> None:
    # 质押备案登记金额达14.86亿元 over 2019-2021 (ip_pledge_financing_window_total) is the only
    # figure of that indicator: nothing to score for 2021
    with pytest.raises(ipbench.BenchmarkError, match="2019-2021 \\(3 years\\)"):
        ipbench.benchmark(ipbench.load_observations(), "ip_pledge_financing_window_total",
                          year=2021)  # fmt: skip


def test_a_part_year_flow_is_not_a_figure_for_the_year() -> None:
    # a campaign over 2021-01-01 to 2021-04-25 for Dalian (1.9e8 元, shaped like Dalian's 2022
    # campaign, dated 2021 so that the test source was published after it) beside a one-year
    # 2021 test row for Nanchang (2.0e8, an illustration): the part-year flow is left out
    obs = _obs(
        {"adcode": DALIAN, "indicator": "ip_pledge_financing_campaign", "start": "2021-01-01",
         "end": "2021-04-25", "value": 1.9e8, "unit": "元"},
        {"adcode": NANCHANG, "indicator": "ip_pledge_financing_campaign", "start": "2021-01-01",
         "end": "2021-12-31", "value": 2.0e8, "unit": "元"},
    )  # fmt: skip
    bench = ipbench.benchmark(obs, "ip_pledge_financing_campaign", year=2021)
    dalian = _row(bench, DALIAN)
    assert not dalian["scored"]
    assert "2021-01-01 to 2021-04-25" in dalian["note"]
    assert "one calendar year" in dalian["note"]
    assert _row(bench, NANCHANG)["scored"]


# --- a region and its parent or child are never ranked together -----------------------------


def test_a_city_and_its_own_district_are_not_ranked_together() -> None:
    # finding 4: Nanjing 95.42 and its district Xuanwu 232.08 (test row at end-2021) were both
    # rank 1, each against its own peer mean
    obs = _obs(*CITIES_2021, {"adcode": XUANWU, "end": "2021-12-31", "value": 232.08})
    with pytest.raises(ipbench.BenchmarkError, match="parent or child") as error:
        ipbench.benchmark(obs, RATE, 2021, level=["city", "district"])
    message = str(error.value)
    assert "Nanjing 320100" in message
    assert "Xuanwu 320102" in message
    assert "level=" in message


def test_built_in_city_and_district_rates_are_refused_together() -> None:
    rates = ipbench.per_capita(ipbench.load_observations(), errors="coerce")
    with pytest.raises(ipbench.BenchmarkError, match="Xuanwu 320102"):
        ipbench.benchmark(rates, RATE, year=2021, level=["city", "district"], max_year_gap=1)


def test_unrelated_levels_share_one_peer_set() -> None:
    # Xuanwu 232.08 (test row at end-2021) with Dalian 27.26 and Nanchang 16, without Nanjing:
    # one mean for every row, (232.08 + 27.26 + 16) / 3 = 275.34 / 3 = 91.78, one ranking
    obs = _obs(
        {"adcode": XUANWU, "end": "2021-12-31", "value": 232.08},
        {"adcode": DALIAN, "end": "2021-12-31", "value": 27.26},
        {"adcode": NANCHANG, "end": "2021-12-31", "value": 16.0},
    )
    bench = ipbench.benchmark(obs, RATE, 2021, level=["city", "district"])
    assert bench["scored"].all()
    assert bench["reference_value"].tolist() == pytest.approx([275.34 / 3] * 3, rel=TIGHT)
    assert bench["rank"].tolist() == [1, 2, 3]
    assert bench["adcode"].tolist() == [XUANWU, DALIAN, NANCHANG]


# --- notes and errors ----------------------------------------------------------------------


def test_a_mid_year_stock_is_called_so() -> None:
    # finding 5: Gulou's 2025 target (高价值发明专利 75 件/万人 at 2025-07-31) was described as
    # "no figure for 2025 ... 0.42 years before 2025", though 2025-07-31 is in 2025. Position:
    # 2025 + 212 / 365 = 2025.581; the end of 2025 is 2026.0: 0.42 years before it
    bench = ipbench.benchmark(ipbench.load_observations(), "high_value_invention_patents_per_10k",
                              status="target", year=2025, level="district")  # fmt: skip
    gulou = _row(bench, GULOU)
    assert not gulou["scored"]
    assert "mid-year" in gulou["note"]
    assert "0.42 years before the end of 2025" in gulou["note"]
    assert "no figure for 2025" not in gulou["note"]
    assert "max_year_gap=1" in gulou["note"]


def test_nothing_to_score_names_each_region() -> None:
    with pytest.raises(ipbench.BenchmarkError, match="nothing to score") as error:
        ipbench.benchmark(ipbench.load_observations(), RATE, year=2022)
    message = str(error.value)
    for name, code in (("Nanjing", NANJING), ("Dalian", DALIAN), ("Nanchang", NANCHANG)):
        assert f"{name} {code}: " in message


def test_an_indicator_without_peers_keeps_its_rows_among_several() -> None:
    # patent_trademark_pledge_financing has only China's figures (a reference, no peer); beside
    # the cities' rates it is kept as rows left out with the reason, and the rates are scored
    obs = ipbench.load_observations()
    both = ["invention_patents_in_force_per_10k", "patent_trademark_pledge_financing"]
    bench = ipbench.benchmark(obs, both, year=2021)
    pledge = bench[bench["indicator"] == "patent_trademark_pledge_financing"]
    assert len(pledge) == 1
    assert not pledge["scored"].any()
    assert pledge["note"].str.contains("reference, not a peer").all()
    rates = bench[bench["indicator"] == RATE]
    assert rates["scored"].sum() == 3
    # alone, the same indicator is refused: nothing at all to score
    with pytest.raises(ipbench.BenchmarkError, match="patent_trademark_pledge_financing"):
        ipbench.benchmark(obs, "patent_trademark_pledge_financing", year=2021)


def test_scores_against_a_subnormal_value_are_no_number_not_inf() -> None:
    # found by the property above at the lowest supported versions: Nanjing's bound (>1) is
    # left out, Dalian's 2.2e-313 is the frontier, and 1 / 2.2e-313 overflows a float, so
    # the arithmetic for the left-out row warned "overflow encountered in divide"
    obs = _obs(
        {"adcode": NANJING, "end": "2021-12-31", "value": 1.0, "qualifier": "gt"},
        {"adcode": DALIAN, "end": "2021-12-31", "value": 2.2250738585e-313, "qualifier": "eq"},
        {"adcode": NANCHANG, "end": "2021-12-31", "value": 0.0, "qualifier": "eq"},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bench = ipbench.benchmark(obs, RATE, 2021)
    numbers = bench.select_dtypes("float")
    assert not numbers.isin([math.inf, -math.inf]).any().any()
    assert bench.loc[bench["scored"], "adcode"].tolist() == [DALIAN, NANCHANG]
