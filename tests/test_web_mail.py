"""Mail from the web page against a real SMTP server (aiosmtpd on loopback, STARTTLS + AUTH): what each
sending will do is shown first, then it is done in the background; the password typed on the page is
used for that run only."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from mail_helpers import make_workspace
from mail_servers import PASSWORD, SmtpServer, smtp_fixture  # noqa: F401 - fixture smtp_server
from web_support import client, create_app, csrf_of


def _wait(c, job_id: str | None = None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    for _ in range(300):
        page = c.get("/mail").text
        job_id = job_id or re.search(r'data-job="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
        job = c.get(f"/jobs/{job_id}").json()["job"]
        if job["state"] != "running":
            return job  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError("the mail job did not finish")


def test_send_templates_from_the_page_after_a_preview(tmp_path: Path, smtp_server: SmtpServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_MAIL_PASSWORD", raising=False)
    ws = make_workspace(tmp_path, smtp_server)
    c = client(create_app(ws))
    token = csrf_of(c)
    page = c.get("/mail").text
    assert "发信服务器（SMTP）" in page and "不保存" in page
    preview = c.get("/mail?kind=template").text
    assert "将要做的事" in preview and "确认发送填报模板（3 封）" in preview
    assert "a@x.cn" in preview and "b@x.cn" in preview and "在名单中没有邮箱" in preview
    assert smtp_server.messages == []  # a preview sends nothing
    assert 'name="password"' in preview
    r = c.post("/mail", data={"csrf": token, "what": "template", "password": PASSWORD})
    assert r.status_code == 200
    job = _wait(c)
    assert job["state"] == "done", job
    assert "发送 3 封" in job["summary"] and job["done"] >= 3
    assert sorted(m.recipients[0] for m in smtp_server.messages) == ["a@x.cn", "b@x.cn", "c@x.cn"]
    # the same sending again has nothing left to do
    again = c.get("/mail?kind=template").text
    assert "确认发送填报模板" not in again
    # without the CSRF token nothing is sent
    r = c.post("/mail", data={"what": "remind", "password": PASSWORD})
    assert r.status_code == 403 and len(smtp_server.messages) == 3


def test_a_wrong_password_is_said_on_the_page(tmp_path: Path, smtp_server: SmtpServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_MAIL_PASSWORD", raising=False)
    ws = make_workspace(tmp_path, smtp_server)
    c = client(create_app(ws))
    c.post("/mail", data={"csrf": csrf_of(c), "what": "template", "password": "wrong"})
    job = _wait(c)
    assert job["state"] == "failed"
    assert any("密码" in line["text"] or "登录" in line["text"] for line in job["lines"]), job["lines"]
    assert smtp_server.messages == []
