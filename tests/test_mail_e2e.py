"""The acceptance flow against the two local servers (aiosmtpd and dovecot), returns filled by LibreOffice:
init with mail settings → templates → send → replies into the mailbox → fetch → board → send --feedback →
a corrected reply → fetch → 已通过 → send --remind reaches only the missing units. No password anywhere."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from conftest import run
from lo.harness import requires_soffice
from mail_helpers import foxmail_reply, lo_fill, make_workspace, outlook_reply
from mail_servers import PASSWORD, USER, ImapServer, SmtpServer, imap_fixture, smtp_fixture  # noqa: F401


def _by_recipient(smtp: SmtpServer, start: int = 0) -> dict[str, EmailMessage]:
    return {raw.recipients[0]: msg for raw, msg in zip(smtp.messages[start:], smtp.parsed()[start:], strict=True)}


def _save_attachment(msg: EmailMessage, folder: Path) -> Path:
    [att] = list(msg.iter_attachments())
    name = att.get_filename()
    assert name
    path = folder / name
    path.write_bytes(att.get_content())
    return path


@requires_soffice
def test_the_whole_mail_loop(tmp_path: Path, smtp_server: SmtpServer, imap_server: ImapServer,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_MAIL_PASSWORD", PASSWORD)
    outputs: list[str] = []

    def cli(*args: object, expect: int = 0) -> str:
        code, output = run(*args)
        outputs.append(output)
        assert code == expect, output
        return output

    ws = make_workspace(tmp_path, smtp_server, imap_server, deadline="2026-01-31")  # init + config + templates

    # send: every unit with an address gets exactly one message; a re-run sends none
    out = cli("send", "-w", ws)
    assert "发送 3 封" in out and "“丁局”在名单中没有邮箱" in out
    got = _by_recipient(smtp_server)
    assert sorted(got) == ["a@x.cn", "b@x.cn", "c@x.cn"]
    cli("send", "-w", ws)
    assert len(smtp_server.messages) == 3

    # the units fill what they received in LibreOffice and reply: 甲局 correct, 乙镇 with an unbalanced 表三
    units_dir = tmp_path / "units"
    units_dir.mkdir()
    a_blank, b_blank = _save_attachment(got["a@x.cn"], units_dir), _save_attachment(got["b@x.cn"], units_dir)
    a_filled, b_wrong = units_dir / "甲局-填好.xlsx", units_dir / "乙镇-填好.xlsx"
    lo_fill([(a_blank, a_filled, {}), (b_blank, b_wrong, {"t3.new.natural": 999})])
    imap_server.deliver(outlook_reply("a@x.cn", USER, "回复：" + str(got["a@x.cn"]["Subject"]), a_filled,
                                      "甲局2025年报.xlsx"))
    imap_server.deliver(foxmail_reply("b@x.cn", USER, "回复：年报", b_wrong, "乙镇人民政府年报.xlsx",
                                      in_reply_to=str(got["b@x.cn"]["Message-ID"])))

    # 丙街道 only acknowledges, forwarding the blank workbook back unchanged: not a return
    blank_back = outlook_reply("c@x.cn", USER, "转发：年报", _save_attachment(got["c@x.cn"], units_dir), "年报.xlsx")
    imap_server.deliver(blank_back)

    out = cli("fetch", "-w", ws, expect=1)  # 1: a return has errors
    assert "c@x.cn 的邮件“转发：年报”：附件“年报.xlsx”与发出的文件完全相同（没有填写），未保存。" in out
    assert "附件“甲局2025年报.xlsx”已保存" in out and "附件“乙镇人民政府年报.xlsx”已保存" in out
    assert "甲局" in out and "已通过" in out and "有错误" in out, out

    board = json.loads(cli("status", "-w", ws, "--json"))
    units = {u["code"]: u for u in board["units"]}
    assert [units[c]["status"] for c in "ABCD"] == ["passed", "errors", "missing", "missing"]
    assert all(units[c]["last_sent"] for c in "ABC") and units["D"]["last_sent"] == ""
    assert units["A"]["last_mail"] and units["B"]["last_mail"] and units["C"]["last_mail"] == ""
    cli("status", "-w", ws, "--xlsx", tmp_path / "看板.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "看板.xlsx")["报送情况"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=1, max_row=5)]
    assert rows[0][-3:] == ["最近发送", "最近催报", "最近来信"]
    from nianbao.campaign.status import short_time  # the board shows 12月1日 08:29; --json keeps ISO

    assert rows[1][1] == "甲局" and rows[1][-3] == short_time(units["A"]["last_sent"])
    assert rows[1][-1] == short_time(units["A"]["last_mail"])

    # send --feedback: only 乙镇, with its feedback workbook and the problems in the body
    out = cli("send", "-w", ws, "--feedback")
    assert "发送 1 封" in out
    [fb] = _by_recipient(smtp_server, 3).values()
    assert smtp_server.messages[3].recipients == ["b@x.cn"]
    assert fb["Subject"] == "【请修改】2025年政府信息公开工作年度报告数据（乙镇人民政府）"
    body = fb.get_body(("plain",)).get_content()
    assert "表三" in body and "不平衡" in body and "1. [错误]" in body
    fb_file = _save_attachment(fb, units_dir)
    assert fb_file.name == "2025年政府信息公开工作年度报告_乙镇人民政府_反馈.xlsx"
    assert fb_file.read_bytes() == (ws / "feedback" / fb_file.name).read_bytes()
    cli("send", "-w", ws, "--feedback")
    assert len(smtp_server.messages) == 4  # the same feedback is not sent twice

    # 乙镇 corrects the feedback workbook in LibreOffice and replies; fetch → 已通过
    b_fixed = units_dir / "乙镇-修改后.xlsx"
    lo_fill([(fb_file, b_fixed, {})])
    imap_server.deliver(foxmail_reply("b@x.cn", USER, "回复：【请修改】年报", b_fixed, "乙镇人民政府年报（修改后）.xlsx"))
    out = cli("fetch", "-w", ws)
    assert "乙镇人民政府年报（修改后）.xlsx" in out and "已通过" in out and "有错误" not in out
    assert "此前已读取过的 3 封未重复读取" in out
    board = json.loads(cli("status", "-w", ws, "--json"))
    units = {u["code"]: u for u in board["units"]}
    assert [units[c]["status"] for c in "ABCD"] == ["passed", "passed", "missing", "missing"]

    # send --remind: only the unit still missing that has an address; past the deadline it says 逾期
    out = cli("send", "-w", ws, "--remind")
    assert "发送 1 封" in out and "“丁局”在名单中没有邮箱" in out
    [(to, remind)] = _by_recipient(smtp_server, 4).items()
    assert to == "c@x.cn" and len(smtp_server.messages) == 5
    assert remind["Subject"] == "【催报】2025年政府信息公开工作年度报告数据（丙街道办事处）（逾期）"
    assert "报送截止日期 2026-01-31 已过" in remind.get_body(("plain",)).get_content()
    cli("send", "-w", ws, "--remind")
    assert len(smtp_server.messages) == 5  # once a day
    board = json.loads(cli("status", "-w", ws, "--json"))
    units = {u["code"]: u for u in board["units"]}
    assert units["C"]["last_reminded"] and not units["A"]["last_reminded"]
    cli("send", "-w", ws, "--json")
    cli("fetch", "-w", ws, "--json")
    cli("config", "mail", "-w", ws, "--json")

    # the password is nowhere: workspace files, the ledger, what any command printed
    secret = PASSWORD.encode()
    for f in ws.rglob("*"):
        if f.is_file():
            assert secret not in f.read_bytes(), f
    assert not any(PASSWORD in o for o in outputs)
