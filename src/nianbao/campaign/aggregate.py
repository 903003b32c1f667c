"""The office's figures: the sum of the latest accepted submission of every unit.

``aggregate`` is a pure function over reports. ``roll_up`` applies it to a workspace: it lists the
units that are missing or whose current return has errors, refuses to go on while there are any
(unless ``allow_incomplete``), and writes the consolidated data file, the consolidated workbook (the
same template, listing its member units, so the office one level up can ingest it like any other
return) and the .docx report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from nianbao.campaign.folder import Workspace
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import state
from nianbao.errors import NianbaoError, os_reason
from nianbao.layout import Kind, Layout, get_layout
from nianbao.messages import message
from nianbao.model import Report, Unit, save_report
from nianbao.values import Number


class IncompleteError(NianbaoError):
    """Units are missing or have errors, and an incomplete roll-up was not allowed (exit code 1)."""

    exit_code = 1


class NothingToAggregate(NianbaoError):
    exit_code = 1


def aggregate(reports: Sequence[Report], layout: Layout, year: int, unit: Unit) -> Report:
    """Sum the inputs of ``reports`` (amounts exactly, as Decimal); totals recomputed from the sums.

    Every report must use ``layout``: a 2019 and a 2021 table do not add up key by key.
    """
    values: dict[str, Number] = {}
    for key in layout.inputs:
        zero: Number = Decimal(0) if layout.fields[key].kind is Kind.AMOUNT else 0
        values[key] = zero
    for r in reports:
        if r.layout.id != layout.id:
            raise ValueError(f"{r.unit.name}: layout {r.layout.id} != {layout.id}")
        for key in layout.inputs:
            v = r.values.get(key, 0)
            values[key] = values[key] + v
    members = [r.unit for r in reports]
    return Report(layout, year, unit, values, members=members).resolved()


@dataclass
class RollUp:
    report: Report
    included: list[RosterUnit]
    missing: list[RosterUnit] = field(default_factory=list)
    with_errors: list[RosterUnit] = field(default_factory=list)
    data_file: Path | None = None
    workbook: Path | None = None
    docx: Path | None = None
    notes: list[str] = field(default_factory=list)  # figures of older ledger rows left out, and why

    @property
    def complete(self) -> bool:
        return not self.missing and not self.with_errors


def collect(ws: Workspace, notes: list[str] | None = None
            ) -> tuple[list[tuple[RosterUnit, Report]], list[RosterUnit], list[RosterUnit]]:
    """(accepted unit reports, missing units, units whose current return has errors or was sent back).

    Accepted: passed, warnings only, or accepted by the office (states.py). Missing: nothing sent, or
    only an untouched template. A ledger row of an older version holding a figure no unit can have
    (``10^400``) counts as having errors; ``notes`` gets a message naming it.
    """
    from nianbao.rules import implausible

    accepted: list[tuple[RosterUnit, Report]] = []
    missing: list[RosterUnit] = []
    with_errors: list[RosterUnit] = []
    with ws.open_ledger() as ledger:
        for unit in ledger.units():
            st = ledger.unit_state(unit.code)
            if st.submission is None or not state(st.status).returned:
                missing.append(unit)
            elif not state(st.status).aggregated:
                with_errors.append(unit)
            else:
                report = ledger.report(st.submission.id)
                bad = implausible(report.layout, report.values)
                if bad:
                    with_errors.append(unit)
                    if notes is not None:
                        detail = "；".join(message("AGG-IMPLAUSIBLE-ITEM", what=report.layout.describe(k),
                                                   cell=report.layout.cell(k), value=_short(report.values[k]))
                                           for k in bad[:3])
                        notes.append(message("AGG-IMPLAUSIBLE", unit=unit.name, detail=detail))
                    continue
                accepted.append((unit, report))
    return accepted, missing, with_errors


def _short(value: Number) -> str:
    from nianbao.values import show

    text = show(value)
    return text if len(text) <= 20 else message("NUMBER-ABBREVIATED", head=text[:6], digits=len(text))


def output_stem(ws: Workspace) -> str:
    from nianbao.files import MAX_NAME_BYTES, safe_file_name

    # the longest suffix is ".docx" / ".json" / ".xlsx" (5 bytes): the stem fits with any of them
    return safe_file_name(f"{ws.year}年政府信息公开工作年度报告_{ws.config.office}_汇总", "",
                          code=ws.config.office_code, limit=MAX_NAME_BYTES - 5)


def roll_up(ws: Workspace, *, allow_incomplete: bool = False, text_source: Path | None = None,
            write_outputs: bool = True, date: str | None = None) -> RollUp:
    """Aggregate the workspace and write the consolidated data file, workbook and .docx to ``reports/``.

    ``text_source``: a data file whose narrative (一、五、六 …) goes into the office's report.
    ``date``: the report's 成文日期 (default: the workspace's ``date``, else the text source's).
    """
    if not write_outputs:
        return _roll_up(ws, allow_incomplete, text_source, write_outputs, date)
    from nianbao.campaign.lock import workspace_lock

    with workspace_lock(ws.root):
        recover_outputs(ws)  # a run killed while switching outputs is completed, its staging removed
        return _roll_up(ws, allow_incomplete, text_source, write_outputs, date)


def _roll_up(ws: Workspace, allow_incomplete: bool, text_source: Path | None, write_outputs: bool,
             date: str | None) -> RollUp:
    notes: list[str] = []
    accepted, missing, with_errors = collect(ws, notes)
    if (missing or with_errors) and not allow_incomplete:
        raise IncompleteError("AGG-INCOMPLETE", missing_count=len(missing), error_count=len(with_errors),
                              missing=_names(missing), with_errors=_names(with_errors),
                              notes="".join("\n" + n for n in notes))
    if not accepted:
        raise NothingToAggregate("AGG-NOTHING")
    layout = get_layout(ws.layout_id)
    report = aggregate([r for _, r in accepted], layout, ws.year, ws.office)
    # members as the roster names them (codes included), not as typed in the files
    report.members = [Unit(u.name, u.code) for u, _ in accepted]
    report.missing = [Unit(u.name, u.code) for u in missing]
    report.excluded = [Unit(u.name, u.code) for u in with_errors]
    if text_source is not None:
        from nianbao.sources import load_source

        src = load_source(text_source).report
        report.text = dict(src.text)
        report.headings = dict(src.headings)
        report.date = src.date or report.date
    report.date = date or ws.config.date or report.date
    result = RollUp(report, [u for u, _ in accepted], missing, with_errors, notes=notes)
    if write_outputs:
        _write_outputs(ws, result)
    return result


STAGING_PREFIX = ".aggregate-"
READY_PREFIX = ".aggregate-ready-"


def _write_outputs(ws: Workspace, result: RollUp) -> None:
    """The three outputs change together or not at all.

    They are made in a hidden staging folder of ``reports/``; when all three are there, ONE rename
    marks the folder ready (the switch); then each is moved into place. A run killed before the switch
    leaves the previous complete set and a staging folder, which the next run removes; a run killed
    after it is completed by the next run (``recover_outputs``) before anything else, so the three
    files in ``reports/`` are always of one generation once a command has looked at them.
    """
    import shutil
    import tempfile

    from nianbao.errors import OutputError

    stem = output_stem(ws)
    report = result.report
    try:
        ws.reports.mkdir(parents=True, exist_ok=True)
        staging: Path | None = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=ws.reports))
    except OSError as exc:
        raise OutputError("E-WRITE", path=str(ws.reports), reason=os_reason(exc)) from None
    try:
        assert staging is not None
        save_report(report, staging / f"{stem}.json")

        from nianbao.workbook.writer import write_template

        # No campaign id: the office one level up runs its own campaign, and identifies this workbook
        # by its unit (the office) and year, like a template it did not send itself.
        write_template(staging / f"{stem}.xlsx", layout_id=ws.layout_id, year=ws.year, unit=report.unit,
                       report=report, deadline=ws.config.deadline, members=list(report.members),
                       left_out=[*report.missing, *report.excluded])

        from nianbao.word.report import write_report

        write_report(report, staging / f"{stem}.docx", draft=not result.complete)
        ready = staging.with_name(READY_PREFIX + staging.name[len(STAGING_PREFIX):])
        try:
            staging.rename(ready)  # the switch: from here on the new set is the one
        except OSError as exc:
            raise OutputError("E-WRITE", path=str(ws.reports), reason=os_reason(exc)) from None
        # A failure while moving leaves the ready set for the next run to complete, never a mixed set.
        staging = None
        _move_into_place(ready, ws.reports)
        shutil.rmtree(ready, ignore_errors=True)
        result.data_file, result.workbook, result.docx = (ws.reports / f"{stem}{suffix}"
                                                          for suffix in (".json", ".xlsx", ".docx"))
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def recover_outputs(ws: Workspace) -> None:
    """Finish or undo an interrupted ``aggregate``: a ready set is moved into place, a staging folder
    that never got ready is removed. Call with the workspace lock held."""
    import shutil

    if not ws.reports.is_dir():
        return
    for folder in sorted(ws.reports.glob(STAGING_PREFIX + "*")):
        if not folder.is_dir():
            continue
        if folder.name.startswith(READY_PREFIX):
            _move_into_place(folder, ws.reports)
        shutil.rmtree(folder, ignore_errors=True)


def _move_into_place(ready: Path, reports: Path) -> None:
    import os

    from nianbao.errors import OutputError

    for f in sorted(ready.iterdir()):
        if f.name.startswith("."):
            continue  # a temporary file of write_atomic
        target = reports / f.name
        try:
            os.replace(f, target)
        except OSError as exc:
            raise OutputError("E-WRITE", path=str(target), reason=os_reason(exc)) from None


def _names(units: Sequence[RosterUnit]) -> str:
    return "、".join(u.name for u in units) or "无"
