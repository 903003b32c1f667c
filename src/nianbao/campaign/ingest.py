"""Taking returns in: identify each file by what it says it is, check it, record it in the ledger.

A file is identified by its hidden metadata (and its unit and year), never by its name: clerks
rename attachments. Files of another year, of another workspace's campaign or of a unit not on the
roster are refused with a message saying so, and the refusal is recorded too. Reading and checking
(the slow part) can run in a process pool (``jobs``): a worker reads, identifies and checks a file and
sends back the rows to record as plain data (``Examined``); the ledger is written by this process
only, each file all or nothing (a savepoint; a commit every 64 files or half second, ``Ledger.batch``),
in the order the files arrived (modification time, then name), so a later file of a unit supersedes
an earlier one.

Memory does not grow with the batch beyond the list of files to take (sorted by arrival) and the
roster: file contents are read when needed, outcomes are kept pickled (``Outcomes``, spilled to a
temporary file past a few hundred kilobytes), the pool has a bounded number of files in flight and
SQLite's page cache is capped for the run.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import shutil
import sys
import tempfile
import threading
import zipfile
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, overload

from nianbao.campaign.items import Item, Skipped
from nianbao.campaign.ledger import Ledger, Received, Rows, Submission, rows_of
from nianbao.campaign.lock import LOCK_TIMEOUT, workspace_lock
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import ERRORS, PASSED, REFUSED, UNTOUCHED, WARNINGS
from nianbao.campaign.workspace import CONFIG_NAME, LEDGER_NAME, ROSTER_NAME, Workspace, template_name
from nianbao.display import clean, file_name, is_clean
from nianbao.errors import NianbaoError, UnusableInput, os_reason
from nianbao.files import kind_of
from nianbao.findings import Finding, warning
from nianbao.layout import get_layout
from nianbao.messages import message
from nianbao.model import Report, Unit, unit_key
from nianbao.rules import load_and_check
from nianbao.sources import load_source

INGEST_SUFFIXES = (".xlsx", ".xlsm", ".json", ".xls", ".et", ".ett", ".ods", ".csv")
PUBLISHED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".mht", ".mhtml")  # issue 12: nianbao import reads them
MAX_JOBS = 64


# ------------------------------------------------------------------------------------------
# What kind of file is this, and how do we take it (one table; importers extend it)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Intake:
    """How ingest takes a file: ``return`` (read and record it), ``archive`` (open the zip and take
    its members), ``skip`` (list it as not a return, saying why: ``reason`` is a message code) or
    ``ignore`` (system files such as Thumbs.db, said nothing about)."""

    kind: str
    reason: str = ""


RETURN, ARCHIVE, IGNORE = Intake("return"), Intake("archive"), Intake("ignore")

# By suffix. A helper that makes a kind importable changes its entry (e.g. ".docx": RETURN once a
# published report can be imported, ".eml": Intake("mail") once mail is read).
INTAKE: dict[str, Intake] = {
    **{suffix: RETURN for suffix in INGEST_SUFFIXES},
    ".zip": ARCHIVE,
    ".pdf": Intake("skip", "INGEST-SKIP-PDF"),
    **{s: Intake("skip", "INGEST-SKIP-WORD") for s in (".docx", ".doc", ".docm", ".wps", ".rtf", ".odt")},
    **{s: Intake("skip", "INGEST-SKIP-HTML") for s in (".html", ".htm", ".mht", ".mhtml")},
    **{s: Intake("mail") for s in (".eml", ".msg")},  # its attachments are taken (nianbao.mail.eml)
    **{s: Intake("skip", "INGEST-SKIP-RAR") for s in (".rar", ".7z")},
    **{s: Intake("skip", "INGEST-SKIP-IMAGE") for s in (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff")},
}
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
UNKNOWN = Intake("skip", "INGEST-SKIP-OTHER")
NOT_REGULAR = Intake("skip", "INGEST-SKIP-NOT-REGULAR")


def intake(path: Path, *, explicit: bool = False) -> Intake:
    """The one decision of what a file is and how ingest takes it (see ``INTAKE``).

    A file named on the command line with an unknown suffix is read anyway (it may be a workbook
    renamed; reading it says what it really is); in a folder it is listed as not a return.
    """
    name = path.name
    if name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES:
        return RETURN if explicit else IGNORE
    if kind_of(path) is not None:  # a FIFO, a device: never opened (reading one blocks or never ends)
        return NOT_REGULAR
    found = INTAKE.get(path.suffix.lower(), UNKNOWN)
    if path.suffix.lower() in PUBLISHED_SUFFIXES and _is_published_report(path):
        return RETURN  # a published report holding the statutory tables: imported (issue 12)
    return RETURN if explicit and found is UNKNOWN else found


def _is_published_report(path: Path) -> bool:
    """A PDF, Word or web page in which ``nianbao import`` finds the statutory tables; any other
    such file (a cover letter, a scan) stays "not a return", named with its reason."""
    from nianbao.sources import import_source

    try:
        import_source(path)
    except Exception:  # no tables, a scan, unreadable: not a return
        return False
    return True


RECORDED, DUPLICATE = "recorded", "duplicate"


# ------------------------------------------------------------------------------------------
# Examining one file (runs in a worker process when jobs > 1: everything here is picklable)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IngestContext:
    """What an ingest worker needs to identify and check a file (the campaign, not one report:
    compare ``rules.Context``, what a check is given)."""

    year: int
    layout_id: str
    campaign: str
    units: tuple[RosterUnit, ...]
    previous: tuple[tuple[str, Any], ...] = ()  # (unit code, report as plain data)

    @cached_property
    def previous_of(self) -> dict[str, Any]:
        """unit code → last year's report as plain data (made once per process, not once per file)."""
        return dict(self.previous)

    @cached_property
    def _by_code(self) -> dict[str, RosterUnit]:
        return {u.code: u for u in self.units}

    @cached_property
    def _by_key(self) -> dict[str, RosterUnit]:
        out: dict[str, RosterUnit] = {}
        for u in self.units:
            out.setdefault(unit_key(u.name), u)  # the first, as ``match_unit`` finds it
        return out

    def match(self, code: str, name: str) -> RosterUnit | None:
        """``match_unit`` over the roster, by dictionary (once per file: a linear scan would make a
        province's batch quadratic)."""
        if code and code in self._by_code:
            return self._by_code[code]
        return self._by_key.get(unit_key(name))


