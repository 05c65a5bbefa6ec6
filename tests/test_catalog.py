"""One catalog travels with the data: built once, carried by validated frames, never dropped.

The user data here is an illustration (a 苏州 Suzhou plan with round figures),
written to exercise the catalog, not figures read from a source.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ipbench
from ipbench import _validated
from ipbench._load import OBSERVATION_COLUMNS

REGIONS = """adcode,name_zh,name_en,level,parent_adcode
320500,苏州市,Suzhou,city,320000
"""
SOURCES = """source,title,publisher,published,url,document_number,kind,file,sha256
suzhou_ip_plan,苏州市知识产权“十四五”规划（示例）,苏州市人民政府,2021-06-01,,,plan,,
suzhou_ip_report_2021,苏州市2021年知识产权发展状况（示例）,苏州市知识产权局,2022-04-20,,,report,,
"""
PLANS = """plan,adcode,title,source,period_start,period_end,base_date,note
suzhou_ip_14fyp,320500,苏州市知识产权“十四五”规划（示例）,suzhou_ip_plan,2021-01-01,2025-12-31,2020-12-31,illustration
"""
OBSERVATIONS = (
    ",".join(OBSERVATION_COLUMNS)
    + """
320500,invention_patents_in_force,level,actual,2019-12-31,2019-12-31,50000,eq,,件,suzhou_ip_plan,2019年末有效发明专利5万件,
320500,invention_patents_in_force,level,actual,2020-12-31,2020-12-31,60000,eq,,件,suzhou_ip_plan,2020年末有效发明专利6万件,
320500,invention_patents_in_force,level,actual,2021-12-31,2021-12-31,65000,eq,,件,suzhou_ip_report_2021,2021年末有效发明专利6.5万件,
320500,invention_patents_in_force,level,target,2025-12-31,2025-12-31,90000,eq,,件,suzhou_ip_plan,到2025年有效发明专利达到9万件,
"""
)


@pytest.fixture
def suzhou(tmp_path: Path) -> dict[str, Path]:
    files = {}
    for name, text in [
        ("regions", REGIONS),
        ("sources", SOURCES),
        ("plans", PLANS),
        ("observations", OBSERVATIONS),
    ]:
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(text, encoding="utf-8")
    return files


def _suzhou_target(result: pd.DataFrame) -> pd.Series:
    return result[result["adcode"] == "320500"].iloc[0]


def test_the_catalog_read_with_the_data_is_used_by_the_next_call(
    suzhou: dict[str, Path],
) -> None:
    # Issue 9: read_observations(path, regions=r, sources=s) then ambition(user) used
    # only the built-in sources: the plan's source and date were unknown and the
    # baseline fell back to the wrong point. Now the frame carries its catalog.
    user = ipbench.read_observations(
        suzhou["observations"], regions=suzhou["regions"], sources=suzhou["sources"]
    )
    row = _suzhou_target(ipbench.ambition(user))
    # the document was published 2021-06-01: the latest actual known then is end-2020
    assert row["baseline_value"] == 60000
    # 90000 / 60000 = 1.5; 1.5 ** (1/5) - 1 = 0.084472
    assert row["required_cagr"] == pytest.approx(1.5 ** (1 / 5) - 1)


def test_a_users_plan_read_with_the_data_gives_the_target_its_plan(
    suzhou: dict[str, Path],
) -> None:
    user = ipbench.read_observations(
        suzhou["observations"],
        regions=suzhou["regions"],
        sources=suzhou["sources"],
        plans=suzhou["plans"],
    )
    row = _suzhou_target(ipbench.ambition(user))
    assert row["plan"] == "suzhou_ip_14fyp"
    assert row["baseline_period_end"] == pd.Timestamp("2020-12-31")


def test_benchmark_names_a_users_region_from_the_frames_catalog(suzhou: dict[str, Path]) -> None:
    # Issue 9: benchmark on a user region without regions= labelled it with a blank
    # name and level. The frame's catalog names it.
    catalog = ipbench.Catalog.builtin().extend(regions=suzhou["regions"], sources=suzhou["sources"])
    user = ipbench.read_observations(suzhou["observations"], catalog=catalog)
    both = pd.concat([ipbench.load_observations(), user], ignore_index=True)
    result = ipbench.benchmark(both, "invention_patents_in_force", catalog=catalog, year=2020)
    suzhou_row = result[result["adcode"] == "320500"].iloc[0]
    assert (suzhou_row["name_en"], suzhou_row["level"]) == ("Suzhou", "city")


def test_a_frame_without_its_catalog_is_refused_not_labelled_blank(
    suzhou: dict[str, Path],
) -> None:
    text = pd.read_csv(suzhou["observations"], dtype=str, keep_default_na=False)
    with pytest.raises(ipbench.ValidationError, match="320500"):
        ipbench.benchmark(text, "invention_patents_in_force", year=2020)


def test_an_explicit_catalog_overrides_the_frames(suzhou: dict[str, Path]) -> None:
    user = ipbench.read_observations(
        suzhou["observations"], regions=suzhou["regions"], sources=suzhou["sources"]
    )
    with pytest.raises(ipbench.ValidationError, match="320500"):
        ipbench.growth(user, catalog=ipbench.Catalog.builtin())


def test_catalog_from_a_folder_extends_the_builtin_one(suzhou: dict[str, Path]) -> None:
    catalog = ipbench.Catalog.from_folder(suzhou["regions"].parent)
    assert catalog.level_of["320500"] == "city"
    assert "suzhou_ip_14fyp" in set(catalog.plans["plan"])
    # the built-in rows stay: 10 built-in regions + 苏州
    assert len(catalog.regions) == len(ipbench.load_regions()) + 1


def test_a_users_row_that_changes_a_builtin_id_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "my_regions.csv"
    path.write_text(
        "adcode,name_zh,name_en,level,parent_adcode\n320100,南京市,Nanking,city,320000\n",
        encoding="utf-8",
    )
    with pytest.raises(ipbench.ValidationError) as caught:
        ipbench.Catalog.builtin().extend(regions=path)
    failure = caught.value.failures.iloc[0]
    assert failure["file"] == str(path)
    assert failure["row"] == 2  # the first data row as a spreadsheet shows it
    assert "name_en" in failure["expected"]


def test_the_builtin_catalog_is_built_once() -> None:
    assert ipbench.Catalog.builtin() is ipbench.Catalog.builtin()
    obs = ipbench.load_observations()
    assert ipbench.catalog_of(obs) is ipbench.Catalog.builtin()


def test_a_validated_frame_is_not_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 9: one ambition(obs) on the built-in data ran validate_table 7 times.
    obs = ipbench.load_observations()
    calls: list[str] = []
    original = _validated.validated_table

    def counting(frame: pd.DataFrame, table: str, **options: object) -> pd.DataFrame:
        calls.append(table)
        return original(frame, table, **options)

    monkeypatch.setattr(_validated, "validated_table", counting)
    ipbench.ambition(obs)
    ipbench.growth(obs[obs["status"] == "actual"])
    ipbench.per_capita(obs, errors="coerce").pipe(
        ipbench.benchmark, "invention_patents_in_force_per_10k", year=2021
    )
    assert calls == []


def test_a_changed_frame_is_validated_again() -> None:
    obs = ipbench.load_observations()
    # a new column dtype (text where a category was) is noticed, and the bad cell named
    changed = obs.assign(status=obs["status"].astype(str).replace("actual", "observed"))
    with pytest.raises(ipbench.ValidationError, match="observed"):
        ipbench.growth(changed)
    # rows that were never validated are noticed too
    extra = obs.head(1).assign(value=-1.0)
    with pytest.raises(ipbench.ValidationError, match="value"):
        ipbench.growth(pd.concat([obs, extra.set_axis([10_000])]))


def test_validate_always_validates_what_it_is_given() -> None:
    obs = ipbench.load_observations()
    with pytest.raises(ipbench.ValidationError, match="32010"):
        ipbench.validate(obs.head(1).assign(adcode="32010"))


def test_the_catalog_survives_a_chain_of_pandas_operations(suzhou: dict[str, Path]) -> None:
    user = ipbench.read_observations(
        suzhou["observations"], regions=suzhou["regions"], sources=suzhou["sources"]
    )
    catalog = ipbench.catalog_of(user)
    chained = user.query("status == 'actual'").assign(extra=1).drop(columns="extra").copy()
    assert ipbench.catalog_of(chained) is catalog
    assert ipbench.catalog_of(ipbench.growth(chained)) is catalog


def test_observation_columns_are_the_schemas() -> None:
    assert tuple(ipbench.ObservationSchema.to_schema().columns) == OBSERVATION_COLUMNS


def test_import_ipbench_leaves_heavy_modules_for_first_use() -> None:
    modules = "('pandera', 'altair', 'openpyxl')"
    code = f"import sys, ipbench; print([m for m in {modules} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lazy_public_names_resolve() -> None:
    assert ipbench.ObservationSchema.__name__ == "ObservationSchema"
    assert hasattr(ipbench.charts, "benchmark_bar")
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        _ = ipbench.nonsense  # type: ignore[attr-defined]


EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "examples" / "suzhou"


def test_charts_name_a_users_region_and_cite_its_source_from_the_frames_catalog() -> None:
    # Charts used the built-in regions and sources: a user's region was drawn under its
    # code (320500) and its document cited by id. The frame's catalog names both.
    from ipbench import _charts as charts  # noqa: PLC0415 (Altair loads with the charts only)

    catalog = ipbench.Catalog.from_folder(EXAMPLE)
    user = ipbench.read_observations(EXAMPLE / "observations.csv", catalog=catalog)
    series = charts.time_series(user, "invention_patents_in_force_per_10k", lang="zh")
    text = " ".join(charts.chart_text(series))
    assert "苏州" in text
    assert "示例数据：苏州市" in text  # the title of the user's source, not its id
    targets = ipbench.ambition(user)
    trajectories = charts.target_trajectories(targets, "320500", lang="en")
    assert "Suzhou" in " ".join(charts.chart_text(trajectories))


def test_charts_refuse_an_unknown_language() -> None:
    from ipbench import charts  # noqa: PLC0415

    bench = ipbench.benchmark(ipbench.load_observations(), "invention_patents_in_force_per_10k")
    with pytest.raises(ipbench.OptionError, match="`lang` must be one of 'zh', 'en'; got 'fr'"):
        charts.benchmark_bar(bench, lang="fr")  # type: ignore[arg-type]
