"""The fault matrix: every command under the faults a user's machine throws at it.

Each command is run for real (``python -m addin``) with a full disk, an unreadable
input, an unwritable output folder, a name too long for the file system, an output
that already exists, Ctrl-C and SIGKILL at each phase, truncated and odd text
encodings, and two writers racing for one output. Every run must end with a Chinese
message naming the file and the cause, exit code 2 (130 for Ctrl-C), no traceback,
the inputs byte-for-byte unchanged, and nothing left behind: no torn output, no
temporary file in the output folder, nothing in the temporary folder (ours,
openpyxl's or LibreOffice's ``lu*.tmp``).

The full disk is a 64 KB tmpfs, filled up, when the tests run as root and may mount
(CI); elsewhere (or with ``NIANBAO_TEST_NO_MOUNT=1``) the process gets a file-size
limit (``RLIMIT_FSIZE``), which fails writes the same way (``EFBIG`` instead of ``ENOSPC``). Root reads and writes through
any permission, so the permission cases drop ``CAP_DAC_OVERRIDE`` and
``CAP_DAC_READ_SEARCH`` from the child's capability bounding set: the child is root
without the power to ignore a file's mode, as an ordinary user is.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import random
import resource
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from addin.commands.export import safe_stem
from addin.errors import InputError
from addin.examples import example_report, random_report
from addin.writers.atomic import atomic_output
from addin.writers.workbook import write_workbook

from test_kill import complete  # whether a file is whole of its kind (zip, JSON, HTML)

ROOT = Path(__file__).resolve().parents[1]
AGENCY = "示例市示例区数据资源管理局"


# ---------------------------------------------------------------------------
# Running the command line


def nianbao(args, tmpdir: Path, preexec=None, timeout: float = 120, umask: int | None = None):
    """Run ``nianbao args`` with its own TMPDIR; return the finished process (text)."""
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT), "XLWINGS_LICENSE_KEY": "noncommercial"}
    env.pop("NIANBAO_DEBUG", None)

    def before():
        if umask is not None:
            os.umask(umask)
        if preexec:
            preexec()

    return subprocess.run([sys.executable, "-m", "addin", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, preexec_fn=before, stdin=subprocess.DEVNULL)


def start(args, tmpdir: Path) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONPATH": str(ROOT), "XLWINGS_LICENSE_KEY": "noncommercial"}
    return subprocess.Popen([sys.executable, "-m", "addin", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_clean_failure(r, *words: str, code: int = 2) -> None:
    """Exit code, a Chinese ``错误：`` line holding ``words``, no traceback."""
    out = r.stdout + r.stderr
    assert "Traceback" not in out, out[-3000:]
    assert r.returncode == code, (r.returncode, out[-2000:])
    for w in words:
        assert w in r.stderr, (w, r.stderr[-2000:])


def assert_nothing_left(outdir: Path, tmpdir: Path, allowed: set[str] = frozenset()) -> None:
    """No temporary file in the output folder, no torn output, the temporary folder empty."""
    for p in outdir.rglob("*"):
        assert not p.name.endswith(".part"), f"temporary file left: {p.name}"
        if p.is_file() and p.name not in allowed:
            assert complete(p), f"torn output {p.name}"
    assert list(tmpdir.iterdir()) == [], f"left in TMPDIR: {[p.name for p in tmpdir.iterdir()]}"


# ---------------------------------------------------------------------------
# Inputs and the commands


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("in")
    report = example_report("2021")
    (src / "report.json").write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    write_workbook(report, src / "filled.xlsx")
    for i in range(2):
        dept = random_report("2021", random.Random(i), year=2025)
        dept.agency = f"示例区第{i + 1}局"
        write_workbook(dept, src / f"dept{i}.xlsx")
    (src / "published.txt").write_text(
        "示例局2025年政府信息公开工作年度报告\n一、总体情况\n" + "本年度依法做好政府信息公开工作，主动公开各类信息。" * 60 + "\n"
        "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n", encoding="utf-8")
    return src


def commands(i: Path, o: Path) -> dict[str, tuple[list, list[Path]]]:
    """name → (arguments, the outputs it writes)."""
    stem = safe_stem(AGENCY, 2025)
    return {
        "new": (["new", "--from", i / "report.json", "-o", o / "新年报.xlsx"], [o / "新年报.xlsx"]),
        "mark": (["mark", i / "filled.xlsx", "-o", o / "已标记.xlsx", "--no-recalc"], [o / "已标记.xlsx"]),
        "export": (["export", i / "report.json", "--to", "docx,html,json", "-o", o],
                   [o / f"{stem}.{x}" for x in ("docx", "html", "json")]),
        "import": (["import", i / "published.txt", "-o", o / "导入.json"], [o / "导入.json"]),
        "review": (["review", i / "dept0.xlsx", i / "dept1.xlsx", "-o", o / "审核.xlsx"], [o / "审核.xlsx"]),
        "rollup": (["rollup", i / "dept0.xlsx", i / "dept1.xlsx", "-o", o / "汇总.xlsx", "--agency", "示例区人民政府"],
                   [o / "汇总.xlsx"]),
        "template": (["template", "-o", o / "模板.xlsx"], [o / "模板.xlsx"]),
        "demo": (["demo", "-o", o], [o / "示例年报-2021.xlsx"]),
    }


WRITERS = sorted(commands(Path("i"), Path("o")))
#: Commands that read a file the user gave (template and demo read none).
READERS = [c for c in WRITERS if c not in ("template", "demo")]


@pytest.fixture
def dirs(tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    return out, tmp


# ---------------------------------------------------------------------------
# Environments: full disk, no permission


def _libc():
    return ctypes.CDLL(None, use_errno=True)


PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def drop_dac() -> None:
    """In the child: lose root's power to ignore file modes (see the module docstring)."""
    if os.geteuid() == 0:
        libc = _libc()
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture(scope="module")
def permissions_apply(tmp_path_factory) -> None:
    """Skip unless a child run with :func:`drop_dac` is refused a mode-000 file."""
    probe = tmp_path_factory.mktemp("probe") / "secret"
    probe.write_text("x")
    probe.chmod(0)
    try:
        r = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], preexec_fn=drop_dac,
                           capture_output=True)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("cannot drop CAP_DAC_OVERRIDE here")
    if r.returncode == 0:
        pytest.skip("file modes do not apply to this user")


