"""``nianbao demo``: the whole collection loop on bundled sample data, in a fresh folder.

It plays both sides: the office (init, templates, ingest, status, aggregate, report) and the units,
whose returns are simulated the way returned files look: each unit's own template filled in (by the
writer, with random consistent figures, the report's text and the 填报人 / 联系电话), except one unit
whose figures do not balance, one that tampered with the template (a label retyped and the sheet
protection removed, as openpyxl saves it), one that sent the same file twice and then a corrected one,
one that left 五、存在的主要问题 empty (a warning: the office accepts it, giving its reason), one that
sent its template back untouched (未填写), and one that sent nothing.
"""

from __future__ import annotations

import io
import os
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.campaign.aggregate import RollUp, roll_up
from nianbao.campaign.distribute import make_templates
from nianbao.campaign.ingest import IngestResult, ingest
from nianbao.campaign.roster import RosterUnit, parse_rows
from nianbao.campaign.status import Board, build_board
from nianbao.campaign.workspace import Workspace, init_workspace, make_directory
from nianbao.errors import NianbaoError
from nianbao.messages import message
from nianbao.model import Report, Unit
from nianbao.synth import CLERK_INFO, random_report

DEMO_YEAR = 2025
DEMO_OFFICE = Unit("重庆市渝北区人民政府办公室", "500112-000")
DEMO_DEADLINE = "2026-01-31"
DEMO_CONTACT = "区政务公开办 023-67800000"

# The sample roster, also shipped as samples/roster.csv (a test keeps the two identical). It lives
# here so that ``nianbao demo`` works from an installed package, where samples/ is absent.
SAMPLE_ROSTER = """单位编码,单位名称,类别,联系人,邮箱
500112-001,重庆市渝北区发展和改革委员会,部门,王敏,fgw@yubei.example.gov.cn
500112-002,重庆市渝北区教育委员会,部门,李静,jw@yubei.example.gov.cn
500112-003,重庆市渝北区公安分局,部门,张伟,gaj@yubei.example.gov.cn
500112-004,重庆市渝北区人力资源和社会保障局,部门,刘洋,rsj@yubei.example.gov.cn
500112-005,重庆市渝北区规划和自然资源局,部门,陈晨,ghzrzyj@yubei.example.gov.cn
500112-006,重庆市渝北区住房和城乡建设委员会,部门,杨帆,zjw@yubei.example.gov.cn
500112-101,重庆市渝北区双龙湖街道办事处,乡镇街道,赵磊,slhjd@yubei.example.gov.cn
500112-102,重庆市渝北区龙溪街道办事处,乡镇街道,周婷,lxjd@yubei.example.gov.cn
500112-103,重庆市渝北区统景镇人民政府,乡镇街道,吴刚,tjz@yubei.example.gov.cn
500112-104,重庆市渝北区洛碛镇人民政府,乡镇街道,郑丽,lqz@yubei.example.gov.cn
"""

# What each simulated unit does (by position in the roster; the rest return correct files).
CORRECT, ERRORS, TAMPERED, TWICE, MISSING = "correct", "errors", "tampered", "twice", "missing"
ACCEPTED, UNTOUCHED = "accepted", "untouched"
ROLES = {1: TWICE, 4: ERRORS, 5: ACCEPTED, 7: TAMPERED, 8: UNTOUCHED, 9: MISSING}
ACCEPT_REASON = "该单位来函说明本年度无需整改的问题，经电话核实，同意接受。"
WRONG_YEAR = 2  # this unit first sends last year's file by mistake (refused), then this year's

OFFICE_TEXT = {
    "s1": "（一）主动公开\n2025年，全区各部门、各镇街按照政府信息公开条例要求，做好政府信息主动公开工作。\n"
          "（二）依申请公开\n规范办理政府信息公开申请，按时答复。",
    "s5": "存在的主要问题：个别单位公开内容更新不及时。改进情况：加强培训和督促检查。",
    "s6": "本年度未收取信息处理费。",
}

Step = Callable[[str, Any], None]


class DemoError(NianbaoError):
    """The demo folder exists and is not empty (exit code 2)."""


@dataclass
class DemoResult:
    workspace: Workspace
    roles: dict[str, str]  # unit code → role
    sent: dict[str, Report] = field(default_factory=dict)  # unit code → the figures of its last sent file
    ingest: IngestResult | None = None
    board: Board | None = None
    rollup: RollUp | None = None


def sample_roster() -> list[RosterUnit]:
    import csv

    return parse_rows(csv.reader(io.StringIO(SAMPLE_ROSTER)), "<示例名单>")


