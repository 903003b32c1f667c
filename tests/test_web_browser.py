"""The web front end in a real headless Chromium (Debian's chromium + chromedriver, through Selenium).

The returned files are this workspace's own templates filled in by a real LibreOffice (UNO, see
tests/lo/): one correct, one with errors (and markup typed into a cell, which the page must show as
text), and one sent back untouched. With ``NIANBAO_SCREENSHOTS=DIR`` the test saves a screenshot of
each page into DIR (``docs/images`` for the README: see the README's web section).
"""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lo.harness import in_ci, requires_soffice, run_job
from web_support import create_app, live_server

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
requires_browser = pytest.mark.skipif(
    not in_ci() and not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)),
    reason="chromium / chromedriver not installed")
pytestmark = [pytest.mark.browser, requires_browser]

ROSTER = ("单位编码,单位名称,类别,联系人,邮箱\r\nA,甲局,部门,张三,a@x.cn\r\nB,乙镇人民政府,乡镇街道,赵六,b@x.cn\r\n"
          "C,丙局,部门,李四,c@x.cn\r\nD,丁街道办事处,乡镇街道,王五,d@x.cn\r\n")
SHOTS = os.environ.get("NIANBAO_SCREENSHOTS", "")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1366,768", "--lang=zh-CN"):
        o.add_argument(arg)
    o.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                        "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=o)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1366, max(768, min(int(height) + 140, 1600)))
        driver.save_screenshot(str(Path(SHOTS) / f"web-{name}.png"))
        driver.set_window_size(1366, 768)


def wait_for(predicate: Any, timeout: float = 60, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def downloaded(driver: Any, suffix: str, before: set[str]) -> Path:
    def done() -> Path | None:
        new = [p for p in driver.downloads.iterdir() if p.name not in before and p.name.endswith(suffix)]
        return new[0] if new and new[0].stat().st_size > 0 else None

    return wait_for(done, what=f"a {suffix} download")  # type: ignore[no-any-return]


def text_of(driver: Any, css: str) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.CSS_SELECTOR, css).text)


def board_status(driver: Any) -> dict[str, str]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, "#board tbody tr")
    return {r.find_elements(By.TAG_NAME, "td")[1].text: r.find_elements(By.TAG_NAME, "td")[3].text for r in rows}


def lo_returns(ws: Any, blank_a: Path, out: Path) -> tuple[Path, Path, Path]:
    """甲局's template (as downloaded) filled correctly; 乙镇's with an imbalance and markup typed into a
    number cell; 丙局's template untouched. All through LibreOffice."""
    from nianbao.layout import get_layout
    from nianbao.model import Unit
    from nianbao.synth import random_report

    layout = get_layout(ws.inner.layout_id)

    def cells(report: Any) -> list[dict[str, Any]]:
        found = []
        for key in layout.inputs:
            sheet, ref = layout.cell(key).split("!")
            found.append({"sheet": sheet, "cell": ref, "value": float(report.values[key])})
        return found

    # the text and the contact, typed in as a clerk does (cells as the template names them)
    info = [{"sheet": "文字部分", "cell": "A10", "string": "（一）主动公开\n本年度主动公开政府信息。"},
            {"sheet": "文字部分", "cell": "A26", "string": "存在的主要问题：公开不够及时。改进情况：加强督促。"},
            {"sheet": "基本信息", "cell": "B7", "string": "张三"},
            {"sheet": "基本信息", "cell": "B8", "string": "023-12345678"}]
    good = cells(random_report(layout.id, ws.year, Unit("甲局", "A"), random.Random(3), scale=9)) + info
    bad = cells(random_report(layout.id, ws.year, Unit("乙镇人民政府", "B"), random.Random(4), scale=9)) + info
    keys = list(layout.inputs)
    i = keys.index("t3.new.natural")
    bad[i]["value"] = float(bad[i]["value"]) + 5  # 表三 no longer balances
    bad[1] = {"sheet": bad[1]["sheet"], "cell": bad[1]["cell"], "string": "<b>三</b>"}
    a, b = out / "甲局-已填写.xlsx", out / "乙镇（填好了）.xlsx"
    run_job([{"op": "fill", "src": blank_a, "dst": a, "cells": good, "recalc": True},
             {"op": "fill", "src": ws.template_path("B"), "dst": b, "cells": bad, "recalc": True}])
    c = out / "丙局.xlsx"
    shutil.copyfile(ws.template_path("C"), c)
    return a, b, c


