"""Which setting wins in nianbao.xlam: xlwings' GetConfig (ported faithfully from its VBA
in addin/excel/xlwings_config.py) run on the built add-in's own nianbao.conf sheet and
the documented files, for every documented override (docs/excel-addin.md, 设置)."""

from pathlib import Path

import pytest

from addin.excel import addin_build
from addin.excel.xlwings_config import (Sources, file_config, get_config, interpreter_win, read_addin_sheet,
                                        sheet_config, write_file)

ROOT = Path(__file__).parents[1]
XLAM = ROOT / "workbook_templates" / "nianbao.xlam"
ENV = {"LOCALAPPDATA": r"C:\Users\li\AppData\Local", "USERPROFILE": r"C:\Users\li"}
DEFAULT_PY = r"C:\Users\li\AppData\Local\nianbao\venv\Scripts\pythonw.exe"


def conf(**settings) -> bytes:
    return write_file(settings).encode("ascii")


@pytest.fixture(scope="module")
def sheet():
    return read_addin_sheet(XLAM)


def test_the_addin_sheet_holds_only_the_fixed_keys(sheet):
    assert sheet == {"INTERPRETER": addin_build.CONFIG["INTERPRETER"], "ADD_WORKBOOK_TO_PYTHONPATH": False,
                     "USE UDF SERVER": False, "SHOW CONSOLE": False}
    for key in ("INTERPRETER_WIN", "INTERPRETER_MAC", "PYTHONPATH", "NIANBAO_SERVER", "NIANBAO_KEY", "CONDA PATH"):
        assert key not in sheet


def test_nothing_configured_runs_the_standard_installation(sheet):
    s = Sources(sheet, env=ENV)
    assert interpreter_win(s) == (DEFAULT_PY, "add-in sheet")
    assert get_config("PYTHONPATH", s) == ("", "default")
    assert get_config("NIANBAO_SERVER", s) == ("", "default")  # local mode
    assert get_config("ADD_WORKBOOK_TO_PYTHONPATH", s, "true") == ("False", "add-in sheet")


def test_user_file_sets_interpreter_pythonpath_and_server(sheet):
    user = conf(INTERPRETER_WIN=r"D:\Python311\pythonw.exe", PYTHONPATH=r"D:\lib",
                NIANBAO_SERVER="https://nianbao.example.gov.cn:8443", NIANBAO_KEY="k" * 40)
    s = Sources(sheet, user_file=user, env=ENV)
    assert interpreter_win(s) == (r"D:\Python311\pythonw.exe", "user file")
    assert get_config("PYTHONPATH", s) == (r"D:\lib", "user file")
    assert get_config("NIANBAO_SERVER", s) == ("https://nianbao.example.gov.cn:8443", "user file")
    assert get_config("NIANBAO_KEY", s) == ("k" * 40, "user file")


def test_directory_file_beats_user_file_and_needs_a_saved_workbook(sheet):
    user = conf(NIANBAO_SERVER="https://a.example", INTERPRETER_WIN=r"D:\a\pythonw.exe")
    directory = conf(NIANBAO_SERVER="https://b.example")
    s = Sources(sheet, user_file=user, directory_file=directory, env=ENV)
    assert get_config("NIANBAO_SERVER", s) == ("https://b.example", "directory file")
    assert interpreter_win(s) == (r"D:\a\pythonw.exe", "user file")  # not in the directory file: next layer
    s.workbook_has_local_path = False  # a new, unsaved workbook: no folder, no directory file
    assert get_config("NIANBAO_SERVER", s) == ("https://a.example", "user file")


def test_a_sheet_in_the_workbook_beats_everything(sheet):
    s = Sources(sheet, active_sheet=sheet_config({"A1": "NIANBAO_SERVER", "B1": ""}),
                user_file=conf(NIANBAO_SERVER="https://a.example"), env=ENV)
    assert get_config("NIANBAO_SERVER", s) == ("", "workbook sheet")  # even blank: local mode for this workbook


def test_fixed_keys_cannot_be_changed_by_a_file(sheet):
    s = Sources(sheet, user_file=conf(**{"USE UDF SERVER": "True", "ADD_WORKBOOK_TO_PYTHONPATH": "true"}), env=ENV)
    assert get_config("USE UDF SERVER", s, False) == ("False", "add-in sheet")
    assert get_config("ADD_WORKBOOK_TO_PYTHONPATH", s, "true") == ("False", "add-in sheet")


