"""The ``nianbao`` command line.

Each command lives in ``addin/commands/<name>.py`` with ``add_arguments(parser)`` and
``run(args) -> int``; this module only wires them up, so a command's import cost is
paid only when it runs. Exit codes of checking commands: 0 no errors, 1 errors found,
2 input unusable (or a file that cannot be read or written), 130 interrupted (Ctrl-C),
143 terminated (SIGTERM).

Whatever goes wrong, the user sees one Chinese line naming the file and the cause,
never a traceback (``NIANBAO_DEBUG=1`` shows it), and nothing is left behind: every
temporary file of a run — ours, openpyxl's, LibreOffice's ``lu*.tmp`` — lives in one
private folder (:func:`run_folder`) removed when the run ends; the folders of runs
that were killed are removed by the next run.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Iterator

from . import __version__
from .errors import InputError, os_error_message

#: Name of a run's private temporary folder: ``nianbao-run-<pid>-<random>``.
RUN_PREFIX = "nianbao-run-"
DEBUG_ENV = "NIANBAO_DEBUG"


class Terminated(BaseException):
    """SIGTERM: unwinds like Ctrl-C, so temporary files are removed on the way out."""

#: name → (module, one-line Chinese help). Order is the order ``nianbao -h`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("addin.commands.demo", "生成一份带有几处错误的示例工作簿，校验并显示结果"),
    "new": ("addin.commands.new", "由模板新建年报工作簿（空白，或由报告 JSON 填好）"),
    "validate": ("addin.commands.validate", "校验工作簿或报告 JSON，逐条列出错误和警告"),
    "mark": ("addin.commands.mark", "校验工作簿并把结果写回工作簿（校验结果表、标色；文件模式，适用于 WPS 和 Linux 桌面）"),
    "export": ("addin.commands.export", "导出报告文档（Word、HTML、PDF、JSON）"),
    "import": ("addin.commands.import_", "导入已发布的报告（文本、网页、Word）"),
    "review": ("addin.commands.review", "批量审核多份报告，生成汇总表"),
    "rollup": ("addin.commands.rollup", "把各部门报告的表格逐格相加，汇总成本级政府报告"),
    "template": ("addin.commands.template", "由格式定义生成 Excel 模板"),
    "rule": ("addin.commands.rule", "解释一条校验规则：是什么、为什么、怎么改、依据"),
    "addin": ("addin.commands.addin_build", "构建 Excel 加载项（.xlam）"),
    "serve": ("addin.commands.serve", "启动 xlwings Server（Office.js 加载项、上传页面）"),
    "app": ("addin.commands.app", "在本机启动年报助手页面并打开浏览器（不需要加载项）"),
    "bundle": ("addin.commands.bundle", "生成离线安装包（wheel、加载项、模板、安装脚本），供内网电脑安装"),
}


def _available() -> dict[str, tuple[str, str]]:
    out = {}
    for name, (module, help_) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            out[name] = (module, help_)
    return out


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="年报助手：政府信息公开工作年度报告的模板、校验与导出。",
        epilog="每个命令的用法：nianbao <命令> -h",
    )
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="<命令>")
    modules = {}
    for name, (module_name, help_) in _available().items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=help_, description=getattr(module, "DESCRIPTION", help_))
        module.add_arguments(p)
        modules[name] = module
    return parser, modules


def _run_pid(name: str) -> int | None:
    pid = name[len(RUN_PREFIX):].split("-", 1)[0] if name.startswith(RUN_PREFIX) else ""
    return int(pid) if pid.isdigit() else None


def _sweep(base: Path) -> None:
    """Remove run folders left by runs that were killed (their process is gone)."""
    from .writers.atomic import left_by_dead_runs

    for entry in left_by_dead_runs(base, _run_pid):
        shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def run_folder() -> Iterator[Path | None]:
    """A private temporary folder for this run, used by everything the run starts:
    ``tempfile`` in this process (openpyxl, our own temporary folders) and ``TMPDIR``
    for child processes (LibreOffice). Removed at the end, whatever happened."""
    base = Path(tempfile.gettempdir())
    _sweep(base)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-", dir=base))
    except OSError:  # a full or read-only temporary folder: run without (what fails will say why)
        yield None
        return
    saved_env, saved_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


#: lxml reports a failed write as ``SerialisationError: IO_ENOSPC`` and the like.
_LXML_IO = {"IO_ENOSPC": "磁盘空间不足", "IO_EDQUOT": "超出磁盘配额", "IO_EFBIG": "文件超过系统允许的大小",
            "IO_EACCES": "没有权限", "IO_EROFS": "所在磁盘或文件夹是只读的", "IO_EIO": "读写错误"}


def _serialisation_cause(e: Exception) -> str | None:
    if type(e).__name__ != "SerialisationError":
        return None
    return next((cause for code, cause in _LXML_IO.items() if code in str(e)), None)


def _terminate(signum, frame) -> None:
    raise Terminated


def _complain(text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr)
        sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    program = argv is None  # run as the program, not called by a test
    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may set handlers
        previous = signal.signal(signal.SIGTERM, _terminate)
    if program and not os.environ.get(DEBUG_ENV):
        # An error inside a finaliser (openpyxl's sheet writer on a full disk, a zip file
        # closed by the garbage collector) would print “Exception ignored … Traceback”
        # after the real message has been given: keep it out of the filer's sight.
        sys.unraisablehook = lambda unraisable: None
    try:
        return _run(argv)
    finally:
        with contextlib.suppress(ValueError, TypeError):
            if program:  # the work is done and reported: a late Ctrl-C has nothing left to stop
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
            elif previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _run(argv: list[str] | None) -> int:
    """Run one command; every failure becomes a Chinese line and an exit code."""
    try:
        parser, modules = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return 2
        with run_folder():
            return int(modules[args.command].run(args) or 0)
    except InputError as e:
        _complain(f"错误：{e}")
        return 2
    except KeyboardInterrupt:
        _complain("已中断（Ctrl-C）：未完成的输出文件已删除，原有文件未改动。")
        return 130
    except Terminated:
        _complain("已终止：未完成的输出文件已删除，原有文件未改动。")
        return 143
    except BrokenPipeError:  # `nianbao review … | head`: the reader left; stop quietly
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as e:
        _complain(f"错误：{os_error_message(e)}")
        return 2
    except MemoryError:
        _complain("错误：内存不足，无法完成。请关闭其他程序后重试，或分批处理。")
        return 2
    except Exception as e:  # noqa: BLE001 - a bug must still end with a message, not a traceback
        cause = _serialisation_cause(e)
        if cause:  # lxml writing openpyxl's temporary sheet files into a full temporary folder
            _complain(f"错误：无法写入临时文件夹 {tempfile.gettempdir()}：{cause}")
            return 2
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        _complain(f"错误：程序内部出错（{type(e).__name__}: {str(e)[:300]}）。"
                  f"请把此消息和所用的文件发给技术支持；设置环境变量 {DEBUG_ENV}=1 可显示详细信息。")
        return 2


if __name__ == "__main__":
    sys.exit(main())
