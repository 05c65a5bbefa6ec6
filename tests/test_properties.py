"""Properties of reading and validating: round trips and precise single failures."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
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
    read = ipbench.read_observations(_write(rows, encoding))
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
