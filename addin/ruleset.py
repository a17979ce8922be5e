"""Rule sets: loading ``rules/rulesets/*.json``, applying a user overlay, expanding rules.

A rule is data (see ``rules/schemas/ruleset.schema.json``): an id and a name, like
ruff's ``E501 line-too-long``; a severity; the formats it applies to; and either a
formula (``assert``, optionally guarded by ``when``) or a ``builtin`` check done in
Python (value domains, format/year, missing parts). ``for`` expands one rule over
the rows or columns of a table, so one rule covers all seven columns of 表三.

An *overlay* is a user's JSON file that can switch rules off (``disable``), change a
rule's severity (``severity``), or add rules (``rules``) — provinces add their own
requirements this way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from . import formula
from .errors import InputError
from .formats import FORMATS, Format, load_format
from .resources import rules_dir


class RuleSetError(InputError):
    """A rule file or overlay that cannot be used; the message says where and why (exit code 2)."""


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    title: str
    message: str
    why: str
    fix: str
    source: str
    hint: str = ""
    kind: str = "formula"
    check: str = ""
    formats: tuple[str, ...] = FORMATS
    expand: tuple[tuple[str, Any], ...] = ()
    when: str = ""
    assert_: str = ""
    computed: str = ""
    empty: str = "zero"
    tolerance: float = 0
    origin: str = ""

    @classmethod
    def from_json(cls, d: dict, origin: str) -> "Rule":
        return cls(
            id=d["id"], name=d["name"], severity=d["severity"], title=d["title"], message=d["message"],
            why=d.get("why", ""), fix=d.get("fix", ""), source=d.get("source", ""), hint=d.get("hint", ""),
            kind=d.get("kind", "formula"), check=d.get("check", ""), formats=tuple(d.get("formats", FORMATS)),
            expand=tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in d.get("for", {}).items()),
            when=d.get("when", ""), assert_=d.get("assert", ""), computed=d.get("computed", ""),
            empty=d.get("empty", "zero"), tolerance=d.get("tolerance", 0), origin=origin,
        )


@dataclass(frozen=True)
class Check:
    """One expanded instance of a formula rule, ready to evaluate on a report."""

    rule: Rule
    when: Any
    assertion: Any
    message: str
    refs: tuple[str, ...]
    computed: str = ""
    bindings: tuple[tuple[str, str], ...] = ()
    run_when: Any = None  # compiled closures of when / assertion / its two sides
    run_assert: Any = None
    run_sides: Any = None


@dataclass
class RuleSet:
    rules: list[Rule] = field(default_factory=list)

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id or r.name == rule_id), None)

    def for_format(self, fmt: str) -> list[Rule]:
        return [r for r in self.rules if fmt in r.formats]


def _schema_errors(data: Any, schema: str, where: str) -> None:
    from .schemas import validator  # jsonschema: only for files a user supplies (overlays)

    errors = sorted(validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        path = "/".join(str(p) for p in e.absolute_path) or "（顶层）"
        raise RuleSetError(f"{where}：位置 {path} 不符合规则文件格式：{e.message}（共 {len(errors)} 处问题）")


def _read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RuleSetError(f"找不到{what}文件：{path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise RuleSetError(f"无法读取{what}文件 {path}：{e}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise RuleSetError(f"{what}文件 {path} 第 {e.lineno} 行第 {e.colno} 列不是合法的 JSON：{e.msg}") from None


@cache
def builtin_rules() -> RuleSet:
    rules: list[Rule] = []
    for path in sorted((rules_dir() / "rulesets").glob("*.json")):
        data = _read_json(path, "规则")  # shipped files: checked against the schema by the tests
        rules.extend(Rule.from_json(r, path.name) for r in data["rules"])
    _check_unique(rules)
    for r in rules:
        compile_rule(r)  # a broken formula in a shipped rule set is a bug: fail loudly
    return RuleSet(rules)


def _check_unique(rules: list[Rule]) -> None:
    seen: dict[str, Rule] = {}
    for r in rules:
        for ident in (r.id, r.name):
            if ident in seen:
                raise RuleSetError(f"规则编号或名称重复：{ident}（{seen[ident].origin} 与 {r.origin}）")
            seen[ident] = r


def load_rules(overlay: str | Path | None = None) -> RuleSet:
    """The shipped rules, with the user's overlay file applied if given."""
    base = builtin_rules()
    if overlay is None:
        return base
    path = Path(overlay)
    data = _read_json(path, "规则覆盖")
    _schema_errors(data, "overlay.schema.json", f"规则覆盖文件 {path.name}")
    known = {r.id for r in base.rules} | {r.name for r in base.rules}
    for ident in list(data.get("disable", [])) + list(data.get("severity", {})):
        if ident not in known:
            raise RuleSetError(f"规则覆盖文件 {path.name}：没有编号或名称为“{ident}”的规则")
    disabled = set(data.get("disable", []))
    sev = data.get("severity", {})
    rules = []
    for r in base.rules:
        if r.id in disabled or r.name in disabled:
            continue
        new_sev = sev.get(r.id) or sev.get(r.name)
        rules.append(replace(r, severity=new_sev) if new_sev else r)
    added = [Rule.from_json(d, path.name) for d in data.get("rules", [])]
    for r in added:
        if r.kind == "builtin":
            raise RuleSetError(f"规则覆盖文件 {path.name}：新增规则 {r.id} 不能是 builtin，只能用公式（assert）")
        try:
            compile_rule(r)
        except formula.FormulaError as e:
            raise RuleSetError(f"规则覆盖文件 {path.name}：规则 {r.id} 的公式有误：{e}") from None
    _check_unique(rules + added)
    return RuleSet(rules + added)


