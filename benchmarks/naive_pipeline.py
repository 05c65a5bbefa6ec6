"""The synthetic-panel pipeline as an economist would write it in a notebook, in plain pandas.

The yardstick ``bench_pipeline.py`` sets ipbench against: the same input (the
CSV files ``ipbench.synthetic_panel(...).to_folder(...)`` writes) and the same
arithmetic, written plainly with ``groupby`` and ``merge``; not optimised and
not deliberately slow. It knows the synthetic panel's shapes (calendar-year
periods, one plan per region, levels only, no bounds) and checks nothing
ipbench would report as a finding: no provenance text, no reasons, no
comparability rules beyond the ones the numbers need.

- **validate**: text cells to numbers and dates; codes exist in the catalog;
  no repeated key.
- **per_capita**: counts with a per-10k rate in the catalog / the population
  of the same year (else the nearest year, the earlier of two) × 10,000; a
  reported rate wins over the derived one.
- **growth**: of each series' points (a figure reported twice: the later
  publication wins), the change and CAGR between consecutive points, and the
  CAGR from the first to the last point.
- **ambition**: each target against its plan's base-date actual (a rate the
  region does not report derived from its count and the same year's
  population): ratio = target / baseline, required CAGR; a total over the
  plan window as its yearly average; additions (新增) with no series of their
  own on the stock they add to.
- **benchmark**: per indicator, in its latest year: rank (1 = best),
  percentile rank and index (peer mean = 100).

    python benchmarks/naive_pipeline.py FOLDER    # runs once and prints the stage times
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

KEY = ["adcode", "indicator", "measure", "status", "period_start", "period_end", "source"]
SERIES = ["adcode", "indicator"]


def read_text(folder: Path) -> pd.DataFrame:
    """Read the observations with every cell as text, as ipbench's reader does."""
    return pd.read_csv(folder / "observations.csv", dtype=str, keep_default_na=False)


def read_catalog(folder: Path) -> dict[str, pd.DataFrame]:
    """Read the five reference tables, dates parsed."""
    dates = {"sources": ["published"], "plans": ["period_start", "period_end", "base_date"]}
    return {
        name: pd.read_csv(folder / f"{name}.csv", parse_dates=dates.get(name, False))
        for name in ("regions", "indicators", "sources", "denominators", "plans")
    }


