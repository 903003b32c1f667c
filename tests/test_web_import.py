"""Importing a published report on the web page (``nianbao import`` through the API): the real
portal page of a county department (saved by its browser) and the real WPS-made PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from web_support import client, create_app, csrf_of

ORIGINALS = Path(__file__).resolve().parents[1] / ".." / "shared" / "real-reports" / "originals"


@pytest.mark.parametrize("name", ["014-shuyang-fagai-2023.html", "017-huaian-2024.pdf"])
def test_import_a_real_published_report(tmp_path: Path, name: str) -> None:
    source = ORIGINALS / name
    if not source.is_file():
        pytest.skip("the shared real reports are not here")
    c = client(create_app(root=tmp_path))
    token = csrf_of(c)
    assert "导入已发布的年度报告" in c.get("/import").text
    r = c.post("/import", data={"csrf": token}, files={"report": (name, source.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200, r.text[-500:]
    summary = re.search(r'id="import-summary">([^<]*)<', r.text)
    assert summary and name in summary.group(1)
    assert "nianbao-import-" not in r.text  # no temporary path of the server
    link = re.search(r'href="(/import/[^"]+\.json)"', r.text)
    assert link
    data = c.get(link.group(1))
    assert data.status_code == 200 and "filename*=utf-8''" in data.headers["content-disposition"]
    doc = json.loads(data.content)
    assert doc["schema"] == "nianbao/1" and doc["values"]
    year = {"014-shuyang-fagai-2023.html": 2023, "017-huaian-2024.pdf": 2024}[name]
    assert doc["year"] == year and str(year) in summary.group(1)
    assert list(tmp_path.iterdir()) == []  # nothing written on the server's folder


def test_import_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    c = client(create_app(root=tmp_path))
    token = csrf_of(c)
    r = c.post("/import", data={"csrf": token}, files={"report": ("x.exe", b"MZ\x00\x00", "application/octet-stream")})
    assert r.status_code == 400 and "不是可以导入的报告" in r.text
    r = c.post("/import", data={}, files={"report": ("a.html", b"<html></html>", "text/html")})
    assert r.status_code == 403
    assert c.get("/import/nothing.json").status_code == 404
