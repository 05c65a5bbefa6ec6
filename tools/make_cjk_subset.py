"""Regenerate the CJK font ipbench ships: a subset of Noto Sans CJK SC Regular.

Run it after adding a region, indicator, source or label whose Chinese name has a
character outside GB2312 level 1 (tests/test_bundled_font.py fails and says so):

    python -m pip install fonttools   # a build-time tool only; ipbench never imports it
    python tools/make_cjk_subset.py [--source PATH/TO/NotoSansCJK-Regular.ttc]

The subset holds printable ASCII, the GB2312 level-1 hanzi (3755, the common
characters), GB2312's punctuation and full-width forms (rows 1 and 3), and every
character of the built-in catalog (``datasets/*.csv``) and label table
(``src/ipbench/_labels.py``). Hinting and the vertical-writing tables are dropped
(charts draw horizontal text; vl-convert does not hint). The family is renamed
"ipbench Sans CJK SC", as the SIL Open Font License asks of a modified font, so it
never stands in for a full Noto Sans CJK SC. The same source font and fontTools
version give the same bytes (the head table's dates are kept from the source).

Writes ``src/ipbench/fonts/ipbenchSansCJKSC-Regular.otf`` and
``src/ipbench/fonts/README.md``; ``OFL.txt`` next to them is the licence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from ipbench._fonts import BUNDLED_FAMILY, BUNDLED_FONT, catalog_characters

SOURCE_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC")
SOURCE_GUESSES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian/Ubuntu fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora, Arch
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
)
POSTSCRIPT_NAME = "ipbenchSansCJKSC-Regular"
#: GB2312 rows (first byte 0xA0 + row): 1 punctuation and symbols, 3 full-width ASCII,
#: 16-55 the level-1 hanzi.
GB2312_ROWS = (1, 3, *range(16, 56))


def gb2312_characters(rows: tuple[int, ...] = GB2312_ROWS) -> set[str]:
    """Decode every assigned code point of the given GB2312 rows."""
    found: set[str] = set()
    for row in rows:
        for cell in range(1, 95):
            try:
                found.add(bytes([0xA0 + row, 0xA0 + cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # an unassigned cell
    return found


def open_source(path: Path) -> TTFont:
    """Open the Simplified Chinese face of a Noto Sans CJK font or collection."""
    if path.suffix.lower() in (".ttc", ".otc"):
        faces = TTCollection(str(path)).fonts
    else:
        faces = [TTFont(str(path))]
    for face in faces:
        if face["name"].getDebugName(1) in SOURCE_FAMILIES:
            return face
    raise SystemExit(f"{path}: no face named {' or '.join(SOURCE_FAMILIES)}")


def rename(font: TTFont, version: str) -> None:
    """Give the subset its own family name; keep the copyright, licence and credits."""
    table = font["name"]
    table.names = [
        record
        for record in table.names
        if record.platformID == 3 and record.langID == 0x409 and record.nameID not in (7, 16, 17)
    ]
    names = {
        1: BUNDLED_FAMILY,
        3: f"{version};ipbench;{POSTSCRIPT_NAME}",
        4: BUNDLED_FAMILY,
        5: f"{version}; ipbench subset of Noto Sans CJK SC",
        6: POSTSCRIPT_NAME,
    }
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    cff.fontNames = [POSTSCRIPT_NAME]
    top = cff[0]
    top.FullName = BUNDLED_FAMILY
    top.FamilyName = BUNDLED_FAMILY


def main(argv: list[str] | None = None) -> int:
    """Write the subset and its README; print what it holds and its size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, help="Noto Sans CJK (SC) .ttc/.otf to subset")
    args = parser.parse_args(argv)
    source = args.source or next((Path(p) for p in SOURCE_GUESSES if Path(p).is_file()), None)
    if source is None:
        raise SystemExit(
            "no Noto Sans CJK font found; pass --source (apt-get install fonts-noto-cjk)"
        )
    font = open_source(source)
    version = font["name"].getDebugName(5).split(";")[0]  # "Version 2.004"
    required = catalog_characters()
    wanted = {chr(c) for c in range(0x20, 0x7F)} | gb2312_characters() | required
    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "VORG"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(map(ord, wanted)))
    subsetter.subset(font)
    rename(font, version)
    font.recalcTimestamp = False  # keep the source's dates: the same input gives the same bytes
    BUNDLED_FONT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(BUNDLED_FONT))
    covered = set(map(chr, font.getBestCmap()))
    lacking = sorted(required - covered)
    size = BUNDLED_FONT.stat().st_size
    (BUNDLED_FONT.parent / "README.md").write_text(
        f"# {BUNDLED_FAMILY}\n\n"
        f"`{BUNDLED_FONT.name}` is a subset of Noto Sans CJK SC Regular, {version} "
        f"(https://github.com/notofonts/noto-cjk; read from `{source.name}` of Debian's "
        "fonts-noto-cjk), made by `tools/make_cjk_subset.py` with fontTools "
        f"{fontTools.version}. It maps {len(covered)} characters: printable ASCII, GB2312 "
        "punctuation and full-width forms, the 3755 GB2312 level-1 hanzi and every CJK "
        f"character of the built-in catalog and label table ({len(required)}); {size:,} "
        "bytes. Licence: SIL Open Font License 1.1, `OFL.txt`.\n",
        encoding="utf-8",
    )
    print(f"{BUNDLED_FONT}: {len(covered)} characters, {size:,} bytes")
    if lacking:
        print(f"the source font lacks {''.join(lacking)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
