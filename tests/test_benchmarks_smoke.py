"""The benchmark script runs end to end on a tiny N and reports every stage, ratio and goal.

Not a timing test: nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "run.py"
N = 4

STAGES = ["idle", "gen", "gen_base", "gen_calls", "openpyxl", "calamine", "check", "ingest_j1", "aggregate", "report"]
ROWS = [
    "generate (write_template, prefilled)",
    "baseline: bare XlsxWriter, same cells",
    "check (read_workbook + check_report)",
    "check + ingest, --jobs 1",
    "check + ingest, --jobs 2",
    "baseline: openpyxl.load_workbook",
    "floor: python-calamine values",
    "aggregate (roll_up, no outputs)",
    "report (write_report .docx)",
    "reference: XlsxWriter with the same validations, conditional formats, protection and print set-up",
]
GOALS = [
    "generation ÷ XlsxWriter writing the same workbook",
    "generation ÷ bare XlsxWriter",
    "check (read + rules) ÷ python-calamine",
    "check + ingest (--jobs 1), ms per workbook",
    "ingest peak memory, N ÷ N/10",
    "ingest speed-up, --jobs 2 vs --jobs 1",
    "report (.docx) seconds",
    "hostile 20 MB workbook: seconds",
    "hostile 20 MB workbook: peak RSS MB",
    "import of a 10-page PDF, seconds",
    "import of an HTML page, seconds",
]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nianbao_benchmarks_run", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "results.json"
    # the stages import nianbao from this checkout, whatever else is installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, str(SCRIPT), "--n", str(N), "--json", str(out), "--hostile-mb", "1"],
                          capture_output=True, text=True, timeout=300, cwd=tmp, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout, json.loads(out.read_text(encoding="utf-8"))


def test_table_has_every_stage_row_ratio_and_goal(tiny_run: tuple[str, dict[str, Any]]) -> None:
    stdout, _ = tiny_run
    assert f"### Stages at N = {N}" in stdout
    assert f"### Scaling: N/10 = 2 vs N = {N}" in stdout
    lines = stdout.splitlines()
    for row in ROWS:
        assert any(line.startswith("| ") and row in line for line in lines), row
    goal_lines = {g: next((line for line in lines if line.startswith(f"| {g}")), None) for g in GOALS}
    for goal, line in goal_lines.items():
        assert line is not None, goal
        cells = _cells(line)
        float(cells[1])  # a measured number, not "n/a"
        assert cells[3] in ("met", "MISSED"), line
    # each compared stage shows its ratios to its baseline (wall and CPU time) as numbers
    header = next(_cells(line) for line in lines if line.startswith("| stage ") and "÷ baseline" in line)
    for row in ROWS[0], ROWS[2], ROWS[3], ROWS[4]:
        cells = _cells(next(line for line in lines if row in line and line.startswith("| ")))
        for column in "÷ baseline", "÷ baseline (CPU)":
            ratio = cells[header.index(column)]
            assert ratio.endswith("×") and float(ratio[:-1]) > 0, (row, column, ratio)
    baseline = _cells(next(line for line in lines if ROWS[1] in line))
    assert baseline[header.index("÷ baseline")] == ""  # a baseline has no ratio of its own


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def test_json_holds_both_sizes_and_the_pipeline_really_ran(tiny_run: tuple[str, dict[str, Any]]) -> None:
    _, doc = tiny_run
    assert doc["n"] == N and doc["small"] == 2
    assert doc["machine"]["nianbao_source"] == str(ROOT / "src" / "nianbao")
    assert set(doc["results"]) == {"2", str(N)}
    for size, stages in doc["results"].items():
        expected = STAGES + (["ingest_j2", "hostile", "import"] if size == str(N) else [])
        assert sorted(stages) == sorted(expected)
        for name, m in stages.items():
            assert m["peak_rss_mb"] > 5, (size, name)  # a Python process is never smaller
            assert m["seconds"] >= 0 and m["process_seconds"] > m["seconds"]
        n = int(size)
        assert stages["check"]["items"] == n and stages["check"]["errors"] == 0
        for ingest in ("ingest_j1", "ingest_j2"):
            if ingest in stages:
                assert stages[ingest]["actions"] == {"recorded": n}
                assert stages[ingest]["statuses"] == {"passed": n}
        assert stages["aggregate"]["items"] == n and stages["aggregate"]["complete"] is True
        assert stages["report"]["bytes"] > 10_000
        assert stages["calamine"]["cells"] > 0
        if "import" in stages:  # issue 12: both published sources were read in full
            assert stages["import"]["pages"] == 10
            assert stages["import"]["pdf_values"] == stages["import"]["html_values"] == 200
    assert [g["name"] for g in doc["goals"]] == GOALS
    assert all(isinstance(g["measured"], float) for g in doc["goals"])


def test_tables_can_be_printed_again_from_the_json(tiny_run: tuple[str, dict[str, Any]], tmp_path: Path) -> None:
    stdout, doc = tiny_run
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(doc), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCRIPT), "--from-json", str(saved)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    tables = stdout[stdout.index("### Stages"):stdout.index("Notes:")]
    assert tables in proc.stdout


def test_bare_baseline_writes_the_same_cells_and_merges(tmp_path: Path) -> None:
    """The XlsxWriter baseline must write what the template holds, or its ratio means nothing."""
    bench = _load_script()
    from nianbao.workbook.writer import template_bytes

    code, name = bench.unit_list(1)[0]
    report = bench.unit_report("2021", code, name)
    data, _ = template_bytes(layout_id="2021", year=bench.YEAR, unit=report.unit, report=report, campaign="c")
    template = tmp_path / "template.xlsx"
    template.write_bytes(data)
    plan = bench.extract_plan(data, "2021")
    from nianbao.workbook.writer import _num

    bare = tmp_path / "bare.xlsx"
    bench.write_bare(bare, plan, {k: _num(v) for k, v in report.values.items()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a, b = openpyxl.load_workbook(template), openpyxl.load_workbook(bare)
    assert b.sheetnames == a.sheetnames  # the metadata sheet's cells too (a visible sheet there)
    compared = 0
    for ws in b.worksheets:
        wa = a[ws.title]
        assert {str(r) for r in ws.merged_cells.ranges} == {str(r) for r in wa.merged_cells.ranges}
        for row in wa.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                other = ws[cell.coordinate]
                assert other.value == cell.value, (ws.title, cell.coordinate)
                assert bench._format_props(other) == bench._format_props(cell), (ws.title, cell.coordinate)
                compared += 1
    assert compared > 500
    # the baseline leaves out what nianbao adds on top: validation, protection, document properties
    assert all(not ws.protection.sheet and not ws.data_validations.dataValidation for ws in b.worksheets)
    assert not b.custom_doc_props.props