def validate(text: pd.DataFrame, catalog: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Types from text; codes known; keys unique."""
    obs = text.copy()
    obs["value"] = pd.to_numeric(obs["value"])
    obs["value_high"] = pd.to_numeric(obs["value_high"].replace("", np.nan))
    obs["period_start"] = pd.to_datetime(obs["period_start"], format="%Y-%m-%d")
    obs["period_end"] = pd.to_datetime(obs["period_end"], format="%Y-%m-%d")
    assert obs["adcode"].isin(catalog["regions"]["adcode"].astype(str)).all()
    assert obs["indicator"].isin(catalog["indicators"]["indicator"]).all()
    assert obs["source"].isin(catalog["sources"]["source"]).all()
    assert not obs.duplicated(KEY).any()
    return obs


def latest_report(frame: pd.DataFrame, sources: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Of rows sharing ``key``, the one whose source was published last."""
    dated = frame.merge(sources[["source", "published"]], on="source", how="left")
    return dated.sort_values("published").drop_duplicates(key, keep="last")


def points(obs: pd.DataFrame, catalog: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Actual levels, one per series and period (the latest report), placed in decimal years."""
    actual = obs[(obs["status"] == "actual") & (obs["measure"] == "level")]
    actual = latest_report(actual, catalog["sources"], ["adcode", "indicator", "period_end"])
    actual = actual.assign(year=actual["period_end"].dt.year.astype("int64"))
    # a stock sits at the end of its year, a one-year flow at its middle
    is_flow = actual["period_start"] != actual["period_end"]
    actual["position"] = actual["year"] + np.where(is_flow, 0.5, 1.0)
    return actual.sort_values(["adcode", "indicator", "year"])


def per_capita(obs: pd.DataFrame, catalog: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rates per 10,000 residents of the counts the catalog has a rate for."""
    indicators, denominators = catalog["indicators"], catalog["denominators"]
    rates = indicators[
        (indicators["kind"] == "rate") & (indicators["denominator"] == "resident_population")
    ]
    rate_of = rates[["indicator", "base_indicator"]].rename(
        columns={"indicator": "rate_indicator", "base_indicator": "indicator"}
    )
    counts = points(obs, catalog).merge(rate_of, on="indicator")
    population = denominators[denominators["quantity"] == "resident_population"]
    population = population[["adcode", "year", "value"]].rename(
        columns={"year": "denominator_year", "value": "population"}
    )
    population["adcode"] = population["adcode"].astype(str)
    population["year"] = population["denominator_year"].astype("int64")
    # the same year's population, else the nearest year's (the earlier of two equally near)
    counts = pd.merge_asof(
        counts.sort_values("year"),
        population.sort_values("year"),
        on="year",
        by="adcode",
        direction="nearest",
    )
    counts["derived_value"] = counts["value"] / counts["population"] * 10_000
    reported = points(obs, catalog)[["adcode", "indicator", "year", "value"]].rename(
        columns={"indicator": "rate_indicator", "value": "reported_value"}
    )
    result = counts.merge(reported, on=["adcode", "rate_indicator", "year"], how="left")
    result["rate"] = result["reported_value"].fillna(result["derived_value"])
    return result


def growth(
    obs: pd.DataFrame, catalog: dict[str, pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Consecutive changes and CAGRs, and the CAGR from first to last point, per series."""
    pts = points(obs, catalog)
    by_series = pts.groupby(SERIES)
    pts["previous_value"] = by_series["value"].shift()
    pts["previous_position"] = by_series["position"].shift()
    pts["abs_change"] = pts["value"] - pts["previous_value"]
    years = pts["position"] - pts["previous_position"]
    pts["cagr"] = (pts["value"] / pts["previous_value"]) ** (1 / years) - 1
    first_last = by_series.agg(
        first_value=("value", "first"),
        last_value=("value", "last"),
        first_position=("position", "first"),
        last_position=("position", "last"),
        points=("value", "size"),
    ).reset_index()
    first_last = first_last[first_last["points"] >= 3]
    years = first_last["last_position"] - first_last["first_position"]
    first_last["cagr"] = (first_last["last_value"] / first_last["first_value"]) ** (1 / years) - 1
    return pts, first_last


def ambition(
    obs: pd.DataFrame, catalog: dict[str, pd.DataFrame], rates: pd.DataFrame
) -> pd.DataFrame:
    """Ambition ratio and required CAGR of every target, against its plan's base year."""
    indicators, plans = catalog["indicators"], catalog["plans"].copy()
    plans["adcode"] = plans["adcode"].astype(str)
    targets = obs[obs["status"] == "target"].merge(
        plans[["adcode", "source", "base_date"]], on=["adcode", "source"]
    )
    kinds = indicators.set_index("indicator")
    targets["kind"] = targets["indicator"].map(kinds["kind"])
    targets["base_indicator"] = targets["indicator"].map(kinds["base_indicator"])
    targets["base_year"] = targets["base_date"].dt.year
    is_window = targets["period_start"] != targets["period_end"]
    window_years = targets["period_end"].dt.year - targets["period_start"].dt.year + 1
    targets["position"] = np.where(
        is_window,
        (targets["period_start"].dt.year + targets["period_end"].dt.year + 1) / 2,
        targets["period_end"].dt.year + 1,
    )
    # baselines: reported points, and rates derived from counts on the same year's population
    reported = points(obs, catalog)[["adcode", "indicator", "year", "value", "position"]]
    same_year = rates[rates["denominator_year"] == rates["year"]]
    derived = same_year[["adcode", "rate_indicator", "year", "derived_value", "position"]]
    derived = derived.set_axis(["adcode", "indicator", "year", "value", "position"], axis=1)
    pool = pd.concat([reported.assign(reported=1), derived.assign(reported=0)])
    pool = pool.sort_values("reported").drop_duplicates(
        ["adcode", "indicator", "year"], keep="last"
    )
    base = pool.rename(
        columns={"year": "base_year", "value": "baseline", "position": "baseline_position"}
    )
    targets = targets.merge(base, on=["adcode", "indicator", "base_year"], how="left")
    stock = base.rename(
        columns={
            "indicator": "base_indicator",
            "baseline": "stock_baseline",
            "baseline_position": "stock_position",
        }
    )
    targets = targets.merge(
        stock[["adcode", "base_indicator", "base_year", "stock_baseline", "stock_position"]],
        on=["adcode", "base_indicator", "base_year"],
        how="left",
    )
    is_additions = (targets["kind"] == "flow") & targets["base_indicator"].notna()
    on_stock = is_additions & targets["baseline"].isna()
    # additions with no series of their own: stock + additions, at the window's end
    targets["implied_target"] = np.where(
        on_stock,
        targets["stock_baseline"] + targets["value"],
        np.where(
            is_window & (targets["kind"] == "flow"),
            targets["value"] / window_years,
            targets["value"],
        ),
    )
    targets["baseline"] = targets["baseline"].where(~on_stock, targets["stock_baseline"])
    start = targets["baseline_position"].where(~on_stock, targets["stock_position"])
    end = targets["position"].where(~on_stock, targets["period_end"].dt.year + 1)
    targets["years"] = end - start
    targets["ambition_ratio"] = targets["implied_target"] / targets["baseline"]
    targets["required_cagr"] = targets["ambition_ratio"] ** (1 / targets["years"]) - 1
    return targets


def benchmark(obs: pd.DataFrame, catalog: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rank, percentile rank and index (peer mean = 100) per indicator in its latest year."""
    pts = points(obs, catalog)
    latest = pts.groupby("indicator")["year"].transform("max")
    rows = pts[pts["year"] == latest].copy()
    by_group = rows.groupby(["indicator", "year"])["value"]
    rows["rank"] = by_group.rank(ascending=False, method="min")
    peers = by_group.transform("size")
    rows["percentile_rank"] = (peers - rows["rank"]) / (peers - 1) * 100
    rows["index"] = rows["value"] / by_group.transform("mean") * 100
    return rows


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def run(folder: Path) -> list[tuple[str, float]]:
    """Run every stage once; return (stage, seconds)."""
    seconds: list[tuple[str, float]] = []
    elapsed, text = timed(lambda: read_text(folder))
    seconds.append(("read CSV", elapsed))
    elapsed, catalog = timed(lambda: read_catalog(folder))
    seconds.append(("catalog", elapsed))
    elapsed, obs = timed(lambda: validate(text, catalog))
    seconds.append(("validate", elapsed))
    elapsed, rates = timed(lambda: per_capita(obs, catalog))
    seconds.append(("per_capita", elapsed))
    elapsed, _ = timed(lambda: growth(obs, catalog))
    seconds.append(("growth", elapsed))
    elapsed, _ = timed(lambda: ambition(obs, catalog, rates))
    seconds.append(("ambition", elapsed))
    elapsed, _ = timed(lambda: benchmark(obs, catalog))
    seconds.append(("benchmark", elapsed))
    return seconds


if __name__ == "__main__":
    for stage, value in run(Path(sys.argv[1])):
        print(f"{stage:<12} {value:8.3f} s")
