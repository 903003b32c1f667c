"""Ingest takes published reports and re-typed or pasted workbooks like any return (issue 12).

An imported return is recorded with its original kept byte for byte and flagged as not made from
the template (``IMPORT-SOURCE`` / ``META-MISSING``); its verdict is the one ``check`` gives.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lo.harness import requires_soffice
from nianbao.campaign.ingest import ingest
from nianbao.campaign.ledger import ERRORS, WARNINGS
from nianbao.campaign.workspace import Workspace, init_workspace
from nianbao.rules import check_report
from nianbao.sources import load_source
from test_import import ORIGINALS, TESTS, published_forms

ROSTER = ("单位编码,单位名称,类别,联系人,邮箱\nA,沭阳县发展和改革局,部门,,\nB,洪泽区人民政府,乡镇街道,,\n"
          "C,宿迁市,其他,,\n")


def _ws(tmp_path: Path) -> Workspace:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    return init_workspace(tmp_path / "ws", year=2023, roster=roster, office="某市政府办公室")


@pytest.fixture(scope="module")
def forms() -> Path:
    return published_forms.make_forms()


@requires_soffice
@pytest.mark.parametrize(("code", "source"), [
    ("A", ORIGINALS / "014-shuyang-fagai-2023.html"),
    ("B", "011.docx"),
    ("B", "011.xlsx"),  # the page pasted into Calc
    ("B", TESTS / "files" / "retyped" / "011.xlsx"),  # re-typed into a blank workbook
    ("C", "009.pdf"),
])
def test_imported_returns_are_recorded_flagged_and_judged_as_check_judges(
        tmp_path: Path, forms: Path, code: str, source: Path | str) -> None:
    path = forms / source if isinstance(source, str) else source
    ws = _ws(tmp_path)
    shutil.copy(path, ws.inbox / path.name)
    result = ingest(ws, feedback=False)
    [outcome] = result.outcomes
    assert outcome.unit is not None and outcome.unit.code == code
    loaded = load_source(path)
    verdict = ERRORS if check_report(loaded.report, None, loaded.findings).errors else WARNINGS
    with ws.open_ledger() as ledger:
        sub = ledger.current(code)
        assert sub is not None and sub.status == verdict
        assert ledger.original_path(sub).read_bytes() == path.read_bytes()
        rules = {f.rule for f in ledger.findings(sub.id)}
    assert rules & {"IMPORT-SOURCE", "META-MISSING"}  # not made from the template
    assert "INPUT-MERGED" not in rules
    if code == "B":
        assert {"T4-TOTAL", "LAYOUT-MIXED"} <= rules
