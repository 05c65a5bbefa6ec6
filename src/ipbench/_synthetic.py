"""A synthetic national panel in the data contract, for benchmarks and tests.

The panel has the awkward parts real figures have, so that a benchmark on it
times the work real data makes ipbench do: population figures missing for
some years (rates need ``nearest_year=``), 新增 (additions) series and targets,
targets summed over a plan window, rate targets whose baseline must be derived
from a count and a population, figures reported twice (a later revision wins),
and observations that arrive as CSV text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ipbench._catalog import Catalog

#: The yearbook every actual comes from, published the day after the last year ends.
SOURCE: Final = "synthetic_panel"
#: A later bulletin that reports some flows again, revised: the later report wins.
REVISION_SOURCE: Final = "synthetic_revision"
#: The document that states every plan's targets.
PLAN_SOURCE: Final = "synthetic_plan"
#: Share of region-years without a population figure (never the plan's base year).
DENOMINATOR_GAP_SHARE: Final = 0.15
#: Share of reported rates missing (never in the last year), so their counts must be divided.
RATE_GAP_SHARE: Final = 0.2
#: Share of region-indicator pairs of additions (新增) with a reported yearly series; the
#: others have only the stock they add to, as a plan's 新增 targets usually do.
ADDITIONS_REPORTED_SHARE: Final = 0.5
#: Share of flow figures reported again, revised, by :data:`REVISION_SOURCE`.
REVISED_SHARE: Final = 0.02
#: Years a plan runs, from the year after its base year.
PLAN_YEARS: Final = 5
#: The order indicator kinds cycle through: a rate normalises the stock two places before
#: it, additions (新增) add to the stock three places before them.
_KIND_CYCLE: Final = ("stock", "flow", "rate", "added")


@dataclass(frozen=True)
class Panel:
    """The tables of a synthetic panel, ready for ``ipbench.validate``.

    ``observations`` in the observations contract; ``regions``,
    ``indicators``, ``sources``, ``denominators`` and ``plans`` extend the
    built-in catalog for them (:meth:`catalog`).
    """

    observations: pd.DataFrame
    regions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    denominators: pd.DataFrame
    plans: pd.DataFrame

    def catalog(self) -> Catalog:
        """Return the built-in catalog extended by the panel's five reference tables."""
        from ipbench._catalog import Catalog  # noqa: PLC0415 (the catalog loads the datasets)

        return Catalog.builtin().extend(
            regions=self.regions,
            indicators=self.indicators,
            sources=self.sources,
            denominators=self.denominators,
            plans=self.plans,
        )

    def observations_text(self) -> pd.DataFrame:
        """Return the observations as a CSV file holds them: every cell text, blanks empty.

        Dates read ``YYYY-MM-DD`` and numbers are written so that they parse
        back to the same float.
        """
        return _as_text(self.observations)

    def to_folder(self, folder: str | Path) -> Path:
        """Write the six tables as CSV files laid out like ``datasets/``.

        ``ipbench.Catalog.from_folder(folder)`` reads the catalog back and
        ``ipbench.read_observations(folder / "observations.csv", catalog=...)``
        the observations. Returns the folder.
        """
        path = Path(folder)
        path.mkdir(parents=True, exist_ok=True)
        for name in ("observations", "regions", "indicators", "sources", "denominators", "plans"):
            _as_text(getattr(self, name)).to_csv(path / f"{name}.csv", index=False)
        return path


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Write every cell as the text a CSV file holds (blank where missing)."""
    columns: dict[str, pd.Series] = {}
    for name, column in frame.items():
        if pd.api.types.is_datetime64_any_dtype(column):
            text = column.dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(column):
            text = column.map({True: "true", False: "false"})
        else:
            # repr of a float parses back to the same float
            text = column.astype("str")
        columns[str(name)] = text.where(column.notna(), "").astype("object")
    return pd.DataFrame(columns, index=frame.index)


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
    calendar year), rates per 10,000 residents of the stock two places before,
    and additions (新增, a flow added to the stock three places before). Each
    series grows at its own rate (normal, mean 8 %, sd 5 %) with 3 % noise;
    populations grow 0.5 % a year. The actuals come from one yearbook
    published the day after the last year ends, with the gaps and repeats of
    real figures:

    - a population is missing for :data:`DENOMINATOR_GAP_SHARE` of
      region-years (never the plan's base year): dividing needs
      ``nearest_year=``;
    - :data:`RATE_GAP_SHARE` of reported rates are missing (never in the last
      year): a rate baseline is then derived from its count and population;
    - additions are reported year by year for
      :data:`ADDITIONS_REPORTED_SHARE` of region-indicator pairs; the others
      have only the stock they add to;
    - :data:`REVISED_SHARE` of flow figures are reported again, revised
      (normal, sd 1 %), by a bulletin published later, which wins.

    A share of region-indicator pairs (``target_share``) gets a target in its
    region's plan (``plans``), which runs :data:`PLAN_YEARS` years from the
    year after its base year, two years before the last year (so some actuals
    show progress under the plan): a level at the plan's end for stocks and
    rates, a total over the plan window for flows and additions.

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
        ``observations`` and the ``regions``, ``indicators``, ``sources``,
        ``denominators`` and ``plans`` tables that extend the catalog for it.

    Examples
    --------
    >>> import ipbench
    >>> panel = ipbench.synthetic_panel(n_regions=4, n_indicators=4, n_years=5, target_share=0.5)
    >>> panel.observations["status"].value_counts().to_dict()  # 4 × 4 × 5 cells, less gaps
    {'actual': 76, 'target': 6}
    >>> len(panel.denominators)  # 4 regions × 5 years, 2 region-years missing
    18
    >>> obs = ipbench.validate(panel.observations_text(), catalog=panel.catalog())
    >>> sorted(obs["indicator"].unique())
    ['syn_added_03', 'syn_flow_01', 'syn_rate_02', 'syn_stock_00']
    >>> rates = ipbench.per_capita(obs[obs["status"] == "actual"], nearest_year=True)
    >>> int((rates["denominator_year"] != rates["period_end"].dt.year).sum())  # nearest year
    2
    >>> sorted(ipbench.ambition(obs)["target_kind"].value_counts().items())
    [('additions', 2), ('level', 2), ('window_total', 2)]
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
    kinds = np.array(_KIND_CYCLE)[np.arange(n_indicators) % len(_KIND_CYCLE)]
    years = np.arange(start_year, start_year + n_years)
    base_index = n_years - 1 - min(2, n_years - 1)
    base_year = int(years[base_index])
    sources = _sources(int(years[-1]), base_year)
    population = rng.uniform(2e5, 2e7, n_regions)[:, None] * 1.005 ** (years - start_year)
    denominators = _denominators(adcodes, years, population, base_index, rng)
    level = rng.lognormal(7, 1.5, (n_regions, n_indicators))
    growth = rng.normal(0.08, 0.05, (n_regions, n_indicators))
    t = np.arange(n_years)
    noise = rng.normal(1, 0.03, (n_regions, n_indicators, n_years))
    values = level[:, :, None] * (1 + growth[:, :, None]) ** t * noise
    rate_columns = np.flatnonzero(kinds == "rate")
    values[:, rate_columns, :] = values[:, rate_columns - 2, :] / (population[:, None, :] / 10_000)
    added_columns = np.flatnonzero(kinds == "added")
    # a year's additions: the stock's trend at the year before, times its growth (at least 1 %)
    stock_trend = level[:, added_columns - 3, None] * (1 + growth[:, added_columns - 3, None]) ** (
        t - 1
    )
    added_growth = np.maximum(growth[:, added_columns - 3, None], 0.01)
    values[:, added_columns, :] = stock_trend * added_growth * noise[:, added_columns, :]
    reported = _reported_cells(kinds, n_regions, n_years, rng)
    actual = _observations(adcodes, indicators, years, values.round(2), reported)
    revised = _revisions(actual, indicators, rng)
    targets, plans = _targets(
        adcodes, indicators, years, base_index, values, growth, target_share, rng
    )
    observations = pd.concat([actual, revised, targets], ignore_index=True)
    return Panel(observations, regions, indicators, sources, denominators, plans)


def _sources(last_year: int, base_year: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": [SOURCE, REVISION_SOURCE, PLAN_SOURCE],
            "title": ["Synthetic national panel", "Synthetic revised bulletin", "Synthetic plans"],
            "publisher": ["ipbench"] * 3,
            "published": pd.to_datetime(
                [f"{last_year + 1}-01-01", f"{last_year + 1}-06-30", f"{base_year + 1}-06-30"]
            ),
            "url": [None] * 3,
            "document_number": [None] * 3,
            "kind": ["synthetic"] * 3,
            "file": [None] * 3,
            "sha256": [None] * 3,
        }
    )


def _denominators(
    adcodes: np.ndarray,
    years: np.ndarray,
    population: np.ndarray,
    base_index: int,
    rng: np.random.Generator,
) -> pd.DataFrame:
    n_regions, n_years = population.shape
    present = rng.random((n_regions, n_years)) >= DENOMINATOR_GAP_SHARE
    # the plan's base year is always there: a derived baseline divides by its own year
    present[:, base_index] = True
    present = present.ravel()
    return pd.DataFrame(
        {
            "adcode": np.repeat(adcodes, n_years)[present],
            "year": np.tile(years, n_regions)[present],
            "quantity": "resident_population",
            "value": population.round().ravel()[present],
            "unit": "人",
            "basis": "year_end_census_revised",
            "source": SOURCE,
            "evidence": "synthetic",
            "note": None,
        }
    )


def _indicators(n: int) -> pd.DataFrame:
    kinds = np.array(_KIND_CYCLE)[np.arange(n) % len(_KIND_CYCLE)]
    ids = [f"syn_{kind}_{i:02d}" for i, kind in enumerate(kinds)]
    base = [
        ids[i - 2] if kind == "rate" else ids[i - 3] if kind == "added" else None
        for i, kind in enumerate(kinds)
    ]
    names = [f"{'新增' if kind == 'added' else ''}合成指标{i:02d}" for i, kind in enumerate(kinds)]
    return pd.DataFrame(
        {
            "indicator": ids,
            "name_zh": names,
            "name_en": [f"Synthetic indicator {i:02d}" for i in range(n)],
            "aliases_zh": names,
            "unit": np.where(kinds == "rate", "件/万人", "件"),
            "kind": np.where(kinds == "added", "flow", kinds),
            "category": "创造",
            "higher_is_better": True,
            "denominator": pd.Series(kinds).map({"rate": "resident_population"}),
            "base_indicator": base,
            "description": "synthetic",
        }
    )


def _reported_cells(
    kinds: np.ndarray, n_regions: int, n_years: int, rng: np.random.Generator
) -> np.ndarray:
    """Which region × indicator × year cells the yearbook reports."""
    reported = np.ones((n_regions, len(kinds), n_years), dtype=bool)
    rates = kinds == "rate"
    gaps = rng.random((n_regions, int(rates.sum()), n_years)) < RATE_GAP_SHARE
    gaps[:, :, -1] = False  # the latest yearbook states every rate
    reported[:, rates, :] = ~gaps
    added = kinds == "added"
    series = rng.random((n_regions, int(added.sum()))) < ADDITIONS_REPORTED_SHARE
    reported[:, added, :] = series[:, :, None]
    return reported


def _observations(
    adcodes: np.ndarray,
    indicators: pd.DataFrame,
    years: np.ndarray,
    values: np.ndarray,
    reported: np.ndarray,
) -> pd.DataFrame:
    n_regions, n_indicators, n_years = values.shape
    kinds = indicators["kind"].to_numpy()
    keep = reported.ravel()
    year = np.tile(years, n_regions * n_indicators)[keep]
    kind = np.tile(np.repeat(kinds, n_years), n_regions)[keep]
    end = pd.to_datetime(pd.Series(year).astype(str) + "-12-31")
    start = pd.to_datetime(pd.Series(year).astype(str) + "-01-01").where(kind == "flow", end)
    return pd.DataFrame(
        {
            "adcode": np.repeat(adcodes, n_indicators * n_years)[keep],
            "indicator": np.tile(np.repeat(indicators["indicator"].to_numpy(), n_years), n_regions)[
                keep
            ],
            "measure": "level",
            "status": "actual",
            "period_start": start,
            "period_end": end,
            "value": values.ravel()[keep],
            "qualifier": "eq",
            "value_high": np.nan,
            "unit": np.tile(np.repeat(indicators["unit"].to_numpy(), n_years), n_regions)[keep],
            "source": SOURCE,
            "evidence": "synthetic",
            "note": None,
        }
    )


def _revisions(
    actual: pd.DataFrame, indicators: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Report some flows again, revised, in a later bulletin."""
    flows = indicators.loc[indicators["kind"] == "flow", "indicator"]
    is_flow = actual["indicator"].isin(flows).to_numpy()
    chosen = is_flow & (rng.random(len(actual)) < REVISED_SHARE)
    revised = actual[chosen].copy()
    factor = rng.normal(1, 0.01, len(revised))
    return revised.assign(
        value=(revised["value"] * factor).round(2),
        source=REVISION_SOURCE,
        evidence="synthetic revision",
    )


