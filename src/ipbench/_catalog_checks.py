"""Rules that relate a table to the catalog: regions, indicators and sources.

Each rule is a vectorised mask over the table; a failing row becomes a record
that names the value found and the value the catalog expects.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

import numpy as np
import pandas as pd

from ipbench._coerce import INVISIBLE
from ipbench._errors import failure_rows

if TYPE_CHECKING:
    from ipbench._catalog import Catalog

from ipbench._vocabulary import DENOMINATOR_UNITS, MEASURE_UNITS


@dataclass(frozen=True)
class ReferenceTables:
    """The three tables other tables' rows point into (an ``ipbench.Catalog`` has them too).

    Used where the catalog is still being built: the built-in denominators and
    plans are checked against these before the built-in ``Catalog`` exists.
    """

    regions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame


#: What a dependent table is checked against: the tables, or a whole catalog.
References = Union[ReferenceTables, "Catalog"]
#: Failure tables (the columns of ``ipbench._errors.FAILURE_COLUMNS``), one per rule broken.
Records = list[pd.DataFrame]


def _flag(
    records: Records,
    table: pd.DataFrame,
    mask: pd.Series,
    file: str,
    column: str,
    expected: str | Callable[[pd.Index], pd.Series],
) -> None:
    """Record each row where ``mask`` holds; ``expected`` is text, or made for those rows.

    Built column-wise: a rule broken by two million rows costs one table, not two
    million records.
    """
    positions = np.flatnonzero(mask.fillna(False).astype(bool).to_numpy())
    if not len(positions):
        return
    rows = table.index[positions]
    wanted = expected if isinstance(expected, str) else expected(rows).astype(str)
    records.append(failure_rows(file, rows, column, table[column].iloc[positions], wanted))


def _unknown(values: pd.Series, known: pd.Series) -> pd.Series:
    return values.notna() & ~values.isin(set(known))


def check_regions(regions: pd.DataFrame, file: str) -> Records:
    records: Records = []
    _flag(
        records,
        regions,
        _unknown(regions["parent_adcode"], regions["adcode"]),
        file,
        "parent_adcode",
        "an adcode listed in regions",
    )
    return records


def check_indicators(indicators: pd.DataFrame, file: str) -> Records:
    records: Records = []
    _flag(
        records,
        indicators,
        _unknown(indicators["base_indicator"], indicators["indicator"]),
        file,
        "base_indicator",
        "an indicator id listed in indicators",
    )
    aliases = indicators["aliases_zh"].str.split("|").explode()
    untidy = aliases[aliases.map(_is_untidy).astype(bool)]
    _flag(
        records,
        indicators,
        indicators.index.to_series().isin(untidy.index),
        file,
        "aliases_zh",
        "aliases without spaces at either end or invisible characters "
        "(zero-width spaces, BOM): " + ", ".join(sorted({repr(a) for a in untidy})),
    )
    # aliases equal once spaces and invisible characters are removed are the same alias
    aliases = aliases.map(_visible).where(~aliases.index.isin(untidy.index), aliases)
    repeated = aliases[aliases.duplicated(keep=False)]
    _flag(
        records,
        indicators,
        indicators.index.to_series().isin(repeated.index),
        file,
        "aliases_zh",
        "aliases that name no other indicator and are not repeated: "
        + ", ".join(sorted(set(repeated))),
    )
    return records


_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def _visible(text: object) -> object:
    return _INVISIBLE.sub("", text).strip() if isinstance(text, str) else text


def _is_untidy(text: object) -> bool:
    """Whether text has spaces at an end or invisible characters, so two such look alike.

    Examples
    --------
    >>> _is_untidy("专利"), _is_untidy("专利 "), _is_untidy("专\u200b利")
    (False, True, True)
    """
    return isinstance(text, str) and _visible(text) != text


def _flag_region_and_source(
    records: Records, table: pd.DataFrame, catalog: References, file: str, source_note: str = ""
) -> None:
    """Flag rows whose region or source the catalog does not list."""
    _flag(
        records,
        table,
        _unknown(table["adcode"], catalog.regions["adcode"]),
        file,
        "adcode",
        "an adcode listed in regions",
    )
    _flag(
        records,
        table,
        _unknown(table["source"], catalog.sources["source"]),
        file,
        "source",
        "a source id listed in sources" + source_note,
    )


def check_denominators(denominators: pd.DataFrame, catalog: References, file: str) -> Records:
    records: Records = []
    _flag_region_and_source(records, denominators, catalog, file)
    expected_unit = denominators["quantity"].astype(str).map(DENOMINATOR_UNITS)
    _flag(
        records,
        denominators,
        denominators["quantity"].notna() & (denominators["unit"] != expected_unit),
        file,
        "unit",
        lambda rows: "the unit of its quantity: " + expected_unit[rows],
    )
    return records


def check_plans(plans: pd.DataFrame, catalog: References, file: str) -> Records:
    """Check plans against the catalog: the region and the plan's document exist."""
    records: Records = []
    _flag_region_and_source(
        records, plans, catalog, file, " (or empty when the plan's text is not held)"
    )
    return records


