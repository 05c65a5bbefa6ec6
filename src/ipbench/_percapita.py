"""Per-capita normalisation and the denominators that reported rates imply."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._codes import (
    CODE_PREFIX,
    code_of,
    distinct_mask,
    first_rows,
    joint_codes,
    map_distinct,
    per_distinct_rows,
    recode,
    row_codes,
    with_codes,
)
from ipbench._errors import DenominatorError, OptionError
from ipbench._load import OBSERVATION_COLUMNS, UserTable
from ipbench._options import check_option
from ipbench._periods import end_position, is_whole_years, latest_reports, start_position
from ipbench._provenance import (
    IMPLIED_COUNT_NOTE,
    PER_CAPITA_NOTE,
    join_text,
    merge_sources,
    number_text,
    text_series,
)
from ipbench._reconstruct import rounding_halfwidth
from ipbench._validated import stamp, validated
from ipbench._vocabulary import DEFAULT_BASES, DENOMINATOR_QUANTITIES

Basis = str | Sequence[str]

#: How a rate's unit reads for each denominator and scale.
_PER_WORDS = {
    ("resident_population", 10_000): "万人",
    ("enterprises", 10_000): "万企",
    ("gdp", 100_000_000): "亿元",
}
#: How a derived rate's id ends when the catalog has no rate for the count.
_ID_SUFFIXES = {
    ("resident_population", 10_000): "per_10k",
    ("enterprises", 10_000): "per_10k_enterprises",
    ("gdp", 100_000_000): "per_100m_gdp",
}
_DENOMINATOR_NAMES = {"resident_population": "人", "enterprises": "家", "gdp": "元"}


#: How a per-capita row relates to a rate the region reports for the same period.
RATE_CHECKS = (
    "agrees",
    "contradicts",
    "not checked",
    "derived only",
    "reported only",
    "not derived",
)


def _bases(basis: Basis | None, quantity: str) -> list[str]:
    if basis is None:
        return list(DEFAULT_BASES[quantity])
    return [basis] if isinstance(basis, str) else list(basis)


def _check_options(per: object, quantity: object, nearest_year: object) -> None:
    """Refuse option values that would give no rate or a meaningless one."""
    if isinstance(per, bool) or not isinstance(per, int | float) or not per > 0:
        raise OptionError(f"`per` must be a positive number (10_000 for 万人); got {per!r}")
    check_option("quantity", quantity, DENOMINATOR_QUANTITIES)
    whole_years = isinstance(nearest_year, int) and nearest_year >= 0
    if not isinstance(nearest_year, bool) and not whole_years:
        raise OptionError(
            "`nearest_year` must be True, False or a whole number of years >= 0; "
            f"got {nearest_year!r}"
        )


def per_capita(
    obs: pd.DataFrame,
    per: int = 10_000,
    *,
    quantity: Literal["resident_population", "enterprises", "gdp"] = "resident_population",
    basis: Basis | None = None,
    nearest_year: bool | int = False,
    select: Sequence[str] | None = None,
    reported: Literal["prefer", "ignore"] = "prefer",
    errors: Literal["raise", "coerce"] = "raise",
    catalog: Catalog | None = None,
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Turn counts into rates per ``per`` residents, enterprises or 元 of GDP.

    value / denominator × ``per``, with the denominator of the year the count's
    period ends. Every derived row records the denominator it used: value,
    year, basis (census, or year-end before/after the census revision; for
    GDP, first release or final) and source, so vintages are never mixed
    silently.

    A flow summed over several whole years (十三五期间 2016–2020) is annualised
    first: its yearly average is divided, ``annualised_over_years`` says over
    how many years, and ``method`` shows the division. A stock is never
    annualised.

    A region's reported rate beats the rate we derive: with
    ``reported="prefer"`` (default) every reported rate of the same
    denominator is returned too, and where both exist for one region and
    period the row keeps the reported value, the derived one beside it, and
    ``rate_check`` says whether they agree within the rounding of both
    figures ("agrees", "contradicts"). A rate derived on another year's
    population (``nearest_year``) checks the denominator rather than the
    figure, so it is "not checked", with both numbers in ``method``, as is a
    reported rate whose count has no denominator; "derived only" and
    "reported only" mark the rest, and "not derived" a count with neither a
    denominator nor a reported rate (NaN with the ``reason``). The result is then the complete
    table of rates; those of indicators in the catalog (万人发明专利拥有量)
    are ready for :func:`benchmark`, while derived ids such as
    ``patent_grants_per_10k`` are not yet in the catalog.

    Parameters
    ----------
    obs : DataFrame
        Validated observations.
    per : int, default 10000
        Scale, positive: 10000 gives 件/万人; use 100_000_000 with
        ``quantity="gdp"`` for a rate per 亿元.
    quantity : {"resident_population", "enterprises", "gdp"}
        The denominator.
    basis : str or sequence of str, optional
        Accepted bases, in order of preference. By default the project's one
        order (``ipbench._vocabulary.DEFAULT_BASES``): population year-end
        figures revised after the 2020 census, then the census; GDP final,
        then first release. Pre-census estimates only when named.
    nearest_year : bool or int, default False
        Allow the nearest year's denominator when the same year has none
        (``True``, or at most this many years away); the row then says which
        year was used. Two years equally near: the earlier one, the figure
        already known at the time.
    select : sequence of str, optional
        Count indicators to normalise. By default, every count the catalog has
        a rate for (有效发明专利拥有量 → 万人发明专利拥有量).
    reported : {"prefer", "ignore"}
        Whether reported rates are returned and win over derived ones.
    errors : {"raise", "coerce"}
        A missing denominator raises :class:`DenominatorError` naming the
        region and year, or with ``"coerce"`` gives NaN and a ``reason``.
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    denominators, regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the built-in ones.

    Returns
    -------
    DataFrame
        Observation columns for the rate (the catalog's rate id where there is
        one, ``<id>_per_<scale>`` otherwise) plus ``numerator``,
        ``annualised_over_years``, ``denominator_value``, ``denominator_year``,
        ``denominator_basis``, ``denominator_source``, ``derived_value``,
        ``reported_value``, ``rate_check``, ``method``, ``sources`` and
        ``reason``.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> xuanwu = obs[(obs["adcode"] == "320102") & (obs["status"] == "actual")]
    >>> rates = ipbench.per_capita(xuanwu)
    >>> rates[["indicator", "value", "unit"]].round(2).to_numpy().tolist()
    [['invention_patents_in_force_per_10k', 232.08, '件/万人']]
    >>> print(rates["method"].iloc[0])
    12482 件 / 537825 人 × 10000 (census_2020_11_01 2020, ref_xuanwu_census_2020)

    Dalian reports 27.26 件/万人 for end-2021 and 20309 件. With no 2021
    population, the rate derived on the 2020 census is shown beside it but not
    taken as a check; the reported figure stands.

    >>> dalian = obs[(obs["adcode"] == "210200") & (obs["period_end"] == "2021-12-31")]
    >>> row = ipbench.per_capita(dalian, nearest_year=1).query("numerator == 20309").iloc[0]
    >>> float(row["value"]), round(float(row["derived_value"]), 2), row["rate_check"]
    (27.26, 27.26, 'not checked')
    """
    _check_options(per, quantity, nearest_year)
    check_option("reported", reported, ("prefer", "ignore"))
    check_option("errors", errors, ("raise", "coerce"))
    obs, ctx = validated(
        obs,
        catalog,
        denominators=denominators,
        regions=regions,
        indicators=indicators,
        sources=sources,
    )
    return stamp(
        rates_per_capita(
            obs,
            ctx,
            per=per,
            quantity=quantity,
            basis=basis,
            nearest_year=nearest_year,
            select=select,
            reported=reported,
            errors=errors,
        ),
        ctx,
        "derived",
    )


