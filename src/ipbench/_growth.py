"""Growth between observations: changes, CAGR and log-linear trends."""

from __future__ import annotations

from typing import Final, Literal, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._codes import map_distinct
from ipbench._load import UserTable
from ipbench._periods import comparable_points
from ipbench._provenance import (
    is_derived,
    join_text,
    merge_sources,
    number_text,
    per_distinct,
    text_series,
)
from ipbench._validated import stamp, validated

FloatArray = npt.NDArray[np.float64]

#: The shortest span with an annual rate. An annualised rate from a shorter span
#: extrapolates noise (two stocks a day apart, +0.15 %, would "grow" 73 % a year);
#: Eurostat and COINr compute CAGR on yearly points, so a year is the least we annualise.
MIN_CAGR_YEARS: Final = 1.0

# Why no CAGR exists, in order of precedence (the first that applies is given).
_NOT_FINITE = "a value or the span is missing or not finite"
_NEGATIVE_START = "the start value is negative (a sign change has no rate)"
_FROM_ZERO = "growth from zero has no rate"
_NEGATIVE_END = "the end value is negative"
_NO_TIME = "no time between the two points"
_UNDER_A_YEAR = "less than a year between the two points: no annual rate"
_OVERFLOW = "the rate overflows a float: the values are too far apart"


def _rate_and_reason(
    x0: npt.ArrayLike, x1: npt.ArrayLike, years: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, npt.NDArray[np.str_]]:
    """Compute the rate where one exists, and say why not ('' where it does), elementwise."""
    start, end, span = np.broadcast_arrays(
        np.asarray(x0, dtype="float64"),
        np.asarray(x1, dtype="float64"),
        np.asarray(years, dtype="float64"),
    )
    finite = np.isfinite(start) & np.isfinite(end) & np.isfinite(span)
    valid = finite & (start > 0) & (end >= 0) & (span >= MIN_CAGR_YEARS)
    # invalid pairs get harmless stand-ins so that no warning is raised for them;
    # a ratio beyond the largest float still overflows, silently, and is caught below
    with np.errstate(all="ignore"):
        ratio = np.where(valid, end, 1.0) / np.where(valid, start, 1.0)
        rate = ratio ** (1.0 / np.where(valid, span, 1.0)) - 1.0
    overflow = valid & ~np.isfinite(rate)
    conditions = {
        _NOT_FINITE: ~finite,
        _NEGATIVE_START: start < 0,
        _FROM_ZERO: start == 0,
        _NEGATIVE_END: end < 0,
        _NO_TIME: span <= 0,
        _UNDER_A_YEAR: span < MIN_CAGR_YEARS,
        _OVERFLOW: overflow,
    }
    reason = np.select(list(conditions.values()), list(conditions.keys()), "")
    rate = np.where(reason == "", rate, np.nan)
    return rate, start, end, span, reason


@overload
def cagr(
    x0: float, x1: float, years: float, *, errors: Literal["raise", "coerce"] = ...
) -> float: ...
@overload
def cagr(
    x0: npt.ArrayLike,
    x1: npt.ArrayLike,
    years: npt.ArrayLike,
    *,
    errors: Literal["raise", "coerce"] = ...,
) -> FloatArray: ...
def cagr(
    x0: npt.ArrayLike,
    x1: npt.ArrayLike,
    years: npt.ArrayLike,
    *,
    errors: Literal["raise", "coerce"] = "raise",
) -> float | FloatArray:
    """Compound annual growth rate, ``(x1 / x0) ** (1 / years) - 1``.

    As used by COINr and Eurostat on the first and last observed points.
    Vectorised: arrays broadcast like NumPy arrays.

    Parameters
    ----------
    x0, x1 : float or array-like
        Start and end values. ``x0`` must be positive and ``x1`` non-negative:
        growth from zero or across a sign change has no compound rate.
    years : float or array-like
        Years between the two values, at least :data:`MIN_CAGR_YEARS` (one):
        a span under one year has no annual rate.
    errors : {"raise", "coerce"}
        ``"raise"`` (default) raises ValueError naming the first bad input and
        why (see :func:`cagr_reason`); ``"coerce"`` returns NaN there instead.
        A rate too large for a float is treated the same way: the result is
        never infinite and no NumPy warning escapes.

    Returns
    -------
    float or numpy.ndarray
        The rate as a fraction (0.05 is 5 % a year).

    Examples
    --------
    >>> round(cagr(12482, 18000, 5), 6)  # Xuanwu's invention patents target
    0.075964
    >>> cagr([100, 100], [121, 100], [2, 1]).round(3).tolist()
    [0.1, 0.0]
    >>> cagr(0, 5, 1)
    Traceback (most recent call last):
    ...
    ValueError: CAGR needs ...; got x0=0.0, x1=5.0, years=1.0: growth from zero has no rate
    >>> cagr(100, 100.15, 1 / 365, errors="coerce")  # two stocks a day apart
    nan
    """
    rate, start, end, span, reason = _rate_and_reason(x0, x1, years)
    if errors == "raise" and (reason != "").any():
        position = tuple(np.argwhere(reason != "")[0])
        raise ValueError(
            f"CAGR needs x0 > 0, x1 >= 0 and years >= {MIN_CAGR_YEARS:g}; got "
            f"x0={start[position]}, x1={end[position]}, years={span[position]}: "
            f"{reason[position]}"
        )
    if rate.ndim == 0:
        return float(rate)
    return np.asarray(rate, dtype="float64")


