"""How ambitious is each plan target: against its baseline, its trend and its peers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from ipbench._context import Context, context_for
from ipbench._growth import cagr
from ipbench._load import UserTable
from ipbench._percapita import per_capita
from ipbench._periods import comparable_points, end_position, start_position
from ipbench._provenance import merge_sources, number_text
from ipbench._schemas import ObservationSchema

#: Eurostat / Open SDG classes of R = observed CAGR / required CAGR.
ON_TRACK, ACCELERATION, LIMITED, DETERIORATION = 0.95, 0.6, 0.0, 0.0
PROGRESS_CLASSES = (
    "target met",
    "on track",
    "acceleration needed",
    "limited progress",
    "deterioration",
    "insufficient data",
)


class AmbitionSchema(pa.DataFrameModel):
    """One row per target: baseline, required and observed growth, progress."""

    adcode: Series[str]
    indicator: Series[str]
    target_kind: Series[str] = pa.Field(isin=["level", "additions", "window_total"])
    target_value: Series[float]
    qualifier: Series[str]
    target_value_high: Series[float] = pa.Field(nullable=True)
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    target_year: Series[int]
    baseline_value: Series[float] = pa.Field(nullable=True)
    baseline_period_end: Series[pd.Timestamp] = pa.Field(nullable=True)
    baseline_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    years: Series[float] = pa.Field(nullable=True, gt=0)
    baseline_method: Series[str]
    ambition_ratio: Series[float] = pa.Field(nullable=True)
    required_cagr: Series[float] = pa.Field(nullable=True)
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
    target_to_parent_ratio: Series[float] = pa.Field(nullable=True)
    peer_count: Series[int] = pa.Field(ge=0)
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


@pa.check_types
def ambition(
    obs: DataFrame[ObservationSchema],
    *,
    basis: str | Sequence[str] = ("census_2020_11_01", "year_end_census_revised"),
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> DataFrame[AmbitionSchema]:
    """Measure the ambition of every target against its baseline, trend and peers.

    For each ``target`` row:

    - **baseline**: the latest actual of the same region and indicator known
      when the plan was published; for a per-capita target with no reported
      baseline, the count divided by the population (``basis``) of that date;
    - ``ambition_ratio`` = target / baseline and ``required_cagr`` =
      ratio^(1/(T − t0)) − 1;
    - ``observed_cagr`` from the region's own history (first to latest actual)
      and ``r_ratio`` = observed / required, classed as Eurostat and Open SDG
      do: on track (R ≥ 0.95), acceleration needed (0.6–0.95), limited
      progress (0–0.6), deterioration (< 0), after a "target met" test that
      honours the qualifier (＞2800 is not met by 2800);
    - ``gap_closed`` = (latest − baseline) / (target − baseline) where a newer
      actual exists (ESCAP's current-status measure);
    - relative ambition: ``target_to_parent_ratio`` for rates and shares
      (Xuanwu's 300 件/万人 against Nanjing's 95.42), and the percentile of the
      required CAGR among peers' observed CAGRs.

    新增 (additions) targets are compared with the stock they add to, or with
    the previous window's additions where those are reported; targets summed
    over a window are compared as yearly averages. A target with no usable
    baseline is kept, with the reason.

    Examples
    --------
    >>> import ipbench
    >>> a = ipbench.ambition(ipbench.load_observations())
    >>> row = a[(a["adcode"] == "320102") & (a["indicator"] == "invention_patents_in_force")]
    >>> row[["baseline_value", "target_value"]].to_numpy().tolist()
    [[12482.0, 18000.0]]
    >>> row[["ambition_ratio", "required_cagr"]].round(4).to_numpy().tolist()
    [[1.4421, 0.076]]
    """
    ctx = context_for(
        denominators=denominators, regions=regions, indicators=indicators, sources=sources
    )
    points = comparable_points(obs, ctx.indicators, ctx.sources)
    points = points[points["reason"] == ""]
    targets = _targets(obs, ctx)
    baselines = _baselines(targets, points, obs, ctx, basis)
    frame = targets.join(baselines)
    frame = _required(frame)
    frame = _observed(frame, points)
    frame = _latest_and_met(frame, points, ctx)
    frame = _relative(frame, points, ctx)
    return DataFrame[AmbitionSchema](_assemble(frame))


def _targets(obs: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    rows = obs[(obs["status"] == "target") & (obs["measure"] == "level")].copy()
    catalog = ctx.indicators.set_index("indicator")
    base = rows["indicator"].map(catalog["base_indicator"])
    kind = rows["indicator"].map(ctx.kind_of)
    is_addition = (kind == "flow") & base.notna() & (base.map(ctx.kind_of) == "stock")
    start, end = rows["period_start"], rows["period_end"]
    window = end_position(end) - start_position(start)
    is_instant = start == end
    is_window_total = (kind == "flow") & ~is_addition & (window > 1.5)
    rows["target_kind"] = np.select([is_addition, is_window_total], ["additions", "window_total"],
                                    "level")  # fmt: skip
    rows["window_years"] = window.where(~is_instant, 0.0).round(6)
    rows["end_position"] = end_position(end)
    rows["target_position"] = rows["end_position"].where(
        is_instant, (start_position(start) + end_position(end)) / 2
    )
    rows["base_indicator"] = base
    rows["published"] = rows["source"].map(ctx.sources.set_index("source")["published"])
    return rows.reset_index(drop=True)


def _latest_before(candidates: pd.DataFrame, cutoff: pd.Series, key: str) -> pd.DataFrame:
    """For each target row, the candidate point with the latest position before its cutoff."""
    merged = candidates.merge(cutoff.rename("_cutoff"), left_on="_target", right_index=True)
    merged = merged[merged["period_end"] <= merged["_cutoff"]]
    merged = merged.sort_values(["_target", "position"]).drop_duplicates("_target", keep="last")
    return merged.set_index("_target").add_prefix(key)


def _baselines(
    targets: pd.DataFrame,
    points: pd.DataFrame,
    obs: pd.DataFrame,
    ctx: Context,
    basis: str | Sequence[str],
) -> pd.DataFrame:
    """Baseline value, date, position and how it was found, per target row."""
    # what the plan's authors could know: actuals up to the plan's publication, and
    # before the target window opens for window targets
    cutoff = targets["published"].fillna(targets["period_start"])
    window_start = targets["period_start"] - pd.Timedelta(days=1)
    cutoff = cutoff.where(targets["target_kind"] == "level", np.minimum(cutoff, window_start))
    cols = ["_target", "value", "comparable_value", "position", "period_end", "sources"]
    target_keys = targets.reset_index(names="_target")

    own = target_keys[["_target", "adcode", "indicator"]].merge(points, on=["adcode", "indicator"])
    reported = _latest_before(own[cols], cutoff, "b_")
    reported["b_method"] = "reported"

    lacking = targets[~targets.index.isin(reported.index)]
    derived = _derived_rate_points(lacking, obs, ctx, basis)
    if not derived.empty:
        derived_keys = target_keys[["_target", "adcode", "indicator"]].merge(
            derived, on=["adcode", "indicator"]
        )
        derived_best = _latest_before(derived_keys[[*cols, "method"]], cutoff, "b_")
        derived_best["b_method"] = "derived: " + derived_best.pop("b_method")
    else:
        derived_best = reported.iloc[0:0]

    stock_keys = target_keys[target_keys["target_kind"] == "additions"][
        ["_target", "adcode", "base_indicator"]
    ].merge(points.rename(columns={"indicator": "base_indicator"}), on=["adcode", "base_indicator"])
    stock = _latest_before(stock_keys[cols], cutoff, "b_")
    stock["b_method"] = (
        "stock of the indicator added to, "
        + stock["b_period_end"].dt.strftime("%Y-%m-%d")
        + "; target read as stock + additions"
    )
    result = reported.combine_first(derived_best).combine_first(stock)
    return result.reindex(targets.index)


def _derived_rate_points(
    targets: pd.DataFrame, obs: pd.DataFrame, ctx: Context, basis: str | Sequence[str]
) -> pd.DataFrame:
    """Per-capita points computed from counts, for rate targets lacking a reported base."""
    catalog = ctx.indicators.set_index("indicator")
    wanted = targets.loc[targets["indicator"].map(ctx.kind_of) == "rate", "indicator"]
    bases = catalog.loc[wanted.unique(), "base_indicator"].dropna()
    counts = obs[(obs["status"] == "actual") & obs["adcode"].isin(targets["adcode"])]
    counts = counts[counts["indicator"].isin(bases)]
    if counts.empty:
        return pd.DataFrame()
    rates = per_capita(
        DataFrame[ObservationSchema](counts),
        basis=basis,
        select=sorted(set(bases)),
        errors="coerce",
        regions=ctx.regions,
        indicators=ctx.indicators,
        sources=ctx.sources,
        denominators=ctx.denominators,
    )
    rates = rates[rates["value"].notna()]
    points = comparable_points(rates[list(ObservationSchema.to_schema().columns)], ctx.indicators,
                               ctx.sources)  # fmt: skip
    method = rates["method"]
    points = points.join(method.rename("method"))
    points["sources"] = merge_sources(points["sources"], rates.loc[points.index, "sources"])
    return points[points["reason"] == ""]


def _required(frame: pd.DataFrame) -> pd.DataFrame:
    kind = frame["target_kind"]
    target = frame["value"]
    baseline = frame["b_comparable_value"]
    # additions read against a stock: the stock the plan implies at the window's end;
    # against earlier additions, or for totals over a window: the yearly average
    on_stock = (kind == "additions") & frame["b_method"].fillna("").str.startswith("stock")
    yearly = (kind == "window_total") | ((kind == "additions") & ~on_stock)
    implied = target.where(~on_stock, baseline + target)
    implied = implied.where(~yearly, target / frame["window_years"])
    position = frame["target_position"].where(~on_stock, frame["end_position"])
    years = (position - frame["b_position"]).round(6)
    ratio = implied / baseline
    required = pd.Series(
        cagr(baseline.to_numpy(), implied.to_numpy(), years.to_numpy(), errors="coerce"),
        index=frame.index,
    )
    reason = pd.Series("", index=frame.index, dtype="str")
    reason = reason.mask(baseline.isna(), "no baseline: no earlier actual of this indicator")
    reason = reason.mask(baseline.notna() & (baseline <= 0), "a zero or negative baseline")
    reason = reason.mask(baseline.notna() & (years <= 0), "the baseline is not before the target")
    return frame.assign(
        implied_target=implied,
        ambition_ratio=ratio.where(reason == ""),
        required_cagr=required.where(reason == ""),
        years=years,
        reason=reason,
    )


def _observed(frame: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Observed CAGR from the first to the latest actual of the region's own series."""
    ordered = points.sort_values("position")
    grouped = ordered.groupby(["adcode", "indicator"], observed=True)
    first, last = grouped.first(), grouped.last()
    size = grouped.size()
    history = pd.DataFrame(
        {
            "o_first": first["comparable_value"],
            "o_last": last["comparable_value"],
            "o_years": (last["position"] - first["position"]).round(6),
            "o_first_end": first["period_end"],
            "o_last_end": last["period_end"],
            "o_n": size,
        }
    )
    history = history[history["o_n"] >= 2]
    history["observed_cagr"] = cagr(
        history["o_first"].to_numpy(),
        history["o_last"].to_numpy(),
        history["o_years"].to_numpy(),
        errors="coerce",
    )
    history["observed_method"] = (
        "CAGR " + number_text(history["o_first"]) + " → " + number_text(history["o_last"])
        + " (" + history["o_first_end"].dt.strftime("%Y-%m-%d") + " to "
        + history["o_last_end"].dt.strftime("%Y-%m-%d") + ")"
    )  # fmt: skip
    joined = frame.join(history[["observed_cagr", "observed_method"]], on=["adcode", "indicator"])
    joined["observed_method"] = joined["observed_method"].fillna(
        "none: fewer than two comparable actuals"
    )
    return joined


def _latest_and_met(frame: pd.DataFrame, points: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    latest = points.sort_values("position").groupby(["adcode", "indicator"], observed=True).last()
    latest = latest[["value", "period_end", "position"]].add_prefix("l_")
    frame = frame.join(latest, on=["adcode", "indicator"])
    level_target = frame["target_kind"] == "level"
    actual = frame["l_value"].where(level_target)
    target, high = frame["value"], frame["value_high"]
    qualifier = frame["qualifier"].astype(str)
    higher = frame["indicator"].map(ctx.higher_is_better).fillna(True).astype(bool)
    up = np.select(
        [qualifier == "gt", qualifier == "lt", qualifier == "range"],
        [actual > target, actual < target, actual >= target],
        actual >= target,
    )
    down = np.select(
        [qualifier == "gt", qualifier == "lt", qualifier == "range"],
        [actual < target, actual > target, actual <= high],
        actual <= target,
    )
    met = pd.Series(np.where(higher, up, down), index=frame.index, dtype="boolean").mask(
        actual.isna()
    )
    newer = frame["l_position"] > frame["b_position"]
    gap = (frame["l_value"] - frame["b_value"]) / (frame["implied_target"] - frame["b_value"])
    return frame.assign(met=met, gap_closed=gap.where(newer & level_target))


def _relative(frame: pd.DataFrame, points: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    parent = frame["adcode"].map(ctx.parent_of)
    latest = points.sort_values("position").groupby(["adcode", "indicator"], observed=True).last()
    parent_rows = pd.DataFrame({"adcode": parent, "indicator": frame["indicator"]}).join(
        latest[["value", "period_end"]], on=["adcode", "indicator"]
    )
    comparable = frame["indicator"].map(ctx.kind_of).isin(["rate", "share"])
    ratio = (frame["value"] / parent_rows["value"]).where(comparable)

    peer_count, peer_median, below_share = _peer_standing(frame, points)
    percentile = (below_share * 100).where(frame["required_cagr"].notna() & (peer_count > 0))
    return frame.assign(
        parent_adcode=parent,
        parent_value=parent_rows["value"].where(comparable),
        parent_period_end=parent_rows["period_end"].where(comparable),
        target_to_parent_ratio=ratio,
        peer_count=peer_count,
        peer_observed_cagr_median=peer_median,
        required_cagr_peer_percentile=percentile,
    )


def _peer_standing(
    frame: pd.DataFrame, points: pd.DataFrame
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each target's required CAGR among the other regions' observed CAGRs.

    Returns the number of peers, the median of their observed CAGRs and the
    share of them growing slower than the target requires. Peers are sorted
    once per indicator, so a region's own rate is left out by position.
    """
    ordered = points.sort_values("position").groupby(["adcode", "indicator"], observed=True)
    first, last = ordered.first(), ordered.last()
    rates = pd.Series(
        cagr(
            first["comparable_value"].to_numpy(),
            last["comparable_value"].to_numpy(),
            (last["position"] - first["position"]).round(6).to_numpy(),
            errors="coerce",
        ),
        index=first.index,
    ).dropna()
    count = pd.Series(0, index=frame.index, dtype="int64")
    median = pd.Series(np.nan, index=frame.index, dtype="float64")
    below = pd.Series(np.nan, index=frame.index, dtype="float64")
    by_indicator = rates.groupby(level="indicator", observed=True)
    for indicator, targets in frame.groupby("indicator", observed=True):
        if indicator not in by_indicator.groups:
            continue
        peers = by_indicator.get_group(indicator).droplevel("indicator").sort_values()
        values = peers.to_numpy()
        own = targets["adcode"].map(pd.Series(np.arange(len(values)), index=peers.index))
        has_own = own.notna().to_numpy()
        own_at = own.fillna(-1).to_numpy(dtype="int64")
        n = len(values) - has_own.astype("int64")
        count.loc[targets.index] = n
        required = targets["required_cagr"].to_numpy()
        slower = np.searchsorted(values, required, side="left")
        slower = slower - (has_own & (own_at < slower)).astype("int64")
        with np.errstate(divide="ignore", invalid="ignore"):
            below.loc[targets.index] = np.where(n > 0, slower / n, np.nan)
        median.loc[targets.index] = _median_without(values, own_at, n)
    return count, median, below


def _median_without(values: np.ndarray, left_out: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Median of sorted ``values`` with the element at ``left_out`` (−1: none) removed."""
    low_rank, high_rank = (n - 1) // 2, n // 2

    def at(rank: np.ndarray) -> np.ndarray:
        index = np.where((left_out >= 0) & (rank >= left_out), rank + 1, rank)
        return np.asarray(values[np.clip(index, 0, len(values) - 1)], dtype="float64")

    return np.asarray(np.where(n > 0, (at(low_rank) + at(high_rank)) / 2, np.nan), dtype="float64")


def _classify(frame: pd.DataFrame) -> pd.Series:
    ratio = frame["r_ratio"]
    met = frame["met"].fillna(False).astype(bool)
    return pd.Series(
        np.select(
            [
                met,
                ratio >= ON_TRACK,
                ratio >= ACCELERATION,
                ratio >= LIMITED,
                ratio < DETERIORATION,
            ],
            list(PROGRESS_CLASSES[:5]),
            "insufficient data",
        ),
        index=frame.index,
        dtype="str",
    )


def _assemble(frame: pd.DataFrame) -> pd.DataFrame:
    with np.errstate(divide="ignore", invalid="ignore"):
        r_ratio = (frame["observed_cagr"] / frame["required_cagr"]).where(
            frame["required_cagr"] > 0
        )
    frame = frame.assign(r_ratio=r_ratio)
    baseline_method = frame["b_method"].fillna("none")
    return pd.DataFrame(
        {
            "adcode": frame["adcode"],
            "indicator": frame["indicator"],
            "target_kind": frame["target_kind"].astype("str"),
            "target_value": frame["value"],
            "qualifier": frame["qualifier"].astype("str"),
            "target_value_high": frame["value_high"],
            "period_start": frame["period_start"],
            "period_end": frame["period_end"],
            "target_year": frame["period_end"].dt.year.astype("int64"),
            "baseline_value": frame["b_value"].astype("float64"),
            "baseline_period_end": pd.to_datetime(frame["b_period_end"]),
            "baseline_year": pd.to_datetime(frame["b_period_end"]).dt.year.astype("Int64"),
            "years": frame["years"].where(frame["required_cagr"].notna()).astype("float64"),
            "baseline_method": baseline_method.astype("str"),
            "ambition_ratio": frame["ambition_ratio"].astype("float64"),
            "required_cagr": frame["required_cagr"].astype("float64"),
            "observed_cagr": frame["observed_cagr"].astype("float64"),
            "observed_method": frame["observed_method"].astype("str"),
            "r_ratio": frame["r_ratio"].astype("float64"),
            "progress_class": _classify(frame),
            "latest_value": frame["l_value"].astype("float64"),
            "latest_period_end": pd.to_datetime(frame["l_period_end"]),
            "gap_closed": frame["gap_closed"].astype("float64"),
            "met": frame["met"],
            "parent_adcode": frame["parent_adcode"].astype("str"),
            "parent_value": frame["parent_value"].astype("float64"),
            "parent_period_end": pd.to_datetime(frame["parent_period_end"]),
            "target_to_parent_ratio": frame["target_to_parent_ratio"].astype("float64"),
            "peer_count": frame["peer_count"],
            "peer_observed_cagr_median": frame["peer_observed_cagr_median"].astype("float64"),
            "required_cagr_peer_percentile": frame["required_cagr_peer_percentile"].astype(
                "float64"
            ),
            "reason": frame["reason"],
            "sources": merge_sources(frame["source"], frame["b_sources"]),
        }
    )
