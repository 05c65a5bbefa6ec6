"""Propose candidate observation rows from a Chinese document, for a person to review.

The extractor reads the figures of a statistics briefing, a work report, a plan
or a news item, in simplified or traditional Chinese, and proposes one row of the
observations contract for each, with the verbatim evidence it was read from.
It never writes a dataset: a reviewer keeps, corrects or drops each row, and
``ipbench validate`` checks the result.

How a figure is read
--------------------
1. **The document** is read as text (``.txt``, ``.html``, ``.docx``, ``.pdf``) and
   a working copy of the same length is made for matching: markup blanked,
   full-width digits and signs made ASCII, traditional characters made
   simplified (OpenCC). Offsets into the copy are offsets into the original, so
   ``evidence`` is always a verbatim slice of what the document says.
2. **A figure** is a number with its measure word (``2.03万件``, ``近500人``,
   ``五六家``, ``5−6家``, ``＞2800``): :func:`ipbench.parse_quantity` reads it,
   so qualifiers and Chinese numerals have one home.
3. **Its indicator** is the catalog alias that ends right before it (statistical
   style: ``专利授权量23800件``) or, failing that, one that follows it in its
   clause (enumerative style: ``23个商标品牌指导站``). A verb with no subject
   (``结案65件``) borrows the subject of the figure before it; ``新增`` before an
   enumeration applies to each item. Words the catalog does not know give the
   ``unmapped`` marker with the phrase in ``indicator_label``, never a guess.
4. **Its measure**: ``同比增长``/``下降`` (yoy), ``占全省`` (share of the parent),
   ``是全省的…倍`` (multiple of the parent) attach to the figure before.
5. **Its status and period**: a section headed ``目标`` or a line ``目标：`` holds
   targets; the nearest time phrase before the figure in its sentence, paragraph
   or section dates it (``截至2021年底``, ``2019年至2021年``, ``"十三五"期间``,
   ``去年`` against the publication date); a stock is dated, a flow spans a window.
6. **One candidate a figure**: a figure stated twice (text and table) is one row
   with both spans; two readings with one key keep the more confident one and
   leave the other ``unmapped`` with the id in its note.
"""

from __future__ import annotations

import bisect
import html
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ipbench import _extract_patterns as pat
from ipbench._errors import ExtractError
from ipbench._load import OBSERVATION_COLUMNS, load_indicators, load_sources
from ipbench._units import QuantityParseError, parse_quantity
from ipbench._vocabulary import MEASURE_UNITS, MEASURES, QUALIFIERS, STATUSES

__all__ = ["EXTRACT_COLUMNS", "UNMAPPED", "ExtractError", "extract", "read_document"]

#: The indicator of a candidate whose phrase the catalog has no id for.
UNMAPPED = "unmapped"
#: The columns of the observation contract, in order (one home: ``_load``).
CONTRACT_COLUMNS = list(OBSERVATION_COLUMNS)
#: What a reviewer sees besides the contract: how sure, where, and the phrase read.
REVIEW_COLUMNS = ["confidence", "span_start", "span_end", "spans", "indicator_label"]
EXTRACT_COLUMNS = CONTRACT_COLUMNS + REVIEW_COLUMNS

#: Confidence of each way a candidate is read; a reviewer sorts by it.
CONFIDENCE = {
    "label_before": 0.9,
    "table": 0.85,
    "label_after": 0.75,
    "label_in_clause": 0.55,
    "borrowed_subject": 0.7,
    "inherited": 0.85,
    "unmapped": 0.3,
    "one_without_number": 0.4,
    "event": 0.3,
}
#: Lowered when a period is not written and is read from the publication date.
UNDATED_PENALTY = 0.15
_TEXT_SUFFIXES = (".txt", ".md", ".csv")
#: The longest label read as a verb without a subject (结案, 审结, 办结).
_BARE_VERB = 3
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


# --- reading documents ---------------------------------------------------------------------


def read_document(path: str | Path) -> str:
    """Read a document as text: plain text, HTML, Word (.docx) or PDF.

    Word and PDF need the optional ``extract`` extra (python-docx, pypdf).
    A Word table is written one row a line, its cells separated by tabs.

    Parameters
    ----------
    path : str or pathlib.Path
        The document.

    Returns
    -------
    str
        Its text; for HTML the text without tags (entities decoded).

    Raises
    ------
    ExtractError
        When the file does not exist or its kind is not one of these.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.html").write_text("<p>专利授权量1.2万件&nbsp;</p>", encoding="utf-8")
    >>> read_document(folder / "a.html").strip()
    '专利授权量1.2万件'
    """
    path = Path(path)
    if not path.is_file():
        raise ExtractError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES or not suffix:
        return _decode(path.read_bytes(), path)
    if suffix in _HTML_SUFFIXES:
        return _html_text(_decode(path.read_bytes(), path))
    if suffix == ".docx":
        return _docx_text(path)
    if suffix == ".pdf":
        return _pdf_text(path)
    raise ExtractError(
        f"{path}: cannot read a {suffix!r} file; expected .txt, .html, .docx or .pdf"
    )


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ExtractError(f"{path}: not UTF-8 or GB18030 text; save it as UTF-8")


def _html_text(markup: str) -> str:
    # block elements end a line, so sentences and table rows stay apart
    markup = re.sub(r"(?i)<(?:br|/p|/div|/tr|/li|/h\d)\b[^>]*>", "\n", markup)
    markup = re.sub(r"(?i)</t[dh]>", "\t", markup)
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", markup)
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def _optional(module: str, package: str, what: str) -> Any:
    try:
        return __import__(module)
    except ImportError:
        raise ExtractError(
            f"{what} needs the optional package {package!r}: pip install 'ipbench[extract]'"
        ) from None


def _docx_text(path: Path) -> str:
    docx = _optional("docx", "python-docx", "reading a Word file")
    document = docx.Document(str(path))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines.extend("\t".join(cell.text.strip() for cell in row.cells) for row in table.rows)
    return "\n".join(lines)


def _pdf_text(path: Path) -> str:
    pypdf = _optional("pypdf", "pypdf", "reading a PDF file")
    reader = pypdf.PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


# --- the working copy ----------------------------------------------------------------------


def _needs_conversion(text: str) -> bool:
    return not pat.TRADITIONAL_MARKERS.isdisjoint(text)


