"""The office's review: accept a unit's latest return (despite warnings, or despite errors with an
explicit override), or send it back; and one unit's whole history.

Every decision is a ledger row (``Ledger.decide``): who (the OS user), when, why, and which
submission. A newer return of the unit is a new submission, so it is undecided again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nianbao.campaign.ingest import feedback_name, match_unit, write_feedback_for
from nianbao.campaign.ledger import ACCEPT, REJECT, Decision, StoredFinding, Submission, UnitState
from nianbao.campaign.roster import RosterUnit
from nianbao.campaign.states import ERRORS, UNTOUCHED
from nianbao.campaign.workspace import Workspace
from nianbao.display import short_time
from nianbao.errors import NianbaoError, UnusableInput
from nianbao.findings import warning


class ReviewRefused(NianbaoError):
    """The return cannot be accepted as asked (it has errors, or is untouched): exit code 1."""

    exit_code = 1


@dataclass
class Reviewed:
    unit: RosterUnit
    submission: Submission
    decision: Decision
    feedback: Path | None = None


def find_unit(ws: Workspace, text: str) -> RosterUnit:
    """The roster unit named by its code or its name; ``UnusableInput`` (exit 2) when there is none."""
    unit = match_unit(ws.units(), text.strip(), text)
    if unit is None:
        raise UnusableInput("REVIEW-NO-UNIT", unit=text)
    return unit


def _current(ws: Workspace, unit: RosterUnit) -> Submission:
    with ws.open_ledger() as ledger:
        sub = ledger.current(unit.code)
    if sub is None:
        raise UnusableInput("REVIEW-NOTHING", unit=unit.name)
    return sub


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise UnusableInput("REVIEW-REASON")
    return text


def accept(ws: Workspace, unit_text: str, reason: str, *, override_errors: bool = False) -> Reviewed:
    """Accept the unit's latest return; one with errors only with ``override_errors``."""
    why = _reason(reason)
    unit = find_unit(ws, unit_text)
    sub = _current(ws, unit)
    if sub.status == UNTOUCHED:
        raise ReviewRefused("REVIEW-UNTOUCHED", unit=unit.name, path=sub.original_name)
    if sub.status == ERRORS and not override_errors:
        raise ReviewRefused("REVIEW-HAS-ERRORS", unit=unit.name, path=sub.original_name, errors=sub.error_count)
    with ws.open_ledger() as ledger:
        d = ledger.decide(sub, ACCEPT, why, override_errors=override_errors and sub.status == ERRORS)
    return Reviewed(unit, sub, d)


def reject(ws: Workspace, unit_text: str, reason: str) -> Reviewed:
    """Send the unit's latest return back: status 已退回, and a feedback workbook whose 问题清单 starts
    with the reason (none for an untouched return, which has nothing to mark)."""
    from nianbao.campaign.ingest import _rebuild, context_for

    why = _reason(reason)
    unit = find_unit(ws, unit_text)
    sub = _current(ws, unit)
    with ws.open_ledger() as ledger:
        d = ledger.decide(sub, REJECT, why)
        path: Path | None = None
        if sub.status != UNTOUCHED and sub.layout:
            previous = dict(context_for(ws).previous).get(unit.code)
            note = warning("OFFICE-REJECTED", who=d.decided_by, when=short_time(d.decided_at), reason=why)
            path = ws.feedback / feedback_name(ws.year, unit.name, unit.code)
            write_feedback_for(ledger, sub, path, _rebuild(previous) if previous else None, extra=[note],
                               deadline=ws.config.deadline, contact=ws.config.contact)
            ledger.mark_feedback(sub.id, path.name)  # ingest does not write it again (without the reason)
    return Reviewed(unit, sub, d, path)


@dataclass
class HistoryItem:
    submission: Submission
    findings: list[StoredFinding] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


@dataclass
class History:
    unit: RosterUnit
    state: UnitState
    items: list[HistoryItem]


def history(ws: Workspace, unit_text: str) -> History:
    """Every submission of the unit (refused ones included), oldest first, with findings and decisions."""
    unit = find_unit(ws, unit_text)
    with ws.open_ledger() as ledger:
        decisions = ledger.decisions(unit.code)
        items = [HistoryItem(s, ledger.findings(s.id), [d for d in decisions if d.submission_id == s.id])
                 for s in ledger.submissions(unit.code)]
        state = ledger.unit_state(unit.code)
    return History(unit, state, items)


__all__ = ["ACCEPT", "REJECT", "History", "ReviewRefused", "Reviewed", "accept", "find_unit", "history", "reject"]