def _targets(
    adcodes: np.ndarray,
    indicators: pd.DataFrame,
    years: np.ndarray,
    base_index: int,
    values: np.ndarray,
    growth: np.ndarray,
    share: float,
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Targets of each region's plan, and the plans: levels for stocks, window totals for flows."""
    chosen = rng.random(growth.shape) < share
    region, indicator = np.nonzero(chosen)
    ambition = growth[region, indicator] + rng.normal(0.02, 0.04, len(region))
    ids = indicators["indicator"].to_numpy()[indicator]
    kinds = np.array(_KIND_CYCLE)[indicator % len(_KIND_CYCLE)]
    base_year = int(years[base_index])
    first, last = base_year + 1, base_year + PLAN_YEARS
    base_value = values[region, indicator, base_index]
    # a level to reach at the plan's end; a flow's total over the plan's years
    level = base_value * (1 + ambition) ** PLAN_YEARS
    years_ahead = np.arange(1, PLAN_YEARS + 1)
    window_total = (base_value[:, None] * (1 + ambition[:, None]) ** years_ahead).sum(axis=1)
    # additions over the window: what takes the stock from its base level to the target level
    stock = values[region, np.maximum(indicator - 3, 0), base_index]
    added = stock * ((1 + np.maximum(ambition, 0.01)) ** PLAN_YEARS - 1)
    value = np.select([kinds == "flow", kinds == "added"], [window_total, added], level)
    is_flow = np.isin(kinds, ["flow", "added"])
    end = pd.Timestamp(year=last, month=12, day=31)
    start = pd.Series(end, index=range(len(kinds))).where(
        ~is_flow, pd.Timestamp(year=first, month=1, day=1)
    )
    targets = pd.DataFrame(
        {
            "adcode": adcodes[region],
            "indicator": ids,
            "measure": "level",
            "status": "target",
            "period_start": pd.to_datetime(start),
            "period_end": end,
            "value": np.maximum(value, 0).round(2),
            "qualifier": "eq",
            "value_high": np.nan,
            "unit": indicators["unit"].to_numpy()[indicator],
            "source": PLAN_SOURCE,
            "evidence": "synthetic",
            "note": None,
        }
    )
    planned = np.unique(adcodes[region])
    plans = pd.DataFrame(
        {
            "plan": [f"syn_plan_{code}" for code in planned],
            "adcode": planned,
            "title": [f"合成地区规划{code}" for code in planned],
            "source": PLAN_SOURCE,
            "period_start": pd.Timestamp(year=first, month=1, day=1),
            "period_end": end,
            "base_date": pd.Timestamp(year=base_year, month=12, day=31),
            "note": None,
        }
    )
    return targets, plans