def _to_simplified(text: str) -> str:
    """Convert traditional to simplified characters, keeping every offset."""
    opencc = _optional("opencc", "opencc-python-reimplemented", "reading traditional Chinese")
    converter = opencc.OpenCC("t2s")
    converted = str(converter.convert(text))
    if len(converted) == len(text):
        return converted
    # a phrase rule changed the length: convert character by character instead
    table = {char: str(converter.convert(char)) for char in set(text)}
    return "".join(table[c] if len(table[c]) == 1 else c for c in text)


# full-width ASCII becomes ASCII, except the Chinese comma: 120，340件 is two figures, and an
# ASCII comma between digits would read as a thousands separator
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
_FULL_WIDTH.update({0x3000: 0x20, 0xA0: 0x20})


def _working_copy(text: str) -> str:
    """Make a copy of ``text`` of the same length, normalised for matching."""
    work = text.translate(_FULL_WIDTH)
    # markup becomes blanks; a tag that ends a block becomes a line end
    work = pat.MARKUP.sub(lambda m: ("\n" if m[0].startswith("<") else " ") * len(m[0]), work)
    return _to_simplified(work) if _needs_conversion(work) else work


# --- catalog -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Catalog:
    aliases: list[tuple[str, str]]  # (alias, indicator), longest first
    unit: dict[str, str]
    kind: dict[str, str]  # stock or flow; a rate takes its base indicator's kind
    published: dict[str, pd.Timestamp]
    rates: frozenset[str] = frozenset()  # indicators counted per some denominator
    rate_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (base, denominator)

    @classmethod
    def of(cls, catalog: Any) -> _Catalog:
        given = getattr(catalog, "indicators", None)
        if catalog is None:
            indicators: pd.DataFrame = load_indicators()
            sources: object = load_sources()
        elif isinstance(given, pd.DataFrame):
            indicators, sources = given, getattr(catalog, "sources", None)
        else:
            raise ExtractError(
                "catalog: expected None (the built-in catalog) or an object with an "
                f"`indicators` DataFrame (such as ipbench.Catalog), got {type(catalog)!r}"
            )
        aliases = _aliases(indicators)
        is_rate = indicators["unit"].astype(str).str.contains("/", regex=False)
        rates = frozenset(indicators.loc[is_rate, "indicator"].astype(str))
        rate_of = {
            (str(row.base_indicator), str(row.denominator)): str(row.indicator)
            for row in indicators[is_rate].itertuples(index=False)
            if isinstance(row.base_indicator, str) and isinstance(row.denominator, str)
        }
        kinds = dict(zip(indicators["indicator"], indicators["kind"].astype(str), strict=True))
        bases = dict(zip(indicators["indicator"], indicators["base_indicator"], strict=True))
        for indicator, kind in list(kinds.items()):
            base = bases.get(indicator)
            if kind == "rate" and isinstance(base, str):
                kinds[indicator] = kinds.get(base, "stock")
        published: dict[str, pd.Timestamp] = {}
        if isinstance(sources, pd.DataFrame) and {"source", "published"} <= set(sources):
            for source, date in zip(sources["source"], sources["published"], strict=True):
                if pd.notna(date):
                    published[str(source)] = pd.Timestamp(date)
        units = dict(zip(indicators["indicator"], indicators["unit"].astype(str), strict=True))
        return cls(aliases, units, kinds, published, rates, rate_of)


def _aliases(indicators: pd.DataFrame) -> list[tuple[str, str]]:
    """List (alias, indicator) pairs, longest first; a written alias wins over a derived form."""
    pairs: dict[str, str] = {}
    derived: dict[str, str] = {}
    for row in indicators.itertuples(index=False):
        for written in {str(row.name_zh), *str(row.aliases_zh).split("|")}:
            alias = written.strip().translate(_FULL_WIDTH)  # as the working copy writes it
            if len(alias) >= 2:
                pairs.setdefault(alias, str(row.indicator))
                for form in _alias_forms(alias, str(row.unit)):
                    derived.setdefault(form, str(row.indicator))
    for form, indicator in derived.items():
        pairs.setdefault(form, indicator)
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def _alias_forms(alias: str, unit: str) -> Iterable[str]:
    """Yield the ways an alias is also written: another amount word, or no 量.

    >>> sorted(_alias_forms("知识产权质押融资总额", "元"))
    ['知识产权质押融资金额', '知识产权质押融资额']
    >>> sorted(_alias_forms("发明专利授权量", "件"))
    ['发明专利授权', '发明专利授权总量']
    """
    if unit.endswith("元"):
        ends = (alias[: -len(end)] for end in pat.AMOUNT_ENDINGS if alias.endswith(end))
        stem = next(ends, alias)
        if len(stem) >= pat.SHORTEST_STEM:
            yield from (stem + end for end in pat.AMOUNT_ENDINGS if stem + end != alias)
        return
    for end in pat.COUNT_ENDINGS:
        stem = alias.removesuffix(end)
        if stem != alias and len(stem) >= pat.SHORTEST_STEM:
            yield stem
            yield from (stem + other for other in pat.COUNT_ENDINGS if stem + other != alias)
            return


def _qualified(
    catalog: _Catalog, text: str, found: tuple[str, str, int] | None
) -> tuple[str, str, int] | None:
    """Read the words before an alias that change what it names.

    A per-unit qualifier (每万人口, 万人) before the alias of a count makes a rate:
    the catalog's rate whose base is that count, else ``unmapped``. A modifier
    that narrows the alias (实用新型 before 专利授权量) names a part of what the
    alias counts: ``unmapped``. Either way the words join the label (and the
    evidence), so nothing is dropped silently.
    """
    if found is None:
        return None
    alias, indicator, start = found
    before = text[:start]
    if indicator not in catalog.rates:
        for word, denominator in pat.PER_UNIT_QUALIFIERS.items():
            if before.endswith(word):
                rate = catalog.rate_of.get((indicator, denominator or ""), UNMAPPED)
                return word + alias, rate, start - len(word)
    for word in pat.NARROWING_MODIFIERS:
        if before.endswith(word):
            return word + alias, UNMAPPED, start - len(word)
    return found


