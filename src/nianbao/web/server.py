"""Starting the server: checks (port free, password for a non-loopback host), uvicorn, the browser."""

from __future__ import annotations

import socket
import threading
import webbrowser
from pathlib import Path
from typing import Any

from nianbao.errors import UnusableInput
from nianbao.messages import message
from nianbao.web.security import is_loopback, new_password


def plan(host: str, password: str | None) -> str | None:
    """The password the server will ask for: none on loopback unless given, a generated one for a
    non-loopback host when none was given."""
    if password:
        return password
    if not is_loopback(host):
        return new_password()
    return None


def check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise UnusableInput("WEB-SERVE-PORT", port=port, reason=exc.strerror or str(exc)) from None


def run_uvicorn(app: Any, host: str, port: int) -> None:  # a seam for tests
    import uvicorn

    uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)).run()


def serve(workspace: Path | None, *, host: str, port: int, password: str | None, browser: bool,
          say: Any = print) -> None:
    from nianbao.web.app import create_app

    secret = plan(host, password)
    check_port(host, port)
    app = create_app(workspace, password=secret, port=port)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{'[' + shown_host + ']' if ':' in shown_host else shown_host}:{port}/"
    say(message("WEB-SERVE-START", url=url))
    if secret is not None and not password:
        say(message("WEB-SERVE-PASSWORD", password=secret))
    if browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    run_uvicorn(app, host, port)
