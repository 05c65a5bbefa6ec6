"""Targets judged against their own plan: base date, population, qualifier, parent and peers."""

from __future__ import annotations

import pandas as pd
import pytest

import ipbench

TIGHT = 1e-9

REGION = pd.DataFrame(
    [{"adcode": "320500", "name_zh": "苏州市", "name_en": "Suzhou", "level": "city",
      "parent_adcode": "320000"}]
)  # fmt: skip
SOURCES = pd.DataFrame(
    [
        {"source": "suzhou_plan_2021", "title": "a plan", "publisher": "a city",
         "published": "2021-06-30", "url": "", "document_number": "", "kind": "plan",
         "file": "", "sha256": ""},
        {"source": "suzhou_briefing_2026", "title": "a briefing", "publisher": "a city",
         "published": "2026-03-01", "url": "", "document_number": "", "kind": "news",
         "file": "", "sha256": ""},
    ]
)  # fmt: skip
PLAN = pd.DataFrame(
    [{"plan": "suzhou_ip_14fyp", "adcode": "320500", "title": "a plan",
      "source": "suzhou_plan_2021", "period_start": "2021-01-01", "period_end": "2025-12-31",
      "base_date": "2020-12-31", "note": ""}]
)  # fmt: skip


def _row(
    adcode: str,
    indicator: str,
    date: str,
    value: float,
    *,
    status: str = "actual",
    source: str = "suzhou_briefing_2026",
    qualifier: str = "eq",
    unit: str = "件/万人",
) -> dict[str, object]:
    return {
        "adcode": adcode,
        "indicator": indicator,
        "measure": "level",
        "status": status,
        "period_start": date,
        "period_end": date,
        "value": value,
        "qualifier": qualifier,
        "value_high": None,
        "unit": unit,
        "source": source,
        "evidence": "test",
        "note": None,
    }


def _restated() -> pd.DataFrame:
    rate = "high_value_invention_patents_per_10k"
    rows = [
        _row("320500", rate, "2020-12-31", 6.0, source="suzhou_plan_2021"),
        _row("320500", rate, "2023-12-31", 9.0),
        _row("320500", rate, "2025-12-31", 12.5),
        # the 2026 briefing repeats the plan's target "12 by 2025"
        _row("320500", rate, "2025-12-31", 12.0, status="target"),
    ]
    return ipbench.validate(pd.DataFrame(rows), regions=REGION, sources=SOURCES)


def test_a_restated_target_keeps_its_plans_baseline() -> None:
    obs = _restated()
    row = ipbench.ambition(obs, regions=REGION, sources=SOURCES, plans=PLAN).iloc[0]
    assert (row["plan"], row["plan_match"]) == ("suzhou_ip_14fyp", "by region and end date")
    # the plan's base date is end-2020: baseline 6 件/万人, five years to 12 by 2025
    assert (row["baseline_value"], row["baseline_year"], row["years"]) == (6.0, 2020, 5.0)
    # required CAGR (12 / 6)^(1/5) - 1 = 0.148698
    assert row["required_cagr"] == pytest.approx(2**0.2 - 1, rel=TIGHT)
    # gap closed (12.5 - 6) / (12 - 6) = 1.0833: more than closed, and met
    assert row["gap_closed"] == pytest.approx(6.5 / 6, rel=TIGHT)
    assert bool(row["met"])
    assert row["progress_class"] == "target met"
    # observed since the base date: (12.5 / 6)^(1/5) - 1 = 0.158292
    assert row["observed_cagr"] == pytest.approx((12.5 / 6) ** 0.2 - 1, rel=TIGHT)


def test_without_its_plan_a_restated_target_has_no_baseline_and_says_why() -> None:
    row = ipbench.ambition(_restated(), regions=REGION, sources=SOURCES).iloc[0]
    # read as the briefing's own target, the 2025 actual would be its baseline: refused
    assert pd.isna(row["plan"])
    assert pd.isna(row["required_cagr"])
    assert "less than a year" in row["reason"]


def _with_latest(latest: float, target: float, qualifier: str) -> pd.Series:
    rate = "high_value_invention_patents_per_10k"
    rows = [
        _row("320500", rate, "2020-12-31", 1.0, source="suzhou_plan_2021"),
        _row("320500", rate, "2023-12-31", latest),
        _row("320500", rate, "2025-12-31", target, status="target", qualifier=qualifier),
    ]
    obs = ipbench.validate(pd.DataFrame(rows), regions=REGION, sources=SOURCES)
    return ipbench.ambition(obs, regions=REGION, sources=SOURCES, plans=PLAN).iloc[0]


@pytest.mark.parametrize(
    ("latest", "met"),
    [
        (1.0, False),  # far below "nearly 18000": never met (it once was)
        (17200.0, True),  # 4.4 % below 18000: within the 5 % that 近 allows
        (17000.0, False),  # 5.6 % below: not "nearly" 18000
        (18500.0, True),  # above: met
    ],
)
def test_nearly_is_read_from_below_with_a_stated_tolerance(latest: float, met: bool) -> None:
    row = _with_latest(latest, 18000.0, "lt")
    assert bool(row["met"]) is met