def test_a_blank_key_in_the_addin_sheet_shadows_the_user_file():
    """The bug this layout fixes: the quickstart sheet (as nianbao.xlam had it) lists
    PYTHONPATH blank, so a user's PYTHONPATH line is never read."""
    quickstart = read_addin_sheet(addin_build.quickstart_addin(), "_myaddin.conf")
    s = Sources(quickstart, user_file=conf(PYTHONPATH=r"D:\lib", INTERPRETER_WIN=r"D:\py\pythonw.exe"), env=ENV)
    assert get_config("PYTHONPATH", s) == ("", "add-in sheet")
    # INTERPRETER_WIN is blank in the sheet → RunPython falls back to INTERPRETER → "python"
    assert interpreter_win(s) == ("python", "default")


def test_env_vars_expand_and_keys_match_case_insensitively_in_files(sheet):
    s = Sources(sheet, user_file=b'"interpreter_win" , "%LOCALAPPDATA%\\py\\pythonw.exe"\r\n'
                                 b'PYTHONPATH,%NOPE%\\x\r\n', env=ENV)
    assert interpreter_win(s) == (r"C:\Users\li\AppData\Local\py\pythonw.exe", "user file")
    assert get_config("PYTHONPATH", s) == (r"%NOPE%\x", "user file")  # unknown variable stays as written


def test_input_hash_reading():
    assert file_config(b'"A","x, y"\r\nB , z \r\n\r\n"C",""\n') == [("A", "x, y"), ("B", "z"), ("C", "")]
    # Input # reads two fields at a time, whatever the lines: a line with one field shifts the rest
    assert file_config(b'"A"\r\n"B","b"\r\n') == [("A", "B"), ("b", "")]


def test_utf8_bom_hides_the_first_key(sheet):
    """Notepad's 'UTF-8 with BOM' puts three bytes before the first key: Excel's Input #
    reads them as part of it, so that key is never found (docs: save as ANSI/UTF-8 without BOM)."""
    data = "\ufeff".encode("utf-8") + conf(NIANBAO_SERVER="https://a.example", NIANBAO_KEY="abc")
    s = Sources(sheet, user_file=data, env=ENV, encoding="cp1252")
    assert get_config("NIANBAO_SERVER", s) == ("", "default")
    assert get_config("NIANBAO_KEY", s) == ("abc", "user file")


def test_write_file_refuses_quotes():
    with pytest.raises(ValueError):
        write_file({"NIANBAO_KEY": 'a"b'})
    assert write_file({"A": "b"}) == '"A","b"\r\n'


def test_docs_describe_the_keys_and_order():
    doc = (ROOT / "docs" / "excel-addin.md").read_text(encoding="utf-8")
    for key in ("INTERPRETER_WIN", "INTERPRETER_MAC", "PYTHONPATH", "NIANBAO_SERVER", "NIANBAO_KEY"):
        assert f"`{key}`" in doc
    for key in addin_build.CONFIG:
        assert f"`{key}`" in doc
    assert "%USERPROFILE%\\.nianbao\\nianbao.conf" in doc


def test_addin_config_command_writes_what_excel_reads(tmp_path, sheet, capsys):
    from addin.cli import main

    out = tmp_path / "nianbao.conf"
    assert main(["addin", "config", "--server", "https://nianbao.example.gov.cn:8443/", "--key", "k" * 40,
                 "--interpreter", r"D:\年报\venv\Scripts\pythonw.exe", "-o", str(out)]) == 0
    s = Sources(sheet, user_file=out.read_bytes(), env=ENV, encoding="gbk")  # Chinese Windows' ANSI code page
    assert get_config("NIANBAO_SERVER", s) == ("https://nianbao.example.gov.cn:8443", "user file")
    assert get_config("NIANBAO_KEY", s) == ("k" * 40, "user file")
    assert interpreter_win(s) == (r"D:\年报\venv\Scripts\pythonw.exe", "user file")
    before = out.read_bytes()
    assert main(["addin", "config", "--key", "x", "-o", str(out)]) == 2  # never overwrites without --force
    assert main(["addin", "config", "--server", "nianbao.example", "-o", str(tmp_path / "b.conf")]) == 2
    assert out.read_bytes() == before and not (tmp_path / "b.conf").exists()
    assert "已存在" in capsys.readouterr().err
