"""ipbench: cross-region benchmarking of intellectual-property indicators.

The built-in data holds every IP figure of five source documents for Nanjing,
its districts Xuanwu, Gulou and Jiangning, Dalian and Nanchang, with China as
context, each row traced to the phrase it was read from and validated by
Pandera schemas.

Examples
--------
>>> import ipbench
>>> obs = ipbench.load_observations()
>>> sorted(obs["adcode"].unique())
['100000', '210200', '320100', '320102', '320106', '320115', '360100']
"""

import importlib

from ipbench._ambition import ambition
from ipbench._benchmark import benchmark
from ipbench._catalog import Catalog
from ipbench._errors import (
    BenchmarkError,
    DenominatorError,
    ExtractError,
    FontError,
    IpbenchError,
    OptionError,
    QuantityParseError,
    ValidationError,
)
from ipbench._growth import cagr, growth, trend
from ipbench._load import (
    load_denominators,
    load_indicators,
    load_plans,
    load_regions,
    load_sources,
)
from ipbench._percapita import (
    implied_counts,
    implied_denominators,
    per_capita,
)
from ipbench._reconstruct import consistency, reconstruct
from ipbench._target_comparison import compare_targets
from ipbench._units import Quantity, format_quantity, parse_quantity
from ipbench._validated import catalog_of, load_observations, read_observations, validate

#: Public names that load on first use: the Pandera schemas (so ``import ipbench``
#: does not import Pandera), the extractor (its patterns compile when first needed), the
#: synthetic panel (for benchmarks) and the charts module (so it does not import Altair).
_LAZY = {
    "extract": "ipbench._extract",
    "Panel": "ipbench._synthetic",
    "synthetic_panel": "ipbench._synthetic",
    "DenominatorSchema": "ipbench._schemas",
    "IndicatorSchema": "ipbench._schemas",
    "ObservationSchema": "ipbench._schemas",
    "PlanSchema": "ipbench._schemas",
    "RegionSchema": "ipbench._schemas",
    "SourceSchema": "ipbench._schemas",
}


def __getattr__(name: str) -> object:
    if name == "__version__":
        return _version()
    if name == "charts":
        return importlib.import_module("ipbench.charts")
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ipbench' has no attribute {name!r}")


def _version() -> str:
    """Read the installed version (``ipbench --version`` prints it) when first asked."""
    import importlib.metadata  # noqa: PLC0415 (costs more than the rest of the import)

    try:
        return importlib.metadata.version("ipbench")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, "charts", "__version__"])


__all__ = [
    "BenchmarkError",
    "Catalog",
    "DenominatorError",
    "DenominatorSchema",
    "ExtractError",
    "FontError",
    "IndicatorSchema",
    "IpbenchError",
    "ObservationSchema",
    "OptionError",
    "Panel",
    "PlanSchema",
    "Quantity",
    "QuantityParseError",
    "RegionSchema",
    "SourceSchema",
    "ValidationError",
    "__version__",
    "ambition",
    "benchmark",
    "cagr",
    "catalog_of",
    "compare_targets",
    "consistency",
    "extract",
    "format_quantity",
    "growth",
    "implied_counts",
    "implied_denominators",
    "load_denominators",
    "load_indicators",
    "load_observations",
    "load_plans",
    "load_regions",
    "load_sources",
    "parse_quantity",
    "per_capita",
    "read_observations",
    "reconstruct",
    "synthetic_panel",
    "trend",
    "validate",
]
