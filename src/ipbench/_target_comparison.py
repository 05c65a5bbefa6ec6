"""Targets of several regions side by side: absolute, per resident, per plan-year."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ipbench._catalog import Catalog
from ipbench._errors import BenchmarkError
from ipbench._load import UserTable
from ipbench._periods import end_position, start_position
from ipbench._targets import plan_of, plan_population, target_kind
from ipbench._validated import stamp, validated
from ipbench._vocabulary import DEFAULT_BASES


def compare_targets(
    obs: pd.DataFrame,
    adcodes: Sequence[str] = ("320102", "320106"),
    *,
    basis: str | Sequence[str] | None = None,
    catalog: Catalog | None = None,
    denominators: UserTable = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
    plans: UserTable = None,
) -> pd.DataFrame:
    """Compare the targets of several regions on the indicators all of them target.

    Each target is shown absolute, per 10,000 residents, and per plan-year:

    - a level to reach at a date (有效…达到, a stock; or one year's flow, such as
      the plan's last year) is divided by the population: ``per_10k_residents``;
    - a total over the plan window (新增, 累计) is divided by the plan's length
      from the ``plans`` table (Xuanwu 2021-2025: 5 years; Gulou 2022-08 to
      2025-07: 3 years): ``per_plan_year``, and that yearly average per 10,000
      residents: ``per_10k_residents_per_year``. A five-year total is never set
      per resident beside a three-year one.

    Per resident uses one population vintage for all regions: the latest
    (basis, year) that every region has on the accepted ``basis`` (by default
    the project's one order: census-revised year-end figures, then the 2020
    census). Where the regions share none, per-resident figures are left empty
    and ``note`` says which bases each region has; pass a ``basis`` list that
    includes one they share (for Xuanwu and Gulou, whose only common figure is
    the 2019 pre-census estimate, ``basis="year_end_pre_census"``).

    A plan that sets a per-10k target and its count for one date assumes its
    own population (Xuanwu: 18000 件 / 300 件/万人 × 10⁴ = 600,000); the
    count is also shown on it (``per_10k_on_plan_population``: 300, the
    plan's rate), beside the vintage above.

    Parameters
    ----------
    obs : DataFrame
        Observations, built-in or your own (a frame ipbench validated is not
        validated again).
    adcodes : sequence of str, default ("320102", "320106")
        The regions compared (Xuanwu and Gulou by default).
    basis : str or sequence of str, optional
        Accepted bases of the population, in order of preference; by default the
        project's one order (``ipbench._vocabulary.DEFAULT_BASES``).
    catalog : Catalog, optional
        The reference tables to work with; by default the catalog ``obs`` carries,
        else the built-in one.
    denominators, regions, indicators, sources, plans : DataFrame or path, optional
        Your own tables, extending the catalog's.

    Examples
    --------
    >>> import ipbench
    >>> t = ipbench.compare_targets(ipbench.load_observations(), basis="year_end_pre_census")
    >>> talent = t[t["indicator"] == "ip_high_level_talent_added"]
    >>> talent[["name_en", "target_value", "plan_years", "per_plan_year"]].to_numpy().tolist()
    [['Xuanwu', 10.0, 5.0, 2.0], ['Gulou', 5.0, 3.0, 1.6667]]
    """
    obs, ctx = validated(
        obs,
        catalog,
        denominators=denominators,
        regions=regions,
        indicators=indicators,
        sources=sources,
        plans=plans,
    )
    targets = obs[
        (obs["status"] == "target") & (obs["measure"] == "level") & obs["adcode"].isin(adcodes)
    ]
    without = sorted(set(adcodes) - set(targets["adcode"]))
    if without:
        raise BenchmarkError(f"no targets to compare for {without}")
    shared = targets.groupby("indicator")["adcode"].nunique()
    shared_ids = shared[shared == len(set(adcodes))].index
    rows = targets[targets["indicator"].isin(shared_ids)]
    accepted = (
        list(DEFAULT_BASES["resident_population"])
        if basis is None
        else [basis]
        if isinstance(basis, str)
        else list(basis)
    )
    population, missing_note = _common_population(list(adcodes), ctx, accepted)
    kind = rows["indicator"].map(ctx.kind_of)
    plan = plan_of(rows, ctx.plans)
    is_total = target_kind(
        rows, ctx.kind_of, ctx.indicators.set_index("indicator")["base_indicator"]
    )
    is_total = is_total.isin(["additions", "window_total"])
    plan_years = (
        end_position(plan["plan_period_end"]) - start_position(plan["plan_period_start"])
    ).round(4)
    window_years = (end_position(rows["period_end"]) - start_position(rows["period_start"])).round(
        4
    )
    # a target whose plan the catalog lacks: its own window is the plan's length
    years = plan_years.fillna(window_years.where(is_total))
    years = years.where(years > 0, window_years.where(window_years > 0, 1.0))
    pop = rows["adcode"].map(population["value"]) if population is not None else None
    pop = pd.Series(np.nan, index=rows.index) if pop is None else pop
    per_residents = (
        rows["indicator"]
        .map(ctx.indicators.set_index("indicator")["denominator"])
        .eq("resident_population")
    )
    counts = kind.isin(["stock", "flow"])
    per_resident = (rows["value"] / pop * 10_000).where(counts & ~is_total)
    per_resident = per_resident.where(~((kind == "rate") & per_residents), rows["value"])
    per_year = (rows["value"] / years).where(is_total)
    per_resident_year = (per_year / pop * 10_000).where(is_total)
    is_window = rows["period_start"] < rows["period_end"]
    note = pd.Series("", index=rows.index, dtype="str")
    note = note.mask(~is_total, "a level to reach, not a total over the plan")
    note = note.mask(is_window & ~is_total, "a yearly figure for the plan's last year")
    note = note.mask(
        is_total, "a total over the plan: per plan-year, and that yearly average per resident"
    )
    note = note.mask(kind == "share", "a share: per resident does not apply")
    note = note.mask((kind == "rate") & ~per_residents, "a rate per another denominator")
    if missing_note:
        note = (note + "; " + missing_note).str.lstrip("; ")
    plan_missing = plan["plan"].isna()
    note = note.mask(plan_missing, note + "; no plan in the catalog: its own window is its length")
    by_indicator = ctx.indicators.set_index("indicator")
    assumed = plan_population(rows.assign(plan=plan["plan"]), by_indicator)
    on_assumed = (rows["value"] / assumed * 10_000).where(counts & ~is_total)
    on_assumed = on_assumed.where(~((kind == "rate") & per_residents), rows["value"]).where(
        assumed.notna()
    )
    regions_table = ctx.regions.set_index("adcode")
    result = pd.DataFrame(
        {
            "indicator": rows["indicator"],
            "adcode": rows["adcode"],
            "name_en": rows["adcode"].map(regions_table["name_en"]).astype("str"),
            "target_value": rows["value"],
            "qualifier": rows["qualifier"].astype("str"),
            "unit": rows["unit"].astype("str"),
            "period_start": rows["period_start"],
            "period_end": rows["period_end"],
            "plan": plan["plan"].astype("object").where(plan["plan"].notna(), None),
            "plan_years": years.astype("float64"),
            "per_10k_residents": per_resident.astype("float64"),
            "per_plan_year": per_year.round(4).astype("float64"),
            "per_10k_residents_per_year": per_resident_year.astype("float64"),
            "population": pop.astype("float64"),
            "population_year": (
                rows["adcode"].map(population["year"]) if population is not None else pop
            ).astype("Int64"),
            "population_basis": (
                rows["adcode"].map(population["basis"]).astype("object")
                if population is not None
                else pd.Series(None, index=rows.index, dtype="object")
            ),
            "plan_population": assumed.astype("float64"),
            "per_10k_on_plan_population": on_assumed.astype("float64"),
            "note": note.astype("str"),
            "source": rows["source"],
            "evidence": rows["evidence"],
        }
    )
    order = {code: position for position, code in enumerate(adcodes)}
    return stamp(
        result.assign(_order=result["adcode"].map(order))
        .sort_values(["indicator", "_order"])
        .drop(columns="_order")
        .reset_index(drop=True),
        ctx,
        "result",
    )


def _common_population(
    adcodes: list[str], ctx: Catalog, bases: list[str]
) -> tuple[pd.DataFrame | None, str]:
    """Find the latest resident population of one accepted basis and year every region has.

    Returns the figures by adcode, or None and a note naming what each region has.
    """
    dens = ctx.denominators
    pool = dens[(dens["quantity"] == "resident_population") & dens["adcode"].isin(adcodes)]
    pool = pool.assign(basis=pool["basis"].astype(str))
    usable = pool[pool["basis"].isin(bases)]
    coverage = usable.groupby(["basis", "year"])["adcode"].nunique()
    common = coverage[coverage == len(set(adcodes))]
    if common.empty:
        have = "; ".join(
            f"{a}: " + ", ".join(f"{y} {b}" for y, b in zip(g["year"], g["basis"], strict=True))
            for a, g in pool.groupby("adcode")
        )
        return None, (
            f"no resident population of one basis and year on {bases} for all regions "
            f"({have}); pass basis= with one they share"
        )
    rank = {name: position for position, name in enumerate(bases)}
    basis, year = max(common.index, key=lambda key: (key[1], -rank[key[0]]))
    chosen = usable[(usable["basis"] == basis) & (usable["year"] == year)]
    return pd.DataFrame(chosen.set_index("adcode")[["value", "year", "basis"]]), ""
