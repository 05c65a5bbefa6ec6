"""Run the examples in every docstring of the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import ipbench


def _modules() -> list[str]:
    return ["ipbench"] + [f"ipbench.{info.name}" for info in pkgutil.iter_modules(ipbench.__path__)]


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    module: ModuleType = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_functions_have_examples() -> None:
    missing = [
        name
        for name in ipbench.__all__
        if callable(getattr(ipbench, name))
        and not isinstance(getattr(ipbench, name), type)
        and ">>>" not in (getattr(ipbench, name).__doc__ or "")
    ]
    assert missing == []
