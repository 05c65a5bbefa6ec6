"""The contracts of what analytics functions return, as Pandera models.

They are checked by the test suite on the built-in data and on synthetic
panels, not at run time on every call: a result is derived by code the tests
cover, and checking it again on every row would cost more than the analysis.
This module (and Pandera) is only imported by those who ask for it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ipbench._ambition import PROGRESS_CLASSES
from ipbench._benchmark import BENCHMARK_KEY
from ipbench._growth import MIN_TREND_POINTS
from ipbench._percapita import RATE_CHECKS
from ipbench._reconstruct import CHANGE_MEASURES
from ipbench._schemas import DerivedObservationSchema


class PerCapitaSchema(DerivedObservationSchema):
    """Rates: reported, or derived from counts with their denominator, and how the two agree."""

    numerator_indicator: Series[str]
    numerator: Series[float] = pa.Field(nullable=True)
    annualised_over_years: Series[float] = pa.Field(nullable=True, ge=1)
    denominator_value: Series[float] = pa.Field(gt=0, nullable=True)
    denominator_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    denominator_basis: Series[str] = pa.Field(nullable=True)
    denominator_source: Series[str] = pa.Field(nullable=True)
    derived_value: Series[float] = pa.Field(nullable=True)
    reported_value: Series[float] = pa.Field(nullable=True)
    rate_check: Series[str] = pa.Field(isin=list(RATE_CHECKS))


class ImpliedCountSchema(DerivedObservationSchema):
    """Counts implied by a reported rate and a denominator, with the rounding interval."""

    rate_indicator: Series[str]
    rate: Series[float]
    interval_low: Series[float] = pa.Field(nullable=True)
    interval_high: Series[float] = pa.Field(nullable=True)
    denominator_value: Series[float] = pa.Field(gt=0, nullable=True)
    denominator_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    denominator_basis: Series[str] = pa.Field(nullable=True)
    denominator_source: Series[str] = pa.Field(nullable=True)


class ImpliedDenominatorSchema(pa.DataFrameModel):
    """The denominator a reported count and rate imply, against a reference."""

    adcode: Series[str]
    indicator: Series[str]
    count_indicator: Series[str]
    status: Series[str]
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    count: Series[float]
    rate: Series[float] = pa.Field(gt=0)
    implied_denominator: Series[float] = pa.Field(gt=0)
    interval_low: Series[float]
    interval_high: Series[float]
    reference_value: Series[float] = pa.Field(nullable=True)
    reference_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    reference_basis: Series[str] = pa.Field(nullable=True)
    deviation: Series[float] = pa.Field(nullable=True)
    reference_in_interval: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    method: Series[str]
    sources: Series[str]

    class Config:
        strict = True


class GrowthSchema(pa.DataFrameModel):
    """Growth between two points of one series."""

    adcode: Series[str]
    indicator: Series[str]
    span: Series[str] = pa.Field(isin=["consecutive", "first_last"])
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    from_period_end: Series[pd.Timestamp]
    from_value: Series[float]
    to_value: Series[float]
    years: Series[float] = pa.Field(gt=0)
    abs_change: Series[float]
    rel_change: Series[float] = pa.Field(nullable=True)
    cagr: Series[float] = pa.Field(nullable=True)
    unit: Series[str]
    method: Series[str]
    sources: Series[str]
    reason: Series[str]

    class Config:
        strict = True

    @pa.dataframe_check(error="a missing growth rate says why")
    def missing_rate_has_reason(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(df["cagr"].notna() | (df["reason"] != ""))


class TrendSchema(pa.DataFrameModel):
    """A log-linear trend fitted to a series of three or more points."""

    adcode: Series[str]
    indicator: Series[str]
    n_points: Series[int] = pa.Field(ge=MIN_TREND_POINTS)
    n_reported: Series[int] = pa.Field(ge=0)
    n_reconstructed: Series[int] = pa.Field(ge=0)
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    trend_growth: Series[float] = pa.Field(nullable=True)
    r_squared: Series[float] = pa.Field(nullable=True, in_range={"min_value": 0, "max_value": 1})
    method: Series[str]
    sources: Series[str]
    reason: Series[str]

    class Config:
        strict = True

    @pa.dataframe_check(error="n_points = n_reported + n_reconstructed")
    def points_add_up(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(df["n_points"] == df["n_reported"] + df["n_reconstructed"])

    @pa.dataframe_check(error="a missing trend growth or R² says why")
    def missing_fit_has_reason(cls, df: pd.DataFrame) -> Series[bool]:
        complete = df["trend_growth"].notna() & df["r_squared"].notna()
        return Series(complete | (df["reason"] != ""))


class AmbitionSchema(pa.DataFrameModel):
    """One row per target: its plan, baseline, required and observed growth, progress."""

    adcode: Series[str]
    indicator: Series[str]
    target_kind: Series[str] = pa.Field(isin=["level", "additions", "window_total"])
    target_value: Series[float]
    qualifier: Series[str]
    target_value_high: Series[float] = pa.Field(nullable=True)
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    target_year: Series[int]
    plan: Series[str] = pa.Field(nullable=True)
    plan_period_start: Series[pd.Timestamp] = pa.Field(nullable=True)
    plan_base_date: Series[pd.Timestamp] = pa.Field(nullable=True)
    plan_match: Series[str]
    baseline_value: Series[float] = pa.Field(nullable=True)
    baseline_period_end: Series[pd.Timestamp] = pa.Field(nullable=True)
    baseline_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    years: Series[float] = pa.Field(nullable=True, ge=1)
    baseline_method: Series[str]
    ambition_ratio: Series[float] = pa.Field(nullable=True)
    required_cagr: Series[float] = pa.Field(nullable=True)
    plan_population: Series[float] = pa.Field(nullable=True, gt=0)
    baseline_on_plan_population: Series[float] = pa.Field(nullable=True)
    required_cagr_on_plan_population: Series[float] = pa.Field(nullable=True)
    observed_cagr: Series[float] = pa.Field(nullable=True)
    observed_method: Series[str]
    r_ratio: Series[float] = pa.Field(nullable=True)
    progress_class: Series[str] = pa.Field(isin=list(PROGRESS_CLASSES))
    latest_value: Series[float] = pa.Field(nullable=True)
    latest_period_end: Series[pd.Timestamp] = pa.Field(nullable=True)
    gap_closed: Series[float] = pa.Field(nullable=True)
    met: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    parent_adcode: Series[str] = pa.Field(nullable=True)
    parent_value: Series[float] = pa.Field(nullable=True)
    parent_period_end: Series[pd.Timestamp] = pa.Field(nullable=True)
    baseline_to_parent_ratio: Series[float] = pa.Field(nullable=True)
    parent_target_value: Series[float] = pa.Field(nullable=True)
    target_to_parent_ratio: Series[float] = pa.Field(nullable=True)
    peer_count: Series[int] = pa.Field(ge=0)
    peer_span_years: Series[float] = pa.Field(nullable=True)
    peer_observed_cagr_median: Series[float] = pa.Field(nullable=True)
    required_cagr_peer_percentile: Series[float] = pa.Field(
        nullable=True, in_range={"min_value": 0, "max_value": 100}
    )
    reason: Series[str]
    sources: Series[str]

    class Config:
        strict = True

    @pa.dataframe_check(error="a target without required growth says why")
    def unexplained_gap(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(df["required_cagr"].notna() | (df["reason"] != ""))


class BenchmarkSchema(pa.DataFrameModel):
    """One region a row, for one indicator and one period; a row left out says why."""

    adcode: Series[str]
    name_zh: Series[str]
    name_en: Series[str]
    level: Series[str]
    indicator: Series[str]
    benchmark_year: Series[int]
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    year_gap: Series[float]
    value: Series[float] = pa.Field(nullable=True)
    qualifier: Series[str]
    value_high: Series[float] = pa.Field(nullable=True)
    unit: Series[str]
    scored: Series[bool]
    rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    percentile_rank: Series[float] = pa.Field(
        nullable=True, in_range={"min_value": 0, "max_value": 100}
    )
    index: Series[float] = pa.Field(nullable=True)
    minmax: Series[float] = pa.Field(nullable=True)
    zscore: Series[float] = pa.Field(nullable=True)
    distance_to_frontier: Series[float] = pa.Field(nullable=True, ge=0)
    distance_to_frontier_pct: Series[float] = pa.Field(nullable=True)
    reference: Series[str]
    reference_value: Series[float] = pa.Field(nullable=True)
    reference_period_end: Series[pd.Timestamp] = pa.Field(nullable=True)
    higher_is_better: Series[bool]
    note: Series[str]
    method: Series[str]
    source: Series[str]
    sources: Series[str]
    evidence: Series[str]

    class Config:
        strict = True
        unique = BENCHMARK_KEY

    @pa.check(
        "year_gap",
        "index",
        "minmax",
        "zscore",
        "distance_to_frontier",
        "distance_to_frontier_pct",
        "reference_value",
        error="a finite number or missing",
    )
    def finite(cls, values: Series[float]) -> Series[bool]:
        return Series(values.isna() | np.isfinite(values))

    @pa.dataframe_check(error="a scored row has a rank; a row left out has none and says why")
    def left_out_says_why(cls, df: pd.DataFrame) -> Series[bool]:
        has_rank = df["rank"].notna()
        return Series((df["scored"] & has_rank) | (~df["scored"] & ~has_rank & (df["note"] != "")))


class ReconstructedSchema(DerivedObservationSchema):
    """Implied levels: observation columns plus the interval and derivation."""

    interval_low: Series[float] = pa.Field(nullable=True)
    interval_high: Series[float] = pa.Field(nullable=True)
    derived_from: Series[str] = pa.Field(isin=list(CHANGE_MEASURES))

    @pa.dataframe_check(error="interval_low <= value <= interval_high")
    def value_in_interval(cls, df: pd.DataFrame) -> Series[bool]:
        inside = (df["interval_low"] <= df["value"] + 1e-9) & (
            df["value"] <= df["interval_high"] + 1e-9
        )
        return Series(df["value"].isna() | inside)


class ConsistencySchema(pa.DataFrameModel):
    """A comparison of two reports that should agree within their rounding."""

    adcode: Series[str]
    indicator: Series[str]
    check: Series[str] = pa.Field(isin=["same figure, two sources", "reported change vs levels"])
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    reported: Series[float]
    computed: Series[float]
    tolerance: Series[float] = pa.Field(ge=0)
    consistent: Series[bool]
    method: Series[str]
    sources: Series[str]

    class Config:
        strict = True


class TargetComparisonSchema(pa.DataFrameModel):
    """The targets of several regions on the indicators they share."""

    indicator: Series[str]
    adcode: Series[str]
    name_en: Series[str]
    target_value: Series[float]
    qualifier: Series[str]
    unit: Series[str]
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    plan: Series[str] = pa.Field(nullable=True)
    plan_years: Series[float] = pa.Field(gt=0)
    per_10k_residents: Series[float] = pa.Field(nullable=True)
    per_plan_year: Series[float] = pa.Field(nullable=True)
    per_10k_residents_per_year: Series[float] = pa.Field(nullable=True)
    population: Series[float] = pa.Field(gt=0, nullable=True)
    population_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    population_basis: Series[str] = pa.Field(nullable=True)
    plan_population: Series[float] = pa.Field(gt=0, nullable=True)
    per_10k_on_plan_population: Series[float] = pa.Field(nullable=True)
    note: Series[str]
    source: Series[str]
    evidence: Series[str]

    class Config:
        strict = True


#: Each public analytics function and the contract of what it returns.
OUTPUT_SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "per_capita": PerCapitaSchema,
    "implied_counts": ImpliedCountSchema,
    "implied_denominators": ImpliedDenominatorSchema,
    "growth": GrowthSchema,
    "trend": TrendSchema,
    "ambition": AmbitionSchema,
    "benchmark": BenchmarkSchema,
    "reconstruct": ReconstructedSchema,
    "consistency": ConsistencySchema,
    "compare_targets": TargetComparisonSchema,
}
