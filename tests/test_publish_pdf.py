"""report -o x.pdf: the .docx converted by a real LibreOffice; A4, GB/T 9704 type area, 22 lines a
page, fonts embedded, text extractable in order; a clear message without LibreOffice."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from conftest import run
from lo.harness import requires_poppler, requires_soffice
from nianbao.layout import normalise_label
from nianbao.model import load_report, save_report
from test_docx_lo import A4, LONG_PARAGRAPH, PITCH, TOLERANCE, PdfPage, read_pdf
from test_docx_report import EXPECTED, SAMPLE, all_zero_report


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[PdfPage]]]:
    folder = tmp_path_factory.mktemp("pdf")
    long = all_zero_report("2021")
    long.text = {"s1": "\n".join([LONG_PARAGRAPH] * 20), "s5": "无。", "s6": "本机关未收取信息处理费。"}
    save_report(long, folder / "long.json")
    out: dict[str, tuple[Path, list[PdfPage]]] = {}
    for name, source in (("seed", SAMPLE), ("long", folder / "long.json")):
        pdf = folder / f"{name}.pdf"
        code, output = run("report", source, "-o", pdf)
        assert code == 0, output
        out[name] = (pdf, read_pdf(pdf))
    return out


pytestmark = [requires_soffice, requires_poppler]


@pytest.mark.parametrize("name", ["seed", "long"])
def test_pages_are_a4_and_text_lies_in_the_type_area(pdfs, name: str) -> None:  # type: ignore[no-untyped-def]
    pdf, pages = pdfs[name]
    assert pdf.read_bytes().startswith(b"%PDF")
    for no, page in enumerate(pages, start=1):
        assert abs(page.width - A4[0]) < 1 and abs(page.height - A4[1]) < 1
        left, top, right, _ = page.type_area()
        for w in page.body_words():
            assert left - TOLERANCE <= w.x0 and w.x1 <= right + TOLERANCE and top - TOLERANCE <= w.y0, (no, w)
        assert "".join(w.text for w in sorted(page.footer_words(), key=lambda w: w.x0)) == f"—{no}—"


def test_full_body_pages_hold_22_lines(pdfs) -> None:  # type: ignore[no-untyped-def]
    _, pages = pdfs["long"]
    heading = next(i for i, p in enumerate(pages) if any(w.text.startswith("二、主动公开") for w in p.words))
    full = pages[1:heading]
    assert len(full) >= 2
    for page in full:
        lines = page.lines()
        assert len(lines) == 22
        gaps = [b[0].y0 - a[0].y0 for a, b in itertools.pairwise(lines)]
        assert all(abs(g - PITCH) < 0.6 for g in gaps), gaps
    assert len(pdfs["seed"][1][1].lines()) == 22


def test_text_is_extractable_and_in_order(pdfs) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = pdfs["seed"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = normalise_label(text)
    pos = 0
    for line in EXPECTED.read_text("utf-8").splitlines():
        want = normalise_label(line)
        if not want or "|" in line or len(want) < 12:
            continue  # table rows and short labels wrap inside cells; sentences must come in order
        found = flat.find(want[:12], pos)
        assert found >= 0, line
        pos = found
    long_pdf, _ = pdfs["long"]
    long_text = normalise_label(subprocess.run(["pdftotext", str(long_pdf), "-"], capture_output=True,
                                               text=True, check=True).stdout)
    long_text = re.sub(r"—\d+—", "", long_text)  # the page numbers between pages
    assert normalise_label("\n".join([LONG_PARAGRAPH] * 20)) in long_text


def test_fonts_are_embedded(pdfs) -> None:  # type: ignore[no-untyped-def]
    pdf, _ = pdfs["seed"]
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [ln.split() for ln in listing.splitlines()[2:] if ln.strip()]
    assert rows
    for row in rows:
        emb = row[-5]  # columns: name type… encoding emb sub uni object ID
        assert emb == "yes", row


def test_same_pages_as_the_docx_converted_directly(pdfs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from lo.harness import convert_to_pdf
    from nianbao.word.report import write_report

    write_report(load_report(SAMPLE).report, tmp_path / "seed.docx")
    direct = read_pdf(convert_to_pdf(tmp_path / "seed.docx", tmp_path / "seed.pdf"))
    _, pages = pdfs["seed"]
    assert [len(p.lines()) for p in pages] == [len(p.lines()) for p in direct]


@pytest.mark.parametrize("soffice", ["/nonexistent/soffice", "false"])
def test_without_a_working_libreoffice_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          soffice: str) -> None:
    monkeypatch.setenv("NIANBAO_SOFFICE", soffice)
    target = tmp_path / "年报.pdf"
    code, output = run("report", SAMPLE, "-o", target)
    assert code == 2 if soffice.startswith("/") else code != 0
    if soffice.startswith("/"):
        assert "LibreOffice" in output and "apt-get install libreoffice-writer" in output
    else:
        assert "未能把报告转换为 PDF" in output
    assert not target.exists()
    target.write_bytes(b"old")
    run("report", SAMPLE, "-o", target)
    assert target.read_bytes() == b"old"
