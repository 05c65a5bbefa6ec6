"""Time the analytics pipeline and its peak memory, against a naive pandas version.

For the built-in data and for ``ipbench.synthetic_panel`` at several scales of
3,000 regions × 40 indicators × 15 years (about 1.8 million rows at 1×; a
scale multiplies the regions), each run in a fresh Python process, prints:

- per stage (read CSV text → catalog → validate → per_capita → growth →
  ambition → benchmark) the wall time and the peak RSS so far
  (``ru_maxrss`` after the stage: the process's running high-water mark);
  the total is validate to benchmark, the stages issue 9 sets targets for;
- ``import ipbench`` against ``import pandas`` (best of 5 fresh processes);
- ipbench beside the naive pandas version (``naive_pipeline.py``) on the
  same CSV files, stage by stage, with the ratio ipbench / naive.

The synthetic panel is written as CSV files once per scale (by another
process, not timed) and both pipelines start from the observations as text
cells (``pandas.read_csv(dtype=str)``), as a user's file arrives.

    python benchmarks/bench_pipeline.py                      # 0.25×, 0.5×, 1×, 2×
    python benchmarks/bench_pipeline.py --scales 0.25 1      # chosen scales
    python benchmarks/bench_pipeline.py --quick              # 0.25× only

Timings on a shared machine are noisy: compare ratios, and run again before
believing a difference of a few percent.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: The 1× panel: a national panel of cities.
REGIONS, INDICATORS, YEARS = 3000, 40, 15
#: Stages whose times add up to the pipeline total (reading the text and building the
#: catalog are shown, not added: a user does each once per session).
PIPELINE = ("validate", "per_capita", "growth", "ambition", "benchmark")
HERE = Path(__file__).resolve().parent


def peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: One stage of a run: its name, wall seconds, CPU seconds (user + system) and the peak RSS
#: in MB after it.
Row = tuple[str, float, float, float]


class Stages:
    """Run steps one after another, recording wall and CPU time and peak RSS after each.

    CPU time is shown beside wall time because the machine is shared: when
    other processes compete for the cores, wall time grows and CPU time does not.
    """

    def __init__(self) -> None:
        self.rows: list[Row] = [("start (imports)", 0.0, 0.0, peak_rss_mb())]

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        self.rows.append(
            (name, time.perf_counter() - wall, time.process_time() - cpu, peak_rss_mb())
        )
        return result


# ----------------------------------------------------------------------------- children


def child_generate(scale: float, folder: Path) -> dict[str, Any]:
    import ipbench  # noqa: PLC0415 (each child imports only what it measures)

    # the scale multiplies the regions: rows grow in proportion, series keep their length
    regions, indicators, years = max(2, round(REGIONS * scale)), INDICATORS, YEARS
    panel = ipbench.synthetic_panel(regions, indicators, years)
    panel.to_folder(folder)
    return {
        "rows": len(panel.observations),
        "regions": regions,
        "indicators": indicators,
        "years": years,
    }


def _read_text(path: Path) -> Any:
    import pandas as pd  # noqa: PLC0415

    return pd.read_csv(path, dtype=str, keep_default_na=False)


def child_ipbench(folder: Path) -> list[Row]:
    import ipbench  # noqa: PLC0415

    stages = Stages()
    text = stages.run("read CSV", lambda: _read_text(folder / "observations.csv"))
    catalog = stages.run("catalog", lambda: ipbench.Catalog.from_folder(folder))
    ids = list(_read_text(folder / "indicators.csv")["indicator"])
    obs = stages.run("validate", lambda: ipbench.validate(text, catalog=catalog))
    stages.run(
        "per_capita",
        lambda: ipbench.per_capita(obs[obs["status"] == "actual"], nearest_year=True),
    )
    stages.run("growth", lambda: ipbench.growth(obs))
    stages.run("ambition", lambda: ipbench.ambition(obs))
    stages.run("benchmark", lambda: ipbench.benchmark(obs, ids))
    return stages.rows


def child_naive(folder: Path) -> list[Row]:
    sys.path.insert(0, str(HERE))
    import naive_pipeline as naive  # noqa: PLC0415

    stages = Stages()
    text = stages.run("read CSV", lambda: naive.read_text(folder))
    catalog = stages.run("catalog", lambda: naive.read_catalog(folder))
    obs = stages.run("validate", lambda: naive.validate(text, catalog))
    rates = stages.run("per_capita", lambda: naive.per_capita(obs, catalog))
    stages.run("growth", lambda: naive.growth(obs, catalog))
    stages.run("ambition", lambda: naive.ambition(obs, catalog, rates))
    stages.run("benchmark", lambda: naive.benchmark(obs, catalog))
    return stages.rows


def child_builtin(repeat: int) -> dict[str, Any]:
    """The built-in pipeline once cold (first call: lazy imports, tables loaded), then warm."""
    import ipbench  # noqa: PLC0415
    from ipbench._load import data_dir  # noqa: PLC0415

    def once(stages: Stages) -> None:
        text = stages.run("read CSV", lambda: _read_text(data_dir() / "observations.csv"))
        catalog = stages.run("catalog", ipbench.Catalog.builtin)
        obs = stages.run("validate", lambda: ipbench.validate(text, catalog=catalog))
        actual = obs[obs["status"] == "actual"]
        stages.run("per_capita", lambda: ipbench.per_capita(actual, nearest_year=True))
        stages.run("growth", lambda: ipbench.growth(obs))
        stages.run("ambition", lambda: ipbench.ambition(obs))
        levels = actual[actual["measure"] == "level"]
        ids = sorted(levels["indicator"].unique())
        stages.run("benchmark", lambda: ipbench.benchmark(obs, ids))

    cold = Stages()
    once(cold)
    warm: list[list[Row]] = []
    for _ in range(repeat):
        run = Stages()
        once(run)
        warm.append(run.rows)
    best = [
        (
            row[0],
            min(run[i][1] for run in warm),
            min(run[i][2] for run in warm),
            max(run[i][3] for run in warm),
        )
        for i, row in enumerate(warm[0])
    ]
    rows = len(_read_text(data_dir() / "observations.csv"))
    return {"cold": cold.rows, "warm": best, "rows": rows}


def child(argv: Sequence[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["generate", "ipbench", "naive", "builtin"])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if args.kind == "generate":
        result: Any = child_generate(args.scale, args.folder)
    elif args.kind == "ipbench":
        result = child_ipbench(args.folder)
    elif args.kind == "naive":
        result = child_naive(args.folder)
    else:
        result = child_builtin(args.repeat)
    print(json.dumps(result))


# ------------------------------------------------------------------------------- parent


def in_fresh_process(*args: str) -> Any:
    """Run this script as a child in a fresh interpreter; return what it printed last (JSON)."""
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def import_seconds(module: str, repeat: int) -> tuple[float, float]:
    """Best of ``repeat`` fresh interpreters: wall and CPU seconds of ``import module`` alone."""
    code = (
        "import time; w, c = time.perf_counter(), time.process_time(); "
        f"import {module}; print(time.perf_counter() - w, time.process_time() - c)"
    )
    walls, cpus = [], []
    for _ in range(repeat):
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        wall, cpu = completed.stdout.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
    return min(walls), min(cpus)


def code_version() -> str:
    """The commit measured, and how many files under src/ differ from it (a shared tree)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=False,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "../src"],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=False,
        ).stdout.splitlines()
    except OSError:
        return "not a git checkout"
    return f"commit {head or '?'}, {len(changed)} file(s) under src/ changed or new"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned plain text: first column left, the others right."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(cell).rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def with_total(rows: list[list[Any]]) -> list[Row]:
    """Add the pipeline total (validate → benchmark) and the peak RSS of the whole run."""
    wall = sum(row[1] for row in rows if row[0] in PIPELINE)
    cpu = sum(row[2] for row in rows if row[0] in PIPELINE)
    typed: list[Row] = [(str(r[0]), float(r[1]), float(r[2]), float(r[3])) for r in rows]
    return [*typed, ("total validate→benchmark", wall, cpu, max(row[3] for row in typed))]


