"""Receiving files on the web page: zips, files that are not returns, and the workspace lock held by
another process (a command-line run)."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from web_support import client, create_app, csrf_of, ingest, make_workspace, upload

RETURNED = Path(__file__).parent / "files" / "returned"


def _templates(ws):  # type: ignore[no-untyped-def]
    return {u.code: ws.template_path(u.code) for u in ws.units()}


def test_a_zip_of_returns_is_taken_member_by_member(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    c = client(create_app(ws.root))
    token = csrf_of(c)
    paths = _templates(ws)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("甲局.xlsx", paths["A"].read_bytes())
        zf.writestr("乙镇.xlsx", paths["B"].read_bytes())
        zf.writestr("说明.pdf", b"%PDF-1.4 not a return")
    r = upload(c, token, "各单位报表.zip", buf.getvalue())
    assert r.status_code == 200, r.text
    job = ingest(c, token, [r.json()["token"]])
    assert job["summary"] == ("共处理 2 个文件：接收 2 个，重复 0 个，拒收 0 个。"
                              "另有 1 个文件未接收（不是报表或无法打开，见上）。")
    texts = "\n".join(line["text"] for line in job["lines"])
    assert "甲局" in texts and "乙镇人民政府" in texts and "说明.pdf" in texts
    assert {s.unit_code for s in ws.submissions()} == {"A", "B"}


def test_a_file_ingest_does_not_take_is_refused_at_upload(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    c = client(create_app(ws.root))
    r = upload(c, csrf_of(c), "年报.docx", b"PK\x03\x04 whatever")
    assert r.status_code == 415
    text = r.json()["message"]
    assert "年报.docx" in text and "不是可以接收的文件类型" in text and ".zip" in text
    assert not (ws.root / "inbox" / "网页上传").exists()


HOLDER = """
import sys, time
from nianbao.campaign.lock import workspace_lock
with workspace_lock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(root: Path, seconds: float) -> subprocess.Popen[str]:
    src = Path(__file__).resolve().parents[1] / "src"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(root), str(seconds)], stdout=subprocess.PIPE,
                            text=True, env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_the_workspace_lock_of_another_process_is_waited_for_and_said(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    app = create_app(ws.root)
    app.state.nianbao.lock_wait = 0.5
    c = client(app)
    token = csrf_of(c)
    holder = _hold(ws.root, 30)
    try:
        # a page's short work gives up soon with the lock's message
        page = c.post("/aggregate", data={"csrf": token, "mode": "draft"}).text
        assert "正由另一个 nianbao 进程" in page and f"进程号 {holder.pid}" in page and "本次未做任何改动" in page
        # the background ingest waits, saying so on the page, and goes on once the other run is done
        r = upload(c, token, "甲局.xlsx", _templates(ws)["A"].read_bytes())
        job = c.post("/ingest", json={"files": [r.json()["token"]]}, headers={"X-CSRF-Token": token}).json()["job"]
        for _ in range(100):
            job = c.get(f"/jobs/{job['id']}").json()["job"]
            if job["lines"]:
                break
            time.sleep(0.05)
        assert job["state"] == "running" and "等待其完成" in job["lines"][0]["text"]
        assert ws.submissions() == []
    finally:
        holder.kill()
        holder.wait()
    for _ in range(200):
        job = c.get(f"/jobs/{job['id']}").json()["job"]
        if job["state"] != "running":
            break
        time.sleep(0.05)
    assert job["state"] == "done" and "接收 1 个" in job["summary"]
    assert len(ws.submissions()) == 1


def test_a_saved_mail_with_a_return_attached_is_taken(tmp_path: Path) -> None:
    """A reply saved as .eml (as Foxmail writes it) dropped on the page: its attachment is ingested."""
    from mail_helpers import foxmail_reply

    ws = make_workspace(tmp_path)
    c = client(create_app(ws.root))
    token = csrf_of(c)
    eml = foxmail_reply("a@x.cn", "office@x.cn", "回复：年报", _templates(ws)["A"], "甲局年报.xlsx")
    r = upload(c, token, "回复 年报.eml", eml)
    assert r.status_code == 200, r.text
    job = ingest(c, token, [r.json()["token"]])
    assert "接收 1 个" in job["summary"], job
    assert [s.unit_code for s in ws.submissions()] == ["A"]
