"""Options shared by the campaign commands (a private module: not a command).

The mail options are declared here once: ``nianbao init`` and ``nianbao config mail`` take them alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

ForceOption = Annotated[bool, typer.Option(
    "--force", help="输出文件已存在时覆盖它（不会覆盖输入文件）。")]

WorkspaceOption = Annotated[Path, typer.Option(
    "--workspace", "-w", help="工作区目录（默认为当前目录）。", metavar="目录", file_okay=False)]

# -- mail settings (``nianbao init`` and ``nianbao config mail``) ------------------------------
MailFromOption = Annotated[Optional[str], typer.Option(  # noqa: UP045 - typer needs Optional
    "--mail-from", help="发件邮箱地址（分发和催报从这里发出，各单位回复到这里）。", metavar="地址")]
SmtpOption = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--smtp", help="发信服务器，主机名[:端口]，例如 smtp.example.gov.cn:465。", metavar="服务器")]
ImapOption = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--imap", help="收信服务器，主机名[:端口]，例如 imap.example.gov.cn:993。", metavar="服务器")]
MailUserOption = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--mail-user", help="邮箱登录名（默认为发件地址）。密码不保存：取自环境变量 NIANBAO_MAIL_PASSWORD 或运行时输入。",
    metavar="登录名")]
SslOption = Annotated[bool, typer.Option("--ssl", help="使用 SSL 连接（SMTP 465、IMAP 993）。")]
StarttlsOption = Annotated[bool, typer.Option("--starttls", help="使用 STARTTLS（SMTP 587、IMAP 143）。")]
PlainOption = Annotated[bool, typer.Option("--plain", help="不加密（仅限单位内网的邮件服务器，如 SMTP 25）。")]
