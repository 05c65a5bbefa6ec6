"""The catalog an analytics call works with: built-in, or extended by the user."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import pandas as pd

from ipbench._catalog_checks import Catalog
from ipbench._io import read_text_table
from ipbench._load import UserTable, catalog_with, load_denominators, load_plans
from ipbench._validate import validate_table


@dataclass(frozen=True)
class Context:
    """Reference tables and the lookups analytics functions need from them."""

    regions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    denominators: pd.DataFrame
    plans: pd.DataFrame

    @cached_property
    def _by_indicator(self) -> pd.DataFrame:
        return self.indicators.set_index("indicator")

    @cached_property
    def unit_of(self) -> pd.Series:
        """Unit of each indicator id."""
        return self._by_indicator["unit"]

    @cached_property
    def kind_of(self) -> pd.Series:
        """Kind (stock, flow, rate, share) of each indicator id."""
        return self._by_indicator["kind"].astype(str)

    @cached_property
    def higher_is_better(self) -> pd.Series:
        """Polarity of each indicator id."""
        return self._by_indicator["higher_is_better"]

    @cached_property
    def parent_of(self) -> pd.Series:
        """Parent adcode of each region."""
        return self.regions.set_index("adcode")["parent_adcode"]

    @cached_property
    def level_of(self) -> pd.Series:
        """Administrative level of each region."""
        return self.regions.set_index("adcode")["level"].astype(str)


def context_for(
    *,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
    denominators: UserTable = None,
    plans: UserTable = None,
) -> Context:
    """Build the context: the built-in tables, each extendable by the user's own.

    A user's denominators and plans are added to the built-in ones; a plan id
    or a denominator key that is already built in is an error, never a silent
    replacement.
    """
    catalog = catalog_with(regions=regions, indicators=indicators, sources=sources)
    dens = _extended(load_denominators(), denominators, "denominators", catalog)
    plan_table = _extended(load_plans(), plans, "plans", catalog)
    return Context(catalog.regions, catalog.indicators, catalog.sources, dens, plan_table)


def _extended(
    builtin: pd.DataFrame,
    theirs: UserTable,
    table: Literal["denominators", "plans"],
    catalog: Catalog,
) -> pd.DataFrame:
    if theirs is None:
        return builtin
    if isinstance(theirs, pd.DataFrame):
        frame, file = theirs, f"<your {table}>"
    else:
        frame, file = read_text_table(theirs), str(theirs)
    own = validate_table(frame, table, file=file, catalog=catalog)
    # a row repeated exactly is taken once; the merged table must still have unique
    # keys, so a clash with a built-in row is reported, never resolved silently
    merged = pd.concat([builtin, own], ignore_index=True).drop_duplicates(ignore_index=True)
    return validate_table(merged, table, file=f"<built-in and your {table}>", catalog=catalog)
