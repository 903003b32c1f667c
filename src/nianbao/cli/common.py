"""What every command shares: consoles, the error boundary, output of findings."""

from __future__ import annotations

import functools
import json
import sqlite3
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from nianbao.api import CheckResult, Layout, Severity, present
from nianbao.cli._i18n import ChineseCommand
from nianbao.display import clean
from nianbao.errors import NianbaoError, os_reason
from nianbao.messages import message

# No markup, no emoji codes, no highlighting: every string printed is data (a unit name "[/]" or a
# file named "[red]x.xlsx" is shown as it is). Styles are given as ``style=`` or as rich ``Text``.


class _Console(Console):
    """A console that prints any text, even text holding lone surrogates (a non-UTF-8 file name)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(clean(o) if isinstance(o, str) else o for o in objects), **kwargs)


out = _Console(soft_wrap=True, markup=False, emoji=False, highlight=False)
err = _Console(stderr=True, soft_wrap=True, markup=False, emoji=False, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

OPTIONS_METAVAR = "[选项]"


def error_label(key: str = "CLI-ERROR-LABEL") -> tuple[str, str]:
    """The red "错误：" (or "内部错误：") that starts an error line, for ``Text.assemble``."""
    return message(key), "bold red"


def command(app: typer.Typer, name: str, help_text: str) -> Callable[[F], F]:
    """Register a command whose errors become a Chinese message and an exit code, never a traceback."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # no library warning reaches the user
                    return fn(*args, **kwargs)
            except NianbaoError as exc:
                err.print(Text.assemble(error_label(), clean(exc)))
                raise typer.Exit(exc.exit_code) from None
            except (typer.Exit, typer.Abort, SystemExit):
                raise
            except sqlite3.Error as exc:  # the ledger's disk or file, not a bug: say so (exit 2)
                err.print(Text.assemble(error_label(), clean(message("E-LEDGER-ANY", reason=exc))))
                raise typer.Exit(2) from None
            except OSError as exc:  # a file the command touches, outside the paths that say so themselves
                err.print(Text.assemble(error_label(),
                                        clean(message("E-OS", path=exc.filename or "", reason=os_reason(exc)))))
                raise typer.Exit(2) from None
            except KeyboardInterrupt:
                err.print(message("CLI-ABORTED"))
                raise typer.Exit(130) from None
            except Exception as exc:  # a bug: still no traceback for the user
                err.print(Text.assemble(error_label("CLI-INTERNAL-LABEL"), clean(f"{type(exc).__name__}: {exc}")))
                err.print(message("CLI-INTERNAL-HINT"))
                raise typer.Exit(3) from None

        app.command(name, help=help_text, options_metavar=OPTIONS_METAVAR, cls=ChineseCommand)(guarded)
        return fn

    return wrap


def print_result(result: CheckResult, *, as_json: bool, title: str = "", layout: Layout | None = None,
                 expand: bool = False, about: dict[str, Any] | None = None) -> None:
    """Findings on stdout, one line per cause, findings of one kind grouped unless ``expand``
    (``--all``); with ``--json`` the groups and the full list, and ``about`` (file, unit)."""
    items = present(result, layout, expand=expand)
    if as_json:
        doc = {**(about or {}), **result.to_json(), "groups": [item.to_json() for item in items]}
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    if title:
        out.print(clean(title), style="bold")
    for item in items:
        style = "red" if item.severity is Severity.ERROR else "yellow"
        first, *rest = item.lines()
        out.print(Text(clean(first), style=style))
        for line in rest:
            out.print(clean(line))
    out.print(message("SUMMARY", errors=len(result.errors), warnings=len(result.warnings)), highlight=False)
    if any(item.grouped for item in items):
        out.print(message("GROUP-HINT"), highlight=False)