@pytest.fixture
def full_disk(tmp_path):
    """``(folder, preexec, cause)``: a folder whose disk is full."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = os.geteuid() == 0 and not os.environ.get("NIANBAO_TEST_NO_MOUNT") and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True).returncode == 0
    if mounted:
        try:
            with open(folder / "filler", "wb") as f:
                while True:
                    f.write(b"\0" * 4096)
                    f.flush()
        except OSError:
            pass
        yield folder, None, "磁盘空间不足"
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    else:
        def limit():
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

        yield folder, limit, "文件超过系统允许的大小"


# ---------------------------------------------------------------------------
# The matrix


@pytest.mark.parametrize("command", WRITERS)
def test_disk_full(command, inputs, full_disk, dirs):
    folder, preexec, cause = full_disk
    _, tmp = dirs
    before = digest(inputs)
    args, _ = commands(inputs, folder)[command]
    r = nianbao(args, tmp, preexec)
    assert_clean_failure(r, cause)
    # the file that could not be written is named: the output, or (a size limit hits every
    # file) the temporary folder openpyxl writes its sheets through
    assert str(folder) in r.stderr or (preexec is not None and str(tmp) in r.stderr), r.stderr
    assert digest(inputs) == before
    assert_nothing_left(folder, tmp, allowed={"filler"})
    assert [p.name for p in folder.iterdir()] in ([], ["filler"])


@pytest.mark.parametrize("command", READERS + ["validate"])
def test_unreadable_input(command, inputs, permissions_apply, dirs, tmp_path):
    out, tmp = dirs
    private = tmp_path / "private"
    private.mkdir()
    for p in inputs.iterdir():
        (private / p.name).write_bytes(p.read_bytes())
        (private / p.name).chmod(0)
    args = commands(private, out)[command][0] if command != "validate" else ["validate", private / "filled.xlsx"]
    r = nianbao(args, tmp, drop_dac)
    if command == "review":  # a batch goes on: each unreadable file is a row saying why
        assert r.returncode == 2 and "Traceback" not in r.stdout + r.stderr
        assert r.stdout.count("没有权限") == 2 and str(private) in r.stdout
        assert_nothing_left(out, tmp)
        return
    assert_clean_failure(r, "没有权限", str(private))
    assert_nothing_left(out, tmp)
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("command", WRITERS)
def test_unwritable_output(command, inputs, permissions_apply, dirs):
    out, tmp = dirs
    out.chmod(0o555)
    try:
        r = nianbao(commands(inputs, out)[command][0], tmp, drop_dac)
    finally:
        out.chmod(0o755)
    assert_clean_failure(r, "没有写入权限", str(out))
    assert list(out.iterdir()) == []
    assert_nothing_left(out, tmp)


LONG = "某某省某某市某某区人民政府办公室关于政府信息公开工作年度报告的汇总审核结果" * 3  # 108 characters, 324 bytes


@pytest.mark.parametrize("command", [c for c in WRITERS if c not in ("export", "demo")])
def test_name_too_long(command, inputs, dirs):
    """An output name over the 255-byte limit: refused before any work, in Chinese."""
    out, tmp = dirs
    args, outputs = commands(inputs, out)[command]
    target = outputs[0]
    args = [out / f"{LONG}{target.suffix}" if a == target else a for a in args]
    r = nianbao(args, tmp)
    assert_clean_failure(r, "文件名过长")
    assert list(out.iterdir()) == []
    assert_nothing_left(out, tmp)


def test_long_input_name_marks_with_a_short_temporary_name(inputs, dirs):
    """A Chinese input name near the limit: the temporary file no longer overflows it;
    the default output (name + “-校验”) that would, is refused in Chinese."""
    out, tmp = dirs
    name = ("某" * 83) + ".xlsx"  # 254 bytes; with “-校验” 261
    src = out / name
    src.write_bytes((inputs / "filled.xlsx").read_bytes())
    r = nianbao(["mark", src, "-o", out / "短.xlsx", "--no-recalc"], tmp)
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
    assert complete(out / "短.xlsx")
    r = nianbao(["mark", src, "--no-recalc"], tmp)
    assert_clean_failure(r, "文件名过长")
    assert sorted(p.name for p in out.iterdir()) == sorted([name, "短.xlsx"])
    assert_nothing_left(out, tmp)


def test_export_of_a_long_agency_name_fits_the_limit(dirs, tmp_path):
    out, tmp = dirs
    report = example_report("2021")
    report.agency = LONG
    src = tmp_path / "long.json"
    src.write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    r = nianbao(["export", src, "--to", "html,json", "-o", out], tmp)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and all(len(n.encode()) <= 255 for n in names)
    assert all(complete(p) for p in out.iterdir())


@pytest.mark.parametrize("command", WRITERS)
def test_existing_output_is_kept(command, inputs, dirs):
    out, tmp = dirs
    args, outputs = commands(inputs, out)[command]
    for p in outputs:
        p.write_bytes(b"the user's own file")
    r = nianbao(args, tmp)
    assert_clean_failure(r, "已存在", outputs[0].name)
    assert all(p.read_bytes() == b"the user's own file" for p in outputs)
    assert_nothing_left(out, tmp, allowed={p.name for p in outputs})


def _wait_for_part(proc, folder: Path, limit: float = 60) -> bool:
    """Wait until a temporary ``.part`` appears in ``folder`` (True) or the run ends (False)."""
    end = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < end:
        if any(n.endswith(".part") for n in os.listdir(folder)):
            return True
        time.sleep(0.0005)
    return False


@pytest.mark.parametrize("command", WRITERS)
def test_ctrl_c_while_writing(command, inputs, dirs):
    """SIGINT the moment the output is being written: exit 130, the partial file gone."""
    out, tmp = dirs
    before = digest(inputs)
    args, outputs = commands(inputs, out)[command]
    interrupted = 0
    for _ in range(8):  # the write lasts milliseconds: a few tries until one signal lands inside it
        if interrupted:
            break
        proc = start([*args, "--force"], tmp)
        if _wait_for_part(proc, out):
            proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert "Traceback" not in stdout + stderr, stderr
        if proc.returncode == 130:
            interrupted += 1
            assert "已中断" in stderr
        else:
            assert proc.returncode in (0, 1), stderr
        assert digest(inputs) == before
        assert_nothing_left(out, tmp)
    assert interrupted, f"{command}: no SIGINT landed while writing"


@pytest.mark.parametrize("command", WRITERS + ["validate"])
def test_ctrl_c_while_reading(command, inputs, dirs):
    """SIGINT early (loading, reading inputs): exit 130, no output, nothing left."""
    out, tmp = dirs
    args = commands(inputs, out)[command][0] if command != "validate" else ["validate", inputs / "filled.xlsx"]
    for delay in (0.5, 1.0):
        proc = start(args, tmp)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        assert "Traceback" not in stdout + stderr, stderr
        if proc.returncode == -signal.SIGINT:  # still inside the interpreter's own start-up
            assert stdout == stderr == ""
        else:
            assert proc.returncode in (130, 0, 1), stderr
        assert_nothing_left(out, tmp)  # an output, if the signal came after it was put in place, is whole
        for p in list(out.iterdir()):
            p.unlink()


@pytest.mark.parametrize("command", ["new", "mark", "review"])
def test_sigkill_leftovers_are_removed_by_the_next_run(command, inputs, dirs):
    """SIGKILL cannot be cleaned up after; the next run of any command removes what the
    killed one left: its temporary file in the output folder and its temporary folder."""
    out, tmp = dirs
    args, outputs = commands(inputs, out)[command]
    killed = False
    for _ in range(8):
        proc = start([*args, "--force"], tmp)
        if _wait_for_part(proc, out):
            proc.kill()
        proc.communicate(timeout=60)
        # the write can finish between its .part being seen and the kill: then try again
        if any(p.name.endswith(".part") for p in out.iterdir()):
            killed = True
            break
    assert killed, "the kill never landed inside the write"
    assert any(p.name.startswith("nianbao-run-") for p in tmp.iterdir())
    r = nianbao([*args, "--force"], tmp)
    assert r.returncode in (0, 1), r.stderr
    assert complete(outputs[0])
    assert_nothing_left(out, tmp)


def test_two_writers_one_output(inputs, dirs):
    """Two runs writing one output without --force: one wins, the other says so."""
    out, tmp = dirs
    target = out / "同一个.xlsx"
    procs = [start(["new", "--from", inputs / "report.json", "-o", target], tmp) for _ in range(2)]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "已存在" in loser and "Traceback" not in loser
    assert complete(target)
    assert_nothing_left(out, tmp)


def test_the_final_name_is_claimed_atomically(tmp_path):
    """A file that appears under the final name while we write is never replaced."""
    target = tmp_path / "out.json"
    with pytest.raises(InputError, match="写入期间由其他程序创建"):
        with atomic_output(target) as part:
            part.write_text("ours")
            target.write_text("theirs")
    assert target.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# ---------------------------------------------------------------------------
# File modes


def test_new_files_follow_the_umask(inputs, dirs):
    out, tmp = dirs
    r = nianbao(["new", "--year", "2025", "-o", out / "a.xlsx"], tmp, umask=0o027)
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE((out / "a.xlsx").stat().st_mode) == 0o640
    r = nianbao(["new", "--year", "2025", "-o", out / "b.xlsx"], tmp, umask=0o022)
    assert stat.S_IMODE((out / "b.xlsx").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(inputs, dirs):
    out, tmp = dirs
    target = out / "m.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o664)
    r = nianbao(["mark", inputs / "filled.xlsx", "-o", target, "--no-recalc", "--force"], tmp, umask=0o077)
    assert r.returncode in (0, 1), r.stderr
    assert complete(target) and stat.S_IMODE(target.stat().st_mode) == 0o664


def test_a_read_only_target_is_refused_unless_forced(inputs, dirs):
    out, tmp = dirs
    target = out / "ro.xlsx"
    target.write_bytes(b"protected")
    target.chmod(0o444)
    r = nianbao(["new", "--year", "2025", "-o", target], tmp)
    assert_clean_failure(r, "只读", target.name)
    assert target.read_bytes() == b"protected"
    r = nianbao(["new", "--year", "2025", "-o", target, "--force"], tmp)
    assert r.returncode == 0, r.stderr
    assert complete(target) and stat.S_IMODE(target.stat().st_mode) == 0o444


# ---------------------------------------------------------------------------
# Truncated and odd text encodings

TEXT = ("示例局2025年政府信息公开工作年度报告\n一、总体情况\n本年度依法做好政府信息公开工作。\n"
        "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。结束")

ENCODINGS = {
    "utf16-cut.txt": (TEXT.encode("utf-16")[:-1], "I012"),  # an odd number of bytes
    "utf16-surrogate-cut.txt": ((TEXT + "𠀀").encode("utf-16-le")[:-2].join([b"\xff\xfe", b""]), "I012"),
    "utf8-cut.txt": (TEXT.encode("utf-8")[:-1], "I012"),
    "utf8-bom-cut.txt": (b"\xef\xbb\xbf" + TEXT.encode("utf-8")[:-2], "I012"),
    "gb18030.txt": (TEXT.encode("gb18030"), None),
    "utf16-be.txt": (TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]), None),
    "binary.txt": (bytes(random.Random(1).randrange(256) for _ in range(3000)), "不像是"),  # GB18030 takes almost any bytes
    "invalid.txt": (TEXT.encode("utf-8") + b"\xff\xfe\xff" + TEXT.encode("utf-8"), "无法识别文本编码"),
    "empty.txt": (b"", "没有找到"),
    "nul.html": (b"<html>\x00\x00" + TEXT.encode("utf-8") + b"</html>", None),
}


@pytest.fixture(scope="module")
def odd_texts(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("enc")
    for name, (data, _) in ENCODINGS.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_import_odd_encoding(name, odd_texts, dirs):
    out, tmp = dirs
    before = digest(odd_texts)
    r = nianbao(["import", odd_texts / name, "-o", out / "r.json"], tmp)
    expect = ENCODINGS[name][1]
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    if expect is None or expect.startswith("I"):
        assert r.returncode == 0, r.stderr
        assert complete(out / "r.json")
        if expect:
            assert expect in r.stdout
        else:
            assert "I012" not in r.stdout
    else:
        assert_clean_failure(r, expect, name)
        assert list(out.iterdir()) == []
    assert digest(odd_texts) == before
    assert_nothing_left(out, tmp, allowed={"r.json"})


def test_validate_review_rollup_odd_encodings(odd_texts, dirs):
    """The same files through the other readers: a row or message each, never a traceback."""
    out, tmp = dirs
    files = sorted(odd_texts.iterdir())
    r = nianbao(["validate", *files], tmp)
    assert "Traceback" not in r.stdout + r.stderr and r.returncode == 2, r.stderr
    for name, (_, expect) in ENCODINGS.items():
        if expect and not expect.startswith("I"):
            assert f"{odd_texts / name}: 错误：" in r.stderr
    r = nianbao(["review", odd_texts, "-o", out / "review.json"], tmp)
    assert "Traceback" not in r.stdout + r.stderr and r.returncode == 2, r.stderr
    rows = json.loads((out / "review.json").read_text(encoding="utf-8"))
    rows = rows["reports"] if isinstance(rows, dict) else rows
    assert len(rows) == len(ENCODINGS)
    r = nianbao(["rollup", *files, "-o", out / "gov.json"], tmp)
    assert_clean_failure(r, "无法读取", "binary.txt")
    assert not (out / "gov.json").exists()
    assert_nothing_left(out, tmp, allowed={"review.json"})


# ---------------------------------------------------------------------------
# Input that is not a workbook, checked before LibreOffice starts; serve's arguments


@pytest.mark.parametrize("data,words", [
    (b"", "不是有效的 Excel 工作簿"),
    ("这是一个改了扩展名的文本文件\n".encode("utf-8"), "不是有效的 Excel 工作簿"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "打开密码"),
], ids=["empty", "text", "encrypted"])
def test_mark_checks_the_file_before_libreoffice(data, words, dirs):
    out, tmp = dirs
    src = out / "坏.xlsx"
    src.write_bytes(data)
    r = nianbao(["mark", src], tmp)  # with recalculation: LibreOffice would run if it got that far
    assert_clean_failure(r, words, "坏.xlsx")
    assert "LibreOffice" not in r.stderr
    assert [p.name for p in out.iterdir()] == ["坏.xlsx"]
    assert_nothing_left(out, tmp, allowed={"坏.xlsx"})


@pytest.mark.parametrize("port,words", [("99999", "端口 99999 无效"), ("0", "端口 0 无效")])
def test_serve_refuses_a_bad_port(port, words, dirs):
    _, tmp = dirs
    r = nianbao(["serve", "--port", port], tmp, timeout=60)
    assert_clean_failure(r, words)


def test_serve_refuses_a_busy_port(dirs):
    import socket

    _, tmp = dirs
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = nianbao(["serve", "--port", s.getsockname()[1]], tmp, timeout=60)
    assert_clean_failure(r, "已被其他程序占用")


@pytest.mark.libreoffice
def test_ctrl_c_during_libreoffice_leaves_nothing(inputs, dirs):
    """SIGINT while LibreOffice recalculates: LibreOffice is ended too, and its profile
    and ``lu*.tmp`` files go with the run's temporary folder."""
    out, tmp = dirs
    proc = start(["mark", inputs / "filled.xlsx", "-o", out / "m.xlsx"], tmp)
    end = time.monotonic() + 60
    profile = None
    while proc.poll() is None and time.monotonic() < end and profile is None:
        profile = next(iter(tmp.glob("nianbao-run-*/nianbao-lo-*")), None)
        time.sleep(0.01)
    assert profile is not None, "LibreOffice never started"
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in stdout + stderr, stderr
    assert list(out.iterdir()) == []
    assert_nothing_left(out, tmp)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert str(profile).encode() not in cmdline, "LibreOffice outlived the interrupted run"


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds ``marker`` (our TMPDIR): what a run left running."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{pid}/environ").read_bytes():
                found.append(int(pid))
        except OSError:
            continue
    return found