def rates_per_capita(
    obs: pd.DataFrame,
    ctx: Catalog,
    *,
    per: int = 10_000,
    quantity: str = "resident_population",
    basis: Basis | None = None,
    nearest_year: bool | int = False,
    select: Sequence[str] | None = None,
    reported: str = "prefer",
    errors: str = "raise",
) -> pd.DataFrame:
    """Do the work of :func:`per_capita` with a catalog already built and validated."""
    bases = _bases(basis, quantity)
    rates = _rate_catalog(ctx, quantity)
    if select is not None:
        rates = rates[rates["base_indicator"].isin(list(select))]
    compared = reported != "ignore" and per == 10_000 and not rates.empty
    counts, reports = _counts(obs, ctx, quantity, select, rates["indicator"] if compared else None)
    year = counts["period_end"].dt.year.astype("int64")
    found, pair = _lookup_pairs(
        counts["adcode"],
        year,
        ctx.denominators,
        quantity,
        bases,
        nearest_year,
        code_of(counts, "adcode"),
    )
    missing = found["value"].isna()
    if missing.any() and errors == "raise":
        raise DenominatorError(
            _missing_message(counts[missing], year[missing], ctx, quantity, bases, nearest_year)
        )
    derived = _rates(counts, found, pair, per, quantity, ctx)
    if not compared:
        return derived
    return _with_reported(derived, counts, pair, reports, ctx)


