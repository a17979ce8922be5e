"""A small, safe language for rule formulas — parsed here, never handed to ``eval``.

A formula is an expression over cell keys::

    t3.new.natural + t3.carried.natural == t3.total.natural + t3.forward.natural
    sum(t3.[outcomes].natural) == t3.total.natural
    t2.fees.amount > 0 and not contains(s6, "信息处理费")
    prev.t3.forward.legal == t3.carried.legal

* a *reference* is a cell key (``t3.new.natural``), a section (``s1``…``s6``), a
  report field (``year``, ``format``, ``agency``) or any of these on last year's
  report (``prev.…``);
* ``[group]`` inside a reference stands for every member of a group the format
  defines (``t3.[applicants].total``) and may only appear inside ``sum``, ``min``,
  ``max``, ``count``;
* numbers, ``"strings"``, ``+ - * /``, comparisons, ``and or not`` and the functions
  in :data:`FUNCTIONS`.

:func:`parse` builds a tree of plain tuples; :func:`compile_formula` turns it into a
closure run against a resolver that returns the value of a reference
(:func:`evaluate` does both at once).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable, Iterable

__all__ = ["FormulaError", "parse", "evaluate", "references", "FUNCTIONS"]


class FormulaError(ValueError):
    """A formula that cannot be parsed or evaluated."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?)
    | (?P<str>"[^"\\]*")
    | (?P<ref>[A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|\[[A-Za-z_][A-Za-z0-9_]*\]))*)
    | (?P<op>==|!=|<=|>=|[-+*/()<>,])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_LIST_FUNCS = {"sum", "min", "max", "count"}


def _d(x: Any) -> Any:
    return Decimal(str(x)) if isinstance(x, float) else x


def _text(v: Any) -> str:
    return "" if v is None else v if isinstance(v, str) else str(v)


def _numbers(args: Iterable[Any]) -> list:
    out = []
    for a in args:
        out.extend(a if isinstance(a, list) else [a])
    return [_d(a) for a in out if a is not None]


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sum": lambda *a: sum(_numbers(a), 0),
    "min": lambda *a: min(_numbers(a), default=None),
    "max": lambda *a: max(_numbers(a), default=None),
    "count": lambda *a: len(_numbers(a)),
    "abs": lambda x: abs(_d(x)) if x is not None else None,
    "len": lambda s: len(_text(s)),
    "contains": lambda s, *words: any(_text(w) in _text(s) for w in words),
}
_ARITY = {"abs": (1, 1), "len": (1, 1), "contains": (2, 99)}


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"公式第 {pos + 1} 个字符无法识别：{text[pos:pos + 12]!r}")
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind)
        if kind == "ref" and value in _KEYWORDS:
            kind = "kw"
        tokens.append((kind, value))
    tokens.append(("end", ""))
    return tokens


