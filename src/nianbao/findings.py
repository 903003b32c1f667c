"""Typed findings: what a check says about a report or a workbook."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from nianbao.messages import MESSAGES, SEVERITY_TEXT, message
from nianbao.values import show


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    keys: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "keys": list(self.keys),
            "cells": list(self.cells),
            "expected": _jsonable(self.expected),
            "actual": _jsonable(self.actual),
            "message": self.message,
        }


def make(
    rule: str,
    severity: Severity,
    *,
    keys: Iterable[str] = (),
    cells: Iterable[str] = (),
    expected: Any = None,
    actual: Any = None,
    **fmt: Any,
) -> Finding:
    """Build a finding whose Chinese message comes from ``messages.py`` under ``rule``."""
    return Finding(
        rule=rule,
        severity=severity,
        message=message(rule, expected=_show(expected), actual=_show(actual),
                        **{k: _show(v) for k, v in fmt.items()}),
        keys=tuple(keys),
        cells=tuple(cells),
        expected=expected,
        actual=actual,
    )


def error(rule: str, **kw: Any) -> Finding:
    return make(rule, Severity.ERROR, **kw)


def warning(rule: str, **kw: Any) -> Finding:
    return make(rule, Severity.WARNING, **kw)


@dataclass
class CheckResult:
    """All findings about one report or workbook, in the order they were found."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def rules(self) -> list[str]:
        return [f.rule for f in self.findings]

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }


def severity_text(sev: Severity) -> str:
    return SEVERITY_TEXT[sev.value]


def rule_name(rule: str) -> str:
    """The Chinese name of a rule, for what a clerk reads (codes are for machines)."""
    return MESSAGES.get(f"NAME-{rule}") or MESSAGES["NAME-OTHER"]


def _show(value: Any) -> Any:
    """A number in a message as everywhere else (``values.show``: ``0.12``, never ``0.120`` or ``1E+1``)."""
    return show(value) if isinstance(value, Decimal) else value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
