"""Honest reading of quantities: Chinese numerals as written, Excel cells as typed."""

from __future__ import annotations

import datetime
import warnings
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipbench
from ipbench import Quantity
from ipbench._io import read_text_table

from .conftest import read_rows

# --- Chinese numerals -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 五六 = "five or six": a range, not 6
        ("五六家", Quantity(5, "家", "range", 6)),
        # 三四十 = 三十 to 四十
        ("三四十家", Quantity(30, "家", "range", 40)),
        # 二三百 = 二百 to 三百
        ("二三百人", Quantity(200, "人", "range", 300)),
        # 七八万 = 7 × 10^4 to 8 × 10^4: the multiplier applies to both ends
        ("七八万人", Quantity(70000, "人", "range", 80000)),
        # 两三千万元 = 2000 × 10^4 to 3000 × 10^4 元
        ("两三千万元", Quantity(20_000_000, "元", "range", 30_000_000)),
        # 一两 = one or two
        ("一两个", Quantity(1, "个", "range", 2)),
        # 十五六 = 十五 to 十六
        ("十五六家", Quantity(15, "家", "range", 16)),
        # 一千五六百 = 1500 to 1600
        ("一千五六百件", Quantity(1500, "件", "range", 1600)),
        # 三五 = "three to five", a few
        ("三五家", Quantity(3, "家", "range", 5)),
        # digit by digit: 2, 0, 2, 1
        ("二零二一件", Quantity(2021, "件")),
        ("二〇二一", Quantity(2021, "")),
        ("一九九八", Quantity(1998, "")),
        # positional numerals with groups and gaps
        ("一万二千件", Quantity(12000, "件")),
        ("一万零五件", Quantity(10005, "件")),  # 零 marks the skipped 千, 百, 十
        ("一千零五十件", Quantity(1050, "件")),
        ("一亿二千万元", Quantity(120_000_000, "元")),
        ("三万亿元", Quantity(3_000_000_000_000, "元")),  # 3 × 10^4 × 10^8
        ("一万零一万元", Quantity(100_010_000, "元")),  # (一万零一) 万元 = 10001 × 10^4
        # a final digit right after a unit is one place below it
        ("一千五件", Quantity(1500, "件")),
        ("一万五人", Quantity(15000, "人")),
        ("三百五件", Quantity(350, "件")),
        ("十五件", Quantity(15, "件")),
        ("三十余万人", Quantity(300000, "人", "gt")),  # 30 余 × 10^4
        ("五至六万件", Quantity(50000, "件", "range", 60000)),  # as 5-6万件
    ],
)
def test_chinese_numerals(text: str, expected: Quantity) -> None:
    assert ipbench.parse_quantity(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("十十件", "units must fall"),
        ("一千一千件", "units must fall"),
        ("百千件", "units must fall"),
        ("二二件", "neither"),
        ("五三件", "neither"),
        ("一二三件", "neither"),  # three digits, no 零: neither a year-like string nor a pair
        ("十三五", "side by side"),  # the 13th Five-Year Plan, not 13-15
        ("五六七件", "neither"),
        ("十五六七件", "more than one"),
        ("一百零件", "ends with 零"),
        ("一百零零五件", "零 twice"),
        ("十零五件", "no place is skipped"),
        ("一万零五千件", "no place is skipped"),
        ("一千百件", "without a digit"),
        ("一万二万三件", "万 twice"),
        ("〇五件", "starts with 零"),
        ("两零二一", "两"),
        ("五六十余家", "余"),
        ("约五六家", "qualifier"),
        ("五六至七八家", "range"),
    ],
)
def test_malformed_numerals_are_rejected_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(ipbench.QuantityParseError) as caught:
        ipbench.parse_quantity(text)
    message = str(caught.value)
    assert repr(text) in message
    assert why in message


def test_an_overflowing_figure_is_an_error_not_infinity() -> None:
    # 10^400 件 does not fit a float; float() would silently give inf
    text = "1" + "0" * 400 + "件"
    with pytest.raises(ipbench.QuantityParseError, match="too large"):
        ipbench.parse_quantity(text)


_DIGIT_CHARS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """1..9999 in full positional form: 一千零五十, 一百一十."""
    parts, gap, started = [], False, False
    for power, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        digit = n // 10**power % 10
        if digit == 0:
            gap = gap or started
            continue
        parts.append(("零" if gap else "") + _DIGIT_CHARS[digit] + unit)
        gap, started = False, True
    return "".join(parts)