class _Parser:
    def __init__(self, text: str, groups: Callable[[str, str], list[str]] | None):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0
        self.groups = groups
        self.list_depth = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i]

    def take(self, value: str | None = None, kind: str | None = None) -> tuple[str, str]:
        tok = self.tokens[self.i]
        if (value is not None and tok[1] != value) or (kind is not None and tok[0] != kind):
            want = value or kind
            raise FormulaError(f"公式“{self.text}”：此处应为 {want!r}，实际为 {tok[1] or '结尾'!r}")
        self.i += 1
        return tok

    def parse(self):
        node = self.or_()
        self.take(kind="end")
        return node

    def or_(self):
        node = self.and_()
        while self.peek() == ("kw", "or"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.not_()
        while self.peek() == ("kw", "and"):
            self.take()
            node = ("and", node, self.not_())
        return node

    def not_(self):
        if self.peek() == ("kw", "not"):
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self):
        node = self.additive()
        if self.peek()[1] in ("==", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            node = ("cmp", op, node, self.additive())
            if self.peek()[1] in ("==", "!=", "<", "<=", ">", ">="):
                raise FormulaError(f"公式“{self.text}”：比较不能连写")
        return node

    def additive(self):
        node = self.term()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = ("bin", op, node, self.term())
        return node

    def term(self):
        node = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.peek()
        if kind == "num":
            self.take()
            return ("num", Decimal(value) if "." in value else int(value))
        if kind == "str":
            self.take()
            return ("str", value[1:-1])
        if kind == "kw" and value in ("true", "false"):
            self.take()
            return ("bool", value == "true")
        if value == "(":
            self.take()
            node = self.or_()
            self.take(")")
            return node
        if kind == "ref":
            self.take()
            if self.peek()[1] == "(":
                return self.call(value)
            return self.ref(value)
        raise FormulaError(f"公式“{self.text}”：此处不应出现 {value or '结尾'!r}")

    def call(self, name: str):
        if name not in FUNCTIONS:
            raise FormulaError(f"公式“{self.text}”：未知函数 {name}()")
        self.take("(")
        args = []
        if name in _LIST_FUNCS:
            self.list_depth += 1
        if self.peek()[1] != ")":
            args.append(self.or_())
            while self.peek()[1] == ",":
                self.take()
                args.append(self.or_())
        if name in _LIST_FUNCS:
            self.list_depth -= 1
        self.take(")")
        lo, hi = _ARITY.get(name, (1, 999))
        if not lo <= len(args) <= hi:
            raise FormulaError(f"公式“{self.text}”：{name}() 的参数个数不对")
        return ("call", name, args)

    def ref(self, name: str):
        if "[" not in name:
            return ("ref", name)
        if not self.list_depth:
            raise FormulaError(f"公式“{self.text}”：组引用 {name} 只能用在 sum/min/max/count 中")
        if self.groups is None:
            raise FormulaError(f"公式“{self.text}”：没有可用的格式定义来展开 {name}")
        return ("refs", tuple(_expand_groups(name, self.groups)))


def _expand_groups(name: str, groups: Callable[[str, str], list[str]]) -> list[str]:
    parts = name.split(".")
    table = parts[1] if parts[0] == "prev" else parts[0]
    keys = [""]
    for part in parts:
        if part.startswith("["):
            members = groups(table, part[1:-1])
            keys = [f"{k}.{m}" if k else m for k in keys for m in members]
        else:
            keys = [f"{k}.{part}" if k else part for k in keys]
    return keys


def parse(text: str, groups: Callable[[str, str], list[str]] | None = None):
    """Parse ``text`` into a tree; ``groups(table, name)`` lists a group's members."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("公式为空")
    if len(text) > 4000:
        raise FormulaError("公式过长")
    try:
        return _Parser(text, groups).parse()
    except RecursionError:
        raise FormulaError("公式嵌套过深") from None


def references(node) -> list[str]:
    """Every reference in a parsed formula, in order, without repeats."""
    out: list[str] = []

    def walk(n):
        tag = n[0]
        if tag == "ref":
            out.append(n[1])
        elif tag == "refs":
            out.extend(n[1])
        elif tag in ("or", "and"):
            walk(n[1])
            walk(n[2])
        elif tag in ("not", "neg"):
            walk(n[1])
        elif tag in ("cmp", "bin"):
            walk(n[2])
            walk(n[3])
        elif tag == "call":
            for a in n[2]:
                walk(a)

    walk(node)
    return list(dict.fromkeys(out))


def _num(v: Any, what: str) -> Any:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, Decimal, float)):
        raise FormulaError(f"{what} 不是数字：{v!r}")
    return _d(v)


def evaluate(node, resolve: Callable[[str], Any]) -> Any:
    """Evaluate a parsed formula once. ``resolve(ref)`` gives a reference's value.

    Arithmetic with a missing value (``None``) gives ``None``; a comparison with
    ``None`` on either side is ``None`` (not decided) — callers decide what an
    undecided rule means. Anything that cannot be computed (text in arithmetic, an
    overflow) is a :class:`FormulaError`, never another exception. Rules evaluated
    many times keep the closure of :func:`compile_formula` instead.
    """
    try:
        return compile_formula(node)(resolve)
    except RecursionError:
        raise FormulaError("公式嵌套过深") from None


def compile_formula(node) -> Callable[[Callable[[str], Any]], Any]:
    """Turn a parsed formula into a Python closure: built once per rule, run for every
    report (batch review, the server). Semantics as described in :func:`evaluate`.

    Still no ``eval``: the closure is built from the tree's own nodes.
    """
    fn = _compile(node)

    def run(resolve: Callable[[str], Any]) -> Any:
        try:
            return fn(resolve)
        except FormulaError:
            raise
        except (ArithmeticError, TypeError, ValueError) as e:
            raise FormulaError(f"无法计算：{e}") from None
        except RecursionError:
            raise FormulaError("公式嵌套过深") from None

    return run


_CMP = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


def _compile(node):  # noqa: C901 - one branch per node kind
    tag = node[0]
    if tag in ("num", "str", "bool"):
        value = node[1]
        return lambda resolve: value
    if tag == "ref":
        key = node[1]
        return lambda resolve: resolve(key)
    if tag == "refs":
        keys = node[1]
        return lambda resolve: [resolve(k) for k in keys]
    if tag == "neg":
        inner = _compile(node[1])

        def neg(resolve):
            v = _num(inner(resolve), "取负")
            return None if v is None else -v

        return neg
    if tag == "bin":
        op, left, right = node[1], _compile(node[2]), _compile(node[3])

        def binary(resolve):
            a, b = _num(left(resolve), op), _num(right(resolve), op)
            if a is None or b is None:
                return None
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            return None if b == 0 else Decimal(a) / Decimal(b)

        return binary
    if tag == "cmp":
        op, left, right = _CMP[node[1]], _compile(node[2]), _compile(node[3])

        def compare(resolve):
            a, b = left(resolve), right(resolve)
            if a is None or b is None:
                return None
            if isinstance(a, float) or isinstance(b, float):
                a, b = _d(a), _d(b)
            try:
                return op(a, b)
            except TypeError:
                raise FormulaError(f"无法比较 {a!r} 与 {b!r}") from None

        return compare
    if tag == "not":
        inner = _compile(node[1])

        def negate(resolve):
            v = inner(resolve)
            return None if v is None else not v

        return negate
    if tag in ("and", "or"):
        left, right = _compile(node[1]), _compile(node[2])
        short = tag == "or"  # `or` stops at True, `and` at False

        def logical(resolve):
            a = left(resolve)
            if a is short:
                return short
            b = right(resolve)
            if b is short:
                return short
            return None if a is None or b is None else not short

        return logical
    if tag == "call":
        func, args = FUNCTIONS[node[1]], [_compile(a) for a in node[2]]

        def call(resolve):
            return func(*[a(resolve) for a in args])

        return call
    raise FormulaError(f"未知节点 {tag}")
