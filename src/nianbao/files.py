"""Files as inputs and outputs: only regular files are read, no output lands on an input, and file
names made from unit names stay within what every file system takes."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from nianbao.errors import DataFileError, UnusableInput

# A file name of at most this many UTF-8 bytes fits every file system (ext4 and NTFS take 255) with
# room for the temporary name ``write_atomic`` gives it while writing.
MAX_NAME_BYTES = 200


def kind_of(path: str | os.PathLike[str]) -> str | None:
    """What a path that exists but is not a regular file is (``命名管道``, ``设备`` …); None otherwise."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "目录"
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def require_regular_file(path: str | os.PathLike[str]) -> None:
    """Raise (exit code 2) unless ``path`` is a regular file: missing, or a FIFO / device / folder.

    Never opens the path: opening a FIFO blocks, reading /dev/zero never ends.
    """
    kind = kind_of(path)
    if kind is not None:
        raise DataFileError("E-FILE-NOT-REGULAR", path=str(path), kind=kind)
    if not os.path.isfile(path):
        raise DataFileError("E-FILE-MISSING", path=str(path))


def check_output(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None], *,
                 force: bool = False) -> None:
    """Refuse to write ``output`` onto one of ``inputs`` (same resolved path or same file), or onto an
    existing file unless ``force``."""
    out = Path(output)
    for given in inputs:
        if given is None:
            continue
        src = Path(given)
        same = False
        try:
            same = out.resolve() == src.resolve() or (out.exists() and src.exists() and os.path.samefile(out, src))
        except OSError:
            same = False
        if same:
            raise UnusableInput("E-OUTPUT-IS-INPUT", path=str(out), input=str(src))
    if not force and (out.exists() or out.is_symlink()):
        raise UnusableInput("E-OUTPUT-EXISTS", path=str(out))


def safe_file_name(stem: str, suffix: str, *, code: str = "", limit: int = MAX_NAME_BYTES) -> str:
    """``stem + suffix``, or when that is longer than ``limit`` UTF-8 bytes: the stem cut short, the
    unit code (when given) and a hash of the whole stem, so two long names never meet."""
    whole = stem + suffix
    if len(whole.encode("utf-8")) <= limit:
        return whole
    code = "".join(ch for ch in code if ch.isalnum() or ch in "-_")[:32]
    tail = ("_" + code if code else "") + "_" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8] + suffix
    room = limit - len(tail.encode("utf-8"))
    cut = stem
    while len(cut.encode("utf-8")) > room:
        cut = cut[:-1]
    return cut + tail