@dataclass
class Examined:
    """What examining a file gave: its status, unit, refusal and the rows to record (``Rows``, plain data:
    this comes back from a worker process, so it is small and cheap to unpickle)."""

    path: str
    status: str
    unit_code: str | None = None
    reason: str = ""
    message: str = ""
    rows: Rows | None = None


def examine(path: str, ctx: IngestContext) -> Examined:
    """Read, identify and check one file. Unusable or foreign files come back as refused."""
    p = Path(path)
    shown = file_name(p)
    try:
        loaded = load_source(p)
    except NianbaoError as exc:
        return _unusable(path, shown, clean(exc))
    except RecursionError:
        return _unusable(path, shown, message("E-JSON-DEPTH", path=shown))
    except Exception as exc:  # a reader bug on one odd file must not stop the whole batch
        return _unusable(path, shown, clean(f"{type(exc).__name__}: {exc}"))
    report = loaded.report
    meta = {k: str(v) for k, v in (loaded.meta or {}).items()}
    meta.setdefault("year", str(report.year))
    meta.setdefault("layout", report.layout.id)
    meta.setdefault("unit_name", report.unit.name)
    campaign = meta.get("campaign", "")
    unit = ctx.match(meta.get("unit_code") or report.unit.code, report.unit.name)

    def refuse(code: str, **fields: Any) -> Examined:
        return Examined(path, REFUSED, unit.code if unit else None, code, message(code, path=shown, **fields),
                        rows_of(None, (), meta))

    if report.year != ctx.year:
        return refuse("INGEST-YEAR", actual=report.year, expected=ctx.year)
    if campaign and campaign != ctx.campaign:
        return refuse("INGEST-CAMPAIGN", actual=campaign[:8], expected=ctx.campaign[:8])
    if report.layout.id != ctx.layout_id:
        return refuse("INGEST-LAYOUT", actual=report.layout.id, expected=ctx.layout_id)
    if unit is None:
        return refuse("INGEST-UNIT", unit=report.unit.name)
    if not report.members and meta.get("members"):
        # a consolidated workbook lists its members by code (or by name when one has no code)
        report.members = [Unit(token, token) for token in meta["members"].split("|") if token]
    plain_previous = ctx.previous_of.get(unit.code)
    previous = _rebuild(plain_previous) if plain_previous else None
    if _untouched(report, previous, ctx):
        # one line for the unit, not a hint per empty cell
        return Examined(path, UNTOUCHED, unit.code,
                        rows=rows_of(report, [warning("RETURN-UNTOUCHED", path=shown)], meta))
    _, result = load_and_check(loaded, previous)
    status = ERRORS if result.errors else WARNINGS if result.warnings else PASSED
    return Examined(path, status, unit.code, rows=rows_of(report, result.findings, meta))


