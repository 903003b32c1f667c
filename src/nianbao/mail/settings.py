"""The workspace's mail settings (``"mail"`` in nianbao.json) and the password, which is never stored.

Security: ``ssl`` (SMTP 465, IMAP 993), ``starttls`` (SMTP 587, IMAP 143 upgraded), ``plain`` (SMTP 25 and
IMAP 143 on an internal network). Without ``--ssl``/``--starttls`` it follows from the port given;
without a port too, SSL on the standard ports.
"""

from __future__ import annotations

import getpass
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from nianbao.errors import NianbaoError

PASSWORD_ENV = "NIANBAO_MAIL_PASSWORD"
SECURITIES = ("ssl", "starttls", "plain")
SMTP_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}
IMAP_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
_BY_SMTP_PORT = {465: "ssl", 587: "starttls", 25: "plain"}
_BY_IMAP_PORT = {993: "ssl", 143: "plain"}
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
_HOST = re.compile(r"^[A-Za-z0-9.\-]+$|^\[[0-9A-Fa-f:.]+\]$")
DEFAULT_PACE = 2.0


class MailError(NianbaoError):
    """Mail cannot be sent or fetched (bad settings, server refused, connection lost): exit code 2."""


@dataclass(frozen=True)
class MailSettings:
    mail_from: str = ""
    smtp_host: str = ""
    smtp_port: int = 0
    smtp_security: str = "ssl"
    imap_host: str = ""
    imap_port: int = 0
    imap_security: str = "ssl"
    user: str = ""  # the login name (default: the sender address)
    pace: float = DEFAULT_PACE  # seconds between two messages
    ca_file: str = ""  # a certificate authority to trust (an office's own mail server)
    folder: str = "INBOX"
    timeout: float = 60.0

    @property
    def login(self) -> str:
        return self.user or self.mail_from

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, doc: Mapping[str, Any] | None) -> MailSettings:
        if not doc:
            return cls()
        if not isinstance(doc, Mapping):
            raise MailError("E-MAIL-CONFIG", reason="“mail”应为一组设置")
        fields = {k: doc[k] for k in cls.__dataclass_fields__ if k in doc}
        try:
            s = cls(**fields)
            s = replace(s, pace=float(s.pace), smtp_port=int(s.smtp_port), imap_port=int(s.imap_port))
            if s.smtp_security not in SECURITIES or s.imap_security not in SECURITIES:
                raise ValueError("加密方式应为 ssl、starttls 或 plain")
        except (TypeError, ValueError) as exc:
            raise MailError("E-MAIL-CONFIG", reason=str(exc)) from None
        return s


def parse_host(text: str, *, which: str) -> tuple[str, int]:
    """``HOST[:PORT]`` → (host, port or 0)."""
    text = (text or "").strip()
    host, port = text, 0
    m = re.fullmatch(r"(.+):(\d{1,5})", text)
    if m:
        host, port = m.group(1), int(m.group(2))
        if not 0 < port < 65536:
            raise MailError("E-MAIL-HOST", which=which, actual=text)
    if not host or not _HOST.match(host):
        raise MailError("E-MAIL-HOST", which=which, actual=text)
    return host, port


def configure(base: MailSettings, *, mail_from: str | None = None, smtp: str | None = None,
              imap: str | None = None, user: str | None = None, ssl: bool = False, starttls: bool = False,
              plain: bool = False, pace: float | None = None, ca_file: str | None = None,
              folder: str | None = None) -> MailSettings:
    """New settings from ``base`` and what was given on the command line, all checked."""
    if ssl + starttls + plain > 1:
        raise MailError("E-MAIL-SECURITY")
    s = base
    if mail_from is not None:
        mail_from = mail_from.strip()
        if not _ADDRESS.match(mail_from):
            raise MailError("E-MAIL-ADDRESS", actual=mail_from)
        s = replace(s, mail_from=mail_from)
    forced = "ssl" if ssl else "starttls" if starttls else "plain" if plain else None
    if smtp is not None:
        host, port = parse_host(smtp, which="SMTP")
        sec = forced or _BY_SMTP_PORT.get(port, "ssl")
        s = replace(s, smtp_host=host, smtp_port=port or SMTP_PORTS[sec], smtp_security=sec)
    elif forced and s.smtp_host:
        s = replace(s, smtp_security=forced, smtp_port=SMTP_PORTS[forced])
    if imap is not None:
        host, port = parse_host(imap, which="IMAP")
        sec = forced or _BY_IMAP_PORT.get(port, "ssl")
        s = replace(s, imap_host=host, imap_port=port or IMAP_PORTS[sec], imap_security=sec)
    elif forced and s.imap_host:
        s = replace(s, imap_security=forced, imap_port=IMAP_PORTS[forced])
    if user is not None:
        s = replace(s, user=user.strip())
    if pace is not None:
        if not 0 <= pace <= 3600:
            raise MailError("E-MAIL-PACE", actual=pace)
        s = replace(s, pace=float(pace))
    if ca_file is not None:
        if ca_file and not os.path.isfile(ca_file):
            raise MailError("E-MAIL-CA", path=ca_file)
        s = replace(s, ca_file=os.path.abspath(ca_file) if ca_file else "")
    if folder is not None:
        s = replace(s, folder=folder.strip() or "INBOX")
    if (s.smtp_host or s.imap_host) and not s.mail_from:
        raise MailError("E-MAIL-NO-FROM")
    return s


def password(settings: MailSettings, *, env: Mapping[str, str] | None = None,
             ask: Callable[[str], str] | None = None, interactive: bool | None = None) -> str:
    """The mail password: ``NIANBAO_MAIL_PASSWORD``, else asked on the terminal (never stored)."""
    env = os.environ if env is None else env
    value = env.get(PASSWORD_ENV)
    if value:
        return value
    if interactive is None:  # a caller that passes ``ask`` can ask (the web page's password field)
        interactive = ask is not None or sys.stdin.isatty()
    if not interactive:
        raise MailError("E-MAIL-NO-PASSWORD", env=PASSWORD_ENV, user=settings.login)
    prompt = f"{settings.login} 的邮箱密码（不会保存）："
    value = (ask or getpass.getpass)(prompt)
    if not value:
        raise MailError("E-MAIL-NO-PASSWORD", env=PASSWORD_ENV, user=settings.login)
    return value


def workspace_settings(ws: Any) -> MailSettings:
    return MailSettings.from_json(ws.config.mail)


def tls_context(settings: MailSettings) -> Any:
    import ssl

    ctx = ssl.create_default_context(cafile=settings.ca_file or None)
    return ctx


def describe(settings: MailSettings) -> list[tuple[str, str]]:
    """The settings as a clerk reads them (no password: there is none to show)."""
    sec = {"ssl": "SSL", "starttls": "STARTTLS", "plain": "不加密"}
    return [
        ("发件地址", settings.mail_from or "未设定"),
        ("登录名", settings.login or "未设定"),
        ("发信服务器（SMTP）", f"{settings.smtp_host}:{settings.smtp_port}（{sec[settings.smtp_security]}）"
         if settings.smtp_host else "未设定（send 写出 .eml 文件）"),
        ("收信服务器（IMAP）", f"{settings.imap_host}:{settings.imap_port}（{sec[settings.imap_security]}）"
         if settings.imap_host else "未设定"),
        ("发送间隔", f"{settings.pace:g} 秒"),
        ("信任的证书", settings.ca_file or "系统默认"),
        ("收件文件夹", settings.folder),
        ("密码", f"不保存：取自环境变量 {PASSWORD_ENV}，或运行时输入"),
    ]
