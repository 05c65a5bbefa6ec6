"""Frames validated once: the stamp a validated frame carries, and the gate analytics pass.

``validate``, ``read_observations`` and ``load_observations`` stamp the frame
they return with the catalog it was validated against (in
``DataFrame.attrs``, which pandas carries through filtering, ``assign`` and
``.pipe``). An analytics function takes a stamped frame as it is; anything
else (a frame built by hand, rows added after validation, a changed dtype)
is validated again, against the frame's own catalog unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ipbench._catalog import Catalog
from ipbench._io import read_text_table
from ipbench._load import UserTable, _builtin, validated_table

#: The key of the stamp in ``DataFrame.attrs``.
STAMP_KEY = "ipbench"
#: What a stamped frame holds: observations as validated, observations derived from them
#: (``per_capita``, ``implied_counts``, ``reconstruct``: fit to benchmark), or another
#: result (which carries its catalog, but is no input to analytics).
FrameKind = Literal["observations", "derived", "result"]


@dataclass(frozen=True, eq=False)
class _Stamp:
    """What a frame looked like when ipbench validated it, and against which catalog."""

    catalog: Catalog
    kind: FrameKind
    index: pd.Index
    dtypes: tuple[tuple[str, str], ...]

    def __deepcopy__(self, memo: dict[int, Any]) -> _Stamp:
        return self  # immutable; pandas deep-copies attrs after most operations

    def holds_for(self, frame: pd.DataFrame) -> bool:
        """Whether ``frame`` is still (a subset of the rows of) the frame validated.

        Cheap by design: the columns and dtypes must be those validated, and
        the rows a subset of the rows validated. A cell edited in place is not
        detected; validate again after editing.
        """
        if _dtypes(frame) != self.dtypes:
            return False
        if frame.index is self.index or frame.index.equals(self.index):
            return True
        return bool(frame.index.is_unique and frame.index.isin(self.index).all())


def _dtypes(frame: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    return tuple((str(column), str(dtype)) for column, dtype in frame.dtypes.items())


def stamp(frame: pd.DataFrame, catalog: Catalog, kind: FrameKind = "observations") -> pd.DataFrame:
    """Mark ``frame`` (in place, and return it) as checked against ``catalog``."""
    frame.attrs[STAMP_KEY] = _Stamp(catalog, kind, frame.index, _dtypes(frame))
    return frame


def catalog_of(frame: pd.DataFrame) -> Catalog | None:
    """Return the catalog a frame was validated against, or None.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame returned by ``validate``, ``read_observations``,
        ``load_observations`` or an analytics function (or a subset of one).

    Returns
    -------
    Catalog or None
        None when ipbench did not validate the frame.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> ipbench.catalog_of(obs[obs["status"] == "target"]) is ipbench.Catalog.builtin()
    True
    """
    found = frame.attrs.get(STAMP_KEY)
    return found.catalog if isinstance(found, _Stamp) else None


def catalog_for(
    frame: pd.DataFrame | None,
    catalog: Catalog | None = None,
    **tables: UserTable,
) -> Catalog:
    """Choose the catalog a call works with.

    An explicit ``catalog`` wins; otherwise the frame's own catalog, else the
    built-in one; a user's tables given to the call extend it.
    """
    if catalog is not None and not isinstance(catalog, Catalog):
        raise TypeError(f"`catalog` must be an ipbench.Catalog; got {type(catalog).__name__}")
    carried = None if frame is None else catalog_of(frame)
    base = catalog or carried or Catalog.builtin()
    return base.extend(**tables)


def validated(
    frame: pd.DataFrame,
    catalog: Catalog | None = None,
    *,
    file: str = "<DataFrame>",
    again: bool = False,
    **tables: UserTable,
) -> tuple[pd.DataFrame, Catalog]:
    """Return ``frame`` validated against its catalog, and that catalog.

    A frame stamped with the same catalog, whose rows and dtypes are still
    those validated, is returned as it is (unless ``again``): analytics
    functions never validate a frame twice.
    """
    chosen = catalog_for(frame, catalog, **tables)
    if not again and is_current(frame, chosen):
        return frame, chosen
    typed = validated_table(frame, "observations", file=file, catalog=chosen)
    return stamp(typed, chosen), chosen


def is_current(
    frame: pd.DataFrame, catalog: Catalog, kinds: tuple[FrameKind, ...] = ("observations",)
) -> bool:
    """Whether ipbench checked ``frame`` (or the frame it is a subset of) against ``catalog``."""
    found = frame.attrs.get(STAMP_KEY)
    return (
        isinstance(found, _Stamp)
        and found.catalog is catalog
        and found.kind in kinds
        and found.holds_for(frame)
    )


def checked_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """Check derived observations ipbench did not stamp (rows a user put together)."""
    from ipbench._schemas import DerivedObservationSchema  # noqa: PLC0415 (Pandera is lazy)

    return DerivedObservationSchema.validate(frame)


def validate(
    observations: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
    denominators: UserTable = None,
    plans: UserTable = None,
) -> pd.DataFrame:
    """Validate a DataFrame of observations against a catalog.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns of the observations contract; cells may be text or typed.
    catalog : Catalog, optional
        The catalog to check against; by default the frame's own (if ipbench
        validated it before) or the built-in one.
    regions, indicators, sources, denominators, plans : DataFrame or path, optional
        Your own rows in the same contract, added to the catalog.

    Returns
    -------
    pandas.DataFrame
        The observations with contract dtypes (dates, categoricals, floats),
        carrying the catalog: later calls use it without being told again,
        and do not validate the frame (or a subset of its rows) again. After
        editing cells in place, call ``validate`` again.

    Raises
    ------
    ValidationError
        Naming every failing row (by index label), column, value and expectation.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> text = obs.astype(str).replace({"nan": "", "NaT": ""})
    >>> ipbench.validate(text).equals(obs)
    True
    """
    # asked to validate, it does, stamp or not: a cell edited in place is caught here
    checked, _ = validated(
        observations,
        catalog,
        again=True,
        regions=regions,
        indicators=indicators,
        sources=sources,
        denominators=denominators,
        plans=plans,
    )
    return checked


def read_observations(
    path: str | Path,
    *,
    catalog: Catalog | None = None,
    regions: UserTable = None,
    indicators: UserTable = None,
    sources: UserTable = None,
    denominators: UserTable = None,
    plans: UserTable = None,
    encoding: str | None = None,
) -> pd.DataFrame:
    """Read and validate a CSV (UTF-8, or the encoding you name) or Excel file of observations.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.csv`` or ``.xlsx`` file in the observations contract.
    catalog : Catalog, optional
        The catalog to check against; the built-in one by default.
    regions, indicators, sources, denominators, plans : DataFrame or path, optional
        Your own rows in the same contract, added to the catalog, for
        regions, indicators, sources, populations or plans it lacks.
    encoding : str, optional
        The text encoding of a CSV file (e.g. "gb18030"); UTF-8, with or without
        a byte-order mark, when not given.

    Returns
    -------
    pandas.DataFrame
        The observations with contract dtypes, carrying the catalog: later
        calls (``ambition``, ``benchmark``, ...) use your regions, sources,
        denominators and plans without being told again.

    Raises
    ------
    ValidationError
        Naming the file, the row number as a spreadsheet shows it, the column,
        the value and what was expected.

    Examples
    --------
    >>> import ipbench
    >>> from ipbench._load import data_dir
    >>> obs = ipbench.read_observations(data_dir() / "observations.csv")
    >>> ipbench.catalog_of(obs) is ipbench.Catalog.builtin()
    True
    """
    chosen = catalog_for(
        None,
        catalog,
        regions=regions,
        indicators=indicators,
        sources=sources,
        denominators=denominators,
        plans=plans,
    )
    frame = read_text_table(path, encoding)
    typed, _ = validated(frame, chosen, file=str(path))
    return stamp(typed.reset_index(drop=True), chosen)


def load_observations() -> pd.DataFrame:
    """Load every indicator figure of the built-in sources, one observation a row.

    Returns
    -------
    pandas.DataFrame
        The observations, carrying the built-in catalog.

    Examples
    --------
    >>> import ipbench
    >>> obs = ipbench.load_observations()
    >>> row = obs[(obs["adcode"] == "320100") & (obs["indicator"] == "ip_pledge_financing")]
    >>> row[["value", "unit", "evidence"]].to_numpy().tolist()
    [[4310000000.0, '元', '知识产权质押融资总额43.1亿元']]
    """
    return stamp(_builtin("observations").copy(), Catalog.builtin())
