"""The ledger: what each unit sent, when, what it said and what was found, in SQLite.

Every received file is kept byte for byte under ``originals/`` by its SHA-256 (``ab/abcdef….xlsx``),
so the same file received twice is recorded once. A newer submission of a unit supersedes the older
one, which stays in the ledger and on disk. Recording one file is all or nothing (a transaction, or
a savepoint inside ``Ledger.batch``, with which an ingest commits every 64 files or half second): an
ingest that fails midway keeps every file recorded before the failing one and nothing of it; one
killed midway keeps what it last committed, and the next run records the rest.

A return in which nothing was filled in is recorded as *untouched* (``submissions.untouched``): kept,
but it supersedes only another untouched return, never a real one. The office's review decisions
(accept / reject, with who, when and why) are rows of ``decisions``, each about one submission: a
newer return of the unit is a new submission, so it is undecided again.

Ledgers made before these columns existed are brought up to date when opened (``_migrate``: an
``ALTER TABLE … ADD COLUMN`` and a ``CREATE TABLE IF NOT EXISTS``, in one transaction).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import ACCEPTED as DECIDED_ACCEPTED
from nianbao.campaign.states import ERRORS, MISSING, PASSED, REFUSED, REJECTED, UNTOUCHED, WARNINGS
from nianbao.errors import OutputError
from nianbao.findings import Finding
from nianbao.layout import Kind, get_layout
from nianbao.model import Report, Unit, write_atomic
from nianbao.values import Number, show

SCHEMA_VERSION = "1"

ACCEPTED = (PASSED, WARNINGS)
ACCEPT, REJECT = "accept", "reject"

_DDL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    phone TEXT NOT NULL DEFAULT ''
);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    stored_path TEXT NOT NULL,
    size INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    unit_code TEXT REFERENCES units(code),
    status TEXT NOT NULL CHECK (status IN ('passed', 'warnings', 'errors', 'refused')),
    reason TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    layout TEXT NOT NULL DEFAULT '',
    year INTEGER,
    campaign TEXT NOT NULL DEFAULT '',
    template_id TEXT NOT NULL DEFAULT '',
    unit_name_in_file TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    report_date TEXT NOT NULL DEFAULT '',
    text_json TEXT NOT NULL DEFAULT '{}',
    members_json TEXT NOT NULL DEFAULT '[]',
    error_count INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    superseded_by INTEGER REFERENCES submissions(id),
    untouched INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_unit ON submissions(unit_code, id);
CREATE TABLE submission_values (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    computed INTEGER NOT NULL,
    PRIMARY KEY (submission_id, key)
);
CREATE TABLE findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    seq INTEGER NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    keys TEXT NOT NULL,
    cells TEXT NOT NULL,
    expected TEXT,
    actual TEXT,
    PRIMARY KEY (submission_id, seq)
);
"""

# Tables added after schema 1, created when a ledger is first written to (``CREATE … IF NOT EXISTS``),
# so a workspace made by an earlier version keeps working:
# - submission_names: a received file's name as the file system held it (bytes), where it was not
#   UTF-8 (a Windows zip unpacked on Linux leaves GBK bytes); ``original_name`` shows it with U+FFFD.
# - feedback_files: which submission each feedback workbook was written for, so a re-run after an
#   interruption writes every feedback that is missing (feedback is derived from the ledger).
# - submission_report: what else a received report held beyond figures and text: its section headings
#   as written (a local variant) and what the cells that could not be read as numbers said.
_EXTRA_DDL = (
    "CREATE TABLE IF NOT EXISTS submission_report (submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), "
    "headings_json TEXT NOT NULL DEFAULT '{}', unreadable_json TEXT NOT NULL DEFAULT '{}')",
    "CREATE TABLE IF NOT EXISTS submission_names (submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), "
    "raw BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS feedback_files (submission_id INTEGER PRIMARY KEY REFERENCES submissions(id), "
    "file_name TEXT NOT NULL)",
)


class LedgerError(OutputError):
    """The ledger cannot be read or written (read-only, disk full, damaged): exit code 2."""


def _ledger_error(path: Path, exc: sqlite3.Error) -> LedgerError:
    text = str(exc)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return LedgerError("E-LEDGER-READONLY", path=str(path), reason=text)
    if "full" in text:
        return LedgerError("E-LEDGER-FULL", path=str(path), reason=text)
    return LedgerError("E-LEDGER", path=str(path), reason=text)


