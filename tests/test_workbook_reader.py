"""Reading filled workbooks in file mode: by defined name, whatever the filer did to
the workbook, and never a traceback for a bad file."""

import io
import re
import shutil
import time
import zipfile

import openpyxl
import pytest

from addin.errors import InputError
from addin.examples import example_report
from addin.formats import FORMATS
from addin.layout import defined_name, template_locations
from addin.readers import read_report
from addin.readers import workbook as workbook_reader
from addin.readers.workbook import read_workbook
from addin.validate import exit_code, validate
from addin.values import EMPTY, INVALID, NUMBER, parse_value
from addin.writers.workbook import write_workbook


@pytest.fixture(params=FORMATS)
def filled(request, tmp_path):
    """The example report written by write_workbook: formulas without calculated values."""
    report = example_report(request.param)
    path = tmp_path / f"filled-{request.param}.xlsx"
    assert write_workbook(report, path) == []
    return report, path


@pytest.fixture
def filled21(tmp_path):
    report = example_report("2021")
    path = tmp_path / "filled.xlsx"
    write_workbook(report, path)
    return report, path


def edit(path, change, out=None):
    """Open with openpyxl (formulas kept), apply ``change(wb)``, save to ``out``."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    out = out or path.with_name("edited-" + path.name)
    wb.save(out)
    return out


def rules_of(report):
    return {f.rule for f in validate(report)}


def test_openpyxl_parses_xml_with_defusedxml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_round_trip_and_uncalculated_totals(filled):
    report, path = filled
    back = read_workbook(path)
    assert back.to_json() == report.to_json()
    assert validate(back) == []
    assert back.locations["t3.new.natural"] == template_locations(report.spec)["t3.new.natural"]
    assert read_report(path).to_json() == report.to_json()  # dispatch by suffix


def test_reading_is_fast(filled21):
    _, path = filled21
    read_workbook(path)
    start = time.perf_counter()
    read_workbook(path)
    assert time.perf_counter() - start < 0.5


def test_xlsm_and_odd_suffix_read_values_only(filled21, tmp_path):
    report, path = filled21
    data = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(data, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not run")
    xlsm = tmp_path / "macro.xlsm"
    xlsm.write_bytes(data.getvalue())
    assert read_workbook(xlsm).to_json() == report.to_json()
    plain = tmp_path / "no-suffix"
    shutil.copy(path, plain)
    assert read_report(plain).to_json() == report.to_json()


def test_renamed_sheet_still_reads(filled21):
    report, path = filled21

    def rename(wb):
        wb["表三"].title = "表3（已改名）"
        for dn in wb.defined_names.values():  # Excel moves names along with the sheet
            dn.attr_text = dn.attr_text.replace("'表三'!", "'表3（已改名）'!")

    back = read_workbook(edit(path, rename))
    assert back.to_json() == report.to_json()
    assert back.locations["t3.new.natural"] == "表3（已改名）!D6"
    assert validate(back) == []


def test_inserted_row_above_table_still_reads(filled21):
    """Excel shifts the table down and the names with it; formulas are shifted too."""
    report, path = filled21

    def insert_row(wb):
        ws = wb["表三"]
        ws.merged_cells.ranges = set()
        ws.move_range(f"A1:J{ws.max_row}", rows=1, translate=True)
        for dn in wb.defined_names.values():
            if dn.attr_text.startswith("'表三'!"):
                dn.attr_text = re.sub(r"\$(\d+)$", lambda m: f"${int(m.group(1)) + 1}", dn.attr_text)

    edited = edit(path, insert_row)
    assert openpyxl.load_workbook(edited)["表三"]["J7"].value == "=SUM(D7:I7)"
    back = read_workbook(edited)
    assert back.to_json() == report.to_json()
    assert back.locations["t3.new.natural"] == "表三!D7"
    assert validate(back) == []


def test_deleted_sheet_gives_w002_for_its_cells(filled21):
    _, path = filled21

    def delete_t4(wb):
        del wb["表四"]
        for dn in wb.defined_names.values():
            if dn.attr_text.startswith("'表四'!"):
                dn.attr_text = "#REF!" + dn.attr_text.split("!")[1]  # as Excel leaves it

    back = read_workbook(edit(path, delete_t4))
    findings = validate(back)
    w002 = [f for f in findings if f.rule == "W002"]
    assert len(w002) == 1, "a deleted table sheet is one finding, not one per cell"
    assert w002[0].cells == [k for k in back.spec.keys if k.startswith("t4.")]
    assert "表四的全部 15 个单元格" in w002[0].message
    assert exit_code(findings) == 1
    assert back.number("t3.new.natural") == report_value("t3.new.natural")


def report_value(key):
    return example_report("2021").number(key)


def test_name_pointing_to_missing_sheet_is_broken(filled21):
    _, path = filled21

    def repoint(wb):
        wb.defined_names[defined_name("t2.rules.issued")].attr_text = "'没有这张表'!$B$5"

    back = read_workbook(edit(path, repoint))
    assert [f.cells for f in validate(back) if f.rule == "W002"] == [["t2.rules.issued"]]


def test_all_tables_deleted_is_input_error(filled21):
    _, path = filled21

    def delete_tables(wb):
        for sheet in ("表二", "表三", "表四"):
            del wb[sheet]
        for dn in wb.defined_names.values():
            if dn.attr_text.startswith(("'表二'!", "'表三'!", "'表四'!")):
                dn.attr_text = "#REF!"

    with pytest.raises(InputError, match="都已被删除"):
        read_workbook(edit(path, delete_tables))


def test_deleted_name_gives_w001(filled21):
    _, path = filled21

    def drop(wb):
        del wb.defined_names[defined_name("t3.denied_law.legal")]

    back = read_workbook(edit(path, drop))
    w001 = [f for f in validate(back) if f.rule == "W001"]
    assert [f.cells for f in w001] == [["t3.denied_law.legal"]]


def test_sheet_scoped_names_are_read(filled21):
    report, path = filled21

    def scope(wb):
        dn = wb.defined_names.pop(defined_name("t4.review.upheld"))
        wb["表四"].defined_names[dn.name] = dn

    back = read_workbook(edit(path, scope))
    assert back.to_json() == report.to_json()


def test_foreign_workbook_is_input_error(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "别的表格"
    wb.save(path)
    with pytest.raises(InputError, match="不是年报助手模板"):
        read_workbook(path)


def test_not_a_zip_and_truncated_zip(tmp_path, filled21):
    _, path = filled21
    text = tmp_path / "text.xlsx"
    text.write_text("这不是工作簿", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 Excel 工作簿"):
        read_workbook(text)
    data = path.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.xlsx"):
        read_workbook(cut)
    encrypted = tmp_path / "encrypted.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(InputError, match="打开密码"):
        read_workbook(encrypted)
    docx_like = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(docx_like, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(InputError, match="不是有效的 Excel 工作簿"):
        read_workbook(docx_like)


def test_corrupt_xml_inside_zip_is_input_error(tmp_path, filled21):
    _, path = filled21
    bad = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet3"):
                data = data[: len(data) // 3]
            dst.writestr(item, data)
    with pytest.raises(InputError, match="corrupt.xlsx：无法读取工作簿"):
        read_workbook(bad)


def test_zip_bomb_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    assert bomb.stat().st_size < 100_000
    start = time.perf_counter()
    with pytest.raises(InputError, match="压缩炸弹"):
        read_workbook(bomb)
    assert time.perf_counter() - start < 0.5
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(workbook_reader.MAX_ZIP_MEMBERS):
            z.writestr(f"xl/x{i}.xml", "")
    with pytest.raises(InputError, match="内部文件过多"):
        read_workbook(many)


def test_unzipped_size_limit(filled21, monkeypatch):
    _, path = filled21
    monkeypatch.setattr(workbook_reader, "MAX_UNZIPPED_BYTES", 10_000)
    with pytest.raises(InputError, match="解压后过大"):
        read_workbook(path)


def test_text_and_negative_numbers_become_findings(filled21):
    _, path = filled21

    def mistype(wb):
        wb["表三"]["D6"] = "十二"           # t3.new.natural
        wb["表三"]["E7"] = -3               # t3.carried.commercial
        wb["表二"]["B5"] = "/"              # t2.rules.issued

    back = read_workbook(edit(path, mistype))
    assert back.cell("t3.new.natural").state == INVALID
    findings = validate(back)
    v001 = [f for f in findings if f.rule == "V001"]
    assert v001 and v001[0].cells == ["t3.new.natural"] and v001[0].locations == ["表三!D6"]
    v002 = [f.cells[0] for f in findings if f.rule == "V002"]
    assert v002 == ["t3.carried.commercial", "t3.carried.total"]  # the live total goes negative too
    assert "V005" in {f.rule for f in findings}
    assert back.cell("t2.rules.issued").raw == "/"


def _with_cached_error(src, dst, coord, error="#DIV/0!"):
    """Rewrite one cell of 表三 as Excel stores a formula whose cached result is an error."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet4.xml":  # 表三 is the fourth sheet
                text = data.decode("utf-8")
                text, n = re.subn(rf'<c r="{coord}"([^>]*?)(/>|>.*?</c>)',
                                  f'<c r="{coord}" t="e"><f>1/0</f><v>{error}</v></c>', text, count=1)
                assert n == 1
                data = text.encode("utf-8")
            zout.writestr(item, data)