def run_demo(directory: str | os.PathLike[str] | None = None, *, step: Step | None = None,
             seed: int = DEMO_YEAR, jobs: int = 1) -> DemoResult:
    """Run the loop in ``directory`` (default: a new temporary folder); ``step(text, payload)`` is
    called at each step (payload: the ingest result, the board, or None)."""
    say: Step = step or (lambda text, payload: None)
    root = _fresh(directory)
    ws_dir = root / "工作区"
    roster_file = root / "示例单位名单.csv"
    roster_file.write_text(SAMPLE_ROSTER, encoding="utf-8")
    say(message("DEMO-START", path=root, office=DEMO_OFFICE.name, year=DEMO_YEAR), None)

    units = sample_roster()
    n = iter(range(1, 20))
    say(message("DEMO-STEP", no=next(n), text=message(
        "DEMO-INIT", units=len(units), departments=sum(u.category == "部门" for u in units),
        towns=sum(u.category == "乡镇街道" for u in units))), None)
    ws = init_workspace(ws_dir, year=DEMO_YEAR, roster=roster_file, office=DEMO_OFFICE.name,
                        office_code=DEMO_OFFICE.code, deadline=DEMO_DEADLINE, contact=DEMO_CONTACT)

    done, _ = make_templates(ws)
    say(message("DEMO-STEP", no=next(n), text=message("DEMO-TEMPLATES", count=len(done), outbox=ws.outbox)),
        None)

    roles = {u.code: ROLES.get(i, CORRECT) for i, u in enumerate(units)}
    names = {r: next(u.name for u in units if roles[u.code] == r)
             for r in (ERRORS, TAMPERED, TWICE, MISSING, ACCEPTED, UNTOUCHED)}
    say(message("DEMO-STEP", no=next(n), text=message(
        "DEMO-RETURNS", correct=sum(r == CORRECT for r in roles.values()), errors=names[ERRORS],
        tampered=names[TAMPERED], twice=names[TWICE], wrong_year=units[WRONG_YEAR].name,
        missing=names[MISSING], warned=names[ACCEPTED], untouched=names[UNTOUCHED])), None)
    result = DemoResult(ws, roles)
    _simulate_returns(ws, units, roles, random.Random(seed), result)

    count = sum(1 for p in ws.inbox.iterdir() if p.is_file())
    result.ingest = ingest(ws, jobs=jobs, progress=False)
    say(message("DEMO-STEP", no=next(n), text=message("DEMO-INGEST", count=count)), result.ingest)

    from nianbao.campaign.review import accept

    warned = next(u for u in units if roles[u.code] == ACCEPTED)
    accept(ws, warned.code, ACCEPT_REASON)
    say(message("DEMO-STEP", no=next(n), text=message("DEMO-ACCEPT", unit=warned.name, reason=ACCEPT_REASON)),
        None)

    result.board = build_board(ws)
    say(message("DEMO-STEP", no=next(n), text=message("DEMO-STATUS")), result.board)

    files = "、".join(p.name for p in result.ingest.feedback.values()) or "无"
    say(message("DEMO-STEP", no=next(n), text=message("DEMO-FEEDBACK", files=files)), None)

    say(message("DEMO-STEP", no=next(n), text=message("DEMO-AGGREGATE")), None)
    text_file = root / "汇总报告文字.json"
    _write_office_text(text_file)
    result.rollup = roll_up(ws, allow_incomplete=True, text_source=text_file)

    say(message("DEMO-STEP", no=next(n), text=message("DEMO-REPORT")), None)
    say(message("DEMO-DONE", docx=result.rollup.docx, workbook=result.rollup.workbook,
                data=result.rollup.data_file, outbox=ws.outbox, feedback=ws.feedback), None)
    return result


def _fresh(directory: str | os.PathLike[str] | None) -> Path:
    if directory is None:
        return Path(tempfile.mkdtemp(prefix="nianbao-demo-"))
    root = Path(directory)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise DemoError("DEMO-NOT-EMPTY", path=str(root))
    make_directory(root)
    return root


def _write_office_text(path: Path) -> None:
    import json

    from nianbao.layout import default_layout_id, get_layout
    from nianbao.model import SCHEMA

    layout = get_layout(default_layout_id(DEMO_YEAR))
    doc = {"schema": SCHEMA, "layout": layout.id, "year": DEMO_YEAR, "unit": DEMO_OFFICE.to_json(),
           "values": {k: 0 for k in layout.inputs}, "text": OFFICE_TEXT}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


