"""Regions side by side: ranks, indices, normalised scores and distance to the frontier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from ipbench._context import Context, context_for
from ipbench._load import UserTable
from ipbench._periods import end_position, start_position
from ipbench._provenance import number_text
from ipbench._schemas import ObservationSchema


class BenchmarkError(ValueError):
    """A comparison of figures that are not peers."""


BENCHMARK_KEY = ["indicator", "adcode"]


class BenchmarkSchema(pa.DataFrameModel):
    """One region a row, for one indicator and period."""

    adcode: Series[str]
    name_zh: Series[str]
    name_en: Series[str]
    level: Series[str]
    indicator: Series[str]
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    value: Series[float]
    qualifier: Series[str]
    unit: Series[str]
    rank: Series[int] = pa.Field(ge=1)
    percentile_rank: Series[float] = pa.Field(
        nullable=True, in_range={"min_value": 0, "max_value": 100}
    )
    index: Series[float] = pa.Field(nullable=True)
    minmax: Series[float] = pa.Field(nullable=True)
    zscore: Series[float] = pa.Field(nullable=True)
    distance_to_frontier: Series[float] = pa.Field(nullable=True, ge=0)
    distance_to_frontier_pct: Series[float] = pa.Field(nullable=True)
    reference: Series[str]
    reference_value: Series[float]
    higher_is_better: Series[bool]
    note: Series[str]
    source: Series[str]
    evidence: Series[str]

    class Config:
        strict = True
        unique = BENCHMARK_KEY


@pa.check_types
def benchmark(
    obs: DataFrame[ObservationSchema],
    indicator: str | Sequence[str],
    year: int | Literal["latest"] = "latest",
    reference: str | None = None,
    *,
    status: Literal["actual", "target"] = "actual",
    minmax_range: tuple[float, float] = (0.0, 100.0),
    goalposts: tuple[float, float] | None = None,
    allow_mixed: bool = False,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> DataFrame[BenchmarkSchema]:
    """Compare regions on one indicator (or several, each on its own).

    Follows the composite-indicator practice of the EIS/RIS, GII, COINr and
    the OECD/JRC handbook, with the indicator's polarity (``higher_is_better``
    in the catalog) applied to ranks and scores:

    - ``rank`` (1 = best) and ``percentile_rank`` = (n − rank) / (n − 1) × 100;
    - ``index`` = value / reference × 100, the reference being a named region
      or, by default, the mean of the regions compared;
    - ``minmax`` = (value − min) / (max − min) rescaled to ``minmax_range``,
      or against fixed ``goalposts`` (values outside are clipped);
    - ``zscore`` = (value − mean) / standard deviation (n − 1), signed so that
      better is positive;
    - ``distance_to_frontier``: the gap to the best value, in the indicator's
      unit and in percent of the best.

    Absolute counts (stocks, flows) of regions of different levels (a district
    against its city) or flows over periods of different lengths are not
    peers; they raise :class:`BenchmarkError` saying how to compare instead,
    unless ``allow_mixed=True``.

    Parameters
    ----------
    obs : DataFrame
        Validated observations (or per-capita rates from :func:`per_capita`).
    indicator : str or sequence of str
        Indicator id(s).
    year : int or "latest"
        The year the periods end in, or each region's latest figure.
    reference : str, optional
        Adcode of the reference region for ``index``; default the peer mean.

    Examples
    --------
    >>> import ipbench
    >>> b = ipbench.benchmark(ipbench.load_observations(), "invention_patents_in_force_per_10k",
    ...                       year=2021)
    >>> b[["name_en", "value", "rank"]].to_numpy().tolist()
    [['Nanjing', 95.42, 1], ['Dalian', 27.26, 2], ['Nanchang', 16.0, 3]]
    >>> b["index"].round(1).tolist()  # peer mean 46.23 = 100
    [206.4, 59.0, 34.6]
    """
    ctx = context_for(regions=regions, indicators=indicators, sources=sources)
    wanted = [indicator] if isinstance(indicator, str) else list(indicator)
    unknown = sorted(set(wanted) - set(ctx.kind_of.index))
    if unknown:
        raise BenchmarkError(f"unknown indicator(s) {unknown}: not in the catalog")
    rows = _select(obs, wanted, year, status, ctx)
    if not allow_mixed:
        _guard(rows, ctx)
    return DataFrame[BenchmarkSchema](_score(rows, reference, minmax_range, goalposts, ctx))


def _select(
    obs: pd.DataFrame, wanted: list[str], year: int | str, status: str, ctx: Context
) -> pd.DataFrame:
    rows = obs[
        obs["indicator"].isin(wanted) & (obs["measure"] == "level") & (obs["status"] == status)
    ]
    if year != "latest":
        rows = rows[rows["period_end"].dt.year == int(year)]
    published = rows["source"].map(ctx.sources.set_index("source")["published"])
    rows = rows.assign(_published=published).sort_values(
        ["period_end", "_published"], na_position="first", kind="stable"
    )
    # each region's latest period; for one period reported twice, the latest publication
    rows = rows.drop_duplicates(["indicator", "adcode"], keep="last")
    if rows.empty:
        raise BenchmarkError(
            f"no {status} level of {wanted} for year={year!r}; check the indicator id and year"
        )
    return rows.drop(columns="_published").reset_index(drop=True)


def _guard(rows: pd.DataFrame, ctx: Context) -> None:
    kind = rows["indicator"].map(ctx.kind_of)
    absolute = rows[kind.isin(["stock", "flow"])]
    levels = absolute.assign(level=absolute["adcode"].map(ctx.level_of))
    for name, group in levels.groupby("indicator"):
        if (group["level"] != group["level"].iloc[0]).any():
            listing = ", ".join(f"{a} ({lv})" for a, lv in zip(group["adcode"], group["level"],
                                                                 strict=True))  # fmt: skip
            raise BenchmarkError(
                f"{name} is an absolute count, and the regions are of different levels "
                f"({listing}): a district is part of its city, so their counts are not peers. "
                "Compare rates instead (ipbench.per_capita), or pass allow_mixed=True."
            )
    flows = rows[kind == "flow"]
    years = (end_position(flows["period_end"]) - start_position(flows["period_start"])).round(1)
    for name, spans in years.groupby(flows["indicator"]):
        if (spans != spans.iloc[0]).any():
            raise BenchmarkError(
                f"{name} is a flow, and the periods differ in length "
                f"({sorted(spans.unique().tolist())} years): a sum over several years, or over "
                "part of one, is not comparable with a year. Annualise first (ipbench.growth "
                "compares yearly averages), choose a year, or pass allow_mixed=True."
            )


def _score(
    rows: pd.DataFrame,
    reference: str | None,
    minmax_range: tuple[float, float],
    goalposts: tuple[float, float] | None,
    ctx: Context,
) -> pd.DataFrame:
    higher = rows["indicator"].map(ctx.higher_is_better).fillna(True).astype(bool)
    sign = np.where(higher, 1.0, -1.0)
    value = rows["value"]
    group = rows.groupby("indicator")
    n = group["value"].transform("size")
    oriented = value * sign
    rank = oriented.groupby(rows["indicator"]).rank(ascending=False, method="min").astype("int64")
    percentile = ((n - rank) / (n - 1) * 100).where(n > 1)
    mean = group["value"].transform("mean")
    if reference is None:
        ref_value = mean
        ref_text = "peer mean " + number_text(mean, "{:.6g}") + " = 100"
    else:
        by_indicator = rows[rows["adcode"] == reference].set_index("indicator")["value"]
        ref_value = rows["indicator"].map(by_indicator)
        if ref_value.isna().all():
            raise BenchmarkError(f"the reference region {reference} has no value to compare with")
        ref_text = pd.Series(f"{reference} = 100", index=rows.index)
    low = (
        group["value"].transform("min")
        if goalposts is None
        else pd.Series(goalposts[0], index=rows.index)
    )
    high = (
        group["value"].transform("max")
        if goalposts is None
        else pd.Series(goalposts[1], index=rows.index)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = ((value - low) / (high - low)).clip(0, 1).where(high > low)
    share = share.where(higher, 1 - share)
    lo, hi = minmax_range
    std = group["value"].transform("std")
    zscore = ((value - mean) / std * sign).where(std > 0)
    frontier = oriented.groupby(rows["indicator"]).transform("max") * sign
    distance = (frontier - value).abs()
    note = pd.Series("", index=rows.index, dtype="str")
    note = note.mask(n == 1, "a single region: no percentile, z-score or range")
    note = note.mask((n > 1) & (std == 0), "all regions equal")
    bound = ~rows["qualifier"].isin(["eq", "approx"])
    note = note.mask(bound, note + " a bound (" + rows["qualifier"].astype(str) + "), not a level")
    regions = ctx.regions.set_index("adcode")
    return pd.DataFrame(
        {
            "adcode": rows["adcode"],
            "name_zh": rows["adcode"].map(regions["name_zh"]).fillna("").astype("str"),
            "name_en": rows["adcode"].map(regions["name_en"]).fillna("").astype("str"),
            "level": rows["adcode"].map(ctx.level_of).fillna("").astype("str"),
            "indicator": rows["indicator"],
            "period_start": rows["period_start"],
            "period_end": rows["period_end"],
            "value": value,
            "qualifier": rows["qualifier"].astype("str"),
            "unit": rows["unit"].astype("str"),
            "rank": rank,
            "percentile_rank": percentile.astype("float64"),
            "index": (value / ref_value * 100).astype("float64"),
            "minmax": (lo + share * (hi - lo)).astype("float64"),
            "zscore": zscore.astype("float64"),
            "distance_to_frontier": distance.astype("float64"),
            "distance_to_frontier_pct": (distance / frontier.abs() * 100).astype("float64"),
            "reference": ref_text.astype("str"),
            "reference_value": ref_value.astype("float64"),
            "higher_is_better": higher,
            "note": note.str.strip(),
            "source": rows["source"],
            "evidence": rows["evidence"],
        }
    ).sort_values(["indicator", "rank", "adcode"], ignore_index=True)


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
