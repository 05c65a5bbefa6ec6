"""ipbench's numbers against a straightforward implementation kept here, on a synthetic panel.

The speed work on the analytics modules must not change a number: every
per_capita, growth (CAGR), ambition and benchmark figure of a small synthetic
panel is recomputed below in plain Python (dictionaries and loops, no shared
code with ipbench) from the panel's own tables, and must agree to a relative
1e-9. The panel has what real data has (``ipbench._synthetic``): population
years missing (``nearest_year=``), rates a region does not report (derived
baselines), 新增 additions with and without their own series, totals over a
plan window, flows reported twice (the later bulletin wins), and text cells.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipbench

#: Relative tolerance: the arithmetic is the same, only its order may differ.
REL = 1e-9


class Reference(NamedTuple):
    """The panel's figures as plain dictionaries."""

    panel: ipbench.Panel
    kind: dict[str, str]
    base: dict[str, str]
    #: (adcode, indicator, year) -> the value of the latest-published report
    reports: dict[tuple[str, str, int], float]
    #: (adcode, year) -> residents
    population: dict[tuple[str, int], float]
    base_year: int


@pytest.fixture(scope="module")
def reference() -> Reference:
    # 40 regions × 6 indicators (stock, flow, rate, additions, stock, flow) × 8 years
    panel = ipbench.synthetic_panel(n_regions=40, n_indicators=6, n_years=8, target_share=0.3)
    indicators = panel.indicators
    kind = dict(zip(indicators["indicator"], indicators["kind"], strict=True))
    base = {
        i: b
        for i, b in zip(indicators["indicator"], indicators["base_indicator"], strict=True)
        if isinstance(b, str)
    }
    published = dict(zip(panel.sources["source"], panel.sources["published"], strict=True))
    reports: dict[tuple[str, str, int], float] = {}
    when: dict[tuple[str, str, int], pd.Timestamp] = {}
    for row in panel.observations.itertuples():
        if row.status != "actual":
            continue
        key = (row.adcode, row.indicator, row.period_end.year)
        # a figure reported again by a later publication replaces the earlier report
        if key not in when or published[row.source] > when[key]:
            reports[key], when[key] = row.value, published[row.source]
    population = {(row.adcode, row.year): row.value for row in panel.denominators.itertuples()}
    (base_year,) = {date.year for date in panel.plans["base_date"]}
    return Reference(panel, kind, base, reports, population, base_year)


@pytest.fixture(scope="module")
def obs(reference: Reference) -> pd.DataFrame:
    panel = reference.panel
    return ipbench.validate(panel.observations_text(), catalog=panel.catalog())


def nearest_population(ref: Reference, adcode: str, year: int) -> tuple[int, float]:
    """The population of ``year``, else of the nearest year (the earlier of two as near)."""
    years = [y for (code, y) in ref.population if code == adcode]
    chosen = min(years, key=lambda y: (abs(y - year), y))
    return chosen, ref.population[(adcode, chosen)]


def test_the_panel_has_what_real_data_has(reference: Reference, obs: pd.DataFrame) -> None:
    panel = reference.panel
    # CSV text cells parse back to the generated numbers exactly
    assert obs["value"].tolist() == panel.observations["value"].tolist()
    regions, years = 40, 8
    assert len(panel.denominators) < regions * years  # population years missing
    repeated = panel.observations.duplicated(["adcode", "indicator", "period_end"], keep=False)
    assert repeated.any()  # flows reported twice
    kinds = ipbench.ambition(obs)["target_kind"].value_counts()
    assert {"level", "window_total", "additions"} <= set(kinds.index)


def test_per_capita_matches_division_by_the_nearest_population(
    reference: Reference, obs: pd.DataFrame
) -> None:
    rates = ipbench.per_capita(obs[obs["status"] == "actual"], nearest_year=True)
    counted = {"stock": 0, "nearest": 0, "derived only": 0}
    for row in rates.itertuples():
        year = row.period_end.year
        count = reference.reports[(row.adcode, row.numerator_indicator, year)]
        den_year, residents = nearest_population(reference, row.adcode, year)
        # count / residents × 10⁴, the residents of the nearest year with a figure
        assert row.derived_value == pytest.approx(count / residents * 10_000, rel=REL)
        assert row.denominator_year == den_year
        reported = reference.reports.get((row.adcode, row.indicator, year))
        # a reported rate wins; else the derived one is the value
        expected = reported if reported is not None else count / residents * 10_000
        assert row.value == pytest.approx(expected, rel=REL)
        counted["stock"] += 1
        counted["nearest"] += den_year != year
        counted["derived only"] += reported is None
    assert counted["nearest"] > 0
    assert counted["derived only"] > 0
    with_rate = {b for r, b in reference.base.items() if reference.kind[r] == "rate"}
    assert counted["stock"] == sum(1 for (_, i, _) in reference.reports if i in with_rate)


