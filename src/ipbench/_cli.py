"""The ``ipbench`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from ipbench import __version__, _extract
from ipbench._catalog_checks import ReferenceTables
from ipbench._errors import FontError, OptionError, ValidationError
from ipbench._io import read_text_table
from ipbench._load import CATALOG_DEPENDENT, OPTIONAL_TABLES, TABLES, data_dir
from ipbench._report import build_report
from ipbench._validate import validate_table
from ipbench._validated import read_observations


def validate_directory(folder: Path) -> dict[str, pd.DataFrame]:
    """Validate the tables of a datasets folder against each other.

    Every table is checked before anything is raised, so one run reports the
    problems of all tables together.
    """
    tables: dict[str, pd.DataFrame] = {}
    problems: list[pd.DataFrame] = []
    for table in TABLES:
        path = folder / f"{table}.csv"
        if table in OPTIONAL_TABLES and not path.exists():
            continue
        catalog = None
        catalog_valid = all(name in tables for name in ("regions", "indicators", "sources"))
        if table in CATALOG_DEPENDENT and catalog_valid:
            catalog = ReferenceTables(tables["regions"], tables["indicators"], tables["sources"])
        try:
            tables[table] = validate_table(
                read_text_table(path),
                table,
                file=str(path),
                catalog=catalog,
                require_order=True,
                # against a broken catalog only the table's own rules can be checked
                cross_checks=catalog is not None or table not in CATALOG_DEPENDENT,
            )
        except ValidationError as error:
            problems.append(error.failures)
    if problems:
        raise ValidationError(pd.concat(problems, ignore_index=True))
    return tables


def summarise(table: str, frame: pd.DataFrame) -> str:
    """One line of facts about a validated table."""
    summaries: dict[str, Callable[[pd.DataFrame], str]] = {
        "observations": _observations_summary,
        "regions": lambda f: _counts(f["level"]),
        "indicators": lambda f: _counts(f["kind"]),
        "sources": lambda f: f"{int(f['sha256'].notna().sum())} with the sha256 of their text",
        "denominators": lambda f: (
            f"{f['adcode'].nunique()} regions, years {f['year'].min()}-{f['year'].max()}"
        ),
        "plans": lambda f: (
            f"{f['adcode'].nunique()} regions, ending {f['period_end'].max().date()}"
        ),
    }
    return summaries[table](frame)


def _observations_summary(frame: pd.DataFrame) -> str:
    status = frame["status"].value_counts()
    return (
        f"actual {status.get('actual', 0)}, target {status.get('target', 0)}; "
        f"{frame['adcode'].nunique()} regions, {frame['indicator'].nunique()} indicators, "
        f"{frame['source'].nunique()} sources"
    )


def _counts(values: pd.Series) -> str:
    counts = values.value_counts().sort_index()
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _summary_table(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> str:
    rows = [
        {"table": name, "rows": len(frame), "file": files[name], "contents": summarise(name, frame)}
        for name, frame in tables.items()
    ]
    return pd.DataFrame(rows).to_string(index=False)


class UserError(Exception):
    """A command line that cannot run as given: reported in one line, exit code 2."""


def _run_validate(args: argparse.Namespace) -> int:
    target = Path(args.path) if args.path else data_dir()
    try:
        if target.is_dir():
            _require_tables(target)
            tables = validate_directory(target)
            files = {name: f"{name}.csv" for name in tables}
            print(f"folder: {target}")
        elif not target.exists():
            raise UserError(f"{target}: no such file or folder")
        else:
            stem = target.stem if target.stem in TABLES else "observations"
            if stem != "observations":
                raise UserError(
                    f"{target}: validate a catalog table together with the others by "
                    "passing its folder"
                )
            tables = {
                "observations": read_observations(
                    target,
                    regions=args.regions,
                    indicators=args.indicators,
                    sources=args.sources,
                    encoding=args.encoding,
                )
            }
            files = {"observations": str(target)}
    except ValidationError as error:
        print(str(error), file=sys.stderr)
        if args.errors_out:
            # UTF-8 with BOM, so Excel shows the Chinese text of the CSV correctly
            error.failures.to_csv(args.errors_out, index=False, encoding="utf-8-sig")
            count = len(error.failures)
            noun = "problem" if count == 1 else "problems"
            print(f"all {count:,} {noun} written to {args.errors_out}", file=sys.stderr)
        return 1
    print(_summary_table(tables, files))
    print(f"all {len(tables)} table(s) valid")
    return 0


def _run_report(args: argparse.Namespace) -> int:
    formats = [part.strip() for part in args.formats.split(",") if part.strip()]
    try:
        build_report(
            args.out,
            lang=args.lang,
            formats=formats,
            data=args.data,
            with_builtin=args.with_builtin,
            fallback_en=args.fallback_en,
            force=args.force,
            progress=lambda line: print(line, flush=True),
        )
    except OptionError:
        raise  # the command cannot run as given (exit 2, from main)
    except (ValidationError, FontError, ValueError) as error:
        print(f"ipbench report: {error}", file=sys.stderr)
        return 1
    print(f"report written to {args.out}")
    return 0


def _require_tables(folder: Path) -> None:
    """Refuse a folder that lacks tables of the contract before reading any of them."""
    missing = [
        f"{table}.csv"
        for table in TABLES
        if table not in OPTIONAL_TABLES and not (folder / f"{table}.csv").is_file()
    ]
    if missing:
        raise UserError(
            f"{folder}: missing {', '.join(missing)}; a datasets folder holds "
            + ", ".join(f"{t}.csv" for t in TABLES if t not in OPTIONAL_TABLES)
            + " (and optionally "
            + ", ".join(f"{t}.csv" for t in OPTIONAL_TABLES)
            + ")"
        )


def _check_paths(args: argparse.Namespace) -> None:
    """Refuse paths that cannot work before any work starts."""
    errors_out = getattr(args, "errors_out", None)
    if errors_out and Path(errors_out).is_dir():
        raise UserError(f"--errors-out {errors_out} is a folder; give a file name")
    if args.command != "report":
        return
    if args.data and not Path(args.data).exists():
        raise UserError(f"--data {args.data}: no such file or folder")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file; give a folder for the report")
    if not out.exists() and any(parent.is_file() for parent in out.parents):
        raise UserError(f"--out {out}: a part of the path is a file, not a folder")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ipbench`` command.

    Returns the exit code: 0 done, 1 the data has problems (listed), 2 the
    command cannot run as given (a one-line message, never a traceback).
    """
    try:
        return _main(argv)
    except (UserError, OptionError, FileNotFoundError, NotADirectoryError) as error:
        command = f"ipbench {_command_of(argv)}".strip()
        print(f"{command}: error: {_one_line(error)}", file=sys.stderr)
        return 2


