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

from ipbench._ambition import ambition
from ipbench._benchmark import benchmark
from ipbench._errors import (
    BenchmarkError,
    DenominatorError,
    FontError,
    IpbenchError,
    OptionError,
    QuantityParseError,
    ValidationError,
)
from ipbench._extract import extract
from ipbench._growth import cagr, growth, trend
from ipbench._load import (
    load_denominators,
    load_indicators,
    load_observations,
    load_plans,
    load_regions,
    load_sources,
    read_observations,
    validate,
)
from ipbench._percapita import (
    implied_counts,
    implied_denominators,
    per_capita,
)
from ipbench._reconstruct import consistency, reconstruct
from ipbench._schemas import (
    DenominatorSchema,
    IndicatorSchema,
    ObservationSchema,
    PlanSchema,
    RegionSchema,
    SourceSchema,
)
from ipbench._synthetic import Panel, synthetic_panel
from ipbench._target_comparison import compare_targets
from ipbench._units import Quantity, format_quantity, parse_quantity

__all__ = [
    "BenchmarkError",
    "DenominatorError",
    "DenominatorSchema",
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
    "ambition",
    "benchmark",
    "cagr",
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
