"""Find a font with Chinese glyphs for PNG and PDF export.

An installed CJK font is preferred; without one, ipbench draws with the font it
ships: ``fonts/ipbenchSansCJKSC-Regular.otf``, a subset of Noto Sans CJK SC
Regular (SIL Open Font License 1.1, ``fonts/OFL.txt``) holding the GB2312
level-1 characters and every character of the built-in catalog and label table
(``tools/make_cjk_subset.py`` regenerates it). A figure whose text needs a
character the subset lacks is found with :func:`missing_characters`.
"""

from __future__ import annotations

import csv
import functools
import html
import os
import re
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

import vl_convert as vlc

from ipbench import _labels
from ipbench._errors import FontError
from ipbench._labels import has_cjk
from ipbench._load import data_dir

#: Parts of file names of common fonts that cover Simplified Chinese.
CJK_FONT_NAMES = (
    "notosanscjk", "notoserifcjk", "notosanssc", "notoserifsc", "sourcehansans", "sourcehanserif",
    "wqy", "droidsansfallback", "simhei", "simsun", "msyh", "pingfang", "arplumingcn",
)  # fmt: skip
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
#: The font shipped in the package, drawn with when no CJK font is installed.
BUNDLED_FONT = Path(__file__).resolve().parent / "fonts" / "ipbenchSansCJKSC-Regular.otf"
#: Its family name (renamed from Noto Sans CJK SC, as the OFL asks of a modified font, so it
#: never stands in for an installed full Noto Sans CJK SC).
BUNDLED_FAMILY = "ipbench Sans CJK SC"
INSTALL_HINT = (
    "no font with Chinese glyphs was found (neither an installed one nor the one ipbench "
    f"ships, {BUNDLED_FONT}: reinstall ipbench), so PNG and PDF labels would show empty "
    "boxes. Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; or point "
    "IPBENCH_FONT_DIR at a folder of CJK fonts), or make the images in English with --lang "
    "en (or --fallback-en to do so only when no font is found)."
)

_REGISTERED: set[Path] = set()


def font_directories() -> list[Path]:
    """Folders searched for fonts: $IPBENCH_FONT_DIR first, then the system's."""
    configured = os.environ.get("IPBENCH_FONT_DIR")
    folders = [Path(configured)] if configured else []
    folders += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".local/share/fonts",
        Path.home() / ".fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        Path("C:/Windows/Fonts"),
    ]
    return [folder for folder in folders if folder.is_dir()]


def find_installed_cjk_font() -> Path | None:
    """Return the first installed font file that covers Chinese, or None.

    Examples
    --------
    >>> found = find_installed_cjk_font()
    >>> found is None or found != BUNDLED_FONT
    True
    """
    for folder in font_directories():
        for path in sorted(folder.rglob("*")):
            name = path.name.lower().replace("-", "").replace("_", "").replace(" ", "")
            if path.suffix.lower() in FONT_SUFFIXES and any(
                part in name for part in CJK_FONT_NAMES
            ):
                return path
    return None


def find_cjk_font() -> Path | None:
    """Return an installed CJK font, else the bundled subset; None when neither is there.

    Examples
    --------
    >>> found = find_cjk_font()
    >>> found is None or found.suffix.lower() in FONT_SUFFIXES
    True
    """
    installed = find_installed_cjk_font()
    if installed is not None:
        return installed
    return BUNDLED_FONT if BUNDLED_FONT.is_file() else None


def require_cjk_font() -> Path:
    """Make a CJK font available to vl-convert, or raise :class:`FontError` saying what to do.

    Returns
    -------
    Path
        The font file found by :func:`find_cjk_font`; its folder is registered
        with vl-convert (once a process).

    Raises
    ------
    FontError
        When neither an installed CJK font nor the bundled one is found.
    """
    font = find_cjk_font()
    if font is None:
        raise FontError(INSTALL_HINT)
    if font.parent not in _REGISTERED:
        vlc.register_font_directory(str(font.parent))
        _REGISTERED.add(font.parent)
    return font


