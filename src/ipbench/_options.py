"""Check option arguments at run time, with one message style for every function."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from ipbench._errors import OptionError

T = TypeVar("T")


def check_option(name: str, value: T, allowed: Iterable[object]) -> T:
    """Return ``value`` when it is one of ``allowed``; otherwise raise :class:`OptionError`.

    Type hints say which values an option takes, but nothing checks them at run
    time: a misspelt option would otherwise fall through to a default branch or
    a bare ``KeyError`` deep inside pandas.

    Parameters
    ----------
    name : str
        The argument's name, as the caller wrote it.
    value : object
        The value passed.
    allowed : iterable
        The values accepted, in the order the message lists them.

    Returns
    -------
    object
        ``value`` itself, so a call can be used inline.

    Raises
    ------
    OptionError
        A ``ValueError`` saying ``"`lang` must be one of 'zh', 'en'; got 'fr'"``.

    Examples
    --------
    >>> check_option("lang", "en", ("zh", "en"))
    'en'
    >>> check_option("lang", "fr", ("zh", "en"))
    Traceback (most recent call last):
    ...
    ipbench.OptionError: `lang` must be one of 'zh', 'en'; got 'fr'
    """
    choices = list(allowed)
    if any(_same(value, choice) for choice in choices):
        return value
    listed = ", ".join(repr(choice) for choice in choices)
    raise OptionError(f"`{name}` must be one of {listed}; got {value!r}")


def _same(value: object, choice: object) -> bool:
    """Compare without hashing (a list is refused, not a TypeError); True is not 1."""
    if isinstance(value, bool) != isinstance(choice, bool):
        return False
    try:
        return bool(value == choice)
    except (TypeError, ValueError):  # an array compares element-wise
        return False