def test_cached_formula_error_is_v001(filled21, tmp_path):
    _, path = filled21
    out = tmp_path / "div0.xlsx"
    _with_cached_error(path, out, "D6")
    back = read_workbook(out)
    cell = back.cell("t3.new.natural")
    assert cell.state == INVALID and "公式出错" in cell.note
    assert back.cell("t3.new.total").raw == "#DIV/0!"  # the uncalculated total shows the error, like Excel
    assert [f.cells[0] for f in validate(back) if f.rule == "V001"] == ["t3.new.natural", "t3.new.total"]


def test_typed_over_and_cleared_totals(filled21):
    _, path = filled21

    def change(wb):
        wb["表四"]["E6"] = 99      # t4.review.total typed over its formula
        wb["表三"]["J7"] = None    # t3.carried.total formula deleted: empty, not computed

    back = read_workbook(edit(path, change))
    assert back.number("t4.review.total") == 99
    assert back.cell("t3.carried.total").state == EMPTY
    rules = rules_of(back)
    assert {"T401", "V004"} <= rules


def test_numbers_typed_as_text_keep_what_was_typed(filled21):
    _, path = filled21

    def change(wb):
        wb["表三"]["E8"] = "１"

    back = read_workbook(edit(path, change))
    cell = back.cell("t3.granted.commercial")
    assert cell.state == NUMBER and cell.raw == "１"
    assert "V006" in rules_of(back)


