"""A clerk copies 表三 from a colleague's workbook into their own (LibreOffice 插入工作表 › 来自文件).

The table sheets carry the unit's name in their page footer; a sheet whose footer names another
unit came from another unit's workbook, and its numbers are not this unit's.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lo import harness
from lo.harness import requires_soffice
from nianbao.model import Unit
from nianbao.synth import random_report
from nianbao.workbook.reader import read_workbook
from nianbao.workbook.writer import write_template

EDIT_DRIVER = Path(__file__).parent / "files" / "review" / "lo_edit.py"


@requires_soffice
def test_a_table_sheet_copied_from_another_units_workbook_is_an_error(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    mine, theirs = Unit("甲局", "A"), Unit("乙局", "B")
    for unit, seed in ((mine, 1), (theirs, 2)):
        report = random_report("2021", 2025, unit, random.Random(seed), with_totals=False)
        write_template(tmp_path / f"{unit.code}.xlsx", layout_id="2021", year=2025, unit=unit, report=report)
    monkeypatch.setattr(harness, "DRIVER", EDIT_DRIVER)
    harness.run_job([{"op": "edit", "src": tmp_path / "A.xlsx", "dst": tmp_path / "A-copied.xlsx",
                      "steps": [{"do": "copy_sheet_from", "from": str(tmp_path / "B.xlsx"), "sheet": "表三",
                                 "as": "表三", "to": 4}]}])
    loaded = read_workbook(tmp_path / "A-copied.xlsx")
    other = [f for f in loaded.findings if f.rule == "SHEET-OTHER-UNIT"]
    assert [(f.severity.value, f.cells) for f in other] == [("error", ("表三",))]
    assert "乙局" in other[0].message and "甲局" in other[0].message
    clean = read_workbook(tmp_path / "A.xlsx")
    assert "SHEET-OTHER-UNIT" not in [f.rule for f in clean.findings]
