"""How well ``ipbench.extract`` reads the five seed documents, and how fast.

Run ``python benchmarks/extract_eval.py``. For each seed it prints:

- recall: the share of the dataset's rows from that document that a candidate
  finds: same value (within rounding), measure, status and period year (the
  year of ``period_end``), and evidence that overlaps one of the places the
  dataset's evidence phrase stands in the text;
- precision: the share of candidates that find a dataset row or are figures
  judged true (listed below, each with why), out of all candidates, whatever
  their confidence;
- id accuracy: among found rows, the share where the candidate names the
  dataset's indicator id (``unmapped`` counts as wrong).

Then every candidate that found no row, with its judgement, and every row not
found. Finally the time to extract from 1 MiB of text (the seeds repeated).
The seeds live in ``../shared/seeds`` beside the repository (``IPBENCH_SEEDS_DIR``
overrides).
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

import ipbench
from ipbench._extract import UNMAPPED

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("IPBENCH_SEEDS_DIR", REPO.parent / "shared" / "seeds"))

#: Candidates that find no dataset row but state a true figure of the document, judged
#: by reading the text: (source, value, a phrase of the evidence) -> why it is true.
JUDGED_TRUE: dict[tuple[str, float, str], str] = {
    ("xuanwu_ip_plan_14fyp", 1.0, "国家知识产权试点示范园区1个"): (
        "project box 1 restates the park target as 获批…1个 (approved by 2025): the same "
        "target as 新增…1个, read as the stock id because 新增 is not written there"
    ),
    ("xuanwu_ip_plan_14fyp", 10.0, "新增10名"): (
        "project box 7 restates the 10 high-level IP talents target in other words"
    ),
}


def _occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(phrase)
    while start >= 0:
        spans.append((start, start + len(phrase)))
        start = text.find(phrase, start + 1)
    return spans


def _spans(cell: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (part.split("-") for part in cell.split(";"))]


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _same(candidate: pd.Series, row: pd.Series) -> bool:
    return (
        math.isclose(candidate["value"], row["value"], rel_tol=1e-9, abs_tol=1e-9)
        and str(candidate["measure"]) == str(row["measure"])
        and str(candidate["status"]) == str(row["status"])
        and pd.notna(candidate["period_end"])
        and candidate["period_end"].year == row["period_end"].year
    )


def evaluate(source: str, file: str, rows: pd.DataFrame) -> tuple[dict[str, object], list[str]]:
    """Score one seed; return its line of the table and the lines of the listing."""
    text = (SEEDS / file).read_text(encoding="utf-8")
    adcode = rows["adcode"].mode().iloc[0]
    candidates = ipbench.extract(SEEDS / file, adcode=adcode, source=source)
    found_rows, right_ids, used = 0, 0, set()
    missed: list[str] = []
    for _, row in rows.iterrows():
        places = _occurrences(text, row["evidence"])
        hits = [
            i
            for i, candidate in candidates.iterrows()
            if _same(candidate, row) and _overlaps(_spans(candidate["spans"]), places)
        ]
        if not hits:
            missed.append(f"  missed  {row['indicator']} {row['value']:g} {row['evidence']}")
            continue
        found_rows += 1
        used.update(hits)
        right_ids += any(candidates.at[i, "indicator"] == row["indicator"] for i in hits)
    judged, listing = 0, []
    for i, candidate in candidates.iterrows():
        if i in used:
            continue
        why = next(
            (
                reason
                for (src, value, phrase), reason in JUDGED_TRUE.items()
                if src == source and value == candidate["value"] and phrase in candidate["evidence"]
            ),
            None,
        )
        judged += why is not None
        verdict = f"true: {why}" if why else "not a dataset figure"
        listing.append(
            f"  extra   {candidate['indicator']} {candidate['value']:g} "
            f"{candidate['evidence'][:40]!r} [{candidate['confidence']:.2f}] -> {verdict}"
        )
    line = {
        "document": source,
        "rows": len(rows),
        "found": found_rows,
        "candidates": len(candidates),
        "true": len(used) + judged,
        "right_id": right_ids,
        "unmapped": int((candidates["indicator"] == UNMAPPED).sum()),
    }
    return line, missed + listing


def _ratios(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    table["recall"] = (table["found"] / table["rows"]).round(3)
    table["precision"] = (table["true"] / table["candidates"]).round(3)
    table["id_accuracy"] = (table["right_id"] / table["found"]).round(3)
    return table


def timing() -> str:
    """Extract from 1 MiB of UTF-8 text, the seeds repeated; say how long it took."""
    seeds = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    text = seeds
    while len(text.encode("utf-8")) < 2**20:
        text += "\n" + seeds
    text = text.encode("utf-8")[: 2**20].decode("utf-8", errors="ignore")
    lines = []
    built_in = SimpleNamespace(indicators=ipbench.load_indicators(), sources=ipbench.load_sources())
    for when in ("catalog=None", "catalog given"):
        # with catalog=None each call reads the built-in catalog (cached after the first load
        # in a process; that first load, with Pandera's import, adds about a second)
        catalog = None if when == "catalog=None" else built_in
        started = time.perf_counter()
        found = ipbench.extract(
            text, adcode="320100", source="nanjing_ipweek_2022", catalog=catalog
        )
        seconds = time.perf_counter() - started
        lines.append(
            f"1 MiB of text ({len(text):,} characters), {when}: "
            f"{len(found)} candidates in {seconds:.2f} s"
        )
    return "\n".join(lines)


def main() -> int:
    """Print the table, the listing and the timing."""
    if not SEEDS.is_dir():
        print(f"no seeds at {SEEDS}; set IPBENCH_SEEDS_DIR", file=sys.stderr)
        return 1
    observations = ipbench.load_observations()
    sources = ipbench.load_sources().dropna(subset=["file"])
    lines, listing = [], []
    for source, file in zip(sources["source"], sources["file"], strict=True):
        rows = observations[observations["source"] == source]
        line, details = evaluate(source, file, rows)
        lines.append(line)
        listing += [f"{source}:", *details]
    table = pd.DataFrame(lines)
    total = table.drop(columns="document").sum().to_frame().T
    total.insert(0, "document", "overall")
    table = _ratios(pd.concat([table, total], ignore_index=True))
    print(table.to_string(index=False))
    print()
    print("\n".join(listing))
    print()
    print(timing())
    return 0


if __name__ == "__main__":
    sys.exit(main())
