"""nianbao (年报): the statutory annual report on government information disclosure.

The library API (the command line and the web front end call the same functions)::

    import nianbao

    result = nianbao.check("returns/司法局.xlsx")       # any source form
    for finding in result.errors:
        print(finding.message)

    ws = nianbao.Workspace.open("2025年报")             # a collection campaign
    ws.ingest()
    board = ws.status()

See docs/api.md for a worked example.
"""

__version__ = "0.1.0"

from nianbao.api import (
    Workspace,
    check,
    check_loaded,
    import_report,
    load,
    load_and_check,
    write_feedback,
    write_report,
    write_template,
)
from nianbao.errors import DataFileError, NianbaoError, OutputError, UnusableInput
from nianbao.findings import CheckResult, Finding, Severity
from nianbao.model import Loaded, Report, Unit

__all__ = [
    "CheckResult",
    "DataFileError",
    "Finding",
    "Loaded",
    "NianbaoError",
    "OutputError",
    "Report",
    "Severity",
    "Unit",
    "UnusableInput",
    "Workspace",
    "__version__",
    "check",
    "check_loaded",
    "import_report",
    "load",
    "load_and_check",
    "write_feedback",
    "write_report",
    "write_template",
]
