"""The catalog an analytics call works with: built-in, or extended by the user."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from ipbench._load import UserTable, catalog_with, load_denominators
from ipbench._validate import validate_table


@dataclass(frozen=True)
class Context:
    """Reference tables and the lookups analytics functions need from them."""

    regions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    denominators: pd.DataFrame

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
) -> Context:
    """Build the context: the built-in tables, each extendable by the user's own."""
    catalog = catalog_with(regions=regions, indicators=indicators, sources=sources)
    if denominators is None:
        dens = load_denominators()
    else:
        frame = (
            denominators
            if isinstance(denominators, pd.DataFrame)
            else pd.read_csv(denominators, dtype=str, keep_default_na=False)
        )
        dens = validate_table(frame, "denominators", file="<your denominators>", catalog=catalog)
    return Context(catalog.regions, catalog.indicators, catalog.sources, dens)
