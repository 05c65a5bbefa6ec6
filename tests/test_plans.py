"""The plans table: every target belongs to a plan with a window and a base date."""

from __future__ import annotations

import pandas as pd
import pytest

import ipbench
from ipbench import Catalog


def test_builtin_plans_give_window_and_base_date() -> None:
    plans = ipbench.load_plans().set_index("plan")
    # Xuanwu's 14th Five-Year Plan runs 2021-2025 and reports end-2020 baselines
    xuanwu = plans.loc["xuanwu_ip_14fyp"]
    assert (xuanwu["adcode"], xuanwu["source"]) == ("320102", "xuanwu_ip_plan_14fyp")
    assert xuanwu["period_start"] == pd.Timestamp("2021-01-01")
    assert xuanwu["base_date"] == pd.Timestamp("2020-12-31")
    # Gulou's programme runs 2022-08 to 2025-07
    gulou = plans.loc["gulou_ip_county_2022"]
    assert (gulou["period_start"], gulou["period_end"]) == (
        pd.Timestamp("2022-08-01"),
        pd.Timestamp("2025-07-31"),
    )


def _plan(**changes: str) -> pd.DataFrame:
    row = {
        "plan": "suzhou_ip_14fyp",
        "adcode": "320102",
        "title": "a plan",
        "source": "",
        "period_start": "2021-01-01",
        "period_end": "2025-12-31",
        "base_date": "2020-12-31",
        "note": "",
    }
    return pd.DataFrame([{**row, **changes}])


def test_user_plan_with_unknown_region_is_rejected() -> None:
    with pytest.raises(ipbench.ValidationError) as caught:
        Catalog.builtin().extend(plans=_plan(adcode="999999"))
    failure = caught.value.failures.iloc[0]
    assert (failure["column"], failure["value"]) == ("adcode", "999999")


def test_user_plan_whose_base_date_is_after_its_end_is_rejected() -> None:
    with pytest.raises(ipbench.ValidationError, match="base_date"):
        Catalog.builtin().extend(plans=_plan(base_date="2026-12-31"))


def test_user_plan_reusing_a_builtin_id_is_a_clash_not_a_replacement() -> None:
    with pytest.raises(ipbench.ValidationError, match="appears once"):
        Catalog.builtin().extend(plans=_plan(plan="xuanwu_ip_14fyp"))


def test_user_plans_extend_the_builtin_ones() -> None:
    plans = Catalog.builtin().extend(plans=_plan()).plans
    assert set(plans["plan"]) >= {"xuanwu_ip_14fyp", "gulou_ip_county_2022", "suzhou_ip_14fyp"}
