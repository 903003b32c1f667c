"""The statuses of a unit's return, declared once.

Each status has a stable code (ledger, ``--json``), a Chinese name (``messages.py``), the colours the
board uses, and what it means for the campaign: whether the unit counts as having returned its
report and whether its figures go into the roll-up. The board, ``--json``, ``--xlsx``, ``export-all``
and ``aggregate`` all read this table; a new status is one more line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from nianbao.messages import message

MISSING, UNTOUCHED, ERRORS, REJECTED, WARNINGS, ACCEPTED, PASSED, REFUSED = (
    "missing", "untouched", "errors", "rejected", "warnings", "accepted", "passed", "refused")


@dataclass(frozen=True)
class State:
    code: str
    message: str  # the code of its Chinese name in messages.py
    fill: str  # the board workbook's cell colour
    style: str  # the console's rich style
    returned: bool  # the unit has returned a real (filled in) report
    aggregated: bool  # its figures go into the roll-up
    always_counted: bool = True  # in the board's totals line even when no unit has it

    @property
    def name(self) -> str:
        return message(self.message)


# In the order of the board's totals line.
STATES: tuple[State, ...] = (
    State(PASSED, "STATUS-PASSED", "#C6EFCE", "green", True, True),
    State(ACCEPTED, "STATUS-ACCEPTED", "#A9D08E", "green", True, True, False),
    State(WARNINGS, "STATUS-WARNINGS", "#FFE699", "yellow", True, True),
    State(ERRORS, "STATUS-ERRORS", "#F8CBAD", "red", True, False),
    State(REJECTED, "STATUS-REJECTED", "#F4B084", "red", True, False, False),
    State(UNTOUCHED, "STATUS-UNTOUCHED", "#D9D9D9", "magenta", False, False, False),
    State(MISSING, "STATUS-MISSING", "#F2F2F2", "dim", False, False),
)
BY_CODE = {s.code: s for s in STATES}
AGGREGATED = tuple(s.code for s in STATES if s.aggregated)


def state(code: str) -> State:
    return BY_CODE[code]


def status_name(code: str) -> str:
    """The Chinese name of a status (``refused`` included: a file that was not taken in)."""
    if code == REFUSED:
        return message("STATUS-REFUSED")
    return BY_CODE[code].name
