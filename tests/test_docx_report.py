"""The Word report: content read back with python-docx, structure of the XML, the CLI."""

from __future__ import annotations

import random
import time
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.layout import LAYOUTS, Kind, cells_in_range, col_letter, get_layout, normalise_label
from nianbao.messages import message
from nianbao.model import Report, Unit, load_report
from nianbao.synth import random_report
from nianbao.values import show
from nianbao.word import style
from nianbao.word.report import build_document, chinese_date, report_bytes, write_report
from nianbao.word.style import Fonts

ROOT = Path(__file__).parents[1]
SAMPLE = ROOT / "samples" / "yubei-2021.json"
EXPECTED = ROOT / "samples" / "yubei-2021.expected.txt"
REAL = ROOT / "tests" / "files" / "real"
UNIT = Unit("某某县某某局", "000-01")
TWIPS_PER_MM = 72 / 25.4 * 20


# --------------------------------------------------------------------------------------------
# Reading a .docx back (also used by test_docx_lo.py)
# --------------------------------------------------------------------------------------------


def docx_items(path_or_doc: Path | docx.document.Document) -> list[str]:
    """Body text in order: each paragraph, then each table's unique cells in grid order."""
    document = docx.Document(str(path_or_doc)) if isinstance(path_or_doc, Path) else path_or_doc
    out: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            out.append(text)
        elif block.tag == qn("w:tbl"):
            table = docx.table.Table(block, document)
            seen: set[object] = set()
            for row in table.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        out.append(cell.text)
    return out


def assert_in_order(lines: list[str], items: list[str]) -> None:
    """Every line occurs in the items, in order (a line may be part of a longer item)."""
    norm = [normalise_label(i) for i in items]
    pos = 0
    for line in lines:
        want = normalise_label(line)
        while pos < len(norm) and want not in norm[pos]:
            pos += 1
        assert pos < len(norm), f"not found in order: {line!r}"
        pos += 1


