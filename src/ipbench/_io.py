"""Read CSV and Excel files into tables of text cells, row-numbered as in the file."""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ipbench._errors import ValidationError, failure_frame

#: The encoding files must have unless the caller names another: UTF-8, with or without BOM.
#: Guessing between GBK/GB18030 and Big5 reads one as garbled text of the other, so a file
#: in either is refused, with the encoding it looks like, instead of being guessed.
DEFAULT_ENCODING = "utf-8-sig"
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_text_table(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV or Excel file with every cell as text.

    The index holds each row's number as a spreadsheet shows it: the header is
    row 1, the first data row is row 2, and a blank line is a row too (blank
    rows are dropped but keep their number). ``attrs["file"]`` and
    ``attrs["encoding"]`` say where the table came from. A CSV file must be
    UTF-8 (with or without BOM) unless ``encoding`` names another.

    Raises
    ------
    ValidationError
        For a file that is empty, not UTF-8, not a readable workbook, has a
        header naming a column twice, or a row with more fields than the header.

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
        header, frame, encoding = *_read_excel(path), "xlsx"
    else:
        text, encoding = _decode(path, encoding)
        header, frame = _read_csv(text, path)
    _refuse_repeated_names(header, path)
    frame.columns = pd.Index(header[: frame.shape[1]], dtype=object)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    # a blank row keeps its number, as in a spreadsheet, but holds no record
    frame = frame[(frame != "").any(axis=1)] if frame.shape[1] else frame
    frame.attrs.update(file=str(path), encoding=encoding)
    return frame


def _problem(path: Path, row: object, column: str, value: str, expected: str) -> ValidationError:
    return ValidationError(
        failure_frame(
            [
                {
                    "file": str(path),
                    "row": row,
                    "column": column,
                    "value": value,
                    "expected": expected,
                }
            ]
        )
    )


def _read_csv(text: str, path: Path) -> tuple[list[str], pd.DataFrame]:
    """Split CSV text into its header and a frame of text cells (every record, blank ones too)."""
    header = next(csv.reader(io.StringIO(text)), None)
    if header is None or not any(name.strip() for name in header):
        raise _problem(path, 1, "(header)", "(empty file)", "a header row naming the columns")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            header=None,
            skiprows=1,
            names=range(len(header)),
            skip_blank_lines=False,
        )
    except pd.errors.ParserError:
        raise _long_rows(text, len(header), path) from None
    return header, frame


def _long_rows(text: str, width: int, path: Path) -> ValidationError:
    """Every record with more fields than the header (found again, record by record)."""
    records = []
    for row, fields in enumerate(csv.reader(io.StringIO(text)), start=1):
        if len(fields) > width:
            extra = [field for field in fields[width:] if field] or fields[width:]
            records.append(
                {
                    "file": str(path),
                    "row": row,
                    "column": f"(field {width + 1} on)",
                    "value": ",".join(extra),
                    "expected": f"at most {width} fields, one per column of the header",
                }
            )
    return ValidationError(failure_frame(records))


def _refuse_repeated_names(header: list[str], path: Path) -> None:
    repeated = [name for name, count in Counter(header).items() if count > 1 and name]
    if repeated:
        raise ValidationError(
            failure_frame(
                [
                    {
                        "file": str(path),
                        "row": 1,
                        "column": name,
                        "value": f"(column {name!r} appears {header.count(name)} times)",
                        "expected": "each column named once in the header",
                    }
                    for name in repeated
                ]
            )
        )


#: Excel stores doubles but keeps and shows 15 significant digits of them.
EXCEL_SIGNIFICANT_DIGITS = 15
# parts of a number format that print literally: "text", \x, [Red], _x (a space), *x (fill)
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def _read_excel(path: Path) -> tuple[list[str], pd.DataFrame]:
    """Read the first sheet as its header and text cells, blank rows kept."""
    try:
        import openpyxl  # noqa: PLC0415 (only an Excel file needs it)

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        # openpyxl's InvalidFileException is a ValueError; a damaged zip raises the others
        raise _problem(
            path,
            "",
            "(file)",
            f"(unreadable workbook: {error})",
            "an .xlsx workbook Excel can open",
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size; read every cell
        rows = [[_excel_text(cell.value, cell.number_format) for cell in row] for row in sheet.rows]
    finally:
        book.close()
    rows = [_without_trailing_blanks(row) for row in rows]
    while rows and not rows[-1]:
        rows.pop()
    if not rows or not rows[0]:
        raise _problem(path, 1, "(header)", "(empty sheet)", "a header row naming the columns")
    width = max(len(row) for row in rows)
    header, *body = (row + [""] * (width - len(row)) for row in rows)
    header = [name or f"Unnamed: {i}" for i, name in enumerate(header)]
    return header, pd.DataFrame(body, columns=range(width), dtype=str)


def _without_trailing_blanks(row: list[str]) -> list[str]:
    while row and row[-1] == "":
        row = row[:-1]
    return row


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
    """Decode a file as UTF-8 (or the encoding its caller names), refusing anything else."""
    raw = path.read_bytes()
    if encoding is not None:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise _problem(
                path, "", "(file)", f"(not {encoding}: {error})", f"text in {encoding}"
            ) from None
    try:
        text = raw.decode(DEFAULT_ENCODING)
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        raise _problem(path, row, "(file)", _encoding_guess(raw), UTF8_EXPECTED) from None
    as_gb18030 = _decoded(raw, "gb18030")
    if as_gb18030 is not None and _looks_like_misread_gb18030(text, as_gb18030):
        raise _problem(path, "", "(file)", _encoding_guess(raw), UTF8_EXPECTED)
    return text, DEFAULT_ENCODING


UTF8_EXPECTED = (
    "text in UTF-8 (in Excel: Save As 'CSV UTF-8'), or the file's encoding named "
    "(encoding='gb18030' in Python, --encoding gb18030 on the command line)"
)


def _decoded(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _encoding_guess(raw: bytes) -> str:
    """Name the encoding bytes that are not UTF-8 look like.

    GB2312 text (what GBK and GB18030 hold for simplified Chinese) also decodes as
    Big5, and Big5 as GB18030, so only a guess is possible: GBK/GB18030 when the text
    read that way is all in GB2312, otherwise Big5 when it reads as Big5.

    Examples
    --------
    >>> _encoding_guess("专利".encode("gbk")), _encoding_guess("專利權".encode("big5"))
    ('(not UTF-8: looks like GBK/GB18030)', '(not UTF-8: looks like Big5)')
    """
    as_gb18030 = _decoded(raw, "gb18030")
    if as_gb18030 is not None and _encodes(as_gb18030, "gb2312"):
        return "(not UTF-8: looks like GBK/GB18030)"
    if _decoded(raw, "big5") is not None:
        return "(not UTF-8: looks like Big5)"
    if as_gb18030 is not None:
        return "(not UTF-8: looks like GB18030)"
    return "(not UTF-8: undecodable bytes)"


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


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