def _find_alias(catalog: _Catalog, text: str) -> tuple[str, str, int] | None:
    """Find the longest alias that ends ``text``, up to filler words (达, 共, ）…).

    Returns the alias, its indicator and where it starts in ``text``.
    """
    best: tuple[str, str, int] | None = None
    for variant in _variants(text):
        for alias, indicator in catalog.aliases:
            if best is not None and len(alias) < len(best[0]):
                break
            position = variant.rfind(alias)
            if position < 0 or not pat.LABEL_GAP.match(variant[position + len(alias) :]):
                continue
            start = text.rfind(alias) if variant is not text else position
            if best is None or len(alias) > len(best[0]):
                best = (alias, indicator, max(start, 0))
            break
    return _qualified(catalog, text, best)


def _first_alias(catalog: _Catalog, text: str) -> tuple[str, str, int] | None:
    """Find the alias that starts first in ``text`` (the longest of those starting there)."""
    best: tuple[str, str, int] | None = None
    for alias, indicator in catalog.aliases:
        position = text.find(alias)
        if position >= 0 and (best is None or position < best[2]):
            best = (alias, indicator, position)
    return _qualified(catalog, text, best)


def _variants(text: str) -> Iterable[str]:
    yield text
    stripped = text
    for filler in pat.LABEL_FILLERS:
        stripped = stripped.replace(filler, "")
    if stripped != text:
        yield stripped


def _find_split_alias(catalog: _Catalog, previous: str, current: str) -> tuple[str, str] | None:
    """Find an alias split between the subject of the figure before and this verb.

    ``受理各类知识产权民事案件2123件，结案2895件``: 结案 has no subject of its own;
    the alias 知识产权民事案件结案 is 知识产权民事案件 (before) + 结案 (here).
    """
    current = list(_variants(current))[-1]
    if not 2 <= len(current) <= _BARE_VERB:
        return None
    stripped = list(_variants(previous))[-1]
    best: tuple[str, str] | None = None
    for alias, indicator in catalog.aliases:
        if best is not None and len(alias) <= len(best[0]):
            break
        head = alias[: len(alias) - len(current)]
        if head and alias.endswith(current) and (head in previous or head in stripped):
            best = (alias, indicator)
    return best


# --- structure: sentences, sections, times -------------------------------------------------


@dataclass(frozen=True)
class _Time:
    start: int
    end: int
    window: tuple[pd.Timestamp, pd.Timestamp]
    date: pd.Timestamp
    stated_start: bool  # whether the phrase states when a flow began
    target_year: bool = False


@dataclass
class _Structure:
    sentence_starts: list[int]
    line_starts: list[int]
    section_at: np.ndarray[Any, np.dtype[np.int64]]  # where the innermost section starts, or -1
    target_at: np.ndarray[Any, np.dtype[np.bool_]]  # in a target section or a 目标： line
    times: list[_Time]
    time_starts: list[int]
    plan_window: tuple[pd.Timestamp, pd.Timestamp] | None


def _year_window(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)