def test_growth_first_to_last_cagr(reference: Reference, obs: pd.DataFrame) -> None:
    series: dict[tuple[str, str], list[int]] = defaultdict(list)
    for adcode, indicator, year in reference.reports:
        series[(adcode, indicator)].append(year)
    expected = {}
    for key, years in series.items():
        if len(years) < 3:  # a first-last pair needs a point between
            continue
        first, last = min(years), max(years)
        x0 = reference.reports[(*key, first)]
        x1 = reference.reports[(*key, last)]
        # stocks at year ends and one-year flows at mid-years are both `last - first` apart
        expected[key] = (x1 / x0) ** (1 / (last - first)) - 1
    g = ipbench.growth(obs)
    first_last = g[g["span"] == "first_last"]
    got = dict(
        zip(
            zip(first_last["adcode"], first_last["indicator"], strict=True),
            first_last["cagr"],
            strict=True,
        )
    )
    assert got.keys() == expected.keys()
    for key, rate in expected.items():
        assert got[key] == pytest.approx(rate, rel=REL), key


def test_growth_between_consecutive_points(reference: Reference, obs: pd.DataFrame) -> None:
    g = ipbench.growth(obs)
    consecutive = g[g["span"] == "consecutive"]
    gaps = 0
    for row in consecutive.itertuples():
        key = (row.adcode, row.indicator)
        x0 = reference.reports[(*key, row.from_period_end.year)]
        x1 = reference.reports[(*key, row.period_end.year)]
        years = row.period_end.year - row.from_period_end.year
        gaps += years > 1  # a rate the region skipped a year of
        assert row.from_value == x0
        assert row.cagr == pytest.approx((x1 / x0) ** (1 / years) - 1, rel=REL)
    assert gaps > 0


def expected_ambition(ref: Reference, target: pd.Series) -> tuple[str, float, float, float]:
    """How the baseline was found, the baseline, ambition ratio and required CAGR of a target.

    By the rules in the docs:

    - a level (stock, rate): against the base year's level, a stock at the end
      of the base year and the target at the end of the plan (5 years on); a
      rate the region does not report for the base year is its count / the
      base year's population × 10⁴;
    - a total over the plan window (flow): its yearly average (÷ 5) at the
      window's middle against the base year's flow at its middle;
    - additions (新增) with their own yearly series: like a window total;
      without: the base year's stock, and stock + additions at the plan's end.
    """
    adcode, indicator, base_year = target["adcode"], target["indicator"], ref.base_year
    start, end = target["period_start"].year, target["period_end"].year
    kind = ref.kind[indicator]
    own = ref.reports.get((adcode, indicator, base_year))
    window = end - start + 1
    path = f"{kind} reported"
    if kind == "rate" and own is None:
        count = ref.reports[(adcode, ref.base[indicator], base_year)]
        own, path = count / ref.population[(adcode, base_year)] * 10_000, "rate derived"
    if kind == "flow" and own is None:  # additions without a series: on the stock
        stock = ref.reports[(adcode, ref.base[indicator], base_year)]
        implied, years, baseline = stock + target["value"], (end + 1) - (base_year + 1), stock
        path = "additions on the stock"
    elif kind == "flow":
        # yearly average at the window's middle (2014-2018: 2016.5) vs the base year's 2013.5
        baseline = own
        implied, years = target["value"] / window, (start + end + 1) / 2 - (base_year + 0.5)
    else:
        assert own is not None
        baseline, implied, years = own, target["value"], (end + 1) - (base_year + 1)
    if indicator in ref.base and kind == "flow" and path == "flow reported":
        path = "additions on their own series"
    ratio = implied / baseline
    return path, baseline, ratio, ratio ** (1 / years) - 1


