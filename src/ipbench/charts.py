"""Altair charts of ipbench results, for JupyterLab and for print.

Each function takes the DataFrame an analytics function returns and a
``lang`` ("zh" or "en"). Enable the registered theme for print-ready sizes,
the colour-blind-safe palette and a CJK font: ``alt.theme.enable("ipbench")``.
"""

from ipbench._charts import (
    ambition_dumbbell,
    benchmark_bar,
    cagr_scatter,
    enable_offline_rendering,
    heat_table,
    target_comparison,
    time_series,
)

__all__ = [
    "ambition_dumbbell",
    "benchmark_bar",
    "cagr_scatter",
    "enable_offline_rendering",
    "heat_table",
    "target_comparison",
    "time_series",
]