def _month_end(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


def _inside_title(work: str, position: int) -> bool:
    """Whether ``position`` is inside 《…》 or （…） (a title or an aside, not a date)."""
    left = work[max(0, position - 60) : position]
    for opening, closing in (("《", "》"), ("（", "）"), ("(", ")")):
        if left.rfind(opening) > left.rfind(closing):
            return True
    return False


_Found = Iterable[tuple[re.Match[str], _Time]]


def _times(work: str, published: pd.Timestamp | None) -> list[_Time]:
    """Every time phrase of the text; where two overlap, the more specific one."""
    found: list[_Time] = []
    taken = np.zeros(len(work) + 1, dtype=bool)
    readers: list[Callable[[str], _Found]] = [_plan_times, _calendar_times]
    if published is not None:
        readers.append(lambda text: _relative_times(text, published))
    for reader in readers:
        for match, time in reader(work):
            if taken[match.start() : match.end()].any() or _inside_title(work, match.start()):
                continue
            taken[match.start() : match.end()] = True
            found.append(time)
    return sorted(found, key=lambda time: time.start)


def _plan_times(work: str) -> _Found:
    for match in pat.FIVE_YEAR_PLAN.finditer(work):
        number = pat.FIVE_YEAR_PLAN_NUMBERS.get(match["n"], 0)
        if number >= 3:
            first = 1966 + 5 * (number - 3)
            window = (pd.Timestamp(first, 1, 1), pd.Timestamp(first + 4, 12, 31))
            yield match, _Time(match.start(), match.end(), window, window[1], True)


def _calendar_times(work: str) -> _Found:
    for match in pat.YEAR_WINDOW.finditer(work):
        y1, y2 = int(match["y1"]), int(match["y2"])
        if y2 > y1 or (y1 == y2 and match["m1"] and match["m2"]):
            start = pd.Timestamp(y1, int(match["m1"] or 1), 1)
            end = _month_end(y2, int(match["m2"])) if match["m2"] else pd.Timestamp(y2, 12, 31)
            yield match, _Time(match.start(), match.end(), (start, end), end, True)
    for match in pat.YEAR_END.finditer(work):
        year = int(match["y"])
        date = _month_end(year, int(match["m"])) if match["m"] else pd.Timestamp(year, 12, 31)
        window = (pd.Timestamp(year, 1, 1), date)
        yield match, _Time(match.start(), match.end(), window, date, False)
    for match in pat.FULL_DATE.finditer(work):
        year, month = int(match["y"]), int(match["m"])
        try:
            date = (
                pd.Timestamp(year, month, int(match["d"]))
                if match["d"]
                else _month_end(year, month)
            )
        except ValueError:
            continue  # not a calendar date (13月, 2月30日)
        yield (
            match,
            _Time(match.start(), match.end(), (pd.Timestamp(year, 1, 1), date), date, False),
        )
    for match in pat.TARGET_YEAR.finditer(work):
        window = _year_window(int(match["y"]))
        yield match, _Time(match.start(), match.end(), window, window[1], False, target_year=True)
    for match in pat.YEAR.finditer(work):
        window = _year_window(int(match["y"]))
        yield match, _Time(match.start(), match.end(), window, window[1], True)


def _relative_times(work: str, published: pd.Timestamp) -> _Found:
    this_year = pd.Timestamp(published.year, 1, 1)
    for match in pat.RELATIVE.finditer(work):
        word = match["word"]
        if word in pat.UNTIL_NOW or word == "今年以来":
            stated = word == "今年以来"
            yield (
                match,
                _Time(match.start(), match.end(), (this_year, published), published, stated),
            )
            continue
        year = published.year + pat.RELATIVE_YEARS[word]
        start, end = _year_window(year)
        end = min(end, published)
        yield match, _Time(match.start(), match.end(), (start, end), end, True)
    for match in pat.MONTH_DAY.finditer(work):
        try:
            date = pd.Timestamp(published.year, int(match["m"]), int(match["d"] or 1))
        except ValueError:
            continue  # not a calendar date (13月, 2月30日)
        if date <= published:
            yield match, _Time(match.start(), match.end(), (date, published), date, True)


def _structure(work: str, published: pd.Timestamp | None) -> _Structure:
    sentence_starts = [0] + [m.end() for m in pat.SENTENCE_END.finditer(work)]
    line_starts = [0] + [m.end() for m in re.finditer("\n", work)]
    headings = [
        (m.start(), 1 if m["r1"] else 2 if m["r2"] else 3, m["title"])
        for m in pat.HEADING.finditer(work)
    ]
    sections: list[tuple[int, int, bool]] = []
    for i, (start, rank, title) in enumerate(headings):
        end = next((s for s, r, _ in headings[i + 1 :] if r <= rank), len(work))
        is_target = any(word in title for word in pat.TARGET_HEADING_WORDS)
        sections.append((start, end, is_target))
    target_lines = []
    for match in pat.TARGET_LINE.finditer(work):
        end = work.find("\n", match.end())
        target_lines.append((match.start(), len(work) if end < 0 else end))
    times = _times(work, published)
    plan_window = _plan_window(work, times, sections)
    section_at = np.full(len(work) + 1, -1, dtype=np.int64)
    target_at = np.zeros(len(work) + 1, dtype=bool)
    for start, end, is_target in sections:  # by start: an inner section overwrites its outer
        section_at[start:end] = start
        target_at[start:end] |= is_target
    for start, end in target_lines:
        target_at[start:end] = True
    return _Structure(
        sentence_starts,
        line_starts,
        section_at,
        target_at,
        times,
        [time.start for time in times],
        plan_window,
    )


def _plan_window(
    work: str, times: list[_Time], sections: list[tuple[int, int, bool]]
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """Find the window a plan's targets run over: in a target section, or its title's plan."""
    for start, end, is_target in sections:
        if is_target:
            for time in times:
                if start <= time.start < end and time.stated_start and time.window[0] < time.date:
                    return time.window
    head = work[:1000]
    match = pat.FIVE_YEAR_PLAN.search(head)
    if match and ("规划" in head or "计划" in head):
        number = pat.FIVE_YEAR_PLAN_NUMBERS.get(match["n"], 0)
        if number >= 3:
            first = 1966 + 5 * (number - 3)
            return pd.Timestamp(first, 1, 1), pd.Timestamp(first + 4, 12, 31)
    return None


def _span_of(starts: list[int], position: int, length: int) -> tuple[int, int]:
    i = bisect.bisect_right(starts, position) - 1
    end = starts[i + 1] if i + 1 < len(starts) else length
    return starts[i], end


def _section_start(structure: _Structure, position: int) -> int | None:
    start = int(structure.section_at[position])
    return None if start < 0 else start


def _is_target(structure: _Structure, position: int, sentence: str) -> bool:
    if structure.target_at[position]:
        return True
    return any(word in sentence for word in pat.TARGET_WORDS)


def _time_before(structure: _Structure, lower: int, position: int) -> _Time | None:
    i = bisect.bisect_right(structure.time_starts, position) - 1
    while i >= 0:
        time = structure.times[i]
        if time.start < lower:
            return None
        if time.end <= position:
            return time
        i -= 1
    return None


def _stated_start(structure: _Structure, lower: int, time: _Time) -> pd.Timestamp | None:
    """When a flow dated 截至目前 began: an earlier phrase of the same sentence says it."""
    earlier = _time_before(structure, lower, time.start)
    return earlier.window[0] if earlier is not None and earlier.stated_start else None


# --- figures -------------------------------------------------------------------------------


@dataclass
class _Candidate:
    indicator: str
    label: str
    measure: str
    status: str
    period_start: pd.Timestamp | None
    period_end: pd.Timestamp | None
    value: float
    qualifier: str
    value_high: float | None
    unit: str
    spans: list[tuple[int, int]]
    confidence: float
    notes: list[str] = field(default_factory=list)

    def key(self) -> tuple[Any, ...]:
        who = self.indicator if self.indicator != UNMAPPED else f"?{self.label}"
        return (who, self.measure, self.status, self.period_start, self.period_end, self.value)


@dataclass
class _Reading:
    """What one figure was read as before its period is known."""

    start: int  # the figure
    end: int
    evidence_start: int
    evidence_end: int
    indicator: str
    label: str
    measure: str
    value: float
    qualifier: str
    value_high: float | None
    written_unit: str
    how: str
    label_after: bool
    addition: bool
    notes: list[str] = field(default_factory=list)
    time: _Time | None = None  # the year of a table column, which beats the text's


def _unit_class(unit: str) -> str:
    if unit == "元":
        return "money"
    if unit in ("%", "‰", "个百分点"):
        return "percent"
    if unit == "倍":
        return "multiple"
    return "count"


def _compatible(written: str, indicator_unit: str, measure: str) -> bool:
    if measure in ("yoy_pct", "share_of_parent_pct"):
        return written == "%"
    if measure == "multiple_of_parent":
        return written == "倍"
    if written == "个百分点":
        return indicator_unit == "%"
    target = _unit_class(indicator_unit.split("/", maxsplit=1)[0])
    return _unit_class(written) == target


class _Reader:
    def __init__(
        self,
        text: str,
        work: str,
        catalog: _Catalog,
        published: pd.Timestamp | None,
    ) -> None:
        self.text, self.work, self.catalog, self.published = text, work, catalog, published
        self.structure = _structure(work, published)
        self.readings: list[_Reading] = []

    # one figure --------------------------------------------------------------------------
    def read_figures(self) -> None:
        previous: _Reading | None = None
        level: _Reading | None = None
        previous_sentence = -1
        for match in pat.FIGURE.finditer(self.work):
            number = match["number"]
            if number in ("一",) and not match["around"] and not match["after"]:
                continue  # 一个, 一家: an article, not a count
            if self.work[match.end() : match.end() + 1] == match["unit"][-1:] == "个":
                continue  # 一个个, 两个个: reduplication
            written = self.work[match.start() : match.end()]
            try:
                quantity = parse_quantity(written)
            except QuantityParseError:
                continue
            figure_start = match.start("number") if match["number"] else match.start("around")
            sentence_start, _ = _span_of(
                self.structure.sentence_starts, match.start(), len(self.work)
            )
            if sentence_start != previous_sentence:
                previous, level, previous_sentence = None, None, sentence_start
            if self.work[max(0, match.start() - 1) : match.start()] in pat.OPENING_QUOTES:
                continue  # “四个全面”: a name in quotes, not a count
            reading = self._read_one(match, quantity, figure_start, sentence_start, previous, level)
            self.readings.append(reading)
            previous = reading
            if reading.measure == "level":
                level = reading

    def _clause_start(self, position: int, lower: int) -> int:
        for i in range(position - 1, lower - 1, -1):
            if self.work[i] in pat.CLAUSE_END or self.work[i] == "\n":
                return i + 1
        return lower

    def _clause_end(self, position: int) -> int:
        for i in range(position, min(len(self.work), position + 80)):
            if self.work[i] in pat.CLAUSE_END or pat.SENTENCE_END.match(self.work, i):
                return i
        return min(len(self.work), position + 80)

    def _read_one(
        self,
        match: re.Match[str],
        quantity: Any,
        figure_start: int,
        sentence_start: int,
        previous: _Reading | None,
        level: _Reading | None,
    ) -> _Reading:
        work = self.work
        lower = max(sentence_start, previous.end if previous is not None else sentence_start)
        clause_start = self._clause_start(match.start(), lower)
        left = work[clause_start : match.start()]
        unit = quantity.unit
        reading = _Reading(
            start=figure_start,
            end=match.end(),
            evidence_start=clause_start,
            evidence_end=match.end(),
            indicator=UNMAPPED,
            label=left.strip()[-20:],
            measure="level",
            value=quantity.value,
            qualifier=quantity.qualifier,
            value_high=quantity.value_high,
            written_unit=pat.UNIT_SYNONYMS.get(unit, unit),
            how="unmapped",
            label_after=False,
            addition=False,
        )
        if pat.AVERAGE_GROWTH.search(left):
            # an average over a window is not a change on the year before: no measure holds it
            reading.label = left.strip()[-20:]
            reading.notes.append("an average annual growth rate: no measure of the contract")
            return reading
        # a change, a share or a multiple of the figure before
        for regex, cue_measure in (
            (pat.SHARE_OF_PARENT, "share_of_parent_pct"),
            (pat.MULTIPLE_OF_PARENT, "multiple_of_parent"),
            (pat.CHANGE, "yoy"),
        ):
            cue = regex.search(left)
            if cue is None:
                continue
            measure = cue_measure
            if measure == "yoy" and unit == "倍":
                # 增长1.2倍: grew by 1.2 times the base, +120 %
                reading.value, unit, measure = reading.value * 100, "%", "yoy_pct"
                reading.written_unit = unit
                reading.notes.append("增长…倍 read as growth of that many times the base (× 100 %)")
            if measure == "yoy":
                measure = "yoy_pct" if unit == "%" else "yoy_abs"
                if cue["verb"] in pat.FALLING_VERBS:
                    reading.value = -reading.value
                    if reading.value_high is not None:
                        reading.value, reading.value_high = -reading.value_high, reading.value
            reading.measure = measure
            reading.label = left[cue.start() :].strip()
            subject = left[: cue.start()]
            found = _find_alias(self.catalog, subject) if subject.strip() else None
            if found is not None:
                reading.indicator, reading.how = found[1], "label_before"
                reading.evidence_start = clause_start + found[2]
            elif level is not None:
                reading.indicator, reading.how = level.indicator, "inherited"
                reading.label = f"{level.label} {reading.label}"
                reading.addition, reading.label_after = level.addition, level.label_after
            if not _compatible(unit, self._unit(reading.indicator), measure):
                reading.indicator, reading.how = UNMAPPED, "unmapped"
            return reading
        self._read_label(reading, left, clause_start, match, previous)
        return reading

    def _unit(self, indicator: str) -> str:
        return self.catalog.unit.get(indicator, "")

    def _read_label(
        self,
        reading: _Reading,
        left: str,
        clause_start: int,
        match: re.Match[str],
        previous: _Reading | None,
    ) -> None:
        work = self.work
        joined = previous is not None and work[previous.end : match.start()].startswith("、")
        carried = joined and previous is not None and previous.addition and "新增" not in left
        bare = left.lstrip("、 ")
        matching = ("新增" + bare) if carried else left
        found = _find_alias(self.catalog, matching)
        offset = clause_start + (len(left) - len(bare) - 2 if carried else 0)
        if previous is not None and not joined:
            # a verb without a subject (结案, 审结) takes the subject of the figure before
            split = _find_split_alias(self.catalog, previous.label, left.strip())
            if split is not None and (found is None or len(split[0]) > len(found[0])):
                reading.indicator, reading.label = split[1], split[0]
                reading.how = "borrowed_subject"
                reading.addition = "新增" in split[0]
                return
        if found is not None:
            alias, indicator, position = found
            reading.indicator, reading.label = indicator, alias
            reading.how = "label_before"
            reading.evidence_start = max(clause_start, offset + position)
            reading.addition = any(word in left for word in pat.ADDITION_WORDS) or carried
        else:
            right_end = self._clause_end(match.end())
            right = work[match.end() : right_end]
            after = _first_alias(self.catalog, right)
            if after is not None:
                alias, indicator, position = after
                reading.indicator, reading.label = indicator, alias
                reading.how = "label_after" if position <= 3 else "label_in_clause"
                reading.label_after = True
                reading.evidence_start = match.start()
                reading.evidence_end = match.end() + position + len(alias)
                reading.addition = any(word in left for word in pat.ADDITION_WORDS)
            else:
                reading.label_after = not left.strip() or left.rstrip()[-1] in "等的了"
                if reading.label_after:
                    reading.label = right.strip()[:12]
                    reading.evidence_end = match.end() + min(len(right), 12)
                    reading.evidence_start = match.start()
                reading.addition = any(word in left for word in pat.ADDITION_WORDS)
        if reading.indicator != UNMAPPED and not _compatible(
            reading.written_unit, self._unit(reading.indicator), "level"
        ):
            reading.notes.append(
                f"read {reading.label!r} ({reading.indicator}), but {reading.written_unit!r} "
                f"is not its unit {self._unit(reading.indicator)!r}"
            )
            reading.indicator, reading.how = UNMAPPED, "unmapped"

    # tables ------------------------------------------------------------------------------
    def read_tables(self) -> None:
        # bars and runs of spaces separate cells like tabs: a copy of the same length with
        # each separator a tab and blanks
        work = pat.TABLE_SEPARATOR.sub(lambda m: "\t" + " " * (len(m[0]) - 1), self.work)
        for match in pat.TABLE_ROW.finditer(work):
            line_start = (
                max(work.rfind("\n", 0, match.start()), work.rfind("\t", 0, match.start())) + 1
            )
            raw_label = work[line_start : match.start()]
            label = raw_label.strip()
            if not 2 <= len(label) <= 40:
                continue
            unit_text = match["unit"].strip()
            cells = list(pat.TABLE_CELL.finditer(match["cells"]))
            if not cells or not re.fullmatch(r"[^\d]{1,5}", unit_text):
                continue
            header = work[max(0, match.start() - 400) : match.start()]
            has_base = len(cells) >= 2 and any(w in header for w in pat.BASE_COLUMN_WORDS)
            column_years = self._column_years(header, len(cells)) if len(cells) >= 2 else []
            found = _find_alias(self.catalog, label)
            for i, cell in enumerate(cells):
                bound = {">": "gt", "<": "lt", "≥": "ge", "≤": "le"}.get(cell["bound"] or "")
                try:
                    quantity = parse_quantity(f"{cell['number']}{unit_text}")
                except QuantityParseError:
                    continue
                start = match.start("cells") + cell.start()
                end = match.start("cells") + cell.end()
                label_start = line_start + len(raw_label) - len(raw_label.lstrip())
                reading = _Reading(
                    start=start,
                    end=end,
                    evidence_start=label_start,
                    evidence_end=end,
                    indicator=found[1] if found else UNMAPPED,
                    label=found[0] if found else label,
                    measure="level",
                    value=quantity.value,
                    qualifier=bound if bound in QUALIFIERS else quantity.qualifier,
                    value_high=quantity.value_high,
                    written_unit=pat.UNIT_SYNONYMS.get(quantity.unit, quantity.unit),
                    how="table" if found else "unmapped",
                    label_after=False,
                    addition=any(word in label for word in pat.ADDITION_WORDS),
                )
                is_base = has_base and i == 0
                if column_years:
                    window = _year_window(column_years[i])
                    reading.time = _Time(start, end, window, window[1], True)
                    published = self.published
                    is_base = is_base or (published is not None and window[1] <= published)
                if is_base:
                    reading.notes.append("the base-period column of a plan table")
                    reading.how = reading.how + ":base"
                elif has_base or column_years:
                    reading.how = reading.how + ":target"
                if reading.indicator != UNMAPPED and not _compatible(
                    reading.written_unit, self._unit(reading.indicator), "level"
                ):
                    reading.indicator, reading.how = UNMAPPED, "unmapped"
                self.readings.append(reading)

    @staticmethod
    def _column_years(header: str, cells: int) -> list[int]:
        """Read the years of the last ``cells`` columns from the table's header line.

        The header is the nearest line before the row that names 指标 or 基期.
        """
        lines = [line for line in header.splitlines() if line.strip()]
        for line in reversed(lines):
            if any(word in line for word in (*pat.BASE_COLUMN_WORDS, "指标")):
                years = [int(m["y"]) for m in re.finditer(r"(?P<y>(?:19|20)\d{2})年", line)]
                return years[-cells:] if len(years) >= cells else []
        return []

    # counts of one without a number ------------------------------------------------------
    def read_counts_of_one(self) -> None:
        verbs = "|".join(re.escape(verb) for verb in pat.ONE_WITHOUT_NUMBER)
        figures = sorted(r.start for r in self.readings)
        for match in re.finditer(verbs, self.work):
            end = self._clause_end(match.end())
            obj = self.work[match.end() : end]
            i = bisect.bisect_left(figures, match.end())
            if i < len(figures) and figures[i] < end:
                continue  # a number is written: the figure says how many
            position, remaining = 0, obj
            while True:
                found = _first_alias(self.catalog, remaining)
                if found is None:
                    break
                alias, indicator, at = found
                start = match.end() + position + at
                self.readings.append(
                    _Reading(
                        start=start,
                        end=start + len(alias),
                        evidence_start=match.start(),
                        evidence_end=start + len(alias),
                        indicator=indicator,
                        label=alias,
                        measure="level",
                        value=1.0,
                        qualifier="eq",
                        value_high=None,
                        written_unit=self._unit(indicator),
                        how="one_without_number",
                        label_after=True,
                        addition=False,
                        notes=[
                            f"no number written: one {alias} named after {match[0]}; check how many"
                        ],
                    )
                )
                cut = at + len(alias)
                position, remaining = position + cut, remaining[cut:]

    # status, period, unit ----------------------------------------------------------------
    def candidate(self, reading: _Reading) -> _Candidate:
        work, structure = self.work, self.structure
        sentence_start, sentence_end = _span_of(structure.sentence_starts, reading.start, len(work))
        sentence = work[sentence_start:sentence_end]
        notes = list(reading.notes)
        confidence = CONFIDENCE[reading.how.split(":")[0]]
        if reading.indicator == UNMAPPED:  # read from a label whose qualifier has no id
            confidence = min(confidence, CONFIDENCE["unmapped"])
        is_target = _is_target(structure, reading.start, sentence)
        if reading.how.endswith(":base"):
            is_target = False
        elif reading.how.endswith(":target"):
            is_target = True
        time = reading.time or self._time_for(reading.start, sentence_start)
        if time is not None and time.target_year and self.published is not None:
            is_target = is_target or time.date.year > self.published.year
        status = "target" if is_target else "actual"
        about_event = reading.label_after or reading.indicator == UNMAPPED
        if about_event and any(word in sentence for word in pat.EVENT_WORDS):
            confidence = min(confidence, CONFIDENCE["event"])
            notes.append("an event figure: those who took part, which need not be all there are")
        kind = self.catalog.kind.get(reading.indicator) or _guess_kind(reading.label)
        start, end, period_note = self._period(reading, time, kind, status, sentence_start)
        if period_note:
            notes.append(period_note)
            confidence -= UNDATED_PENALTY
        indicator_unit = self._unit(reading.indicator)
        unit = MEASURE_UNITS.get(reading.measure) or indicator_unit or reading.written_unit
        if reading.indicator == UNMAPPED and reading.measure in ("level", "yoy_abs"):
            unit = reading.written_unit
        if reading.written_unit == "个百分点":
            notes.append("percentage points")
        if reading.indicator == UNMAPPED:
            named = f"for {reading.label!r}" if reading.label else "(no words name the figure)"
            notes.append(f"no catalog id {named}")
        return _Candidate(
            indicator=reading.indicator,
            label=reading.label,
            measure=reading.measure,
            status=status,
            period_start=start,
            period_end=end,
            value=reading.value,
            qualifier=reading.qualifier,
            value_high=reading.value_high,
            unit=unit,
            spans=[(reading.evidence_start, reading.evidence_end)],
            confidence=round(max(confidence, 0.05), 2),
            notes=notes,
        )

    def _time_for(self, position: int, sentence_start: int) -> _Time | None:
        structure = self.structure
        time = _time_before(structure, sentence_start, position)
        if time is not None:
            return time
        paragraph_start, _ = _span_of(structure.line_starts, position, len(self.work))
        time = _time_before(structure, paragraph_start, position)
        if time is not None:
            return time
        section = _section_start(structure, position)
        if section is not None:
            return _time_before(structure, section, position)
        return None

    def _period(
        self,
        reading: _Reading,
        time: _Time | None,
        kind: str,
        status: str,
        sentence_start: int,
    ) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str]:
        if status == "target":
            return self._target_period(reading, time, kind)
        note = ""
        if time is None:
            time, note = self._undated(reading)
        if time is None:
            return None, None, note
        if kind == "stock":
            return time.date, time.date, note
        start, end = time.window
        if not time.stated_start:
            start = _stated_start(self.structure, sentence_start, time) or start
        if start >= end:
            start = pd.Timestamp(end.year, 1, 1)
        return start, end, note

    def _undated(self, reading: _Reading) -> tuple[_Time | None, str]:
        published = self.published
        if published is None:
            return None, "period not stated and no publication date"
        if reading.label_after:
            window = (pd.Timestamp(published.year, 1, 1), published)
            note = "date not stated; read as of publication"
        else:
            window = _year_window(published.year - 1)
            note = "period not stated; read as the last full year before publication"
        return _Time(0, 0, window, window[1], True), note

    def _target_period(
        self, reading: _Reading, time: _Time | None, kind: str
    ) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str]:
        plan = self.structure.plan_window
        end = time.date if time is not None else plan[1] if plan is not None else None
        if end is None:
            return None, None, "target date not stated"
        if plan is not None and plan[1].year == end.year:
            end = plan[1]
        if kind == "stock":
            start = end
        elif reading.addition:
            start = plan[0] if plan is not None and plan[0] < end else _year_window(end.year)[0]
        else:
            start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
        return start, end, ""


