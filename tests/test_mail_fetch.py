"""nianbao fetch against a real IMAP server (Debian's dovecot, unprivileged, STARTTLS, passwd-file user)."""

from __future__ import annotations

import io
import json
import os
import socket
import sqlite3
import time
import zipfile
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest

from conftest import run
from lo.harness import requires_soffice
from mail_helpers import (
    FILES,
    foxmail_reply,
    lo_fill,
    make_workspace,
    outlook_reply,
    raw_utf8_reply,
    template_file,
)
from mail_servers import PASSWORD, USER, ZH_PASSWORD, ZH_USER, ImapServer, imap_fixture  # noqa: F401 - fixture imap_server

LO_FILLED = FILES / "returned" / "lo-filled-2021.xlsx"  # filled and saved by LibreOffice
LO_2019 = FILES / "returned" / "lo-filled-2019.xlsx"


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", PASSWORD)
    return PASSWORD


def _gbk_2231(name: str, data: bytes) -> bytes:
    """An attachment name as some clients write it: RFC 2231 with the GBK charset."""
    import base64

    pct = "".join(f"%{b:02X}" for b in name.encode("gbk"))
    return ("From: d@x.cn\r\nTo: nianbao@example.org\r\nSubject: =?gb2312?B?"
            + base64.b64encode("报表".encode("gbk")).decode() + "?=\r\nMessage-ID: <gbk2231@x.cn>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
            "Content-Type: text/plain; charset=gbk\r\n\r\nok\r\n--b1\r\nContent-Type: application/vnd.ms-excel\r\n"
            f"Content-Disposition: attachment; filename*=gbk''{pct}\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            ).encode() + base64.encodebytes(data) + b"\r\n--b1--\r\n"


def _windows_zip(members: dict[str, bytes]) -> bytes:
    """A zip as Windows' "send to compressed folder" writes it: GBK names, no UTF-8 flag."""
    buf = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members.items()):
            raw = name.encode("gbk")
            ph = (f"{i}" * len(raw)).encode()  # an ASCII name of the same length, replaced below
            zf.writestr(ph.decode(), data)
            placeholders[ph] = raw
    out = buf.getvalue()
    for ph, raw in placeholders.items():
        assert out.count(ph) == 2
        out = out.replace(ph, raw)
    return out


