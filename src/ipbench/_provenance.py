"""Carry the ids of the sources a derived row came from."""

from __future__ import annotations

import pandas as pd

SEPARATOR = ";"


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
    frame = pd.concat([column.astype("object") for column in columns], axis=1)
    first = frame.iloc[:, 0]
    simple = frame.isna().all(axis=1) | frame.apply(
        lambda column: column.isna() | (column == first)
    ).all(axis=1)
    simple &= ~first.astype("string").str.contains(SEPARATOR, regex=False).fillna(False)
    merged = first.astype("object").copy()
    for row in frame.index[~simple]:
        ids = {
            part
            for value in frame.loc[row]
            if isinstance(value, str)
            for part in value.split(SEPARATOR)
            if part
        }
        merged.loc[row] = SEPARATOR.join(sorted(ids))
    return merged.astype("str")


def number_text(values: pd.Series, spec: str = "{:.15g}") -> pd.Series:
    """Write numbers for a ``method`` text, in full, as text even when empty.

    Examples
    --------
    >>> number_text(pd.Series([20309.0, 27.26])).tolist()
    ['20309', '27.26']
    """
    return values.map(spec.format).astype("str")
