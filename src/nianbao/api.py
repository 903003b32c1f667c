"""The library API: what a Python user (a province's IT person, the web front end) calls.

Everything here is re-exported by :mod:`nianbao`; the command line calls the same functions.

* :func:`load` reads any source form into a :class:`Loaded` (report + reading findings).
* :func:`check` reads and checks: the one "load, then apply every rule" sequence.
* :func:`write_template` / :func:`write_report` write the fill-in workbook and the finished report.
* :class:`Workspace` is a collection campaign: ``Workspace.open(dir)``, then ``.ingest()``,
  ``.status()``, ``.aggregate()``.

Every error nianbao raises on purpose is a :class:`NianbaoError` whose ``str()`` is the Chinese
message for the user and whose ``exit_code`` is what the command line exits with.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.campaign import workspace as _ws
from nianbao.errors import NianbaoError
from nianbao.findings import CheckResult
from nianbao.model import Loaded, Report
from nianbao.sources import load_source

Source = str | os.PathLike[str]


def load(source: Source, *, year: int | None = None, unit: str | None = None) -> Loaded:
    """Read a report from any source form nianbao accepts (data file, returned workbook, …).

    ``year``/``unit``: what the file is expected to be; a mismatch is an error finding.
    Raises :class:`NianbaoError` (exit code 2) when the file cannot be used at all.
    """
    return load_source(source, expect_year=year, expect_unit=unit)


def check_loaded(loaded: Loaded, previous: Report | None = None) -> CheckResult:
    """Apply every rule to a loaded report; its reading findings come first (and, as ``nianbao check``
    does, the 基本信息 of a template workbook)."""
    from nianbao.rules import check_loaded as check_with_info

    return check_with_info(loaded, previous)


def check(source: Source | Loaded, previous: Source | Report | None = None, *,
          year: int | None = None, unit: str | None = None) -> CheckResult:
    """Read ``source`` and apply every rule; ``previous`` (last year) enables the cross-year checks."""
    loaded = source if isinstance(source, Loaded) else load(source, year=year, unit=unit)
    prev = previous if isinstance(previous, Report) or previous is None else load(previous).report
    return check_loaded(loaded, prev)


def write_template(path: Source, *, year: int, unit_name: str, unit_code: str = "",
                   layout: str | None = None, data: Report | None = None,
                   password: str | None = None, deadline: str = "", contact: str = "") -> Path:
    """Write a locked fill-in workbook for one unit to ``path`` (atomically) and return the path.

    ``data`` prefills the inputs and text (e.g. last year's carried-forward figures).
    """
    from nianbao.layout import default_layout_id
    from nianbao.model import Unit
    from nianbao.workbook.writer import write_template as _write

    layout_id = layout or (data.layout.id if data is not None else default_layout_id(year))
    _write(Path(path), layout_id=layout_id, year=year, unit=Unit(unit_name, unit_code), report=data,
           password=password, deadline=deadline, contact=contact)
    return Path(path)


def write_report(report: Report | Loaded, path: Source, *, draft: bool = False,
                 check_first: bool = True) -> CheckResult:
    """Write the finished report to ``path`` and return the check result.

    The format follows the suffix: ``.docx`` (GB/T 9704), ``.html`` (the portal page) or ``.pdf``
    (the .docx converted by LibreOffice); another suffix is refused. With ``check_first`` a report with errors is refused (:class:`NianbaoError`, nothing written)
    unless ``draft`` is set; a draft carries a visible mark on its first page.
    """
    from nianbao.publish import output_format
    from nianbao.publish import write_output as _write

    output_format(path)  # an unknown suffix is refused before anything else
    loaded = report if isinstance(report, Loaded) else Loaded(report, [])
    result = check_loaded(loaded) if check_first else CheckResult(list(loaded.findings))
    if check_first and result.errors and not draft:
        raise NianbaoError("REPORT-REFUSED", errors=len(result.errors))
    _write(loaded.report, path, draft=draft, findings=result.findings)
    return result


@dataclass(frozen=True)
class Workspace:
    """A collection campaign (one office, one year) in a folder: see ``nianbao init``."""

    inner: _ws.Workspace

    @classmethod
    def open(cls, root: Source | None = None) -> Workspace:
        """Open the workspace at ``root`` (default: the current folder)."""
        return cls(_ws.open_workspace(root))

    @classmethod
    def create(cls, root: Source, *, year: int, roster: Source, office: str, **options: Any) -> Workspace:
        """Create a new workspace (see ``nianbao init`` for the options)."""
        return cls(_ws.init_workspace(root, year=year, roster=roster, office=office, **options))

    @property
    def root(self) -> Path:
        return self.inner.root

    @property
    def year(self) -> int:
        return self.inner.year

    @property
    def office(self) -> str:
        return self.inner.config.office

    def units(self) -> list[Any]:
        """The roster's units."""
        return self.inner.units()

    def templates(self) -> Any:
        """Write every unit's fill-in workbook into ``outbox/``: (what was written, the listing)."""
        from nianbao.campaign.distribute import make_templates

        return make_templates(self.inner)

    def ingest(self, sources: Sequence[Source] | None = None, *, jobs: int = 1) -> Any:
        """Receive returned files (default: everything in ``inbox/``); see ``nianbao ingest``."""
        from nianbao.campaign.ingest import ingest

        return ingest(self.inner, [Path(s) for s in sources] if sources else None, jobs=jobs, progress=False)

    def status(self) -> Any:
        """The status board: one line per unit."""
        from nianbao.campaign.status import build_board

        return build_board(self.inner)

    def aggregate(self, *, allow_incomplete: bool = False, text: Source | None = None) -> Any:
        """Roll up the accepted returns and write the office's data file, workbook and report."""
        from nianbao.campaign.aggregate import roll_up

        return roll_up(self.inner, allow_incomplete=allow_incomplete,
                       text_source=Path(text) if text is not None else None)
