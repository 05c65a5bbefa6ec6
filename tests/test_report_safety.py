"""The report is safe to open and to write: formula cells, hostile text, the output folder.

Also the exports people use (CSV with BOM, one Excel workbook, a PDF of the
figures) and a user's own region reported from a folder (docs/examples/suzhou).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ipbench
from ipbench import _report
from ipbench._cli import main
from ipbench._embed import script_json
from ipbench._errors import OptionError
from ipbench._labels import column_label

from .conftest import REPO

SUZHOU = REPO / "docs" / "examples" / "suzhou"
#: Evidence a spreadsheet would run as a formula (a tab or CR first: see the unit test below).
HOSTILE = ['=HYPERLINK("http://x","x")', "+1+1", "-2+3", "@SUM(A1)"]


def _quiet(_: str) -> None:
    pass


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("IPBENCH_REQUIRE_BROWSER"):
        pytest.fail("IPBENCH_REQUIRE_BROWSER is set but no Chromium was found")
    pytest.skip("no Chromium installed (apt-get install chromium)")
    raise AssertionError  # pragma: no cover - skip raises


def _body_in_browser(page: Path, profile: Path) -> str:
    """Open ``page`` offline in headless Chromium; return the attributes of <body> after scripts."""
    result = subprocess.run(
        [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=30000",
            "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    body = re.search(r"<body( data-[^>]*)>", result.stdout)
    assert body is not None, result.stderr[-2000:]
    return body.group(1)


def _with_evidence(tmp_path: Path, texts: list[str]) -> Path:
    """The built-in observations with ``texts`` as the evidence of the first rows, as a CSV."""
    obs = ipbench.load_observations()
    for row, text in enumerate(texts):
        obs.loc[row, "evidence"] = text
    path = tmp_path / "observations.csv"
    obs.to_csv(path, index=False, encoding="utf-8")
    return path


# --- formula cells -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    data = _with_evidence(folder, HOSTILE)
    _report.build_report(folder / "out", lang="en", formats=["html"], data=data, progress=_quiet)
    return folder / "out"


def test_formula_cells_are_text_in_csv(hostile_report: Path) -> None:
    csv = (hostile_report / "tables" / "observations.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel and WPS
    table = pd.read_csv(
        hostile_report / "tables" / "observations.csv", encoding="utf-8-sig", dtype=str
    )
    evidence = table["evidence"].tolist()
    for text in HOSTILE:
        assert "'" + text in evidence  # shown as text, the leading quote makes it so
        assert text not in evidence


def test_negative_numbers_stay_numbers(hostile_report: Path) -> None:
    # the cities of 2021: mean (95.42 + 27.26 + 16.0) / 3 = 46.23, so Dalian (27.26) and
    # Nanchang (16.0) have a negative z-score: numbers, never a quoted text
    bench = pd.read_csv(
        hostile_report / "tables" / "benchmark_invention_patents_per_10k.csv",
        encoding="utf-8-sig",
        dtype={"adcode": str},
    )
    assert pd.api.types.is_float_dtype(bench["zscore"])
    negative = bench[bench["zscore"] < 0]
    assert sorted(negative["adcode"]) == ["210200", "360100"]
    sheet = openpyxl.load_workbook(hostile_report / "tables.xlsx", read_only=True)
    rows = list(sheet["benchmark_invention_patents_per"].iter_rows(values_only=True))
    column = rows[0].index(column_label("zscore", "en"))  # the sheet's headers are labelled
    cells = [row[column] for row in rows[1:]]
    assert sorted(c for c in cells if isinstance(c, float) and c < 0) == pytest.approx(
        sorted(negative["zscore"])
    )
    assert not any(isinstance(c, str) for c in cells)


def test_formula_cells_are_text_in_excel(hostile_report: Path) -> None:
    book = openpyxl.load_workbook(hostile_report / "tables.xlsx")
    sheet = book["observations"]
    header = [cell.value for cell in sheet[1]]
    column = header.index(column_label("evidence", "en")) + 1
    cells = [sheet.cell(row=row, column=column) for row in range(2, 2 + len(HOSTILE))]
    assert [cell.value for cell in cells] == ["'" + text for text in HOSTILE]
    assert all(cell.data_type == "s" for cell in cells)  # text, not a formula ("f")


def test_tab_and_carriage_return_first_are_neutralised() -> None:
    assert _report.neutralise("\tx") == "'\tx"
    assert _report.neutralise("\r=1") == "'\r=1"
    assert _report.neutralise("-12.5") == "-12.5"
    assert _report.neutralise("-12.5+1") == "'-12.5+1"


@given(st.text(max_size=30))
def test_neutralise_keeps_text_and_never_leaves_a_formula(text: str) -> None:
    safe = _report.neutralise(text)
    assert safe in (text, "'" + text)
    if safe.startswith(_report.FORMULA_PREFIXES):
        float(safe)  # only a plain number may start with + or -


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_neutralise_leaves_numbers_alone(number: float) -> None:
    assert _report.neutralise(repr(number)) == repr(number)


def test_workbook_has_a_sheet_per_table_notes_and_sources(hostile_report: Path) -> None:
    book = openpyxl.load_workbook(hostile_report / "tables.xlsx", read_only=True)
    tables = sorted(p.stem for p in (hostile_report / "tables").glob("*.csv"))
    names = book.sheetnames
    assert names[0] == "notes"
    assert names[-1] == "sources"
    notes = list(book["notes"].iter_rows(values_only=True))
    assert sorted(row[1] for row in notes[1 : 1 + len(tables)]) == [
        f"tables/{t}.csv" for t in tables
    ]
    # every sheet holds its CSV's rows: the ambition sheet as many as the CSV
    ambition = pd.read_csv(hostile_report / "tables" / "ambition.csv", encoding="utf-8-sig")
    assert book["ambition"].max_row == len(ambition) + 1
    sources = [row[0] for row in book["sources"].iter_rows(min_row=2, values_only=True)]
    assert "xuanwu_ip_plan_14fyp" in sources


# --- hostile text in the page --------------------------------------------------------------


def test_script_json_cannot_end_a_script_or_open_a_comment() -> None:
    text = script_json({"evidence": "</script><!--<script>&\u2028\u2029"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"evidence": "</script><!--<script>&\u2028\u2029"}


def test_evidence_with_script_and_comment_tags_still_renders(tmp_path: Path) -> None:
    # every row's evidence opens a comment and a script and ends one
    obs = ipbench.load_observations()
    obs["evidence"] = "<!--<script>" + obs["evidence"].astype(str) + "</script>"
    obs.to_csv(tmp_path / "obs.csv", index=False)
    report = _report.build_report(
        tmp_path / "out", lang="en", formats=["html"], data=tmp_path / "obs.csv", progress=_quiet
    )
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<!--<script>" not in page
    assert len(report.figures) >= 5
    body = _body_in_browser(tmp_path / "out" / "index.html", tmp_path / "profile")
    assert f'data-rendered="{len(report.figures)}"' in body
    assert 'data-errors=""' in body


def test_long_evidence_is_cut_in_figures_and_whole_in_tables(tmp_path: Path) -> None:
    # 5 MB of evidence on Nanjing's 2021 rate (the first row, drawn in the benchmark bar)
    long = "长" * 5_000_000
    data = _with_evidence(tmp_path, [long])
    _report.build_report(tmp_path / "out", lang="en", formats=["html"], data=data, progress=_quiet)
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert len(page.encode()) < 3_000_000  # the JavaScript (~0.9 MB) and the charts, not 46 MB
    assert "长" * 199 + "…" in page
    assert "长" * 200 not in page
    table = pd.read_csv(tmp_path / "out" / "tables" / "observations.csv", encoding="utf-8-sig")
    assert table["evidence"].str.len().max() == 5_000_000


# --- the output folder ---------------------------------------------------------------------


def test_out_naming_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    target.write_text("mine", encoding="utf-8")
    # the command cannot run as given: exit code 2, one line
    assert main(["report", "--out", str(target), "--formats", "html"]) == 2
    assert "is a file" in capsys.readouterr().err
    with pytest.raises(OptionError, match="is a file, not a folder"):
        _report.build_report(target, formats=["html"], progress=_quiet)
    assert target.read_text(encoding="utf-8") == "mine"


def test_non_empty_folder_is_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.docx").write_text("mine", encoding="utf-8")
    (folder / "index.html").write_text("my own page", encoding="utf-8")
    assert main(["report", "--out", str(folder), "--formats", "html"]) == 2
    assert "not an earlier ipbench report" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["chapter1.docx", "index.html"]
    assert not list(tmp_path.glob(".thesis.ipbench-*"))  # no temporary folder left behind
    assert main(["report", "--out", str(folder), "--formats", "html", "--force"]) == 0
    assert (folder / "chapter1.docx").read_text(encoding="utf-8") == "mine"
    assert "vegaEmbed" in (folder / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((folder / _report.MANIFEST).read_text(encoding="utf-8"))
    assert "chapter1.docx" not in manifest["files"]
    assert "index.html" in manifest["files"]


def test_earlier_report_is_replaced_and_its_stale_files_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _report.build_report(out, lang="en", formats=["html"], progress=_quiet)
    assert (out / "tables" / "target_comparison_district.csv").is_file()
    (out / "my_notes.txt").write_text("kept", encoding="utf-8")
    # the same report without Gulou: no two districts share a target any more
    obs = ipbench.load_observations()
    obs[obs["adcode"] != "320106"].to_csv(tmp_path / "no_gulou.csv", index=False)
    report = _report.build_report(
        out, lang="en", formats=["html"], data=tmp_path / "no_gulou.csv", progress=_quiet
    )
    assert not (out / "tables" / "target_comparison_district.csv").exists()
    assert any(line.startswith("target comparison") for line in report.skipped)
    assert (out / "my_notes.txt").read_text(encoding="utf-8") == "kept"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == sorted([*report.files, _report.MANIFEST, "my_notes.txt"])
    assert not list(tmp_path.glob(".out.ipbench-*"))


def test_failure_mid_write_leaves_the_earlier_report_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _report.build_report(out, lang="en", formats=["html"], progress=_quiet)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError("disk full")

    # the tables' CSV files are written by then, the workbook and the page are not
    monkeypatch.setattr(_report, "_workbook", broken)
    with pytest.raises(OSError, match="disk full"):
        _report.build_report(out, lang="zh", formats=["html"], progress=_quiet)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not list(tmp_path.glob(".out.ipbench-*"))
    # a first run that fails leaves no half report either
    with pytest.raises(OSError, match="disk full"):
        _report.build_report(tmp_path / "new", lang="en", formats=["html"], progress=_quiet)
    assert not (tmp_path / "new").exists()
    assert not list(tmp_path.glob(".new.ipbench-*"))


def test_unknown_data_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="no such file or folder"):
        _report.build_report(tmp_path / "out", data=tmp_path / "missing.csv", progress=_quiet)
    with pytest.raises(OptionError, match=r"observations\.csv"):
        _report.build_report(tmp_path / "out", data=tmp_path, progress=_quiet)


# --- figures.pdf ---------------------------------------------------------------------------


def test_figures_pdf_has_an_a4_page_per_figure(tmp_path: Path) -> None:
    report = _report.build_report(tmp_path / "out", lang="en", formats=["pdf"], progress=_quiet)
    with pikepdf.open(tmp_path / "out" / "figures.pdf") as book:
        assert len(book.pages) == len(report.figures)
        for page in book.pages:
            # A4 landscape: 297 x 210 mm = 841.89 x 595.28 pt (1 pt = 25.4/72 mm)
            assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, 841.89, 595.28])
            # the chart and its caption, each drawn from its own PDF
            assert len(page.Resources.XObject.keys()) == 2


# --- a user's own region -------------------------------------------------------------------


def test_suzhou_example_folder_builds_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = pd.read_csv(SUZHOU / "sources.csv")
    assert sources["title"].str.contains("illustrative").all()  # not source data, and says so
    out = tmp_path / "suzhou"
    args = ["report", "--out", str(out), "--data", str(SUZHOU), "--formats", "html"]
    assert main([*args, "--with-builtin"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "苏州" in page
    bench = pd.read_csv(
        out / "tables" / "benchmark_invention_patents_per_10k.csv",
        encoding="utf-8-sig",
        dtype={"adcode": str},
    )
    scored = bench[bench["scored"]].set_index("adcode")
    # the cities of 2021: Nanjing 95.42, Suzhou 70.5 (illustrative), Dalian 27.26, Nanchang 16.0
    assert scored["rank"].to_dict() == {"320100": 1, "320500": 2, "210200": 3, "360100": 4}
    # Suzhou and Nanjing both target high-value invention patents per 10k for 2025 (30, 50)
    cities = pd.read_csv(
        out / "tables" / "target_comparison_city.csv", encoding="utf-8-sig", dtype={"adcode": str}
    )
    assert sorted(cities["adcode"]) == ["320100", "320500"]
    assert sorted(cities["target_value"]) == [30.0, 50.0]
    # Suzhou's data alone: one city, so no benchmark to draw, and the report says why
    capsys.readouterr()
    assert main([*args, "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "skipped: benchmark of invention_patents_in_force_per_10k" in printed
    assert "苏州" in (out / "index.html").read_text(encoding="utf-8")
