"""The finished report as PDF: the .docx, converted by LibreOffice.

The PDF is LibreOffice's rendering of the same .docx (GB/T 9704 geometry, 22 lines a page), with
its fonts embedded (LibreOffice's PDF export always embeds the fonts it uses). It is made in a
private temporary folder with a throw-away LibreOffice profile, then moved into place, so the
output is either the whole PDF or untouched. Without LibreOffice, a Chinese message says how to
install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from nianbao.errors import OutputError, UnusableInput
from nianbao.findings import Finding
from nianbao.model import Report, write_atomic
from nianbao.word.style import Fonts

TIMEOUT = 300  # seconds: a first start of LibreOffice with a fresh profile can take a while


def find_soffice() -> str | None:
    """The LibreOffice command (``NIANBAO_SOFFICE`` overrides the search)."""
    override = os.environ.get("NIANBAO_SOFFICE")
    if override:
        return override if shutil.which(override) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_soffice() -> str:
    found = find_soffice()
    if found is None:
        raise UnusableInput("E-NO-SOFFICE")
    return found


def write_pdf(report: Report, path: str | os.PathLike[str], *, draft: bool = False, fonts: Fonts | None = None,
              findings: Iterable[Finding] | None = None,
              standard_sentences: dict[str, str] | None = None) -> None:
    from nianbao.word.report import write_report

    soffice = require_soffice()
    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        work = Path(tmp)
        docx = work / "report.docx"
        write_report(report, docx, draft=draft, fonts=fonts, findings=findings,
                     standard_sentences=standard_sentences)
        profile = (work / "profile").as_uri()
        try:
            proc = subprocess.run(
                [soffice, "--headless", "--invisible", "--norestore", "--nologo",
                 f"-env:UserInstallation={profile}", "--convert-to", "pdf:writer_pdf_Export",
                 "--outdir", str(work / "out"), str(docx)],
                capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise OutputError("E-PDF-CONVERT", path=str(target), reason=f"超过 {TIMEOUT} 秒未完成") from None
        except OSError as exc:
            raise OutputError("E-PDF-CONVERT", path=str(target), reason=exc.strerror or str(exc)) from None
        pdf = work / "out" / "report.pdf"
        if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            reason = (proc.stderr or proc.stdout or f"退出码 {proc.returncode}").strip().splitlines()
            raise OutputError("E-PDF-CONVERT", path=str(target), reason=reason[-1] if reason else "")
        data = pdf.read_bytes()
    if not data.startswith(b"%PDF"):
        raise OutputError("E-PDF-CONVERT", path=str(target), reason="输出不是 PDF 文件")
    write_atomic(target, data)
