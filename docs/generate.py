"""Pages generated from the package itself: the data dictionary and the gallery."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import ipbench
from ipbench import _report
from ipbench._schemas import TABLE_SCHEMAS
from ipbench._validate import describe_check


def write_all(folder: Path) -> None:
    """Write the generated pages into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data_dictionary.md").write_text(data_dictionary(), encoding="utf-8")
    (folder / "gallery.md").write_text(gallery(folder / "gallery"), encoding="utf-8")


def _table(frame: pd.DataFrame) -> str:
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = [
        "| " + " | ".join(str(v).replace("|", "\\|") if pd.notna(v) else "" for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows])


def data_dictionary() -> str:
    """Columns of every table, read from the Pandera models, and the indicator catalog."""
    parts = [
        "# Data dictionary",
        "",
        "Generated from the Pandera schemas and `datasets/indicators.csv`.",
        "",
    ]
    for table, model in TABLE_SCHEMAS.items():
        schema = model.to_schema()
        rows = []
        for name, column in schema.columns.items():
            rules = [describe_check(str(check.error or check.name)) for check in column.checks]
            if str(column.dtype) == "category":
                rules.append("one of " + ", ".join(column.dtype.type.categories))
            if column.unique:
                rules.append("unique")
            rows.append(
                {
                    "column": f"`{name}`",
                    "type": str(column.dtype),
                    "empty allowed": column.nullable,
                    "rules": "; ".join(rules),
                }
            )
        parts += [
            f"## `{table}.csv`",
            "",
            (model.__doc__ or "").strip(),
            "",
            _table(pd.DataFrame(rows)),
            "",
        ]
        frame_checks = [check.error for check in schema.checks if getattr(check, "error", None)]
        if schema.unique:
            frame_checks.append("unique key: " + ", ".join(schema.unique))
        if frame_checks:
            parts += ["Row rules: " + "; ".join(frame_checks) + ".", ""]
    catalog = ipbench.load_indicators()
    shown = catalog[
        [
            "indicator",
            "name_zh",
            "name_en",
            "unit",
            "kind",
            "category",
            "higher_is_better",
            "denominator",
            "base_indicator",
        ]
    ]
    parts += ["## Indicator catalog", "", f"{len(catalog)} indicators.", "", _table(shown), ""]
    return "\n".join(parts)


def gallery(folder: Path) -> str:
    """Every chart of the report, in both languages, as SVG."""
    parts = [
        "# Gallery",
        "",
        "Every chart the report draws, from the built-in data "
        "(`ipbench report --out DIR`), in Chinese and English.",
        "",
    ]
    for lang in ("zh", "en"):
        _report.build_report(folder / lang, lang=lang, formats=("svg",), progress=lambda _: None)
    for svg in sorted((folder / "zh" / "figures").glob("*.svg")):
        parts += [
            f"## {svg.stem}",
            "",
            f"![{svg.stem}](gallery/zh/figures/{svg.name})",
            "",
            f"![{svg.stem} (English)](gallery/en/figures/{svg.name})",
            "",
        ]
    return "\n".join(parts)
