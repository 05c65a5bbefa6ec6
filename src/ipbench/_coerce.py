"""Turn a table of text cells into the dtypes a Pandera model declares.

Files arrive as text. Converting them here, cell by cell, lets every cell that
cannot be read be reported with its row, column and value, instead of being
turned into a silent NaN or failing the whole column at once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ipbench._errors import failure_rows

if TYPE_CHECKING:  # Pandera loads on the first validation, not on import
    import pandera.pandas as pa

_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}( 00:00:00)?")
#: The dates a pandas datetime64[ns] column can hold (pandas.Timestamp.min and max, whole days).
FIRST_DATE = datetime.date(1677, 9, 22)
LAST_DATE = datetime.date(2262, 4, 11)


@dataclass
class Coerced:
    """A typed frame, problems with its header, and the cells that could not be read."""

    frame: pd.DataFrame
    header_failures: list[dict[str, object]] = field(default_factory=list)
    #: One failures table per column with unreadable cells.
    failures: list[pd.DataFrame] = field(default_factory=list)


def coerce_columns(
    frame: pd.DataFrame,
    model: type[pa.DataFrameModel],
    file: str,
    *,
    require_order: bool = False,
) -> Coerced:
    """Check the header and convert every column to the model's dtype.

    Parameters
    ----------
    frame : pandas.DataFrame
        Text cells (or already typed columns); the index labels rows.
    model : type of pandera.pandas.DataFrameModel
        The table's model; its column dtypes drive the conversion.
    file : str
        Name of the file (or ``"<DataFrame>"``) for the failure records.
    require_order : bool, default False
        Report columns that are all present but out of the contract's order.

    Returns
    -------
    Coerced
        The converted frame, columns in the contract's order, and failure
        records for the header and for every unreadable cell. Cells are not
        converted when the header is wrong.
    """
    schema = model.to_schema()
    expected = list(schema.columns)
    result = Coerced(frame=pd.DataFrame(index=frame.index))
    header_row = 1 if file != "<DataFrame>" else "header"
    for name in expected:
        if name not in frame.columns:
            result.header_failures.append(
                _record(file, header_row, name, "(missing)", f"a column named {name!r}")
            )
    for name in frame.columns:
        if name not in expected:
            result.header_failures.append(
                _record(file, header_row, str(name), "(unexpected)", f"only the columns {expected}")
            )
    present = [str(name) for name in frame.columns if name in expected]
    if require_order and not result.header_failures and present != expected:
        result.header_failures.append(
            _record(file, header_row, "(header)", ",".join(present), ",".join(expected))
        )
    if result.header_failures:
        return result
    for name in expected:
        column = schema.columns[name]
        converted, bad, wanted = _convert(frame[name], column.dtype, column.nullable)
        result.frame[name] = converted
        positions = np.flatnonzero(bad.to_numpy(dtype=bool))
        if not len(positions):
            continue
        values = frame[name].iloc[positions]
        texts: str | pd.Series = wanted
        if str(column.dtype).startswith("datetime64"):
            # a date can fail for several reasons; each distinct value is told its own
            codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
            reasons = np.array([_date_problem(value) or wanted for value in uniques], dtype=object)
            texts = pd.Series(reasons[codes])
        result.failures.append(failure_rows(file, frame.index[positions], name, values, texts))
    return result


def _record(file: str, row: object, column: str, value: object, expected: str) -> dict[str, object]:
    return {"file": file, "row": row, "column": column, "value": value, "expected": expected}


def _convert(values: pd.Series, dtype: Any, nullable: bool) -> tuple[pd.Series, pd.Series, str]:
    """Return converted values, a mask of unreadable cells and what was expected.

    Cells are converted once per distinct value (a column of 1.8 million
    dates holds a few dozen), then spread back over the rows.
    """
    kind = str(dtype)
    typed = _already_typed(values, kind, dtype)
    if typed is not None:
        return typed, _missing(typed.isna(), nullable), _expected(kind)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype="object")
    # factorize leaves missing cells out of the distinct values; blank text is missing too
    is_text = distinct.map(lambda cell: isinstance(cell, str)).astype(bool)
    blank = is_text & distinct.where(is_text, "x").str.fullmatch(_NOTHING_VISIBLE).astype(bool)
    converted, bad = _convert_distinct(distinct.where(~blank), kind, dtype)
    # code -1 marks a missing cell: the appended last element stands for it
    empty = _spread(pd.concat([blank, pd.Series([True])], ignore_index=True), codes, values.index)
    bad_rows = _spread(pd.concat([bad, pd.Series([False])], ignore_index=True), codes, values.index)
    if kind == "category":
        categories = list(dtype.type.categories)
        category_codes = converted.map({c: i for i, c in enumerate(categories)}).fillna(-1)
        row_codes = np.append(category_codes.to_numpy(dtype="int64"), -1)[codes]
        result = pd.Series(
            pd.Categorical.from_codes(row_codes, dtype=dtype.type), index=values.index
        )
        return result, bad_rows, "one of " + ", ".join(categories)
    if kind == "str" or kind.startswith("string"):
        text = pd.Series(np.append(converted.to_numpy(dtype=object), np.nan)[codes], values.index)
        return _as_text(text, dtype), _missing(empty, nullable), _expected(kind)
    filler = pd.Series(
        [pd.NA if kind.startswith(("str", "int")) else np.nan], dtype=converted.dtype
    )
    with_na = pd.concat([converted, filler], ignore_index=True)
    result = pd.Series(with_na.to_numpy()[codes], index=values.index).astype(
        _TARGET.get(kind, dtype.type)
    )
    if kind.startswith("int") and not nullable and not (bad_rows | empty).any():
        result = result.astype("int64")
    return result, bad_rows | _missing(empty, nullable), _expected(kind)


#: Characters a reader cannot see: zero-width space, non-joiner and joiner, direction marks,
#: word joiner and invisible operators, byte-order mark, soft hyphen.
INVISIBLE = "\u200b-\u200f\u2060-\u2064\ufeff\u00ad"
_NOTHING_VISIBLE = f"[\\s{INVISIBLE}]*"


def is_blank(cell: object) -> bool:
    """Whether a cell is text with nothing visible: spaces, or invisible characters.

    Examples
    --------
    >>> is_blank(" \u3000"), is_blank("\u200b"), is_blank("\ufeff "), is_blank("件")
    (True, True, True, False)
    """
    return isinstance(cell, str) and re.fullmatch(_NOTHING_VISIBLE, cell) is not None


_EXPECTED = {
    "datet": "an ISO date YYYY-MM-DD",
    "str": "non-empty text (something visible, not only spaces)",
    "float": "a number",
    "int64": "a whole number",
    "bool": "true or false",
}


def _expected(kind: str) -> str:
    """Say what a cell of a column of this dtype should hold."""
    return _EXPECTED.get("str" if kind.startswith("str") else kind[:5], "")


_TARGET = {
    "datetime64[ns]": "datetime64[ns]",
    "float64": "float64",
    "int64": "Int64",
    "bool": "bool",
}


def _already_typed(values: pd.Series, kind: str, dtype: Any) -> pd.Series | None:  # noqa: PLR0911
    """Return the column as it is when it already has the model's dtype and no blank text."""
    if kind.startswith("datetime64") and pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dtype, "tz", None) is not None:
            return None  # each cell is refused below: a date has no time zone
        try:
            return values.astype("datetime64[ns]")
        except (pd.errors.OutOfBoundsDatetime, OverflowError):
            return None  # each cell outside pandas' range is refused below
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if kind.startswith("float") and numeric:
        return values.astype("float64")
    if kind.startswith("int") and pd.api.types.is_integer_dtype(values) and not values.isna().any():
        return values.astype("int64")
    if kind == "bool" and pd.api.types.is_bool_dtype(values) and not values.isna().any():
        return values.astype("bool")
    if kind == "category" and values.dtype == dtype.type:
        return values
    if (kind == "str" or kind.startswith("string")) and values.dtype == dtype.type:
        _, uniques = pd.factorize(values)
        has_blank = any(is_blank(text) for text in uniques)
        return None if has_blank else values
    return None