def seconds_text(stage: str, seconds: float) -> str:
    """Seconds to 3 decimals; blank for the start row, which times nothing."""
    return "" if stage.startswith("start") else f"{seconds:.3f}"


def ratio_text(stage: str, ours: float, theirs: float) -> str:
    return "" if stage.startswith("start") or theirs <= 0 else f"{ours / theirs:.2f}"


def scale_label(scale: float) -> str:
    return f"{scale:g}×"


def show_builtin(repeat: int) -> None:
    result = in_fresh_process("builtin", "--repeat", str(repeat))
    cold, warm = with_total(result["cold"]), with_total(result["warm"])
    print(f"\nBuilt-in data ({result['rows']} rows; benchmark: every indicator with an actual")
    print("level). Cold = the first call in a fresh process (lazy imports, built-in tables")
    print(f"loaded); warm = best of {repeat} further calls. Seconds; peak RSS MB after the stage\n")
    rows = [
        [
            c[0],
            seconds_text(c[0], c[1]),
            seconds_text(c[0], c[2]),
            seconds_text(w[0], w[1]),
            seconds_text(w[0], w[2]),
            f"{c[3]:.0f}",
        ]
        for c, w in zip(cold, warm, strict=True)
    ]
    print(table(["stage", "cold wall", "cold cpu", "warm wall", "warm cpu", "peak MB"], rows))


