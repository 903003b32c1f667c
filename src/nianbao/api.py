"""The library API: what a Python user (a province's IT person, the web front end) calls.

:mod:`nianbao` re-exports the main names (``nianbao.__all__``); the command line calls only this
module (tests/test_cli_api.py holds it to that), so a script and a command never disagree.

* :func:`load` reads any source form into a :class:`Loaded` (report + reading findings).
* :func:`load_and_check` is the one "load, then apply every rule" sequence (``nianbao.rules``);
  :func:`check` is it for a caller who needs only the findings; :func:`check_loaded` the rules alone.
* :func:`import_report` reads a published annual report (web page, Word, PDF, spreadsheet, text).
* :func:`write_template` / :func:`write_report` write the fill-in workbook and the finished report.
* :class:`Workspace` is a collection campaign: ``Workspace.open(dir)``, then ``.ingest()``,
  ``.status()``, ``.aggregate()``, the office's ``.accept()``/``.reject()``, mail ``.send()``/``.fetch()``.
* Typed results: :class:`CheckResult`/:class:`Finding`, :class:`IngestResult`, :class:`Board`,
  :class:`RollUp`, :class:`Reviewed`, :class:`History`, :class:`SendResult`, :class:`Comparison`, …
  (those of the campaign, mail and comparison are imported on first use: see :data:`LAZY`).

Every error nianbao raises on purpose is a :class:`NianbaoError` whose ``str()`` is the Chinese
message for the user and whose ``exit_code`` is what the command line exits with.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import date as _date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nianbao.errors import DataFileError, NianbaoError, OutputError, UnusableInput
from nianbao.findings import CheckResult, Finding, Severity
from nianbao.layout import LAYOUT_IDS, Layout, get_layout
from nianbao.model import Loaded, Report, Unit, save_report
from nianbao.rules import check_loaded, load_and_check
from nianbao.sources import import_source, load_source
from nianbao.values import show

# Result types and display helpers of the parts a caller may never use (the campaign, mail, the
# comparison, the Word report): imported when first asked for (``nianbao.api.Board``), so that
# ``import nianbao`` stays light. Name -> the module that defines it; the block under
# TYPE_CHECKING says the same for type checkers (tests/test_cli_api.py checks that they agree).
LAZY: dict[str, str] = {
    # the campaign
    "BOARD_COLUMNS": "nianbao.campaign.status",
    "Board": "nianbao.campaign.status",
    "BoardLine": "nianbao.campaign.status",
    "chase_text": "nianbao.campaign.status",
    "decision_json": "nianbao.campaign.status",
    "Config": "nianbao.campaign.folder",
    "Decision": "nianbao.campaign.ledger",
    "DemoResult": "nianbao.campaign.demo",
    "Distributed": "nianbao.campaign.distribute",
    "History": "nianbao.campaign.review",
    "HistoryItem": "nianbao.campaign.review",
    "IngestResult": "nianbao.campaign.ingest",
    "Reviewed": "nianbao.campaign.review",
    "RollUp": "nianbao.campaign.aggregate",
    "RosterUnit": "nianbao.campaign.roster",
    "STATES": "nianbao.campaign.states",
    "State": "nianbao.campaign.states",
    "status_name": "nianbao.campaign.states",
    "StoredFinding": "nianbao.campaign.ledger",
    "Submission": "nianbao.campaign.ledger",
    # mail
    "FetchResult": "nianbao.mail.fetch",
    "MailError": "nianbao.mail.settings",
    "MailSettings": "nianbao.mail.settings",
    "SendResult": "nianbao.mail.send",
    "SendLine": "nianbao.mail.send",
    # this year against last year
    "Comparison": "nianbao.compare.run",
    "UnitComparison": "nianbao.compare.run",
    "LEVEL_TEXT": "nianbao.compare.xlsx",
    "copy_text": "nianbao.compare.xlsx",
    "unit_label": "nianbao.compare.xlsx",
    "NOTE": "nianbao.compare.similarity",
    "WARNING": "nianbao.compare.similarity",
    "WARN_AT": "nianbao.compare.similarity",
    # reading, presenting, writing
    "Fonts": "nianbao.word.style",
    "Imported": "nianbao.sources.locate",
    "Item": "nianbao.present",
    "present": "nianbao.present",
    "ReportOutcome": "nianbao.word.report",
    "TemplateMeta": "nianbao.workbook.meta",
}

if TYPE_CHECKING:
    from nianbao.campaign import workspace as _ws
    from nianbao.campaign.aggregate import RollUp as RollUp
    from nianbao.campaign.demo import DemoResult as DemoResult
    from nianbao.campaign.distribute import Distributed as Distributed
    from nianbao.campaign.folder import Config as Config
    from nianbao.campaign.ingest import IngestResult as IngestResult
    from nianbao.campaign.ledger import Decision as Decision
    from nianbao.campaign.ledger import StoredFinding as StoredFinding
    from nianbao.campaign.ledger import Submission as Submission
    from nianbao.campaign.review import History as History
    from nianbao.campaign.review import HistoryItem as HistoryItem
    from nianbao.campaign.review import Reviewed as Reviewed
    from nianbao.campaign.roster import RosterUnit as RosterUnit
    from nianbao.campaign.states import STATES as STATES
    from nianbao.campaign.states import State as State
    from nianbao.campaign.states import status_name as status_name
    from nianbao.campaign.status import BOARD_COLUMNS as BOARD_COLUMNS
    from nianbao.campaign.status import Board as Board
    from nianbao.campaign.status import BoardLine as BoardLine
    from nianbao.campaign.status import chase_text as chase_text
    from nianbao.campaign.status import decision_json as decision_json
    from nianbao.compare.run import Comparison as Comparison
    from nianbao.compare.run import UnitComparison as UnitComparison
    from nianbao.compare.similarity import NOTE as NOTE
    from nianbao.compare.similarity import WARN_AT as WARN_AT
    from nianbao.compare.similarity import WARNING as WARNING
    from nianbao.compare.xlsx import LEVEL_TEXT as LEVEL_TEXT
    from nianbao.compare.xlsx import copy_text as copy_text
    from nianbao.compare.xlsx import unit_label as unit_label
    from nianbao.mail.fetch import FetchResult as FetchResult
    from nianbao.mail.send import SendLine as SendLine
    from nianbao.mail.send import SendResult as SendResult
    from nianbao.mail.settings import MailError as MailError
    from nianbao.mail.settings import MailSettings as MailSettings
    from nianbao.present import Item as Item
    from nianbao.present import present as present
    from nianbao.sources.locate import Imported as Imported
    from nianbao.word.report import ReportOutcome as ReportOutcome
    from nianbao.word.style import Fonts as Fonts
    from nianbao.workbook.meta import TemplateMeta as TemplateMeta


def __getattr__(name: str) -> Any:
    """A name of :data:`LAZY`, imported on first use."""
    module = LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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


def make_template(path: Source, *, year: int, unit_name: str, unit_code: str = "", layout: str | None = None,
                  data: Source | None = None, password: str | None = None) -> TemplateMeta:
    """What ``nianbao template`` does: ``data`` is a data file (its inputs may be partial, e.g. last
    year's carried-forward figures) or a returned workbook; the layout is ``layout``, else the data's,
    else the year's. Nothing is written when the data is unusable. The result says what was written
    (``.year``, ``.layout``, ``.unit_name``)."""
    from nianbao.workbook.writer import template_from_options

    return template_from_options(Path(path), year=year, unit_name=unit_name, unit_code=unit_code,
                                 layout_id=layout, data=Path(data) if data is not None else None,
                                 password=password)


def unusual_year(year: int) -> bool:
    """A report year after the first annual reports (2008) that is neither this year nor the previous
    one: most likely a typing error, worth a warning (``nianbao template`` gives one)."""
    from nianbao.layout import FIRST_REPORT_YEAR
    from nianbao.layout import unusual_year as _unusual

    return _unusual(year) and year >= FIRST_REPORT_YEAR


def check_report_date(text: str) -> str:
    """A 成文日期 as a user typed it: ``YYYY-MM-DD`` (stripped), else :class:`NianbaoError` (exit code 2)."""
    from nianbao.campaign.folder import check_report_date as _check

    return _check(text)


def parse_since(text: str) -> _date:
    """The date of ``nianbao fetch --since`` (``YYYY-M-D``), else ``MailError`` (exit code 2)."""
    from nianbao.mail.fetch import parse_since as _parse

    return _parse(text)


def empty_sections(report: Report) -> list[str]:
    """The headings of the text sections the report leaves empty (the report still shows them)."""
    from nianbao.word.report import empty_sections as _empty

    return _empty(report)


def compare_reports(this: Source | Report, previous: Source | Report) -> Comparison:
    """One report against last year's (figures with their change and flags, narrative similarity),
    as ``nianbao compare THIS PREVIOUS``; either may be any source form or a :class:`Report`."""
    from nianbao.compare.run import Comparison
    from nianbao.compare.run import compare_reports as _compare

    def report_of(source: Source | Report) -> Report:
        return source if isinstance(source, Report) else load(source).report

    return Comparison([_compare(report_of(this), report_of(previous))])


def write_comparison(result: Comparison, path: Source) -> Path:
    """A comparison as a workbook (a summary sheet and the details, A4 landscape), as ``compare --xlsx``."""
    from nianbao.compare.xlsx import write_comparison_xlsx

    write_comparison_xlsx(result, Path(path))
    return Path(path)


def configure_mail(base: MailSettings | None = None, *, mail_from: str | None = None, smtp: str | None = None,
                   imap: str | None = None, user: str | None = None, ssl: bool = False, starttls: bool = False,
                   plain: bool = False, pace: float | None = None, ca_file: str | None = None,
                   folder: str | None = None) -> MailSettings:
    """Mail settings: ``base`` (default: none yet) with what is given changed, all checked
    (``MailError``, exit code 2). ``smtp``/``imap`` are ``host[:port]``, the port choosing SSL or
    STARTTLS unless ``ssl``/``starttls``/``plain`` says; ``.to_json()`` is what a workspace keeps."""
    from nianbao.mail.settings import MailSettings, configure

    return configure(base or MailSettings(), mail_from=mail_from, smtp=smtp, imap=imap, user=user, ssl=ssl,
                     starttls=starttls, plain=plain, pace=pace, ca_file=ca_file, folder=folder)


def describe_mail(settings: MailSettings) -> list[tuple[str, str]]:
    """Mail settings for people: (label, value) lines, as ``nianbao config mail`` shows them."""
    from nianbao.mail.settings import describe

    return describe(settings)


def mail_config(*, mail_from: str | None = None, smtp: str | None = None, imap: str | None = None,
                user: str | None = None) -> dict[str, Any] | None:
    """Checked mail settings for ``Workspace.create(..., mail=…)`` from a form (blank fields are not
    given; see :func:`configure_mail`); None when none is given."""

    def given(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    if not any(given(v) for v in (mail_from, smtp, imap, user)):
        return None
    return configure_mail(mail_from=given(mail_from), smtp=given(smtp), imap=given(imap), user=given(user)).to_json()


def imported_data(imported: Imported) -> dict[str, Any]:
    """The ``nianbao/1`` data file (as a dict) of an imported report, as ``nianbao import -o`` writes it."""
    from nianbao.sources import data_file

    return data_file(imported)


def write_imported_data(imported: Imported, path: Source) -> Path:
    """Write the ``nianbao/1`` data file of an imported report to ``path`` (atomically)."""
    from nianbao.sources import write_data_file

    write_data_file(imported, path)
    return Path(path)


def run_demo(directory: Source | None = None, *, step: Callable[[str, Any], None] | None = None) -> DemoResult:
    """The whole collection loop on the bundled samples in ``directory`` (default: a new temporary
    folder), as ``nianbao demo``; ``step(text, payload)`` sees each step (payload: an
    :class:`IngestResult`, a :class:`Board` or None)."""
    from nianbao.campaign.demo import run_demo as _run

    return _run(directory, step=step)


def serve(workspace: Source | None = None, *, host: str = "127.0.0.1", port: int = 8765,
          password: str | None = None, browser: bool = True, say: Callable[[str], None] = print) -> None:
    """Run the local web front end (``nianbao serve``) until interrupted; ``say(line)`` sees what it reports."""
    from nianbao.web.server import serve as _serve

    _serve(Path(workspace) if workspace is not None else None, host=host, port=port, password=password,
           browser=browser, say=say)


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
        """Create a new workspace (see ``nianbao init`` for the options: ``office_code``, ``layout_id``,
        ``deadline``, ``contact``, ``previous``, ``date``, ``mail`` (see :func:`configure_mail`))."""
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

    @property
    def config(self) -> Config:
        """The workspace's configuration (``nianbao.json``): office, deadline, contact, date, campaign id, …"""
        return self.inner.config

    @property
    def layout(self) -> Layout:
        """The report layout of the campaign's year."""
        return get_layout(self.inner.layout_id)

    @property
    def outbox(self) -> Path:
        """Where the units' templates are written (``outbox/``)."""
        return self.inner.outbox

    def own_files(self) -> list[Path]:
        """The files that are the workspace (ledger, configuration, roster): no output may replace one."""
        from nianbao.campaign.workspace import CONFIG_NAME, ROSTER_NAME

        return [self.inner.ledger_path, self.root / CONFIG_NAME, self.root / ROSTER_NAME]

    def units(self) -> list[RosterUnit]:
        """The roster's units."""
        return self.inner.units()

    def templates(self) -> tuple[list[Distributed], Path]:
        """Write every unit's fill-in workbook into ``outbox/``: (what was written, the listing)."""
        from nianbao.campaign.distribute import make_templates

        return make_templates(self.inner)

    def ingest(self, sources: Sequence[Source] | None = None, *, jobs: int = 1, progress: bool = False,
               feedback: bool = True, on_wait: Callable[[str], None] | None = None) -> IngestResult:
        """Receive returned files (default: everything in ``inbox/``); see ``nianbao ingest``.

        ``progress``: a progress bar on stderr; ``feedback``: write feedback workbooks for units with
        errors; ``on_wait(message)``: called once when another process holds the workspace."""
        from nianbao.campaign.ingest import ingest

        return ingest(self.inner, [Path(s) for s in sources] if sources else None, jobs=jobs, progress=progress,
                      feedback=feedback, on_wait=on_wait)

    def status(self) -> Board:
        """The status board: one line per unit."""
        from nianbao.campaign.status import build_board

        return build_board(self.inner)

    def aggregate(self, *, allow_incomplete: bool = False, text: Source | None = None,
                  date: str | None = None, final: bool = False) -> RollUp:
        """Roll up the accepted returns and write the office's data file, workbook and report.

        ``date``: the report's 成文日期 (YYYY-MM-DD; default the workspace's). ``final``: a formal
        report, refused (``NianbaoError``, exit code 1, nothing written) while any unit is left out
        or there is no 成文日期; without it an incomplete roll-up needs ``allow_incomplete`` and
        gives a draft.
        """
        from nianbao.campaign.aggregate import IncompleteError, roll_up

        when = check_report_date(date) if date is not None else None
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

    def export(self, path: Source) -> Path:
        """Every unit × every key in one .xlsx or .csv (``nianbao export-all``); text that a spreadsheet
        would run as a formula is quoted."""
        from nianbao.campaign.export import export_workspace

        return export_workspace(self.inner, Path(path))

    def lock(self, *, timeout: float | None = None,
             on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[None]:
        """The workspace lock (a context manager): one process at a time changes the workspace.

        Another process holding it: ``on_wait(message)`` is called once, then this waits up to
        ``timeout`` seconds (default: as the commands do) and raises ``NianbaoError`` (E-WS-LOCKED).
        """
        from nianbao.campaign.lock import LOCK_TIMEOUT
        from nianbao.campaign.workspace import lock

        return lock(self.inner, timeout=LOCK_TIMEOUT if timeout is None else timeout, on_wait=on_wait)

    # -- mail (see ``nianbao send`` / ``fetch`` / ``config mail``) ----------------------------
    def mail_settings(self) -> MailSettings:
        """The workspace's mail settings (no password: it is never stored)."""
        from nianbao.mail.settings import workspace_settings

        return workspace_settings(self.inner)

    def configure_mail(self, **changes: Any) -> Workspace:
        """Change the mail settings (the options of :func:`configure_mail`), save them in
        ``nianbao.json`` (atomically) and return the workspace with them."""
        from nianbao.campaign.workspace import save_config

        new = configure_mail(self.mail_settings(), **changes)
        return Workspace(save_config(self.inner, replace(self.inner.config, mail=new.to_json())))

    def write_mail_template(self) -> Path:
        """Copy the built-in mail template (subjects and bodies) into the workspace to be edited;
        ``MailError`` when the workspace has one already."""
        from nianbao.mail.compose import WORKSPACE_TEMPLATE, default_template_text
        from nianbao.mail.settings import MailError
        from nianbao.model import write_atomic

        path = self.root / WORKSPACE_TEMPLATE
        if path.exists():
            raise MailError("E-MAIL-TEMPLATE-EXISTS", path=path)
        write_atomic(path, default_template_text().encode("utf-8"))
        return path

    def send(self, kind: str = "template", *, resend: Sequence[str] = (), eml_dir: Source | None = None,
             dry_run: bool = False, pace: float | None = None, report: Callable[[SendLine], None] | None = None,
             ask_password: Callable[[str], str] | None = None) -> SendResult:
        """Mail every unit its template (``kind="template"``), feedback (``"feedback"``) or a reminder
        (``"remind"``); ``resend``: units (code or name) sent to again; ``eml_dir``: write .eml files
        there instead of sending; ``dry_run`` only lists what would be sent; ``pace``: seconds between
        messages; ``report(line)`` sees each unit's line. Without an SMTP server the messages are
        written as .eml files (as ``nianbao send``)."""
        from nianbao.mail.send import send

        return send(self.inner, self.mail_settings(), kind=kind, resend=resend,
                    eml_dir=Path(eml_dir) if eml_dir is not None else None, dry_run=dry_run, pace=pace,
                    report=report, ask_password=ask_password)

    def fetch(self, *, since: _date | None = None, ingest: bool = True, report: Callable[[str], None] | None = None,
              ask_password: Callable[[str], str] | None = None) -> FetchResult:
        """Read new mail (since ``since``, default the campaign's start) from the IMAP mailbox, save
        the attachments into ``inbox/`` and (unless ``ingest=False``) ingest them."""
        from nianbao.mail.fetch import fetch

        return fetch(self.inner, self.mail_settings(), since=since, ingest=ingest, report=report,
                     ask_password=ask_password)

    # -- the office's review ------------------------------------------------------------
    def accept(self, unit: str, reason: str, *, override_errors: bool = False) -> Reviewed:
        """Accept the unit's latest return (by code or full name) with a reason; see ``nianbao accept``."""
        from nianbao.campaign.review import accept

        return accept(self.inner, unit, reason, override_errors=override_errors)

    def reject(self, unit: str, reason: str) -> Reviewed:
        """Send the unit's latest return back with a reason (and a feedback workbook); see ``nianbao reject``."""
        from nianbao.campaign.review import reject

        return reject(self.inner, unit, reason)

    def history(self, unit: str) -> History:
        """Every submission of the unit with its findings and the office's decisions on it."""
        from nianbao.campaign.review import history

        return history(self.inner, unit)

    # -- what the web front end (and a script) reads and downloads ------------------------
    def unit(self, code: str) -> RosterUnit | None:
        """The roster unit with this code, or None."""
        return next((u for u in self.inner.units() if u.code == code), None)

    def submissions(self, unit_code: str | None = None) -> list[Submission]:
        """Every submission in the ledger (refused and superseded ones too), oldest first."""
        with self.inner.open_ledger() as ledger:
            return list(ledger.submissions(unit_code))

    def submission(self, submission_id: int) -> Submission | None:
        """One submission by its ledger id, or None."""
        with self.inner.open_ledger() as ledger:
            return ledger.get(submission_id)

    def findings(self, submission_id: int) -> list[StoredFinding]:
        """The findings recorded for a submission, in the order they were found."""
        with self.inner.open_ledger() as ledger:
            return list(ledger.findings(submission_id))

    def findings_grouped(self, submission_id: int) -> list[Item]:
        """The recorded findings as the CLI shows them (``present.Item``): one line per cause, its
        consequences under it, findings of one kind about many cells grouped into one line."""
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

    def write_board(self, path: Source, board: Board | None = None) -> Path:
        """The status board (``board``, default: as it is now) as a workbook (what ``nianbao status
        --xlsx`` writes)."""
        from nianbao.campaign.status import write_board_xlsx

        write_board_xlsx(board if board is not None else self.status(), Path(path))
        return Path(path)

    def readiness(self) -> tuple[list[RosterUnit], list[RosterUnit], list[RosterUnit]]:
        """Before aggregating: (units whose return would be included, missing units, units with errors)."""
        from nianbao.campaign.aggregate import collect

        accepted, missing, with_errors = collect(self.inner)
        return [u for u, _ in accepted], missing, with_errors

    def compare(self, unit_code: str) -> UnitComparison | None:
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

    def comparison(self) -> Comparison:
        """Every unit's current return and the roll-up against last year, copied text between units,
        and each parent's table against its units' (``nianbao compare`` without files)."""
        from nianbao.compare.run import compare_workspace

        return compare_workspace(self.inner)

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


__all__ = [
    "LAYOUT_IDS", "CheckResult", "DataFileError", "Finding", "OutputError", "UnusableInput", "Layout", "Loaded", "NianbaoError", "Report", "Severity", "Source",
    "Unit", "Workspace", "check", "check_loaded", "check_report_date", "compare_reports", "configure_mail",
    "describe_mail", "empty_sections", "get_layout", "import_published", "import_report", "imported_data", "load",
    "load_and_check", "mail_config", "make_template", "parse_since", "report_from_source", "run_demo",
    "save_report", "serve", "show", "unusual_year", "write_comparison", "write_feedback", "write_imported_data",
    "write_report", "write_template", *sorted(LAZY),
]
