"""Publishing a finished report besides the .docx: an HTML page for the portal, a PDF for the sealed copy.

``write_output`` picks the format from the suffix of the output path and refuses any other suffix;
``write_checked`` decides, for a checked report, whether it is written, as a draft or refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from nianbao.errors import UnusableInput
from nianbao.findings import CheckResult, Finding
from nianbao.messages import message
from nianbao.model import Loaded, Report, Unit
from nianbao.word.report import ReportOutcome, empty_sections
from nianbao.word.style import Fonts

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def output_format(path: str | os.PathLike[str]) -> str:
    """``docx`` / ``html`` / ``pdf`` by the suffix of ``path``; any other suffix is refused (exit 2)."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise UnusableInput("E-REPORT-SUFFIX", path=str(p), suffix=p.suffix or "（无扩展名）")
    return fmt


def write_output(report: Report, path: str | os.PathLike[str], *, draft: bool = False,
                 fonts: Fonts | None = None, findings: Iterable[Finding] | None = None,
                 standard_sentences: dict[str, str] | None = None) -> None:
    """Write the report in the format the suffix of ``path`` names, atomically."""
    fmt = output_format(path)
    kw = {"draft": draft, "fonts": fonts, "findings": findings, "standard_sentences": standard_sentences}
    if fmt == "docx":
        from nianbao.word.report import write_report

        write_report(report, path, **kw)  # type: ignore[arg-type]
    elif fmt == "html":
        from nianbao.publish.html import write_html

        write_html(report, path, **kw)  # type: ignore[arg-type]
    else:
        from nianbao.publish.pdf import write_pdf

        write_pdf(report, path, **kw)  # type: ignore[arg-type]


def write_checked(loaded: Loaded, result: CheckResult, out: str | os.PathLike[str], *,
                  draft: bool = False, final: bool = False, fonts: Fonts | None = None,
                  standard_sentences: bool = False,
                  templates: str | os.PathLike[str] | None = None) -> ReportOutcome:
    """Write the report of a checked source unless it has errors (see ``nianbao.api.report_from_source``), in
    the format the suffix of ``out`` names.

    Data with errors is refused (nothing written) unless ``draft`` is set; a draft is marked. An
    incomplete roll-up (its ``members`` block, or a consolidated workbook's, names units left out) is
    always a draft unless ``final``, which is refused while any unit is left out or there is no
    成文日期.
    """
    from nianbao.narrative import load_templates
    from nianbao.narrative import standard_sentences as make_sentences

    report = loaded.report
    title = report.display_title
    left_out = [u.name for u in report.left_out] or [n for n in (loaded.meta or {}).get("left_out", "").split("|") if n]
    if result.errors and not draft:
        return ReportOutcome(result, title, written=False, draft=False, left_out=left_out)
    if final:
        refusal = ""
        if left_out:
            refusal = message("REPORT-FINAL-INCOMPLETE", count=len(left_out), units="、".join(left_out))
        elif not report.date:
            refusal = message("REPORT-FINAL-UNDATED")
        if refusal:
            return ReportOutcome(result, title, written=False, draft=False, refusal=refusal, left_out=left_out)
    elif left_out:
        draft = True
        if not report.left_out:  # a consolidated workbook names them in its identity only
            report.excluded = [Unit(n) for n in left_out]
    sentences: dict[str, str] = {}
    if standard_sentences:
        sentences = make_sentences(report, _sentence_templates(templates, load_templates))
    write_output(report, out, draft=draft, fonts=fonts, findings=result.findings,
                 standard_sentences=sentences)
    empty = empty_sections(report, sentences)
    return ReportOutcome(result, title, written=True, draft=draft, sentences=sentences,
                         empty_sections=empty, undated=not report.date and not draft, left_out=left_out)


def _sentence_templates(path: str | os.PathLike[str] | None,
                        load: Callable[[Path], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    from nianbao.errors import exc_reason
    from nianbao.files import kind_of
    from nianbao.narrative import TEMPLATES_PATH

    p = Path(path) if path else TEMPLATES_PATH
    kind = kind_of(p)
    if kind is not None:  # a FIFO would block the read
        raise UnusableInput("E-FILE-NOT-REGULAR", path=str(p), kind=kind)
    try:
        return load(p)
    except (OSError, ValueError, RecursionError) as exc:
        raise UnusableInput("E-TEMPLATES", path=str(p), reason=exc_reason(exc)) from None
