"""Checks against last year's report that are not arithmetic: copied prose.

Evaluators list "年报与去年重复率高" among the typical faults (format-spec §4 rule 16).
The share is measured on character shingles of the prose sections 一、五、六: the
fraction of this year's 5-character pieces that also occur in last year's, with
digits masked so that a text copied with the year and the figures updated still
counts as copied.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..findings import Finding
from ..model import Report

#: Prose sections compared.
PROSE = ("s1", "s5", "s6")
#: Shingle length in characters.
SHINGLE = 5
#: Share of copied shingles from which X006 warns.
THRESHOLD = 0.8
#: Shorter prose than this (characters) is not compared: “无” copied is not copying.
MIN_CHARS = 80

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def _text(report: Report) -> str:
    raw = "".join(report.sections.get(k, "") or "" for k in PROSE)
    t = unicodedata.normalize("NFKC", raw)
    t = re.sub(r"\d+", "0", t)
    return _DROP.sub("", t)


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    return {text[i:i + n] for i in range(max(0, len(text) - n + 1))}


def copied_share(report: Report, prev: Report) -> float | None:
    """Share of this year's prose shingles found in last year's prose (``None`` if too short)."""
    a, b = _text(report), _text(prev)
    if len(a) < MIN_CHARS or len(b) < MIN_CHARS:
        return None
    mine = shingles(a)
    return len(mine & shingles(b)) / len(mine) if mine else None


def prose_copied(rule, report: Report, prev: Report | None = None) -> Iterator[Finding]:
    if prev is None:
        return
    share = copied_share(report, prev)
    if share is None or share < THRESHOLD:
        return
    msg = rule.message.format(share=f"{share:.0%}", threshold=f"{THRESHOLD:.0%}")
    yield Finding(rule=rule.id, severity=rule.severity, message=msg, cells=list(PROSE),
                  locations=["正文"], expected=THRESHOLD, actual=round(share, 3), hint=rule.hint, name=rule.name)
