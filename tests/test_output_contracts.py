"""What analytics functions return keeps its contract (checked here, not on every call)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

import ipbench
from ipbench._output_schemas import OUTPUT_SCHEMAS

BUILTIN_CALLS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "per_capita": lambda obs: ipbench.per_capita(obs, errors="coerce"),
    "implied_counts": ipbench.implied_counts,
    "implied_denominators": ipbench.implied_denominators,
    "growth": ipbench.growth,
    "trend": ipbench.trend,
    "ambition": ipbench.ambition,
    "benchmark": lambda obs: ipbench.benchmark(obs, "invention_patents_in_force_per_10k"),
    "reconstruct": ipbench.reconstruct,
    "consistency": ipbench.consistency,
    "compare_targets": lambda obs: ipbench.compare_targets(obs, adcodes=("320102", "320106")),
}


def test_every_public_function_has_a_contract() -> None:
    assert set(BUILTIN_CALLS) == set(OUTPUT_SCHEMAS)


@pytest.mark.parametrize("name", sorted(BUILTIN_CALLS))
def test_builtin_results_keep_their_contract(name: str) -> None:
    result = BUILTIN_CALLS[name](ipbench.load_observations())
    assert len(result) > 0
    OUTPUT_SCHEMAS[name].validate(result, lazy=True)


@pytest.fixture(scope="module")
def panel_obs() -> tuple[pd.DataFrame, ipbench.Catalog]:
    panel = ipbench.synthetic_panel(n_regions=30, n_indicators=6, n_years=8)
    catalog = ipbench.Catalog.builtin().extend(
        regions=panel.regions,
        indicators=panel.indicators,
        sources=panel.sources,
        denominators=panel.denominators,
    )
    return ipbench.validate(panel.observations, catalog=catalog), catalog


@pytest.mark.parametrize("name", ["per_capita", "growth", "trend", "ambition", "benchmark"])
def test_synthetic_results_keep_their_contract(
    name: str, panel_obs: tuple[pd.DataFrame, ipbench.Catalog]
) -> None:
    obs, catalog = panel_obs
    calls: dict[str, Callable[[], pd.DataFrame]] = {
        "per_capita": lambda: ipbench.per_capita(obs[obs["status"] == "actual"], nearest_year=True),
        "growth": lambda: ipbench.growth(obs),
        "trend": lambda: ipbench.trend(obs),
        "ambition": lambda: ipbench.ambition(obs),
        "benchmark": lambda: ipbench.benchmark(obs, list(catalog.indicators["indicator"][-6:])),
    }
    result = calls[name]()
    assert len(result) > 0
    assert ipbench.catalog_of(result) is catalog
    OUTPUT_SCHEMAS[name].validate(result, lazy=True)
