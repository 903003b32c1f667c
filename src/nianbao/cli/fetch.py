"""``nianbao fetch``: the returns from the mailbox into inbox/, then ingest them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from nianbao.api import Workspace, parse_since
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, err, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "fetch", "从收信服务器（IMAP）读取自收集开始（或 --since 日期）以来的新邮件，把其中的报表附件"
             "（.xlsx、.xls、.et、.ods、.json 及 .zip 中的这些文件）保存到 inbox/，记下发件人、主题和日期，然后接收入账。"
             "已读取过的邮件不重复读取；不删除、不移动邮件。密码取自环境变量 NIANBAO_MAIL_PASSWORD，或运行时输入。")
    def fetch(
        workspace: WorkspaceOption = Path("."),
        since: Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
            "--since", help="读取该日期以来的邮件，例如 2026-01-05（默认为工作区创建之日）。", metavar="日期")] = None,
        no_ingest: Annotated[bool, typer.Option("--no-ingest", help="只保存附件，不接收入账。")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
    ) -> None:
        start = parse_since(since) if since is not None else None
        ws = Workspace.open(workspace)

        def show(text: str) -> None:
            if not as_json:
                out.print(text, highlight=False)  # the consoles take no markup: text is shown as it is

        result = ws.fetch(since=start, ingest=not no_ingest, report=show)
        ingested = result.ingest
        if as_json:
            doc = {"messages": result.new_messages, "already_fetched": result.old_messages,
                   "saved": [str(p.relative_to(ws.root)) for p in result.saved], "lines": result.lines,
                   "warnings": result.warnings,
                   "ingest": [{"file": o.path.name, "action": o.action, "message": o.message,
                               "unit": o.unit.code if o.unit else None,
                               "status": o.submission.status if o.submission else None}
                              for o in ingested.outcomes] if ingested is not None else None,
                   "summary": result.summary}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            raise typer.Exit(result.exit_code)
        if ingested is not None:
            for o in ingested.outcomes:
                style = {"refused": "red", "duplicate": "dim"}.get(o.action)
                out.print(o.message, style=style, highlight=False)
            out.print(ingested.summary, highlight=False)
        for w in result.warnings:
            err.print(Text.assemble((message("CLI-NOTE-LABEL"), "yellow"), w), highlight=False)
        out.print(result.summary, highlight=False)
        raise typer.Exit(result.exit_code)
