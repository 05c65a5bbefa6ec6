"""Find a font with Chinese glyphs for PNG and PDF export."""

from __future__ import annotations

import os
from pathlib import Path

import vl_convert as vlc

from ipbench._errors import FontError

#: Parts of file names of common fonts that cover Simplified Chinese.
CJK_FONT_NAMES = (
    "notosanscjk", "notoserifcjk", "notosanssc", "notoserifsc", "sourcehansans", "sourcehanserif",
    "wqy", "droidsansfallback", "simhei", "simsun", "msyh", "pingfang", "arplumingcn",
)  # fmt: skip
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
INSTALL_HINT = (
    "no font with Chinese glyphs was found, so PNG and PDF labels would show empty boxes. "
    "Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; or point IPBENCH_FONT_DIR at "
    "a folder of CJK fonts), or make the images in English with --lang en "
    "(or --fallback-en to do so only when no font is found)."
)


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


def find_cjk_font() -> Path | None:
    """Return the first font file that covers Chinese, or None.

    Examples
    --------
    >>> found = find_cjk_font()
    >>> found is None or found.suffix.lower() in FONT_SUFFIXES
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


def require_cjk_font() -> Path:
    """Make a CJK font available to vl-convert, or raise :class:`FontError` saying what to do."""
    font = find_cjk_font()
    if font is None:
        raise FontError(INSTALL_HINT)
    vlc.register_font_directory(str(font.parent))
    return font
