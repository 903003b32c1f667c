"""The finished annual report as a Word document, laid out per GB/T 9704-2012.

One function does the work: ``write_report(report, path)``. The document is built from the report
model alone: the title, the six sections with their headings (statutory unless the data overrides
them), the narrative paragraphs, the statutory tables drawn from the layout with recomputed totals,
the signature and the date. Page and type settings come from ``style.py``.

The XML is written directly (python-docx gives the package, styles and sections): it is faster than
cell-by-cell python-docx calls and lets each property that GB/T 9704 needs be set explicitly —
East Asian fonts (``w:eastAsia``, never theme fonts), exact line pitch, character spacing, repeating
table header rows (``w:tblHeader``) and rows that do not split (``w:cantSplit``).
"""

from __future__ import annotations

import copy
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as Date
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from nianbao.findings import CheckResult, Finding, Severity
from nianbao.messages import message
from nianbao.model import Report, write_atomic
from nianbao.word import style, tables
from nianbao.word.style import Fonts, Page

W = f"{{{'http://schemas.openxmlformats.org/wordprocessingml/2006/main'}}}"

# Paragraph style ids (also what a clerk sees in Word's style list).
BODY, TITLE, HEADING1, HEADING2, PLAIN, DRAFT, FOOTER = (
    "nbBody", "nbTitle", "nbHeading1", "nbHeading2", "nbPlain", "nbDraft", "nbPageNumber")

_LEVEL1 = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]")
_LEAD_IN_END = re.compile(r"[。：:]")


def _twips(points: float) -> int:
    return round(points * 20)


def _mm_twips(mm: float) -> int:
    return round(mm / style.MM_PER_PT * 20)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def write_report(report: Report, path: str | os.PathLike[str], *, draft: bool = False,
                 fonts: Fonts | None = None, findings: Iterable[Finding] | None = None,
                 standard_sentences: dict[str, str] | None = None) -> None:
    """Write the report as ``.docx`` at ``path`` (atomically: never a partial file).

    ``draft`` puts a visible draft mark on the first page; with ``findings`` that include errors
    the mark says the data failed validation, and the findings are listed at the end.
    ``standard_sentences`` (section id → sentence, see ``narrative.standard_sentences``) are put
    above the tables of sections whose narrative says nothing of the figures.
    """
    write_atomic(Path(path), report_bytes(report, draft=draft, fonts=fonts, findings=findings,
                                          standard_sentences=standard_sentences))


def report_bytes(report: Report, *, draft: bool = False, fonts: Fonts | None = None,
                 findings: Iterable[Finding] | None = None,
                 standard_sentences: dict[str, str] | None = None) -> bytes:
    fonts = fonts or Fonts()
    document = build_document(report, draft=draft, fonts=fonts, findings=findings,
                              standard_sentences=standard_sentences)
    buffer = io.BytesIO()
    document.save(buffer)
    return clean_package(buffer.getvalue(), fonts)


_CJK_FONT = re.compile(r"[\u3000-\u9fff\uff00-\uffef]|_GB2312|^(SimSun|SimHei|FangSong|KaiTi)", re.I)
_THEME_JPAN = re.compile(rb'<a:font script="(?:Jpan|Hang|Hans|Hant)" typeface="[^"]*"/>')


def font_table(fonts: Fonts) -> bytes:
    """``word/fontTable.xml`` listing the fonts the report uses, and only those."""
    names = list(dict.fromkeys((fonts.latin, fonts.title, fonts.body, fonts.heading, fonts.subheading,
                                fonts.table, fonts.page_number)))
    items = []
    for name in names:
        if _CJK_FONT.search(name):
            items.append(f'<w:font w:name="{escape(name, {chr(34): "&quot;"})}"><w:charset w:val="86"/>'
                         '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>')
        else:
            items.append(f'<w:font w:name="{escape(name, {chr(34): "&quot;"})}"><w:charset w:val="00"/>'
                         '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
            f'<w:fonts {nsdecls("w")}>' + "".join(items) + "</w:fonts>").encode("utf-8")


