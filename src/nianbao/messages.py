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
    "VALUE-BLANK": "{where}（{cell}）未填写数字{raw_note}，已按 0 计算；如确为 0，请填写 0。",
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
    "NARRATIVE-MISMATCH": (
        "第{section_no}部分文字写明{what} {actual} 件（“{quote}”），而{where}为 {expected} 件（{cell}），"
        "请核对文字与表格是否一致。"
    ),
    "NARRATIVE-SUM": "{items}之和",
    "NARRATIVE-WHAT-received": "收到政府信息公开申请",
    "NARRATIVE-WHAT-carried_in": "上年结转政府信息公开申请",
    "NARRATIVE-WHAT-carried_out": "结转下年度继续办理的申请",
    "NARRATIVE-WHAT-review": "政府信息公开行政复议案件",
    "NARRATIVE-WHAT-suit": "政府信息公开行政诉讼案件",
    # --- the Word report (nianbao report) ---------------------------------------------------
    "REPORT-DRAFT-MARK": "草稿（数据校验未通过，不得发布）",
    "REPORT-DRAFT-MARK-CLEAN": "草稿（仅供审核，不得发布）",
    "REPORT-DRAFT-FINDINGS": "附：数据校验发现的问题（共 {errors} 个错误，{warnings} 个提示；正式发布前须改正）",
    "REPORT-REFUSED": (
        "数据有 {errors} 个错误，未生成年度报告。请改正后重试；如需先生成供审核的草稿，请加 --draft。"
    ),
    "REPORT-WRITTEN": "已生成年度报告：{path}",
    "REPORT-EMPTY-SECTIONS": (
        "提示：{sections} 没有文字。请在数据文件的 text 或工作簿的“文字部分”中补充；"
        "表格数字的标准表述可用 --standard-sentences 生成。"
    ),
    "REPORT-UNDATED": "提示：数据中没有成文日期（date），报告末尾未写日期，请补充后重新生成。",
    "REPORT-WRITTEN-DRAFT": "已生成年度报告草稿：{path}（首页标注“草稿”，不得发布）",
    "E-TEMPLATES": "无法读取标准表述模板 {path}：{reason}",
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
    # --- collection campaign: workspace, roster, ingest, board, roll-up (campaign/) ---------
    "E-WS-EXISTS": "目录 {path} 已存在且不为空。请指定一个新目录，或先清空该目录。",
    "E-WS-NOT-FOUND": (
        "{path} 不是年报工作区（找不到配置文件 {config}）。请先用“nianbao init”创建工作区，"
        "或用 --workspace 指定工作区目录。"
    ),
    "E-WS-CONFIG": "工作区配置文件 {path} 无法读取：{reason}",
    "E-WS-LAYOUT": "报告格式“{actual}”不正确，只支持“2019”或“2021”。",
    "E-WS-DEADLINE": "截止日期“{actual}”格式不正确，应写作 年-月-日，例如 2026-01-31。",
    "E-WS-OFFICE": "汇总单位名称“{actual}”不能为空，也不能含有文件名中不允许的字符（{bad}）。",
    "E-ROSTER-MISSING": "找不到单位名单文件：{path}",
    "E-ROSTER-TYPE": "单位名单 {path} 的类型无法识别：请提供 .csv 或 .xlsx 文件。",
    "E-ROSTER-READ": "单位名单 {path} 无法读取：{reason}",
    "E-ROSTER-ENCODING": "单位名单 {path} 的文字编码无法识别，请另存为“CSV UTF-8（逗号分隔）”后重试。",
    "E-ROSTER-EMPTY": "单位名单 {path} 中没有任何单位（第 1 行应为表头，从第 2 行起每行一个单位）。",
    "E-ROSTER-HEADER": (
        "单位名单 {path} 的表头（第 1 行，或标题行下的一行）缺少“{column}”列。表头应为：单位编码、单位名称、类别、联系人、邮箱、电话"
        "（只有“单位名称”必填）。"
    ),
    "E-ROSTER-DUP-HEADER": "单位名单 {path} 的表头中“{column}”出现了两次，请删除多余的一列。",
    "E-ROSTER-NAME-EMPTY": "单位名单 {path} 第 {row} 行的“单位名称”为空，请填写单位全称或删除该行。",
    "E-ROSTER-NAME-UNSAFE": (
        "单位名单 {path} 第 {row} 行的单位名称“{name}”{reason}，不能用作文件名。请修改该单位名称。"
    ),
    "E-ROSTER-DUP-NAME": "单位名单 {path} 第 {row} 行的单位名称“{name}”与第 {first} 行重复，每个单位只能出现一次。",
    "E-ROSTER-DUP-CODE": "单位名单 {path} 第 {row} 行的单位编码“{unit_code}”与第 {first} 行重复，单位编码不能重复。",
    "E-ROSTER-CATEGORY": "单位名单 {path} 第 {row} 行的类别“{actual}”不正确，只能是：部门、乡镇街道、其他（可不填，视为其他）。",
    "E-ROSTER-EMAIL": "单位名单 {path} 第 {row} 行的邮箱“{actual}”不是有效的电子邮箱地址。",
    "E-PREVIOUS-YEAR": (
        "上年数据 {path} 中的“{unit}”是 {actual} 年度的报表，而本工作区收集的是 {year} 年度，"
        "上年数据应为 {expected} 年度。请指定上一年度的工作区、汇总工作簿或数据文件。"
    ),
    "E-MKDIR": "无法创建目录 {path}：{reason}",
    "E-PREVIOUS": (
        "上年数据 {path} 无法使用：应为上一年度的工作区目录、汇总工作簿（.xlsx）、数据文件（.json）"
        "或存放数据文件的目录。{reason}"
    ),
    "E-INGEST-NOTHING": "{path} 中没有可接收的文件（.xlsx 工作簿或 .json 数据文件）。",
    "E-INGEST-PATH": "找不到要接收的文件或目录：{path}",
    "E-INGEST-JOBS": "--jobs 应为 1 到 64 之间的整数，实际为 {actual}。",
    "INGEST-YEAR": "文件 {path} 是 {actual} 年度的报表，而本工作区收集的是 {expected} 年度，已拒收。请让报送单位使用本年度下发的模板。",
    "INGEST-CAMPAIGN": (
        "文件 {path} 来自另一个工作区（编号 {actual}），不是本工作区（编号 {expected}）下发的模板，已拒收。"
        "请核对是否误发，或让报送单位使用本工作区下发的模板。"
    ),
    "INGEST-LAYOUT": "文件 {path} 使用 {actual} 版报告格式，而本工作区使用 {expected} 版格式，已拒收。请使用下发的模板重新填写。",
    "INGEST-UNIT": "文件 {path} 的报送单位“{unit}”不在本工作区的单位名单中，已拒收。如确需收集，请先将其加入名单。",
    "INGEST-UNUSABLE": "文件 {path} 无法使用，已拒收：{reason}",
    "INGEST-DUPLICATE": "文件 {path} 与已接收的文件 {first} 内容完全相同，不重复记录。",
    "INGEST-DUPLICATE-REFUSED": "文件 {path} 与此前已拒收的文件 {first} 内容完全相同，仍不接收（原因见 nianbao status）。",
    "INGEST-RECORDED": "{unit}：已接收 {path}（{status}，{errors} 个错误，{warnings} 个提示）。",
    "INGEST-SUPERSEDES": "{unit}：新报送的 {path} 取代此前报送的 {old}（原文件仍保存在工作区中）。",
    "INGEST-FEEDBACK": "{unit}：已生成反馈表 {path}，请发回报送单位修改。",
    "INGEST-SUMMARY": "共处理 {files} 个文件：接收 {recorded} 个，重复 {duplicates} 个，拒收 {refused} 个。",
    "STATUS-MISSING": "未报送",
    "STATUS-ERRORS": "有错误",
    "STATUS-WARNINGS": "仅有提示",
    "STATUS-PASSED": "已通过",
    "STATUS-REFUSED": "已拒收",
    "STATUS-TOTALS": "合计 {units} 个单位：{items}。",
    "AGG-INCOMPLETE": (
        "尚不能汇总：{missing_count} 个单位未报送（{missing}），{error_count} 个单位的报表有错误（{with_errors}）。"
        "请催报、退回修改后重新接收；如确需先行汇总，请加 --allow-incomplete。{notes}"
    ),
    "AGG-EXCLUDED": "以下单位未计入汇总：{units}。",
    "AGG-NOTHING": "没有任何可以汇总的报表：还没有单位报送通过校验的报表。",
    "AGG-DONE": "已汇总 {count} 个单位的报表。",
    "EXPORT-FORMAT": "导出文件 {path} 的类型无法识别：请使用 .xlsx 或 .csv 作为扩展名。",
    "CLI-INIT-DONE": "已创建工作区 {path}：{office}，{year} 年度，{layout} 版格式，{units} 个单位，工作区编号 {campaign}。",
    "CLI-INIT-NEXT": "下一步：运行“nianbao templates -w {path}”生成各单位的填报模板。",
    "CLI-TEMPLATES-DONE": "已在 {outbox} 生成 {count} 份填报模板（其中 {carried} 份已预填上年结转），分发清单：{listing}",
    "CLI-STATUS-TITLE": "{office} {year} 年度政府信息公开工作年度报告报送情况（截止日期：{deadline}）",
    "CLI-REFUSED-TITLE": "已拒收的文件（{count} 个）：",
    "CLI-BOARD-XLSX": "报送情况表已保存到 {path}",
    "CLI-AGG-OUT": "汇总结果：数据文件 {data}；汇总工作簿 {workbook}；年度报告 {docx}",
    "CLI-AGG-DRAFT": "因有单位未计入汇总，年度报告标注为草稿。",
    "CLI-EXPORT-DONE": "已导出 {units} 个单位 × {keys} 个数据项到 {path}",
    "DEMO-START": "演示：在 {path} 模拟一次完整的年报收集（{office}，{year} 年度）。",
    "DEMO-STEP": "第 {no} 步：{text}",
    "DEMO-INIT": "创建工作区，单位名单共 {units} 个单位（部门 {departments} 个、乡镇街道 {towns} 个）",
    "DEMO-TEMPLATES": "为每个单位生成填报模板，共 {count} 份，存放在 {outbox}",
    "DEMO-RETURNS": (
        "模拟各单位报送：{correct} 个单位填写正确；{errors} 填写有误；{tampered} 改动了模板；{twice} 重复发送并补发更正版；"
        "{wrong_year} 误发了上一年度的文件后又发了本年度的；{warned} 未填写“五、存在的主要问题及改进情况”；"
        "{untouched} 把模板原样发回（未填写）；{missing} 未报送"
    ),
    "DEMO-INGEST": "接收收件箱中的 {count} 个文件",
    "DEMO-STATUS": "查看报送情况",
    "DEMO-FEEDBACK": "为有错误的单位生成反馈表：{files}",
    "DEMO-AGGREGATE": "汇总已通过的单位（有单位未报送，使用 --allow-incomplete 先行汇总）",
    "DEMO-REPORT": "生成年度报告",
    "DEMO-DONE": (
        "演示完成。\n  年度报告（.docx）：{docx}\n  汇总工作簿（可报送上一级）：{workbook}\n  汇总数据文件：{data}\n"
        "  各单位填报模板：{outbox}\n  退回修改的反馈表：{feedback}"
    ),
    "DEMO-NOT-EMPTY": "目录 {path} 已存在且不为空，演示需要一个新目录或空目录。",
    "E-UNSUPPORTED-SOURCE": "无法识别文件 {path} 的类型：请提供 .json 数据文件或 .xlsx 工作簿。",
    # --- generating the fill-in workbook (exit code 2) --------------------------------------
    "E-TEMPLATE-LAYOUT-ID": "报表格式“{actual}”无效，只支持“2019”或“2021”。",
    "E-TEMPLATE-YEAR": "报告年度“{actual}”无效，应为四位数年份，例如 2025。",
    "E-TEMPLATE-UNIT": "单位名称不能为空。",
    "E-TEMPLATE-DATA-LAYOUT": "预填数据为 {actual} 版格式，而要生成的模板为 {layout} 版格式，两者须一致。",
    "E-PREFILL-VALUE": "预填数据文件 {path} 中有无法使用的数值：{detail}",
    # --- returned workbooks: refused before reading (exit code 2) ----------------------------
    "E-WB-EMPTY": "文件 {path} 是空文件（0 字节），可能保存或传送时出错，请重新保存后报送。",
    "E-WB-TOO-LARGE": "文件 {path} 过大（{size}，上限 {limit}），不是正常的年报工作簿，请检查后重新报送。",
    "E-WB-NOT-SPREADSHEET": (
        "文件 {path} 不是 Excel 工作簿，无法读取。请在下发的模板中填写，并保存为 Excel 工作簿 (*.xlsx) 后报送。"
    ),
    "E-WB-CSV": (
        "文件 {path} 是 CSV 文本文件，不是 Excel 工作簿，其中没有模板的表格和公式。"
        "请在下发的模板中填写，并保存为 Excel 工作簿 (*.xlsx) 后报送。"
    ),
    "E-WB-HTML": (
        "文件 {path} 是网页（HTML）文件，不是 Excel 工作簿。"
        "请在下发的模板中填写，并保存为 Excel 工作簿 (*.xlsx) 后报送。"
    ),
    "E-WB-WORD": (
        "文件 {path} 实际上是 Word 文档，不是 Excel 工作簿。"
        "请在下发的 Excel 模板中填写，并保存为 Excel 工作簿 (*.xlsx) 后报送。"
    ),
    "E-WB-ODF": "文件 {path} 是 OpenDocument（.ods）格式。请另存为 Excel 工作簿 (*.xlsx) 后重新报送。",
    "E-WB-TRUNCATED": "文件 {path} 不完整或已损坏（可能下载、复制或保存时中断），请重新保存后报送。",
    "E-WB-MISSING-PART": "文件 {path} 缺少 Excel 工作簿必需的部分（{part}），已损坏或不是 Excel 工作簿，请重新保存后报送。",
    "E-WB-ZIP-BOMB": "文件 {path} 解压后的大小异常（{detail}），出于安全考虑拒绝读取。请用下发的模板重新填写后报送。",
    "E-WB-XML-ENTITY": (
        "文件 {path} 的部件 {member} 含有 XML 实体声明（DOCTYPE/ENTITY），正常的 Excel 工作簿不会含有，"
        "出于安全考虑拒绝读取。请用下发的模板重新填写后报送。"
    ),
    "E-WB-ENCRYPTED": "文件 {path} 设置了打开密码，无法读取。请取消打开密码后重新报送。",
    "E-WB-LEGACY": (
        "文件 {path} 是旧版 Excel（.xls）或 WPS 表格（.et）格式，无法核对模板的公式和保护。"
        "请另存为 Excel 工作簿 (*.xlsx) 后重新报送。"
    ),
    "E-WB-LEGACY-OTHER": (
        "文件 {path} 是旧版 Office 格式的文件，不是 Excel 工作簿。"
        "请在下发的模板中填写，并另存为 Excel 工作簿 (*.xlsx) 后重新报送。"
    ),
    "E-WB-UNREADABLE": "文件 {path} 无法作为 Excel 工作簿读取（{reason}），请重新保存后报送。",
    "E-WB-NOT-TEMPLATE": (
        "文件 {path} 中找不到年报的统计表（表二、表三、表四的栏目），不是年报模板，无法读取。"
        "请使用下发的模板填报。"
    ),
    "E-WB-NO-YEAR": (
        "文件 {path} 没有模板识别信息，也无法从中确定报告年度（表格上方没有写明年度的标题，"
        "如“2024年政府信息公开工作年度报告”）。请使用下发的模板填报，或在标题中写明年度；"
        "核对时也可用 --year 指定年度。"
    ),
    # --- returned workbooks: identification and tampering (findings) ------------------------
    "WB-MACRO": "文件 {path} 是含宏的工作簿（.xlsm）：宏不会运行，只读取了数值。请另存为 Excel 工作簿 (*.xlsx) 后报送。",
    "META-MISSING": (
        "文件 {path} 没有模板识别信息（可能不是用下发的模板填写，或复制了表格），"
        "已按表格栏目识别为 {layout} 版格式、{year} 年度、单位“{unit}”，请核对。"
    ),
    "META-YEAR": "本文件是 {actual} 年度的模板，而本次收集的是 {expected} 年度的报告，请使用本年度下发的模板。",
    "META-UNIT": "本文件是“{actual}”的模板，而预期的单位是“{expected}”。请勿使用其他单位的文件填报。",
    "SHEET-OTHER-UNIT": (
        "工作表“{sheet}”来自“{other}”的工作簿，不是“{unit}”自己的，其中的数字不能作为本单位数据。"
        "请在本单位的模板中填写本单位的数字。"
    ),
    "ROLLUP-INCOMPLETE": "本文件是不完整的汇总表：未包含 {units} 的数据（汇总时这些单位未报送或有错误）。",
    "META-CAMPAIGN": "本文件属于报送批次“{actual}”，而不是本次的“{expected}”，请确认是否报错了文件。",
    "META-CONFLICT": "文件属性中的识别信息“{name}”为“{actual}”，与隐藏工作表中的“{expected}”不一致，已以文件属性为准。",
    "META-FINGERPRINT": "本文件的模板版本（{actual}）与当前 {layout} 版格式（{expected}）不一致，可能是旧版模板，请核对。",
    "INFO-ALTERED": "“基本信息”中的“{label}”（{cell}）被修改为“{actual}”，应为“{expected}”；已以模板识别信息为准。",
    "LAYOUT-MIXED": (
        "表二为 {layout} 版格式，而表三为 {other} 版格式（“（六）其他处理”{detail}），新旧格式混用。"
        "请使用 {layout} 版模板重新填报表三。"
    ),
    "SHEET-RENAMED": "工作表“{expected}”被改名为“{actual}”，已按表格栏目找到并读取。请不要修改工作表名称。",
    "SHEET-MISSING": "工作簿中缺少工作表“{expected}”，可能被删除。请使用下发的模板填报。",
    "SHEET-EXTRA": "工作簿中多了工作表“{actual}”，其中的内容不会被读取。",
    "SHEET-ORDER": "工作表的顺序被改动：应为 {expected}，实际为 {actual}。",
    "TABLE-MISSING": "找不到{sheet}（{title}）：工作表被删除或表格被改动，其中的数字无法读取。请使用下发的模板填报。",
    "TABLE-MOVED": (
        "{sheet}的表格位置发生了变化：栏目“{label}”应在 {expected}，实际在 {actual}，"
        "可能插入或删除了行或列。已按栏目名称读取数字，请使用下发的模板填报，不要插入或删除行列。"
    ),
    "LABEL-ALTERED": "{cell}的栏目名称被修改：应为“{expected}”，实际为“{actual}”。请不要修改表格的栏目。",
    "LABEL-VARIANT": (
        "{cell}的栏目名称与规定的表格不同：应为“{expected}”，实际为“{actual}”。"
        "已按其在表格中的位置读取这一栏的数字，请核对；请使用下发的模板填报。"
    ),
    "FORMULA-ALTERED": (
        "{cell}（{where}）是自动计算的合计，其公式被{detail}。"
        "合计不需要填写；该数值仍按各项之和核对。请恢复公式或使用下发的模板填报。"
    ),
    "TOTAL-STALE": (
        "{cell}（{where}）保存的计算结果为 {actual}，按各项重新计算应为 {expected}："
        "文件保存时可能没有重新计算。已按重新计算的结果核对。"
    ),
    "INPUT-FORMULA": "{where}（{cell}）填写的是公式“{raw}”，已按其计算结果读取；请直接填写数字。",
    "PROTECTION-OFF": "工作表“{sheet}”的保护被取消了。请不要取消保护；各项改动仍会被逐项核对。",
    "CELL-UNLOCKED": "工作表“{sheet}”中应锁定的单元格被解除锁定：{cell_list}。",
    "MERGE-ALTERED": "{sheet}的合并单元格被改动：{detail}。",
    "CONTENT-OUTSIDE": "{sheet}的表格以外填写了内容（{cell_list}），这些内容不会被读取；说明文字请写在“文字部分”。",
    "ROW-DELETED": (
        "{sheet}中栏目“{label}”所在的行（模板中的 {cell}）被删除了，这一行的数字无法读取。"
        "请使用下发的模板填报，不要插入或删除行列。"
    ),
    "INPUT-MERGED": (
        "{sheet}的 {cell_list} 与相邻单元格合并在一起（{range}），被合并的单元格中的数字无法读取"
        "（LibreOffice 会把其中的数字隐藏起来，Excel 会将其删除）。请取消合并，在每个单元格中分别填写。"
    ),
    "META-LAYOUT": (
        "本文件的模板识别信息为 {expected} 版格式，而其中的表格为 {actual} 版格式，已按表格的 {actual} 版格式读取。"
        "请核对是否使用了正确的模板。"
    ),
    "META-IDENTITY": (
        "本文件的模板识别信息自相矛盾：文件属性中的“{label}”为“{actual}”，隐藏工作表中为“{expected}”，"
        "可能混用了其他单位或其他年度的文件，无法确定是哪个单位、哪个年度的报表。请使用本单位下发的模板重新填报。"
    ),
    # --- issue 10: acceptance gate: untouched returns, plausibility, office review, members, date ---
    "STATUS-UNTOUCHED": "未填写",
    "STATUS-ACCEPTED": "已接受",
    "STATUS-REJECTED": "已退回",
    "STATUS-TOTALS-ITEM": "{name} {count}",
    "RETURN-UNTOUCHED": "{path} 是未填写的模板：没有填写任何数字，也没有填写文字。请填写后重新报送。",
    "INGEST-UNTOUCHED": (
        "{unit}：收到的 {path} 是未填写的模板（没有填写任何数字和文字），已保存，但不计为已报送。"
        "请该单位填写后重新报送。"
    ),
    "INGEST-UNTOUCHED-KEPT": "{unit}：此前报送的 {old} 仍然有效。",
    "VALUE-TOO-LARGE": (
        "{where}（{cell}）的数值 {actual} 大得不合常理（{what}不应超过 {limit}），请核对是否多输入了数字。"
    ),
    "VALUE-AMOUNT-YUAN": (
        "{where}（{cell}）填写的是“{raw}”，而本栏的单位是万元：{raw}应为 {actual} 万元。"
        "请只填写以万元为单位的数字 {actual}。"
    ),
    "VALUE-AMOUNT-WAN": "{where}（{cell}）填写的是“{raw}”：本栏的单位已是万元，应为 {actual} 万元，请只填写数字 {actual}。",
    "NUMBER-AS-TEXT": (
        "{where}（{cell}）的“{raw}”是以文字形式保存的数字：已按 {actual} 读取，但工作簿自己的合计和校验没有计入它，"
        "所以工作簿中显示的合计与此处不同。请在该单元格重新输入数字 {actual}（半角数字，前面不加单引号）。"
    ),
    "YEAR-JUMP": (
        "{where}（{cell}）本年为 {actual}，上一年度为 {expected}，相差超过 10 倍，请核对是否填错"
        "（如确有变化，请在文字部分说明原因）。"
    ),
    "TEXT-EMPTY": "文字部分的“{heading}”（{cell}）没有填写，年度报告须写明这一部分，请补充。",
    "INFO-EMPTY": "基本信息中的“{label}”（{cell}）没有填写，请填写，以便核对时联系。",
    "TEXT-LAST-YEAR": (
        "“{heading}”（{cell}）以“{quote}”开头：{previous} 年是上一年度，这段文字可能沿用了上一年度的报告，"
        "请改写为 {year} 年度的情况。"
    ),
    "REVIEW-NO-UNIT": "单位“{unit}”不在本工作区的单位名单中（可用单位编码或单位全称）。",
    "REVIEW-NOTHING": "{unit} 还没有报送任何报表，无可审核。",
    "REVIEW-UNTOUCHED": "{unit} 最近报送的 {path} 是未填写的模板，不能接受；可用 nianbao reject 退回。",
    "REVIEW-HAS-ERRORS": (
        "{unit} 最近报送的 {path} 有 {errors} 个错误，不能直接接受。请退回修改；"
        "如经核实确需接受，请加 --override-errors（台账中将记录为“有错误仍接受”）。"
    ),
    "REVIEW-REASON": "请用 --reason 写明理由（不能为空），理由会记入台账并显示在报送情况中。",
    "REVIEW-ACCEPTED": "已接受 {unit} 报送的 {path}（{who}，{when}）。理由：{reason}",
    "REVIEW-ACCEPTED-OVERRIDE": (
        "已接受 {unit} 报送的 {path}，其 {errors} 个错误已由审核人确认（有错误仍接受；{who}，{when}）。理由：{reason}"
    ),
    "REVIEW-REJECTED": "已退回 {unit} 报送的 {path}（{who}，{when}）。理由：{reason}",
    "REVIEW-FEEDBACK": "反馈表（问题清单中写明了退回理由）：{path}",
    "OFFICE-REJECTED": "汇总单位退回了本报表（{who}，{when}）。理由：{reason}",
    "DECISION-accept": "接受",
    "DECISION-accept-override": "有错误仍接受",
    "DECISION-reject": "退回",
    "BOARD-DECISION": "{decision}：{reason}（{who}，{when}）",
    "BOARD-DECISION-HEADER": "审核意见",
    "HISTORY-TITLE": "{unit}（{unit_code}）的报送记录，当前状态：{status}",
    "HISTORY-NONE": "尚未收到该单位的任何文件。",
    "HISTORY-SUBMISSION": "第 {no} 份：{when} 收到 {path}，{status}（{errors} 个错误，{warnings} 个提示）{note}",
    "HISTORY-CURRENT": "，当前有效",
    "HISTORY-SUPERSEDED": "，已被后来报送的文件取代",
    "HISTORY-FINDING": "    {severity} {cell} {message}",
    "HISTORY-DECISION": "    审核：{decision}（{who}，{when}）。理由：{reason}",
    "MEMBERS-SHEET": "汇总单位",
    "MEMBERS-TITLE": "{office} {year} 年度汇总表包含的单位",
    "MEMBERS-HEADER-CODE": "单位编码",
    "MEMBERS-HEADER-NAME": "单位名称",
    "MEMBERS-HEADER-STATE": "汇总情况",
    "MEMBERS-INCLUDED": "已计入",
    "MEMBERS-MISSING": "未计入：未报送（或发回的模板未填写）",
    "MEMBERS-EXCLUDED": "未计入：报表有错误或被退回",
    "MEMBERS-SUMMARY": "已计入 {included} 个单位；未计入 {left_out} 个单位。",
    "REPORT-DRAFT-MARK-INCOMPLETE": "草稿（汇总不完整：未包含 {count} 个单位的数据，不得发布）",
    "REPORT-FINAL-INCOMPLETE": (
        "不能生成正式报告：汇总不完整，未包含 {count} 个单位的数据（{units}）。"
        "请催报、退回修改后重新汇总；去掉 --final 可先生成草稿。"
    ),
    "REPORT-FINAL-UNDATED": (
        "不能生成正式报告：没有成文日期。请用 --date 年-月-日 指定（或在数据文件中写明 date，"
        "或在工作区配置 nianbao.json 中设置 date）。"
    ),
    "REPORT-WRITTEN-INCOMPLETE": (
        "已生成年度报告草稿：{path}（汇总不完整，首页标注“草稿”，不得发布；补齐后加 --final 生成正式报告）"
    ),
    "REPORT-DATE-PLACEHOLDER": "（成文日期）",
    "REPORT-FINAL-DRAFT": "--final（正式报告）与 --draft（草稿）不能同时使用。",
    "E-DATE": "日期“{actual}”格式不正确，应写作 年-月-日，例如 2026-01-31。",
    "DEMO-ACCEPT": "审核：{unit} 的报表仅有提示，汇总单位接受（nianbao accept，理由：{reason}）",
    "AGG-IMPLAUSIBLE": "{unit} 的报表中有不合常理的数值，未计入汇总：{detail}",
    # end of issue 10
    # --- issue 11: hardening: batches, escaping, locks, limits -----------------
    "E-LEDGER-READONLY": "台账 {path} 无法写入（文件或目录为只读）：{reason}。请检查文件权限后重试，已接收的记录不受影响。",
    "E-LEDGER-FULL": "台账 {path} 无法写入：磁盘已满（{reason}）。请腾出磁盘空间后重新运行，已记录的文件不会重复记录。",
    "E-LEDGER": "台账 {path} 无法读写：{reason}。",
    "E-LEDGER-ANY": "台账无法读写：{reason}。请检查工作区所在磁盘和文件权限。",
    "E-JSON-SURROGATE": "文件 {path} 中“{name}”含有无效的字符（孤立的 UTF-16 代理项，如 \\ud800），不是有效的文字，请改正后重新报送。",
    "E-JSON-DEPTH": "文件 {path} 的 JSON 嵌套层次过深，不是 nianbao 数据文件，无法读取。",
    "E-TEXT-TOO-LONG": (
        "{where}的“{section}”共 {length} 个字符，超过上限 {limit} 个字符（Excel 单元格最多容纳 {limit} 个字符），"
        "无法完整写入或读取。请精简该部分文字。"
    ),
    "E-FILE-NOT-REGULAR": "{path} 不是普通文件（{kind}），无法作为报表读取。请提供保存在磁盘上的 .xlsx 工作簿或 .json 数据文件。",
    "E-WB-TOO-MANY-CELLS": (
        "文件 {path} 的工作表 {member} 含有超过 {limit} 个单元格，远超年报模板（最大的表约 300 个单元格），"
        "不是正常的年报工作簿，出于安全考虑拒绝读取。请用下发的模板重新填写后报送。"
    ),
    "E-WB-XML-ENCODING": "文件 {path} 的部件 {member} 使用了无法识别的文字编码（{encoding}），出于安全考虑拒绝读取。",
    "E-ROSTER-NEAR-DUP-NAME": (
        "单位名单 {path} 第 {row} 行的单位名称“{name}”与第 {first} 行的“{other}”只差全角/半角或空格，"
        "会被当作同一个单位。请确认是否重复；如确为两个单位，请修改其中一个名称。"
    ),
    "E-ROSTER-NEAR-DUP-CODE": (
        "单位名单 {path} 第 {row} 行的单位编码“{unit_code}”与第 {first} 行的“{other}”只差全角/半角或空格，"
        "会被当作同一个编码。请统一使用半角字符，并确认编码不重复。"
    ),
    "E-OUTPUT-IS-INPUT": "输出文件 {path} 就是输入文件 {input}，不能覆盖原文件。请指定另一个输出文件。",
    "E-OUTPUT-EXISTS": "输出文件 {path} 已存在。如确需覆盖，请加 --force；或指定另一个输出文件。",
    "E-WS-LOCKED": (
        "工作区 {path} 正由另一个 nianbao 进程（进程号 {pid}）使用，等待 {seconds} 秒后仍未结束，本次未做任何改动。"
        "请等其完成后重试；如该进程已不存在，请删除 {lock}。"
    ),
    "WS-LOCK-WAIT": "工作区 {path} 正由另一个 nianbao 进程（进程号 {pid}）使用，等待其完成……",
    "INGEST-SKIPPED": "文件 {path} 未接收：{reason}",
    "INGEST-SKIP-PDF": "这是 PDF 文件，不是报表。请报送下发的 Excel 模板（.xlsx）；PDF 版年度报告不能代替填报表。",
    "INGEST-SKIP-WORD": "这是 Word 文档，不是报表。请报送下发的 Excel 模板（.xlsx）；年度报告文稿不能代替填报表。",
    "INGEST-SKIP-HTML": "这是网页文件，不是报表。请报送下发的 Excel 模板（.xlsx）。",
    "INGEST-SKIP-MAIL": "这是邮件文件，不是报表。请先保存其中的附件（.xlsx），再放入收件箱接收。",
    "INGEST-SKIP-RAR": "这是 RAR/7z 压缩包，无法打开。请解压后将其中的 .xlsx 放入收件箱，或改用 zip 压缩包。",
    "INGEST-SKIP-IMAGE": "这是图片，不是报表。请报送下发的 Excel 模板（.xlsx）。",
    "INGEST-SKIP-OTHER": "不是报表文件（扩展名为“{suffix}”），请报送下发的 Excel 模板（.xlsx）或 .json 数据文件。",
    "INGEST-SKIP-NOT-REGULAR": "不是普通文件（{kind}），无法读取。",
    "INGEST-SKIP-ZIP-NESTED": "是压缩包 {archive} 中的压缩包，不再展开。请解压后放入收件箱。",
    "INGEST-ZIP-UNUSABLE": "压缩包 {path} 无法打开：{reason}",
    "INGEST-ZIP-EMPTY": "压缩包 {path} 中没有可接收的文件（.xlsx 工作簿或 .json 数据文件）。",
    "INGEST-FEEDBACK-FAILED": "{unit}：反馈表 {path} 无法写入（{reason}），下次运行 ingest 时会重新生成。",
    "INGEST-SKIPPED-COUNT": "另有 {count} 个文件未接收（不是报表或无法打开，见上）。",
    # end of issue 11
    # --- issue 12: import: reading a published report from any source form -----
    "E-UNSUPPORTED-SOURCE-ANY": (
        "无法识别文件 {path} 的类型：请提供 .json 数据文件、.xlsx 工作簿，或发布的年报"
        "（网页 .html/.mhtml、Word .docx、PDF、电子表格 .ods/.xls、文本 .txt）。"
    ),
    "E-IMPORT-NO-TABLES": (
        "文件 {path} 中找不到年报的统计表（表二、表三、表四的栏目），无法读取其中的数字。"
        "请确认文件是政府信息公开工作年度报告，且表格没有被删去。"
    ),
    "E-IMPORT-NO-YEAR": "文件 {path} 中找不到报告年度（没有“××××年政府信息公开工作年度报告”这样的标题），请用 --year 指定年度。",
    "E-IMPORT-SCANNED": (
        "文件 {path} 是扫描件 PDF（页面是图片，没有文字），nianbao 不做文字识别，无法读取。"
        "请提供有文字的 PDF，或该报告的网页、Word 文件。"
    ),
    "E-IMPORT-UNREADABLE": "文件 {path} 无法读取（{reason}），可能已损坏或不是所说的文件类型。",
    "IMPORT-SOURCE": (
        "文件 {path} 不是用 nianbao 模板填写的，而是发布的报告（{kind}）：已按表格栏目识别为 {layout} 版格式、"
        "{year} 年度、单位“{unit}”，请核对。"
    ),
    "IMPORT-TABLE-MISSING": "文件 {path} 中找不到{sheet}（{title}），其中的数字无法读取。",
    "IMPORT-ROW-MISSING": (
        "{sheet}“{row}”行没有找到（表格可能在此被截断，或该行被删去；最后读到的位置：{where}），"
        "这一行的数字（{columns}）未读取。"
    ),
    "IMPORT-TABLE-CUT": (
        "{sheet}在“{row}”行之前就结束了（最后读到的位置：{where}），从这一行起的 {count} 行没有找到，"
        "报告可能被截断。这些行的数字未读取，请提供完整的报告。"
    ),
    "IMPORT-COLUMNS": (
        "{sheet}“{row}”行有 {count} 个数字格，应为 {expected_count} 个（{columns}），无法确定各数字属于哪一列，"
        "未读取：“{raw}”（{where}）。请核对原报告。"
    ),
    "IMPORT-RUN-TOGETHER": (
        "{sheet}“{row}”行的栏目与数字连在一起：“{raw}”（{where}），分不清各列的数字（{columns}），未读取。"
        "请核对原报告。"
    ),
    "IMPORT-NOTE": "文件 {path}：{detail}",
    "IMPORT-WROTE": "已写入数据文件 {path}（{layout} 版格式，{year} 年度，单位“{unit}”，读取数字 {count} 个）。",
    "IMPORT-READ": "{path}：{layout} 版格式，{year} 年度，单位“{unit}”；读取数字 {count} 个，未读取 {unread} 个；文字部分 {sections}。",
    "E-IMPORT-OUTPUT": "输出 {path} 与输入文件相同，不能覆盖原件，请另选输出位置。",
    "E-IMPORT-MANY": "导入多个文件时请用 -d 指定输出目录（-o 只能用于一个文件）。",
    # end of issue 12
    # --- issue 13: mail: send, fetch, feedback and reminders -------------------
    "E-MAIL-CONFIG": "工作区配置 nianbao.json 中的邮件设置不正确：{reason}。请用 nianbao config mail 重新设置。",
    "E-MAIL-HOST": "{which} 服务器“{actual}”的写法不正确，应为“主机名”或“主机名:端口”，例如 mail.example.gov.cn:465。",
    "E-MAIL-SECURITY": "--ssl、--starttls 与 --plain 只能选一个。",
    "E-MAIL-ADDRESS": "发件地址“{actual}”不是有效的邮箱地址。",
    "E-MAIL-PACE": "发送间隔“{actual}”秒不正确，应为 0 到 3600 之间的秒数。",
    "E-MAIL-CA": "证书文件“{path}”不存在。",
    "E-MAIL-NO-FROM": "设定邮件服务器时须同时设定发件地址（--mail-from）。",
    "E-MAIL-NO-PASSWORD": (
        "没有邮箱密码：请设置环境变量 {env}，或在终端中运行本命令以便输入 {user} 的密码（密码不会保存）。"
    ),
    "E-MAIL-TEMPLATE": "邮件模板“{path}”无法使用：{reason}。",
    "E-MAIL-TEMPLATE-EXISTS": "工作区中已有邮件模板 {path}，未覆盖；如需恢复内置模板，请先删除或改名该文件。",
    "E-MAIL-AUTH": "邮件服务器 {server} 拒绝登录（用户 {user}）：用户名或密码不正确。{done}",
    "E-MAIL-CONNECT": "无法连接邮件服务器 {server}：{reason}。请检查服务器地址、端口、加密方式和网络。{done}",
    "E-MAIL-TLS": (
        "与邮件服务器 {server} 建立加密连接失败：{reason}。如服务器使用本单位自签的证书，"
        "请用 nianbao config mail --ca-file 证书文件 指定。{done}"
    ),
    "E-MAIL-DROPPED": (
        "与邮件服务器 {server} 的连接在发送给“{unit}”时中断：{reason}。{done}"
        "再次运行同一命令将只发送其余的邮件。"
    ),
    "E-MAIL-DONE": "此前已发送的 {sent} 封已记入台账。",
    "E-MAIL-NO-IMAP": "没有设定收信服务器：请先运行 nianbao config mail --imap 主机:端口。",
    "E-MAIL-FOLDER": "邮箱中无法打开文件夹“{folder}”：{reason}。",
    "E-MAIL-IMAP": "收信服务器 {server} 返回错误：{reason}。{done}",
    "E-MAIL-NO-TEMPLATES": "outbox/ 中没有“{unit}”的填报模板（{file}）：请先运行 nianbao templates。",
    "E-MAIL-UNIT": "名单中没有单位“{actual}”（--resend 须为名单中的单位编码或单位名称）。",
    "E-MAIL-SINCE": "日期“{actual}”的写法不正确，应为 年-月-日，例如 2026-01-05。",
    "E-MAIL-MODE": "--feedback 与 --remind 只能选一个。",
    "E-MAIL-FILE": "邮件文件“{path}”无法读取：{reason}。",
    "MAIL-NO-ADDRESS": "“{unit}”在名单中没有邮箱，未发送。",
    "MAIL-SENT": "已发送给“{unit}”（{to}）：{subject}",
    "MAIL-ALREADY": "“{unit}”此前已发送（{at}），未重复发送；如需再次发送请用 --resend {unit_code}。",
    "MAIL-REFUSED": "邮件服务器拒收“{unit}”的地址 {to}：{reason}。请核对名单中的邮箱。",
    "MAIL-EML": "已写出给“{unit}”（{to}）的邮件：{path}",
    "MAIL-DRY": "将发送给“{unit}”（{to}）：{subject}；附件 {file}",
    "MAIL-NO-FEEDBACK": "“{unit}”的最新报送有错误，但 feedback/ 中没有它的反馈表（{file}），未发送；请重新运行 nianbao ingest。",
    "MAIL-SUMMARY": "发送 {sent} 封；此前已发送而跳过 {skipped} 个单位；没有邮箱 {no_address} 个单位；被拒收 {refused} 封。",
    "MAIL-EML-SUMMARY": "已写出 {count} 封邮件到 {path}：可在自己的邮件软件中打开后发送。",
    "MAIL-DRY-SUMMARY": "共 {count} 封将要发送（本次未发送）。",
    "MAIL-NOTHING": "没有需要发送的邮件。",
    "MAIL-OVERDUE": "（逾期）",
    "MAIL-OVERDUE-TEXT": "报送截止日期 {deadline} 已过，你单位已逾期，请尽快报送。",
    "MAIL-NO-DEADLINE": "尽快",
    "MAIL-NO-CONTACT": "（见工作簿中的填报说明）",
    "MAIL-PROBLEM-MORE": "……另有 {count} 个问题，见附件工作簿的“问题清单”。",
    "MAIL-ZIP-BAD": "压缩包“{name}”无法打开，其中的文件未保存。",
    "MAIL-ZIP-LIMIT": "压缩包“{name}”超出安全限制（{what}），其中的文件未保存。",
    "MAIL-SENDER-MISMATCH": (
        "附件“{file}”是“{unit}”的报表，而发件人 {sender} 是名单中“{sender_unit}”的邮箱。请确认是代报还是发错了文件。"
    ),
    "MAIL-SENDER-UNKNOWN": (
        "附件“{file}”是“{unit}”的报表，而发件人 {sender} 不是名单中任何单位的邮箱（名单中该单位为 {expected}）。"
    ),
    "FETCH-SAVED": "收到 {sender} 的邮件“{subject}”（{date}）：附件“{name}”已保存为 {path}",
    "FETCH-NO-ATTACHMENT": "{sender} 的邮件“{subject}”（{date}）没有报表附件，未保存。",
    "FETCH-SKIPPED": "{sender} 的邮件“{subject}”：{reason}",
    "FETCH-UNCHANGED": "{sender} 的邮件“{subject}”：附件“{name}”与发出的文件完全相同（没有填写），未保存。",
    "FETCH-SUMMARY": "读取新邮件 {messages} 封，保存附件 {saved} 个；此前已读取过的 {old} 封未重复读取。",
    "FETCH-NOTHING-NEW": "邮箱中没有新的报表附件。",
    "FETCH-DONE": "本次已读取的 {messages} 封已记入台账，再次运行 nianbao fetch 将接着读取其余的邮件并接收已保存的附件。",
    "INGEST-MAIL-EMPTY": "这是一封邮件，其中没有报表附件（.xlsx、.xls、.et、.ods、.json 或装有它们的 .zip）。",
    "CLI-CONFIG-MAIL-TITLE": "工作区 {path} 的邮件设置：",
    "CLI-CONFIG-SAVED": "邮件设置已保存到 {path}（不含密码）。",
    "CLI-CONFIG-TEMPLATE": "已将邮件模板复制到 {path}；修改后 nianbao send 将使用它。",
    "STATUS-LAST-SENT": "最近发送",
    "STATUS-LAST-REMINDED": "最近催报",
    "STATUS-LAST-MAIL": "最近来信",
    # end of issue 13
    # --- issue 14: comparison with last year, similarity, HTML and PDF output ---
    "TEXT-SIMILAR-PREVIOUS": (
        "“{heading}”内容与上年高度雷同：去除标点、空格和年份后与上一年度报告的相似度为 {percent}%"
        "（达到 {threshold}% 即提示）。相同的段落如：“{passage}”。请按本年度实际情况重新撰写。"
    ),
    "TEXT-SIMILAR-NOTE": "“{heading}”与上年较为相似（相似度 {percent}%），请确认是否反映了本年度的工作。",
    "TEXT-COPIED-UNIT": (
        "“{unit_a}”的“{section_a}”与“{unit_b}”的“{section_b}”高度雷同（相似度 {percent}%），"
        "可能是照抄其他单位的文字。相同的段落如：“{passage}”。"
    ),
    "FIGURE-FLAG-scale": "与上年相差十倍以上且增减超过 50",
    "FIGURE-FLAG-zero": "上年为 {previous}，本年为 0",
    "FIGURE-FLAG-stock": "现行有效件数与上年结转不符",
    "FIGURE-FLAG-SHORT-scale": "十倍变化",
    "FIGURE-FLAG-SHORT-zero": "降为0",
    "FIGURE-FLAG-SHORT-stock": "现行有效不符",
    "HIER-MISMATCH": "{parent}填报的{where}为 {stated}，而下级单位报表之和为 {children_sum}。",
    "HIER-UNCERTAIN": (
        "{parent}填报的{where}为 {stated}，已报送的下级单位之和为 {children_sum}；"
        "因有下级单位未报送，无法确定是否一致。"
    ),
    "HIER-MISSING": "{parent}的汇总表包含的下级单位中，以下单位没有报表可供核对：{units}。",
    "COMPARE-TITLE": "{unit}：{year} 年与 {previous_year} 年对比",
    "COMPARE-ROLLUP": "（汇总）",
    "COMPARE-SUMMARY": (
        "共 {figures} 个数据项，其中 {changed} 项有变化、{flagged} 项需核对；文字部分 {warnings} 处与上年高度雷同，"
        "{notes} 处较为相似。"
    ),
    "COMPARE-NO-PREVIOUS": "工作区没有上一年度数据（初始化时未指定 --previous），无法与上年比较。",
    "COMPARE-NO-PREVIOUS-UNITS": "以下单位没有上一年度数据，未作对比：{units}。",
    "COMPARE-COPIES-TITLE": "单位之间文字高度雷同（{count} 处）：",
    "COMPARE-NO-COPIES": "未发现单位之间文字高度雷同。",
    "COMPARE-HIER-TITLE": "汇总表与下级单位报表核对：{parent}",
    "COMPARE-HIER-OK": "{parent}：汇总表各项与 {count} 个下级单位报表之和一致。",
    "COMPARE-XLSX": "对比结果已保存到 {path}",
    "COMPARE-USAGE": "请指定本年度和上一年度两个文件（nianbao compare 本年文件 上年文件），或用 -w 指定工作区。",
    "STATUS-COPIES-TITLE": "单位之间文字高度雷同（{count} 处，详见 nianbao compare）：",
    "E-REPORT-SUFFIX": "无法按“{suffix}”格式生成报告 {path}：输出文件的扩展名只能是 .docx、.html（.htm）或 .pdf。",
    "E-NO-SOFFICE": (
        "生成 PDF 需要 LibreOffice（soffice 命令），本机没有找到。请先安装：Debian/Ubuntu 运行"
        "“sudo apt-get install libreoffice-writer fonts-noto-cjk”，Windows/macOS 从 https://zh-cn.libreoffice.org 下载安装；"
        "也可先生成 .docx（-o 报告.docx），再用 Word 或 WPS“另存为 PDF”。"
    ),
    "E-PDF-CONVERT": "LibreOffice 未能把报告转换为 PDF（{reason}），未生成 {path}。",
    # end of issue 14
    # --- issue 15: what the clerk sees: workbook, feedback, board, CLI wording ---
    # Chinese rule names, keyed "NAME-" + rule code: the one declaration that check output, the
    # feedback workbook and the workbook's 校验 sheet read (findings.rule_name).
    "NAME-T3-BALANCE": "表三收支平衡",
    "NAME-T3-ROW-TOTAL": "表三行合计",
    "NAME-T3-OUTCOME-TOTAL": "表三办理结果合计",
    "NAME-T4-TOTAL": "表四合计",
    "NAME-VALUE-BLANK": "未填写",
    "NAME-VALUE-NOTE": "数字中夹有文字",
    "NAME-VALUE-NOT-NUMBER": "不是数字",
    "NAME-VALUE-NEGATIVE": "负数",
    "NAME-VALUE-NOT-INTEGER": "件数不是整数",
    "NAME-T3-CARRY-OVER": "上年结转与上年报告不一致",
    "NAME-T2-IN-FORCE": "现行有效件数与上年不衔接",
    "NAME-PREVIOUS-YEAR": "上年数据年度不对",
    "NAME-HEADING-VARIANT": "标题与法定标题不同",
    "NAME-NARRATIVE-MISMATCH": "文字与表格不一致",
    "NAME-WB-MACRO": "含宏的工作簿",
    "NAME-META-MISSING": "没有模板识别信息",
    "NAME-META-YEAR": "年度不对",
    "NAME-META-UNIT": "单位不对",
    "NAME-META-CAMPAIGN": "报送批次不对",
    "NAME-META-CONFLICT": "识别信息不一致",
    "NAME-META-FINGERPRINT": "模板版本不同",
    "NAME-META-LAYOUT": "模板格式不一致",
    "NAME-META-IDENTITY": "识别信息自相矛盾",
    "NAME-SHEET-OTHER-UNIT": "工作表来自其他单位",
    "NAME-ROLLUP-INCOMPLETE": "汇总不完整",
    "NAME-INFO-ALTERED": "基本信息被修改",
    "NAME-LAYOUT-MIXED": "新旧格式混用",
    "NAME-SHEET-RENAMED": "工作表被改名",
    "NAME-SHEET-MISSING": "工作表缺失",
    "NAME-SHEET-EXTRA": "多出的工作表",
    "NAME-SHEET-ORDER": "工作表顺序改动",
    "NAME-TABLE-MISSING": "表格缺失",
    "NAME-TABLE-MOVED": "表格位置改动",
    "NAME-LABEL-ALTERED": "栏目名称被修改",
    "NAME-LABEL-VARIANT": "栏目名称不同",
    "NAME-FORMULA-ALTERED": "合计公式被改动",
    "NAME-TOTAL-STALE": "合计未重新计算",
    "NAME-INPUT-FORMULA": "填写了公式",
    "NAME-PROTECTION-OFF": "工作表保护被取消",
    "NAME-CELL-UNLOCKED": "单元格被解除锁定",
    "NAME-MERGE-ALTERED": "合并单元格被改动",
    "NAME-CONTENT-OUTSIDE": "表格以外的内容",
    "NAME-ROW-DELETED": "行被删除",
    "NAME-INPUT-MERGED": "填报单元格被合并",
    "NAME-RETURN-UNTOUCHED": "发回的模板未填写",
    "NAME-VALUE-TOO-LARGE": "数值大得不合常理",
    "NAME-VALUE-AMOUNT-YUAN": "金额按元填写",
    "NAME-VALUE-AMOUNT-WAN": "金额带了单位",
    "NAME-NUMBER-AS-TEXT": "数字存为文本",
    "NAME-YEAR-JUMP": "与上年相比变化过大",
    "NAME-TEXT-EMPTY": "文字部分未填写",
    "NAME-INFO-EMPTY": "基本信息未填写",
    "NAME-TEXT-LAST-YEAR": "文字与上年相同",
    "NAME-OFFICE-REJECTED": "汇总单位退回",
    "NAME-OTHER": "其他问题",
    # groups of findings of one kind (check, ingest): one line, --all to list every one
    "GROUP-LINE": "{count} 个单元格{name}（{cells}）",
    "GROUP-VALUE-BLANK": "{count} 个单元格未填写（{cells}），已按 0 计算；无数据请填 0",
    "GROUP-MORE": "……",
    "GROUP-CELLS": "{first} 等 {count} 格",
    "GROUP-HINT": "同类问题已合并为一行；加 --all 逐项列出。",
    "CONSEQUENCE": "由此导致：",
    "CHECK-FILE": "文件：{path}　单位：{unit}　{year} 年度　{layout} 版格式",
    # the 校验 sheet of the workbook
    "CHECK-SHEET-COLUMNS": "序号|校验项目|校验内容|涉及单元格|左边合计|右边合计|差额|结果",
    "CHECK-SHEET-NOTE": "表内各项合计由公式自动计算，不会出错，这里只列出需要填报单位核对的勾稽关系。",
    # the feedback workbook (问题清单)
    "FEEDBACK-TITLE": "{unit}{year}年政府信息公开工作年度报告：需要修改的问题",
    "FEEDBACK-UNIT": "填报单位：{unit}",
    "FEEDBACK-DEADLINE": "报送截止：{deadline}",
    "FEEDBACK-CONTACT": "联系人：{contact}",
    "FEEDBACK-WHAT-TO-DO": (
        "请在本文件中改正标红的单元格（批注中写明了问题），改正后直接报送本文件；"
        "不要改用原来的文件，也不要另存为其他格式。"
    ),
    "FEEDBACK-ALL-RESTORED": "下列问题在本文件中均已按模板恢复，无需修改；请核对数字后直接报送本文件。",
    "FEEDBACK-CAUSED-BY": "由第 {no} 项导致；",
    "FEEDBACK-RESTORED": "本文件中已按模板恢复，此处无需处理",
    "FEEDBACK-FIX-CELLS": "请改正标红的单元格",
    "FEEDBACK-CHECK": "请核对后在本文件中修改",
    "FEEDBACK-FEEDS": "本格计入 {cell}（{what}），合计不能直接修改，请核对参与合计的各格。",
    # the status board (status, status --xlsx, status --chase)
    "BOARD-NO-DEADLINE": "未设定",
    "BOARD-PRINTED": "打印日期：{date}",
    "CHASE-TITLE": "关于催报{year}年度政府信息公开工作年度报告的通知",
    "CHASE-DUE": "报送截止日期为{deadline}，以下单位尚未完成报送：",
    "CHASE-LATE": "报送截止日期为{deadline}，已逾期 {days} 天，以下单位尚未完成报送：",
    "CHASE-MISSING": "一、尚未报送（{count} 个单位）：",
    "CHASE-ERRORS": "二、报表需修改后重新报送（{count} 个单位）：",
    "CHASE-RECEIVED": "{when} 报送的报表{status}（{errors} 个错误），请按反馈表修改后重新报送",
    "CHASE-CLOSING": "请上述单位抓紧报送；报表有错误的单位请在反馈表中改正后直接报送反馈表。",
    "CHASE-NONE": "{office}{year}年度政府信息公开工作年度报告：各单位均已报送并通过校验，无需催报。",
    # why an operating-system call failed (errors.os_reason): never the system's English text
    "E-OS": "无法读写 {path}：{reason}。",
    "OS-EACCES": "没有权限。如果该文件正在 Excel 或 WPS 中打开，请先关闭后重试；否则请检查文件夹的权限",
    "OS-EBUSY": "文件正被其他程序占用（如在 Excel 或 WPS 中打开），请关闭后重试",
    "OS-ENOENT": "文件或文件夹不存在",
    "OS-EISDIR": "这是一个文件夹，不是文件",
    "OS-ENOTDIR": "路径中有一级不是文件夹",
    "OS-ENOSPC": "磁盘空间不足",
    "OS-EROFS": "所在的磁盘是只读的",
    "OS-EEXIST": "已有同名的文件或文件夹",
    "OS-ENAMETOOLONG": "文件名或路径过长",
    "OS-EINVAL": "文件名或路径中有不允许的字符",
    "OS-EIO": "读写磁盘时出错",
    "OS-OTHER": "操作系统报告错误（错误号 {errno}）",
    # aggregate: what report also says about the roll-up's report
    "AGG-EMPTY-SECTIONS": (
        "提示：汇总年度报告的 {sections} 没有文字。请用 --text 提供含文字部分的数据文件或工作簿，重新汇总。"
    ),
    "AGG-UNDATED": (
        "提示：汇总数据中没有成文日期（date），年度报告末尾未写日期；请在 --text 提供的文件中写明日期，重新汇总。"
    ),
    # why a text file could not be read (errors.json_reason, errors.exc_reason)
    "JSON-NAME": "此处应为用双引号括起的字段名",
    "JSON-VALUE": "此处应为一个值（数字、文字、true/false、列表或对象）",
    "JSON-COMMA": "此处缺少逗号",
    "JSON-COLON": "此处缺少冒号",
    "JSON-STRING": "文字缺少结尾的引号",
    "JSON-EXTRA": "数据结束后还有多余的内容",
    "JSON-CONTROL": "文字中有不允许的控制字符（如未转义的换行）",
    "JSON-ESCAPE": "文字中有无效的反斜杠转义",
    "JSON-OTHER": "格式不正确",
    "JSON-AT": "第 {line} 行第 {col} 列：{reason}",
    "TEXT-NOT-UTF8": "不是 UTF-8 文本",
    "FORMAT-BAD": "内容或格式不正确",
    # the template command: the year
    "TEMPLATE-YEAR-UNUSUAL": (
        "提示：报告年度为 {year} 年，既不是今年（{today} 年）也不是上一年（{previous} 年），请确认年度无误。"
    ),
    "E-TEMPLATE-YEAR-EARLY": "报告年度“{actual}”早于 {first} 年：政府信息公开条例 2008 年 5 月 1 日起施行，此前没有年度报告。",
    # end of issue 15
    # --- issue 16: library API and single-pass reader --------------------------
    # command-line usage errors (cli/_i18n.py renders click's errors from their attributes)
    "E-CLI-HELP": "运行 {command} 查看帮助。",
    "E-CLI-ERROR": "错误：{detail}",
    "E-CLI-FAILED": "错误：无法完成命令（{detail}）。",
    "E-CLI-NO-OPTION": "没有选项 {option}。",
    "E-CLI-POSSIBLE": "可能要用的是：{options}。",
    "E-CLI-MISSING": "缺少{kind} {name}。",
    "E-CLI-NO-VALUE": "选项 {option} 不带值。",
    "E-CLI-NEEDS-VALUE": "选项 {option} 需要一个值。",
    "E-CLI-NO-COMMAND": "没有命令“{command}”。",
    "E-CLI-DID-YOU-MEAN": "是否要用：{commands}？",
    "E-CLI-NO-COMMAND-GIVEN": "缺少命令。",
    "E-CLI-EXTRA": "多余的参数：{args}。",
    "E-CLI-USAGE": "命令行用法有误：{detail}。",
    "E-CLI-USAGE-PLAIN": "命令行用法有误。",
    "E-CLI-BAD-VALUE": "{name} 的值“{value}”无效：{want}。",
    "E-CLI-BAD-VALUE-UNSHOWN": "{name} 的值无效：{want}。",
    "E-CLI-WANT-CHOICE": "应为以下之一：{choices}",
    "E-CLI-WANT-EXISTING": "该路径不存在",
    "E-CLI-WANT-FILE": "应为文件，而不是目录",
    "E-CLI-WANT-DIR": "应为目录，而不是文件",
    "E-CLI-WANT-TYPE": "应为{type}",
    # issue 16 (second part): declared once
    "E-YEAR": "报告年度“{actual}”无效，应为四位数年份，例如 2025。",
    "LAYOUT-MIXED-ONE-ROW": "只有一行",
    "LAYOUT-MIXED-THREE-ROWS": "分为三项",
    # sentences and phrases that were literals in the code
    "PREVIOUS-NOT-FOUND": "找不到该文件或目录。",
    "PREVIOUS-EMPTY-DIR": "该目录中没有数据文件或工作簿。",
    "TEMPLATE-WRITTEN": "已生成 {path}（{year} 年度，{layout} 版格式，{unit}）。",
    "EXPORT-WRITTEN": "已导出数据文件：{path}",
    "FEEDBACK-WRITTEN": "已生成反馈工作簿：{path}",
    "FEEDBACK-NONE": "未发现问题。",
    "MERGE-MISSING": "应合并的 {cells} 未合并",
    "MERGE-EXTRA": "多合并了 {cells}",
    "E-JSON-NOT-UTF8": "不是 UTF-8 文本",
    "RAW-NOTE": "（内容为“{raw}”）",
    "KEY-SUGGEST": "是否应为“{key}”？",
    "TYPE-YEAR": "四位数年份（整数）",
    "TYPE-UNIT": "含“name”（单位名称）的对象",
    "TYPE-bool": "真假值",
    "TYPE-int": "整数",
    "TYPE-float": "数字",
    "TYPE-str": "文字",
    "TYPE-list": "列表",
    "TYPE-dict": "对象",
    "TYPE-NoneType": "空值",
    "WS-CONFIG-SCHEMA": "schema 应为 {schema}",
    "WS-CONFIG-YEAR-LAYOUT": "year/layout 不正确",
    "WS-CONFIG-DATE": "date“{date}”应写作 年-月-日，例如 2026-01-31",
    "WS-OFFICE-EMPTY": "为空",
    "INGEST-PROGRESS": "接收中",
    "AGG-IMPLAUSIBLE-ITEM": "{what}（{cell}）为 {value}",
    "NUMBER-ABBREVIATED": "{head}…（共 {digits} 位数字）",
    "FEEDBACK-PAGE-FOOTER": "第 &P 页，共 &N 页",
    # end of issue 16
    # --- issue 17: web front end (nianbao serve) -------------------------------
    "WEB-REMOTE-REFUSED": "本页面只允许在本机打开（来自 {client} 的访问已拒绝）。如需在其他电脑上访问，请用 --host 和 --password 启动。",
    "WEB-HOST-REFUSED": "地址“{host}”不是本机地址，已拒绝访问。请在浏览器中打开 http://127.0.0.1:{port}/。",
    "WEB-LOGIN-REQUIRED": "请先输入密码登录。",
    "WEB-LOGIN-WRONG": "密码不正确，请重新输入。",
    "WEB-CSRF": "页面已过期或请求来源不明（缺少安全校验码），操作未执行。请刷新页面后重试。",
    "WEB-NO-WORKSPACE": "还没有打开工作区。请在首页打开或新建一个工作区。",
    "WEB-UNKNOWN-WORKSPACE": "找不到工作区“{name}”。",
    "WEB-FOLDER-NAME": "工作区文件夹名称“{name}”不能使用：{bad}。",
    "WEB-FOLDER-EXISTS": "文件夹“{name}”已经存在，请换一个名称。",
    "WEB-YEAR": "年度“{actual}”不是四位数字年份。",
    "WEB-ROSTER-MISSING": "请选择单位名单文件（.csv 或 .xlsx）。",
    "WEB-ROSTER-TYPE": "单位名单“{name}”不是 .csv 或 .xlsx 文件。",
    "WEB-CREATED": "已建立工作区“{name}”（{office}，{year} 年度，{units} 个单位），并为每个单位生成了填报模板。",
    "WEB-OPENED": "已打开工作区“{name}”。",
    "WEB-UPLOAD-TOO-LARGE": "文件“{name}”超过 {limit}，未接收（正常的年报工作簿约 30 KB）。",
    "WEB-UPLOAD-TYPE": "文件“{name}”不是可以接收的文件类型，未接收。可以接收：{allowed}。",
    "WEB-UPLOAD-EMPTY": "文件“{name}”是空文件，未接收。",
    "WEB-UPLOAD-RENAMED": "文件名“{name}”含有路径或不能使用的字符，已按“{safe}”保存。",
    "WEB-UPLOAD-SAVED": "已上传“{name}”（{size}）。",
    "WEB-UPLOAD-UNKNOWN": "上传的文件“{name}”已不存在，请重新上传。",
    "WEB-BUSY": "另一个窗口正在{what}（{started} 开始），请等它完成后再试。",
    "WEB-BUSY-INGEST": "接收文件",
    "WEB-BUSY-AGGREGATE": "汇总",
    "WEB-BUSY-TEMPLATES": "生成模板",
    "WEB-JOB-FAILED": "处理中断：{reason}",
    "WEB-JOB-INTERNAL": "内部错误：{reason}。请将此信息与所用文件一并反馈给开发者。",
    "WEB-TEMPLATES-DONE": "已为 {count} 个单位生成填报模板。",
    "WEB-AGG-DONE": "已汇总 {count} 个单位的报表，可以下载年度报告。",
    "WEB-NOT-FOUND": "没有找到要打开的页面或文件。",
    "WEB-REVIEW-REASON": "请写明理由（不能为空），理由会记入台账并显示在报送情况中。",
    "WEB-REVIEW-UNTOUCHED": "{unit} 最近报送的 {path} 是未填写的模板，不能接受，请退回。",
    "WEB-REVIEW-HAS-ERRORS": (
        "{unit} 最近报送的 {path} 有 {errors} 个错误，不能直接接受。请退回修改；"
        "如经核实确需接受，请勾选“有错误仍接受”（台账中将记录为“有错误仍接受”）。"
    ),
    "WEB-REVIEW-STALE": "{unit} 在您打开页面后又报送了新文件，未作决定。请查看新文件后再审核。",
    "WEB-FINAL-INCOMPLETE": (
        "不能生成正式报告：汇总不完整，未包含 {count} 个单位的数据（{units}）。"
        "请催报、退回修改后重新汇总，或选择“先出草稿”。"
    ),
    "WEB-FINAL-UNDATED": "不能生成正式报告：没有成文日期。请填写成文日期。",
    "WEB-BUSY-MAIL": "收发邮件",
    "WEB-MAIL-NOTHING": "现在没有要发送的邮件。",
    "WEB-MAIL-DONE": "邮件已处理：{summary}",
    "WEB-IMPORT-MISSING": "请选择要导入的报告文件。",
    "WEB-IMPORT-TYPE": "文件“{name}”不是可以导入的报告（可导入：{allowed}）。",
    "WEB-SERVE-START": "年报网页已启动：{url}  （按 Ctrl+C 停止）",
    "WEB-SERVE-PASSWORD": "其他电脑访问时需要输入密码：{password}",
    "WEB-SERVE-PORT": "端口 {port} 已被占用或不能使用（{reason}），请用 --port 指定其他端口。",
    # end of issue 17
    # --- issue 16: cli ---------------------------------------------------------
    # labels that start a line (before the message itself)
    "CLI-ERROR-LABEL": "错误：",
    "CLI-INTERNAL-LABEL": "内部错误：",
    "CLI-INTERNAL-HINT": "请将此信息与所用文件一并反馈给开发者。",
    "CLI-ABORTED": "已中止。",
    "CLI-NOTE-LABEL": "提示：",
    "CLI-CAUTION-LABEL": "注意：",
    "WORD-NONE": "无",
    "HISTORY-NO-CODE": "无编码",
    # nianbao compare: the column headings of the figures and of the text similarity
    "COMPARE-COL-ITEM": "数据项",
    "COMPARE-COL-PREVIOUS": "上年",
    "COMPARE-COL-CURRENT": "本年",
    "COMPARE-COL-CHANGE": "增减",
    "COMPARE-COL-CHANGE-PCT": "增减%",
    "COMPARE-COL-CHECK": "需核对",
    "COMPARE-COL-SECTION": "部分",
    "COMPARE-COL-SIMILARITY": "相似度",
    "COMPARE-COL-LEVEL": "判断",
    "COMPARE-COL-PASSAGES": "相同的段落",
    # compare --xlsx: its sheets, headings and verdicts
    "COMPARE-SHEET-SUMMARY": "汇总",
    "COMPARE-SHEET-FIGURES": "数字对比",
    "COMPARE-SHEET-TEXT": "文字相似度",
    "COMPARE-SHEET-COPIES": "单位间雷同",
    "COMPARE-SHEET-HIERARCHY": "上下级核对",
    "COMPARE-COL-UNIT": "单位",
    "COMPARE-COL-CHANGED": "有变化",
    "COMPARE-COL-TOP-PCT": "最高相似度（%）",
    "COMPARE-COL-TABLE": "表",
    "COMPARE-COL-ROW": "栏目",
    "COMPARE-COL-COLUMN": "列",
    "COMPARE-COL-CHANGE-PCT-PAREN": "增减（%）",
    "COMPARE-COL-SIMILARITY-PCT": "相似度（%）",
    "COMPARE-COL-OTHER-UNIT": "另一单位",
    "COMPARE-COL-PARENT": "汇总单位",
    "COMPARE-COL-STATED": "汇总表填报",
    "COMPARE-COL-CHILDREN-SUM": "下级单位之和",
    "COMPARE-COL-MISSING-CHILDREN": "未报送的下级单位",
    "COMPARE-LEVEL-warning": "高度雷同",
    "COMPARE-LEVEL-note": "较为相似",
    "COMPARE-HIER-SAME": "一致",
    "COMPARE-HIER-DIFFERENT": "不一致",
    "COMPARE-HIER-UNSURE": "无法确定",
    "COMPARE-PREFACE": "前言",
    # help texts built from parts
    "CLI-HELP-STATUS": "显示报送情况：每个单位一行（{states}），最近报送时间，错误和提示个数，逾期天数，需催报单位的联系人，"
        "审核意见，末行为合计。指定单位时显示该单位的全部报送记录、每份的问题和每次审核。",
    "CLI-HELP-FONT": "{part}字体名称，默认“{default}”；本机没有该字体时可改用已安装的字体，如“{example}”。",
    "CLI-FONT-title": "标题",
    "CLI-FONT-body": "正文",
    "CLI-FONT-heading": "一级标题（一、）",
    "CLI-FONT-subheading": "二级标题（（一））",
    "CLI-FONT-table": "表格",
    # end of issue 16: cli
    # --- issue 16: gen
    # the fill-in workbook's own words (workbook/writer.py)
    "TEMPLATE-PROPERTY-TITLE": "{unit}{year}年政府信息公开工作年度报告填报表",
    "TEMPLATE-PROPERTY-SUBJECT": "政府信息公开工作年度报告",
    "TEMPLATE-PROPERTY-COMMENTS": "由 nianbao 生成；请勿增删、重命名工作表。",
    "TEMPLATE-HEADER-YEAR": "{year}年度",
    "TEMPLATE-FOOTER-PAGE": "第 &P 页，共 &N 页",
    "TEMPLATE-INFO-TOO-LONG": "内容过长，请精简到 {limit} 字以内。",
    "TEMPLATE-CHECK-COLUMN": "{sheet}“{label}”列",
    "TEMPLATE-CHECK-ROW": "{sheet}“{label}”行",
    "TEMPLATE-CHECK-CELL": "{sheet}“{label}”",
    "TEMPLATE-CHECK-DESCRIPTION": "{where}：{rule}",
    "TEMPLATE-DATA-WHERE": "要写入工作簿的数据",
    "TEMPLATE-BLANK-UNIT": "（单位名称）",
    "TEMPLATE-BLANK-FILE": "年报填报模板_{layout}版.xlsx",
    # end of issue 16: gen
    # --- issue 16: read ----------------------------------------------------------
    # why a package cannot be read (shown inside E-WB-UNREADABLE's reason)
    "E-XLSX-MISSING-PART": "缺少部件 {part}",
    "E-XLSX-TOO-MANY-STRINGS": "共享字符串超过 {limit} 个，不是年报工作簿",
    "E-XLSX-TOO-MANY-CELLS": "单元格超过 {limit} 个，不是年报工作簿",
    # what is wrong with a zip bomb (shown inside E-WB-ZIP-BOMB's detail)
    "ZIP-BOMB-MEMBERS": "含 {count} 个部件，上限 {limit} 个",
    "ZIP-BOMB-MEMBER-SIZE": "部件 {member} 解压后 {size}",
    "ZIP-BOMB-MEMBER-RATIO": "部件 {member} 压缩比 {ratio}:1",
    "ZIP-BOMB-TOTAL": "解压后共 {size}",
    # how a total's formula was altered (FORMULA-ALTERED's detail)
    "FORMULA-ALTERED-CHANGED": "改为“{formula}”",
    "FORMULA-ALTERED-DELETED": "删除（单元格为空）",
    "FORMULA-ALTERED-CONSTANT": "改成了固定数值“{shown}”",
    "META-CAMPAIGN-NONE": "（无）",
    "CELL-LIST-SEPARATOR": "、",
    "CELL-LIST-MORE": "{cells}等",
    # end of issue 16: read
}


def message(code: str, **fields: Any) -> str:
    """Render the message for ``code``; unused fields are ignored, missing ones shown as ``?``."""
    template = MESSAGES[code]
    return template.format_map(_Defaults(fields))


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"
