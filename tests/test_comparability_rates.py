"""Per-capita rates that compare like with like: windows annualised, one vintage order,
reported rates winning over derived ones, and counts implied by rates."""

from __future__ import annotations

import pandas as pd
import pytest

import ipbench

TIGHT = 1e-9


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return ipbench.load_observations()


def _one(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    assert mask.sum() == 1, f"expected one row for {where}, got {int(mask.sum())}"
    return frame[mask].iloc[0]


def test_five_year_flow_is_annualised_before_division(obs: pd.DataFrame) -> None:
    xuanwu = obs[(obs["adcode"] == "320102") & (obs["indicator"] == "patent_grants")]
    row = ipbench.per_capita(xuanwu, select=["patent_grants"]).iloc[0]
    # 专利授权量26875件 over 2016-2020 is 26875 / 5 = 5375 a year; / 537825 (census) × 10^4
    # = 99.94 件/万人 a year, not the 499.7 of dividing the five-year sum by one population
    assert row["value"] == pytest.approx(26875 / 5 / 537825 * 1e4, rel=TIGHT)
    assert row["annualised_over_years"] == 5
    assert "yearly average of the 2016-2020 total (26875 件 / 5)" in row["method"]


def test_a_stock_is_never_annualised(obs: pd.DataFrame) -> None:
    xuanwu = obs[(obs["adcode"] == "320102") & (obs["indicator"] == "invention_patents_in_force")]
    row = ipbench.per_capita(xuanwu[xuanwu["status"] == "actual"]).iloc[0]
    # 12482 / 537825 × 10^4 = 232.083, a stock at 2020-12-31: nothing to annualise
    assert row["value"] == pytest.approx(12482 / 537825 * 1e4, rel=TIGHT)
    assert pd.isna(row["annualised_over_years"])


def test_multi_year_money_flow_per_gdp_is_annualised(obs: pd.DataFrame) -> None:
    nanchang = obs[(obs["adcode"] == "360100") & (obs["evidence"] == "质押备案登记金额达14.86亿元")]
    indicator = str(nanchang["indicator"].iloc[0])
    row = ipbench.per_capita(
        nanchang, per=100_000_000, quantity="gdp", select=[indicator], nearest_year=0
    ).iloc[0]
    # 14.86亿元 registered over 2019-2021 = 4.9533亿元 a year; / GDP 2021 6650.53亿元 × 10^8
    # = 74,480.2 元 per 亿元 of GDP (dividing the three-year sum gave 223,440.6, 3× too high)
    assert row["value"] == pytest.approx(1486000000 / 3 / 665053000000 * 1e8, rel=TIGHT)
    assert row["annualised_over_years"] == 3


def test_gdp_needs_no_basis_argument(obs: pd.DataFrame) -> None:
    nanjing = obs[(obs["adcode"] == "320100") & (obs["evidence"] == "知识产权质押融资总额43.1亿元")]
    indicator = str(nanjing["indicator"].iloc[0])
    row = ipbench.per_capita(nanjing, per=100_000_000, quantity="gdp", select=[indicator]).iloc[0]
    # 43.1亿元 / 16355.33亿元 (2021) × 10^8 = 263,522.7 元 per 亿元, on the default GDP bases
    assert row["value"] == pytest.approx(4310000000 / 1635533000000 * 1e8, rel=TIGHT)
    assert row["denominator_basis"].startswith("gdp_")


def test_reported_rate_wins_and_a_contradiction_is_flagged(obs: pd.DataFrame) -> None:
    dalian = obs[(obs["adcode"] == "210200") & (obs["period_end"] == pd.Timestamp("2021-12-31"))]
    inflated = pd.DataFrame(
        [
            {
                "adcode": "210200",
                "year": 2021,
                "quantity": "resident_population",
                "value": 8000000,
                "unit": "人",
                "basis": "year_end_census_revised",
                "source": "ref_dalian_census_2020",
                "evidence": "test",
                "note": "a deliberately wrong test figure",
            }
        ]
    )
    rates = ipbench.per_capita(dalian, denominators=inflated)
    row = _one(rates, indicator="invention_patents_in_force_per_10k", rate_check="contradicts")
    # 20309 / 8,000,000 × 10^4 = 25.386, far outside 27.26 ± 0.005: the reported figure wins,
    # and the row says the two contradict each other
    assert row["derived_value"] == pytest.approx(20309 / 8000000 * 1e4, rel=TIGHT)
    assert (row["value"], row["reported_value"]) == (27.26, 27.26)
    assert "CONTRADICTS" in row["method"]


def test_same_year_population_agrees_and_the_reported_row_keeps_its_source(
    obs: pd.DataFrame,
) -> None:
    dalian = obs[(obs["adcode"] == "210200") & (obs["period_end"] == pd.Timestamp("2021-12-31"))]
    census_as_2021 = pd.DataFrame(
        [
            {
                "adcode": "210200",
                "year": 2021,
                "quantity": "resident_population",
                "value": 7450785,
                "unit": "人",
                "basis": "year_end_census_revised",
                "source": "ref_dalian_census_2020",
                "evidence": "test",
                "note": "the census figure given as a 2021 year-end test figure",
            }
        ]
    )
    rates = ipbench.per_capita(dalian, denominators=census_as_2021)
    row = _one(rates, indicator="invention_patents_in_force_per_10k")
    # 20309 / 7,450,785 × 10^4 = 27.2575, within 27.26 ± 0.005: they agree
    assert row["rate_check"] == "agrees"
    # the value is the reported 27.26, so the row names the report it comes from
    assert (row["value"], row["source"]) == (27.26, "dalian_ipweek_2022")
    assert row["evidence"] == "每万人有效发明专利拥有量27.26件"


def test_another_years_population_is_no_check(obs: pd.DataFrame) -> None:
    nanchang = obs[(obs["adcode"] == "360100") & (obs["period_end"] == pd.Timestamp("2018-12-31"))]
    row = _one(
        ipbench.per_capita(nanchang, nearest_year=True),
        indicator="invention_patents_in_force_per_10k",
    )
    # 4996 / 6,255,007 (the 2020 census, two years off) × 10^4 = 7.99 against the reported
    # 9.3: the gap is the denominator's year, not a contradiction of the report
    assert row["rate_check"] == "not checked"
    assert row["value"] == 9.3
    assert row["derived_value"] == pytest.approx(4996 / 6255007 * 1e4, rel=TIGHT)


def test_reported_rates_complete_the_table(obs: pd.DataFrame) -> None:
    actual = obs[obs["status"] == "actual"]
    rates = ipbench.per_capita(actual, errors="coerce")
    nanjing = _one(rates, adcode="320100", period_end=pd.Timestamp("2021-12-31"))
    # Nanjing reports 95.42 件/万人 and no count for end-2021: the reported rate is the row
    assert (nanjing["value"], nanjing["rate_check"]) == (95.42, "reported only")
    ignored = ipbench.per_capita(actual, errors="coerce", reported="ignore")
    assert "reported only" not in set(ignored["rate_check"])


@pytest.mark.parametrize("per", [0, -1, -10_000])
def test_per_must_be_positive(obs: pd.DataFrame, per: int) -> None:
    with pytest.raises(ValueError, match="`per` must be a positive number"):
        ipbench.per_capita(obs, per=per)


def test_equally_near_years_take_the_earlier(obs: pd.DataFrame) -> None:
    dalian = obs[(obs["adcode"] == "210200") & (obs["evidence"] == "有效发明专利拥有量2.03万件")]
    rates = ipbench.per_capita(dalian, nearest_year=True, reported="ignore")
    row = rates.iloc[0]
    # end-2021 has no population figure; 2020 (census 7,450,785) and 2022 (7,531,000) are one
    # year away each: the 2020 census is taken, 20300 / 7450785 × 10^4 = 27.245
    assert row["denominator_year"] == 2020
    assert row["value"] == pytest.approx(20300 / 7450785 * 1e4, rel=TIGHT)


def test_implied_counts_link_a_rate_to_earlier_counts(obs: pd.DataFrame) -> None:
    counts = ipbench.implied_counts(obs)
    nanjing = _one(counts, adcode="320100", period_end=pd.Timestamp("2021-12-31"))
    # 95.42 件/万人 × 9,423,400 (year-end 2021, census-revised) / 10^4 = 89,918.08;
    # 95.42 means [95.415, 95.425): ± 0.005 × 942.34 = ± 4.71
    assert nanjing["value"] == pytest.approx(95.42 * 9423400 / 1e4, rel=TIGHT)
    assert nanjing["interval_low"] == pytest.approx(95.415 * 942.34, rel=TIGHT)
    assert nanjing["interval_high"] == pytest.approx(95.425 * 942.34, rel=TIGHT)
    assert nanjing["indicator"] == "invention_patents_in_force"
    # with Nanjing's counted 33,458 of end-2016, five years of growth can now be measured
    usable = counts[counts["value"].notna()]
    linked = pd.concat([obs, usable[obs.columns]], ignore_index=True)
    growth = ipbench.growth(linked)
    pair = growth[
        (growth["adcode"] == "320100")
        & (growth["indicator"] == "invention_patents_in_force")
        & (growth["from_period_end"] == pd.Timestamp("2016-12-31"))
        & (growth["period_end"] == pd.Timestamp("2021-12-31"))
    ]
    assert len(pair) == 1
    # (89,918.08 / 33,458)^(1/5) - 1 = 21.86 % a year
    assert pair["cagr"].iloc[0] == pytest.approx((95.42 * 942.34 / 33458) ** (1 / 5) - 1, rel=1e-6)


def test_a_reported_count_beats_an_implied_one(obs: pd.DataFrame) -> None:
    counts = ipbench.implied_counts(obs)
    # Dalian reports both 20309 件 and 27.26 件/万人 for end-2021: no count is implied there
    dalian = counts[(counts["adcode"] == "210200") & (counts["period_end"] == "2021-12-31")]
    assert dalian.empty


def test_implied_counts_are_counted_as_derived_in_trends_and_growth(obs: pd.DataFrame) -> None:
    counts = ipbench.implied_counts(obs)
    usable = counts[counts["value"].notna()]
    linked = pd.concat([obs, usable[obs.columns]], ignore_index=True)
    trend = ipbench.trend(linked)
    dalian = trend[
        (trend["adcode"] == "210200") & (trend["indicator"] == "invention_patents_in_force")
    ]
    # Dalian counts 9625 (2016) and 20309 (2021); its 2020 count is implied by 24.25 件/万人 ×
    # the census: two reported points and one derived, so no R² is claimed
    row = dalian.iloc[0]
    assert (row["n_reported"], row["n_reconstructed"]) == (2, 1)
    assert pd.isna(row["r_squared"])
    growth = ipbench.growth(linked)
    nanjing = growth[
        (growth["adcode"] == "320100")
        & (growth["indicator"] == "invention_patents_in_force")
        & (growth["period_end"] == pd.Timestamp("2021-12-31"))
    ]
    assert "a point is derived" in nanjing["method"].iloc[0]


def test_rows_without_a_denominator_say_so(obs: pd.DataFrame) -> None:
    dalian = obs[(obs["adcode"] == "210200") & (obs["status"] == "actual")]
    rates = ipbench.per_capita(dalian, errors="coerce", select=["invention_patents_in_force"])
    by_date = rates.set_index("period_end")
    # end-2016: 9625 件 and no population of that year on the default bases, no report:
    # no rate, and the row says it was not derived
    assert by_date.loc[pd.Timestamp("2016-12-31"), "rate_check"] == "not derived"
    # end-2021: 27.26 reported, 20309 counted, no 2021 population: the report stands
    # unchecked, and names only its own source
    row = by_date.loc[pd.Timestamp("2021-12-31")]
    assert (row["value"], row["rate_check"]) == (27.26, "not checked")
    assert row["sources"] == "dalian_ipweek_2022"
