"""``nianbao send``: one message per unit, through the office's SMTP server or as .eml files.

Idempotent and resumable: every message sent is a ledger row (unit, file hash, Message-ID, time,
result), written as soon as the server accepted it, so a run stopped by a lost connection is resumed
by running it again, which sends only the rest. What is sent:

* ``template`` (default): each unit its blank workbook from outbox/; a unit already sent to is skipped
  (``resend`` names units to send again);
* ``feedback``: each unit whose latest return has errors, its feedback workbook and the problems in
  the body; the same feedback workbook is sent once;
* ``remind``: each unit that has returned nothing yet, or only its blank workbook (marked 逾期 past the
  deadline), at most once a day.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from nianbao.campaign.ledger import Ledger
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import ERRORS, REJECTED, state
from nianbao.campaign.workspace import Workspace, template_name
from nianbao.mail import store
from nianbao.mail.compose import Template, build_message, load_templates, render
from nianbao.mail.settings import MailError, MailSettings, password, tls_context
from nianbao.messages import message

KIND_NAMES = {store.TEMPLATE: "填报", store.FEEDBACK: "退回修改", store.REMIND: "催报"}
TEMPLATE_SECTION = {store.TEMPLATE: "send", store.FEEDBACK: "feedback", store.REMIND: "remind"}
MAX_PROBLEMS = 30
EML_FOLDER = "邮件"

# what one unit's line says happened
SENT, SKIPPED, NO_ADDRESS, REFUSED, EML, DRY, NO_FILE = (
    "sent", "skipped", "no_address", "refused", "eml", "dry_run", "no_file")


@dataclass(frozen=True)
class Line:
    unit: RosterUnit
    action: str
    text: str
    to: str = ""
    subject: str = ""
    file: str = ""
    message_id: str = ""
    path: str = ""

    def to_json(self) -> dict[str, str]:
        return {"code": self.unit.code, "unit": self.unit.name, "action": self.action, "to": self.to,
                "subject": self.subject, "file": self.file, "message_id": self.message_id, "path": self.path,
                "message": self.text}


SendLine = Line  # the name nianbao.api exports


@dataclass
class SendResult:
    kind: str
    mode: str  # smtp / eml / dry_run
    lines: list[Line] = field(default_factory=list)
    eml_dir: Path | None = None

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def summary(self) -> str:
        if self.mode == "eml":
            return message("MAIL-EML-SUMMARY", count=self.count(EML), path=self.eml_dir)
        if self.mode == "dry_run":
            return message("MAIL-DRY-SUMMARY", count=self.count(DRY))
        if not self.lines:
            return message("MAIL-NOTHING")
        return message("MAIL-SUMMARY", sent=self.count(SENT), skipped=self.count(SKIPPED),
                       no_address=self.count(NO_ADDRESS), refused=self.count(REFUSED))

    @property
    def exit_code(self) -> int:
        """1 when a recipient was refused or a feedback file was missing, else 0."""
        return 1 if self.count(REFUSED) or self.count(NO_FILE) else 0


@dataclass(frozen=True)
class _Planned:
    unit: RosterUnit
    attachment: Path | None
    sha256: str
    fields: dict[str, Any]


def send(ws: Workspace, settings: MailSettings, *, kind: str = store.TEMPLATE, resend: Iterable[str] = (),
         eml_dir: Path | None = None, dry_run: bool = False, pace: float | None = None,
         report: Callable[[Line], None] | None = None, ask_password: Callable[[str], str] | None = None,
         sleep: Callable[[float], None] = time.sleep, today: date | None = None) -> SendResult:
    """Send (or write, or list) the messages of ``kind``; ``report`` sees each unit's line as it happens."""
    today = today or date.today()
    templates = load_templates(ws.root)
    mode = "dry_run" if dry_run else "eml" if (eml_dir is not None or not settings.smtp_host) else "smtp"
    if mode == "eml" and eml_dir is None:
        eml_dir = ws.outbox / EML_FOLDER
    result = SendResult(kind, mode, eml_dir=eml_dir)

    def emit(line: Line) -> None:
        result.lines.append(line)
        if report is not None:
            report(line)

    from nianbao.campaign.lock import workspace_lock

    # one run at a time: a second ``send`` started meanwhile waits, then finds these messages sent
    with workspace_lock(ws.root), ws.open_ledger() as ledger:
        store.ensure_tables(ledger.conn)
        units = ledger.units()
        again = _resolve(units, resend)
        todo = _plan(ws, ledger, units, kind, again, today, emit)
        if not todo:
            return result
        template = templates[TEMPLATE_SECTION[kind]]
        conn: smtplib.SMTP | None = None
        sent = 0
        try:
            for i, item in enumerate(todo):
                msg, common = _compose(ws, settings, template, item)
                if mode != "smtp":
                    emit(_offline(mode, ledger, kind, item, msg, common, eml_dir))
                    continue
                if conn is None:
                    conn = _connect(settings, ask_password, sent)
                elif i and (settings.pace if pace is None else pace) > 0:
                    sleep(settings.pace if pace is None else pace)
                line = _deliver(conn, settings, ledger, kind, item, msg, common, sent)
                if line.action == SENT:
                    sent += 1
                emit(line)
        except _Dropped as exc:
            _record(ledger, kind, exc.item, exc.msg, store.FAILED, exc.reason)
            raise MailError("E-MAIL-DROPPED", server=_server(settings), unit=exc.item.unit.name, reason=exc.reason,
                            done=message("E-MAIL-DONE", sent=sent) if sent else "") from None
        finally:
            if conn is not None:
                try:
                    conn.quit()
                except (smtplib.SMTPException, OSError):
                    conn.close()
    return result


