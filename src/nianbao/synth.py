"""Consistent random reports, for the demo, property tests and benchmarks."""

from __future__ import annotations

import random
from decimal import Decimal

from nianbao.layout import CARRY_PAIRS, T3_APPLICANTS, Kind, get_layout
from nianbao.model import Report, Unit
from nianbao.values import Number


def random_report(layout_id: str, year: int, unit: Unit, rng: random.Random, *, scale: int = 20,
                  with_totals: bool = True) -> Report:
    """A report whose every rule holds: 表三 balances per column, every total is its sum."""
    layout = get_layout(layout_id)
    values: dict[str, Number] = {}
    for key in layout.inputs:
        f = layout.fields[key]
        if f.kind is Kind.AMOUNT:
            values[key] = Decimal(rng.randint(0, 100 * scale)) / 100
        elif f.kind is Kind.SIGNED:
            values[key] = rng.randint(-scale, scale)
        else:
            values[key] = rng.randint(0, scale) if rng.random() < 0.6 else 0
    # Rule 1 per applicant column: choose 二 and 四, then 一 = （七）+ 四 − 二 (≥ 0).
    outcome_rows = [f.key.split(".")[1] for f in layout.table_by_id["t3"].fields
                    if f.key.endswith(".natural") and layout.fields[f.key].is_input][2:-1]
    for column, in_key, out_key in CARRY_PAIRS:
        if column not in T3_APPLICANTS:
            continue
        outcome = sum(int(values[f"t3.{r}.{column}"]) for r in outcome_rows)
        carried_out = int(values[out_key])
        carried_in = min(int(values[in_key]), outcome + carried_out)
        values[in_key] = carried_in
        values[f"t3.new.{column}"] = outcome + carried_out - carried_in
    report = Report(layout, year, unit, values)
    return report.resolved() if with_totals else report


# What a clerk who fills the whole template also writes: the sections a report must have (一、五、六)
# and 基本信息's contact cells. A return without them draws TEXT-EMPTY / INFO-EMPTY warnings.
CLERK_TEXT = {"s1": "（一）主动公开\n本年度按照政府信息公开条例要求主动公开政府信息。",
              "s5": "存在的主要问题：公开内容更新不够及时。改进情况：加强培训和督促检查。",
              "s6": "本年度未收取信息处理费。"}
CLERK_INFO = {"filler": "张三", "phone": "023-67800000"}


_SUBJECTS = ("本单位", "我局", "各科室", "政务公开工作领导小组", "信息公开工作机构", "办公室", "网站管理员",
             "分管领导", "业务部门", "新闻宣传科", "法制机构", "政务服务中心")
_VERBS = ("认真贯彻", "全面落实", "持续推进", "严格执行", "进一步完善", "扎实开展", "不断健全", "着力加强",
          "积极探索", "稳步推进", "切实规范", "深入推进")
_OBJECTS = ("政府信息公开条例", "政务公开工作要点", "主动公开目录", "依申请公开办理流程", "政策解读机制",
            "保密审查制度", "政府网站栏目建设", "政务新媒体管理", "公开平台建设", "监督考核机制",
            "回应关切工作", "基层政务公开标准化", "重大决策预公开", "公共企事业单位信息公开", "政务公开专区",
            "行政规范性文件管理", "建议提案办理结果公开", "财政预决算公开", "权责清单动态调整", "信息发布审核")
_RESULTS = ("取得了较好成效", "公开质量明显提升", "群众满意度不断提高", "工作机制更加健全", "公开内容更加全面",
            "办理时限全部符合规定", "未发生失泄密事件", "社会评价良好", "形成了常态化机制", "得到上级充分肯定")


def random_narrative(rng: random.Random, unit_name: str, sentences: int = 10) -> str:
    """Plausible report prose (独立撰写): sentences drawn from the phrases every report uses."""
    out = []
    for _ in range(sentences):
        n = rng.randint(12, 980)
        out.append(f"{rng.choice(_SUBJECTS)}{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，"
                   f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}，全年共{rng.choice(('发布', '处理', '更新', '审核'))}"
                   f"信息{n}条，{rng.choice(_RESULTS)}。")
    return unit_name + "".join(out)
