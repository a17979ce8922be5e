"""Every reader rule of rules/rulesets/import.json fires on a published text that has
the problem, with its severity from the rule set, and stays quiet on a clean one."""

import random
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "import"))
from published import render_text  # noqa: E402

from addin.examples import random_report  # noqa: E402
from addin.importers import import_report  # noqa: E402
from addin.importers.assemble import assemble  # noqa: E402
from addin.importers.text import tokenize_text  # noqa: E402
from addin.ruleset import builtin_rules, load_rules  # noqa: E402
from addin.validate import validate  # noqa: E402


def report(fmt="2021", **kw):
    return random_report(fmt, random.Random(8))


def text(fmt="2021", style="rows", **kw):
    return render_text(report(fmt), style, **kw)


def cut(t: str, after: str) -> str:
    return t[: t.index(after) + len(after)]


def no_labels_at_all(t: str) -> str:
    """Only 表四 survives: its header has no format-specific label."""
    return t[: t.index("二、")] + t[t.index("四、"):]


CASES = {
    "I001": lambda: text(tables=("t2", "t3")),
    "I002": lambda: cut(text(), "5.属于三类内部事务信息 |"),
    "I003": lambda: text("2019", extra_rows={"t2": (4, ["其他主动公开文件", "3", "5", "9"])}),
    "I004": lambda: _short_row(),
    "I005": lambda: no_labels_at_all(text()),
    "I006": lambda: text("2021", "lines").replace("\n规章\n", "\n  \n", 1),
    "I007": lambda: text("2021", "rows").replace("\n行政许可 | ", "\n行政许可 | 7 | ", 1),
    "I008": lambda: _subtotal_column(),
    "I010": lambda: _labels_after_values(),
    "I011": lambda: text("2021", "rows").replace("\n规章 | ", "\n规章 | 00", 1),
    "I009": lambda: cut(text(), "5.属于三类内部事务信息 |"),  # cut before 五、六
    "I012": lambda: text().encode("utf-8")[:-2],  # a download cut inside its last character
}


def _labels_after_values() -> str:
    """表三 as pdftotext prints vertically centred labels: each row's numbers first, its label after."""
    lines = text("2021", "lines").split("\n")
    start = lines.index("一、本年新收政府信息公开申请数量")
    end = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    out, label = lines[:start], None
    for line in lines[start:end]:
        if line.strip().lstrip("+-").isdigit():
            out.append(line)
            continue
        if label is not None:
            out.append(label)
        label = line
    out.append(label)
    return "\n".join(out + lines[end:])


def _subtotal_column() -> str:
    """表三 with a 小计 column added after 其他 (a value 99 in every row)."""
    lines = []
    in_t3 = False
    for line in text("2021", "rows").split("\n"):
        in_t3 = in_t3 or line.startswith("三、收到")
        if line.startswith("四、政府信息公开"):
            in_t3 = False
        cells = line.removesuffix(" |").split(" | ")
        if in_t3 and cells[0] == "商业企业":
            cells.append("小计")
        elif in_t3 and len(cells) >= 8 and cells[-1].isdigit():
            cells.insert(len(cells) - 1, "99")
        lines.append(" | ".join(cells) + (" |" if line.endswith(" |") else ""))
    return "\n".join(lines)


def _short_row() -> str:
    t = text("2021", "lines")
    lines = t.split("\n")
    i = lines.index("一、本年新收政府信息公开申请数量")
    del lines[i + 3]  # one value of the row lost (as copying a page loses an empty cell)
    return "\n".join(lines)


def imported(t: str | bytes):
    """The report in a published text; bytes are read as a file is (their encoding checked)."""
    if isinstance(t, bytes):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "报告.txt"
            path.write_bytes(t)
            return import_report(path)
    return assemble(tokenize_text(t))


#: Reader rules only a PDF can raise; their fire/quiet tests are in test_import_pdf.py.
PDF_ONLY = {"I020"}


def test_every_import_rule_has_a_case():
    ids = {r.id for r in builtin_rules().rules if r.origin == "import.json"}
    assert ids - PDF_ONLY == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_fires(rule_id):
    rep = imported(CASES[rule_id]())
    found = [f for f in validate(rep) if f.rule == rule_id]
    assert found, f"{rule_id} did not fire; got {[p.rule for p in rep.problems]}"
    rule = builtin_rules().get(rule_id)
    assert all(f.severity == rule.severity and f.message and "{" not in f.message for f in found)


@pytest.mark.parametrize("rule_id", sorted(CASES))
@pytest.mark.parametrize("fmt", ["2019", "2021"])
@pytest.mark.parametrize("style", ["rows", "lines", "tabs"])
def test_quiet_on_a_clean_text(rule_id, fmt, style):
    rep = imported(text(fmt, style).encode("utf-8") if rule_id == "I012" else text(fmt, style))
    assert [f for f in validate(rep) if f.rule == rule_id] == []


def test_overlay_can_switch_a_reader_rule_off(tmp_path):
    overlay = tmp_path / "o.json"
    overlay.write_text('{"disable": ["I001"]}', encoding="utf-8")
    rep = imported(CASES["I001"]())
    assert [f for f in validate(rep, load_rules(overlay)) if f.rule == "I001"] == []
