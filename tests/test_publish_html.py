"""report -o x.html: the portal page. Content and order as the seed; tables as the layout declares
them (read back by lxml, and by a real LibreOffice); escaping; no script or outside resource."""

from __future__ import annotations

import os
import random
import subprocess
import uuid
from pathlib import Path

import lxml.html
import pytest

from conftest import run
from lo.harness import requires_poppler, requires_soffice
from nianbao.layout import LAYOUTS, cells_in_range, col_letter, get_layout, split_ref
from nianbao.model import Report, Unit, load_report, save_report
from nianbao.publish.html import html_text
from nianbao.synth import random_report
from nianbao.values import show
from test_docx_report import EXPECTED, SAMPLE, assert_in_order


def html_items(page: str | bytes) -> list[str]:
    """Block texts in order: each heading and paragraph, then each table's cells in grid order."""
    tree = lxml.html.document_fromstring(page)
    out: list[str] = []
    for el in tree.body.iter("h1", "h2", "h3", "p", "th", "td", "li"):
        out.append(el.text_content())
    return out


def html_tables(page: str | bytes) -> list[tuple[dict[str, str], set[str]]]:
    """Each table as (top-left text by ref, merged ranges), rebuilt from rowspan/colspan."""
    tree = lxml.html.document_fromstring(page)
    out = []
    for table in tree.body.iter("table"):
        taken: set[tuple[int, int]] = set()
        texts: dict[str, str] = {}
        merges: set[str] = set()
        for r, tr in enumerate(table.iter("tr"), start=1):
            c = 1
            for cell in tr:
                while (r, c) in taken:
                    c += 1
                rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
                texts[f"{col_letter(c)}{r}"] = cell.text_content()
                if rs > 1 or cs > 1:
                    merges.add(f"{col_letter(c)}{r}:{col_letter(c + cs - 1)}{r + rs - 1}")
                taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
                c += cs
        out.append((texts, merges))
    return out


@pytest.fixture(scope="module")
def seed_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "yubei.html"
    code, output = run("report", SAMPLE, "-o", out)
    assert code == 0, output
    return out


def test_seed_page_holds_every_line_of_the_published_report_in_order(seed_html: Path) -> None:
    lines = [ln.strip() for ln in EXPECTED.read_text("utf-8").splitlines() if ln.strip()]
    items = html_items(seed_html.read_bytes())
    assert_in_order(lines, items)
    assert "五、当前存在的主要问题及下步改进措施" in items
    assert items[-2:] == ["重庆市渝北区政务服务管理办公室", "2022年1月21日"]


def test_page_is_self_contained_semantic_and_declares_utf8(seed_html: Path) -> None:
    raw = seed_html.read_bytes()
    assert raw.startswith(b"<!DOCTYPE html>")
    tree = lxml.html.document_fromstring(raw)
    assert tree.find(".//head/meta[@charset]").get("charset").lower() == "utf-8"
    assert tree.get("lang") == "zh-CN"
    for tag in ("script", "style", "link", "img", "iframe", "object", "embed"):
        assert tree.find(f".//{tag}") is None, tag
    assert not [el for el in tree.iter() if any(a.startswith("on") for a in el.attrib)]
    assert not [el for el in tree.iter() if el.get("src") or el.get("href")]
    assert [h.text_content() for h in tree.iter("h1")] == ["重庆市渝北区政务服务管理办公室2021年政府信息公开工作年度报告"]
    report = load_report(SAMPLE).report
    h2 = [h.text_content() for h in tree.iter("h2")]
    assert [report.heading(s.id) for s in report.layout.sections] == [h for h in h2 if h[0] in "一二三四五六"][:6] \
        or all(report.heading(s.id) in h2 for s in report.layout.sections)
    assert [h.text_content() for h in tree.iter("h3")][:2] == ["（一）主动公开情况", "（二）依申请公开情况"]