def test_ctrl_c_stops_a_review_and_its_workers(inputs, dirs, tmp_path):
    """A batch on worker processes: Ctrl-C ends it promptly, workers included, with one
    message and no traceback from any worker."""
    out, tmp = dirs
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(60):
        (batch / f"r{n}.xlsx").write_bytes((inputs / f"dept{n % 2}.xlsx").read_bytes())
    proc = start(["review", batch, "-o", out / "审核.xlsx", "--jobs", "2"], tmp)
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert "Traceback" not in stdout + stderr and "KeyboardInterrupt" not in stderr, stderr
    assert proc.returncode in (130, 0), stderr
    if proc.returncode == 130:
        assert stderr.count("已中断") == 1
    time.sleep(0.5)
    assert _processes_with(str(tmp)) == [], "worker processes outlived the review"
    assert_nothing_left(out, tmp, allowed={"审核.xlsx"})


def test_sigterm_while_writing(inputs, dirs):
    """SIGTERM (a service stopping, a job killed politely) unwinds like Ctrl-C: exit 143."""
    out, tmp = dirs
    args, _ = commands(inputs, out)["review"]
    for _ in range(8):
        proc = start([*args, "--force"], tmp)
        landed = _wait_for_part(proc, out)
        if landed:
            proc.terminate()
        stdout, stderr = proc.communicate(timeout=60)
        assert "Traceback" not in stdout + stderr, stderr
        assert_nothing_left(out, tmp)
        if landed and proc.returncode == 143:
            assert "已终止" in stderr
            return
    pytest.fail("no SIGTERM landed while writing")


