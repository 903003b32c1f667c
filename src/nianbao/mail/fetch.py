"""``nianbao fetch``: the returns from the office's IMAP mailbox into inbox/, then ingest.

Every message since the campaign started (or ``since``) is read once: a message is known by its
mailbox UID (with the folder's UIDVALIDITY) and by its Message-ID, so a re-run reads only new mail and
the same message delivered twice is recorded once. Mail is never deleted or moved; messages read are
given the keyword ``NianbaoFetched`` (their read/unread state is left as it was: ``BODY.PEEK``).
"""

from __future__ import annotations

import hashlib
import imaplib
import re
import ssl
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.workspace import Workspace
from nianbao.mail import parts, store
from nianbao.mail.settings import MailError, MailSettings, password, tls_context
from nianbao.messages import message

KEYWORD = "NianbaoFetched"
CHUNK = 100
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"UID (\d+)")


@dataclass
class FetchResult:
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    saved: list[Path] = field(default_factory=list)
    new_messages: int = 0
    old_messages: int = 0
    ingest: Any = None  # the IngestResult when the saved files were ingested

    @property
    def summary(self) -> str:
        return message("FETCH-SUMMARY", messages=self.new_messages, saved=len(self.saved), old=self.old_messages)

    @property
    def exit_code(self) -> int:
        return int(self.ingest.exit_code) if self.ingest is not None else 0


def parse_since(text: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text.strip()):
            raise ValueError(text)
        y, m, d = (int(x) for x in text.strip().split("-"))
        return date(y, m, d)
    except ValueError:
        raise MailError("E-MAIL-SINCE", actual=text) from None


def imap_date(d: date) -> str:
    return f"{d.day:02d}-{_MONTHS[d.month - 1]}-{d.year}"


def campaign_start(ws: Workspace) -> date:
    try:
        return datetime.fromisoformat(ws.config.created).date()
    except ValueError:
        return date(ws.year, 1, 1)


def fetch(ws: Workspace, settings: MailSettings, *, since: date | None = None, ingest: bool = True,
          ask_password: Callable[[str], str] | None = None, report: Callable[[str], None] | None = None,
          jobs: int = 1) -> FetchResult:
    if not settings.imap_host:
        raise MailError("E-MAIL-NO-IMAP")
    from nianbao.campaign.lock import workspace_lock

    with workspace_lock(ws.root):  # one run at a time (ingest, inside, holds the same lock)
        return _fetch(ws, settings, since, ingest, ask_password, report, jobs)


def _fetch(ws: Workspace, settings: MailSettings, since: date | None, ingest: bool,
           ask_password: Callable[[str], str] | None, report: Callable[[str], None] | None,
           jobs: int) -> FetchResult:
    result = FetchResult()

    def say(text: str) -> None:
        result.lines.append(text)
        if report is not None:
            report(text)

    start = since or campaign_start(ws)
    mailbox = f"{settings.login}@{settings.imap_host}:{settings.imap_port}/{settings.folder}"
    conn = _connect(settings, ask_password)
    try:
        _session(ws, settings, conn, mailbox, start, result, say)
    except (imaplib.IMAP4.error, OSError) as exc:  # the connection lost midway: what was read is kept
        from nianbao.mail.send import _reason

        raise MailError("E-MAIL-IMAP", server=_server(settings), reason=_reason(exc),
                        done=message("FETCH-DONE", messages=result.new_messages)) from None
    finally:
        try:
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    if not result.saved:
        say(message("FETCH-NOTHING-NEW"))
    pending = not_ingested(ws) if ingest else []  # this run's, and any a run cut short left behind
    if pending:
        from nianbao.campaign.ingest import ingest as run_ingest

        result.ingest = run_ingest(ws, pending, jobs=jobs, progress=False)
        result.warnings.extend(sender_warnings(ws, result.ingest))
    return result


def not_ingested(ws: Workspace) -> list[Path]:
    """Attachments fetched into inbox/ that the ledger has not taken in yet (still there, unchanged)."""
    out: list[Path] = []
    with ws.open_ledger() as ledger:
        store.ensure_tables(ledger.conn)
        rows = ledger.conn.execute(
            "SELECT DISTINCT a.saved_path, a.sha256 FROM mail_attachments a WHERE a.sha256 NOT IN "
            "(SELECT sha256 FROM submissions) ORDER BY a.received_id, a.seq").fetchall()
    for rel, sha in rows:
        path = ws.root / rel
        try:
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha and path not in out:
                out.append(path)
        except OSError:
            continue
    return out


