"""Options shared by the campaign commands (a private module: not a command)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ForceOption = Annotated[bool, typer.Option(
    "--force", help="输出文件已存在时覆盖它（不会覆盖输入文件）。")]

WorkspaceOption = Annotated[Path, typer.Option(
    "--workspace", "-w", help="工作区目录（默认为当前目录）。", metavar="目录", file_okay=False)]