def _compose(ws: Workspace, settings: MailSettings, template: Template,
             item: _Planned) -> tuple[EmailMessage, dict[str, str]]:
    """The unit's message, and what every line about it says (to, subject, file, Message-ID)."""
    subject, text, page = render(template, item.fields)
    msg = build_message(mail_from=settings.mail_from or "nianbao@localhost", from_name=ws.config.office,
                        to=item.unit.email, to_name=item.unit.name, subject=subject, text=text,
                        page=page, attachment=item.attachment)
    file_name = item.attachment.name if item.attachment else ""
    return msg, {"to": item.unit.email, "subject": subject, "file": file_name, "message_id": str(msg["Message-ID"])}


def _offline(mode: str, ledger: Ledger, kind: str, item: _Planned, msg: EmailMessage, common: dict[str, str],
             eml_dir: Path | None) -> Line:
    """A dry run's line (nothing recorded), or the message written as an .eml file and recorded."""
    unit = item.unit
    if mode == "dry_run":
        return Line(unit, DRY, message("MAIL-DRY", unit=unit.name, to=unit.email, subject=common["subject"],
                                       file=common["file"] or message("WORD-NONE")), **common)
    assert eml_dir is not None
    path = _write_eml(eml_dir, msg, unit, kind)
    _record(ledger, kind, item, msg, store.EML, str(path))
    return Line(unit, EML, message("MAIL-EML", unit=unit.name, to=unit.email, path=path), path=str(path), **common)


def _deliver(conn: smtplib.SMTP, settings: MailSettings, ledger: Ledger, kind: str, item: _Planned,
             msg: EmailMessage, common: dict[str, str], sent: int) -> Line:
    """Send the message over ``conn`` and record it: sent, or refused by the server for this recipient."""
    unit = item.unit
    outcome = _send_one(conn, settings, msg, item, sent)
    if outcome:
        _record(ledger, kind, item, msg, store.REFUSED_RCPT, outcome)
        return Line(unit, REFUSED, message("MAIL-REFUSED", unit=unit.name, to=unit.email, reason=outcome), **common)
    _record(ledger, kind, item, msg, store.SENT, "")
    return Line(unit, SENT, message("MAIL-SENT", unit=unit.name, to=unit.email, subject=common["subject"]), **common)


