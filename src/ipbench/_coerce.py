"""Turn a table of text cells into the dtypes a Pandera model declares.

Files arrive as text. Converting them here, cell by cell, lets every cell that
cannot be read be reported with its row, column and value, instead of being
turned into a silent NaN or failing the whole column at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("")


def _convert(values: pd.Series, dtype: Any, nullable: bool) -> tuple[pd.Series, pd.Series, str]:
    """Return converted values, a mask of unreadable cells and what was expected."""
    kind = str(dtype)
    converted: pd.Series[Any]
    empty = values.isna() | (values.astype("string").fillna("").str.strip() == "")
    if kind == "str" or kind.startswith("string"):
        text = values.astype("string").where(~empty).astype(dtype.type)
        return text, _never(values), ""
    if kind.startswith("datetime64"):
        if pd.api.types.is_datetime64_any_dtype(values):
            converted = pd.to_datetime(values).astype("datetime64[ns]")
            bad = pd.Series(False, index=values.index)
        else:
            text = _as_text(values)
            well_formed = text.str.fullmatch(_ISO_DATE).fillna(False).astype(bool)
            converted = pd.to_datetime(
                text.str.slice(0, 10).where(well_formed), format="%Y-%m-%d", errors="coerce"
            ).astype("datetime64[ns]")
            bad = ~empty & converted.isna()
        return converted, bad | _missing(empty, nullable), "an ISO date YYYY-MM-DD"
    if kind.startswith(("float", "int")):
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            numbers = values.astype("float64")
        else:
            numbers = pd.to_numeric(_as_text(values).where(~empty), errors="coerce")
        bad = ~empty & numbers.isna()
        if kind.startswith("int"):
            bad |= ~empty & numbers.notna() & (numbers % 1 != 0)
            wanted = "a whole number"
            converted = numbers.where(~bad).astype("Int64")
            if not nullable and not (bad | empty).any():
                converted = converted.astype("int64")
        else:
            wanted = "a number"
            converted = numbers.astype("float64")
        return converted, bad | _missing(empty, nullable), wanted
    if kind == "bool":
        text = _as_text(values.astype("string"))
        bad = ~text.isin(_TRUE | _FALSE)
        return text.isin(_TRUE), bad, "true or false"
    if kind == "category":
        categories = list(dtype.type.categories)
        text = _as_text(values)
        bad = ~text.isin(categories)
        converted = pd.Series(
            pd.Categorical(text.where(~bad), categories=categories), index=values.index
        )
        return converted, bad, "one of " + ", ".join(categories)
    raise TypeError(f"no conversion for dtype {kind}")  # pragma: no cover - schema bug


def _never(values: pd.Series) -> pd.Series:
    return pd.Series(False, index=values.index)


def _missing(empty: pd.Series, nullable: bool) -> pd.Series:
    return empty if not nullable else _never(empty)
