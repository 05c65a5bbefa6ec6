"""Carry the ids of the sources a derived row came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pandas as pd

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


def merge_sources(*columns: pd.Series) -> pd.Series:
    """Join per-row source ids into one sorted, de-duplicated ``a;b`` string.

    Each argument holds one id, or several already joined with ``;``; missing
    entries are skipped. The common case, one source for every input, is
    handled without touching rows one by one.

    Examples
    --------
    >>> a = pd.Series(["s1", "s1", "s2"])
    >>> b = pd.Series(["s1", "s3;s1", None])
    >>> merge_sources(a, b).tolist()
    ['s1', 's1;s3', 's2']
    """
    frame = pd.concat([column.astype("object") for column in columns], axis=1, ignore_index=True)

    def join(row: tuple[object, ...]) -> str:
        ids = {
            part
            for value in row
            if isinstance(value, str)
            for part in value.split(SEPARATOR)
            if part
        }
        return SEPARATOR.join(sorted(ids))

    return per_distinct(frame, lambda distinct: distinct.apply(lambda r: join(tuple(r)), axis=1))


def per_distinct(frame: pd.DataFrame, make: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """Compute text once per distinct row of ``frame`` and spread it over all rows.

    Derived tables repeat a few combinations (of periods, of sources) over
    millions of rows; ``make`` receives the distinct rows only.
    """
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="str")
    codes = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup()
    distinct = frame.drop_duplicates()
    texts = make(distinct).astype("object").to_numpy()
    return pd.Series(texts[codes.to_numpy()], index=frame.index).astype("str")


def number_text(values: pd.Series, spec: str = "{:.15g}") -> pd.Series:
    """Write numbers for a ``method`` text, in full, as text even when empty.

    Examples
    --------
    >>> number_text(pd.Series([20309.0, 27.26])).tolist()
    ['20309', '27.26']
    """
    return values.map(spec.format).astype("str")
