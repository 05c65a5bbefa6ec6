"""Pandera models of the five tables of the data contract.

The models hold the rules a single table can check on its own: types, formats,
enumerations, ranges and keys. Rules that need another table (does this
indicator exist, is this the indicator's unit) live in ``_catalog_checks``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import extensions
from pandera.typing import Series

from ipbench._vocabulary import (
    CATEGORIES,
    DENOMINATOR_BASES,
    DENOMINATOR_QUANTITIES,
    INDICATOR_KINDS,
    MEASURES,
    QUALIFIERS,
    REGION_LEVELS,
    STATUSES,
    UNITS,
)

ADCODE_PATTERN = r"\d{6}"

PARENT_RULE = "only the country has no parent_adcode"
RATE_RULE = "a rate names its denominator and the indicator it normalises"
FILE_HASH_RULE = "a source file comes with its sha256"
PERIOD_RULE = "period_start is on or before period_end"
PLAN_RULE = "period_start < period_end and base_date < period_end"
RANGE_RULE = "value_high is given, and above value, exactly when qualifier is 'range'"

#: The columns each row-wise rule reads, so a failure names just those.
ROW_RULE_COLUMNS = {
    PARENT_RULE: ["level", "parent_adcode"],
    RATE_RULE: ["kind", "denominator", "base_indicator"],
    FILE_HASH_RULE: ["file", "sha256"],
    PERIOD_RULE: ["period_start", "period_end"],
    RANGE_RULE: ["value", "qualifier", "value_high"],
    PLAN_RULE: ["period_start", "period_end", "base_date"],
}
IDENTIFIER_PATTERN = r"[a-z][a-z0-9_]*"


@extensions.register_check_method(statistics=["pattern"])  # type: ignore[untyped-decorator]
def fullmatch(values: pd.Series, *, pattern: str) -> pd.Series:
    """Whether each text matches ``pattern`` in full; missing cells pass.

    Each distinct text is matched once, so a column of a million codes costs
    as much as its few thousand distinct values.
    """
    codes, uniques = pd.factorize(values)
    compiled = re.compile(pattern)
    matched = np.fromiter((compiled.fullmatch(str(u)) is not None for u in uniques), bool)
    return pd.Series(np.append(matched, True)[codes], index=values.index)


def _categories(values: tuple[str, ...]) -> dict[str, Any]:
    return {"categories": list(values), "ordered": False}


class RegionSchema(pa.DataFrameModel):
    """Regions: GB/T 2260 code, names, administrative level and parent."""

    adcode: Series[str] = pa.Field(fullmatch=ADCODE_PATTERN, unique=True)
    name_zh: Series[str] = pa.Field(str_length={"min_value": 1})
    name_en: Series[str] = pa.Field(str_length={"min_value": 1})
    level: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(REGION_LEVELS))
    parent_adcode: Series[str] = pa.Field(fullmatch=ADCODE_PATTERN, nullable=True)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error=PARENT_RULE)
    def parent_present_below_country(cls, df: pd.DataFrame) -> Series[bool]:
        is_country = df["level"].astype(str) == "country"
        return Series(is_country == df["parent_adcode"].isna())


class IndicatorSchema(pa.DataFrameModel):
    """The indicator catalog: ids, names, unit, kind, category and polarity."""

    indicator: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN, unique=True)
    name_zh: Series[str] = pa.Field(str_length={"min_value": 1})
    name_en: Series[str] = pa.Field(str_length={"min_value": 1})
    aliases_zh: Series[str] = pa.Field(str_length={"min_value": 1})
    unit: Series[str] = pa.Field(isin=list(UNITS))
    kind: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(INDICATOR_KINDS))
    category: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(CATEGORIES))
    higher_is_better: Series[bool]
    denominator: Series[str] = pa.Field(isin=list(DENOMINATOR_QUANTITIES), nullable=True)
    base_indicator: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN, nullable=True)
    description: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error=RATE_RULE)
    def rate_has_denominator(cls, df: pd.DataFrame) -> Series[bool]:
        is_rate = df["kind"].astype(str) == "rate"
        complete = df["denominator"].notna() & df["base_indicator"].notna()
        return Series(~is_rate | complete)


class SourceSchema(pa.DataFrameModel):
    """Source documents, with the sha256 of their text where we hold it."""

    source: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN, unique=True)
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    publisher: Series[str] = pa.Field(str_length={"min_value": 1})
    published: Series[pd.Timestamp] = pa.Field(nullable=True)
    url: Series[str] = pa.Field(fullmatch=r"https?://\S+", nullable=True)
    document_number: Series[str] = pa.Field(nullable=True)
    kind: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN)
    file: Series[str] = pa.Field(nullable=True)
    sha256: Series[str] = pa.Field(fullmatch=r"[0-9a-f]{64}", nullable=True)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error=FILE_HASH_RULE)
    def file_has_hash(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(df["file"].isna() | df["sha256"].notna())


DENOMINATOR_KEY = ["adcode", "year", "quantity", "basis"]


class DenominatorSchema(pa.DataFrameModel):
    """Population, GDP and enterprise counts used to normalise indicators."""

    adcode: Series[str] = pa.Field(fullmatch=ADCODE_PATTERN)
    year: Series[int] = pa.Field(in_range={"min_value": 1949, "max_value": 2100})
    quantity: Series[pd.CategoricalDtype] = pa.Field(
        dtype_kwargs=_categories(DENOMINATOR_QUANTITIES)
    )
    value: Series[float] = pa.Field(gt=0)
    unit: Series[str] = pa.Field(isin=list(UNITS))
    basis: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(DENOMINATOR_BASES))
    source: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN)
    evidence: Series[str] = pa.Field(str_length={"min_value": 1})
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True
        unique = DENOMINATOR_KEY


class PlanSchema(pa.DataFrameModel):
    """Plans whose targets the observations carry: region, window and base date.

    A target belongs to its plan, not to the document that states it: a later
    briefing that repeats a plan's target keeps the plan's window and base date.
    """

    plan: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN, unique=True)
    adcode: Series[str] = pa.Field(fullmatch=ADCODE_PATTERN)
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    source: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN, nullable=True)
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    base_date: Series[pd.Timestamp]
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check(error=PLAN_RULE)
    def base_before_window_end(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(
            (df["period_start"] < df["period_end"]) & (df["base_date"] < df["period_end"])
        )


OBSERVATION_KEY = [
    "adcode",
    "indicator",
    "measure",
    "status",
    "period_start",
    "period_end",
    "source",
]


class ObservationSchema(pa.DataFrameModel):
    """One reported figure a row: region, indicator, period, value and evidence."""

    adcode: Series[str] = pa.Field(fullmatch=ADCODE_PATTERN)
    indicator: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN)
    measure: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(MEASURES))
    status: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(STATUSES))
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    value: Series[float]
    qualifier: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs=_categories(QUALIFIERS))
    value_high: Series[float] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(str_length={"min_value": 1})
    source: Series[str] = pa.Field(fullmatch=IDENTIFIER_PATTERN)
    evidence: Series[str] = pa.Field(str_length={"min_value": 1})
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = True
        ordered = True
        unique = OBSERVATION_KEY

    @pa.check("value", "value_high", error="a finite number")
    def finite(cls, values: Series[float]) -> Series[bool]:
        return Series(values.isna() | np.isfinite(values))

    @pa.dataframe_check(error=PERIOD_RULE)
    def period_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(df["period_start"] <= df["period_end"])

    @pa.dataframe_check(error=RANGE_RULE)
    def range_has_upper_bound(cls, df: pd.DataFrame) -> Series[bool]:
        is_range = df["qualifier"].astype(str) == "range"
        above = df["value_high"].notna() & (df["value_high"] > df["value"])
        return Series(above.where(is_range, df["value_high"].isna()))


TABLE_SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "regions": RegionSchema,
    "indicators": IndicatorSchema,
    "sources": SourceSchema,
    "denominators": DenominatorSchema,
    "plans": PlanSchema,
    "observations": ObservationSchema,
}


class DerivedObservationSchema(ObservationSchema):
    """Observations computed from others: their derivation, sources, or why none."""

    value: Series[float] = pa.Field(nullable=True)
    method: Series[str]
    sources: Series[str]
    reason: Series[str]

    class Config:
        strict = True
        ordered = False
        unique = None

    @pa.dataframe_check(error="a missing value says why")
    def missing_has_reason(cls, df: pd.DataFrame) -> Series[bool]:
        return Series(df["value"].notna() | (df["reason"] != ""))
