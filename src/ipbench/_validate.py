"""Validate a table: read its cells, apply its Pandera model, then the catalog rules.

All problems of a table are collected before anything is raised, so one run
lists every failing row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from ipbench._catalog_checks import (
    Catalog,
    check_denominators,
    check_indicators,
    check_observations,
    check_plans,
    check_regions,
)
from ipbench._coerce import coerce_columns
from ipbench._errors import ValidationError, failure_frame
from ipbench._load import CATALOG_DEPENDENT
from ipbench._schemas import ROW_RULE_COLUMNS, TABLE_SCHEMAS

Records = list[dict[str, object]]

_CHECK_WORDS: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (r"greater_than_or_equal_to\((.*)\)", lambda m: f"a value >= {m[1]}"),
    (r"greater_than\((.*)\)", lambda m: f"a value > {m[1]}"),
    (r"less_than_or_equal_to\((.*)\)", lambda m: f"a value <= {m[1]}"),
    (r"less_than\((.*)\)", lambda m: f"a value < {m[1]}"),
    (r"in_range\((.*), (.*)\)", lambda m: f"a value between {m[1]} and {m[2]}"),
    (r"fullmatch\(pattern=(.*)\)", lambda m: f"text matching {m[1]}"),
    (r"isin\((.*)\)", lambda m: f"one of {m[1]}"),
    (r"str_length\(1, None\)", lambda m: "non-empty text"),
    (r"not_nullable", lambda m: "a value (the cell is empty)"),
    (r"field_uniqueness", lambda m: "a value that appears once in this column"),
]


def describe_check(check: str) -> str:
    """Say in words what a Pandera check expected.

    Examples
    --------
    >>> describe_check("greater_than(0)")
    'a value > 0'
    >>> describe_check("a finite number")
    'a finite number'
    """
    for pattern, words in _CHECK_WORDS:
        match = re.fullmatch(pattern, check)
        if match:
            return words(match)
    return check


def validate_table(
    frame: pd.DataFrame,
    table: str,
    *,
    file: str = "<DataFrame>",
    catalog: Catalog | None = None,
    require_order: bool = False,
    cross_checks: bool = True,
) -> pd.DataFrame:
    """Return ``frame`` converted to the dtypes of ``table``'s model, or raise.

    Parameters
    ----------
    frame : pandas.DataFrame
        Text cells from a file, or a DataFrame; the index labels the rows.
    table : {"regions", "indicators", "sources", "denominators", "plans", "observations"}
        Which table of the contract ``frame`` holds.
    file : str
        Named in every failure record.
    catalog : Catalog, optional
        Reference tables; required for ``denominators``, ``plans`` and ``observations``.
    require_order : bool, default False
        Also require the contract's column order (the curated datasets do).
    cross_checks : bool, default True
        Apply the rules that relate rows to the catalog (or, for regions and
        indicators, to other rows of the table). Off for a user's partial
        catalog table, which is checked again once merged with the built-in one.

    Raises
    ------
    ValidationError
        Listing every failing cell and row.
    """
    model = TABLE_SCHEMAS[table]
    coerced = coerce_columns(frame, model, file, require_order=require_order)
    if coerced.header_failures:
        raise ValidationError(failure_frame(coerced.header_failures))
    typed = coerced.frame
    records = list(coerced.failures)
    try:
        typed = model.validate(typed, lazy=True)
    except pa.errors.SchemaErrors as errors:
        records += _translate(errors.failure_cases, typed, file, coerced.failed_cells, model)
    if cross_checks:
        flagged = {(record["row"], str(record["column"])) for record in records}
        records += [
            record
            for record in _catalog_records(typed, table, file, catalog)
            if (record["row"], str(record["column"])) not in flagged
        ]
    if records:
        failures = failure_frame(records)
        failures = failures.drop_duplicates(subset=["row", "column", "expected"])
        raise ValidationError(_sort(failures))
    return typed


def _catalog_records(
    typed: pd.DataFrame, table: str, file: str, catalog: Catalog | None
) -> Records:
    if table == "regions":
        return check_regions(typed, file)
    if table == "indicators":
        return check_indicators(typed, file)
    if table in CATALOG_DEPENDENT:
        if catalog is None:
            raise TypeError(f"validating {table} needs a catalog")
        checks = {
            "denominators": check_denominators,
            "plans": check_plans,
            "observations": check_observations,
        }
        return checks[table](typed, catalog, file)
    return []


def _sort(failures: pd.DataFrame) -> pd.DataFrame:
    order = pd.to_numeric(failures["row"], errors="coerce")
    return (
        failures.assign(_order=order)
        .sort_values(["_order", "column"], kind="stable")
        .drop(columns="_order")
    )


def _translate(
    cases: pd.DataFrame,
    typed: pd.DataFrame,
    file: str,
    failed_cells: set[tuple[object, str]],
    model: type[pa.DataFrameModel],
) -> Records:
    """Turn Pandera's failure cases into one record per failing cell or row."""
    records: Records = []
    key = list(getattr(model.Config, "unique", None) or [])
    is_frame_level = cases["schema_context"] == "DataFrameSchema"
    for case in cases[~is_frame_level].itertuples(index=False):
        row, column = _row_label(case.index), str(case.column)
        if (row, column) in failed_cells:
            continue
        records.append(
            {
                "file": file,
                "row": row,
                "column": column,
                "value": case.failure_case,
                "expected": describe_check(str(case.check)),
            }
        )
    frame_cases = cases[is_frame_level].drop_duplicates(["index", "check"])
    for row, check in zip(frame_cases["index"], frame_cases["check"], strict=True):
        if check == "multiple_fields_uniqueness":
            records.append(_duplicate_record(typed, row, key, file))
            continue
        columns = ROW_RULE_COLUMNS.get(str(check), [])
        if any((row, column) in failed_cells for column in columns):
            continue
        values = "; ".join(f"{c}={_show(typed.at[row, c])}" for c in columns)
        records.append(
            {
                "file": file,
                "row": row,
                "column": ", ".join(columns),
                "value": values,
                "expected": str(check),
            }
        )
    return records


def _row_label(label: object) -> object:
    """Pandera reports failures of a whole column with no row; show those as ''."""
    return "" if label is None else label


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    return "" if pd.isna(value) else str(value)  # type: ignore[call-overload]


def _duplicate_record(
    typed: pd.DataFrame, row: object, key: list[str], file: str
) -> dict[str, object]:
    values = typed.loc[typed.index == row, key].iloc[0]
    same = (typed[key] == values).all(axis=1)
    others = [str(other) for other in typed.index[same] if other != row]
    return {
        "file": file,
        "row": row,
        "column": ", ".join(key),
        "value": " | ".join(_show(value) for value in values),
        "expected": f"a unique key; the same key is on row {', '.join(others)}",
    }
