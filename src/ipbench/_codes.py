"""Integer codes for text columns, and work done once per distinct value.

Ids (adcode, indicator, source) repeat over millions of rows: read once into
integer codes, they group, join and look up as integers, and anything derived
from them (a name, a flag, a text) is computed for the first row of each code
and spread over the rest.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

#: How the integer codes of a text id column are named in a working frame.
CODE_PREFIX = "_code_"


def with_codes(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Add integer codes of text id columns (adcode, indicator, source), read once.

    Rows selected from the result keep their codes, so later grouping, look-ups
    and joins compare integers instead of hashing the same text again.
    """
    return frame.assign(
        **{
            CODE_PREFIX + column: pd.factorize(frame[column], use_na_sentinel=False)[0]
            for column in columns
        }
    )


def code_of(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return the codes of ``column`` if the frame has them (:func:`with_codes`), else it."""
    coded = CODE_PREFIX + column
    return frame[coded] if coded in frame.columns else frame[column]


def recode(values: pd.Series, codes: pd.Series, frame: pd.DataFrame, column: str) -> pd.Series:
    """Give text ids the codes they have in ``frame[column]`` (-1 for ids not there).

    ``codes`` number ``values`` (equal codes, equal ids): each distinct id is looked up once.
    """
    known = code_of(frame, column)
    first = first_rows(row_codes(known))
    code_of_id = pd.Series(known.iloc[first].to_numpy(), index=frame[column].iloc[first].to_numpy())
    return per_distinct_rows(
        row_codes(codes),
        values.index,
        lambda rows: pd.Series(
            code_of_id.reindex(values.iloc[rows].to_numpy()).fillna(-1).to_numpy(dtype="int64")
        ),
    )


def row_codes(*columns: pd.Series | np.ndarray) -> np.ndarray:
    """One integer per row, equal exactly where the rows agree in every column.

    Missing values count as one value, as in a merge; codes follow the order in
    which each combination first appears.
    """
    key = np.zeros(len(columns[0]) if columns else 0, dtype="int64")
    for column in columns:
        codes, distinct = pd.factorize(_hashable(column), use_na_sentinel=False)
        key, _ = pd.factorize(key * len(distinct) + codes)
    return np.asarray(key, dtype="int64")


def _hashable(column: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
    array = column.to_numpy() if isinstance(column, pd.Series) else column
    if array.dtype == "float64":
        return array.view("int64")  # by bits: -0.0 and 0.0 write differently
    return column


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Position of the first row of each code (codes numbered in order of appearance)."""
    if len(codes) == 0:
        return np.array([], dtype="int64")
    # numbered in order of appearance, a code is new exactly where the running maximum grows
    seen = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.concatenate([[True], seen[1:] > seen[:-1]]))
    if codes[0] == 0 and np.array_equal(codes[first], np.arange(len(first))):
        return np.asarray(first, dtype="int64")
    return np.asarray(np.unique(codes, return_index=True)[1], dtype="int64")


def per_distinct_rows(
    codes: np.ndarray, index: pd.Index, make: Callable[[np.ndarray], pd.Series]
) -> pd.Series:
    """Compute a column on the first row of each code only and spread it over all rows.

    ``make`` receives the positions of those rows and returns one value per
    position, in order; the result has the dtype ``make`` gives.
    """
    spread = make(first_rows(codes)).take(codes)
    spread.index = index
    return spread


def map_distinct(
    values: pd.Series, mapping: pd.Series, codes: pd.Series | None = None
) -> pd.Series:
    """``values.map(mapping)``, looking each distinct value up once.

    ``codes``, when given, are integer codes of ``values`` (:func:`code_of`).
    """
    mapped = per_distinct_rows(
        row_codes(values if codes is None else codes),
        values.index,
        lambda rows: values.iloc[rows].map(mapping),
    )
    mapped.name = values.name
    return mapped


def distinct_mask(
    values: pd.Series, test: Callable[[pd.Series], pd.Series], codes: pd.Series | None = None
) -> np.ndarray:
    """Apply ``test`` to each distinct value (an indicator id, an adcode) once, per row."""
    numbered = row_codes(values if codes is None else codes)
    passed = np.asarray(test(values.iloc[first_rows(numbered)]), dtype="bool")
    return np.asarray(passed[numbered], dtype="bool")


def joint_codes(
    left: pd.DataFrame, right: pd.DataFrame, key: list[str], right_key: list[str] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Give the rows of two frames codes by ``key``, equal for equal rows.

    ``right_key`` names the right frame's columns when they are named otherwise.
    """
    columns = []
    for column, other in zip(key, key if right_key is None else right_key, strict=True):
        # codes compare only with codes of the same frame's with_codes, never with text
        coded = CODE_PREFIX + column in left.columns and CODE_PREFIX + other in right.columns
        pieces = (
            [code_of(left, column), code_of(right, other)]
            if coded
            else [left[column], right[other]]
        )
        columns.append(pd.concat([piece.reset_index(drop=True) for piece in pieces]))
    both = row_codes(*columns)
    return both[: len(left)], both[len(left) :]
