"""Read CSV and Excel files into tables of text cells, row-numbered as in the file."""

from __future__ import annotations

import datetime
import io
import math
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd

from ipbench._errors import ValidationError, failure_frame

#: Tried in order: UTF-8 (with or without BOM), then GB18030, the superset of
#: GBK/GB2312 that Chinese spreadsheet programs write.
ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_text_table(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV or Excel file with every cell as text.

    The index holds each row's number as a spreadsheet shows it: the header is
    row 1, the first data row is row 2. ``attrs["file"]`` and
    ``attrs["encoding"]`` say where the table came from. The encoding of a
    CSV file is detected (UTF-8, UTF-8 with BOM, GB18030) unless given.

    An Excel cell reads as what its user typed: a percent cell holding 0.329
    as "32.9" (the unit column says %), the number 23800 as "23800", a date
    as "2021-12-31", and a number to the 15 significant digits Excel shows.

    Examples
    --------
    >>> from ipbench._load import data_dir
    >>> table = read_text_table(data_dir() / "regions.csv")
    >>> table.loc[2, "adcode"], table.attrs["encoding"]
    ('100000', 'utf-8-sig')
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        frame, encoding = _read_excel(path), "xlsx"
    else:
        text, encoding = _decode(path, encoding)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    frame.attrs.update(file=str(path), encoding=encoding)
    return frame


#: Excel stores doubles but keeps and shows 15 significant digits of them.
EXCEL_SIGNIFICANT_DIGITS = 15
# parts of a number format that print literally: "text", \x, [Red], _x (a space), *x (fill)
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def _read_excel(path: Path) -> pd.DataFrame:
    """Read the first sheet as text cells, the header and blank rows as pandas.read_excel does."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read every cell
        rows = [[_excel_text(cell.value, cell.number_format) for cell in row] for row in sheet.rows]
    finally:
        book.close()
    rows = [_without_trailing_blanks(row) for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        return pd.DataFrame(dtype=str)
    width = max(len(row) for row in rows)
    header, *body = (row + [""] * (width - len(row)) for row in rows)
    return pd.DataFrame(body, columns=_column_names(header), dtype=str)


def _without_trailing_blanks(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


def _column_names(header: list[str]) -> list[str]:
    """Name nameless columns "Unnamed: i" and number repeats a, a.1, a.2, as pandas does."""
    names: list[str] = []
    repeats: dict[str, int] = {}
    for i, cell in enumerate(header):
        base = cell or f"Unnamed: {i}"
        name, count = base, repeats.get(base, 0)
        while name in names:
            count += 1
            name = f"{base}.{count}"
        repeats[base] = count
        names.append(name)
    return names


def _excel_text(value: object, number_format: object) -> str:
    """Write a cell's value as its user typed it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")  # kept, for the validator to reject the time of day
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _typed_number(value, str(number_format))
    return str(value)  # text, and True/False as pandas wrote them


def _typed_number(value: float, number_format: str) -> str:
    """Write a number as typed: 0.329 in a ``0.0%`` cell is 32.9, 23800.0 is 23800.

    Examples
    --------
    >>> _typed_number(0.329, "0.0%"), _typed_number(0.57, "0%"), _typed_number(23800.0, "General")
    ('32.9', '57', '23800')
    >>> _typed_number(0.1 + 0.2, "General")  # a formula's binary noise, not shown by Excel
    '0.3'
    """
    if isinstance(value, int):
        exact = Decimal(value)
    elif not math.isfinite(value):
        return str(value)
    else:
        exact = Decimal(repr(value))  # the shortest decimal that is this double
        if exact:
            significant = Decimal(1).scaleb(exact.adjusted() - EXCEL_SIGNIFICANT_DIGITS + 1)
            exact = exact.quantize(significant)
    if _is_percent_format(number_format):
        exact = exact.scaleb(2)  # Excel stores 32.9% as 0.329
    return format(exact.normalize(), "f")


def _is_percent_format(number_format: str) -> bool:
    """Whether a number format shows the value times 100 with a % sign (not a quoted "%")."""
    return "%" in _FORMAT_LITERALS.sub("", number_format)


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_TWO_BYTE_UTF8 = re.compile(r"[\u0080-\u07ff]")


def _decode(path: Path, encoding: str | None = None) -> tuple[str, str]:
    raw = path.read_bytes()
    if encoding is not None:
        return raw.decode(encoding), encoding
    decoded = {}
    for candidate in ENCODINGS:
        try:
            decoded[candidate] = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    if len(decoded) == 2 and _looks_like_misread_gb18030(decoded["utf-8-sig"], decoded["gb18030"]):
        return decoded["gb18030"], "gb18030"
    for candidate, text in decoded.items():
        return text, candidate
    raise ValidationError(
        failure_frame(
            [
                {
                    "file": str(path),
                    "row": "",
                    "column": "",
                    "value": "(undecodable bytes)",
                    "expected": "text in UTF-8, UTF-8 with BOM, or GB18030",
                }
            ]
        )
    )


def _looks_like_misread_gb18030(as_utf8: str, as_gb18030: str) -> bool:
    """Whether bytes that happen to be valid UTF-8 are really GB18030 Chinese.

    Short GB18030 texts can be valid UTF-8 by chance (占全省 reads as ռȫʡ):
    then the UTF-8 reading has letters from U+0080-U+07FF and no Chinese,
    while the GB18030 reading is Chinese.
    """
    return (
        not _CJK.search(as_utf8)
        and bool(_TWO_BYTE_UTF8.search(as_utf8))
        and bool(_CJK.search(as_gb18030))
        and not _TWO_BYTE_UTF8.search(as_gb18030)
    )