def missing_characters(text: str, font: Path) -> str:
    """Return the CJK characters of ``text`` that ``font`` lacks, in order, once each.

    Only the bundled subset is checked: an installed CJK font is taken to
    cover Chinese.

    Parameters
    ----------
    text : str
        Text a figure draws.
    font : Path
        The font it is drawn with (from :func:`find_cjk_font`).

    Returns
    -------
    str
        The characters without a glyph; empty when the font draws them all.

    Examples
    --------
    >>> missing_characters("南京市 Nanjing", BUNDLED_FONT)
    ''
    >>> missing_characters("龘", BUNDLED_FONT)  # not a GB2312 character, nor in the catalog
    '龘'
    """
    if font != BUNDLED_FONT:
        return ""
    covered = font_characters(font)
    return "".join(dict.fromkeys(c for c in text if has_cjk(c) and c not in covered))


def uncovered_hint(figure: str, missing: str) -> str:
    """Say which characters a figure needs that the bundled font lacks, and what to do.

    Examples
    --------
    >>> uncovered_hint("time_series", "龘")[:60]
    'figures/time_series needs 龘, which the font ipbench ships (i'
    """
    return (
        f"figures/{figure} needs {missing}, which the font ipbench ships ({BUNDLED_FAMILY}, "
        "the GB2312 level-1 characters and the built-in catalog's) lacks. Install a full CJK "
        "font (Debian/Ubuntu: apt-get install fonts-noto-cjk; or point IPBENCH_FONT_DIR at a "
        "folder of CJK fonts), or draw such figures in English with --fallback-en."
    )


_SVG_TEXT = re.compile(r">([^<]+)<")


def svg_text(svg: str) -> str:
    """Return the text an SVG draws: its text nodes, entities decoded, tags left out.

    Examples
    --------
    >>> svg_text('<svg><g aria-label="x"><text>南京&amp;大连</text></g></svg>')
    '南京&大连'
    """
    return "".join(html.unescape(part) for part in _SVG_TEXT.findall(svg))


def catalog_characters() -> frozenset[str]:
    """Every CJK character the built-in catalog (``datasets/*.csv``) and label table hold.

    These are the characters the bundled font must cover; a test checks it does.

    Examples
    --------
    >>> {"南", "京", "件"} <= catalog_characters()
    True
    """
    found: set[str] = set()
    for table in sorted(data_dir().glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as rows:
            for row in csv.reader(rows):
                found.update(c for cell in row for c in cell if has_cjk(c))
    for name, value in vars(_labels).items():
        if name.isupper() and not name.startswith("_"):
            found.update(c for text in _strings(value) for c in text if has_cjk(c))
    return frozenset(found)


def _strings(value: object) -> Iterator[str]:
    """Every string in a nested constant (keys of mappings included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, Iterable):
        for item in value:
            yield from _strings(item)


@functools.cache
def font_characters(font: Path) -> frozenset[str]:
    """Return the characters an OpenType font file maps to a glyph (its Unicode ``cmap``).

    Read without fontTools (only a build-time tool here), from the Windows
    Unicode BMP subtable (platform 3, encoding 1, format 4): the bundled subset
    holds no character beyond the BMP.

    Examples
    --------
    >>> chars = font_characters(BUNDLED_FONT)
    >>> "南" in chars, "A" in chars, chr(0xE000) in chars  # a private-use character: no
    (True, True, False)
    """
    data = font.read_bytes()
    num_tables = struct.unpack_from(">H", data, 4)[0]
    tables = {
        data[12 + 16 * i : 16 + 16 * i]: struct.unpack_from(">I", data, 20 + 16 * i)[0]
        for i in range(num_tables)
    }
    cmap = tables.get(b"cmap")
    if cmap is not None:
        for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
            at = cmap + offset
            if (platform, encoding) == (3, 1) and struct.unpack_from(">H", data, at)[0] == 4:
                return frozenset(_format_4(data, at))
    raise FontError(f"{font}: no Windows Unicode BMP cmap subtable (platform 3, encoding 1)")


def _format_4(data: bytes, start: int) -> Iterator[str]:
    """Characters of a format-4 cmap subtable whose glyph is not .notdef (glyph 0)."""
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, start + 14)
    starts = struct.unpack_from(f">{segments}H", data, start + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, start + 16 + 4 * segments)
    range_at = start + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    for i in range(segments):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if offsets[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_at + 2 * i + offsets[i] + 2 * (code - starts[i])
                glyph = struct.unpack_from(">H", data, at)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                yield chr(code)
