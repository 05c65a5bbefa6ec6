"""The catalog: regions, indicators, sources, denominators and plans, as one object.

A catalog is built once, from the built-in tables extended by a user's own,
and travels with every frame ipbench validates (see ``_validated``), so the
next call uses the same catalog without being told again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ipbench._catalog_checks import ReferenceTables
from ipbench._errors import ValidationError, failure_frame
from ipbench._io import read_text_table
from ipbench._load import CATALOG_KEYS, UserTable, _builtin, data_dir, validated_table

ReferenceTable = Literal["regions", "indicators", "sources"]
ExtensionTable = Literal["denominators", "plans"]
#: The tables of a catalog, in the order they are checked (later ones point into earlier ones).
CATALOG_TABLES: tuple[str, ...] = ("regions", "indicators", "sources", "denominators", "plans")


@dataclass(frozen=True, eq=False)
class Catalog:
    """The reference tables observations are checked and analysed against.

    Build one with :meth:`Catalog.builtin`, :meth:`Catalog.extend` or
    :meth:`Catalog.from_folder`; every frame ipbench validates carries the
    catalog it was validated against (``ipbench.catalog_of(frame)``), and
    every analytics function uses it, unless given ``catalog=``.

    Parameters
    ----------
    regions, indicators, sources, denominators, plans : pandas.DataFrame
        The validated tables (build a catalog with the class methods above,
        which validate them).

    Attributes
    ----------
    regions, indicators, sources, denominators, plans : pandas.DataFrame
        The validated tables, built-in rows first.

    Examples
    --------
    >>> import pandas as pd
    >>> import ipbench
    >>> suzhou = pd.DataFrame({"adcode": ["320500"], "name_zh": ["苏州"],
    ...     "name_en": ["Suzhou"], "level": ["city"], "parent_adcode": ["320000"]})
    >>> catalog = ipbench.Catalog.builtin().extend(regions=suzhou)
    >>> catalog.level_of["320500"], len(catalog.regions) - len(ipbench.load_regions())
    ('city', 1)
    """

    regions: pd.DataFrame
    indicators: pd.DataFrame
    sources: pd.DataFrame
    denominators: pd.DataFrame
    plans: pd.DataFrame

    def __deepcopy__(self, memo: dict[int, Any]) -> Catalog:
        # immutable: pandas deep-copies ``DataFrame.attrs`` after most operations, and a
        # frame's catalog must stay the same object (and cost nothing) along a chain
        return self

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(getattr(self, name))}" for name in CATALOG_TABLES)
        return f"Catalog({counts})"

    @classmethod
    def builtin(cls) -> Catalog:
        """Return the catalog of the built-in data (the same object on every call).

        Examples
        --------
        >>> import ipbench
        >>> ipbench.Catalog.builtin() is ipbench.Catalog.builtin()
        True
        """
        return _builtin_catalog()

    @classmethod
    def from_folder(cls, folder: str | Path) -> Catalog:
        """Extend the built-in catalog by the tables of a folder laid out like ``datasets/``.

        Any of ``regions.csv``, ``indicators.csv``, ``sources.csv``,
        ``denominators.csv`` and ``plans.csv`` may be present; each extends
        the built-in table of that name.

        Parameters
        ----------
        folder : str or pathlib.Path
            The folder.

        Returns
        -------
        Catalog
            The extended catalog.

        Raises
        ------
        FileNotFoundError
            When ``folder`` is not a folder.
        ValidationError
            When a table breaks the contract or clashes with a built-in row.

        Examples
        --------
        >>> import ipbench
        >>> from ipbench._load import data_dir
        >>> ipbench.Catalog.from_folder(data_dir()).regions.equals(ipbench.load_regions())
        True
        """
        path = Path(folder)
        if not path.is_dir():
            raise FileNotFoundError(f"{path} is not a folder")
        found = {name: path / f"{name}.csv" for name in CATALOG_TABLES}
        tables: dict[str, Any] = {name: f for name, f in found.items() if f.is_file()}
        return cls.builtin().extend(**tables)

    def extend(
        self,
        *,
        regions: UserTable = None,
        indicators: UserTable = None,
        sources: UserTable = None,
        denominators: UserTable = None,
        plans: UserTable = None,
    ) -> Catalog:
        """Return this catalog with a user's rows added to its tables.

        A row that repeats one of this catalog's rows exactly is taken once;
        a row reusing an id (a region's adcode, an indicator id, a source id,
        a plan id or a denominator key) with different content is an error,
        never a silent replacement.

        Parameters
        ----------
        regions, indicators, sources, denominators, plans : DataFrame or path, optional
            Your rows in the contract of that table (a DataFrame, or a CSV or
            Excel file).

        Returns
        -------
        Catalog
            A new catalog; this one is unchanged.

        Raises
        ------
        ValidationError
            Naming the file (or ``<your regions>`` for a DataFrame), the row,
            the column, the value and what was expected.

        Examples
        --------
        >>> import ipbench
        >>> builtin = ipbench.Catalog.builtin()
        >>> builtin.extend() is builtin
        True
        """
        references = {"regions": regions, "indicators": indicators, "sources": sources}
        extensions = {"denominators": denominators, "plans": plans}
        if all(table is None for table in (*references.values(), *extensions.values())):
            return self
        tables = {name: getattr(self, name) for name in CATALOG_TABLES}
        for name, theirs in references.items():
            if theirs is not None:
                tables[name] = _merged_reference(tables[name], theirs, name)
        # a user's region may have a parent, and an indicator a base, among the built-in rows
        for name in ("regions", "indicators"):
            if references[name] is not None:
                validated_table(tables[name], name, file=f"<built-in and your {name}>")
        checked = ReferenceTables(tables["regions"], tables["indicators"], tables["sources"])
        for name, theirs in extensions.items():
            if theirs is not None:
                tables[name] = _merged_extension(tables[name], theirs, name, checked)
        return Catalog(**tables)

    @cached_property
    def _by_indicator(self) -> pd.DataFrame:
        return self.indicators.set_index("indicator")

    @cached_property
    def unit_of(self) -> pd.Series:
        """Unit of each indicator id."""
        return self._by_indicator["unit"]

    @cached_property
    def kind_of(self) -> pd.Series:
        """Kind (stock, flow, rate, share) of each indicator id."""
        return self._by_indicator["kind"].astype(str)

    @cached_property
    def higher_is_better(self) -> pd.Series:
        """Polarity of each indicator id."""
        return self._by_indicator["higher_is_better"]

    @cached_property
    def parent_of(self) -> pd.Series:
        """Parent adcode of each region."""
        return self.regions.set_index("adcode")["parent_adcode"]

    @cached_property
    def level_of(self) -> pd.Series:
        """Administrative level of each region."""
        return self.regions.set_index("adcode")["level"].astype(str)

    @cached_property
    def published_of(self) -> pd.Series:
        """Publication date of each source."""
        return self.sources.set_index("source")["published"]


@functools.cache
def _builtin_catalog() -> Catalog:
    return Catalog(
        _builtin("regions"),
        _builtin("indicators"),
        _builtin("sources"),
        _builtin("denominators"),
        _builtin("plans"),
    )


def _user_frame(theirs: pd.DataFrame | str | Path, table: str) -> tuple[pd.DataFrame, str]:
    if isinstance(theirs, pd.DataFrame):
        return theirs, f"<your {table}>"
    return read_text_table(theirs), _display_name(Path(theirs))


def _display_name(path: Path) -> str:
    return f"datasets/{path.name}" if path.resolve().parent == data_dir() else str(path)


def _merged_reference(
    ours: pd.DataFrame, theirs: pd.DataFrame | str | Path, table: str
) -> pd.DataFrame:
    """Add a user's regions, indicators or sources; a reused id must repeat the row exactly."""
    frame, file = _user_frame(theirs, table)
    own = validated_table(frame, table, file=file, cross_checks=False)
    key = CATALOG_KEYS[table]
    known = own[key].isin(ours[key])
    if known.any():
        _refuse_changed_rows(ours.set_index(key), own[known], key, table, file)
    return pd.concat([ours, own[~known]], ignore_index=True)


