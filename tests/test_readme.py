"""The README's examples print what the README says they print."""

from __future__ import annotations

import doctest

from .conftest import REPO


def test_readme_examples() -> None:
    result = doctest.testfile(
        str(REPO / "README.md"),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.attempted >= 8
    assert result.failed == 0
