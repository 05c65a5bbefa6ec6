"""Honest growth arithmetic: no annual rate from under a year, like windows, no tautologies.

Each expected number is worked out by hand in the comment above it, from the
figures of the seeds and the built-in data.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ipbench
from ipbench._growth import MIN_CAGR_YEARS, cagr_reason
from ipbench._provenance import RECONSTRUCTED_NOTE, is_derived

TIGHT = 1e-9
UNDER_A_YEAR = "less than a year between the two points: no annual rate"


def _row(frame: pd.DataFrame, **where: object) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column].astype(str) == str(value)
    rows = frame[mask]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- 1. CAGR needs at least a year ---------------------------------------------------


def test_the_minimum_span_is_one_year() -> None:
    assert MIN_CAGR_YEARS == 1


def test_cagr_over_one_day_raises_naming_the_inputs() -> None:
    # Xuanwu's 12482 件 to 1e6 in one day would be (1e6 / 12482)^365 - 1: beyond any float
    with pytest.raises(ValueError, match="less than a year between the two points") as caught:
        ipbench.cagr(12482, 1e6, 1 / 365)
    message = str(caught.value)
    assert "x0=12482.0" in message
    assert "x1=1000000.0" in message
    assert f"years={1 / 365}" in message


def test_cagr_over_one_day_coerces_to_nan_without_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(ipbench.cagr(12482, 1e6, 1 / 365, errors="coerce"))
        # two stock points a day apart, +0.15 %: (1.0015)^365 - 1 = 72.8 % "a year" before the fix
        assert math.isnan(ipbench.cagr(100, 100.15, 1 / 365, errors="coerce"))


def test_cagr_at_exactly_one_year_is_the_plain_change() -> None:
    # Nanchang's 专利授权量 23800 over its 2020 level 17908.2 (+32.9 %) one year earlier
    assert ipbench.cagr(23800 / 1.329, 23800, 1) == pytest.approx(0.329, rel=TIGHT)


def test_cagr_overflow_is_nan_or_an_error_never_inf() -> None:
    # 1e300 / 1e-300 = 1e600 exceeds the largest float (1.8e308): no finite rate exists
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(ipbench.cagr(1e-300, 1e300, 1, errors="coerce"))
        rates = ipbench.cagr([1e-300, 100], [1e300, 121], [1, 2], errors="coerce")
    # the second pair is untouched: (121 / 100)^(1/2) - 1 = 10 %
    assert math.isnan(rates[0])
    assert rates[1] == pytest.approx(0.1, rel=TIGHT)
    with pytest.raises(ValueError, match="overflow"):
        ipbench.cagr(1e-300, 1e300, 1)


def test_cagr_reason_names_the_short_span() -> None:
    x0 = pd.Series([100.0, 100.0, 100.0, 0.0])
    x1 = pd.Series([121.0, 101.0, 101.0, 5.0])
    years = pd.Series([2.0, 0.5, 0.0, 1.0])
    assert cagr_reason(x0, x1, years).tolist() == [
        "",
        UNDER_A_YEAR,
        "no time between the two points",
        "growth from zero has no rate",
    ]


def test_growth_keeps_changes_under_a_year_but_no_rate() -> None:
    # Dalian's 有效发明专利 20309 at the end of 2021, and a test stock of 20000 at mid-2021:
    # half a year apart (2021-06-30 sits at 2021 + 181/365 = 2021.4959, 2021-12-31 at 2022.0)
    obs = ipbench.load_observations()
    end = obs[
        (obs["source"] == "ref_dalian_ip_2021_official")
        & (obs["indicator"] == "invention_patents_in_force")
        & (obs["measure"] == "level")
    ]
    mid = end.assign(
        period_start=pd.Timestamp("2021-06-30"),
        period_end=pd.Timestamp("2021-06-30"),
        value=20000.0,
        evidence="test",
    )
    row = ipbench.growth(pd.concat([mid, end], ignore_index=True)).iloc[0]
    assert row["years"] == pytest.approx(round(1 - 181 / 365, 6), rel=TIGHT)
    # 20309 - 20000 = 309; 20309 / 20000 - 1 = 1.545 %
    assert row["abs_change"] == pytest.approx(309, rel=TIGHT)
    assert row["rel_change"] == pytest.approx(0.01545, rel=TIGHT)
    assert pd.isna(row["cagr"])
    assert row["reason"] == UNDER_A_YEAR


@given(
    x0=st.floats(allow_nan=False, allow_infinity=False),
    x1=st.floats(allow_nan=False, allow_infinity=False),
    years=st.floats(allow_nan=False, allow_infinity=False),
)
def test_cagr_never_inf_never_warns(x0: float, x1: float, years: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rate = ipbench.cagr(x0, x1, years, errors="coerce")
    assert math.isnan(rate) or math.isfinite(rate)
    if math.isnan(rate):
        # a missing rate always has a reason
        reason = cagr_reason(pd.Series([x0]), pd.Series([x1]), pd.Series([years]))
        assert reason.iloc[0] != ""


@given(
    x0=st.floats(min_value=1e-3, max_value=1e9),
    x1=st.floats(min_value=1e-3, max_value=1e9),
    years=st.floats(min_value=MIN_CAGR_YEARS, max_value=100),
)
def test_cagr_compounds_back_to_the_end_value(x0: float, x1: float, years: float) -> None:
    # a fall to under a millionth leaves too few significant digits in 1 + rate
    assume(x1 / x0 >= 1e-6)
    rate = ipbench.cagr(x0, x1, years)
    assert (1 + rate) ** years * x0 == pytest.approx(x1, rel=1e-9)


def test_cagr_raise_mode_never_returns_inf() -> None:
    inputs = np.array([[1e-300, 1e300, 1.0], [5e-324, 1.0, 1.0], [1.0, 1e308, 1.0]])
    for x0, x1, years in inputs:
        try:
            rate = ipbench.cagr(x0, x1, years)
        except ValueError:
            continue
        assert math.isfinite(rate)


# --- 2. flows compare like windows ----------------------------------------------------

UNLIKE_WINDOWS = "flows over windows of different length: 5 vs 1 years"


def _xuanwu_grants_with_annual(*years_and_values: tuple[int, float]) -> pd.DataFrame:
    """Xuanwu's 专利授权量26875件 over 2016-2020 plus annual test rows."""
    obs = ipbench.load_observations()
    five_year_sum = obs[(obs["adcode"] == "320102") & (obs["indicator"] == "patent_grants")]
    annual = [
        five_year_sum.assign(
            period_start=pd.Timestamp(f"{year}-01-01"),
            period_end=pd.Timestamp(f"{year}-12-31"),
            value=value,
            evidence="test",
        )
        for year, value in years_and_values
    ]
    return pd.concat([five_year_sum, *annual], ignore_index=True)


