"""Where an observation sits in time, and how to make flows comparable.

A stock is an instant: its position is the end of its date (a stock at
2020-12-31 sits at 2021.0). A flow covers a period; over whole calendar years it
is annualised (value / years) and placed at the period's midpoint, so the
2016-2020 sum of a five-year plan sits at 2018.5 as 1/5 of the sum. A stock is
never annualised. Flows over parts of a year (year to date, a plan window
starting in August) are not comparable with annual flows and are left out with
a reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipbench._codes import code_of, joint_codes, map_distinct, row_codes
from ipbench._provenance import join_text, merge_sources, number_text


def _year_length(dates: pd.Series) -> pd.Series:
    return pd.Series(np.where(dates.dt.is_leap_year, 366.0, 365.0), index=dates.index)


def start_position(dates: pd.Series) -> pd.Series:
    """Decimal year at the start of each day: 2021-01-01 is 2021.0."""
    position = dates.dt.year + (dates.dt.day_of_year - 1) / _year_length(dates)
    return pd.Series(position, index=dates.index, dtype="float64")


def end_position(dates: pd.Series) -> pd.Series:
    """Decimal year at the end of each day: 2020-12-31 is 2021.0."""
    position = dates.dt.year + dates.dt.day_of_year / _year_length(dates)
    return pd.Series(position, index=dates.index, dtype="float64")


def is_whole_years(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whether each period runs from 1 January to 31 December."""
    whole = (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (end.dt.day == 31)
    return pd.Series(whole, index=start.index, dtype="bool")


def indicator_timing(indicator: pd.Series, indicators: pd.DataFrame) -> pd.Series:
    """``stock`` (observed at a date), ``flow`` (over a period) or ``other`` per row.

    A rate takes the timing of the stock or flow it normalises; a share is
    ``other``.
    """
    catalog = indicators.set_index("indicator")
    kinds = catalog["kind"].astype(str)
    base = catalog["base_indicator"].map(kinds)
    timing = kinds.where(kinds != "rate", base).where(lambda k: k.isin(["stock", "flow"]), "other")
    # mapping the few distinct ids is much cheaper than mapping every row
    mapped = indicator.astype("category").map(timing.to_dict())
    return (
        pd.Series(mapped, index=indicator.index).astype("object").fillna("other").astype("category")
    )


def comparable_points(
    obs: pd.DataFrame, indicators: pd.DataFrame, sources: pd.DataFrame
) -> pd.DataFrame:
    """Actual levels placed in time, flows annualised, ready for growth arithmetic.

    Returns the actual ``level`` rows of ``obs`` with columns ``position``
    (decimal year), ``period_years``, ``comparable_value`` (annualised for
    flows), ``timing``, ``sources`` and ``reason`` (empty when the point is
    usable; else why not: a bound, a partial-year flow, a multi-year rate).
    Several reports of one point are reduced to the latest published one; the
    others are named in ``also_reported``.
    """
    levels = obs[(obs["measure"] == "level") & (obs["status"] == "actual")].copy()
    timing = indicator_timing(levels["indicator"], indicators)
    start, end = levels["period_start"], levels["period_end"]
    years = end_position(end) - start_position(start)
    is_instant = start == end
    whole = is_whole_years(start, end)
    levels["timing"] = timing
    levels["period_years"] = years.where(~is_instant, 0.0)
    midpoint = (start_position(start) + end_position(end)) / 2
    levels["position"] = end_position(end).where(is_instant, midpoint)
    annualised = levels["value"] / years.round().clip(lower=1)
    levels["comparable_value"] = levels["value"].where(timing != "flow", annualised)
    levels["reason"] = _unusable_reason(levels, timing, years, is_instant, whole)
    return _latest_report(levels, sources)


def _unusable_reason(
    levels: pd.DataFrame,
    timing: pd.Series,
    years: pd.Series,
    is_instant: pd.Series,
    whole: pd.Series,
) -> pd.Series:
    qualifier = levels["qualifier"]
    is_flow = (timing == "flow").to_numpy()
    reasons = {
        "a bound (gt), not a level": (qualifier == "gt").to_numpy(),
        "a bound (ge), not a level": (qualifier == "ge").to_numpy(),
        "a bound (lt), not a level": (qualifier == "lt").to_numpy(),
        "a range, not a level": (qualifier == "range").to_numpy(),
        "a flow over part of a year or over a partial window": is_flow & ~whole.to_numpy(),
        "a rate or share over several years": ~is_flow
        & ~is_instant.to_numpy()
        & (~whole.to_numpy() | (years > 1.5).to_numpy()),
    }
    # codes, not an array of strings: a fixed-width text array of a million rows costs
    # hundreds of megabytes; the first reason that applies wins, as in np.select
    codes = np.select(list(reasons.values()), range(1, len(reasons) + 1), 0)
    return pd.Series(
        pd.Categorical.from_codes(codes, categories=pd.Index(["", *reasons])), index=levels.index
    )


def latest_report_per_key(
    frame: pd.DataFrame, key: list[str], sources: pd.DataFrame
) -> pd.DataFrame:
    """Keep, of rows sharing ``key``, the one whose source was published last.

    The one home of "the latest report wins": a figure reported again by a
    later document replaces the earlier report; undated sources count as
    oldest.
    """
    published = frame["source"].map(sources.set_index("source")["published"])
    order = frame.assign(_published=published).sort_values(
        "_published", kind="stable", na_position="first"
    )
    return order.drop_duplicates(key, keep="last").drop(columns="_published")


def _latest_report(points: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Keep one report per point, the latest published, and name the others."""
    key = ["adcode", "indicator", "period_start", "period_end"]
    kept = latest_reports(points, key, sources).copy()
    kept["also_reported"] = ""
    kept["sources"] = kept["source"].astype("str")
    if len(kept) == len(points):
        return kept
    published = sources.set_index("source")["published"]
    others = points.drop(index=kept.index)
    # the other reports are named in the order they were published
    others = others.assign(_published=others["source"].map(published)).sort_values(
        "_published", kind="stable", na_position="first"
    )
    kept_codes, other_codes = joint_codes(kept, others, key)
    named = pd.DataFrame(
        {
            "code": other_codes,
            "text": join_text(number_text(others["value"]), " (", others["source"], ")"),
            "source": others["source"].to_numpy(dtype="object"),
        }
    ).groupby("code", sort=False)
    notes = named["text"].agg("; ".join).reindex(kept_codes)
    other_sources = named["source"].agg(";".join).reindex(kept_codes)
    kept["also_reported"] = notes.fillna("").to_numpy(dtype="object")
    kept["sources"] = merge_sources(
        kept["source"], pd.Series(other_sources.to_numpy(dtype="object"), index=kept.index)
    )
    return kept


def latest_reports(frame: pd.DataFrame, key: list[str], sources: pd.DataFrame) -> pd.DataFrame:
    """``latest_report_per_key``: the same rows in the same order, at national scale.

    The rule (the latest publication wins) is applied by ``latest_report_per_key``
    to the rows whose key repeats; rows reported once are kept as they are, and
    the result is put in the order that function gives (by publication date,
    undated first, ties in the frame's order).
    """
    codes = row_codes(*(code_of(frame, column) for column in key))
    repeated = pd.Series(codes).duplicated(keep=False).to_numpy()
    if not frame.index.is_unique:
        return latest_report_per_key(frame, key, sources)
    positions = np.flatnonzero(~repeated)
    if repeated.any():
        latest = latest_report_per_key(frame[repeated], key, sources)
        positions = np.sort(np.concatenate([positions, frame.index.get_indexer(latest.index)]))
    kept = frame.iloc[positions]
    published = map_distinct(
        kept["source"], sources.set_index("source")["published"], code_of(kept, "source")
    )
    order = published.reset_index(drop=True).sort_values(kind="stable", na_position="first")
    return kept.iloc[order.index.to_numpy()]
