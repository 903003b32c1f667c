"""Taking returns in: identify each file by what it says it is, check it, record it in the ledger.

A file is identified by its hidden metadata (and its unit and year), never by its name: clerks
rename attachments. Files of another year, of another workspace's campaign or of a unit not on the
roster are refused with a message saying so, and the refusal is recorded too. Reading and checking
(the slow part) can run in a process pool (``jobs``); the ledger is written by this process only,
one transaction per file, in the order the files arrived (modification time, then name), so a
later file of a unit supersedes an earlier one.
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from nianbao.campaign.ledger import ERRORS, PASSED, REFUSED, UNTOUCHED, WARNINGS, Ledger, Received, Submission
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.workspace import CONFIG_NAME, ROSTER_NAME, Workspace, template_name
from nianbao.errors import NianbaoError, UnusableInput
from nianbao.findings import Finding, warning
from nianbao.layout import get_layout
from nianbao.messages import message
from nianbao.model import Report, Unit

INGEST_SUFFIXES = (".xlsx", ".xlsm", ".json", ".xls", ".et", ".ett", ".ods", ".csv")
MAX_JOBS = 64

RECORDED, DUPLICATE = "recorded", "duplicate"


# ------------------------------------------------------------------------------------------
# Examining one file (runs in a worker process when jobs > 1: everything here is picklable)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a worker needs to identify and check a file."""

    year: int
    layout_id: str
    campaign: str
    units: tuple[RosterUnit, ...]
    previous: tuple[tuple[str, Any], ...] = ()  # (unit code, report as plain data)


@dataclass
class Examined:
    path: str
    status: str
    unit_code: str | None = None
    reason: str = ""
    message: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    report: tuple[Any, ...] | None = None  # plain form of a Report (see _plain / _rebuild)
    findings: list[Finding] = field(default_factory=list)


def examine(path: str, ctx: Context) -> Examined:
    """Read, identify and check one file. Unusable or foreign files come back as refused."""
    from nianbao.rules import check_loaded

    p = Path(path)
    try:
        loaded = _load(p)
    except NianbaoError as exc:
        return Examined(path, REFUSED, reason="INGEST-UNUSABLE",
                        message=message("INGEST-UNUSABLE", path=p.name, reason=str(exc)))
    except Exception as exc:  # a reader bug on one odd file must not stop the whole batch
        return Examined(path, REFUSED, reason="INGEST-UNUSABLE",
                        message=message("INGEST-UNUSABLE", path=p.name, reason=f"{type(exc).__name__}: {exc}"))
    report = loaded.report
    meta = {k: str(v) for k, v in (loaded.meta or {}).items()}
    meta.setdefault("year", str(report.year))
    meta.setdefault("layout", report.layout.id)
    meta.setdefault("unit_name", report.unit.name)
    campaign = meta.get("campaign", "")
    unit = match_unit(ctx.units, meta.get("unit_code") or report.unit.code, report.unit.name)

    def refuse(code: str, **fields: Any) -> Examined:
        return Examined(path, REFUSED, unit.code if unit else None, code, message(code, path=p.name, **fields),
                        meta)

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
    previous = dict(ctx.previous).get(unit.code)
    if _untouched(report, _rebuild(previous) if previous else None, ctx):
        # one line for the unit, not a hint per empty cell
        return Examined(path, UNTOUCHED, unit.code, meta=meta, report=_plain(report),
                        findings=[warning("RETURN-UNTOUCHED", path=p.name)])
    result = check_loaded(loaded, _rebuild(previous) if previous else None)
    status = ERRORS if result.errors else WARNINGS if result.warnings else PASSED
    return Examined(path, status, unit.code, meta=meta, report=_plain(report), findings=list(result.findings))


def _untouched(report: Report, previous: Report | None, ctx: Context) -> bool:
    from nianbao.model import is_untouched

    prefill = None
    if previous is not None:
        from nianbao.carry import carry_forward

        prefill = carry_forward(previous, ctx.year, report.unit, ctx.layout_id)
    return is_untouched(report, prefill)


def _load(p: Path) -> Any:
    if p.suffix.lower() == ".json":
        from nianbao.model import load_report

        return load_report(p)
    from nianbao.workbook.reader import read_workbook

    return read_workbook(p)


def match_unit(units: Iterable[RosterUnit], code: str, name: str) -> RosterUnit | None:
    """The roster unit a file belongs to: by code, else by name (compared after NFKC, no spaces)."""
    units = list(units)
    if code:
        for u in units:
            if u.code == code:
                return u
    wanted = _name_key(name)
    for u in units:
        if _name_key(u.name) == wanted:
            return u
    return None