def test_format_cell_changed_to_other_format_gives_w003(filled21):
    report, path = filled21

    def change(wb):
        wb["基本信息"]["B3"] = "2019"

    back = read_workbook(edit(path, change))
    assert back.format == "2021"  # the tables are what they are
    findings = validate(back)
    assert [(f.rule, f.locations) for f in findings] == [("W003", ["基本信息!B3"])]
    assert "2019" in findings[0].message and "2021" in findings[0].message
    assert back.to_json()["values"] == report.to_json()["values"]


@pytest.mark.parametrize("rule_id", ["W001", "W002", "W003"])
def test_workbook_rules_quiet_on_a_clean_workbook(filled, rule_id):
    _, path = filled
    assert rule_id not in rules_of(read_workbook(path))


def test_writer_keeps_text_as_text_and_never_writes_formulas(tmp_path):
    report = example_report("2021")
    report.agency = "=HYPERLINK(\"http://example.invalid\")"
    report.sections["s6"] = "第一行\n第二行\x07"
    report.cells["t3.denied_law.other"] = parse_value("=1+1")
    path = tmp_path / "text.xlsx"
    write_workbook(report, path)
    wb = openpyxl.load_workbook(path)
    assert wb["基本信息"]["B5"].data_type == "s" and wb["基本信息"]["B5"].value.startswith("=HYPERLINK")
    back = read_workbook(path)
    assert back.agency == report.agency
    assert back.sections["s6"] == "第一行\n第二行"  # a control character Excel cannot store is dropped
    assert back.cell("t3.denied_law.other").raw == "=1+1"


def test_writer_notes_totals_it_cannot_keep(tmp_path):
    report = example_report("2019")
    report.cells["t3.new.total"] = parse_value("/")
    report.extra["t3.other_misc.natural"] = 1
    notes = write_workbook(report, tmp_path / "n.xlsx")
    assert any("“/”" in n and "公式" in n for n in notes)
    assert any("t3.other_misc.natural" in n and "未写入" in n for n in notes)
    assert write_workbook(example_report("2019"), tmp_path / "clean.xlsx") == []
    with pytest.raises(InputError, match="已存在"):
        write_workbook(report, tmp_path / "n.xlsx")


def test_damaged_files_never_raise_anything_but_input_error(filled21, tmp_path):
    """Flip bytes in the zip, and in the XML inside it: a report or an InputError, never a traceback."""
    import random

    _, path = filled21
    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    rng = random.Random(1)
    target = tmp_path / "damaged.xlsx"
    for i in range(40):
        if i % 2:
            blob = bytearray(data)
            for _ in range(3):
                blob[rng.randrange(len(blob))] = rng.randrange(256)
            target.write_bytes(bytes(blob))
        else:
            name = rng.choice(sorted(n for n in parts if n.endswith(".xml")))
            xml = bytearray(parts[name])
            pos = rng.randrange(len(xml))
            xml[pos:pos + rng.randint(1, 40)] = rng.choice([b"", b"<", b"\xff\xfe", b"&bad;", b"</x>"])
            with zipfile.ZipFile(target, "w") as z:
                for n, content in parts.items():
                    z.writestr(n, bytes(xml) if n == name else content)
        try:
            read_workbook(target)
        except InputError:
            pass