def _guess_kind(label: str) -> str:
    if any(word in label for word in pat.FLOW_WORDS):
        return "flow"
    if any(word in label for word in pat.STOCK_WORDS):
        return "stock"
    return "stock"


# --- merging -------------------------------------------------------------------------------


def _merge(candidates: list[_Candidate]) -> list[_Candidate]:
    """One candidate a figure: the same reading twice keeps both spans."""
    merged: dict[tuple[Any, ...], _Candidate] = {}
    for candidate in candidates:
        key = candidate.key()
        kept = merged.get(key)
        if kept is None:
            merged[key] = candidate
            continue
        kept.spans.extend(candidate.spans)
        kept.confidence = max(kept.confidence, candidate.confidence)
        if candidate.qualifier != kept.qualifier:
            kept.notes.append(f"stated also with qualifier {candidate.qualifier!r}")
    return list(merged.values())


def _settle_keys(candidates: list[_Candidate]) -> None:
    """Two readings with one key cannot both be rows: the weaker one becomes unmapped."""
    groups: dict[tuple[Any, ...], list[_Candidate]] = {}
    for candidate in candidates:
        if candidate.indicator == UNMAPPED:
            continue
        key = (
            candidate.indicator,
            candidate.measure,
            candidate.status,
            candidate.period_start,
            candidate.period_end,
        )
        groups.setdefault(key, []).append(candidate)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: (-c.confidence, c.spans[0][0]))
        for weaker in group[1:]:
            weaker.notes.append(
                f"also reads as {weaker.indicator}, but {group[0].value:g} at "
                f"{group[0].spans[0][0]} has that key and reads more surely"
            )
            weaker.indicator = UNMAPPED
            weaker.confidence = min(weaker.confidence, CONFIDENCE["unmapped"])


