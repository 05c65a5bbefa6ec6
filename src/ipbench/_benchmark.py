"""Regions side by side: ranks, indices, normalised scores and distance to the frontier."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._errors import BenchmarkError
from ipbench._load import OBSERVATION_COLUMNS, UserTable
from ipbench._periods import end_position, indicator_timing, is_whole_years, start_position
from ipbench._provenance import number_text
from ipbench._validated import catalog_for, checked_derived, is_current, stamp, validated
from ipbench._vocabulary import LEVEL_QUALIFIERS


class _NothingToScore(BenchmarkError):
    """No region of one indicator can be scored; ``rows`` are its rows, each saying why."""

    def __init__(self, message: str, rows: pd.DataFrame) -> None:
        super().__init__(message)
        self.rows = rows


BENCHMARK_KEY = ["indicator", "adcode"]

#: Levels whose regions are peers by default; the country and the provinces are references.
PEER_LEVELS: Final = ("city", "district")
#: Levels a caller may name as peers with ``level=``; China has no peer in a national table.
NAMEABLE_LEVELS: Final = ("province", "city", "district")
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


@dataclass(frozen=True)
class _Settings:
    year: int | str
    reference: str | None
    status: str
    levels: tuple[str, ...] | None
    max_year_gap: int
    minmax_range: tuple[float, float]
    goalposts: tuple[float, float] | None


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
    catalog: Catalog | None = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
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
      whose calendar year a flow runs: a figure for 2020 is a stock at the end
      of 2020 or a flow over 2020, one year. A total over several years
      (十三五期间 2016-2020) or over part of one (a campaign from January to
      April) is a figure for no year: it is a row left out with the reason,
      whatever its window (its yearly average, as :func:`per_capita`
      annualises it, is still a figure of the window, not of one year).
      ``"latest"`` takes the latest year that the most peers (all, when they
      share one) have a level for. Figures of other years count only within
      ``max_year_gap`` years; such a row shows its own period, its
      ``year_gap`` to ``benchmark_year`` and a note (a stock dated within a
      year, not at its end, is called a mid-year stock). A region's reported
      figure beats one derived for the same period, then the latest
      publication wins.
    - **Levels, not bounds.** Only ``eq`` and ``approx`` figures are scored; a
      bound (``gt``, ``ge``, ``lt``, ``range``) is shown with its qualifier,
      unscored, and the note says so (and whether it lies beyond every scored
      value).
    - **Peers of one administrative level.** By default the level (city or
      district) that most regions with a figure share; a city wins a tie. The
      country and the provinces are references, not peers. Several levels
      (``level=["city", "district"]``) are accepted for rates and shares only,
      never for absolute counts (a district is part of its city), and only
      for regions none of which is another's parent or child: a city and its
      own district are refused (:class:`BenchmarkError` naming the pair). All
      scored rows share one peer set: one mean, one ranking.
    - **The reference of each row's own period.** Each row is indexed to the
      reference's figure for the same period (the same date for a stock, the
      same window for a flow); where the reference has none, or only a bound,
      the row has no index and the note says why. ``reference_period_end``
      is the period used. Absolute counts are indexed only to a reference of
      the peers' level: a district's count as a percentage of the country's is
      a share of the whole, a different measure.

    Nothing is dropped silently: every region with a figure of the indicator
    is a row. A region left out of the comparison (a non-peer level, another
    year, a total over several years, a bound, no value) has ``scored``
    False, no rank or scores, and the reason in ``note``. With several
    indicators, one with nothing to score keeps its rows, all left out with
    their reasons; the call fails only when no indicator has anything to
    score.

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
        index only, never in the peer statistics. Each row is indexed to the
        reference's level of the row's own period; without one (or with a
        value of 0 or below) the row's index is NaN and ``note`` says why.
    status : {"actual", "target"}
        Compare reported figures or targets.
    level : str or sequence of str, optional
        Administrative level(s) of the peers: ``"city"``, ``"district"`` or
        ``"province"``.
    max_year_gap : int, default 0
        How many years a peer's figure may lie from the benchmark year (the
        reference follows each row's period).
    minmax_range : (float, float)
        The range min-max scores are rescaled to, low end first.
    goalposts : (float, float), optional
        Fixed low and high ends for min-max instead of the peers' min and max.
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
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
        An unknown indicator; nothing to score in any indicator (the message
        names each region, with its adcode, and why); counts of several
        levels; a region together with its parent or child; counts indexed to
        a reference of another level.
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

    Each row is indexed to the reference's figure of the row's own period:
    Nanjing's end-2021 rate to China's end-2021 rate, not its end-2022 one.

    >>> rates = obs.pipe(ipbench.per_capita, errors="coerce")
    >>> r = ipbench.benchmark(rates, "invention_patents_in_force_per_10k", year=2022,
    ...                       max_year_gap=1, reference="100000")
    >>> print(r.loc[0, "name_en"], r.loc[0, "reference"], round(r.loc[0, "index"], 1))
    Nanjing 100000 end-2021 = 100 498.5
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
    obs, ctx = _observations(
        obs, catalog_for(obs, catalog, regions=regions, indicators=indicators, sources=sources)
    )
    wanted = [indicator] if isinstance(indicator, str) else list(indicator)
    unknown = sorted(set(wanted) - set(ctx.kind_of.index))
    if unknown:
        raise BenchmarkError(f"unknown indicator(s) {unknown}: not in the catalog")
    rows = _candidates(obs, wanted, status, ctx)
    absent = sorted(set(wanted) - set(rows["indicator"]))
    if absent:
        raise BenchmarkError(
            f"no {status} level of {absent} in the observations; check the indicator id and status"
        )
    parts: list[pd.DataFrame] = []
    refusals: list[str] = []
    for name, group in rows.groupby("indicator", sort=True):
        try:
            parts.append(_benchmark_one(group, str(name), settings, ctx))
        except _NothingToScore as nothing:
            # one indicator without a comparable peer does not sink the others: its rows
            # stay, unscored, each with its reason; the call fails only if none has any
            refusals.append(str(nothing))
            parts.append(nothing.rows)
    if len(refusals) == len(parts):
        raise BenchmarkError("; ".join(refusals))
    return stamp(pd.concat(parts, ignore_index=True), ctx, "result")


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


def _observations(obs: pd.DataFrame, ctx: Catalog) -> tuple[pd.DataFrame, Catalog]:
    """Observations, or derived observations (rates from :func:`per_capita`), checked once."""
    if not any(column in obs.columns for column in _DERIVED_COLUMNS):
        checked, ctx = validated(obs, ctx)
        return checked.assign(method="", sources=checked["source"].astype("str"), reason=""), ctx
    empty = pd.Series("", index=obs.index, dtype="object")
    # rows concatenated from plain observations have no derivation: they are reported figures
    frame = obs[[column for column in OBSERVATION_COLUMNS if column in obs.columns]].assign(
        method=obs.get("method", empty).fillna(""),
        sources=obs.get("sources", obs["source"]).fillna(obs["source"]),
        reason=obs.get("reason", empty).fillna(""),
    )
    trusted = is_current(obs, ctx, kinds=("observations", "derived"))
    return (frame if trusted else checked_derived(frame)), ctx


def _candidates(obs: pd.DataFrame, wanted: list[str], status: str, ctx: Catalog) -> pd.DataFrame:
    """Select the level rows of the wanted indicators, placed in time, with what is needed."""
    rows = obs[
        obs["indicator"].isin(wanted) & (obs["measure"] == "level") & (obs["status"] == status)
    ]
    start, end = rows["period_start"], rows["period_end"]
    window = (end_position(end) - start_position(start)).where(start < end, 0.0)
    timing = indicator_timing(rows["indicator"], ctx.indicators).astype("str")
    instant = start == end
    one_year = is_whole_years(start, end) & (start.dt.year == end.dt.year)
    # "a figure for year Y": a stock at a date, a flow over one calendar year; a share or
    # other figure may be either
    fits = instant.where(timing == "stock", one_year.where(timing == "flow", instant | one_year))
    return rows.assign(
        _position=end_position(end),
        _window=window.round(1),
        _fits=fits.astype("bool"),
        _scorable=rows["qualifier"].isin(LEVEL_QUALIFIERS) & rows["value"].notna(),
        _reported=rows["method"] == "",
        _published=rows["source"].map(ctx.sources.set_index("source")["published"]),
        _level=rows["adcode"].map(ctx.level_of).fillna("").astype("str"),
        _timing=timing,
    )


def _benchmark_one(
    group: pd.DataFrame, name: str, settings: _Settings, ctx: Catalog
) -> pd.DataFrame:
    """Score one indicator; raise :class:`_NothingToScore`, with the rows, if none can be."""
    refusal = ""
    try:
        peers = settings.levels or _default_levels(group, name)
    except BenchmarkError as error:
        peers, refusal = PEER_LEVELS, str(error)
    if len(peers) > 1 and not refusal and ctx.kind_of[name] in ("stock", "flow"):
        listing = ", ".join(
            f"{code} ({lv})"
            for code, lv in group[["adcode", "_level"]].drop_duplicates().to_numpy()
        )
        raise BenchmarkError(
            f"{name} is an absolute count, and level={list(peers)} mixes administrative levels "
            f"({listing}): a district is part of its city, so their counts are not peers. "
            "Compare rates instead (ipbench.per_capita), or one level."
        )
    if not refusal:
        _refuse_count_reference(peers, settings, name, ctx)
    tolerance = settings.max_year_gap
    if settings.year != "latest":
        year = int(settings.year)
    elif refusal:
        year = int(group["period_end"].dt.year.max())
    else:
        try:
            year = _latest_year(group[group["_level"].isin(peers)], name, tolerance)
        except BenchmarkError as error:
            year, refusal = int(group["period_end"].dt.year.max()), str(error)
    chosen = _choose(group, year, tolerance)
    is_peer = chosen["_level"].isin(peers)
    within = chosen["_gap"].abs() <= tolerance + _EPS
    scored = is_peer & within & chosen["_scorable"] & chosen["_fits"]
    if refusal or not scored.any():
        rows = _score(chosen, scored & False, peers, year, None, settings, name, ctx)
        if not refusal:
            # the regions of the peer level first: theirs is the reason that matters
            ordered = rows.sort_values("level", key=lambda lv: ~lv.isin(peers), kind="stable")
            named = ordered.apply(
                lambda row: f"{row['name_en'] or row['name_zh']} {row['adcode']}: {row['note']}",
                axis=1,
            )
            refusal = (
                f"nothing to score for {name} in {year}: no {' or '.join(peers)} has a level "
                f"of it for {year} within max_year_gap={tolerance}; " + "; ".join(named.head(10))
            )
        raise _NothingToScore(refusal, rows)
    _refuse_parent_and_child(chosen[scored], peers, name, ctx)
    reference = _reference(group, chosen[scored], settings, name)
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
    usable = peer_rows[peer_rows["_scorable"] & peer_rows["_fits"]]
    position = usable["_position"]
    at_year_end = (position - position.round()).abs() < _EPS
    years = sorted({int(y) - 1 for y in position[at_year_end].round().unique()})
    if not years:
        raise BenchmarkError(
            f"no peer has a level of {name} at a year end or over one calendar year "
            f"({len(peer_rows)} figures: bounds, totals over several years or part of one, or "
            "other dates); pass year=... and max_year_gap=... to compare stocks of other dates"
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
    """One figure a region: usable for the year, a level, nearest, earlier, reported, latest."""
    gap = group["_position"] - (year + 1)
    ordered = group.assign(
        _gap=gap,
        _excluded=(gap.abs() > tolerance + _EPS) | ~group["_fits"],
        _bound=~group["_scorable"],
        _distance=gap.abs().round(6),
        _derived=~group["_reported"],
    ).sort_values(
        ["adcode", "_excluded", "_bound", "_distance", "_gap", "_derived", "_published"],
        ascending=[True, True, True, True, True, True, False],
        na_position="last",
        kind="stable",
    )
    return ordered.drop_duplicates("adcode", keep="first").reset_index(drop=True)


def _refuse_parent_and_child(
    compared: pd.DataFrame, peers: tuple[str, ...], name: str, ctx: Catalog
) -> None:
    """Refuse a peer set that holds a region together with its parent or child."""
    if len(peers) < 2:
        return  # regions of one level are never each other's parent or child
    codes = set(compared["adcode"])
    pairs = [
        (ancestor, code)
        for code in sorted(codes)
        for ancestor in _ancestors(code, ctx.parent_of)
        if ancestor in codes
    ]
    if not pairs:
        return
    listing = "; ".join(
        f"{_region_text(above, ctx)} contains {_region_text(below, ctx)}"
        for above, below in pairs[:5]
    )
    raise BenchmarkError(
        f"{name} with level={list(peers)} would rank a region with its parent or child "
        f"({listing}): a part is never a peer of its whole. Benchmark one level "
        f"({' or '.join(f'level={lv!r}' for lv in peers)}), or leave one of each pair out of "
        "the observations."
    )


def _region_text(code: str, ctx: Catalog) -> str:
    regions = ctx.regions.set_index("adcode")
    if code not in regions.index:
        return code
    name_zh, name_en = str(regions.at[code, "name_zh"]), str(regions.at[code, "name_en"])
    return f"{name_zh} {name_en} {code}"


def _refuse_count_reference(
    peers: tuple[str, ...], settings: _Settings, name: str, ctx: Catalog
) -> None:
    """Refuse to index absolute counts to a region of another administrative level."""
    code = settings.reference
    if code is None or ctx.kind_of[name] not in ("stock", "flow"):
        return
    level = str(ctx.level_of.get(code, ""))
    if level not in peers:
        raise BenchmarkError(
            f"{name} is an absolute count, and the reference {_region_text(code, ctx)} is "
            f"{'a ' + level if level else 'of unknown level'}, not one of the "
            f"{' and '.join(_PLURAL[p] for p in peers)} compared: a region's count as a "
            "percentage of another level's count is a share of that whole, not an index. "
            "Index rates instead (ipbench.per_capita), or choose a reference among the peers."
        )


def _reference(
    group: pd.DataFrame, compared: pd.DataFrame, settings: _Settings, name: str
) -> pd.DataFrame | None:
    """Find the reference's figure for each compared row's own period, or say why there is none.

    Returns, per compared row, ``value`` (NaN when there is no usable figure),
    ``period_end``, ``text`` (what 100 is) and ``note`` (why there is no index).
    """
    code = settings.reference
    if code is None:
        return None
    own = group[group["adcode"] == code].sort_values(
        ["_scorable", "_reported", "_published"],
        ascending=[False, False, False],
        na_position="last",
        kind="stable",
    )
    # the same period: the same start and end (a stock at the same date; a flow over the same
    # window, so a multi-year total never meets a one-year figure)
    own = own.drop_duplicates(["period_start", "period_end"], keep="first")
    matched = compared[["period_start", "period_end"]].merge(
        own[["period_start", "period_end", "value", "qualifier", "value_high", "_scorable"]],
        on=["period_start", "period_end"],
        how="left",
    )
    matched.index = compared.index
    found = matched["_scorable"].notna()
    usable = found & matched["_scorable"].fillna(False).astype("bool")
    period = pd.Series(
        [
            _period_text(start, end)
            for start, end in zip(compared["period_start"], compared["period_end"], strict=True)
        ],
        index=compared.index,
        dtype="object",
    )
    nearest = own.assign(_d=(own["_position"] - compared["_position"].mean()).abs())
    has = ", ".join(
        _period_text(start, end)
        for start, end in nearest.sort_values("_d")[["period_start", "period_end"]]
        .head(3)
        .itertuples(index=False)
    )
    note = pd.Series("", index=compared.index, dtype="object")
    absent = f"the reference {code} has no {settings.status} level of {name}"
    note[~found] = (
        absent + " for " + period[~found] + f" (its figures: {has}): no index"
        if has
        else absent + ": no index"
    )
    not_level = found & ~usable
    note[not_level] = pd.Series(
        [
            f"the reference {code} has {_value_text(row)} for {text}, not a level: no index"
            for (_, row), text in zip(matched[not_level].iterrows(), period[not_level], strict=True)
        ],
        index=note.index[not_level],
        dtype="object",
    )
    value = matched["value"].astype("float64").where(usable)
    non_positive = usable & ~(value > 0)
    note[non_positive] = pd.Series(
        [
            f"the reference {code} is {v:g} for {text}, not positive: no index"
            for v, text in zip(value[non_positive], period[non_positive], strict=True)
        ],
        index=note.index[non_positive],
        dtype="object",
    )
    return pd.DataFrame(
        {
            "value": value,
            "period_end": compared["period_end"].where(usable),
            "text": (code + " " + period + " = 100").where(
                usable, code + ": no level for " + period
            ),
            "note": note,
        },
        index=compared.index,
    )


def _score(
    chosen: pd.DataFrame,
    scored: pd.Series,
    peers: tuple[str, ...],
    year: int,
    reference: pd.DataFrame | None,
    settings: _Settings,
    name: str,
    ctx: Catalog,
) -> pd.DataFrame:
    higher = bool(ctx.higher_is_better.get(name, True))
    sign = 1.0 if higher else -1.0
    compared = chosen[scored]
    value = compared["value"].astype("float64")
    stats = _peer_statistics(compared, sign)
    if reference is None:
        ref_value = stats["mean"]
        ref_text = "peer mean " + number_text(stats["mean"], "{:.6g}") + " = 100"
        ref_period = pd.Series(pd.NaT, index=compared.index, dtype="datetime64[ns]")
    else:
        ref_value = reference["value"]
        ref_text = reference["text"]
        ref_period = reference["period_end"]
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
    if reference is not None and settings.reference is not None:
        is_reference = chosen["adcode"] == settings.reference
        note = note.where(
            ~is_reference,
            _joined(
                note,
                pd.Series(
                    "the reference: each row is indexed to its figure of the row's own period",
                    index=note.index,
                ),
            ),
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


def _peer_statistics(compared: pd.DataFrame, sign: float) -> pd.DataFrame:
    """Count, rank, mean, std, min, max and frontier of the scored rows: one peer set."""
    value = compared["value"].astype("float64")
    oriented = value * sign
    if value.empty:
        columns = ["n", "rank", "mean", "std", "low", "high", "frontier"]
        return pd.DataFrame({column: pd.Series(dtype="float64") for column in columns})
    return pd.DataFrame(
        {
            "n": len(value),
            "rank": oriented.rank(ascending=False, method="min"),
            "mean": value.mean(),
            "std": value.std() if len(value) > 1 else np.nan,
            "low": value.min(),
            "high": value.max(),
            "frontier": value.to_numpy()[oriented.to_numpy().argmax()],
        },
        index=value.index,
    )


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
    reference: pd.DataFrame | None,
    year: int,
    tolerance: int,
) -> pd.Series:
    note = pd.Series("", index=compared.index, dtype="object")
    off_year = compared["_gap"].abs() > _EPS
    if off_year.any():
        text = compared[off_year].apply(
            lambda row: (
                f"{_period_label(row)}: {_gap_text(float(row['_gap']), year)} "
                f"(max_year_gap={tolerance})"
            ),
            axis=1,
        )
        note = _joined(note, text.reindex(note.index).fillna(""))
    about = pd.Series("about (approx): scored as a level", index=note.index)
    note = _joined(note, about.where(compared["qualifier"] == "approx", ""))
    single = pd.Series("a single region: no percentile, z-score or range", index=note.index)
    note = _joined(note, single.where(stats["n"] == 1, ""))
    equal = pd.Series("all regions equal: no z-score", index=note.index)
    note = _joined(note, equal.where((stats["n"] > 1) & (stats["std"] == 0), ""))
    if reference is None:
        no_index = (
            "the peer mean " + number_text(ref_value, "{:.6g}") + " is not positive: no index"
        ).where(~(ref_value > 0), "")
    else:
        no_index = reference["note"]
    note = _joined(note, no_index)
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
    unfit = ~chosen["_fits"]
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
            lambda row: _outside_text(row, year, tolerance), axis=1
        )
    if unfit.any():
        reason[unfit] = chosen[unfit].apply(lambda row: _unfit_text(row, year), axis=1)
    reason[missing] = "no value: " + chosen.loc[missing, "reason"].astype("str")
    not_peer = ~level.isin(peers)
    is_reference_level = level.isin(["country", "province"]) & not_peer
    reason[not_peer] = "a " + level[not_peer] + ", not a peer of the " + peer_words
    reason[is_reference_level] = (
        "a " + level[is_reference_level] + ": a reference, not a peer of the " + peer_words
    )
    reason[level == ""] = "not in the regions table: its administrative level is unknown"
    return reason


def _outside_text(row: pd.Series, year: int, tolerance: int) -> str:
    """Why a figure of another date or year is not compared, and how to compare it."""
    gap = float(row["_gap"])
    within = f" within max_year_gap={tolerance}" if tolerance else ""
    if _is_mid_year(row):
        missing = f"no year-end figure for {year}{within}"
    elif row["_timing"] == "flow":
        missing = f"no flow over {year}{within}"
    else:
        missing = f"no figure for {year}{within}"
    return (
        f"{missing}; nearest: {_period_label(row)} ({_gap_text(gap, year)}); pass "
        f"max_year_gap={math.ceil(abs(gap) - _EPS)} to compare it"
    )


def _unfit_text(row: pd.Series, year: int) -> str:
    """Why a figure is not one for a year: a multi-year or part-year flow, a dated flow."""
    period = _period_text(row["period_start"], row["period_end"])
    if row["period_start"] == row["period_end"]:
        return f"a {row['_timing']} dated {period}, with no period: not a flow over {year}"
    if row["_timing"] == "stock":
        return f"a stock over a period ({period}), not at a date: not scored"
    years = _years_text(float(row["_window"]))
    if (
        float(row["_window"]) > 1 + _EPS
        and is_whole_years(pd.Series([row["period_start"]]), pd.Series([row["period_end"]])).iloc[0]
    ):
        return (
            f"a total over {period} ({years}), not a flow over one calendar year: not "
            f"compared with flows over {year} (its yearly average, as ipbench.per_capita "
            f"annualises it, is still a {period} figure)"
        )
    return (
        f"a flow over {period} ({years}), not over one calendar year: not compared with "
        f"flows over {year}"
    )


def _is_mid_year(row: pd.Series) -> bool:
    end = row["period_end"]
    return bool(row["period_start"] == end and (end.month, end.day) != (12, 31))


def _period_label(row: pd.Series) -> str:
    """Name the period, and say whether a stock is dated within a year, not at its end."""
    text = _period_text(row["period_start"], row["period_end"])
    return f"{text}, a mid-year stock" if _is_mid_year(row) else text


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
    """``1 year before 2021``; a gap of part of a year is counted from the end of the year."""
    side = "before" if gap < 0 else "after"
    whole = abs(gap - round(gap)) < 1e-6
    target = str(year) if whole else f"the end of {year}"
    return f"{_years_text(abs(gap))} {side} {target}"


def _years_text(years: float) -> str:
    return "1 year" if abs(years - 1) < _EPS else f"{round(years, 2):g} years"
