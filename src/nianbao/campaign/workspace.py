"""Creating a collection campaign's workspace (``nianbao init``); see ``campaign/folder.py`` for the
folder itself (what it holds, opening it). Everything of the folder is re-exported here.
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from nianbao.campaign.folder import (
    CONFIG_NAME,
    CONFIG_SCHEMA,
    FOLDERS,
    LEDGER_NAME,
    ROSTER_NAME,
    Config,
    Workspace,
    WorkspaceError,
    _check_date,
    _remove_created,
    check_report_date,
    lock,
    make_directory,
    open_workspace,
    save_config,
    template_name,
)
from nianbao.campaign.ledger import Ledger
from nianbao.campaign.previous import load_previous
from nianbao.campaign.roster import RosterUnit, read_roster, unsafe_reason, write_roster
from nianbao.errors import UnusableInput
from nianbao.layout import LAYOUTS, default_layout_id, is_report_year
from nianbao.messages import message
from nianbao.model import write_atomic

__all__ = [
    "CONFIG_NAME", "CONFIG_SCHEMA", "FOLDERS", "LEDGER_NAME", "ROSTER_NAME", "Config", "Workspace",
    "WorkspaceError", "check_report_date", "init_workspace", "lock", "make_directory", "open_workspace",
    "save_config", "template_name",
]


def init_workspace(
    root: str | os.PathLike[str],
    *,
    year: int,
    roster: str | os.PathLike[str],
    office: str,
    office_code: str = "",
    layout_id: str | None = None,
    deadline: str = "",
    contact: str = "",
    previous: str | os.PathLike[str] | None = None,
    date: str = "",
    mail: dict[str, Any] | None = None,
) -> Workspace:
    """Create a workspace; everything is validated before anything is written."""
    path = Path(root)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise WorkspaceError("E-WS-EXISTS", path=str(path))
    if not is_report_year(year):
        raise WorkspaceError("E-YEAR", actual=year)
    layout = str(layout_id) if layout_id else default_layout_id(year)
    if layout not in LAYOUTS:
        raise WorkspaceError("E-WS-LAYOUT", actual=layout_id)
    office = (office or "").strip()
    bad = unsafe_reason(office) if office else message("WS-OFFICE-EMPTY")
    if bad:
        raise WorkspaceError("E-WS-OFFICE", actual=office, bad=bad)
    if deadline:
        _check_date(deadline)
    if date:
        date = check_report_date(date)
    units = read_roster(roster)
    previous_text = _check_previous(previous, year) if previous else ""

    config = Config(
        campaign=str(uuid.uuid4()),
        year=year,
        layout=layout,
        office=office,
        office_code=office_code.strip(),
        deadline=deadline,
        contact=contact.strip(),
        previous=previous_text,
        created=datetime.now().isoformat(timespec="seconds"),
        date=date,
        mail=dict(mail or {}),
    )
    return _create(path, config, units)


def _check_previous(previous: str | os.PathLike[str], year: int) -> str:
    """Last year's source (resolved), refused now when unusable or of another year than the one before,
    not in the middle of ``templates``."""
    prev = load_previous(previous)
    found = [(r.year, r.unit.name) for r in prev.reports] + ([prev.workspace] if prev.workspace else [])
    for found_year, unit in found:
        if found_year != year - 1:  # carry-forward and the cross-year checks need the year before
            raise UnusableInput("E-PREVIOUS-YEAR", path=str(previous), unit=unit, actual=found_year,
                                year=year, expected=year - 1)
    return str(Path(previous).resolve())


def _create(path: Path, config: Config, units: list[RosterUnit]) -> Workspace:
    """Write the checked workspace: folders, roster, ledger, and last the configuration."""
    created = make_directory(path)
    try:
        for folder in FOLDERS:
            make_directory(path / folder)
        write_roster(units, path / ROSTER_NAME)
        ws = Workspace(path, config)
        Ledger.create(ws.ledger_path, ws.originals, units).close()
        text = json.dumps(config.to_json(), ensure_ascii=False, indent=2) + "\n"
        write_atomic(path / CONFIG_NAME, text.encode("utf-8"))  # last: a workspace with a config is complete
    except BaseException:
        # nothing half-made is left: the folder is new (or was empty), so ``init`` can simply be run again
        _remove_created(path, created)
        raise
    return ws