_PLACEHOLDER = re.compile(r"\{([a-z_]+)(\.label)?\}")


def _bindings(rule: Rule, fmt: Format) -> list[dict[str, tuple[str, str]]]:
    combos: list[dict[str, tuple[str, str]]] = [{}]
    for var, source in rule.expand:
        if isinstance(source, str):
            table_key, what = source.split(".")
            table = fmt.table(table_key)
            items = [(x.key, x.short) for x in (table.rows if what == "rows" else table.columns)]
        else:
            items = [(k, k) for k in source]
        combos = [{**c, var: item} for c in combos for item in items]
    return combos


def _substitute(text: str, binding: dict[str, tuple[str, str]]) -> str:
    def repl(m: re.Match) -> str:
        var, label = m.group(1), m.group(2)
        if var not in binding:
            return m.group(0)
        return binding[var][1] if label else binding[var][0]

    return _PLACEHOLDER.sub(repl, text)


@cache
def _compile(rule: Rule, fmt_key: str) -> tuple[Check, ...]:
    fmt = load_format(fmt_key)

    def groups(table: str, name: str) -> list[str]:
        try:
            return list(fmt.table(table).groups[name])
        except (StopIteration, KeyError):
            raise formula.FormulaError(f"表 {table} 没有名为 {name} 的组") from None

    checks = []
    for b in _bindings(rule, fmt):
        when = formula.parse(_substitute(rule.when, b), groups) if rule.when else None
        assertion = formula.parse(_substitute(rule.assert_, b), groups)
        refs = formula.references(assertion) + (formula.references(when) if when else [])
        sides = ((formula.compile_formula(assertion[2]), formula.compile_formula(assertion[3]))
                 if assertion[0] == "cmp" else None)
        checks.append(Check(
            rule, when, assertion, _substitute(rule.message, b), tuple(dict.fromkeys(refs)),
            _substitute(rule.computed, b) if rule.computed else "", tuple(b.items()),
            formula.compile_formula(when) if when else None, formula.compile_formula(assertion), sides,
        ))
    return tuple(checks)


def compile_rule(rule: Rule, fmt_key: str | None = None) -> list[Check]:
    """Expand and parse a formula rule for one format (or check it parses for all of its formats)."""
    if rule.kind != "formula":
        return []
    out: list[Check] = []
    for f in ([fmt_key] if fmt_key else rule.formats):
        if f in rule.formats:
            out.extend(_compile(rule, f))
    return out


def computed_cells(fmt_key: str) -> dict[str, list[str]]:
    """``{total key: [part keys]}`` for every rule marked ``computed``: the cells the
    template fills with a live formula, and what each sums."""
    out: dict[str, list[str]] = {}
    for rule in builtin_rules().for_format(fmt_key):
        for check in compile_rule(rule, fmt_key):
            if check.computed:
                out[check.computed] = [k for k in check.refs if k != check.computed]
    return out


def explain(rule: Rule) -> str:
    """The text of ``nianbao rule <id>``: what, why, how to fix, source."""
    lines = [
        f"{rule.id} {rule.name}  [{ {'error': '错误', 'warning': '警告', 'info': '提示'}[rule.severity] }]",
        "",
        f"规则：{rule.title}",
        f"适用格式：{'、'.join(f'{f} 年格式' for f in rule.formats)}",
    ]
    if rule.kind == "formula":
        if rule.expand:
            lines.append("展开：" + "，".join(f"{{{v}}} 取 {s if isinstance(s, str) else '、'.join(s)}" for v, s in rule.expand))
        if rule.when:
            lines.append(f"前提：{rule.when}")
        lines.append(f"公式：{rule.assert_}")
    else:
        lines.append("检查：内置检查（见 addin/checks.py）")
    lines += ["", "为什么：", f"  {rule.why}", "", "怎么改：", f"  {rule.fix}"]
    if rule.hint:
        lines += ["", f"提示：{rule.hint}"]
    lines += ["", f"依据：{rule.source}", f"定义于：rules/rulesets/{rule.origin}"]
    return "\n".join(lines)


def rules_markdown(rules: RuleSet) -> str:
    """``docs/rules.md``: one section per rule, generated from the rule files."""
    sev = {"error": "错误", "warning": "警告", "info": "提示"}
    out = ["# 校验规则一览", "",
           "本页由 `nianbao rule --markdown` 从 `rules/rulesets/*.json` 生成，请勿手工修改。", "",
           "| 编号 | 名称 | 级别 | 格式 | 规则 |", "|---|---|---|---|---|"]
    for r in rules.rules:
        out.append(f"| [{r.id}](#{r.id.lower()}) | `{r.name}` | {sev[r.severity]} | {'、'.join(r.formats)} | {r.title} |")
    for r in rules.rules:
        out += ["", f"## {r.id}", "", f"**{r.title}**（`{r.name}`，{sev[r.severity]}，适用于 {'、'.join(r.formats)} 年格式）", ""]
        if r.kind == "formula":
            if r.when:
                out.append(f"- 前提：`{r.when}`")
            out.append(f"- 公式：`{r.assert_}`")
            if r.expand:
                out.append("- 展开：" + "，".join(f"`{{{v}}}` 取 {s if isinstance(s, str) else '、'.join(s)}"
                                                  for v, s in r.expand))
        else:
            out.append(f"- 内置检查：`{r.check}`")
        out += [f"- 消息：{r.message}", "", f"为什么：{r.why}", "", f"怎么改：{r.fix}", "", f"依据：{r.source}"]
    return "\n".join(out) + "\n"