def show_imports(repeat: int) -> None:
    pandas = import_seconds("pandas", repeat)
    ipbench = import_seconds("ipbench", repeat)
    print(f"\nImport time, best of {repeat} fresh processes\n")
    print(
        table(
            ["import", "wall s", "× pandas", "cpu s", "× pandas"],
            [
                ["pandas", f"{pandas[0]:.3f}", "1.00", f"{pandas[1]:.3f}", "1.00"],
                [
                    "ipbench",
                    f"{ipbench[0]:.3f}",
                    f"{ipbench[0] / pandas[0]:.2f}",
                    f"{ipbench[1]:.3f}",
                    f"{ipbench[1] / pandas[1]:.2f}",
                ],
            ],
        )
    )


def run_scales(scales: Sequence[float], naive: bool) -> None:
    runs: dict[float, dict[str, Any]] = {}
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix="ipbench-bench-") as folder:
            shape = in_fresh_process("generate", "--scale", str(scale), "--folder", folder)
            ours = with_total(in_fresh_process("ipbench", "--folder", folder))
            theirs = with_total(in_fresh_process("naive", "--folder", folder)) if naive else None
        runs[scale] = {"shape": shape, "ipbench": ours, "naive": theirs}
        print(
            f"  done {scale_label(scale)}: {shape['rows']:,} rows, "
            f"ipbench {ours[-1][1]:.2f} s, {ours[-1][3]:.0f} MB",
            file=sys.stderr,
        )
    print("\nSynthetic panel (ipbench.synthetic_panel), one fresh process per scale and pipeline:")
    for scale, run in runs.items():
        shape = run["shape"]
        print(
            f"  {scale_label(scale)}: {shape['regions']} regions × {shape['indicators']} "
            f"indicators × {shape['years']} years = {shape['rows']:,} rows"
        )
    print("\nipbench: wall seconds, CPU seconds, peak RSS MB after the stage\n")
    header = ["stage"]
    for scale in scales:
        label = scale_label(scale)
        header += [f"{label} wall", f"{label} cpu", f"{label} MB"]
    rows = []
    for i, (stage, *_) in enumerate(runs[scales[0]]["ipbench"]):
        cells = [stage]
        for scale in scales:
            _, wall, cpu, rss = runs[scale]["ipbench"][i]
            cells += [seconds_text(stage, wall), seconds_text(stage, cpu), f"{rss:.0f}"]
        rows.append(cells)
    print(table(header, rows))
    if not naive:
        return
    for scale, run in runs.items():
        print(
            f"\nipbench vs naive pandas at {scale_label(scale)} ({run['shape']['rows']:,} rows): "
            "wall s, CPU s, peak RSS MB; ratio = ipbench / naive\n"
        )
        rows = []
        for ours, theirs in zip(run["ipbench"], run["naive"], strict=True):
            stage = ours[0]
            rows.append(
                [
                    stage,
                    seconds_text(stage, ours[1]),
                    seconds_text(stage, theirs[1]),
                    ratio_text(stage, ours[1], theirs[1]),
                    seconds_text(stage, ours[2]),
                    seconds_text(stage, theirs[2]),
                    ratio_text(stage, ours[2], theirs[2]),
                    f"{ours[3]:.0f}",
                    f"{theirs[3]:.0f}",
                    f"{ours[3] / theirs[3]:.2f}",
                ]
            )
        header = [
            "stage",
            "ipbench wall",
            "naive wall",
            "ratio",
            "ipbench cpu",
            "naive cpu",
            "ratio",
        ]
        print(table([*header, "ipbench MB", "naive MB", "ratio"], rows))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--scales",
        type=float,
        nargs="+",
        default=[0.25, 0.5, 1.0, 2.0],
        help="multiples of 3000 regions × 40 indicators × 15 years (default 0.25 0.5 1 2)",
    )
    parser.add_argument("--quick", action="store_true", help="0.25× only")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of the built-in data")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pandas version")
    parser.add_argument("--no-builtin", action="store_true", help="skip the built-in data")
    args = parser.parse_args()
    scales = [0.25] if args.quick else args.scales
    if any(scale <= 0 for scale in scales):
        parser.error(f"--scales must be positive; got {scales}")
    print(f"Python {sys.version.split()[0]}; {code_version()} at the start")
    print("Wall times on a shared machine are noisy: CPU seconds (user + system) are steadier")
    show_imports(5)
    if not args.no_builtin:
        show_builtin(args.repeat)
    run_scales(scales, naive=not args.no_naive)


if __name__ == "__main__":
    main()