# --- the public function -------------------------------------------------------------------


def _load(text_or_path: str | Path) -> str:
    if isinstance(text_or_path, Path):
        return read_document(text_or_path)
    if not isinstance(text_or_path, str):
        raise ExtractError(f"expected text or a path, got {type(text_or_path)!r}")
    # a str is a path only if it names an existing file; text that cannot be a path
    # (too long a name, a NUL, a line break) is text
    try:
        is_file = "\n" not in text_or_path and Path(text_or_path).is_file()
    except (OSError, ValueError):
        is_file = False
    return read_document(text_or_path) if is_file else text_or_path


def _published(
    published: str | pd.Timestamp | None, source: str, catalog: _Catalog
) -> pd.Timestamp | None:
    if published is None:
        return catalog.published.get(source)
    try:
        date = pd.Timestamp(published)
    except ValueError:
        raise ExtractError(
            f"published: {published!r} is not a date; expected e.g. '2022-04-24'"
        ) from None
    if pd.isna(date):
        raise ExtractError(f"published: {published!r} is not a date; expected e.g. '2022-04-24'")
    return date


def extract(
    text_or_path: str | Path,
    *,
    adcode: str,
    source: str,
    published: str | pd.Timestamp | None = None,
    catalog: Any = None,
) -> pd.DataFrame:
    """Propose candidate observation rows from a Chinese document, for review.

    Parameters
    ----------
    text_or_path : str or pathlib.Path
        The document's text, or a path to a ``.txt``, ``.html``, ``.docx`` or
        ``.pdf`` file (Word and PDF need ``pip install 'ipbench[extract]'``).
        Traditional Chinese is matched through a simplified copy (OpenCC, in
        the same extra); ``evidence`` keeps the original characters.
    adcode : str
        The region every row is about (GB/T 2260 code, six digits).
    source : str
        The source id of the document, as in ``sources.csv``.
    published : str or Timestamp, optional
        The publication date, which dates 去年, 今年, 截至目前 and undated
        figures; by default the source's date in the catalog.
    catalog : ipbench.Catalog or object with an ``indicators`` DataFrame, optional
        Whose aliases name the indicators; the built-in catalog by default.

    Returns
    -------
    pandas.DataFrame
        One candidate a figure, in the observations contract, plus
        ``confidence`` (0-1), ``span_start``/``span_end`` (where the evidence is
        in the text), ``spans`` (every place the figure is stated, ``start-end``
        separated by ``;``) and ``indicator_label`` (the phrase the indicator
        was read from). A phrase the catalog has no id for gives
        ``indicator == "unmapped"``; a reviewer maps or drops those rows.
        Sorted by position in the text.

    Raises
    ------
    ExtractError
        When the adcode is not six digits, the publication date is not a date,
        the document cannot be read, or traditional text needs OpenCC and it is
        not installed.

    Examples
    --------
    >>> import ipbench
    >>> rows = ipbench.extract(
    ...     "2021年，全市专利授权量2.38万件，同比增长32.9%。",
    ...     adcode="360100", source="nanchang_daily_ip_2022",
    ... )
    >>> rows[["indicator", "measure", "value", "unit"]].values.tolist()
    [['patent_grants', 'level', 23800.0, '件'], ['patent_grants', 'yoy_pct', 32.9, '%']]
    >>> rows["evidence"].tolist()
    ['专利授权量2.38万件', '同比增长32.9%']
    >>> rows["period_start"].dt.year.tolist(), rows["status"].tolist()
    ([2021, 2021], ['actual', 'actual'])
    """
    if not re.fullmatch(r"\d{6}", str(adcode)):
        raise ExtractError(f"adcode: {adcode!r} is not a six-digit GB/T 2260 code")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", str(source)):
        raise ExtractError(
            f"source: {source!r} is not a source id (lower case letters, digits and _)"
        )
    tables = _Catalog.of(catalog)
    date = _published(published, source, tables)
    text = _load(text_or_path)
    work = _working_copy(text)
    reader = _Reader(text, work, tables, date)
    reader.read_figures()
    reader.read_tables()
    reader.read_counts_of_one()
    candidates = _merge([reader.candidate(r) for r in reader.readings])
    _settle_keys(candidates)
    return _frame(candidates, text, adcode, source)


