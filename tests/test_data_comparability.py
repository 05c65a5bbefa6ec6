"""Comparability of the built-in data: one concept an id, one definition, one vintage.

Each test states a rule of BRIEF.md section 3 (same period, same concept, same
definition, same vintage) as a check on the curated rows, with the figures it
relies on worked out by hand in the comments. Each would fail on the data as it
stood before the rule was applied.
"""

from __future__ import annotations

import pandas as pd
import pytest

import ipbench
from ipbench._vocabulary import DENOMINATOR_BASES


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return ipbench.load_observations()


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return ipbench.load_indicators().set_index("indicator")


def _rows(obs: pd.DataFrame, **where: str) -> pd.DataFrame:
    mask = pd.Series(True, index=obs.index)
    for column, value in where.items():
        mask &= obs[column].astype(str) == value
    return obs[mask]


def _one(obs: pd.DataFrame, **where: str) -> pd.Series:
    rows = _rows(obs, **where)
    assert len(rows) == 1, rows
    return rows.iloc[0]


def _days(rows: pd.DataFrame) -> pd.Series:
    """Length of each row's period in days, both ends included."""
    return (rows["period_end"] - rows["period_start"]).dt.days + 1


# --- 1. pledge financing: an annual amount, a window total and a campaign are apart ---


def test_annual_pledge_financing_is_one_year_of_loans(obs: pd.DataFrame) -> None:
    # ip_pledge_financing is the amount of one year: 365 or 366 days, both ends included.
    # Before the split it also held Dalian's campaign (2022-01-01..2022-04-25 = 115 days)
    # and Nanchang's 2019-2021 sum (1096 days), and Gulou's target over 2022-08..2025-07.
    rows = _rows(obs, indicator="ip_pledge_financing")
    assert set(rows["adcode"]) >= {"320100", "320102", "320106"}
    assert _days(rows).between(365, 366).all(), rows[["adcode", "period_start", "period_end"]]


def test_campaign_and_window_figures_have_their_own_ids(obs: pd.DataFrame) -> None:
    # Dalian: 已实现专利和商标质押44笔，共计贷款1.9亿元 -- one campaign to 2022-04-25
    loans = _one(obs, adcode="210200", indicator="ip_pledge_financing_campaign")
    pledges = _one(obs, adcode="210200", indicator="ip_pledges_campaign")
    assert loans["value"] == 190_000_000  # 1.9亿元 = 1.9 × 10^8 元
    assert pledges["value"] == 44
    # the two campaign figures are read over the same window
    assert (loans["period_start"], loans["period_end"]) == (
        pledges["period_start"],
        pledges["period_end"],
    )
    assert loans["period_end"] == pd.Timestamp("2022-04-25")
    # Nanchang: 2019年至2021年 … 质押备案登记金额达14.86亿元 -- three years summed
    window = _one(obs, adcode="360100", indicator="ip_pledge_financing_window_total")
    assert window["value"] == 1_486_000_000  # 14.86 × 10^8 元
    years = (window["period_end"].year - window["period_start"].year) + 1
    assert years == 3  # 2019, 2020, 2021
    # annualised it is 14.86亿 / 3 = 4.953亿元 a year, not 14.86亿 a year
    assert window["value"] / years == pytest.approx(495_333_333.3, rel=1e-9)
    # each of the two ids holds its one concept: Dalian's campaign, Nanchang's window
    campaign = _rows(obs, indicator="ip_pledge_financing_campaign")
    assert set(campaign["adcode"]) == {"210200"}
    assert set(_rows(obs, indicator="ip_pledge_financing_window_total")["adcode"]) == {"360100"}


def test_pledge_financing_phrase_is_read_alike_in_both_plans(obs: pd.DataFrame) -> None:
    # 知识产权质押融资总额 … 亿元 in Xuanwu's plan (6亿) and Gulou's (超过3亿): the same
    # phrase, no 累计 or 新增, so the same concept -- one year's amount -- in both.
    targets = obs[
        (obs["status"] == "target") & obs["evidence"].str.contains("质押融资总额", regex=False)
    ]
    assert set(targets["adcode"]) == {"320102", "320106"}
    assert set(targets["indicator"]) == {"ip_pledge_financing"}
    assert _days(targets).between(365, 366).all()
    # Xuanwu's year is calendar 2025, Gulou's the programme year ending 2025-07-31
    assert sorted(targets["period_end"]) == [pd.Timestamp("2025-07-31"), pd.Timestamp("2025-12-31")]
    # Xuanwu's baseline is the same concept: 2020年 … 质押融资达1亿元, one calendar year
    baseline = _one(obs, adcode="320102", indicator="ip_pledge_financing", status="actual")
    assert (baseline["period_start"], baseline["period_end"]) == (
        pd.Timestamp("2020-01-01"),
        pd.Timestamp("2020-12-31"),
    )
    assert (obs.loc[targets.index, "note"].str.len() > 0).all()


