"""ipbench.extract: candidate rows read from Chinese text, one pattern at a time.

Every sentence here is written for the test (none is copied from the seeds). The
expected numbers are worked by hand in the comments. Documents are dated
2024-05-10 unless a test says otherwise, so 今年 is 2024 and 去年 is 2023.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ipbench
from ipbench._cli import main
from ipbench._extract import UNMAPPED, ExtractError, extract, read_document

PUBLISHED = "2024-05-10"
SOURCE = "nanjing_ipweek_2022"  # any id of the catalog: the tests read their own text


def read(text: str, **options: object) -> pd.DataFrame:
    options = {"adcode": "320100", "source": SOURCE, "published": PUBLISHED, **options}
    return extract(text, **options)  # type: ignore[arg-type]


def only(rows: pd.DataFrame, **where: object) -> pd.Series:
    """The one row matching ``where``; fails when there are none or several."""
    mask = pd.Series(True, index=rows.index)
    for column, value in where.items():
        mask &= rows[column].astype(object) == value
    assert mask.sum() == 1, rows.to_string()
    return rows[mask].iloc[0]


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --- numbers, multipliers, qualifiers --------------------------------------------------------


def test_multiplier_and_full_width_digits_stock_at_year_end() -> None:
    rows = read("截至2023年底，全市有效发明专利拥有量达到２.５万件。")
    row = only(rows, indicator="invention_patents_in_force")
    # ２.５万件 = 2.5 × 10^4 = 25000; 截至2023年底 dates a stock at 2023-12-31
    assert row["value"] == 25000
    assert (row["measure"], row["status"], row["qualifier"], row["unit"]) == (
        "level",
        "actual",
        "eq",
        "件",
    )
    assert row["period_start"] == row["period_end"] == day("2023-12-31")
    assert row["evidence"] == "有效发明专利拥有量达到２.５万件"


@pytest.mark.parametrize(
    ("phrase", "value", "qualifier", "value_high"),
    [
        ("超过1200人", 1200, "gt", None),  # 超过 = more than
        ("近800人", 800, "lt", None),  # 近 = nearly, just below
        ("300余人", 300, "gt", None),  # 余 = more than, rounded down
        ("400多人", 400, "gt", None),  # 多 = more than
        ("约650人", 650, "approx", None),  # 约 = about
        ("650人左右", 650, "approx", None),  # 左右 = about
        ("500人以上", 500, "ge", None),  # 以上 includes the number
        ("1.2千人", 1200, "eq", None),  # 1.2 × 10^3
        ("三千人", 3000, "eq", None),  # Chinese numeral 三千 = 3000
        ("七八百人", 700, "range", 800),  # approximate numeral: 700-800
        ("900−1000人", 900, "range", 1000),  # a range written with a minus sign
    ],
)
def test_qualifiers_and_numerals(
    phrase: str, value: float, qualifier: str, value_high: float | None
) -> None:
    rows = read(f"2023年，全区知识产权服务从业总人数{phrase}。")
    row = only(rows, indicator="ip_service_staff")
    assert row["value"] == value
    assert row["qualifier"] == qualifier
    assert (pd.isna(row["value_high"]) and value_high is None) or row["value_high"] == value_high
    assert row["unit"] == "人"


def test_money_in_yuan() -> None:
    rows = read("2023年，全市技术合同成交额812.5亿元，知识产权服务机构绩效评价奖补资金35万元。")
    # 812.5亿元 = 812.5 × 10^8 = 81,250,000,000 元; 35万元 = 350,000 元
    assert only(rows, indicator="technology_contract_turnover")["value"] == 81_250_000_000
    assert only(rows, indicator="ip_service_performance_subsidies")["value"] == 350_000
    assert set(rows["unit"]) == {"元"}


# --- measures ------------------------------------------------------------------------------


def test_growth_share_and_multiple_attach_to_the_figure_before() -> None:
    rows = read("2023年，全市商标申请量达4.6万件，同比增长12.5%，占全省18.2%；是全省的2.4倍。")
    # 4.6万件 = 46000, the level; the three figures after it describe it
    level = only(rows, measure="level")
    assert (level["indicator"], level["value"]) == ("trademark_applications", 46000)
    growth = only(rows, measure="yoy_pct")
    assert (growth["indicator"], growth["value"], growth["unit"]) == (
        "trademark_applications",
        12.5,
        "%",
    )
    share = only(rows, measure="share_of_parent_pct")
    assert (share["indicator"], share["value"]) == ("trademark_applications", 18.2)
    multiple = only(rows, measure="multiple_of_parent")
    assert (multiple["value"], multiple["unit"]) == (2.4, "倍")
    # a flow of 2023: the year as the window, for every measure of it
    assert set(rows["period_start"]) == {day("2023-01-01")}
    assert set(rows["period_end"]) == {day("2023-12-31")}


def test_a_fall_is_negative_and_an_absolute_change_keeps_the_unit() -> None:
    rows = read(
        "截至2023年底，每万人口发明专利拥有量41.3件，较上年提高5.6件。"
        "2023年，全市专利授权量3.1万件，同比下降4.2%。"
    )
    change = only(rows, measure="yoy_abs")
    # 较上年提高5.6件 of a per-10k rate: +5.6 in the rate's unit, at the same date
    assert (change["indicator"], change["value"], change["unit"]) == (
        "invention_patents_in_force_per_10k",
        5.6,
        "件/万人",
    )
    assert change["period_end"] == day("2023-12-31")
    fall = only(rows, measure="yoy_pct")
    assert (fall["indicator"], fall["value"]) == ("patent_grants", -4.2)  # 下降4.2% = -4.2


def test_percentage_points_change_a_percentage() -> None:
    rows = read("2023年，版权产业增加值占GDP比重达7.9%，比上年提高0.4个百分点。")
    change = only(rows, measure="yoy_abs")
    # 提高0.4个百分点 of a share in %: +0.4 points, stored in the indicator's unit %
    assert (change["indicator"], change["value"], change["unit"]) == (
        "copyright_industry_value_added_share_gdp",
        0.4,
        "%",
    )
    assert "percentage points" in change["note"]


def test_growth_in_times_is_a_percentage() -> None:
    rows = read("2023年，全市技术合同成交额356亿元，比上年增长1.2倍。")
    growth = only(rows, measure="yoy_pct")
    # 增长1.2倍: grew by 1.2 times the base = +120 %
    assert (growth["indicator"], growth["value"]) == ("technology_contract_turnover", 120.0)
    assert "倍" in growth["note"]


def test_a_chinese_comma_is_not_a_thousands_separator() -> None:
    rows = read("2023年，两区专利授权量分别为5120，6340件。")
    # only 6340件 carries a unit; 5120，6340 is never read as 5,120,340
    assert rows["value"].tolist() == [6340.0]


# --- stock, flow and periods ---------------------------------------------------------------


def test_stock_is_dated_and_flow_spans_its_year() -> None:
    rows = read("截至2022年末，全市有效商标注册量21.7万件。2022年，全市商标注册量3.9万件。")
    stock = only(rows, indicator="trademarks_in_force")
    flow = only(rows, indicator="trademark_registrations")
    assert stock["period_start"] == stock["period_end"] == day("2022-12-31")
    assert (flow["period_start"], flow["period_end"]) == (day("2022-01-01"), day("2022-12-31"))


def test_so_far_this_year_runs_to_publication() -> None:
    rows = read("今年以来，全区专利授权量4210件。")
    row = only(rows, indicator="patent_grants")
    # 今年以来 in a text of 2024-05-10: 2024-01-01 to 2024-05-10
    assert (row["period_start"], row["period_end"]) == (day("2024-01-01"), day(PUBLISHED))


def test_last_year_is_the_year_before_publication() -> None:
    rows = read("去年，全市共办结各类知识产权案件512件。")
    row = only(rows, indicator="ip_cases_concluded")
    assert (row["period_start"], row["period_end"]) == (day("2023-01-01"), day("2023-12-31"))


def test_a_month_of_an_earlier_year_keeps_its_year() -> None:
    rows = read("截至2023年6月，全市有效商标注册量18.4万件。")
    # 2023年6月 in a text of 2024: the end of June 2023, not of June 2024
    assert only(rows, indicator="trademarks_in_force")["period_end"] == day("2023-06-30")


def test_year_window_and_five_year_plan() -> None:
    rows = read(
        "2019年至2021年，全市知识产权质押备案登记金额达9.3亿元。\n"
        "“十三五”期间，全区发明专利申请量20415件。"
    )
    pledge = only(rows, indicator="ip_pledge_financing_window_total")
    assert (pledge["period_start"], pledge["period_end"]) == (day("2019-01-01"), day("2021-12-31"))
    applications = only(rows, indicator="invention_patent_applications")
    # the 13th Five-Year Plan runs 1966 + 5 × (13 − 3) = 2016 to 2020
    assert (applications["period_start"], applications["period_end"]) == (
        day("2016-01-01"),
        day("2020-12-31"),
    )


# --- actual and target ---------------------------------------------------------------------


def test_target_year_and_striving_word_make_targets() -> None:
    rows = read("到2027年，万人发明专利拥有量达到60件，力争知识产权交易额超过40亿元。")
    rate = only(rows, indicator="invention_patents_in_force_per_10k")
    assert (rate["status"], rate["period_end"], rate["unit"]) == (
        "target",
        day("2027-12-31"),
        "件/万人",
    )
    trade = only(rows, indicator="ip_transaction_value")
    # a flow target without 新增 is the amount of the final year: 2027
    assert (trade["status"], trade["qualifier"], trade["value"]) == ("target", "gt", 4e9)
    assert (trade["period_start"], trade["period_end"]) == (day("2027-01-01"), day("2027-12-31"))


def test_a_target_section_holds_targets_and_additions_span_the_plan() -> None:
    text = (
        "某区“十四五”知识产权规划\n"
        "一、发展基础\n"
        "截至2020年底，全区有效发明专利拥有量9100件。\n"
        "二、主要目标\n"
        "万人高价值发明专利拥有量达45件，新增贯标企业40家、知识产权优势示范企业12家。\n"
        "三、重点任务\n"
        "引导企业开展知识产权贯标工作。\n"
    )
    rows = read(text, published="2021-09-01")
    assert only(rows, indicator="invention_patents_in_force")["status"] == "actual"
    rate = only(rows, indicator="high_value_invention_patents_per_10k")
    # the 14th Five-Year Plan runs 2021-2025: a stock target at its end
    assert (rate["status"], rate["period_end"]) == ("target", day("2025-12-31"))
    # 新增 before the enumeration applies to both items: additions over 2021-2025
    added = only(rows, indicator="ip_advantage_demo_enterprises_added")
    assert (added["value"], added["period_start"], added["period_end"]) == (
        12,
        day("2021-01-01"),
        day("2025-12-31"),
    )


def test_plan_table_base_and_target_columns() -> None:
    text = (
        "主要指标\n"
        "指标名称\t2020年（基期）\t2025年（目标）\n"
        "有效发明专利拥有量（件）\t8200\t15000\n"
        "知识产权质押融资总额（亿元）\t1.5\t4\n"
    )
    rows = read(text, published="2021-06-30")
    base = only(rows, indicator="invention_patents_in_force", status="actual")
    assert (base["value"], base["period_end"]) == (8200, day("2020-12-31"))
    target = only(rows, indicator="invention_patents_in_force", status="target")
    assert (target["value"], target["period_end"]) == (15000, day("2025-12-31"))
    money = only(rows, indicator="ip_pledge_financing", status="target")
    assert money["value"] == 400_000_000  # 4亿元 = 4 × 10^8 元, the unit from the header cell


def test_plan_table_year_columns_split_at_publication() -> None:
    text = "主要指标\n指标\t2022年\t2027年\t属性\n马德里商标有效注册量（件）\t120\t200\t预期性\n"
    rows = read(text, published="2023-02-01")
    # 2022 is before the document (2023-02-01): observed; 2027 after it: the target
    observed = only(rows, status="actual")
    assert (observed["value"], observed["period_end"]) == (120, day("2022-12-31"))
    target = only(rows, status="target")
    assert (target["value"], target["period_end"]) == (200, day("2027-12-31"))


def test_table_bound_sign() -> None:
    rows = read("发展目标\n维持10年以上有效发明专利数（件）\n\t＞1500\n", published="2022-01-05")
    row = only(rows, indicator="invention_patents_maintained_over_10y")
    assert (row["value"], row["qualifier"]) == (1500, "gt")  # ＞1500 is met by 1501, not 1500


# --- one candidate a figure; events; unknown phrases -----------------------------------------


def test_a_figure_stated_twice_is_one_candidate_with_both_spans() -> None:
    text = (
        "二、发展目标\n"
        "到2025年，知识产权公共服务平台达6个。\n"
        "知识产权公共服务平台（个）\n\t6\n"
        "三、重点任务\n"
    )
    rows = read(text, published="2022-03-01")
    row = only(rows, indicator="ip_public_service_platforms")
    spans = [tuple(int(x) for x in part.split("-")) for part in row["spans"].split(";")]
    assert len(spans) == 2
    first, second = (text[start:end] for start, end in spans)
    assert first == "知识产权公共服务平台达6个"
    assert second.startswith("知识产权公共服务平台（个）")
    assert second.endswith("6")
    assert (row["span_start"], row["span_end"]) == spans[0]


def test_an_event_figure_is_kept_at_low_confidence_with_a_note() -> None:
    rows = read("4月26日，市司法局等30余家单位参加了宣传活动。")
    row = only(rows, value=30.0)
    assert row["qualifier"] == "gt"  # 30余家 = more than 30
    assert row["confidence"] <= 0.3
    assert "event figure" in row["note"]


def test_attendees_without_a_listing_are_an_event_figure() -> None:
    rows = read("4月26日，共有50多家企业参加了培训。")
    row = only(rows, value=50.0)
    # 50多家 = more than 50, counted among those who attended on 2024-04-26
    assert (row["qualifier"], row["period_end"]) == ("gt", day("2024-04-26"))
    assert "event figure" in row["note"]


def test_an_unknown_phrase_is_unmapped_never_a_wrong_id() -> None:
    rows = read("2023年，全市数据知识产权登记证书发放量达1320件。")
    row = only(rows, value=1320.0)
    assert row["indicator"] == UNMAPPED
    assert "数据知识产权登记证书发放量" in row["indicator_label"]
    assert row["confidence"] <= 0.3


def test_a_verb_without_subject_borrows_the_subject_before() -> None:
    rows = read("2023年，区法院受理各类知识产权刑事案件48件，结案41件。")
    # 结案 alone is the market regulator's; after 刑事案件 it is the court's criminal cases
    assert only(rows, value=41.0)["indicator"] == "court_ip_criminal_cases_concluded"


def test_a_figure_with_no_words_before_it_borrows_nothing() -> None:
    rows = read("2023年，全市新增贯标企业40家，120家企业代表到场。")
    # nothing precedes 120家 in its clause: it is not another count of 贯标企业
    assert only(rows, value=120.0)["indicator"] == UNMAPPED


def test_a_count_of_one_without_a_number() -> None:
    rows = read("2023年，某大学入选国家知识产权试点高校。")
    row = only(rows, indicator="national_ip_pilot_universities")
    assert (row["value"], row["confidence"]) == (1, 0.4)
    assert "no number written" in row["note"]


def test_a_user_catalog_names_what_the_built_in_one_lacks() -> None:
    indicators = ipbench.load_indicators()
    extra = indicators.iloc[[0]].copy()
    extra["indicator"] = "data_ip_certificates"
    extra["name_zh"] = extra["aliases_zh"] = "数据知识产权登记证书发放量"
    extra["kind"] = "flow"
    catalog = SimpleNamespace(indicators=pd.concat([indicators, extra], ignore_index=True))
    rows = read("2023年，全市数据知识产权登记证书发放量达1320件。", catalog=catalog)
    row = only(rows, value=1320.0)
    assert (row["indicator"], row["period_start"]) == ("data_ip_certificates", day("2023-01-01"))


# --- traditional Chinese and file formats ------------------------------------------------------


def test_traditional_chinese_is_read_and_evidence_keeps_its_characters() -> None:
    text = "截至2023年底，全市有效發明專利擁有量達到3.6萬件，每萬人口發明專利擁有量為42.5件。"
    rows = read(text)
    stock = only(rows, indicator="invention_patents_in_force")
    assert stock["value"] == 36000  # 3.6萬件 = 3.6 × 10^4
    assert stock["evidence"] == "有效發明專利擁有量達到3.6萬件"  # traditional, as written
    rate = only(rows, indicator="invention_patents_in_force_per_10k")
    assert rate["evidence"] in text


def test_traditional_text_without_opencc_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "opencc", None)  # an import of it now fails
    with pytest.raises(ExtractError, match=r"traditional Chinese.*ipbench\[extract\]"):
        read("全市專利授權量1.2萬件。")


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "news.html"
    path.write_text(
        "<html><body><p>2023年，全市专利授权量&nbsp;<b>2.2万件</b>。</p></body></html>",
        encoding="utf-8",
    )
    rows = extract(path, adcode="320100", source=SOURCE, published=PUBLISHED)
    assert only(rows, indicator="patent_grants")["value"] == 22000  # 2.2 × 10^4


def test_word_file_with_a_table(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")  # python-docx: the extract extra, in the test extra too
    document = docx.Document()
    document.add_paragraph("2023年，全市专利授权量1.8万件。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "商标申请量（件）"
    table.rows[0].cells[1].text = "52000"
    path = tmp_path / "report.docx"
    document.save(str(path))
    rows = extract(path, adcode="320100", source=SOURCE, published=PUBLISHED)
    assert only(rows, indicator="patent_grants")["value"] == 18000
    assert only(rows, indicator="trademark_applications")["value"] == 52000


def test_pdf_file_is_read_through_pypdf(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert read_document(path).strip() == ""  # a page without text reads as no text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"adcode": "3201"}, "adcode: '3201' is not a six-digit"),
        ({"source": "Nanjing News"}, "source: 'Nanjing News' is not a source id"),
        ({"published": "yesterday"}, "published: 'yesterday' is not a date"),
        ({"catalog": "mine"}, "catalog: expected None"),
    ],
)
def test_bad_arguments_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(ExtractError, match=message):
        read("2023年，全市专利授权量1.8万件。", **options)


def test_unknown_file_kind_is_named(tmp_path: Path) -> None:
    path = tmp_path / "table.xlsx"
    path.write_bytes(b"PK")
    with pytest.raises(ExtractError, match=r"cannot read a '\.xlsx' file"):
        read_document(path)


# --- properties ------------------------------------------------------------------------------

LABELS = [
    ("专利授权量", "patent_grants", "件"),
    ("有效发明专利拥有量", "invention_patents_in_force", "件"),
    ("商标申请量", "trademark_applications", "件"),
    ("知识产权培训班", "ip_training_sessions", "次"),
]


@settings(max_examples=60, deadline=None)
@given(
    label=st.sampled_from(LABELS),
    hundredths=st.integers(min_value=1, max_value=10**9),
    year=st.integers(min_value=2000, max_value=2023),
)
def test_any_figure_after_a_catalog_label_reads_back(
    label: tuple[str, str, str], hundredths: int, year: int
) -> None:
    alias, indicator, unit = label
    written = f"{hundredths / 100:.2f}".rstrip("0").rstrip(".")
    text = f"{year}年，全市{alias}{written}{unit}。"
    rows = read(text)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["indicator"] == indicator
    assert row["value"] == pytest.approx(float(written), rel=1e-12)
    assert row["period_end"] == day(f"{year}-12-31")
    assert row["evidence"] == f"{alias}{written}{unit}"


# --- the seeds and the command line ------------------------------------------------------------

SEED_SOURCES = {
    "nanjing_ipweek_2022": "320100",
    "dalian_ipweek_2022": "210200",
    "xuanwu_ip_plan_14fyp": "320102",
    "gulou_ip_county_plan_2022": "320106",
    "nanchang_daily_ip_2022": "360100",
}


@pytest.mark.seeds
@pytest.mark.parametrize("source", sorted(SEED_SOURCES))
def test_cli_candidates_validate_once_unmapped_rows_are_removed(
    seeds: Path, tmp_path: Path, source: str, capsys: pytest.CaptureFixture[str]
) -> None:
    file = ipbench.load_sources().set_index("source").at[source, "file"]
    out = tmp_path / "candidates.csv"
    code = main(
        [
            "extract",
            str(seeds / file),
            "--adcode",
            SEED_SOURCES[source],
            "--source",
            source,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel and WPS
    candidates = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(candidates) > 0
    kept = candidates[candidates["indicator"] != UNMAPPED]
    reviewed = tmp_path / "reviewed.csv"
    kept.to_csv(reviewed, index=False, encoding="utf-8-sig")
    capsys.readouterr()
    assert main(["validate", str(reviewed)]) == 0, capsys.readouterr().err
    if len(kept) < len(candidates):  # the unmapped rows are what validate would reject
        assert main(["validate", str(out)]) == 1
        assert "an indicator id listed in indicators" in capsys.readouterr().err


@pytest.mark.seeds
@pytest.mark.parametrize("source", sorted(SEED_SOURCES))
def test_evidence_is_verbatim_at_its_span(seeds: Path, source: str) -> None:
    file = ipbench.load_sources().set_index("source").at[source, "file"]
    text = (seeds / file).read_text(encoding="utf-8")
    rows = extract(seeds / file, adcode=SEED_SOURCES[source], source=source)
    for row in rows.itertuples():
        assert row.evidence == text[row.span_start : row.span_end].strip()
        assert row.evidence in text


def test_cli_reports_a_bad_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = tmp_path / "a.txt"
    document.write_text("2023年，全市专利授权量1.8万件。", encoding="utf-8")
    options = ["--source", SOURCE, "--out"]
    code = main(["extract", str(document), "--adcode", "32", *options, "x.csv"])
    assert code == 2  # the command cannot run as given
    assert "ipbench extract: error: adcode: '32' is not a six-digit" in capsys.readouterr().err
    code = main(["extract", str(document), "--adcode", "320100", *options, str(tmp_path)])
    assert code == 2
    assert "is a folder; give a CSV file name" in capsys.readouterr().err


# --- review of issue 10: wrong ids, a crash, misses ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "到2026年，全县每万人口高价值发明专利拥有量达到18.4件。\n",
        "指标\t基期\t目标\n每万人口高价值发明专利拥有量（件）\t6.2\t18.4\n",
    ],
)
def test_a_per_capita_qualifier_maps_to_the_rate_not_the_count(text: str) -> None:
    rows = read(text)
    # 每万人口 + 高价值发明专利拥有量 is the rate per 10k residents; the count id would be wrong
    assert "high_value_invention_patents_in_force" not in set(rows["indicator"])
    row = only(rows, value=18.4)
    assert row["indicator"] == "high_value_invention_patents_per_10k"
    assert row["evidence"].startswith("每万人口高价值发明专利拥有量")


def test_a_per_capita_qualifier_without_a_catalog_rate_is_unmapped() -> None:
    # the catalog has no rate whose base is patent_grants: 万人专利授权量 has no id
    row = only(read("2023年，全县万人专利授权量达到41件。"), value=41)
    assert row["indicator"] == UNMAPPED
    assert "万人" in row["indicator_label"]


def test_a_narrowing_modifier_is_not_dropped() -> None:
    rows = read("2023年，全县新增发明专利授权2.7万件，新增实用新型专利授权量5600件。")
    # 2.7万件 = 2.7 × 10^4 = 27000; 发明专利授权(量) is the invention-patent id, not all patents
    grants = only(rows, value=27000)
    assert grants["indicator"] == "invention_patent_grants"
    assert "发明专利授权" in grants["evidence"]
    # 实用新型 narrows 专利授权量 and the catalog has no utility-model id: unmapped, not all patents
    utility = only(rows, value=5600)
    assert utility["indicator"] == UNMAPPED
    assert "实用新型" in utility["evidence"]


@pytest.mark.parametrize("length", [86, 150, 399, 1000])
def test_a_long_single_line_text_is_text_not_a_path(length: int) -> None:
    filler = "各" * (length - len("全县专利授权量1800件"))
    rows = read(filler + "全县专利授权量1800件")
    assert only(rows, value=1800)["indicator"] == "patent_grants"


def test_a_striving_word_between_label_and_figure_keeps_the_label() -> None:
    row = only(read("到2027年，每万人口发明专利拥有量力争达到64件。"), value=64)
    assert row["indicator"] == "invention_patents_in_force_per_10k"
    assert row["status"] == "target"  # 力争 and a year after publication both say so


@pytest.mark.parametrize("word", ["额", "金额", "总额"])
def test_money_aliases_tolerate_their_amount_word(word: str) -> None:
    row = only(read(f"2023年，全县知识产权质押融资{word}超过7.5亿元。"), value=750_000_000)
    # 7.5亿元 = 7.5 × 10^8 元; 超过 is gt
    assert (row["indicator"], row["qualifier"]) == ("ip_pledge_financing", "gt")


def test_an_average_annual_growth_is_not_a_year_on_year_change() -> None:
    rows = read("“十四五”期间，全县专利授权量年均增长9%左右。", published="2021-08-01")
    row = only(rows, value=9)
    assert row["measure"] != "yoy_pct"
    assert row["indicator"] == UNMAPPED
    assert "average annual growth" in row["note"]


@pytest.mark.parametrize("separator", [" | ", "  ", "   "])
def test_tables_separated_by_bars_or_spaces_parse_like_tabs(separator: str) -> None:
    text = (
        f"指标{separator}2020年（基期）{separator}2025年（目标）\n"
        f"有效发明专利拥有量（件）{separator}9100{separator}16500\n"
    )
    rows = read(text, published="2021-06-30")
    base = only(rows, indicator="invention_patents_in_force", status="actual")
    assert (base["value"], base["period_end"]) == (9100, day("2020-12-31"))
    target = only(rows, indicator="invention_patents_in_force", status="target")
    assert (target["value"], target["period_end"]) == (16500, day("2025-12-31"))


def test_cli_refuses_to_overwrite_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "a.txt"
    document.write_text("2023年，全县专利授权量1800件。", encoding="utf-8")
    out = tmp_path / "candidates.csv"
    out.write_text("reviewed by hand\n", encoding="utf-8")
    options = ["--adcode", "320100", "--source", SOURCE, "--out", str(out)]
    assert main(["extract", str(document), *options]) == 2
    error = capsys.readouterr().err
    assert "already exists" in error
    assert "--force" in error
    assert out.read_text(encoding="utf-8") == "reviewed by hand\n"  # the review is kept
    assert main(["extract", str(document), *options, "--force"]) == 0
    assert "1800" in out.read_text(encoding="utf-8-sig")


def test_a_per_million_rate_is_neither_a_count_nor_the_per_10k_rate() -> None:
    rows = read("2023年，全县每百万人发明专利授权量达到35件。")
    # 每百万人 is a denominator, not a figure of a million people
    assert 1_000_000 not in set(rows["value"])
    row = only(rows, value=35)
    assert row["indicator"] == UNMAPPED  # the catalog counts per 10k residents, not per million
    assert row["evidence"].startswith("每百万人发明专利授权量")
