"""``nianbao templates``: one workbook per unit into ``outbox/``, and the distribution list."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from nianbao.api import Workspace
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "templates", "为名单中的每个单位生成填报模板（outbox/{年度}年政府信息公开工作年度报告_{单位}.xlsx）"
             "和分发清单（outbox/分发清单.csv：单位、文件、邮箱）。有上年数据时预填“二、上年结转”。")
    def templates(
        workspace: WorkspaceOption = Path("."),
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出生成的模板清单。")] = False,
    ) -> None:
        ws = Workspace.open(workspace)
        done, listing = ws.templates()
        if as_json:
            doc = {"outbox": str(ws.outbox), "listing": str(listing),
                   "templates": [{"code": d.unit.code, "name": d.unit.name, "file": str(d.path),
                                  "carried_forward": d.carried_forward} for d in done]}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            return
        out.print(message("CLI-TEMPLATES-DONE", outbox=ws.outbox, count=len(done),
                          carried=sum(d.carried_forward for d in done), listing=listing), highlight=False)