def canonical_chinese(n: int) -> str:
    """How a Chinese text writes 1..99999: 十五, 一百一十, 一万零五, 一万二千三百四十五."""
    if n >= 10_000:
        head, tail = divmod(n, 10_000)
        text = canonical_chinese(head) + "万"
        if tail == 0:
            return text
        return text + ("零" if tail < 1000 else "") + _section(tail)
    text = _section(n)
    return text.removeprefix("一") if text.startswith("一十") else text


@pytest.mark.parametrize(
    ("n", "written"),
    [
        (10, "十"),
        (15, "十五"),
        (110, "一百一十"),
        (1050, "一千零五十"),
        (10005, "一万零五"),
        (10010, "一万零一十"),
        (12345, "一万二千三百四十五"),
        (90000, "九万"),
    ],
)
def test_the_test_side_writer_writes_as_chinese_texts_do(n: int, written: str) -> None:
    assert canonical_chinese(n) == written


def test_every_number_below_100000_written_in_chinese_reads_back() -> None:
    misread = {}
    for n in range(1, 100_000):
        parsed = ipbench.parse_quantity(canonical_chinese(n) + "件")
        if parsed != (n, "件", "eq", None):
            misread[canonical_chinese(n)] = parsed
    assert misread == {}


@given(n=st.integers(1, 99_999), unit=st.sampled_from(["件", "家", "人", "万元", ""]))
def test_chinese_numerals_read_back_with_any_unit(n: int, unit: str) -> None:
    scale = 10_000 if unit == "万元" else 1  # money is returned in 元
    expected = Quantity(n * scale, "元" if unit == "万元" else unit)
    assert ipbench.parse_quantity(canonical_chinese(n) + unit) == expected


@given(year=st.integers(1000, 9999), zero=st.sampled_from("零〇"))
def test_years_written_digit_by_digit_read_as_their_digits(year: int, zero: str) -> None:
    text = "".join(zero if d == "0" else _DIGIT_CHARS[int(d)] for d in str(year))
    assert ipbench.parse_quantity(text) == Quantity(year, "")


@given(low=st.integers(1, 8), scale=st.sampled_from(["", "十", "百", "千", "万", "十万", "千万"]))
def test_two_rising_digits_are_a_range(low: int, scale: str) -> None:
    factor = ipbench.parse_quantity("一" + scale).value if scale else 1
    text = _DIGIT_CHARS[low] + _DIGIT_CHARS[low + 1] + scale + "人"
    assert ipbench.parse_quantity(text) == Quantity(low * factor, "人", "range", (low + 1) * factor)


