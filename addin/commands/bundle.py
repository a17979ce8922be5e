"""``nianbao bundle``: an offline installer for an intranet PC or server.

An administrator runs it once on a machine with internet access (from the source
checkout); it writes a folder to carry onto the intranet::

    DIR/wheels/      nianbao and every dependency, wheels only, for one platform and each
                     supported Python version (pip's cross-platform download:
                     ``pip download --only-binary=:all: --platform … --python-version …``)
    DIR/addins/      nianbao.xlam (desktop Excel, local Python or server mode), and the WPS
                     加载项 in addins/wps/ when the checkout builds it (``addin build --wps``)
    DIR/templates/   the blank workbook templates
    DIR/install.cmd  Windows: venv at %LOCALAPPDATA%\\nianbao\\venv (the interpreter path
                     the add-in expects), pip install --no-index, add-in copied to
                     %APPDATA%\\Microsoft\\AddIns, a first 校验 (nianbao demo)
    DIR/install.sh   Linux: venv at $HOME/nianbao/venv (or $NIANBAO_HOME/venv), same steps
    DIR/说明.txt      what to do, in Chinese

After writing, it checks what the intranet PC will do: for every bundled Python version,
pip resolves the complete install from DIR/wheels alone (``pip install --dry-run
--no-index --find-links DIR/wheels --platform … --only-binary=:all:``), with pip's own
configuration switched off so nothing but the bundle can satisfy it.

The server extra (``nianbao serve``: xlwings Server, uvicorn) is bundled too, so the same
folder installs a unit's server (``install.sh --server``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ..errors import InputError

DESCRIPTION = ("为内网电脑或服务器生成离线安装包：年报助手和全部依赖的 wheel（指定平台、每个支持的 Python 版本）、"
               "Excel 加载项、模板和安装脚本（install.cmd / install.sh，在加载项预期的位置创建 venv，"
               "用 --no-index 安装）。\n需要联网运行一次（下载 wheel），并在源代码目录中运行。"
               "生成后自动检查：每个 Python 版本都能只用包里的 wheel 解析出完整安装。")
#: Supported Python versions (pyproject: requires-python >= 3.11).
PYTHONS = ("3.11", "3.12", "3.13")
_ARCH = {"manylinux_x86_64": "x86_64", "manylinux_aarch64": "aarch64"}
#: Target glibc 2.28 (麒麟 V10, 统信 UOS 20): every manylinux tag (2.17 … 2.28) a wheel
#: such a system can run may carry; pip needs them listed when it targets another platform.
#: Some dependencies (lxml, cryptography) publish 2.28 wheels only, so older systems are out.
_GLIBC = range(17, 29)
PLATFORMS = ("win_amd64", "manylinux_x86_64", "manylinux_aarch64")
#: Extras bundled per platform: the unit's server (``nianbao serve``) runs on Linux;
#: a Windows PC runs the Excel add-in (xlwings Server needs uvloop, which has no Windows wheel).
EXTRAS = {"win_amd64": "", "manylinux_x86_64": "server", "manylinux_aarch64": "server"}


def requirement(platform: str, name: str = "nianbao") -> str:
    return f"{name}[{EXTRAS[platform]}]" if EXTRAS[platform] else name


def target_environment(platform: str, python: str) -> dict[str, str]:
    """PEP 508 marker values of the target machine. pip evaluates a dependency's markers
    on the machine it runs on, even with ``--platform``: from Linux it would leave out
    xlwings' ``pywin32; platform_system == 'Windows'``, so :func:`missing_requirements`
    evaluates them for the target instead."""
    if platform == "win_amd64":
        env = {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"}
    else:
        env = {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
               "platform_machine": _ARCH[platform]}
    return {**env, "python_version": python, "python_full_version": python + ".0", "implementation_name": "cpython",
            "platform_python_implementation": "CPython", "platform_release": "", "platform_version": "",
            "implementation_version": python + ".0"}


def _compatible(wheel: Path, platform: str, python: str) -> bool:
    from packaging.utils import parse_wheel_filename

    xy = python.replace(".", "")
    minor = int(python.split(".")[1])
    allowed = set(platform_tags(platform)) | {"any"}
    for tag in parse_wheel_filename(wheel.name)[3]:
        if tag.platform not in allowed:
            continue
        if tag.interpreter in ("py3", f"py{xy}") and tag.abi == "none":
            return True
        if tag.interpreter == f"cp{xy}" and tag.abi in ("none", f"cp{xy}"):
            return True
        if tag.abi == "abi3" and tag.interpreter.startswith("cp3") and int(tag.interpreter[3:]) <= minor:
            return True
    return False


def _requires(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        text = z.read(meta).decode("utf-8")
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")]


def missing_requirements(wheels: Path, platform: str, python: str, root: str) -> list[str]:
    """Requirements of ``root`` (and, transitively, of the newest matching wheel of each
    dependency) that no wheel in ``wheels`` satisfies for this platform and Python, with
    markers evaluated for the target (:func:`target_environment`)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename

    env = target_environment(platform, python)
    index: dict[str, list[tuple]] = {}
    for w in wheels.glob("*.whl"):
        if _compatible(w, platform, python):
            name, version, _, _ = parse_wheel_filename(w.name)
            index.setdefault(name, []).append((version, w))
    missing, seen, queue = [], set(), [Requirement(root)]
    while queue:
        req = queue.pop()
        key = (canonicalize_name(req.name), str(req.specifier), tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        found = sorted((v, w) for v, w in index.get(canonicalize_name(req.name), [])
                       if req.specifier.contains(v, prereleases=True))
        if not found:
            missing.append(str(req))
            continue
        for line in _requires(found[-1][1]):
            dep = Requirement(line)
            if dep.marker is None or any(dep.marker.evaluate({**env, "extra": e}) for e in ("", *req.extras)):
                queue.append(Requirement(str(dep).split(";")[0]))
    return sorted(missing)


def platform_tags(platform: str) -> list[str]:
    """The wheel platform tags pip may pick for ``platform``."""
    if platform == "win_amd64":
        return ["win_amd64"]
    arch = _ARCH[platform]
    return [f"manylinux_2_{v}_{arch}" for v in reversed(_GLIBC)] + [f"manylinux2014_{arch}"]


def _platform_args(platform: str, python: str) -> list[str]:
    args = []
    for tag in platform_tags(platform):
        args += ["--platform", tag]
    return args + ["--python-version", python, "--implementation", "cp", "--only-binary=:all:"]


def source_root() -> Path:
    root = Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").is_file() or not (root / "addin").is_dir():
        raise InputError("nianbao bundle 需要在源代码目录中运行（找不到 pyproject.toml）："
                         "请在年报助手的源代码目录中用 python -m addin bundle … 运行。")
    return root


def offline_env() -> dict[str, str]:
    """The environment for pip runs that must use the bundle only: no pip configuration
    files, no PIP_* variables (an administrator's find-links or index must not help)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _pip(args: list[str], env: dict[str, str] | None = None, what: str = "") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "pip", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        tail = (out.stderr or out.stdout).strip().splitlines()[-8:]
        raise InputError(f"{what}失败（pip 退出码 {out.returncode}）：\n" + "\n".join(tail))
    return out


def project_wheel(root: Path, wheels: Path) -> Path:
    """Build nianbao's own wheel into ``wheels``."""
    _pip(["wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(root)], what="构建年报助手的 wheel ")
    found = sorted(wheels.glob("nianbao-*.whl"))
    if not found:
        raise InputError("构建年报助手的 wheel 失败：没有生成 nianbao-*.whl")
    return found[-1]


def download(wheel: Path, wheels: Path, platform: str, python: str) -> None:
    """Every dependency of nianbao (with the platform's extras) for one platform and
    Python version (online, with the administrator's normal pip configuration); then what
    pip left out because it evaluated markers for this machine, until nothing is missing."""
    what = f"下载 {platform} / Python {python} 的依赖"
    extras = f"[{EXTRAS[platform]}]" if EXTRAS[platform] else ""
    _pip(["download", "-q", "-d", str(wheels), *_platform_args(platform, python), f"{wheel}{extras}"], what=what)
    for _ in range(10):
        missing = missing_requirements(wheels, platform, python, requirement(platform))
        if not missing:
            return
        _pip(["download", "-q", "-d", str(wheels), "--find-links", str(wheels), *_platform_args(platform, python),
              *missing], what=what)
    raise InputError(f"{what}：仍缺少 {'、'.join(missing)}")


def verify(bundle: Path, platform: str, pythons=PYTHONS) -> dict[str, list[str]]:
    """Resolve the complete install offline from ``bundle/wheels`` for each Python version:
    ``{python: [name==version, …]}``, with pip, then check the markers pip evaluated for
    this machine against the target (:func:`missing_requirements`). Raises
    :class:`InputError` naming what is missing."""
    import json

    wheels = bundle / "wheels"
    out = {}
    for python in pythons:
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "report.json"
            _pip(["install", "--dry-run", "--no-index", "--find-links", str(wheels), "--ignore-installed",
                  "--target", str(Path(tmp) / "t"), "--report", str(report), "-q", *_platform_args(platform, python),
                  requirement(platform)],
                 env=offline_env(), what=f"离线解析（{platform}，Python {python}）")
            items = json.loads(report.read_text(encoding="utf-8"))["install"]
            out[python] = sorted(f"{i['metadata']['name']}=={i['metadata']['version']}" for i in items)
        missing = missing_requirements(wheels, platform, python, requirement(platform))
        if missing:
            raise InputError(f"离线解析（{platform}，Python {python}）失败：目标平台需要而安装包中没有 {'、'.join(missing)}")
    return out


INSTALL_SH = r"""#!/bin/sh
# 年报助手离线安装（Linux：麒麟、统信 UOS 等）。用法：
#   sh install.sh            安装到 $HOME/nianbao/venv（或 $NIANBAO_HOME/venv），运行一次示例校验
#   sh install.sh --server   同时安装服务器组件（nianbao serve）
# 指定 Python：PYTHON=/usr/bin/python3.11 sh install.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
HOME_DIR=${NIANBAO_HOME:-$HOME/nianbao}
VENV=$HOME_DIR/venv
REQ=nianbao
[ "${1:-}" = "--server" ] && REQ="nianbao[server]"
if [ -z "${PYTHON:-}" ]; then
  for v in @PYTHONS_DESC@; do
    if command -v "python$v" >/dev/null 2>&1; then PYTHON=$(command -v "python$v"); break; fi
  done
fi
if [ -z "${PYTHON:-}" ]; then
  echo "错误：没有找到 Python @PYTHONS_TEXT@。请先安装其中一个版本（系统软件源中的 python3.11 等），或用 PYTHON=路径 指定。" >&2
  exit 2
fi
VER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case " @PYTHONS@ " in
  *" $VER "*) ;;
  *) echo "错误：$PYTHON 是 Python $VER，本安装包只含 @PYTHONS_TEXT@ 的 wheel。" >&2; exit 2 ;;
esac
echo "使用 $PYTHON（Python $VER），安装到 $VENV"
"$PYTHON" -m venv "$VENV"
PIP_CONFIG_FILE=/dev/null "$VENV/bin/python" -m pip install --no-index --find-links "$HERE/wheels" --upgrade "$REQ"
mkdir -p "$HOME_DIR/addins" "$HOME_DIR/templates"
cp "$HERE"/addins/* "$HOME_DIR/addins/" 2>/dev/null || true
cp "$HERE"/templates/* "$HOME_DIR/templates/"
echo "安装完成。第一次校验（示例工作簿）："
mkdir -p "$HOME_DIR/demo"
"$VENV/bin/nianbao" demo -o "$HOME_DIR/demo" --force || true
echo "命令：$VENV/bin/nianbao（例如 $VENV/bin/nianbao mark 年报.xlsx）"
"""

INSTALL_CMD = r"""@echo off
rem 年报助手离线安装（Windows）：在本文件所在文件夹双击运行，或在命令提示符中运行 install.cmd
setlocal
chcp 65001 >nul
set "HERE=%~dp0"
set "VENV=%LOCALAPPDATA%\nianbao\venv"
set "PY="
for %%v in (@PYTHONS_DESC@) do (
  if not defined PY (
    py -%%v -c "import sys" >nul 2>&1 && set "PY=py -%%v"
  )
)
if not defined PY (
  python -c "import sys; sys.exit(0 if '%%d.%%d' %% sys.version_info[:2] in '@PYTHONS@'.split() else 1)" >nul 2>&1 && set "PY=python"
)
if not defined PY (
  echo 错误：没有找到 Python @PYTHONS_TEXT@。请先安装其中一个版本（安装时勾选 Add python.exe to PATH）。
  exit /b 2
)
echo 使用 %PY%，安装到 %VENV%
%PY% -m venv "%VENV%" || exit /b 2
set "PIP_CONFIG_FILE=NUL"
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheels" --upgrade nianbao || exit /b 2
if not exist "%APPDATA%\Microsoft\AddIns" mkdir "%APPDATA%\Microsoft\AddIns"
copy /Y "%HERE%addins\nianbao.xlam" "%APPDATA%\Microsoft\AddIns\nianbao.xlam" >nul
if not exist "%USERPROFILE%\Documents\nianbao" mkdir "%USERPROFILE%\Documents\nianbao"
copy /Y "%HERE%templates\*.xlsx" "%USERPROFILE%\Documents\nianbao\" >nul
echo 安装完成。第一次校验（示例工作簿，写到 文档\nianbao）：
"%VENV%\Scripts\nianbao.exe" demo -o "%USERPROFILE%\Documents\nianbao" --force
echo.
echo 下一步：Excel - 文件 - 选项 - 加载项 - 管理 Excel 加载项 - 转到 - 浏览，选中 %APPDATA%\Microsoft\AddIns\nianbao.xlam
endlocal
"""

README = """年报助手离线安装包（{platform}；Python {pythons_text}）

内容：wheels\\ 年报助手及全部依赖；addins\\ Excel 加载项 nianbao.xlam；templates\\ 空白模板。
安装时不需要联网。详细步骤见年报助手文档 docs/install.md。

Windows：先安装 Python {pythons_text} 之一，再双击 install.cmd。
  装到 %LOCALAPPDATA%\\nianbao\\venv（加载项默认使用这里的 pythonw.exe），
  加载项复制到 %APPDATA%\\Microsoft\\AddIns，然后运行一次示例校验。
Linux（麒麟、统信 UOS 等）：sh install.sh（服务器：sh install.sh --server）。
  装到 $HOME/nianbao/venv，然后运行一次示例校验。
"""


def _wps_addin(root: Path, target: Path) -> bool:
    """The WPS 加载项 (``nianbao addin build --wps``), when this checkout has it."""
    helptext = subprocess.run([sys.executable, "-m", "addin", "addin", "build", "-h"], capture_output=True, text=True,
                              cwd=root, env={**os.environ, "PYTHONPATH": str(root)}).stdout
    if "--wps" not in helptext:
        return False
    _run = subprocess.run([sys.executable, "-m", "addin", "addin", "build", "--wps", "-o", str(target)],
                          capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    if _run.returncode != 0:
        raise InputError("构建 WPS 加载项失败：" + (_run.stderr or _run.stdout).strip()[-500:])
    return True


def _fill(text: str, pythons) -> str:
    return (text.replace("@PYTHONS_DESC@", " ".join(sorted(pythons, key=lambda v: tuple(map(int, v.split("."))),
                                                          reverse=True)))
            .replace("@PYTHONS_TEXT@", "、".join(pythons)).replace("@PYTHONS@", " ".join(pythons)))


def build(out: Path, platform: str, pythons=PYTHONS, force: bool = False, check: bool = True) -> dict:
    """Write the bundle to ``out``; return the offline resolution per Python version."""
    if platform not in PLATFORMS:
        raise InputError(f"不支持的平台：{platform}（可选：{'、'.join(PLATFORMS)}）")
    root = source_root()
    if out.exists() and any(out.iterdir()):
        if not force:
            raise InputError(f"输出文件夹 {out} 已存在且不为空；要替换请加 --force")
    tmp = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out.parent if out.parent.exists() else None))
    try:
        wheels = tmp / "wheels"
        wheels.mkdir()
        wheel = project_wheel(root, wheels)
        for python in pythons:
            download(wheel, wheels, platform, python)
        (tmp / "addins").mkdir()
        shutil.copy2(root / "workbook_templates" / "nianbao.xlam", tmp / "addins" / "nianbao.xlam")
        _wps_addin(root, tmp / "addins" / "wps")
        (tmp / "templates").mkdir()
        for t in sorted((root / "workbook_templates").glob("*.xlsx")):
            shutil.copy2(t, tmp / "templates" / t.name)
        if platform == "win_amd64":
            (tmp / "install.cmd").write_bytes(_fill(INSTALL_CMD, pythons).replace("\n", "\r\n").encode("utf-8"))
        else:
            script = tmp / "install.sh"
            script.write_text(_fill(INSTALL_SH, pythons), encoding="utf-8", newline="\n")
            script.chmod(0o755)
        readme = README.format(platform=platform, pythons_text="、".join(pythons))
        (tmp / "说明.txt").write_bytes(readme.replace("\n", "\r\n").encode("utf-8-sig"))
        resolved = verify(tmp, platform, pythons) if check else {}
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
        return resolved
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def add_arguments(p) -> None:
    p.add_argument("--platform", required=True, choices=PLATFORMS, help="目标平台")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="输出文件夹")
    p.add_argument("--python", default=",".join(PYTHONS), metavar="3.11,3.12",
                   help=f"要包含的 Python 版本（默认 {','.join(PYTHONS)}）")
    p.add_argument("--force", action="store_true", help="替换已存在的输出文件夹")
    p.add_argument("--check-only", action="store_true",
                   help="不下载，只检查已有安装包能否离线解析")


def run(args) -> int:
    pythons = tuple(v.strip() for v in args.python.split(",") if v.strip())
    for v in pythons:
        if v not in PYTHONS:
            raise InputError(f"不支持的 Python 版本：{v}（支持 {'、'.join(PYTHONS)}）")
    out = Path(args.output)
    if args.check_only:
        if not (out / "wheels").is_dir():
            raise InputError(f"{out} 不是安装包文件夹（没有 wheels/）")
        resolved = verify(out, args.platform, pythons)
    else:
        resolved = build(out, args.platform, pythons, force=args.force)
        print(f"已生成：{out}")
    for python, items in resolved.items():
        print(f"Python {python}：离线解析通过，共 {len(items)} 个包")
    return 0
