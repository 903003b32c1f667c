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


def mail_config(*, mail_from: str | None = None, smtp: str | None = None, imap: str | None = None,
                user: str | None = None) -> dict[str, Any] | None:
    """Checked mail settings for ``Workspace.create(..., mail=…)`` (as ``nianbao init --mail-from
    --smtp --imap --mail-user``; ``host:port``, the port choosing SSL or STARTTLS); None when none is given."""
    from nianbao.mail.settings import MailSettings, configure

    def given(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    if not any(given(v) for v in (mail_from, smtp, imap, user)):
        return None
    return configure(MailSettings(), mail_from=given(mail_from), smtp=given(smtp), imap=given(imap),
                     user=given(user)).to_json()


def imported_data(imported: Imported) -> dict[str, Any]:
    """The ``nianbao/1`` data file (as a dict) of an imported report, as ``nianbao import -o`` writes it."""
    from nianbao.sources import data_file

    return data_file(imported)


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

    def aggregate(self, *, allow_incomplete: bool = False, text: Source | None = None,
                  date: str | None = None, final: bool = False) -> Any:
        """Roll up the accepted returns and write the office's data file, workbook and report.

        ``date``: the report's 成文日期 (YYYY-MM-DD; default the workspace's). ``final``: a formal
        report, refused (``NianbaoError``, exit code 1, nothing written) while any unit is left out
        or there is no 成文日期; without it an incomplete roll-up needs ``allow_incomplete`` and
        gives a draft.
        """
        from nianbao.campaign.aggregate import IncompleteError, roll_up
        from nianbao.campaign.workspace import check_report_date

        when = check_report_date(date) if date else None
        if final:
            _, missing, with_errors = self.readiness()
            left = [*missing, *with_errors]
            if left:
                raise IncompleteError("REPORT-FINAL-INCOMPLETE", count=len(left),
                                      units="、".join(u.name for u in left))
            if not (when or self.inner.config.date):
                raise IncompleteError("REPORT-FINAL-UNDATED")
            allow_incomplete = False
        return roll_up(self.inner, allow_incomplete=allow_incomplete,
                       text_source=Path(text) if text is not None else None, date=when)

    def lock(self, *, timeout: float | None = None, on_wait: Any = None) -> Any:
        """The workspace lock (a context manager): one process at a time changes the workspace.

        Another process holding it: ``on_wait(message)`` is called once, then this waits up to
        ``timeout`` seconds (default: as the commands do) and raises ``NianbaoError`` (E-WS-LOCKED).
        """
        from nianbao.campaign.lock import LOCK_TIMEOUT
        from nianbao.campaign.workspace import lock

        return lock(self.inner, timeout=LOCK_TIMEOUT if timeout is None else timeout, on_wait=on_wait)

    # -- mail (see ``nianbao send`` / ``fetch`` / ``config mail``) ----------------------------
    def mail_settings(self) -> Any:
        """The workspace's mail settings (no password: it is never stored)."""
        from nianbao.mail.settings import workspace_settings

        return workspace_settings(self.inner)

    def send(self, kind: str = "template", *, dry_run: bool = False, report: Any = None,
             ask_password: Any = None) -> Any:
        """Mail every unit its template (``kind="template"``), feedback (``"feedback"``) or a reminder
        (``"remind"``); ``dry_run`` only lists what would be sent; ``report(line)`` sees each unit's
        line. Without an SMTP server the messages are written as .eml files (as ``nianbao send``)."""
        from nianbao.mail.send import send

        return send(self.inner, self.mail_settings(), kind=kind, dry_run=dry_run, report=report,
                    ask_password=ask_password)

    def fetch(self, *, report: Any = None, ask_password: Any = None) -> Any:
        """Read new mail from the IMAP mailbox, save the attachments into ``inbox/`` and ingest them."""
        from nianbao.mail.fetch import fetch

        return fetch(self.inner, self.mail_settings(), report=report, ask_password=ask_password)

    # -- the office's review ------------------------------------------------------------
    def accept(self, unit: str, reason: str, *, override_errors: bool = False) -> Any:
        """Accept the unit's latest return (by code or full name) with a reason; see ``nianbao accept``."""
        from nianbao.campaign.review import accept

        return accept(self.inner, unit, reason, override_errors=override_errors)

    def reject(self, unit: str, reason: str) -> Any:
        """Send the unit's latest return back with a reason (and a feedback workbook); see ``nianbao reject``."""
        from nianbao.campaign.review import reject

        return reject(self.inner, unit, reason)

    def history(self, unit: str) -> Any:
        """Every submission of the unit with its findings and the office's decisions on it."""
        from nianbao.campaign.review import history

        return history(self.inner, unit)

    # -- what the web front end (and a script) reads and downloads ------------------------
    def unit(self, code: str) -> Any:
        """The roster unit with this code, or None."""
        return next((u for u in self.inner.units() if u.code == code), None)

    def submissions(self, unit_code: str | None = None) -> list[Any]:
        """Every submission in the ledger (refused and superseded ones too), oldest first."""
        with self.inner.open_ledger() as ledger:
            return list(ledger.submissions(unit_code))

    def submission(self, submission_id: int) -> Any:
        """One submission by its ledger id, or None."""
        with self.inner.open_ledger() as ledger:
            return ledger.get(submission_id)

    def findings(self, submission_id: int) -> list[Any]:
        """The findings recorded for a submission, in the order they were found."""
        with self.inner.open_ledger() as ledger:
            return list(ledger.findings(submission_id))

    def findings_grouped(self, submission_id: int) -> list[Any]:
        """The recorded findings as the CLI shows them (``present.Item``): one line per cause, its
        consequences under it, findings of one kind about many cells grouped into one line."""
        from nianbao.findings import Finding, Severity
        from nianbao.layout import get_layout
        from nianbao.present import present

        sub = self.submission(submission_id)
        findings = [Finding(f.rule, Severity(f.severity), f.message, f.keys, f.cells, f.expected, f.actual)
                    for f in self.findings(submission_id)]
        layout = get_layout(sub.layout) if sub is not None and sub.layout else None
        return present(findings, layout)

    def original(self, submission_id: int) -> Path:
        """Where the submission's original is kept (byte for byte); ``KeyError`` for an unknown id."""
        with self.inner.open_ledger() as ledger:
            sub = ledger.get(submission_id)
            if sub is None:
                raise KeyError(submission_id)
            return Path(ledger.original_path(sub))

    def write_feedback(self, submission_id: int, path: Source) -> Path:
        """Write the feedback workbook of a submission (from its kept original) to ``path``."""
        from nianbao.campaign.ingest import write_feedback_for

        with self.inner.open_ledger() as ledger:
            sub = ledger.get(submission_id)
            if sub is None or sub.status == "refused":
                raise KeyError(submission_id)
            write_feedback_for(ledger, sub, Path(path))
        return Path(path)

    def template_path(self, unit_code: str) -> Path | None:
        """The unit's fill-in workbook in ``outbox/`` (None when it has not been written yet)."""
        from nianbao.campaign.workspace import template_name

        unit = self.unit(unit_code)
        if unit is None:
            return None
        path = self.inner.outbox / template_name(self.year, unit.name)
        return path if path.is_file() else None

    def write_board(self, path: Source) -> Path:
        """The status board as a workbook (what ``nianbao status --xlsx`` writes)."""
        from nianbao.campaign.status import write_board_xlsx

        write_board_xlsx(self.status(), Path(path))
        return Path(path)

    def readiness(self) -> tuple[list[Any], list[Any], list[Any]]:
        """Before aggregating: (units whose return would be included, missing units, units with errors)."""
        from nianbao.campaign.aggregate import collect

        accepted, missing, with_errors = collect(self.inner)
        return [u for u, _ in accepted], missing, with_errors

    def compare(self, unit_code: str) -> Any:
        """The unit's current return against its report of last year (``compare.UnitComparison``:
        figures with their change and flags, narrative similarity), as ``nianbao compare`` shows it;
        None without last year's report or without a usable return."""
        from nianbao.campaign.previous import load_previous
        from nianbao.compare.run import compare_reports

        unit = self.unit(unit_code)
        if unit is None or not self.inner.config.previous:
            return None
        with self.inner.open_ledger() as ledger:
            sub = ledger.current(unit.code)
            if sub is None or not sub.layout or sub.year is None:
                return None
            report = ledger.report(sub.id)
        previous = load_previous(self.inner.config.previous).for_unit(unit)
        return compare_reports(report, previous) if previous is not None else None

    def write_rollup(self, path: Source) -> Path:
        """The last roll-up's report (from its data file in ``reports/``) in the format of ``path``'s
        suffix (.docx, .html, .pdf), marked as a draft when units were left out; ``KeyError`` when
        there has been no roll-up."""
        data = self.report_files().get(".json")
        if data is None:
            raise KeyError("rollup")
        report = load(data).report
        write_report(report, path, draft=bool(report.left_out), check_first=False)
        return Path(path)

    def report_files(self) -> dict[str, Path]:
        """The roll-up's outputs in ``reports/`` that exist, by suffix (``.docx``, ``.xlsx``, ``.json``)."""
        from nianbao.campaign.aggregate import output_stem

        stem = output_stem(self.inner)
        found = {s: self.inner.reports / f"{stem}{s}" for s in (".docx", ".xlsx", ".json")}
        return {s: p for s, p in found.items() if p.is_file()}