def test_five_year_sum_and_one_year_flow_have_no_rate() -> None:
    # 26875 / 5 = 5375 a year at mid-2018 (2018.5); 6450 in 2021 sits at 2021.5: 3 years later.
    # Before the fix: CAGR (6450 / 5375)^(1/3) - 1 = 6.27 %, a yearly average against one year.
    row = ipbench.growth(_xuanwu_grants_with_annual((2021, 6450.0))).iloc[0]
    assert (row["from_value"], row["to_value"], row["years"]) == (5375, 6450, 3.0)
    assert pd.isna(row["cagr"])
    assert row["reason"] == UNLIKE_WINDOWS
    # the change against the yearly average is still shown: 6450 - 5375 = 1075; 1075 / 5375 = 20 %
    assert row["abs_change"] == pytest.approx(1075, rel=TIGHT)
    assert row["rel_change"] == pytest.approx(0.2, rel=TIGHT)
    assert "CAGR" not in row["method"]


def test_like_windows_keep_their_rate_and_first_last_is_checked() -> None:
    # annual 6450 (2021) and 7095 (2022): 7095 / 6450 - 1 = 10 % in one year
    growth = ipbench.growth(_xuanwu_grants_with_annual((2021, 6450.0), (2022, 7095.0)))
    annual = _row(growth, span="consecutive", period_end="2022-12-31")
    assert annual["cagr"] == pytest.approx(0.1, rel=TIGHT)
    assert annual["reason"] == ""
    unlike = _row(growth, span="consecutive", period_end="2021-12-31")
    assert pd.isna(unlike["cagr"])
    assert unlike["reason"] == UNLIKE_WINDOWS
    # first_last pairs the 2016-2020 sum (5375 a year) with 2022: still 5 vs 1 years
    first_last = _row(growth, span="first_last")
    assert (first_last["from_value"], first_last["to_value"]) == (5375, 7095)
    assert pd.isna(first_last["cagr"])
    assert first_last["reason"] == UNLIKE_WINDOWS


# --- 3. consistency never checks a derived row against its own input -------------------