def check_observations(observations: pd.DataFrame, catalog: References, file: str) -> Records:
    """Check observations against the catalog.

    Rules: the region, indicator and source exist; the unit is the one the
    indicator and measure imply; levels are non-negative and percentages of a
    whole lie in [0, 100]; a stock is observed at a date and a flow over a
    period; an actual ends no later than its source was published.
    """
    records: Records = []
    obs = observations
    _flag(
        records,
        obs,
        _unknown(obs["adcode"], catalog.regions["adcode"]),
        file,
        "adcode",
        "an adcode listed in regions",
    )
    _flag(
        records,
        obs,
        _unknown(obs["indicator"], catalog.indicators["indicator"]),
        file,
        "indicator",
        "an indicator id listed in indicators",
    )
    _flag(
        records,
        obs,
        _unknown(obs["source"], catalog.sources["source"]),
        file,
        "source",
        "a source id listed in sources",
    )

    indicators = catalog.indicators.set_index("indicator")
    measure = obs["measure"].astype(str)
    known = obs["indicator"].isin(indicators.index)
    indicator_unit = obs["indicator"].map(indicators["unit"])
    expected_unit = measure.map(MEASURE_UNITS).fillna(indicator_unit)
    _flag(
        records,
        obs,
        known & (obs["unit"] != expected_unit),
        file,
        "unit",
        lambda rows: (
            "the unit of indicator "
            + obs.loc[rows, "indicator"]
            + " as "
            + measure[rows]
            + ": "
            + expected_unit[rows]
        ),
    )

    value = obs["value"]
    is_level = measure == "level"
    is_percent_of_whole = (is_level & (indicator_unit == "%")) | (measure == "share_of_parent_pct")
    negative_level = (is_level | (measure == "multiple_of_parent")) & (value < 0)
    _flag(
        records,
        obs,
        known & negative_level,
        file,
        "value",
        "a value >= 0 (a count, amount or rate)",
    )
    out_of_range = is_percent_of_whole & ((value < 0) | (value > 100))
    _flag(records, obs, known & out_of_range, file, "value", "a percentage between 0 and 100")
    _flag(
        records,
        obs,
        (measure == "yoy_pct") & (value < -100),
        file,
        "value",
        "a growth rate >= -100 % (a level cannot fall below zero)",
    )

    kind = _period_kind(obs["indicator"], indicators)
    is_date = obs["period_start"] == obs["period_end"]
    # a date that could not be read is reported once, as itself, not as a wrong period kind
    dated = obs["period_start"].notna() & obs["period_end"].notna()
    _flag(
        records,
        obs,
        dated & (kind == "stock") & ~is_date,
        file,
        "period_end",
        "the same date as period_start: a stock is observed at a date",
    )
    _flag(
        records,
        obs,
        dated & (kind == "flow") & is_date,
        file,
        "period_end",
        "a date after period_start: a flow is observed over a period",
    )

    published = obs["source"].map(catalog.sources.set_index("source")["published"])
    is_actual = obs["status"].astype(str) == "actual"
    late = is_actual & published.notna() & (obs["period_end"] > published)
    _flag(
        records,
        obs,
        late,
        file,
        "period_end",
        lambda rows: (
            "a date on or before the source's publication date "
            + published[rows].dt.strftime("%Y-%m-%d")
        ),
    )
    # without a publication date, an actual can still not be dated after today
    today = pd.Timestamp(datetime.date.today())
    _flag(
        records,
        obs,
        is_actual & published.isna() & (obs["period_end"] > today),
        file,
        "period_end",
        f"a date on or before today ({today.date()}): an actual figure is not in the future "
        "(its source has no publication date to check against)",
    )
    return records


def _period_kind(indicator: pd.Series, indicators: pd.DataFrame) -> pd.Series:
    """Whether each observation's indicator is observed at a date or over a period.

    A rate takes the kind of the stock or flow it normalises; a share has no rule.
    """
    kinds = indicators["kind"].astype(str)
    base_kind = indicators["base_indicator"].map(kinds)
    effective = kinds.where(kinds != "rate", base_kind)
    return indicator.map(effective.fillna("unknown")).fillna("unknown")
