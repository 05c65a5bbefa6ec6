"""Broken input gets an error naming the file, row, column, value and expectation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ipbench
from ipbench._cli import main
from ipbench._load import data_dir

from .conftest import BrokenCopy, read_rows, to_csv_text

# line 2 of observations.csv: Nanjing, invention_patents_in_force_per_10k, 95.42 件/万人 (2021)
# line 3: Nanjing, ip_pledge_financing, 4310000000 元 over 2021 (a flow)
# line 4: Nanjing, high_value_patent_cultivation_centres, 17 家 at 2021-12-31 (a stock)


def _failures(path: Path, **catalog: object) -> pd.DataFrame:
    with pytest.raises(ipbench.ValidationError) as caught:
        ipbench.read_observations(path, **catalog)  # type: ignore[arg-type]
    return caught.value.failures


def _only(failures: pd.DataFrame) -> dict[str, object]:
    assert len(failures) == 1, failures
    return dict(failures.iloc[0])


def test_wrong_region_code_format(broken_observations: BrokenCopy) -> None:
    path = broken_observations({3: {"adcode": "32010"}})
    failure = _only(_failures(path))
    assert failure == {
        "file": str(path),
        "row": 3,
        "column": "adcode",
        "value": "32010",
        "expected": r"text matching \d{6}",
    }


def test_region_code_not_in_catalog(broken_observations: BrokenCopy) -> None:
    path = broken_observations({5: {"adcode": "320199"}})
    failure = _only(_failures(path))
    assert (failure["row"], failure["column"], failure["value"]) == (5, "adcode", "320199")
    assert failure["expected"] == "an adcode listed in regions"


def test_unknown_indicator(broken_observations: BrokenCopy) -> None:
    path = broken_observations({2: {"indicator": "patents_per_capita"}})
    failure = _only(_failures(path))
    assert (failure["row"], failure["column"], failure["value"]) == (
        2,
        "indicator",
        "patents_per_capita",
    )
    assert failure["expected"] == "an indicator id listed in indicators"


def test_negative_count(broken_observations: BrokenCopy) -> None:
    path = broken_observations({4: {"value": "-17"}})
    failure = _only(_failures(path))
    assert (failure["row"], failure["column"], failure["value"]) == (4, "value", -17.0)
    assert failure["expected"] == "a value >= 0 (a count, amount or rate)"


def test_bad_date(broken_observations: BrokenCopy) -> None:
    path = broken_observations({3: {"period_end": "2021-13-01"}})
    failure = _only(_failures(path))
    assert failure == {
        "file": str(path),
        "row": 3,
        "column": "period_end",
        "value": "2021-13-01",
        "expected": "an ISO date YYYY-MM-DD",
    }


def test_date_in_another_format(broken_observations: BrokenCopy) -> None:
    path = broken_observations({3: {"period_start": "2021/01/01"}})
    assert _only(_failures(path))["value"] == "2021/01/01"


def test_period_out_of_order(broken_observations: BrokenCopy) -> None:
    path = broken_observations({3: {"period_start": "2022-01-01"}})
    failure = _only(_failures(path))
    assert failure["row"] == 3
    assert failure["column"] == "period_start, period_end"
    assert failure["expected"] == "period_start is on or before period_end"


def test_duplicate_key(broken_observations: BrokenCopy) -> None:
    duplicate = read_rows("observations.csv")[0] | {"note": "entered twice"}
    path = broken_observations({}, extra_rows=[duplicate])
    failures = _failures(path)
    last_line = len(read_rows("observations.csv")) + 2
    assert failures["row"].tolist() == [2, last_line]
    assert failures["expected"].tolist() == [
        f"a unique key; the same key is on row {last_line}",
        "a unique key; the same key is on row 2",
    ]
    assert failures["value"].iloc[0] == (
        "320100 | invention_patents_in_force_per_10k | level | actual | 2021-12-31 | "
        "2021-12-31 | nanjing_ipweek_2022"
    )


def test_wrong_unit(broken_observations: BrokenCopy) -> None:
    path = broken_observations({2: {"unit": "件"}})
    failure = _only(_failures(path))
    assert (failure["row"], failure["column"], failure["value"]) == (2, "unit", "件")
    assert failure["expected"] == (
        "the unit of indicator invention_patents_in_force_per_10k as level: 件/万人"
    )


def test_unit_of_a_growth_rate_is_percent(broken_observations: BrokenCopy) -> None:
    rows = read_rows("observations.csv")
    line = next(i for i, r in enumerate(rows, start=2) if r["measure"] == "yoy_pct")
    failure = _only(_failures(broken_observations({line: {"unit": "件"}})))
    assert failure["expected"].endswith("as yoy_pct: %")


def test_range_without_upper_bound(broken_observations: BrokenCopy) -> None:
    path = broken_observations({4: {"qualifier": "range"}})
    failure = _only(_failures(path))
    assert failure["row"] == 4
    assert failure["column"] == "value, qualifier, value_high"
    assert failure["expected"] == (
        "value_high is given, and above value, exactly when qualifier is 'range'"
    )


def test_upper_bound_without_range(broken_observations: BrokenCopy) -> None:
    path = broken_observations({4: {"value_high": "20"}})
    assert _only(_failures(path))["row"] == 4


def test_unknown_qualifier_lists_the_choices(broken_observations: BrokenCopy) -> None:
    failure = _only(_failures(broken_observations({4: {"qualifier": "超过"}})))
    assert failure["value"] == "超过"
    assert failure["expected"] == "one of eq, gt, ge, lt, approx, range"


def test_percentage_above_100(broken_observations: BrokenCopy) -> None:
    rows = read_rows("observations.csv")
    line = next(i for i, r in enumerate(rows, start=2) if r["measure"] == "share_of_parent_pct")
    failure = _only(_failures(broken_observations({line: {"value": "124.44"}})))
    assert failure["expected"] == "a percentage between 0 and 100"


def test_stock_over_a_period(broken_observations: BrokenCopy) -> None:
    path = broken_observations({4: {"period_start": "2021-01-01"}})
    failure = _only(_failures(path))
    assert failure["column"] == "period_end"
    assert failure["expected"] == "the same date as period_start: a stock is observed at a date"


def test_actual_after_publication(broken_observations: BrokenCopy) -> None:
    # the Nanjing source was published on 2022-04-24
    path = broken_observations({2: {"period_start": "2022-12-31", "period_end": "2022-12-31"}})
    failure = _only(_failures(path))
    assert failure["expected"] == "a date on or before the source's publication date 2022-04-24"


def test_number_that_is_not_a_number(broken_observations: BrokenCopy) -> None:
    failure = _only(_failures(broken_observations({3: {"value": "43.1亿元"}})))
    assert (failure["value"], failure["expected"]) == ("43.1亿元", "a number")


def test_empty_required_cell(broken_observations: BrokenCopy) -> None:
    failure = _only(_failures(broken_observations({3: {"evidence": ""}})))
    assert (failure["row"], failure["column"]) == (3, "evidence")


def test_every_failing_row_is_listed(broken_observations: BrokenCopy) -> None:
    path = broken_observations({2: {"adcode": "1"}, 7: {"period_end": "soon"}, 9: {"unit": "元"}})
    failures = _failures(path)
    assert failures[["row", "column"]].to_numpy().tolist() == [
        [2, "adcode"],
        [7, "period_end"],
        [9, "unit"],
    ]
    message = str(ipbench.ValidationError(failures))
    assert message.startswith("3 problems in the data:")
    assert "soon" in message
    assert str(path) in message


def test_missing_and_unexpected_columns(tmp_path: Path) -> None:
    frame = ipbench.load_observations().drop(columns="note").assign(comment="x")
    path = tmp_path / "observations.csv"
    frame.to_csv(path, index=False)
    failures = _failures(path)
    assert failures[["column", "value"]].to_numpy().tolist() == [
        ["note", "(missing)"],
        ["comment", "(unexpected)"],
    ]


def test_gb18030_file_is_read(broken_observations: BrokenCopy) -> None:
    path = broken_observations({}, encoding="gb18030")
    assert path.read_bytes().decode("gb18030")  # really GB18030, and not valid UTF-8:
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    # files must be UTF-8 unless their encoding is named (tests/test_bad_inputs.py)
    read = ipbench.read_observations(path, encoding="gb18030")
    assert read.equals(ipbench.load_observations())


def test_gb18030_file_error_keeps_chinese_text(broken_observations: BrokenCopy) -> None:
    path = broken_observations({3: {"unit": "亿元"}}, encoding="gb18030")
    failure = _only(_failures(path, encoding="gb18030"))
    assert (failure["row"], failure["value"]) == (3, "亿元")


def test_short_gb18030_file_that_is_also_valid_utf8(tmp_path: Path) -> None:
    # found by hypothesis: the GB18030 bytes of 占全省 are valid UTF-8 (ռȫʡ)
    rows = [r for r in read_rows("observations.csv") if r["evidence"] == "占全省19.68%"]
    path = tmp_path / "observations.csv"
    path.write_bytes(to_csv_text(rows).encode("gb18030"))
    assert path.read_bytes().decode("utf-8") != to_csv_text(rows)
    with pytest.raises(ipbench.ValidationError, match="looks like GBK/GB18030"):
        ipbench.read_observations(path)  # valid UTF-8, but misread: refused, not guessed
    as_gb18030 = ipbench.read_observations(path, encoding="gb18030")["evidence"]
    assert as_gb18030.tolist() == ["占全省19.68%"]
    as_utf8 = ipbench.read_observations(path, encoding="utf-8")["evidence"]
    assert as_utf8.tolist() == ["ռȫʡ19.68%"]  # an explicit encoding is obeyed


def test_utf8_with_bom_is_read(broken_observations: BrokenCopy) -> None:
    path = broken_observations({}, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert ipbench.read_observations(path).equals(ipbench.load_observations())


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "observations.csv"
    path.write_bytes(b"adcode\n\xff\xfe\x00\x81\n")
    failure = _only(_failures(path))
    assert failure["value"] == "(not UTF-8: undecodable bytes)"
    assert str(failure["expected"]).startswith("text in UTF-8")


def test_excel_file_rows_are_numbered_as_in_the_sheet(tmp_path: Path) -> None:
    frame = pd.DataFrame(read_rows("observations.csv"))
    path = tmp_path / "observations.xlsx"
    frame.to_excel(path, index=False)
    assert ipbench.read_observations(path).equals(ipbench.load_observations())
    frame.loc[1, "status"] = "planned"  # the second data row is row 3 in the sheet
    frame.to_excel(path, index=False)
    failure = _only(_failures(path))
    assert (failure["row"], failure["column"], failure["value"]) == (3, "status", "planned")


NEW_REGION = {
    "adcode": "320111",
    "name_zh": "浦口区",
    "name_en": "Pukou",
    "level": "district",
    "parent_adcode": "320100",
}


def _pukou_row() -> dict[str, str]:
    return read_rows("observations.csv")[0] | {"adcode": "320111", "value": "40.5"}


def test_user_regions_extend_the_catalog(broken_observations: BrokenCopy, tmp_path: Path) -> None:
    path = broken_observations({}, extra_rows=[_pukou_row()])
    assert _only(_failures(path))["value"] == "320111"
    regions_file = tmp_path / "regions.csv"
    pd.DataFrame([NEW_REGION]).to_csv(regions_file, index=False)
    mine = ipbench.read_observations(path, regions=regions_file)
    assert mine.loc[mine["adcode"] == "320111", "value"].tolist() == [40.5]
    also = ipbench.read_observations(path, regions=pd.DataFrame([NEW_REGION]))
    assert also.equals(mine)


def test_user_region_may_not_redefine_a_builtin_one(broken_observations: BrokenCopy) -> None:
    clash = pd.DataFrame([NEW_REGION | {"adcode": "320102"}])
    failure = _only(_failures(broken_observations({}), regions=clash))
    assert failure["value"] == "320102"
    assert "differs in name_zh, name_en" in str(failure["expected"])


def test_user_region_with_unknown_parent(broken_observations: BrokenCopy) -> None:
    orphan = pd.DataFrame([NEW_REGION | {"parent_adcode": "999999"}])
    failure = _only(_failures(broken_observations({}), regions=orphan))
    assert (failure["column"], failure["value"]) == ("parent_adcode", "999999")


def test_validate_dataframe_names_index_labels() -> None:
    obs = ipbench.load_observations()
    obs.index = [f"r{i}" for i in range(len(obs))]
    obs.loc["r3", "unit"] = "件"
    with pytest.raises(ipbench.ValidationError) as caught:
        ipbench.validate(obs)
    assert _only(caught.value.failures)["row"] == "r3"


def test_validate_accepts_python_dates_but_not_times_of_day() -> None:
    obs = ipbench.load_observations()
    as_dates = obs.assign(period_end=[stamp.date() for stamp in obs["period_end"]])
    assert ipbench.validate(as_dates).equals(obs)
    noon = obs.assign(period_end=obs["period_end"].astype(object))
    noon.loc[3, "period_end"] = pd.Timestamp("2021-12-31 12:00")
    with pytest.raises(ipbench.ValidationError) as caught:
        ipbench.validate(noon)
    assert _only(caught.value.failures)["expected"] == "an ISO date YYYY-MM-DD"


def test_validate_returns_typed_frame_from_text() -> None:
    text = pd.DataFrame(read_rows("observations.csv"))
    assert ipbench.validate(text).equals(ipbench.load_observations())


def test_cli_validate_builtin_prints_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    for table in ("regions", "indicators", "sources", "denominators", "plans", "observations"):
        assert table in out
    total = len(ipbench.load_observations())
    assert f"observations   {total}" in out
    assert "all 6 table(s) valid" in out


def test_cli_validate_bad_file_exits_1(
    broken_observations: BrokenCopy, capsys: pytest.CaptureFixture[str]
) -> None:
    path = broken_observations({3: {"adcode": "32010"}})
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "1 problem in the data:" in err
    assert str(path) in err
    assert "32010" in err


def test_cli_validate_folder_reports_every_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("regions", "indicators", "sources", "denominators", "observations"):
        (tmp_path / f"{name}.csv").write_bytes((data_dir() / f"{name}.csv").read_bytes())
    regions = (tmp_path / "regions.csv").read_text(encoding="utf-8")
    (tmp_path / "regions.csv").write_text(
        regions.replace(",district,320100", ",town,320100", 1), encoding="utf-8"
    )
    dens = (tmp_path / "denominators.csv").read_text(encoding="utf-8")
    (tmp_path / "denominators.csv").write_text(
        dens.replace("9314685,人", "9314685,万人", 1), encoding="utf-8"
    )
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "town" in err
    assert "万人" in err
