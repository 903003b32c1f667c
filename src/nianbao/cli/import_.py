"""``nianbao import SOURCE… [-o DATA.json | -d DIR]``: published reports in any form as data files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.text import Text

from nianbao.api import LAYOUT_IDS, check_loaded, import_published, imported_data, write_imported_data
from nianbao.cli.common import command, err, error_label, out, print_result
from nianbao.errors import NianbaoError, UnusableInput
from nianbao.messages import message


def register(app: typer.Typer) -> None:
    @command(app, "import", "读取发布的年度报告（网页 .html/.mhtml、Word .docx、PDF、电子表格 .xlsx/.ods/.xls、"
             "复制的文本 .txt），按表格栏目找到表二、表三、表四并读取每个数字，按标题读取单位、年度和各部分文字，"
             "写成数据文件（.json）。列出读取结果和全部问题；无法确定的数字不猜测，留空并说明。")
    def import_(
        sources: Annotated[list[Path], typer.Argument(help="发布的报告文件，可多个。", metavar="文件...")],
        output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
            "--output", "-o", help="数据文件的保存路径（.json），只导入一个文件时使用。", metavar="输出文件")] = None,
        directory: Annotated[Optional[Path], typer.Option(  # noqa: UP045
            "--dir", "-d", help="保存数据文件的目录（每个文件一个“原文件名.json”）。", metavar="目录")] = None,
        layout: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--layout", help="报表格式（2019 或 2021）；不指定时按表格栏目识别。", metavar="格式")] = None,
        year: Annotated[Optional[int], typer.Option(  # noqa: UP045
            "--year", "-y", help="报告年度；标题中没有年度时使用，与标题不符时报错误。", metavar="年度")] = None,
        unit: Annotated[Optional[str], typer.Option(  # noqa: UP045
            "--unit", "-u", help="单位名称（不指定时取自标题）。", metavar="单位")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="以 JSON 格式输出读取结果和问题。")] = False,
    ) -> None:
        if layout is not None and layout not in LAYOUT_IDS:
            raise UnusableInput("E-TEMPLATE-LAYOUT-ID", actual=layout)
        if output is not None and (directory is not None or len(sources) > 1):
            raise UnusableInput("E-IMPORT-MANY")
        inputs = {p.resolve() for p in sources if p.exists()}
        code = 0
        results: list[dict[str, Any]] = []
        used: set[str] = set()
        for source in sources:
            target = output
            if directory is not None:  # 009.html and 009.pdf in one batch: 009.json and 009.pdf.json
                name = f"{source.stem}.json" if f"{source.stem}.json" not in used else f"{source.name}.json"
                used.add(name)
                target = directory / name
            try:
                if target is not None and target.resolve() in inputs:
                    raise UnusableInput("E-IMPORT-OUTPUT", path=str(target))
                imported = import_published(source, layout=layout, year=year, unit=unit)
                loaded = imported.loaded
                result = check_loaded(loaded)
                if target is not None:
                    write_imported_data(imported, target)
            except NianbaoError as exc:
                code = max(code, exc.exit_code)
                if as_json:
                    results.append({"source": str(source), "error": str(exc), "code": getattr(exc, "code", "")})
                else:
                    err.print(Text.assemble(error_label(), str(exc)))
                continue
            report = loaded.report
            summary = message("IMPORT-READ", path=str(source), layout=report.layout.id, year=report.year,
                              unit=report.unit.name, count=len(report.values), unread=len(report.unreadable),
                              sections="、".join(k for k in ("preface", "s1", "s2", "s3", "s4", "s5", "s6")
                                                 if report.text.get(k)) or message("WORD-NONE"))
            code = max(code, result.exit_code)
            if as_json:
                results.append({"source": str(source), "output": str(target) if target else None,
                                "data": imported_data(imported), **result.to_json()})
                continue
            print_result(result, as_json=False, title=summary)
            if target is not None:
                out.print(message("IMPORT-WROTE", path=str(target), layout=report.layout.id,
                                  year=report.year, unit=report.unit.name, count=len(report.values)))
        if as_json:
            sys.stdout.write(json.dumps({"files": results}, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(code)
