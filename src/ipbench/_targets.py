"""What a target is: its plan, its kind, and when an actual meets it.

One home for the rules that read a target: which plan it belongs to (a target
belongs to its plan, not to the document that repeats it), whether it is a
level, additions (新增) or a total over the plan window, and how its qualifier
reads with the indicator's polarity.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from ipbench._periods import end_position, start_position

#: How far below X a value may be and still count as "nearly X" (近X), and as "about X"
#: (约X). Chinese statistical writing uses 近 for a figure that the round number X
#: overstates by a few percent (近500人 for 480-odd); 5 % is also the margin Eurostat's
#: "on track" class allows (R >= 0.95), so a target read with it is held to the same
#: standard as a growth path.
NEARLY_TOLERANCE: Final = 0.05


def target_kind(rows: pd.DataFrame, kind_of: pd.Series, base_of: pd.Series) -> pd.Series:
    """``additions`` (新增, a flow added to a stock), ``window_total`` or ``level`` per row."""
    kind = rows["indicator"].map(kind_of)
    base = rows["indicator"].map(base_of)
    is_addition = (kind == "flow") & base.notna() & (base.map(kind_of) == "stock")
    window = end_position(rows["period_end"]) - start_position(rows["period_start"])
    is_window_total = (kind == "flow") & ~is_addition & (window > 1.5)
    return pd.Series(
        np.select([is_addition, is_window_total], ["additions", "window_total"], "level"),
        index=rows.index,
        dtype="str",
    )


def plan_of(targets: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Find each target's plan.

    The plan whose document states the target, else the one plan of the
    target's region that ends on the target's date: a later briefing that
    repeats "the 14th Five-Year Plan target of 12 by 2025" keeps the plan's
    window and base date. Returns ``plan``, ``plan_period_start``,
    ``plan_period_end``, ``plan_base_date`` and ``plan_match`` (how the plan
    was found, or why none was), indexed like ``targets``.
    """
    keys = targets[["adcode", "source", "period_end"]].reset_index(names="_target")
    wanted = ["plan", "period_start", "period_end", "base_date"]
    by_document = keys[["_target", "adcode", "source"]].merge(
        plans[["adcode", "source", *wanted]], on=["adcode", "source"]
    )
    by_date = keys[["_target", "adcode", "period_end"]].merge(
        plans[["adcode", *wanted]], on=["adcode", "period_end"]
    )
    matches = pd.concat(
        [by_document.assign(_how="by document"), by_date.assign(_how="by region and end date")],
        ignore_index=True,
    ).drop_duplicates(["_target", "plan"])
    first_way = matches.groupby("_target")["_how"].transform("first")
    matches = matches[matches["_how"] == first_way]
    several = matches.groupby("_target")["plan"].transform("size") > 1
    chosen = matches[~several].set_index("_target")
    found = pd.DataFrame(
        {
            "plan": chosen["plan"],
            "plan_period_start": chosen["period_start"],
            "plan_period_end": chosen["period_end"],
            "plan_base_date": chosen["base_date"],
            "plan_match": chosen["_how"],
        }
    ).reindex(targets.index)
    found["plan_match"] = found["plan_match"].fillna(
        "no plan of this region in the catalog states it or ends on its date"
    )
    ambiguous = matches.loc[several, "_target"].unique()
    found.loc[ambiguous, "plan_match"] = "several plans could hold it: name the plan's document"
    return found


def plan_population(targets: pd.DataFrame, catalog: pd.DataFrame) -> pd.Series:
    """Give the population a plan implies where it sets a per-10k target and its count.

    A plan that sets 万人发明专利拥有量达300件 and 有效发明专利拥有量达18000件 for
    one date assumes 18000 / 300 × 10⁴ = 600,000 residents, whatever the
    census says. Returned on both rows of each pair (NaN elsewhere), for levels
    (达, 约) only: a bound implies no population. ``targets`` needs ``plan``,
    ``indicator``, ``period_end``, ``value`` and ``qualifier``; ``catalog`` is
    the indicator table indexed by id.
    """
    levels = targets[targets["plan"].notna() & targets["qualifier"].isin(["eq", "approx"])]
    per_residents = levels["indicator"].map(catalog["denominator"]) == "resident_population"
    rates = levels[per_residents].assign(
        _count_id=levels.loc[per_residents, "indicator"].map(catalog["base_indicator"])
    )
    key = ["plan", "period_end"]
    pairs = (
        rates[[*key, "_count_id", "value"]]
        .reset_index(names="_rate_row")
        .merge(
            levels[[*key, "indicator", "value"]].reset_index(names="_count_row"),
            left_on=[*key, "_count_id"],
            right_on=[*key, "indicator"],
            suffixes=("_rate", "_count"),
        )
    )
    implied = pairs["value_count"] / pairs["value_rate"] * 10_000
    population = pd.Series(np.nan, index=targets.index, dtype="float64")
    population.loc[pairs["_rate_row"].to_numpy()] = implied.to_numpy()
    population.loc[pairs["_count_row"].to_numpy()] = implied.to_numpy()
    return population


def target_met(
    actual: pd.Series,
    target: pd.Series,
    target_high: pd.Series,
    qualifier: pd.Series,
    higher_is_better: pd.Series,
) -> pd.Series:
    """Whether each actual meets its target, reading the qualifier with the polarity.

    For an indicator where more is better: 超过/＞X is met above X, 达/≥X at X,
    近X ("nearly X") and 约X ("about X") within :data:`NEARLY_TOLERANCE`
    below X, a range (5–6家) at its lower end. Where less is better (an upper
    limit, 控制在…以内): X itself and anything below, 低于X only below X, a
    range at its upper end. Missing where the actual is missing.

    Examples
    --------
    >>> s = lambda *v: pd.Series(list(v))
    >>> no_range = s(float("nan"), float("nan"))
    >>> target_met(s(2800.0, 2801.0), s(2800.0, 2800.0), no_range, s("gt", "gt"),
    ...            s(True, True)).tolist()
    [False, True]
    >>> target_met(s(1.0, 17200.0), s(18000.0, 18000.0), no_range, s("lt", "lt"),
    ...            s(True, True)).tolist()
    [False, True]
    """
    qualifier = qualifier.astype("str")
    near = target * (1 - NEARLY_TOLERANCE)
    more_is_better = np.select(
        [qualifier == "gt", qualifier.isin(["lt", "approx"]), qualifier == "range"],
        [actual > target, actual >= near, actual >= target],
        actual >= target,
    )
    less_is_better = np.select(
        [qualifier == "lt", qualifier == "approx", qualifier == "range"],
        [actual < target, actual <= target * (1 + NEARLY_TOLERANCE), actual <= target_high],
        actual <= target,
    )
    met = np.where(higher_is_better.fillna(True).astype(bool), more_is_better, less_is_better)
    return pd.Series(met, index=actual.index, dtype="boolean").mask(actual.isna())