def _name_key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _plain(report: Report) -> tuple[Any, ...]:
    return (report.layout.id, report.year, report.unit.name, report.unit.code, dict(report.values),
            dict(report.text), dict(report.headings), report.title, report.date,
            [(m.name, m.code) for m in report.members])


def _rebuild(plain: tuple[Any, ...]) -> Report:
    layout_id, year, name, code, values, text, headings, title, date, members = plain
    return Report(get_layout(layout_id), year, Unit(name, code), dict(values), dict(text), dict(headings),
                  title, date, [Unit(n, c) for n, c in members])


_WORKER_CONTEXT: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = ctx


def _examine_in_worker(path: str) -> Examined:
    assert _WORKER_CONTEXT is not None
    return examine(path, _WORKER_CONTEXT)


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


@dataclass
class IngestResult:
    outcomes: list[Outcome] = field(default_factory=list)
    feedback: dict[str, Path] = field(default_factory=dict)  # unit code → feedback workbook

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def summary(self) -> str:
        return message("INGEST-SUMMARY", files=len(self.outcomes), recorded=self.count(RECORDED),
                       duplicates=self.count(DUPLICATE), refused=self.count(REFUSED))

    @property
    def exit_code(self) -> int:
        """1 when a file was refused or a recorded return has errors, else 0."""
        bad = any(o.action == REFUSED or (o.submission is not None and o.action == RECORDED
                                          and o.submission.status in (ERRORS, UNTOUCHED)) for o in self.outcomes)
        return 1 if bad else 0


def find_files(ws: Workspace, sources: Sequence[str | Path] | None) -> list[Path]:
    """The files to ingest, in the order they arrived (modification time, then name)."""
    roots = [Path(s) for s in sources] if sources else [ws.inbox]
    # A folder given (``ingest .`` in the workspace) never yields the workspace's own files: its blank
    # templates, feedback, roll-up and kept originals would otherwise be recorded as returns.
    own = [ws.root / name for name in ("outbox", "feedback", "reports", "originals")]
    own_files = {(ws.root / name).resolve() for name in (CONFIG_NAME, ROSTER_NAME)}
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(f for f in root.rglob("*") if f.is_file() and _wanted(f)
                         and not _inside_any(f, own) and f.resolve() not in own_files)
        elif root.is_file():
            files.append(root)
        else:
            raise UnusableInput("E-INGEST-PATH", path=str(root))
    if not files:
        raise UnusableInput("E-INGEST-NOTHING", path="、".join(str(r) for r in roots))
    unique = list(dict.fromkeys(f.resolve() for f in files))
    return sorted(unique, key=lambda f: (f.stat().st_mtime, f.name))


def _inside_any(f: Path, folders: Sequence[Path]) -> bool:
    resolved = f.resolve()
    return any(resolved.is_relative_to(folder.resolve()) for folder in folders)


def _wanted(f: Path) -> bool:
    return f.suffix.lower() in INGEST_SUFFIXES and not f.name.startswith((".", "~$"))


def context_for(ws: Workspace) -> Context:
    units = tuple(ws.units())
    previous: list[tuple[str, Any]] = []
    if ws.config.previous:
        from nianbao.campaign.previous import load_previous

        prev = load_previous(ws.config.previous)
        for u in units:
            r = prev.for_unit(u)
            if r is not None:
                previous.append((u.code, _plain(r)))
    return Context(ws.year, ws.layout_id, ws.campaign, units, tuple(previous))


def ingest(ws: Workspace, sources: Sequence[str | Path] | None = None, *, jobs: int = 1,
           progress: bool | None = None, feedback: bool = True) -> IngestResult:
    """Ingest files (default: everything in ``inbox/``) into the workspace's ledger."""
    if not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise UnusableInput("E-INGEST-JOBS", actual=jobs)
    files = find_files(ws, sources)
    ctx = context_for(ws)
    units = {u.code: u for u in ctx.units}
    result = IngestResult()
    show_progress = sys.stderr.isatty() if progress is None else progress

    with ws.open_ledger() as ledger:
        # Duplicates (already in the ledger, or twice in this batch) are not read again.
        seen: dict[str, str] = {}
        slots: list[Outcome | None] = []
        todo: list[tuple[int, Path]] = []  # no file contents: memory must not grow with the batch
        for f in files:
            sha = _file_sha256(f)
            earlier = ledger.find_by_hash(sha)
            first = earlier.original_name if earlier else seen.get(sha)
            if first is not None:
                code = "INGEST-DUPLICATE-REFUSED" if earlier and earlier.status == REFUSED else "INGEST-DUPLICATE"
                slots.append(Outcome(f, DUPLICATE, message(code, path=f.name, first=first),
                                     units.get(earlier.unit_code or "") if earlier else None, earlier))
                continue
            seen[sha] = f.name
            todo.append((len(slots), f))
            slots.append(None)

        with _progress(show_progress, len(todo)) as advance:
            examined_all = _examine_all([str(f) for _, f in todo], ctx, jobs)
            for (i, f), examined in zip(todo, examined_all, strict=True):
                slots[i] = _record(ledger, f, _read(f), examined, units)
                advance()
        result.outcomes = [o for o in slots if o is not None]

        if feedback:
            result.feedback = _write_feedback(ws, ledger, result, ctx)
    return result


