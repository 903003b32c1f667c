"""Template generation (issue 16, gen): what every template of a layout shares is drawn once per
process and replayed; each workbook still holds only its own unit, year and numbers.

Also: the benchmark's reference row (XlsxWriter making the same calls) writes the same validations,
conditional formats, protection and print set-up as ``write_template``, or its ratio means nothing.
"""

from __future__ import annotations

import importlib.util
import io
import os
import random
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from nianbao.errors import NianbaoError
from nianbao.layout import FIRST_REPORT_YEAR, LAYOUT_IDS, REPORT_YEARS, cells_in_range, get_layout
from nianbao.model import Unit
from nianbao.synth import CLERK_INFO, CLERK_TEXT, random_report
from nianbao.workbook import form
from nianbao.workbook.writer import TEMPLATE_FILES, template_bytes

ROOT = Path(__file__).resolve().parents[1]


def _load(data: bytes) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(data))


def _all_text(wb: openpyxl.Workbook) -> str:
    parts = []
    for ws in wb.worksheets:
        parts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        parts += [str(ws.oddHeader.center.text), str(ws.oddHeader.right.text), str(ws.oddFooter.left.text)]
    return "\n".join(parts)


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_two_units_in_one_process_each_get_only_their_own(lid: str) -> None:
    first = random_report(lid, 2024, Unit("甲区某某局", "JIA1"), random.Random(1))
    second = random_report(lid, 2025, Unit("乙县另一局", "YI2"), random.Random(2))
    second.text = dict(CLERK_TEXT)
    template_bytes(layout_id=lid, year=2024, unit=first.unit, report=first)  # the drawings are made here
    data, _ = template_bytes(layout_id=lid, year=2025, unit=second.unit, report=second, info=CLERK_INFO)
    wb = _load(data)
    text = _all_text(wb)
    assert "甲区某某局" not in text and "JIA1" not in text and "2024年度" not in text
    layout = get_layout(lid)
    for t in layout.tables:
        ws = wb[t.sheet]
        assert ws.oddHeader.right.text == "2025年度" and ws.oddFooter.left.text == "乙县另一局"
        mark = ws[form.table_placement(layout, t.sheet).unit_mark_ref].value
        assert mark == form.unit_mark("YI2", "乙县另一局")
        for f in t.fields:
            if f.is_input:
                assert Decimal(str(ws[f.ref].value)) == second.values[f.key], f.key
    info = wb[form.INFO_SHEET]
    assert info[form.info_cell("unit_name").ref].value == "乙县另一局"
    assert info[form.info_cell("year").ref].value == 2025
    assert info[form.info_cell("filler").ref].value == CLERK_INFO["filler"]
    for tc in form.text_cells(layout):
        assert wb[form.TEXT_SHEET][tc.ref].value == (CLERK_TEXT.get(tc.section) or None)


@pytest.mark.parametrize("lid", LAYOUT_IDS)
def test_every_check_cell_is_highlighted_and_every_text_cell_prompts(lid: str) -> None:
    layout = get_layout(lid)
    wb = _load(template_bytes(layout_id=lid, year=2025, unit=Unit("丙"))[0])
    for t in layout.tables:
        ws = wb[t.sheet]
        highlighted = {c for cf in ws.conditional_formatting for rng in str(cf.sqref).split()
                       for c in cells_in_range(rng)}
        for chk in form.table_placement(layout, t.sheet).checks:
            assert chk.ref in highlighted, (t.sheet, chk.ref)
    prompts = {c: dv.prompt for dv in wb[form.TEXT_SHEET].data_validations.dataValidation
               for rng in str(dv.sqref).split() for c in cells_in_range(rng)}
    assert {tc.ref for tc in form.text_cells(layout)} <= {c for c, p in prompts.items() if p == form.TEXT_PROMPT}


def test_report_years_come_from_the_layout_declaration() -> None:
    unit = Unit("丁")
    for year, code in ((REPORT_YEARS.stop, "E-TEMPLATE-YEAR"), (REPORT_YEARS.start - 1, "E-TEMPLATE-YEAR"),
                       (FIRST_REPORT_YEAR - 1, "E-TEMPLATE-YEAR-EARLY")):
        with pytest.raises(NianbaoError) as exc:
            template_bytes(layout_id="2021", year=year, unit=unit)
        assert exc.value.code == code, year
    assert template_bytes(layout_id="2019", year=FIRST_REPORT_YEAR, unit=unit)[0][:2] == b"PK"
    assert set(TEMPLATE_FILES) == set(LAYOUT_IDS)


def test_refresh_templates_outside_the_repository_asks_for_a_folder(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "nianbao.workbook.writer", "--refresh-templates"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2 and "--dir" in proc.stderr
    assert not list(tmp_path.iterdir())  # nothing written
    proc = subprocess.run([sys.executable, "-m", "nianbao.workbook.writer", "--refresh-templates", "--dir", "out"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(TEMPLATE_FILES.values())


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nianbao_benchmarks_run_gen", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _features(wb: openpyxl.Workbook) -> dict[str, object]:
    out: dict[str, object] = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets]}
    for ws in wb.worksheets:
        p = ws.protection
        out[ws.title] = (
            sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.prompt, dv.error)
                   for dv in ws.data_validations.dataValidation),
            sorted((str(cf.sqref), r.type, tuple(r.formula or ())) for cf in ws.conditional_formatting
                   for r in cf.rules),
            (p.sheet, p.formatColumns, p.formatRows, p.selectLockedCells, p.selectUnlockedCells),
            (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToHeight, ws.print_title_rows,
             ws.print_area, ws.freeze_panes, ws.oddHeader.center.text, ws.oddFooter.left.text,
             ws.page_margins.left, ws.print_options.horizontalCentered),
            [(c.coordinate, c.value) for row in ws.iter_rows() for c in row if c.value is not None],
        )
    return out


def test_benchmark_reference_makes_the_same_validations_highlights_protection_and_print(tmp_path: Path) -> None:
    bench = _bench()
    code, name = bench.unit_list(1)[0]
    report = bench.unit_report("2021", code, name)
    book = bench.record_calls("2021", report, "c", CLERK_INFO)
    replayed = tmp_path / "calls.xlsx"
    bench.replay_calls(replayed, book, bench._prepared(book))
    data, _ = template_bytes(layout_id="2021", year=bench.YEAR, unit=report.unit, report=report, campaign="c",
                             info=CLERK_INFO)
    ours, theirs = _load(data), _load(replayed.read_bytes())
    a, b = _features(ours), _features(theirs)
    meta_sheet = ours.worksheets[-1].title  # its template id is random in each
    assert {k: v for k, v in a.items() if k != meta_sheet} == {k: v for k, v in b.items() if k != meta_sheet}
    assert sum(len(v[1]) for k, v in a.items() if isinstance(v, tuple)) >= 10  # the highlights are there
    assert ours.security.lockStructure and not (theirs.security and theirs.security.lockStructure)  # nianbao's own