def table_grid(tbl) -> tuple[dict[str, str], set[str], list[int]]:  # type: ignore[no-untyped-def]
    """Top-left texts by ref, merged ranges, and grid column widths of a ``w:tbl``."""
    widths = [int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))]
    texts: dict[str, str] = {}
    starts: dict[tuple[int, int], list[int]] = {}  # (row, col) of a merge start → [rows, cols]
    open_v: dict[int, tuple[int, int]] = {}  # column → start of the vertical merge running there
    for r, tr in enumerate(tbl.iter(qn("w:tr")), start=1):
        c = 1
        for tc in tr.iter(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span_el = pr.find(qn("w:gridSpan")) if pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vm = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            if vm is not None and vm.get(qn("w:val")) != "restart":
                start = open_v[c]
                starts[start][0] += 1
            else:
                texts[f"{col_letter(c)}{r}"] = text
                starts[(r, c)] = [1, span]
                if vm is not None:
                    open_v[c] = (r, c)
                else:
                    open_v.pop(c, None)
            c += span
    merges = {f"{col_letter(c)}{r}:{col_letter(c + w - 1)}{r + h - 1}"
              for (r, c), (h, w) in starts.items() if h > 1 or w > 1}
    return texts, merges, widths


def all_zero_report(layout_id: str) -> Report:
    layout = get_layout(layout_id)
    values = {k: (Decimal(0) if layout.fields[k].kind is Kind.AMOUNT else 0) for k in layout.inputs}
    return Report(layout, 2023, UNIT, values, date="2024-01-20")


def big_t3_report(layout_id: str = "2021") -> Report:
    """Seven-digit numbers in every input cell of 表三 (totals then have eight or nine)."""
    report = all_zero_report(layout_id)
    for i, f in enumerate(report.layout.table_by_id["t3"].fields):
        if f.is_input:
            report.values[f.key] = 1_000_000 + (i * 7919) % 8_999_999
    return report


@pytest.fixture(scope="module")
def seed_doc() -> docx.document.Document:
    return build_document(load_report(SAMPLE).report)


# --------------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------------


def test_seed_report_holds_every_line_of_the_published_report_in_order(tmp_path: Path) -> None:
    out = tmp_path / "yubei.docx"
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    lines = [ln.strip() for ln in EXPECTED.read_text("utf-8").splitlines() if ln.strip()]
    items = docx_items(out)
    assert_in_order(lines, items)
    # the local heading variant of the data is used, the statutory ones elsewhere
    assert "五、当前存在的主要问题及下步改进措施" in items
    assert "五、存在的主要问题及改进情况" not in items
    assert items[-1] == "2022年1月21日"
    assert items[-2] == "重庆市渝北区政务服务管理办公室"


def test_checked_in_sample_docx_is_current() -> None:
    """samples/yubei-2021.docx is what the current code writes (text and tables)."""
    sample = ROOT / "samples" / "yubei-2021.docx"
    assert docx_items(sample) == docx_items(build_document(load_report(SAMPLE).report))


@pytest.mark.parametrize("layout_id", sorted(LAYOUTS))
def test_tables_have_the_layout_labels_merges_and_resolved_values(layout_id: str) -> None:
    report = random_report(layout_id, 2023, UNIT, random.Random(5), scale=300)
    document = build_document(report)
    tbls = list(document.element.body.iter(qn("w:tbl")))
    layout = report.layout
    assert len(tbls) == len(layout.tables)
    values = report.resolved().values
    for tbl, table in zip(tbls, layout.tables, strict=True):
        texts, merges, widths = table_grid(tbl)
        assert merges == set(table.merges), table.id
        assert len(widths) == table.n_cols
        assert len(list(tbl.iter(qn("w:tr")))) == table.n_rows
        for label in table.labels:
            assert texts[label.ref] == label.text, (table.id, label.ref)
        for f in table.fields:
            assert texts[f.ref] == show(values[f.key]), (table.id, f.key)
        covered = {ref for rng in table.merges for ref in cells_in_range(rng)[1:]}
        assert not covered & set(texts), table.id


def test_tables_show_recomputed_totals_not_the_stated_ones() -> None:
    loaded = load_report(REAL / "011.json")  # 表四 总计 published as 0 beside 10 + 1
    assert loaded.report.values["t4.review.total"] == 0
    tbl = list(build_document(loaded.report).element.body.iter(qn("w:tbl")))[2]
    texts, _, _ = table_grid(tbl)
    assert texts[loaded.report.layout.fields["t4.review.total"].ref] == "11"
    assert texts[loaded.report.layout.fields["t4.suit_after_review.total"].ref] == "5"


def test_all_zero_report_of_both_layouts() -> None:
    for layout_id in LAYOUTS:
        report = all_zero_report(layout_id)
        items = docx_items(build_document(report))
        assert items[items.index("二、主动公开政府信息情况") + 1] == "第二十条第（一）项"
        n_numbers = sum(1 for i in items if i == "0")
        assert n_numbers == len(report.layout.fields), layout_id
        assert items[-1] == "2024年1月20日"
        assert "某某县某某局2023年政府信息公开工作年度报告" in [normalise_label(i) for i in items]


def test_long_narrative_is_all_there() -> None:
    report = all_zero_report("2021")
    paragraphs = [f"第{i}段：" + "政府信息公开工作稳步推进，公开质量持续提升。" * 20 for i in range(1, 26)]
    report.text["s1"] = "\n".join(paragraphs)
    assert len(report.text["s1"]) >= 10_000
    items = docx_items(build_document(report))
    start = items.index("一、总体情况")
    assert items[start + 1: start + 1 + len(paragraphs)] == paragraphs


def test_sub_headings_and_lead_ins(seed_doc: docx.document.Document) -> None:
    paragraphs = {p.text: p for p in seed_doc.paragraphs}
    assert paragraphs["（一）主动公开情况"].style.style_id == "nbHeading2"
    assert paragraphs["一、总体情况"].style.style_id == "nbHeading1"
    long = next(p for t, p in paragraphs.items() if t.startswith("（一）当前存在主要问题"))
    assert long.style.style_id == "nbBody"
    first, rest = long.runs[0], long.runs[1]
    assert first.text == "（一）当前存在主要问题："
    assert first._r.rPr.rFonts.get(qn("w:eastAsia")) == Fonts().subheading
    assert rest.text.startswith("政务公开工作力量缺乏")
    assert paragraphs["1.加强组织领导。成立了区政务办政府信息公开工作领导小组，由主要领导任组长，分管领导任副组长，"
                      "各科室负责人为成员，不断加强对政府信息公开工作的领导，组织协调推进政府信息公开工作。"
                      ].style.style_id == "nbBody"


def test_title_breaks_before_the_year() -> None:
    document = build_document(load_report(SAMPLE).report)
    title = document.paragraphs[0]
    assert title.style.style_id == "nbTitle"
    assert title.text == "重庆市渝北区政务服务管理办公室\n2021年政府信息公开工作年度报告"


def test_chinese_date() -> None:
    assert chinese_date("2022-01-21") == "2022年1月21日"
    assert chinese_date("2026-12-05") == "2026年12月5日"
    assert chinese_date("2022年1月") == "2022年1月"


# --------------------------------------------------------------------------------------------
# GB/T 9704 settings in the XML
# --------------------------------------------------------------------------------------------


def test_page_and_margins(seed_doc: docx.document.Document) -> None:
    sect = seed_doc.sections[0]
    assert round(sect.page_width.mm) == 210 and round(sect.page_height.mm) == 297
    assert [round(x.mm) for x in (sect.top_margin, sect.bottom_margin, sect.left_margin,
                                  sect.right_margin)] == [37, 35, 28, 26]


def test_fonts_are_explicit_east_asian_never_theme(seed_doc: docx.document.Document) -> None:
    styles = seed_doc.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        assert not [a for a in rfonts.attrib if "heme" in a], rfonts.attrib
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    fonts = Fonts()
    expected = {"nbBody": fonts.body, "nbTitle": fonts.title, "nbHeading1": fonts.heading,
                "nbHeading2": fonts.subheading, "nbTable": fonts.table}
    for style_id, font in expected.items():
        rfonts = by_id[style_id].find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert rfonts.get(qn("w:eastAsia")) == font, style_id
        assert by_id[style_id].find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
    body = by_id["nbBody"]
    assert body.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "32"  # 3号 = 16 pt
    assert body.find(f"{qn('w:rPr')}/{qn('w:spacing')}").get(qn("w:val")) == "-5"  # −0.25 pt
    spacing = body.find(f"{qn('w:pPr')}/{qn('w:spacing')}")
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    title_sz = by_id["nbTitle"].find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val"))
    assert title_sz == "44"  # 2号 = 22 pt


def test_custom_fonts_reach_the_styles() -> None:
    fonts = Fonts().with_overrides(body="仿宋", subheading="楷体", title=None)
    document = build_document(load_report(SAMPLE).report, fonts=fonts)
    by_id = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    east = {sid: by_id[sid].find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))
            for sid in ("nbBody", "nbHeading2", "nbTitle")}
    assert east == {"nbBody": "仿宋", "nbHeading2": "楷体", "nbTitle": "方正小标宋简体"}


