"""Shared set-up for the web tests: a small workspace and a TestClient speaking as loopback."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's notice about httpx vs httpx2
    from starlette.testclient import TestClient

import nianbao
from nianbao.web import create_app

ROSTER = ("单位编码,单位名称,类别,联系人,邮箱\nA,甲局,部门,张三,a@x.cn\nB,乙镇人民政府,乡镇街道,,\n"
          "C,丙局,部门,李四,c@x.cn\nD,丁街道办事处,乡镇街道,王五,d@x.cn\n")
BASE = "http://127.0.0.1:8765"
LOOPBACK = ("127.0.0.1", 50000)


def make_workspace(tmp: Path, year: int = 2025, deadline: str = "") -> nianbao.Workspace:
    roster = tmp / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    ws = nianbao.Workspace.create(tmp / "ws", year=year, roster=roster, office="测试区政府办公室",
                                  deadline=deadline)
    ws.templates()
    return ws


def client(app: Any, address: tuple[str, int] = LOOPBACK, base_url: str = BASE) -> TestClient:
    return TestClient(app, base_url=base_url, client=address)


def csrf_of(c: TestClient) -> str:
    page = c.get("/start").text
    m = re.search(r'data-csrf="([^"]+)"', page)
    assert m, page
    return m.group(1)


def upload(c: TestClient, token: str, name: str, content: Any, headers: dict[str, str] | None = None) -> Any:
    from urllib.parse import quote

    h = {"X-CSRF-Token": token, "X-File-Name": quote(name), **(headers or {})}
    return c.post("/upload", content=content, headers=h)


def ingest(c: TestClient, token: str, files: list[str], timeout: float = 60) -> dict[str, Any]:
    r = c.post("/ingest", json={"files": files}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200, r.text
    job = r.json()["job"]
    deadline = time.monotonic() + timeout
    while job["state"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        job = c.get(f"/jobs/{job['id']}", headers={"Accept": "application/json"}).json()["job"]
    assert job["state"] == "done", job
    return job  # type: ignore[no-any-return]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """A real uvicorn server for ``app`` in a thread on a free loopback port; yields its base URL."""
    import threading

    import uvicorn

    port = free_port()
    app.state.nianbao.port = port
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


__all__ = ["BASE", "LOOPBACK", "ROSTER", "create_app", "csrf_of", "free_port", "ingest", "live_server", "make_workspace", "upload"]
