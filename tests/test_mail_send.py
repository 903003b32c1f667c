"""nianbao send against a real SMTP server (aiosmtpd on loopback, AUTH after STARTTLS, self-signed certificate)."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from conftest import run
from lo.harness import convert, requires_soffice
from mail_helpers import OFFICE, make_workspace, template_file
from mail_servers import PASSWORD, USER, SmtpServer, smtp_fixture  # noqa: F401 - fixture smtp_server

UNITS = {"a@x.cn": "甲局", "b@x.cn": "乙镇人民政府", "c@x.cn": "丙街道办事处"}


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", PASSWORD)
    return PASSWORD


def _attachments(msg: object) -> list[object]:
    return list(msg.iter_attachments())  # type: ignore[attr-defined]


def test_send_every_unit_its_workbook_once(tmp_path: Path, smtp_server: SmtpServer, password: str) -> None:
    ws = make_workspace(tmp_path, smtp_server)
    code, output = run("send", "-w", ws)
    assert code == 0, output
    assert "“丁局”在名单中没有邮箱，未发送。" in output
    assert "发送 3 封" in output
    assert smtp_server.logins == [USER]
    assert sorted(m.recipients[0] for m in smtp_server.messages) == sorted(UNITS)
    for raw, msg in zip(smtp_server.messages, smtp_server.parsed(), strict=True):
        unit = UNITS[raw.recipients[0]]
        assert raw.sender == USER and len(raw.recipients) == 1
        assert msg["Subject"] == f"【请填报】2025年政府信息公开工作年度报告数据（{unit}）"
        assert OFFICE in msg["From"]
        plain = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert f"{unit}：" in plain and "2099-01-31前" in plain and "王五 023-12345678" in plain
        assert f"<p>{unit}：</p>" in html
        [att] = _attachments(msg)
        expected = template_file(ws, unit)
        assert att.get_filename() == expected.name  # the Chinese name decoded from RFC 2231
        assert "filename*" in str(raw.data.decode("ascii"))  # RFC 2231 on the wire, not raw 8-bit
        assert att.get_content() == expected.read_bytes()
    # the ledger has one row per message: unit, file hash, Message-ID, time, result
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        rows = db.execute("SELECT unit_code, file_sha256, message_id, sent_at, result FROM mail_sent").fetchall()
    assert sorted(r[0] for r in rows) == ["A", "B", "C"] and {r[4] for r in rows} == {"sent"}
    ids = {m["Message-ID"] for m in smtp_server.parsed()}
    assert {r[2] for r in rows} == ids and all(len(r[1]) == 64 and r[3] for r in rows)

    # a re-run sends none; --resend sends one unit again
    code, output = run("send", "-w", ws)
    assert code == 0 and len(smtp_server.messages) == 3, output
    assert "“甲局”此前已发送" in output and "--resend A" in output
    code, output = run("send", "-w", ws, "--resend", "乙镇人民政府")
    assert code == 0, output
    assert [m.recipients for m in smtp_server.messages[3:]] == [["b@x.cn"]]


def test_dry_run_lists_and_sends_nothing(tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.delenv("NIANBAO_MAIL_PASSWORD", raising=False)  # no password needed to look
    ws = make_workspace(tmp_path, smtp_server)
    code, output = run("send", "-w", ws, "--dry-run")
    assert code == 0, output
    assert "将发送给“甲局”（a@x.cn）" in output and "共 3 封将要发送（本次未发送）。" in output
    assert smtp_server.messages == []
    code, output = run("send", "-w", ws, "--dry-run", "--json")
    doc = json.loads(output)
    assert [m["action"] for m in doc["messages"]].count("dry_run") == 3


def test_pacing_between_messages(tmp_path: Path, smtp_server: SmtpServer, password: str) -> None:
    from nianbao.campaign.workspace import open_workspace
    from nianbao.mail.send import send
    from nianbao.mail.settings import workspace_settings

    ws = open_workspace(make_workspace(tmp_path, smtp_server))
    waits: list[float] = []
    result = send(ws, workspace_settings(ws), pace=2.5, sleep=waits.append)
    assert result.count("sent") == 3
    assert waits == [2.5, 2.5]  # between messages, not before the first


def test_refused_recipient_is_recorded_and_the_others_sent(tmp_path: Path, smtp_server: SmtpServer,
                                                           password: str) -> None:
    smtp_server.refuse = {"b@x.cn"}
    ws = make_workspace(tmp_path, smtp_server)
    code, output = run("send", "-w", ws)
    assert code == 1, output
    assert "邮件服务器拒收“乙镇人民政府”的地址 b@x.cn：550 5.1.1 mailbox unavailable。请核对名单中的邮箱。" in output
    assert sorted(m.recipients[0] for m in smtp_server.messages) == ["a@x.cn", "c@x.cn"]
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        assert db.execute("SELECT result, detail FROM mail_sent WHERE unit_code = 'B'").fetchall() == [
            ("refused", "550 5.1.1 mailbox unavailable")]
    # the refused unit is tried again on the next run (after the roster is corrected)
    smtp_server.refuse = set()
    code, output = run("send", "-w", ws)
    assert code == 0 and [m.recipients for m in smtp_server.messages[2:]] == [["b@x.cn"]]


def test_connection_dropped_mid_send_resumes_with_the_rest_once(tmp_path: Path, smtp_server: SmtpServer,
                                                                password: str) -> None:
    ws = make_workspace(tmp_path, smtp_server)
    smtp_server.drop_after = 1
    code, output = run("send", "-w", ws)
    assert code == 2, output
    assert "连接在发送给“乙镇人民政府”时中断" in output
    assert "此前已发送的 1 封已记入台账。再次运行同一命令将只发送其余的邮件。" in output
    assert "Traceback" not in output
    assert [m.recipients for m in smtp_server.messages] == [["a@x.cn"]]
    smtp_server.drop_after = None
    code, output = run("send", "-w", ws)
    assert code == 0, output
    assert sorted(m.recipients[0] for m in smtp_server.messages) == ["a@x.cn", "b@x.cn", "c@x.cn"]
    code, output = run("send", "-w", ws)
    assert len(smtp_server.messages) == 3


def test_wrong_password_stops_with_a_chinese_message(tmp_path: Path, smtp_server: SmtpServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path, smtp_server)
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", "not-the-password")
    code, output = run("send", "-w", ws)
    assert code == 2
    assert f"邮件服务器 127.0.0.1:{smtp_server.port} 拒绝登录（用户 {USER}）：用户名或密码不正确。" in output
    assert smtp_server.messages == [] and "not-the-password" not in output
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM mail_sent").fetchone() == (0,)


def test_no_password_anywhere(tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path, smtp_server)
    monkeypatch.delenv("NIANBAO_MAIL_PASSWORD", raising=False)
    code, output = run("send", "-w", ws)
    assert code == 2
    assert "没有邮箱密码：请设置环境变量 NIANBAO_MAIL_PASSWORD，或在终端中运行本命令以便输入" in output


def test_server_down(tmp_path: Path, smtp_server: SmtpServer, password: str) -> None:
    ws = make_workspace(tmp_path, smtp_server)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, output = run("config", "mail", "-w", ws, "--smtp", f"127.0.0.1:{port}", "--starttls")
    assert code == 0, output
    code, output = run("send", "-w", ws)
    assert code == 2
    assert f"无法连接邮件服务器 127.0.0.1:{port}：连接被拒绝（服务器未运行或端口不对）。" in output


def test_untrusted_certificate(tmp_path: Path, smtp_server: SmtpServer, password: str) -> None:
    ws = make_workspace(tmp_path, smtp_server)
    code, output = run("config", "mail", "-w", ws, "--ca-file", "")
    assert code == 0, output
    code, output = run("send", "-w", ws)
    assert code == 2
    assert f"与邮件服务器 127.0.0.1:{smtp_server.port} 建立加密连接失败" in output and "--ca-file" in output
    assert smtp_server.messages == []


def test_missing_templates_and_unknown_resend(tmp_path: Path, smtp_server: SmtpServer, password: str) -> None:
    ws = make_workspace(tmp_path, smtp_server, templates=False)
    code, output = run("send", "-w", ws)
    assert code == 2
    assert "outbox/ 中没有“甲局”的填报模板（2025年政府信息公开工作年度报告_甲局.xlsx）：请先运行 nianbao templates。" in output
    run("templates", "-w", ws)
    code, output = run("send", "-w", ws, "--resend", "戊局")
    assert code == 2 and "名单中没有单位“戊局”" in output
    code, output = run("send", "-w", ws, "--feedback", "--remind")
    assert code == 2 and "--feedback 与 --remind 只能选一个。" in output
    code, output = run("send", "-w", ws, "--pace", -1)
    assert code == 2 and "发送间隔“-1.0”秒不正确" in output
    assert smtp_server.messages == []


def _eml_checks(folder: Path, ws: Path) -> list[Path]:
    files = sorted(folder.glob("*.eml"))
    assert [f.name for f in files] == sorted(f"填报_{u}.eml" for u in UNITS.values())
    saved = []
    for f in files:
        msg = BytesParser(policy=policy.default).parsebytes(f.read_bytes())
        unit = f.stem.removeprefix("填报_")
        [att] = list(msg.iter_attachments())
        assert att.get_filename() == template_file(ws, unit).name
        assert att.get_content() == template_file(ws, unit).read_bytes()
        assert msg["X-Unsent"] == "1" and msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
        out = folder / "attachments" / att.get_filename()
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(att.get_content())
        saved.append(out)
    return saved


@requires_soffice
def test_eml_files_parse_and_libreoffice_opens_the_attachment(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)  # no SMTP server set: .eml files are the default
    code, output = run("send", "-w", ws)
    assert code == 0, output
    assert "已写出 3 封邮件到" in output
    saved = _eml_checks(ws / "outbox" / "邮件", ws)
    code, output = run("send", "-w", ws, "--eml", tmp_path / "eml")
    assert code == 0, output
    _eml_checks(tmp_path / "eml", ws)
    pdf = convert(saved[0], tmp_path / "att.pdf", "calc_pdf_Export")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    unit = saved[0].stem.rsplit("_", 1)[1]
    assert unit in text and "政府信息公开" in text


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # the whole socket is TLS
def test_ssl_from_the_first_byte_as_on_port_465(tmp_path: Path, password: str) -> None:
    from mail_servers import start_smtp

    (tmp_path / "s465").mkdir()
    server = start_smtp(tmp_path / "s465", implicit_tls=True)
    try:
        ws = make_workspace(tmp_path, server)
        code, output = run("config", "mail", "-w", ws, "--smtp", f"127.0.0.1:{server.port}", "--ssl")
        assert code == 0 and json.loads(run("config", "mail", "-w", ws, "--json")[1])["smtp_security"] == "ssl"
        code, output = run("send", "-w", ws)
        assert code == 0, output
        assert sorted(m.recipients[0] for m in server.messages) == sorted(UNITS)
    finally:
        server.controller.stop()  # type: ignore[attr-defined]


def test_plain_relay_on_an_internal_network_needs_no_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    from aiosmtpd.controller import Controller

    from mail_servers import _smtp_handler, free_port

    monkeypatch.delenv("NIANBAO_MAIL_PASSWORD", raising=False)
    server = SmtpServer("127.0.0.1", free_port(), Path())
    controller = Controller(_smtp_handler(server), hostname="127.0.0.1", port=server.port)  # no TLS, no AUTH
    controller.start()
    try:
        ws = make_workspace(tmp_path)
        code, output = run("config", "mail", "-w", ws, "--smtp", f"127.0.0.1:{server.port}", "--plain")
        assert code == 0, output
        code, output = run("send", "-w", ws)
        assert code == 0, output
        assert sorted(m.recipients[0] for m in server.messages) == sorted(UNITS)
    finally:
        controller.stop()