@requires_soffice
def test_the_clerks_whole_round_in_a_real_browser(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    import nianbao

    root = tmp_path / "年报"
    root.mkdir()
    roster = tmp_path / "名单-GBK.csv"
    roster.write_bytes(ROSTER.encode("gbk"))
    app = create_app(root=root)
    with live_server(app) as url:
        d = browser
        # 1. the start page: create a workspace from a GBK roster
        d.get(url + "/")
        assert "新建工作区" in d.page_source and "这里还没有工作区" in d.page_source
        d.find_element(By.NAME, "name").send_keys("2025年报")
        year = d.find_element(By.NAME, "year")
        year.clear()
        year.send_keys("2025")
        d.find_element(By.NAME, "office").send_keys("测试县人民政府办公室")
        d.execute_script("document.querySelector('input[name=deadline]').value = '2026-01-31'")
        d.find_element(By.NAME, "roster").send_keys(str(roster))
        shot(d, "start")
        d.find_element(By.ID, "create").click()
        wait_for(lambda: "/board" in d.current_url, what="the board")
        assert "已建立工作区“2025年报”（测试县人民政府办公室，2025 年度，4 个单位）" in d.page_source
        assert board_status(d) == {"甲局": "○ 未报送 逾期", "乙镇人民政府": "○ 未报送 逾期",
                                   "丙局": "○ 未报送 逾期", "丁街道办事处": "○ 未报送 逾期"}
        ws = nianbao.Workspace.open(root / "2025年报")

        # 2. one unit's page: download its template
        d.find_element(By.LINK_TEXT, "甲局").click()
        assert text_of(d, "#unit-name") == "甲局" and "该单位还没有报送文件" in d.page_source
        before = {p.name for p in d.downloads.iterdir()}
        d.find_element(By.ID, "template-download").click()
        template = downloaded(d, ".xlsx", before)
        assert "甲局" in template.name
        loaded = nianbao.load(template)
        assert (loaded.report.unit.name, loaded.report.year) == ("甲局", 2025)

        # 3. drop three returned files: one good, one with errors, one untouched
        a, b, c = lo_returns(ws, template, tmp_path)
        d.find_element(By.LINK_TEXT, "接收文件").click()
        d.find_element(By.ID, "files").send_keys("\n".join(str(p) for p in (a, b, c)))
        wait_for(lambda: text_of(d, "#phase") == "已完成", what="the ingest to finish")
        assert "共处理 3 个文件：接收 3 个，重复 0 个，拒收 0 个。" in text_of(d, "#summary")
        assert d.find_element(By.ID, "bar").get_attribute("value") == "3"
        lines = text_of(d, "#lines")
        assert "甲局-已填写.xlsx" in lines and "乙镇（填好了）.xlsx" in lines and "有错误" in lines
        shot(d, "upload")

        # 4. the board has changed
        d.find_element(By.LINK_TEXT, "查看报送情况").click()
        status = board_status(d)
        assert status["甲局"] == "✔ 已通过"
        assert status["乙镇人民政府"] == "✖ 有错误 逾期"
        assert status["丙局"] == "□ 未填写 逾期"  # the template came back untouched
        assert status["丁街道办事处"] == "○ 未报送 逾期"
        assert "有错误 1" in text_of(d, "#counts").replace("\n", " ") or "✖ 有错误 1" in text_of(d, "#counts")
        shot(d, "board")
        d.get(url + "/board?status=overdue")
        assert set(board_status(d)) == {"乙镇人民政府", "丙局", "丁街道办事处"}
        d.get(url + "/chase")
        assert "共 3 个单位未报送或报表有错误" in d.page_source
        assert "赵六" in text_of(d, "#chase-list") and "王五" in text_of(d, "#chase-list")
        shot(d, "chase")

        # 5. the unit with errors: its findings, and its feedback to download
        d.get(url + "/board")
        d.find_element(By.LINK_TEXT, "乙镇人民政府").click()
        assert "✖ 有错误" in text_of(d, "#unit-status")
        findings = "\n".join(t.text for t in d.find_elements(By.CSS_SELECTOR, "table.findings"))
        assert "<b>三</b>" in findings  # the clerk's markup is shown as text
        assert d.find_elements(By.CSS_SELECTOR, "table.findings b") == []
        assert "不平衡" in findings
        shot(d, "unit")
        before = {p.name for p in d.downloads.iterdir()}
        d.find_element(By.CSS_SELECTOR, "a[data-feedback]").click()
        feedback = downloaded(d, "_反馈.xlsx", before)
        import openpyxl

        wb = openpyxl.load_workbook(feedback, read_only=True)
        assert "问题清单" in wb.sheetnames
        wb.close()

        # 6. accept one with a reason: the decision is on the unit's page and on the board
        d.get(url + "/board")
        d.find_element(By.LINK_TEXT, "甲局").click()
        d.find_element(By.ID, "reason").send_keys("已电话核对，数据无误")
        d.find_element(By.ID, "accept").click()
        wait_for(lambda: d.find_elements(By.ID, "decision"), what="the decision")
        assert "☑ 已接受" in text_of(d, "#unit-status")
        assert text_of(d, "#decision").startswith("审核意见：接受：已电话核对，数据无误（")
        assert "已接受 甲局 报送的 甲局-已填写.xlsx" in d.page_source
        assert "审核：接受：已电话核对，数据无误" in text_of(d, ".submission")
        shot(d, "unit-accepted")
        d.find_element(By.LINK_TEXT, "报送情况").click()
        assert board_status(d)["甲局"] == "☑ 已接受"
        assert "已电话核对，数据无误" in text_of(d, "#board")

        # 7. aggregate, with the missing units shown: a formal report is refused, a draft is made
        d.find_element(By.LINK_TEXT, "汇总成文").click()
        assert text_of(d, "#missing") == "丙局、丁街道办事处"
        assert text_of(d, "#with-errors") == "乙镇人民政府"
        assert text_of(d, "#included-count") == "1"
        d.find_element(By.ID, "mode-final").click()
        d.find_element(By.ID, "aggregate").click()
        wait_for(lambda: d.find_elements(By.CSS_SELECTOR, ".flash.error"), what="the refusal")
        assert "不能生成正式报告：汇总不完整，未包含 3 个单位的数据" in text_of(d, ".flash.error")
        assert not d.find_elements(By.ID, "download-docx")
        d.find_element(By.ID, "mode-draft").click()
        d.execute_script("document.getElementById('date').value = '2026-02-10'")
        d.find_element(By.ID, "aggregate").click()
        wait_for(lambda: d.find_elements(By.ID, "download-docx"), what="the report links")
        flashes = [f.text for f in d.find_elements(By.CSS_SELECTOR, ".flash")]
        assert "已汇总 1 个单位的报表，可以下载年度报告。" in flashes
        assert "注意：以下单位未计入汇总：丙局、丁街道办事处、乙镇人民政府。" in flashes
        assert d.find_elements(By.ID, "download-html") and d.find_elements(By.ID, "download-pdf")
        shot(d, "aggregate")
        before = {p.name for p in d.downloads.iterdir()}
        d.find_element(By.ID, "download-docx").click()
        report = downloaded(d, ".docx", before)
        import docx

        text = "\n".join(p.text for p in docx.Document(str(report)).paragraphs)
        assert "测试县人民政府办公室" in text and "草稿" in text and "2026年2月10日" in text

        # 8. the mail page says what a reminder would do before it is sent (no mail server here: .eml files)
        d.get(url + "/mail?kind=remind")
        preview = text_of(d, "#preview")
        assert "发送催报：将要做的事" in preview and "丁街道办事处" in preview and "d@x.cn" in preview
        assert "甲局" not in preview  # accepted: nothing to chase
        shot(d, "mail")

        # 9. a long job's progress survives a reload: the page finds the running job again
        release = threading.Event()

        def work(job: Any) -> None:
            job.done = 1
            job.add("第一个文件已处理。")
            release.wait(30)
            job.done = 2
            job.summary = "共处理 2 个文件。"

        app.state.nianbao.jobs.start("ingest", str(ws.root), 2, work)
        d.get(url + "/upload")
        wait_for(lambda: text_of(d, "#phase") == "正在校验", what="the running job")
        assert text_of(d, "#count") == "1 / 2" and "第一个文件已处理。" in text_of(d, "#lines")
        d.refresh()
        wait_for(lambda: text_of(d, "#count") == "1 / 2", what="the job after a reload")
        release.set()
        wait_for(lambda: text_of(d, "#phase") == "已完成", what="the job's end, polled")
        assert text_of(d, "#summary") == "共处理 2 个文件。"
        assert text_of(d, "#lines").count("第一个文件已处理。") == 1


def test_with_a_password_the_browser_logs_in_first(browser: Any, tmp_path: Path) -> None:
    """``--password``: the demo's board only after the login page (a real browser keeps the session)."""
    from selenium.webdriver.common.by import By

    from conftest import run

    code, output = run("demo", tmp_path / "演示")
    assert code == 0, output
    app = create_app(tmp_path / "演示", password="口令-2025")
    with live_server(app) as url:
        d = browser
        d.get(url + "/board")
        assert d.current_url.endswith("/login") and "请输入" in d.page_source
        d.find_element(By.NAME, "password").send_keys("猜一个")
        d.find_element(By.CSS_SELECTOR, "form[action='/login']").submit()
        wait_for(lambda: d.find_elements(By.ID, "problem"), what="the refusal")
        assert text_of(d, "#problem") == "密码不正确，请重新输入。"
        shot(d, "login")
        d.find_element(By.NAME, "password").send_keys("口令-2025")
        d.find_element(By.CSS_SELECTOR, "form[action='/login']").submit()
        wait_for(lambda: d.current_url.endswith("/board"), what="the board")
        assert "重庆市渝北区人民政府办公室 · 2025 年度" in text_of(d, "#ws-title")
        assert len(board_status(d)) == 10
        # importing a published report: the real portal page of a county department
        portal = Path(__file__).resolve().parents[1] / ".." / "shared" / "real-reports" / "originals" / \
            "014-shuyang-fagai-2023.html"
        if portal.is_file():
            d.find_element(By.LINK_TEXT, "导入报告").click()
            d.find_element(By.NAME, "report").send_keys(str(portal.resolve()))
            d.find_element(By.ID, "import").click()
            wait_for(lambda: d.find_elements(By.ID, "import-summary"), what="the import result")
            assert "2023" in text_of(d, "#import-summary")
            assert d.find_elements(By.ID, "import-download")
            shot(d, "import")
        d.find_element(By.CSS_SELECTOR, "button.link").click()  # 退出
        wait_for(lambda: d.current_url.endswith("/login"), what="the login page again")
        d.get(url + "/board")
        assert d.current_url.endswith("/login")
