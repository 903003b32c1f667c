"""The library API: what a Python user (a province's IT person, the web front end) calls.

Everything here is re-exported by :mod:`nianbao`; the command line calls the same functions.

* :func:`load` reads any source form into a :class:`Loaded` (report + reading findings).
* :func:`load_and_check` is the one "load, then apply every rule" sequence (``nianbao.rules``);
  :func:`check` is it for a caller who needs only the findings; :func:`check_loaded` the rules alone.
* :func:`import_report` reads a published annual report (web page, Word, PDF, spreadsheet, text).
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
from typing import TYPE_CHECKING, Any

from nianbao.errors import NianbaoError
from nianbao.findings import CheckResult
from nianbao.model import Loaded, Report
from nianbao.rules import check_loaded, load_and_check
from nianbao.sources import import_source, load_source

if TYPE_CHECKING:  # the campaign imports this module; it is imported here only when a workspace is used
    from nianbao.campaign import workspace as _ws
    from nianbao.sources.locate import Imported
    from nianbao.word.report import ReportOutcome
    from nianbao.word.style import Fonts

Source = str | os.PathLike[str]


def load(source: Source, *, year: int | None = None, unit: str | None = None) -> Loaded:
    """Read a report from any source form nianbao accepts (data file, returned workbook, …).

    ``year``/``unit``: what the file is expected to be; a mismatch is an error finding.
    Raises :class:`NianbaoError` (exit code 2) when the file cannot be used at all.
    """
    return load_source(source, expect_year=year, expect_unit=unit)


def check(source: Source | Loaded, previous: Source | Report | None = None, *,
          year: int | None = None, unit: str | None = None) -> CheckResult:
    """Read ``source`` and apply every rule; ``previous`` (last year) enables the cross-year checks."""
    return load_and_check(source, previous, year=year, unit=unit)[1]


def import_published(source: Source, *, layout: str | None = None, year: int | None = None,
                     unit: str | None = None) -> Imported:
    """A published report in any form, read by its labels: the report, its reading findings and
    where each value was read (for the ``nianbao/1`` data file: :func:`nianbao.sources.write_data_file`)."""
    return import_source(source, layout=layout, year=year, unit=unit)


def import_report(source: Source, *, layout: str | None = None, year: int | None = None,
                  unit: str | None = None) -> Report:
    """Read a published annual report (.html/.mhtml, .docx, .pdf, .xlsx/.ods/.xls, .txt) into a
    :class:`Report`: tables by their labels, unit and year from the title, the text by its headings.

    ``layout`` ("2019"/"2021") is found from the labels when not given; ``year`` is used when the
    title has none; ``unit`` replaces the title's. Raises :class:`NianbaoError` (exit code 2) when the
    file cannot be read. Numbers that cannot be read for certain are in ``Report.unreadable``.
    """
    return import_published(source, layout=layout, year=year, unit=unit).loaded.report


def write_feedback(source: Source, out: Source, *, previous: Source | None = None, deadline: str = "",
                   contact: str = "") -> CheckResult:
    """Check ``source`` (a returned workbook or a data file) and write the feedback workbook to ``out``:
    a fresh template prefilled with what was read, each problem cell marked, and a 问题清单 sheet."""
    from nianbao.files import check_output
    from nianbao.model import write_atomic
    from nianbao.workbook.feedback import feedback_bytes

    check_output(out, [source, previous], force=True)  # never onto an input
    prev = load(previous).report if previous is not None else None
    loaded, result = load_and_check(source, prev)
    data = feedback_bytes(loaded, result, deadline=deadline, contact=contact, previous=prev)
    write_atomic(Path(out), data)
    return result


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
    (the .docx converted by LibreOffice); another suffix is refused. With ``check_first`` a report
    with errors is refused (:class:`NianbaoError`, nothing written) unless ``draft`` is set; a draft
    carries a visible mark on its first page.
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


def report_from_source(source: Source, out: Source, *, draft: bool = False, final: bool = False,
                       date: str | None = None, fonts: Fonts | None = None, standard_sentences: bool = False,
                       templates: Source | None = None) -> ReportOutcome:
    """Read and check a data file or returned workbook, then write its report (what ``nianbao report`` does).

    Data with errors is refused (nothing written) unless ``draft``; an incomplete roll-up is always a
    draft unless ``final``, which is refused while a unit is left out or there is no 成文日期.
    ``date`` (YYYY-MM-DD) overrides the data's. The outcome says what was written and why not.
    """
    from nianbao.files import check_output
    from nianbao.publish import output_format, write_checked

    output_format(out)  # an unknown suffix is refused before anything is read or written
    check_output(out, [source, templates], force=True)  # never onto an input
    loaded = load(source)
    if date:
        loaded.report.date = date
    loaded, result = load_and_check(loaded)
    return write_checked(loaded, result, out, draft=draft, final=final, fonts=fonts,
                         standard_sentences=standard_sentences, templates=templates)


@dataclass(frozen=True)
class Workspace:
    """A collection campaign (one office, one year) in a folder: see ``nianbao init``."""

    inner: _ws.Workspace

    @classmethod
    def open(cls, root: Source | None = None) -> Workspace:
        """Open the workspace at ``root`` (default: the current folder)."""
        from nianbao.campaign.workspace import open_workspace

        return cls(open_workspace(root))

    @classmethod
    def create(cls, root: Source, *, year: int, roster: Source, office: str, **options: Any) -> Workspace:
        """Create a new workspace (see ``nianbao init`` for the options)."""
        from nianbao.campaign.workspace import init_workspace

        return cls(init_workspace(root, year=year, roster=roster, office=office, **options))

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
