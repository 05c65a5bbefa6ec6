"""Sphinx configuration: pydata theme, MyST (via myst-nb), numpydoc API reference.

Two pages are generated at every build, never written by hand: the data
dictionary (from the Pandera schemas and the indicator catalog) and the chart
gallery (from the report's SVG figures).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (the page generators live beside this file)

project = "ipbench"
author = "ipbench developers"
copyright = "2026, ipbench developers"

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
]
source_suffix = {".md": "myst-nb", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "jupyter_execute"]
nb_execution_mode = "off"
myst_enable_extensions = ["dollarmath", "colon_fence"]
numpydoc_show_class_members = False
# every parameter of the public API is documented (PR01), none is documented that the
# function does not take (PR02), and each has a type and a description (PR04, PR07)
numpydoc_validation_checks = {"PR01", "PR02", "PR04", "PR07"}
# the public API only: objects of private modules or with private names are not checked
numpydoc_validation_exclude = {r"\._", r"^ipbench\.charts\.ipbench_theme$"}
autodoc_typehints = "none"
html_theme = "pydata_sphinx_theme"
html_title = "ipbench"
html_theme_options = {"navigation_with_keys": False}
html_static_path: list[str] = []
suppress_warnings = ["myst.header"]


def setup(app: object) -> None:
    app.connect("builder-inited", lambda _app: generate.write_all(HERE / "generated"))  # type: ignore[attr-defined]
