"""Mail settings on the command line (init, config mail), the editable template, and the error paths that
need no server: each with its Chinese message and exit code."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import run
from lo.harness import requires_soffice
from mail_helpers import ROSTER4, make_workspace


def _init(tmp_path: Path, *extra: object) -> tuple[int, str, Path]:
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER4, encoding="utf-8")
    ws = tmp_path / "ws"
    code, output = run("init", ws, "--year", 2025, "--roster", roster, "--office", "某区政府办公室", *extra)
    return code, output, ws


def _mail(ws: Path) -> dict[str, object]:
    return dict(json.loads((ws / "nianbao.json").read_text(encoding="utf-8"))["mail"])


@pytest.mark.parametrize(("extra", "expected"), [
    (("--smtp", "mail.qu.gov.cn", "--imap", "mail.qu.gov.cn"),
     {"smtp_port": 465, "smtp_security": "ssl", "imap_port": 993, "imap_security": "ssl"}),
    (("--smtp", "smtp.qu.gov.cn:587", "--imap", "imap.qu.gov.cn:143", "--starttls"),
     {"smtp_port": 587, "smtp_security": "starttls", "imap_port": 143, "imap_security": "starttls"}),
    (("--smtp", "10.1.2.3:25", "--imap", "10.1.2.3:143"),
     {"smtp_port": 25, "smtp_security": "plain", "imap_port": 143, "imap_security": "plain"}),
    (("--smtp", "smtp.qu.gov.cn", "--starttls"), {"smtp_port": 587, "smtp_security": "starttls", "imap_host": ""}),
])
def test_init_with_mail_settings(tmp_path: Path, extra: tuple[str, ...], expected: dict[str, object]) -> None:
    code, output, ws = _init(tmp_path, "--mail-from", "gkb@qu.gov.cn", "--mail-user", "gkb", *extra)
    assert code == 0, output
    mail = _mail(ws)
    assert {k: mail[k] for k in expected} == expected
    assert mail["mail_from"] == "gkb@qu.gov.cn" and mail["user"] == "gkb"
    assert not any("pass" in k for k in mail)


@pytest.mark.parametrize(("extra", "text"), [
    (("--mail-from", "a@b.cn", "--smtp", "h", "--ssl", "--starttls"), "--ssl、--starttls 与 --plain 只能选一个。"),
    (("--mail-from", "a@b.cn", "--smtp", "mail server"), "SMTP 服务器“mail server”的写法不正确"),
    (("--mail-from", "a@b.cn", "--imap", "h:99999"), "IMAP 服务器“h:99999”的写法不正确"),
    (("--mail-from", "政务公开办", "--smtp", "h"), "发件地址“政务公开办”不是有效的邮箱地址。"),
    (("--smtp", "h",), "设定邮件服务器时须同时设定发件地址（--mail-from）。"),
])
def test_init_refuses_bad_mail_settings_and_writes_nothing(tmp_path: Path, extra: tuple[str, ...],
                                                           text: str) -> None:
    code, output, ws = _init(tmp_path, *extra)
    assert code == 2 and text in output, output
    assert not ws.exists()


def test_config_mail_show_change_and_errors(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, templates=False)
    code, output = run("config", "mail", "-w", ws)
    assert code == 0 and "发件地址：nianbao@example.org" in output
    assert "未设定（send 写出 .eml 文件）" in output and "不保存：取自环境变量 NIANBAO_MAIL_PASSWORD" in output
    code, output = run("config", "mail", "-w", ws, "--smtp", "smtp.qu.gov.cn:587", "--pace", 5)
    assert code == 0 and "邮件设置已保存到" in output
    mail = _mail(ws)
    assert (mail["smtp_host"], mail["smtp_port"], mail["smtp_security"], mail["pace"]) == (
        "smtp.qu.gov.cn", 587, "starttls", 5.0)
    code, output = run("config", "mail", "-w", ws, "--json")
    assert code == 0 and json.loads(output)["smtp_host"] == "smtp.qu.gov.cn"
    for args, text in [(("--pace", -2), "发送间隔“-2.0”秒不正确"),
                       (("--ca-file", tmp_path / "无.pem"), "证书文件“" + str(tmp_path / "无.pem") + "”不存在。"),
                       (("--smtp", "a b"), "SMTP 服务器“a b”的写法不正确")]:
        code, output = run("config", "mail", "-w", ws, *args)
        assert code == 2 and text in output, output
    assert _mail(ws)["pace"] == 5.0  # unchanged by the refused edits


def test_broken_mail_settings_in_the_config_file(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, templates=False)
    doc = json.loads((ws / "nianbao.json").read_text(encoding="utf-8"))
    doc["mail"]["smtp_security"] = "tls1"
    (ws / "nianbao.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, output = run("send", "-w", ws, "--dry-run")
    assert code == 2 and "工作区配置 nianbao.json 中的邮件设置不正确：加密方式应为 ssl、starttls 或 plain" in output


def test_the_template_is_editable(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    code, output = run("config", "mail", "-w", ws, "--template")
    assert code == 0 and "已将邮件模板复制到" in output
    path = ws / "邮件模板.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("【请填报】", "【区政务公开办通知】"), encoding="utf-8")
    code, output = run("send", "-w", ws, "--dry-run")
    assert code == 0 and "【区政务公开办通知】2025年政府信息公开工作年度报告数据（甲局）" in output
    code, output = run("config", "mail", "-w", ws, "--template")
    assert code == 2 and "工作区中已有邮件模板" in output and "未覆盖" in output
    assert "【区政务公开办通知】" in path.read_text(encoding="utf-8")
    path.write_text('[send]\nsubject = "{unit"\nbody = "x"\n', encoding="utf-8")
    code, output = run("send", "-w", ws, "--dry-run")
    assert code == 2 and f"邮件模板“{path}”无法使用" in output


def test_untrusted_names_stay_data_in_the_html_part(tmp_path: Path) -> None:
    from nianbao.mail.compose import load_templates, render

    _subject, text, page = render(load_templates(None)["send"],
                                 {"unit": "<script>alert(1)</script>局", "year": 2025, "deadline": "x",
                                  "contact": "a&b", "office": "o", "mail_from": "m@x.cn"})
    assert "<script>" in text and "<script>" not in page and "&lt;script&gt;" in page and "a&amp;b" in page


def test_password_from_the_terminal_is_not_kept() -> None:
    from nianbao.mail.settings import MailError, MailSettings, password

    s = MailSettings(mail_from="a@b.cn")
    prompts: list[str] = []
    assert password(s, env={}, ask=lambda p: prompts.append(p) or "pw-typed", interactive=True) == "pw-typed"
    assert prompts == ["a@b.cn 的邮箱密码（不会保存）："]
    assert password(s, env={"NIANBAO_MAIL_PASSWORD": "from-env"}, interactive=False) == "from-env"
    with pytest.raises(MailError) as exc:
        password(s, env={}, interactive=False)
    assert exc.value.exit_code == 2 and "NIANBAO_MAIL_PASSWORD" in str(exc.value)


def test_status_on_a_ledger_without_mail_tables_reads_only(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, templates=False)
    code, output = run("status", "-w", ws, "--json")
    assert code == 0
    assert {u["last_sent"] for u in json.loads(output)["units"]} == {""}
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert not any(t.startswith("mail_") for t in tables)
    code, output = run("status", "-w", ws)
    assert code == 0 and "最近发送" not in output


def _eml(atts: dict[str, bytes]) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@x.cn", "nianbao@example.org", "年报"
    msg.set_content("见附件")
    for name, data in atts.items():
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return msg.as_bytes()


def test_mail_files_in_inbox_that_give_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path, templates=False)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("炸弹.xlsx", b"\0" * (5 * 1024 * 1024))
    (ws / "inbox" / "压缩包.eml").write_bytes(_eml({"报表.zip": bomb.getvalue()}))
    (ws / "inbox" / "坏压缩包.eml").write_bytes(_eml({"报表.zip": b"PK\x03\x04 not a zip"}))
    (ws / "inbox" / "谢谢.eml").write_bytes(_eml({"说明.docx": b"x"}))
    (ws / "inbox" / "损坏.msg").write_bytes(b"\xd0\xcf\x11\xe0 this is not an Outlook message")
    code, output = run("ingest", "-w", ws)
    assert code == 0, output  # nothing recorded: each file is listed as not taken, with the reason
    assert "文件 压缩包.eml 未接收：压缩包“报表.zip/炸弹.xlsx”超出安全限制（压缩比" in output
    assert "文件 坏压缩包.eml 未接收：压缩包“报表.zip”无法打开，其中的文件未保存。" in output
    assert "文件 谢谢.eml 未接收：这是一封邮件，其中没有报表附件" in output
    assert "文件 损坏.msg 未接收：邮件文件“损坏.msg”无法读取" in output
    assert "Traceback" not in output
    with sqlite3.connect(ws / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM submissions").fetchone() == (0,)


@requires_soffice
def test_feedback_to_units_sent_back_and_reminders_to_blank_returns(tmp_path: Path) -> None:
    import shutil

    from mail_helpers import lo_fill, template_file

    ws = make_workspace(tmp_path)
    lo_fill([(template_file(ws, "甲局"), ws / "inbox" / "甲局.xlsx", {})])  # filled by LibreOffice: 已通过
    shutil.copyfile(template_file(ws, "乙镇人民政府"), ws / "inbox" / "乙镇.xlsx")  # the blank workbook back
    code, output = run("ingest", "-w", ws)
    assert "甲局" in output, output
    code, output = run("reject", "甲局", "--reason", "数字与科室台账不符", "-w", ws)
    assert code == 0, output
    code, output = run("send", "-w", ws, "--feedback", "--dry-run", "--json")
    assert code == 0, output
    assert [(m["code"], m["action"]) for m in json.loads(output)["messages"]] == [("A", "dry_run")]
    code, output = run("send", "-w", ws, "--remind", "--dry-run", "--json")
    assert code == 0, output
    planned = sorted((m["code"], m["action"]) for m in json.loads(output)["messages"])
    assert planned == [("B", "dry_run"), ("C", "dry_run"), ("D", "no_address")]  # not 甲局, which returned