def _read(path: Path) -> bytes:
    """The file's bytes at recording time; a file removed meanwhile stops the batch (those before stay)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnusableInput("E-FILE-READ", path=str(path), reason=exc.strerror or str(exc)) from None


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _examine_all(paths: list[str], ctx: Context, jobs: int) -> Iterator[Examined]:
    if jobs == 1 or len(paths) <= 1:
        for p in paths:
            yield examine(p, ctx)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_init_worker,
                             initargs=(ctx,)) as pool:
        yield from pool.map(_examine_in_worker, paths)


def _record(ledger: Ledger, f: Path, data: bytes, ex: Examined, units: dict[str, RosterUnit]) -> Outcome:
    before = ledger.current(ex.unit_code) if ex.unit_code and ex.status != REFUSED else None
    rec = Received(
        data=data,
        original_name=f.name,
        received_at=datetime.now().isoformat(timespec="seconds"),
        status=ex.status,
        unit_code=ex.unit_code,
        report=_rebuild(ex.report) if ex.report else None,
        findings=ex.findings,
        meta=ex.meta,
        reason=ex.reason,
        message=ex.message,
    )
    sub = ledger.record(rec)
    unit = units.get(ex.unit_code or "")
    if ex.status == REFUSED:
        return Outcome(f, REFUSED, ex.message, unit, sub)
    assert unit is not None
    if sub.status == UNTOUCHED:
        text = message("INGEST-UNTOUCHED", unit=unit.name, path=f.name)
        if before is not None and before.status != UNTOUCHED:
            text += "\n" + message("INGEST-UNTOUCHED-KEPT", unit=unit.name, old=before.original_name)
        return Outcome(f, RECORDED, text, unit, sub)
    text = message("INGEST-RECORDED", unit=unit.name, path=f.name, status=_status_text(sub.status),
                   errors=sub.error_count, warnings=sub.warning_count)
    superseded: tuple[Submission, ...] = ()
    if before is not None:
        superseded = (before,)
        text += "\n" + message("INGEST-SUPERSEDES", unit=unit.name, path=f.name, old=before.original_name)
    return Outcome(f, RECORDED, text, unit, sub, superseded)


def _status_text(status: str) -> str:
    from nianbao.campaign.status import status_text

    return status_text(status)


def feedback_name(year: int, unit_name: str) -> str:
    return template_name(year, unit_name).removesuffix(".xlsx") + "_反馈.xlsx"


def _write_feedback(ws: Workspace, ledger: Ledger, result: IngestResult, ctx: Context) -> dict[str, Path]:
    """One feedback workbook per unit whose current return (received now) has errors."""
    out: dict[str, Path] = {}
    previous = dict(ctx.previous)
    for o in result.outcomes:
        if o.action != RECORDED or o.unit is None or o.submission is None:
            continue
        current = ledger.current(o.unit.code)
        if current is None or current.id != o.submission.id or current.status != ERRORS:
            continue
        path = ws.feedback / feedback_name(ws.year, o.unit.name)
        prev = previous.get(o.unit.code)
        write_feedback_for(ledger, current, path, _rebuild(prev) if prev else None)
        out[o.unit.code] = path
    return out


def write_feedback_for(ledger: Ledger, sub: Submission, path: Path, previous: Report | None = None,
                       extra: Sequence[Finding] = ()) -> None:
    """The feedback workbook of a submission, from its original as kept in the ledger; ``extra``
    findings (the office's reason for sending it back) come first on its 问题清单."""
    from nianbao.model import write_atomic
    from nianbao.rules import check_loaded
    from nianbao.sources import load_source
    from nianbao.workbook.feedback import feedback_bytes

    loaded = load_source(ledger.original_path(sub))
    result = check_loaded(loaded, previous)
    result.findings[:0] = list(extra)
    write_atomic(path, feedback_bytes(loaded, result))


class _Progress:
    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled and total > 0
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[], None]:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn("接收中"), BarColumn(), MofNCompleteColumn(),
                                      console=Console(stderr=True), transient=False)
            self._progress.start()
            self._task = self._progress.add_task("ingest", total=self.total)
        return self.advance

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _progress(enabled: bool, total: int) -> _Progress:
    return _Progress(enabled, total)
