"""The ledger's mail tables: each message sent, each message fetched, each attachment saved.

Created with ``CREATE TABLE IF NOT EXISTS`` on first use, so ledgers made before mail existed open as
they are. A password is never written here (nor anywhere in the workspace).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

SENT, FAILED, REFUSED_RCPT, EML = "sent", "failed", "refused", "eml"
TEMPLATE, FEEDBACK, REMIND = "template", "feedback", "remind"

_DDL = """
CREATE TABLE IF NOT EXISTS mail_sent (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    recipient TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    result TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS mail_sent_unit ON mail_sent(unit_code, kind, result);
CREATE TABLE IF NOT EXISTS mail_received (
    id INTEGER PRIMARY KEY,
    message_key TEXT NOT NULL UNIQUE,
    message_id TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    sender TEXT NOT NULL DEFAULT '',
    sender_unit TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL,
    attachments INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS mail_uids (
    mailbox TEXT NOT NULL,
    uidvalidity TEXT NOT NULL,
    uid INTEGER NOT NULL,
    received_id INTEGER NOT NULL REFERENCES mail_received(id),
    PRIMARY KEY (mailbox, uidvalidity, uid)
);
CREATE TABLE IF NOT EXISTS mail_attachments (
    received_id INTEGER NOT NULL REFERENCES mail_received(id),
    seq INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    saved_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (received_id, seq)
);
CREATE INDEX IF NOT EXISTS mail_attachments_sha ON mail_attachments(sha256);
"""


def ensure_tables(conn: sqlite3.Connection) -> None:
    for stmt in _DDL.split(";"):
        if stmt.strip():
            conn.execute(stmt)


@dataclass(frozen=True)
class SentRow:
    kind: str
    unit_code: str
    recipient: str
    file_name: str
    file_sha256: str
    message_id: str
    sent_at: str
    result: str
    detail: str


def record_sent(conn: sqlite3.Connection, row: SentRow) -> None:
    conn.execute("INSERT INTO mail_sent (kind, unit_code, recipient, file_name, file_sha256, message_id, sent_at, "
                 "result, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (row.kind, row.unit_code, row.recipient, row.file_name, row.file_sha256, row.message_id,
                  row.sent_at, row.result, row.detail))


def mail_dates(conn: sqlite3.Connection) -> dict[str, tuple[str, str, str]]:
    """unit code → (last sent, last reminded, last received by mail), for the board (read only)."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not {"mail_sent", "mail_received"} <= have:
        return {}
    out: dict[str, list[str]] = {}
    for code, kind, at in conn.execute(
            "SELECT unit_code, kind, MAX(sent_at) FROM mail_sent WHERE result = 'sent' GROUP BY unit_code, kind"):
        slot = out.setdefault(code, ["", "", ""])
        if kind == REMIND:
            slot[1] = at
        elif at > slot[0]:
            slot[0] = at
    for code, at in conn.execute(
            "SELECT sender_unit, MAX(fetched_at) FROM mail_received WHERE sender_unit != '' AND attachments > 0 "
            "GROUP BY sender_unit"):
        out.setdefault(code, ["", "", ""])[2] = at
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}
