"""The Word report as LibreOffice lays it out: every generated report converted to PDF, then measured.

GB/T 9704 geometry is checked on the PDF, not the XML: A4 pages, text inside the type area
(margins 37/35/28/26 mm), nothing drawn outside it but the page number, 22 lines on a full body
page, 28 characters on a full line, and numbers never broken across lines in the tables. This
machine has no 仿宋_GB2312; LibreOffice substitutes a CJK font of the same advance width, so lines
and pages are as in the real fonts while glyphs differ.
"""

from __future__ import annotations

import html
import itertools
import random
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from lo.harness import requires_poppler, requires_soffice, run_job
from nianbao.layout import normalise_label
from nianbao.model import Report, Unit, load_report
from nianbao.synth import random_report
from nianbao.values import show
from nianbao.word.report import write_report
from test_docx_report import all_zero_report, big_t3_report

pytestmark = [requires_soffice, requires_poppler]

ROOT = Path(__file__).parents[1]
PT_PER_MM = 72 / 25.4
A4 = (210 * PT_PER_MM, 297 * PT_PER_MM)
# GB/T 9704 margins (mm): top, bottom, left, right of a portrait page.
TOP, BOTTOM, LEFT, RIGHT = 37, 35, 28, 26
PITCH = 28.95
TOLERANCE = 2.0  # pt
LONG_PARAGRAPH = "政府信息公开工作稳步推进，公开质量持续提升，群众满意度不断提高。" * 16


