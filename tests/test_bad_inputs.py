"""No input crashes ipbench: each bad input is a ValidationError naming the cell, or a clear error.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data
row is row 2, and a blank line is a row too.
"""

from __future__ import annotations

import datetime
import inspect
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipbench
from ipbench import _errors
from ipbench._catalog import Catalog
from ipbench._cli import main
from ipbench._errors import format_failures
from ipbench._load import data_dir
from ipbench._options import check_option
from ipbench._validate import OTHER_ROWS_SHOWN, validate_table

from .conftest import REPO, read_rows, to_csv_text

HEADER = (data_dir() / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
ROWS = read_rows("observations.csv")
# the first data row (row 2) is Nanjing 320100, invention_patents_in_force_per_10k, 95.42 件/万人
# at 2021-12-31, from nanjing_ipweek_2022 (published 2022-04-24)
NANJING_RATE = ROWS[0]


def _write(tmp_path: Path, text: str | bytes, name: str = "observations.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _failures_of(call: object, *args: object, **kwargs: object) -> pd.DataFrame:
    with pytest.raises(ipbench.ValidationError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value.failures


def _read_failures(path: Path, **kwargs: object) -> pd.DataFrame:
    return _failures_of(ipbench.read_observations, path, **kwargs)


def _text_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ROWS[0]))


# --- files that cannot be read as a table -------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path, b"")
    failure = _read_failures(path).iloc[0]
    assert (failure["file"], failure["row"], failure["value"]) == (str(path), 1, "(empty file)")
    assert failure["expected"] == "a header row naming the columns"


def test_header_only_file_is_an_empty_table_and_analytics_give_empty_results(
    tmp_path: Path,
) -> None:
    empty = ipbench.read_observations(_write(tmp_path, HEADER + "\n"))
    assert len(empty) == 0
    assert list(empty.columns) == list(ROWS[0])
    for function in (ipbench.per_capita, ipbench.growth, ipbench.trend, ipbench.ambition):
        assert len(function(empty)) == 0, function.__name__
    # nothing to rank: a clear error of ipbench's, not a pandas traceback
    with pytest.raises(ipbench.BenchmarkError, match="no actual level"):
        ipbench.benchmark(empty, "invention_patents_in_force_per_10k")


def test_row_with_too_many_fields(tmp_path: Path) -> None:
    # the third record (row 3) has one field past the 13 of the header
    lines = [HEADER, to_csv_text([ROWS[0]]).splitlines()[1], to_csv_text([ROWS[1]]).splitlines()[1]]
    path = _write(tmp_path, "\n".join([*lines[:2], lines[2] + ",surplus"]) + "\n")
    failure = _read_failures(path).iloc[0]
    assert (failure["row"], failure["value"]) == (3, "surplus")
    assert failure["expected"] == "at most 13 fields, one per column of the header"


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = _write(tmp_path, b"PK\x03\x04 not really a zip archive", name="observations.xlsx")
    failure = _read_failures(path).iloc[0]
    assert failure["file"] == str(path)
    assert str(failure["value"]).startswith("(unreadable workbook")


def test_blank_line_keeps_the_row_numbers_a_spreadsheet_shows(tmp_path: Path) -> None:
    # header (row 1), Nanjing's rate (row 2), a blank line (row 3), a bad adcode (row 4)
    bad = dict(ROWS[1], adcode="32010")
    body = to_csv_text([ROWS[0], bad]).splitlines()
    path = _write(tmp_path, "\n".join([body[0], body[1], "", body[2]]) + "\n")
    failure = _read_failures(path).iloc[0]
    assert (failure["row"], failure["column"], failure["value"]) == (4, "adcode", "32010")


def test_quoted_line_break_is_one_spreadsheet_row(tmp_path: Path) -> None:
    # the note of row 2 spans two lines of the file, still one row of a spreadsheet, so the
    # bad adcode is on row 3 (line 4 of the file)
    bad = dict(ROWS[1], adcode="32010")
    path = _write(tmp_path, to_csv_text([dict(ROWS[0], note="two\nlines"), bad]))
    assert _read_failures(path).iloc[0]["row"] == 3


def test_duplicated_header_names_the_real_column(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER.replace(",note", ",value") + "\n")
    failure = _read_failures(path).iloc[0]
    assert (failure["row"], failure["column"]) == (1, "value")
    assert failure["expected"] == "each column named once in the header"


def test_duplicated_header_in_excel(tmp_path: Path) -> None:
    frame = pd.DataFrame([list(NANJING_RATE.values())], columns=list(NANJING_RATE))
    path = tmp_path / "observations.xlsx"
    frame.rename(columns={"note": "unit"}).to_excel(path, index=False)
    failure = _read_failures(path).iloc[0]
    assert (failure["row"], failure["column"]) == (1, "unit")


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("big5", "looks like Big5"), ("gbk", "looks like GBK/GB18030")],
)
def test_file_not_in_utf8_is_refused_with_its_encoding_named(
    tmp_path: Path, encoding: str, named: str
) -> None:
    # evidence in traditional characters for Big5 (which has no 万), simplified for GBK
    evidence = "有效發明專利擁有量" if encoding == "big5" else "万人发明专利拥有量"
    path = tmp_path / "observations.csv"
    path.write_bytes(to_csv_text([dict(NANJING_RATE, evidence=evidence)]).encode(encoding))
    failure = _read_failures(path).iloc[0]
    assert named in str(failure["value"])
    assert str(failure["expected"]).startswith("text in UTF-8")


