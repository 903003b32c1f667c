"""Publishing a finished report besides the .docx: an HTML page for the portal, a PDF for the sealed copy.

``write_output`` picks the format from the suffix of the output path and refuses any other suffix.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from nianbao.docx.style import Fonts
from nianbao.errors import UnusableInput
from nianbao.findings import Finding
from nianbao.model import Report

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
        from nianbao.docx.report import write_report

        write_report(report, path, **kw)  # type: ignore[arg-type]
    elif fmt == "html":
        from nianbao.publish.html import write_html

        write_html(report, path, **kw)  # type: ignore[arg-type]
    else:
        from nianbao.publish.pdf import write_pdf

        write_pdf(report, path, **kw)  # type: ignore[arg-type]
