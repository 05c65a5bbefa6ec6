"""Read CSV and Excel files into tables of text cells, row-numbered as in the file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from ipbench._errors import ValidationError, failure_frame

#: Tried in order: UTF-8 (with or without BOM), then GB18030, the superset of
#: GBK/GB2312 that Chinese spreadsheet programs write.
ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_text_table(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV or Excel file with every cell as text.

    The index holds each row's number as a spreadsheet shows it: the header is
    row 1, the first data row is row 2. ``attrs["file"]`` and
    ``attrs["encoding"]`` say where the table came from. The encoding of a
    CSV file is detected (UTF-8, UTF-8 with BOM, GB18030) unless given.

    Examples
    --------
    >>> from ipbench._load import data_dir
    >>> table = read_text_table(data_dir() / "regions.csv")
    >>> table.loc[2, "adcode"], table.attrs["encoding"]
    ('100000', 'utf-8-sig')
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        frame = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
        encoding = "xlsx"
    else:
        text, encoding = _decode(path, encoding)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    frame.attrs.update(file=str(path), encoding=encoding)
    return frame


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_TWO_BYTE_UTF8 = re.compile(r"[\u0080-\u07ff]")


def _decode(path: Path, encoding: str | None = None) -> tuple[str, str]:
    raw = path.read_bytes()
    if encoding is not None:
        return raw.decode(encoding), encoding
    decoded = {}
    for candidate in ENCODINGS:
        try:
            decoded[candidate] = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
    if len(decoded) == 2 and _looks_like_misread_gb18030(decoded["utf-8-sig"], decoded["gb18030"]):
        return decoded["gb18030"], "gb18030"
    for candidate, text in decoded.items():
        return text, candidate
    raise ValidationError(
        failure_frame(
            [
                {
                    "file": str(path),
                    "row": "",
                    "column": "",
                    "value": "(undecodable bytes)",
                    "expected": "text in UTF-8, UTF-8 with BOM, or GB18030",
                }
            ]
        )
    )


def _looks_like_misread_gb18030(as_utf8: str, as_gb18030: str) -> bool:
    """Whether bytes that happen to be valid UTF-8 are really GB18030 Chinese.

    Short GB18030 texts can be valid UTF-8 by chance (占全省 reads as ռȫʡ):
    then the UTF-8 reading has letters from U+0080-U+07FF and no Chinese,
    while the GB18030 reading is Chinese.
    """
    return (
        not _CJK.search(as_utf8)
        and bool(_TWO_BYTE_UTF8.search(as_utf8))
        and bool(_CJK.search(as_gb18030))
        and not _TWO_BYTE_UTF8.search(as_gb18030)
    )
