"""The tutorials draw their charts offline: in a notebook session and in exported HTML.

Each tutorial is executed and exported (``jupyter nbconvert --execute --to
html``) and the page opened in headless Chromium with no internet: every
chart must draw marks and no script may fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from .conftest import REPO

NOTEBOOKS = [
    "01_quickstart",
    "02_per_capita_benchmark",
    "03_target_ambition",
    "04_add_your_own_region",
]
CHART = re.compile(r'<div class="ipbench-chart" id="(ipbench-chart-[0-9a-f]+)"')


def test_import_ipbench_is_enough() -> None:
    # a fresh interpreter: the theme and the charts need nothing but `import ipbench`
    code = (
        "import altair as alt, ipbench\n"
        "alt.theme.enable('ipbench')\n"
        "chart = ipbench.charts.benchmark_bar(ipbench.benchmark(ipbench.load_observations(),"
        " 'invention_patents_in_force_per_10k', year=2021), lang='en')\n"
        "print(alt.renderers.active, sorted(chart._repr_mimebundle_()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["ipbench", "['text/html',", "'text/plain']"]


def test_chart_output_carries_its_javascript() -> None:
    import ipbench.charts  # noqa: F401, PLC0415 (importing enables the renderer)

    chart = alt.Chart(pd.DataFrame({"x": ["</script><!--"]})).mark_point().encode(x="x:N")
    bundle = chart._repr_mimebundle_()
    page = bundle["text/html"]
    assert "window.vegaEmbed=" in page  # the inlined JavaScript: no CDN
    assert not re.search(r"<script[^>]+src=", page)
    assert page.count("</script>") == 1  # the data cannot end the script early
    assert "</script><!--" not in page


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("IPBENCH_REQUIRE_BROWSER"):
        pytest.fail("IPBENCH_REQUIRE_BROWSER is set but no Chromium was found")
    pytest.skip("no Chromium installed (apt-get install chromium)")
    raise AssertionError  # pragma: no cover - skip raises


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Execute a tutorial and export it to HTML, as a user would (once per tutorial)."""
    folder = tmp_path_factory.mktemp("notebooks")
    pages: dict[str, Path] = {}

    def export(name: str) -> Path:
        if name not in pages:
            result = subprocess.run(
                [
                    sys.executable, "-m", "nbconvert", "--to", "html", "--execute",
                    "--ExecutePreprocessor.timeout=600", "--output-dir", str(folder),
                    str(REPO / "notebooks" / f"{name}.ipynb"),
                ],
                capture_output=True, text=True, check=False, timeout=900,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-4000:]
            pages[name] = folder / f"{name}.html"
        return pages[name]

    return export


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_exported_tutorial_draws_every_chart_offline(
    exported: Callable[[str], Path], name: str, tmp_path: Path
) -> None:
    page = exported(name)
    charts = CHART.findall(page.read_text(encoding="utf-8"))
    assert charts, f"{name} draws no chart"
    result = subprocess.run(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=30000", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    dom = result.stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None, result.stderr[-2000:]
    assert f'data-ipbench-rendered="{len(charts)}"' in body.group(1)
    assert "data-ipbench-errors" not in body.group(1)
    for chart in charts:
        drawn = re.search(
            rf'<div class="ipbench-chart[^"]*" id="{chart}"(.*?)</div>\s*<script', dom, re.S
        )
        assert drawn is not None, chart
        assert "<svg" in drawn.group(1), chart
        assert 'class="mark-' in drawn.group(1), chart


def test_own_region_tutorial_draws_the_new_region(exported: Callable[[str], Path]) -> None:
    page = exported("04_add_your_own_region").read_text(encoding="utf-8")
    specs = re.findall(r"window\.vegaEmbed\(div, (\{.*?\}), \{renderer", page)
    assert specs
    names = {
        row.get("name_en")
        for spec in map(json.loads, specs)
        for dataset in spec.get("datasets", {}).values()
        for row in dataset
    }
    # Suzhou (320500) is drawn among the cities of 2021
    assert {"Suzhou", "Nanjing", "Dalian", "Nanchang"} <= names