# Added after the first release: created here for new ledgers, and by ``_migrate`` for old ones.
_DECISIONS_DDL = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    unit_code TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
    override_errors INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_submission ON decisions(submission_id, id)
"""


class Rows(NamedTuple):
    """What a submission's rows hold beyond the file and its status: made from the report, its findings
    and the file's metadata by :func:`rows_of`, wherever the file was read (an ingest worker), so that
    recording it is SQL only. Plain strings and numbers: cheap to send between processes."""

    layout: str
    year: int | None
    campaign: str
    template_id: str
    unit_name_in_file: str
    title: str
    report_date: str
    text_json: str
    members_json: str
    error_count: int
    warning_count: int
    values: list[tuple[str, str, int]]  # (key, value as text, computed)
    findings: list[tuple[Any, ...]]  # (seq, rule, severity, message, keys, cells, expected, actual)
    extra: tuple[str, str] | None  # (headings, unreadable) as JSON, when the report has either


def rows_of(report: Report | None, findings: Sequence[Finding] = (), meta: Mapping[str, str] | None = None) -> Rows:
    """The rows of a received file: its report's figures (computed totals too, marked so) and text, its
    findings, and what its metadata says (for a refused file, which has no report)."""
    meta = meta or {}
    errors = sum(1 for f in findings if f.severity.value == "error")
    if report is None:
        return Rows(meta.get("layout", ""), _int_or_none(meta.get("year")), meta.get("campaign", ""),
                    meta.get("template_id", ""), meta.get("unit_name", ""), "", "", "{}", "[]",
                    errors, len(findings) - errors, [], _finding_rows(findings), None)
    extra = None
    if report.headings or report.unreadable:
        extra = (json.dumps(report.headings, ensure_ascii=False), json.dumps(report.unreadable, ensure_ascii=False))
    return Rows(report.layout.id, report.year, meta.get("campaign", ""), meta.get("template_id", ""),
                report.unit.name, report.title or "", report.date or "",
                json.dumps(report.text, ensure_ascii=False),
                json.dumps([m.to_json() for m in report.members], ensure_ascii=False),
                errors, len(findings) - errors, _value_rows(report), _finding_rows(findings), extra)


@dataclass
class Received:
    """One received file and what reading and checking it gave, ready to be recorded. ``rows``, when
    given, are what :func:`rows_of` made of ``report``, ``findings`` and ``meta`` (then not needed)."""

    data: bytes
    original_name: str
    received_at: str
    status: str
    unit_code: str | None = None
    report: Report | None = None
    findings: Sequence[Finding] = ()
    meta: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""
    message: str = ""
    raw_name: bytes | None = None  # the name as bytes, when it is not UTF-8
    rows: Rows | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def rows_or_made(self) -> Rows:
        return self.rows if self.rows is not None else rows_of(self.report, self.findings, self.meta)


@dataclass(frozen=True)
class Submission:
    id: int
    sha256: str
    original_name: str
    stored_path: str
    size: int
    received_at: str
    unit_code: str | None
    status: str
    reason: str
    message: str
    layout: str
    year: int | None
    campaign: str
    template_id: str
    unit_name_in_file: str
    error_count: int
    warning_count: int
    superseded_by: int | None

    @property
    def is_current(self) -> bool:
        return self.superseded_by is None and self.status != REFUSED

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED


# ``status`` reads as ``untouched`` for an untouched return (the column keeps what its checks gave)
_SUBMISSION_COLUMNS = ", ".join(
    f"CASE WHEN untouched = 1 THEN '{UNTOUCHED}' ELSE status END" if name == "status" else name
    for name in Submission.__dataclass_fields__)


@dataclass(frozen=True)
class Decision:
    """The office's decision on one submission: accept (maybe despite errors) or reject."""

    id: int
    submission_id: int
    unit_code: str
    decision: str  # accept / reject
    override_errors: bool
    reason: str
    decided_by: str
    decided_at: str

    @property
    def kind(self) -> str:
        """``accept``, ``accept-override`` or ``reject`` (the key of its Chinese name)."""
        return "accept-override" if self.decision == ACCEPT and self.override_errors else self.decision


_DECISION_COLUMNS = ", ".join(Decision.__dataclass_fields__)


@dataclass(frozen=True)
class UnitState:
    """Where a unit stands: its status code (states.py), its current submission and the decision on it."""

    status: str
    submission: Submission | None = None
    decision: Decision | None = None


