"""``nianbao report``: write the finished annual report (.docx, GB/T 9704) from a data file or workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from nianbao.api import Fonts, check_report_date, report_from_source
from nianbao.cli._campaign import ForceOption
from nianbao.cli.common import command, err, print_result
from nianbao.errors import UnusableInput
from nianbao.files import check_output
from nianbao.messages import message

_DEFAULTS = Fonts()


def _font_help(part: str, example: str) -> str:
    return message("CLI-HELP-FONT", part=message(f"CLI-FONT-{part}"), default=getattr(_DEFAULTS, part),
                   example=example)


def register(app: typer.Typer) -> None:

    @command(app, "report", "生成政府信息公开工作年度报告：按输出文件的扩展名生成 Word（.docx，GB/T 9704 公文格式）、"
             "网页（.html，供政府网站发布）或 PDF（.pdf，由 LibreOffice 转换，版式与 .docx 相同）。"
             "数据有错误时不生成报告并列出问题（退出码 1），加 --draft 可生成首页标注“草稿”的版本。")
    def report(
        source: Annotated[Path, typer.Argument(help="数据文件（.json）或回收的工作簿（.xlsx）。", metavar="文件")],
        output: Annotated[Path, typer.Option("--output", "-o", help="要生成的文件：.docx、.html 或 .pdf。",
                                             metavar="输出文件")],
        draft: Annotated[bool, typer.Option(
            "--draft", help="数据有错误时仍生成报告，首页标注“草稿”，不得发布。")] = False,
        standard_sentences: Annotated[bool, typer.Option(
            "--standard-sentences", help="文字部分未写明表格数字的，在表格上方加入按数据生成的标准表述"
            "（模板见 templates/sentences.toml，可修改）。")] = False,
        templates: Annotated[Optional[Path], typer.Option(  # noqa: UP045 - typer needs Optional
            "--templates", help="标准表述模板文件（.toml 或 .json），默认使用 templates/sentences.toml。",
            metavar="模板文件")] = None,
        font_title: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--font-title", help=_font_help("title", "华文中宋"),
            metavar="字体")] = None,
        font_body: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--font-body", help=_font_help("body", "仿宋"), metavar="字体")] = None,
        font_heading: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--font-heading", help=_font_help("heading", "思源黑体"),
            metavar="字体")] = None,
        font_subheading: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--font-subheading", help=_font_help("subheading", "楷体"), metavar="字体")] = None,
        font_table: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--font-table", help=_font_help("table", "仿宋"),
            metavar="字体")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出校验结果。")] = False,
        final: Annotated[bool, typer.Option(
            "--final", help="生成正式报告：汇总不完整（有单位未计入）或没有成文日期时拒绝生成。"
            "不加此项时，不完整的汇总只生成草稿。")] = False,
        date: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--date", help="成文日期，写作 年-月-日，例如 2026-01-31（代替数据中的日期）。", metavar="日期")] = None,
        force: ForceOption = False,
    ) -> None:
        if final and draft:
            raise UnusableInput("REPORT-FINAL-DRAFT")
        check_output(output, [source, templates], force=force)
        fonts = _DEFAULTS.with_overrides(title=font_title, body=font_body, heading=font_heading,
                                        subheading=font_subheading, table=font_table)
        outcome = report_from_source(source, output, draft=draft, fonts=fonts,
                                     standard_sentences=standard_sentences, templates=templates, final=final,
                                     date=check_report_date(date) if date is not None else None)
        result = outcome.result
        if result.findings or not outcome.written:
            print_result(result, as_json=as_json, title=f"{source}：{outcome.title}")
        if not outcome.written:
            err.print(outcome.refusal or message("REPORT-REFUSED", errors=len(result.errors)), highlight=False,
                      markup=False)
            raise typer.Exit(1)
        done = ("REPORT-WRITTEN-INCOMPLETE" if outcome.left_out else
                "REPORT-WRITTEN-DRAFT" if outcome.draft else "REPORT-WRITTEN")
        err.print(message(done, path=str(output)), highlight=False)
        if outcome.empty_sections:
            err.print(message("REPORT-EMPTY-SECTIONS", sections="、".join(outcome.empty_sections)),
                      highlight=False)
        if outcome.undated:
            err.print(message("REPORT-UNDATED"), highlight=False)
