"""Every Chinese sentence nianbao says about data, in one place, keyed by a stable code.

Finding messages are keyed by the rule code (``T3-BALANCE``); errors that make an input unusable are
keyed ``E-…``. Templates use ``str.format`` fields; a reviewer can read this file without reading
any logic. Messages must be understandable by a department clerk without help.
"""

from __future__ import annotations

from typing import Any

SEVERITY_TEXT = {"error": "错误", "warning": "提示"}

MESSAGES: dict[str, str] = {
    # --- consistency rules (spec rules 1–4) -------------------------------------------------
    "T3-BALANCE": (
        "表三“{column}”列不平衡：一、本年新收（{new}）+ 二、上年结转（{carried_in}）= {expected}，"
        "应等于（七）总计（{total}）+ 四、结转下年度继续办理（{carried_out}）= {actual}。"
        "请核对 {cell_list}。"
    ),
    "T3-ROW-TOTAL": (
        "{where}的总计应为自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和 {expected}，"
        "实际为 {actual}（{cell}）。"
    ),
    "T3-OUTCOME-TOTAL": (
        "表三“{column}”列的（七）总计应为（一）至（六）各项办理结果之和 {expected}，实际为 {actual}（{cell}）。"
        "每件申请只能计入一种办理结果。"
    ),
    "T4-TOTAL": (
        "表四“{group}”的总计应为结果维持、结果纠正、其他结果、尚未审结之和 {expected}，实际为 {actual}（{cell}）。"
    ),
    # --- values (spec rules 5 and 10) -------------------------------------------------------
    "VALUE-BLANK": "{where}（{cell}）未填写数字（内容为“{raw}”），已按 0 计算；如确为 0，请填写 0。",
    "VALUE-NOTE": (
        "{where}（{cell}）的内容“{raw}”含有文字说明，已按 {actual} 读取；"
        "请只填写数字，说明文字请写在文字部分。"
    ),
    "VALUE-NOT-NUMBER": "{where}（{cell}）的内容“{raw}”不是数字，请填写{expect_text}。",
    "VALUE-NEGATIVE": "{where}（{cell}）填写了负数 {actual}，此处应填写{expect_text}。",
    "VALUE-NOT-INTEGER": "{where}（{cell}）填写了小数 {actual}，件数应为整数，请填写{expect_text}。",
    # --- cross-year (spec rules 6 and 7) ----------------------------------------------------
    "T3-CARRY-OVER": (
        "表三“{column}”列：本年“二、上年结转政府信息公开申请数量”为 {actual}，"
        "而上一年度报告“四、结转下年度继续办理”为 {expected}，两者通常应一致（{cell}）。"
    ),
    "T2-IN-FORCE": (
        "表二“{row}”：上年现行有效件数 {previous} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，"
        "而本年现行有效件数填写为 {actual}（{cell}）。如因清理、失效等原因确有差异，请在文字部分说明。"
    ),
    "PREVIOUS-YEAR": "用作对比的上一年度数据为 {actual} 年，而本报告为 {year} 年，跨年度核对可能不准确。",
    # --- narrative and headings -------------------------------------------------------------
    "HEADING-VARIANT": "第{section_no}部分标题“{actual}”不是法定标题“{expected}”，请确认是否沿用本地写法。",
    "NARRATIVE-MISMATCH": "文字部分写明{what} {actual} 件，而表格中为 {expected} 件，请核对。",
    "SUMMARY": "共 {errors} 个错误，{warnings} 个提示。",
    # --- data files: unusable input (exit code 2) -------------------------------------------
    "E-FILE-MISSING": "找不到文件：{path}",
    "E-FILE-READ": "无法读取文件 {path}：{reason}",
    "E-JSON": "文件 {path} 不是有效的 JSON 数据文件（第 {line} 行第 {col} 列：{reason}）。",
    "E-JSON-TOP": "文件 {path} 的内容应为一个 JSON 对象（{{…}}）。",
    "E-SCHEMA": "文件 {path} 不是 nianbao 数据文件：“schema”应为“nianbao/1”，实际为“{actual}”。",
    "E-UNKNOWN-FIELD": "文件 {path} 含有无法识别的字段“{name}”。可用字段：{allowed}。",
    "E-LAYOUT": "文件 {path} 的“layout”为“{actual}”，只支持“2019”或“2021”。",
    "E-TYPE": "文件 {path} 中“{name}”的类型不正确：应为{expected}，实际为{actual}。",
    "E-MISSING-FIELD": "文件 {path} 缺少必填字段“{name}”。",
    "E-UNKNOWN-KEY": "文件 {path} 的 values 中有未知的数据项“{key}”。{hint}",
    "E-OTHER-LAYOUT-KEY": "数据项“{key}”属于 {other} 版格式，而文件 {path} 声明的格式为 {layout} 版。",
    "E-MISSING-INPUT": "文件 {path} 缺少 {count} 个必填数据项，例如：{keys}。",
    "E-VALUE-TYPE": "文件 {path} 中数据项“{key}”的值类型不正确（{actual}），应为数字或文字。",
    "E-TEXT-KEY": "文件 {path} 的 {name} 中有未知的部分“{key}”，只能是 {allowed}。",
    "E-WRITE": "无法写入 {path}：{reason}",
    "E-UNSUPPORTED-SOURCE": "无法识别文件 {path} 的类型：请提供 .json 数据文件或 .xlsx 工作簿。",
}


def message(code: str, **fields: Any) -> str:
    """Render the message for ``code``; unused fields are ignored, missing ones shown as ``?``."""
    template = MESSAGES[code]
    return template.format_map(_Defaults(fields))


class _Defaults(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "?"
