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
from .anchors import label_index, norm


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


def merge_split_labels(tokens: list[Token]) -> list[Token]:
    """Join a label that the source broke over two lines (``本年新`` + ``制作数量``)."""
    labels = _labels()
    out: list[Token] = []
    for tok in tokens:
        if out and tok.text and out[-1].text and not tok.empty:
            a, b = norm(out[-1].text), norm(tok.text)
            if a + b in labels and (a not in labels or b not in labels) and len(a) <= 12:
                out[-1] = Token(out[-1].text + tok.text)
                continue
        out.append(tok)
    return out