@pytest.mark.parametrize("layout_id", sorted(LAYOUTS))
def test_tables_have_the_layout_labels_merges_and_resolved_values(layout_id: str) -> None:
    report = random_report(layout_id, 2023, Unit("某某县某某局"), random.Random(5), scale=300)
    tables = html_tables(html_text(report))
    layout = report.layout
    values = report.resolved().values
    assert len(tables) == len(layout.tables)
    for table, (texts, merges) in zip(layout.tables, tables, strict=True):
        assert merges == set(table.merges), table.id
        for lb in table.labels:
            assert texts[lb.ref] == lb.text
        for f in table.fields:
            assert texts[f.ref] == show(values[f.key])
        covered = {ref for rng in table.merges for ref in cells_in_range(rng)[1:]}
        assert not covered & set(texts)


def test_untrusted_text_is_escaped() -> None:
    report = random_report("2021", 2023, Unit("<script>alert(1)</script>局 & \"某\""), random.Random(1))
    report.text = {"s1": "<img src=x onerror=alert(1)>一切正常。", "s5": "a < b & c > d"}
    page = html_text(report)
    tree = lxml.html.document_fromstring(page)
    assert tree.find(".//script") is None and tree.find(".//img") is None
    items = html_items(page)
    assert "<img src=x onerror=alert(1)>一切正常。" in items
    assert "a < b & c > d" in items
    assert "<script>alert(1)</script>局 & \"某\"" in items
    page = html_text(report, fonts=__import__("nianbao.word.style", fromlist=["Fonts"]).Fonts(body='x" onload="y'))
    tree = lxml.html.document_fromstring(page)
    assert tree.body.get("onload") is None and 'x" onload="y' in tree.body.get("style")


def test_draft_page_is_marked_and_lists_the_findings(tmp_path: Path) -> None:
    report = random_report("2021", 2023, Unit("某某县某某局"), random.Random(2), with_totals=False)
    report.values["t3.new.total"] = 99999  # a stated total that does not add up
    save_report(report, tmp_path / "bad.json", with_totals=False)
    data = tmp_path / "bad.json"
    import json

    doc = json.loads(data.read_text("utf-8"))
    doc["values"]["t3.new.total"] = 99999
    data.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    code, output = run("report", data, "-o", tmp_path / "x.html")
    assert code == 1 and not (tmp_path / "x.html").exists()
    code, output = run("report", data, "-o", tmp_path / "x.html", "--draft")
    assert code == 0, output
    items = html_items((tmp_path / "x.html").read_bytes())
    assert items[0].startswith("草稿") and any("99999" in i for i in items[-5:])


def test_the_page_is_never_written_onto_its_source(tmp_path: Path) -> None:
    src = tmp_path / "年报.html"
    src.write_bytes(b"<html>original</html>")
    code, output = run("report", src, "-o", src)
    assert code == 2 and "不能覆盖原文件" in output and src.read_bytes() == b"<html>original</html>"


def test_unknown_suffix_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    for name in ("年报.txt", "年报", "年报.doc"):
        code, output = run("report", SAMPLE, "-o", tmp_path / name)
        assert code == 2, output
        assert "只能是 .docx、.html（.htm）或 .pdf" in output
        assert not (tmp_path / name).exists()
    existing = tmp_path / "旧.odt"
    existing.write_bytes(b"keep")
    assert run("report", SAMPLE, "-o", existing)[0] == 2 and existing.read_bytes() == b"keep"
    code, _ = run("report", SAMPLE, "-o", tmp_path / "年报.HTM")
    assert code == 0 and (tmp_path / "年报.HTM").read_bytes().startswith(b"<!DOCTYPE html>")


# --------------------------------------------------------------------------------------------
# The page as LibreOffice reads it
# --------------------------------------------------------------------------------------------


def _soffice(args: list[str], cwd: Path) -> None:
    profile = f"file:///tmp/nianbao-test-{uuid.uuid4().hex}"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", *args], cwd=cwd,
                   check=True, capture_output=True, timeout=240, stdin=subprocess.DEVNULL)


