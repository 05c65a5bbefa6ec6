"""What reported changes imply: earlier levels, parent totals, and their intervals.

"同比增长32.9%" next to 23800件 implies last year's level; "占全省24.44%"
implies the province's total. Reported figures are rounded, so each implied
level comes with the interval the rounding allows: 32.9 % means a rate in
[32.85 %, 32.95 %).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._codes import (
    code_of,
    distinct_mask,
    joint_codes,
    map_distinct,
    per_distinct_rows,
    row_codes,
    with_codes,
)
from ipbench._load import UserTable
from ipbench._periods import latest_reports
from ipbench._provenance import (
    RECONSTRUCTED_NOTE,
    is_derived,
    join_text,
    merge_sources,
    number_text,
    text_series,
)
from ipbench._validated import stamp, validated

_NUMBER_IN_TEXT = re.compile(r"(\d+(?:\.(\d+))?)(万亿|亿|万)?")
_MULTIPLIER = {"": 1.0, "万": 1e4, "亿": 1e8, "万亿": 1e12}
CHANGE_MEASURES = ("yoy_pct", "yoy_abs", "share_of_parent_pct", "multiple_of_parent")


def rounding_halfwidth(obs: pd.DataFrame, kinds: pd.Series) -> pd.Series:
    """Half the last reported digit of each value: the error its rounding allows.

    The digit is read from the number in ``evidence`` that equals the value
    (2.03万 → 50, 32.9 → 0.05, 95.42 → 0.005). Whole numbers of things
    written in full (23800件) are exact counts. Where the evidence shows no
    matching number, the stored value's decimals are used.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench import Catalog
    >>> obs = ipbench.load_observations()
    >>> halves = rounding_halfwidth(obs, obs["indicator"].map(Catalog.builtin().kind_of))
    >>> dalian = (obs["source"] == "dalian_ipweek_2022") & (obs["value"] == 20300)
    >>> float(halves[dalian].iloc[0])
    50.0
    """
    values = obs["value"].to_numpy(dtype="float64", na_value=np.nan)
    if not kinds.index.equals(obs.index):
        kinds = kinds.reindex(obs.index)
    is_count = kinds.isin(["stock", "flow"]).to_numpy() & (
        obs["measure"].isin(["level", "yoy_abs"]).to_numpy()
    )
    half = np.full(len(obs), np.nan)
    rows, decimals, multiplier, has_multiplier = _number_matching_value(obs["evidence"], values)
    matched_half = 0.5 * 10.0 ** (-decimals) * multiplier
    exact_count = is_count[rows] & (decimals == 0) & ~has_multiplier
    half[rows] = np.where(exact_count, 0.0, matched_half)
    # no matching number in the evidence: the stored value's decimals (a count is exact)
    unmatched = np.isnan(half)
    fallback = unmatched & ~is_count
    half[unmatched & is_count] = 0.0
    half[fallback] = _halfwidth_from_value(pd.Series(values[fallback])).to_numpy()
    return pd.Series(half, index=obs.index, dtype="float64")


def _number_matching_value(
    evidence: pd.Series, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Find, per row, the first number in the evidence that equals the row's value.

    Returns the positions of the rows with such a number, and its decimals,
    multiplier (万 → 10⁴) and whether it has one. The numbers of each distinct
    evidence text are read once: evidence repeats over a national panel.
    """
    codes, texts = pd.factorize(evidence.to_numpy(dtype="object"))
    numbers: list[float] = []
    decimals: list[int] = []
    multipliers: list[float] = []
    found_in_text = np.zeros(len(texts), dtype="int64")
    for position, text in enumerate(texts):
        matches = _NUMBER_IN_TEXT.findall(text) if isinstance(text, str) else []
        found_in_text[position] = len(matches)
        for number, digits, unit in matches:
            multiplier = _MULTIPLIER[unit]
            numbers.append(float(number) * multiplier)
            decimals.append(len(digits))
            multipliers.append(multiplier)
    first_of_text = np.cumsum(found_in_text) - found_in_text
    per_row = np.where(codes >= 0, found_in_text[codes], 0)
    rows = np.repeat(np.arange(len(codes)), per_row)
    start_of_row = np.repeat(np.cumsum(per_row) - per_row, per_row)
    candidate = first_of_text[codes[rows]] + np.arange(len(rows)) - start_of_row
    number = np.array(numbers, dtype="float64")[candidate]
    same = np.isclose(number, np.abs(values[rows]), rtol=1e-12, atol=0)
    # rows are in order, so the first hit of each row is its first matching number
    hit_rows, first_hit = np.unique(rows[same], return_index=True)
    chosen = candidate[same][first_hit]
    chosen_decimals = np.array(decimals, dtype="float64")[chosen]
    chosen_multiplier = np.array(multipliers, dtype="float64")[chosen]
    return hit_rows, chosen_decimals, chosen_multiplier, chosen_multiplier != 1.0


