"""The datasets are found from a wheel (shipped inside it) and from a source checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ipbench
from ipbench._load import data_dir

from .conftest import REPO

PACKAGE = Path(ipbench.__file__).resolve().parent
TABLES = ["regions", "indicators", "sources", "denominators", "observations"]


def test_data_dir_matches_the_install_kind() -> None:
    expected = {"wheel": PACKAGE / "datasets", "editable": REPO / "datasets"}
    install = os.environ.get("IPBENCH_EXPECT_INSTALL")
    if install is None:  # a plain pytest run: either layout is right
        assert data_dir() in expected.values()
    else:
        assert data_dir() == expected[install]
        if install == "wheel":
            assert "site-packages" in PACKAGE.parts


def test_shipped_tables_are_the_curated_ones() -> None:
    for table in TABLES:
        shipped = (data_dir() / f"{table}.csv").read_bytes()
        assert shipped == (REPO / "datasets" / f"{table}.csv").read_bytes(), table


def test_console_script_validates_builtin_data() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ipbench._cli", "validate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "all 6 table(s) valid" in result.stdout
