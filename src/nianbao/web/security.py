"""What keeps the web front end to the clerk: loopback, password, CSRF, safe upload names and sizes.

* Without a password only loopback clients are served, and only under a loopback ``Host`` (a page of
  another site rebinding its name to 127.0.0.1 gets nothing).
* With a password (needed for any ``--host`` other than loopback) every page but the login asks for it.
* Every POST carries the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
* An upload is streamed to disk in blocks and counted on the way: one over the limit is refused
  before it is all read; its name is reduced to a plain file name inside the workspace.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import secrets
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from nianbao.messages import message

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}
OPEN_PATHS = ("/login", "/static/")
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
BLOCK = 1 << 16


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The host of a ``Host`` header, without its port (``[::1]:8765`` → ``::1``)."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Gate:
    """ASGI middleware (inside the session middleware): who may see anything at all."""

    def __init__(self, app: ASGIApp, *, password: str | None, port: int) -> None:
        self.app = app
        self.password = password
        self.port = port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        client = scope.get("client") or ("", 0)
        if self.password is None:
            if not is_loopback(str(client[0])):
                await _refuse(403, message("WEB-REMOTE-REFUSED", client=client[0]))(scope, receive, send)
                return
            host = host_name(request.headers.get("host", ""))
            if not is_loopback(host):
                await _refuse(403, message("WEB-HOST-REFUSED", host=host, port=self.port))(scope, receive, send)
                return
        elif not scope["session"].get("auth") and not scope["path"].startswith(OPEN_PATHS):
            if request.method == "GET" and "application/json" not in request.headers.get("accept", ""):
                await RedirectResponse("/login", status_code=303)(scope, receive, send)
            else:
                await _refuse(401, message("WEB-LOGIN-REQUIRED"))(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _refuse(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text, status_code=status, headers=SECURITY_HEADERS)


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                               "form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def check_password(given: str, password: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8"))


def new_password() -> str:
    return secrets.token_urlsafe(9)


# -- CSRF -------------------------------------------------------------------------------------

def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = secrets.token_urlsafe(24)
        request.session[CSRF_FIELD] = token
    return str(token)


def csrf_valid(request: Request, given: str | None) -> bool:
    expected = request.session.get(CSRF_FIELD)
    return bool(expected and given and hmac.compare_digest(str(expected), str(given)))


def csrf_refused(json: bool = False) -> Any:
    text = message("WEB-CSRF")
    if json:
        return JSONResponse({"ok": False, "message": text}, status_code=403, headers=SECURITY_HEADERS)
    return _refuse(403, text)


# -- uploads ----------------------------------------------------------------------------------

_BAD_CHARS = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
MAX_NAME = 120


def safe_name(name: str, fallback: str = "上传文件") -> str:
    """A plain file name: the last path component, no control or reserved characters, no leading dots."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _BAD_CHARS.sub("_", name).strip().lstrip(".").strip()
    if name.split(".")[0].upper() in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                      *(f"LPT{i}" for i in range(1, 10))}:
        name = "_" + name
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot and len(suffix) <= 8 else name[:MAX_NAME]
    return name or fallback


class TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Stored:
    token: str  # "<sha256 prefix>/<safe name>": the only handle a later request may use
    path: Path
    name: str
    size: int
    sha256: str


async def store_upload(request: Request, uploads: Path, name: str, limit: int) -> Stored:
    """Stream the request body into ``uploads/<sha>/<name>`` (content-addressed: the same bytes are
    kept once). Raises :class:`TooLarge` as soon as more than ``limit`` bytes have arrived."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    uploads.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=uploads, prefix=".part-", delete=False) as tmp:
        tmp_path = Path(tmp.name)
        try:
            async for block in request.stream():
                size += len(block)
                if size > limit:
                    raise TooLarge
                digest.update(block)
                tmp.write(block)
        except BaseException:
            tmp.close()
            tmp_path.unlink(missing_ok=True)
            raise
    sha = digest.hexdigest()
    folder = uploads / sha[:16]
    existing = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    if existing:  # the same file uploaded before: keep the first copy
        tmp_path.unlink(missing_ok=True)
        target = existing[0]
    else:
        folder.mkdir(exist_ok=True)
        target = folder / name
        tmp_path.replace(target)
    return Stored(f"{sha[:16]}/{target.name}", target, target.name, size, sha)


_TOKEN = re.compile(r"[0-9a-f]{16}/[^/\\]+")


def resolve_token(uploads: Path, token: str) -> Path | None:
    """The stored upload a token names, or None (never a path outside ``uploads``)."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    path = (uploads / token).resolve()
    if not path.is_relative_to(uploads.resolve()) or not path.is_file():
        return None
    return path