#: Whether pandas' text dtype keeps a missing cell missing (pandas 3's ``str``), or writes
#: it as the text "nan" (pandas 2's NumPy ``<U``, which text columns then hold as object).
_TEXT_DTYPE_KEEPS_MISSING = bool(
    pd.Series(["text", np.nan], dtype=object).astype(str).isna().iloc[1]
)


def _as_text(text: pd.Series, dtype: Any) -> pd.Series:
    """Text cells, missing ones missing, in the model's text dtype (object under pandas 2)."""
    if _TEXT_DTYPE_KEEPS_MISSING or isinstance(dtype.type, pd.StringDtype):
        return text.astype(dtype.type)
    return text.astype(object)


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(distinct.to_numpy(dtype=bool)[codes], index=index)


def _convert_distinct(distinct: pd.Series, kind: str, dtype: Any) -> tuple[pd.Series, pd.Series]:
    """Convert each distinct non-blank cell; blank cells arrive as NaN and stay missing."""
    present = distinct.notna()
    if kind == "str" or kind.startswith("string"):
        return distinct, pd.Series(False, index=distinct.index)
    if kind.startswith("datetime64"):
        days = [_date(cell) for cell in distinct]
        dates = pd.Series(
            [pd.NaT if day is None else pd.Timestamp(day) for day in days],
            index=distinct.index,
            dtype="datetime64[ns]",
        )
        return dates, present & dates.isna()
    if kind.startswith(("float", "int")):
        numbers = pd.to_numeric(distinct, errors="coerce").astype("float64")
        bad = present & numbers.isna()
        if kind.startswith("int"):
            bad |= present & numbers.notna() & (numbers % 1 != 0)
            return numbers.where(~bad).astype("Int64"), bad
        return numbers, bad
    if kind == "bool":
        text = distinct.astype("string")
        bad = ~text.isin(_TRUE | _FALSE).fillna(False).astype(bool)
        return text.isin(_TRUE).fillna(False).astype(bool), bad
    if kind == "category":
        categories = list(dtype.type.categories)
        bad = ~distinct.isin(categories)
        return distinct.where(~bad), bad
    raise TypeError(f"no conversion for dtype {kind}")  # pragma: no cover - schema bug


