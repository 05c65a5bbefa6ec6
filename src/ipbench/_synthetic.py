"""A synthetic national panel in the data contract, for benchmarks and tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SOURCE = "synthetic_panel"


@dataclass(frozen=True)
class Panel:
    """The five tables of a synthetic panel, ready for ``ipbench.validate``."""

    observations: pd.DataFrame
    regions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    denominators: pd.DataFrame


def synthetic_panel(
    n_regions: int = 3000,
    n_indicators: int = 40,
    n_years: int = 15,
    *,
    start_year: int = 2008,
    target_share: float = 0.1,
    seed: int = 0,
) -> Panel:
    """Generate regions × indicators × years of plausible IP figures.

    Indicators cycle through stocks (件 at 31 December), flows (件 over a
    calendar year) and rates per 10,000 residents of the preceding stock.
    Each series grows at its own rate (normal, mean 8 %, sd 5 %) with 3 %
    noise; populations grow 0.5 % a year. A share of region-indicator pairs
    (``target_share``) gets a target five years after the last year. All
    figures are actual levels, from one synthetic source published the day
    after the last year ends.

    Parameters
    ----------
    n_regions, n_indicators, n_years : int
        Panel size; the default is a national panel of about 1.8 million rows.
    start_year : int
        First year.
    target_share : float
        Share of region-indicator pairs with a target.
    seed : int
        Seed of the random generator; the same seed gives the same panel.

    Returns
    -------
    Panel
        ``observations`` and the ``regions``, ``indicators``, ``sources`` and
        ``denominators`` tables that extend the catalog for it.

    Examples
    --------
    >>> import ipbench
    >>> panel = ipbench.synthetic_panel(n_regions=4, n_indicators=3, n_years=5)
    >>> len(panel.observations)  # 4 × 3 × 5 actuals and some targets
    61
    >>> obs = ipbench.validate(panel.observations, regions=panel.regions,
    ...                        indicators=panel.indicators, sources=panel.sources)
    >>> sorted(obs["indicator"].unique())
    ['syn_flow_01', 'syn_rate_02', 'syn_stock_00']
    """
    rng = np.random.default_rng(seed)
    adcodes = np.array([f"{900001 + i:06d}" for i in range(n_regions)])
    regions = pd.DataFrame(
        {
            "adcode": adcodes,
            "name_zh": [f"合成地区{i + 1}" for i in range(n_regions)],
            "name_en": [f"Synthetic region {i + 1}" for i in range(n_regions)],
            "level": "city",
            "parent_adcode": "100000",
        }
    )
    indicators = _indicators(n_indicators)
    kinds = indicators["kind"].to_numpy()
    years = np.arange(start_year, start_year + n_years)
    published = pd.Timestamp(year=years[-1] + 1, month=1, day=1)
    sources = pd.DataFrame(
        {
            "source": [SOURCE],
            "title": ["Synthetic national panel"],
            "publisher": ["ipbench"],
            "published": [published],
            "url": [None],
            "document_number": [None],
            "kind": ["synthetic"],
            "file": [None],
            "sha256": [None],
        }
    )
    population = rng.uniform(2e5, 2e7, n_regions)[:, None] * 1.005 ** (years - start_year)
    denominators = pd.DataFrame(
        {
            "adcode": np.repeat(adcodes, n_years),
            "year": np.tile(years, n_regions),
            "quantity": "resident_population",
            "value": population.round().ravel(),
            "unit": "人",
            "basis": "year_end_census_revised",
            "source": SOURCE,
            "evidence": "synthetic",
            "note": None,
        }
    )
    level = rng.lognormal(7, 1.5, (n_regions, n_indicators))
    growth = rng.normal(0.08, 0.05, (n_regions, n_indicators))
    t = np.arange(n_years)
    noise = rng.normal(1, 0.03, (n_regions, n_indicators, n_years))
    values = level[:, :, None] * (1 + growth[:, :, None]) ** t * noise
    # a rate normalises the stock two columns before it
    rate_columns = np.flatnonzero(kinds == "rate")
    values[:, rate_columns, :] = values[:, rate_columns - 2, :] / (population[:, None, :] / 10_000)
    actual = _observations(adcodes, indicators, years, values.round(2))
    targets = _targets(adcodes, indicators, years, values, growth, target_share, rng)
    observations = pd.concat([actual, targets], ignore_index=True)
    return Panel(observations, regions, indicators, sources, denominators)


def _indicators(n: int) -> pd.DataFrame:
    kinds = np.array(["stock", "flow", "rate"])[np.arange(n) % 3]
    ids = [f"syn_{kind}_{i:02d}" for i, kind in enumerate(kinds)]
    base = [ids[i - 2] if kind == "rate" else None for i, kind in enumerate(kinds)]
    return pd.DataFrame(
        {
            "indicator": ids,
            "name_zh": [f"合成指标{i:02d}" for i in range(n)],
            "name_en": [f"Synthetic indicator {i:02d}" for i in range(n)],
            "aliases_zh": [f"合成指标{i:02d}" for i in range(n)],
            "unit": np.where(kinds == "rate", "件/万人", "件"),
            "kind": kinds,
            "category": "创造",
            "higher_is_better": True,
            "denominator": pd.Series(kinds).map({"rate": "resident_population"}),
            "base_indicator": base,
            "description": "synthetic",
        }
    )


def _observations(
    adcodes: np.ndarray, indicators: pd.DataFrame, years: np.ndarray, values: np.ndarray
) -> pd.DataFrame:
    n_regions, n_indicators, n_years = values.shape
    kinds = indicators["kind"].to_numpy()
    year = np.tile(years, n_regions * n_indicators)
    kind = np.tile(np.repeat(kinds, n_years), n_regions)
    end = pd.to_datetime(pd.Series(year).astype(str) + "-12-31")
    start = pd.to_datetime(pd.Series(year).astype(str) + "-01-01").where(kind == "flow", end)
    return pd.DataFrame(
        {
            "adcode": np.repeat(adcodes, n_indicators * n_years),
            "indicator": np.tile(np.repeat(indicators["indicator"].to_numpy(), n_years), n_regions),
            "measure": "level",
            "status": "actual",
            "period_start": start,
            "period_end": end,
            "value": values.ravel(),
            "qualifier": "eq",
            "value_high": np.nan,
            "unit": np.tile(np.repeat(indicators["unit"].to_numpy(), n_years), n_regions),
            "source": SOURCE,
            "evidence": "synthetic",
            "note": None,
        }
    )


def _targets(
    adcodes: np.ndarray,
    indicators: pd.DataFrame,
    years: np.ndarray,
    values: np.ndarray,
    growth: np.ndarray,
    share: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    chosen = rng.random(growth.shape) < share
    region, indicator = np.nonzero(chosen)
    ambition = growth[region, indicator] + rng.normal(0.02, 0.04, len(region))
    value = values[region, indicator, -1] * (1 + ambition) ** 5
    kinds = indicators["kind"].to_numpy()[indicator]
    target_year = years[-1] + 5
    end = pd.Timestamp(year=target_year, month=12, day=31)
    start = pd.Series(end, index=range(len(kinds))).where(
        kinds != "flow", pd.Timestamp(year=target_year, month=1, day=1)
    )
    return pd.DataFrame(
        {
            "adcode": adcodes[region],
            "indicator": indicators["indicator"].to_numpy()[indicator],
            "measure": "level",
            "status": "target",
            "period_start": pd.to_datetime(start),
            "period_end": end,
            "value": np.maximum(value, 0).round(2),
            "qualifier": "eq",
            "value_high": np.nan,
            "unit": indicators["unit"].to_numpy()[indicator],
            "source": SOURCE,
            "evidence": "synthetic",
            "note": None,
        }
    )
