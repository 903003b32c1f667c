"""Chinese help screens and usage errors, through typer's and click's public extension points.

The app is a :class:`ChineseGroup` (``typer.Typer(cls=...)``) and every command a
:class:`ChineseCommand` (``app.command(cls=...)``), with ``rich_markup_mode=None`` so that help is
laid out by the ``format_*`` methods these classes override: usage (``用法：``), the parameter and
command lists (``参数``, ``选项``, ``命令``; no description cut short, lines wrapped by display width,
so CJK text fits an 80-column terminal), the help option (``-h``/``--help``, in Chinese). A usage
error (a missing option, an unknown option or command, a value of the wrong type) is caught in
:meth:`ChineseGroup.main` and shown in Chinese from the exception's public attributes, exit code 2.
Nothing in typer or click is patched.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from nianbao.display import display_width as _width
from nianbao.display import wrap
from nianbao.messages import message

HELP_OPTION_TEXT = "显示本帮助信息并退出。"
HELP_OPTION_NAMES = ["-h", "--help"]
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": HELP_OPTION_NAMES}

# Type names shown beside options that take a value (typer/click name → Chinese); a flag shows none.
TYPE_NAMES = {"path": "路径", "text": "文字", "str": "文字", "integer": "整数", "int": "整数", "float": "数字",
              "filename": "文件", "file": "文件", "choice": "选项", "boolean": "是/否", "bool": "是/否", "datetime": "日期",
              "directory": "目录", "uuid": "编号"}

_KINDS = {"option": "选项", "argument": "参数", "parameter": "参数"}


def short_help(help_text: str) -> str:
    """The first sentence of a command's help, for the list of commands."""
    first = re.split(r"(?<=。)", help_text.strip(), maxsplit=1)[0]
    return first.strip()


class _Chinese:
    """What :class:`ChineseGroup` and :class:`ChineseCommand` share: help in Chinese."""

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        text = (getattr(self, "help", None) or "").strip()
        if not text:
            return
        formatter.write_paragraph()
        indent = formatter.current_indent + 2
        for line in wrap(text, max(formatter.width - indent, 20)):
            formatter.write(f"{'':>{indent}}{line}\n")

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if getattr(param, "hidden", False):
                continue
            record = _record(param, help_option=self.get_help_option(ctx))  # type: ignore[attr-defined]
            (args if param.param_type_name == "argument" else opts).append(record)
        _section(formatter, "参数", args)
        _section(formatter, "选项", opts)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):  # type: ignore[attr-defined]
            cmd = self.get_command(ctx, name)  # type: ignore[attr-defined]
            if cmd is None or cmd.hidden:
                continue
            rows.append((name, cmd.short_help or short_help(cmd.help or "")))
        _section(formatter, "命令", rows)


def _record(param: Any, help_option: Any = None) -> tuple[str, str]:
    """(names, help) of one parameter, as the help screen lists it (click's help option in Chinese)."""
    metavar = param.metavar or ""
    type_name = _type_name(param)
    if param.param_type_name == "argument":
        name = metavar or type_name or param.name
        if param.nargs == -1:
            name += " ..."
        extra = "" if param.required else "（可省略）"
        return name, (param.help or "") + extra
    names = ", ".join(sorted(param.opts, key=len))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    if not param.is_flag and not getattr(param, "count", False):
        names += f" {metavar or type_name or '值'}"
    help_text = HELP_OPTION_TEXT if param is help_option else (param.help or "")
    if param.required:
        help_text += " [必填]"
    default = param.default
    if (not param.required and not param.is_flag and param.show_default is not False and default not in (None, "", ())
            and not callable(default)):
        shown = ", ".join(map(str, default)) if isinstance(default, (list, tuple)) else str(default)
        help_text += f" [默认：{shown}]"
    return names, help_text.strip()


def _type_name(param: Any) -> str:
    """The Chinese name of a parameter's type: click's ``param.type.name``, or (typer ≥ 0.29, which
    describes types itself) the annotation's name."""
    name = getattr(getattr(param, "type", None), "name", None)
    if name is None:
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        name = getattr(annotation, "__name__", "")
    return TYPE_NAMES.get(str(name).lower(), "")


def _section(formatter: Any, title: str, rows: Sequence[tuple[str, str]]) -> None:
    if not rows:
        return
    formatter.write_paragraph()
    formatter.write_text(f"{title}：")
    left = min(max(_width(n) for n, _ in rows), 24)
    width = max(formatter.width - formatter.current_indent - left - 6, 20)
    for name, text in rows:
        lines = wrap(text, width) if text else [""]
        pad = " " * (left - _width(name))
        if _width(name) > left:  # a long name on its own line, its help below it
            formatter.write(f"{'':>{formatter.current_indent}}  {name}\n")
            first = f"{'':>{formatter.current_indent}}  {' ' * left}  {lines[0]}\n"
        else:
            first = f"{'':>{formatter.current_indent}}  {name}{pad}  {lines[0]}\n"
        formatter.write(first)
        for line in lines[1:]:
            formatter.write(f"{'':>{formatter.current_indent}}  {' ' * left}  {line}\n")


