"""The real reports of shared/real-reports/ in the forms they are published in, made by LibreOffice.

``page_html`` writes each report (``NNN.txt``: its text and its ``label | v1 | v2`` tables) as a portal
page would: the statutory tables with ``rowspan``/``colspan`` in their published shape (表四 as one row
of fifteen under its three header rows), the narrative as paragraphs. ``make_forms`` then has a real
LibreOffice turn the pages into what a clerk or a portal gets from them, a few files per soffice call:

- ``.xlsx``, ``.ods``, ``.xls``: Calc's HTML import saved as Excel 2007, OpenDocument and Excel 97
  (the page pasted into a spreadsheet);
- ``.docx``: Writer's HTML import saved as Word 2007;
- ``.pdf``: the .docx exported as PDF by Writer;
- ``.txt``: the page saved as text (what copying the page as text gives).

The files are cached in the temporary directory by a digest of this module and the transcriptions.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / ".." / "shared" / "real-reports"
REAL = REAL.resolve() if REAL.exists() else Path("/work/shared/real-reports")
REPORTS = ("009", "010", "011", "012", "013", "014", "015", "016", "017")
FORMS = ("html", "xlsx", "ods", "xls", "docx", "pdf", "txt")


def transcription(name: str) -> tuple[list[str], dict[str, list[list[str]]]]:
    """The report's lines after the front matter, and each table's rows of cells."""
    lines = (REAL / f"{name}.txt").read_text("utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if re.fullmatch(r"={10,}", ln.strip())) + 1
    return lines[start:], {}


def _rows(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    rows = []
    while i < len(lines) and (not lines[i].strip() or "|" in lines[i] or re.match(r"^(列|注)[:：]", lines[i])):
        if "|" in lines[i] and not re.match(r"^(列|注)[:：]", lines[i]):
            rows.append([c.strip() for c in lines[i].split("|")])
        elif not lines[i].strip() and rows:
            break
        i += 1
    return rows, i


def _td(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f"<td{attrs}>{html.escape(text) if text else '&nbsp;'}</td>"


def _t2(rows: list[list[str]]) -> str:
    out = []
    for row in rows:
        if len(row) > 1 and row[1] == "信息内容":
            out.append(f"<tr>{_td(row[0], 4)}</tr>")
            heads = row[2:]
            cells = [_td("信息内容")] + [_td(h, 1 + (3 - len(heads) if k == len(heads) - 1 else 0))
                                       for k, h in enumerate(heads)]
            out.append("<tr>" + "".join(cells) + "</tr>")
        else:
            vals = row[1:]
            cells = [_td(row[0])] + [_td(v, 1 + (3 - len(vals) if k == len(vals) - 1 else 0))
                                     for k, v in enumerate(vals)]
            out.append("<tr>" + "".join(cells) + "</tr>")
    return "<table border=\"1\">" + "".join(out) + "</table>"


def _t3(rows: list[list[str]]) -> str:
    head = ("<tr>" + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
            + _td("申请人情况", 7) + "</tr><tr>" + _td("自然人", 1, 2) + _td("法人或其他组织", 5)
            + _td("总计", 1, 2) + "</tr><tr>"
            + "".join(_td(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")) + "</tr>")
    paths = [r[0].split("/") for r in rows]
    out = [head]
    for k, (path, row) in enumerate(zip(paths, rows, strict=True)):
        cells = []
        if len(path) == 1:
            cells.append(_td(path[0], 3))
        else:
            if k == 0 or paths[k - 1][0] != path[0]:
                n = sum(1 for p in paths[k:] if p[0] == path[0])
                cells.append(_td(path[0], 1, n))
            if len(path) == 2:
                cells.append(_td(path[1], 2))
            else:
                if paths[k - 1][:2] != path[:2]:
                    n = sum(1 for p in paths[k:] if p[:2] == path[:2])
                    cells.append(_td(path[1], 1, n))
                cells.append(_td(path[2]))
        cells.extend(_td(v) for v in row[1:])
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "<table border=\"1\">" + "".join(out) + "</table>"


def _t4(rows: list[list[str]]) -> str:
    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    head = ("<tr>" + _td("行政复议", 5) + _td("行政诉讼", 10) + "</tr><tr>"
            + "".join(_td(x, 1, 2) for x in results) + _td("未经复议直接起诉", 5) + _td("复议后起诉", 5)
            + "</tr><tr>" + "".join(_td(x) for x in results * 2) + "</tr>")
    values = [v for r in rows for v in r[1:]]
    return "<table border=\"1\">" + head + "<tr>" + "".join(_td(v) for v in values) + "</tr></table>"


def page_html(name: str) -> str:
    """The report as a portal page (UTF-8, statutory tables with spans)."""
    lines, _ = transcription(name)
    body = [f"<h1>{html.escape(lines[0].strip())}</h1>"]
    i = 1
    while i < len(lines):
        line = lines[i].strip()
        m = re.match(r"^\[表([二三四])\]\s*(.*)$", line)
        if m:
            rows, i = _rows(lines, i + 1)
            build = {"二": _t2, "三": _t3, "四": _t4}[m.group(1)]
            body.append(build(rows))
            continue
        if line:
            body.append(f"<p>{html.escape(line)}</p>")
        i += 1
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
            + html.escape(lines[0].strip()) + "</title></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def _digest() -> str:
    h = hashlib.sha256(Path(__file__).read_bytes())
    for name in REPORTS:
        h.update((REAL / f"{name}.txt").read_bytes())
    return h.hexdigest()[:12]


def _soffice(outdir: Path, args: list[str], inputs: list[Path]) -> None:
    profile = Path(tempfile.mkdtemp(prefix="nianbao-lo-profile-"))
    try:
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        *args, "--outdir", str(outdir), *map(str, inputs)],
                       check=True, capture_output=True, timeout=600)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def make_forms() -> Path:
    """A folder with NNN.html/.xlsx/.docx/.pdf/.txt for every report (cached by content digest)."""
    root = Path(tempfile.gettempdir()) / f"nianbao-published-forms-{_digest()}"
    if all((root / f"{n}.{f}").is_file() for n in REPORTS for f in FORMS):
        return root
    work = Path(tempfile.mkdtemp(prefix="nianbao-forms-"))
    pages = []
    for name in REPORTS:
        p = work / f"{name}.html"
        p.write_text(page_html(name), encoding="utf-8")
        pages.append(p)
    calc, writer, text = work / "calc", work / "writer", work / "text"
    for d in (calc, writer, text):
        d.mkdir()
    _soffice(calc, ["--infilter=HTML (StarCalc)", "--convert-to", "xlsx:Calc MS Excel 2007 XML"], pages)
    _soffice(calc, ["--infilter=HTML (StarCalc)", "--convert-to", "ods:calc8"], pages)
    _soffice(calc, ["--infilter=HTML (StarCalc)", "--convert-to", "xls:MS Excel 97"], pages)
    _soffice(writer, ["--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML"], pages)
    _soffice(writer, ["--convert-to", "pdf:writer_pdf_Export"], sorted(writer.glob("*.docx")))
    _soffice(text, ["--infilter=HTML (StarWriter)", "--convert-to", "txt:Text (encoded):UTF8"], pages)
    for p in pages:
        shutil.copy(p, work / "calc" / p.name)
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-forms-done-", dir=tempfile.gettempdir()))
    for name in REPORTS:
        shutil.copy(work / f"{name}.html", tmp / f"{name}.html")
        for ext in ("xlsx", "ods", "xls"):
            shutil.copy(calc / f"{name}.{ext}", tmp / f"{name}.{ext}")
        shutil.copy(writer / f"{name}.docx", tmp / f"{name}.docx")
        shutil.copy(writer / f"{name}.pdf", tmp / f"{name}.pdf")
        shutil.copy(text / f"{name}.txt", tmp / f"{name}.txt")
    shutil.rmtree(work, ignore_errors=True)
    if root.exists():
        shutil.rmtree(root, ignore_errors=True)
    os.replace(tmp, root)
    return root
