"""nianbao (年报): the statutory annual report on government information disclosure.

The library API (the command line and the web front end call the same functions)::

    import nianbao

    result = nianbao.check("returns/司法局.xlsx")       # any source form
    for finding in result.errors:
        print(finding.message)

    ws = nianbao.Workspace.open("2025年报")             # a collection campaign
    ws.ingest()
    board = ws.status()

The results are typed: ``CheckResult`` and ``Finding`` here; those of a campaign (``IngestResult``,
``Board``, ``RollUp``, ``Reviewed``, ``History``, ``Submission``, ``Decision``), of mail
(``SendResult``, ``FetchResult``, ``MailSettings``) and of a comparison (``Comparison``) are
imported on first use (``nianbao.IngestResult``). Everything else is in ``nianbao.api``.

See docs/api.md for the whole API and a worked example.
"""

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from nianbao.api import (
    CheckResult,
    DataFileError,
    Finding,
    Loaded,
    NianbaoError,
    OutputError,
    Report,
    Severity,
    Unit,
    UnusableInput,
    Workspace,
    check,
    check_loaded,
    compare_reports,
    configure_mail,
    import_published,
    import_report,
    load,
    load_and_check,
    write_feedback,
    write_report,
    write_template,
)

if TYPE_CHECKING:
    from nianbao.api import Board as Board
    from nianbao.api import BoardLine as BoardLine
    from nianbao.api import Comparison as Comparison
    from nianbao.api import Decision as Decision
    from nianbao.api import FetchResult as FetchResult
    from nianbao.api import History as History
    from nianbao.api import IngestResult as IngestResult
    from nianbao.api import MailError as MailError
    from nianbao.api import MailSettings as MailSettings
    from nianbao.api import Reviewed as Reviewed
    from nianbao.api import RollUp as RollUp
    from nianbao.api import RosterUnit as RosterUnit
    from nianbao.api import SendResult as SendResult
    from nianbao.api import Submission as Submission
    from nianbao.api import UnitComparison as UnitComparison


def __getattr__(name: str) -> Any:
    """The result types of the campaign, mail and comparison (``nianbao.api.LAZY``), imported on first use."""
    from nianbao import api

    if name in api.LAZY:
        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Board",
    "BoardLine",
    "CheckResult",
    "Comparison",
    "DataFileError",
    "Decision",
    "FetchResult",
    "Finding",
    "History",
    "IngestResult",
    "Loaded",
    "MailError",
    "MailSettings",
    "NianbaoError",
    "OutputError",
    "Report",
    "Reviewed",
    "RollUp",
    "RosterUnit",
    "SendResult",
    "Severity",
    "Submission",
    "Unit",
    "UnitComparison",
    "UnusableInput",
    "Workspace",
    "__version__",
    "check",
    "check_loaded",
    "compare_reports",
    "configure_mail",
    "import_published",
    "import_report",
    "load",
    "load_and_check",
    "write_feedback",
    "write_report",
    "write_template",
]
