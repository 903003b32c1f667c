"""Last year's figures, for carry-forward (二、上年结转) and the cross-year warnings.

A previous source is one of: last year's workspace (its units' current accepted submissions, and
the office's roll-up of them), a consolidated workbook or data file (one report, usually the
office's), or a folder of data files / workbooks (one report per unit).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.campaign.aggregate import aggregate
from nianbao.campaign.folder import CONFIG_NAME, open_workspace
from nianbao.campaign.states import state
from nianbao.errors import NianbaoError, UnusableInput
from nianbao.messages import message
from nianbao.model import Report, Unit, unit_key
from nianbao.sources import load_source

SOURCE_SUFFIXES = (".json", ".xlsx", ".xlsm", ".html", ".htm", ".mhtml", ".docx", ".pdf", ".ods", ".xls", ".txt")


@dataclass
class Previous:
    reports: list[Report] = field(default_factory=list)
    workspace: tuple[int, str] | None = None  # (year, office) when the source is a workspace

    def for_unit(self, unit: Unit | object) -> Report | None:
        """The report of ``unit`` (matched by code, then by name as ``model.unit_key`` compares it)."""
        code = getattr(unit, "code", "")
        name = getattr(unit, "name", "")
        if code:
            for r in self.reports:
                if r.unit.code and r.unit.code == code:
                    return r
        wanted = unit_key(name)
        for r in self.reports:
            if unit_key(r.unit.name) == wanted:
                return r
        return None


def load_previous(source: str | os.PathLike[str]) -> Previous:
    """Read a previous source; raises ``UnusableInput`` (``E-PREVIOUS``) naming it."""
    p = Path(source)
    if not p.exists():
        raise UnusableInput("E-PREVIOUS", path=str(p), reason=message("PREVIOUS-NOT-FOUND"))
    try:
        if p.is_dir():
            if (p / CONFIG_NAME).is_file():
                return _from_workspace(p)
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in SOURCE_SUFFIXES
                           and not f.name.startswith((".", "~$")))
            if not files:
                raise UnusableInput("E-PREVIOUS", path=str(p), reason=message("PREVIOUS-EMPTY-DIR"))
            return Previous([_load(f) for f in files])
        return Previous([_load(p)])
    except NianbaoError as exc:
        if exc.code == "E-PREVIOUS":
            raise
        raise UnusableInput("E-PREVIOUS", path=str(p), reason=str(exc)) from None


def _load(path: Path) -> Report:
    return load_source(path).report


def _from_workspace(path: Path) -> Previous:
    ws = open_workspace(path)
    reports: list[Report] = []
    with ws.open_ledger() as ledger:
        for unit in ledger.units():
            st = ledger.unit_state(unit.code)  # passed, warnings only, or accepted by the office
            if st.submission is not None and state(st.status).aggregated:
                reports.append(ledger.report(st.submission.id))
    out = Previous(reports, (ws.year, ws.config.office))
    if reports:
        from nianbao.layout import get_layout

        out.reports.append(aggregate(reports, get_layout(ws.layout_id), ws.year, ws.office))
    return out
