"""Every exception ipbench raises, in one place.

All of them derive from :class:`IpbenchError`, so ``except ipbench.IpbenchError`` catches
anything ipbench refuses; each also derives from the built-in exception a caller would expect
(``ValueError`` for bad values, ``LookupError`` for a missing denominator, ``RuntimeError`` for
a missing font), so code written against those keeps working.
"""

from __future__ import annotations

import pandas as pd

FAILURE_COLUMNS = ["file", "row", "column", "value", "expected"]


class IpbenchError(Exception):
    """Base class of every error ipbench raises on purpose."""


class ValidationError(IpbenchError, ValueError):
    """Input that breaks the data contract.

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


def format_failures(failures: pd.DataFrame) -> str:
    """Render failures as a plain-text table headed by their count."""
    count = len(failures)
    noun = "problem" if count == 1 else "problems"
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        table = failures.to_string(index=False)
    return f"{count} {noun} in the data:\n{table}"


def failure_frame(records: list[dict[str, object]]) -> pd.DataFrame:
    """Build a failures table from records, keeping the column order."""
    return pd.DataFrame.from_records(records, columns=FAILURE_COLUMNS)


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