def _halfwidth_from_value(values: pd.Series) -> pd.Series:
    # read each distinct float once (by its bits, so -0.0 and 0.0 stay apart)
    array = values.to_numpy(dtype="float64")
    codes, distinct = pd.factorize(array.view("int64"))
    decimals = [
        len(repr(value).partition(".")[2].rstrip("0"))
        for value in distinct.view("float64").tolist()
    ]
    per_value = 0.5 * 10.0 ** (-np.array(decimals, dtype="float64"))
    return pd.Series(per_value[codes], index=values.index, dtype="float64")


def reconstruct(
    obs: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Derive the levels that reported changes, shares and multiples imply.

    For every ``yoy_pct``, ``yoy_abs``, ``share_of_parent_pct`` and
    ``multiple_of_parent`` row with a level reported for the same region and
    period:

    - yoy_pct g: last year's level = x / (1 + g/100);
    - yoy_abs d: last year's level = x − d;
    - share s: the parent's level = x / (s/100);
    - multiple m: the parent's level = x / m.

    The interval combines the rounding of both reported figures (see
    :func:`rounding_halfwidth`): for 23800 件 and +32.9 %, last year lies in
    [23800 / 1.3295, 23800 / 1.3285].

    Parameters
    ----------
    obs : DataFrame
        Observations, built-in or your own (a frame ipbench validated is not
        validated again).
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the catalog's.

    Returns
    -------
    DataFrame
        The observation columns (``qualifier`` "approx", so rows can be
        appended to observations), plus ``interval_low``, ``interval_high``,
        ``derived_from``, ``method``, ``sources`` and ``reason``. A change with
        no level to apply it to is kept, with NaN and the reason.

    Examples
    --------
    >>> import ipbench
    >>> r = ipbench.reconstruct(ipbench.load_observations())
    >>> grants = r[(r["indicator"] == "patent_grants") & (r["derived_from"] == "yoy_pct")]
    >>> grants[["adcode", "period_end"]].astype(str).iloc[0].tolist()
    ['360100', '2020-12-31']
    >>> round(float(grants["value"].iloc[0]), 1)
    17908.2
    """
    obs, ctx = validated(obs, catalog, regions=regions, indicators=indicators, sources=sources)
    return stamp(reconstruct_levels(obs, ctx), ctx, "derived")


def reconstruct_levels(obs: pd.DataFrame, ctx: Catalog) -> pd.DataFrame:
    """Do the work of :func:`reconstruct` with a catalog already built and validated."""
    key = ["adcode", "indicator", "status", "period_start", "period_end"]
    changes = obs[obs["measure"].isin(CHANGE_MEASURES)]
    # only the levels a change applies to; of one reported twice, the latest publication
    levels = _levels_of(obs, changes, key)
    levels = latest_reports(levels, key, ctx.sources)
    # rounding is read from each figure's evidence text: only for the rows used here
    changes = changes.assign(_half=_halfwidths(changes, ctx))
    levels = levels.assign(_half=_halfwidths(levels, ctx))
    merged = changes.merge(
        levels[[*key, "value", "_half", "source", "evidence"]],
        on=key,
        how="left",
        suffixes=("", "_level"),
        validate="many_to_one",
    )
    return _implied(merged, ctx)


def _levels_of(obs: pd.DataFrame, changes: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Select the level rows of ``obs`` that share ``key`` with a change (in ``obs`` order)."""
    if changes.empty:  # no change: no level is needed (and no id is read)
        none: pd.DataFrame = obs[np.zeros(len(obs), dtype="bool")]
        return none.reset_index(drop=True)
    changed_ids = changes["indicator"].unique()
    changed_regions = changes["adcode"].unique()
    # cheap tests on the distinct ids first, so the full key is compared on few rows
    near = (
        (obs["measure"] == "level").to_numpy()
        & distinct_mask(obs["indicator"], lambda ids: ids.isin(changed_ids))
        & distinct_mask(obs["adcode"], lambda ids: ids.isin(changed_regions))
    )
    levels = obs[near]
    level_key, change_key = joint_codes(levels, changes, key)
    chosen: pd.DataFrame = levels[np.isin(level_key, change_key)]
    return chosen.reset_index(drop=True)


def _halfwidths(rows: pd.DataFrame, ctx: Catalog) -> pd.Series:
    return rounding_halfwidth(rows, map_distinct(rows["indicator"], ctx.kind_of).fillna(""))


def _implied(m: pd.DataFrame, ctx: Catalog) -> pd.DataFrame:
    measure = m["measure"].astype(str)
    x, hx = m["value_level"], m["_half_level"]
    c, hc = m["value"], m["_half"]
    pct, share = measure == "yoy_pct", measure == "share_of_parent_pct"
    absolute, multiple = measure == "yoy_abs", measure == "multiple_of_parent"
    # divisor of x: 1 + g/100, s/100 or m; its rounding interval widens the result
    divisor = pd.Series(
        np.select([pct, share, multiple], [1 + c / 100, c / 100, c], np.nan), index=m.index
    )
    divisor_half = pd.Series(
        np.select([pct | share, multiple], [hc / 100, hc], np.nan), index=m.index
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_value = x / divisor
        ratio_low = (x - hx) / (divisor + divisor_half)
        ratio_high = (x + hx) / (divisor - divisor_half)
    value = ratio_value.where(~absolute, x - c)
    low = ratio_low.where(~absolute, x - hx - c - hc)
    high = ratio_high.where(~absolute, x + hx - c + hc)
    to_parent = share | multiple
    adcode = m["adcode"].where(~to_parent, map_distinct(m["adcode"], ctx.parent_of))
    one_year = pd.DateOffset(years=1)
    shift = pct | absolute
    start = m["period_start"].where(~shift, m["period_start"] - one_year)
    end = m["period_end"].where(~shift, m["period_end"] - one_year)
    reason = pd.Series("", index=m.index, dtype="str")
    reason = reason.mask(x.isna(), "no level reported for the same region and period")
    reason = reason.mask(
        x.notna() & to_parent & adcode.isna(), "the region has no parent in the catalog"
    )
    reason = reason.mask(
        (reason == "") & ~(divisor - divisor_half > 0).where(~absolute, True),
        "the reported change leaves no positive base",
    )
    usable = reason == ""
    unit = map_distinct(m["indicator"], ctx.unit_of)
    method = _method(m, measure, unit)
    return pd.DataFrame(
        {
            "adcode": adcode.astype("str"),
            "indicator": m["indicator"],
            "measure": pd.Categorical(["level"] * len(m), categories=m["measure"].cat.categories),
            "status": m["status"],
            "period_start": start.astype("datetime64[ns]"),
            "period_end": end.astype("datetime64[ns]"),
            "value": value.where(usable).astype("float64"),
            "qualifier": pd.Categorical(
                ["approx"] * len(m), categories=m["qualifier"].cat.categories
            ),
            "value_high": np.nan,
            "unit": unit.astype("str"),
            "source": m["source"],
            "evidence": m["evidence"],
            "note": text_series(join_text(RECONSTRUCTED_NOTE, method), m.index),
            "interval_low": low.where(usable).astype("float64"),
            "interval_high": high.where(usable).astype("float64"),
            "derived_from": measure,
            "method": method,
            "sources": merge_sources(m["source"], m["source_level"]),
            "reason": reason,
        }
    )


def _method(m: pd.DataFrame, measure: pd.Series, unit: pd.Series) -> pd.Series:
    x = number_text(m["value_level"])
    c = number_text(m["value"])
    rounding = join_text(
        "; rounding ±",
        number_text(m["_half_level"]),
        " on the level, ±",
        number_text(m["_half"]),
        " on the change",
    )
    layouts: dict[str, tuple[str | pd.Series, ...]] = {
        "yoy_pct": (x, " ", unit, " / (1 + ", c, "%) (last year's level)"),
        "yoy_abs": (x, " − ", c, " ", unit, " (last year's level)"),
        "share_of_parent_pct": (x, " ", unit, " / ", c, "% (the parent's level)"),
        "multiple_of_parent": (x, " ", unit, " / ", c, " (the parent's level)"),
    }
    result = np.full(len(m), "", dtype="object")
    for name, layout in layouts.items():
        rows = (measure == name).to_numpy()
        if rows.any():
            parts = [part if isinstance(part, str) else part[rows] for part in layout]
            result[rows] = join_text(*parts, rounding[rows])
    return text_series(result, m.index)


def consistency(
    obs: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Check reports that must agree, within the rounding of each figure.

    Two checks: the same figure from two sources (Dalian's 2.03万 and 20309
    agree, as 20309 rounds to 2.03万), and a reported change against the
    levels of both years where both are reported (23508 and +33.2 % against a
    reported 2020 level). Disagreements are reported, not hidden:
    ``consistent`` is False and ``method`` shows the arithmetic.

    ``obs`` may include derived rows (:func:`reconstruct` or
    :func:`ipbench.per_capita` output appended to observations, known by the
    prefix of their ``note``). A derived row is never checked against its own
    input: a level reconstructed from a reported change is not used to check
    that change (it would agree by construction). It is still checked against
    an independent report — another source's figure for the same point — with
    the interval its reconstruction allows as its tolerance. Derived rows keep
    the source of the report they came from, and the same figure is only
    compared across two sources, so two rows derived from one report are
    never paired either.

    Parameters
    ----------
    obs : DataFrame
        Observations, built-in or your own (a frame ipbench validated is not
        validated again).
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the catalog's.

    Returns
    -------
    DataFrame
        One row per check, with ``reported``, ``computed``, ``tolerance``,
        ``consistent`` and ``method``.

    Examples
    --------
    >>> import ipbench
    >>> c = ipbench.consistency(ipbench.load_observations())
    >>> dalian = c[c["adcode"] == "210200"].iloc[0]
    >>> [float(dalian[k]) for k in ("reported", "computed", "tolerance")]
    [20300.0, 20309.0, 50.0]
    >>> bool(dalian["consistent"])
    True

    Appending the reconstructed levels adds no check of a change against the
    level it implies (Nanchang's 2020 专利授权量 from its +32.9 % agrees by
    construction), only checks against independent reports:

    >>> import pandas as pd
    >>> obs = ipbench.load_observations()
    >>> both = pd.concat([obs, ipbench.reconstruct(obs)[obs.columns]], ignore_index=True)
    >>> bool((ipbench.consistency(both)["adcode"] == "360100").any())
    False
    """
    obs, ctx = validated(obs, catalog, regions=regions, indicators=indicators, sources=sources)
    derived = per_distinct_rows(
        row_codes(obs["note"]), obs.index, lambda rows: is_derived(obs.iloc[rows])
    )
    # only figures that can meet another are checked: read the rounding of those alone
    coded = with_codes(obs, ["adcode", "indicator"])
    same_figure = _same_figure_rows(coded)
    change = _change_rows(coded)
    checked = same_figure | change
    half = pd.Series(np.nan, index=obs.index, dtype="float64")
    rows = obs[checked]
    half[checked] = rounding_halfwidth(
        rows, map_distinct(rows["indicator"], ctx.kind_of).fillna("")
    ).to_numpy()
    half = _reconstruction_halfwidth(obs, derived, ctx).fillna(half)
    frame = obs.assign(_half=half, _derived=derived)
    return stamp(
        pd.concat(
            [_same_figure(frame[same_figure]), _change_against_levels(frame[change])],
            ignore_index=True,
        ),
        ctx,
        "result",
    )


_SAME_FIGURE_KEY = ["adcode", "indicator", "measure", "status", "period_start", "period_end"]


def _same_figure_rows(obs: pd.DataFrame) -> np.ndarray:
    """Select the exact figures whose point is reported more than once."""
    exact = obs["qualifier"].isin(["eq", "approx"]).to_numpy()
    codes = row_codes(*(code_of(obs, column) for column in _SAME_FIGURE_KEY))
    repeated = pd.Series(codes[exact]).duplicated(keep=False).to_numpy()
    rows = np.zeros(len(obs), dtype="bool")
    rows[np.flatnonzero(exact)[repeated]] = True
    return rows


def _change_rows(obs: pd.DataFrame) -> np.ndarray:
    """Select the reported changes, and the exact levels of their series."""
    changes = obs["measure"].isin(["yoy_pct", "yoy_abs"]).to_numpy()
    levels = (obs["measure"] == "level").to_numpy() & obs["qualifier"].isin(
        ["eq", "approx"]
    ).to_numpy()
    if not changes.any():
        return changes
    series = ["adcode", "indicator", "status"]
    codes = row_codes(*(code_of(obs, column) for column in series))
    return changes | (levels & np.isin(codes, codes[changes]))


def _reconstruction_halfwidth(obs: pd.DataFrame, derived: pd.Series, ctx: Catalog) -> pd.Series:
    """How far each reconstructed row may be off: the wider side of its interval.

    The interval is recomputed from the reported rows the reconstruction came
    from; NaN for other rows (and for a reconstructed row whose inputs are no
    longer in ``obs``, which then keeps the rounding of its value).
    """
    # the notes of derived rows only: reported figures are most of a national panel
    rebuilt_rows = derived.copy()
    # set as an array: pandas 2.2 aligns a Series on the whole index first, which puts
    # missing values into a bool column (a FutureWarning)
    rebuilt_rows[derived] = (
        obs.loc[derived, "note"]
        .astype("object")
        .fillna("")
        .str.startswith(RECONSTRUCTED_NOTE)
        .to_numpy(dtype="bool")
    )
    result = pd.Series(np.nan, index=obs.index, dtype="float64")
    if not rebuilt_rows.any():
        return result
    reported = obs[~derived]
    rebuilt = reconstruct_levels(reported, ctx)  # the catalog is known: no second validation
    rebuilt = rebuilt[rebuilt["value"].notna()]
    widest = np.maximum(
        rebuilt["interval_high"] - rebuilt["value"], rebuilt["value"] - rebuilt["interval_low"]
    )
    key = ["adcode", "indicator", "status", "period_start", "period_end", "source", "evidence"]
    known = rebuilt[key].assign(_rebuilt_value=rebuilt["value"], _widest=widest)
    known = known.drop_duplicates(key)
    matched = obs.loc[rebuilt_rows, [*key, "value"]].merge(
        known.astype({"adcode": obs["adcode"].dtype}), on=key, how="left"
    )
    same_value = np.isclose(matched["value"], matched["_rebuilt_value"], rtol=1e-12, atol=0)
    result.loc[rebuilt_rows] = matched["_widest"].where(same_value).to_numpy()
    return result


def _same_figure(frame: pd.DataFrame) -> pd.DataFrame:
    key = ["adcode", "indicator", "measure", "status", "period_start", "period_end"]
    exact = frame[frame["qualifier"].isin(["eq", "approx"])]
    pairs = exact.merge(exact, on=key, suffixes=("", "_other"))
    # two sources: a derived row keeps the source of the report it came from, so
    # this also keeps two rows derived from one report (or a row and its input) apart
    pairs = pairs[pairs["source"] < pairs["source_other"]]
    tolerance = pairs["_half"] + pairs["_half_other"]
    gap = (pairs["value"] - pairs["value_other"]).abs()
    return pd.DataFrame(
        {
            "adcode": pairs["adcode"],
            "indicator": pairs["indicator"],
            "check": "same figure, two sources",
            "period_start": pairs["period_start"],
            "period_end": pairs["period_end"],
            "reported": pairs["value"],
            "computed": pairs["value_other"],
            "tolerance": tolerance,
            "consistent": gap <= tolerance + 1e-9,
            "method": text_series(
                join_text(
                    number_text(pairs["value"]),
                    " (",
                    pairs["source"],
                    ") vs ",
                    number_text(pairs["value_other"]),
                    " (",
                    pairs["source_other"],
                    "); each within half its last reported digit",
                ),
                pairs.index,
            ),
            "sources": merge_sources(pairs["source"], pairs["source_other"]),
        }
    )


def _change_against_levels(frame: pd.DataFrame) -> pd.DataFrame:
    key = ["adcode", "indicator", "status"]
    levels = frame[(frame["measure"] == "level") & frame["qualifier"].isin(["eq", "approx"])]
    changes = frame[frame["measure"].isin(["yoy_pct", "yoy_abs"])]
    now = changes.merge(levels, on=[*key, "period_start", "period_end"], suffixes=("", "_now"))
    one_year = pd.DateOffset(years=1)
    now["_prev_start"] = now["period_start"] - one_year
    now["_prev_end"] = now["period_end"] - one_year
    both = now.merge(
        levels.rename(columns={"period_start": "_prev_start", "period_end": "_prev_end"}),
        on=[*key, "_prev_start", "_prev_end"],
        suffixes=("", "_prev"),
    )
    # a level derived from this very change (same report, same phrase) agrees with it by
    # construction: checking the change against it would be a tautology
    own_input = pd.Series(False, index=both.index)
    for level in ("_now", "_prev"):
        own_input |= (
            both[f"_derived{level}"]
            & (both[f"source{level}"] == both["source"])
            & (both[f"evidence{level}"] == both["evidence"])
        )
    both = both[~own_input]
    x1, h1 = both["value_now"], both["_half_now"]
    x0, h0 = both["value_prev"], both["_half_prev"]
    pct = both["measure"].astype(str) == "yoy_pct"
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = ((x1 / x0 - 1) * 100).where(pct, x1 - x0)
        # the widest the computed change can swing given both levels' rounding
        spread_pct = (((x1 + h1) / (x0 - h0) - 1) * 100 - ((x1 - h1) / (x0 + h0) - 1) * 100) / 2
    spread = spread_pct.where(pct, h1 + h0)
    tolerance = (spread + both["_half"]).astype("float64")
    return pd.DataFrame(
        {
            "adcode": both["adcode"],
            "indicator": both["indicator"],
            "check": "reported change vs levels",
            "period_start": both["period_start"],
            "period_end": both["period_end"],
            "reported": both["value"],
            "computed": computed.astype("float64"),
            "tolerance": tolerance,
            "consistent": (both["value"] - computed).abs() <= tolerance + 1e-9,
            "method": text_series(
                join_text(
                    "levels ",
                    number_text(x0),
                    " → ",
                    number_text(x1),
                    " give ",
                    number_text(computed, "{:.4g}"),
                    "; reported ",
                    number_text(both["value"]),
                    " ",
                    both["measure"].astype(str),
                ),
                both.index,
            ),
            "sources": merge_sources(both["source"], both["source_now"], both["source_prev"]),
        }
    )
