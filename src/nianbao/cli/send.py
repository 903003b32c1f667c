"""``nianbao send``: email every unit its workbook (or feedback, or a reminder)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import MailError, SendLine, Workspace
from nianbao.cli._campaign import WorkspaceOption
from nianbao.cli.common import command, out

_STYLE = {"sent": "green", "refused": "red", "no_file": "red", "no_address": "yellow", "skipped": "dim"}


def register(app: typer.Typer) -> None:
    @command(app, "send", "给名单中每个有邮箱的单位发送邮件，附上它自己的填报模板（outbox/）。已发送的不再重复发送，"
             "中断后再次运行只发送其余的；--feedback 给有错误的单位发送反馈表和问题清单；--remind 给尚未报送的单位"
             "发送催报（过了截止日期注明逾期）。没有设定发信服务器时写出 .eml 文件。密码取自环境变量 "
             "NIANBAO_MAIL_PASSWORD，或运行时输入，不会保存。")
    def send(
        workspace: WorkspaceOption = Path("."),
        feedback: Annotated[bool, typer.Option("--feedback", help="给最新报送有错误的单位发送反馈表和问题清单。")] = False,
        remind: Annotated[bool, typer.Option("--remind", help="给尚未报送的单位发送催报。")] = False,
        resend: Annotated[Optional[list[str]], typer.Option(  # noqa: UP045 - typer needs Optional
            "--resend", help="再次发送给该单位（单位编码或名称，可重复）。", metavar="单位")] = None,
        eml: Annotated[Optional[Path], typer.Option(  # noqa: UP045
            "--eml", help="不发送，把邮件写成 .eml 文件放到该目录，可用自己的邮件软件打开后发送。", metavar="目录",
            file_okay=False)] = None,
        dry_run: Annotated[bool, typer.Option("--dry-run", help="只列出将要发送的邮件，不发送。")] = False,
        pace: Annotated[Optional[float], typer.Option(  # noqa: UP045
            "--pace", help="两封邮件之间的间隔秒数（默认取邮件设置，通常为 2）。", metavar="秒")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
    ) -> None:
        if feedback and remind:
            raise MailError("E-MAIL-MODE")
        if pace is not None and not 0 <= pace <= 3600:
            raise MailError("E-MAIL-PACE", actual=pace)
        ws = Workspace.open(workspace)
        kind = "feedback" if feedback else "remind" if remind else "template"

        def show(line: SendLine) -> None:
            if not as_json:  # the consoles take no markup: a unit name "[x]" is shown as it is
                out.print(line.text, style=_STYLE.get(line.action) or None, highlight=False)

        result = ws.send(kind, resend=resend or (), eml_dir=eml, dry_run=dry_run, pace=pace, report=show)
        if as_json:
            doc = {"kind": kind, "mode": result.mode, "messages": [line.to_json() for line in result.lines],
                   "summary": result.summary}
            sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        else:
            out.print(result.summary, highlight=False)
        raise typer.Exit(result.exit_code)
