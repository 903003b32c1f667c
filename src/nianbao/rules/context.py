"""What every check is given: the report, its values with the totals, last year's report, and the
基本信息 of a template workbook."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from nianbao.findings import Finding
from nianbao.layout import Layout
from nianbao.model import Report
from nianbao.values import Number


@dataclass
class Context:
    report: Report
    values: dict[str, Number]  # inputs, stated totals and computed totals
    previous: Report | None = None
    info: Mapping[str, str] | None = None  # a template workbook's 基本信息 as read (None: not a template)

    @property
    def layout(self) -> Layout:
        return self.report.layout


Check = Callable[[Context], Iterable[Finding]]
