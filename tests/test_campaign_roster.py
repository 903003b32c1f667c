"""The roster: .csv and .xlsx lists of units, and every documented error naming the file and row."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.campaign.roster import RosterError, read_roster, unsafe_reason, write_roster

HEADER = "单位编码,单位名称,类别,联系人,邮箱\n"


def _csv(tmp_path: Path, body: str, *, header: str = HEADER, encoding: str = "utf-8") -> Path:
    p = tmp_path / "名单.csv"
    p.write_bytes((header + body).encode(encoding))
    return p


def test_sample_roster_has_departments_and_towns() -> None:
    units = read_roster(Path(__file__).parents[1] / "samples" / "roster.csv")
    assert len(units) >= 8
    assert {u.category for u in units} == {"部门", "乡镇街道"}
    assert len({u.code for u in units}) == len(units)


def test_csv_reads_columns_in_any_order_and_gbk(tmp_path: Path) -> None:
    p = _csv(tmp_path, "王敏,重庆市渝北区教育委员会,部门,001\n,重庆市渝北区龙溪街道办事处,街道,\n",
             header="联系人,单位名称,类别,单位编码\n", encoding="gb18030")
    units = read_roster(p)
    assert [(u.code, u.name, u.category, u.contact) for u in units] == [
        ("001", "重庆市渝北区教育委员会", "部门", "王敏"),
        ("U003", "重庆市渝北区龙溪街道办事处", "乡镇街道", ""),  # code made from the row number
    ]


def test_xlsx_roster_and_blank_lines(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位编码", "单位名称", "类别", "联系人", "邮箱"])
    ws.append([500112001, "重庆市渝北区公安分局", "部门", "张伟", "gaj@example.cn"])
    ws.append([None, None, None, None, None])
    ws.append(["500112-101", "重庆市渝北区双龙湖街道办事处", "乡镇街道", None, None])
    p = tmp_path / "名单.xlsx"
    wb.save(p)
    units = read_roster(p)
    assert [(u.code, u.name, u.email) for u in units] == [
        ("500112001", "重庆市渝北区公安分局", "gaj@example.cn"),
        ("500112-101", "重庆市渝北区双龙湖街道办事处", ""),
    ]


@pytest.mark.parametrize(("body", "code", "fragment"), [
    ("001,重庆市渝北区教育委员会,部门,,\n002,重庆市渝北区教育委员会,部门,,\n", "E-ROSTER-DUP-NAME",
     "第 3 行的单位名称“重庆市渝北区教育委员会”与第 2 行重复"),
    ("001,甲单位,部门,,\n001,乙单位,部门,,\n", "E-ROSTER-DUP-CODE", "第 3 行的单位编码“001”与第 2 行重复"),
    ("001,甲单位,部门,,\n002,  ,部门,,\n", "E-ROSTER-NAME-EMPTY", "第 3 行的“单位名称”为空"),
    ("001,渝北区/教委,部门,,\n", "E-ROSTER-NAME-UNSAFE", "第 2 行的单位名称“渝北区/教委”含有文件名中不允许的字符“/”"),
    ('001,"甲:乙?",部门,,\n', "E-ROSTER-NAME-UNSAFE", "含有文件名中不允许的字符“:?”"),
    ("001,CON,部门,,\n", "E-ROSTER-NAME-UNSAFE", "是 Windows 的保留名称"),
    ("001,甲单位,委办局,,\n", "E-ROSTER-CATEGORY", "第 2 行的类别“委办局”不正确"),
    ("001,甲单位,部门,,not-an-email\n", "E-ROSTER-EMAIL", "第 2 行的邮箱“not-an-email”"),
    ("", "E-ROSTER-EMPTY", "中没有任何单位"),
])
def test_roster_errors_name_file_and_row(tmp_path: Path, body: str, code: str, fragment: str) -> None:
    p = _csv(tmp_path, body)
    with pytest.raises(RosterError) as exc:
        read_roster(p)
    assert exc.value.code == code
    assert exc.value.exit_code == 2
    assert fragment in str(exc.value)
    assert str(p) in str(exc.value)


def test_header_problems(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="缺少“单位名称”列") as exc:
        read_roster(_csv(tmp_path, "甲,部门\n", header="名称,类别\n"))
    assert exc.value.code == "E-ROSTER-HEADER"
    with pytest.raises(RosterError, match="“单位名称”出现了两次"):
        read_roster(_csv(tmp_path, "甲,乙\n", header="单位名称,单位名称\n"))


def test_missing_and_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="找不到单位名单文件"):
        read_roster(tmp_path / "none.csv")
    p = tmp_path / "名单.txt"
    p.write_text("x")
    with pytest.raises(RosterError, match=r"请提供 \.csv 或 \.xlsx 文件"):
        read_roster(p)
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RosterError, match="不是有效的 Excel 工作簿"):
        read_roster(bad)


def test_unsafe_reason_cases() -> None:
    assert unsafe_reason("重庆市渝北区统景镇人民政府") is None
    assert unsafe_reason("甲单位.") == "以空格或句点结尾"
    assert unsafe_reason("lpt1.txt") == "是 Windows 的保留名称"
    assert unsafe_reason("甲\n乙") == "含有换行符或其他控制字符"
    assert unsafe_reason("长" * 101) == "超过 100 个字符"


def test_written_copy_round_trips(tmp_path: Path) -> None:
    units = read_roster(_csv(tmp_path, ",甲单位,,李四,a@b.cn\n002,乙镇,乡镇,,\n"))
    copy = tmp_path / "copy.csv"
    write_roster(units, copy)
    assert copy.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    assert read_roster(copy) == units
    assert [u.category for u in units] == ["其他", "乡镇街道"]
