"""Chinese help screens: typer's own words (panel titles, usage, the help option) in Chinese.

Typer has no translation catalogue of its own, so the few fixed strings it prints are set here,
once, before any command is built. Each patch is guarded, so a typer release that moves one of
them only leaves that word in English; ``tests/test_cli_help.py`` notices.
"""

from __future__ import annotations

from typing import Any

HELP_OPTION_TEXT = "显示本帮助信息并退出。"


def localise_typer() -> None:
    import typer.rich_utils as ru

    for name, text in {
        "OPTIONS_PANEL_TITLE": "选项",
        "ARGUMENTS_PANEL_TITLE": "参数",
        "COMMANDS_PANEL_TITLE": "命令",
        "ERRORS_PANEL_TITLE": "错误",
        "ABORTED_TEXT": "已中止。",
        "REQUIRED_LONG_STRING": "[必填]",
        "DEFAULT_STRING": "[默认：{}]",
        "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    }.items():
        if hasattr(ru, name):
            setattr(ru, name, text)
    _localise_type_names()
    try:
        from typer._click import decorators, formatting
    except ImportError:  # pragma: no cover - older typer uses click itself
        return
    original_help_option = decorators.help_option

    def help_option(param_decls: list[str]) -> Any:
        make = original_help_option(param_decls)

        def apply(cmd: Any) -> Any:
            out = make(cmd)
            params = getattr(out, "params", None)
            if params:
                params[-1].help = HELP_OPTION_TEXT
            return out

        return apply

    decorators.help_option = help_option
    original_write_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]


# Type names typer prints beside options (``<path>``); a flag needs none.
TYPE_NAMES = {"bool": "", "boolean": "", "path": "路径", "text": "文字", "str": "文字", "integer": "整数",
              "int": "整数", "float": "数字", "filename": "文件"}


def _localise_type_names() -> None:
    import typer.core as core

    for cls in (getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)):
        original = getattr(cls, "display_type_rich", None)
        if cls is None or original is None:
            continue

        def display_type_rich(self: Any, ctx: Any, _original: Any = original) -> str | None:
            shown = _original(self, ctx)
            if shown is None:
                return None
            name = shown.strip("<>").lower()
            if name in TYPE_NAMES:
                return f"<{TYPE_NAMES[name]}>" if TYPE_NAMES[name] else None
            return str(shown)

        cls.display_type_rich = display_type_rich