@settings(max_examples=300)
@given(text=st.text(alphabet="零〇一二两三四五六七八九十百千万亿余多件", max_size=10))
def test_numeral_text_either_reads_or_fails_naming_itself(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Python or NumPy warning reaches the caller
        try:
            parsed = ipbench.parse_quantity(text)
        except ipbench.QuantityParseError as error:
            failure = str(error)
        else:
            failure = None
    if failure is not None:
        assert repr(text) in failure
    else:
        assert parsed.value >= 0
        assert parsed.value_high is None or parsed.value_high > parsed.value


@settings(max_examples=300)
@given(text=st.text(max_size=12))
def test_any_text_either_reads_or_fails_naming_itself(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            parsed = ipbench.parse_quantity(text)
        except ipbench.QuantityParseError as error:
            failure = str(error)
        else:
            failure = None
    if failure is not None:
        assert repr(text) in failure
    else:
        assert abs(parsed.value) < float("inf")


@given(
    value=st.integers(0, 10**12).map(float),
    unit=st.sampled_from(["件", "元", "%", "人"]),
    qualifier=st.sampled_from(["eq", "gt", "ge", "lt", "approx"]),
)
def test_format_then_parse_still_round_trips(value: float, unit: str, qualifier: str) -> None:
    text = ipbench.format_quantity(value, unit, qualifier=qualifier)  # type: ignore[arg-type]
    assert ipbench.parse_quantity(text) == (value, unit, qualifier, None)


# --- Excel cells ------------------------------------------------------------------

#: Nanchang, 2021 (nanchang_daily_ip_2022): "专利授权量23800件，同比增长32.9%".
NANCHANG = [
    row
    for row in read_rows("observations.csv")
    if row["adcode"] == "360100"
    and row["indicator"] == "patent_grants"
    and row["period_end"] == "2021-12-31"
    and row["measure"] in ("level", "yoy_pct")
]


def _typed_in_excel(column: str, text: str) -> tuple[object, str]:
    """The cell value and number format Excel stores for what a user types."""
    if column in ("period_start", "period_end"):
        return datetime.datetime.fromisoformat(text), "yyyy-mm-dd"  # a date cell
    if column == "value" and text == "32.9":
        return 0.329, "0.0%"  # typed "32.9%": Excel stores the fraction
    if column == "value":
        return int(text), "General"  # typed 23800: a number cell
    return text, "@"  # a text cell (the adcode keeps its digits as text)


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    columns = list(NANCHANG[0])
    sheet.append(columns)
    for line, row in enumerate(NANCHANG, start=2):
        for col, name in enumerate(columns, start=1):
            value, number_format = _typed_in_excel(name, row[name])
            cell = sheet.cell(row=line, column=col, value=value if row[name] else None)
            cell.number_format = number_format
    book.save(path)
    return path


def test_the_fixture_has_the_two_nanchang_rows() -> None:
    assert [row["measure"] for row in NANCHANG] == ["level", "yoy_pct"]
    assert [row["value"] for row in NANCHANG] == ["23800", "32.9"]


def test_excel_cells_read_as_typed(tmp_path: Path) -> None:
    table = read_text_table(_workbook(tmp_path / "observations.xlsx"))
    assert table.index.tolist() == [2, 3]  # spreadsheet row numbers
    assert table.attrs["encoding"] == "xlsx"
    assert table.attrs["file"] == str(tmp_path / "observations.xlsx")
    assert table["value"].tolist() == ["23800", "32.9"]  # number cell, percent cell
    assert table["period_start"].tolist() == ["2021-01-01", "2021-01-01"]  # date cells
    assert table["adcode"].tolist() == ["360100", "360100"]  # text cells
    assert table["value_high"].tolist() == ["", ""]  # empty cells


def test_a_percent_cell_is_read_as_the_percent_typed_and_reconstructs(tmp_path: Path) -> None:
    obs = ipbench.read_observations(_workbook(tmp_path / "observations.xlsx"))
    growth = obs[obs["measure"] == "yoy_pct"]
    assert growth["value"].tolist() == [32.9]
    assert growth["unit"].tolist() == ["%"]
    implied = ipbench.reconstruct(obs)
    grants_2020 = implied[implied["derived_from"] == "yoy_pct"]
    assert grants_2020["period_end"].astype(str).tolist() == ["2020-12-31"]
    # last year's level = 23800 / (1 + 32.9/100) = 23800 / 1.329 = 17908.20...
    # (a stored 0.329 % would give 23800 / 1.00329 = 23722)
    assert grants_2020["value"].round(1).tolist() == [17908.2]


@pytest.mark.parametrize(
    ("stored", "number_format", "typed"),
    [
        (0.329, "0.0%", "32.9"),
        (0.57, "0%", "57"),  # 0.57 * 100 is 56.99999999999999 in floats
        (0.0007, "0.00%", "0.07"),  # 0.0007 * 100 is 0.06999999999999999
        (0.1 + 0.2, "0%", "30"),  # a formula's 0.30000000000000004 shows as 30%
        (-0.035, "0.0%;[Red]-0.0%", "-3.5"),
        (0.2444, '0.00"%"', "0.2444"),  # a quoted % is a literal sign: no scaling
        (23800.0, "General", "23800"),
        (95.42, "0.00", "95.42"),
        (16, "0.00", "16"),
        (0.1 + 0.2, "General", "0.3"),
        (1486000000, "#,##0", "1486000000"),
    ],
)
def test_number_cells_read_as_the_number_typed(
    tmp_path: Path, stored: float, number_format: str, typed: str
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["value"])
    sheet["A2"] = stored
    sheet["A2"].number_format = number_format
    book.save(tmp_path / "cells.xlsx")
    assert read_text_table(tmp_path / "cells.xlsx").loc[2, "value"] == typed


def test_a_date_with_a_time_of_day_keeps_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["period_end"])
    sheet.append([datetime.datetime(2021, 12, 31, 18, 30)])
    book.save(tmp_path / "dates.xlsx")
    # kept, so that the validator can reject the time of day instead of it vanishing
    assert read_text_table(tmp_path / "dates.xlsx").loc[2, "period_end"] == "2021-12-31 18:30:00"


def test_blank_rows_keep_the_spreadsheet_row_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["a", "b", "c", None, "e"], [1, "x"], [None, None], [4, None, 6], [None]):
        sheet.append(row)
    book.save(tmp_path / "blank.xlsx")
    table = read_text_table(tmp_path / "blank.xlsx")
    # as pandas.read_excel names a nameless column 4 "Unnamed: 3" (a repeated name is an
    # error: tests/test_bad_inputs.py)
    assert table.columns.tolist() == ["a", "b", "c", "Unnamed: 3", "e"]
    # the blank row 3 holds no record but row 4 keeps its number; trailing row 5 dropped
    assert table.index.tolist() == [2, 4]
    assert table.loc[4].tolist() == ["4", "", "6", "", ""]
