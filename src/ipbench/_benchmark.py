"""Regions side by side: ranks, indices, normalised scores and distance to the frontier."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from ipbench._context import Context, context_for
from ipbench._load import UserTable
from ipbench._periods import end_position, indicator_timing, start_position
from ipbench._provenance import number_text
from ipbench._schemas import DerivedObservationSchema, ObservationSchema


class BenchmarkError(ValueError):
    """A comparison of figures that are not peers."""


BENCHMARK_KEY = ["indicator", "adcode"]

#: Levels whose regions are peers by default; the country and the provinces are references.
PEER_LEVELS: Final = ("city", "district")
#: Levels a caller may name as peers with ``level=``; China has no peer in a national table.
NAMEABLE_LEVELS: Final = ("province", "city", "district")
#: Qualifiers scored as levels: exact (达), and about (约, 左右); the others are bounds.
LEVEL_QUALIFIERS: Final = ("eq", "approx")
_BOUND_SIGNS = {"gt": ">", "ge": "≥", "lt": "<"}
_PLURAL = {
    "country": "countries",
    "province": "provinces",
    "city": "cities",
    "district": "districts",
}
#: Slack when comparing decimal years (end_position of 31 December is a whole number).
_EPS = 1e-9
#: Columns of derived observations (:func:`per_capita` and the like) that benchmark carries.
_DERIVED_COLUMNS = ("method", "sources", "reason")


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


@dataclass(frozen=True)
class _Settings:
    year: int | str
    reference: str | None
    status: str
    levels: tuple[str, ...] | None
    max_year_gap: int
    minmax_range: tuple[float, float]
    goalposts: tuple[float, float] | None


@dataclass(frozen=True)
class _Reference:
    adcode: str
    value: float
    period_end: pd.Timestamp
    text: str


def benchmark(
    obs: pd.DataFrame,
    indicator: str | Sequence[str],
    year: int | Literal["latest"] = "latest",
    reference: str | None = None,
    *,
    status: Literal["actual", "target"] = "actual",
    level: str | Sequence[str] | None = None,
    max_year_gap: int = 0,
    minmax_range: tuple[float, float] = (0.0, 100.0),
    goalposts: tuple[float, float] | None = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> DataFrame[BenchmarkSchema]:
    """Compare peer regions on one indicator in one period (several indicators, each on its own).

    Follows the composite-indicator practice of the EIS/RIS, GII, COINr and
    the OECD/JRC handbook, with the indicator's polarity (``higher_is_better``
    in the catalog) applied to ranks and scores. Among the scored peers:

    - ``rank`` (1 = best) and ``percentile_rank`` = (n − rank) / (n − 1) × 100;
    - ``index`` = value / reference × 100, the reference being a named region
      or, by default, the mean of the peers;
    - ``minmax`` = (value − min) / (max − min) rescaled to ``minmax_range``,
      or against fixed ``goalposts`` (values outside are clipped);
    - ``zscore`` = (value − mean) / standard deviation (n − 1), signed so that
      better is positive;
    - ``distance_to_frontier``: the gap to the best value, in the indicator's
      unit and in percent of the best.

    Only like is compared with like:

    - **One period.** ``year`` is the year whose end a stock is at, or over
      whose calendar year a flow runs. ``"latest"`` takes the latest year that
      the most peers (all, when they share one) have a level for. Figures of
      other years count only within ``max_year_gap`` years; such a row shows
      its own period, its ``year_gap`` to ``benchmark_year`` and a note. A
      region's reported figure beats one derived for the same period, then the
      latest publication wins. Flows of windows of different lengths (a
      five-year sum beside a year) raise :class:`BenchmarkError`.
    - **Levels, not bounds.** Only ``eq`` and ``approx`` figures are scored; a
      bound (``gt``, ``ge``, ``lt``, ``range``) is shown with its qualifier,
      unscored, and the note says so (and whether it lies beyond every scored
      value).
    - **Peers of one administrative level.** By default the level (city or
      district) that most regions with a figure share; a city wins a tie. The
      country and the provinces are references, not peers. Several levels
      (``level=["city", "district"]``) are accepted for rates and shares only,
      never for absolute counts (a district is part of its city); each row's
      peer statistics then leave out its parent and its children (ancestors,
      descendants), and the note names them.

    Nothing is dropped silently: every region with a figure of the indicator
    is a row. A region left out of the comparison (a non-peer level, another
    year, a bound, no value) has ``scored`` False, no rank or scores, and the
    reason in ``note``.

    Parameters
    ----------
    obs : DataFrame
        Validated observations, or derived ones such as the output of
        :func:`per_capita` (their ``method``, ``sources`` and ``reason`` are
        kept; a missing value is a row with its reason; other extra columns
        are not read). Rows without a ``method`` are reported figures.
    indicator : str or sequence of str
        Indicator id(s).
    year : int or "latest"
        The year compared.
    reference : str, optional
        Adcode of the region that is 100 on ``index`` (``"100000"``: China = 100);
        default the peer mean. A reference that is not a peer is used for the
        index only, never in the peer statistics. Its figure must be a level of
        the benchmark year (within ``max_year_gap``), else
        :class:`BenchmarkError`. A reference of 0 or below gives no index (NaN,
        with the reason in ``note``).
    status : {"actual", "target"}
        Compare reported figures or targets.
    level : str or sequence of str, optional
        Administrative level(s) of the peers: ``"city"``, ``"district"`` or
        ``"province"``.
    max_year_gap : int, default 0
        How many years a peer's figure (or the reference's) may lie from the
        benchmark year.
    minmax_range : (float, float)
        The range min-max scores are rescaled to, low end first.
    goalposts : (float, float), optional
        Fixed low and high ends for min-max instead of the peers' min and max.
    regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the built-in ones.

    Returns
    -------
    DataFrame
        :class:`BenchmarkSchema`: scored rows first, by rank, then the rows
        left out; ``reference`` and ``reference_period_end`` say what 100 is.

    Raises
    ------
    BenchmarkError
        An unknown indicator, nothing to score, flows over windows of different
        lengths, counts of several levels, a reference without a level of the
        benchmark period.
    ValueError
        Goalposts or a min-max range whose low end is not below its high end;
        a ``max_year_gap`` below 0; an unknown level.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> b = ipbench.benchmark(obs, "invention_patents_in_force_per_10k", year=2021)
    >>> scored = b[b["scored"]]
    >>> scored[["name_en", "value", "rank"]].to_numpy().tolist()
    [['Nanjing', 95.42, 1], ['Dalian', 27.26, 2], ['Nanchang', 16.0, 3]]
    >>> scored["index"].round(1).tolist()  # peer mean 46.23 = 100
    [206.4, 59.0, 34.6]

    Counts of a district are not peers of its city's; the row says so:

    >>> c = ipbench.benchmark(obs, "invention_patents_in_force")
    >>> print(c.set_index("name_en").loc["Xuanwu", "note"])
    a district, not a peer of the cities
    >>> bool(c.loc[c["qualifier"] == "gt", "scored"].any())  # Nanjing's >10万 is a bound
    False
    """
    _check_arguments(year, max_year_gap, minmax_range, goalposts)
    settings = _Settings(
        year=year,
        reference=reference,
        status=status,
        levels=None if level is None else _named_levels(level),
        max_year_gap=int(max_year_gap),
        minmax_range=minmax_range,
        goalposts=goalposts,
    )
    ctx = context_for(regions=regions, indicators=indicators, sources=sources)
    wanted = [indicator] if isinstance(indicator, str) else list(indicator)
    unknown = sorted(set(wanted) - set(ctx.kind_of.index))
    if unknown:
        raise BenchmarkError(f"unknown indicator(s) {unknown}: not in the catalog")
    rows = _candidates(_observations(obs), wanted, status, ctx)
    absent = sorted(set(wanted) - set(rows["indicator"]))
    if absent:
        raise BenchmarkError(
            f"no {status} level of {absent} in the observations; check the indicator id and status"
        )
    parts = [
        _benchmark_one(group, str(name), settings, ctx)
        for name, group in rows.groupby("indicator", sort=True)
    ]
    result = pd.concat(parts, ignore_index=True)
    return DataFrame[BenchmarkSchema](BenchmarkSchema.validate(result))


def _check_arguments(
    year: object,
    max_year_gap: object,
    minmax_range: tuple[float, float],
    goalposts: tuple[float, float] | None,
) -> None:
    if year != "latest" and (isinstance(year, bool) or not isinstance(year, int | np.integer)):
        raise ValueError(f"year must be a year such as 2021, or 'latest'; got {year!r}")
    if (
        isinstance(max_year_gap, bool)
        or not isinstance(max_year_gap, int | np.integer)
        or max_year_gap < 0
    ):
        raise ValueError(
            f"max_year_gap must be a whole number of years, 0 or more; got {max_year_gap!r}"
        )
    low, high = (float(end) for end in minmax_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(
            f"minmax_range must run from a lower to a higher finite end; got ({low:g}, {high:g})"
        )
    if goalposts is not None:
        low, high = (float(end) for end in goalposts)
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(
                f"goalposts must rise: the low goalpost {low:g} must be below the high "
                f"goalpost {high:g}, both finite"
            )


def _named_levels(level: str | Sequence[str]) -> tuple[str, ...]:
    names = [level] if isinstance(level, str) else list(level)
    if "country" in names:
        raise ValueError(
            "level='country': the country is a reference, not a peer; index to it with "
            "reference='100000'"
        )
    wrong = [name for name in names if name not in NAMEABLE_LEVELS]
    if wrong or not names:
        raise ValueError(f"level must be one or more of {list(NAMEABLE_LEVELS)}; got {level!r}")
    return tuple(dict.fromkeys(names))


def _observations(obs: pd.DataFrame) -> pd.DataFrame:
    """Validate observations, or derived observations (rates from :func:`per_capita`)."""
    if not any(column in obs.columns for column in _DERIVED_COLUMNS):
        checked = ObservationSchema.validate(obs)
        return checked.assign(method="", sources=checked["source"].astype("str"), reason="")
    core = [column for column in ObservationSchema.to_schema().columns if column in obs.columns]
    empty = pd.Series("", index=obs.index, dtype="object")
    # rows concatenated from plain observations have no derivation: they are reported figures
    frame = obs[core].assign(
        method=obs.get("method", empty).fillna(""),
        sources=obs.get("sources", obs["source"]).fillna(obs["source"]),
        reason=obs.get("reason", empty).fillna(""),
    )
    return DerivedObservationSchema.validate(frame)


def _candidates(obs: pd.DataFrame, wanted: list[str], status: str, ctx: Context) -> pd.DataFrame:
    """Select the level rows of the wanted indicators, placed in time, with what is needed."""
    rows = obs[
        obs["indicator"].isin(wanted) & (obs["measure"] == "level") & (obs["status"] == status)
    ]
    start, end = rows["period_start"], rows["period_end"]
    window = (end_position(end) - start_position(start)).where(start < end, 0.0)
    return rows.assign(
        _position=end_position(end),
        _window=window.round(1),
        _scorable=rows["qualifier"].isin(LEVEL_QUALIFIERS) & rows["value"].notna(),
        _reported=rows["method"] == "",
        _published=rows["source"].map(ctx.sources.set_index("source")["published"]),
        _level=rows["adcode"].map(ctx.level_of).fillna("").astype("str"),
        _timing=indicator_timing(rows["indicator"], ctx.indicators).astype("str"),
    )


def _benchmark_one(
    group: pd.DataFrame, name: str, settings: _Settings, ctx: Context
) -> pd.DataFrame:
    peers = settings.levels or _default_levels(group, name)
    if len(peers) > 1 and ctx.kind_of[name] in ("stock", "flow"):
        listing = ", ".join(
            f"{code} ({lv})"
            for code, lv in group[["adcode", "_level"]].drop_duplicates().to_numpy()
        )
        raise BenchmarkError(
            f"{name} is an absolute count, and level={list(peers)} mixes administrative levels "
            f"({listing}): a district is part of its city, so their counts are not peers. "
            "Compare rates instead (ipbench.per_capita), or one level."
        )
    tolerance = settings.max_year_gap
    year = (
        _latest_year(group[group["_level"].isin(peers)], name, tolerance)
        if settings.year == "latest"
        else int(settings.year)
    )
    chosen = _choose(group, year, tolerance)
    is_peer = chosen["_level"].isin(peers)
    _guard_windows(chosen[is_peer], name)
    within = chosen["_gap"].abs() <= tolerance + _EPS
    scored = is_peer & within & chosen["_scorable"]
    if not scored.any():
        raise BenchmarkError(
            f"nothing to score for {name} in {year}: no {' or '.join(peers)} has a level of it "
            f"within max_year_gap={tolerance}; "
            + "; ".join(_left_out_reasons(chosen, peers, year, tolerance).head(10))
        )
    reference = _reference(chosen, settings, name, year)
    return _score(chosen, scored, peers, year, reference, settings, name, ctx)


def _default_levels(group: pd.DataFrame, name: str) -> tuple[str, ...]:
    """Choose the peer level most regions with a figure share; a city wins a tie."""
    present = group[["adcode", "_level"]].drop_duplicates("adcode")
    counts = present.loc[present["_level"].isin(PEER_LEVELS), "_level"].value_counts()
    if counts.empty:
        listing = ", ".join(
            f"{code} ({lv or 'not in the regions table'})"
            for code, lv in present[["adcode", "_level"]].head(10).to_numpy()
        )
        raise BenchmarkError(
            f"no city or district has a figure of {name} ({listing}): the country and the "
            "provinces are references, not peers. Pass level='province' to compare provinces "
            "with each other."
        )
    most = counts.max()
    return (next(lv for lv in PEER_LEVELS if counts.get(lv, 0) == most),)


def _latest_year(peer_rows: pd.DataFrame, name: str, tolerance: int) -> int:
    """Find the latest year the most peers have a level for (all, when they share one)."""
    usable = peer_rows[peer_rows["_scorable"]]
    position = usable["_position"]
    at_year_end = (position - position.round()).abs() < _EPS
    years = sorted({int(y) - 1 for y in position[at_year_end].round().unique()})
    if not years:
        raise BenchmarkError(
            f"no peer has a level of {name} at a year end or over a calendar year "
            f"({len(peer_rows)} figures: bounds, or other dates); pass year=... and "
            "max_year_gap=... to compare figures of other dates"
        )

    # each level covers the years within the tolerance of its date; count regions per year
    low = np.ceil(position - 1 - tolerance - _EPS).astype("int64")
    high = np.floor(position - 1 + tolerance + _EPS).astype("int64")
    covered = pd.concat(
        [
            pd.DataFrame({"adcode": usable["adcode"], "year": low + step})[low + step <= high]
            for step in range(2 * tolerance + 1)
        ]
    )
    coverage = covered.drop_duplicates().groupby("year")["adcode"].size()
    return max(years, key=lambda year: (int(coverage.get(year, 0)), year))


def _choose(group: pd.DataFrame, year: int, tolerance: int) -> pd.DataFrame:
    """One figure a region: within the tolerance, a level, nearest, earlier, reported, latest."""
    gap = group["_position"] - (year + 1)
    ordered = group.assign(
        _gap=gap,
        _outside=gap.abs() > tolerance + _EPS,
        _bound=~group["_scorable"],
        _distance=gap.abs().round(6),
        _derived=~group["_reported"],
    ).sort_values(
        ["adcode", "_outside", "_bound", "_distance", "_gap", "_derived", "_published"],
        ascending=[True, True, True, True, True, True, False],
        na_position="last",
        kind="stable",
    )
    return ordered.drop_duplicates("adcode", keep="first").reset_index(drop=True)


def _guard_windows(peer_rows: pd.DataFrame, name: str) -> None:
    flows = peer_rows[peer_rows["_timing"] == "flow"]
    windows = flows["_window"].to_numpy()
    if len(windows) == 0 or (windows == windows[0]).all():
        return
    examples = flows.groupby("_window", sort=True).head(3)
    listing = ", ".join(
        f"{code} {_period_text(start, end)} ({_years_text(float(window))})"
        for code, start, end, window in examples[
            ["adcode", "period_start", "period_end", "_window"]
        ].itertuples(index=False)
    )
    raise BenchmarkError(
        f"{name} is a flow, and the periods differ in length ({listing}): a sum over several "
        "years, or over part of one, is not comparable with a year. Annualise first "
        "(ipbench.growth compares yearly averages), or choose a year in which every region "
        "reports a flow over one window length."
    )


def _reference(
    chosen: pd.DataFrame, settings: _Settings, name: str, year: int
) -> _Reference | None:
    code = settings.reference
    if code is None:
        return None
    rows = chosen[chosen["adcode"] == code]
    if rows.empty:
        raise BenchmarkError(
            f"the reference region {code} has no {settings.status} level of {name} to compare with"
        )
    row = rows.iloc[0]
    period = _period_text(row["period_start"], row["period_end"])
    gap = float(row["_gap"])
    if abs(gap) > settings.max_year_gap + _EPS:
        raise BenchmarkError(
            f"the reference region {code} has no figure of {name} for {year} within "
            f"max_year_gap={settings.max_year_gap}: its nearest is {period} "
            f"({_gap_text(gap, year)}). An index to another period is refused: pass "
            f"max_year_gap={math.ceil(abs(gap) - _EPS)} to accept it, or choose another reference."
        )
    if not row["_scorable"]:
        raise BenchmarkError(
            f"the reference region {code} has {_value_text(row)} of {name} for {period}, "
            f"{'not a level' if pd.notna(row['value']) else 'no value: ' + str(row['reason'])}: "
            "it cannot be 100"
        )
    return _Reference(code, float(row["value"]), row["period_end"], f"{code} {period} = 100")


def _score(
    chosen: pd.DataFrame,
    scored: pd.Series,
    peers: tuple[str, ...],
    year: int,
    reference: _Reference | None,
    settings: _Settings,
    name: str,
    ctx: Context,
) -> pd.DataFrame:
    higher = bool(ctx.higher_is_better.get(name, True))
    sign = 1.0 if higher else -1.0
    compared = chosen[scored]
    value = compared["value"].astype("float64")
    stats = _peer_statistics(compared, sign, ctx)
    if reference is None:
        ref_value = stats["mean"]
        ref_text = "peer mean " + number_text(stats["mean"], "{:.6g}") + " = 100"
        ref_period = pd.Series(pd.NaT, index=compared.index, dtype="datetime64[ns]")
    else:
        ref_value = pd.Series(reference.value, index=compared.index, dtype="float64")
        ref_text = pd.Series(reference.text, index=compared.index, dtype="str")
        ref_period = pd.Series(reference.period_end, index=compared.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = (value / ref_value * 100).where(ref_value > 0)
        if settings.goalposts is None:
            low, high = stats["low"], stats["high"]
        else:
            low = pd.Series(settings.goalposts[0], index=compared.index, dtype="float64")
            high = pd.Series(settings.goalposts[1], index=compared.index, dtype="float64")
        share = ((value - low) / (high - low)).clip(0, 1).where(high > low)
        share = share if higher else 1 - share
        bottom, top = settings.minmax_range
        minmax = bottom + share * (top - bottom)
        zscore = ((value - stats["mean"]) / stats["std"] * sign).where(stats["std"] > 0)
        distance = (stats["frontier"] - value).abs()
        distance_pct = (distance / stats["frontier"].abs() * 100).where(stats["frontier"] != 0)
        percentile = ((stats["n"] - stats["rank"]) / (stats["n"] - 1) * 100).where(stats["n"] > 1)
    notes = _scored_notes(compared, stats, ref_value, reference, year, settings.max_year_gap)
    note = _left_out_reasons(
        chosen, peers, year, settings.max_year_gap, chosen.loc[scored, "value"]
    )
    note = note.where(~scored, notes.reindex(chosen.index).fillna(""))
    if reference is not None:
        is_reference = chosen["adcode"] == reference.adcode
        note = note.where(
            ~is_reference, _joined(note, pd.Series("the reference (= 100)", index=note.index))
        )
    regions = ctx.regions.set_index("adcode")

    def spread(values: pd.Series, dtype: str) -> pd.Series:
        return pd.Series(values.reindex(chosen.index), dtype=dtype)

    frame = pd.DataFrame(
        {
            "adcode": chosen["adcode"].astype("str"),
            "name_zh": chosen["adcode"].map(regions["name_zh"]).fillna("").astype("str"),
            "name_en": chosen["adcode"].map(regions["name_en"]).fillna("").astype("str"),
            "level": chosen["_level"],
            "indicator": name,
            "benchmark_year": np.int64(year),
            "period_start": chosen["period_start"],
            "period_end": chosen["period_end"],
            "year_gap": chosen["_gap"].round(2).astype("float64"),
            "value": chosen["value"].astype("float64"),
            "qualifier": chosen["qualifier"].astype("str"),
            "value_high": chosen["value_high"].astype("float64"),
            "unit": chosen["unit"].astype("str"),
            "scored": scored.astype("bool"),
            "rank": spread(stats["rank"], "Int64"),
            "percentile_rank": spread(percentile, "float64"),
            "index": spread(index, "float64"),
            "minmax": spread(minmax, "float64"),
            "zscore": spread(zscore, "float64"),
            "distance_to_frontier": spread(distance, "float64"),
            "distance_to_frontier_pct": spread(distance_pct, "float64"),
            "reference": ref_text.reindex(chosen.index).fillna("").astype("str"),
            "reference_value": spread(ref_value, "float64"),
            "reference_period_end": ref_period.reindex(chosen.index).astype("datetime64[ns]"),
            "higher_is_better": higher,
            "note": note.astype("str"),
            "method": chosen["method"].astype("str"),
            "source": chosen["source"].astype("str"),
            "sources": chosen["sources"].astype("str"),
            "evidence": chosen["evidence"].astype("str"),
        }
    )
    return (
        frame.assign(_left_out=~frame["scored"])
        .sort_values(["_left_out", "rank", "adcode"], kind="stable")
        .drop(columns="_left_out")
    )


def _peer_statistics(compared: pd.DataFrame, sign: float, ctx: Context) -> pd.DataFrame:
    """Each scored row's peer count, rank, mean, std, min, max and frontier.

    Peers of one level share their statistics. With several levels, a row's
    statistics leave out its ancestors and descendants (a district's city, a
    city's districts), and ``left_out`` names them.
    """
    value = compared["value"].astype("float64")
    oriented = value * sign
    stats = pd.DataFrame(
        {
            "n": len(value),
            "rank": oriented.rank(ascending=False, method="min"),
            "mean": value.mean(),
            "std": value.std() if len(value) > 1 else np.nan,
            "low": value.min(),
            "high": value.max(),
            "frontier": value.to_numpy()[oriented.to_numpy().argmax()],
            "left_out": "",
        },
        index=value.index,
    )
    levels = compared["_level"].to_numpy()
    if (levels == levels[0]).all():
        return stats
    codes = compared["adcode"].tolist()
    position = {code: i for i, code in enumerate(codes)}
    ancestors = [_ancestors(code, ctx.parent_of) for code in codes]
    descendants: list[list[int]] = [[] for _ in codes]
    for i, chain in enumerate(ancestors):
        for code in chain:
            if code in position:
                descendants[position[code]].append(i)
    values, signed = value.to_numpy(), oriented.to_numpy()
    names = ctx.regions.set_index("adcode")["name_zh"]
    for i, code in enumerate(codes):
        above = [position[a] for a in ancestors[i] if a in position]
        related = above + descendants[i]
        if not related:
            continue
        keep = np.ones(len(codes), dtype=bool)
        keep[related] = False
        kept, kept_signed = values[keep], signed[keep]
        label = stats.index[i]
        stats.loc[label, "n"] = int(keep.sum())
        stats.loc[label, "rank"] = 1 + int((kept_signed > signed[i]).sum())
        stats.loc[label, "mean"] = float(kept.mean())
        stats.loc[label, "std"] = float(kept.std(ddof=1)) if len(kept) > 1 else np.nan
        stats.loc[label, "low"] = float(kept.min())
        stats.loc[label, "high"] = float(kept.max())
        stats.loc[label, "frontier"] = float(kept[kept_signed.argmax()])
        parent = ancestors[i][0] if ancestors[i] else None
        words = [
            f"{names.get(codes[j], '')} {codes[j]} "
            + (
                ("its parent" if codes[j] == parent else "contains it")
                if j in above
                else ("its child" if ancestors[j][:1] == [code] else "part of it")
            )
            for j in related
        ]
        stats.loc[label, "left_out"] = "peer statistics leave out " + ", ".join(
            word.strip() for word in words
        )
    return stats


def _ancestors(code: str, parent_of: pd.Series) -> list[str]:
    chain: list[str] = []
    current = parent_of.get(code)
    while isinstance(current, str) and current not in chain and current != code:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def _scored_notes(
    compared: pd.DataFrame,
    stats: pd.DataFrame,
    ref_value: pd.Series,
    reference: _Reference | None,
    year: int,
    tolerance: int,
) -> pd.Series:
    note = pd.Series("", index=compared.index, dtype="object")
    off_year = compared["_gap"].abs() > _EPS
    if off_year.any():
        text = compared[off_year].apply(
            lambda row: (
                f"{_period_text(row['period_start'], row['period_end'])}: "
                f"{_gap_text(float(row['_gap']), year)} (max_year_gap={tolerance})"
            ),
            axis=1,
        )
        note = _joined(note, text.reindex(note.index).fillna(""))
    about = pd.Series("about (approx): scored as a level", index=note.index)
    note = _joined(note, about.where(compared["qualifier"] == "approx", ""))
    note = _joined(note, stats["left_out"])
    single = pd.Series("a single region: no percentile, z-score or range", index=note.index)
    note = _joined(note, single.where(stats["n"] == 1, ""))
    equal = pd.Series("all regions equal: no z-score", index=note.index)
    note = _joined(note, equal.where((stats["n"] > 1) & (stats["std"] == 0), ""))
    if reference is None:
        no_index = (
            "the peer mean " + number_text(ref_value, "{:.6g}") + " is not positive: no index"
        )
    else:
        no_index = pd.Series(
            f"the reference {reference.adcode} is {reference.value:g}, not positive: no index",
            index=note.index,
        )
    note = _joined(note, no_index.where(~(ref_value > 0), ""))
    zero = pd.Series("the frontier is 0: no distance in percent", index=note.index)
    return _joined(note, zero.where(stats["frontier"] == 0, ""))


def _left_out_reasons(
    chosen: pd.DataFrame,
    peers: tuple[str, ...],
    year: int,
    tolerance: int,
    scored_values: pd.Series | None = None,
) -> pd.Series:
    """Why each row is not scored ("" for a row that is)."""
    level = chosen["_level"]
    peer_words = " and ".join(_PLURAL[p] for p in peers)
    reason = pd.Series("", index=chosen.index, dtype="object")
    outside = chosen["_gap"].abs() > tolerance + _EPS
    bound = ~chosen["_scorable"] & chosen["value"].notna()
    missing = chosen["value"].isna()
    if bound.any():
        reason[bound] = chosen[bound].apply(
            lambda row: (
                f"a bound ({_value_text(row)}), not a level: not scored"
                + _beyond(row, scored_values)
            ),
            axis=1,
        )
    if outside.any():
        reason[outside] = chosen[outside].apply(
            lambda row: (
                f"no figure for {year}"
                + (f" within max_year_gap={tolerance}" if tolerance else "")
                + f"; nearest: {_period_text(row['period_start'], row['period_end'])} "
                f"({_gap_text(float(row['_gap']), year)}); pass "
                f"max_year_gap={math.ceil(abs(float(row['_gap'])) - _EPS)} to compare it"
            ),
            axis=1,
        )
    reason[missing] = "no value: " + chosen.loc[missing, "reason"].astype("str")
    not_peer = ~level.isin(peers)
    is_reference_level = level.isin(["country", "province"]) & not_peer
    reason[not_peer] = "a " + level[not_peer] + ", not a peer of the " + peer_words
    reason[is_reference_level] = (
        "a " + level[is_reference_level] + ": a reference, not a peer of the " + peer_words
    )
    reason[level == ""] = "not in the regions table: its administrative level is unknown"
    return reason


def _beyond(row: pd.Series, scored_values: pd.Series | None) -> str:
    """Whether a bound certainly lies beyond every scored value."""
    if scored_values is None or scored_values.empty:
        return ""
    qualifier, value = row["qualifier"], float(row["value"])
    top, bottom = float(scored_values.max()), float(scored_values.min())
    if (qualifier == "gt" and value >= top) or (qualifier == "ge" and value > top):
        return " (above every scored value)"
    if qualifier == "lt" and value <= bottom:
        return " (below every scored value)"
    return ""


def _joined(note: pd.Series, part: pd.Series) -> pd.Series:
    """Append ``part`` to ``note`` with "; " where both have text."""
    part = part.astype("object").fillna("")
    if not (part != "").any():
        return note
    glue = pd.Series(np.where((note != "") & (part != ""), "; ", ""), index=note.index)
    return (note + glue + part).astype("object")


def _value_text(row: pd.Series) -> str:
    value = row["value"]
    if pd.isna(value):
        return "no value"
    if row["qualifier"] == "range":
        return f"{value:.15g}–{row['value_high']:.15g}"
    return _BOUND_SIGNS.get(str(row["qualifier"]), "") + f"{value:.15g}"


def _period_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """``end-2021`` for a year-end stock, ``2021`` or ``2016-2020`` for whole years."""
    if start == end:
        return f"end-{end.year}" if (end.month, end.day) == (12, 31) else f"{end:%Y-%m-%d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(end.year) if start.year == end.year else f"{start.year}-{end.year}"
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def _gap_text(gap: float, year: int) -> str:
    return f"{_years_text(abs(gap))} {'before' if gap < 0 else 'after'} {year}"


def _years_text(years: float) -> str:
    return "1 year" if abs(years - 1) < _EPS else f"{round(years, 2):g} years"