def _counts(
    obs: pd.DataFrame,
    ctx: Catalog,
    quantity: str,
    select: Sequence[str] | None,
    rate_ids: pd.Series | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Select the counts to divide and, with ``rate_ids``, the rates reported beside them."""
    rate_of = _rate_catalog(ctx, quantity).set_index("base_indicator")["indicator"]
    chosen = list(rate_of.index) if select is None else list(select)
    unknown = sorted(set(chosen) - set(ctx.kind_of.index))
    if unknown:
        raise ValueError(f"select names indicators not in the catalog: {unknown}")
    not_counts = sorted({i for i in chosen if ctx.kind_of[i] not in ("stock", "flow")})
    if not_counts:
        raise ValueError(
            f"only stocks and flows can be normalised; {not_counts} are rates or shares already"
        )
    reported_ids = [] if rate_ids is None else list(rate_ids)
    obs = with_codes(obs, ["indicator"])
    indicator = obs["indicator"]
    is_count = distinct_mask(
        indicator,
        lambda ids: ids.isin(chosen) & ids.map(ctx.kind_of).notna(),
        code_of(obs, "indicator"),
    )
    is_rate = distinct_mask(
        indicator, lambda ids: ids.isin(reported_ids), code_of(obs, "indicator")
    )
    levels = (obs["measure"] == "level").to_numpy()
    # the ids are read once, for the rows used: counts and rates share the codes
    used = with_codes(obs[levels & (is_count | is_rate)], ["adcode", "source"])
    counts = used[is_count[levels & (is_count | is_rate)]]
    reports = used[is_rate[levels & (is_count | is_rate)]]
    # a count reported twice (2.03万 in the news, 20309 officially) is divided once
    counts = latest_reports(counts, _POINT_KEY, ctx.sources).sort_index()
    counts = counts.assign(
        _rate_id=map_distinct(counts["indicator"], rate_of, code_of(counts, "indicator"))
    )
    return counts, reports


_POINT_KEY = ["adcode", "indicator", "status", "period_start", "period_end"]


def _rate_catalog(ctx: Catalog, quantity: str) -> pd.DataFrame:
    """Select the catalog's rates of ``quantity`` (万人发明专利拥有量 for residents)."""
    table = ctx.indicators
    return table[(table["kind"] == "rate") & (table["denominator"] == quantity)]


def _lookup(
    adcode: pd.Series,
    year: pd.Series,
    denominators: pd.DataFrame,
    quantity: str,
    bases: list[str],
    nearest_year: bool | int,
) -> pd.DataFrame:
    """Find each row's denominator, trying the bases in order, same year first."""
    return _lookup_pairs(adcode, year, denominators, quantity, bases, nearest_year)[0]


def _lookup_pairs(
    adcode: pd.Series,
    year: pd.Series,
    denominators: pd.DataFrame,
    quantity: str,
    bases: list[str],
    nearest_year: bool | int,
    adcode_codes: pd.Series | None = None,
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`_lookup`, and the code of each row's region-year (the look-up is per pair)."""
    pair = row_codes(adcode if adcode_codes is None else adcode_codes, year)
    first = first_rows(pair)
    found = _lookup_distinct(
        adcode.iloc[first], year.iloc[first], denominators, quantity, bases, nearest_year
    )
    result = found.iloc[pair]
    result.index = adcode.index
    return result, pair


def _lookup_distinct(
    adcode: pd.Series,
    year: pd.Series,
    denominators: pd.DataFrame,
    quantity: str,
    bases: list[str],
    nearest_year: bool | int,
) -> pd.DataFrame:
    wanted = pd.DataFrame(
        {"adcode": adcode.to_numpy(), "year": year.to_numpy()}, index=adcode.index
    )
    result = pd.DataFrame(index=adcode.index, columns=["value", "year", "basis", "source"])
    result = result.astype(
        {"value": "float64", "year": "Int64", "basis": "object", "source": "object"}
    )
    if wanted.empty:  # nothing to look up: the typed empty table
        return result
    pool = denominators[denominators["quantity"] == quantity]
    rank = {basis: position for position, basis in enumerate(bases)}
    candidates = pool[pool["basis"].isin(bases)][["adcode", "year", "value", "basis", "source"]]
    candidates = candidates.assign(
        basis=candidates["basis"].astype(str), _rank=candidates["basis"].astype(str).map(rank)
    ).rename(columns={"year": "den_year"})
    targets = wanted.reset_index(names="_row")
    exact = targets.merge(candidates, left_on=["adcode", "year"], right_on=["adcode", "den_year"])
    best = exact.assign(_gap=0)
    unmatched = targets[~targets["_row"].isin(exact["_row"])]
    if nearest_year is not False and not unmatched.empty:
        near = unmatched.merge(candidates, on="adcode")
        near["_gap"] = (near["den_year"] - near["year"]).abs()
        if nearest_year is not True:
            near = near[near["_gap"] <= int(nearest_year)]
        best = pd.concat([best, near], ignore_index=True)
    # the same year first, then the nearest year; of two equally near years the earlier,
    # a figure already known at the time (Dalian 2021: the 2020 census, not 2022's
    # year-end estimate); then the preferred basis
    best = best.sort_values(["_row", "_gap", "den_year", "_rank"]).drop_duplicates("_row")
    best = best.set_index("_row")
    result.loc[best.index, "value"] = best["value"].astype("float64")
    result.loc[best.index, "year"] = best["den_year"].astype("Int64")
    result.loc[best.index, "basis"] = best["basis"]
    result.loc[best.index, "source"] = best["source"]
    return result


def _missing_message(
    rows: pd.DataFrame,
    year: pd.Series,
    ctx: Catalog,
    quantity: str,
    bases: list[str],
    nearest_year: bool | int,
) -> str:
    names = ctx.regions.set_index("adcode")["name_zh"]
    pool = ctx.denominators[ctx.denominators["quantity"] == quantity]
    wanted = pd.DataFrame({"adcode": rows["adcode"], "year": year}).drop_duplicates()
    lines = []
    for adcode, wanted_year in wanted.head(_LISTED).itertuples(index=False):
        have = pool[pool["adcode"] == adcode]
        available = "; ".join(
            f"{basis} {_years(group['year'])}"
            for basis, group in have.groupby(have["basis"].astype(str))
        )
        lines.append(
            f"  {names.get(adcode, '?')} {adcode}, {wanted_year}: none on basis {bases}"
            + ("" if nearest_year is not False else " for that year")
            + f"; available: {available or 'none'}"
        )
    if len(wanted) > _LISTED:
        lines.append(f"  … and {len(wanted) - _LISTED} more")
    return (
        f"no {quantity} denominator for {len(wanted)} region-year(s):\n"
        + "\n".join(lines)
        + "\nadd the figure to denominators, accept other bases (basis=[...]), allow "
        "nearest_year=True, or pass errors='coerce' to get NaN with a reason"
    )


_LISTED = 10


def _years(years: pd.Series) -> str:
    ordered = sorted({int(year) for year in years})
    if len(ordered) > 2 and ordered[-1] - ordered[0] + 1 == len(ordered):
        return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(str(year) for year in ordered)


def _window_years(counts: pd.DataFrame, ctx: Catalog) -> pd.Series:
    """Whole years a flow is summed over (5 for 2016-2020), NaN for stocks and part-years."""
    start, end = counts["period_start"], counts["period_end"]
    years = (end_position(end) - start_position(start)).round(6)
    is_flow = counts["indicator"].map(ctx.kind_of) == "flow"
    whole = is_whole_years(start, end)
    return years.where(is_flow & whole)


def _rates(
    counts: pd.DataFrame,
    found: pd.DataFrame,
    pair: np.ndarray,
    per: int,
    quantity: str,
    ctx: Catalog,
) -> pd.DataFrame:
    """Divide each count by its denominator (``pair`` numbers the rows' region-years)."""
    per_word = _PER_WORDS.get((quantity, per), f"{per:g}{_DENOMINATOR_NAMES[quantity]}")
    index = counts.index
    by_indicator = row_codes(code_of(counts, "indicator"))

    def per_indicator(make: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
        return per_distinct_rows(by_indicator, index, lambda rows: make(counts.iloc[rows]))

    count_unit = per_indicator(lambda rows: rows["indicator"].map(ctx.unit_of).astype("str"))
    suffix = _ID_SUFFIXES.get((quantity, per), f"per_{per}_{quantity}")
    derived_id = per_indicator(
        lambda rows: (
            rows["_rate_id"]
            .where(
                rows["_rate_id"].notna() & (per == 10_000) & (quantity != "gdp"),
                rows["indicator"] + "_" + suffix,
            )
            .astype("str")
        )
    )
    # a window depends on the indicator and the period only: a few hundred distinct ones
    by_period = row_codes(by_indicator, counts["period_start"], counts["period_end"])
    window = per_distinct_rows(by_period, index, lambda rows: _window_years(counts.iloc[rows], ctx))
    several = window > 1
    # a sum over several years is compared as its yearly average
    numerator = counts["value"].where(~several, counts["value"] / window)
    scale = per / found["value"]
    # the denominator's part of the text is the same for every row of a region-year
    tail = per_distinct_rows(
        pair,
        index,
        lambda rows: _denominator_part(counts.iloc[rows], found.iloc[rows], per, quantity),
    )
    lead = number_text(numerator)
    if several.any():
        average = _yearly_average_text(counts, window, count_unit, several)
        method_text = join_text(average, lead, " ", count_unit, tail)
    else:
        method_text = join_text(lead, " ", count_unit, tail)
    method_text[pd.isna(method_text)] = ""
    method = text_series(method_text, index)
    no_denominator = found["value"].isna().to_numpy()
    reason = text_series(
        np.where(
            no_denominator, "no denominator for this region and year on the accepted bases", ""
        ).astype("object"),
        index,
    )
    value = (numerator * scale).astype("float64")
    return pd.DataFrame(
        {
            "adcode": counts["adcode"],
            "indicator": derived_id,
            "measure": counts["measure"],
            "status": counts["status"],
            "period_start": counts["period_start"],
            "period_end": counts["period_end"],
            "value": value,
            "qualifier": counts["qualifier"],
            "value_high": (
                counts["value_high"].where(~several, counts["value_high"] / window) * scale
            ).astype("float64"),
            "unit": per_indicator(
                lambda rows: (
                    rows["indicator"].map(ctx.unit_of).astype("str") + "/" + per_word
                ).astype("str")
            ),
            "source": counts["source"],
            "evidence": counts["evidence"],
            "note": text_series(join_text(PER_CAPITA_NOTE, method_text), index),
            "numerator_indicator": counts["indicator"],
            "numerator": counts["value"],
            "annualised_over_years": window.where(several).astype("float64"),
            "denominator_value": found["value"],
            "denominator_year": found["year"].astype("Int64"),
            "denominator_basis": per_distinct_rows(
                pair, index, lambda rows: found["basis"].iloc[rows].astype("str")
            ),
            "denominator_source": per_distinct_rows(
                pair, index, lambda rows: found["source"].iloc[rows].astype("str")
            ),
            "derived_value": value,
            "reported_value": np.nan,
            "rate_check": "derived only",
            "method": method,
            "sources": merge_sources(
                counts["source"], found["source"], codes=row_codes(code_of(counts, "source"), pair)
            ),
            "reason": reason,
        }
    )


def _denominator_part(
    counts: pd.DataFrame, found: pd.DataFrame, per: int, quantity: str
) -> pd.Series:
    """Write what follows the numerator and its unit in a rate's ``method``: the denominator."""
    same_year = found["year"] == counts["period_end"].dt.year
    year_note = np.where(same_year.fillna(False), "", " (nearest year)")
    return (
        " / "
        + number_text(found["value"])
        + " "
        + _DENOMINATOR_NAMES[quantity]
        + f" × {per:g} "
        + _denominator_text(found, year_note)
    )


def _yearly_average_text(
    counts: pd.DataFrame, window: pd.Series, count_unit: pd.Series, several: pd.Series
) -> np.ndarray:
    """How a sum over several years became its yearly average ("" for other rows)."""
    rows = several.fillna(False).to_numpy(dtype="bool")
    chosen = counts[rows]
    text = np.full(len(counts), "", dtype="object")
    text[rows] = (
        "yearly average of the "
        + chosen["period_start"].dt.strftime("%Y")
        + "-"
        + chosen["period_end"].dt.strftime("%Y")
        + " total ("
        + number_text(chosen["value"])
        + " "
        + count_unit[rows]
        + " / "
        + number_text(window[rows].fillna(1))
        + "): "
    ).to_numpy(dtype="object")
    return text


def _denominator_text(found: pd.DataFrame, nearest: pd.Series | np.ndarray) -> pd.Series:
    """Name a denominator in a ``method``: "(basis year[ (nearest year)], source)"."""
    return (
        "("
        + found["basis"].astype("str")
        + " "
        + found["year"].astype("string").fillna("?")
        + nearest
        + ", "
        + found["source"].astype("str")
        + ")"
    )


def _with_reported(
    derived: pd.DataFrame,
    counts: pd.DataFrame,
    pair: np.ndarray,
    reported: pd.DataFrame,
    ctx: Catalog,
) -> pd.DataFrame:
    """Put each reported rate (``reported``, rows of the catalog's rates) in place of the derived.

    ``counts`` are the rows ``derived`` was computed from, in its order, with
    codes shared with ``reported``; ``pair`` numbers their region-years.
    """
    key = _POINT_KEY
    reported = latest_reports(reported, key, ctx.sources)
    # rounding is read from each figure's evidence: only for the reported rates kept
    kinds = map_distinct(reported["indicator"], ctx.kind_of, code_of(reported, "indicator"))
    reported = reported.assign(_half=rounding_halfwidth(reported, kinds))
    matched = derived.reset_index(drop=True)
    reported_key, derived_key = joint_codes(reported, _coded_key(derived, counts, reported), key)
    position = pd.Index(reported_key).get_indexer(derived_key)
    taken = reported[["value", "qualifier", "source", "evidence", "_half"]].reset_index(drop=True)
    taken = taken.reindex(position).set_axis(matched.index)
    matched = matched.assign(
        value_reported=taken["value"],
        qualifier_reported=taken["qualifier"],
        source_reported=taken["source"],
        evidence_reported=taken["evidence"],
        _half=taken["_half"],
    )
    # the sources' codes: of the derivation (count and denominator) and of the report
    source_codes = (
        row_codes(code_of(counts, "source"), pair),
        np.append(code_of(reported, "source").to_numpy(), -1)[position],
    )
    has_report = matched["value_reported"].notna()
    has_derived = matched["value"].notna()
    # a rate derived on another year's population checks the denominator, not the figure
    same_year = (matched["denominator_year"] == matched["period_end"].dt.year).fillna(False)
    other_year = has_report & has_derived & ~same_year.astype(bool)
    checked = (has_report & has_derived & ~other_year).to_numpy()
    numerators = pd.DataFrame(
        {
            "value": matched["numerator"],
            "measure": matched["measure"],
            "evidence": matched["evidence"],
        }
    )[checked]
    count_half = rounding_halfwidth(
        numerators,
        pd.Series(pd.Categorical(["stock"] * len(numerators)), index=numerators.index),
    ).reindex(matched.index)
    # the derived rate's own rounding comes from its count's; the reported one's from its digits
    tolerance = matched["_half"] + count_half * matched["value"] / matched["numerator"]
    gap = (matched["value"] - matched["value_reported"]).abs()
    agrees = gap <= tolerance + 1e-9
    # a count with no denominator leaves the reported rate unchecked; with no report, the
    # row has no rate at all
    check = np.select(
        [has_report & ~has_derived, other_year, has_report & agrees, has_report, ~has_derived],
        ["not checked", "not checked", "agrees", "contradicts", "not derived"],
        "derived only",
    )
    updated = matched.assign(
        reported_value=matched["value_reported"],
        rate_check=check,
        value=matched["value"].where(~has_report, matched["value_reported"]),
        qualifier=matched["qualifier"].where(~has_report, matched["qualifier_reported"]),
        method=_checked_method(matched, has_report, has_derived, other_year, agrees, tolerance),
        source=matched["source"].where(~has_report, matched["source_reported"]),
        evidence=matched["evidence"].where(~has_report, matched["evidence_reported"]),
        sources=_checked_sources(matched, has_report, has_derived, source_codes),
        reason=matched["reason"].mask(has_report, ""),
    )[derived.columns]
    alone = reported[~np.isin(reported_key, derived_key)]
    return pd.concat([updated, _reported_only(alone, ctx)], ignore_index=True)


def _coded_key(derived: pd.DataFrame, counts: pd.DataFrame, reported: pd.DataFrame) -> pd.DataFrame:
    """Key the derived rates by the codes the reported rates carry (-1: no such rate reported)."""
    rate_codes = recode(derived["indicator"], code_of(counts, "indicator"), reported, "indicator")
    return derived[_POINT_KEY].assign(
        **{
            CODE_PREFIX + "adcode": code_of(counts, "adcode"),
            CODE_PREFIX + "indicator": rate_codes,
        }
    )


def _checked_method(
    matched: pd.DataFrame,
    has_report: pd.Series,
    has_derived: pd.Series,
    other_year: pd.Series,
    agrees: pd.Series,
    tolerance: pd.Series,
) -> pd.Series:
    """Write each rate's ``method``: the derivation, and how the reported rate compares."""
    method = matched["method"].to_numpy(dtype="object").copy()
    compared = (has_report & ~other_year & has_derived).to_numpy()
    unchecked = (has_report & ~has_derived).to_numpy()
    other = other_year.to_numpy()

    def column(name: str, rows: np.ndarray) -> pd.Series:
        return matched[name][rows]

    if compared.any():
        agree = agrees.to_numpy()[compared]
        method[compared] = join_text(
            "reported ",
            number_text(column("value_reported", compared)),
            " (",
            column("source_reported", compared).astype("str"),
            ") ",
            np.where(agree, "agrees with the derived ", "CONTRADICTS the derived ").astype(
                "object"
            ),
            number_text(column("value", compared), "{:.6g}"),
            np.where(agree, " within ±", ": they differ by more than ±").astype("object"),
            number_text(tolerance[compared], "{:.3g}"),
            "; the reported figure is used. Derived: ",
            method[compared],
        )
    if other.any():
        method[other] = join_text(
            "reported ",
            number_text(column("value_reported", other)),
            " (",
            column("source_reported", other).astype("str"),
            "); not checked: the derived ",
            number_text(column("value", other), "{:.6g}"),
            " divides by another year's population. Derived: ",
            method[other],
        )
    if unchecked.any():
        method[unchecked] = join_text("reported (not checked: ", column("reason", unchecked), ")")
    return text_series(method, matched.index)


def _checked_sources(
    matched: pd.DataFrame,
    has_report: pd.Series,
    has_derived: pd.Series,
    codes: tuple[np.ndarray, np.ndarray],
) -> pd.Series:
    """Join each rate's sources: a reported rate adds its own source to the derivation's."""
    sources = matched["sources"].to_numpy(dtype="object").copy()
    reported = has_report.to_numpy()
    if reported.any():
        sources[reported] = merge_sources(
            matched["sources"][reported],
            matched["source_reported"][reported],
            codes=row_codes(codes[0][reported], codes[1][reported]),
        ).to_numpy(dtype="object")
    alone = (has_report & ~has_derived).to_numpy()
    sources[alone] = matched["source_reported"][alone].astype("str").to_numpy(dtype="object")
    return text_series(sources, matched.index)


def _reported_only(reported: pd.DataFrame, ctx: Catalog) -> pd.DataFrame:
    base = map_distinct(
        reported["indicator"],
        ctx.indicators.set_index("indicator")["base_indicator"],
        code_of(reported, "indicator"),
    )
    return pd.DataFrame(
        {
            **{column: reported[column] for column in _OBSERVATION_COLUMNS},
            "numerator_indicator": base.astype("str"),
            "numerator": np.nan,
            "annualised_over_years": np.nan,
            "denominator_value": np.nan,
            "denominator_year": pd.array([pd.NA] * len(reported), dtype="Int64"),
            "denominator_basis": None,
            "denominator_source": None,
            "derived_value": np.nan,
            "reported_value": reported["value"],
            "rate_check": "reported only",
            "method": "reported",
            "sources": reported["source"].astype("str"),
            "reason": "",
        },
        index=reported.index,
    )


_OBSERVATION_COLUMNS = list(OBSERVATION_COLUMNS)


def implied_counts(
    obs: pd.DataFrame,
    *,
    basis: Basis | None = None,
    nearest_year: bool | int = False,
    catalog: Catalog | None = None,
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Derive the counts that reported per-10k rates imply: rate × denominator / 10⁴.

    The inverse of :func:`per_capita`, for regions that report a rate but no
    count for the same date: Nanjing's 95.42 件/万人 at end-2021 and its
    year-end population of 9,423,400 imply about 89,918 invention patents in
    force, which links the rate to Nanjing's counted 33,458 of 2016. A count
    the region reports itself beats one implied here, so rates with a reported
    count for the same period are left out. The interval is what the rounding
    of the rate allows (95.42 means 95.415 to 95.425).

    Parameters
    ----------
    obs : DataFrame
        Validated observations.
    basis, nearest_year
        As for :func:`per_capita` (the same default order of bases).
    denominators, regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the built-in ones.

    Returns
    -------
    DataFrame
        Observation rows of the count indicator (qualifier ``approx``), with
        ``rate``, ``interval_low``/``interval_high``, the denominator used,
        ``method``, ``sources`` and ``reason`` (NaN with the reason where no
        denominator is found).

    Examples
    --------
    >>> import ipbench
    >>> counts = ipbench.implied_counts(ipbench.load_observations())
    >>> nanjing = counts[counts["adcode"] == "320100"].iloc[0]
    >>> round(float(nanjing["value"]), 1), nanjing["indicator"]
    (89918.1, 'invention_patents_in_force')
    >>> print(nanjing["method"])
    95.42 件/万人 × 9423400 人 / 10000 (year_end_census_revised 2021, ref_nanjing_population_series)
    """
    _check_options(10_000, "resident_population", nearest_year)
    obs, ctx = validated(
        obs,
        catalog,
        denominators=denominators,
        regions=regions,
        indicators=indicators,
        sources=sources,
    )
    return stamp(
        counts_from_rates(obs, ctx, basis=basis, nearest_year=nearest_year), ctx, "derived"
    )


def counts_from_rates(
    obs: pd.DataFrame, ctx: Catalog, *, basis: Basis | None = None, nearest_year: bool | int = False
) -> pd.DataFrame:
    """Do the work of :func:`implied_counts` with a catalog already built and validated."""
    table = ctx.indicators
    rate_rows = table[(table["kind"] == "rate") & table["denominator"].notna()]
    base_of = rate_rows.set_index("indicator")["base_indicator"]
    quantity_of = rate_rows.set_index("indicator")["denominator"]
    obs = with_codes(obs, ["indicator"])
    is_rate = distinct_mask(
        obs["indicator"], lambda ids: ids.isin(rate_rows["indicator"]), code_of(obs, "indicator")
    )
    # only the counts of these rates can already be reported
    is_count = distinct_mask(
        obs["indicator"], lambda ids: ids.isin(base_of.dropna()), code_of(obs, "indicator")
    )
    chosen_rows = (obs["measure"] == "level").to_numpy() & (is_rate | is_count)
    used = with_codes(obs[chosen_rows], ["adcode", "source"])
    reported = used[is_rate[chosen_rows]]
    rates = latest_reports(reported, _POINT_KEY, ctx.sources).sort_index()
    rate_codes = code_of(rates, "indicator")
    rates = rates.assign(_count_id=map_distinct(rates["indicator"], base_of, rate_codes))
    rates = rates.assign(
        **{CODE_PREFIX + "_count_id": recode(rates["_count_id"], rate_codes, used, "indicator")}
    )
    counted = used[is_count[chosen_rows]]
    rate_key, count_key = joint_codes(
        rates, counted, ["adcode", "_count_id", *_POINT_KEY[2:]], _POINT_KEY
    )
    rates = rates[~np.isin(rate_key, count_key)]
    year = rates["period_end"].dt.year.astype("int64")
    quantity = map_distinct(rates["indicator"], quantity_of, code_of(rates, "indicator")).astype(
        "str"
    )
    # one look-up per denominator quantity (residents, enterprises), in the rows' order
    parts = [
        _lookup_pairs(
            rates.loc[quantity == name, "adcode"],
            year[quantity == name],
            ctx.denominators,
            name,
            _bases(basis, name),
            nearest_year,
        )[0]
        for name in quantity.unique()
    ]
    empty = _lookup(rates["adcode"].iloc[:0], year.iloc[:0], ctx.denominators, "", [], False)
    found = pd.concat([empty, *parts]).reindex(rates.index)
    kinds = map_distinct(rates["indicator"], ctx.kind_of, code_of(rates, "indicator"))
    half = rounding_halfwidth(rates, kinds.fillna(""))
    denominator = pd.to_numeric(found["value"]).astype("float64")
    count = rates["value"] * denominator / 10_000
    unit = map_distinct(rates["_count_id"], ctx.unit_of).astype("str")
    nearest = np.where((found["year"] == year).fillna(True), "", " (nearest year)").astype("object")
    method_text = join_text(
        number_text(rates["value"]),
        " ",
        rates["unit"].astype("str"),
        " × ",
        number_text(denominator),
        " ",
        quantity.map(_DENOMINATOR_NAMES).astype("str"),
        " / 10000 (",
        found["basis"].astype("str"),
        " ",
        found["year"].astype("string").fillna("?").astype("object"),
        nearest,
        ", ",
        found["source"].astype("str"),
        ")",
    )
    method_text[denominator.isna().to_numpy()] = ""
    method = text_series(method_text, rates.index)
    reason = pd.Series("", index=rates.index, dtype="str").mask(
        denominator.isna(), "no denominator for this region and year on the accepted bases"
    )
    return pd.DataFrame(
        {
            "adcode": rates["adcode"],
            "indicator": rates["_count_id"].astype("str"),
            "measure": rates["measure"],
            "status": rates["status"],
            "period_start": rates["period_start"],
            "period_end": rates["period_end"],
            "value": count.astype("float64"),
            "qualifier": pd.Categorical(
                ["approx"] * len(rates), categories=rates["qualifier"].cat.categories
            ),
            "value_high": np.nan,
            "unit": unit,
            "source": rates["source"],
            "evidence": rates["evidence"],
            "note": text_series(join_text(IMPLIED_COUNT_NOTE, method_text), rates.index),
            "rate_indicator": rates["indicator"],
            "rate": rates["value"],
            "interval_low": ((rates["value"] - half) * denominator / 10_000).astype("float64"),
            "interval_high": ((rates["value"] + half) * denominator / 10_000).astype("float64"),
            "denominator_value": denominator,
            "denominator_year": found["year"].astype("Int64"),
            "denominator_basis": found["basis"].astype("str"),
            "denominator_source": found["source"].astype("str"),
            "method": method,
            "sources": merge_sources(rates["source"], found["source"]),
            "reason": reason,
        }
    ).reset_index(drop=True)


def implied_denominators(
    obs: pd.DataFrame,
    *,
    reference_basis: Basis = "census_2020_11_01",
    catalog: Catalog | None = None,
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Denominators implied where a count and its rate are both reported.

    implied = count / rate × 10⁴ (for rates per 万人 or 万企), with the
    interval the rounding of both figures allows, compared with a reference
    figure (by default the 2020 census) as a consistency check: Dalian's
    20300 件 and 27.26 件/万人 imply 7.45 million residents. Paired targets
    (Xuanwu's 18000 件 and 300 件/万人) imply the population the plan assumes.

    Parameters
    ----------
    obs : DataFrame
        Observations, built-in or your own (a frame ipbench validated is not
        validated again).
    reference_basis : str, default "census_2020_11_01"
        Basis of the reference figure each implied denominator is compared with.
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    denominators, regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the catalog's.

    Returns
    -------
    DataFrame
        ``count``, ``rate``, ``implied_denominator``, ``interval_low``,
        ``interval_high``, ``reference_value``/``year``/``basis``,
        ``deviation`` (implied / reference − 1), ``reference_in_interval``,
        ``method`` and ``sources``.

    Examples
    --------
    >>> import ipbench
    >>> imp = ipbench.implied_denominators(ipbench.load_observations())
    >>> xuanwu = imp[(imp["adcode"] == "320102") & (imp["status"] == "target")]
    >>> xuanwu[["implied_denominator", "reference_value"]].to_numpy().tolist()
    [[600000.0, 537825.0]]
    """
    obs, ctx = validated(
        obs,
        catalog,
        denominators=denominators,
        regions=regions,
        indicators=indicators,
        sources=sources,
    )
    table = ctx.indicators
    rates_catalog = table[
        (table["kind"] == "rate")
        & table["denominator"].isin(["resident_population", "enterprises"])
    ]
    exact = (obs["measure"] == "level").to_numpy() & obs["qualifier"].isin(
        ["eq", "approx"]
    ).to_numpy()
    rate_ids = rates_catalog["indicator"]
    count_ids = rates_catalog["base_indicator"].dropna()
    obs = with_codes(obs, ["indicator"])
    # only rates of a catalog and the counts they normalise can pair
    pairable = distinct_mask(
        obs["indicator"],
        lambda ids: ids.isin(rate_ids) | ids.isin(count_ids),
        code_of(obs, "indicator"),
    )
    levels = with_codes(obs[exact & pairable], ["adcode", "source"])
    # rounding is read from each figure's evidence: only for the figures that can pair
    indicator_codes = code_of(levels, "indicator")
    kinds = map_distinct(levels["indicator"], ctx.kind_of, indicator_codes)
    levels = levels.assign(_half=rounding_halfwidth(levels, kinds.fillna("")))
    is_rate = distinct_mask(levels["indicator"], lambda ids: ids.isin(rate_ids), indicator_codes)
    is_count = distinct_mask(levels["indicator"], lambda ids: ids.isin(count_ids), indicator_codes)
    rates = levels[is_rate]
    count_indicator = map_distinct(
        rates["indicator"],
        rates_catalog.set_index("indicator")["base_indicator"],
        code_of(rates, "indicator"),
    )
    rates = rates.assign(
        count_indicator=count_indicator,
        **{
            CODE_PREFIX + "count_indicator": recode(
                count_indicator, code_of(rates, "indicator"), levels, "indicator"
            )
        },
    )
    counts = levels[is_count].rename(
        columns={
            "indicator": "count_indicator",
            CODE_PREFIX + "indicator": CODE_PREFIX + "count_indicator",
        }
    )
    key = ["adcode", "count_indicator", "status", "period_start", "period_end"]
    rate_key, count_key = joint_codes(rates, counts, key)
    pairs = (
        rates.assign(_key=rate_key)
        .merge(
            counts.drop(
                columns=[*key, CODE_PREFIX + "adcode", CODE_PREFIX + "count_indicator"]
            ).assign(_key=count_key),
            on="_key",
            suffixes=("_rate", "_count"),
        )
        .drop(columns="_key")
    )
    quantity = map_distinct(
        pairs["indicator"],
        rates_catalog.set_index("indicator")["denominator"],
        pairs[CODE_PREFIX + "indicator"],
    )
    count, rate = pairs["value_count"], pairs["value_rate"]
    hc, hr = pairs["_half_count"], pairs["_half_rate"]
    implied = count / rate * 10_000
    year = pairs["period_end"].dt.year.astype("int64")
    reference = pd.DataFrame(index=pairs.index, columns=["value", "year", "basis", "source"])
    for name in quantity.unique():
        rows = quantity == name
        found = _lookup_pairs(
            pairs.loc[rows, "adcode"],
            year[rows],
            ctx.denominators,
            str(name),
            _bases(reference_basis, str(name)),
            True,
            pairs.loc[rows, CODE_PREFIX + "adcode"],
        )[0]
        reference.loc[rows] = found
    low = (count - hc) / (rate + hr) * 10_000
    high = (count + hc) / (rate - hr) * 10_000
    ref_value = pd.to_numeric(reference["value"]).astype("float64")
    inside = pd.Series((ref_value >= low) & (ref_value <= high), dtype="boolean").mask(
        ref_value.isna()
    )
    method = text_series(
        join_text(
            number_text(count),
            " / ",
            number_text(rate),
            " × 10⁴; rounding ±",
            number_text(hc),
            " and ±",
            number_text(hr),
        ),
        pairs.index,
    )
    return stamp(
        pd.DataFrame(
            {
                "adcode": pairs["adcode"],
                "indicator": pairs["indicator"],
                "count_indicator": pairs["count_indicator"],
                "status": pairs["status"].astype("str"),
                "period_start": pairs["period_start"],
                "period_end": pairs["period_end"],
                "count": count,
                "rate": rate,
                "implied_denominator": implied,
                "interval_low": low,
                "interval_high": high,
                "reference_value": ref_value,
                "reference_year": reference["year"].astype("Int64"),
                "reference_basis": reference["basis"].astype("str"),
                "deviation": implied / ref_value - 1,
                "reference_in_interval": inside,
                "method": method.astype("str"),
                "sources": merge_sources(
                    pairs["source_rate"],
                    pairs["source_count"],
                    reference["source"],
                    # the reference is the same for a rate, a region and a year
                    codes=row_codes(
                        pairs[CODE_PREFIX + "source_rate"],
                        pairs[CODE_PREFIX + "source_count"],
                        pairs[CODE_PREFIX + "indicator"],
                        pairs[CODE_PREFIX + "adcode"],
                        year,
                    ),
                ),
            }
        ).reset_index(drop=True),
        ctx,
        "result",
    )
