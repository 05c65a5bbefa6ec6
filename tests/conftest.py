"""Shared fixtures: the built-in files and broken copies of them."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ipbench._load import data_dir

REPO = Path(__file__).resolve().parents[1]


def seeds_dir() -> Path | None:
    """The source documents: $IPBENCH_SEEDS_DIR, else ../shared/seeds beside the checkout."""
    configured = os.environ.get("IPBENCH_SEEDS_DIR")
    candidate = Path(configured) if configured else REPO.parent / "shared" / "seeds"
    return candidate if candidate.is_dir() else None


@pytest.fixture
def seeds() -> Path:
    folder = seeds_dir()
    if folder is None:
        if os.environ.get("IPBENCH_REQUIRE_SEEDS"):
            pytest.fail("IPBENCH_REQUIRE_SEEDS is set but ../shared/seeds was not found")
        pytest.skip("the source documents (../shared/seeds) are not beside this checkout")
    return folder


def read_rows(name: str) -> list[dict[str, str]]:
    with (data_dir() / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


BrokenCopy = Callable[..., Path]


@pytest.fixture
def broken_observations(tmp_path: Path) -> BrokenCopy:
    """Write observations.csv with some cells changed; rows are numbered as in the file.

    ``broken_observations({3: {"adcode": "x"}})`` changes the cell on line 3
    (line 1 is the header, line 2 the first data row).
    """

    def write(
        changes: dict[int, dict[str, str]],
        *,
        encoding: str = "utf-8",
        name: str = "observations.csv",
        extra_rows: list[dict[str, str]] | None = None,
    ) -> Path:
        rows = read_rows("observations.csv")
        for line, cells in changes.items():
            rows[line - 2].update(cells)
        rows += extra_rows or []
        path = tmp_path / name
        path.write_text(to_csv_text(rows), encoding=encoding)
        return path

    return write