def test_more_than_is_not_met_at_the_bound() -> None:
    # ＞2800 is met by 2801, not by 2800
    assert not bool(_with_latest(2800.0, 2800.0, "gt")["met"])
    assert bool(_with_latest(2801.0, 2800.0, "gt")["met"])


def test_an_upper_limit_is_met_below_it() -> None:
    indicator = pd.DataFrame(
        [{"indicator": "ip_infringement_complaints", "name_zh": "知识产权侵权投诉量",
          "name_en": "IP infringement complaints", "aliases_zh": "知识产权侵权投诉量",
          "unit": "件", "kind": "stock", "category": "保护", "higher_is_better": "false",
          "denominator": "", "base_indicator": "", "description": "complaints pending"}]
    )  # fmt: skip

    def judged(latest: float) -> bool:
        rows = [
            _row("320500", "ip_infringement_complaints", "2020-12-31", 150.0, unit="件",
                 source="suzhou_plan_2021"),
            _row("320500", "ip_infringement_complaints", "2023-12-31", latest, unit="件"),
            # 控制在100件以内: an upper limit
            _row("320500", "ip_infringement_complaints", "2025-12-31", 100.0, unit="件",
                 status="target"),
        ]  # fmt: skip
        obs = ipbench.validate(
            pd.DataFrame(rows), regions=REGION, sources=SOURCES, indicators=indicator
        )
        result = ipbench.ambition(
            obs, regions=REGION, sources=SOURCES, indicators=indicator, plans=PLAN
        )
        return bool(result.iloc[0]["met"])

    assert judged(90.0)
    assert judged(100.0)
    assert not judged(110.0)


def test_xuanwu_rate_and_count_targets_agree_on_the_plans_population() -> None:
    amb = ipbench.ambition(ipbench.load_observations())
    xuanwu = amb[amb["adcode"] == "320102"].set_index("indicator")
    rate = xuanwu.loc["invention_patents_in_force_per_10k"]
    count = xuanwu.loc["invention_patents_in_force"]
    # 有效发明专利拥有量达18000件 / 万人发明专利拥有量达300件 × 10^4 = 600,000 residents
    assert rate["plan_population"] == pytest.approx(600000, rel=TIGHT)
    # on it, 12482 件 at end-2020 is 208.03 件/万人, and (300 / 208.03)^(1/5) - 1 = 7.596 %,
    # the count target's (18000 / 12482)^(1/5) - 1: one goal, one growth rate
    assert rate["baseline_on_plan_population"] == pytest.approx(12482 / 60, rel=TIGHT)
    assert rate["required_cagr_on_plan_population"] == pytest.approx(
        count["required_cagr"], rel=TIGHT
    )
    # on the census's 537,825 residents: (300 / 232.083)^(1/5) - 1 = 5.27 %
    assert rate["required_cagr"] == pytest.approx((300 / (12482 / 53.7825)) ** 0.2 - 1, rel=TIGHT)


def test_parent_is_compared_at_the_baseline_date() -> None:
    obs = ipbench.load_observations()
    nanjing_2020 = obs[(obs["adcode"] == "320100") & (obs["value"] == 95.42)].assign(
        period_start=pd.Timestamp("2020-12-31"),
        period_end=pd.Timestamp("2020-12-31"),
        value=80.0,
        evidence="test",
    )
    both = ipbench.validate(pd.concat([obs, nanjing_2020], ignore_index=True))
    amb = ipbench.ambition(both)
    row = amb[
        (amb["adcode"] == "320102") & (amb["indicator"] == "invention_patents_in_force_per_10k")
    ]
    row = row.iloc[0]
    # Xuanwu's end-2020 232.083 件/万人 against Nanjing's end-2020 80 (a test figure): 2.901×;
    # Nanjing's 95.42 of end-2021 is a year later and is not used
    assert row["parent_value"] == 80.0
    assert row["parent_period_end"] == pd.Timestamp("2020-12-31")
    assert row["baseline_to_parent_ratio"] == pytest.approx(12482 / 53.7825 / 80, rel=TIGHT)


