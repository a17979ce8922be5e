"""Reader for the report JSON of ``spec/data-model.md`` §2.

Structural problems (a string where the year should be, an unknown top-level key)
become J001 findings through the report JSON Schema; problems with single values and
unknown cell keys are left to the value rules (V001–V006, F002), which say more.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import InputError, os_error_message
from ..findings import Finding
from ..formats import FORMATS, format_for_year
from ..model import CLOSING_FIELDS, CONTACT_FIELDS, Report
from ..ruleset import builtin_rules
from ..schemas import validator

_PROBLEMS = {
    "type": "类型不对",
    "required": "缺少必填项",
    "additionalProperties": "含有未定义的字段",
    "const": "取值不对",
    "enum": "取值不对",
    "minimum": "小于允许的最小值",
    "maximum": "大于允许的最大值",
}


def _j001(path: str, problem: str, instance: Any = None) -> Finding:
    rule = builtin_rules().get("J001")
    return Finding(
        rule=rule.id, severity=rule.severity, name=rule.name, hint=rule.hint,
        message=rule.message.format(path=path or "（顶层）", problem=problem), cells=[path] if path else [],
        locations=[path] if path else [], actual=instance if isinstance(instance, (str, int, float)) else None,
    )


def report_from_json(data: Any, source: str = "") -> Report:
    """Build a report from parsed report JSON. Raises InputError if it is not an object."""
    if not isinstance(data, dict):
        raise InputError(f"{source or '报告 JSON'}：顶层应为对象（{{…}}），实际为 {type(data).__name__}")
    problems: list[Finding] = []

    year = data.get("year")
    if isinstance(year, str) and re.fullmatch(r"\s*(\d{4})\s*年?\s*", year):
        year = int(re.search(r"\d{4}", year).group())
    elif not (isinstance(year, int) and not isinstance(year, bool)):
        year = None

    fmt = data.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool):
        fmt = str(fmt)
    if fmt not in FORMATS:
        fmt = format_for_year(year) if year else "2021"

    schema = validator(f"report-{fmt}.schema.json")
    for err in schema.iter_errors(data):
        where = list(err.absolute_path)
        if where[:1] == ["values"] and (len(where) > 1 or err.validator == "additionalProperties"):
            continue  # single values and unknown keys: the V and F002 rules report these, in more detail
        if err.validator == "type" and err.validator_value == "object" and where in (["values"], ["sections"], ["contact"]):
            pass
        path = ".".join(str(p) for p in where)
        problem = _PROBLEMS.get(err.validator, "不符合规定")
        if err.validator == "required":
            problem = f"缺少必填项：{err.message.split(' ')[0]}"
        elif err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            problem = f"含有未定义的字段：{'、'.join(extra)}"
        elif err.validator == "const" and where == ["format"]:
            problem = f"应为 \"2019\" 或 \"2021\"，实际为 {err.instance!r}"
        elif err.validator == "type":
            problem = f"类型不对：应为{ {'string': '文本', 'integer': '整数', 'object': '对象', 'number': '数字'}.get(err.validator_value, err.validator_value) }，实际为 {err.instance!r}"
        problems.append(_j001(path, problem, err.instance))

    values = data.get("values") if isinstance(data.get("values"), dict) else {}
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    agency = data.get("agency") if isinstance(data.get("agency"), str) else ""
    report = Report.from_values(
        fmt, values, year=year, agency=agency,
        contact={k: str(contact[k]) for k in CONTACT_FIELDS if isinstance(contact.get(k), (str, int))},
        sections={k: v for k, v in sections.items() if isinstance(v, str)},
        **{k: data[k] for k in CLOSING_FIELDS if isinstance(data.get(k), str)},
        source=source,
    )
    report.problems.extend(problems)
    return report


def read_report_json(path: Path) -> Report:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(os_error_message(e, "读取", path)) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows Notepad's “Unicode”: JSON is UTF-8 only
        raise InputError(f"{path}：报告 JSON 应为 UTF-8 编码，这个文件是 UTF-16（记事本的“Unicode”）。"
                         "请用记事本“另存为”并选择编码“UTF-8”后再试。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        cut = e.start >= len(data) - 3 and e.reason == "unexpected end of data"
        raise InputError(f"{path}：不是 UTF-8 编码的文本（第 {e.start} 字节）"
                         + ("：文件在最后一个字的中间结束，可能不完整" if cut else "")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}：第 {e.lineno} 行第 {e.colno} 列不是合法的 JSON（{e.msg}）") from None
    except RecursionError:
        raise InputError(f"{path}：JSON 嵌套过深") from None
    return report_from_json(data, str(path))
