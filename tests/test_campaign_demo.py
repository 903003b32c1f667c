"""The README's main job end to end: board statuses, ledger contents, and the roll-up as the exact
sum of the accepted units, cell by cell (data file, consolidated workbook and ledger agree)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.campaign import demo
from nianbao.campaign.demo import (
    ACCEPT_REASON,
    ACCEPTED,
    CORRECT,
    ERRORS,
    MISSING,
    TAMPERED,
    TWICE,
    UNTOUCHED,
    DemoResult,
    run_demo,
)
from nianbao.campaign.roster import read_roster
from nianbao.layout import get_layout
from nianbao.model import load_report
from nianbao.workbook.reader import read_workbook

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    steps: list[str] = []
    out = run_demo(tmp_path_factory.mktemp("demo") / "新目录", step=lambda text, payload: steps.append(text))
    out.steps = steps  # type: ignore[attr-defined]
    return out


def test_sample_roster_is_the_bundled_one() -> None:
    assert read_roster(ROOT / "samples" / "roster.csv") == demo.sample_roster()
    units = demo.sample_roster()
    assert len(units) >= 8 and {u.category for u in units} == {"部门", "乡镇街道"}


def test_steps_are_printed_in_order(result: DemoResult) -> None:
    steps: list[str] = result.steps  # type: ignore[attr-defined]
    numbered = [s.split("：")[0] for s in steps if s.startswith("第")]
    assert numbered == [f"第 {i} 步" for i in range(1, 10)]
    assert steps[-1].startswith("演示完成。")
    assert str(result.rollup.docx) in steps[-1] and str(result.rollup.workbook) in steps[-1]  # type: ignore[union-attr]


def test_board_statuses(result: DemoResult) -> None:
    expected = {CORRECT: "已通过", TWICE: "已通过", ERRORS: "有错误", TAMPERED: "有错误", MISSING: "未报送",
                ACCEPTED: "已接受", UNTOUCHED: "未填写"}
    board = result.board
    assert board is not None
    assert {line.unit.code: line.label for line in board.lines} == {
        code: expected[role] for code, role in result.roles.items()}
    assert board.totals_text == "合计 10 个单位：已通过 5，已接受 1，仅有提示 0，有错误 2，未填写 1，未报送 1。"
    [accepted] = [line for line in board.lines if line.status == "accepted"]
    assert accepted.decision is not None and accepted.decision.reason == ACCEPT_REASON
    from nianbao.campaign.status import BOARD_COLUMNS

    decision = [c.key for c in BOARD_COLUMNS].index("decision_text")
    assert accepted.warnings == 1 and ACCEPT_REASON in str(accepted.as_row()[decision])
    assert [s.reason for s in board.refused] == ["INGEST-YEAR"]


def test_ledger_contents(result: DemoResult) -> None:
    ws = result.workspace
    code = {role: c for c, role in result.roles.items() if role != CORRECT}
    with ws.open_ledger() as ledger:
        subs = ledger.submissions()
        # 12 files in the inbox, one of them a byte-identical copy: 11 recorded, one of them refused
        assert len(list(ws.inbox.iterdir())) == 12
        assert len(subs) == 11 == len({s.sha256 for s in subs})
        [untouched] = [s for s in subs if s.status == "untouched"]
        assert untouched.unit_code == code[UNTOUCHED]
        assert [f.rule for f in ledger.findings(untouched.id)] == ["RETURN-UNTOUCHED"]  # one line, not 166
        assert [s.message for s in subs if s.status == "refused"] == [
            "文件 公安分局2024年度政府信息公开年报.xlsx 是 2024 年度的报表，而本工作区收集的是 2025 年度，已拒收。"
            "请让报送单位使用本年度下发的模板。"]
        for s in subs:
            assert ledger.original_path(s).read_bytes() == (ws.inbox / s.original_name).read_bytes()
        twice = ledger.submissions(code[TWICE])
        assert [(s.status, s.superseded_by) for s in twice] == [("errors", twice[1].id), ("passed", None)]
        assert "T3-BALANCE" in [f.rule for f in ledger.findings(twice[0].id)]
        bad = ledger.current(code[ERRORS])
        assert bad is not None and {f.rule for f in ledger.findings(bad.id)} >= {"T3-BALANCE"}
        tampered = ledger.current(code[TAMPERED])
        assert tampered is not None
        rules = {f.rule for f in ledger.findings(tampered.id)}
        assert "LABEL-ALTERED" in rules and "PROTECTION-OFF" in rules
        assert ledger.current(code[MISSING]) is None
        for c, role in result.roles.items():  # what the ledger holds is what each unit sent
            if role in (CORRECT, TWICE, ERRORS):
                sub = ledger.current(c)
                assert sub is not None
                assert ledger.values(sub.id) == result.sent[c].full_values()
    assert {p.name for p in ws.feedback.iterdir()} == {
        f"2025年政府信息公开工作年度报告_{u.name}_反馈.xlsx" for u in demo.sample_roster()
        if result.roles[u.code] in (ERRORS, TAMPERED)}


def test_aggregate_is_the_sum_of_accepted_units_cell_by_cell(result: DemoResult) -> None:
    rollup = result.rollup
    assert rollup is not None and rollup.data_file and rollup.workbook and rollup.docx
    accepted = [c for c, role in result.roles.items() if role in (CORRECT, TWICE, ACCEPTED)]
    assert [u.code for u in rollup.included] == accepted
    layout = get_layout("2021")
    expected = {k: sum(result.sent[c].full_values()[k] for c in accepted) for k in layout.fields}
    data = load_report(rollup.data_file).report
    book = read_workbook(rollup.workbook)
    assert not [f for f in book.findings if f.severity.value == "error"]
    for key in layout.fields:
        assert rollup.report.values[key] == expected[key], key
        assert data.full_values()[key] == expected[key], key
        assert book.report.full_values()[key] == expected[key], key
    doc = json.loads(rollup.data_file.read_text(encoding="utf-8"))
    assert [m["code"] for m in doc["members"]["included"]] == accepted
    assert [m["code"] for m in doc["members"]["missing"]] == [
        c for c, role in result.roles.items() if role in (UNTOUCHED, MISSING)]
    assert book.meta["members"] == "|".join(accepted)
    assert rollup.docx.stat().st_size > 10_000


def test_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(demo.DemoError, match="已存在且不为空"):
        run_demo(tmp_path)
