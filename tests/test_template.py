"""The Excel template: committed copies match the generator, every key has its name,
the official merged layout, protection, validation, live totals (recalculated by
LibreOffice with no Python involved)."""

import random
import re

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from addin.cli import main
from addin.examples import random_report
from addin.formats import FORMATS, load_format
from addin.layout import GRID_TOP, defined_name, grid_to_cell, template_locations
from addin.readers.cells import META_NAMES, STATUS_NAME
from addin.readers.workbook import read_workbook
from addin.ruleset import builtin_rules, computed_cells
from addin.template import FINDINGS_HEADER, build_template, committed_template, template_parts, workbook_bytes
from addin.validate import validate
from addin.writers.workbook import write_workbook

SHEETS = ["基本信息", "正文", "表二", "表三", "表四", "校验结果", "填写说明"]


@pytest.fixture(scope="module", params=FORMATS)
def fmt_wb(request):
    return request.param, build_template(request.param)


def _cell(wb, location):
    sheet, coord = location.split("!")
    return wb[sheet][coord]


def _dest(wb, name):
    dn = wb.defined_names[name]
    sheet, coord = dn.attr_text.rsplit("!", 1)
    return sheet.strip("'"), coord.replace("$", ""), dn.attr_text


@pytest.mark.parametrize("fmt", FORMATS)
def test_committed_template_equals_fresh_output(fmt):
    committed = template_parts(committed_template(fmt).read_bytes())
    fresh = template_parts(workbook_bytes(build_template(fmt)))
    assert sorted(committed) == sorted(fresh)
    for part in fresh:
        assert committed[part] == fresh[part], f"{part} differs: run nianbao template --format {fmt} -o ... --force"


def test_output_is_deterministic():
    assert workbook_bytes(build_template("2021")) == workbook_bytes(build_template("2021"))
    props = build_template("2019").properties
    assert props.created == props.modified and props.creator


def test_sheet_order(fmt_wb):
    _, wb = fmt_wb
    assert wb.sheetnames == SHEETS


def test_every_key_has_a_name_at_the_layout_location(fmt_wb):
    fmt, wb = fmt_wb
    spec = load_format(fmt)
    locations = template_locations(spec)
    assert set(locations) == set(spec.keys)
    for key in spec.keys:
        sheet, coord, text = _dest(wb, defined_name(key))
        assert f"{sheet}!{coord}" == locations[key]
        assert re.fullmatch(r"'[^']+'!\$[A-Z]+\$\d+", text), text  # quoted sheet, absolute reference
        assert wb.defined_names[defined_name(key)].localSheetId is None  # workbook-scoped


def test_meta_and_status_names(fmt_wb):
    fmt, wb = fmt_wb
    for name in [*META_NAMES.values(), STATUS_NAME]:
        sheet, coord, _ = _dest(wb, name)
        assert sheet in ("基本信息", "正文")
    sheet, coord, _ = _dest(wb, META_NAMES["format"])
    assert wb[sheet][coord].value == fmt
    sheet, coord, _ = _dest(wb, STATUS_NAME)
    assert wb[sheet][coord].value is None
    for section in load_format(fmt).sections:  # 正文: heading above each section's input cell
        sheet, coord, _ = _dest(wb, META_NAMES[section.key])
        r, c = coordinate_to_tuple(coord)
        assert wb[sheet].cell(r - 1, c).value.startswith(section.heading)
        assert wb[sheet][coord].alignment.wrap_text


def test_table_titles_notes_and_labels(fmt_wb):
    fmt, wb = fmt_wb
    for table in load_format(fmt).tables:
        ws = wb[table.sheet]
        assert ws["A1"].value == table.heading
        assert ws["A2"].value.startswith("单位：")
        for cell in table.grid().cells:
            if cell.role != "data":
                r, c = grid_to_cell(cell.row, cell.col)
                assert ws.cell(r, c).value == cell.text
    assert "万元" in wb["表二"]["A2"].value


def _merged(ws):
    return {str(m) for m in ws.merged_cells.ranges}


def test_merged_cells_follow_the_grid(fmt_wb):
    fmt, wb = fmt_wb
    for table in load_format(fmt).tables:
        merged = _merged(wb[table.sheet])
        expected = set()
        for cell in table.grid().cells:
            if cell.rowspan > 1 or cell.colspan > 1:
                top, left = grid_to_cell(cell.row, cell.col)
                ref = f"{openpyxl.utils.get_column_letter(left)}{top}:" \
                      f"{openpyxl.utils.get_column_letter(left + cell.colspan - 1)}{top + cell.rowspan - 1}"
                expected.add(ref)
        assert expected <= merged
        inside_grid = {m for m in merged if range_boundaries(m)[1] >= GRID_TOP}
        assert inside_grid == expected


@pytest.mark.parametrize("fmt,rows", [("2019", 20), ("2021", 22)])
def test_t3_outcomes_heading_spans(fmt, rows):
    ws = build_template(fmt)["表三"]
    spans = [m for m in ws.merged_cells.ranges if ws.cell(m.min_row, m.min_col).value == "三、本年度办理结果"]
    assert len(spans) == 1 and spans[0].max_row - spans[0].min_row + 1 == rows


def test_protection_inputs_unlocked_totals_locked(fmt_wb):
    fmt, wb = fmt_wb
    computed = computed_cells(fmt)
    for name in ("基本信息", "正文", "表二", "表三", "表四", "填写说明"):
        prot = wb[name].protection
        assert prot.sheet and not prot.password
        assert not prot.formatCells  # colouring cells stays allowed
    assert not wb["校验结果"].protection.sheet
    for key, location in template_locations(load_format(fmt)).items():
        cell = _cell(wb, location)
        if key in computed:
            assert cell.protection.locked and cell.value.startswith("=SUM(")
        else:
            assert not cell.protection.locked and cell.value is None
    for name in META_NAMES.values():
        sheet, coord, _ = _dest(wb, name)
        assert not wb[sheet][coord].protection.locked


