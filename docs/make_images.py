"""Regenerate every picture in docs/images/: what a clerk and the office see, as LibreOffice prints it.

    python docs/make_images.py            (from the repository root; needs soffice and pdftoppm)

Each file is made by nianbao itself, converted to PDF by LibreOffice (``soffice --headless
--convert-to pdf``, a throw-away profile) and rendered with ``pdftoppm -png``:

- ``template-<layout>-<sheet>.png``: every printed page of a unit's workbook, both layouts
  (sheets: instructions 填报说明, info 基本信息, text 文字部分, t2/t3/t4 表二–表四, checks 校验);
- ``feedback-list.png`` and ``feedback-t3.png``: the feedback workbook for a return LibreOffice made
  (tests/files/returned/lo-odd-values.xlsx): 问题清单 and the marked 表三;
- ``board.png``: ``nianbao status --xlsx`` of the demo workspace;
- ``report-<n>.png``: the pages of the seed report (samples/yubei-2021.json → .docx);
  the same report is written to samples/yubei-2021.docx with its pages as
  samples/yubei-2021-page-<n>.png (80 dpi).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

OUT = ROOT / "docs" / "images"
DPI = 60
SHEETS = {"填报说明": "instructions", "基本信息": "info", "文字部分": "text", "表二": "t2", "表三": "t3",
          "表四": "t4", "校验": "checks", "问题清单": "list"}
UNIT = ("重庆市渝北区发展和改革委员会", "500112-001")
DEADLINE, CONTACT = "2026-01-31", "区政务公开办 王五 023-67811234"


def to_pdf(src: Path, work: Path) -> Path:
    profile = work / "lo-profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "pdf", "--outdir", str(work), str(src)],
                   check=True, capture_output=True, timeout=300)
    return work / (src.stem + ".pdf")


def render(pdf: Path, page: int, dst: Path, dpi: int = DPI) -> Path:
    prefix = dst.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(prefix)], check=True, timeout=120)
    return dst


def sheet_of_pages(pdf: Path) -> list[str]:
    """The sheet each page of a workbook PDF belongs to: its name is the page header's first word."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    names = []
    for page in re.findall(r"<page .*?</page>", out, re.S):
        words = [(float(y), html.unescape(t)) for y, t in re.findall(r'yMin="([\d.]+)" [^>]*>(.*?)</word>', page)]
        top = [t for y, t in sorted(words) if y < 75]
        names.append(next((t for t in top if t in SHEETS), ""))
    return names


def workbook_pages(xlsx: Path, stem: str, work: Path, only: set[str] | None = None) -> list[Path]:
    pdf = to_pdf(xlsx, work)
    made = []
    seen: dict[str, int] = {}
    for page, sheet in enumerate(sheet_of_pages(pdf), start=1):
        if not sheet or (only is not None and sheet not in only):
            continue
        seen[sheet] = seen.get(sheet, 0) + 1
        n = seen[sheet]
        name = f"{stem}-{SHEETS[sheet]}" + (f"-{n}" if n > 1 else "") + ".png"
        made.append(render(pdf, page, OUT / name))
    return made


def main() -> int:
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: install LibreOffice and poppler-utils", file=sys.stderr)
            return 2
    from nianbao.campaign.demo import run_demo
    from nianbao.campaign.status import build_board, write_board_xlsx
    from nianbao.campaign.workspace import open_workspace
    from nianbao.model import Unit, load_report
    from nianbao.word.report import write_report
    from nianbao.workbook.feedback import write_feedback
    from nianbao.workbook.writer import write_template

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="nianbao-images-") as tmp:
        work = Path(tmp)
        for layout_id in ("2021", "2019"):
            xlsx = work / f"template-{layout_id}.xlsx"
            write_template(xlsx, layout_id=layout_id, year=2025, unit=Unit(*UNIT), deadline=DEADLINE,
                           contact=CONTACT)
            made += workbook_pages(xlsx, f"template-{layout_id}", work)
        fb = work / "feedback.xlsx"
        write_feedback(ROOT / "tests" / "files" / "returned" / "lo-odd-values.xlsx", fb, deadline=DEADLINE,
                       contact=CONTACT)
        made += workbook_pages(fb, "feedback", work, only={"问题清单", "表三"})
        demo = work / "demo"
        run_demo(demo)
        ws = open_workspace(demo / "工作区")
        board = work / "board.xlsx"
        write_board_xlsx(build_board(ws), board)
        made.append(render(to_pdf(board, work), 1, OUT / "board.png"))
        samples = ROOT / "samples"
        docx = samples / "yubei-2021.docx"
        write_report(load_report(samples / "yubei-2021.json").report, docx)
        pdf = to_pdf(docx, work)
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                  text=True).stdout).group(1))
        made += [render(pdf, n, OUT / f"report-{n}.png") for n in range(1, pages + 1)]
        for old in samples.glob("yubei-2021-page-*.png"):
            old.unlink()
        made += [render(pdf, n, samples / f"yubei-2021-page-{n}.png", dpi=80) for n in range(1, pages + 1)]
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
