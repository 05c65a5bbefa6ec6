"""Every exception ipbench raises, in one place.

All of them derive from :class:`IpbenchError`, so ``except ipbench.IpbenchError`` catches
anything ipbench refuses; each also derives from the built-in exception a caller would expect
(``ValueError`` for bad values, ``LookupError`` for a missing denominator, ``RuntimeError`` for
a missing font), so code written against those keeps working.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

FAILURE_COLUMNS = ["file", "row", "column", "value", "expected"]


class IpbenchError(Exception):
    """Base class of every error ipbench raises on purpose."""


class ValidationError(IpbenchError, ValueError):
    """Input that breaks the data contract.

    Parameters
    ----------
    failures : pandas.DataFrame
        The problems found, in the form of the ``failures`` attribute.

    Attributes
    ----------
    failures : pandas.DataFrame
        One row per problem with columns ``file``, ``row``, ``column``,
        ``value`` and ``expected``. ``row`` is the line number in a CSV file
        (the header is line 1), the row number in an Excel sheet, or the index
        label of a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> import ipbench
    >>> bad = ipbench.load_observations().head(1).assign(adcode="32010")
    >>> try:
    ...     ipbench.validate(bad)
    ... except ipbench.ValidationError as error:
    ...     print(error.failures.loc[0, ["column", "value"]].tolist())
    ['adcode', '32010']
    """

    def __init__(self, failures: pd.DataFrame) -> None:
        self.failures = failures.reset_index(drop=True)[FAILURE_COLUMNS]
        super().__init__(format_failures(self.failures))


#: How many problems of one column the message shows; ``failures`` holds them all.
SHOWN_PER_COLUMN = 10


def format_failures(failures: pd.DataFrame, shown_per_column: int = SHOWN_PER_COLUMN) -> str:
    """Render failures as a plain-text table headed by their count.

    At most ``shown_per_column`` problems of each column are shown, then how
    many more each column has, so a million bad cells make a short message.

    Examples
    --------
    >>> bad = failure_frame(
    ...     [{"file": "a.csv", "row": r, "column": "value", "value": "x", "expected": "a number"}
    ...      for r in range(2, 14)]
    ... )
    >>> print(format_failures(bad, shown_per_column=2))
    12 problems in the data:
     file  row column value expected
    a.csv    2  value     x a number
    a.csv    3  value     x a number
    ... and 10 more in column value (ValidationError.failures holds every problem;
    `ipbench validate PATH --errors-out FILE` writes them to a CSV file)
    """
    count = len(failures)
    noun = "problem" if count == 1 else "problems"
    in_column = failures.groupby("column", sort=False, dropna=False).cumcount()
    shown = failures[(in_column < shown_per_column).to_numpy()]
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        table = shown.to_string(index=False)
    message = f"{count:,} {noun} in the data:\n{table}"
    if len(shown) < count:
        hidden = failures["column"].value_counts(sort=False, dropna=False)
        hidden = (hidden - shown["column"].value_counts(sort=False, dropna=False)).fillna(0)
        parts = [f"{int(n):,} more in column {column}" for column, n in hidden.items() if n > 0]
        message += (
            f"\n... and {'; '.join(parts)} (ValidationError.failures holds every problem;\n"
            "`ipbench validate PATH --errors-out FILE` writes them to a CSV file)"
        )
    return message


def failure_frame(records: list[dict[str, object]]) -> pd.DataFrame:
    """Build a failures table from records, keeping the column order."""
    return pd.DataFrame.from_records(records, columns=FAILURE_COLUMNS)


#: Cells of many rows at once: a pandas Series or Index, a NumPy array, or a list.
Cells = pd.Series | pd.Index | np.ndarray | Sequence[object]


def failure_rows(
    file: str, rows: Cells, column: str | Cells, values: Cells, expected: str | Cells
) -> pd.DataFrame:
    """Build a failures table for many rows at once (no Python object per failure).

    ``column`` and ``expected`` are one text for every row, or one per row.
    """
    cells = {"row": rows, "column": column, "value": values, "expected": expected}
    columns: dict[str, object] = {"file": file}
    for name, given in cells.items():
        columns[name] = given if isinstance(given, str) else _objects(given)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(_objects(values))))
    return frame[FAILURE_COLUMNS].astype(object)


def _objects(cells: Cells) -> np.ndarray:
    return np.asarray(pd.Series(cells, dtype=object).to_numpy(), dtype=object)


def concat_failures(chunks: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Stack failure tables; an empty list gives an empty table with the five columns."""
    chunks = [chunk for chunk in chunks if len(chunk)]
    if not chunks:
        return pd.DataFrame(columns=FAILURE_COLUMNS, dtype=object)
    return pd.concat(chunks, ignore_index=True)


class BenchmarkError(IpbenchError, ValueError):
    """A comparison of figures that are not peers."""


class DenominatorError(IpbenchError, LookupError):
    """A denominator that is missing for a region and year."""


class QuantityParseError(IpbenchError, ValueError):
    """Text that does not read as a quantity."""


class FontError(IpbenchError, RuntimeError):
    """No CJK font for static export of Chinese labels."""


class OptionError(IpbenchError, ValueError):
    """An option argument outside the values a function accepts."""


class ExtractError(IpbenchError, ValueError):
    """A document or an argument ``ipbench.extract`` cannot work with."""


# Tracebacks and reprs name the public path (``ipbench.ValidationError``), where users import
# them from, not this private module.
for _public in (
    IpbenchError,
    ValidationError,
    BenchmarkError,
    DenominatorError,
    QuantityParseError,
    FontError,
    OptionError,
    ExtractError,
):
    _public.__module__ = "ipbench"
