"""Turn a table of text cells into the dtypes a Pandera model declares.

Files arrive as text. Converting them here, cell by cell, lets every cell that
cannot be read be reported with its row, column and value, instead of being
turned into a silent NaN or failing the whole column at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$"


@dataclass
class Coerced:
    """A typed frame, problems with its header, and the cells that could not be read."""

    frame: pd.DataFrame
    header_failures: list[dict[str, object]] = field(default_factory=list)
    failures: list[dict[str, object]] = field(default_factory=list)

    @property
    def failed_cells(self) -> set[tuple[object, str]]:
        return {(record["row"], str(record["column"])) for record in self.failures}


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
        for row in bad.index[bad]:
            result.failures.append(_record(file, row, name, frame.at[row, name], wanted))
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
        return typed, _missing(typed.isna(), nullable), _EXPECTED.get(kind[:5], "")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype="object")
    # factorize leaves missing cells out of the distinct values; blank text is missing too
    blank = distinct.map(lambda cell: isinstance(cell, str) and not cell.strip()).astype(bool)
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
    filler = pd.Series(
        [pd.NA if kind.startswith(("str", "int")) else np.nan], dtype=converted.dtype
    )
    with_na = pd.concat([converted, filler], ignore_index=True)
    result = pd.Series(with_na.to_numpy()[codes], index=values.index).astype(
        _TARGET.get(kind, dtype.type)
    )
    if kind.startswith("int") and not nullable and not (bad_rows | empty).any():
        result = result.astype("int64")
    return result, bad_rows | _missing(empty, nullable), _EXPECTED.get(kind[:5], "")


_EXPECTED = {
    "datet": "an ISO date YYYY-MM-DD",
    "float": "a number",
    "int64": "a whole number",
    "bool": "true or false",
}
_TARGET = {
    "datetime64[ns]": "datetime64[ns]",
    "float64": "float64",
    "int64": "Int64",
    "bool": "bool",
}


def _already_typed(values: pd.Series, kind: str, dtype: Any) -> pd.Series | None:  # noqa: PLR0911
    """Return the column as it is when it already has the model's dtype and no blank text."""
    if kind.startswith("datetime64") and pd.api.types.is_datetime64_any_dtype(values):
        return values.astype("datetime64[ns]")
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
        has_blank = any(not text.strip() for text in uniques)
        return None if has_blank else values
    return None


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(distinct.to_numpy(dtype=bool)[codes], index=index)


def _convert_distinct(distinct: pd.Series, kind: str, dtype: Any) -> tuple[pd.Series, pd.Series]:
    """Convert each distinct non-blank cell; blank cells arrive as NaN and stay missing."""
    present = distinct.notna()
    if kind == "str" or kind.startswith("string"):
        return distinct.astype(dtype.type), pd.Series(False, index=distinct.index)
    if kind.startswith("datetime64"):
        as_text = distinct.where(distinct.map(lambda cell: isinstance(cell, str)))
        well_formed = as_text.str.fullmatch(_ISO_DATE).fillna(False).astype(bool)
        text = as_text.str.slice(0, 10).where(well_formed)
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        # a datetime cell (Excel) or a Python date is a date when it has no time of day
        is_stamp = distinct.map(lambda cell: isinstance(cell, (pd.Timestamp, datetime.date)))
        stamps = pd.to_datetime(distinct.where(is_stamp), errors="coerce")
        dates = dates.fillna(stamps.where(stamps.dt.normalize() == stamps))
        return dates.astype("datetime64[ns]"), present & dates.isna()
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


def _never(values: pd.Series) -> pd.Series:
    return pd.Series(False, index=values.index)


def _missing(empty: pd.Series, nullable: bool) -> pd.Series:
    return empty if not nullable else _never(empty)