def _unusable(path: str, shown: str, reason: str) -> Examined:
    return Examined(path, REFUSED, reason="INGEST-UNUSABLE", message=message("INGEST-UNUSABLE", path=shown, reason=reason),
                    rows=rows_of(None))


def _untouched(report: Report, previous: Report | None, ctx: IngestContext) -> bool:
    from nianbao.model import is_untouched

    prefill = None
    if previous is not None:
        from nianbao.carry import carry_forward

        prefill = carry_forward(previous, ctx.year, report.unit, ctx.layout_id)
    return is_untouched(report, prefill)


def match_unit(units: Iterable[RosterUnit], code: str, name: str) -> RosterUnit | None:
    """The roster unit a file belongs to: by code, else by name (compared by ``model.unit_key``)."""
    units = list(units)
    if code:
        for u in units:
            if u.code == code:
                return u
    wanted = unit_key(name)
    for u in units:
        if unit_key(u.name) == wanted:
            return u
    return None


def _plain(report: Report) -> tuple[Any, ...]:
    return (report.layout.id, report.year, report.unit.name, report.unit.code, dict(report.values),
            dict(report.text), dict(report.headings), report.title, report.date,
            [(m.name, m.code) for m in report.members], dict(report.unreadable))


def _rebuild(plain: tuple[Any, ...]) -> Report:
    layout_id, year, name, code, values, text, headings, title, date, members, unreadable = plain
    return Report(get_layout(layout_id), year, Unit(name, code), dict(values), dict(text), dict(headings),
                  title, date, [Unit(n, c) for n, c in members], unreadable=dict(unreadable))


_WORKER_CONTEXT: IngestContext | None = None


def _init_worker(ctx: IngestContext) -> None:
    global _WORKER_CONTEXT
    import warnings

    warnings.simplefilter("ignore")  # a worker writes to the user's terminal too: no library warning
    _WORKER_CONTEXT = ctx


def _examine_in_worker(paths: list[str]) -> list[Examined]:
    """A chunk of files, examined in a worker: one round trip per chunk, not per file."""
    assert _WORKER_CONTEXT is not None
    return [examine(p, _WORKER_CONTEXT) for p in paths]


# ------------------------------------------------------------------------------------------
# The ingest run (main process)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    path: Path
    action: str  # recorded / duplicate / refused
    message: str
    unit: RosterUnit | None = None
    submission: Submission | None = None
    superseded: tuple[Submission, ...] = ()


_SUBMISSION_FIELDS = tuple(Submission.__dataclass_fields__)
SPOOL_BYTES = 64 * 1024  # outcomes kept in memory up to this size (pickled), then in a temporary file


