"""Read CSV and Excel files into tables of text cells, row-numbered as in the file."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ipbench._errors import ValidationError, failure_frame

#: Tried in order: UTF-8 (with or without BOM), then GB18030, the superset of
#: GBK/GB2312 that Chinese spreadsheet programs write.
ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def read_text_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Excel file with every cell as text.

    The index holds each row's number as a spreadsheet shows it: the header is
    row 1, the first data row is row 2. ``attrs["file"]`` and
    ``attrs["encoding"]`` say where the table came from.

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
        text, encoding = _decode(path)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    frame.attrs.update(file=str(path), encoding=encoding)
    return frame


def _decode(path: Path) -> tuple[str, str]:
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
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
