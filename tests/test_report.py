"""The report command: stable files, reproducible bytes, offline HTML that renders."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import ipbench
from ipbench import _report
from ipbench._cli import main
from ipbench._fonts import FontError, find_cjk_font

FIGURES = [
    "benchmark_invention_patents_per_10k",
    "ambition_100000",
    "trajectories_100000",
    "ambition_320102",
    "trajectories_320102",
    "time_series_invention_patents_per_10k",
    "target_comparison_district",
    "heat_table_cities",
]
TABLES = [
    "benchmark_invention_patents_per_10k", "ambition", "reconstructed", "growth", "consistency",
    "implied_denominators", "target_comparison_district", "scores_cities", "observations",
]  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if find_cjk_font() is None and not os.environ.get("IPBENCH_REQUIRE_CJK_FONT"):
        formats = ("html", "svg")  # PNG/PDF in Chinese need a CJK font; tested below
    else:
        formats = _report.FORMATS
    folder = tmp_path_factory.mktemp("report")
    lines: list[str] = []
    _report.build_report(folder, formats=formats, progress=lines.append)
    (folder / "progress.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_stable_names(report_dir: Path) -> None:
    figures = sorted(p.stem for p in (report_dir / "figures").glob("*.svg"))
    assert figures == sorted(FIGURES)
    assert sorted(p.stem for p in (report_dir / "tables").glob("*.csv")) == sorted(TABLES)
    assert (report_dir / "index.html").is_file()


def test_progress_line_per_figure(report_dir: Path) -> None:
    lines = (report_dir / "progress.txt").read_text(encoding="utf-8").splitlines()
    for number, name in enumerate(FIGURES, start=1):
        assert any(line.startswith(f"[{number}/{len(FIGURES)}] figures/{name}") for line in lines)


def test_same_input_gives_the_same_files(report_dir: Path, tmp_path: Path) -> None:
    formats = sorted({p.suffix[1:] for p in (report_dir / "figures").iterdir()} | {"html"})
    _report.build_report(tmp_path, formats=formats, progress=lambda _: None)
    first = {k: v for k, v in _files(report_dir).items() if k != "progress.txt"}
    assert _files(tmp_path) == first


def test_html_is_self_contained(report_dir: Path) -> None:
    page = (report_dir / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", page)
    assert "<link" not in page
    assert "cdn.jsdelivr" not in page
    assert "unpkg.com" not in page
    assert page.count('class="chart"') == len(FIGURES)
    # the sources section names each document with its number
    assert "玄政办〔2022〕30号" in page
    assert "鼓政〔2022〕132号" in page


def test_tables_open_in_excel_and_round_trip(report_dir: Path) -> None:
    raw = (report_dir / "tables" / "ambition.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Excel
    ambition = pd.read_csv(report_dir / "tables" / "ambition.csv", encoding="utf-8-sig")
    targets = ipbench.load_observations().query("status == 'target' and measure == 'level'")
    assert len(ambition) == len(targets)
    xuanwu = ambition[
        (ambition["adcode"] == 320102) & (ambition["indicator"] == "invention_patents_in_force")
    ]
    assert xuanwu["required_cagr"].round(6).tolist() == [0.075964]


def test_missing_cjk_font_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_report, "find_cjk_font", lambda: None)
    monkeypatch.setattr("ipbench._fonts.find_cjk_font", lambda: None)
    with pytest.raises(FontError, match="apt-get install fonts-noto-cjk"):
        _report.build_report(tmp_path, formats=("png",), progress=lambda _: None)
    lines: list[str] = []
    _report.build_report(tmp_path, formats=("svg",), fallback_en=True, progress=lines.append)
    svg = (tmp_path / "figures" / "benchmark_invention_patents_per_10k.svg").read_text(
        encoding="utf-8"
    )
    assert ">南京市<" in svg  # SVG alone needs no font here: labels stay Chinese


def test_fallback_to_english_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_report, "find_cjk_font", lambda: None)
    lines: list[str] = []
    _report.build_report(tmp_path, formats=("svg", "png"), fallback_en=True, progress=lines.append)
    assert any("drawn in English" in line for line in lines)
    svg = (tmp_path / "figures" / "benchmark_invention_patents_per_10k.svg").read_text(
        encoding="utf-8"
    )
    assert ">Nanjing<" in svg
    assert ">南京市<" not in svg


def test_cli_report_with_user_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = tmp_path / "mine.csv"
    obs = ipbench.load_observations()
    obs[obs["adcode"] != "320106"].to_csv(mine, index=False)
    assert (
        main(
            [
                "report",
                "--out",
                str(tmp_path / "out"),
                "--lang",
                "en",
                "--formats",
                "html,svg",
                "--data",
                str(mine),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "skipped: target comparison" in out  # Gulou left out: nothing to compare Xuanwu with
    assert not (tmp_path / "out" / "figures" / "target_comparison_district.svg").exists()
    assert (tmp_path / "out" / "figures" / "ambition_320102.svg").exists()


def test_cli_report_rejects_bad_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    ipbench.load_observations().assign(unit="件").to_csv(bad, index=False)
    assert main(["report", "--out", str(tmp_path / "out"), "--data", str(bad)]) == 1
    assert "problems in the data" in capsys.readouterr().err


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("IPBENCH_REQUIRE_BROWSER"):
        pytest.fail("IPBENCH_REQUIRE_BROWSER is set but no Chromium was found")
    pytest.skip("no Chromium installed (apt-get install chromium)")
    raise AssertionError  # pragma: no cover - skip raises


def test_every_chart_renders_in_a_real_browser(report_dir: Path, tmp_path: Path) -> None:
    browser = _chromium()
    result = subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=30000", "--dump-dom", (report_dir / "index.html").as_uri(),
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    dom = result.stdout
    body = re.search(r"<body( data-[^>]*)>", dom)
    assert body is not None, result.stderr[-2000:]
    assert f'data-rendered="{len(FIGURES)}"' in body.group(1)
    assert 'data-errors=""' in body.group(1)
    for name in FIGURES:
        container = re.search(
            rf'<div class="chart[^"]*" id="chart-{name}"(.*?)</figure>', dom, re.S
        )
        assert container is not None, name
        assert "<svg" in container.group(1), name
        assert 'class="mark-' in container.group(1), name
