"""How a derived row says where it came from: its note, its method text, its sources."""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Final

import numpy as np
import pandas as pd

from ipbench._codes import first_rows, per_distinct_rows, row_codes

SEPARATOR = ";"

#: How the ``note`` of a derived row begins, so a derived row is known wherever it
#: goes (even appended to observations, which keep no ``method`` column).
RECONSTRUCTED_NOTE: Final = "reconstructed: "
PER_CAPITA_NOTE: Final = "per capita: "
IMPLIED_COUNT_NOTE: Final = "implied count: "
DERIVED_NOTES: Final = (RECONSTRUCTED_NOTE, PER_CAPITA_NOTE, IMPLIED_COUNT_NOTE)


def is_derived(obs: pd.DataFrame) -> pd.Series:
    """Whether each row was computed by ipbench rather than reported by a source.

    Read from the ``note`` prefix that :func:`ipbench.reconstruct`,
    :func:`ipbench.per_capita` and ``implied_counts`` write (:data:`DERIVED_NOTES`).

    Examples
    --------
    >>> notes = pd.DataFrame({"note": ["reconstructed: 23800 件 / (1 + 32.9%)", "2021", None]})
    >>> is_derived(notes).tolist()
    [True, False, False]
    """
    notes = obs["note"]
    if notes.dtype == "category":
        # once per distinct note: reconstructed rows share a handful of them
        derived = notes.cat.categories.astype("str").str.startswith(DERIVED_NOTES)
        flags = pd.Series(derived, index=notes.cat.categories)
        return notes.map(flags).astype("boolean").fillna(False).astype("bool")
    if notes.dtype != object and not isinstance(notes.dtype, pd.StringDtype):
        return pd.Series(False, index=obs.index)  # an all-missing column read as numbers
    return pd.Series(notes.str.startswith(DERIVED_NOTES, na=False), index=obs.index, dtype="bool")


def merge_sources(*columns: pd.Series, codes: np.ndarray | None = None) -> pd.Series:
    """Join per-row source ids into one sorted, de-duplicated ``a;b`` string.

    Each argument holds one id, or several already joined with ``;``; missing
    entries are skipped. Each distinct combination is joined once (``codes``,
    when given, already number the rows' combinations), so a million rows
    citing a few sources cost a few joins.

    Examples
    --------
    >>> a = pd.Series(["s1", "s1", "s2"])
    >>> b = pd.Series(["s1", "s3;s1", None])
    >>> merge_sources(a, b).tolist()
    ['s1', 's1;s3', 's2']
    """
    index = columns[0].index
    if not all(column.index.equals(index) for column in columns):
        raise ValueError("merge_sources needs columns of one frame (the same index)")
    arrays = [column.to_numpy(dtype="object") for column in columns]

    def join(rows: np.ndarray) -> pd.Series:
        joined = [
            SEPARATOR.join(
                sorted(
                    {
                        part
                        for value in row
                        if isinstance(value, str)
                        for part in value.split(SEPARATOR)
                        if part
                    }
                )
            )
            for row in zip(*(array[rows] for array in arrays), strict=True)
        ]
        return pd.Series(joined, dtype="object")

    merged = per_distinct_rows(row_codes(*columns) if codes is None else codes, index, join)
    return merged.astype("str")


def per_distinct(frame: pd.DataFrame, make: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """Compute text once per distinct row of ``frame`` and spread it over all rows.

    Derived tables repeat a few combinations (of periods, of sources) over
    millions of rows; ``make`` receives the distinct rows only.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="str")
    codes = row_codes(*(frame[column] for column in frame.columns))
    first = first_rows(codes)
    texts = make(frame.iloc[first]).astype("object").to_numpy()
    return pd.Series(texts[codes], index=frame.index).astype("str")


def number_text(values: pd.Series, spec: str = "{:.15g}") -> pd.Series:
    """Write numbers for a ``method`` text, in full, as text even when empty.

    Each distinct number is written once (``spec.format`` of the Python float).

    Examples
    --------
    >>> number_text(pd.Series([20309.0, 27.26, 20309.0])).tolist()
    ['20309', '27.26', '20309']
    """
    if values.dtype != "float64":
        return values.map(spec.format).astype("str")
    array = values.to_numpy()
    codes = row_codes(array)
    written = np.array(list(map(spec.format, array[first_rows(codes)].tolist())), dtype="object")
    return pd.Series(written[codes], index=values.index, name=values.name, dtype="str")


def join_text(*parts: str | pd.Series | np.ndarray) -> np.ndarray:
    """Concatenate text columns (and constants) row by row, as an object array.

    As adding ``str`` Series would, but much cheaper: a row missing any part
    is missing (NaN) in the result.
    """
    columns = [
        part.to_numpy(dtype="object") if isinstance(part, pd.Series) else part for part in parts
    ]
    arrays = [column for column in columns if isinstance(column, np.ndarray)]
    if not arrays:
        return np.array([], dtype="object")
    try:
        return _joined(columns)
    except TypeError:  # a missing part (NaN is no text): blank it, join, mark the row missing
        missing = np.zeros(len(arrays[0]), dtype="bool")
        for array in arrays:
            missing |= pd.isna(array)
        blanked = [
            np.where(missing, "", column) if isinstance(column, np.ndarray) else column
            for column in columns
        ]
        joined = _joined(blanked)
        joined[missing] = np.nan
        return joined


def _joined(columns: list[str | np.ndarray]) -> np.ndarray:
    # constants side by side are one constant
    merged: list[str | np.ndarray] = []
    for column in columns:
        if isinstance(column, str) and merged and isinstance(merged[-1], str):
            merged[-1] += column
        else:
            merged.append(column)
    texts = [column for column in merged if isinstance(column, np.ndarray)]
    if len(texts) == 1:  # one column between constants: no tuple per row
        at = next(i for i, column in enumerate(merged) if isinstance(column, np.ndarray))
        before = "".join(str(column) for column in merged[:at])
        after = "".join(str(column) for column in merged[at + 1 :])
        return np.array([before + text + after for text in texts[0]], dtype="object")
    # a constant repeats as long as the columns run
    parts = [column if isinstance(column, np.ndarray) else repeat(column) for column in merged]
    return np.array(["".join(row) for row in zip(*parts, strict=False)], dtype="object")


def text_series(values: np.ndarray, index: pd.Index) -> pd.Series:
    """Wrap an object array of text (NaN where missing) as a ``str`` column."""
    return pd.Series(values, index=index, dtype="str")