def clean_package(data: bytes, fonts: Fonts) -> bytes:
    """The saved .docx with python-docx's template leftovers replaced: the font table lists the
    report's fonts (not ＭＳ 明朝 and the other fonts of the default template), and the theme
    names no Japanese or Korean fonts."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                blob = font_table(fonts)
            elif info.filename.startswith("word/theme/"):
                blob = _THEME_JPAN.sub(b"", blob)
            dst.writestr(info, blob)
    return out.getvalue()


@dataclass
class ReportOutcome:
    """What ``publish.write_checked`` did: the check result, and whether the file was written."""

    result: CheckResult
    title: str
    written: bool
    draft: bool
    sentences: dict[str, str] = field(default_factory=dict)
    empty_sections: list[str] = field(default_factory=list)  # headings of narrative sections left empty
    undated: bool = False  # no 成文日期 in the data: the report ends without a date line
    refusal: str = ""  # why a --final report was not written
    left_out: list[str] = field(default_factory=list)  # a roll-up's units it does not include (names)


def empty_sections(report: Report, sentences: dict[str, str] | None = None) -> list[str]:
    """Headings of the narrative sections (一、五、六) that have no text: the report says so."""
    sentences = sentences or {}
    return [report.heading(s.id) for s in report.layout.sections
            if s.table is None and not (report.text.get(s.id) or sentences.get(s.id) or "").strip()]


def draft_mark(report: Report, findings: Iterable[Finding]) -> str:
    """The first page's draft mark (also the HTML page's)."""
    if any(f.severity is Severity.ERROR for f in findings):
        return message("REPORT-DRAFT-MARK")
    if report.left_out:
        return message("REPORT-DRAFT-MARK-INCOMPLETE", count=len(report.left_out))
    return message("REPORT-DRAFT-MARK-CLEAN")


def date_line(report: Report, draft: bool) -> str | None:
    """The 成文日期 under the signature; a draft without one shows a placeholder."""
    if report.date:
        return chinese_date(report.date)
    return message("REPORT-DATE-PLACEHOLDER") if draft else None


def chinese_date(iso: str) -> str:
    """``2022-01-21`` → ``2022年1月21日``; other text is kept as written."""
    try:
        d = Date.fromisoformat(iso.strip())
    except ValueError:
        return iso.strip()
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------------------------
# Building the document
# --------------------------------------------------------------------------------------------


def build_document(report: Report, *, draft: bool = False, fonts: Fonts | None = None,
                   findings: Iterable[Finding] | None = None,
                   standard_sentences: dict[str, str] | None = None) -> Document:
    fonts = fonts or Fonts()
    findings = list(findings or ())
    document, final_sect = _blank_document(report, fonts)
    out = _DocumentBuilder(final_sect)

    if draft:
        mark = draft_mark(report, findings)
        out.paragraph(DRAFT, [(mark, None)])
    out.title(report.display_title, report.year)
    out.paragraph(BODY, [])  # one blank line between the title and the body (GB/T 9704 7.3.1)
    out.narrative(report.text.get("preface") or "", fonts)
    _sections(out, report, fonts, standard_sentences or {})

    out.keep_last_with_next()  # never a last page holding the signature and date alone
    out.paragraph(PLAIN, [], ppr_extra="<w:keepNext/>")
    date_text = date_line(report, draft)
    out.signature(report.unit.name, date_text)
    if draft and findings:
        out.findings(findings)
    return document


def _blank_document(report: Report, fonts: Fonts) -> tuple[Document, etree._Element]:
    """A document with the styles, properties, A4 page and footers, and no paragraph; its final ``w:sectPr``."""
    document = docx.Document()
    _set_styles(document, fonts)
    _set_properties(document, report)
    body = document.element.body
    final_sect = body.find(qn("w:sectPr"))
    _set_page(final_sect, style.A4)
    _set_footers(document, fonts)
    for p in list(body):
        if p.tag == qn("w:p"):
            body.remove(p)
    return document, final_sect


def _sections(out: _DocumentBuilder, report: Report, fonts: Fonts, sentences: dict[str, str]) -> None:
    """Each section: its heading, its text (or the standard sentences for an empty one) and its table,
    on a landscape page of its own when the table does not fit the portrait width."""
    values = report.resolved().values
    portrait_width = style.A4.type_width / style.MM_PER_PT
    landscape_width = style.A4.rotated().type_width / style.MM_PER_PT
    for section in report.layout.sections:
        table = report.layout.table_by_id.get(section.table) if section.table else None
        table_fit = None
        landscape = False
        if table is not None:
            table_fit = tables.fit(table, values, portrait_width)
            if table_fit is None:
                landscape = True
                table_fit = tables.fit(table, values, landscape_width) or tables.squeeze(
                    table, values, landscape_width)
        if landscape:
            out.section_break(style.A4)
        out.paragraph(HEADING1, [(report.heading(section.id), None)])
        text = report.text.get(section.id) or ""
        if not text.strip() and section.id in sentences:
            text = sentences[section.id]
        out.narrative(text, fonts)
        if table is not None and table_fit is not None:
            page = style.A4.rotated() if landscape else style.A4
            out.body_element(tables.table_element(table, values, fonts, table_fit,
                                                  page.type_height / style.MM_PER_PT))
            if landscape:
                out.section_break(style.A4.rotated())
            else:
                out.paragraph(PLAIN, [])  # keeps tables apart and ends the table cleanly


class _DocumentBuilder:
    """Appends paragraphs, tables and section breaks before the body's final ``w:sectPr``."""

    def __init__(self, final_sect: etree._Element) -> None:
        self.final_sect = final_sect

    def body_element(self, element: etree._Element) -> None:
        self.final_sect.addprevious(element)

    def paragraph(self, style_id: str, runs: Sequence[tuple[str, str | None]], *,
                  ppr_extra: str = "") -> None:
        """A paragraph of runs ``(text, font or None)``; a font overrides the style's East Asian one."""
        xml = [f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style_id}"/>{ppr_extra}</w:pPr>']
        for text, font in runs:
            xml.append(_run(text, font))
        xml.append("</w:p>")
        self.body_element(parse_xml("".join(xml)))

    def keep_last_with_next(self) -> None:
        """Keep the paragraph written last on the same page as what follows."""
        last = self.final_sect.getprevious()
        if last is not None and last.tag == qn("w:p"):
            ppr = last.find(qn("w:pPr"))
            style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
            if style_el is not None:
                style_el.addnext(parse_xml(f'<w:keepNext {nsdecls("w")}/>'))

    def title(self, title: str, year: int) -> None:
        """The title, broken before the year when it is too long for one line (梯形 layout)."""
        lines = [title]
        found = re.search(rf"{year}\s*年", title)
        cut = found.start() if found else -1
        if _width_chars(title) > style.TITLE_CHARS_PER_LINE and cut > 0:
            head, tail = title[:cut], title[cut:]
            if max(_width_chars(head), _width_chars(tail)) <= style.TITLE_CHARS_PER_LINE:
                lines = [head, tail]
        xml = [f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{TITLE}"/></w:pPr>']
        for i, line in enumerate(lines):
            if i:
                xml.append("<w:r><w:br/></w:r>")
            xml.append(_run(line, None))
        xml.append("</w:p>")
        self.body_element(parse_xml("".join(xml)))

    def narrative(self, text: str, fonts: Fonts) -> None:
        for para in narrative_paragraphs(text):
            if para.heading:
                self.paragraph(HEADING1 if para.level == 1 else HEADING2, [(para.text, None)])
            elif para.lead:
                font = fonts.heading if para.level == 1 else fonts.subheading
                self.paragraph(BODY, [(para.lead, font), (para.rest, None)])
            else:
                self.paragraph(BODY, [(para.text, None)])

    def signature(self, unit: str, date_text: str | None) -> None:
        """署名 and 成文日期: the date 右空四字, the name centred over the date."""
        char = style.BODY_SIZE + style.CHAR_SPACING
        right = style.DATE_RIGHT_CHARS * char
        if date_text:
            offset = (_width_chars(date_text) - _width_chars(unit)) / 2 * char + right
            self.paragraph(PLAIN, [(unit, None)], ppr_extra=(
                f'<w:keepNext/><w:ind w:right="{_twips(max(0.0, offset))}"/><w:jc w:val="right"/>'))
            self.paragraph(PLAIN, [(date_text, None)],
                           ppr_extra=f'<w:ind w:right="{_twips(right)}"/><w:jc w:val="right"/>')
        else:
            self.paragraph(PLAIN, [(unit, None)],
                           ppr_extra=f'<w:ind w:right="{_twips(right)}"/><w:jc w:val="right"/>')

    def findings(self, findings: Sequence[Finding]) -> None:
        errors = sum(1 for f in findings if f.severity is Severity.ERROR)
        self.paragraph(PLAIN, [])
        self.paragraph(HEADING1, [(message("REPORT-DRAFT-FINDINGS", errors=errors,
                                           warnings=len(findings) - errors), None)])
        for i, f in enumerate(findings, start=1):
            self.paragraph(BODY, [(f"{i}.{f.message}", None)])

    def section_break(self, page: Page) -> None:
        """End the current section here; the new section starts on a new page.

        In WordprocessingML a section's properties sit at its end, so the ``w:sectPr`` written
        here describes the content *before* it and the page given is that content's page.
        """
        sect = copy.deepcopy(self.final_sect)
        _set_page(sect, page)
        p = parse_xml(f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{PLAIN}"/></w:pPr></w:p>')
        p.find(qn("w:pPr")).append(sect)
        self.body_element(p)
        # The section after this break: the page it had before (usually portrait) continues.
        if page.landscape:
            _set_page(self.final_sect, style.A4)
        else:
            _set_page(self.final_sect, style.A4.rotated())


@dataclass(frozen=True)
class NarrativeParagraph:
    """One paragraph of a narrative section, as every rendering (.docx, HTML) sets it: a 一、 or （一）
    line alone is a heading; one that goes on after a short lead-in (up to its first 。 or ：) has
    the lead-in set in the heading's type."""

    text: str
    level: int = 0  # 1 for 一、, 2 for （一）, 0 for a plain paragraph
    heading: bool = False
    lead: str = ""  # the lead-in, when there is one
    rest: str = ""  # what follows it


def narrative_paragraphs(text: str) -> Iterator[NarrativeParagraph]:
    """The paragraphs of a narrative section (blank lines dropped), classified once for every renderer."""
    for raw in text.splitlines():
        para = raw.strip()
        if not para:
            continue
        level = 1 if _LEVEL1.match(para) else 2 if _LEVEL2.match(para) else 0
        if level and _is_subheading(para):
            yield NarrativeParagraph(para, level, heading=True)
            continue
        lead = _LEAD_IN_END.search(para) if level else None
        if lead and lead.end() <= style.LEAD_IN_MAX_CHARS and lead.end() < len(para):
            yield NarrativeParagraph(para, level, lead=para[:lead.end()], rest=para[lead.end():])
        else:
            yield NarrativeParagraph(para, level)


def _is_subheading(para: str) -> bool:
    if len(para) <= style.SUBHEADING_MAX_CHARS and "。" not in para[:-1]:
        return True
    return len(para) <= 2 * style.SUBHEADING_MAX_CHARS and para[-1] not in "。；;！？!?：:，,"


def _width_chars(text: str) -> float:
    """Width in em: ASCII (digits, Latin) is half a character."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def _run(text: str, font: str | None) -> str:
    rpr = ""
    if font:
        rpr = f'<w:rPr><w:rFonts w:eastAsia="{escape(font)}"/></w:rPr>'
    if not text:
        return ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


# --------------------------------------------------------------------------------------------
# Page, styles, footers, properties
# --------------------------------------------------------------------------------------------


def _set_page(sect: etree._Element, page: Page) -> None:
    for tag in ("w:pgSz", "w:pgMar", "w:type"):
        old = sect.find(qn(tag))
        if old is not None:
            sect.remove(old)
    orient = ' w:orient="landscape"' if page.landscape else ""
    pg_sz = parse_xml(f'<w:pgSz {nsdecls("w")} w:w="{_mm_twips(page.width)}" '
                      f'w:h="{_mm_twips(page.height)}"{orient}/>')
    pg_mar = parse_xml(
        f'<w:pgMar {nsdecls("w")} w:top="{_mm_twips(page.top)}" w:right="{_mm_twips(page.right)}" '
        f'w:bottom="{_mm_twips(page.bottom)}" w:left="{_mm_twips(page.left)}" '
        f'w:header="{_mm_twips(page.header)}" w:footer="{_mm_twips(page.footer)}" w:gutter="0"/>')
    kind = parse_xml(f'<w:type {nsdecls("w")} w:val="nextPage"/>')
    # Schema order: headerReference/footerReference, …, type, pgSz, pgMar, …
    refs = [e for e in sect if e.tag in (qn("w:headerReference"), qn("w:footerReference"))]
    anchor = refs[-1] if refs else None
    if anchor is None:
        sect.insert(0, pg_mar)
        sect.insert(0, pg_sz)
        sect.insert(0, kind)
    else:
        anchor.addnext(pg_mar)
        anchor.addnext(pg_sz)
        anchor.addnext(kind)
    grid = sect.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:linePitch"), str(_twips(style.LINE_PITCH)))


def _rpr(east_asia: str, latin: str, size: float, spacing: float = 0.0, extra: str = "") -> str:
    half = round(size * 2)
    sp = f'<w:spacing w:val="{_twips(spacing)}"/>' if spacing else ""
    return (f'<w:rPr><w:rFonts w:ascii="{escape(latin)}" w:hAnsi="{escape(latin)}" '
            f'w:eastAsia="{escape(east_asia)}" w:cs="{escape(latin)}"/>{extra}{sp}'
            f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')


def _set_styles(document: Document, fonts: Fonts) -> None:
    styles = document.styles.element
    # Theme fonts win over explicit ones: drop every theme attribute of the template's styles.
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.lower().endswith("theme}") or "theme" in attr.lower():
                del rfonts.attrib[attr]
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        styles.remove(defaults)
    line = _twips(style.LINE_PITCH)
    body_rpr = _rpr(fonts.body, fonts.latin, style.BODY_SIZE, style.CHAR_SPACING)
    exact = f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>'
    # No widow control (it would leave body pages short of 22 lines) and no extra space between
    # Chinese and Latin/digits (it breaks the 28-character grid). overflowPunct="1" is Word's own
    # default for Chinese text; written explicitly because LibreOffice 7.4 reads the attribute
    # inverted and otherwise hangs end-of-line punctuation into the right margin.
    cjk = ('<w:widowControl w:val="0"/><w:overflowPunct w:val="1"/>'
           '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>')
    indent = f'<w:ind w:firstLine="{_twips(style.INDENT_CHARS * (style.BODY_SIZE + style.CHAR_SPACING))}"/>'
    styles.insert(0, parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault>{body_rpr}</w:rPrDefault>'
        f'<w:pPrDefault><w:pPr>{cjk}{exact}<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'))
    normal = styles.find(f"{W}style[@{W}styleId='Normal']")
    if normal is not None:
        for child in list(normal):
            if child.tag in (qn("w:pPr"), qn("w:rPr")):
                normal.remove(child)
        normal.append(parse_xml(f'<w:pPr {nsdecls("w")}>{cjk}{exact}<w:jc w:val="both"/></w:pPr>'))
        normal.append(parse_xml(body_rpr.replace("<w:rPr>", f'<w:rPr {nsdecls("w")}>', 1)))

    def add(style_id: str, name: str, ppr: str, rpr: str, *, outline: int | None = None,
            keep_next: bool = False) -> None:
        # Child order of w:pPr is fixed by the schema (Word rejects files that break it).
        keep = "<w:keepNext/>" if keep_next else ""
        lvl = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
        styles.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
            f'<w:pPr>{keep}{cjk}{ppr}{lvl}</w:pPr>{rpr}</w:style>'))

    add(BODY, "nb 正文", exact + indent + '<w:jc w:val="both"/>', body_rpr)
    add(PLAIN, "nb 正文（无缩进）", exact + '<w:jc w:val="both"/>', body_rpr)
    add(TITLE, "nb 标题", f'<w:spacing w:before="0" w:after="0" w:line="{_twips(style.TITLE_LINE)}" '
        'w:lineRule="exact"/><w:jc w:val="center"/>', _rpr(fonts.title, fonts.latin, style.TITLE_SIZE))
    add(HEADING1, "nb 一级标题", exact + indent + '<w:jc w:val="both"/>',
        _rpr(fonts.heading, fonts.latin, style.BODY_SIZE, style.CHAR_SPACING), outline=0, keep_next=True)
    add(HEADING2, "nb 二级标题", exact + indent + '<w:jc w:val="both"/>',
        _rpr(fonts.subheading, fonts.latin, style.BODY_SIZE, style.CHAR_SPACING), outline=1, keep_next=True)
    add(DRAFT, "nb 草稿标记", exact + '<w:jc w:val="center"/>',
        _rpr(fonts.heading, fonts.latin, style.BODY_SIZE, 0.0, f'<w:color w:val="{style.DRAFT_COLOUR}"/>'))
    add(tables.TABLE_STYLE, "nb 表格", '<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>',
        _rpr(fonts.table, fonts.latin, style.SIZE_5HAO))
    add(FOOTER, "nb 页码", '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
        f'<w:ind w:left="{_twips(style.PAGE_NUMBER_SIZE)}" w:right="{_twips(style.PAGE_NUMBER_SIZE)}"/>',
        _rpr(fonts.page_number, fonts.page_number, style.PAGE_NUMBER_SIZE))


def _set_footers(document: Document, fonts: Fonts) -> None:
    """``— 1 —`` at the foot: odd pages right, even pages left, each 空一字 (GB/T 9704 7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    dash = style.PAGE_NUMBER_DASH
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        ftr = footer._element
        for child in list(ftr):
            ftr.remove(child)
        ftr.append(parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{FOOTER}"/><w:jc w:val="{align}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{dash} </w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {dash}</w:t></w:r></w:p>'))


def _set_properties(document: Document, report: Report) -> None:
    props = document.core_properties
    props.title = report.display_title
    props.author = report.unit.name
    props.subject = "政府信息公开工作年度报告"
    props.language = "zh-CN"
    props.keywords = f"nianbao; layout {report.layout.id}; {report.year}"
    props.comments = ""
    props.last_modified_by = report.unit.name
    props.revision = 1
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