def _frame(candidates: list[_Candidate], text: str, adcode: str, source: str) -> pd.DataFrame:
    candidates.sort(key=lambda c: c.spans[0][0])
    rows = []
    for c in candidates:
        start, end = c.spans[0]
        rows.append(
            {
                "adcode": adcode,
                "indicator": c.indicator,
                "measure": c.measure,
                "status": c.status,
                "period_start": c.period_start,
                "period_end": c.period_end,
                "value": c.value,
                "qualifier": c.qualifier,
                "value_high": c.value_high,
                "unit": c.unit,
                "source": source,
                "evidence": text[start:end].strip(),
                "note": "; ".join(dict.fromkeys(c.notes)) or None,
                "confidence": c.confidence,
                "span_start": start,
                "span_end": end,
                "spans": ";".join(f"{s}-{e}" for s, e in c.spans),
                "indicator_label": c.label,
            }
        )
    frame = pd.DataFrame(rows, columns=EXTRACT_COLUMNS)
    for column, values in (("measure", MEASURES), ("status", STATUSES), ("qualifier", QUALIFIERS)):
        frame[column] = pd.Categorical(frame[column], categories=list(values))
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    frame["value"] = frame["value"].astype(float)
    frame["value_high"] = frame["value_high"].astype(float)
    frame["span_start"] = frame["span_start"].astype(int)
    frame["span_end"] = frame["span_end"].astype(int)
    return frame


