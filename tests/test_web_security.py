"""The web front end's security, each point tried (Starlette's TestClient; the client address is
the ASGI scope's, so a non-loopback client is simulated)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from web_support import client, create_app, csrf_of, ingest, live_server, make_workspace, upload

UNSAFE = Path(__file__).parent / "files" / "unsafe"
RETURNED = Path(__file__).parent / "files" / "returned"


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    return make_workspace(tmp_path)


def test_a_non_loopback_client_is_refused_without_a_password(ws) -> None:  # type: ignore[no-untyped-def]
    app = create_app(ws.root)
    r = client(app, ("192.168.1.20", 40000)).get("/board")
    assert r.status_code == 403
    assert "只允许在本机打开" in r.text and "192.168.1.20" in r.text
    assert client(app).get("/board").status_code == 200


def test_a_page_reached_under_a_foreign_host_name_is_refused(ws) -> None:  # type: ignore[no-untyped-def]
    # a site rebinding its own name to 127.0.0.1 must not read the board
    r = client(create_app(ws.root), base_url="http://evil.example:8765").get("/board")
    assert r.status_code == 403 and "evil.example" in r.text and "不是本机地址" in r.text


def test_with_a_password_a_remote_client_must_log_in(ws) -> None:  # type: ignore[no-untyped-def]
    app = create_app(ws.root, password="s3cret-口令")
    c = client(app, ("10.1.2.3", 40000), base_url="http://10.0.0.1:8765")
    r = c.get("/board", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert c.get("/jobs/x", headers={"Accept": "application/json"}).status_code == 401
    page = c.get("/login").text
    assert "请输入" in page and "测试区政府办公室" not in page and "/start" not in page  # names nothing
    import re

    token = re.search(r'data-csrf="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    wrong = c.post("/login", data={"csrf": token, "password": "guess"})
    assert wrong.status_code == 401 and "密码不正确" in wrong.text
    assert c.get("/board", follow_redirects=False).status_code == 303
    ok = c.post("/login", data={"csrf": token, "password": "s3cret-口令"})
    assert ok.status_code == 200 and "甲局" in ok.text  # redirected to the board


def test_serve_on_a_non_loopback_host_generates_and_prints_a_password(ws, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from nianbao.web import server

    started = {}
    monkeypatch.setattr(server, "run_uvicorn", lambda app, host, port: started.update(app=app, host=host))
    said: list[str] = []
    server.serve(ws.root, host="0.0.0.0", port=_free_port(), password=None, browser=False, say=said.append)
    state = started["app"].state.nianbao
    assert state.password and len(state.password) >= 12
    assert any(state.password in line for line in said)
    said.clear()
    server.serve(ws.root, host="127.0.0.1", port=_free_port(), password=None, browser=False, say=said.append)
    assert started["app"].state.nianbao.password is None and len(said) == 1


def test_a_port_in_use_is_a_message_not_a_traceback(ws) -> None:  # type: ignore[no-untyped-def]
    import socket

    from conftest import run

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        code, output = run("serve", "-w", ws.root, "--port", port, "--no-browser")
    assert code == 2 and f"端口 {port} 已被占用" in output and "Traceback" not in output


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_every_post_without_the_csrf_token_is_refused(ws) -> None:  # type: ignore[no-untyped-def]
    c = client(create_app(ws.root))
    token = csrf_of(c)
    before = sorted(p.name for p in ws.root.rglob("*"))
    for path, data in (("/aggregate", {"allow_incomplete": "1"}), ("/open", {"name": "ws"}),
                       ("/templates", {}), ("/create", {"name": "x", "year": "2025", "office": "x"}),
                       ("/logout", {}), ("/review/A", {"action": "reject", "reason": "x", "submission": "1"})):
        r = c.post(path, data=data, follow_redirects=False)
        assert r.status_code == 403 and "缺少安全校验码" in r.text, path
        r = c.post(path, data={**data, "csrf": "forged"}, follow_redirects=False)
        assert r.status_code == 403, path
    r = upload(c, "forged", "a.xlsx", (RETURNED / "lo-filled-2021.xlsx").read_bytes())
    assert r.status_code == 403 and "缺少安全校验码" in r.json()["message"]
    assert c.post("/ingest", json={"files": []}).status_code == 403
    assert sorted(p.name for p in ws.root.rglob("*")) == before  # nothing was done
    # with the token the same form goes through
    r = c.post("/templates", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303


def test_an_upload_named_with_a_path_stays_inside_the_workspace(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    c = client(create_app(ws.root))
    token = csrf_of(c)
    data = (ws.root / "outbox").glob("*丙局.xlsx").__next__().read_bytes()
    r = upload(c, token, "../../x.xlsx", data)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "x.xlsx"
    assert "含有路径" in body["messages"][0] and "../../x.xlsx" in body["messages"][0]
    stored = [p for p in ws.root.rglob("x.xlsx")]
    assert len(stored) == 1 and stored[0].read_bytes() == data
    assert not list(tmp_path.glob("x.xlsx")) and not (tmp_path.parent / "x.xlsx").exists()
    for name in ("..\\..\\y.xlsx", "/etc/z.xlsx", "..", "C:\\Windows\\w.xlsx"):
        r = upload(c, token, name, data + name.encode())  # other bytes: not the same file
        assert r.status_code in (200, 415), name
        if r.status_code == 200:
            assert (ws.root / "inbox" / "网页上传" / r.json()["token"]).is_file()
    assert not any(p.name in ("y.xlsx", "z.xlsx", "w.xlsx") for p in tmp_path.parent.glob("*"))
    # a token that names a path outside the uploads is refused
    r = c.post("/ingest", json={"files": ["../../nianbao.json"]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 400 and "重新上传" in r.json()["message"]


def test_a_300_mb_upload_is_refused_while_streaming(ws) -> None:  # type: ignore[no-untyped-def]
    """Through a real uvicorn server and a raw socket: the body is sent in 1 MB chunks without a
    length, and the server answers (and stops reading) soon after the 20 MB limit, not after 300 MB."""
    import json
    import re
    import select
    import socket

    import httpx

    with live_server(create_app(ws.root)) as url:
        with httpx.Client(base_url=url) as c:
            page = c.get("/start").text
            token = re.search(r'data-csrf="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            cookie = "; ".join(f"{k}={v}" for k, v in c.cookies.items())
        port = int(url.rsplit(":", 1)[1])
        sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        name = "%E5%A4%A7%E6%96%87%E4%BB%B6.xlsx"  # 大文件.xlsx
        sock.sendall((f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                      f"X-CSRF-Token: {token}\r\nX-File-Name: {name}\r\nTransfer-Encoding: chunked\r\n"
                      "Connection: close\r\n\r\n").encode())
        chunk = b"%x\r\n" % (1 << 20) + b"\0" * (1 << 20) + b"\r\n"
        sent = 0
        try:
            while sent < 300 and not select.select([sock], [], [], 0)[0]:
                sock.sendall(chunk)
                sent += 1
        except OSError:  # the server closed the connection after answering
            pass
        reply = b""
        while True:
            try:
                part = sock.recv(65536)
            except OSError:
                break
            if not part:
                break
            reply += part
        sock.close()
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    text = json.loads(body.decode("utf-8"))["message"]
    assert "大文件.xlsx" in text and "超过 20 MB" in text
    assert sent < 60  # it stopped reading soon after the limit
    assert [p for p in (ws.root / "inbox").rglob("*") if p.is_file()] == []  # nothing half-written kept


def test_a_declared_300_mb_upload_is_refused_before_its_body_is_read(ws) -> None:  # type: ignore[no-untyped-def]
    c = client(create_app(ws.root))
    token = csrf_of(c)
    r = upload(c, token, "大文件.xlsx", b"x" * 10, headers={"Content-Length": str(300 << 20)})
    assert r.status_code == 413 and "超过 20 MB" in r.json()["message"]


def test_a_zip_bomb_is_refused_with_its_message(ws) -> None:  # type: ignore[no-untyped-def]
    c = client(create_app(ws.root))
    token = csrf_of(c)
    r = upload(c, token, "zip-bomb-ratio.xlsx", (UNSAFE / "zip-bomb-ratio.xlsx").read_bytes())
    assert r.status_code == 200
    job = ingest(c, token, [r.json()["token"]])
    assert "拒收 1 个" in job["summary"]
    [line] = job["lines"]
    assert line["level"] == "error" and "解压后的大小异常" in line["text"]
    board = c.get("/board").text
    assert "拒收的文件" in board and "解压后的大小异常" in board


def test_two_uploads_of_the_same_file_are_recorded_once(ws) -> None:  # type: ignore[no-untyped-def]
    c = client(create_app(ws.root))
    token = csrf_of(c)
    data = (ws.root / "outbox").glob("*丙局.xlsx").__next__().read_bytes()
    first = upload(c, token, "丙局.xlsx", data).json()
    second = upload(c, token, "丙局（再次发送）.xlsx", data).json()
    assert first["token"] == second["token"]  # kept once, by content
    job = ingest(c, token, [first["token"], second["token"]])
    assert job["total"] == 1
    again = ingest(c, token, [second["token"]])
    assert "重复 1 个" in again["summary"]
    assert len(ws.submissions()) == 1


def test_no_request_path_reaches_files_outside_the_workspace(ws) -> None:  # type: ignore[no-untyped-def]
    c = client(create_app(ws.root))
    for path in ("/submission/1/original", "/submission/x/original", "/submission/999/feedback",
                 "/template/../../nianbao.json", "/template/%2e%2e%2fnianbao.json", "/report/../../etc/passwd",
                 "/report/sqlite", "/static/../app.py", "/static/%2e%2e/app.py", "/unit/../../etc/passwd",
                 "/jobs/../../x"):
        r = c.get(path)
        assert r.status_code == 404, path
        assert "from __future__" not in r.text and "\"schema\"" not in r.text and "root:" not in r.text, path
    r = c.post("/open", data={"csrf": csrf_of(c), "name": ".."})
    assert r.status_code == 404 and "找不到工作区" in r.text


def test_an_ingest_while_another_runs_gets_the_lock_message(ws) -> None:  # type: ignore[no-untyped-def]
    app = create_app(ws.root)
    jobs = app.state.nianbao.jobs
    release = threading.Event()
    jobs.start("ingest", str(ws.root), 1, lambda job: release.wait(10))
    c = client(app)
    token = csrf_of(c)
    r = upload(c, token, "甲.xlsx", (RETURNED / "lo-filled-2021.xlsx").read_bytes())
    second = c.post("/ingest", json={"files": [r.json()["token"]]}, headers={"X-CSRF-Token": token})
    assert second.status_code == 409 and "另一个窗口正在接收文件" in second.json()["message"]
    agg = c.post("/aggregate", data={"csrf": token, "allow_incomplete": "1"})
    assert "另一个窗口正在接收文件" in agg.text
    release.set()
    for _ in range(100):  # once the first job is done the same request goes through
        if jobs.latest(str(ws.root), "ingest").state != "running":
            break
        threading.Event().wait(0.05)
    assert ingest(c, token, [r.json()["token"]])["state"] == "done"
