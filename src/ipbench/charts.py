"""Altair charts of ipbench results, for JupyterLab and for print.

Each function takes the DataFrame an analytics function returns and a
``lang`` ("zh" or "en"). Enable the registered theme for print-ready sizes,
the colour-blind-safe palette and a CJK font: ``alt.theme.enable("ipbench")``
(registered through Altair's theme entry point, so it works after ``import
ipbench`` or even without it).

Charts display with no internet: importing this module enables the
``"ipbench"`` renderer (unless you chose another), whose outputs carry the
Vega JavaScript, in JupyterLab and in notebooks exported to HTML alike;
:func:`enable_offline_rendering` enables it explicitly.
"""

from ipbench._charts import (
    ambition_dumbbell,
    benchmark_bar,
    cagr_scatter,
    heat_table,
    target_comparison,
    target_trajectories,
    time_series,
)
from ipbench._embed import enable_offline_rendering, offline_by_default

__all__ = [
    "ambition_dumbbell",
    "benchmark_bar",
    "cagr_scatter",
    "enable_offline_rendering",
    "heat_table",
    "target_comparison",
    "target_trajectories",
    "time_series",
]

offline_by_default()
