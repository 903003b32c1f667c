"""``nianbao config mail``: show or change the workspace's mail settings (never a password)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import Workspace, describe_mail
from nianbao.cli._campaign import (
    ImapOption,
    MailFromOption,
    MailUserOption,
    PlainOption,
    SmtpOption,
    SslOption,
    StarttlsOption,
    WorkspaceOption,
)
from nianbao.cli.common import command, out
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    from nianbao.cli._i18n import CONTEXT_SETTINGS, ChineseGroup

    config_app = typer.Typer(help="查看或修改工作区设置。", no_args_is_help=True, options_metavar="[选项]",
                             subcommand_metavar="命令 [参数]...", cls=ChineseGroup, rich_markup_mode=None,
                             context_settings=CONTEXT_SETTINGS)
    app.add_typer(config_app, name="config", help="查看或修改工作区设置（config mail：邮件设置）。")

    @command(config_app, "mail", "查看或修改邮件设置：发件地址、发信服务器（SMTP）、收信服务器（IMAP）、登录名、"
             "加密方式、发送间隔。不带选项时显示当前设置。密码不保存：取自环境变量 NIANBAO_MAIL_PASSWORD 或运行时输入。")
    def mail(
        workspace: WorkspaceOption = Path("."),
        mail_from: MailFromOption = None,
        smtp: SmtpOption = None,
        imap: ImapOption = None,
        mail_user: MailUserOption = None,
        use_ssl: SslOption = False,
        starttls: StarttlsOption = False,
        plain: PlainOption = False,
        pace: Annotated[Optional[float], typer.Option(  # noqa: UP045
            "--pace", help="两封邮件之间的间隔秒数。", metavar="秒")] = None,
        ca_file: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--ca-file", help="信任的证书文件（本单位邮件服务器自签证书时使用；空字符串恢复系统默认）。",
            metavar="文件")] = None,
        folder: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--folder", help="收件文件夹（默认 INBOX）。", metavar="文件夹")] = None,
        template: Annotated[bool, typer.Option(
            "--template", help="把内置的邮件模板复制到工作区（邮件模板.toml），以便修改主题和正文。")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出。")] = False,
    ) -> None:
        ws = Workspace.open(workspace)
        current = ws.mail_settings()
        changes = (mail_from, smtp, imap, mail_user, pace, ca_file, folder)
        if any(c is not None for c in changes) or use_ssl or starttls or plain:
            ws = ws.configure_mail(mail_from=mail_from, smtp=smtp, imap=imap, user=mail_user, ssl=use_ssl,
                                   starttls=starttls, plain=plain, pace=pace, ca_file=ca_file, folder=folder)
            current = ws.mail_settings()
            if not as_json:
                out.print(message("CLI-CONFIG-SAVED", path=ws.root / "nianbao.json"), highlight=False)
        if template:
            path = ws.write_mail_template()
            if not as_json:
                out.print(message("CLI-CONFIG-TEMPLATE", path=path), highlight=False)
        if as_json:
            sys.stdout.write(json.dumps(current.to_json(), ensure_ascii=False, indent=2) + "\n")
            return
        out.print(message("CLI-CONFIG-MAIL-TITLE", path=ws.root), highlight=False)  # the consoles take no markup
        for label, value in describe_mail(current):
            out.print(f"  {label}：{value}", highlight=False)