def _resolve(units: list[RosterUnit], wanted: Iterable[str]) -> set[str]:
    codes: set[str] = set()
    for token in wanted:
        token = token.strip()
        found = next((u for u in units if token in (u.code, u.name)), None)
        if found is None:
            raise MailError("E-MAIL-UNIT", actual=token)
        codes.add(found.code)
    return codes


def _plan(ws: Workspace, ledger: Ledger, units: list[RosterUnit], kind: str, again: set[str], today: date,
          emit: Callable[[Line], None]) -> list[_Planned]:
    deadline = ws.config.deadline
    overdue = bool(deadline) and today.isoformat() > deadline
    base = {"year": ws.year, "office": ws.config.office, "deadline": deadline or message("MAIL-NO-DEADLINE"),
            "contact": ws.config.contact or message("MAIL-NO-CONTACT"), "problems": "",
            "overdue": message("MAIL-OVERDUE") if overdue else "",
            "overdue_text": message("MAIL-OVERDUE-TEXT", deadline=deadline) if overdue else ""}
    todo: list[_Planned] = []
    missing_templates: list[tuple[RosterUnit, Path]] = []
    for unit in units:
        attachment: Path | None
        fields = dict(base, unit=unit.name)
        st = ledger.unit_state(unit.code)
        if kind == store.FEEDBACK:  # errors found, or sent back by the office (review)
            current = st.submission
            if current is None or st.status not in (ERRORS, REJECTED):
                continue
        elif kind == store.REMIND:  # nothing returned yet, or only the blank workbook back
            if state(st.status).returned:
                continue
        if not unit.email:
            emit(Line(unit, NO_ADDRESS, message("MAIL-NO-ADDRESS", unit=unit.name)))
            continue
        if kind == store.FEEDBACK:
            from nianbao.campaign.ingest import feedback_name

            attachment = ws.feedback / feedback_name(ws.year, unit.name)
            if not attachment.is_file():
                emit(Line(unit, NO_FILE, message("MAIL-NO-FEEDBACK", unit=unit.name, file=attachment.name)))
                continue
            assert current is not None
            fields["problems"] = _problems(ledger, current.id)
        else:
            attachment = ws.outbox / template_name(ws.year, unit.name)
            if not attachment.is_file():
                if kind == store.TEMPLATE:
                    missing_templates.append((unit, attachment))
                    continue
                attachment = None  # a reminder goes without the blank workbook when it is gone
        sha = _sha256(attachment) if attachment else ""
        fields["file"] = attachment.name if attachment else ""
        if unit.code not in again:
            earlier = _earlier(ledger, kind, unit.code, sha, today)
            if earlier:
                emit(Line(unit, SKIPPED, message("MAIL-ALREADY", unit=unit.name, at=earlier, unit_code=unit.code),
                          to=unit.email))
                continue
        todo.append(_Planned(unit, attachment, sha, fields))
    if missing_templates:
        unit, path = missing_templates[0]
        raise MailError("E-MAIL-NO-TEMPLATES", unit=unit.name, file=path.name)
    return todo


def _earlier(ledger: Ledger, kind: str, code: str, sha: str, today: date) -> str:
    sql = "SELECT MAX(sent_at) FROM mail_sent WHERE kind = ? AND unit_code = ? AND result = 'sent'"
    args: list[str] = [kind, code]
    if kind == store.FEEDBACK:
        sql += " AND file_sha256 = ?"
        args.append(sha)
    elif kind == store.REMIND:
        sql += " AND sent_at >= ?"
        args.append(today.isoformat())
    row = ledger.conn.execute(sql, args).fetchone()
    return str(row[0]) if row and row[0] else ""