class Outcomes(Sequence[Outcome]):
    """The outcome of each file of a run, in the order the files came, as a read-only sequence.

    Kept pickled, compactly (a submission as a tuple, a roster unit by its code), in a
    ``SpooledTemporaryFile`` that moves to disk past ``SPOOL_BYTES``: an ingest of 10,000 files does
    not hold 10,000 outcomes in memory. Each file has a slot (its place in the batch), filled once,
    in any order (duplicates are known before the others are read). Counts by action are kept as
    outcomes are added.
    """

    def __init__(self, units: Mapping[str, RosterUnit], slots: int) -> None:
        self._units = units
        self._file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, prefix="nianbao-outcomes-")
        self._end = 0
        self._where = array("q", [-1]) * (2 * slots)  # per slot: offset and length of its record
        self._filled = 0
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.bad = False  # a refusal, or a recorded return with errors or untouched (exit code 1)

    def put(self, slot: int, path: str | Path, action: str, text: str, unit: RosterUnit | None = None,
            submission: Submission | None = None, superseded: tuple[Submission, ...] = ()) -> None:
        """Keep the outcome of the file at ``slot`` (the fields of an ``Outcome``; ``path`` may be a string:
        a ``Path`` per file is not made until the outcomes are read)."""
        code: Any = None
        if unit is not None:
            code = unit.code if self._units.get(unit.code) == unit else tuple(unit.as_row())
        record = (str(path), action, text, code, _sub_tuple(submission), tuple(_sub_tuple(s) for s in superseded))
        blob = pickle.dumps(record, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            assert self._where[2 * slot] < 0, slot
            self._file.seek(self._end)
            self._file.write(blob)
            self._where[2 * slot], self._where[2 * slot + 1] = self._end, len(blob)
            self._end += len(blob)
            self._filled += 1
        self.counts[action] += 1
        if action == REFUSED or (submission is not None and action == RECORDED
                                 and submission.status in (ERRORS, UNTOUCHED)):
            self.bad = True

    def _load(self, slot: int) -> Outcome:
        with self._lock:
            self._file.seek(self._where[2 * slot])
            blob = self._file.read(self._where[2 * slot + 1])
        path, action, text, unit, sub, superseded = pickle.loads(blob)
        if isinstance(unit, str):
            unit = self._units[unit]
        elif unit is not None:
            unit = RosterUnit(*unit)
        return Outcome(Path(path), action, text, unit, Submission(*sub) if sub else None,
                       tuple(Submission(*s) for s in superseded))

    def _slots(self) -> list[int]:
        return [i for i in range(len(self._where) // 2) if self._where[2 * i] >= 0]

    def __len__(self) -> int:
        return self._filled

    def __iter__(self) -> Iterator[Outcome]:
        for i in range(len(self._where) // 2):
            if self._where[2 * i] >= 0:
                yield self._load(i)

    @overload
    def __getitem__(self, index: int) -> Outcome: ...

    @overload
    def __getitem__(self, index: slice) -> list[Outcome]: ...

    def __getitem__(self, index: int | slice) -> Outcome | list[Outcome]:
        slots = self._slots() if self._filled * 2 != len(self._where) else range(self._filled)
        if isinstance(index, slice):
            return [self._load(i) for i in slots[index]]
        return self._load(slots[index])

    def __repr__(self) -> str:
        return f"Outcomes({len(self)} files: {dict(self.counts)})"


def _sub_tuple(sub: Submission | None) -> tuple[Any, ...] | None:
    return None if sub is None else tuple(getattr(sub, name) for name in _SUBMISSION_FIELDS)


@dataclass
class IngestResult:
    outcomes: Sequence[Outcome] = field(default_factory=list)  # one per file, in order (``Outcomes`` after a run)
    feedback: dict[str, Path] = field(default_factory=dict)  # unit code → feedback workbook
    skipped: list[Skipped] = field(default_factory=list)  # files that are not returns, and why
    problems: list[str] = field(default_factory=list)  # feedback that could not be written (retried next run)

    def count(self, action: str) -> int:
        if isinstance(self.outcomes, Outcomes):
            return self.outcomes.counts[action]
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def summary(self) -> str:
        text = message("INGEST-SUMMARY", files=len(self.outcomes), recorded=self.count(RECORDED),
                       duplicates=self.count(DUPLICATE), refused=self.count(REFUSED))
        if self.skipped:
            text += message("INGEST-SKIPPED-COUNT", count=len(self.skipped))
        return text

    @property
    def exit_code(self) -> int:
        """2 when a feedback workbook could not be written; 1 when a file was refused or a recorded
        return has errors; else 0."""
        if self.problems:
            return 2
        if isinstance(self.outcomes, Outcomes):
            return 1 if self.outcomes.bad else 0
        bad = any(o.action == REFUSED or (o.submission is not None and o.action == RECORDED
                                          and o.submission.status in (ERRORS, UNTOUCHED)) for o in self.outcomes)
        return 1 if bad else 0


def find_files(ws: Workspace, sources: Sequence[str | Path] | None, unpack: Path | None = None
               ) -> tuple[list[Item], list[Skipped]]:
    """The returns to ingest, in the order they arrived (modification time, then name), and the files
    that are not returns (each with the reason). Members of a zip are unpacked into ``unpack``."""
    entries, skipped = _scan(ws, sources, unpack)
    return [e.item() for e in entries], skipped


@dataclass(frozen=True, slots=True)
class _Entry:
    """A file to take (``items.Item``), compactly: strings, no ``Path`` objects, and no name where the
    path gives it (the list of them is as long as the batch)."""

    path: str
    label: str | None  # the name for people and the ledger, when it is not ``file_name(path)``
    raw_name: bytes | None
    shown: str
    mtime: float

    @property
    def name(self) -> str:
        # ``display.file_name`` without ``pathlib``, which interns every part of every path it parses:
        # thousands of names alive at once (a sort) grow the interpreter's table of interned strings
        return self.label if self.label is not None else clean(os.path.basename(self.path))

    @classmethod
    def of(cls, item: Item) -> _Entry:
        path = str(item.path)
        shown = str(item.shown)
        return cls(path, None if item.name == clean(os.path.basename(path)) else item.name, item.raw_name,
                   path if shown == path else shown, item.order[0])

    def item(self) -> Item:
        path = Path(self.path)
        return Item(path, self.name, self.raw_name, (self.mtime, self.name),
                    path if self.shown == self.path else Path(self.shown))


def _scan(ws: Workspace, sources: Sequence[str | Path] | None, unpack: Path | None
          ) -> tuple[list[_Entry], list[Skipped]]:
    """``find_files``, as compact entries."""
    roots = [Path(s) for s in sources] if sources else [ws.inbox]
    for root in roots:
        if not root.exists():
            raise UnusableInput("E-INGEST-PATH", path=str(root))
    # A folder given (``ingest .`` in the workspace) never yields the workspace's own files: its blank
    # templates, feedback, roll-up and kept originals would otherwise be recorded as returns.
    own = tuple(os.path.join(os.path.realpath(ws.root / name), "")
                for name in ("outbox", "feedback", "reports", "originals"))
    own_files = {os.path.realpath(ws.root / name) for name in (CONFIG_NAME, ROSTER_NAME, LEDGER_NAME,
                                                               LEDGER_NAME + "-journal", LEDGER_NAME + "-wal")}
    entries: list[_Entry] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()  # resolved paths
    for found, resolved, explicit in _walk_roots(roots):
        if resolved in seen or (not explicit and (resolved in own_files or resolved.startswith(own))):
            continue
        seen.add(resolved)
        f = Path(found)
        how = intake(f, explicit=explicit)
        if how.kind == "return":
            entries.append(_entry(resolved))
        elif how.kind in ("archive", "mail"):  # a zip, or a mail saved as a file: its attachments
            from nianbao.mail.eml import unpack_mail

            if unpack is None:
                unpack = Path(tempfile.mkdtemp(prefix="nianbao-zip-"))
            got, left = (_unpack if how.kind == "archive" else unpack_mail)(Path(resolved), unpack)
            entries.extend(_Entry.of(item) for item in got)
            skipped.extend(left)
        elif how.kind == "skip":
            skipped.append(_skip(f, how.reason))
    if not entries and not skipped:
        raise UnusableInput("E-INGEST-NOTHING", path="、".join(str(r) for r in roots))
    entries.sort(key=lambda e: (e.mtime, e.name))
    return entries, skipped


def _walk_roots(roots: Sequence[Path]) -> Iterator[tuple[str, str, bool]]:
    """(path, resolved path, named on the command line) of every file under the roots, as strings: a
    folder's files in the order of ``sorted(folder.rglob("*"))`` (its folders followed, links to
    folders not), a file named as given."""
    for root in roots:
        if root.is_dir():
            top = str(root)
            real_top = os.path.realpath(top)
            for found, is_link in _walk(top):
                # below the root no folder is a link, so only a linked file resolves elsewhere
                yield found, os.path.realpath(found) if is_link else real_top + found[len(top):], False
        else:
            yield str(root), os.path.realpath(root), True


def _walk(folder: str) -> Iterator[tuple[str, bool]]:
    try:
        with os.scandir(folder) as it:
            found = sorted(it, key=lambda e: e.name)
    except PermissionError:
        return  # as ``rglob``: a folder that cannot be listed yields nothing
    for entry in found:
        try:
            is_folder = entry.is_dir(follow_symlinks=False)
        except OSError:
            is_folder = False
        if is_folder:
            yield from _walk(entry.path)
            continue
        try:
            if entry.is_dir():  # a link to a folder
                continue
            is_link = entry.is_symlink()
        except OSError:
            is_link = True
        yield entry.path, is_link


def _entry(path: str) -> _Entry:
    base = os.path.basename(path)
    raw = None if is_clean(base) else os.fsencode(base)
    return _Entry(path, None, raw, path, os.stat(path).st_mtime)


def _skip(path: Path, reason: str, **fields: Any) -> Skipped:
    why = message(reason, suffix=path.suffix or "无", kind=kind_of(path) or "", **fields)
    return Skipped(path, message("INGEST-SKIPPED", path=file_name(path), reason=why))


def _unpack(archive: Path, unpack: Path) -> tuple[list[Item], list[Skipped]]:
    """The returns inside a zip, under the safety limits of a workbook (``safety.Limits``): the zip's
    own size, member count, uncompressed sizes and ratios. Members are written under numbered
    folders of ``unpack`` by their base name only (no member name ever becomes a path)."""
    from nianbao.workbook.safety import check_archive

    shown_zip = file_name(archive)
    try:
        infos = check_archive(archive)
    except NianbaoError as exc:
        return [], [Skipped(archive, message("INGEST-ZIP-UNUSABLE", path=shown_zip, reason=clean(exc)))]
    mtime = archive.stat().st_mtime
    items: list[Item] = []
    skipped: list[Skipped] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            for info in infos:
                if info.is_dir():
                    continue
                member = _member_name(info)
                base = member.replace("\\", "/").rsplit("/", 1)[-1]
                if not base or base.startswith((".", "~$")) or member.startswith("__MACOSX/") \
                        or base.lower() in IGNORED_NAMES:
                    continue
                shown = Path(archive) / member
                how = INTAKE.get(Path(base).suffix.lower(), UNKNOWN)
                if how.kind == "archive":
                    skipped.append(Skipped(shown, message("INGEST-SKIPPED", path=f"{shown_zip}/{member}", reason=message(
                        "INGEST-SKIP-ZIP-NESTED", archive=shown_zip))))
                    continue
                if how.kind != "return":
                    why = message(how.reason or UNKNOWN.reason, suffix=Path(base).suffix or "无")
                    skipped.append(Skipped(shown, message("INGEST-SKIPPED", path=f"{shown_zip}/{member}", reason=why)))
                    continue
                from nianbao.files import safe_file_name

                folder = unpack / f"{len(list(unpack.iterdir())):05d}"
                folder.mkdir(parents=True)
                target = folder / safe_file_name(Path(base).stem, Path(base).suffix.lower())
                with zf.open(info) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                name = f"{shown_zip}/{member}"
                items.append(Item(target, name, None, (mtime, name), shown))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        reason = message("E-WB-TRUNCATED", path=shown_zip) if not isinstance(exc, OSError) else clean(exc)
        return [], [Skipped(archive, message("INGEST-ZIP-UNUSABLE", path=shown_zip, reason=reason))]
    if not items and not skipped:
        skipped.append(Skipped(archive, message("INGEST-ZIP-EMPTY", path=shown_zip)))
    return items, skipped


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: a zip made on Chinese Windows stores GBK names without
    the UTF-8 flag, which ``zipfile`` decodes as cp437."""
    name = info.filename
    if not info.flag_bits & 0x800 and not name.isascii():
        try:
            return name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return name
    return name


def context_for(ws: Workspace) -> IngestContext:
    units = tuple(ws.units())
    previous: list[tuple[str, Any]] = []
    if ws.config.previous:
        from nianbao.campaign.previous import load_previous

        prev = load_previous(ws.config.previous)
        for u in units:
            r = prev.for_unit(u)
            if r is not None:
                previous.append((u.code, _plain(r)))
    return IngestContext(ws.year, ws.layout_id, ws.campaign, units, tuple(previous))


def ingest(ws: Workspace, sources: Sequence[str | Path] | None = None, *, jobs: int = 1,
           progress: bool | None = None, feedback: bool = True, lock_timeout: float = LOCK_TIMEOUT,
           on_wait: Callable[[str], None] | None = None) -> IngestResult:
    """Ingest files (default: everything in ``inbox/``) into the workspace's ledger.

    The workspace is locked meanwhile (``campaign/lock.py``): a second run waits for this one.
    Feedback is derived from the ledger: every unit whose current return has errors and whose
    feedback workbook is missing gets it, so a run interrupted before its feedback is made good by
    the next one.
    """
    if not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise UnusableInput("E-INGEST-JOBS", actual=jobs)
    with workspace_lock(ws.root, timeout=lock_timeout, on_wait=on_wait), \
            tempfile.TemporaryDirectory(prefix="nianbao-zip-") as unpack:
        return _ingest_locked(ws, sources, jobs, progress, feedback, Path(unpack))


def _ingest_locked(ws: Workspace, sources: Sequence[str | Path] | None, jobs: int, progress: bool | None,
                   feedback: bool, unpack: Path) -> IngestResult:
    items, skipped = _scan(ws, sources, unpack)
    ctx = context_for(ws)
    units = {u.code: u for u in ctx.units}
    outcomes = Outcomes(units, len(items))
    result = IngestResult(outcomes=outcomes, skipped=skipped)
    show_progress = sys.stderr.isatty() if progress is None else progress
    _remove_leftovers(ws)

    with ws.open_ledger() as ledger:
        ledger.conn.execute(f"PRAGMA cache_size = -{LEDGER_CACHE_KIB}")  # this connection only, for this run
        queued: deque[int] = deque()  # the files sent to be examined, by their place in the batch

        def to_examine(bar: _Progress) -> Iterator[str]:
            """The files to read, as they are wanted (the duplicates are found as the batch goes, not in a
            pass before it: with ``jobs`` > 1 the workers read meanwhile). Duplicates (already in the
            ledger, or twice in this batch) are not read again."""
            seen: dict[bytes, int] = {}  # digest → the batch's first file with it
            for slot, item in enumerate(items):
                digest = _file_sha256(item.path)
                earlier = ledger.find_by_hash(digest.hex())
                first = earlier.original_name if earlier else items[seen[digest]].name if digest in seen else None
                if first is not None:
                    code = "INGEST-DUPLICATE-REFUSED" if earlier and earlier.status == REFUSED else "INGEST-DUPLICATE"
                    outcomes.put(slot, item.shown, DUPLICATE, message(code, path=item.name, first=first),
                                 units.get(earlier.unit_code or "") if earlier else None, earlier)
                    bar.drop()  # not read: the bar counts the files read
                    continue
                seen[digest] = slot
                queued.append(slot)
                yield item.path

        group: list[int] = []  # the files recorded since the last commit
        with _progress(show_progress, len(items)) as bar, ledger.batch() as batch:
            for examined in _examine_all(to_examine(bar), ctx, jobs, len(items)):
                slot = queued.popleft()
                item = items[slot]
                try:
                    outcomes.put(slot, *_record(ledger, item, _read(item.path), examined, units))
                except BaseException:
                    if batch.lost:  # SQLite dropped the whole transaction (a full disk): keep what fits
                        for done in group:
                            again = items[done]
                            _record(ledger, again, _read(again.path), examine(again.path, ctx), units)
                    raise
                group.append(slot)
                if batch.tick():
                    group.clear()
                bar.advance()

        if feedback:
            result.feedback, result.problems = _write_feedback(ws, ledger, units, ctx)
    return result


LEDGER_CACHE_KIB = 512  # SQLite's page cache during an ingest (its default, 2 MB, fills as the ledger grows)


def _remove_leftovers(ws: Workspace) -> None:
    """Temporary files of a run that was killed while writing (``.name.xxxx`` beside feedback workbooks
    and kept originals). Only the holder of the workspace lock writes there, so none is in use."""
    for folder in (ws.feedback, *(p for p in ws.originals.glob("*") if p.is_dir())):
        for f in folder.glob(".*"):
            if f.is_file() and f.name.count(".") >= 2:
                f.unlink(missing_ok=True)


def _read(path: str) -> bytes:
    """The file's bytes at recording time; a file removed meanwhile stops the batch (those before stay)."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise UnusableInput("E-FILE-READ", path=clean(path), reason=os_reason(exc)) from None


def _file_sha256(path: str | Path) -> bytes:
    """The SHA-256 digest of a file, read in 1 MB blocks (a large file is never held whole)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def _examine_all(paths: Iterable[str], ctx: IngestContext, jobs: int, total: int) -> Iterator[Examined]:
    """Each file examined, in the order given (``total``: how many there are at most): here, or in
    ``jobs`` worker processes.

    The workers take chunks of files (one round trip per chunk) and at most ``_WINDOW`` chunks per
    worker are in flight, so results waiting to be recorded never pile up; the results come in the
    order of the files (the ledger is written in arrival order)."""
    it = iter(paths)
    head = list(itertools.islice(it, 2))
    if jobs == 1 or len(head) <= 1:
        for p in itertools.chain(head, it):
            yield examine(p, ctx)
        return
    workers = min(jobs, total)
    size = max(1, min(_CHUNK, total // (workers * 8)))
    rest = itertools.chain(head, it)
    chunks = iter(lambda: list(itertools.islice(rest, size)), [])
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(ctx,))
    pending: deque[Future[list[Examined]]] = deque()
    try:
        for chunk in itertools.islice(chunks, workers * _WINDOW):
            pending.append(pool.submit(_examine_in_worker, chunk))
        while pending:
            done = pending.popleft().result()
            for chunk in itertools.islice(chunks, 1):
                pending.append(pool.submit(_examine_in_worker, chunk))
            yield from done
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # stopped early: the files not yet begun are not read


_CHUNK = 8  # files per round trip to a worker, at most
_WINDOW = 4  # chunks in flight per worker: one being read, the next ones waiting


def _record(ledger: Ledger, item: _Entry, data: bytes, ex: Examined, units: dict[str, RosterUnit]
            ) -> tuple[str, str, str, RosterUnit | None, Submission, tuple[Submission, ...]]:
    """Record one examined file: the fields of its ``Outcome`` (``Outcomes.put``)."""
    before = ledger.current(ex.unit_code) if ex.unit_code and ex.status != REFUSED else None
    text_message = ex.message
    shown = item.shown
    name = item.name
    if ex.message and item.label is not None:  # a member of a zip: name the zip too
        text_message = ex.message.replace(file_name(Path(item.path)), name, 1)
    rec = Received(
        data=data,
        original_name=name,
        received_at=datetime.now().isoformat(timespec="seconds"),
        status=ex.status,
        unit_code=ex.unit_code,
        reason=ex.reason,
        message=text_message,
        raw_name=item.raw_name,
        rows=ex.rows,
    )
    sub = ledger.record(rec)
    unit = units.get(ex.unit_code or "")
    if ex.status == REFUSED:
        return shown, REFUSED, text_message, unit, sub, ()
    assert unit is not None
    if sub.status == UNTOUCHED:
        text = message("INGEST-UNTOUCHED", unit=unit.name, path=name)
        if before is not None and before.status != UNTOUCHED:
            text += "\n" + message("INGEST-UNTOUCHED-KEPT", unit=unit.name, old=before.original_name)
        return shown, RECORDED, text, unit, sub, ()
    text = message("INGEST-RECORDED", unit=unit.name, path=name, status=_status_text(sub.status),
                   errors=sub.error_count, warnings=sub.warning_count)
    superseded: tuple[Submission, ...] = ()
    if before is not None:
        superseded = (before,)
        text += "\n" + message("INGEST-SUPERSEDES", unit=unit.name, path=name, old=before.original_name)
    return shown, RECORDED, text, unit, sub, superseded


def _status_text(status: str) -> str:
    from nianbao.campaign.status import status_text

    return status_text(status)


def feedback_name(year: int, unit_name: str, unit_code: str = "") -> str:
    return template_name(year, unit_name, unit_code, suffix="_反馈.xlsx")


def _write_feedback(ws: Workspace, ledger: Ledger, units: dict[str, RosterUnit], ctx: IngestContext
                    ) -> tuple[dict[str, Path], list[str]]:
    """One feedback workbook per unit whose current return has errors, unless already written for it.

    A feedback that cannot be written (full disk, a folder in its place) is named in the problems and
    does not stop the others; the next run writes it.
    """
    out: dict[str, Path] = {}
    problems: list[str] = []
    previous = dict(ctx.previous)
    written = ledger.feedback_written()
    for current in ledger.needing_feedback():
        unit = units.get(current.unit_code or "")
        if unit is None:
            continue
        path = ws.feedback / feedback_name(ws.year, unit.name, unit.code)
        if written.get(current.id) == path.name and path.is_file():
            continue
        prev = previous.get(unit.code)
        try:
            write_feedback_for(ledger, current, path, _rebuild(prev) if prev else None,
                               deadline=ws.config.deadline, contact=ws.config.contact)
            ledger.mark_feedback(current.id, path.name)
        except NianbaoError as exc:
            problems.append(message("INGEST-FEEDBACK-FAILED", unit=unit.name, path=path, reason=clean(exc)))
            continue
        out[unit.code] = path
    return out, problems


def write_feedback_for(ledger: Ledger, sub: Submission, path: Path, previous: Report | None = None,
                       extra: Sequence[Finding] = (), *, deadline: str = "", contact: str = "") -> None:
    """The feedback workbook of a submission, from its original as kept in the ledger; ``extra``
    findings (the office's reason for sending it back) come first on its 问题清单."""
    from nianbao.model import write_atomic
    from nianbao.workbook.feedback import feedback_bytes

    loaded, result = load_and_check(ledger.original_path(sub), previous)
    result.findings[:0] = list(extra)
    write_atomic(path, feedback_bytes(loaded, result, deadline=deadline, contact=contact, previous=previous))


class _Progress:
    """The bar on stderr: files read of the files to read (a duplicate found drops out of the total)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled and total > 0
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn(message("INGEST-PROGRESS")), BarColumn(), MofNCompleteColumn(),
                                      console=Console(stderr=True), transient=False)
            self._progress.start()
            self._task = self._progress.add_task("ingest", total=self.total)
        return self

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def drop(self) -> None:
        self.total -= 1
        if self._progress is not None:
            self._progress.update(self._task, total=self.total)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _progress(enabled: bool, total: int) -> _Progress:
    return _Progress(enabled, total)
