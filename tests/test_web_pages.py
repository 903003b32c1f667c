"""The web pages over the library API, without a browser: the demo's board, the start page's forms,
filters, downloads, and ``nianbao serve --help``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from conftest import run
from web_support import ROSTER, client, create_app, csrf_of, make_workspace


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "演示"
    code, output = run("demo", folder)
    assert code == 0, output
    return folder


def test_serve_help_is_chinese() -> None:
    code, output = run("serve", "--help")
    assert code == 0
    for text in ("用法", "启动本机网页", "--port", "端口号", "--host", "--password", "访问密码", "--no-browser",
                 "不自动打开浏览器", "--workspace"):
        assert text in output, text
    assert "Show this message" not in output and "Usage" not in output


def test_serve_on_the_demo_folder_shows_the_demos_board(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``nianbao demo DIR`` then ``nianbao serve -w DIR``: the command's app serves the demo's board."""
    from nianbao.web import server

    served = {}
    monkeypatch.setattr(server, "run_uvicorn", lambda app, host, port: served.update(app=app, host=host, port=port))
    code, output = run("serve", "-w", demo_dir, "--no-browser", "--port", "18765")
    assert code == 0, output
    assert "年报网页已启动：http://127.0.0.1:18765/" in output
    assert (served["host"], served["port"]) == ("127.0.0.1", 18765)
    c = client(served["app"])
    page = c.get("/").text  # the home page redirects to the board
    assert "重庆市渝北区人民政府办公室 · 2025 年度" in page and "报送情况" in page
    import nianbao

    board = nianbao.Workspace.open(demo_dir / "工作区").status()
    for line in board.lines:
        assert line.unit.name in page
    assert board.totals_text in page
    rows = dict(re.findall(r'<tr class="(\w+)" data-code="([^"]+)"', page)[i][::-1] for i in range(len(board.lines)))
    from nianbao.web.app import STATUS_VIEW

    assert rows == {line.unit.code: STATUS_VIEW[line.status][1] for line in board.lines}
    assert {line.status for line in board.lines} >= {"passed", "errors", "missing", "accepted", "untouched"}
    assert 'data-status="untouched"' in page and 'data-status="accepted"' in page
    # the same workspace still works from the command line afterwards
    code, output = run("status", "-w", demo_dir / "工作区")
    assert board.totals_text in output


