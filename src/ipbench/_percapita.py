"""Per-capita normalisation and the denominators that reported rates imply."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame, Series

from ipbench._context import Context, context_for
from ipbench._load import UserTable
from ipbench._provenance import merge_sources, number_text
from ipbench._reconstruct import rounding_halfwidth
from ipbench._schemas import DerivedObservationSchema, ObservationSchema

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


class DenominatorError(LookupError):
    """A denominator that is missing for a region and year."""


class PerCapitaSchema(DerivedObservationSchema):
    """Rates derived from counts: observation columns plus their denominator."""

    numerator_indicator: Series[str]
    numerator: Series[float]
    denominator_value: Series[float] = pa.Field(gt=0, nullable=True)
    denominator_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    denominator_basis: Series[str] = pa.Field(nullable=True)
    denominator_source: Series[str] = pa.Field(nullable=True)


def _bases(basis: Basis) -> list[str]:
    return [basis] if isinstance(basis, str) else list(basis)


@pa.check_types
def per_capita(
    obs: DataFrame[ObservationSchema],
    per: int = 10_000,
    *,
    quantity: Literal["resident_population", "enterprises", "gdp"] = "resident_population",
    basis: Basis = ("year_end_census_revised", "census_2020_11_01"),
    nearest_year: bool | int = False,
    select: Sequence[str] | None = None,
    errors: Literal["raise", "coerce"] = "raise",
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> DataFrame[PerCapitaSchema]:
    """Turn counts into rates per ``per`` residents, enterprises or 元 of GDP.

    value / denominator × ``per``, with the denominator of the count's year
    (the year its period ends). Every row records the denominator it used:
    value, year, basis (census, or year-end before/after the census revision)
    and source, so vintages are never mixed silently.

    Parameters
    ----------
    obs : DataFrame
        Validated observations.
    per : int, default 10000
        Scale: 10000 gives 件/万人; use 100_000_000 with ``quantity="gdp"``
        for a rate per 亿元.
    quantity : {"resident_population", "enterprises", "gdp"}
        The denominator.
    basis : str or sequence of str
        Accepted bases, in order of preference. The default prefers year-end
        figures revised after the 2020 census, then the census itself.
    nearest_year : bool or int, default False
        Allow the nearest year's denominator when the same year has none
        (``True``, or at most this many years away); the row then says which
        year was used.
    select : sequence of str, optional
        Indicators to normalise. By default, every count the catalog has a
        rate for (有效发明专利拥有量 → 万人发明专利拥有量).
    errors : {"raise", "coerce"}
        A missing denominator raises :class:`DenominatorError` naming the
        region and year, or with ``"coerce"`` gives NaN and a ``reason``.
    denominators, regions, indicators, sources : DataFrame or path, optional
        Your own tables, extending the built-in ones.

    Returns
    -------
    DataFrame
        Observation columns for the rate (the catalog's rate id where there is
        one, ``<id>_per_<scale>`` otherwise) plus ``numerator``,
        ``denominator_value``, ``denominator_year``, ``denominator_basis``,
        ``denominator_source``, ``method``, ``sources`` and ``reason``.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> xuanwu = obs[(obs["adcode"] == "320102") & (obs["status"] == "actual")]
    >>> rates = ipbench.per_capita(xuanwu, basis="census_2020_11_01")
    >>> rates[["indicator", "value", "unit"]].round(2).to_numpy().tolist()
    [['invention_patents_in_force_per_10k', 232.08, '件/万人']]
    >>> print(rates["method"].iloc[0])
    12482 件 / 537825 人 × 10000 (census_2020_11_01 2020, ref_xuanwu_census_2020)
    """
    ctx = context_for(
        denominators=denominators, regions=regions, indicators=indicators, sources=sources
    )
    counts = _counts(obs, ctx, quantity, select)
    year = counts["period_end"].dt.year.astype("int64")
    found = _lookup(counts["adcode"], year, ctx.denominators, quantity, _bases(basis), nearest_year)
    missing = found["value"].isna()
    if missing.any() and errors == "raise":
        raise DenominatorError(
            _missing_message(
                counts[missing], year[missing], ctx, quantity, _bases(basis), nearest_year
            )
        )
    return DataFrame[PerCapitaSchema](_rates(counts, found, per, quantity, ctx))


def _counts(
    obs: pd.DataFrame, ctx: Context, quantity: str, select: Sequence[str] | None
) -> pd.DataFrame:
    catalog = ctx.indicators
    rates = catalog[(catalog["kind"] == "rate") & (catalog["denominator"] == quantity)]
    rate_of = rates.set_index("base_indicator")["indicator"]
    chosen = list(rate_of.index) if select is None else list(select)
    kind = obs["indicator"].map(ctx.kind_of)
    unknown = sorted(set(chosen) - set(ctx.kind_of.index))
    if unknown:
        raise ValueError(f"select names indicators not in the catalog: {unknown}")
    not_counts = sorted({i for i in chosen if ctx.kind_of[i] not in ("stock", "flow")})
    if not_counts:
        raise ValueError(
            f"only stocks and flows can be normalised; {not_counts} are rates or shares already"
        )
    counts = obs[(obs["measure"] == "level") & obs["indicator"].isin(chosen) & kind.notna()]
    return counts.assign(_rate_id=counts["indicator"].map(rate_of))


def _lookup(
    adcode: pd.Series,
    year: pd.Series,
    denominators: pd.DataFrame,
    quantity: str,
    bases: list[str],
    nearest_year: bool | int,
) -> pd.DataFrame:
    """Find each row's denominator, trying the bases in order, same year first."""
    wanted = pd.DataFrame(
        {"adcode": adcode.to_numpy(), "year": year.to_numpy()}, index=adcode.index
    )
    result = pd.DataFrame(index=adcode.index, columns=["value", "year", "basis", "source"])
    result = result.astype(
        {"value": "float64", "year": "Int64", "basis": "object", "source": "object"}
    )
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
    # the same year first, then the nearest year; ties go to the preferred basis, then
    # to the earlier year (a figure that was already known)
    best = best.sort_values(["_row", "_gap", "_rank", "den_year"]).drop_duplicates("_row")
    best = best.set_index("_row")
    result.loc[best.index, "value"] = best["value"].astype("float64")
    result.loc[best.index, "year"] = best["den_year"].astype("Int64")
    result.loc[best.index, "basis"] = best["basis"]
    result.loc[best.index, "source"] = best["source"]
    return result