def _session(ws: Workspace, settings: MailSettings, conn: imaplib.IMAP4, mailbox: str, start: date,
             result: FetchResult, say: Callable[[str], None]) -> None:
    uidvalidity = _select(conn, settings)
    uids = _search(conn, settings, start)
    with ws.open_ledger() as ledger:
        store.ensure_tables(ledger.conn)
        units = ledger.units()
        known = {row[0] for row in ledger.conn.execute(
            "SELECT uid FROM mail_uids WHERE mailbox = ? AND uidvalidity = ?", (mailbox, uidvalidity))}
        new = [u for u in uids if u not in known]
        result.old_messages = len(uids) - len(new)
        for batch in _messages(conn, settings, new):
            # one transaction per batch (attachments are saved first: a batch cut short is read again)
            with ledger.transaction():
                for uid, raw in batch:
                    _take(ws, ledger, units, mailbox, uidvalidity, uid, raw, result, say)
            _mark(conn, [uid for uid, _raw in batch])


def sender_warnings(ws: Workspace, ingested: Any) -> list[str]:
    """A warning for each return whose workbook names another unit than the roster gives its sender."""
    out: list[str] = []
    with ws.open_ledger() as ledger:
        store.ensure_tables(ledger.conn)
        units = ledger.units()
        by_mail = {u.email.lower(): u for u in units if u.email}
        for o in ingested.outcomes:
            if o.unit is None or o.submission is None or o.action != "recorded":
                continue
            row = ledger.conn.execute(
                "SELECT r.sender, a.file_name FROM mail_attachments a JOIN mail_received r ON r.id = a.received_id "
                "WHERE a.sha256 = ? ORDER BY r.id DESC LIMIT 1", (o.submission.sha256,)).fetchone()
            if row is None or not row[0]:
                continue
            sender, name = row
            sender_unit = by_mail.get(sender.lower())
            if sender_unit is None:
                out.append(message("MAIL-SENDER-UNKNOWN", file=name, unit=o.unit.name, sender=sender,
                                   expected=o.unit.email or "无邮箱"))
            elif sender_unit.code != o.unit.code:
                out.append(message("MAIL-SENDER-MISMATCH", file=name, unit=o.unit.name, sender=sender,
                                   sender_unit=sender_unit.name))
    return out


# ------------------------------------------------------------------------------------------


def _server(settings: MailSettings) -> str:
    return f"{settings.imap_host}:{settings.imap_port}"


def _connect(settings: MailSettings, ask: Callable[[str], str] | None) -> imaplib.IMAP4:
    server = _server(settings)
    conn: imaplib.IMAP4 | None = None
    try:
        if settings.imap_security == "ssl":
            conn = imaplib.IMAP4_SSL(settings.imap_host, settings.imap_port, ssl_context=tls_context(settings),
                                     timeout=settings.timeout)
        else:
            conn = imaplib.IMAP4(settings.imap_host, settings.imap_port, timeout=settings.timeout)
            if settings.imap_security == "starttls":
                conn.starttls(ssl_context=tls_context(settings))
        secret = password(settings, ask=ask)
        if secret.isascii() and settings.login.isascii():
            conn.login(settings.login, secret)
        else:  # LOGIN only takes ASCII: AUTHENTICATE PLAIN carries UTF-8
            data = b"\0" + settings.login.encode("utf-8") + b"\0" + secret.encode("utf-8")
            conn.authenticate("PLAIN", lambda _challenge: data)
        del secret
    except ssl.SSLError as exc:
        _close(conn)
        raise MailError("E-MAIL-TLS", server=server, reason=str(exc.reason or exc), done="") from None
    except imaplib.IMAP4.error:
        _close(conn)
        raise MailError("E-MAIL-AUTH", server=server, user=settings.login, done="") from None
    except OSError as exc:
        from nianbao.mail.send import _reason

        _close(conn)
        raise MailError("E-MAIL-CONNECT", server=server, reason=_reason(exc), done="") from None
    except BaseException:
        _close(conn)
        raise
    return conn


def _close(conn: imaplib.IMAP4 | None) -> None:
    if conn is not None:
        try:
            conn.shutdown()
        except OSError:
            pass


def _check(settings: MailSettings, typ: str, data: Any) -> Any:
    if typ != "OK":
        raise MailError("E-MAIL-IMAP", server=_server(settings), reason=_text(data), done="")
    return data


def _text(data: Any) -> str:
    if isinstance(data, list):
        return " ".join(_text(d) for d in data if d)
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def _select(conn: imaplib.IMAP4, settings: MailSettings) -> str:
    folder = settings.folder
    quoted = folder if folder.isascii() and " " not in folder else '"' + _utf7(folder) + '"'
    try:
        typ, data = conn.select(quoted)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailError("E-MAIL-FOLDER", folder=folder, reason=str(exc)) from None
    if typ != "OK":
        raise MailError("E-MAIL-FOLDER", folder=folder, reason=_text(data))
    _typ, values = conn.response("UIDVALIDITY")
    return _text(values[0]) if values and values[0] else ""


