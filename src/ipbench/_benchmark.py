"""Regions side by side: ranks, indices, normalised scores and distance to the frontier."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._errors import BenchmarkError, OptionError
from ipbench._load import OBSERVATION_COLUMNS, UserTable
from ipbench._options import check_option
from ipbench._periods import end_position, indicator_timing, is_whole_years, start_position
from ipbench._validated import catalog_for, checked_derived, is_current, stamp, validated
from ipbench._vocabulary import LEVEL_QUALIFIERS

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
#: Columns of observations that benchmark reads.
_READ_COLUMNS = (
    "adcode",
    "indicator",
    "period_start",
    "period_end",
    "value",
    "qualifier",
    "value_high",
    "unit",
    "source",
    "evidence",
)


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
    check_option("status", status, ("actual", "target"))
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
    if not wanted:
        raise BenchmarkError("`indicator` names no indicator: give an id or a list of ids")
    unknown = sorted(set(wanted) - set(ctx.kind_of.index))
    if unknown:
        raise BenchmarkError(f"unknown indicator(s) {unknown}: not in the catalog")
    rows = _candidates(obs, wanted, status, ctx)
    absent = sorted(set(wanted) - set(rows["indicator"].unique()))
    if absent:
        raise BenchmarkError(
            f"no {status} level of {absent} in the observations; check the indicator id and status"
        )
    return stamp(_benchmark_all(_Candidates.of(rows, ctx), settings, ctx), ctx, "result")


def _check_arguments(
    year: object,
    max_year_gap: object,
    minmax_range: tuple[float, float],
    goalposts: tuple[float, float] | None,
) -> None:
    if year != "latest" and (isinstance(year, bool) or not isinstance(year, int | np.integer)):
        raise OptionError(f"year must be a year such as 2021, or 'latest'; got {year!r}")
    if (
        isinstance(max_year_gap, bool)
        or not isinstance(max_year_gap, int | np.integer)
        or max_year_gap < 0
    ):
        raise OptionError(
            f"max_year_gap must be a whole number of years, 0 or more; got {max_year_gap!r}"
        )
    low, high = (float(end) for end in minmax_range)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise OptionError(
            f"minmax_range must run from a lower to a higher finite end; got ({low:g}, {high:g})"
        )
    if goalposts is not None:
        low, high = (float(end) for end in goalposts)
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise OptionError(
                f"goalposts must rise: the low goalpost {low:g} must be below the high "
                f"goalpost {high:g}, both finite"
            )


def _named_levels(level: str | Sequence[str]) -> tuple[str, ...]:
    names = [level] if isinstance(level, str) else list(level)
    if "country" in names:
        raise OptionError(
            "level='country': the country is a reference, not a peer; index to it with "
            "reference='100000'"
        )
    wrong = [name for name in names if name not in NAMEABLE_LEVELS]
    if wrong or not names:
        raise OptionError(f"level must be one or more of {list(NAMEABLE_LEVELS)}; got {level!r}")
    return tuple(dict.fromkeys(names))


def _observations(obs: pd.DataFrame, ctx: Catalog) -> tuple[pd.DataFrame, Catalog]:
    """Observations, or derived observations (rates from :func:`per_capita`), checked once.

    Plain observations come back as they are (their ``method``, ``sources`` and
    ``reason`` are added to the few rows compared, in :func:`_candidates`).
    """
    if not any(column in obs.columns for column in _DERIVED_COLUMNS):
        return validated(obs, ctx)
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
    """Select the level rows of the wanted indicators, with what a derived row says of itself."""
    wanted_rows = (
        obs["indicator"].isin(wanted) & (obs["measure"] == "level") & (obs["status"] == status)
    )
    columns = [column for column in (*_READ_COLUMNS, *_DERIVED_COLUMNS) if column in obs.columns]
    rows = obs.loc[wanted_rows, columns]
    # the catalog stamp is not needed here, and pandas copies attrs after every operation
    rows.attrs = {}
    return rows


#: Largest table of flags (one a possible key) worth allocating to find distinct keys.
_MAX_FLAGS = 1 << 25


def _distinct_keys(keys: np.ndarray, size: int) -> np.ndarray:
    """Sorted distinct values of ``keys`` (whole numbers from 0 to ``size`` - 1).

    A table of flags is far faster than sorting (or numpy's hashing) when the
    keys are few enough; a sort otherwise.
    """
    if size <= _MAX_FLAGS:
        seen = np.zeros(size, dtype="bool")
        seen[keys] = True
        distinct: np.ndarray = np.flatnonzero(seen)
        return distinct
    ordered: np.ndarray = np.sort(keys)
    return np.asarray(ordered[np.append(True, ordered[1:] != ordered[:-1])])


def _distinct(columns: dict[str, object]) -> tuple[np.ndarray, np.ndarray]:
    """Give each row the number of its combination of ``columns``, and one row of each.

    Texts are written once per distinct combination (of periods, of levels),
    not once per row: a national table repeats a few combinations many times.
    """
    keys = pd.DataFrame(columns)
    codes = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = np.unique(codes, return_index=True)[1]
    return codes, first


@dataclass(frozen=True)
class _Candidates:
    """The candidate rows of every indicator, as arrays (one entry a row) and their codes.

    Indicators and adcodes are numbered in sorted order, so one sort on the
    numbers orders the rows as sorting the text would; periods, levels and
    timings are worked out once per distinct value.
    """

    frame: pd.DataFrame
    names: list[str]  # indicator ids, sorted
    indicator: np.ndarray  # index into names
    adcodes: np.ndarray  # adcodes, sorted (object)
    adcode: np.ndarray  # index into adcodes
    levels: np.ndarray  # level names (object); "" for a region not in the regions table
    level: np.ndarray  # index into levels
    region_level: np.ndarray  # index into levels, per adcode
    starts: pd.DatetimeIndex  # per distinct period
    ends: pd.DatetimeIndex
    period: np.ndarray  # index into starts/ends
    position: np.ndarray  # decimal year at the end of the period
    window: np.ndarray  # years the period spans, to 0.1
    timings: np.ndarray  # "stock", "flow" or "other", per indicator
    fits: np.ndarray  # a figure for one year: a stock at a date, a flow over one calendar year
    scorable: np.ndarray  # a level (eq or approx) with a value
    reported: np.ndarray  # reported, not derived
    published: np.ndarray  # publication date as int64 nanoseconds (0 when unknown)
    unpublished: np.ndarray  # publication date unknown
    value: np.ndarray

    @classmethod
    def of(cls, rows: pd.DataFrame, ctx: Catalog) -> _Candidates:
        indicator, names = pd.factorize(rows["indicator"], sort=True)
        adcode, adcodes = pd.factorize(rows["adcode"], sort=True)
        region_levels = (
            pd.Series(np.asarray(adcodes, dtype="object")).map(ctx.level_of).fillna("")
        ).astype("str")
        region_level, levels = pd.factorize(region_levels)
        period, first = _distinct(
            {"period_start": rows["period_start"], "period_end": rows["period_end"]}
        )
        start = rows["period_start"].iloc[first].reset_index(drop=True)
        end = rows["period_end"].iloc[first].reset_index(drop=True)
        window = (end_position(end) - start_position(start)).where(start < end, 0.0).round(1)
        instant = (start == end).to_numpy()[period]
        one_year = (is_whole_years(start, end) & (start.dt.year == end.dt.year)).to_numpy()[period]
        timings = indicator_timing(pd.Series(np.asarray(names, dtype="object")), ctx.indicators)
        timings_array = timings.astype("str").to_numpy(dtype="object")
        timing = timings_array[indicator]
        # "a figure for year Y": a stock at a date, a flow over one calendar year; a share or
        # other figure may be either
        fits = np.where(
            timing == "stock", instant, np.where(timing == "flow", one_year, instant | one_year)
        )
        source, sources = pd.factorize(rows["source"])
        published = (
            pd.Series(np.asarray(sources, dtype="object"))
            .map(ctx.sources.set_index("source")["published"])
            .astype("datetime64[ns]")
            .to_numpy()[source]
        )
        unpublished = np.isnat(published)
        value = rows["value"].to_numpy(dtype="float64")
        return cls(
            frame=rows,
            names=[str(name) for name in names],
            indicator=indicator,
            adcodes=np.asarray(adcodes, dtype="object"),
            adcode=adcode,
            levels=np.asarray(levels, dtype="object"),
            level=region_level[adcode],
            region_level=region_level,
            starts=pd.DatetimeIndex(start),
            ends=pd.DatetimeIndex(end),
            period=period,
            position=end_position(end).to_numpy()[period],
            window=window.to_numpy()[period],
            timings=timings_array,
            fits=fits.astype("bool"),
            scorable=(rows["qualifier"].isin(LEVEL_QUALIFIERS) & rows["value"].notna()).to_numpy(),
            reported=(
                (rows["method"] == "").to_numpy(dtype="bool")
                if "method" in rows.columns
                else np.ones(len(rows), dtype="bool")
            ),
            published=np.where(unpublished, 0, published.view("int64")),
            unpublished=unpublished,
            value=value,
        )

    def rows_of(self, number: int) -> np.ndarray:
        """Positions of the rows of one indicator, in their order in the observations."""
        return np.flatnonzero(self.indicator == number)

    def regions_in_order(self, number: int) -> list[tuple[str, str]]:
        """Adcode and level of each region of one indicator, in order of first appearance."""
        rows = self.rows_of(number)
        first = np.sort(np.unique(self.adcode[rows], return_index=True)[1])
        return [
            (str(self.adcodes[code]), str(self.levels[self.level[code_row]]))
            for code, code_row in zip(self.adcode[rows[first]], rows[first], strict=True)
        ]


@dataclass
class _Plan:
    """Per indicator (by number): the peer levels, the year and why nothing is scored."""

    peers: list[tuple[str, ...]]
    year: np.ndarray
    refusal: list[str]  # "" unless the indicator has nothing to score
    level_refused: np.ndarray  # refused while choosing the peer level


def _benchmark_all(cand: _Candidates, settings: _Settings, ctx: Catalog) -> pd.DataFrame:
    """Score every indicator at once: one sort, statistics per indicator, texts per distinct case.

    An indicator without a comparable peer keeps its rows, unscored, each with
    its reason; the call fails only if no indicator has anything to score.
    """
    if not cand.names:
        raise BenchmarkError("")  # no indicator asked for: nothing to say
    plan = _plan(cand, settings)
    is_peer = _peer_matrix(cand, plan.peers)[cand.indicator, cand.level]
    _choose_years(cand, is_peer, plan, settings)
    chosen, gap = _choose(cand, plan.year, settings.max_year_gap)
    picked = _Chosen.of(cand, chosen, gap, is_peer, settings.max_year_gap)
    refused = np.array([bool(text) for text in plan.refusal]) | (
        np.bincount(picked.indicator[picked.scored], minlength=len(cand.names)) == 0
    )
    picked.scored &= ~refused[picked.indicator]
    _refuse_wrong_peer_sets(cand, picked, plan, refused, settings, ctx)
    frame = _frame(cand, picked, plan, refused, settings, ctx)
    if refused.all():
        raise BenchmarkError(
            "; ".join(
                plan.refusal[number]
                or _nothing_to_score(frame, cand.names[number], plan, number, settings)
                for number in range(len(cand.names))
            )
        )
    return frame


def _plan(cand: _Candidates, settings: _Settings) -> _Plan:
    """Choose the peer level of each indicator: most regions with a figure; a city wins a tie."""
    count = len(cand.names)
    plan = _Plan(
        peers=[settings.levels or PEER_LEVELS] * count,
        year=np.zeros(count, dtype="int64"),
        refusal=[""] * count,
        level_refused=np.zeros(count, dtype="bool"),
    )
    if settings.levels is not None:
        return plan
    width = len(cand.adcodes)
    present = _distinct_keys(cand.indicator.astype("int64") * width + cand.adcode, count * width)
    indicator_of, level_of = present // width, cand.region_level[present % width]
    counts = {
        lv: np.bincount(
            indicator_of[level_of == list(cand.levels).index(lv)]
            if lv in list(cand.levels)
            else np.zeros(0, dtype="int64"),
            minlength=count,
        )
        for lv in PEER_LEVELS
    }
    for number, name in enumerate(cand.names):
        most = max(int(counts[lv][number]) for lv in PEER_LEVELS)
        if most:
            plan.peers[number] = (next(lv for lv in PEER_LEVELS if counts[lv][number] == most),)
            continue
        listing = ", ".join(
            f"{code} ({lv or 'not in the regions table'})"
            for code, lv in cand.regions_in_order(number)[:10]
        )
        plan.level_refused[number] = True
        plan.refusal[number] = (
            f"no city or district has a figure of {name} ({listing}): the country and the "
            "provinces are references, not peers. Pass level='province' to compare provinces "
            "with each other."
        )
    return plan


def _peer_matrix(cand: _Candidates, peers: list[tuple[str, ...]]) -> np.ndarray:
    """Whether each level (column) is a peer level of each indicator (row)."""
    matrix = np.zeros((len(cand.names), len(cand.levels)), dtype="bool")
    for number, levels in enumerate(peers):
        matrix[number] = np.isin(cand.levels, levels)
    return matrix


def _choose_years(cand: _Candidates, is_peer: np.ndarray, plan: _Plan, settings: _Settings) -> None:
    """Set each indicator's year: the one asked for, else the latest most peers have."""
    if settings.year != "latest":
        plan.year[:] = int(settings.year)
        return
    end_year = cand.ends.year.to_numpy()[cand.period]
    plan.year[:] = pd.Series(end_year).groupby(cand.indicator).max().to_numpy()
    usable = is_peer & cand.scorable & cand.fits & ~plan.level_refused[cand.indicator]
    latest = _latest_years(cand, usable, settings.max_year_gap)
    peer_rows = np.bincount(cand.indicator[is_peer], minlength=len(cand.names))
    for number, name in enumerate(cand.names):
        if plan.level_refused[number]:
            continue
        if number in latest:
            plan.year[number] = latest[number]
            continue
        plan.refusal[number] = (
            f"no peer has a level of {name} at a year end or over one calendar year "
            f"({peer_rows[number]} figures: bounds, totals over several years or part of one, "
            "or other dates); pass year=... and max_year_gap=... to compare stocks of other dates"
        )


def _latest_years(cand: _Candidates, usable: np.ndarray, tolerance: int) -> dict[int, int]:
    """Find, per indicator, the latest year the most peers have a level for."""
    position = cand.position[usable]
    indicator = cand.indicator[usable].astype("int64")
    adcode = cand.adcode[usable].astype("int64")
    at_year_end = np.abs(position - np.round(position)) < _EPS
    if not at_year_end.any():
        return {}
    # each level covers the years within the tolerance of its date; count regions per year
    low = np.ceil(position - 1 - tolerance - _EPS).astype("int64")
    high = np.floor(position - 1 + tolerance + _EPS).astype("int64")
    first, span = int(low.min()), int(high.max() - low.min()) + 1
    width, count = len(cand.adcodes), len(cand.names)
    region = indicator * width + adcode
    covered = _distinct_keys(
        np.concatenate(
            [
                (region * span + (low + step - first))[low + step <= high]
                for step in range(2 * tolerance + 1)
            ]
        ),
        count * width * span,
    )
    coverage = np.bincount((covered // span // width) * span + covered % span)
    year_end = np.round(position[at_year_end]).astype("int64") - 1
    candidates = _distinct_keys(indicator[at_year_end] * span + (year_end - first), count * span)
    regions = coverage[candidates]
    # the most regions, then the latest year: the last candidate of each indicator
    order = np.lexsort((candidates % span, regions, candidates // span))
    best = candidates[order]
    last = np.append(best[1:] // span != best[:-1] // span, True)
    return {int(key // span): int(key % span) + first for key in best[last]}


def _choose(cand: _Candidates, year: np.ndarray, tolerance: int) -> tuple[np.ndarray, np.ndarray]:
    """One figure a region: usable for the year, a level, nearest, earlier, reported, latest.

    Returns the positions of the rows chosen, by indicator then adcode, and
    every row's gap to its indicator's year.
    """
    gap = cand.position - (year[cand.indicator] + 1)
    distance = np.abs(gap)
    excluded = (distance > tolerance + _EPS) | ~cand.fits
    region = cand.indicator.astype("int64") * len(cand.adcodes) + cand.adcode
    # by region; usable before excluded, a level before a bound; nearest, earlier; reported
    # before derived; the latest publication, an unknown one last
    order = np.lexsort(
        (
            -cand.published,
            (~cand.reported).astype("int8") * 2 + cand.unpublished,
            gap,
            np.round(distance, 6),
            excluded.astype("int8") * 2 + ~cand.scorable,
            region,
        )
    )
    first = np.append(True, region[order][1:] != region[order][:-1])
    return order[first], gap


@dataclass
class _Chosen:
    """The row chosen for each region of each indicator, by indicator then adcode."""

    rows: np.ndarray  # positions in the candidates
    indicator: np.ndarray
    gap: np.ndarray
    is_peer: np.ndarray
    scored: np.ndarray
    bounds: np.ndarray  # start of each indicator's rows (and the end of the last)
    qualifier: np.ndarray
    value_high: np.ndarray
    reason: np.ndarray

    @classmethod
    def of(
        cls,
        cand: _Candidates,
        rows: np.ndarray,
        gap: np.ndarray,
        is_peer: np.ndarray,
        tolerance: int,
    ) -> _Chosen:
        within = np.abs(gap[rows]) <= tolerance + _EPS
        indicator = cand.indicator[rows]
        return cls(
            rows=rows,
            indicator=indicator,
            gap=gap[rows],
            is_peer=is_peer[rows],
            scored=is_peer[rows] & within & cand.scorable[rows] & cand.fits[rows],
            bounds=np.searchsorted(indicator, np.arange(len(cand.names) + 1)),
            qualifier=cand.frame["qualifier"].iloc[rows].astype("str").to_numpy(dtype="object"),
            value_high=cand.frame["value_high"].iloc[rows].to_numpy(dtype="float64"),
            reason=(
                cand.frame["reason"].iloc[rows].astype("str").to_numpy(dtype="object")
                if "reason" in cand.frame.columns
                else np.full(len(rows), "", dtype="object")
            ),
        )

    def scored_of(self, number: int) -> np.ndarray:
        """Positions (among the chosen) of the scored rows of one indicator, by adcode."""
        low, high = int(self.bounds[number]), int(self.bounds[number + 1])
        positions: np.ndarray = np.flatnonzero(self.scored[low:high]) + low
        return positions


def _refuse_wrong_peer_sets(
    cand: _Candidates,
    picked: _Chosen,
    plan: _Plan,
    refused: np.ndarray,
    settings: _Settings,
    ctx: Catalog,
) -> None:
    """Refuse, indicator by indicator, counts of several levels and a region with its parent."""
    for number, name in enumerate(cand.names):
        peers = plan.peers[number]
        if not plan.level_refused[number]:
            if len(peers) > 1 and ctx.kind_of[name] in ("stock", "flow"):
                listing = ", ".join(f"{code} ({lv})" for code, lv in cand.regions_in_order(number))
                raise BenchmarkError(
                    f"{name} is an absolute count, and level={list(peers)} mixes administrative "
                    f"levels ({listing}): a district is part of its city, so their counts are "
                    "not peers. Compare rates instead (ipbench.per_capita), or one level."
                )
            _refuse_count_reference(peers, settings, name, ctx)
        if not refused[number]:
            codes = cand.adcodes[cand.adcode[picked.rows[picked.scored_of(number)]]]
            _refuse_parent_and_child([str(code) for code in codes], peers, name, ctx)


@dataclass
class _Scores:
    """Scores of the scored rows (NaN elsewhere), one entry per chosen row."""

    rank: np.ndarray
    percentile: np.ndarray
    index: np.ndarray
    minmax: np.ndarray
    zscore: np.ndarray
    distance: np.ndarray
    distance_pct: np.ndarray
    ref_value: np.ndarray
    ref_period: np.ndarray
    ref_text: np.ndarray
    note: np.ndarray
    stats: _PeerStatistics


@dataclass
class _PeerStatistics:
    """Count, mean, std, min, max, frontier per indicator, and the rank of each scored row."""

    n: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    low: np.ndarray
    high: np.ndarray
    frontier: np.ndarray
    rank: np.ndarray  # per chosen row

    @classmethod
    def of(cls, value: np.ndarray, picked: _Chosen, higher: np.ndarray) -> _PeerStatistics:
        count = len(higher)
        stats = cls(
            n=np.zeros(count, dtype="int64"),
            mean=np.full(count, np.nan),
            std=np.full(count, np.nan),
            low=np.full(count, np.nan),
            high=np.full(count, np.nan),
            frontier=np.full(count, np.nan),
            rank=_ranks(value * np.where(higher, 1.0, -1.0)[picked.indicator], picked),
        )
        for number in range(count):
            scored = picked.scored_of(number)
            if not len(scored):
                continue
            # one peer set per indicator, with the arithmetic of pandas on the same values
            peers = pd.Series(value[scored])
            oriented = peers * (1.0 if higher[number] else -1.0)
            stats.n[number] = len(peers)
            stats.mean[number] = peers.mean()
            stats.std[number] = peers.std() if len(peers) > 1 else np.nan
            stats.low[number], stats.high[number] = peers.min(), peers.max()
            stats.frontier[number] = peers.to_numpy()[oriented.to_numpy().argmax()]
        return stats


def _ranks(oriented: np.ndarray, picked: _Chosen) -> np.ndarray:
    """Rank the scored rows of each indicator, 1 the best; equal values share the lowest rank."""
    rank = np.full(len(oriented), np.nan)
    scored = np.flatnonzero(picked.scored)
    order = scored[np.lexsort((-oriented[scored], picked.indicator[scored]))]
    value, group = oriented[order], picked.indicator[order]
    position = np.arange(len(order))
    new_group = np.append(True, group[1:] != group[:-1])
    new_value = new_group | np.append(True, value[1:] != value[:-1])
    group_start = np.maximum.accumulate(np.where(new_group, position, 0))
    value_start = np.maximum.accumulate(np.where(new_value, position, 0))
    rank[order] = value_start - group_start + 1
    return rank


def _scores(
    cand: _Candidates,
    picked: _Chosen,
    plan: _Plan,
    settings: _Settings,
    ctx: Catalog,
) -> _Scores:
    value = cand.value[picked.rows]
    higher = np.array([bool(ctx.higher_is_better.get(name, True)) for name in cand.names])
    stats = _PeerStatistics.of(value, picked, higher)
    scored, number = picked.scored, picked.indicator
    reference = _reference(cand, picked, plan, settings)
    if reference is None:
        ref_value = np.where(scored, stats.mean[number], np.nan)
        peer_mean = [f"peer mean {mean:.6g} = 100" for mean in stats.mean]
        ref_text = np.where(scored, np.array(peer_mean, dtype="object")[number], "")
        ref_period = np.full(len(value), np.datetime64("NaT"), dtype="datetime64[ns]")
        ref_note = np.array(
            [
                f"the peer mean {mean:.6g} is not positive: no index" if not mean > 0 else ""
                for mean in stats.mean
            ],
            dtype="object",
        )[number]
    else:
        ref_value, ref_period, ref_text, ref_note = reference
    sign = np.where(higher, 1.0, -1.0)[number]
    mean, std, n = stats.mean[number], stats.std[number], stats.n[number]
    frontier = stats.frontier[number]
    if settings.goalposts is None:
        low, high = stats.low[number], stats.high[number]
    else:
        low = np.full(len(value), np.float64(settings.goalposts[0]))
        high = np.full(len(value), np.float64(settings.goalposts[1]))
    # a ratio to a subnormal number overflows a float: such a score is no number (NaN), never inf
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        index = np.where(ref_value > 0, value / ref_value * 100, np.nan)
        share = np.where(high > low, np.clip((value - low) / (high - low), 0, 1), np.nan)
        share = np.where(higher[number], share, 1 - share)
        bottom, top = settings.minmax_range
        minmax = bottom + share * (top - bottom)
        zscore = np.where(std > 0, (value - mean) / std * sign, np.nan)
        distance = np.abs(frontier - value)
        distance_pct = np.where(frontier != 0, distance / np.abs(frontier) * 100, np.nan)
        percentile = np.where(n > 1, (n - stats.rank) / (n - 1) * 100, np.nan)
    unscored = ~scored

    def blank(values: np.ndarray) -> np.ndarray:
        return np.where(unscored | ~np.isfinite(values), np.nan, values)

    return _Scores(
        rank=stats.rank,
        percentile=blank(percentile),
        index=blank(index),
        minmax=blank(minmax),
        zscore=blank(zscore),
        distance=blank(distance),
        distance_pct=blank(distance_pct),
        ref_value=blank(ref_value),
        ref_period=np.where(unscored, np.datetime64("NaT"), ref_period).astype("datetime64[ns]"),
        ref_text=np.where(unscored, "", ref_text).astype("object"),
        note=_scored_notes(cand, picked, plan, stats, ref_note, settings.max_year_gap),
        stats=stats,
    )


def _reference(
    cand: _Candidates, picked: _Chosen, plan: _Plan, settings: _Settings
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Find the reference's figure for each scored row's own period, or say why there is none.

    Returns, per chosen row, the value (NaN when there is no usable figure),
    its period end, the text saying what 100 is, and the note saying why
    there is no index.
    """
    code = settings.reference
    if code is None:
        return None
    found = np.flatnonzero(cand.adcodes == code)
    own = np.flatnonzero(cand.adcode == found[0]) if len(found) else np.zeros(0, dtype="int64")
    # the reference's own figure of each period: a level first, reported, latest published;
    # the same period is the same start and end (a stock at the same date; a flow over the
    # same window, so a multi-year total never meets a one-year figure)
    own = own[
        np.lexsort(
            (
                -cand.published[own],
                cand.unpublished[own],
                ~cand.reported[own],
                ~cand.scorable[own],
                cand.indicator[own],
            )
        )
    ]
    first_of_period: dict[tuple[int, int], int] = {}
    for row in own:
        first_of_period.setdefault((int(cand.indicator[row]), int(cand.period[row])), int(row))
    scored = np.flatnonzero(picked.scored)
    keys = (
        picked.indicator[scored].astype("int64") * len(cand.starts)
        + cand.period[picked.rows[scored]]
    )
    distinct, inverse = np.unique(keys, return_inverse=True)
    found_value, found_end, found_text, found_note = [], [], [], []
    nearest: dict[int, str] = {}
    for key in distinct:
        number, period = divmod(int(key), len(cand.starts))
        period_text = _period_text(cand.starts[period], cand.ends[period])
        match = first_of_period.get((number, period))
        usable = match is not None and bool(cand.scorable[match])
        matched_value = np.nan if match is None else float(cand.value[match])
        found_value.append(matched_value if usable else np.nan)
        found_end.append(cand.ends[period].to_datetime64() if usable else np.datetime64("NaT"))
        found_text.append(
            f"{code} {period_text} = 100" if usable else f"{code}: no level for {period_text}"
        )
        if match is None:
            if number not in nearest:
                nearest[number] = _nearest_periods(cand, picked, own, number)
            absent = f"the reference {code} has no {settings.status} level of {cand.names[number]}"
            has = nearest[number]
            found_note.append(
                f"{absent} for {period_text} (its figures: {has}): no index"
                if has
                else absent + ": no index"
            )
        elif not usable:
            bound = _value_text(
                matched_value,
                str(cand.frame["qualifier"].to_numpy()[match]),
                float(cand.frame["value_high"].to_numpy(dtype="float64")[match]),
            )
            found_note.append(
                f"the reference {code} has {bound} for {period_text}, not a level: no index"
            )
        elif not matched_value > 0:
            found_note.append(
                f"the reference {code} is {matched_value:g} for {period_text}, not positive: "
                "no index"
            )
        else:
            found_note.append("")
    count = len(picked.rows)
    value = np.full(count, np.nan)
    value[scored] = np.array(found_value, dtype="float64")[inverse]
    period_end = np.full(count, np.datetime64("NaT"), dtype="datetime64[ns]")
    period_end[scored] = np.array(found_end, dtype="datetime64[ns]")[inverse]
    text = np.full(count, "", dtype="object")
    text[scored] = np.array(found_text, dtype="object")[inverse]
    note = np.full(count, "", dtype="object")
    note[scored] = np.array(found_note, dtype="object")[inverse]
    return value, period_end, text, note


def _nearest_periods(cand: _Candidates, picked: _Chosen, own: np.ndarray, number: int) -> str:
    """Name the reference's (up to three) periods nearest the scored rows of one indicator."""
    mine = own[cand.indicator[own] == number]
    seen: set[int] = set()
    kept = []
    for position in mine:
        if int(cand.period[position]) not in seen:
            seen.add(int(cand.period[position]))
            kept.append(position)
    mine = np.array(kept, dtype="int64")
    center = pd.Series(cand.position[picked.rows[picked.scored_of(number)]]).mean()
    nearest = pd.DataFrame({"_d": np.abs(cand.position[mine] - center)}).sort_values("_d")
    return ", ".join(
        _period_text(cand.starts[cand.period[position]], cand.ends[cand.period[position]])
        for position in mine[nearest.index.to_numpy()[:3]]
    )


def _texts(at: np.ndarray, keys: np.ndarray, make: Callable[[int], str]) -> np.ndarray:
    """Text for each of the rows ``at``, made once per distinct key from its first row."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    made = np.array([make(int(row)) for row in at[first]], dtype="object")
    return made[inverse.reshape(-1)]


def _scored_notes(
    cand: _Candidates,
    picked: _Chosen,
    plan: _Plan,
    stats: _PeerStatistics,
    ref_note: np.ndarray,
    tolerance: int,
) -> np.ndarray:
    """Say what a scored row's figures need; one text per indicator, period and qualifier."""
    note = np.full(len(picked.rows), "", dtype="object")
    scored = np.flatnonzero(picked.scored)
    approx = picked.qualifier == "approx"

    def make(row: int) -> str:
        number, period = int(picked.indicator[row]), int(cand.period[picked.rows[row]])
        gap = float(picked.gap[row])
        parts = [
            f"{_period_label(cand.starts[period], cand.ends[period])}: "
            f"{_gap_text(gap, int(plan.year[number]))} (max_year_gap={tolerance})"
            if abs(gap) > _EPS
            else "",
            "about (approx): scored as a level" if approx[row] else "",
            "a single region: no percentile, z-score or range" if stats.n[number] == 1 else "",
            "all regions equal: no z-score"
            if stats.n[number] > 1 and stats.std[number] == 0
            else "",
            str(ref_note[row]),
            "the frontier is 0: no distance in percent" if stats.frontier[number] == 0 else "",
        ]
        return "; ".join(part for part in parts if part)

    keys = (
        picked.indicator[scored].astype("int64") * len(cand.starts)
        + cand.period[picked.rows[scored]]
    ) * 2 + approx[scored]
    note[scored] = _texts(scored, keys, make)
    return note


def _left_out_reasons(
    cand: _Candidates, picked: _Chosen, plan: _Plan, stats: _PeerStatistics, tolerance: int
) -> np.ndarray:
    """Why each row is not scored ("" for a row that is)."""
    rows = picked.rows
    reason = np.full(len(rows), "", dtype="object")
    level = cand.levels[cand.level[rows]]
    missing = np.isnan(cand.value[rows])
    not_peer = ~picked.is_peer
    # the first that applies is the reason
    kind = np.select(
        [
            level == "",
            np.isin(level, ["country", "province"]) & not_peer,
            not_peer,
            missing,
            ~cand.fits[rows],
            np.abs(picked.gap) > tolerance + _EPS,
            ~cand.scorable[rows] & ~missing,
        ],
        ["unknown", "reference", "not_peer", "missing", "unfit", "outside", "bound"],
        "",
    )
    kind[picked.scored] = ""
    indicator = picked.indicator.astype("int64")
    periods = indicator * len(cand.starts) + cand.period[rows]

    def period_text(make: Callable[..., str]) -> Callable[[int], str]:
        def text(row: int) -> str:
            number, period = int(picked.indicator[row]), int(cand.period[rows[row]])
            return make(
                cand.starts[period],
                cand.ends[period],
                str(cand.timings[number]),
                int(plan.year[number]),
                row,
            )

        return text

    def level_text(row: int) -> str:
        words = " and ".join(_PLURAL[p] for p in plan.peers[int(picked.indicator[row])])
        if kind[row] == "reference":
            return f"a {level[row]}: a reference, not a peer of the {words}"
        return f"a {level[row]}, not a peer of the {words}"

    def bound_text(row: int) -> str:
        number = int(picked.indicator[row])
        value = float(cand.value[rows[row]])
        qualifier = str(picked.qualifier[row])
        beyond = _beyond(qualifier, value, stats.high[number], stats.low[number])
        bound = _value_text(value, qualifier, float(picked.value_high[row]))
        return f"a bound ({bound}), not a level: not scored{beyond}"

    at = np.flatnonzero(kind == "unknown")
    reason[at] = "not in the regions table: its administrative level is unknown"
    at = np.flatnonzero((kind == "reference") | (kind == "not_peer"))
    reason[at] = _texts(
        at,
        (indicator[at] * len(cand.levels) + cand.level[rows[at]]) * 2 + (kind[at] == "not_peer"),
        level_text,
    )
    at = np.flatnonzero(kind == "missing")
    reason[at] = ["no value: " + str(text) for text in picked.reason[at]]
    at = np.flatnonzero(kind == "unfit")
    reason[at] = _texts(
        at,
        periods[at],
        period_text(lambda s, e, t, y, row: _unfit_text(s, e, t, float(cand.window[rows[row]]), y)),
    )
    at = np.flatnonzero(kind == "outside")
    reason[at] = _texts(
        at,
        periods[at],
        period_text(
            lambda s, e, t, y, row: _outside_text(s, e, t, float(picked.gap[row]), y, tolerance)
        ),
    )
    at = np.flatnonzero(kind == "bound")
    keys, _ = _distinct(
        {
            "indicator": indicator[at],
            "qualifier": picked.qualifier[at],
            "value": cand.value[rows[at]],
            "value_high": picked.value_high[at],
        }
    )
    reason[at] = _texts(at, keys, bound_text)
    return reason


def _frame(
    cand: _Candidates,
    picked: _Chosen,
    plan: _Plan,
    refused: np.ndarray,
    settings: _Settings,
    ctx: Catalog,
) -> pd.DataFrame:
    """Assemble the result: per indicator, scored rows by rank, then the rows left out."""
    scores = _scores(cand, picked, plan, settings, ctx)
    rows, number = picked.rows, picked.indicator
    scored = picked.scored
    note = np.where(
        scored,
        scores.note,
        _left_out_reasons(cand, picked, plan, scores.stats, settings.max_year_gap),
    )
    adcode = cand.adcodes[cand.adcode[rows]]
    if settings.reference is not None:
        is_reference = (adcode == settings.reference) & ~refused[number]
        note[is_reference] = [
            _joined(
                text, "the reference: each row is indexed to its figure of the row's own period"
            )
            for text in note[is_reference]
        ]
    # one order for the result: by indicator, scored rows first by rank, then by adcode
    order = np.lexsort((cand.adcode[rows], np.where(scored, scores.rank, np.inf), ~scored, number))
    rows, number, scored = rows[order], number[order], scored[order]
    taken = cand.frame.iloc[rows].reset_index(drop=True)
    if "method" not in taken.columns:
        taken = taken.assign(method="", sources=taken["source"], reason="")
    regions = ctx.regions.set_index("adcode")
    names = pd.Series(cand.adcodes)
    higher = np.array([bool(ctx.higher_is_better.get(name, True)) for name in cand.names])

    def text(values: np.ndarray | pd.Series) -> pd.Series:
        return pd.Series(values).astype("str")

    return pd.DataFrame(
        {
            "adcode": text(taken["adcode"]),
            "name_zh": text(names.map(regions["name_zh"]).fillna("").to_numpy()[cand.adcode[rows]]),
            "name_en": text(names.map(regions["name_en"]).fillna("").to_numpy()[cand.adcode[rows]]),
            "level": text(cand.levels[cand.level[rows]]),
            "indicator": text(np.array(cand.names, dtype="object")[number]),
            "benchmark_year": plan.year[number].astype("int64"),
            "period_start": taken["period_start"],
            "period_end": taken["period_end"],
            "year_gap": np.round(picked.gap[order], 2).astype("float64"),
            "value": taken["value"].astype("float64"),
            "qualifier": text(taken["qualifier"]),
            "value_high": taken["value_high"].astype("float64"),
            "unit": text(taken["unit"]),
            "scored": scored.astype("bool"),
            "rank": pd.Series(scores.rank[order], dtype="Int64"),
            "percentile_rank": scores.percentile[order],
            "index": scores.index[order],
            "minmax": scores.minmax[order],
            "zscore": scores.zscore[order],
            "distance_to_frontier": scores.distance[order],
            "distance_to_frontier_pct": scores.distance_pct[order],
            "reference": text(scores.ref_text[order]),
            "reference_value": scores.ref_value[order],
            "reference_period_end": scores.ref_period[order],
            "higher_is_better": higher[number],
            "note": text(note[order]),
            "method": text(taken["method"]),
            "source": text(taken["source"]),
            "sources": text(taken["sources"]),
            "evidence": text(taken["evidence"]),
        }
    )


def _nothing_to_score(
    frame: pd.DataFrame, name: str, plan: _Plan, number: int, settings: _Settings
) -> str:
    """Say why no region of one indicator is scored, naming the regions (peers first)."""
    peers, year = plan.peers[number], int(plan.year[number])
    rows = frame[frame["indicator"] == name]
    # the regions of the peer level first: theirs is the reason that matters
    ordered = rows.sort_values("level", key=lambda lv: ~lv.isin(peers), kind="stable")
    named = [
        f"{name_en or name_zh} {adcode}: {note}"
        for name_en, name_zh, adcode, note in ordered[
            ["name_en", "name_zh", "adcode", "note"]
        ].to_numpy()[:10]
    ]
    return (
        f"nothing to score for {name} in {year}: no {' or '.join(peers)} has a level "
        f"of it for {year} within max_year_gap={settings.max_year_gap}; " + "; ".join(named)
    )


def _refuse_parent_and_child(
    codes: list[str], peers: tuple[str, ...], name: str, ctx: Catalog
) -> None:
    """Refuse a peer set that holds a region together with its parent or child."""
    if len(peers) < 2:
        return  # regions of one level are never each other's parent or child
    present = set(codes)
    pairs = [
        (ancestor, code)
        for code in sorted(present)
        for ancestor in _ancestors(code, ctx.parent_of)
        if ancestor in present
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


def _ancestors(code: str, parent_of: pd.Series) -> list[str]:
    chain: list[str] = []
    current = parent_of.get(code)
    while isinstance(current, str) and current not in chain and current != code:
        chain.append(current)
        current = parent_of.get(current)
    return chain


def _outside_text(
    start: pd.Timestamp, end: pd.Timestamp, timing: str, gap: float, year: int, tolerance: int
) -> str:
    """Why a figure of another date or year is not compared, and how to compare it."""
    within = f" within max_year_gap={tolerance}" if tolerance else ""
    if _is_mid_year(start, end):
        missing = f"no year-end figure for {year}{within}"
    elif timing == "flow":
        missing = f"no flow over {year}{within}"
    else:
        missing = f"no figure for {year}{within}"
    return (
        f"{missing}; nearest: {_period_label(start, end)} ({_gap_text(gap, year)}); pass "
        f"max_year_gap={math.ceil(abs(gap) - _EPS)} to compare it"
    )


def _unfit_text(
    start: pd.Timestamp, end: pd.Timestamp, timing: str, window: float, year: int
) -> str:
    """Why a figure is not one for a year: a multi-year or part-year flow, a dated flow."""
    period = _period_text(start, end)
    if start == end:
        return f"a {timing} dated {period}, with no period: not a flow over {year}"
    if timing == "stock":
        return f"a stock over a period ({period}), not at a date: not scored"
    years = _years_text(window)
    if window > 1 + _EPS and is_whole_years(pd.Series([start]), pd.Series([end])).iloc[0]:
        return (
            f"a total over {period} ({years}), not a flow over one calendar year: not "
            f"compared with flows over {year} (its yearly average, as ipbench.per_capita "
            f"annualises it, is still a {period} figure)"
        )
    return (
        f"a flow over {period} ({years}), not over one calendar year: not compared with "
        f"flows over {year}"
    )


def _is_mid_year(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return bool(start == end and (end.month, end.day) != (12, 31))


def _period_label(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """Name the period, and say whether a stock is dated within a year, not at its end."""
    text = _period_text(start, end)
    return f"{text}, a mid-year stock" if _is_mid_year(start, end) else text


def _beyond(qualifier: str, value: float, top: float, bottom: float) -> str:
    """Whether a bound certainly lies beyond every scored value (NaN ends: none scored)."""
    if np.isnan(top):
        return ""
    if (qualifier == "gt" and value >= top) or (qualifier == "ge" and value > top):
        return " (above every scored value)"
    if qualifier == "lt" and value <= bottom:
        return " (below every scored value)"
    return ""


def _joined(note: str, part: str) -> str:
    """Append ``part`` to ``note`` with "; " where both have text."""
    return "; ".join(text for text in (note, part) if text)


def _value_text(value: float, qualifier: str, value_high: float) -> str:
    if np.isnan(value):
        return "no value"
    if qualifier == "range":
        return f"{value:.15g}–{value_high:.15g}"
    return _BOUND_SIGNS.get(qualifier, "") + f"{value:.15g}"


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
