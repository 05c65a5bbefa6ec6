"""Validate a table: read its cells, apply its Pandera model, then the catalog rules.

All problems of a table are collected before anything is raised, so one run
lists every failing row.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ipbench._catalog_checks import (
    References,
    check_denominators,
    check_indicators,
    check_observations,
    check_plans,
    check_regions,
)
from ipbench._coerce import coerce_columns
from ipbench._errors import ValidationError, concat_failures, failure_frame, failure_rows
from ipbench._load import CATALOG_DEPENDENT
from ipbench._schemas import ROW_RULE_COLUMNS, TABLE_SCHEMAS

Records = list[pd.DataFrame]

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
    catalog: References | None = None,
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
    catalog : Catalog or ReferenceTables, optional
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
        typed = _schema_without_key(model).validate(typed, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failed_cells = _cells(concat_failures(records))
        records.append(_translate(errors.failure_cases, typed, file, failed_cells))
    records.append(
        _duplicate_records(typed, list(getattr(model.Config, "unique", None) or []), file)
    )
    if cross_checks:
        flagged = _cells(concat_failures(records))
        theirs = concat_failures(_catalog_records(typed, table, file, catalog))
        records.append(theirs[~_cells(theirs).isin(flagged)])
    failures = concat_failures(records)
    if len(failures):
        failures = failures.drop_duplicates(subset=["row", "column", "expected"])
        raise ValidationError(_sort(failures))
    return typed


def _cells(failures: pd.DataFrame) -> pd.MultiIndex:
    """Key each failure by (row, column), to leave out rules that follow from one bad cell."""
    return pd.MultiIndex.from_arrays(
        [failures["row"].astype(object), failures["column"].astype(str)], names=["row", "column"]
    )


@functools.cache
def _schema_without_key(model: type[pa.DataFrameModel]) -> pa.DataFrameSchema:
    """Return the model's schema without its key rule: keys are checked in O(n log n) here.

    Pandera's own check works, but reshaping its failure cases for 20,000 rows of one
    key costs more than finding and naming them (:func:`_duplicate_records`).
    """
    schema = copy.deepcopy(model.to_schema())
    schema.unique = None
    return schema


def _catalog_records(
    typed: pd.DataFrame, table: str, file: str, catalog: References | None
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
    failed_cells: pd.MultiIndex,
) -> pd.DataFrame:
    """Turn Pandera's failure cases into one failure per failing cell or row (column-wise)."""
    is_frame_level = (cases["schema_context"] == "DataFrameSchema").to_numpy()
    column_cases = cases[~is_frame_level]
    checks = column_cases["check"].astype(str)
    words = {check: describe_check(check) for check in checks.unique()}
    cell_failures = failure_rows(
        file,
        column_cases["index"].map(_row_label),
        column_cases["column"].astype(str),
        column_cases["failure_case"],
        checks.map(words),
    )
    chunks = [cell_failures[~_cells(cell_failures).isin(failed_cells)]]
    frame_cases = cases[is_frame_level].drop_duplicates(["index", "check"])
    first_of_label = typed[~typed.index.duplicated()]
    by_check = frame_cases.groupby(frame_cases["check"].astype(str), sort=False)["index"]
    for check, failing in by_check:
        columns = ROW_RULE_COLUMNS.get(check, [])
        skip = np.zeros(len(failing), dtype=bool)
        for column in columns:
            at = pd.MultiIndex.from_arrays([failing.astype(object), [column] * len(failing)])
            skip |= at.isin(failed_cells)
        rows = failing[~skip]
        values = pd.Series("", index=range(len(rows)), dtype=object)
        for number, column in enumerate(columns):
            shown = _shown(first_of_label[column].reindex(rows.to_numpy()))
            values += ("; " if number else "") + f"{column}=" + shown.to_numpy()
        chunks.append(failure_rows(file, rows, ", ".join(columns), values, check))
    return concat_failures(chunks)


def _row_label(label: object) -> object:
    """Pandera reports failures of a whole column with no row; show those as ''."""
    return "" if label is None else label


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    return "" if pd.isna(value) else str(value)  # type: ignore[call-overload]


def _shown(values: pd.Series) -> pd.Series:
    """Show each value as :func:`_show` does, a column at a time."""
    if pd.api.types.is_datetime64_any_dtype(values):
        text = values.dt.strftime("%Y-%m-%d")
    else:
        text = values.astype(object).map(str)
    shown: pd.Series = text.where(values.notna(), "").astype(object)
    return shown


#: How many other rows with the same key a duplicate's record names before counting the rest.
OTHER_ROWS_SHOWN = 3


def _duplicate_records(typed: pd.DataFrame, key: list[str], file: str) -> pd.DataFrame:
    """One record per row whose key another row repeats, naming a few of those rows.

    Grouping sorts once (O(n log n)); each record names at most
    ``OTHER_ROWS_SHOWN`` other rows, so 20,000 rows with one key do not make
    20,000 lists of 20,000 row numbers.
    """
    if not key:
        return concat_failures([])
    keys = typed[key]
    repeated = keys.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return concat_failures([])
    duplicates = keys[repeated]
    group = duplicates.groupby(key, sort=False, observed=True, dropna=False).ngroup().to_numpy()
    labels = duplicates.index.to_numpy()
    order = np.argsort(group, kind="stable")
    first = np.searchsorted(group[order], np.arange(group.max() + 1))
    sizes = np.bincount(group)
    # one text per distinct key, not per row
    key_texts = [
        " | ".join(_show(value) for value in values)
        for values in duplicates.iloc[order[first]].itertuples(index=False, name=None)
    ]
    # A row among the first OTHER_ROWS_SHOWN + 1 of its key names the others of those; any
    # later row names the first OTHER_ROWS_SHOWN. So a key has at most that many + 1 texts.
    shown = OTHER_ROWS_SHOWN + 1
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - first[group[order]]
    variant = np.minimum(rank, shown)
    texts = np.empty((len(sizes), shown + 1), dtype=object)
    for number, size in enumerate(sizes):
        members = [str(row) for row in labels[order[first[number] : first[number] + shown]]]
        for position in range(min(size, shown) + (size > shown)):
            others = [row for at, row in enumerate(members) if at != position][:OTHER_ROWS_SHOWN]
            rest = size - 1 - len(others)
            more = f" and {rest:,} more" if rest else ""
            texts[number, position] = (
                f"a unique key; the same key is on row {', '.join(others)}{more}"
            )
    expected = texts[group, variant]
    values = np.array(key_texts, dtype=object)[group]
    return failure_rows(file, labels, ", ".join(key), values, expected)