# --- 2. high-value patent cultivation centres: one level of recognition an id ---


CENTRES = "high_value_patent_cultivation_centres"


def _centre_level(evidence: str) -> str:
    """The level of recognition an evidence phrase names: 省、市级 / 省市级, 省级, or none."""
    if "省、市级" in evidence or "省市级" in evidence:
        return "provincial_municipal"
    if "省级" in evidence:
        return "provincial"
    return "unstated"


def test_centres_are_filed_by_the_level_their_source_names(obs: pd.DataFrame) -> None:
    # 建成省级…示范中心5家 (Xuanwu 2020) is provincial; 新增省、市级…5家 (Xuanwu target)
    # counts both levels; 培育…中心17家 (Nanjing) and 建成5−6家…中心 (Gulou) state none.
    rows = obs[obs["indicator"].str.startswith(CENTRES)]
    assert len(rows) == 4
    expected_id = {
        "provincial": f"{CENTRES}_provincial",
        "provincial_municipal": f"{CENTRES}_provincial_municipal_added",
        "unstated": CENTRES,
    }
    filed = rows["evidence"].map(_centre_level).map(expected_id)
    assert filed.tolist() == rows["indicator"].tolist()


def test_added_centres_are_never_read_against_the_provincial_stock(
    obs: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    # an additions target is a flow whose base is the stock it adds to (as _ambition reads it)
    added = indicators.loc[f"{CENTRES}_provincial_municipal_added"]
    assert added["kind"] == "flow"
    base = str(added["base_indicator"])
    assert base == f"{CENTRES}_provincial_municipal"
    assert indicators.loc[base, "kind"] == "stock"
    # Xuanwu's 2020 stock of 5 is provincial only, so it is not a row of that base: the
    # +5 target (2021-2025) has no stated baseline rather than a provincial-only one
    xuanwu = _rows(obs, adcode="320102")
    assert _rows(xuanwu, indicator=base).empty
    provincial = _one(xuanwu, indicator=f"{CENTRES}_provincial")
    assert (provincial["value"], provincial["period_end"]) == (5, pd.Timestamp("2020-12-31"))


def test_every_flow_with_a_base_adds_onto_a_stock(indicators: pd.DataFrame) -> None:
    # a flow that names a base_indicator is an additions id (新增…): its base is a stock.
    # (Flows such as 新增知识产权计划项目 name no base: there is no stock of them in the
    # sources, so their targets are window totals.)
    flows = indicators[(indicators["kind"].astype(str) == "flow")]
    additions = flows[flows["base_indicator"].notna()]
    assert f"{CENTRES}_provincial_municipal_added" in additions.index
    assert (indicators.loc[additions["base_indicator"], "kind"].astype(str) == "stock").all()
    assert additions["name_zh"].str.startswith("新增").all()


# --- 3. figures of the seeds that were missing ---

#: (adcode, indicator, value, qualifier, evidence): each a figure a careful reader finds
ADDED_FROM_SEEDS = [
    ("320100", "provincial_ip_protection_demo_cities_approved", 1, "eq", "获批创建江苏省首个"),
    ("320115", "overseas_ip_dispute_workstations_approved", 2, "eq", "(法国)工作站和(韩国)工作站"),
    ("210200", "national_ip_operation_centres_approved", 1, "eq", "洁净能源知识产权运营中心"),
    ("210200", "tisc_approved", 1, "eq", "(TISC)"),
    ("210200", "university_national_ip_information_centres_approved", 1, "ge", "高校国家知识产权"),
    ("210200", "ip_finance_alliance_members", 100, "gt", "100余家金融联盟成员单位"),
    ("210200", "ip_leading_group_member_units", 30, "gt", "30余家"),
    ("210200", "ip_finance_cooperation_universities", 5, "eq", "5所高校院所"),
    ("320102", "provincial_ip_demo_parks", 1, "eq", "获批省知识产权建设示范园区"),
    ("320102", "municipal_patent_navigation_zones", 1, "eq", "市专利导航产业发展实验区"),
    ("320102", "national_ip_demo_universities", 1, "eq", "全国首批知识产权示范高校"),
    ("320102", "national_ip_pilot_universities", 1, "eq", "国家知识产权试点高校"),
    ("320102", "provincial_ip_education_pilot_schools", 1, "eq", "中小学知识产权教育试点学校"),
    ("320102", "ip_securitisation_deals", 1, "ge", "证券化第一单"),
    ("320106", "ip_securitisation_deals", 1, "ge", "证券化工作取得突破"),
    ("360100", "patent_navigation_projects_completed", 2, "eq", "生物医药产业专利导航项目与电子"),
    ("360100", "patent_early_warning_projects_completed", 1, "eq", "VR产业专利预警项目"),
    ("360100", "patent_navigation_service_bases", 1, "eq", "专利导航服务基地"),
]


@pytest.mark.parametrize(("adcode", "indicator", "value", "qualifier", "phrase"), ADDED_FROM_SEEDS)
def test_seed_figure_is_a_row(
    obs: pd.DataFrame, adcode: str, indicator: str, value: float, qualifier: str, phrase: str
) -> None:
    row = _one(obs, adcode=adcode, indicator=indicator)
    assert (row["value"], row["qualifier"]) == (value, qualifier)
    assert phrase in row["evidence"]
    assert isinstance(row["note"], str)
    assert row["note"]


def test_xuanwu_park_designation_is_provincial_not_national(obs: pd.DataFrame) -> None:
    # 徐庄高新区获批省知识产权建设示范园区: a provincial park; the plan's target 新增国家知识产权
    # 试点示范园区1个 is national, so the park is not the target's baseline
    park = _one(obs, adcode="320102", indicator="provincial_ip_demo_parks")
    assert "省" in park["evidence"]
    assert "国家" not in park["evidence"]
    assert _rows(obs, adcode="320102", indicator="national_ip_demo_parks").empty


#: words next to a number and the qualifier they imply (BRIEF.md section 3)
QUALIFIER_WORDS = [
    (r"近\d", "lt"),  # 近500人: nearly
    (r"(?:超过|超|＞|突破)\d", "gt"),  # 超过85%, ＞2800, 突破10万件: more than
    (r"(?:\d|万)(?:余|多)", "gt"),  # 100余家, 200多次, 万余人: more than, rounded down
    (r"\d\s*[−–-]\s*\d", "range"),  # 5−6家
]


def test_qualifier_follows_the_words_next_to_the_number(obs: pd.DataFrame) -> None:
    implied = pd.Series("", index=obs.index)
    for pattern, qualifier in QUALIFIER_WORDS:
        implied = implied.mask(obs["evidence"].str.contains(pattern, regex=True), qualifier)
    worded = implied != ""
    # 11 rows with 超过/超/＞/突破, 6 with 余/多, 1 with 近 and 1 range at least
    assert worded.sum() >= 19
    mismatched = obs.loc[worded & (obs["qualifier"].astype(str) != implied), "evidence"]
    assert mismatched.tolist() == []


# --- 4. national context: China is a reference, on the cities' definitions ---


def test_national_invention_patents_in_force_count_domestic_holders(obs: pd.DataFrame) -> None:
    # 每万人口发明专利拥有量 and the city counts cover domestic holders; China's 359.7万
    # (2021) includes foreign holders, 国内（不含港澳台）270.4万 does not
    china = _rows(obs, adcode="100000", measure="level")
    domestic = _rows(china, indicator="invention_patents_in_force").set_index("period_end")
    assert domestic["value"].to_dict() == {
        pd.Timestamp("2021-12-31"): 2_704_000,  # 270.4万件
        pd.Timestamp("2022-12-31"): 3_280_000,  # 328.0万件
    }
    assert domestic["evidence"].str.contains("国内（不含港澳台）", regex=False).all()
    total = _rows(china, indicator="invention_patents_in_force_incl_foreign")
    total = total.set_index("period_end")["value"]
    assert total.to_dict() == {
        pd.Timestamp("2021-12-31"): 3_597_000,  # 359.7万件
        pd.Timestamp("2022-06-30"): 3_906_000,  # 390.6万件
        pd.Timestamp("2022-12-31"): 4_212_000,  # 421.2万件
    }
    # domestic holders are 270.4 / 359.7 = 75.2 % of all in 2021, 328.0 / 421.2 = 77.9 % in 2022
    share = domestic["value"] / total.reindex(domestic.index)
    assert share.round(3).tolist() == [0.752, 0.779]


def test_national_totals_with_foreign_holders_have_their_own_ids(obs: pd.DataFrame) -> None:
    # 全年授权发明专利79.8万件, 核准注册商标617.7万件, 有效商标注册量4267.2万件 and 359.7万件 are
    # national totals that include foreign applicants; a region's count has no foreign part
    china = _rows(obs, adcode="100000")
    foreign_ids = {
        "invention_patents_in_force_incl_foreign",
        "invention_patent_grants_incl_foreign",
        "trademark_registrations_incl_foreign",
        "trademarks_in_force_incl_foreign",
    }
    assert foreign_ids <= set(china["indicator"])
    assert set(obs.loc[obs["indicator"].isin(foreign_ids), "adcode"]) == {"100000"}
    for same_name in ("invention_patent_grants", "trademark_registrations", "trademarks_in_force"):
        assert _rows(china, indicator=same_name).empty, same_name
    grants = _one(china, indicator="invention_patent_grants_incl_foreign")
    assert grants["value"] == 798_000  # 79.8万件 = 79.8 × 10^4


def test_national_pledge_financing_is_patents_and_trademarks(obs: pd.DataFrame) -> None:
    # 全国专利商标质押融资金额达到3098亿元 (2021), 4868.8亿元 (2022): patents and trademarks,
    # a scope the city 知识产权质押融资总额 figures do not state, so not ip_pledge_financing
    assert _rows(obs, adcode="100000", indicator="ip_pledge_financing").empty
    pledges = _rows(obs, adcode="100000", indicator="patent_trademark_pledge_financing")
    levels = _rows(pledges, measure="level").set_index("period_end")["value"]
    assert levels.to_dict() == {
        pd.Timestamp("2021-12-31"): 309_800_000_000,  # 3098亿元
        pd.Timestamp("2022-12-31"): 486_880_000_000,  # 4868.8亿元
    }
    assert _days(_rows(pledges, measure="level")).between(365, 366).all()
    # 同比增长57.1%: 4868.8 / 3098 - 1 = 57.16 %; 57.1 (57.05..57.15) needs a 2021 base in
    # (4868.8 / 1.5715, 4868.8 / 1.5705] = (3098.25, 3100.22]亿, which meets 3098's
    # rounding interval [3097.5, 3098.5): consistent, just
    growth = _one(pledges, measure="yoy_pct")["value"]
    low, high = 4868.8 / (1 + (growth + 0.05) / 100), 4868.8 / (1 + (growth - 0.05) / 100)
    assert low < 3098.5
    assert high >= 3097.5


def test_national_high_value_rate_series_and_plan_target(obs: pd.DataFrame) -> None:
    sources = ipbench.load_sources().set_index("source")
    rate = _rows(obs, adcode="100000", indicator="high_value_invention_patents_per_10k")
    levels = _rows(rate, measure="level", status="actual").set_index("period_end")["value"]
    assert levels.to_dict() == {
        pd.Timestamp("2021-12-31"): 7.5,
        pd.Timestamp("2022-12-31"): 9.4,
        pd.Timestamp("2025-06-30"): 15.3,
    }
    # 较上年提高1.2件: end-2020 = 7.5 - 1.2 = 6.3, the plan's baseline
    change = _one(rate, measure="yoy_abs")
    assert levels[change["period_end"]] - change["value"] == pytest.approx(6.3, abs=1e-12)
    # the 12 件/万人 target belongs to the 14th FYP plan, published 2021-10-09, not to the
    # 2025 review that reports 15.3
    target = _one(rate, status="target")
    assert (target["value"], target["period_end"]) == (12, pd.Timestamp("2025-12-31"))
    plan = sources.loc[target["source"]]
    assert (plan["kind"], plan["published"]) == ("plan", pd.Timestamp("2021-10-09"))
    review = _one(rate, period_end="2025-06-30")
    assert review["source"] != target["source"]


def test_national_royalties_agree_with_the_reported_growth(obs: pd.DataFrame) -> None:
    # 3194.4亿元 (2020) to 3987.1亿元 (2024), 年均增速5.7%: (3987.1 / 3194.4)^(1/4) - 1 = 5.698 %
    royalties = _rows(obs, adcode="100000", indicator="ip_royalties_trade").set_index("period_end")
    first, last = royalties["value"].sort_index().to_list()
    assert (first, last) == (319_440_000_000, 398_710_000_000)
    assert round(((last / first) ** (1 / 4) - 1) * 100, 1) == 5.7


NATIONAL_SOURCES = [
    "ref_national_ip_plan_14fyp",
    "ref_scio_ip_2021",
    "ref_cnipa_h1_2022",
    "ref_cnipa_stats_2022",
    "ref_scio_ip_2022",
    "ref_scio_14fyp_review_2025",
]


def test_national_sources_give_a_date_only_when_it_is_known() -> None:
    # the reference gives 2021-10-09, 2023-02-24 and 2025-07-17 in full; for the others
    # only the month (2022-01, 2022-07, 2023-01), which the title then carries
    sources = ipbench.load_sources().set_index("source").loc[NATIONAL_SOURCES]
    dated = sources["published"].dropna().dt.strftime("%Y-%m-%d")
    assert sorted(dated) == ["2021-10-09", "2023-02-24", "2025-07-17"]
    undated = sources[sources["published"].isna()]
    assert undated["title"].str.contains(r"\d{4}年\d{1,2}月）$", regex=True).all()


# --- 5. denominators: the national and provincial populations, GDP by vintage ---


@pytest.fixture(scope="module")
def denominators() -> pd.DataFrame:
    dens = ipbench.load_denominators()
    return dens.assign(basis=dens["basis"].astype(str), quantity=dens["quantity"].astype(str))


def test_national_and_provincial_populations(denominators: pd.DataFrame) -> None:
    population = denominators[denominators["quantity"] == "resident_population"]
    census = population[population["basis"] == "census_2020_11_01"].set_index("adcode")["value"]
    assert census[["100000", "320000", "210000", "360000"]].tolist() == [
        1_411_778_724,  # 全国人口共1411778724人
        84_748_016,  # 江苏 全省常住人口为84748016人
        42_591_407,  # 辽宁
        45_188_635,  # 江西
    ]
    # 141260万 / 141175万 / 140967万 / 140828万 at the ends of 2021..2024
    year_end = population[
        (population["adcode"] == "100000") & (population["basis"] == "year_end_census_revised")
    ].set_index("year")["value"]
    assert year_end.to_dict() == {
        2021: 1_412_600_000,
        2022: 1_411_750_000,
        2023: 1_409_670_000,
        2024: 1_408_280_000,
    }
    # a city is part of its province: Nanjing 9,314,685 / Jiangsu 84,748,016 = 10.99 %
    assert census["320100"] / census["320000"] == pytest.approx(0.10991, abs=5e-6)


def test_national_rate_on_domestic_holders_matches_the_reference(
    obs: pd.DataFrame, denominators: pd.DataFrame
) -> None:
    # the national rate comparable with city rates: 2704000 / 1412600000 × 10^4 = 19.142
    # (≈19.1 in the reference); with the 359.7万 including foreign holders it would be 25.46
    patents = _one(
        obs, adcode="100000", indicator="invention_patents_in_force", period_end="2021-12-31"
    )
    people = denominators[
        (denominators["adcode"] == "100000")
        & (denominators["year"] == 2021)
        & (denominators["quantity"] == "resident_population")
    ]
    assert len(people) == 1
    rate = patents["value"] / people["value"].iloc[0] * 1e4
    assert rate == pytest.approx(19.1420, abs=5e-5)
    assert round(rate, 1) == 19.1


#: each GDP row's vintage, judged from when its source published it
GDP_VINTAGE = {
    # Nanchang 2020, 5745.51亿元: the statistics bureau page of 2023-02 (…/202302/…)
    ("360100", 2020): "gdp_final",
    # Nanchang 2021, 6650.53亿元: government page of 2022-08, under a year after
    ("360100", 2021): "gdp_first_release",
    # Nanjing 2021, 16355.33亿元: a news report of 2022-01-25
    ("320100", 2021): "gdp_first_release",
    # Dalian 2023, 8752.9亿元: a page dated 2023-11-09, necessarily updated within 2024
    ("210200", 2023): "gdp_first_release",
}


def test_gdp_rows_state_their_vintage(denominators: pd.DataFrame) -> None:
    assert "year" not in DENOMINATOR_BASES
    assert {"gdp_first_release", "gdp_final"} <= set(DENOMINATOR_BASES)
    gdp = denominators[denominators["quantity"] == "gdp"]
    vintage = {(row.adcode, row.year): row.basis for row in gdp.itertuples()}
    assert vintage == GDP_VINTAGE
    # and a population is never given a GDP vintage
    population = denominators[denominators["quantity"] != "gdp"]
    assert not population["basis"].str.startswith("gdp_").any()