def test_report_json_in_odd_encodings(inputs, dirs):
    """Report JSON saved as UTF-16 (Notepad's “Unicode”), cut mid-character or mid-value:
    a Chinese reason each, exit 2; with a UTF-8 BOM it is read."""
    out, tmp = dirs
    data = (inputs / "report.json").read_bytes()
    cases = {
        "utf16.json": (data.decode("utf-8").encode("utf-16"), "UTF-16"),
        "cut-char.json": (data[:data.index("局".encode()) + 2], "最后一个字的中间"),
        "cut-value.json": (data[: len(data) // 2], "不是合法的 JSON"),
        "bom.json": (b"\xef\xbb\xbf" + data, None),
    }
    for name, (content, _) in cases.items():
        (out / name).write_bytes(content)
    r = nianbao(["validate", *(out / n for n in cases)], tmp)
    assert "Traceback" not in r.stdout + r.stderr and r.returncode == 2, r.stderr
    for name, (_, words) in cases.items():
        line = next((ln for ln in r.stderr.splitlines() if ln.startswith(f"{out / name}: 错误：")), None)
        assert (line is None) == (words is None), (name, r.stderr)
        assert words is None or words in line
    assert f"{out / 'bom.json'}: " in r.stdout


@pytest.mark.libreoffice
def test_libreoffice_crash_is_one_chinese_line(tmp_path):
    """What LibreOffice cannot open (mark checks first, but a conversion can still fail):
    a Chinese line, not LibreOffice's native backtrace."""
    from addin.libreoffice import recalculate

    src = tmp_path / "坏.xlsx"
    src.write_text("不是工作簿", encoding="utf-8")
    with pytest.raises(InputError) as e:
        recalculate(src, tmp_path / "out")
    text = str(e.value)
    assert "坏.xlsx" in text and "0x" not in text and "Stack" not in text and "\n" not in text


def test_serve_refuses_an_unreadable_certificate(permissions_apply, dirs, tmp_path):
    _, tmp = dirs
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    for p in (cert, key):
        p.write_text("-----BEGIN-----\n")
    key.chmod(0)
    r = nianbao(["serve", "--certfile", cert, "--keyfile", key], tmp, drop_dac, timeout=60)
    assert_clean_failure(r, "没有权限", str(key))