def test_peers_share_the_level_and_grow_over_spans_as_long_as_the_target() -> None:
    obs = ipbench.load_observations()
    # Xuanwu (a district) has no other district with two counts five years apart: the
    # cities (Dalian 9625 → 20309 over 2016-2021) and its own city are not its peers
    amb = ipbench.ambition(obs)
    row = amb[(amb["adcode"] == "320102") & (amb["indicator"] == "invention_patents_in_force")]
    assert row.iloc[0]["peer_count"] == 0
    # two test counts for Gulou, a district: 10000 at end-2016 and 20000 at end-2021
    gulou = obs[(obs["adcode"] == "210200") & (obs["value"] == 9625)]
    rows = [
        gulou.assign(adcode="320106", value=10000.0, evidence="test"),
        gulou.assign(
            adcode="320106",
            value=20000.0,
            period_start=pd.Timestamp("2021-12-31"),
            period_end=pd.Timestamp("2021-12-31"),
            source="ref_nanjing_ip_100k_2022",
            evidence="test",
        ),
    ]
    with_gulou = ipbench.validate(pd.concat([obs, *rows], ignore_index=True))
    amb = ipbench.ambition(with_gulou)
    row = amb[(amb["adcode"] == "320102") & (amb["indicator"] == "invention_patents_in_force")]
    row = row.iloc[0]
    # Xuanwu needs 5 years (2020 → 2025); Gulou grew (20000 / 10000)^(1/5) - 1 = 14.87 % a
    # year over 2016-2021, five years too: one peer, growing faster than the 7.6 % needed
    assert row["peer_span_years"] == 5
    assert row["peer_count"] == 1
    assert row["peer_observed_cagr_median"] == pytest.approx(2**0.2 - 1, rel=TIGHT)
    assert row["required_cagr_peer_percentile"] == 0.0


def test_national_target_progress_uses_a_reconstructed_baseline() -> None:
    amb = ipbench.ambition(ipbench.load_observations())
    row = amb[
        (amb["adcode"] == "100000") & (amb["indicator"] == "high_value_invention_patents_per_10k")
    ]
    row = row.iloc[0]
    assert row["plan"] == "cn_ip_protection_14fyp"
    # 每万人口高价值发明专利拥有量达到7.5件, 较上年提高1.2件: 7.5 - 1.2 = 6.3 at end-2020
    assert row["baseline_value"] == pytest.approx(6.3, rel=TIGHT)
    assert row["baseline_method"].startswith("reconstructed: 7.5 − 1.2")
    # 12 by 2025 needs (12 / 6.3)^(1/5) - 1 = 13.75 % a year; 15.3 by mid-2025 meets it
    assert row["required_cagr"] == pytest.approx((12 / 6.3) ** 0.2 - 1, rel=TIGHT)
    assert row["latest_value"] == 15.3
    assert row["progress_class"] == "target met"
    # (15.3 - 6.3) / (12 - 6.3) = 1.579 of the gap closed
    assert row["gap_closed"] == pytest.approx(9 / 5.7, rel=TIGHT)


def test_builtin_restated_targets_find_their_plan_and_sit_beside_the_district() -> None:
    amb = ipbench.ambition(ipbench.load_observations()).set_index(["adcode", "indicator"])
    # a 2022-08-15 report restates two 2025 targets of Nanjing's 14th Five-Year IP plan:
    # matched to the plan by region and end date, so the plan's 2020 base date holds
    nanjing = amb.loc[("320100", "high_value_invention_patents_per_10k")]
    assert (nanjing["plan"], nanjing["plan_match"]) == (
        "nanjing_ip_14fyp",
        "by region and end date",
    )
    assert nanjing["plan_base_date"] == pd.Timestamp("2020-12-31")
    # Xuanwu's 万人高价值发明专利拥有量达100件 is twice its city's 达50件 for the same 2025 date
    xuanwu = amb.loc[("320102", "high_value_invention_patents_per_10k")]
    assert xuanwu["parent_target_value"] == 50
    assert xuanwu["target_to_parent_ratio"] == pytest.approx(100 / 50, rel=TIGHT)
    # Gulou's targets end 2025-07-31: not the same date as Nanjing's, so no ratio
    gulou = amb.loc[("320106", "high_value_invention_patents_per_10k")]
    assert pd.isna(gulou["target_to_parent_ratio"])
    # counts of a district and its city are not peers (超2800 件 against 达19000 件; the
    # first is a bound besides): no ratio
    counts = amb.loc[("320102", "invention_patents_maintained_over_10y")]
    assert pd.isna(counts["target_to_parent_ratio"])
    assert pd.isna(counts["parent_target_value"])


def test_compare_targets_shows_a_count_on_the_plans_own_population() -> None:
    table = ipbench.compare_targets(ipbench.load_observations(), adcodes=("320102",))
    count = table.set_index("indicator").loc["invention_patents_in_force"]
    # 有效发明专利拥有量达18000件 on the 2023 year-end population 536,900: 335.26 per 10k;
    # on the 600,000 that the plan's own 18000 / 300 × 10^4 implies: 300, its rate target
    assert count["per_10k_residents"] == pytest.approx(18000 / 536900 * 1e4, rel=TIGHT)
    assert count["plan_population"] == pytest.approx(600000, rel=TIGHT)
    assert count["per_10k_on_plan_population"] == pytest.approx(300, rel=TIGHT)


def test_a_target_row_cites_every_document_its_figures_come_from() -> None:
    # China's 12 per 10k by 2025: target and baseline from the plan and the 2021 white
    # paper, the latest actual 15.3 (mid-2025) from the 2025 review; the row must cite all
    a = ipbench.ambition(ipbench.load_observations()).set_index(["adcode", "indicator"])
    row = a.loc[("100000", "high_value_invention_patents_per_10k")]
    assert row["latest_value"] == 15.3
    assert "ref_scio_14fyp_review_2025" in row["sources"].split(";")