def test_demo_unit_pages_and_downloads(demo_dir: Path) -> None:
    import nianbao

    ws = nianbao.Workspace.open(demo_dir / "工作区")
    c = client(create_app(ws.root))
    line = next(line for line in ws.status().lines if line.status == "errors")
    page = c.get(f"/unit/{line.unit.code}").text
    assert line.unit.name in page and "有错误" in page
    history = ws.submissions(line.unit.code)
    items = ws.findings_grouped(history[-1].id)  # as the CLI shows them: one line per cause
    assert items and page.count('<td class="rule">') >= len(items)
    for item in items:
        assert item.name in page
        for f in item.consequences:
            assert f.message in page
    for sub in history:
        assert f"/submission/{sub.id}/original" in page
        r = c.get(f"/submission/{sub.id}/original")
        assert r.status_code == 200 and r.content == ws.original(sub.id).read_bytes()
    sid = history[-1].id
    r = c.get(f"/submission/{sid}/feedback")
    assert r.status_code == 200 and "_%E5%8F%8D%E9%A6%88.xlsx" in r.headers["content-disposition"]
    import openpyxl

    assert "问题清单" in openpyxl.load_workbook(io.BytesIO(r.content), read_only=True).sheetnames
    # the refused file (last year's, sent by mistake) is listed on the board with its reason
    board = c.get("/board").text
    assert "拒收的文件" in board
    xlsx = c.get("/board.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert wb.sheetnames[0] == "报送情况"
    agg = c.get("/aggregate").text
    assert "/report/docx" in agg  # the demo already rolled up
    r = c.get("/report/docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def test_board_filters(demo_dir: Path) -> None:
    import nianbao

    ws = nianbao.Workspace.open(demo_dir / "工作区")
    c = client(create_app(ws.root))
    lines = ws.status().lines
    for status in ("passed", "errors", "missing"):
        page = c.get(f"/board?status={status}").text
        shown = set(re.findall(r'data-code="([^"]+)"', page))
        assert shown == {line.unit.code for line in lines if line.status == status}, status
    page = c.get("/board?category=乡镇街道").text
    assert set(re.findall(r'data-code="([^"]+)"', page)) == {line.unit.code for line in lines
                                                            if line.unit.category == "乡镇街道"}
    page = c.get("/board?q=公安").text
    assert re.findall(r'data-code="([^"]+)"', page) == ["500112-003"]
    # the deadline of the demo (2026-01-31) has passed by the time this runs, or not: 逾期 follows it
    from datetime import date

    overdue = set(re.findall(r'data-code="([^"]+)"', c.get("/board?status=overdue").text))
    late = date.today().isoformat() > ws.inner.config.deadline
    from nianbao.web.app import CHASED

    assert overdue == ({line.unit.code for line in lines if line.status in CHASED} if late else set())
    chase = c.get("/chase").text
    for line in lines:
        assert (line.unit.name in chase) == (line.status in CHASED)


def _create(c, token: str, roster: bytes, filename: str, **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf": token, "name": "新工作区", "year": "2025", "office": "测试区政府办公室", "deadline": "",
            "contact": "", **fields}
    return c.post("/create", data=data, files={"roster": (filename, roster, "application/octet-stream")},
                  follow_redirects=False)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_create_a_workspace_from_a_roster_in_gbk_or_utf8(tmp_path: Path, encoding: str) -> None:
    c = client(create_app(root=tmp_path))
    token = csrf_of(c)
    r = _create(c, token, ROSTER.encode(encoding), "名单.csv", deadline="2026-01-31")
    assert r.status_code == 303 and r.headers["location"] == "/board", r.text
    board = c.get("/board").text
    assert "已建立工作区“新工作区”（测试区政府办公室，2025 年度，4 个单位）" in board
    assert "乙镇人民政府" in board and "丁街道办事处" in board
    import nianbao

    ws = nianbao.Workspace.open(tmp_path / "新工作区")
    assert [u.name for u in ws.units()] == ["甲局", "乙镇人民政府", "丙局", "丁街道办事处"]
    assert all(ws.template_path(u.code) for u in ws.units())  # templates were written
    assert c.get("/template/A").status_code == 200
    # the start page now offers it
    assert "新工作区" in c.get("/start").text


def test_create_a_workspace_from_an_xlsx_roster(tmp_path: Path) -> None:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = wb.add_worksheet("名单")
    for i, row in enumerate(line.split(",") for line in ROSTER.strip().splitlines()):
        sheet.write_row(i, 0, row)
    wb.close()
    c = client(create_app(root=tmp_path))
    r = _create(c, csrf_of(c), buf.getvalue(), "名单.xlsx")
    assert r.status_code == 303, r.text
    assert "4 个单位" in c.get("/board").text


@pytest.mark.parametrize(("fields", "roster", "filename", "expected"), [
    ({"name": "../外面"}, ROSTER.encode(), "名单.csv", "不允许的字符“/”"),
    ({"name": ""}, ROSTER.encode(), "名单.csv", "为空"),
    ({"year": "二〇二五"}, ROSTER.encode(), "名单.csv", "不是四位数字年份"),
    ({}, ROSTER.encode(), "名单.docx", "不是 .csv 或 .xlsx 文件"),
    ({}, "单位编码,单位名称\nA,甲局\nA,乙局\n".encode(), "名单.csv", "名单"),
    ({"deadline": "2026-02-30"}, ROSTER.encode(), "名单.csv", "2026-02-30"),
], ids=["path", "empty-name", "year", "roster-type", "roster-duplicate-code", "deadline"])
def test_create_refuses_bad_input_with_a_message_and_writes_nothing(tmp_path: Path, fields, roster, filename,  # type: ignore[no-untyped-def]
                                                                    expected: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    c = client(create_app(root=root))
    r = _create(c, csrf_of(c), roster, filename, **fields)
    assert r.status_code == 400
    problem = re.search(r'id="problem">([^<]*)<', r.text)
    assert problem and expected in problem.group(1), r.text[-800:]
    assert list(root.iterdir()) == [] and not (tmp_path / "外面").exists()


def test_open_an_existing_workspace_from_the_start_page(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path)
    c = client(create_app(root=tmp_path))
    assert c.get("/board", follow_redirects=False).headers["location"] == "/start"
    start = c.get("/start").text
    assert "测试区政府办公室" in start
    r = c.post("/open", data={"csrf": csrf_of(c), "name": ws.root.name})
    assert r.status_code == 200 and "已打开工作区“ws”" in r.text and "甲局" in r.text


def test_create_a_workspace_with_mail_settings(tmp_path: Path) -> None:
    c = client(create_app(root=tmp_path))
    token = csrf_of(c)
    bad = _create(c, token, ROSTER.encode(), "名单.csv", mail_from="不是地址")
    assert bad.status_code == 400 and "不是地址" in bad.text and not (tmp_path / "新工作区").exists()
    r = _create(c, token, ROSTER.encode(), "名单.csv", mail_from="gkb@qu.example.cn", smtp="mail.qu.example.cn:465",
                imap="mail.qu.example.cn:993")
    assert r.status_code == 303, r.text
    page = c.get("/mail").text
    assert "gkb@qu.example.cn" in page and "mail.qu.example.cn:465（SSL）" in page and "mail.qu.example.cn:993（SSL）" in page
    import nianbao

    assert nianbao.Workspace.open(tmp_path / "新工作区").mail_settings().smtp_port == 465


def test_the_roll_up_report_as_html_and_pdf(demo_dir: Path) -> None:
    """The demo's roll-up: the page offers the report as a web page and a PDF besides the .docx."""
    import nianbao
    from lo.harness import soffice_available

    ws = nianbao.Workspace.open(demo_dir / "工作区")
    c = client(create_app(ws.root))
    page = c.get("/aggregate").text
    assert 'href="/report/html"' in page and 'href="/report/pdf"' in page
    r = c.get("/report/html")
    assert r.status_code == 200 and ".html" in r.headers["content-disposition"]
    html = r.content.decode("utf-8")
    assert "重庆市渝北区人民政府办公室" in html and "<table" in html
    if soffice_available():
        pdf = c.get("/report/pdf")
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert not list((ws.root / "reports").glob("*.html"))  # made for the download, not kept
