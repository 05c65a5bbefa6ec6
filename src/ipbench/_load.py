"""Load the built-in datasets and users' own tables, always validated."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import pandas as pd

from ipbench._catalog_checks import Catalog
from ipbench._errors import ValidationError, failure_frame
from ipbench._io import read_text_table
from ipbench._validate import CATALOG_DEPENDENT, validate_table

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


@functools.cache
def _builtin(table: TableName) -> pd.DataFrame:
    path = data_dir() / f"{table}.csv"
    catalog = _builtin_catalog() if table in CATALOG_DEPENDENT else None
    frame = read_text_table(path)
    typed = validate_table(
        frame, table, file=_display_name(path), catalog=catalog, require_order=True
    )
    return typed.reset_index(drop=True)


def _builtin_catalog() -> Catalog:
    return Catalog(_builtin("regions"), _builtin("indicators"), _builtin("sources"))


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
    >>> plans.loc["xuanwu_ip_14fyp", ["period_end", "base_date"]].astype(str).tolist()
    ['2025-12-31', '2020-12-31']
    """
    return _builtin("plans").copy()


def load_observations() -> pd.DataFrame:
    """Load every indicator figure of the built-in sources, one observation a row.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> row = obs[(obs["adcode"] == "320100") & (obs["indicator"] == "ip_pledge_financing")]
    >>> row[["value", "unit", "evidence"]].to_numpy().tolist()
    [[4310000000.0, '元', '知识产权质押融资总额43.1亿元']]
    """
    return _builtin("observations").copy()


UserTable = pd.DataFrame | str | Path | None


def catalog_with(
    regions: UserTable = None, indicators: UserTable = None, sources: UserTable = None
) -> Catalog:
    """Extend the built-in catalog by a user's own regions, indicators and sources.

    A user's row that repeats a built-in row exactly is accepted once; a row
    that reuses a built-in id with different content is an error.
    """
    extended = {}
    requested: tuple[tuple[TableName, UserTable], ...] = (
        ("regions", regions),
        ("indicators", indicators),
        ("sources", sources),
    )
    for table, extra in requested:
        builtin = _builtin(table)
        if extra is None:
            extended[table] = builtin
            continue
        theirs = _read_user_table(extra, table)
        extended[table] = _merge_catalog(builtin, theirs, table)
    merged = Catalog(extended["regions"], extended["indicators"], extended["sources"])
    # parents and base indicators may point into the other part of the merged table
    validate_table(merged.regions, "regions", file="<regions with yours>")
    validate_table(merged.indicators, "indicators", file="<indicators with yours>")
    return merged


def _read_user_table(extra: pd.DataFrame | str | Path, table: TableName) -> pd.DataFrame:
    if isinstance(extra, pd.DataFrame):
        frame, file = extra, f"<your {table}>"
    else:
        frame, file = read_text_table(extra), str(extra)
    return validate_table(frame, table, file=file, cross_checks=False)


def _merge_catalog(builtin: pd.DataFrame, theirs: pd.DataFrame, table: str) -> pd.DataFrame:
    key = CATALOG_KEYS[table]
    clashes = theirs[theirs[key].isin(set(builtin[key]))]
    records = []
    mine = builtin.set_index(key)
    for row, clash in clashes.iterrows():
        ours = mine.loc[clash[key]]
        differs = [c for c in ours.index if not _same(ours[c], clash[c])]
        if differs:
            records.append(
                {
                    "file": f"<your {table}>",
                    "row": row,
                    "column": key,
                    "value": clash[key],
                    "expected": f"an id not already in the built-in {table} "
                    f"(it differs in {', '.join(differs)})",
                }
            )
    if records:
        raise ValidationError(failure_frame(records))
    new = theirs[~theirs[key].isin(set(builtin[key]))]
    return pd.concat([builtin, new], ignore_index=True)


def _same(a: object, b: object) -> bool:
    missing = pd.Series([a, b], dtype=object).isna()
    return bool(missing.all()) if missing.any() else bool(a == b)


def validate(
    observations: pd.DataFrame,
    *,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
) -> pd.DataFrame:
    """Validate a DataFrame of observations against the (extended) catalog.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns of the observations contract; cells may be text or typed.
    regions, indicators, sources : DataFrame or path, optional
        Your own rows in the same contract, added to the built-in catalog for
        this call.

    Returns
    -------
    pandas.DataFrame
        The observations with contract dtypes (dates, categoricals, floats).

    Raises
    ------
    ValidationError
        Naming every failing row (by index label), column, value and expectation.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> ipbench.validate(obs.astype(str).replace({"nan": "", "NaT": ""})).equals(obs)
    True
    """
    catalog = catalog_with(regions, indicators, sources)
    return validate_table(observations, "observations", catalog=catalog)


def read_observations(
    path: str | Path,
    *,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read and validate a CSV (UTF-8, UTF-8 with BOM, GB18030) or Excel file of observations.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` or ``.xlsx`` file in the observations contract.
    regions, indicators, sources : DataFrame or path, optional
        Your own rows in the same contract, added to the built-in catalog for
        this call, for regions, indicators or sources the catalog lacks.
    encoding : str, optional
        The text encoding of a CSV file; detected when not given.

    Raises
    ------
    ValidationError
        Naming the file, the row number as a spreadsheet shows it, the column,
        the value and what was expected.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench._load import data_dir
    >>> len(ipbench.read_observations(data_dir() / "observations.csv")) > 100
    True
    """
    catalog = catalog_with(regions, indicators, sources)
    frame = read_text_table(path, encoding)
    typed = validate_table(frame, "observations", file=str(path), catalog=catalog)
    return typed.reset_index(drop=True)
