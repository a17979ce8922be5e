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

import re

from ..errors import InputError
from .tokens import BREAK, Token, cell

_HEADER_LINE = re.compile(r"^[A-Za-z_]+:\s?.*$")


def decode(data: bytes, where: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(f"{where}：无法识别文本编码（应为 UTF-8 或 GB18030）") from None


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
    text = strip_header(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", ""))
    lines = text.split("\n")
    if text.count("|") >= 8:
        return _pipes(text)
    if sum(1 for ln in lines if ln.startswith("\t")) >= 8:
        return _tabs(lines)
    return [Token(" ".join(ln.split())) for ln in lines if ln.strip()]


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
    out: list[Token] = []
    for ln in lines:
        if ln.startswith("\t"):
            for part in ln[1:].split("\t"):
                out.append(cell(part))
        elif ln.strip():
            out.append(Token(" ".join(ln.split())))
        elif out and not out[-1].brk:
            out.append(BREAK)
    return out