def _problems(ledger: Ledger, sub_id: int) -> str:
    found = sorted(ledger.findings(sub_id), key=lambda f: f.severity != "error")
    lines = []
    for i, f in enumerate(found[:MAX_PROBLEMS], start=1):
        where = f"（{f.cells[0].replace('!', ' ')}）" if f.cells else ""
        label = "错误" if f.severity == "error" else "提示"
        lines.append(f"{i}. [{label}]{where}{f.message}")
    if len(found) > MAX_PROBLEMS:
        lines.append(message("MAIL-PROBLEM-MORE", count=len(found) - MAX_PROBLEMS))
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _record(ledger: Ledger, kind: str, item: _Planned, msg: EmailMessage, result: str, detail: str) -> None:
    store.record_sent(ledger.conn, store.SentRow(
        kind, item.unit.code, item.unit.email, item.attachment.name if item.attachment else "", item.sha256,
        str(msg["Message-ID"]), datetime.now().isoformat(timespec="seconds"), result, detail))


def _write_eml(folder: Path, msg: EmailMessage, unit: RosterUnit, kind: str) -> Path:
    from nianbao.campaign.workspace import make_directory
    from nianbao.model import write_atomic

    make_directory(folder)
    msg["X-Unsent"] = "1"  # Outlook opens the file as a message ready to send
    path = folder / f"{KIND_NAMES[kind]}_{unit.name}.eml"
    write_atomic(path, msg.as_bytes())
    return path


def _server(settings: MailSettings) -> str:
    return f"{settings.smtp_host}:{settings.smtp_port}"


class _Dropped(Exception):
    def __init__(self, item: _Planned, msg: EmailMessage, reason: str) -> None:
        super().__init__(reason)
        self.item, self.msg, self.reason = item, msg, reason


def _connect(settings: MailSettings, ask: Callable[[str], str] | None, sent: int) -> smtplib.SMTP:
    server = _server(settings)
    done = message("E-MAIL-DONE", sent=sent) if sent else ""
    conn: smtplib.SMTP | None = None
    try:
        if settings.smtp_security == "ssl":
            conn = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.timeout,
                                    context=tls_context(settings))
        else:
            conn = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout)
        conn.ehlo()
        if settings.smtp_security == "starttls":
            conn.starttls(context=tls_context(settings))
            conn.ehlo()
        if conn.has_extn("auth"):
            conn.login(settings.login, password(settings, ask=ask))
    except smtplib.SMTPAuthenticationError:
        _close(conn)
        raise MailError("E-MAIL-AUTH", server=server, user=settings.login, done=done) from None
    except ssl.SSLError as exc:
        _close(conn)
        raise MailError("E-MAIL-TLS", server=server, reason=_reason(exc), done=done) from None
    except (smtplib.SMTPException, OSError) as exc:
        _close(conn)
        raise MailError("E-MAIL-CONNECT", server=server, reason=_reason(exc), done=done) from None
    except BaseException:
        _close(conn)
        raise
    return conn


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        try:
            conn.close()
        except OSError:
            pass


def _send_one(conn: smtplib.SMTP, settings: MailSettings, msg: EmailMessage, item: _Planned, sent: int) -> str:
    """'' when sent; the server's reason when it refused the recipient. A lost connection raises _Dropped."""
    try:
        conn.send_message(msg, from_addr=settings.mail_from, to_addrs=[item.unit.email])
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        return f"{code} {_text(text)}"
    except smtplib.SMTPSenderRefused as exc:
        raise MailError("E-MAIL-CONNECT", server=_server(settings), reason=f"{exc.smtp_code} {_text(exc.smtp_error)}",
                        done=message("E-MAIL-DONE", sent=sent) if sent else "") from None
    except smtplib.SMTPDataError as exc:
        if exc.smtp_code == 421:
            raise _Dropped(item, msg, f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Dropped(item, msg, _reason(exc)) from None
    return ""


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "连接被拒绝（服务器未运行或端口不对）"
    if isinstance(exc, TimeoutError):
        return "连接超时"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "服务器断开了连接"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
