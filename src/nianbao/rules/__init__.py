"""Every check of a report, in one shape: ``check(ctx: Context) -> Iterator[Finding]``.

* ``tables`` — the consistency rules (勾稽关系) of statutory-format.md on the tables;
* ``narrative`` — rule 8, the numbers the text states against the tables;
* ``plausibility`` — figures no unit can have, leaps from last year, required text;
* ``workbook`` — what only a unit's template workbook holds (its 基本信息).

Checks never print. :func:`check_report` applies them all, in the order of :data:`CHECKS`;
:func:`load_and_check` is the one "read a source, then check it" sequence (the library API, the
command line, ``ingest`` and the feedback and report writers all use it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from nianbao.findings import CheckResult, Finding
from nianbao.model import Loaded, Report
from nianbao.rules.context import Check, Context
from nianbao.rules.narrative import check_narrative
from nianbao.rules.plausibility import (
    JUMP_FACTOR,
    JUMP_MIN,
    MAX_AMOUNT,
    MAX_COUNT,
    TEXT_REQUIRED,
    check_magnitude,
    check_similar_to_previous,
    check_text_last_year,
    check_text_required,
    check_year_jump,
    implausible,
    limit_of,
)
from nianbao.rules.tables import (
    check_carry_over,
    check_equations,
    check_headings,
    check_in_force,
    check_previous_year,
)
from nianbao.rules.workbook import CONTACT_CELLS, check_contact
from nianbao.sources import load_source

CHECKS: list[Check] = [
    check_equations,
    check_carry_over,
    check_in_force,
    check_previous_year,
    check_similar_to_previous,
    check_headings,
    check_narrative,
    check_magnitude,
    check_year_jump,
    check_text_required,
    check_text_last_year,
    check_contact,
]


def check_report(report: Report, previous: Report | None = None,
                 findings: Iterable[Finding] = (), info: Mapping[str, str] | None = None) -> CheckResult:
    """Apply every check to a report. ``findings`` are those already made while reading it; ``info``:
    what a template workbook's 基本信息 holds (see :func:`check_loaded`)."""
    result = CheckResult(list(findings))
    ctx = Context(report, report.full_values(), previous, info)
    for check in CHECKS:
        result.findings.extend(check(ctx))
    return result


def check_loaded(loaded: Loaded, previous: Report | None = None) -> CheckResult:
    """Apply every check to a loaded report; its reading findings come first, and the 基本信息 of a
    template workbook a unit fills in is checked too (not a consolidated one: an office's roll-up has
    neither its own text nor a 填报人)."""
    meta = loaded.meta or {}
    info = meta if meta.get("layout") and meta.get("template_id") and not meta.get("members") else None
    return check_report(loaded.report, previous, loaded.findings, info)


def load_and_check(source: str | os.PathLike[str] | Loaded,
                   previous: str | os.PathLike[str] | Report | None = None, *,
                   year: int | None = None, unit: str | None = None) -> tuple[Loaded, CheckResult]:
    """Read ``source`` (unless already loaded) and apply every check: the report as read and the result.

    ``previous`` (last year, a source or a report) enables the cross-year checks; ``year``/``unit``:
    what the file is expected to be (a mismatch is an error finding).
    """
    loaded = source if isinstance(source, Loaded) else load_source(source, expect_year=year, expect_unit=unit)
    prev = previous if isinstance(previous, Report) or previous is None else load_source(previous).report
    return loaded, check_loaded(loaded, prev)


__all__ = [
    "CHECKS", "CONTACT_CELLS", "JUMP_FACTOR", "JUMP_MIN", "MAX_AMOUNT", "MAX_COUNT", "TEXT_REQUIRED", "Check",
    "Context", "check_carry_over", "check_contact", "check_equations", "check_headings", "check_in_force",
    "check_loaded", "check_magnitude", "check_narrative", "check_previous_year", "check_report", "check_similar_to_previous",
    "check_text_last_year", "check_text_required", "check_year_jump", "implausible", "limit_of",
    "load_and_check",
]