def contract_rows(candidates: pd.DataFrame) -> pd.DataFrame:
    """Keep the contract columns of candidates, folding the review facts into ``note``.

    What ``ipbench extract`` writes: ``ipbench validate`` reads it as an
    observations file once the ``unmapped`` rows are mapped or removed.
    """
    out = candidates[CONTRACT_COLUMNS].copy()
    review = (
        "confidence "
        + candidates["confidence"].map("{:.2f}".format)
        + "; read from "
        + candidates["indicator_label"].astype(str)
    )
    out["note"] = [
        f"{r} | {n}" if isinstance(n, str) and n else r
        for r, n in zip(review, candidates["note"], strict=True)
    ]
    return out


# --- the command line ----------------------------------------------------------------------


def add_command(commands: Any) -> None:
    """Register ``ipbench extract`` on the subcommands of the ``ipbench`` parser."""
    parser = commands.add_parser(
        "extract",
        help="propose candidate observation rows from a Chinese document, for review",
        description=(
            "Read a document (.txt, .html, .docx, .pdf; simplified or traditional Chinese) "
            "and write its figures as candidate rows of the observations contract, in UTF-8 "
            "with BOM so Excel and WPS open it. Map or delete the 'unmapped' rows, check the "
            "rest against the evidence, then run `ipbench validate` on the file."
        ),
    )
    parser.add_argument("file", help="the document")
    parser.add_argument("--adcode", required=True, help="the region, a six-digit code")
    parser.add_argument("--source", required=True, help="the source id of the document")
    parser.add_argument("--published", help="publication date, e.g. 2022-04-24")
    parser.add_argument("--out", required=True, help="the CSV file to write")
    parser.add_argument(
        "--force", action="store_true", help="overwrite --out if it exists (a review is lost)"
    )


def run_command(args: Any) -> int:
    """Run ``ipbench extract``: write the candidates, say how many and how to review them."""
    try:
        if Path(args.out).is_dir():
            raise ExtractError(f"--out {args.out} is a folder; give a CSV file name")
        if Path(args.out).exists() and not args.force:
            raise ExtractError(
                f"--out {args.out} already exists (it may hold a review); "
                "give another name, or --force to overwrite it"
            )
        candidates = extract(
            Path(args.file), adcode=args.adcode, source=args.source, published=args.published
        )
    except ExtractError as error:
        # like every command that cannot run as given: one line, exit code 2
        print(f"ipbench extract: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    rows = contract_rows(candidates)
    rows.to_csv(args.out, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
    unmapped = int((candidates["indicator"] == UNMAPPED).sum())
    print(
        f"{len(rows)} candidate rows written to {args.out} ({unmapped} unmapped); "
        "review them against the evidence, then run: ipbench validate " + str(args.out)
    )
    return 0