def _with_reconstructed(obs: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([obs, ipbench.reconstruct(obs)[obs.columns]], ignore_index=True)


def test_is_derived_marks_reconstructed_rows() -> None:
    obs = ipbench.load_observations()
    both = _with_reconstructed(obs)
    derived = is_derived(both)
    assert not derived.iloc[: len(obs)].any()
    assert derived.iloc[len(obs) :].all()
    assert both.loc[derived, "note"].str.startswith(RECONSTRUCTED_NOTE).all()


def test_reconstructed_levels_are_not_checked_against_their_own_change() -> None:
    # Nanchang's 2020 专利授权量 23800 / 1.329 = 17908.2 comes from 同比增长32.9%: checking
    # 32.9 % against 17908.2 → 23800 gives 32.9 % by construction. The same holds for
    # Dalian's 23508 (+33.2 %) and both cities' 万人发明专利拥有量 changes.
    obs = ipbench.load_observations()
    alone = ipbench.consistency(obs)
    with_derived = ipbench.consistency(_with_reconstructed(obs))
    changes = with_derived[with_derived["check"] == "reported change vs levels"]
    assert not changes["adcode"].isin(["210200", "360100"]).any()
    # the only change check is China's 57.1 % against two levels two reports give
    # (3098亿 in 2021, 4868.8亿 in 2022), as without the reconstructed rows
    pd.testing.assert_frame_equal(
        changes.reset_index(drop=True),
        alone[alone["check"] == "reported change vs levels"].reset_index(drop=True),
    )


def test_china_reconstructed_2021_is_checked_against_the_2021_report() -> None:
    # the 2022 report's 4868.8亿元 / 1.571 = 3099.17亿 for 2021 (ref_scio_ip_2022) against the
    # 2021 report's own 3098亿 (ref_scio_ip_2021): an independent report, so a real check.
    # The reconstruction may be off by 4868.85亿 / 1.5705 - 4868.8亿 / 1.571 = 1.01852亿
    # (rounding of both figures), the 3098亿 by 0.5亿: tolerance 1.51852亿 >= |gap| 1.1725亿
    obs = ipbench.load_observations()
    checks = ipbench.consistency(_with_reconstructed(obs))
    row = _row(checks, adcode="100000", check="same figure, two sources")
    assert row["reported"] == 309_800_000_000
    assert row["computed"] == pytest.approx(486_880_000_000 / 1.571, rel=TIGHT)
    assert row["tolerance"] == pytest.approx(
        486_885_000_000 / 1.5705 - 486_880_000_000 / 1.571 + 5e7
    )
    assert row["consistent"]


def _nanchang_2020_grants(value: float) -> pd.DataFrame:
    """An independent report of Nanchang's 2020 专利授权量 (a test row)."""
    obs = ipbench.load_observations()
    grants_2021 = obs[
        (obs["adcode"] == "360100")
        & (obs["indicator"] == "patent_grants")
        & (obs["measure"] == "level")
        & (obs["period_end"] == pd.Timestamp("2021-12-31"))
    ]
    return grants_2021.assign(
        period_start=pd.Timestamp("2020-01-01"),
        period_end=pd.Timestamp("2020-12-31"),
        value=value,
        source="ref_nanchang_ip_2018",
        evidence=f"{value:.0f}件",
    )


def test_a_reconstructed_level_is_checked_against_an_independent_report() -> None:
    obs = ipbench.load_observations()
    both = pd.concat([_with_reconstructed(obs), _nanchang_2020_grants(17908.0)], ignore_index=True)
    checks = ipbench.consistency(both)
    same = _row(checks, adcode="360100", check="same figure, two sources")
    # reconstructed 23800 / 1.329 = 17908.2017 in [23800 / 1.3295, 23800 / 1.3285]
    # = [17901.4667, 17915.6944]: it may be off by 17915.6944 - 17908.2017 = 7.4927;
    # the independent 17908 is an exact count (±0). |17908.2017 - 17908| = 0.20 <= 7.49
    assert same["reported"] == pytest.approx(23800 / 1.329, rel=TIGHT)
    assert same["computed"] == 17908
    assert same["tolerance"] == pytest.approx(23800 / 1.3285 - 23800 / 1.329, rel=1e-6)
    assert same["consistent"]
    # the reported change is checked against the independent 2020 level, not its own:
    # 23800 / 17908 - 1 = 32.9015 %, reported 32.9
    change = _row(checks, adcode="360100", check="reported change vs levels")
    assert change["computed"] == pytest.approx((23800 / 17908 - 1) * 100, rel=TIGHT)
    assert change["sources"] == "nanchang_daily_ip_2022;ref_nanchang_ip_2018"


def test_an_independent_report_far_from_the_reconstruction_disagrees() -> None:
    # 17890 is 17908.2017 - 17890 = 18.2 below the reconstruction; the rounding of 32.9 %
    # allows only 17908.2017 - 17901.4667 = 6.735 downwards (tolerance 7.4927 either way)
    obs = ipbench.load_observations()
    both = pd.concat([_with_reconstructed(obs), _nanchang_2020_grants(17890.0)], ignore_index=True)
    same = _row(ipbench.consistency(both), adcode="360100", check="same figure, two sources")
    assert not same["consistent"]


# --- 4. trends count reported and reconstructed points ------------------------------------


def _ols(t: list[float], values: list[float]) -> tuple[float, float]:
    """Slope and R² of ln(value) on t, written out: b = Sty / Stt, R² = Sty² / (Stt·Syy)."""
    y = [math.log(v) for v in values]
    t_mean, y_mean = sum(t) / len(t), sum(y) / len(y)
    stt = sum((a - t_mean) ** 2 for a in t)
    syy = sum((b - y_mean) ** 2 for b in y)
    sty = sum((a - t_mean) * (b - y_mean) for a, b in zip(t, y, strict=True))
    return sty / stt, sty**2 / (stt * syy)


def test_trend_on_two_reported_and_one_reconstructed_point_shows_no_r_squared() -> None:
    # Nanchang 每万人有效发明专利拥有量: end-2018 (ref_nanchang_ip_2018), end-2021 16 and the
    # end-2020 16 - 3.53 = 12.47 reconstructed from 同比增长3.53件 of the same report
    obs = ipbench.load_observations()
    trends = ipbench.trend(_with_reconstructed(obs))
    row = _row(trends, adcode="360100", indicator="invention_patents_in_force_per_10k")
    assert (row["n_points"], row["n_reported"], row["n_reconstructed"]) == (3, 2, 1)
    assert pd.isna(row["r_squared"])
    assert row["reason"] == "fewer than 3 reported points (2 reported, 1 reconstructed): no R²"
    assert "1 reconstructed" in row["method"]
    # the growth is still fitted: stocks at 2019.0, 2021.0 and 2022.0
    levels = obs[
        (obs["adcode"] == "360100")
        & (obs["indicator"] == "invention_patents_in_force_per_10k")
        & (obs["measure"] == "level")
        & (obs["period_end"] == pd.Timestamp("2018-12-31"))
    ]
    end_2018 = float(levels["value"].iloc[0])
    slope, _ = _ols([0, 2, 3], [end_2018, 16 - 3.53, 16])
    assert row["trend_growth"] == pytest.approx(math.exp(slope) - 1, rel=TIGHT)


def test_trend_on_three_reported_points_shows_r_squared() -> None:
    # Nanchang 专利授权量 13040 (2018), 17908 (2020, an independent test report) and 23800 (2021),
    # annual flows at 2018.5, 2020.5 and 2021.5; the reconstruction 23800 / 1.329 of 2020 is
    # appended too, but a reported figure beats one we derive
    obs = ipbench.load_observations()
    both = pd.concat([_with_reconstructed(obs), _nanchang_2020_grants(17908.0)], ignore_index=True)
    row = _row(ipbench.trend(both), adcode="360100", indicator="patent_grants")
    assert (row["n_points"], row["n_reported"], row["n_reconstructed"]) == (3, 3, 0)
    slope, r_squared = _ols([0, 2, 3], [13040, 17908, 23800])
    assert row["trend_growth"] == pytest.approx(math.exp(slope) - 1, rel=TIGHT)
    assert row["r_squared"] == pytest.approx(r_squared, rel=TIGHT)
    assert row["reason"] == ""


def test_trend_over_less_than_a_year_has_no_rate() -> None:
    # three stocks at 2021-03-31, 2021-06-30 and 2021-12-31 span 0.75 years: no annual rate
    obs = ipbench.load_observations()
    end = obs[
        (obs["source"] == "ref_dalian_ip_2021_official")
        & (obs["indicator"] == "invention_patents_in_force")
        & (obs["measure"] == "level")
    ]
    rows = [
        end.assign(period_start=pd.Timestamp(day), period_end=pd.Timestamp(day), value=v)
        for day, v in (("2021-03-31", 19000.0), ("2021-06-30", 20000.0))
    ]
    row = ipbench.trend(pd.concat([*rows, end], ignore_index=True)).iloc[0]
    assert pd.isna(row["trend_growth"])
    assert pd.isna(row["r_squared"])
    assert row["reason"] == UNDER_A_YEAR
