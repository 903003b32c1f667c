"""The ``nianbao`` command line: a thin layer over the library, one module per command.

Each module in this package that defines ``register(app)`` adds its commands; the commands parse
options, call one library function, render its result and map errors to exit codes.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from nianbao import __version__
from nianbao.cli._i18n import CONTEXT_SETTINGS, ChineseGroup

app = typer.Typer(
    name="nianbao",
    cls=ChineseGroup,
    help="年报：政府信息公开工作年度报告的模板生成、回收校验、汇总和成文工具。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    rich_markup_mode=None,  # help laid out by ChineseGroup/ChineseCommand
    context_settings=CONTEXT_SETTINGS,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"nianbao {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", help="显示版本号并退出。", is_eager=True,
                                 callback=_show_version),
) -> None:
    """年报：政府信息公开工作年度报告的模板生成、回收校验、汇总和成文工具。"""


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_commands()


def main() -> None:
    app(prog_name="nianbao")
