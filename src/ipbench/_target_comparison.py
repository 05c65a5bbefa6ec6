"""Targets of several regions side by side: absolute, per resident, per plan-year."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from ipbench._benchmark import BenchmarkError
from ipbench._context import Context, context_for
from ipbench._load import UserTable
from ipbench._periods import end_position, start_position
from ipbench._schemas import ObservationSchema


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
    plan_years: Series[float] = pa.Field(gt=0)
    per_10k_residents: Series[float] = pa.Field(nullable=True)
    per_plan_year: Series[float] = pa.Field(nullable=True)
    population: Series[float] = pa.Field(gt=0)
    population_year: Series[int]
    population_basis: Series[str]
    note: Series[str]
    source: Series[str]
    evidence: Series[str]

    class Config:
        strict = True


@pa.check_types
def compare_targets(
    obs: DataFrame[ObservationSchema],
    adcodes: Sequence[str] = ("320102", "320106"),
    *,
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> DataFrame[TargetComparisonSchema]:
    """Compare the targets of several regions on the indicators all of them target.

    Each target is shown absolute, per 10,000 residents, and per plan-year.
    Per resident uses one population vintage for all regions: the latest
    (basis, year) every region has, so Xuanwu and Gulou are divided by figures
    of the same kind. Rates are per resident already and are shown as they
    are. Per plan-year divides totals over a window (新增, 累计) by the plan's
    length (Xuanwu 2021-2025: 5 years; Gulou 2022-08 to 2025-07: 3 years); a
    level to reach at a date has no per-year form and is left empty.

    Examples
    --------
    >>> import ipbench
    >>> t = ipbench.compare_targets(ipbench.load_observations())
    >>> talent = t[t["indicator"] == "ip_high_level_talent_added"]
    >>> talent[["name_en", "target_value", "plan_years", "per_plan_year"]].to_numpy().tolist()
    [['Xuanwu', 10.0, 5.0, 2.0], ['Gulou', 5.0, 3.0, 1.6667]]
    """
    ctx = context_for(
        denominators=denominators, regions=regions, indicators=indicators, sources=sources
    )
    targets = obs[
        (obs["status"] == "target") & (obs["measure"] == "level") & obs["adcode"].isin(adcodes)
    ]
    without = sorted(set(adcodes) - set(targets["adcode"]))
    if without:
        raise BenchmarkError(f"no targets to compare for {without}")
    shared = targets.groupby("indicator")["adcode"].nunique()
    shared_ids = shared[shared == len(set(adcodes))].index
    rows = targets[targets["indicator"].isin(shared_ids)]
    population = _common_population(list(adcodes), ctx)
    kind = rows["indicator"].map(ctx.kind_of)
    years = (end_position(rows["period_end"]) - start_position(rows["period_start"])).round(4)
    plan = rows["source"].map(_plan_years(targets))
    is_window = rows["period_start"] < rows["period_end"]
    is_total = (kind == "flow") & (years > 1.5)
    pop = rows["adcode"].map(population["value"])
    per_residents = (
        rows["indicator"]
        .map(ctx.indicators.set_index("indicator")["denominator"])
        .eq("resident_population")
    )
    per_resident = (rows["value"] / pop * 10_000).where(kind.isin(["stock", "flow"]))
    per_resident = per_resident.where(~(kind == "rate") | ~per_residents, rows["value"])
    per_year = (rows["value"] / years).where(is_total)
    note = pd.Series("", index=rows.index, dtype="str")
    note = note.mask(~is_total, "a level to reach, not a total over the plan")
    note = note.mask(is_window & ~is_total, "a yearly figure for the plan's last year")
    note = note.mask(kind == "share", "a share: per resident does not apply")
    note = note.mask((kind == "rate") & ~per_residents, "a rate per another denominator")
    regions = ctx.regions.set_index("adcode")
    result = pd.DataFrame(
        {
            "indicator": rows["indicator"],
            "adcode": rows["adcode"],
            "name_en": rows["adcode"].map(regions["name_en"]).astype("str"),
            "target_value": rows["value"],
            "qualifier": rows["qualifier"].astype("str"),
            "unit": rows["unit"].astype("str"),
            "period_start": rows["period_start"],
            "period_end": rows["period_end"],
            "plan_years": plan.astype("float64"),
            "per_10k_residents": per_resident.astype("float64"),
            "per_plan_year": per_year.round(4).astype("float64"),
            "population": pop.astype("float64"),
            "population_year": rows["adcode"].map(population["year"]).astype("int64"),
            "population_basis": rows["adcode"].map(population["basis"]).astype("str"),
            "note": note,
            "source": rows["source"],
            "evidence": rows["evidence"],
        }
    )
    order = {code: position for position, code in enumerate(adcodes)}
    return DataFrame[TargetComparisonSchema](
        result.assign(_order=result["adcode"].map(order))
        .sort_values(["indicator", "_order"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def _plan_years(targets: pd.DataFrame) -> pd.Series:
    """Length of each plan in years: from its earliest window start to its last target date."""
    span = targets.groupby("source").agg(start=("period_start", "min"), end=("period_end", "max"))
    return (end_position(span["end"]) - start_position(span["start"])).round(4)


def _common_population(adcodes: list[str], ctx: Context) -> pd.DataFrame:
    """Find the latest resident population of one basis and year that every region has."""
    dens = ctx.denominators
    pool = dens[(dens["quantity"] == "resident_population") & dens["adcode"].isin(adcodes)]
    pool = pool.assign(basis=pool["basis"].astype(str))
    coverage = pool.groupby(["basis", "year"])["adcode"].nunique()
    common = coverage[coverage == len(set(adcodes))]
    if common.empty:
        have = ", ".join(
            f"{a}: " + ", ".join(f"{y} {b}" for y, b in zip(g["year"], g["basis"], strict=True))
            for a, g in pool.groupby("adcode")
        )
        raise BenchmarkError(
            f"no resident population of one basis and year for all of {adcodes} ({have}); "
            "add one to denominators"
        )
    basis, year = max(common.index, key=lambda key: (key[1], key[0]))
    chosen = pool[(pool["basis"] == basis) & (pool["year"] == year)]
    return pd.DataFrame(chosen.set_index("adcode")[["value", "year", "basis"]])