def test_ambition_ratio_and_required_cagr(reference: Reference, obs: pd.DataFrame) -> None:
    a = ipbench.ambition(obs)
    assert len(a) == int((reference.panel.observations["status"] == "target").sum())
    paths: set[str] = set()
    for _, row in a.iterrows():
        target = {
            "adcode": row["adcode"],
            "indicator": row["indicator"],
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "value": row["target_value"],
        }
        path, baseline, ratio, required = expected_ambition(reference, pd.Series(target))
        paths.add(path)
        where = (row["adcode"], row["indicator"], row["target_kind"])
        assert row["baseline_value"] == pytest.approx(baseline, rel=REL), where
        assert row["ambition_ratio"] == pytest.approx(ratio, rel=REL), where
        assert row["required_cagr"] == pytest.approx(required, rel=REL), where
    # every way to a baseline is exercised
    assert paths == {
        "stock reported",
        "rate reported",
        "rate derived",
        "flow reported",
        "additions on their own series",
        "additions on the stock",
    }


def test_benchmark_rank_percentile_and_index(reference: Reference, obs: pd.DataFrame) -> None:
    ids = list(reference.panel.indicators["indicator"])
    b = ipbench.benchmark(obs, ids)
    last_year = max(year for (_, _, year) in reference.reports)
    for indicator in ids:
        values = {
            adcode: value
            for (adcode, i, year), value in reference.reports.items()
            if i == indicator and year == last_year
        }
        n, mean = len(values), math.fsum(values.values()) / len(values)
        rows = b[(b["indicator"] == indicator) & b["scored"]]
        assert sorted(rows["adcode"]) == sorted(values)
        for row in rows.itertuples():
            # rank 1 = best (more is better), ties share the better rank
            rank = 1 + sum(other > values[row.adcode] for other in values.values())
            assert row.benchmark_year == last_year
            assert row.rank == rank
            assert row.percentile_rank == pytest.approx((n - rank) / (n - 1) * 100, rel=REL)
            assert row.index == pytest.approx(values[row.adcode] / mean * 100, rel=REL)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    n_regions=st.integers(min_value=2, max_value=12),
    n_indicators=st.integers(min_value=4, max_value=9),
    n_years=st.integers(min_value=3, max_value=9),
)
def test_a_seed_gives_one_panel_that_validates_from_text(
    seed: int, n_regions: int, n_indicators: int, n_years: int
) -> None:
    shape = {"n_regions": n_regions, "n_indicators": n_indicators, "n_years": n_years}
    panel = ipbench.synthetic_panel(**shape, target_share=0.5, seed=seed)
    again = ipbench.synthetic_panel(**shape, target_share=0.5, seed=seed)
    pd.testing.assert_frame_equal(panel.observations, again.observations)
    pd.testing.assert_frame_equal(panel.denominators, again.denominators)
    obs = ipbench.validate(panel.observations_text(), catalog=panel.catalog())
    # text cells parse back to the same numbers and dates
    assert obs["value"].tolist() == panel.observations["value"].tolist()
    assert obs["period_end"].tolist() == panel.observations["period_end"].tolist()
    # every region has its plan's base-year population: a derived baseline divides by it
    # the base year is two years before the last: 2008 + (n_years - 1) - 2
    base_year = 2008 + n_years - 3
    assert set(panel.plans["base_date"]) <= {pd.Timestamp(f"{base_year}-12-31")}
    with_base = set(panel.denominators.loc[panel.denominators["year"] == base_year, "adcode"])
    assert with_base == set(panel.regions["adcode"])


def test_the_panel_written_as_csv_reads_back(reference: Reference, tmp_path: Path) -> None:
    panel = reference.panel
    folder = panel.to_folder(tmp_path / "panel")
    catalog = ipbench.Catalog.from_folder(folder)
    obs = ipbench.read_observations(folder / "observations.csv", catalog=catalog)
    assert obs["value"].tolist() == panel.observations["value"].tolist()
    # the plans come back from plans.csv: one per region with a target
    assert set(catalog.plans["plan"]) >= set(panel.plans["plan"])
    assert (
        len(panel.plans)
        == panel.observations.loc[panel.observations["status"] == "target", "adcode"].nunique()
    )
