"""A collection campaign's workspace: one folder holding everything of one office's year.

This module opens one; ``workspace.init_workspace`` creates one (it reads the previous year's
source, which reads a previous workspace through this module).

::

    DIR/
      nianbao.json     configuration: campaign id, year, layout, office, deadline, previous source
      roster.csv       the units (a validated copy of the roster given to ``init``)
      outbox/          templates to send, and 分发清单.csv
      inbox/           returned files to ingest
      feedback/        feedback workbooks for units whose return has errors
      reports/         the office's consolidated data file, workbook and .docx
      originals/       every received file, byte for byte, by content hash
      ledger.sqlite    the ledger
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from nianbao.campaign.ledger import Ledger
from nianbao.campaign.lock import workspace_lock
from nianbao.campaign.roster import RosterUnit, read_roster
from nianbao.errors import NianbaoError, OutputError, UnusableInput, exc_reason, os_reason
from nianbao.files import safe_file_name
from nianbao.layout import LAYOUTS
from nianbao.messages import message
from nianbao.model import Unit, write_atomic

CONFIG_NAME = "nianbao.json"
ROSTER_NAME = "roster.csv"
LEDGER_NAME = "ledger.sqlite"
FOLDERS = ("outbox", "inbox", "feedback", "reports", "originals")
CONFIG_SCHEMA = "nianbao-workspace/1"


class WorkspaceError(NianbaoError):
    """The workspace cannot be created or opened (exit code 2)."""


@dataclass(frozen=True)
class Config:
    campaign: str
    year: int
    layout: str
    office: str
    office_code: str = ""
    deadline: str = ""
    contact: str = ""  # the office's contact person and telephone, printed in every template
    previous: str = ""
    created: str = ""
    date: str = ""  # the report's 成文日期 (YYYY-MM-DD), used by aggregate and report when set
    mail: dict[str, Any] = field(default_factory=dict)  # mail settings (nianbao.mail.settings); never a password

    def to_json(self) -> dict[str, Any]:
        return {"schema": CONFIG_SCHEMA, **asdict(self)}


@dataclass(frozen=True)
class Workspace:
    root: Path
    config: Config

    # -- paths ---------------------------------------------------------------------------
    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def originals(self) -> Path:
        return self.root / "originals"

    @property
    def ledger_path(self) -> Path:
        return self.root / LEDGER_NAME

    # -- identity ------------------------------------------------------------------------
    @property
    def campaign(self) -> str:
        return self.config.campaign

    @property
    def year(self) -> int:
        return self.config.year

    @property
    def layout_id(self) -> str:
        return self.config.layout

    @property
    def office(self) -> Unit:
        return Unit(self.config.office, self.config.office_code)

    def units(self) -> list[RosterUnit]:
        return read_roster(self.root / ROSTER_NAME)

    def open_ledger(self) -> Ledger:
        return Ledger(self.ledger_path, self.originals)


def make_directory(path: Path) -> list[Path]:
    """Create ``path`` and its missing parents; returns those created (outermost first).

    An unwritable place raises ``OutputError`` (``E-MKDIR``) naming the folder, not an internal error.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()][::-1]
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError("E-MKDIR", path=str(path), reason=os_reason(exc)) from None
    return missing


def _remove_created(path: Path, created: list[Path]) -> None:
    import shutil

    if created:
        shutil.rmtree(created[0], ignore_errors=True)
    else:  # the folder existed (empty): empty it again
        for child in path.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def open_workspace(root: str | os.PathLike[str] | None = None) -> Workspace:
    """The workspace at ``root`` (default: the current directory)."""
    path = Path(root) if root is not None else Path.cwd()
    config_path = path / CONFIG_NAME
    if not config_path.is_file():
        raise WorkspaceError("E-WS-NOT-FOUND", path=str(path.resolve()), config=CONFIG_NAME)
    try:
        doc = json.loads(config_path.read_text(encoding="utf-8"))
        if doc.get("schema") != CONFIG_SCHEMA:
            raise ValueError(message("WS-CONFIG-SCHEMA", schema=CONFIG_SCHEMA))
        fields = {k: doc[k] for k in Config.__dataclass_fields__ if k in doc}
        config = Config(**fields)
        if config.layout not in LAYOUTS or not isinstance(config.year, int):
            raise ValueError(message("WS-CONFIG-YEAR-LAYOUT"))
        if config.date and not _is_date(config.date):
            raise ValueError(message("WS-CONFIG-DATE", date=config.date))
    except (OSError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise WorkspaceError("E-WS-CONFIG", path=str(config_path), reason=exc_reason(exc)) from None
    return Workspace(path, config)


def save_config(ws: Workspace, config: Config) -> Workspace:
    """Write a changed configuration (atomically) and return the workspace with it."""
    text = json.dumps(config.to_json(), ensure_ascii=False, indent=2) + "\n"
    write_atomic(ws.root / CONFIG_NAME, text.encode("utf-8"))
    return Workspace(ws.root, config)


def _check_date(text: str) -> None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise UnusableInput("E-WS-DEADLINE", actual=text)
    try:
        date.fromisoformat(text)
    except ValueError:
        raise UnusableInput("E-WS-DEADLINE", actual=text) from None


def _is_date(text: object) -> bool:
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_report_date(text: str) -> str:
    """A 成文日期 given on the command line: ``YYYY-MM-DD`` or ``UnusableInput`` (``E-DATE``, exit 2)."""
    if not _is_date(text.strip()):
        raise UnusableInput("E-DATE", actual=text)
    return text.strip()


def template_name(year: int, unit_name: str, unit_code: str = "", *, suffix: str = ".xlsx") -> str:
    """The file name of a unit's template (safe on Windows: names are checked by the roster).

    A name too long for a file system keeps its start, the unit code and a hash (``safe_file_name``).
    """
    return safe_file_name(f"{year}年政府信息公开工作年度报告_{unit_name}", suffix, code=unit_code)


def lock(ws: Workspace | str | os.PathLike[str], **kwargs: Any) -> Any:
    """The workspace lock as a context manager (see ``campaign/lock.py``): ``with lock(ws): …``."""
    return workspace_lock(ws.root if isinstance(ws, Workspace) else ws, **kwargs)
