"""The curated datasets: contract, coverage, traceability to the sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import ipbench
from ipbench._load import data_dir

CONTRACT_COLUMNS = {
    "observations": [
        "adcode",
        "indicator",
        "measure",
        "status",
        "period_start",
        "period_end",
        "value",
        "qualifier",
        "value_high",
        "unit",
        "source",
        "evidence",
        "note",
    ],
    "regions": ["adcode", "name_zh", "name_en", "level", "parent_adcode"],
    "denominators": [
        "adcode",
        "year",
        "quantity",
        "value",
        "unit",
        "basis",
        "source",
        "evidence",
        "note",
    ],
}
FIXED_INDICATORS = [
    "invention_patents_in_force",
    "invention_patents_in_force_per_10k",
    "high_value_invention_patents_per_10k",
    "patent_grants",
    "invention_patent_grants",
    "invention_patent_applications",
    "trademark_applications",
    "trademark_registrations",
    "trademarks_in_force",
    "madrid_trademarks_in_force",
    "ip_pledge_financing",
]
SEED_SOURCES = {
    "nanjing_ipweek_2022": "320100",
    "dalian_ipweek_2022": "210200",
    "xuanwu_ip_plan_14fyp": "320102",
    "gulou_ip_county_plan_2022": "320106",
    "nanchang_daily_ip_2022": "360100",
}


@pytest.mark.parametrize("table", sorted(CONTRACT_COLUMNS))
def test_csv_header_is_the_contract(table: str) -> None:
    header = (data_dir() / f"{table}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == CONTRACT_COLUMNS[table]


def test_loaders_return_contract_dtypes() -> None:
    obs = ipbench.load_observations()
    assert pd.api.types.is_datetime64_any_dtype(obs["period_start"])
    assert pd.api.types.is_datetime64_any_dtype(obs["period_end"])
    assert obs["value"].dtype == "float64"
    assert isinstance(obs["measure"].dtype, pd.CategoricalDtype)
    assert list(obs["measure"].cat.categories) == [
        "level",
        "yoy_pct",
        "yoy_abs",
        "share_of_parent_pct",
        "multiple_of_parent",
    ]
    assert pd.api.types.is_string_dtype(obs["adcode"])
    assert ipbench.load_denominators()["year"].dtype == "int64"
    assert ipbench.load_indicators()["higher_is_better"].dtype == bool


def test_loaders_return_copies() -> None:
    first = ipbench.load_observations()
    first.loc[first.index[0], "value"] = -1.0
    assert ipbench.load_observations()["value"].iloc[0] != -1.0


def test_fixed_indicator_ids_are_in_the_catalog() -> None:
    catalog = set(ipbench.load_indicators()["indicator"])
    assert set(FIXED_INDICATORS) <= catalog


def test_aliases_name_one_indicator_each() -> None:
    # 万人发明专利拥有量 and 每万人有效发明专利拥有量 are the same indicator
    aliases = ipbench.load_indicators().set_index("indicator")["aliases_zh"].str.split("|")
    per_10k = aliases["invention_patents_in_force_per_10k"]
    assert {"万人发明专利拥有量", "每万人有效发明专利拥有量"} <= set(per_10k)
    exploded = aliases.explode()
    assert exploded[exploded.duplicated(keep=False)].to_dict() == {}


def test_regions_and_parents() -> None:
    regions = ipbench.load_regions().set_index("adcode")
    assert regions.loc["320102", "parent_adcode"] == "320100"
    assert regions.loc["320106", "parent_adcode"] == "320100"
    assert regions.loc["210200", "parent_adcode"] == "210000"
    assert regions.loc["360100", "parent_adcode"] == "360000"
    assert regions.loc["320000", "parent_adcode"] == "100000"
    assert pd.isna(regions.loc["100000", "parent_adcode"])


def test_coverage_of_every_source() -> None:
    obs = ipbench.load_observations()
    assert len(obs) > 100
    counts = obs.groupby("source").size()
    for source, adcode in SEED_SOURCES.items():
        assert counts[source] >= 5, source
        regions = set(obs.loc[obs["source"] == source, "adcode"])
        # the Nanjing report also names two overseas workstations of its district Jiangning
        assert regions == ({adcode, "320115"} if source == "nanjing_ipweek_2022" else {adcode})


def test_xuanwu_indicator_table_is_complete() -> None:
    # the plan's indicator table (主要指标) lists 22 targets for 2025; special project 4 adds
    # one more in its text (知识产权证券化第一单): 22 + 1 = 23
    obs = ipbench.load_observations()
    targets = obs[(obs["adcode"] == "320102") & (obs["status"] == "target")]
    assert len(targets) == 23
    assert (targets["indicator"] == "ip_securitisation_deals").sum() == 1
    assert targets["period_end"].eq(pd.Timestamp("2025-12-31")).all()


def test_gulou_main_goals_are_complete() -> None:
    # 主要目标: 5-6 centres, +7000 invention grants, 75/10k high-value, >3500 maintained,
    # 150/10k works, >1000/10k enterprises, 160 Madrid, +24 projects, >3亿 pledges,
    # +30 certified, +15 advantage, >1200 staff, >6亿 revenue, +5 talent, +40 attorneys,
    # 3000 trainees: 16 targets, and 证券化工作取得突破 (at least one deal): 17, all ending
    # with the programme in July 2025
    obs = ipbench.load_observations()
    targets = obs[(obs["adcode"] == "320106") & (obs["status"] == "target")]
    assert len(targets) == 17
    assert targets["period_end"].eq(pd.Timestamp("2025-07-31")).all()


def _one(obs: pd.DataFrame, adcode: str, indicator: str, **where: str) -> pd.Series:
    mask = (obs["adcode"] == adcode) & (obs["indicator"] == indicator)
    for column, value in where.items():
        mask &= obs[column].astype(str) == value
    rows = obs[mask]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_canonical_units_by_hand() -> None:
    obs = ipbench.load_observations()
    # 43.1亿元 = 43.1 × 10^8 元
    assert _one(obs, "320100", "ip_pledge_financing")["value"] == 4_310_000_000
    # 2.03万件 = 2.03 × 10^4 件
    dalian = _one(obs, "210200", "invention_patents_in_force", source="dalian_ipweek_2022")
    assert dalian["value"] == 20_300
    # 769.9142万元 = 7699142 元
    assert _one(obs, "360100", "ip_pledge_interest_subsidies")["value"] == 7_699_142
    # 万余人 = more than 10000 people
    reach = _one(obs, "360100", "ip_training_reach")
    assert (reach["value"], reach["qualifier"]) == (10_000, "gt")


def test_qualifiers_by_hand() -> None:
    obs = ipbench.load_observations()
    # ＞2800 / 超2800: a strict lower bound
    kept = _one(obs, "320102", "invention_patents_maintained_over_10y")
    assert (kept["value"], kept["qualifier"]) == (2800, "gt")
    # 5−6家: a range
    centres = _one(obs, "320106", "high_value_patent_cultivation_centres")
    assert (centres["value"], centres["qualifier"], centres["value_high"]) == (5, "range", 6)
    # 近500人: nearly, just below
    experts = _one(obs, "360100", "ip_expert_pool")
    assert (experts["value"], experts["qualifier"]) == (500, "lt")


def test_stock_and_flow_periods() -> None:
    obs = ipbench.load_observations()
    # 十三五期间 … 31146件 is a flow summed over 2016-2020
    applications = _one(obs, "320102", "invention_patent_applications")
    assert applications["period_start"] == pd.Timestamp("2016-01-01")
    assert applications["period_end"] == pd.Timestamp("2020-12-31")
    # 有效发明专利拥有量12482件 is a stock at the end of 2020
    in_force = _one(obs, "320102", "invention_patents_in_force", status="actual")
    assert in_force["period_start"] == in_force["period_end"] == pd.Timestamp("2020-12-31")


def test_reported_changes_are_rows() -> None:
    obs = ipbench.load_observations()
    grants = obs[
        (obs["adcode"] == "360100")
        & (obs["indicator"] == "patent_grants")
        & (obs["period_end"] == pd.Timestamp("2021-12-31"))
    ]
    by_measure = grants.set_index(grants["measure"].astype(str))["value"]
    assert by_measure.to_dict() == {"level": 23800, "yoy_pct": 32.9, "share_of_parent_pct": 24.44}
    multiple = _one(
        obs, "360100", "invention_patents_in_force_per_10k", measure="multiple_of_parent"
    )
    assert (multiple["value"], multiple["unit"]) == (3.13, "倍")


def test_denominators_from_reference() -> None:
    dens = ipbench.load_denominators()
    census = dens[dens["basis"] == "census_2020_11_01"].set_index("adcode")["value"]
    assert census.to_dict() == {
        "100000": 1_411_778_724,
        "320000": 84_748_016,
        "210000": 42_591_407,
        "360000": 45_188_635,
        "320100": 9_314_685,
        "320102": 537_825,
        "210200": 7_450_785,
        "360100": 6_255_007,
    }
    # the pre-census 2019 estimate and the revised 2019 figure are kept apart
    nanjing_2019 = dens[(dens["adcode"] == "320100") & (dens["year"] == 2019)]
    assert set(nanjing_2019["basis"].astype(str)) == {
        "year_end_pre_census",
        "year_end_census_revised",
    }


@pytest.mark.seeds
def test_every_evidence_phrase_occurs_in_its_source(seeds: Path) -> None:
    obs = ipbench.load_observations()
    sources = ipbench.load_sources().set_index("source")
    texts = {
        source: (seeds / str(row["file"])).read_text(encoding="utf-8")
        for source, row in sources[sources["file"].notna()].iterrows()
    }
    traced = obs[obs["source"].isin(texts)]
    assert len(traced) > 100
    missing = [
        (row.Index + 2, row.source, row.evidence)
        for row in traced.itertuples()
        if row.evidence not in texts[row.source]
    ]
    assert missing == []


@pytest.mark.seeds
def test_source_hashes_match_the_seed_files(seeds: Path) -> None:
    sources = ipbench.load_sources()
    with_files = sources[sources["file"].notna()]
    assert len(with_files) == 5
    for row in with_files.itertuples():
        digest = hashlib.sha256((seeds / row.file).read_bytes()).hexdigest()
        assert digest == row.sha256, row.file


@pytest.mark.seeds
def test_every_seed_is_a_source(seeds: Path) -> None:
    files = {path.name for path in seeds.glob("*.txt")}
    assert files == set(ipbench.load_sources()["file"].dropna())
