"""How ambitious is each plan target: against its baseline, its trend and its peers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._growth import MIN_CAGR_YEARS, cagr, cagr_reason
from ipbench._load import OBSERVATION_COLUMNS, UserTable
from ipbench._percapita import counts_from_rates, rates_per_capita
from ipbench._periods import comparable_points, end_position, start_position
from ipbench._provenance import merge_sources, number_text
from ipbench._reconstruct import reconstruct_levels
from ipbench._targets import plan_of, plan_population, target_kind, target_met
from ipbench._validated import stamp, validated
from ipbench._vocabulary import LEVEL_QUALIFIERS

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


def ambition(
    obs: pd.DataFrame,
    *,
    basis: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
    plans: UserTable = None,
) -> pd.DataFrame:
    """Measure the ambition of every target against its baseline, trend and peers.

    For each ``target`` row:

    - **plan**: the plan (``plans`` table) whose document states the target,
      or the region's plan ending on the target's date, so a later document
      repeating a target keeps the plan's base date (``plan_match`` says how);
    - **baseline**: the latest comparable actual at the plan's base date (or,
      with no plan, the latest known when the target's document was
      published). Reported figures come first; levels reconstructed from a
      reported change, rates derived from counts (on ``basis``, by default
      the project's one order of bases) and counts implied by rates fill the
      gaps, and ``baseline_method`` names the arithmetic;
    - ``ambition_ratio`` = target / baseline and ``required_cagr`` =
      ratio^(1/(T − t0)) − 1 (at least one year apart). A per-10k target
      whose plan also sets a count target is shown on the population the two
      imply too (``plan_population``, ``required_cagr_on_plan_population``):
      Xuanwu's 18000 件 and 300 件/万人 imply 600,000 residents, not the
      census's 537,825, and on that population both targets need the same
      7.6 % a year;
    - ``observed_cagr``: growth from the baseline to the latest actual after
      it (progress under the plan); with no later actual, the trend up to the
      baseline (the pace the plan inherits). ``r_ratio`` = observed /
      required, classed as Eurostat and Open SDG do: on track (R ≥ 0.95),
      acceleration needed (0.6–0.95), limited progress (0–0.6),
      deterioration (< 0), after a "target met" test that reads the qualifier
      with the indicator's polarity (＞2800 is not met by 2800; 近18000 is met
      within 5 % below 18000, never by 1);
    - ``gap_closed`` = (latest − baseline) / (target − baseline) where a newer
      actual exists (ESCAP's current-status measure);
    - relative ambition: the parent's value at the baseline date
      (``baseline_to_parent_ratio``), the parent's own target for the same
      date where it has one, and the percentile of the required CAGR among
      peers' observed CAGRs over spans of the same length; a region's parent
      and children are never its peers.

    新增 (additions) targets are compared with the stock they add to; targets
    summed over a window are compared as yearly averages. A target with no
    usable baseline is kept, with the reason.

    Parameters
    ----------
    obs : DataFrame
        Observations, built-in or your own (a frame ipbench validated is not
        validated again).
    basis : str or sequence of str, optional
        Accepted bases of the denominators a baseline rate
        is derived on, in order of preference; by default the
        project's one order (``ipbench._vocabulary.DEFAULT_BASES``).
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    denominators, regions, indicators, sources, plans : DataFrame or path, optional
        Your own tables, extending the catalog's.

    Examples
    --------
    >>> import ipbench
    >>> a = ipbench.ambition(ipbench.load_observations())
    >>> row = a[(a["adcode"] == "320102") & (a["indicator"] == "invention_patents_in_force")]
    >>> row[["plan", "baseline_value", "target_value"]].to_numpy().tolist()
    [['xuanwu_ip_14fyp', 12482.0, 18000.0]]
    >>> row[["ambition_ratio", "required_cagr"]].round(4).to_numpy().tolist()
    [[1.4421, 0.076]]
    >>> xuanwu = a[a["adcode"] == "320102"].set_index("indicator")
    >>> rate = xuanwu.loc[["invention_patents_in_force_per_10k"]]
    >>> rate[["required_cagr", "required_cagr_on_plan_population"]].round(4).to_numpy().tolist()
    [[0.0527, 0.076]]
    """
    obs, ctx = validated(
        obs,
        catalog,
        denominators=denominators,
        regions=regions,
        indicators=indicators,
        sources=sources,
        plans=plans,
    )
    points = _points(obs, ctx, basis)
    targets = _targets(obs, ctx)
    frame = targets.join(_baselines(targets, points))
    frame = _required(frame)
    frame = _on_plan_population(frame, points, ctx)
    frame = _latest_and_met(frame, points, ctx)
    frame = _observed(frame, points)
    frame = _relative(frame, points, obs, ctx)
    return stamp(_assemble(frame), ctx, "result")


#: Which kind of point wins when two sit at the same date: a reported figure first.
_METHOD_RANK = {"reported": 0, "reconstructed": 1, "derived": 2, "implied": 3}
_OBSERVATION_COLUMNS = list(OBSERVATION_COLUMNS)


def _points(obs: pd.DataFrame, ctx: Catalog, basis: str | Sequence[str] | None) -> pd.DataFrame:
    """Every usable actual level, reported or derived, placed in time, with how it was found.

    Derived points fill gaps only: where a region reports a figure for a date,
    that figure is the point.
    """
    actual = obs[obs["status"] == "actual"]
    reconstructed = reconstruct_levels(actual, ctx)
    counts_for_rates, rates_for_counts = _gap_fillers(actual, ctx)
    rates = rates_per_capita(counts_for_rates, ctx, basis=basis, errors="coerce", reported="ignore")
    counts = counts_from_rates(rates_for_counts, ctx, basis=basis)
    parts = [
        actual.assign(_how="reported", _method="reported", _vintage=""),
        _derived_part(reconstructed, "reconstructed", ""),
        _derived_part(rates, "derived", rates["denominator_basis"]),
        _derived_part(counts, "implied", counts["denominator_basis"]),
    ]
    pool = pd.concat(parts, ignore_index=True)
    pool = pool[(pool["measure"] == "level") & pool["value"].notna()]
    # a reported figure beats a derived one for the same region, indicator and date
    key = ["adcode", "indicator", "period_start", "period_end"]
    pool = pool.assign(_rank=pool["_how"].map(_METHOD_RANK)).sort_values("_rank", kind="stable")
    reported_keys = pool[pool["_how"] == "reported"][key].drop_duplicates()
    flagged = pool.merge(reported_keys.assign(_has_report=True), on=key, how="left")
    keep = (flagged["_how"] == "reported") | flagged["_has_report"].isna()
    pool = pool[keep.to_numpy()]
    derived = pool[pool["_how"] != "reported"].drop_duplicates(key)
    pool = pd.concat([pool[pool["_how"] == "reported"], derived]).reset_index(drop=True)
    placed = comparable_points(pool[_OBSERVATION_COLUMNS], ctx.indicators, ctx.sources)
    placed = placed.join(pool[["_how", "_method", "_vintage"]])
    return placed[placed["reason"] == ""].rename(
        columns={"_how": "how", "_method": "method", "_vintage": "vintage"}
    )


def _gap_fillers(actual: pd.DataFrame, ctx: Catalog) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Select the counts whose rate, and the rates whose count, no source reports.

    A derived point only fills a gap (a reported figure for the same date
    wins), so deriving it where the region reports the figure is wasted work:
    on a national panel that reports both, nearly all of it.
    """
    levels = actual[actual["measure"] == "level"]
    table = ctx.indicators[ctx.indicators["kind"] == "rate"].dropna(
        subset=["base_indicator", "denominator"]
    )
    rate_of = table.set_index("base_indicator")["indicator"]
    rate_of = rate_of[~rate_of.index.duplicated(keep=False)]
    base_of = table.set_index("indicator")["base_indicator"]
    reported = _point_codes(levels, levels["indicator"])
    counts = levels["indicator"].isin(rate_of.index)
    rates = levels["indicator"].isin(base_of.index)
    count_rows, rate_rows = levels[counts], levels[rates]
    as_rate = _point_codes(count_rows, count_rows["indicator"].map(rate_of))
    as_count = _point_codes(rate_rows, rate_rows["indicator"].map(base_of))
    # several rates of one count (per resident, per enterprise) keep every count row
    many = ctx.indicators["base_indicator"].value_counts()
    shared = count_rows["indicator"].isin(many[many > 1].index).to_numpy()
    return (
        count_rows[~as_rate.isin(reported) | shared],
        rate_rows[~as_count.isin(reported)],
    )


def _point_codes(rows: pd.DataFrame, indicator: pd.Series) -> pd.Index:
    """One label per region, indicator and period, comparable across frames."""
    return pd.MultiIndex.from_arrays(
        [
            rows["adcode"].astype("str"),
            indicator.astype("str"),
            rows["period_start"],
            rows["period_end"],
        ]
    )


def _derived_part(frame: pd.DataFrame, how: str, vintage: pd.Series | str) -> pd.DataFrame:
    usable = frame["value"].notna()
    return frame.loc[usable, _OBSERVATION_COLUMNS].assign(
        _how=how,
        _method=(how + ": " + frame.loc[usable, "method"]).astype("str"),
        _vintage=vintage if isinstance(vintage, str) else vintage[usable].astype("str"),
    )


def _targets(obs: pd.DataFrame, ctx: Catalog) -> pd.DataFrame:
    rows = obs[(obs["status"] == "target") & (obs["measure"] == "level")].copy()
    catalog = ctx.indicators.set_index("indicator")
    base_of = catalog["base_indicator"]
    rows["target_kind"] = target_kind(rows, ctx.kind_of, base_of)
    start, end = rows["period_start"], rows["period_end"]
    window = end_position(end) - start_position(start)
    is_instant = start == end
    rows["window_years"] = window.where(~is_instant, 0.0).round(6)
    rows["end_position"] = end_position(end)
    rows["target_position"] = rows["end_position"].where(
        is_instant, (start_position(start) + end_position(end)) / 2
    )
    rows["base_indicator"] = rows["indicator"].map(base_of)
    rows["published"] = rows["source"].map(ctx.sources.set_index("source")["published"])
    rows = rows.join(plan_of(rows, ctx.plans))
    return rows.reset_index(drop=True)


def _cutoff(targets: pd.DataFrame) -> pd.Series:
    """Give the date a baseline may not be later than.

    The plan's base date when the target has a plan; else what the target's
    authors could know: actuals up to the document's publication, and before
    the target window opens.
    """
    known = targets["published"].fillna(targets["period_start"])
    window_start = targets["period_start"] - pd.Timedelta(days=1)
    known = known.where(targets["target_kind"] == "level", np.minimum(known, window_start))
    return targets["plan_base_date"].fillna(known)


def _latest_before(candidates: pd.DataFrame, cutoff: pd.Series, prefix: str) -> pd.DataFrame:
    """Pick, per target row, the latest candidate point at or before its cutoff.

    Of two points at one date, the reported one.
    """
    merged = candidates.merge(cutoff.rename("_cutoff"), left_on="_target", right_index=True)
    merged = merged[merged["period_end"] <= merged["_cutoff"]]
    merged = merged.assign(_rank=merged["how"].map(_METHOD_RANK))
    merged = merged.sort_values(["_target", "position", "_rank"], ascending=[True, True, False])
    merged = merged.drop_duplicates("_target", keep="last")
    return merged.set_index("_target").drop(columns=["_cutoff", "_rank"]).add_prefix(prefix)


_POINT_COLUMNS = [
    "_target",
    "value",
    "comparable_value",
    "position",
    "period_end",
    "sources",
    "how",
    "method",
    "vintage",
    "period_years",
]


def _baselines(targets: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Baseline value, date, position and how it was found, per target row."""
    cutoff = _cutoff(targets)
    keys = targets.reset_index(names="_target")
    own = keys[["_target", "adcode", "indicator"]].merge(points, on=["adcode", "indicator"])
    found = _latest_before(own[_POINT_COLUMNS], cutoff, "b_")
    # additions with a series of their own are read against it, never as stock + additions
    found["b_on_stock"] = False
    additions = keys[keys["target_kind"] == "additions"][["_target", "adcode", "base_indicator"]]
    stock_points = points.rename(columns={"indicator": "base_indicator"})
    stock = _latest_before(
        additions.merge(stock_points, on=["adcode", "base_indicator"])[_POINT_COLUMNS],
        cutoff,
        "b_",
    )
    stock["b_method"] = (
        "stock of the indicator added to, "
        + stock["b_period_end"].dt.strftime("%Y-%m-%d")
        + " ("
        + stock["b_method"]
        + "); target read as stock + additions"
    )
    stock["b_on_stock"] = True
    result = found.combine_first(stock) if not found.empty else stock
    return result.reindex(targets.index)


def _required(frame: pd.DataFrame) -> pd.DataFrame:
    kind = frame["target_kind"]
    target = frame["value"]
    baseline = frame["b_comparable_value"]
    # additions read against a stock: the stock the plan implies at the window's end;
    # against earlier additions, or for totals over a window: the yearly average
    # b_on_stock is True or missing (object): .eq(True) reads missing as False without the
    # object-downcasting .fillna that pandas 2.2 deprecates
    on_stock = frame.get("b_on_stock", pd.Series(False, index=frame.index)).eq(True)
    on_stock = on_stock & (kind == "additions")
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
    reason = reason.mask(baseline.isna(), "no baseline: no comparable actual at the base date")
    reason = reason.mask(baseline.notna() & (baseline <= 0), "a zero or negative baseline")
    reason = reason.mask(
        baseline.notna() & (years < MIN_CAGR_YEARS),
        "the baseline is less than a year before the target: no annual rate",
    )
    # anything else cagr refuses (a negative target, an overflow) says its own reason
    unexplained = (reason == "") & required.isna()
    reason = reason.mask(unexplained, cagr_reason(baseline, implied, years))
    return frame.assign(
        implied_target=implied,
        ambition_ratio=ratio.where(reason == ""),
        required_cagr=required.where(reason == ""),
        years=years,
        reason=reason,
    )


def _on_plan_population(frame: pd.DataFrame, points: pd.DataFrame, ctx: Catalog) -> pd.DataFrame:
    """Put per-10k targets on the population their plan implies.

    Where the plan sets the count too: population = count target / rate
    target × 10⁴.
    """
    catalog = ctx.indicators.set_index("indicator")
    per_residents = frame["indicator"].map(catalog["denominator"]) == "resident_population"
    population = plan_population(frame, catalog).where(per_residents)
    # the baseline count of the same date, on the plan's population
    count_points = points[points["how"] == "reported"][
        ["adcode", "indicator", "period_end", "comparable_value"]
    ].rename(columns={"indicator": "base_indicator", "comparable_value": "_base_count"})
    wanted = frame[["adcode", "base_indicator", "b_period_end"]].reset_index()
    matched = wanted.merge(
        count_points,
        left_on=["adcode", "base_indicator", "b_period_end"],
        right_on=["adcode", "base_indicator", "period_end"],
    )
    base_count = matched.set_index("index")["_base_count"].reindex(frame.index)
    on_plan = base_count / population * 10_000
    required = pd.Series(
        cagr(
            on_plan.to_numpy(),
            frame["value"].to_numpy(),
            frame["years"].to_numpy(),
            errors="coerce",
        ),
        index=frame.index,
    )
    return frame.assign(
        plan_population=population,
        baseline_on_plan_population=on_plan.where(population.notna()),
        required_cagr_on_plan_population=required.where(population.notna()),
    )


def _latest_and_met(frame: pd.DataFrame, points: pd.DataFrame, ctx: Catalog) -> pd.DataFrame:
    """Find the latest actual (of the stock, for additions) and whether it meets the target."""
    series = frame["indicator"].where(frame["target_kind"] != "additions", frame["base_indicator"])
    ordered = points.sort_values(["position"]).assign(_rank=points["how"].map(_METHOD_RANK))
    ordered = ordered.sort_values(["position", "_rank"], ascending=[True, False])
    latest = ordered.groupby(["adcode", "indicator"], observed=True).last()
    latest = latest[
        [
            "value",
            "comparable_value",
            "period_end",
            "position",
            "how",
            "method",
            "period_years",
            "sources",
        ]
    ]
    joined = pd.DataFrame({"adcode": frame["adcode"], "indicator": series}).join(
        latest.add_prefix("l_"), on=["adcode", "indicator"]
    )
    frame = frame.join(joined.drop(columns=["adcode", "indicator"]))
    comparable = frame["target_kind"] != "window_total"
    actual = frame["l_comparable_value"].where(comparable)
    on_stock = frame["b_on_stock"].eq(True)
    goal = frame["implied_target"].where(on_stock, frame["value"])
    higher = frame["indicator"].map(ctx.higher_is_better)
    met = target_met(actual, goal, frame["value_high"], frame["qualifier"], higher)
    newer = frame["l_position"] > frame["b_position"]
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = (frame["l_comparable_value"] - frame["b_comparable_value"]) / (
            frame["implied_target"] - frame["b_comparable_value"]
        )
    closable = newer & comparable & (frame["implied_target"] != frame["b_comparable_value"])
    return frame.assign(met=met, gap_closed=gap.where(closable))


def _observed(frame: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Observed CAGR: baseline to the latest later actual, else the trend up to the baseline."""
    series = frame["indicator"].where(frame["target_kind"] != "additions", frame["base_indicator"])
    first = (
        points.assign(_rank=points["how"].map(_METHOD_RANK))
        .sort_values(["position", "_rank"])
        .groupby(["adcode", "indicator"], observed=True)
        .first()
    )
    first = first[["comparable_value", "position", "period_end", "how", "period_years", "sources"]]
    first = first.add_prefix("f_")
    frame = frame.join(
        pd.DataFrame({"adcode": frame["adcode"], "indicator": series})
        .join(first, on=["adcode", "indicator"])
        .drop(columns=["adcode", "indicator"])
    )
    since = frame["l_position"] > frame["b_position"]
    before = ~since & (frame["f_position"] < frame["b_position"])
    x0 = frame["b_comparable_value"].where(since, frame["f_comparable_value"])
    x1 = frame["l_comparable_value"].where(since, frame["b_comparable_value"])
    t0 = frame["b_position"].where(since, frame["f_position"])
    t1 = frame["l_position"].where(since, frame["b_position"])
    end0 = frame["b_period_end"].where(since, frame["f_period_end"])
    end1 = frame["l_period_end"].where(since, frame["b_period_end"])
    years = (t1 - t0).round(6)
    # a 5-year sum (as its yearly average) is never set against a one-year flow
    window0 = frame["b_period_years"].where(since, frame["f_period_years"])
    window1 = frame["l_period_years"].where(since, frame["b_period_years"])
    same_window = window0.round() == window1.round()
    usable = (since | before) & frame["b_comparable_value"].notna() & same_window
    rate = pd.Series(
        cagr(x0.to_numpy(), x1.to_numpy(), years.to_numpy(), errors="coerce"), index=frame.index
    ).where(usable)
    how = frame["l_how"].where(since, frame["f_how"])
    derived_note = pd.Series(
        np.where(
            (how != "reported") | (frame["b_how"] != "reported"),
            "; a point is derived (see baseline)",
            "",
        ),
        index=frame.index,
    ).astype("str")
    label = pd.Series(
        np.where(since, "since the base date", "the trend up to the base date"), index=frame.index
    ).astype("str")
    method = (
        "CAGR "
        + number_text(x0)
        + " → "
        + number_text(x1)
        + " ("
        + pd.to_datetime(end0).dt.strftime("%Y-%m-%d")
        + " to "
        + pd.to_datetime(end1).dt.strftime("%Y-%m-%d")
        + "), "
        + label
        + derived_note
    )
    none = np.select(
        [
            frame["b_comparable_value"].isna(),
            ~(since | before),
            ~same_window,
        ],
        [
            "none: no baseline",
            "none: one comparable actual only",
            "none: flows over windows of different length",
        ],
        "none: the points are less than a year apart",
    )
    method = method.where(rate.notna(), pd.Series(none, index=frame.index).astype("str"))
    return frame.assign(
        observed_cagr=rate,
        observed_method=method.astype("str"),
        observed_from_first=(before & rate.notna()).astype(bool),
    )


def _relative(
    frame: pd.DataFrame, points: pd.DataFrame, obs: pd.DataFrame, ctx: Catalog
) -> pd.DataFrame:
    """Set the target beside its parent at the baseline date and its peers' growth."""
    parent = frame["adcode"].map(ctx.parent_of)
    comparable = frame["indicator"].map(ctx.kind_of).isin(["rate", "share"])
    at_base = pd.DataFrame(
        {"adcode": parent, "indicator": frame["indicator"], "period_end": frame["b_period_end"]}
    ).merge(
        points[["adcode", "indicator", "period_end", "value"]].drop_duplicates(
            ["adcode", "indicator", "period_end"]
        ),
        on=["adcode", "indicator", "period_end"],
        how="left",
    )
    at_base.index = frame.index
    # a parent's target is comparable only as a rate or share, and only as a level, not a bound
    parent_targets = obs[
        (obs["status"] == "target")
        & (obs["measure"] == "level")
        & obs["qualifier"].isin(list(LEVEL_QUALIFIERS))
    ]
    parent_targets = parent_targets.drop_duplicates(["adcode", "indicator", "period_end"])
    own_target = pd.DataFrame(
        {"adcode": parent, "indicator": frame["indicator"], "period_end": frame["period_end"]}
    ).merge(
        parent_targets[["adcode", "indicator", "period_end", "value"]],
        on=["adcode", "indicator", "period_end"],
        how="left",
    )
    own_target.index = frame.index
    count, median, below, span = _peer_standing(frame, points, ctx)
    percentile = (below * 100).where(frame["required_cagr"].notna() & (count > 0))
    return frame.assign(
        parent_adcode=parent,
        parent_value=at_base["value"].where(comparable),
        parent_period_end=at_base["period_end"].where(at_base["value"].notna() & comparable),
        baseline_to_parent_ratio=(frame["b_value"] / at_base["value"]).where(comparable),
        parent_target_value=own_target["value"].where(comparable),
        target_to_parent_ratio=(frame["value"] / own_target["value"]).where(
            comparable & frame["qualifier"].isin(list(LEVEL_QUALIFIERS))
        ),
        peer_count=count,
        peer_span_years=span,
        peer_observed_cagr_median=median,
        required_cagr_peer_percentile=percentile,
    )


def _peer_standing(
    frame: pd.DataFrame, points: pd.DataFrame, ctx: Catalog
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Each target's required CAGR among other regions' observed CAGRs over the same span.

    A peer's CAGR runs to its latest point from its point the same whole number
    of years earlier as the target's baseline is before the target (5 for
    2020 → 2025), both of one vintage and window length (a rate derived on the
    census is not paired with one on year-end estimates). Peers share the
    region's administrative level, so its parent and children (and China and
    the provinces, references for a city) are never among them, nor is the
    region itself. Returns the number of peers,
    their median CAGR, the share growing slower than the target requires, and
    the span. Peers are sorted once per indicator and span; the regions left
    out are skipped by position, so the cost grows as n log n.
    """
    span = frame["years"].round().where(frame["required_cagr"].notna())
    count = pd.Series(0, index=frame.index, dtype="int64")
    median = pd.Series(np.nan, index=frame.index, dtype="float64")
    below = pd.Series(np.nan, index=frame.index, dtype="float64")
    wanted = frame.loc[span.notna(), ["adcode", "indicator", "required_cagr"]].assign(
        span=span[span.notna()]
    )
    if wanted.empty:
        return count, median, below, span
    pairs = _latest_span_pairs(points, wanted[["indicator", "span"]].drop_duplicates())
    # peers share the target region's administrative level: a province or China is a
    # reference, and a region's parent and children are never of its level
    pairs = pairs.assign(level=pairs["adcode"].map(ctx.level_of))
    wanted = wanted.assign(level=wanted["adcode"].map(ctx.level_of))
    key = ["indicator", "span", "level"]
    peer_groups = dict(tuple(pairs.groupby(key, sort=False)))
    for group, targets in wanted.groupby(key, sort=False):
        peers = peer_groups.get(group)
        if peers is None:
            continue
        peers = peers.sort_values("cagr", kind="stable")
        values = peers["cagr"].to_numpy(dtype="float64")
        position = dict(zip(peers["adcode"], range(len(values)), strict=True))
        required = targets["required_cagr"].to_numpy(dtype="float64")
        slower = np.searchsorted(values, required, side="left")
        for row, own, at in zip(targets.index, targets["adcode"], slower, strict=True):
            itself = position.get(own)  # the region's own growth is not its peer
            excluded = np.array([] if itself is None else [itself], dtype="int64")
            n = len(values) - len(excluded)
            if n <= 0:
                continue
            count[row] = n
            below[row] = (int(at) - int((excluded < at).sum())) / n
            median[row] = _median_skipping(values, excluded, n)
    return count, median, below, span


def _median_skipping(values: np.ndarray, skipped: np.ndarray, n: int) -> float:
    """Median of sorted ``values`` without the positions in sorted ``skipped``."""

    def at(rank: int) -> float:
        index = rank
        for position in skipped:  # ascending: each skipped place at or before pushes one on
            if position <= index:
                index += 1
        return float(values[index])

    return (at((n - 1) // 2) + at(n // 2)) / 2


def _latest_span_pairs(points: pd.DataFrame, needed: pd.DataFrame) -> pd.DataFrame:
    """Pair each series' latest point with its point ``span`` whole years earlier.

    Only the (indicator, span) combinations in ``needed`` are paired; both
    points share the series' vintage and window length.
    """
    columns = ["adcode", "indicator", "vintage", "window", "position", "comparable_value"]
    placed = points.assign(window=points["period_years"].round())[columns]
    placed = placed[placed["indicator"].isin(needed["indicator"])]
    series = ["adcode", "indicator", "vintage", "window"]
    last = placed.sort_values("position").drop_duplicates(series, keep="last")
    pairs = last.merge(placed, on=series, suffixes=("_to", "_from"))
    years = (pairs["position_to"] - pairs["position_from"]).round(6)
    whole = (years >= MIN_CAGR_YEARS) & (years == years.round())
    pairs = pairs.assign(span=years.round())[whole].merge(needed, on=["indicator", "span"])
    # of one region's vintages and windows, the pair that ends latest
    pairs = pairs.sort_values("position_to").drop_duplicates(
        ["adcode", "indicator", "span"], keep="last"
    )
    rate = cagr(
        pairs["comparable_value_from"].to_numpy(),
        pairs["comparable_value_to"].to_numpy(),
        pairs["span"].to_numpy(),
        errors="coerce",
    )
    return pd.DataFrame(
        {
            "adcode": pairs["adcode"].to_numpy(),
            "indicator": pairs["indicator"].to_numpy(),
            "span": pairs["span"].to_numpy(),
            "cagr": rate,
        }
    ).dropna(subset=["cagr"])


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
            "plan": _text_or_none(frame["plan"]),
            "plan_period_start": pd.to_datetime(frame["plan_period_start"]),
            "plan_base_date": pd.to_datetime(frame["plan_base_date"]),
            "plan_match": frame["plan_match"].astype("str"),
            "baseline_value": frame["b_value"].astype("float64"),
            "baseline_period_end": pd.to_datetime(frame["b_period_end"]),
            "baseline_year": pd.to_datetime(frame["b_period_end"]).dt.year.astype("Int64"),
            "years": frame["years"].where(frame["required_cagr"].notna()).astype("float64"),
            "baseline_method": baseline_method.astype("str"),
            "ambition_ratio": frame["ambition_ratio"].astype("float64"),
            "required_cagr": frame["required_cagr"].astype("float64"),
            "plan_population": frame["plan_population"].astype("float64"),
            "baseline_on_plan_population": frame["baseline_on_plan_population"].astype("float64"),
            "required_cagr_on_plan_population": frame["required_cagr_on_plan_population"].astype(
                "float64"
            ),
            "observed_cagr": frame["observed_cagr"].astype("float64"),
            "observed_method": frame["observed_method"].astype("str"),
            "r_ratio": frame["r_ratio"].astype("float64"),
            "progress_class": _classify(frame),
            "latest_value": frame["l_value"].astype("float64"),
            "latest_period_end": pd.to_datetime(frame["l_period_end"]),
            "gap_closed": frame["gap_closed"].astype("float64"),
            "met": frame["met"],
            "parent_adcode": _text_or_none(frame["parent_adcode"]),
            "parent_value": frame["parent_value"].astype("float64"),
            "parent_period_end": pd.to_datetime(frame["parent_period_end"]),
            "baseline_to_parent_ratio": frame["baseline_to_parent_ratio"].astype("float64"),
            "parent_target_value": frame["parent_target_value"].astype("float64"),
            "target_to_parent_ratio": frame["target_to_parent_ratio"].astype("float64"),
            "peer_count": frame["peer_count"],
            "peer_span_years": frame["peer_span_years"].astype("float64"),
            "peer_observed_cagr_median": frame["peer_observed_cagr_median"].astype("float64"),
            "required_cagr_peer_percentile": frame["required_cagr_peer_percentile"].astype(
                "float64"
            ),
            "reason": frame["reason"],
            # every document a figure of the row comes from: the target's, the baseline's,
            # the latest actual's, and the earlier point an inherited trend starts from
            "sources": merge_sources(
                frame["source"],
                frame["b_sources"],
                frame["l_sources"],
                frame["f_sources"].where(frame["observed_from_first"]),
            ),
        }
    )


def _text_or_none(values: pd.Series) -> pd.Series:
    """Text with None where missing: a float NaN in a text column is not valid JSON."""
    return values.astype("object").where(values.notna(), None)
