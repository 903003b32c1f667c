"""What every command shares: consoles, the error boundary, output of findings."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nianbao.errors import NianbaoError
from nianbao.findings import CheckResult, severity_text
from nianbao.messages import message

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., Any])

OPTIONS_METAVAR = "[选项]"


def command(app: typer.Typer, name: str, help_text: str) -> Callable[[F], F]:
    """Register a command whose errors become a Chinese message and an exit code, never a traceback."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except NianbaoError as exc:
                err.print(f"[bold red]错误：[/]{exc}", highlight=False)
                raise typer.Exit(exc.exit_code) from None
            except (typer.Exit, typer.Abort, SystemExit):
                raise
            except KeyboardInterrupt:
                err.print("已中止。")
                raise typer.Exit(130) from None
            except Exception as exc:  # a bug: still no traceback for the user
                err.print(f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}", highlight=False)
                err.print("请将此信息与所用文件一并反馈给开发者。")
                raise typer.Exit(3) from None

        app.command(name, help=help_text, options_metavar=OPTIONS_METAVAR)(guarded)
        return fn

    return wrap


def print_result(result: CheckResult, *, as_json: bool, title: str = "") -> None:
    """Findings as a table on stdout (or JSON with ``--json``), with the error/warning count."""
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
        return
    if title:
        out.print(f"[bold]{title}[/]", highlight=False)
    if result.findings:
        table = Table(show_lines=False, expand=False)
        table.add_column("级别", no_wrap=True)
        table.add_column("规则", no_wrap=True)
        table.add_column("单元格", no_wrap=True)
        table.add_column("说明", overflow="fold")
        for f in result.findings:
            style = "red" if f.severity.value == "error" else "yellow"
            cells = f.cells[0] if f.cells else ""  # the cell to fix; the message names the others
            # messages quote what files say (labels, cell text): data, never markup
            table.add_row(f"[{style}]{severity_text(f.severity)}[/]", f.rule, escape(cells), escape(f.message))
        out.print(table)
    out.print(message("SUMMARY", errors=len(result.errors), warnings=len(result.warnings)), highlight=False)
