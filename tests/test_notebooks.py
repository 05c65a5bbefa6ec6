"""The tutorial notebooks are in git without outputs (they run in the nox session)."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO

NOTEBOOKS = [
    "01_quickstart",
    "02_per_capita_benchmark",
    "03_target_ambition",
    "04_add_your_own_region",
    "05_adding_figures",
]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_stripped(name: str) -> None:
    notebook = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code
    assert all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)