def cagr_reason(x0: pd.Series, x1: pd.Series, years: pd.Series) -> pd.Series:
    """Why no CAGR exists for each pair ('' where it does).

    The same reasons :func:`cagr` raises with, or returns NaN for.

    Examples
    --------
    >>> x0, x1 = pd.Series([100.0, 100.0]), pd.Series([121.0, 101.0])
    >>> cagr_reason(x0, x1, pd.Series([2.0, 0.5])).tolist()
    ['', 'less than a year between the two points: no annual rate']
    """
    reason = _rate_and_reason(x0.to_numpy(), x1.to_numpy(), years.to_numpy())[4]
    return pd.Series(reason, index=x0.index, dtype="str")


#: What a pair of points needs to know about its earlier point.
_POINT_COLUMNS = [
    "position",
    "comparable_value",
    "period_end",
    "period_start",
    "sources",
    "also_reported",
    "value",
    "period_years",
    "derived",
    "value_text",
]


def growth(
    obs: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Change and CAGR between consecutive points, and between first and last.

    Uses actual levels of each region's indicator series. Stocks are compared
    at their dates; flows over whole calendar years are annualised (the
    2016-2020 sum counts as its yearly average at mid-2018). Bounds (超过, 近),
    partial-year flows and plan windows are left out. Where several sources
    report the same point, the latest published is used and ``method`` names
    the others.

    Every pair is kept with its ``abs_change`` and ``rel_change``; the CAGR is
    NaN, with a ``reason``, where no honest annual rate exists:

    - less than a year between the two points (see :data:`MIN_CAGR_YEARS`);
    - flows over windows of different length: a five-year yearly average and a
      one-year flow are not like periods (the average smooths what the year
      shows), so "26875 over 2016-2020 vs 6450 in 2021" shows the change
      against the yearly average but no growth rate;
    - a zero or negative value, or a rate too large for a float.

    Parameters
    ----------
    obs : DataFrame
        Validated observations, built-in or your own.
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    indicators, sources : DataFrame, optional
        The catalog tables, when ``obs`` uses your own entries.

    Returns
    -------
    DataFrame
        One row per pair with ``span`` ("consecutive" or "first_last"),
        ``from_value``, ``to_value``, ``years``, ``abs_change``,
        ``rel_change`` (fraction), ``cagr`` (fraction, NaN with a ``reason``
        as listed above), ``method`` and ``sources``.

    Examples
    --------
    >>> import ipbench
    >>> g = ipbench.growth(ipbench.load_observations())
    >>> dalian = g[(g["adcode"] == "210200") & (g["indicator"] == "invention_patents_in_force")]
    >>> dalian[["from_value", "to_value", "years"]].to_numpy().tolist()
    [[9625.0, 20309.0, 5.0]]
    >>> round(float(dalian["cagr"].iloc[0]), 4)
    0.1611
    """
    obs, ctx = validated(obs, catalog, indicators=indicators, sources=sources)
    points = comparable_points(_prefer_reported(obs), ctx.indicators, ctx.sources)
    usable = points[points["reason"] == ""].sort_values(["adcode", "indicator", "position"])
    usable = usable.assign(
        derived=is_derived(usable), value_text=number_text(usable["comparable_value"])
    )
    series = usable.groupby(["adcode", "indicator"], observed=True, sort=False)
    previous = series[_POINT_COLUMNS].shift(1)
    consecutive = _pairs(usable, previous, "consecutive", ctx)
    first = series[_POINT_COLUMNS].transform("first")
    last_rows = usable[series.cumcount(ascending=False) == 0]
    has_three = series["position"].transform("size").loc[last_rows.index] >= 3
    first_last = _pairs(
        last_rows[has_three], first.loc[last_rows.index][has_three], "first_last", ctx
    )
    result = pd.concat([consecutive, first_last], ignore_index=True)
    return stamp(
        result.sort_values(["adcode", "indicator", "span", "period_end"], ignore_index=True),
        ctx,
        "result",
    )


def _pairs(to: pd.DataFrame, frm: pd.DataFrame, span: str, ctx: Catalog) -> pd.DataFrame:
    present = frm["position"].notna()
    to, frm = to[present], frm[present]
    years = (to["position"] - frm["position"]).round(6)
    x0, x1 = frm["comparable_value"], to["comparable_value"]
    reason = cagr_reason(x0, x1, years).to_numpy(dtype="object")
    is_flow = (to["timing"] == "flow").to_numpy()
    # a flow's window in whole years, as comparable_points annualised it
    from_window = frm["period_years"].round().clip(lower=1)
    to_window = to["period_years"].round().clip(lower=1)
    unlike = is_flow & (from_window != to_window).to_numpy()
    if unlike.any():
        reason[unlike] = join_text(
            "flows over windows of different length: ",
            number_text(from_window[unlike]),
            " vs ",
            number_text(to_window[unlike]),
            " years",
        )
    rate = pd.Series(
        cagr(x0.to_numpy(), x1.to_numpy(), years.to_numpy(), errors="coerce"), index=to.index
    ).where(reason == "")
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = (x1 / x0 - 1).where(x0 > 0)
    # each point's value is written once (in growth) and read here for both ends
    from_text, to_text = frm["value_text"].to_numpy(), to["value_text"].to_numpy()
    years_text = number_text(years).to_numpy(dtype="object")
    has_rate = rate.notna().to_numpy()
    arithmetic = np.empty(len(to), dtype="object")
    arithmetic[has_rate] = join_text(
        "CAGR = (",
        to_text[has_rate],
        " / ",
        from_text[has_rate],
        ")^(1/",
        years_text[has_rate],
        ") - 1",
    )
    arithmetic[~has_rate] = join_text(
        "change ",
        from_text[~has_rate],
        " → ",
        to_text[~has_rate],
        " over ",
        years_text[~has_rate],
        " years",
    )
    method = join_text(
        arithmetic,
        "; ",
        _label(frm),
        " to ",
        _label(to),
        np.where(is_flow, " per year", "").astype("object"),
        _also(frm["also_reported"]),
        _also(to["also_reported"]),
        _derived_note(frm["derived"], to["derived"]),
    )
    return pd.DataFrame(
        {
            "adcode": to["adcode"],
            "indicator": to["indicator"],
            "span": span,
            "period_start": frm["period_start"].astype("datetime64[ns]"),
            "period_end": to["period_end"],
            "from_period_end": frm["period_end"].astype("datetime64[ns]"),
            "from_value": x0.astype("float64"),
            "to_value": x1,
            "years": years.astype("float64"),
            "abs_change": (x1 - x0).astype("float64"),
            "rel_change": relative.astype("float64"),
            "cagr": rate,
            "unit": map_distinct(to["indicator"], ctx.unit_of).astype("str"),
            "method": text_series(method, to.index),
            "sources": merge_sources(frm["sources"], to["sources"]),
            "reason": text_series(reason, to.index),
        }
    )


def _label(points: pd.DataFrame) -> pd.Series:
    """Name each point's period: a date for a stock, years for a flow."""

    def make(distinct: pd.DataFrame) -> pd.Series:
        end = distinct["period_end"].dt.strftime("%Y-%m-%d")
        start_year = distinct["period_start"].dt.strftime("%Y")
        end_year = distinct["period_end"].dt.strftime("%Y")
        years = distinct["period_years"].round().astype("Int64").astype("string")
        flow = (start_year + "-" + end_year + " (" + years + " yr)").where(years != "1", end_year)
        label = end.where(distinct["period_start"] == distinct["period_end"], flow)
        return pd.Series(label, index=distinct.index, dtype="str")

    return per_distinct(points[["period_start", "period_end", "period_years"]], make)


def _also(notes: pd.Series) -> np.ndarray:
    """Name the other reports of a point ('' for a point reported once)."""
    text = np.full(len(notes), "", dtype="object")
    named = (notes != "").to_numpy()
    if named.any():
        text[named] = join_text("; also reported ", notes[named])
    return text


#: Fewest points a trend is fitted to, and fewest *reported* points its R² is shown
#: for: a point reconstructed from another (last year's level from this year's level and
#: its growth) adds no independent evidence, so R² on two reported points and one
#: reconstructed is a near-perfect fit by construction, not a finding.
MIN_TREND_POINTS: Final = 3


def trend(
    obs: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Least-squares log-linear trend of each series with at least three points.

    Fits ln(value) = a + b·t by ordinary least squares on the points
    :func:`growth` uses (flows annualised); ``trend_growth`` = exp(b) − 1 is
    the fitted yearly rate.

    Derived points appended to observations (levels from
    :func:`ipbench.reconstruct`, counts from :func:`ipbench.implied_counts`,
    rates from :func:`ipbench.per_capita`) are counted apart: ``n_points`` =
    ``n_reported`` + ``n_reconstructed``, and ``method`` says how many were
    reconstructed. A reported figure beats a reconstruction of the same point.
    ``r_squared`` is shown only for series with at least three *reported*
    points (:data:`MIN_TREND_POINTS`): a point reconstructed from another lies
    on the line through them by construction, so an R² near 1 on two reported
    points and one reconstructed says nothing. Such series keep their
    ``trend_growth`` and get NaN ``r_squared`` with a ``reason``.

    Series over less than a year (:data:`MIN_CAGR_YEARS`) and series with a
    zero or negative value get NaN for both, with a reason.

    Parameters
    ----------
    obs : DataFrame
        Observations, built-in or your own (a frame ipbench validated is not
        validated again).
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    indicators, sources : DataFrame or path, optional
        Your own tables, extending the catalog's.

    Returns
    -------
    DataFrame
        One row per series with ``trend_growth``, ``r_squared``, ``n_points``,
        ``n_reported``, ``n_reconstructed``, ``method`` and ``reason``.

    Examples
    --------
    >>> import pandas as pd, ipbench
    >>> obs = ipbench.load_observations()
    >>> both = pd.concat([obs, ipbench.reconstruct(obs)[obs.columns]], ignore_index=True)
    >>> t = ipbench.trend(both)
    >>> per_10k = t[t["indicator"] == "invention_patents_in_force_per_10k"]
    >>> per_10k[["adcode", "n_points", "n_reported", "n_reconstructed"]].to_numpy().tolist()
    [['210200', 3, 2, 1], ['360100', 3, 2, 1]]
    >>> bool(per_10k["r_squared"].isna().all())
    True
    >>> print(per_10k["reason"].iloc[0])
    fewer than 3 reported points (2 reported, 1 reconstructed): no R²
    """
    obs, ctx = validated(obs, catalog, indicators=indicators, sources=sources)
    points = comparable_points(_prefer_reported(obs), ctx.indicators, ctx.sources)
    usable = points[points["reason"] == ""]
    key = ["adcode", "indicator"]
    size = usable.groupby(key, observed=True)["position"].transform("size")
    usable = usable[size >= MIN_TREND_POINTS].copy()
    positive = usable["comparable_value"] > 0
    usable["t"] = usable["position"]
    usable["y"] = np.log(usable["comparable_value"].where(positive))
    usable["rebuilt"] = _is_reconstructed(usable)
    grouped = usable.groupby(key, observed=True)
    t_mean, y_mean = grouped["t"].transform("mean"), grouped["y"].transform("mean")
    usable["tt"] = (usable["t"] - t_mean) ** 2
    usable["ty"] = (usable["t"] - t_mean) * (usable["y"] - y_mean)
    usable["yy"] = (usable["y"] - y_mean) ** 2
    sums = usable.groupby(key, observed=True).agg(
        n_points=("t", "size"),
        n_reconstructed=("rebuilt", "sum"),
        t_min=("t", "min"),
        t_max=("t", "max"),
        tt=("tt", "sum"),
        ty=("ty", "sum"),
        yy=("yy", "sum"),
        all_positive=("y", lambda y: bool(y.notna().all())),
        period_start=("period_start", "min"),
        period_end=("period_end", "max"),
    )
    sources_joined = usable.groupby(key, observed=True)["sources"].agg(
        lambda values: ";".join(sorted({p for v in values for p in v.split(";")}))
    )
    n_points = sums["n_points"].astype("int64")
    n_reconstructed = sums["n_reconstructed"].astype("int64")
    n_reported = n_points - n_reconstructed
    long_enough = (sums["t_max"] - sums["t_min"]).round(6) >= MIN_CAGR_YEARS
    with np.errstate(all="ignore"):
        slope = (sums["ty"] / sums["tt"]).where(long_enough)
        growth_rate = pd.Series(np.exp(slope), index=slope.index) - 1
        r_squared = (sums["ty"] ** 2 / (sums["tt"] * sums["yy"])).where(sums["yy"] > 0, 1.0)
    ok = sums["all_positive"].astype(bool) & long_enough & np.isfinite(growth_rate)
    reason = pd.Series("", index=sums.index, dtype="str")
    reason = reason.mask(
        n_reported < MIN_TREND_POINTS,
        f"fewer than {MIN_TREND_POINTS} reported points ("
        + n_reported.astype(str)
        + " reported, "
        + n_reconstructed.astype(str)
        + " reconstructed): no R²",
    )
    reason = reason.mask(~np.isfinite(growth_rate), _OVERFLOW)
    reason = reason.mask(~long_enough, _UNDER_A_YEAR)
    reason = reason.mask(~sums["all_positive"].astype(bool), "a zero or negative value")
    rebuilt_text = np.where(
        n_reconstructed > 0, " (" + n_reconstructed.astype(str) + " reconstructed)", ""
    )
    return stamp(
        pd.DataFrame(
            {
                "n_points": n_points,
                "n_reported": n_reported,
                "n_reconstructed": n_reconstructed,
                "period_start": sums["period_start"],
                "period_end": sums["period_end"],
                "trend_growth": growth_rate.where(ok),
                "r_squared": r_squared.clip(0, 1).where(ok & (n_reported >= MIN_TREND_POINTS)),
                "method": "OLS of ln(value) on time over "
                + n_points.astype(str)
                + " points"
                + rebuilt_text
                + "; growth = exp(slope) - 1",
                "sources": sources_joined,
                "reason": reason,
            }
        ).reset_index(),
        ctx,
        "result",
    )


def _is_reconstructed(rows: pd.DataFrame) -> pd.Series:
    """Tell derived rows (reconstructed, implied or per capita) from reported ones."""
    return is_derived(rows)


def _derived_note(frm: pd.Series, to: pd.Series) -> np.ndarray:
    """Say when a point of the pair is derived, so its own note can be read."""
    either = frm.astype("boolean").fillna(False) | to.astype("boolean").fillna(False)
    text = np.full(len(to), "", dtype="object")
    text[either.to_numpy(dtype=bool)] = "; a point is derived, not reported (see its note)"
    return text


def _prefer_reported(obs: pd.DataFrame) -> pd.DataFrame:
    """Drop reconstructed levels of points a source reports itself.

    A region's reported figure beats one we derive, whatever the publication
    dates (a reconstruction carries the date of the later report it came from).
    """
    rebuilt = _is_reconstructed(obs)
    if not rebuilt.any():
        return obs
    key = ["adcode", "indicator", "measure", "status", "period_start", "period_end"]
    reported = obs.loc[~rebuilt, key].drop_duplicates()
    reported_here = obs[key].merge(reported, how="left", indicator=True)["_merge"] == "both"
    return obs[~(rebuilt & reported_here.to_numpy())]
