"""The CJK font ipbench ships: what it covers, that it draws glyphs, and that the wheel holds it.

The font is a subset of Noto Sans CJK SC (tools/make_cjk_subset.py). When a test here says
a character is missing, regenerate it: `python tools/make_cjk_subset.py`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert as vlc

import ipbench
from ipbench import _fonts, _report
from ipbench._charts import CJK_FONTS
from ipbench._errors import FontError
from ipbench._fonts import (
    BUNDLED_FAMILY,
    BUNDLED_FONT,
    catalog_characters,
    font_characters,
    missing_characters,
)
from ipbench._labels import LABELS

from .conftest import REPO

FONT_FOLDER = BUNDLED_FONT.parent
SUZHOU = REPO / "docs" / "examples" / "suzhou"
#: Characters outside GB2312 level 1 and the catalog: 亳 (Bozhou 亳州), 衢 (Quzhou 衢州) and
#: 儋 (Danzhou 儋州) are GB2312 level 2; 龘 is not in GB2312 at all.
UNCOVERED = "亳衢儋龘"


def _gb2312_level_1() -> set[str]:
    # GB2312 rows 16-55 (first byte 0xB0-0xD7) hold the level-1 hanzi, 94 a row except the
    # last, which stops at 0xD7F9: 39 * 94 + 89 = 3755 characters
    found = set()
    for first in range(0xB0, 0xD8):
        for second in range(0xA1, 0xFF):
            try:
                found.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


# --- what the font covers ----------------------------------------------------------------------


def test_font_covers_every_character_of_the_catalog_and_label_table() -> None:
    lacking = sorted(catalog_characters() - font_characters(BUNDLED_FONT))
    assert not lacking, (
        f"the bundled CJK font lacks {''.join(lacking)}: a region, indicator, source or label "
        "uses a character outside it; regenerate it with `python tools/make_cjk_subset.py`"
    )


def test_catalog_characters_are_read_from_the_catalog_and_labels() -> None:
    # the set the font is checked against really holds the names: a region (鼓楼区), a unit
    # (件/万人) and a label (进展评价, LABELS["class"]["zh"])
    regions = ipbench.load_regions()
    assert "鼓楼区" in set(regions["name_zh"])
    assert {"鼓", "楼", "件", "万", "评", "价"} <= catalog_characters()
    assert set(LABELS["class"]["zh"]) <= catalog_characters()
    # 466 distinct non-ASCII characters the CSVs and labels hold, of which 458 are CJK
    # (the others are typographic: × – “ ” … ‰ → −); counted when the subset was made
    assert len(catalog_characters()) >= 400


def test_font_covers_gb2312_level_1() -> None:
    level_1 = _gb2312_level_1()
    assert len(level_1) == 3755  # 39 * 94 + 89
    assert not sorted(level_1 - font_characters(BUNDLED_FONT))
    assert {"苏", "州"} <= font_characters(BUNDLED_FONT)  # a new region such as 苏州 draws


def test_uncovered_characters_are_named_once_in_order() -> None:
    text = f"亳州市 {UNCOVERED} 亳 Bozhou"
    assert missing_characters(text, BUNDLED_FONT) == UNCOVERED
    assert missing_characters("南京市（2021年末）件/万人", BUNDLED_FONT) == ""
    # an installed CJK font is taken to cover Chinese: only the subset is checked
    assert missing_characters(UNCOVERED, Path("/usr/share/fonts/NotoSansCJK.ttc")) == ""


def test_cmap_reader_agrees_with_a_rendering_of_each_kind() -> None:
    chars = font_characters(BUNDLED_FONT)
    assert {chr(c) for c in range(0x20, 0x7F)} <= chars  # printable ASCII
    assert {"，", "（", "）", "：", "“", "”"} <= chars  # GB2312 row 1 and 3 punctuation
    assert not set(UNCOVERED) & chars
    assert chr(0xE000) not in chars  # private use: no font maps it


def test_font_is_renamed_and_licensed() -> None:
    data = BUNDLED_FONT.read_bytes()
    # the OFL asks a modified font not to pass as the original: the family name is ipbench's
    # (name records are UTF-16BE); the original's name is left only in the version string,
    # "Version 2.004; ipbench subset of Noto Sans CJK SC", which credits it
    assert BUNDLED_FAMILY.encode("utf-16-be") in data
    original = data.count("Noto Sans CJK SC".encode("utf-16-be"))
    assert original == data.count("subset of Noto Sans CJK SC".encode("utf-16-be")) == 1
    licence = (FONT_FOLDER / "OFL.txt").read_text(encoding="utf-8")
    assert licence.startswith("Copyright 2014-2021 Adobe (http://www.adobe.com/)")
    assert "SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007" in licence
    readme = (FONT_FOLDER / "README.md").read_text(encoding="utf-8")
    assert "Noto Sans CJK SC Regular, Version 2.004" in readme
    assert BUNDLED_FAMILY in CJK_FONTS  # the theme names it after the installed fonts
    assert CJK_FONTS.index("Noto Sans CJK SC") < CJK_FONTS.index(BUNDLED_FAMILY)


def test_bundled_font_is_used_when_no_cjk_font_is_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_fonts, "find_installed_cjk_font", lambda: None)
    assert _fonts.find_cjk_font() == BUNDLED_FONT
    assert _fonts.require_cjk_font() == BUNDLED_FONT
    monkeypatch.setattr(_fonts, "BUNDLED_FONT", FONT_FOLDER / "missing.otf")
    with pytest.raises(FontError, match="apt-get install fonts-noto-cjk"):
        _fonts.require_cjk_font()


# --- it draws glyphs, not boxes ----------------------------------------------------------------


def _png_digest(text: str, font: str) -> str:
    spec = (
        alt.Chart(pd.DataFrame({"text": [text]}))
        .mark_text(fontSize=40, font=font)
        .encode(text="text:N")
        .to_dict()
    )
    return hashlib.sha256(vlc.vegalite_to_png(spec)).hexdigest()


def test_vl_convert_draws_with_the_bundled_family() -> None:
    vlc.register_font_directory(str(FONT_FOLDER))
    # Latin letters of a family vl-convert does not know fall back to its default font; drawn
    # differently, so the name resolves to the bundled font
    assert _png_digest("AB", BUNDLED_FAMILY) != _png_digest("AB", "No Such Family")
    assert _png_digest("南京", BUNDLED_FAMILY) != _png_digest("大连", BUNDLED_FAMILY)


_HIDDEN_FONTS_SCRIPT = """
import hashlib, json, sys
import altair as alt, pandas as pd, vl_convert as vlc
from ipbench._fonts import find_installed_cjk_font, require_cjk_font
assert find_installed_cjk_font() is None, find_installed_cjk_font()
require_cjk_font()
def digest(text):
    spec = alt.Chart(pd.DataFrame({"t": [text]})).mark_text(fontSize=40).encode(text="t:N")
    with alt.theme.enable("ipbench"):
        spec = spec.to_dict()
    return hashlib.sha256(vlc.vegalite_to_png(spec)).hexdigest()