def test_table_rows_repeat_headers_and_do_not_split(seed_doc: docx.document.Document) -> None:
    layout = get_layout("2019")
    for tbl, table in zip(seed_doc.element.body.iter(qn("w:tbl")), layout.tables, strict=True):
        rows = list(tbl.iter(qn("w:tr")))
        for i, tr in enumerate(rows, start=1):
            tr_pr = tr.find(qn("w:trPr"))
            assert tr_pr.find(qn("w:cantSplit")) is not None
            assert (tr_pr.find(qn("w:tblHeader")) is not None) == (i <= table.header_rows), (table.id, i)
        assert tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}").get(qn("w:type")) == "fixed"


def test_page_numbers_with_dashes_in_the_footer(seed_doc: docx.document.Document) -> None:
    sect = seed_doc.sections[0]
    assert seed_doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((sect.footer, "right"), (sect.even_page_footer, "left")):
        p = footer._element.find(qn("w:p"))
        instr = "".join(t.text for t in p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        text = "".join(t.text for t in p.iter(qn("w:t")))
        assert text == "— 1 —"
        assert p.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == align


def _section_widths(document: docx.document.Document) -> list[tuple[object, float]]:
    """(table element, type width in twips of the section holding it), in document order."""
    out: list[tuple[object, float]] = []
    pending: list[object] = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:tbl"):
            pending.append(block)
        sect = block if block.tag == qn("w:sectPr") else block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if sect is not None:
            pg_w = int(sect.find(qn("w:pgSz")).get(qn("w:w")))
            mar = sect.find(qn("w:pgMar"))
            width = pg_w - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))
            out.extend((t, width) for t in pending)
            pending = []
    return out


