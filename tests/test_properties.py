"""Properties of reading and validating: round trips and precise single failures."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipbench

from .conftest import read_rows, to_csv_text

ROWS = read_rows("observations.csv")
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030"]


def _write(rows: list[dict[str, str]], encoding: str) -> Path:
    path = Path(tempfile.mkdtemp()) / "observations.csv"
    path.write_text(to_csv_text(rows), encoding=encoding)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picked=st.lists(st.integers(0, len(ROWS) - 1), min_size=1, max_size=30, unique=True),
    encoding=st.sampled_from(ENCODINGS),
)
def test_any_subset_round_trips_in_any_encoding(picked: list[int], encoding: str) -> None:
    rows = [ROWS[i] for i in picked]
    # a file that is not UTF-8 is read when its encoding is named
    named = encoding if encoding == "gb18030" else None
    read = ipbench.read_observations(_write(rows, encoding), encoding=named)
    expected = ipbench.load_observations().iloc[picked].reset_index(drop=True)
    pd.testing.assert_frame_equal(read, expected)


@settings(max_examples=25, deadline=None)
@given(
    line=st.integers(2, len(ROWS) + 1),
    bad_code=st.text(alphabet="0123456789x", max_size=8).filter(
        lambda code: not (len(code) == 6 and code.isdigit())
    ),
)
def test_a_malformed_code_is_reported_once_on_its_line(line: int, bad_code: str) -> None:
    rows = [dict(row) for row in ROWS]
    rows[line - 2]["adcode"] = bad_code
    try:
        ipbench.read_observations(_write(rows, "utf-8"))
    except ipbench.ValidationError as error:
        failures = error.failures
    else:
        raise AssertionError("a malformed adcode was accepted")
    assert failures["row"].tolist() == [line]
    assert failures["column"].tolist() == ["adcode"]


# --- units ------------------------------------------------------------------------

UNITS = [
    "件",
    "家",
    "个",
    "人",
    "人次",
    "笔",
    "项",
    "次",
    "元",
    "%",
    "‰",
    "件/万人",
    "家/万企",
    "倍",
]
finite = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False)


@given(
    value=finite,
    unit=st.sampled_from(UNITS),
    qualifier=st.sampled_from(["eq", "gt", "ge", "lt", "approx"]),
)
def test_format_then_parse_round_trips(value: float, unit: str, qualifier: str) -> None:
    text = ipbench.format_quantity(value, unit, qualifier=qualifier)  # type: ignore[arg-type]
    assert ipbench.parse_quantity(text) == (value, unit, qualifier, None)


@given(
    low=st.floats(min_value=0, max_value=1e12, allow_nan=False),
    width=st.floats(min_value=1e-3, max_value=1e12, allow_nan=False),
    unit=st.sampled_from(UNITS),
)
def test_ranges_round_trip(low: float, width: float, unit: str) -> None:
    high = low + width
    text = ipbench.format_quantity(low, unit, qualifier="range", value_high=high)
    parsed = ipbench.parse_quantity(text)
    assert (parsed.value, parsed.value_high, parsed.qualifier, parsed.unit) == (
        low,
        high,
        "range",
        unit,
    )


# --- growth -----------------------------------------------------------------------


@given(
    x0=st.floats(min_value=1e-6, max_value=1e9),
    rate=st.floats(min_value=-0.9, max_value=5),
    years=st.floats(min_value=1, max_value=50),  # under a year there is no annual rate
)
def test_cagr_inverts_compounding(x0: float, rate: float, years: float) -> None:
    x1 = x0 * (1 + rate) ** years
    assert ipbench.cagr(x0, x1, years) == pytest.approx(rate, rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    level=st.integers(min_value=1, max_value=10_000_000),
    tenths=st.integers(min_value=-900, max_value=5000),
)
def test_reconstruct_then_grow_returns_the_reported_rate(level: int, tenths: int) -> None:
    # a level and a rate with one decimal, as Nanchang reports 23800件 and 同比增长32.9%
    rate = tenths / 10
    base = ipbench.load_observations()
    pair = base[
        (base["adcode"] == "360100")
        & (base["indicator"] == "patent_grants")
        & (base["period_end"].dt.year == 2021)
        & base["measure"].isin(["level", "yoy_pct"])
    ]
    pair = pair.assign(
        value=pair["measure"].map({"level": float(level), "yoy_pct": rate}).astype(float),
        evidence=pair["measure"].map({"level": f"{level}件", "yoy_pct": f"{rate}%"}),
    )
    rebuilt = ipbench.reconstruct(pair)
    both = pd.concat([pair, rebuilt[pair.columns]], ignore_index=True)
    growth = ipbench.growth(both)
    assert len(growth) == 1
    assert growth["cagr"].iloc[0] * 100 == pytest.approx(rate, rel=1e-9, abs=1e-9)
    # the true level of last year lies in the interval its rounding allows
    row = rebuilt.iloc[0]
    assert row["interval_low"] <= row["value"] <= row["interval_high"]


# --- benchmark --------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(
        st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=12
    ),
    low=st.floats(min_value=-100, max_value=100),
    span=st.floats(min_value=1, max_value=1000),
)
def test_minmax_stays_in_its_range(values: list[float], low: float, span: float) -> None:
    panel = ipbench.synthetic_panel(
        n_regions=len(values), n_indicators=3, n_years=2, target_share=0
    )
    obs = panel.observations
    last = (obs["indicator"] == "syn_rate_02") & (obs["period_end"].dt.year == 2009)
    obs.loc[last, "value"] = values
    kw = {"regions": panel.regions, "indicators": panel.indicators, "sources": panel.sources}
    bench = ipbench.benchmark(
        ipbench.validate(obs, **kw), "syn_rate_02", 2009, minmax_range=(low, low + span), **kw
    )
    scores = bench["minmax"].dropna()
    assert ((scores >= low - 1e-9) & (scores <= low + span + 1e-9)).all()
    if max(values) > min(values):
        assert scores.max() == pytest.approx(low + span)
        assert scores.min() == pytest.approx(low)
