"""LibreOffice headless: convert documents (xlsx recalculation, docx → pdf).

Every call gets its own throw-away user profile, so conversions may run in parallel
(tests, batch export) without fighting over LibreOffice's profile lock. The profile
folder is also LibreOffice's ``TMPDIR`` (its ``lu*.tmp`` files), and LibreOffice runs
in its own process group, killed as a whole on a timeout, Ctrl-C or any error: so
nothing of it outlives the call.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import InputError


def soffice() -> str | None:
    """Path of the LibreOffice binary, or ``None`` if it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run(cmd: list[str], timeout: float, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run LibreOffice in a process group of its own; kill the whole group if we stop waiting."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:  # a timeout, Ctrl-C, SIGTERM: soffice.bin must not outlive us
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
        raise
    finally:
        for stream in (proc.stdout, proc.stderr):
            stream.close()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _reason(proc: subprocess.CompletedProcess) -> str:
    """Why a conversion failed, in a line a filer can read: LibreOffice's own message if
    it gave one, never its native backtrace (``Fatal exception``, ``Stack:``, addresses)."""
    text = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace")
    if "Fatal exception" in text or "Stack:" in text or proc.returncode < 0:
        return "LibreOffice 打开该文件时崩溃"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith(("Warning:", "convert "))]
    return lines[-1][:160] if lines else "未生成输出文件"


def _env(profile: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "HOME": profile, "TMPDIR": profile, **(extra or {})}


def convert(src: Path, to: str, outdir: Path, timeout: float = 180, filter_: str | None = None,
            env: dict[str, str] | None = None) -> Path:
    """Convert ``src`` to format ``to`` (``"pdf"``, ``"xlsx"``) into ``outdir``; return the new file.

    ``env`` adds environment variables for the LibreOffice process only.

    Raises :class:`InputError` with a Chinese message if LibreOffice is missing, times
    out or fails.
    """
    exe = soffice()
    if exe is None:
        raise InputError("未安装 LibreOffice（soffice），无法转换为 PDF 或重新计算公式。"
                         "Debian/Ubuntu：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui")
    outdir.mkdir(parents=True, exist_ok=True)
    target = f"{to}:{filter_}" if filter_ else to
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
               "--convert-to", target, "--outdir", str(outdir), str(src)]
        try:
            proc = _run(cmd, timeout, _env(profile, env))
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 转换超时（{timeout:.0f} 秒）：{src.name}") from None
    out = outdir / (src.stem + "." + to)
    if proc.returncode != 0 or not out.exists():
        raise InputError(f"LibreOffice 无法转换 {src.name}：{_reason(proc)}。请确认文件能在 LibreOffice 或 WPS 中打开。")
    return out


def recalculate(src: Path, outdir: Path) -> Path:
    """Open an .xlsx in LibreOffice Calc, recalculate every formula, save as .xlsx in ``outdir``.

    This is what Excel does before it sends values to xlwings: openpyxl writes formulas
    without cached results.
    """
    return convert(src, "xlsx", outdir, filter_="Calc MS Excel 2007 XML")


def convert_many(srcs: list[Path], to: str, outdir: Path, timeout: float = 600) -> list[Path]:
    """Convert several files in one LibreOffice run: the start-up (about a second) is paid
    once for the batch instead of once per file. Returns the outputs in order."""
    exe = soffice()
    if exe is None:
        raise InputError("未安装 LibreOffice（soffice），无法转换。")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nologo",
               "--convert-to", to, "--outdir", str(outdir), *map(str, srcs)]
        try:
            _run(cmd, timeout, _env(profile))
        except subprocess.TimeoutExpired:
            raise InputError(f"LibreOffice 批量转换超时（{timeout:.0f} 秒）") from None
    outs = [outdir / (Path(src).stem + "." + to) for src in srcs]
    missing = [o.name for o in outs if not o.exists()]
    if missing:
        raise InputError(f"LibreOffice 未能转换：{'、'.join(missing[:5])}")
    return outs
