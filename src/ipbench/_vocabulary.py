"""Controlled vocabularies of the data contract.

Every enumerated column of the datasets takes its values from here, so the
schemas, the loaders and the docs agree on one list.
"""

from __future__ import annotations

from typing import Final

MEASURES: Final = (
    "level",
    "yoy_pct",
    "yoy_abs",
    "share_of_parent_pct",
    "multiple_of_parent",
)
STATUSES: Final = ("actual", "target")
QUALIFIERS: Final = ("eq", "gt", "ge", "lt", "approx", "range")
#: Qualifiers that state a level (达, 约); the others state a bound or a range.
LEVEL_QUALIFIERS: Final = ("eq", "approx")
REGION_LEVELS: Final = ("country", "province", "city", "district")
INDICATOR_KINDS: Final = ("stock", "flow", "rate", "share")
CATEGORIES: Final = ("创造", "运用", "保护", "管理", "服务", "人才")
DENOMINATOR_QUANTITIES: Final = ("resident_population", "gdp", "enterprises")
#: Vintages of a denominator: population from the 2020 census or a year-end estimate made
#: before or after the census revision; GDP as first released early the next year (初步核算)
#: or as finally verified (最终核实) a year or more later.
DENOMINATOR_BASES: Final = (
    "census_2020_11_01",
    "year_end_census_revised",
    "year_end_pre_census",
    "gdp_first_release",
    "gdp_final",
)

#: The denominator bases every function uses unless told otherwise, in order of
#: preference: year-end figures revised after the 2020 census, then the census itself
#: (2020-11-01, counted as 2020). Pre-census year-end estimates are a different vintage
#: and are used only when asked for; for GDP the final (verified) figure beats the first
#: release. One home for the rule: per_capita, implied_counts and ambition all read it.
DEFAULT_BASES: Final = {
    "resident_population": ("year_end_census_revised", "census_2020_11_01"),
    "enterprises": ("year_end_census_revised", "census_2020_11_01"),
    "gdp": ("gdp_final", "gdp_first_release"),
}

#: Unit of each denominator quantity, in the canonical form the data stores.
DENOMINATOR_UNITS: Final = {
    "resident_population": "人",
    "gdp": "元",
    "enterprises": "家",
}

#: Counts carry their measure word; money is in 元; rates and shares as written.
COUNT_UNITS: Final = ("件", "家", "个", "人", "人次", "笔", "项", "次", "场", "门")
MONEY_UNITS: Final = ("元",)
RATE_UNITS: Final = ("件/万人", "家/万企", "%")
UNITS: Final = (*COUNT_UNITS, *MONEY_UNITS, *RATE_UNITS)

#: Units that measures other than ``level``/``yoy_abs`` are stored in.
MEASURE_UNITS: Final = {
    "yoy_pct": "%",
    "share_of_parent_pct": "%",
    "multiple_of_parent": "倍",
}
