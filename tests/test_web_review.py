"""The office's review and the final report on the web pages (``nianbao accept`` / ``reject`` /
``aggregate`` through the same API), on the demo's workspace."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

import nianbao
from conftest import run
from web_support import client, create_app, csrf_of, make_workspace


@pytest.fixture
def demo(tmp_path: Path) -> nianbao.Workspace:
    code, output = run("demo", tmp_path / "演示")
    assert code == 0, output
    return nianbao.Workspace.open(tmp_path / "演示" / "工作区")


def _flash(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m) for m in re.findall(r'<p class="flash \w+" role="status">(.*?)</p>', page, re.S)]


def _review(c, code: str, token: str, ws: nianbao.Workspace, **fields: str) -> str:  # type: ignore[no-untyped-def]
    current = ws.history(code).state.submission
    data = {"csrf": token, "submission": str(current.id if current else ""), **fields}
    r = c.post(f"/review/{code}", data=data)
    assert r.status_code == 200, r.text
    return r.text


def test_accept_and_reject_with_a_reason(demo: nianbao.Workspace) -> None:
    c = client(create_app(demo.root))
    token = csrf_of(c)
    errors = "500112-005"
    page = c.get(f"/unit/{errors}").text
    assert 'id="override"' in page and 'value="accept"' in page and 'value="reject"' in page
    # a reason is required; errors need the explicit override
    page = _review(c, errors, token, demo, action="accept", reason="  ")
    assert "请写明理由（不能为空）" in _flash(page)[0] and "--reason" not in page
    page = _review(c, errors, token, demo, action="accept", reason="已核实")
    assert "不能直接接受" in _flash(page)[0] and "勾选“有错误仍接受”" in _flash(page)[0]
    assert demo.history(errors).state.status == "errors"
    page = _review(c, errors, token, demo, action="accept", reason="经核实，表三差异系统计口径所致",
                   override_errors="1")
    assert "有错误仍接受" in _flash(page)[0] and "经核实，表三差异系统计口径所致" in _flash(page)[0]
    state = demo.history(errors).state
    assert state.status == "accepted" and state.decision.override_errors
    assert "审核意见：有错误仍接受：经核实，表三差异系统计口径所致" in page
    # reject a passed return: 已退回 on the board, a feedback workbook with the reason
    passed = "500112-001"
    page = _review(c, passed, token, demo, action="reject", reason="文字部分与表格不一致，请修改")
    assert _flash(page)[0].startswith("已退回 重庆市渝北区发展和改革委员会 报送的")
    assert demo.history(passed).state.status == "rejected"
    board = c.get("/board").text
    assert 'data-status="rejected"' in board and "退回：文字部分与表格不一致，请修改" in board
    assert any(p.name.endswith("_反馈.xlsx") and "发展和改革委员会" in p.name for p in (demo.root / "feedback").iterdir())
    # the CLI sees the same decisions
    import json

    _, output = run("status", "-w", demo.root, "--json")
    cli = {u["code"]: u["status"] for u in json.loads(output)["units"]}
    assert (cli[errors], cli[passed]) == ("accepted", "rejected")


def test_an_untouched_return_cannot_be_accepted(demo: nianbao.Workspace) -> None:
    c = client(create_app(demo.root))
    token = csrf_of(c)
    untouched = "500112-103"
    page = c.get(f"/unit/{untouched}").text
    assert 'data-status="untouched"' in page and 'value="accept"' not in page and 'value="reject"' in page
    page = _review(c, untouched, token, demo, action="accept", reason="x")
    assert "是未填写的模板，不能接受，请退回。" in _flash(page)[0]


def test_a_decision_on_a_return_the_page_did_not_show_is_not_made(demo: nianbao.Workspace) -> None:
    c = client(create_app(demo.root))
    token = csrf_of(c)
    unit = "500112-002"
    old = demo.history(unit).state.submission.id
    r = c.post(f"/review/{unit}", data={"csrf": token, "submission": str(old - 1000), "action": "accept",
                                         "reason": "好"})
    assert "又报送了新文件，未作决定" in _flash(r.text)[0]
    assert demo.history(unit).state.decision is None
    r = c.post(f"/review/{unit}", data={"submission": str(old), "action": "accept", "reason": "好"})
    assert r.status_code == 403 and demo.history(unit).state.decision is None


def test_the_final_report_needs_every_unit_and_a_date(tmp_path: Path) -> None:
    from nianbao.synth import random_report

    ws = make_workspace(tmp_path)
    c = client(create_app(ws.root))
    token = csrf_of(c)
    page = c.post("/aggregate", data={"csrf": token, "mode": "final", "date": "2026-02-10"}).text
    assert "不能生成正式报告：汇总不完整，未包含 4 个单位的数据" in page and "--final" not in page
    returns = tmp_path / "returns"
    returns.mkdir()
    for i, unit in enumerate(ws.units()):
        report = random_report("2021", 2025, nianbao.Unit(unit.name, unit.code), random.Random(i), scale=9)
        nianbao.write_template(returns / f"{unit.code}.xlsx", year=2025, unit_name=unit.name,
                               unit_code=unit.code, data=report)
    ws.ingest(sorted(returns.iterdir()))
    for unit in ws.units():  # warnings (empty text, no contact) accepted by the office
        if ws.history(unit.code).state.status == "warnings":
            ws.accept(unit.code, "已电话核对")
    page = c.get("/aggregate").text
    assert 'id="complete"' in page and 'id="mode-final" checked' in page
    page = c.post("/aggregate", data={"csrf": token, "mode": "final", "date": ""}).text
    assert "不能生成正式报告：没有成文日期。请填写成文日期。" in page
    assert not ws.report_files()
    page = c.post("/aggregate", data={"csrf": token, "mode": "final", "date": "2026-02-30"}).text
    assert "2026-02-30" in page and not ws.report_files()
    page = c.post("/aggregate", data={"csrf": token, "mode": "final", "date": "2026-02-10"}).text
    assert "已汇总 4 个单位的报表，可以下载年度报告。" in page
    import docx

    text = "\n".join(p.text for p in docx.Document(str(ws.report_files()[".docx"])).paragraphs)
    assert "2026年2月10日" in text and "草稿" not in text


def test_the_unit_page_compares_with_last_year(tmp_path: Path) -> None:
    """A workspace made with last year's reports (data files): the unit's page puts last year's figures
    beside this year's and marks the ones that changed by a lot."""
    from nianbao.model import save_report
    from nianbao.synth import random_report

    last = tmp_path / "上年"
    last.mkdir()
    before = random_report("2021", 2024, nianbao.Unit("甲局", "A"), random.Random(1), scale=9)
    save_report(before, last / "甲局.json")
    roster = tmp_path / "名单.csv"
    roster.write_text("单位编码,单位名称,类别\nA,甲局,部门\nB,乙局,部门\n", encoding="utf-8")
    ws = nianbao.Workspace.create(tmp_path / "ws", year=2025, roster=roster, office="测试区政府办公室",
                                  previous=last)
    now = random_report("2021", 2025, nianbao.Unit("甲局", "A"), random.Random(1), scale=9)
    key = next(k for k, v in before.values.items() if v and k.startswith("t3.new."))
    scaled = dict(now.values)
    for k in list(scaled):  # this year's figures: last year's, one of them ten times as large
        if k in before.values:
            scaled[k] = before.values[k]
    now.values = scaled
    now.values[key] = before.values[key] * 10 + 20
    nianbao.write_template(tmp_path / "a.xlsx", year=2025, unit_name="甲局", unit_code="A", data=now)
    ws.ingest([tmp_path / "a.xlsx"])
    comparison = ws.compare("A")
    assert comparison is not None and comparison.previous_year == 2024 and comparison.flagged
    page = client(create_app(ws.root)).get("/unit/A").text
    assert "与上年（2024 年度）比较" in page and "变化异常的数字" in page
    assert str(before.values[key] * 10 + 20) in page
    assert ws.compare("B") is None and "与上年" not in client(create_app(ws.root)).get("/unit/B").text