def test_totals_are_sums_of_their_parts(fmt_wb):
    fmt, wb = fmt_wb
    locations = template_locations(load_format(fmt))
    for total, parts in computed_cells(fmt).items():
        formula = _cell(wb, locations[total]).value
        refs = re.fullmatch(r"=SUM\((.*)\)", formula).group(1).split(",")
        covered = set()
        for ref in refs:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
            covered |= {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}
        want = {coordinate_to_tuple(locations[p].split("!")[1]) for p in parts}
        assert covered == want, total
        assert len(refs) == 1  # the parts are contiguous in the official layout


def test_data_validation_by_kind(fmt_wb):
    fmt, wb = fmt_wb
    spec = load_format(fmt)
    computed = computed_cells(fmt)
    expected_type = {"count": "whole", "signed_count": "whole", "wan_yuan": "decimal", "money": "decimal"}
    for table in spec.tables:
        ws = wb[table.sheet]
        dvs = ws.data_validations.dataValidation
        for key, cs in spec.cells.items():
            if cs.table is not table or key in computed:
                continue
            coord = template_locations(spec)[key].split("!")[1]
            found = [dv for dv in dvs if coord in dv.sqref]
            assert len(found) == 1, key
            dv = found[0]
            assert dv.type == expected_type[cs.kind] and dv.prompt and dv.error
            if cs.kind in ("count", "wan_yuan", "money"):
                assert dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
            assert dv.errorStyle == "warning"  # “/” (not applicable) can still be kept
    fmt_dv = [dv for dv in wb["基本信息"].data_validations.dataValidation if dv.type == "list"]
    assert fmt_dv and fmt_dv[0].formula1 == '"2019,2021"'


def test_findings_sheet_and_guide(fmt_wb):
    fmt, wb = fmt_wb
    ws = wb["校验结果"]
    assert [c.value for c in ws[1]] == list(FINDINGS_HEADER)
    assert ws.max_row == 1
    text = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    spec = load_format(fmt)
    assert spec.name in text and spec.source in text and "“/”" in text
    for rule in builtin_rules().for_format(fmt):
        listed = rule.id in text and rule.title in text
        assert listed == (rule.check != "reader" or rule.origin == "workbook.json"), rule.id


def test_print_setup(fmt_wb):
    _, wb = fmt_wb
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert wb["表四"].page_setup.orientation == "landscape"
    assert wb["表三"].page_setup.orientation == "landscape" and wb["表三"].page_setup.fitToHeight == 1
    assert wb["表三"].print_title_rows == "$1:$5"
    breaks = [b.id for b in wb["正文"].row_breaks.brk]
    headings = {c.value: c.row for c in wb["正文"]["A"] if isinstance(c.value, str) and c.value[:2] in ("一、", "五、", "六、")}
    assert sorted(breaks) == sorted([r - 1 for h, r in headings.items() if not h.startswith("一、")]
                                    + [headings_of_table_text(wb)])


def headings_of_table_text(wb) -> int:
    """The row before 二's heading: 二、三、四 (words before the tables) share a page."""
    return next(c.row for c in wb["正文"]["A"] if isinstance(c.value, str) and c.value.startswith("二、")) - 1


def test_guide_is_written_for_clerks(fmt_wb):
    _, wb = fmt_wb
    text = "\n".join(str(c.value) for row in wb["填写说明"].iter_rows() for c in row if c.value)
    assert "spec/" not in text and "NB." not in text and "data-model" not in text
    assert "“年报助手”网页" in text and "WPS" in text  # WPS filers check on the web page, not a command line
    assert "署名" in text and "成文日期" in text
    assert wb["表三"].freeze_panes == "D6"


def test_template_command(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["template", "--format", "2019", "-o", str(out)]) == 0
    assert template_parts(out.read_bytes()) == template_parts(workbook_bytes(build_template("2019")))
    assert main(["template", "--format", "2019", "-o", str(out)]) == 2  # refuses to overwrite
    assert main(["template", "--format", "2019", "-o", str(out), "--check"]) == 0
    assert main(["template", "--format", "2021", "-o", str(out), "--check"]) == 1
    assert main(["template", "--check"]) == 0  # the committed copies
    assert main(["template", "--format", "2021", "-o", str(tmp_path / "missing.xlsx"), "--check"]) == 2
    assert "不一致" in capsys.readouterr().out


@pytest.mark.libreoffice
def test_libreoffice_recalculates_the_totals(tmp_path):
    """The template adds up with no Python: LibreOffice recalculates every total."""
    from addin.libreoffice import recalculate

    for fmt in FORMATS:
        report = random_report(fmt, random.Random(20250101 + int(fmt)))
        src = tmp_path / f"filled-{fmt}.xlsx"
        assert write_workbook(report, src) == []
        out = recalculate(src, tmp_path / "calc")
        wb = openpyxl.load_workbook(out, data_only=True)
        locations = template_locations(report.spec)
        for total, parts in computed_cells(fmt).items():
            value = _cell(wb, locations[total]).value
            assert value == report.number(total), total
            assert value == sum(report.number(p) for p in parts), total
        back = read_workbook(out)
        assert [f.text_line() for f in validate(back) if f.severity == "error"] == []
        assert back.to_json()["values"] == report.to_json()["values"]
