"""The finished report as one self-contained HTML page for the government portal's CMS.

Semantic markup only: ``h1`` for the title, ``h2`` for the six sections (and the narrative's own
一、 lines), ``h3`` for （一） sub-headings, ``p`` for paragraphs, and the three statutory tables with
the layout's exact labels and merges as ``rowspan``/``colspan``. Styling is inline (``style``
attributes): a CMS keeps those where it drops ``<style>`` elements and stylesheets. No script, no
external resource; UTF-8 declared; every text HTML-escaped. The content and its order are those of
the .docx (``docx/report.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path

from nianbao.findings import Finding, Severity
from nianbao.layout import Table
from nianbao.messages import message
from nianbao.model import Report, write_atomic
from nianbao.values import Number
from nianbao.word import style
from nianbao.word.report import date_line, draft_mark, narrative_paragraphs
from nianbao.word.style import Fonts
from nianbao.word.tables import _owner, _spans, cell_texts


def _family(*names: str) -> str:
    return ", ".join(f"'{n}'" for n in names) + ", serif"


def _styles(fonts: Fonts) -> dict[str, str]:
    body = _family(fonts.body, "FangSong", "STFangsong")
    raw = {
        "body": f"margin:0 auto;max-width:800px;padding:24px;font-family:{body};font-size:16pt;"
                "line-height:1.8;color:#000;background:#fff",
        "h1": f"font-family:{_family(fonts.title, 'SimSun', 'STSong')};font-size:22pt;font-weight:normal;"
              "text-align:center;line-height:1.5;margin:0 0 1em 0",
        "h2": f"font-family:{_family(fonts.heading, 'SimHei', 'STHeiti')};font-size:16pt;font-weight:normal;"
              "margin:0.5em 0 0 0;text-indent:2em",
        "h3": f"font-family:{_family(fonts.subheading, 'KaiTi', 'STKaiti')};font-size:16pt;font-weight:normal;"
              "margin:0;text-indent:2em",
        "p": "margin:0;text-indent:2em;text-align:justify",
        "lead": f"font-family:{_family(fonts.subheading, 'KaiTi', 'STKaiti')};font-weight:normal",
        "draft": "margin:0 0 1em 0;color:#c00000;font-weight:bold;text-align:center",
        "right": "margin:0;text-align:right",
        "table": f"width:100%;border-collapse:collapse;margin:0.5em auto 1em auto;font-family:{_family(fonts.table)};"
                 "font-size:10.5pt;line-height:1.4",
        "th": "border:1px solid #000;padding:2px 4px;font-weight:normal;text-align:center;vertical-align:middle",
        "td": "border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle",
        "td_left": "border:1px solid #000;padding:2px 4px;font-weight:normal;text-align:left;vertical-align:middle",
    }
    return {k: escape(v, quote=True) for k, v in raw.items()}  # font names come from the command line


def write_html(report: Report, path: str | os.PathLike[str], *, draft: bool = False, fonts: Fonts | None = None,
               findings: Iterable[Finding] | None = None,
               standard_sentences: dict[str, str] | None = None) -> None:
    """Write the page at ``path`` (atomically: never a partial file)."""
    write_atomic(Path(path), html_bytes(report, draft=draft, fonts=fonts, findings=findings,
                                        standard_sentences=standard_sentences))


def html_bytes(report: Report, *, draft: bool = False, fonts: Fonts | None = None,
               findings: Iterable[Finding] | None = None,
               standard_sentences: dict[str, str] | None = None) -> bytes:
    return html_text(report, draft=draft, fonts=fonts, findings=findings,
                     standard_sentences=standard_sentences).encode("utf-8")


def html_text(report: Report, *, draft: bool = False, fonts: Fonts | None = None,
              findings: Iterable[Finding] | None = None,
              standard_sentences: dict[str, str] | None = None) -> str:
    fonts = fonts or Fonts()
    css = _styles(fonts)
    findings = list(findings or ())
    sentences = standard_sentences or {}
    title = report.display_title
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        "</head>",
        f'<body style="{css["body"]}">',
        "<article>",
    ]
    if draft:
        out.append(f'<p style="{css["draft"]}">{escape(draft_mark(report, findings))}</p>')
    out.append(f'<h1 style="{css["h1"]}">{escape(title)}</h1>')
    out.extend(_narrative(report.text.get("preface") or "", css))
    values = report.resolved().values
    for section in report.layout.sections:
        out.append(f'<section>\n<h2 style="{css["h2"]}">{escape(report.heading(section.id))}</h2>')
        text = report.text.get(section.id) or ""
        if not text.strip() and section.id in sentences:
            text = sentences[section.id]
        out.extend(_narrative(text, css))
        if section.table:
            out.append(table_html(report.layout.table_by_id[section.table], values, css))
        out.append("</section>")
    out.append(f'<p style="{css["right"]}">{escape(report.unit.name)}</p>')
    date_text = date_line(report, draft)
    if date_text:
        out.append(f'<p style="{css["right"]}">{escape(date_text)}</p>')
    if draft and findings:
        errors_n = sum(1 for f in findings if f.severity is Severity.ERROR)
        out.append(f'<h2 style="{css["h2"]}">{escape(message("REPORT-DRAFT-FINDINGS", errors=errors_n, warnings=len(findings) - errors_n))}</h2>')
        out.append("<ol>")
        out.extend(f"<li>{escape(f.message)}</li>" for f in findings)
        out.append("</ol>")
    out.extend(["</article>", "</body>", "</html>", ""])
    return "\n".join(out)


def _narrative(text: str, css: Mapping[str, str]) -> list[str]:
    """Paragraphs as the .docx makes them: 一、/（一） lines alone are headings, short lead-ins kept."""
    out: list[str] = []
    for para in narrative_paragraphs(text):
        if para.heading:
            tag = "h2" if para.level == 1 else "h3"
            out.append(f'<{tag} style="{css[tag]}">{escape(para.text)}</{tag}>')
        elif para.lead:
            out.append(f'<p style="{css["p"]}"><strong style="{css["lead"]}">{escape(para.lead)}'
                       f'</strong>{escape(para.rest)}</p>')
        else:
            out.append(f'<p style="{css["p"]}">{escape(para.text)}</p>')
    return out


def _colgroup(table: Table, values: Mapping[str, Number]) -> str:
    """Column widths in per cent, as the .docx sets them (numbers on one line, labels wrap)."""
    from nianbao.word import tables

    width = style.A4.type_width / style.MM_PER_PT
    fit = tables.fit(table, values, width) or tables.fit(table, values, style.A4.rotated().type_width / style.MM_PER_PT) \
        or tables.squeeze(table, values, width)
    total = sum(fit.widths)
    cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in fit.widths)
    return f"<colgroup>{cols}</colgroup>"


def table_html(table: Table, values: Mapping[str, Number], css: Mapping[str, str]) -> str:
    """One statutory table: labels and merges from the layout, numbers from ``values``."""
    texts = cell_texts(table, values)
    spans = _spans(table)
    owner = _owner(table)
    numeric = {f.ref for f in table.fields}
    from nianbao.layout import col_letter

    rows: list[str] = []
    for row in range(1, table.n_rows + 1):
        cells: list[str] = []
        for col in range(1, table.n_cols + 1):
            ref = f"{col_letter(col)}{row}"
            if owner.get(ref, ref) != ref:
                continue  # under a merge
            n_rows, n_cols = spans.get(ref, (1, 1))
            attrs = (f' rowspan="{n_rows}"' if n_rows > 1 else "") + (f' colspan="{n_cols}"' if n_cols > 1 else "")
            text = escape(texts.get(ref, ""))
            if ref in numeric:
                cells.append(f'<td{attrs} style="{css["td"]}">{text}</td>')
            elif row <= table.header_rows:
                cells.append(f'<th{attrs} scope="col" style="{css["th"]}">{text}</th>')
            else:
                left = table.id == "t3" and n_rows == 1
                cells.append(f'<th{attrs} scope="row" style="{css["td_left"] if left else css["th"]}">{text}</th>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head, body = rows[:table.header_rows], rows[table.header_rows:]
    parts = [f'<table style="{css["table"]}" data-table="{table.id}">', _colgroup(table, values)]
    if head:
        parts.append("<thead>\n" + "\n".join(head) + "\n</thead>")
    parts.append("<tbody>\n" + "\n".join(body) + "\n</tbody>")
    parts.append("</table>")
    return "\n".join(parts)
