"""``nianbao import``: published reports in every form, read through one logical grid and one locator.

Material: the seed (text copied from its web page); the nine real reports of shared/real-reports
rendered by a real LibreOffice into the forms they reach an office in (a portal page, that page
pasted into Calc and saved as .xlsx, Writer's .docx, its PDF, the page saved as text); the two
originals exactly as published (a WPS-made PDF and a Word-pasted portal page).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from conftest import run
from lo.harness import requires_soffice
from nianbao.errors import UnusableInput
from nianbao.model import load_report
from nianbao.rules import check_report
from nianbao.sources import import_source, load_source

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SHARED = Path("/work/shared") if not (ROOT / ".." / "shared").exists() else (ROOT / ".." / "shared").resolve()
SEED = SHARED / "seed" / "yubei-2021-zhengwuban.txt"
REAL = SHARED / "real-reports"
ORIGINALS = REAL / "originals"
EXPECTED = json.loads((TESTS / "files" / "real" / "expected.json").read_text("utf-8"))["files"]
RULES = ("T3-", "T4-", "VALUE-")

sys.path.insert(0, str(TESTS))
import published_forms  # noqa: E402

# the unit as each report's title names it
TITLE_UNIT = {"009": "宿迁市", "010": "宿迁市", "011": "洪泽区人民政府", "012": "淮安市洪泽区人民政府",
              "013": "沐阳县人民政府", "014": "沭阳县发展和改革局", "015": "上海市科委",
              "016": "上海市人民政府办公厅", "017": "淮安市人民政府"}
YEAR = {"009": 2023, "010": 2024, "011": 2023, "012": 2024, "013": 2025, "014": 2023, "015": 2024,
        "016": 2025, "017": 2024}
# 017 (no data file in tests/files/real): figures stated in shared/real-reports/README.md
FIGURES_017 = {"t3.new.total": 3119, "t3.carried_in.total": 34, "t3.total.total": 3050,
               "t3.carried_out.total": 103, "t4.review.upheld": 72, "t4.review.corrected": 64,
               "t4.review.other": 178, "t4.review.pending": 37, "t4.review.total": 351,
               "t4.suit_direct.total": 26, "t4.suit_after_review.total": 20, "t2.normative.issued": 8}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def rule_findings(loaded: object, previous: object = None) -> Counter[tuple[str, tuple[str, ...]]]:
    result = check_report(loaded.report, previous, loaded.findings)  # type: ignore[attr-defined]
    return Counter((f.rule, f.keys) for f in result.findings if f.rule.startswith(RULES))


def want_findings(name: str) -> Counter[tuple[str, tuple[str, ...]]]:
    if name not in EXPECTED:  # 017: consistent (README), nothing to report
        return Counter()
    return Counter((f["rule"], tuple(f["keys"])) for f in EXPECTED[name]["findings"])


def transcribed(name: str) -> dict[str, object]:
    if (TESTS / "files" / "real" / f"{name}.json").is_file():
        return dict(load_report(TESTS / "files" / "real" / f"{name}.json").report.values)
    return dict(import_source(REAL / f"{name}.txt").loaded.report.values)


@pytest.fixture(scope="session")
def forms() -> Path:
    return published_forms.make_forms()


# ------------------------------------------------------------------------------------------------
# The seed
# ------------------------------------------------------------------------------------------------


def test_seed_gives_every_number_and_sections_one_five_six() -> None:
    loaded = import_source(SEED).loaded
    want = load_report(ROOT / "samples" / "yubei-2021.json").report
    got = loaded.report
    assert (got.layout.id, got.year, got.unit.name, got.date) == ("2019", 2021, want.unit.name, want.date)
    assert got.values == want.values
    for sid in ("s1", "s5", "s6"):
        # the page's text, scrape damage aside (its half-width punctuation, a lost 〕 in 〔2021〕12号)
        a, b = squash(got.text[sid]), squash(want.text[sid]).replace("〕", "")
        assert a.replace("〕", "") == b, sid
    assert got.headings == {"s5": "五、当前存在的主要问题及下步改进措施"}
    assert check_report(got, findings=loaded.findings).errors == []


def test_seed_through_the_cli_writes_a_data_file_check_agrees_with(tmp_path: Path) -> None:
    out = tmp_path / "yubei.json"
    code, text = run("import", SEED, "-o", out)
    assert code == 0, text
    assert "重庆市渝北区政务服务管理办公室" in text and "2019 版格式" in text
    assert load_report(out).report.values == load_report(ROOT / "samples" / "yubei-2021.json").report.values
    code, _ = run("check", out)
    assert code == 0


# ------------------------------------------------------------------------------------------------
# The nine real reports in every form LibreOffice gives
# ------------------------------------------------------------------------------------------------


@requires_soffice
@pytest.mark.parametrize("form", published_forms.FORMS)
@pytest.mark.parametrize("name", published_forms.REPORTS)
def test_every_number_year_unit_and_the_findings_of_readme(forms: Path, name: str, form: str) -> None:
    loaded = import_source(forms / f"{name}.{form}").loaded
    report = loaded.report
    assert (report.layout.id, report.year, report.unit.name) == ("2021", YEAR[name], TITLE_UNIT[name])
    assert report.values == transcribed(name)
    assert not report.unreadable
    assert not [f for f in loaded.findings if f.rule.startswith("IMPORT-") and f.rule != "IMPORT-SOURCE"]
    assert rule_findings(loaded) == want_findings(name)
    assert {"s1", "s6"} <= set(report.text)
    if name == "017":
        assert {k: report.values[k] for k in FIGURES_017} == FIGURES_017
    # check's one loading function gives the same (a pasted .xlsx goes through the workbook reader)
    again = load_source(forms / f"{name}.{form}")
    assert again.report.values == report.values
    assert rule_findings(again) == want_findings(name)
    assert "INPUT-MERGED" not in {f.rule for f in again.findings}


@requires_soffice
@pytest.mark.parametrize("form", published_forms.FORMS)
def test_cross_year_010_against_009(forms: Path, form: str) -> None:
    this = import_source(forms / f"010.{form}").loaded
    prev = import_source(forms / f"009.{form}").loaded.report
    got = [(f.rule, list(f.keys)) for f in check_report(this.report, prev).findings
           if f.rule in ("T3-CARRY-OVER", "T2-IN-FORCE")]
    assert got == [(f["rule"], f["keys"]) for f in EXPECTED["010"]["cross_year"]["findings"]]


@requires_soffice
def test_mixed_layout_of_011_is_reported_and_read_into_2021_keys(forms: Path) -> None:
    loaded = import_source(forms / "011.xlsx").loaded
    assert [f.rule for f in loaded.findings if f.rule == "LAYOUT-MIXED"] == ["LAYOUT-MIXED"]
    assert loaded.report.values["t3.other_other.natural"] == 0
    errors = check_report(loaded.report, findings=loaded.findings).errors
    assert [(f.rule, f.expected, f.actual) for f in errors if f.rule == "T4-TOTAL"] == [
        ("T4-TOTAL", 11, 0), ("T4-TOTAL", 5, 0)]


def test_2021_table_three_in_a_2019_report_is_summed_into_its_single_sixth_row(tmp_path: Path) -> None:
    sixth = "(六)其他处理\n\n" + "\n\n".join(["0"] * 7) + "\n"
    rows = "".join(f"{label}\n\n" + "\n\n".join([str(n)] * 6 + [str(6 * n)]) + "\n\n" for label, n in (
        ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 1),
        ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2), ("3.其他", 3)))
    p = _seed_with(sixth, "(六)其他处理\n\n" + rows, tmp_path)
    loaded = import_source(p).loaded
    assert loaded.report.layout.id == "2019"
    [mixed] = [f for f in loaded.findings if f.rule == "LAYOUT-MIXED"]
    assert (mixed.expected, mixed.actual) == ("2019", "2021")
    assert loaded.report.values["t3.other.natural"] == 6 and loaded.report.values["t3.other.total"] == 36


@requires_soffice
def test_pasted_calc_workbook_has_tables_on_one_column_grid(forms: Path) -> None:
    """What the issue saw: one logical cell over several merged physical columns."""
    from openpyxl import load_workbook

    ws = load_workbook(forms / "014.xlsx").active
    wide = [r for r in ws.merged_cells.ranges if r.max_col - r.min_col >= 1 and r.min_row == r.max_row]
    assert len(wide) > 20
    loaded = load_source(forms / "014.xlsx")  # through check's loading function
    assert "INPUT-MERGED" not in {f.rule for f in loaded.findings}
    assert loaded.report.values == transcribed("014")


# ------------------------------------------------------------------------------------------------
# The two originals, exactly as published
# ------------------------------------------------------------------------------------------------


def test_wps_pdf_original_gives_exactly_the_numbers_of_017() -> None:
    loaded = import_source(ORIGINALS / "017-huaian-2024.pdf").loaded
    report = loaded.report
    assert report.values == import_source(REAL / "017.txt").loaded.report.values
    assert {k: report.values[k] for k in FIGURES_017} == FIGURES_017
    assert (report.year, report.unit.name) == (2024, "淮安市人民政府")
    assert rule_findings(loaded) == Counter()
    assert "3940 元" in report.text["s6"]


def test_word_pasted_portal_page_gives_exactly_the_numbers_of_014() -> None:
    loaded = import_source(ORIGINALS / "014-shuyang-fagai-2023.html").loaded
    report = loaded.report
    assert report.values == import_source(REAL / "014.txt").loaded.report.values == transcribed("014")
    assert (report.year, report.unit.name, report.date) == (2023, "沭阳县发展和改革局", "2024-01-17")
    assert rule_findings(loaded) == want_findings("014")
    assert report.headings["s5"] == "五、存在的主要问题及整改措施"


@requires_soffice
def test_word_pasted_original_pasted_into_calc_and_into_writer(tmp_path: Path) -> None:
    """The real portal page copied into a spreadsheet (Calc) and into a document (Writer)."""
    page = tmp_path / "014.html"
    shutil.copy(ORIGINALS / "014-shuyang-fagai-2023.html", page)
    published_forms._soffice(tmp_path, ["--infilter=HTML (StarCalc)", "--convert-to", "xlsx:Calc MS Excel 2007 XML"],
                             [page])
    published_forms._soffice(tmp_path, ["--infilter=HTML (StarWriter)", "--convert-to", "docx:MS Word 2007 XML"],
                             [page])
    for form in ("xlsx", "docx"):
        loaded = load_source(tmp_path / f"014.{form}")  # check's loading function
        assert loaded.report.values == transcribed("014"), form
        assert loaded.report.unit.name == "沭阳县发展和改革局"
        assert rule_findings(loaded) == want_findings("014")
        assert "INPUT-MERGED" not in {f.rule for f in loaded.findings}


# ------------------------------------------------------------------------------------------------
# Encodings and page forms
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("declared", [True, False])
def test_gbk_page_declared_or_detected(tmp_path: Path, declared: bool) -> None:
    page = published_forms.page_html("016").replace('<meta charset="utf-8">',
                                                     '<meta charset="gbk">' if declared else "")
    p = tmp_path / "016.htm"
    p.write_bytes(page.encode("gb18030"))
    loaded = import_source(p).loaded
    assert loaded.report.values == transcribed("016")
    assert loaded.report.unit.name == "上海市人民政府办公厅"


requires_chromium = pytest.mark.skipif(
    not os.environ.get("CI") and not (shutil.which("chromium") and shutil.which("chromedriver")),
    reason="headless Chromium and chromedriver not installed")


@requires_chromium
@requires_soffice
def test_mhtml_saved_by_chromium(forms: Path, tmp_path: Path) -> None:
    """The page as a real browser saves it (.mhtml, Chromium's page snapshot)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=options)
    try:
        driver.get((forms / "015.html").as_uri())
        snapshot = driver.execute_cdp_cmd("Page.captureSnapshot", {"format": "mhtml"})["data"]
    finally:
        driver.quit()
    p = tmp_path / "015.mhtml"
    p.write_bytes(snapshot.encode("utf-8"))
    assert snapshot.startswith("From: <Saved by Blink>")
    loaded = import_source(p).loaded
    assert loaded.report.values == transcribed("015")
    assert (loaded.report.year, loaded.report.unit.name) == (2024, "上海市科委")
    assert rule_findings(loaded) == want_findings("015")


# ------------------------------------------------------------------------------------------------
# Never guess
# ------------------------------------------------------------------------------------------------


def _seed_with(old: str, new: str, tmp_path: Path) -> Path:
    text = SEED.read_text("utf-8")
    assert old in text
    p = tmp_path / "seed.txt"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def test_cells_run_together_stay_unread_with_the_raw_text(tmp_path: Path) -> None:
    p = _seed_with("规范性文件\n\n0\n\n0\n\n0\n", "规范性文件898989\n", tmp_path)
    loaded = import_source(p).loaded
    [f] = [f for f in loaded.findings if f.rule == "IMPORT-RUN-TOGETHER"]
    assert f.keys == ("t2.normative.made", "t2.normative.published", "t2.normative.total")
    assert "表二" in f.message and "规范性文件898989" in f.message and f.severity.value == "error"
    assert not set(f.keys) & set(loaded.report.values)
    out = tmp_path / "out.json"
    code, _ = run("import", p, "-o", out)
    assert code == 1
    assert json.loads(out.read_text("utf-8"))["values"]["t2.normative.made"] == "（未读出）规范性文件898989"
    assert run("check", out)[0] == 1


def test_a_value_whose_column_cannot_be_told_stays_unread(tmp_path: Path) -> None:
    # 表三 row （一）予以公开 with six numbers for seven columns
    text = SEED.read_text("utf-8")
    i = text.index("(一)予以公开")
    j = text.index("(二)部分公开")
    p = tmp_path / "seed.txt"
    p.write_text(text[:i] + "(一)予以公开\n\n0\n\n0\n\n0\n\n0\n\n0\n\n0\n\n" + text[j:], encoding="utf-8")
    loaded = import_source(p).loaded
    [f] = [f for f in loaded.findings if f.rule == "IMPORT-COLUMNS"]
    assert f.keys[0] == "t3.granted.natural" and len(f.keys) == 7
    assert "表三" in f.message and "6 个数字格" in f.message


def test_report_cut_off_mid_table(tmp_path: Path) -> None:
    page = published_forms.page_html("009")
    cut = page[:page.index("（五）不予处理")]
    p = tmp_path / "cut.html"
    p.write_text(cut, encoding="utf-8")
    loaded = import_source(p).loaded
    [cut] = [f for f in loaded.findings if f.rule == "IMPORT-TABLE-CUT"]  # one cause, reported once
    assert cut.keys[0] == "t3.declined_petition.natural" and cut.keys[-1] == "t3.carried_out.total"
    assert "表三" in cut.message and "1.信访举报投诉类申请" in cut.message and "10 行" in cut.message
    assert not [f for f in loaded.findings if f.rule == "IMPORT-ROW-MISSING"]
    assert "IMPORT-TABLE-MISSING" in {f.rule for f in loaded.findings}  # 表四 never came
    assert loaded.report.values["t3.new.total"] == transcribed("009")["t3.new.total"]  # what was there was read
    code, text = run("import", p)
    assert code == 1 and "Traceback" not in text


def test_a_row_left_out_is_named_and_its_neighbours_still_read(tmp_path: Path) -> None:
    page = published_forms.page_html("017")
    cut, n = re.subn(r'<tr><td rowspan="\d+">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>.*?</tr>',
                     "<tr><td>三、本年度办理结果</td></tr>", page, count=1)
    assert n == 1
    p = tmp_path / "017.html"
    p.write_text(cut, encoding="utf-8")
    loaded = import_source(p).loaded
    [f] = [f for f in loaded.findings if f.rule.startswith("IMPORT-") and f.rule != "IMPORT-SOURCE"]
    assert f.rule == "IMPORT-ROW-MISSING" and f.keys[0] == "t3.granted.natural" and "（一）予以公开" in f.message
    want = transcribed("017")
    assert {k: v for k, v in loaded.report.values.items() if not k.startswith("t3.granted.")} == {
        k: v for k, v in want.items() if not k.startswith("t3.granted.")}


def test_page_without_tables_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "news.html"
    p.write_text("<html><body><h1>宿迁市2023年政府信息公开工作年度报告</h1><p>正文。</p></body></html>",
                 encoding="utf-8")
    with pytest.raises(UnusableInput) as exc:
        import_source(p)
    assert exc.value.code == "E-IMPORT-NO-TABLES"
    code, text = run("import", p, SEED)  # one bad file never stops a batch
    assert code == 2 and "找不到年报的统计表" in text and "重庆市渝北区" in text


@requires_soffice
def test_scanned_pdf_is_refused_with_a_clear_message(forms: Path, tmp_path: Path) -> None:
    """A page image in a PDF without a text layer, as scanning software writes it (poppler + Pillow)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(forms / "011.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page*.png"))]
    scanned = tmp_path / "scanned.pdf"
    pages[0].save(scanned, save_all=True, append_images=pages[1:])
    code, text = run("import", scanned)
    assert code == 2 and "扫描件" in text and "Traceback" not in text
    assert run("check", scanned)[0] == 2


# ------------------------------------------------------------------------------------------------
# Every command takes every form
# ------------------------------------------------------------------------------------------------


@requires_soffice
def test_init_previous_takes_last_years_published_report(forms: Path, tmp_path: Path, roster: Path) -> None:
    code, text = run("init", tmp_path / "ws", "--year", "2024", "--roster", roster, "--office", "宿迁市人民政府办公室",
                     "--previous", forms / "009.docx")
    assert code == 0, text
    from nianbao.campaign.previous import load_previous

    [prev] = load_previous(forms / "009.docx").reports
    assert prev.values == transcribed("009") and prev.year == 2023


@requires_soffice
def test_commands_accept_published_forms(forms: Path, tmp_path: Path) -> None:
    code, text = run("check", forms / "011.docx", "--json")
    assert code == 1
    rules = [f["rule"] for f in json.loads(text)["findings"]]
    assert rules.count("T4-TOTAL") == 2
    assert run("check", forms / "013.pdf")[0] == 0
    assert run("export", forms / "013.html", "-o", tmp_path / "013.json")[0] == 0
    assert load_report(tmp_path / "013.json").report.values == load_report(
        tmp_path / "013.json").report.values | transcribed("013")
    code, text = run("report", forms / "017.html", "-o", tmp_path / "017.docx")
    assert code == 0, text
    assert (tmp_path / "017.docx").stat().st_size > 5000
    code, text = run("template", "-o", tmp_path / "t.xlsx", "--year", "2025", "--unit-name", "淮安市人民政府",
                     "--data", forms / "017.txt")
    assert code == 0, text
    code, text = run("import", forms / "009.pdf", forms / "010.xlsx", "-d", tmp_path / "out", "--json")
    assert code == 0
    files = json.loads(text)["files"]
    assert [f["data"]["year"] for f in files] == [2023, 2024]
    assert (tmp_path / "out" / "009.json").is_file() and (tmp_path / "out" / "010.json").is_file()
    # two forms of one report in one batch: neither output replaces the other
    code, _ = run("import", forms / "009.html", forms / "009.docx", "-d", tmp_path / "both")
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "both").iterdir()) == ["009.docx.json", "009.json"]


def test_text_from_the_file_is_shown_as_data_not_markup(tmp_path: Path) -> None:
    p = _seed_with("规范性文件\n", "规范性文件[red]改[/red]\n", tmp_path)
    code, text = run("import", p)
    assert code == 0
    assert "[red]改[/red]" in text.replace("\n", "").replace("│", "").replace(" ", "")


def test_import_never_writes_onto_an_input(tmp_path: Path) -> None:
    p = tmp_path / "seed.txt"
    p.write_bytes(SEED.read_bytes())
    code, text = run("import", p, "-o", p)
    assert code == 2 and p.read_bytes() == SEED.read_bytes() and "不能覆盖原件" in text


def test_word_pasted_pieces_numbers_in_spans_labels_over_two_cells(tmp_path: Path) -> None:
    """Word's HTML: a number split over <span>s, a label split over two cells, <br> and &nbsp;."""
    page = published_forms.page_html("012")
    page, n1 = re.subn(r"<td>(行政)?规范性文件</td>", r"<td>\1规范<o:p></o:p></td><td>性文件</td>", page, count=1)
    page, n2 = re.subn(r"(<td[^>]*>)（二）部分公开（", r"\1（二）部分公开<br>（", page, count=1)
    page, n3 = re.subn(r"<td>(\d)(\d+)</td>", r"<td><span lang=EN-US>\1</span><font>\2</font></td>", page)
    assert (n1, n2) == (1, 1) and n3 > 5
    p = tmp_path / "012.html"
    p.write_bytes(page.encode("gb18030").replace(b'charset="utf-8"', b'charset="gb2312"'))
    loaded = import_source(p).loaded
    assert loaded.report.values == transcribed("012")
    assert not [f for f in loaded.findings if f.rule.startswith("IMPORT-") and f.rule != "IMPORT-SOURCE"]


def test_no_file_of_the_corpus_gives_a_traceback() -> None:
    """Every file the project keeps (returns, unsafe files, real reports, specs): a verdict or a
    clear refusal, never an internal error."""
    suffixes = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv", ".html", ".htm", ".docx", ".pdf", ".txt", ".md"}
    files = [p for base in (TESTS / "files", SHARED) for p in sorted(base.rglob("*"))
             if p.is_file() and p.suffix.lower() in suffixes]
    assert len(files) > 50
    for p in files:
        code, text = run("import", p)
        assert code in (0, 1, 2) and "内部错误" not in text and "Traceback" not in text, (p, text[-400:])


_POOL = ["规章", "行政规范性文件", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费",
         "一、本年新收政府信息公开申请数量", "（一）予以公开", "（三）不予公开", "1.属于国家秘密", "（七）总计",
         "四、结转下年度继续办理", "行政复议", "行政诉讼", "结果维持", "总计", "信息内容", "本年制发件数",
         "宿迁市2023年政府信息公开工作年度报告", "", " ", "0", "12", "3.5", "22（其中修订16件）", "/", "若干",
         "规范性文件898989", "一、总体情况", "六、其他需要报告的事项"]


def test_locate_on_any_grid_reads_or_refuses_never_crashes() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from nianbao.sources.grid import Cell, Document, Grid
    from nianbao.sources.locate import locate

    cell = st.sampled_from(_POOL).map(Cell)
    grid = st.lists(st.lists(cell, max_size=18), max_size=40).map(lambda rows: Grid("g", rows))
    block = st.one_of(st.sampled_from(_POOL), grid)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(block, max_size=12))
    def run_one(blocks: list[object]) -> None:
        doc = Document("x.html", "html", list(blocks))  # type: ignore[arg-type]
        try:
            imported = locate(doc)
        except UnusableInput as exc:
            assert exc.code in ("E-IMPORT-NO-TABLES", "E-IMPORT-NO-YEAR")
            return
        report = imported.loaded.report
        assert set(report.values) <= set(report.layout.fields)
        # the data file it writes is always a valid data file saying the same numbers
        from nianbao.model import report_from_json
        from nianbao.sources import data_file

        again = report_from_json(json.loads(json.dumps(data_file(imported), ensure_ascii=False))).report
        assert again.values == report.values

    run_one()
