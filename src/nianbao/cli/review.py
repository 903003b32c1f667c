"""``nianbao accept`` / ``nianbao reject``: the office's decision on a unit's latest return."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nianbao.api import Workspace
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.display import short_time
from nianbao.messages import message

UnitArgument = Annotated[str, typer.Argument(help="单位编码或单位全称。", metavar="单位")]
ReasonOption = Annotated[str, typer.Option("--reason", help="理由（必填），记入台账并显示在报送情况中。",
                                           metavar="理由")]


def register(app: typer.Typer) -> None:
    @command(app, "accept", "接受某单位最近报送的报表：有提示时仍接受；有错误时须加 --override-errors。"
             "决定连同审核人（本机用户名）、时间和理由记入台账；该单位再次报送后须重新审核。")
    def accept(
        unit: UnitArgument,
        reason: ReasonOption,
        override_errors: Annotated[bool, typer.Option(
            "--override-errors", help="报表有错误时仍接受（台账中记为“有错误仍接受”，其数据计入汇总）。")] = False,
        workspace: WorkspaceOption = Path("."),
    ) -> None:
        done = Workspace.open(workspace).accept(unit, reason, override_errors=override_errors)
        d, sub = done.decision, done.submission
        code = "REVIEW-ACCEPTED-OVERRIDE" if d.override_errors else "REVIEW-ACCEPTED"
        out.print(message(code, unit=done.unit.name, path=sub.original_name, errors=sub.error_count,
                          who=d.decided_by, when=short_time(d.decided_at), reason=d.reason), highlight=False, markup=False)

    @command(app, "reject", "退回某单位最近报送的报表（状态为“已退回”），在 feedback/ 生成反馈表，"
             "其“问题清单”首行写明退回理由。决定记入台账；该单位再次报送后须重新审核。")
    def reject(
        unit: UnitArgument,
        reason: ReasonOption,
        workspace: WorkspaceOption = Path("."),
    ) -> None:
        done = Workspace.open(workspace).reject(unit, reason)
        d, sub = done.decision, done.submission
        out.print(message("REVIEW-REJECTED", unit=done.unit.name, path=sub.original_name, who=d.decided_by,
                          when=short_time(d.decided_at), reason=d.reason), highlight=False, markup=False)
        if done.feedback is not None:
            out.print(message("REVIEW-FEEDBACK", path=done.feedback), highlight=False, markup=False)