def test_named_encoding_is_obeyed(tmp_path: Path) -> None:
    path = tmp_path / "observations.csv"
    path.write_bytes(to_csv_text([NANJING_RATE]).encode("gb18030"))
    read = ipbench.read_observations(path, encoding="gb18030")
    assert read["evidence"].tolist() == ["万人发明专利拥有量95.42件"]


# --- cells --------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", "\u200b", "\ufeff", " \u200b\u200d "])
def test_text_with_nothing_visible_is_a_missing_cell(blank: str) -> None:
    failure = _failures_of(ipbench.validate, _text_frame([dict(NANJING_RATE, evidence=blank)]))
    record = failure.iloc[0]
    assert (record["row"], record["column"]) == (0, "evidence")
    assert record["expected"] == "non-empty text (something visible, not only spaces)"


def test_tz_aware_dates_are_cell_errors() -> None:
    obs = ipbench.load_observations().head(3)
    aware = obs.assign(period_end=obs["period_end"].dt.tz_localize("Asia/Shanghai"))
    failures = _failures_of(ipbench.validate, aware)
    assert failures["column"].tolist() == ["period_end"] * 3
    assert set(failures["expected"]) == {
        "a date without a time zone (a calendar day, as the source states it)"
    }


@pytest.mark.parametrize(
    "when", ["1500-12-31", "2263-01-01", datetime.date(3000, 1, 1), pd.Timestamp("2500-06-30")]
)
def test_date_outside_pandas_range_is_one_cell_error_among_the_others(when: object) -> None:
    rows = _text_frame([dict(NANJING_RATE), dict(ROWS[1], adcode="32010")]).astype(object)
    rows.at[0, "period_start"] = when
    rows.at[0, "period_end"] = when
    failures = _failures_of(ipbench.validate, rows)
    by_cell = failures.set_index(["row", "column"])["expected"]
    # the adcode error of the second row is still listed: the date did not abort the check
    assert by_cell[(1, "adcode")] == r"text matching \d{6}"
    assert by_cell[(0, "period_end")] == (
        "a date from 1677-09-22 to 2262-04-11 (the dates pandas can hold)"
    )
    assert len(failures) == 3  # no stock/flow rule misfires on the unreadable date


def test_date_outside_range_in_a_file(tmp_path: Path) -> None:
    path = _write(tmp_path, to_csv_text([dict(NANJING_RATE, period_end="2300-12-31")]))
    failure = _read_failures(path).iloc[0]
    assert (failure["row"], failure["column"], failure["value"]) == (2, "period_end", "2300-12-31")


@settings(max_examples=30, deadline=None)
@given(year=st.integers(1, 9999))
def test_any_year_is_read_or_named_never_a_crash(year: int) -> None:
    day = f"{year:04d}-06-30"
    rows = _text_frame([dict(NANJING_RATE, period_start=day, period_end=day)])
    # accepted only inside pandas' range and not after the source's publication 2022-04-24
    if 1678 <= year <= 2022:
        ipbench.validate(rows)
    else:
        assert "period_end" in set(_failures_of(ipbench.validate, rows)["column"])