def _missing_message(
    rows: pd.DataFrame,
    year: pd.Series,
    ctx: Context,
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
        f"no {quantity} denominator for {len(lines)} region-year(s):\n"
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


def _rates(
    counts: pd.DataFrame, found: pd.DataFrame, per: int, quantity: str, ctx: Context
) -> pd.DataFrame:
    per_word = _PER_WORDS.get((quantity, per), f"{per:g}{_DENOMINATOR_NAMES[quantity]}")
    count_unit = counts["indicator"].map(ctx.unit_of).astype("str")
    derived_id = counts["_rate_id"].where(
        counts["_rate_id"].notna() & (per == 10_000) & (quantity != "gdp"),
        counts["indicator"] + "_" + _ID_SUFFIXES.get((quantity, per), f"per_{per}_{quantity}"),
    )
    scale = per / found["value"]
    same_year = found["year"] == counts["period_end"].dt.year
    year_note = np.where(same_year.fillna(False), "", " (nearest year)")
    method = (
        number_text(counts["value"])
        + " "
        + count_unit
        + " / "
        + number_text(found["value"])
        + " "
        + _DENOMINATOR_NAMES[quantity]
        + f" × {per:g} ("
        + found["basis"].astype("str")
        + " "
        + found["year"].astype("string").fillna("?")
        + year_note
        + ", "
        + found["source"].astype("str")
        + ")"
    )
    reason = pd.Series("", index=counts.index, dtype="str").mask(
        found["value"].isna(), "no denominator for this region and year on the accepted bases"
    )
    return pd.DataFrame(
        {
            "adcode": counts["adcode"],
            "indicator": derived_id.astype("str"),
            "measure": counts["measure"],
            "status": counts["status"],
            "period_start": counts["period_start"],
            "period_end": counts["period_end"],
            "value": (counts["value"] * scale).astype("float64"),
            "qualifier": counts["qualifier"],
            "value_high": (counts["value_high"] * scale).astype("float64"),
            "unit": (count_unit + "/" + per_word).astype("str"),
            "source": counts["source"],
            "evidence": counts["evidence"],
            "note": ("per capita: " + method.fillna("")).astype("str"),
            "numerator_indicator": counts["indicator"],
            "numerator": counts["value"],
            "denominator_value": found["value"],
            "denominator_year": found["year"].astype("Int64"),
            "denominator_basis": found["basis"].astype("str"),
            "denominator_source": found["source"].astype("str"),
            "method": method.fillna("").astype("str"),
            "sources": merge_sources(counts["source"], found["source"]),
            "reason": reason,
        }
    )


class ImpliedDenominatorSchema(pa.DataFrameModel):
    """The denominator a reported count and rate imply, against a reference."""

    adcode: Series[str]
    indicator: Series[str]
    count_indicator: Series[str]
    status: Series[str]
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    count: Series[float]
    rate: Series[float] = pa.Field(gt=0)
    implied_denominator: Series[float] = pa.Field(gt=0)
    interval_low: Series[float]
    interval_high: Series[float]
    reference_value: Series[float] = pa.Field(nullable=True)
    reference_year: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    reference_basis: Series[str] = pa.Field(nullable=True)
    deviation: Series[float] = pa.Field(nullable=True)
    reference_in_interval: Series[pd.BooleanDtype] = pa.Field(nullable=True)
    method: Series[str]
    sources: Series[str]

    class Config:
        strict = True


@pa.check_types
def implied_denominators(
    obs: DataFrame[ObservationSchema],
    *,
    reference_basis: Basis = "census_2020_11_01",
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> DataFrame[ImpliedDenominatorSchema]:
    """Denominators implied where a count and its rate are both reported.

    implied = count / rate × 10⁴ (for rates per 万人 or 万企), with the
    interval the rounding of both figures allows, compared with a reference
    figure (by default the 2020 census) as a consistency check: Dalian's
    20300 件 and 27.26 件/万人 imply 7.45 million residents. Paired targets
    (Xuanwu's 18000 件 and 300 件/万人) imply the population the plan assumes.

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
    ctx = context_for(
        denominators=denominators, regions=regions, indicators=indicators, sources=sources
    )
    catalog = ctx.indicators
    rates_catalog = catalog[
        (catalog["kind"] == "rate")
        & catalog["denominator"].isin(["resident_population", "enterprises"])
    ]
    kinds = obs["indicator"].map(ctx.kind_of).fillna("")
    frame = obs.assign(_half=rounding_halfwidth(obs, kinds))
    levels = frame[(frame["measure"] == "level") & frame["qualifier"].isin(["eq", "approx"])]
    rates = levels[levels["indicator"].isin(rates_catalog["indicator"])]
    rates = rates.assign(
        count_indicator=rates["indicator"].map(
            rates_catalog.set_index("indicator")["base_indicator"]
        )
    )
    counts = levels.rename(columns={"indicator": "count_indicator"})
    key = ["adcode", "count_indicator", "status", "period_start", "period_end"]
    pairs = rates.merge(counts, on=key, suffixes=("_rate", "_count"))
    quantity = pairs["indicator"].map(rates_catalog.set_index("indicator")["denominator"])
    count, rate = pairs["value_count"], pairs["value_rate"]
    hc, hr = pairs["_half_count"], pairs["_half_rate"]
    implied = count / rate * 10_000
    year = pairs["period_end"].dt.year.astype("int64")
    reference = pd.DataFrame(index=pairs.index, columns=["value", "year", "basis", "source"])
    for name in quantity.unique():
        rows = quantity == name
        found = _lookup(
            pairs.loc[rows, "adcode"],
            year[rows],
            ctx.denominators,
            str(name),
            _bases(reference_basis),
            nearest_year=True,
        )
        reference.loc[rows] = found
    low = (count - hc) / (rate + hr) * 10_000
    high = (count + hc) / (rate - hr) * 10_000
    ref_value = pd.to_numeric(reference["value"]).astype("float64")
    inside = pd.Series((ref_value >= low) & (ref_value <= high), dtype="boolean").mask(
        ref_value.isna()
    )
    method = (
        number_text(count)
        + " / "
        + number_text(rate)
        + " × 10⁴; rounding ±"
        + number_text(hc)
        + " and ±"
        + number_text(hr)
    )
    return DataFrame[ImpliedDenominatorSchema](
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
                    pairs["source_rate"], pairs["source_count"], reference["source"]
                ),
            }
        ).reset_index(drop=True)
    )