json.dump({text: digest(text) for text in sys.argv[1:]}, sys.stdout)
"""


def _system_font_folders() -> list[str]:
    home = Path.home()
    folders = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        home / ".fonts",
        home / ".local/share/fonts",
    ]
    return [str(f) for f in folders if Path(f).is_dir()]


def _digests_without_system_fonts(*texts: str) -> dict[str, str]:
    """Render each text with the ipbench theme in a process that sees no installed font."""
    mounts = " && ".join(f"mount -t tmpfs none '{f}'" for f in _system_font_folders())
    env = {k: v for k, v in os.environ.items() if k != "IPBENCH_FONT_DIR"}
    command = [
        "unshare", "--map-root-user", "--mount", "sh", "-c",
        f'{mounts} && exec "$0" -c "$1" "$@"', sys.executable, _HIDDEN_FONTS_SCRIPT, *texts,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    digests: dict[str, str] = json.loads(done.stdout)
    return digests


def _can_hide_system_fonts() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--map-root-user", "--mount", "true"], capture_output=True, check=False
    )
    return probe.returncode == 0


@pytest.fixture
def hidden_system_fonts() -> None:
    # user namespaces are a property of the machine (containers often forbid them), not
    # of the fonts CI installs: the glyph coverage tests above hold everywhere, this
    # rendering check runs where the system fonts can be hidden
    if not _can_hide_system_fonts():
        pytest.skip("hiding the system fonts needs `unshare --map-root-user --mount`")


@pytest.mark.usefixtures("hidden_system_fonts")
def test_png_drawn_with_only_the_bundled_font_has_no_tofu() -> None:
    private_use = "\ue000\ue001"  # no font maps these: what a missing glyph looks like
    digests = _digests_without_system_fonts("南京", "大连", "亳衢", private_use)
    # the method detects tofu: two characters the bundled font lacks draw as the same
    # two empty boxes as two characters no font has
    assert digests["亳衢"] == digests[private_use]
    # covered characters draw as glyphs: unlike the boxes and unlike each other
    assert digests["南京"] != digests[private_use]
    assert digests["大连"] != digests[private_use]
    assert digests["南京"] != digests["大连"]


# --- the report: Chinese where the font covers a figure, English for the others ---------------


def _region_named(tmp_path: Path, name_zh: str, name_en: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(SUZHOU, folder)
    regions = folder / "regions.csv"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("苏州市,Suzhou", f"{name_zh},{name_en}"),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def only_bundled_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fonts, "find_installed_cjk_font", lambda: None)


@pytest.mark.usefixtures("only_bundled_font")
def test_report_draws_builtin_figures_in_chinese_with_the_bundled_font(tmp_path: Path) -> None:
    lines: list[str] = []
    _report.build_report(tmp_path, formats=("svg", "png"), progress=lines.append)
    assert not [line for line in lines if "drawn in English" in line]
    svg = (tmp_path / "figures" / "benchmark_invention_patents_per_10k.svg").read_text(
        encoding="utf-8"
    )
    assert ">南京市<" in svg
    assert (tmp_path / "figures" / "benchmark_invention_patents_per_10k.png").is_file()


@pytest.mark.usefixtures("only_bundled_font")
def test_uncovered_region_name_draws_its_figures_in_english(tmp_path: Path) -> None:
    # the Suzhou example with its city renamed 亳州市 (Bozhou; 亳 is GB2312 level 2): a glyph
    # test, not geography
    data = _region_named(tmp_path, "亳州市", "Bozhou")
    lines: list[str] = []
    out = tmp_path / "report"
    _report.build_report(
        out, data=data, with_builtin=True, formats=("svg", "png"), fallback_en=True,
        progress=lines.append,
    )  # fmt: skip
    english = sorted(line.split(":")[0] for line in lines if "drawn in English" in line)
    assert "figures/benchmark_invention_patents_per_10k" in english
    assert all("lacks 亳" in line for line in lines if "drawn in English" in line)
    bench = (out / "figures" / "benchmark_invention_patents_per_10k.svg").read_text("utf-8")
    assert ">Bozhou<" in bench
    assert ">亳州市<" not in bench
    # a figure without the new city stays in Chinese
    chinese = [p for p in (out / "figures").glob("*.svg") if f"figures/{p.stem}" not in english]
    assert chinese, "every figure fell back to English"
    for svg in chinese:
        text = _fonts.svg_text(svg.read_text(encoding="utf-8"))
        assert "亳" not in text
        assert missing_characters(text, BUNDLED_FONT) == ""
    assert any("南京" in _fonts.svg_text(p.read_text(encoding="utf-8")) for p in chinese)


@pytest.mark.usefixtures("only_bundled_font")
def test_uncovered_region_name_without_fallback_says_what_to_do(tmp_path: Path) -> None:
    data = _region_named(tmp_path, "亳州市", "Bozhou")
    out = tmp_path / "report"
    with pytest.raises(FontError, match=r"needs 亳.*apt-get install fonts-noto-cjk.*--fallback-en"):
        _report.build_report(
            out, data=data, with_builtin=True, formats=("png",), progress=lambda _: None
        )
    assert not out.exists()  # nothing half-written


# --- the wheel ships it ------------------------------------------------------------------------


def test_wheel_contains_the_font_and_its_licence(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder  # noqa: PLC0415 (a build tool)

    built = list(WheelBuilder(str(REPO)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(built[0]) as wheel:
        names = set(wheel.namelist())
        for shipped in ("ipbenchSansCJKSC-Regular.otf", "OFL.txt", "README.md"):
            member = f"ipbench/fonts/{shipped}"
            assert member in names, member
            assert wheel.read(member) == (FONT_FOLDER / shipped).read_bytes()


def test_installed_package_holds_the_font() -> None:
    # from a wheel (nox) this is the installed copy; from a checkout, src/ipbench/fonts
    package = Path(ipbench.__file__).resolve().parent
    assert package / "fonts" / "ipbenchSansCJKSC-Regular.otf" == BUNDLED_FONT
    assert BUNDLED_FONT.is_file()
    assert (package / "fonts" / "OFL.txt").is_file()