def _refuse_changed_rows(
    ours: pd.DataFrame, clashes: pd.DataFrame, key: str, table: str, file: str
) -> None:
    mine = ours.loc[clashes[key]].reset_index()
    mine.index = clashes.index
    columns = [c for c in ours.columns if c in clashes.columns]
    left, right = mine[columns].astype(object), clashes[columns].astype(object)
    differs = ~((left == right) | (left.isna() & right.isna()))
    records = [
        {
            "file": file,
            "row": row,
            "column": key,
            "value": clashes.at[row, key],
            "expected": f"an id not already in the {table} of the catalog "
            f"(it differs in {', '.join(c for c in columns if differs.at[row, c])})",
        }
        for row in differs.index[differs.any(axis=1)]
    ]
    if records:
        raise ValidationError(failure_frame(records))


def _merged_extension(
    ours: pd.DataFrame,
    theirs: pd.DataFrame | str | Path,
    table: str,
    checked: ReferenceTables,
) -> pd.DataFrame:
    """Add a user's denominators or plans; a clash of keys is reported, never resolved."""
    frame, file = _user_frame(theirs, table)
    own = validated_table(frame, table, file=file, catalog=checked)
    # a row repeated exactly is taken once; the merged table must still have unique keys
    merged = pd.concat([ours, own], ignore_index=True).drop_duplicates(ignore_index=True)
    return validated_table(merged, table, file=f"<built-in and {file}>", catalog=checked)
