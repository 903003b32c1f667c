"""The Word report's pages and properties (issue 15): 表三 kept together where it fits, otherwise
split with its header repeated and at least 5 rows on each side; the .docx dated now, by the office,
with a font table of its own fonts. Pages are LibreOffice's (docx → PDF), read with pdftotext."""

from __future__ import annotations

import random
import re
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import docx
import pytest

from lo.harness import convert_to_pdf, pdf_page_count, requires_poppler, requires_soffice
from nianbao.layout import normalise_label
from nianbao.model import Unit, load_report
from nianbao.synth import random_report
from nianbao.word.report import write_report
from nianbao.word.style import Fonts

ROOT = Path(__file__).parents[1]
SEED = ROOT / "samples" / "yubei-2021.json"


def _t3_rows_by_page(pdf: Path, layout_rows: list[str]) -> dict[int, list[str]]:
    """Which body-row labels of 表三 each page shows (first 8 characters of each label)."""
    out: dict[int, list[str]] = {}
    for page in range(1, pdf_page_count(pdf) + 1):
        text = normalise_label(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                                              capture_output=True, text=True, check=True).stdout)
        found = [label for label in layout_rows if label in text]
        if found:
            out[page] = found
    return out


def _labels(report) -> list[str]:  # type: ignore[no-untyped-def]
    t3 = report.layout.table_by_id["t3"]
    rows = sorted({int(f.ref[1:]) for f in t3.fields})
    by_row = {int(lb.ref[1:]): lb.text for lb in t3.labels if lb.ref.startswith("C") or lb.ref.startswith("A")}
    labels = [normalise_label(by_row[r])[:10] for r in rows if r in by_row]
    return [lb for lb in labels if labels.count(lb) == 1]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, object]]:
    tmp = tmp_path_factory.mktemp("t3pages")
    seed = load_report(SEED).report
    big = random_report("2021", 2025, Unit("重庆市渝北区人民政府办公室", "O"), random.Random(8), scale=4000)
    big.text["s1"] = "本年度政府信息公开工作稳步推进。" * 30
    out = {}
    for name, report in (("seed", seed), ("big", big)):
        path = tmp / f"{name}.docx"
        write_report(report, path)
        out[name] = (path, report)
    return out


@requires_soffice
@requires_poppler
def test_t3_is_kept_on_one_page_when_it_fits(reports) -> None:  # type: ignore[no-untyped-def]
    path, report = reports["seed"]
    pdf = convert_to_pdf(path, path.with_suffix(".pdf"))
    labels = _labels(report)
    pages = _t3_rows_by_page(pdf, labels)
    assert len(pages) == 1 and len(next(iter(pages.values()))) >= len(labels) - 1, pages


@requires_soffice
@requires_poppler
def test_a_long_t3_splits_with_its_header_and_five_rows_each_side(reports) -> None:  # type: ignore[no-untyped-def]
    path, report = reports["big"]
    pdf = convert_to_pdf(path, path.with_suffix(".pdf"))
    labels = _labels(report)
    pages = _t3_rows_by_page(pdf, labels)
    assert len(pages) == 2, pages
    assert all(len(found) >= 5 for found in pages.values()), pages
    for page in pages:
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "申请人情况" in text  # the header rows repeat on the second page


def test_core_properties_are_the_office_s_and_dated_now(reports) -> None:  # type: ignore[no-untyped-def]
    path, report = reports["seed"]
    props = docx.Document(str(path)).core_properties
    assert props.title == report.display_title and props.author == report.unit.name
    now = datetime.now(UTC).replace(tzinfo=None)
    assert props.created is not None and abs(props.created.replace(tzinfo=None) - now) < timedelta(minutes=10)
    assert props.modified is not None and props.created.year >= 2025


def test_font_table_lists_the_report_s_fonts_only(reports) -> None:  # type: ignore[no-untyped-def]
    path, _ = reports["seed"]
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
        theme = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/theme/"))
    names = re.findall(r'<w:font w:name="([^"]+)"', table)
    f = Fonts()
    assert set(names) == {f.latin, f.title, f.body, f.heading, f.subheading, f.table, f.page_number}
    assert "明朝" not in table and "ゴシック" not in table and "明朝" not in theme
