"""Writing output files so that nothing is ever half-written or silently overwritten.

Every writer goes through :func:`atomic_output`: the content is written to a
temporary file in the target's folder and renamed over the target only when
complete, so a crash, a kill or a full disk leaves either the old file or the new
one — never a torn one — and never a stray file under the final name.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterator

from ..errors import InputError


def check_target(path: Path, force: bool) -> None:
    """Refuse to overwrite an existing file unless ``force``; check the folder is writable."""
    if path.exists() and not force:
        raise InputError(f"文件已存在：{path}。如需覆盖，请加 --force。")
    if path.exists() and path.is_dir():
        raise InputError(f"输出路径是一个文件夹：{path}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise InputError(f"输出文件夹不存在：{folder}")
    if not os.access(folder, os.W_OK):
        raise InputError(f"没有写入权限：{folder}")


def _umask() -> int:
    """The process umask, read without changing it where the system says (Linux), since
    setting it to read it is not safe while other threads create files."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def final_mode(path: Path) -> int:
    """The mode the finished file gets: a replaced file keeps its own; a new one gets
    what the user's umask gives any new file (0644 under the usual 022), not the 0600 of
    a temporary file, so a web server can serve an exported report."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_output(path: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success rename it to ``path``.

    On any exception the temporary file is removed and ``path`` is untouched.
    """
    path = Path(path)
    check_target(path, force)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.part", dir=path.parent or ".")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp_path, final_mode(path))
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        raise


def write_bytes_atomic(path: str | Path, data: bytes, force: bool = False) -> Path:
    with atomic_output(path, force) as tmp:
        tmp.write_bytes(data)
    return Path(path)