def _with_attachments(sender: str, subject: str, atts: dict[str, bytes], *, mid: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, USER, subject
    msg["Message-ID"] = mid or make_msgid(domain="x.cn")
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg.set_content("见附件")
    for name, data in atts.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def _typed_only(sender: str, subject: str, data: bytes, name: str) -> bytes:
    """A webmail attachment whose name lost its extension; its type says what it is."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, USER, subject
    msg["Message-ID"] = make_msgid(domain="x.cn")
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg.set_content("见附件")
    msg.add_attachment(data, maintype="application",
                       subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    return msg.as_bytes()


def _forwarded(inner: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "e@x.cn", USER, "转发: 年报"
    msg["Message-ID"] = make_msgid(domain="x.cn")
    msg["Date"] = format_datetime(datetime.now().astimezone())
    msg.set_content("转发给你")
    from email import policy
    from email.parser import BytesParser

    msg.add_attachment(BytesParser(policy=policy.default).parsebytes(inner))  # a message/rfc822 part
    return msg.as_bytes()


def test_every_form_of_attachment_is_saved_with_its_name(tmp_path: Path, imap_server: ImapServer,
                                                         password: str) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    data, data19 = LO_FILLED.read_bytes(), LO_2019.read_bytes()
    big = os.urandom(30 * 1024 * 1024)  # a 30 MB scan beside the workbook
    messages = [
        outlook_reply("a@x.cn", USER, "回复：年报", LO_FILLED, "甲局年报（Outlook）.xlsx"),
        foxmail_reply("b@x.cn", USER, "回复：年报", LO_2019, "乙镇人民政府年报.xlsx"),
        raw_utf8_reply("c@x.cn", USER, "年报 raw", LO_FILLED, "丙街道办事处 年报.xlsx"),
        _gbk_2231("丁局年报.xls", data19),
        _with_attachments("a@x.cn", "两个文件", {"两份报表.zip": _windows_zip({"甲局.xlsx": data, "乙局.xlsx": data19})}),
        _forwarded(outlook_reply("a@x.cn", USER, "原邮件", LO_2019, "转发里的报表.xlsx")),
        _with_attachments("a@x.cn", "收到，谢谢", {}),
        _with_attachments("b@x.cn", "大附件", {"扫描件.pdf": big, "大附件旁的报表.xlsx": data}),
        _typed_only("c@x.cn", "无扩展名", data, "丙街道年报"),
        raw_utf8_reply("d@x.cn", USER, "gbk raw", LO_2019, "丁局报表（GBK）.xlsx", encoding="gbk"),
    ]
    for m in messages:
        imap_server.deliver(m, chown=False)
    imap_server.fix_owner()
    code, output = run("fetch", "-w", ws, "--no-ingest")
    assert code == 0, output
    inbox = ws / "inbox"
    got = {p.name: p.read_bytes() for p in inbox.iterdir()}
    assert got == {"甲局年报（Outlook）.xlsx": data, "乙镇人民政府年报.xlsx": data19, "丙街道办事处 年报.xlsx": data,
                   "丁局年报.xls": data19, "甲局.xlsx": data, "乙局.xlsx": data19, "转发里的报表.xlsx": data19,
                   "大附件旁的报表.xlsx": data, "丙街道年报.xlsx": data,
                   "丁局报表（GBK）.xlsx": data19}
    assert "a@x.cn 的邮件“收到，谢谢”" in output and "没有报表附件，未保存。" in output
    assert "读取新邮件 10 封，保存附件 10 个" in output
    # sender, subject and date are recorded with each attachment
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        rows = db.execute("SELECT r.sender, r.subject, r.date, a.file_name FROM mail_attachments a "
                          "JOIN mail_received r ON r.id = a.received_id ORDER BY a.file_name").fetchall()
        uidvalidity = db.execute("SELECT DISTINCT uidvalidity FROM mail_uids").fetchall()
    assert ("b@x.cn", "回复：年报") == rows[[r[3] for r in rows].index("乙镇人民政府年报.xlsx")][:2]
    assert ("d@x.cn", "报表") == rows[[r[3] for r in rows].index("丁局年报.xls")][:2]
    assert all(r[2] for r in rows if r[0] != "d@x.cn") and len(uidvalidity) == 1 and uidvalidity[0][0]
    # nothing deleted or moved; the messages read carry the keyword, their unread state is kept
    assert len(list((imap_server.maildir / "new").iterdir())) + len(list((imap_server.maildir / "cur").iterdir())) == 10
    import imaplib
    import ssl

    c = imaplib.IMAP4(imap_server.host, imap_server.port)
    c.starttls(ssl.create_default_context(cafile=str(imap_server.cert)))
    c.login(USER, PASSWORD)
    c.select("INBOX", readonly=True)
    _typ, flagged = c.uid("SEARCH", "KEYWORD", "NianbaoFetched")
    _typ, seen = c.uid("SEARCH", "SEEN")
    c.logout()
    assert len(flagged[0].split()) == 10 and seen == [b""]

    # a re-run reads nothing again
    code, output = run("fetch", "-w", ws, "--no-ingest")
    assert code == 0 and "读取新邮件 0 封，保存附件 0 个；此前已读取过的 10 封未重复读取。" in output


def test_same_message_twice_is_recorded_once(tmp_path: Path, imap_server: ImapServer, password: str) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    msg = _with_attachments("a@x.cn", "年报", {"甲局.xlsx": LO_FILLED.read_bytes()}, mid="<twice@x.cn>")
    imap_server.deliver(msg)
    imap_server.deliver(msg)  # delivered twice (two UIDs, one Message-ID)
    code, output = run("fetch", "-w", ws, "--no-ingest", "--json")
    assert code == 0, output
    doc = json.loads(output)
    assert doc["messages"] == 1 and doc["already_fetched"] == 1 and doc["saved"] == ["inbox/甲局.xlsx"]
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM mail_received").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM mail_uids").fetchone() == (2,)
    assert [p.name for p in (ws / "inbox").iterdir()] == ["甲局.xlsx"]
    assert PASSWORD not in output


def test_a_thousand_messages_under_thirty_seconds(tmp_path: Path, imap_server: ImapServer, password: str) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    data = LO_FILLED.read_bytes()
    for i in range(1000):
        atts = {f"报表{i:04d}.xlsx": data} if i % 100 == 0 else {}
        imap_server.deliver(_with_attachments(f"u{i}@x.cn", f"第{i}封", atts, mid=f"<m{i}@x.cn>"), chown=False)
    imap_server.fix_owner()
    t0 = time.monotonic()
    code, output = run("fetch", "-w", ws, "--no-ingest", "--json")
    elapsed = time.monotonic() - t0
    assert code == 0, output[-2000:]
    doc = json.loads(output)
    assert doc["messages"] == 1000 and len(doc["saved"]) == 10
    assert elapsed < 30, elapsed
    code, output = run("fetch", "-w", ws, "--no-ingest", "--json")
    assert json.loads(output)["messages"] == 0 and json.loads(output)["already_fetched"] == 1000


def test_since_limits_the_messages(tmp_path: Path, imap_server: ImapServer, password: str) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    imap_server.deliver(_with_attachments("a@x.cn", "年报", {"甲局.xlsx": LO_FILLED.read_bytes()}))
    code, output = run("fetch", "-w", ws, "--no-ingest", "--since", "2099-01-01")
    assert code == 0 and "读取新邮件 0 封" in output and "邮箱中没有新的报表附件。" in output
    code, output = run("fetch", "-w", ws, "--no-ingest", "--since", "2026-1-32")
    assert code == 2 and "日期“2026-1-32”的写法不正确，应为 年-月-日" in output


def test_fetch_errors(tmp_path: Path, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", "wrong")
    code, output = run("fetch", "-w", ws)
    assert code == 2
    assert f"邮件服务器 127.0.0.1:{imap_server.port} 拒绝登录（用户 {USER}）：用户名或密码不正确。" in output
    monkeypatch.delenv("NIANBAO_MAIL_PASSWORD")
    code, output = run("fetch", "-w", ws)
    assert code == 2 and "没有邮箱密码" in output
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", PASSWORD)
    code, output = run("config", "mail", "-w", ws, "--folder", "年报")
    code, output = run("fetch", "-w", ws)
    assert code == 2 and "邮箱中无法打开文件夹“年报”" in output
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run("config", "mail", "-w", ws, "--imap", f"127.0.0.1:{port}", "--starttls", "--folder", "INBOX")
    code, output = run("fetch", "-w", ws)
    assert code == 2 and f"无法连接邮件服务器 127.0.0.1:{port}：连接被拒绝" in output
    other = make_workspace(tmp_path / "o")
    code, output = run("fetch", "-w", other)
    assert code == 2 and "没有设定收信服务器：请先运行 nianbao config mail --imap 主机:端口。" in output
    assert "Traceback" not in output


@requires_soffice
def test_sender_and_workbook_disagree_and_mail_files_in_inbox(tmp_path: Path, imap_server: ImapServer,
                                                              password: str) -> None:
    ws = make_workspace(tmp_path, imap=imap_server)
    filled_a, filled_b = tmp_path / "甲局-填好.xlsx", tmp_path / "乙镇-填好.xlsx"
    lo_fill([(template_file(ws, "甲局"), filled_a, {}), (template_file(ws, "乙镇人民政府"), filled_b, {})])
    # 甲局's workbook, sent from 乙镇's address; 乙镇's from an address not on the roster
    imap_server.deliver(outlook_reply("b@x.cn", USER, "年报", filled_a, "年报.xlsx"))
    imap_server.deliver(outlook_reply("mishu@x.cn", USER, "年报", filled_b, "乙镇年报.xlsx"))
    code, output = run("fetch", "-w", ws, "--no-ingest")
    assert code == 0 and "已通过" not in output
    code, output = run("fetch", "-w", ws)  # nothing new in the mailbox: what was saved before is ingested now
    assert code == 0, output
    assert "读取新邮件 0 封" in output and "甲局" in output and "已通过" in output
    assert "附件“年报.xlsx”是“甲局”的报表，而发件人 b@x.cn 是名单中“乙镇人民政府”的邮箱。" in output
    assert ("附件“乙镇年报.xlsx”是“乙镇人民政府”的报表，而发件人 mishu@x.cn 不是名单中任何单位的邮箱"
            "（名单中该单位为 b@x.cn）。") in output
    doc = json.loads(run("fetch", "-w", ws, "--json")[1])
    assert doc["ingest"] is None and doc["messages"] == 0

    # the same reply saved as .eml and dropped into inbox/ of another workspace: ingest takes the attachment
    # and an Outlook .msg (written by aspose-email-foss, a CFB/MSG writer) forwarding 乙镇's reply
    ws2 = make_workspace(tmp_path / "second")
    filled, filled_b2 = tmp_path / "second-甲局.xlsx", tmp_path / "second-乙镇.xlsx"
    lo_fill([(template_file(ws2, "甲局"), filled, {}), (template_file(ws2, "乙镇人民政府"), filled_b2, {})])
    (ws2 / "inbox" / "回复.eml").write_bytes(foxmail_reply("a@x.cn", USER, "年报", filled, "甲局年报.xlsx"))
    (ws2 / "inbox" / "空的.eml").write_bytes(_with_attachments("a@x.cn", "谢谢", {}))
    _outlook_msg(ws2 / "inbox" / "转发：乙镇年报.msg", filled_b2, "乙镇人民政府年报.xlsx")
    code, output = run("ingest", "-w", ws2)
    assert code == 0, output
    assert "文件 空的.eml 未接收：这是一封邮件，其中没有报表附件" in output  # listed, as other non-returns
    assert "甲局：已接收 回复.eml/甲局年报.xlsx" in output and "已通过" in output
    assert "乙镇人民政府：已接收 转发：乙镇年报.msg/乙镇人民政府年报.xlsx" in output
    code, output = run("status", "-w", ws2, "--json")
    units = {u["code"]: u for u in json.loads(output)["units"]}
    assert units["A"]["status"] == "passed" and units["A"]["file"] == "回复.eml/甲局年报.xlsx"
    assert units["B"]["status"] == "passed" and units["B"]["file"] == "转发：乙镇年报.msg/乙镇人民政府年报.xlsx"
    assert sorted(p.name for p in (ws2 / "inbox").iterdir()) == ["回复.eml", "空的.eml", "转发：乙镇年报.msg"]


def _outlook_msg(path: Path, workbook: Path, name: str) -> None:
    """An Outlook .msg forwarding a reply that carries the workbook (an embedded message attachment)."""
    msg_module = pytest.importorskip("aspose.email_foss.msg.mapi_message")
    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "乙镇 <b@x.cn>", USER, "年报"
    inner.set_content("附件为报表")
    inner.add_attachment(workbook.read_bytes(), maintype="application",
                         subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    outer = msg_module.MapiMessage.create(subject="转发：年报", body="请查收")
    outer.add_embedded_message_attachment(msg_module.MapiMessage.from_email_message(inner), filename="年报.msg")
    outer.save(path)


def test_imaps_as_on_port_993(tmp_path: Path, imap_server: ImapServer, password: str) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    code, output = run("config", "mail", "-w", ws, "--imap", f"127.0.0.1:{imap_server.ssl_port}", "--ssl")
    assert code == 0, output
    imap_server.deliver(outlook_reply("a@x.cn", USER, "年报", LO_FILLED, "甲局.xlsx"))
    code, output = run("fetch", "-w", ws, "--no-ingest")
    assert code == 0, output
    assert (ws / "inbox" / "甲局.xlsx").read_bytes() == LO_FILLED.read_bytes()


def test_a_non_ascii_password(tmp_path: Path, imap_server: ImapServer, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    run("config", "mail", "-w", ws, "--mail-user", ZH_USER)
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", ZH_PASSWORD)  # IMAP LOGIN takes ASCII only: AUTHENTICATE PLAIN
    code, output = run("fetch", "-w", ws, "--no-ingest")
    assert code == 0 and "读取新邮件 0 封" in output, output
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", ZH_PASSWORD + "x")
    code, output = run("fetch", "-w", ws, "--no-ingest")
    assert code == 2 and f"拒绝登录（用户 {ZH_USER}）" in output


def test_connection_lost_midway_keeps_what_was_read(tmp_path: Path, imap_server: ImapServer,
                                                    password: str) -> None:
    import threading

    from mail_servers import drop_imap_sessions

    ws = make_workspace(tmp_path, imap=imap_server, templates=False)
    data = LO_FILLED.read_bytes()
    total = 400
    for i in range(total):
        imap_server.deliver(_with_attachments("a@x.cn", f"第{i}封", {f"报表{i:03d}.xlsx": data}, mid=f"<d{i}@x.cn>"),
                            chown=False)
    imap_server.fix_owner()
    inbox = ws / "inbox"

    dropped: list[int] = []

    def drop_once_reading() -> None:  # the connection is lost in the middle of the fetch
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(inbox.iterdir()):
            time.sleep(0.005)
        dropped.append(drop_imap_sessions(imap_server))

    killer = threading.Thread(target=drop_once_reading)
    killer.start()
    code, output = run("fetch", "-w", ws, "--no-ingest")
    killer.join()
    assert dropped == [1] and code == 2, output[-3000:]
    assert f"收信服务器 127.0.0.1:{imap_server.port} 返回错误" in output and "Traceback" not in output
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        (kept,) = db.execute("SELECT COUNT(*) FROM mail_received").fetchone()
    assert 0 < kept < total and f"本次已读取的 {kept} 封已记入台账" in output
    code, output = run("fetch", "-w", ws, "--no-ingest", "--json")
    assert code == 0, output
    doc = json.loads(output)
    assert doc["messages"] == total - kept and doc["already_fetched"] == kept
    assert len(list(inbox.iterdir())) == total
