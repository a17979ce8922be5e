"""Plain text as copied from a portal page or extracted from a Word file.

Three shapes are common, and one file uses one of them:

* **pipes** — cells separated by ``|``: one table row per line (``规章 | 0 | 0 | 0 |``),
  or one cell per line ending in ``|``, or cells on their own lines between ``|`` lines;
  ``| |`` is an empty cell;
* **tabs** — Word's text export: each cell on its own line after a tab, a blank line
  between rows, a lone tab for an empty cell;
* **lines** — one cell per line, empty cells lost.

Text extracted from a PDF (``pdftotext``, copy from a PDF viewer) is the *lines* shape
with page furniture: page numbers (``— 3 —``, ``-4-``, ``第 3 页``, a bare number at the
foot of every page) are dropped first. ``pdftotext -layout`` keeps a table row on one
line with runs of spaces between the cells; such a line is cut at every run of two or
more spaces before its words are read.

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
    (the importer reports it as I012). Anything else undecodable is refused.
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


_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－―_~]+\s*\d{1,3}\s*[-—–－―_~]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3})\s*$")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
#: A gap of two or more spaces between a word and a number: a ``pdftotext -layout`` cell gap.
_LAYOUT_GAP = re.compile(r"\S {2,}[+\-]?\d")


def drop_page_furniture(text: str) -> str:
    """Text without its page numbers: decorated ones (``— 3 —``, ``第 3 页``) anywhere on a
    line of their own, and bare ones (``3``) only where they stand at the foot or head of
    consecutive pages (a form feed, ``\\f``, marks a page end in extracted text) and count
    up page by page — a bare ``0`` at the end of one page is a table value, not a page number."""
    pages = text.split("\f")
    if len(pages) > 1:
        ends: list[tuple[int, int, int]] = []  # (page, line index, number) of a bare number at a page edge
        split = [p.split("\n") for p in pages]
        for n, lines in enumerate(split):
            filled = [i for i, ln in enumerate(lines) if ln.strip()]
            for i in (filled[-1:] + filled[:1]) if filled else []:
                m = _BARE_NUMBER.match(lines[i])
                if m:
                    ends.append((n, i, int(m.group(1))))
        counting = [e for k, e in enumerate(ends)
                    if any(abs(o[2] - e[2]) == abs(o[0] - e[0]) and o[0] != e[0] for o in ends[:k] + ends[k + 1:])]
        for n, i, _ in counting:
            split[n][i] = ""
        text = "\n".join("\n".join(lines) for lines in split)
    return "\n".join("" if _PAGE_NUMBER.match(ln) else ln for ln in text.split("\n"))


def tokenize_text(text: str) -> list[Token]:
    text = strip_header(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("｜", "|"))
    text = drop_page_furniture(text)
    lines = text.split("\n")
    if text.count("|") >= 8:
        return _pipes(text)
    if sum(1 for ln in lines if "\t" in ln.strip(" ")) >= 8:
        return _tabs(lines)
    layout = sum(1 for ln in lines if _LAYOUT_GAP.search(ln)) >= 3
    out: list[Token] = []
    for ln in lines:
        if not ln.strip():
            continue
        for seg in (re.split(r" {2,}|\u3000+", ln.strip()) if layout else [ln]):
            if seg.strip():
                out.extend(split_line(seg))
    return _rejoin_counts(out)


_UNIT_START = re.compile(r"^[件条个项次人名家篇期场份余]")


def _rejoin_counts(tokens: list[Token]) -> list[Token]:
    """A count in a sentence that extraction put on a line of its own (``其他处理`` /
    ``105`` / ``件，分别占……`` — justified text spread over lines) is put back into its
    sentence: a number followed by a unit (件, 条, 项 …) is prose, never a table value."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (out and nxt is not None and value_state(t.text) == "number" and _UNIT_START.match(nxt.text)
                and out[-1].text and not value_state(out[-1].text) and not _is_label(out[-1].text)):
            out[-1] = Token(out[-1].text + t.text + nxt.text)
            i += 2
            continue
        out.append(t)
        i += 1
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
    """Cells between ``|``. Where the table is written one row per line (most lines with
    pipes hold two or more cells), a line end is a row break, not an empty cell; a line
    without pipes inside the table (``第二十条第（五）项``, ``行政处罚 0`` typed plain) is
    read like a line of the *lines* shape."""
    piped = [ln for ln in text.split("\n") if "|" in ln]
    rows = sum(1 for ln in piped if ln.strip().strip("|").count("|") >= 1) > len(piped) / 2
    out: list[Token] = []
    pieces = text.split("|")
    for i, piece in enumerate(pieces):
        inner = [ln for ln in piece.split("\n") if ln.strip()]
        if not inner:
            if rows and "\n" in piece:
                if out and not out[-1].brk:
                    out.append(BREAK)
            elif 0 < i < len(pieces) - 1:
                out.append(cell(""))  # | | — an empty cell
            continue
        lines = piece.split("\n")
        if rows and len(lines) > 1 and lines[0].strip() == "" and out and not out[-1].brk:
            out.append(BREAK)  # the previous row ended at the line end
        plain = inner if rows and lines[-1].strip() == "" else inner[:-1]  # lines not closed by a pipe
        for ln in plain:
            out.extend(split_line(" ".join(ln.split())))
            if rows:
                out.append(BREAK)
        if len(plain) < len(inner):
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