@pytest.mark.parametrize("case", ["seed", "big_t3", "big_t4"])
def test_no_table_wider_than_the_type_area(case: str) -> None:
    if case == "seed":
        report = load_report(SAMPLE).report
    elif case == "big_t3":
        report = big_t3_report()
    else:
        report = all_zero_report("2021")
        for f in report.layout.table_by_id["t4"].fields:
            if f.is_input:
                report.values[f.key] = 2_345_678
    document = build_document(report)
    pairs = _section_widths(document)
    assert len(pairs) == 3
    for tbl, width in pairs:
        assert sum(int(g.get(qn("w:w"))) for g in tbl.iter(qn("w:gridCol"))) <= width
    landscape = [s.orientation for s in document.sections]
    if case == "big_t4":  # fifteen 7-digit columns only fit a landscape page
        assert len(document.sections) == 3 and landscape[1] == 1 and landscape[0] == landscape[2] == 0
        assert round(document.sections[1].page_width.mm) == 297
    else:
        assert len(document.sections) == 1


def test_number_columns_are_wide_enough_for_their_digits() -> None:
    report = big_t3_report()
    tbl = list(build_document(report).element.body.iter(qn("w:tbl")))[1]
    _, _, widths = table_grid(tbl)
    size = float(tbl.find(f".//{qn('w:sz')}").get(qn("w:val"))) / 2
    values = report.resolved().values
    for f in report.layout.table_by_id["t3"].fields:
        col = ord(f.ref[0]) - 64
        need = len(show(values[f.key])) * style.DIGIT_EM * size + 2 * style.TABLE_CELL_PADDING
        assert widths[col - 1] / 20 >= need, f.key


# --------------------------------------------------------------------------------------------
# Draft, refusal, CLI
# --------------------------------------------------------------------------------------------


def test_draft_mark_on_first_page_only_when_asked() -> None:
    report = load_report(SAMPLE).report
    assert docx_items(build_document(report))[0] != message("REPORT-DRAFT-MARK-CLEAN")
    assert docx_items(build_document(report, draft=True))[0] == message("REPORT-DRAFT-MARK-CLEAN")


