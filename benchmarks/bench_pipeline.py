"""Time the analytics pipeline: load → validate → per_capita → growth → ambition → benchmark.

Runs on the built-in data and on a synthetic national panel
(``ipbench.synthetic_panel``: 3,000 regions × 40 indicators × 15 years, about
1.8 million rows by default) and prints seconds per stage, the best of
``--repeat`` runs.

    python benchmarks/bench_pipeline.py [--regions 3000 --indicators 40 --years 15 --repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

import ipbench
from ipbench._load import _builtin


def best_of(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_builtin(repeat: int) -> dict[str, float]:
    timings: dict[str, float] = {}

    def load() -> pd.DataFrame:
        _builtin.cache_clear()
        return ipbench.load_observations()

    timings["load (read + validate 5 tables)"], obs = best_of(repeat, load)
    timings["validate"], obs = best_of(repeat, lambda: ipbench.validate(obs))
    actual = obs[obs["status"] == "actual"]
    timings["per_capita"], _ = best_of(
        repeat, lambda: ipbench.per_capita(actual, nearest_year=True)
    )
    timings["growth"], _ = best_of(repeat, lambda: ipbench.growth(obs))
    timings["ambition"], _ = best_of(repeat, lambda: ipbench.ambition(obs))
    timings["benchmark"], _ = best_of(
        repeat, lambda: ipbench.benchmark(obs, "invention_patents_in_force_per_10k")
    )
    return timings


def run_synthetic(repeat: int, regions: int, indicators: int, years: int) -> dict[str, float]:
    timings: dict[str, float] = {}
    timings["generate"], panel = best_of(
        1, lambda: ipbench.synthetic_panel(regions, indicators, years)
    )
    catalog = {"regions": panel.regions, "indicators": panel.indicators, "sources": panel.sources}
    timings["validate"], obs = best_of(
        repeat, lambda: ipbench.validate(panel.observations, **catalog)
    )
    actual = obs[obs["status"] == "actual"]
    timings["per_capita"], _ = best_of(
        repeat, lambda: ipbench.per_capita(actual, denominators=panel.denominators, **catalog)
    )
    timings["growth"], _ = best_of(repeat, lambda: ipbench.growth(obs, **_catalog(catalog)))
    timings["ambition"], _ = best_of(
        repeat, lambda: ipbench.ambition(obs, denominators=panel.denominators, **catalog)
    )
    every = list(panel.indicators["indicator"])
    timings["benchmark (all indicators, latest)"], _ = best_of(
        repeat, lambda: ipbench.benchmark(obs, every, **catalog)
    )
    timings["rows"] = float(len(obs))
    return timings


def _catalog(catalog: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {"indicators": catalog["indicators"], "sources": catalog["sources"]}


def show(title: str, timings: dict[str, float]) -> None:
    rows = {k: v for k, v in timings.items() if k != "rows"}
    total = sum(v for k, v in rows.items() if k != "generate")
    print(f"\n{title}")
    for stage, seconds in rows.items():
        print(f"  {stage:<38} {seconds:8.3f} s")
    print(f"  {'total (without generate)':<38} {total:8.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    show(
        f"built-in data ({len(ipbench.load_observations())} rows), best of {args.repeat}",
        run_builtin(args.repeat),
    )
    synthetic = run_synthetic(max(1, args.repeat // 3), args.regions, args.indicators, args.years)
    show(
        f"synthetic panel: {args.regions} regions × {args.indicators} indicators × "
        f"{args.years} years = {int(synthetic['rows']):,} rows",
        synthetic,
    )


if __name__ == "__main__":
    main()