def _utf7(text: str) -> str:
    """IMAP's modified UTF-7 for a folder name such as 收件箱 (RFC 3501 5.1.3)."""
    import base64

    out, buf = [], ""

    def flush() -> None:
        nonlocal buf
        if buf:
            b64 = base64.b64encode(buf.encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append("&" + b64 + "-")
            buf = ""

    for ch in text:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            buf += ch
    flush()
    return "".join(out)


def _search(conn: imaplib.IMAP4, settings: MailSettings, start: date) -> list[int]:
    typ, data = conn.uid("SEARCH", "SINCE", imap_date(start))
    found = _check(settings, typ, data)
    return sorted(int(x) for x in b" ".join(d for d in found if d).split())


def _messages(conn: imaplib.IMAP4, settings: MailSettings,
              uids: Sequence[int]) -> Iterator[list[tuple[int, bytes]]]:
    for i in range(0, len(uids), CHUNK):
        chunk = uids[i:i + CHUNK]
        typ, data = conn.uid("FETCH", ",".join(str(u) for u in chunk), "(UID BODY.PEEK[])")
        got: dict[int, bytes] = {}
        for item in _check(settings, typ, data):
            if isinstance(item, tuple) and len(item) == 2:
                m = _UID.search(item[0])
                if m:
                    got[int(m.group(1))] = item[1]
        yield [(uid, got[uid]) for uid in chunk if uid in got]


def _mark(conn: imaplib.IMAP4, uids: Sequence[int]) -> None:
    """Give the messages read the keyword (when the server keeps keywords); never fails the fetch."""
    for i in range(0, len(uids), 500):
        try:
            conn.uid("STORE", ",".join(str(u) for u in uids[i:i + 500]), "+FLAGS.SILENT", f"({KEYWORD})")
        except (imaplib.IMAP4.error, OSError):
            return


def _take(ws: Workspace, ledger: Any, units: list[RosterUnit], mailbox: str, uidvalidity: str, uid: int,
          raw: bytes, result: FetchResult, say: Callable[[str], None]) -> None:
    """Record one message and save its attachments into inbox/ (once per Message-ID)."""
    conn = ledger.conn
    msg = parts.parse_bytes(raw)
    f = parts.facts(msg)
    key = f.message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    row = conn.execute("SELECT id FROM mail_received WHERE message_key = ?", (key,)).fetchone()
    if row is not None:  # the same message again (copied, delivered twice): recorded once
        conn.execute("INSERT OR IGNORE INTO mail_uids VALUES (?, ?, ?, ?)", (mailbox, uidvalidity, uid, row[0]))
        result.old_messages += 1
        return
    result.new_messages += 1
    sender_unit = next((u.code for u in units if u.email and u.email.lower() == f.sender), "")
    sent = {r[0] for r in conn.execute("SELECT DISTINCT file_sha256 FROM mail_sent WHERE file_sha256 != ''")}
    fresh = []
    for a in f.attachments:
        if hashlib.sha256(a.data).hexdigest() in sent:  # what we sent, back unchanged (a copy, a forward)
            say(message("FETCH-UNCHANGED", sender=f.sender or "?", subject=f.subject, name=a.name))
        else:
            fresh.append(a)
    saved = [(a, save_attachment(ws.inbox, a)) for a in fresh]
    # (inside the batch's transaction)
    cur = conn.execute(
        "INSERT INTO mail_received (message_key, message_id, source, sender, sender_unit, subject, date, "
        "fetched_at, attachments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (key, f.message_id, f"{mailbox};{uidvalidity};{uid}", f.sender, sender_unit, f.subject, f.date,
         datetime.now().isoformat(timespec="seconds"), len(saved)))
    rid = cur.lastrowid
    conn.execute("INSERT OR IGNORE INTO mail_uids VALUES (?, ?, ?, ?)", (mailbox, uidvalidity, uid, rid))
    conn.executemany("INSERT INTO mail_attachments VALUES (?, ?, ?, ?, ?)",
                     [(rid, i, a.name, str(p.relative_to(ws.root)), hashlib.sha256(a.data).hexdigest())
                      for i, (a, p) in enumerate(saved)])
    who = f.sender or "?"
    for reason in f.skipped:
        say(message("FETCH-SKIPPED", sender=who, subject=f.subject, reason=reason))
    if not saved:
        if not f.skipped and len(fresh) == len(f.attachments):
            say(message("FETCH-NO-ATTACHMENT", sender=who, subject=f.subject, date=f.date))
        return
    for a, p in saved:
        if p not in result.saved:
            result.saved.append(p)
        say(message("FETCH-SAVED", sender=who, subject=f.subject, date=f.date, name=a.name,
                    path=p.relative_to(ws.root)))


def save_attachment(folder: Path, att: parts.Attachment) -> Path:
    """Write an attachment into ``folder`` under its own name; never over a different file."""
    from nianbao.model import write_atomic

    name = att.name or "附件.xlsx"
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 10_000):
        path = folder / (name if n == 1 else f"{stem} ({n}){suffix}")
        if path.exists():
            try:
                if path.read_bytes() == att.data:
                    return path
            except OSError:
                pass
            continue
        write_atomic(path, att.data)
        return path
    raise MailError("E-MAIL-FILE", path=str(folder / name), reason="同名文件过多")