def test_codes_with_invisible_or_trailing_characters_are_refused() -> None:
    for code in ("320100\u200b", "320100 ", "\ufeff320100"):
        failure = _failures_of(ipbench.validate, _text_frame([dict(NANJING_RATE, adcode=code)]))
        assert failure.iloc[0]["column"] == "adcode"


def _indicator_rows(*aliases: str) -> pd.DataFrame:
    rows = read_rows("indicators.csv")[:1]
    return pd.DataFrame(
        [
            dict(rows[0], indicator=f"my_indicator_{i}", aliases_zh=alias)
            for i, alias in enumerate(aliases)
        ]
    )


@pytest.mark.parametrize("twin", ["我的指标\u200b", "我的指标 ", "\u200b我的指标"])
def test_aliases_that_differ_only_by_invisible_or_trailing_characters(twin: str) -> None:
    with pytest.raises(ipbench.ValidationError) as caught:
        Catalog.builtin().extend(indicators=_indicator_rows("我的指标", twin))
    failures = caught.value.failures
    assert set(failures["column"]) == {"aliases_zh"}
    assert any("invisible" in text for text in failures["expected"])


def test_actual_after_today_is_refused_when_its_source_has_no_publication_date() -> None:
    # ref_nanjing_census_2020 has no publication date in datasets/sources.csv
    sources = ipbench.load_sources().set_index("source")["published"]
    assert pd.isna(sources["ref_nanjing_census_2020"])
    row = dict(
        NANJING_RATE,
        source="ref_nanjing_census_2020",
        period_start="2099-12-31",
        period_end="2099-12-31",
    )
    failure = _failures_of(ipbench.validate, _text_frame([row])).iloc[0]
    assert (failure["column"], failure["value"]) == ("period_end", pd.Timestamp("2099-12-31"))
    assert str(failure["expected"]).startswith(
        f"a date on or before today ({datetime.date.today()})"
    )


def test_actual_after_its_source_was_published() -> None:
    # nanjing_ipweek_2022 was published 2022-04-24: a figure at 2022-12-31 is not in it
    row = dict(NANJING_RATE, period_start="2022-12-31", period_end="2022-12-31")
    failure = _failures_of(ipbench.validate, _text_frame([row])).iloc[0]
    assert failure["expected"] == "a date on or before the source's publication date 2022-04-24"


def test_catalog_clash_names_the_users_file(tmp_path: Path) -> None:
    regions = read_rows("regions.csv")
    nanjing = next(row for row in regions if row["adcode"] == "320100")
    path = _write(tmp_path, to_csv_text([dict(nanjing, name_en="Not Nanjing")]), "regions.csv")
    failure = _failures_of(Catalog.builtin().extend, regions=path).iloc[0]
    assert failure["file"] == str(path)
    assert failure["row"] == 2


# --- scale: duplicate keys and long error lists -------------------------------------------


def _time_duplicates(rows: int) -> tuple[float, pd.DataFrame]:
    """Best of two CPU times of validating ``rows`` copies of one row (one key).

    CPU time, not wall time: the work is single-threaded, and other jobs on a busy
    machine (CI runs several suites at once) would otherwise be counted in it.
    """
    many = ipbench.load_observations().iloc[[0] * rows].reset_index(drop=True)
    timings = []
    for _ in range(2):
        start = time.process_time()
        with pytest.raises(ipbench.ValidationError) as caught:
            validate_table(many, "observations", catalog=Catalog.builtin())
        timings.append(time.process_time() - start)
    return min(timings), caught.value.failures


def test_twenty_thousand_rows_with_one_key_are_named_in_under_a_second() -> None:
    small, _ = _time_duplicates(5_000)
    large, failures = _time_duplicates(20_000)
    assert len(failures) == 20_000
    # each record names OTHER_ROWS_SHOWN other rows and counts the rest: 20,000 - 1 - 3
    assert OTHER_ROWS_SHOWN == 3
    assert failures.iloc[0]["expected"] == (
        "a unique key; the same key is on row 1, 2, 3 and 19,996 more"
    )
    assert failures.iloc[-1]["expected"] == (
        "a unique key; the same key is on row 0, 1, 2 and 19,996 more"
    )
    assert large < 1.0, large
    # four times the rows: O(n log n) takes about four times as long, pairwise sixteen
    assert large / small < 8, (small, large)