class _Returns:
    """The units' returns arriving in ``inbox/`` one minute apart (their modification times), in roster order."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.clock = 1_767_000_000

    def arrived(self, path: Path) -> Path:
        self.clock += 60
        os.utime(path, (self.clock, self.clock))
        return path

    def send(self, unit: RosterUnit, report: Report, name: str, *, tamper: bool = False) -> Path:
        """The unit's own template filled with ``report`` (as a clerk would), saved as ``name``."""
        from nianbao.workbook.reader import read_workbook
        from nianbao.workbook.writer import write_template

        ws = self.ws
        template = ws.outbox / _template_of(ws, unit)
        template_id = read_workbook(template).meta.get("template_id")
        path = ws.inbox / name
        write_template(path, layout_id=ws.layout_id, year=ws.year, unit=Unit(unit.name, unit.code),
                       report=report, campaign=ws.campaign, deadline=ws.config.deadline,
                       contact=ws.config.contact, template_id=template_id,
                       info={"filler": unit.contact or CLERK_INFO["filler"], "phone": CLERK_INFO["phone"]})
        if tamper:
            _tamper(path, ws.layout_id)
        return self.arrived(path)


def _simulate_returns(ws: Workspace, units: list[RosterUnit], roles: dict[str, str], rng: random.Random,
                      result: DemoResult) -> None:
    returns = _Returns(ws)
    for unit in units:
        role = roles[unit.code]
        if role == MISSING:
            continue
        report = random_report(ws.layout_id, ws.year, Unit(unit.name, unit.code), rng, with_totals=False)
        report.text = {"s1": f"{unit.name}2025年政府信息公开工作总体情况。",
                       "s5": "存在的主要问题：个别栏目更新不及时。改进情况：明确专人负责，按月检查。",
                       "s6": "本年度未收取信息处理费。"}
        short = unit.name.removeprefix("重庆市渝北区")
        if role == UNTOUCHED:  # the template sent back as it came
            path = ws.inbox / f"{short}年报.xlsx"
            path.write_bytes((ws.outbox / _template_of(ws, unit)).read_bytes())
            returns.arrived(path)
            continue
        result.sent[unit.code] = _send_as(role, returns, unit, report, short,
                                          wrong_year=units.index(unit) == WRONG_YEAR, rng=rng)


def _send_as(role: str, returns: _Returns, unit: RosterUnit, report: Report, short: str, *, wrong_year: bool,
             rng: random.Random) -> Report:
    """Send the unit's return as its role has it; the report that counts (the last one sent)."""
    ws = returns.ws
    if role == ACCEPTED:
        del report.text["s5"]  # 五、存在的主要问题 left empty: a warning
        returns.send(unit, report, f"{short}年报.xlsx")
        return report
    if role == ERRORS:
        broken = _unbalanced(report)
        returns.send(unit, broken, f"{short}年报.xlsx")
        return broken
    if role == TWICE:
        first = returns.send(unit, _unbalanced(report), f"{short}年报.xlsx")
        copy = ws.inbox / f"{short}年报(1).xlsx"
        copy.write_bytes(first.read_bytes())
        returns.arrived(copy)
        returns.send(unit, report, f"{short}年报（更正）.xlsx")
        return report
    if role == TAMPERED:
        returns.send(unit, report, f"新建 Microsoft Excel 工作表（{short}）.xlsx", tamper=True)
        return report
    if wrong_year:
        from nianbao.workbook.writer import write_template

        last_year = random_report(ws.layout_id, ws.year - 1, Unit(unit.name, unit.code), rng)
        path = ws.inbox / f"{short}{ws.year - 1}年度政府信息公开年报.xlsx"
        write_template(path, layout_id=ws.layout_id, year=ws.year - 1, unit=Unit(unit.name, unit.code),
                       report=last_year)
        returns.arrived(path)
    returns.send(unit, report, f"{short}{ws.year}年度政府信息公开年报.xlsx")
    return report


def _template_of(ws: Workspace, unit: RosterUnit) -> str:
    from nianbao.campaign.workspace import template_name

    return template_name(ws.year, unit.name, unit.code)


def _unbalanced(report: Report) -> Report:
    """The same figures with one outcome typed too high: 表三 no longer balances (T3-BALANCE)."""
    values = dict(report.values)
    values["t3.granted.natural"] = int(values["t3.granted.natural"]) + 3
    return Report(report.layout, report.year, report.unit, values, dict(report.text))


def _tamper(path: Path, layout_id: str) -> None:
    """What a clerk does: retype a column label and lift the sheet protection (saved by openpyxl)."""
    import openpyxl

    from nianbao.layout import T3_COLUMNS, get_layout

    t3 = get_layout(layout_id).table_by_id["t3"]
    wb = openpyxl.load_workbook(path)
    sheet = wb[t3.sheet]
    label = next(lb.ref for lb in t3.labels if lb.text == T3_COLUMNS[0][1])  # 自然人
    sheet[label] = "个人"
    sheet.protection.sheet = False
    wb.save(path)