class ChineseCommand(_Chinese, TyperCommand):
    """A typer command whose help is Chinese (see the module's docstring)."""


class ChineseGroup(_Chinese, TyperGroup):
    """The ``nianbao`` group: Chinese help, and usage errors in Chinese with exit code 2."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        errors = sys.modules[typer.BadParameter.__module__]  # click's exceptions (typer's own copy or click)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False,
                              windows_expand_args=windows_expand_args, **extra)
        except errors.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # no arguments: the help, as click shows it
                typer.echo(exc.format_message())
                code = exc.exit_code
            else:
                words = list(sys.argv[1:] if args is None else args)
                sub = next((w for w in words if w in self.commands), None)  # the command it was for
                _show_usage_error(exc, " ".join(filter(None, [prog_name or self.name or "nianbao", sub])))
                code = 2
        except errors.ClickException as exc:  # e.g. a file that cannot be opened
            typer.echo(message("E-CLI-FAILED", detail=_quoted(exc.format_message())), err=True)
            code = exc.exit_code
        except typer.Abort:
            typer.echo("已中止。", err=True)
            code = 1
        else:
            if not standalone_mode:
                return rv
            code = rv if isinstance(rv, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


def _quoted(text: str) -> str:
    """Only the quoted parts of an English message (names, values), for a Chinese sentence."""
    return "、".join(re.findall(r"'([^']*)'", text))


def _show_usage_error(exc: Any, fallback_path: str) -> None:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        typer.echo(f"用法：{ctx.command_path} {' '.join(ctx.command.collect_usage_pieces(ctx))}", err=True)
    typer.echo(message("E-CLI-HELP", command=f"{ctx.command_path if ctx is not None else fallback_path} -h"),
               err=True)
    typer.echo("", err=True)
    typer.echo(message("E-CLI-ERROR", detail=usage_error_text(exc)), err=True)


def _param_name(param: Any, hint: Any = None) -> str:
    if hint:
        return str(hint) if isinstance(hint, str) else " / ".join(map(str, hint))
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name or "")
    return " / ".join(f"'{o}'" for o in (param.opts or [param.name]))


def usage_error_text(exc: Any) -> str:
    """A usage error in Chinese, from its type and public attributes (never its English message)."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    if kind == "NoSuchOption":
        possible = getattr(exc, "possibilities", None) or []
        text = message("E-CLI-NO-OPTION", option=exc.option_name)
        return text + (message("E-CLI-POSSIBLE", options="、".join(sorted(possible))) if possible else "")
    if kind == "MissingParameter":
        what = _KINDS.get(str(getattr(exc, "param_type", None) or getattr(param, "param_type_name", "")), "参数")
        return message("E-CLI-MISSING", kind=what, name=_param_name(param, getattr(exc, "param_hint", None)))
    if kind == "BadOptionUsage":
        name = getattr(exc, "option_name", "")
        raw = getattr(exc, "message", "")
        if "does not take" in raw:
            return message("E-CLI-NO-VALUE", option=name)
        return message("E-CLI-NEEDS-VALUE", option=name)
    if kind == "BadParameter" or isinstance(exc, typer.BadParameter):
        return _bad_value(exc, param)
    raw = str(getattr(exc, "message", "") or "")
    m = re.match(r"No such command '(.*?)'\.?(?: Did you mean (.*)\?)?", raw)
    if m:
        text = message("E-CLI-NO-COMMAND", command=m.group(1))
        return text + (message("E-CLI-DID-YOU-MEAN", commands=_quoted(m.group(2))) if m.group(2) else "")
    m = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", raw)
    if m:
        return message("E-CLI-EXTRA", args=m.group(1))
    if raw.startswith("Missing command"):
        return message("E-CLI-NO-COMMAND-GIVEN")
    detail = _quoted(raw)
    return message("E-CLI-USAGE", detail=detail) if detail else message("E-CLI-USAGE-PLAIN")


def _bad_value(exc: Any, param: Any) -> str:
    name = _param_name(param, getattr(exc, "param_hint", None))
    raw = str(getattr(exc, "message", "") or "")
    value = (re.findall(r"'([^']*)'", raw) or [""])[0]
    ptype = getattr(param, "type", None)
    choices = getattr(ptype, "choices", None)
    if choices is None:  # typer ≥ 0.29: an Enum annotation
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        members = getattr(annotation, "__members__", None)
        choices = [m.value for m in members.values()] if members else None
    if choices:
        want = message("E-CLI-WANT-CHOICE", choices="、".join(map(str, choices)))
    elif "does not exist" in raw:
        want = message("E-CLI-WANT-EXISTING")
    elif "is a directory" in raw:
        want = message("E-CLI-WANT-FILE")
    elif "is a file" in raw:
        want = message("E-CLI-WANT-DIR")
    else:
        want = message("E-CLI-WANT-TYPE", type=(_type_name(param) if param is not None else "") or "有效的值")
    if not value:
        return message("E-CLI-BAD-VALUE-UNSHOWN", name=name, want=want)
    return message("E-CLI-BAD-VALUE", name=name, value=value, want=want)

