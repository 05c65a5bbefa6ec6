"""Load the built-in datasets, validated once per session."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ipbench._catalog_checks import ReferenceTables
from ipbench._io import read_text_table

TableName = Literal["regions", "indicators", "sources", "denominators", "plans", "observations"]
TABLES: tuple[TableName, ...] = (
    "regions",
    "indicators",
    "sources",
    "denominators",
    "plans",
    "observations",
)
#: Tables a folder laid out like ``datasets/`` may leave out (a folder without targets
#: needs no plans).
OPTIONAL_TABLES: tuple[TableName, ...] = ("plans",)
#: The columns of the observations contract, in order (``_schemas.ObservationSchema``
#: declares them with their checks; a test holds the two together). Analytics code reads
#: this list, so it runs without importing Pandera.
OBSERVATION_COLUMNS = (
    "adcode",
    "indicator",
    "measure",
    "status",
    "period_start",
    "period_end",
    "value",
    "qualifier",
    "value_high",
    "unit",
    "source",
    "evidence",
    "note",
)
#: A user's own table: a DataFrame, or a CSV or Excel file.
UserTable = pd.DataFrame | str | Path | None
#: The column each reference table is keyed on.
CATALOG_KEYS = {"regions": "adcode", "indicators": "indicator", "sources": "source"}

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Locate the folder holding the built-in CSV files.

    A wheel ships them inside the package (``ipbench/datasets``); a source
    checkout or editable install reads the repository's top-level
    ``datasets/``, the folder data maintainers edit.

    Examples
    --------
    >>> (data_dir() / "observations.csv").is_file()
    True
    """
    for candidate in (_PACKAGE_DIR / "datasets", _PACKAGE_DIR.parents[1] / "datasets"):
        if (candidate / "observations.csv").is_file():
            return candidate
    raise FileNotFoundError(
        "the ipbench datasets are missing: looked in "
        f"{_PACKAGE_DIR / 'datasets'} and {_PACKAGE_DIR.parents[1] / 'datasets'}"
    )


#: Tables whose rows point into the catalog (regions, indicators, sources).
CATALOG_DEPENDENT = ("denominators", "plans", "observations")


def validated_table(frame: pd.DataFrame, table: str, **options: Any) -> pd.DataFrame:
    """Validate ``frame`` as ``table`` (see ``_validate.validate_table``).

    Pandera, and the schemas built on it, load on the first validation, not
    on ``import ipbench``: a notebook that only loads data starts as fast as
    pandas.
    """
    from ipbench._validate import validate_table  # noqa: PLC0415 (lazy on purpose)

    return validate_table(frame, table, **options)


@functools.cache
def _builtin(table: TableName) -> pd.DataFrame:
    path = data_dir() / f"{table}.csv"
    catalog = _builtin_references() if table in CATALOG_DEPENDENT else None
    frame = read_text_table(path)
    typed = validated_table(
        frame, table, file=_display_name(path), catalog=catalog, require_order=True
    )
    return typed.reset_index(drop=True)


def _builtin_references() -> ReferenceTables:
    return ReferenceTables(_builtin("regions"), _builtin("indicators"), _builtin("sources"))


def _display_name(path: Path) -> str:
    return f"datasets/{path.name}" if path.parent == data_dir() else str(path)


def load_regions() -> pd.DataFrame:
    """Load the regions: the five of the built-in data, their provinces and China.

    Examples
    --------
    >>> import ipbench
    >>> ipbench.load_regions().set_index("adcode").loc["320102", "name_en"]
    'Xuanwu'
    """
    return _builtin("regions").copy()


def load_indicators() -> pd.DataFrame:
    """Load the indicator catalog: id, names, aliases, unit, kind, category, polarity.

    Examples
    --------
    >>> import ipbench
    >>> catalog = ipbench.load_indicators().set_index("indicator")
    >>> catalog.loc["invention_patents_in_force_per_10k", ["unit", "denominator"]].tolist()
    ['件/万人', 'resident_population']
    """
    return _builtin("indicators").copy()


def load_sources() -> pd.DataFrame:
    """Load the source documents with publisher, date, document number and text hash.

    Examples
    --------
    >>> import ipbench
    >>> ipbench.load_sources().set_index("source").loc["xuanwu_ip_plan_14fyp", "document_number"]
    '玄政办〔2022〕30号'
    """
    return _builtin("sources").copy()


def load_denominators() -> pd.DataFrame:
    """Load population, GDP and enterprise counts, each with its year and basis.

    Examples
    --------
    >>> import ipbench
    >>> dens = ipbench.load_denominators()
    >>> census = dens[dens["basis"] == "census_2020_11_01"].set_index("adcode")
    >>> int(census.loc["210200", "value"])
    7450785
    """
    return _builtin("denominators").copy()


def load_plans() -> pd.DataFrame:
    """Load the plans the built-in targets belong to: region, window and base date.

    Examples
    --------
    >>> import ipbench
    >>> plans = ipbench.load_plans().set_index("plan")
    >>> xuanwu = plans.loc["xuanwu_ip_14fyp"]
    >>> [xuanwu[column].strftime("%Y-%m-%d") for column in ["period_end", "base_date"]]
    ['2025-12-31', '2020-12-31']
    """
    return _builtin("plans").copy()