@dataclass(frozen=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def type_area(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) in pt; a landscape page has its margins turned with it."""
        if self.landscape:
            left, right, top, bottom = TOP, BOTTOM, RIGHT, LEFT
        else:
            left, right, top, bottom = LEFT, RIGHT, TOP, BOTTOM
        return (left * PT_PER_MM, top * PT_PER_MM, self.width - right * PT_PER_MM,
                self.height - bottom * PT_PER_MM)

    def body_words(self) -> list[Word]:
        bottom = self.type_area()[3]
        return [w for w in self.words if w.y0 < bottom]

    def footer_words(self) -> list[Word]:
        bottom = self.type_area()[3]
        return [w for w in self.words if w.y0 >= bottom]

    def lines(self) -> list[list[Word]]:
        """Body words grouped into lines by their top edge."""
        out: list[list[Word]] = []
        for w in sorted(self.body_words(), key=lambda w: (w.y0, w.x0)):
            if out and abs(out[-1][0].y0 - w.y0) < 3:
                out[-1].append(w)
            else:
                out.append([w])
        return out


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def read_pdf(pdf: Path) -> list[PdfPage]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    pages = []
    for m in _PAGE.finditer(out):
        words = tuple(Word(float(a), float(b), float(c), float(d), html.unescape(t))
                      for a, b, c, d, t in _WORD.findall(m.group(3)))
        pages.append(PdfPage(float(m.group(1)), float(m.group(2)), words))
    return pages


def dark_pixels(pdf: Path, page_no: int, dpi: int = 36) -> tuple[list[tuple[float, float]], float]:
    """Positions (pt) of the dark pixels of one page, rendered in grey; and the size of a pixel."""
    raw = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page_no), "-l", str(page_no),
                          str(pdf)], capture_output=True, check=True, timeout=120).stdout
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    assert header, raw[:20]
    width, height = int(header.group(1)), int(header.group(2))
    data = raw[header.end():]
    scale = 72 / dpi
    out = []
    for y in range(height):
        row = data[y * width:(y + 1) * width]
        for x, value in enumerate(row):
            if value < 160:
                out.append((x * scale, y * scale))
    return out, scale


# --------------------------------------------------------------------------------------------
# The reports, written and converted once per session (one LibreOffice job for all of them)
# --------------------------------------------------------------------------------------------

UNIT = Unit("某某县某某局", "000-01")


def _cases() -> dict[str, Report]:
    seed = load_report(ROOT / "samples" / "yubei-2021.json").report
    random_2021 = random_report("2021", 2023, UNIT, random.Random(7), scale=500)
    random_2021.date = "2024-01-25"
    random_2021.text = dict(seed.text)
    long = all_zero_report("2021")
    long.text = {"s1": "\n".join([LONG_PARAGRAPH] * 20), "s5": "无。", "s6": "本机关未收取信息处理费。"}
    big_t4 = all_zero_report("2021")
    for f in big_t4.layout.table_by_id["t4"].fields:
        if f.is_input:
            big_t4.values[f.key] = 2_345_678
    return {
        "seed": seed,
        "random_2021": random_2021,
        "zero_2019": all_zero_report("2019"),
        "zero_2021": all_zero_report("2021"),
        "big_t3": big_t3_report("2021"),
        "big_t3_2019": big_t3_report("2019"),
        "big_t4": big_t4,
        "long": long,
    }


@pytest.fixture(scope="session")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Report, Path, list[PdfPage]]]:
    folder = tmp_path_factory.mktemp("docx_lo")
    reports = _cases()
    actions = []
    for name, report in reports.items():
        write_report(report, folder / f"{name}.docx")
        actions.append({"op": "convert", "src": folder / f"{name}.docx", "dst": folder / f"{name}.pdf",
                        "filter": "writer_pdf_Export"})
    run_job(actions, timeout=300)
    return {name: (report, folder / f"{name}.pdf", read_pdf(folder / f"{name}.pdf"))
            for name, report in reports.items()}


CASES = list(_cases())


# --------------------------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_pages_are_a4(converted, name: str) -> None:  # type: ignore[no-untyped-def]
    _, _, pages = converted[name]
    assert pages
    for page in pages:
        size = (page.width, page.height) if not page.landscape else (page.height, page.width)
        assert abs(size[0] - A4[0]) < 1 and abs(size[1] - A4[1]) < 1
    assert any(p.landscape for p in pages) == (name == "big_t4")


@pytest.mark.parametrize("name", CASES)
def test_text_lies_in_the_type_area_and_page_numbers_below_it(converted, name: str) -> None:  # type: ignore[no-untyped-def]
    _, _, pages = converted[name]
    for no, page in enumerate(pages, start=1):
        left, top, right, bottom = page.type_area()
        for w in page.body_words():
            assert left - TOLERANCE <= w.x0 and w.x1 <= right + TOLERANCE, (name, no, w)
            assert top - TOLERANCE <= w.y0, (name, no, w)
            assert w.y1 <= bottom + TOLERANCE, (name, no, w)
        footer = "".join(w.text for w in sorted(page.footer_words(), key=lambda w: w.x0))
        assert footer == f"—{no}—", (name, no, footer)
        # GB/T 9704 7.5: odd pages on the right, even pages on the left
        centre = sum(w.x0 + w.x1 for w in page.footer_words()) / (2 * len(page.footer_words()))
        assert (centre > page.width / 2) == (no % 2 == 1), (name, no)


@pytest.mark.parametrize("name", ["seed", "big_t3", "big_t3_2019", "big_t4", "random_2021"])
def test_nothing_is_drawn_outside_the_type_area(converted, name: str) -> None:  # type: ignore[no-untyped-def]
    """Table borders included: no table is wider than the type area of its page."""
    _, pdf, pages = converted[name]
    for no, page in enumerate(pages, start=1):
        left, top, right, bottom = page.type_area()
        dots, pixel = dark_pixels(pdf, no)
        slack = TOLERANCE + pixel
        stray = [(x, y) for x, y in dots
                 if y < bottom and not (left - slack <= x <= right + slack and top - slack <= y)]
        assert not stray, (name, no, stray[:5])


def test_body_pages_hold_22_lines_of_28_characters(converted) -> None:  # type: ignore[no-untyped-def]
    _, _, pages = converted["long"]
    heading = next(i for i, p in enumerate(pages)
                   if any(w.text.startswith("二、主动公开政府信息情况") for w in p.words))
    full = pages[1:heading]  # pages 2 … the one before 二: narrative from top to bottom
    assert len(full) >= 3
    for page in full:
        lines = page.lines()
        assert len(lines) == 22
        tops = [line[0].y0 for line in lines]
        gaps = [b - a for a, b in itertools.pairwise(tops)]
        assert all(abs(g - PITCH) < 0.6 for g in gaps), gaps
        left = page.type_area()[0]
        counts = [len("".join(w.text for w in line)) for line in lines if abs(line[0].x0 - left) < 3]
        # a full line of an unindented line: 28 characters (kinsoku may move one to the next line)
        assert Counter(counts).most_common(1)[0][0] == 28, counts
        assert max(counts) <= 28


def test_seed_second_page_is_a_full_body_page(converted) -> None:  # type: ignore[no-untyped-def]
    _, _, pages = converted["seed"]
    assert len(pages[1].lines()) == 22


def test_long_narrative_flows_over_pages_and_is_all_there(converted) -> None:  # type: ignore[no-untyped-def]
    report, _, pages = converted["long"]
    text = "".join(w.text for p in pages for line in p.lines() for w in line)
    assert normalise_label(report.text["s1"]) in normalise_label(text)
    assert len(pages) >= 7


@pytest.mark.parametrize("name", ["big_t3", "big_t3_2019", "big_t4", "random_2021"])
def test_numbers_are_never_broken(converted, name: str) -> None:  # type: ignore[no-untyped-def]
    report, _, pages = converted[name]
    values = report.resolved().values
    table = "t4" if name == "big_t4" else "t3"
    wanted = Counter(show(values[f.key]) for f in report.layout.table_by_id[table].fields)
    got = Counter(w.text for p in pages for w in p.words)
    missing = {n: c for n, c in wanted.items() if got[n] < c}
    assert not missing
    if name.startswith("big_t3"):
        assert min(len(n) for n in wanted) == 7


@pytest.mark.parametrize("name", ["seed", "random_2021", "zero_2019", "zero_2021"])
def test_every_heading_reaches_the_page(converted, name: str) -> None:  # type: ignore[no-untyped-def]
    report, _, pages = converted[name]
    lines = {normalise_label("".join(w.text for w in line)) for p in pages for line in p.lines()}
    for section in report.layout.sections:
        assert normalise_label(report.heading(section.id)) in lines, (name, section.id)
