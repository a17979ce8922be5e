"""The common shape every published source is reduced to: a stream of tokens.

A token is one table cell or one line of prose, in reading order. A cell that is
known to be empty (an empty ``<td>``, an empty Word cell, ``| |`` in copied text) is
an *empty* token, because its position matters; a line break between table rows,
where the source shows one, is a *break*. Text copied from a page often loses the
empty cells and the row breaks: the anchoring in :mod:`.assemble` copes with both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..formats import FORMATS
from .anchors import label_index, norm, value_state

#: How far a label broken over lines is looked for (tokens after its first fragment).
JOIN_REACH = 12


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    empty: bool = False  # an explicitly empty cell
    brk: bool = False  # end of a table row

    def __repr__(self) -> str:  # short, for debugging and test failures
        return "BRK" if self.brk else ("∅" if self.empty else repr(self.text))


BREAK = Token("", brk=True)
EMPTY = Token("", empty=True)


def cell(text: str) -> Token:
    """A table cell: empty when it holds nothing but whitespace."""
    t = " ".join(text.split())
    return Token(t) if t else EMPTY


@cache
def _labels() -> frozenset[str]:
    return frozenset().union(*(label_index(f).exact for f in FORMATS))


@cache
def _prefixes() -> frozenset[str]:
    return frozenset(lab[:i] for lab in _labels() for i in range(1, len(lab)))


@cache
def _spanning() -> frozenset[str]:
    """Labels of cells that span rows or columns (三、本年度办理结果, （四）无法提供, 申请人情况 …):
    text extracted from a PDF prints them on whatever line their middle falls."""
    out = set()
    for f in FORMATS:
        for n, lab in label_index(f).exact.items():
            if lab.kind in ("group", "header", "t4"):
                out.add(n)
    return frozenset(out)


def _join(tokens: list[Token], i: int) -> tuple[list[Token], int] | None:
    """A row label broken over two or more lines, starting at ``tokens[i]``: its fragments
    joined, and the values printed between them (``pdftotext -layout`` puts a row's numbers
    on the middle line of its wrapped label) moved after it. ``None`` if the fragments do
    not make one label."""
    labels, prefixes, spanning = _labels(), _prefixes(), _spanning()
    text, parts = norm(tokens[i].text), [tokens[i].text]
    values: list[Token] = []
    moved: list[Token] = []
    j = i + 1
    while j < len(tokens) and j - i <= JOIN_REACH:
        t = tokens[j]
        if t.brk:
            break
        if t.empty or value_state(t.text):
            if values and not (tokens[j - 1].empty or value_state(tokens[j - 1].text)):
                return None  # a second run of values: the label's row has ended
            values.append(t)
            j += 1
            continue
        n = norm(t.text)
        if text + n in labels:
            return [*moved, Token("".join(parts) + t.text), *values], j + 1
        if text + n in prefixes:
            text += n
            parts.append(t.text)
        elif n in spanning and n not in prefixes:
            moved.append(t)  # a spanning cell printed between the fragments
        elif len(n) <= 2 and n not in labels:
            pass  # a piece of a vertical label (度办, 理结): dropped
        else:
            return None
        j += 1
    return None


def merge_split_labels(tokens: list[Token]) -> list[Token]:
    """Join a label that the source broke over lines (``本年新`` + ``制作数量``;
    ``5.要求行政机关确`` + ``认或重新出具已获`` + ``取信息``), see :func:`_join`."""
    labels, prefixes = _labels(), _prefixes()
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if out and tok.text and out[-1].text and not tok.empty:
            a, b = norm(out[-1].text), norm(tok.text)
            if a + b in labels and (a not in labels or b not in labels) and len(a) <= 12:
                out[-1] = Token(out[-1].text + tok.text)
                i += 1
                continue
        if tok.text and not tok.empty and not tok.brk:
            n = norm(tok.text)
            if n in prefixes and n not in labels:
                joined = _join(tokens, i)
                if joined is not None:
                    out.extend(joined[0])
                    i = joined[1]
                    continue
        out.append(tok)
        i += 1
    return out
