"""Distribution: one template per unit in ``outbox/`` and the distribution list 分发清单.csv.

With a previous source, each unit's template is prefilled with its 二、上年结转 (last year's
四、结转下年度继续办理, per applicant column).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.workspace import Workspace, template_name
from nianbao.display import escape_cell
from nianbao.model import Report, Unit, write_atomic

DISTRIBUTION_LIST = "分发清单.csv"
DISTRIBUTION_HEADER = ("单位编码", "单位名称", "文件", "邮箱", "联系人", "上年结转已预填")


@dataclass(frozen=True)
class Distributed:
    unit: RosterUnit
    path: Path
    carried_forward: bool


def prefill_report(ws: Workspace, unit: RosterUnit, previous: Report | None) -> Report | None:
    """The report a unit's template starts from: only 二、上年结转, when last year is known."""
    if previous is None:
        return None
    from nianbao.carry import carry_forward

    return carry_forward(previous, ws.year, Unit(unit.name, unit.code), ws.layout_id)


def make_templates(ws: Workspace) -> tuple[list[Distributed], Path]:
    """Write every unit's template and the distribution list; returns them (workspace locked meanwhile)."""
    from nianbao.campaign.lock import workspace_lock

    with workspace_lock(ws.root):
        return _make_templates(ws)


def _make_templates(ws: Workspace) -> tuple[list[Distributed], Path]:
    from nianbao.workbook.writer import write_template

    prev = None
    if ws.config.previous:
        from nianbao.campaign.previous import load_previous

        prev = load_previous(ws.config.previous)
    out: list[Distributed] = []
    for unit in ws.units():
        path = ws.outbox / template_name(ws.year, unit.name, unit.code)
        report = prefill_report(ws, unit, prev.for_unit(unit) if prev else None)
        write_template(path, layout_id=ws.layout_id, year=ws.year, unit=Unit(unit.name, unit.code),
                       report=report, campaign=ws.campaign, deadline=ws.config.deadline, contact=ws.config.contact)
        out.append(Distributed(unit, path, report is not None))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(DISTRIBUTION_HEADER)
    for d in out:
        writer.writerow([escape_cell(v) for v in (d.unit.code, d.unit.name, d.path.name, d.unit.email,
                                                  d.unit.contact, "是" if d.carried_forward else "否")])
    listing = ws.outbox / DISTRIBUTION_LIST
    write_atomic(listing, buf.getvalue().encode("utf-8-sig"))
    return out, listing