def logical_tables(sheet, layout_id: str) -> list[tuple[dict[str, str], set[str]]]:  # type: ignore[no-untyped-def]
    """The statutory tables in a Calc sheet made from the page: Calc puts all tables of a page on one
    column grid (a column of one table may span several sheet columns), so each table's own column
    boundaries are recovered from where its cells start, and its merges mapped back onto them."""
    layout = get_layout(layout_id)
    merged = [m.bounds for m in sheet.merged_cells.ranges]  # (min_col, min_row, max_col, max_row)
    out = []
    row0 = 1
    for table in layout.tables:
        anchor = table.label_by_ref["A1"].text
        row0 = next(r for r in range(row0, sheet.max_row + 1) if sheet.cell(r, 1).value == anchor)
        rows = range(row0, row0 + table.n_rows)
        inside = [b for b in merged if b[1] in rows]
        under = {(r, c) for c1, r1, c2, r2 in inside for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        starts = {c1 for c1, _, _, _ in inside}
        singles = [(r, c) for r in rows for c in range(1, sheet.max_column + 1)
                   if (r, c) not in under and sheet.cell(r, c).value not in (None, "")]
        starts |= {c for _, c in singles}
        bounds = sorted(starts)

        def logical(col: int, bounds: list[int] = bounds) -> int:
            return sum(1 for b in bounds if b <= col)

        texts: dict[str, str] = {}
        merges: set[str] = set()
        for c1, r1, c2, r2 in inside:
            a = f"{col_letter(logical(c1))}{r1 - row0 + 1}"
            b = f"{col_letter(logical(c2))}{r2 - row0 + 1}"
            if a != b:
                merges.add(f"{a}:{b}")
            value = sheet.cell(r1, c1).value
            texts[a] = "" if value is None else str(value)
        for r, c in singles:
            texts[f"{col_letter(logical(c))}{r - row0 + 1}"] = str(sheet.cell(r, c).value)
        out.append((texts, merges))
        row0 += table.n_rows
    return out


@requires_soffice
@pytest.mark.parametrize("layout_id", sorted(LAYOUTS))
def test_libreoffice_reads_the_tables_with_the_right_merges(tmp_path: Path, layout_id: str) -> None:
    import openpyxl

    report: Report = random_report(layout_id, 2023, Unit("某某县某某局"), random.Random(9), scale=300)
    page = tmp_path / "page.html"
    page.write_text(html_text(report), "utf-8")
    _soffice(["--infilter=HTML (StarCalc)", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "page.html"], tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "page.xlsx").active
    values = report.resolved().values
    for table, (texts, merges) in zip(report.layout.tables, logical_tables(sheet, layout_id), strict=True):
        assert merges == set(table.merges), table.id
        for lb in table.labels:
            assert " ".join(texts[lb.ref].split()) == lb.text, (table.id, lb.ref)
        for f in table.fields:
            assert texts[f.ref] == show(values[f.key]), (table.id, f.ref)
        assert max(split_ref(ref)[1] for ref in texts) == table.n_cols


@requires_soffice
@requires_poppler
def test_libreoffice_renders_the_page(tmp_path: Path) -> None:
    """The page opened by LibreOffice Writer/Web and printed: all the seed's text reaches the PDF."""
    page = tmp_path / "page.html"
    page.write_text(html_text(load_report(SAMPLE).report), "utf-8")
    _soffice(["--convert-to", "pdf:writer_web_pdf_Export", "page.html"], tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "page.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = "".join(text.split())
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "申请人情况", "第二十条第（一）项",
                    "重庆市渝北区政务服务管理办公室2022年1月21日"):
        assert heading in flat
    if os.environ.get("NIANBAO_KEEP_RENDERS"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "page.pdf"),
                        os.path.join(os.environ["NIANBAO_KEEP_RENDERS"], "page")], check=True)


# --------------------------------------------------------------------------------------------
# Round trip through the importer (issue 12)
# --------------------------------------------------------------------------------------------


def test_import_of_the_page_gives_the_data_back(seed_html: Path) -> None:
    from nianbao.layout import normalise_label
    from nianbao.sources import load_source

    data = load_report(SAMPLE).report
    back = load_source(seed_html).report
    assert (back.layout.id, back.year, back.title, back.date) == (data.layout.id, data.year, data.display_title,
                                                                   data.date)
    assert back.unit.name == data.unit.name
    assert back.full_values() == data.full_values()
    assert back.headings == data.headings
    assert set(back.text) == set(data.text)
    for key, text in data.text.items():
        got = back.text[key].splitlines()
        assert normalise_label("".join(got)) == normalise_label(text), key
