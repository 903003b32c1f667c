"""Regenerate every picture in docs/images/: what a clerk and the office see, as LibreOffice prints it.

    python docs/make_images.py            (from the repository root; needs soffice, pdftoppm, chromium)
    python docs/make_images.py --no-browser   (LibreOffice's pictures only)

Each file is made by nianbao itself, converted to PDF by LibreOffice (``soffice --headless
--convert-to pdf``, a throw-away profile) and rendered with ``pdftoppm -png``:

- ``template-<layout>-<sheet>.png``: every printed page of a unit's workbook, both layouts
  (sheets: instructions 填报说明, info 基本信息, text 文字部分, t2/t3/t4 表二–表四, checks 校验);
- ``feedback-list.png`` and ``feedback-t3.png``: the feedback workbook for a return LibreOffice made
  (tests/files/returned/lo-odd-values.xlsx): 问题清单 and the marked 表三;
- ``board.png``: ``nianbao status --xlsx`` of the demo workspace;
- ``report-<n>.png``: the pages of the seed report (samples/yubei-2021.json → .docx);
  the same report is written to samples/yubei-2021.docx with its pages as
  samples/yubei-2021-page-<n>.png (80 dpi);
- ``report-html-t3.png``: the seed report's portal page (``.html``) in headless Chromium, at 表三;
- ``web-*.png``: the browser front end, saved by ``tests/test_web_browser.py`` as it drives headless
  Chromium through a campaign (``NIANBAO_SCREENSHOTS``).

Only the pictures named here are replaced; with ``--no-browser`` the Chromium ones are left as they are.
"""

from __future__ import annotations

import html
import os
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


OWN = ("template-*.png", "feedback-*.png", "board.png", "report-[0-9]*.png")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def html_page_shot(html_path: Path, dst: Path) -> Path:
    """The portal page in headless Chromium, scrolled to 表三 (the table with the most merges)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                "--window-size=820,1180", "--hide-scrollbars"):
        o.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
    try:
        driver.get(html_path.as_uri())
        tables = driver.find_elements(By.TAG_NAME, "table")
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", tables[1])
        driver.save_screenshot(str(dst))
    finally:
        driver.quit()
    return dst


def browser_shots() -> list[Path]:
    """The web front end's screenshots, saved by its browser test as it runs."""
    env = {**os.environ, "NIANBAO_SCREENSHOTS": str(OUT), "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_web_browser.py"],
                   cwd=ROOT, env=env, check=True, timeout=900)
    return sorted(OUT.glob("web-*.png"))


def main() -> int:
    browser = "--no-browser" not in sys.argv[1:]
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            print(f"{tool} not found: install LibreOffice and poppler-utils", file=sys.stderr)
            return 2
    import nianbao
    from nianbao.campaign.demo import run_demo

    OUT.mkdir(parents=True, exist_ok=True)
    for pattern in OWN + (("report-html-*.png", "web-*.png") if browser else ()):
        for old in OUT.glob(pattern):
            old.unlink()
    made: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="nianbao-images-") as tmp:
        work = Path(tmp)
        for layout_id in ("2021", "2019"):
            xlsx = work / f"template-{layout_id}.xlsx"
            nianbao.write_template(xlsx, layout=layout_id, year=2025, unit_name=UNIT[0], unit_code=UNIT[1],
                                   deadline=DEADLINE, contact=CONTACT)
            made += workbook_pages(xlsx, f"template-{layout_id}", work)
        fb = work / "feedback.xlsx"
        nianbao.write_feedback(ROOT / "tests" / "files" / "returned" / "lo-odd-values.xlsx", fb, deadline=DEADLINE,
                       contact=CONTACT)
        made += workbook_pages(fb, "feedback", work, only={"问题清单", "表三"})
        demo = work / "demo"
        run_demo(demo)
        board = nianbao.Workspace.open(demo / "工作区").write_board(work / "board.xlsx")
        made.append(render(to_pdf(board, work), 1, OUT / "board.png"))
        samples = ROOT / "samples"
        docx = samples / "yubei-2021.docx"
        nianbao.write_report(nianbao.load(samples / "yubei-2021.json"), docx)
        pdf = to_pdf(docx, work)
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                                  text=True).stdout).group(1))
        made += [render(pdf, n, OUT / f"report-{n}.png") for n in range(1, pages + 1)]
        for old in samples.glob("yubei-2021-page-*.png"):
            old.unlink()
        made += [render(pdf, n, samples / f"yubei-2021-page-{n}.png", dpi=80) for n in range(1, pages + 1)]
        if browser:
            page = work / "report.html"
            nianbao.write_report(nianbao.load(samples / "yubei-2021.json"), page)
            made.append(html_page_shot(page, OUT / "report-html-t3.png"))
    if browser:
        made += browser_shots()
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
