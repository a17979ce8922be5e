"""Plain text as copied from a portal page or extracted from a Word file.

Three shapes are common, and one file uses one of them:

* **pipes** — cells separated by ``|``: one table row per line (``规章 | 0 | 0 | 0 |``),
  or one cell per line ending in ``|``, or cells on their own lines between ``|`` lines;
  ``| |`` is an empty cell;
* **tabs** — Word's text export: each cell on its own line after a tab, a blank line
  between rows, a lone tab for an empty cell;
* **lines** — one cell per line, empty cells lost.

A leading ``key: value`` block ended by ``---`` (the corpus's metadata header) is
skipped: it is not part of the report.
"""

from __future__ import annotations

import codecs
import re

from ..errors import InputError
from .anchors import value_state
from .tokens import BREAK, Token, cell

_HEADER_LINE = re.compile(r"^[A-Za-z_]+:\s?.*$")


def decode_text(data: bytes, where: str) -> tuple[str, str | None]:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    A file cut in the middle of its last character (a download or copy that stopped
    short) is read without that character; the second value then says what was cut
    (the importer reports it as I009). Anything else undecodable is refused.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, rest = _decode_prefix("utf-16", data)
        if text is None:
            raise InputError(f"{where}：UTF-16 文本中有无法解码的字节，文件可能已损坏")
        return text, (f"UTF-16 文本末尾有 {rest} 个字节不成字" if rest else None)
    text, rest = _decode_prefix("utf-8-sig", data)
    if text is not None:
        return text, (f"UTF-8 文本末尾有 {rest} 个字节不成字" if rest else None)
    try:
        return data.decode("gb18030"), None
    except UnicodeDecodeError:
        raise InputError(f"{where}：无法识别文本编码（应为 UTF-8、UTF-16 或 GB18030）") from None


def _decode_prefix(encoding: str, data: bytes) -> tuple[str | None, int]:
    """``(text, bytes left over)``: everything up to the last whole character; ``None``
    if the bytes are not this encoding (an invalid sequence before the end)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        return None, 0
    rest = len(decoder.getstate()[0])
    return text, rest


def decode(data: bytes, where: str) -> str:
    """:func:`decode_text` without the note."""
    return decode_text(data, where)[0]


def strip_header(text: str) -> str:
    """Drop a leading metadata block (``url: …`` lines up to a ``---`` line), if any."""
    lines = text.split("\n", 40)
    for i, line in enumerate(lines[:40]):
        s = line.strip()
        if s == "---" and i > 0:
            return "\n".join(lines[i + 1:]) if len(lines) > 40 else "\n".join(lines[i + 1:])
        if s and not _HEADER_LINE.match(s):
            return text
    return text


def tokenize_text(text: str) -> list[Token]:
    text = strip_header(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("｜", "|"))
    lines = text.split("\n")
    if text.count("|") >= 8:
        return _pipes(text)
    if sum(1 for ln in lines if "\t" in ln.strip(" ")) >= 8:
        return _tabs(lines)
    out: list[Token] = []
    for ln in lines:
        if ln.strip():
            out.extend(split_line(ln))
    return out


def _is_label(text: str) -> bool:
    from ..formats import FORMATS
    from .anchors import label_index

    return any(label_index(f).match(text) is not None for f in FORMATS)


def split_line(line: str) -> list[Token]:
    """A table row typed on one line with spaces between the cells (``规章 0 0 0``,
    ``1 0 0 0 1``) becomes its cells; any other line stays one token. A line is split
    only where everything after the label reads as values, so prose is never cut."""
    words = line.split()
    k = len(words)
    while k > 0 and value_state(words[k - 1]):
        k -= 1
    values = words[k:]
    if not values and len(words) > 1 and all(_is_label(w) for w in words):
        return [Token(w) for w in words]  # a header row: 结果维持 结果纠正 …
    if not values or (k == 0 and len(values) < 2):
        return [Token(" ".join(words))]
    head = words[:k]
    if not head:
        return [Token(v) for v in values]
    text = " ".join(head)
    if _is_label(text):
        return [Token(text)] + [Token(v) for v in values]
    for i in range(1, len(head)):  # 三、本年度办理结果 （一）予以公开 0 0 …
        a, b = " ".join(head[:i]), " ".join(head[i:])
        if _is_label(a) and _is_label(b):
            return [Token(a), Token(b)] + [Token(v) for v in values]
    return [Token(" ".join(words))]


def _pipes(text: str) -> list[Token]:
    out: list[Token] = []
    pieces = text.split("|")
    for i, piece in enumerate(pieces):
        inner = [ln for ln in piece.split("\n") if ln.strip()]
        if not inner:
            if 0 < i < len(pieces) - 1:
                out.append(cell(""))  # | | — an empty cell
            continue
        for ln in inner[:-1]:
            out.append(Token(" ".join(ln.split())))
        out.append(cell(inner[-1]))
    return out


def _tabs(lines: list[str]) -> list[Token]:
    """Word's export (a tab before each cell, a blank line after each row) and rows typed
    with tabs between the cells (``规章<TAB>0<TAB>0``, one row per line)."""
    out: list[Token] = []
    for ln in lines:
        if "\t" in ln:
            parts = ln.split("\t")
            if ln.startswith("\t"):
                parts = parts[1:]  # the tab that starts each cell of Word's export
            out.extend(cell(p) for p in parts)
            if len(parts) > 1 and out and not out[-1].brk:
                out.append(BREAK)
        elif ln.strip():
            out.append(Token(" ".join(ln.split())))
        elif out and not out[-1].brk:
            out.append(BREAK)
    return out