def test_duplicate_key_with_one_other_row() -> None:
    obs = ipbench.load_observations()
    twice = pd.concat([obs.head(2), obs.head(1)], ignore_index=True)
    failures = _failures_of(ipbench.validate, twice)
    assert failures["row"].tolist() == [0, 2]
    assert failures["expected"].tolist() == [
        "a unique key; the same key is on row 2",
        "a unique key; the same key is on row 0",
    ]


def test_many_bad_cells_make_a_short_message_and_a_complete_table() -> None:
    obs = ipbench.load_observations()
    n = 200_000
    many = obs.iloc[[0] * n].reset_index(drop=True).astype({"value": object})
    many["value"] = "x"
    # distinct keys so only the value cells fail: two regions alternate, and each pair of rows
    # moves one day on from 1700-01-01 (100,000 days later is 1973, before the source's 2022)
    days = pd.to_timedelta(many.index // 2, unit="D")
    many["period_start"] = many["period_end"] = pd.Timestamp("1700-01-01") + days
    many["adcode"] = ["320100", "320102"] * (n // 2)
    with pytest.raises(ipbench.ValidationError) as caught:
        validate_table(many, "observations", catalog=Catalog.builtin())
    error = caught.value
    value_failures = error.failures[error.failures["column"] == "value"]
    assert len(value_failures) == n
    message = str(error)
    assert len(message) < 20_000
    assert f"{n - _errors.SHOWN_PER_COLUMN:,} more in column value" in message


def test_format_failures_shows_the_first_of_each_column() -> None:
    records = [
        {"file": "f.csv", "row": row, "column": column, "value": "x", "expected": "e"}
        for column in ("value", "unit")
        for row in range(2, 30)
    ]
    text = format_failures(_errors.failure_frame(records), shown_per_column=3)
    # 28 rows per column, 3 shown: 25 more each
    assert "25 more in column value; 25 more in column unit" in text
    assert text.count("f.csv") == 6


# --- option arguments ---------------------------------------------------------------------


def test_check_option_message_in_scikit_learn_style() -> None:
    with pytest.raises(ipbench.OptionError) as caught:
        check_option("lang", "fr", ("zh", "en"))
    assert str(caught.value) == "`lang` must be one of 'zh', 'en'; got 'fr'"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("value", [["zh"], True, None, 1])
def test_check_option_refuses_values_of_other_types(value: object) -> None:
    with pytest.raises(ipbench.OptionError):
        check_option("lang", value, ("zh", "en", 0))


def test_check_option_accepts_and_returns() -> None:
    assert check_option("errors", "raise", ("raise", "coerce")) == "raise"


# --- exceptions ---------------------------------------------------------------------------


def _error_classes() -> list[type[BaseException]]:
    return [
        value
        for value in vars(_errors).values()
        if inspect.isclass(value) and issubclass(value, BaseException)
    ]


def test_every_exception_class_lives_in_errors_and_is_exported() -> None:
    classes = _error_classes()
    assert {c.__name__ for c in classes} >= {
        "IpbenchError",
        "ValidationError",
        "BenchmarkError",
        "DenominatorError",
        "QuantityParseError",
        "FontError",
        "OptionError",
    }
    api = (REPO / "docs" / "api.md").read_text(encoding="utf-8")
    for cls in classes:
        assert f".. autoexception:: ipbench.{cls.__name__}\n" in api, cls.__name__
        assert getattr(ipbench, cls.__name__) is cls
        assert cls.__name__ in ipbench.__all__
        assert issubclass(cls, ipbench.IpbenchError)
        assert cls.__doc__


def test_no_exception_class_is_defined_outside_errors() -> None:
    src = Path(ipbench.__file__).parent
    for module in sorted(src.glob("*.py")):
        if module.name == "_errors.py":
            continue
        text = module.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith("class ") and ("Error(" in line or "Exception)" in line):
                # private subclasses that carry data inside one module are allowed
                assert line.startswith("class _") or "UserError" in line, (module.name, line)


def test_old_import_paths_still_work() -> None:
    from ipbench._benchmark import BenchmarkError  # noqa: PLC0415
    from ipbench._fonts import FontError  # noqa: PLC0415
    from ipbench._percapita import DenominatorError  # noqa: PLC0415
    from ipbench._units import QuantityParseError  # noqa: PLC0415

    assert BenchmarkError is ipbench.BenchmarkError
    assert DenominatorError is ipbench.DenominatorError
    assert QuantityParseError is ipbench.QuantityParseError
    assert FontError is ipbench.FontError


# --- command line -------------------------------------------------------------------------


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


def test_cli_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _cli(["validate", str(tmp_path / "nope.csv")], capsys)
    assert code == 2
    assert err == f"ipbench validate: error: {tmp_path / 'nope.csv'}: no such file or folder\n"


def test_cli_folder_without_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _cli(["validate", str(tmp_path)], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert "missing regions.csv, indicators.csv, sources.csv, denominators.csv" in err


def test_cli_out_naming_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = _write(tmp_path, "x", name="report.txt")
    code, err = _cli(["report", "--out", str(a_file), "--formats", "html"], capsys)
    assert code == 2
    assert err == f"ipbench report: error: --out {a_file} is a file; give a folder for the report\n"


def test_cli_missing_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "mine.csv"
    code, err = _cli(
        ["report", "--out", str(tmp_path / "out"), "--data", str(missing), "--formats", "html"],
        capsys,
    )
    assert code == 2
    assert err == f"ipbench report: error: --data {missing}: no such file or folder\n"
    assert not (tmp_path / "out").exists()


def test_cli_missing_catalog_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, to_csv_text([NANJING_RATE]))
    code, err = _cli(["validate", str(path), "--regions", str(tmp_path / "none.csv")], capsys)
    assert code == 2
    assert err.count("\n") == 1
    assert "none.csv" in err


def test_cli_errors_out_writes_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 30 bad adcodes: the screen shows the first SHOWN_PER_COLUMN (10), the file all 30
    rows = [dict(NANJING_RATE, adcode="32010", period_end=f"2021-12-{d:02d}") for d in range(1, 31)]
    rows = [dict(row, period_start=row["period_end"]) for row in rows]
    path = _write(tmp_path, to_csv_text(rows))
    out = tmp_path / "problems.csv"
    code, err = _cli(["validate", str(path), "--errors-out", str(out)], capsys)
    assert code == 1
    assert "20 more in column adcode" in err
    written = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert len(written) == 30
    assert written["row"].tolist() == [str(row) for row in range(2, 32)]


def test_cli_encoding_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "observations.csv"
    path.write_bytes(to_csv_text([NANJING_RATE]).encode("gb18030"))
    assert _cli(["validate", str(path)], capsys)[0] == 1
    assert _cli(["validate", str(path), "--encoding", "gb18030"], capsys)[0] == 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version  # noqa: PLC0415

    assert ipbench.__version__ == version("ipbench")
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"ipbench {ipbench.__version__}\n"


def test_report_refuses_an_unknown_language_before_writing(tmp_path: Path) -> None:
    from ipbench._report import build_report  # noqa: PLC0415

    with pytest.raises(ipbench.OptionError, match="`lang` must be one of 'zh', 'en'; got 'fr'"):
        build_report(tmp_path / "out", lang="fr", formats=["html"])  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_benchmark_of_no_indicator_says_so() -> None:
    # an empty list used to raise BenchmarkError("") with nothing to read
    with pytest.raises(ipbench.BenchmarkError, match="names no indicator"):
        ipbench.benchmark(ipbench.load_observations(), [])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda obs: ipbench.per_capita(obs, per=-1), "`per` must be a positive number"),
        (
            lambda obs: ipbench.per_capita(obs, quantity="households"),
            "`quantity` must be one of 'resident_population'",
        ),
        (lambda obs: ipbench.per_capita(obs, errors="ignore"), "`errors` must be one of"),
        (lambda obs: ipbench.benchmark(obs, "patent_grants", status="plan"), "`status` must be"),
        (lambda obs: ipbench.benchmark(obs, "patent_grants", year="2021"), "year must be a year"),
    ],
)
def test_analytics_options_are_checked_in_one_style(
    call: Callable[[pd.DataFrame], object], message: str
) -> None:
    # every wrong option value is an OptionError (a ValueError) saying what was expected
    with pytest.raises(ipbench.OptionError, match=message):
        call(ipbench.load_observations())