def test_cli_refuses_data_with_errors_and_lists_the_findings(tmp_path: Path) -> None:
    out = tmp_path / "011.docx"
    result = CliRunner().invoke(app, ["report", str(REAL / "011.json"), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.count("【表四合计】") == 2  # Chinese rule names; codes only in --json
    assert "表四!E4" in result.output and "表四!O4" in result.output
    assert "未生成年度报告" in result.output
    assert not out.exists()


def test_cli_draft_writes_the_file_with_the_mark_and_the_findings(tmp_path: Path) -> None:
    out = tmp_path / "011-draft.docx"
    result = CliRunner().invoke(app, ["report", str(REAL / "011.json"), "-o", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    assert "【表四合计】" in result.output
    items = docx_items(out)
    assert items[0] == "草稿（数据校验未通过，不得发布）"
    appendix = next(i for i in items if i.startswith("附：数据校验发现的问题"))
    assert "2 个错误" in appendix
    assert sum(1 for i in items if "实际为 0（表四!E4）" in i) == 1
    paragraph = docx.Document(str(out)).paragraphs[0]
    assert paragraph.style.style_id == "nbDraft"


def test_cli_font_option(tmp_path: Path) -> None:
    out = tmp_path / "fonts.docx"
    result = CliRunner().invoke(app, ["report", str(SAMPLE), "-o", str(out), "--font-body", "仿宋"])
    assert result.exit_code == 0, result.output
    body = docx.Document(str(out)).styles["nb 正文"].element
    assert body.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "仿宋"


def test_cli_unusable_source_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    result = CliRunner().invoke(app, ["report", str(bad), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2
    assert "不是有效的 JSON" in result.output


def test_standard_sentences_only_where_the_narrative_is_silent(tmp_path: Path) -> None:
    report = random_report("2021", 2023, UNIT, random.Random(2), scale=30)
    source = tmp_path / "r.json"
    from nianbao.model import save_report

    report.text = {"s1": "本年度共收到政府信息公开申请{}件。".format(show(report.values["t3.new.total"]))}
    save_report(report, source)
    out = tmp_path / "r.docx"
    result = CliRunner().invoke(app, ["report", str(source), "-o", str(out), "--standard-sentences"])
    assert result.exit_code == 0, result.output
    items = docx_items(out)
    i4 = items.index("四、政府信息公开行政复议、行政诉讼情况")
    suits = report.values["t4.suit_direct.total"] + report.values["t4.suit_after_review.total"]
    assert items[i4 + 1] == (f"本年度因政府信息公开工作被申请行政复议{report.values['t4.review.total']}件，"
                             f"被提起行政诉讼{suits}件。具体情况如下：")
    i3 = items.index("三、收到和处理政府信息公开申请情况")
    # s1 states the figure: no sentence above 表三, whose first cell follows the heading
    assert items[i3 + 1] == report.layout.table_by_id["t3"].label_by_ref["A1"].text
    plain = tmp_path / "plain.docx"
    CliRunner().invoke(app, ["report", str(source), "-o", str(plain)])
    assert not any(i.startswith("本年度因政府信息公开工作") for i in docx_items(plain))


def test_write_is_atomic_and_fast(tmp_path: Path) -> None:
    report = random_report("2021", 2023, UNIT, random.Random(1))
    report.text = {"s1": "\n".join(["（一）主动公开情况", "内容。" * 200] * 5)}
    out = tmp_path / "fast.docx"
    start = time.perf_counter()
    write_report(report, out)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, elapsed
    assert out.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["fast.docx"]  # no temporary left behind
    assert report_bytes(report)[:2] == b"PK"


def test_report_from_a_returned_workbook(tmp_path: Path) -> None:
    from nianbao.workbook.writer import write_template

    report = random_report("2021", 2023, UNIT, random.Random(3), scale=60)
    report.text = {"s1": "（一）主动公开情况\n本年度主动公开政府信息若干条。"}
    workbook = tmp_path / "returned.xlsx"
    write_template(workbook, layout_id="2021", year=2023, unit=UNIT, report=report)
    out = tmp_path / "from-workbook.docx"
    result = CliRunner().invoke(app, ["report", str(workbook), "-o", str(out)])
    assert result.exit_code == 0, result.output
    items = docx_items(out)
    assert_in_order(["一、总体情况", "（一）主动公开情况", "本年度主动公开政府信息若干条。"], items)
    tbl = list(docx.Document(str(out)).element.body.iter(qn("w:tbl")))[1]
    texts, _, _ = table_grid(tbl)
    for f in report.layout.table_by_id["t3"].fields:
        assert texts[f.ref] == show(report.values[f.key]), f.key