def _command_of(argv: Sequence[str] | None) -> str:
    words = list(sys.argv[1:] if argv is None else argv)
    return next((word for word in words if not word.startswith("-")), "")


def _one_line(error: BaseException) -> str:
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror.lower()}"
    return " ".join(str(error).split())


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="ipbench", description="Cross-region benchmarking of IP indicators."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate",
        help="validate a datasets folder or an observations file; print a per-table summary",
    )
    validate.add_argument(
        "path",
        nargs="?",
        help="a folder holding the tables, or an observations CSV/Excel file "
        "(default: the built-in datasets)",
    )
    for table in ("regions", "indicators", "sources"):
        validate.add_argument(
            f"--{table}", metavar="FILE", help=f"your own {table} added to the built-in ones"
        )
    validate.add_argument(
        "--encoding",
        help="the encoding of a CSV file that is not UTF-8 (for example gb18030)",
    )
    validate.add_argument(
        "--errors-out",
        metavar="FILE",
        help="write every problem found to this CSV file (the screen shows the first of each "
        "column)",
    )
    report = commands.add_parser(
        "report",
        help="regenerate every chart and table: index.html, figures/, figures.pdf, tables/, "
        "tables.xlsx",
    )
    report.add_argument(
        "--out",
        required=True,
        help="output folder: new, empty, or an earlier report (whose stale files are removed)",
    )
    report.add_argument("--lang", choices=["zh", "en"], default="zh")
    report.add_argument(
        "--formats",
        default="html,svg,png,pdf",
        help="comma-separated, from html,svg,png,pdf (default: all)",
    )
    report.add_argument(
        "--data",
        metavar="FILE_OR_FOLDER",
        help="your observations instead of the built-in data: a CSV/Excel file, or a folder "
        "laid out like datasets/ (observations.csv and any of regions, indicators, sources, "
        "denominators, plans .csv, which extend the built-in catalog)",
    )
    report.add_argument(
        "--with-builtin",
        action="store_true",
        help="add the built-in observations to --data, so your regions are compared with them",
    )
    report.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty --out that is not an earlier report (its files are kept)",
    )
    report.add_argument(
        "--fallback-en",
        action="store_true",
        help="draw a PNG/PDF/SVG figure in English when no CJK font draws its Chinese text",
    )
    _extract.add_command(commands)
    args = parser.parse_args(argv)
    _check_paths(args)
    if args.command == "extract":
        return _extract.run_command(args)
    if args.command == "validate":
        return _run_validate(args)
    if args.command == "report":
        return _run_report(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