_DATE_OUT_OF_RANGE = f"a date from {FIRST_DATE} to {LAST_DATE} (the dates pandas can hold)"
_DATE_WITH_ZONE = "a date without a time zone (a calendar day, as the source states it)"


def _date(cell: object) -> datetime.date | None:
    """Read one cell as a calendar date pandas can hold, or None.

    Text must be ISO (``2021-12-31``, or with `` 00:00:00`` as spreadsheets write
    it); a datetime (an Excel cell, a Timestamp) must have no time of day and no
    time zone. Checked one cell at a time, so a date pandas cannot hold is one
    failing cell, not an error that stops the whole check.
    """
    day = _calendar_day(cell)
    if isinstance(day, datetime.date) and FIRST_DATE <= day <= LAST_DATE:
        return day
    return None


def _date_problem(cell: object) -> str:
    """Say what a date cell that failed should have been ("" for a good date).

    Examples
    --------
    >>> _date_problem("3000-01-01")
    'a date from 1677-09-22 to 2262-04-11 (the dates pandas can hold)'
    >>> _date_problem(pd.Timestamp("2021-12-31", tz="Asia/Shanghai"))
    'a date without a time zone (a calendar day, as the source states it)'
    """
    day = _calendar_day(cell)
    if isinstance(day, str):
        return day
    return "" if FIRST_DATE <= day <= LAST_DATE else _DATE_OUT_OF_RANGE


def _calendar_day(cell: object) -> datetime.date | str:  # noqa: PLR0911
    """Return the calendar day a cell names, or what was expected of it."""
    if isinstance(cell, str) and _ISO_DATE.fullmatch(cell):
        try:
            return datetime.date.fromisoformat(cell[:10])
        except ValueError:
            return _EXPECTED["datet"]
    if isinstance(cell, np.datetime64):
        # numpy's own calendar reaches far beyond Python's datetime (years 1..9999)
        year = int(str(cell.astype("datetime64[Y]")))
        cell = cell.astype("datetime64[us]").item() if 1 <= year <= 9999 else None
        if cell is None:
            return _DATE_OUT_OF_RANGE
    if isinstance(cell, datetime.datetime):  # pandas.Timestamp too
        if cell.tzinfo is not None:
            return _DATE_WITH_ZONE
        return cell.date() if cell.time() == datetime.time() else _EXPECTED["datet"]
    if isinstance(cell, datetime.date):
        return cell
    return _EXPECTED["datet"]


def _never(values: pd.Series) -> pd.Series:
    return pd.Series(False, index=values.index)


def _missing(empty: pd.Series, nullable: bool) -> pd.Series:
    return empty if not nullable else _never(empty)