@dataclass(frozen=True)
class StoredFinding:
    rule: str
    severity: str
    message: str
    keys: tuple[str, ...]
    cells: tuple[str, ...]
    expected: str | None
    actual: str | None


class Ledger:
    """The ledger of one workspace. Use as a context manager, or call ``close()``."""

    def __init__(self, path: Path, originals: Path) -> None:
        self.path = Path(path)
        self.originals = Path(originals)
        self._extra_ready = False
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None)  # explicit transactions only
            self.conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.Error as exc:
            raise _ledger_error(self.path, exc) from None

    def _migrate(self) -> None:
        """Bring a ledger made by an older version up to date (nothing to do for a new one)."""
        if not self._columns("submissions"):
            return  # being created
        if ("untouched" in self._columns("submissions") and self._has_table("decisions")
                and "phone" in self._columns("units")):
            return
        with self.transaction():  # BEGIN IMMEDIATE: a second process waits, then finds it done
            if "untouched" not in self._columns("submissions"):
                self.conn.execute("ALTER TABLE submissions ADD COLUMN untouched INTEGER NOT NULL DEFAULT 0")
            if "phone" not in self._columns("units"):
                self.conn.execute("ALTER TABLE units ADD COLUMN phone TEXT NOT NULL DEFAULT ''")
            for stmt in _DECISIONS_DDL.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)

    def _columns(self, table: str) -> set[str]:
        return {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}

    def _has_table(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    @classmethod
    def create(cls, path: Path, originals: Path, units: Iterable[RosterUnit]) -> Ledger:
        ledger = cls(path, originals)
        with ledger.transaction():
            for stmt in (_DDL + ";" + _DECISIONS_DDL).split(";"):
                if stmt.strip():
                    ledger.conn.execute(stmt)
            ledger.conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
            ledger.conn.executemany(
                "INSERT INTO units (code, name, category, contact, email, phone, position) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(u.code, u.name, u.category, u.contact, u.email, u.phone, i) for i, u in enumerate(units)],
            )
        return ledger

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------
    class _Tx:
        """BEGIN IMMEDIATE … COMMIT; a failure (read-only file, full disk) is a ``LedgerError`` naming
        the ledger, and the ledger is left as it was (SQLite may already have rolled back itself).
        Inside a transaction already open (``Ledger.batch``) it is a savepoint: all or nothing too."""

        def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
            self.conn = conn
            self.path = path
            self.nested = False

        def __enter__(self) -> None:
            self.nested = self.conn.in_transaction
            try:
                self.conn.execute("SAVEPOINT tx" if self.nested else "BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _ledger_error(self.path, exc) from None

        def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
            if exc_type is None:
                try:
                    self.conn.execute("RELEASE tx" if self.nested else "COMMIT")
                    return
                except sqlite3.Error as commit_exc:
                    self._rollback()
                    raise _ledger_error(self.path, commit_exc) from None
            self._rollback()
            if isinstance(exc, sqlite3.Error):
                raise _ledger_error(self.path, exc) from None

        def _rollback(self) -> None:
            if self.conn.in_transaction:
                try:
                    if self.nested:
                        self.conn.execute("ROLLBACK TO tx")
                        self.conn.execute("RELEASE tx")
                    else:
                        self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # the transaction is gone either way; the original error is what to report

    def transaction(self) -> Ledger._Tx:
        return Ledger._Tx(self.conn, self.path)

    def batch(self, *, files: int = 64, seconds: float = 0.5) -> Ledger._Batch:
        """Record many files with few commits: ``with ledger.batch() as batch:``, and ``batch.tick()``
        after each file (True when it committed). Each ``record`` is a savepoint inside the batch's
        transaction, so each file stays all or nothing; the transaction is committed every ``files``
        files or ``seconds`` and when the block ends, by an error too (what was recorded before it
        stays). ``batch.lost`` says SQLite rolled the whole transaction back after an error (it may,
        on a full disk): the caller records the files since the last commit again. A process killed
        meanwhile loses the files since the last commit (their originals may be kept already, by
        their hash); the next run records them. Each commit waits for the disk (several ``fsync``)."""
        return Ledger._Batch(self, files, seconds)

    class _Batch:
        def __init__(self, ledger: Ledger, files: int, seconds: float) -> None:
            self.ledger, self.files, self.seconds = ledger, files, seconds
            self._count = 0
            self._since = 0.0
            self._open = False

        @property
        def lost(self) -> bool:
            return self._open and not self.ledger.conn.in_transaction

        def _begin(self) -> None:
            try:
                self.ledger.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _ledger_error(self.ledger.path, exc) from None
            self._count, self._since, self._open = 0, time.monotonic(), True

        def _commit(self) -> None:
            self._open = False
            if not self.ledger.conn.in_transaction:
                return  # rolled back by SQLite after an error, which is being reported
            try:
                self.ledger.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                Ledger._Tx(self.ledger.conn, self.ledger.path)._rollback()
                raise _ledger_error(self.ledger.path, exc) from None

        def tick(self) -> bool:
            self._count += 1
            if self._count >= self.files or time.monotonic() - self._since >= self.seconds:
                self._commit()
                self._begin()
                return True
            return False

        def __enter__(self) -> Ledger._Batch:
            self._begin()
            return self

        def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
            self._commit()

    def _ensure_extra_tables(self) -> None:
        if not self._extra_ready:
            with self.transaction():
                for stmt in _EXTRA_DDL:
                    self.conn.execute(stmt)
            self._extra_ready = True

    # -- recording -----------------------------------------------------------------------
    def find_by_hash(self, sha256: str) -> Submission | None:
        row = self.conn.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE sha256 = ?",
                                (sha256,)).fetchone()
        return Submission(*row) if row else None

    def record(self, rec: Received) -> Submission:
        """Keep the original and record the submission, all or nothing.

        A file already recorded (same content) is not recorded again: its earlier submission is
        returned. A failure leaves the ledger as it was and removes an original stored just now.
        """
        sha = rec.sha256
        existing = self.find_by_hash(sha)
        if existing is not None:
            return existing
        rows = rec.rows_or_made()
        if rec.raw_name is not None or rows.extra is not None:
            self._ensure_extra_tables()
        stored, created = self._store_original(sha, rec.original_name, rec.data)
        try:
            with self.transaction():
                sub_id = self._insert_submission(rec, rows, sha, stored)
                if rec.raw_name is not None:
                    self.conn.execute("INSERT INTO submission_names (submission_id, raw) VALUES (?, ?)",
                                      (sub_id, rec.raw_name))
                if rows.extra is not None:
                    self.conn.execute(
                        "INSERT INTO submission_report (submission_id, headings_json, unreadable_json) VALUES (?, ?, ?)",
                        (sub_id, *rows.extra))
                if rec.status != REFUSED and rec.unit_code:
                    # an untouched return supersedes only another untouched one, never a real return
                    only_untouched = "AND untouched = 1 " if rec.status == UNTOUCHED else ""
                    self.conn.execute(
                        "UPDATE submissions SET superseded_by = ? WHERE unit_code = ? AND id != ? "
                        f"AND status != 'refused' AND superseded_by IS NULL {only_untouched}",
                        (sub_id, rec.unit_code, sub_id),
                    )
                if rows.values:
                    self._insert_values(sub_id, rows.values)
                self._insert_findings(sub_id, rows.findings)
        except BaseException:
            if created:
                (self.originals / stored).unlink(missing_ok=True)
            raise
        found = self.get(sub_id)
        assert found is not None
        return found

    def _store_original(self, sha: str, name: str, data: bytes) -> tuple[str, bool]:
        suffix = Path(name).suffix.lower()
        if not suffix.isascii() or not suffix[1:].isalnum() or len(suffix) > 6:
            suffix = ".bin"
        rel = f"{sha[:2]}/{sha}{suffix}"
        target = self.originals / rel
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha:
            return rel, False
        write_atomic(target, data)
        return rel, True

    def _insert_submission(self, rec: Received, rows: Rows, sha: str, stored: str) -> int:
        untouched = rec.status == UNTOUCHED
        errors, warnings = rows.error_count, rows.warning_count
        status = (ERRORS if errors else WARNINGS if warnings else PASSED) if untouched else rec.status
        cur = self.conn.execute(
            "INSERT INTO submissions (sha256, original_name, stored_path, size, received_at, unit_code, status, "
            "reason, message, layout, year, campaign, template_id, unit_name_in_file, title, report_date, "
            "text_json, members_json, error_count, warning_count, untouched) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sha, rec.original_name, stored, len(rec.data), rec.received_at, rec.unit_code, status,
                rec.reason, rec.message, rows.layout, rows.year, rows.campaign, rows.template_id,
                rows.unit_name_in_file, rows.title, rows.report_date, rows.text_json, rows.members_json,
                errors, warnings, int(untouched),
            ),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    def _insert_values(self, sub_id: int, rows: Iterable[tuple[str, str, int]]) -> None:
        self.conn.executemany(
            "INSERT INTO submission_values (submission_id, key, value, computed) VALUES (?, ?, ?, ?)",
            ((sub_id, *row) for row in rows),
        )

    def _insert_findings(self, sub_id: int, rows: Iterable[tuple[Any, ...]]) -> None:
        self.conn.executemany(
            "INSERT INTO findings (submission_id, seq, rule, severity, message, keys, cells, expected, actual) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((sub_id, *row) for row in rows),
        )

    # -- queries -------------------------------------------------------------------------
    def units(self) -> list[RosterUnit]:
        rows = self.conn.execute("SELECT code, name, category, contact, email, phone FROM units ORDER BY position")
        return [RosterUnit(*r) for r in rows]

    def get(self, sub_id: int) -> Submission | None:
        row = self.conn.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE id = ?", (sub_id,)).fetchone()
        return Submission(*row) if row else None

    def submissions(self, unit_code: str | None = None) -> list[Submission]:
        """Every submission (including refused and superseded ones), oldest first."""
        if unit_code is None:
            rows = self.conn.execute(f"SELECT {_SUBMISSION_COLUMNS} FROM submissions ORDER BY id")
        else:
            rows = self.conn.execute(
                f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE unit_code = ? ORDER BY id", (unit_code,))
        return [Submission(*r) for r in rows]

    def current(self, unit_code: str) -> Submission | None:
        """The unit's latest submission that is not refused (None when it has sent nothing usable).

        A real return is preferred to an untouched one received after it."""
        row = self.conn.execute(
            f"SELECT {_SUBMISSION_COLUMNS} FROM submissions WHERE unit_code = ? AND status != 'refused' "
            "AND superseded_by IS NULL ORDER BY untouched ASC, id DESC LIMIT 1", (unit_code,)).fetchone()
        return Submission(*row) if row else None

    # -- the office's review -------------------------------------------------------------
    def decide(self, sub: Submission, decision: str, reason: str, *, override_errors: bool = False,
               decided_by: str | None = None, decided_at: str | None = None) -> Decision:
        """Record a decision on ``sub`` (one row; earlier decisions stay as history)."""
        from datetime import datetime

        assert decision in (ACCEPT, REJECT) and sub.unit_code
        who = decided_by or os_user()
        when = decided_at or datetime.now().isoformat(timespec="seconds")
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO decisions (submission_id, unit_code, decision, override_errors, reason, decided_by, "
                "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sub.id, sub.unit_code, decision, int(override_errors), reason, who, when))
        assert cur.lastrowid is not None
        return Decision(cur.lastrowid, sub.id, sub.unit_code, decision, override_errors, reason, who, when)

    def decisions(self, unit_code: str | None = None) -> list[Decision]:
        """Every decision (of one unit), oldest first."""
        where, args = ("WHERE unit_code = ? ", (unit_code,)) if unit_code is not None else ("", ())
        rows = self.conn.execute(f"SELECT {_DECISION_COLUMNS} FROM decisions {where}ORDER BY id", args)
        return [Decision(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7]) for r in rows]

    def decision_on(self, sub_id: int) -> Decision | None:
        """The latest decision on one submission."""
        r = self.conn.execute(f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE submission_id = ? "
                              "ORDER BY id DESC LIMIT 1", (sub_id,)).fetchone()
        return Decision(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7]) if r else None

    def unit_state(self, unit_code: str) -> UnitState:
        """The unit's status on the board: its current return's, or the office's decision on it."""
        sub = self.current(unit_code)
        if sub is None:
            return UnitState(MISSING)
        if sub.status == UNTOUCHED:
            return UnitState(UNTOUCHED, sub)
        decision = self.decision_on(sub.id)
        if decision is not None:
            return UnitState(DECIDED_ACCEPTED if decision.decision == ACCEPT else REJECTED, sub, decision)
        return UnitState(sub.status, sub)

    def values(self, sub_id: int, *, include_computed: bool = True) -> dict[str, Number]:
        sub = self.get(sub_id)
        if sub is None or not sub.layout:
            return {}
        layout = get_layout(sub.layout)
        sql = "SELECT key, value, computed FROM submission_values WHERE submission_id = ?"
        out: dict[str, Number] = {}
        for key, text, computed in self.conn.execute(sql, (sub_id,)):
            if computed and not include_computed:
                continue
            out[key] = Decimal(text) if layout.fields[key].kind is Kind.AMOUNT else int(Decimal(text))
        return out

    def findings(self, sub_id: int) -> list[StoredFinding]:
        rows = self.conn.execute(
            "SELECT rule, severity, message, keys, cells, expected, actual FROM findings "
            "WHERE submission_id = ? ORDER BY seq", (sub_id,))
        return [StoredFinding(r[0], r[1], r[2], tuple(json.loads(r[3])), tuple(json.loads(r[4])), r[5], r[6])
                for r in rows]

    def report(self, sub_id: int) -> Report:
        """The submission's report as received (inputs and stated totals; other totals computed)."""
        sub = self.get(sub_id)
        if sub is None or sub.year is None or not sub.layout:
            raise KeyError(sub_id)
        row = self.conn.execute(
            "SELECT u.name, u.code, s.title, s.report_date, s.text_json, s.members_json FROM submissions s "
            "LEFT JOIN units u ON u.code = s.unit_code WHERE s.id = ?", (sub_id,)).fetchone()
        name, code, title, report_date, text_json, members_json = row
        unit = Unit(name or sub.unit_name_in_file, code or "")
        members = [Unit(m["name"], m.get("code", "")) for m in json.loads(members_json)]
        headings: dict[str, str] = {}
        unreadable: dict[str, str] = {}
        if self._has_table("submission_report"):
            extra = self.conn.execute("SELECT headings_json, unreadable_json FROM submission_report "
                                      "WHERE submission_id = ?", (sub_id,)).fetchone()
            if extra:
                headings, unreadable = json.loads(extra[0]), json.loads(extra[1])
        return Report(get_layout(sub.layout), sub.year, unit, self.values(sub_id, include_computed=False),
                      json.loads(text_json), headings, title or None, report_date or None, members,
                      unreadable=unreadable)

    def original_path(self, sub: Submission) -> Path:
        return self.originals / sub.stored_path

    def raw_name(self, sub_id: int) -> bytes | None:
        """The file name as the file system held it, when it was not UTF-8 (else None)."""
        if not self._has_table("submission_names"):
            return None
        row = self.conn.execute("SELECT raw FROM submission_names WHERE submission_id = ?", (sub_id,)).fetchone()
        return bytes(row[0]) if row else None

    # -- feedback: derived from the ledger ------------------------------------------------
    def feedback_written(self) -> dict[int, str]:
        """submission id → the feedback workbook's file name, for every feedback written."""
        if not self._has_table("feedback_files"):
            return {}
        return dict(self.conn.execute("SELECT submission_id, file_name FROM feedback_files"))

    def mark_feedback(self, sub_id: int, file_name: str) -> None:
        self._ensure_extra_tables()
        with self.transaction():
            self.conn.execute("INSERT OR REPLACE INTO feedback_files (submission_id, file_name) VALUES (?, ?)",
                              (sub_id, file_name))

    def needing_feedback(self) -> list[Submission]:
        """Every unit's current submission (``current``) that has errors, in roster order: one query,
        not one per unit."""
        rows = self.conn.execute(
            f"SELECT {_SUBMISSION_COLUMNS} FROM submissions JOIN units ON units.code = submissions.unit_code "
            "WHERE submissions.id = (SELECT c.id FROM submissions c WHERE c.unit_code = units.code "
            "AND c.status != 'refused' AND c.superseded_by IS NULL ORDER BY c.untouched ASC, c.id DESC LIMIT 1) "
            f"AND submissions.status = '{ERRORS}' AND submissions.untouched = 0 ORDER BY units.position")
        return [Submission(*r) for r in rows]



def os_user() -> str:
    """Who is deciding: the operating system's user name."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def _value_rows(report: Report) -> list[tuple[str, str, int]]:
    stated = report.values
    full = report.full_values()
    return [(key, show(full[key]), 0 if key in stated else 1) for key in report.layout.fields if key in full]


def _finding_rows(findings: Iterable[Finding]) -> list[tuple[Any, ...]]:
    return [
        (i, f.rule, f.severity.value, f.message, json.dumps(list(f.keys), ensure_ascii=False),
         json.dumps(list(f.cells), ensure_ascii=False), _text(f.expected), _text(f.actual))
        for i, f in enumerate(findings)
    ]


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return show(value)
    return str(value)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
