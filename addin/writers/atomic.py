"""Writing output files so that nothing is ever half-written or silently overwritten.

Every writer goes through :func:`atomic_output`: the content is written to a
temporary file in the target's folder and put in place only when complete, so a
crash, a kill or a full disk leaves either the old file or the new one — never a torn
one — and never a stray file under the final name.

* The temporary name is short (``.nb-<pid>-<random>.part``): a long Chinese file name, near
  the 255-byte limit of a name, still has room for it.
* A new file gets the mode the umask gives (like any program's output); a replaced file
  keeps its own mode.
* The final name is *claimed*, not just renamed over: without ``force``, the new file
  is hard-linked to the final name, which fails if a file of that name appeared
  meanwhile (another ``nianbao`` writing the same output), so two writers never
  silently replace each other's work.
* A temporary file a killed run left behind (its process is gone) is removed by the
  next write into the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import signal
import stat
from pathlib import Path
from typing import Iterator

from ..errors import InputError, os_error_message

#: The temporary file's name: a dot (hidden), a random part, ``.part``.
PART_PREFIX = ".nb-"
PART_SUFFIX = ".part"
_PART_NAME = re.compile(r"\.nb-(\d+)-[0-9a-f]{8}\.part")


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _name_limit(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def check_target(path: Path, force: bool) -> None:
    """Refuse what cannot or must not be written, before any work is done: an existing
    file unless ``force`` (a read-only one is named as such), a folder, a missing or
    unwritable folder, a name longer than the file system allows."""
    path = Path(path)
    folder = _folder(path)
    size, limit = len(os.fsencode(path.name)), _name_limit(folder) if folder.is_dir() else 255
    if size > limit:  # checked first: the system cannot even look such a name up
        raise InputError(f"文件名过长：{path.name}（{size} 字节，此文件系统上限 {limit} 字节；"
                         "一个汉字占 3 字节）。请换一个短一些的文件名。")
    if path.is_dir():
        raise InputError(f"输出路径是一个文件夹：{path}")
    if path.exists() or path.is_symlink():
        if not force:
            if not _writable(path):
                raise InputError(f"输出文件已存在且为只读：{path}。如确需覆盖，请加 --force（覆盖后仍保持只读）。")
            raise InputError(f"文件已存在：{path}。如需覆盖，请加 --force。")
    if not folder.exists():
        raise InputError(f"输出文件夹不存在：{folder}")
    if not folder.is_dir():
        raise InputError(f"输出路径中的“{folder}”不是文件夹")
    if not os.access(folder, os.W_OK):
        raise InputError(f"没有写入权限：{folder}（无法在此文件夹中创建文件）")


def _writable(path: Path) -> bool:
    """Whether the file's mode lets anyone write it (root ignores modes; a read-only
    file is still one the user meant to protect)."""
    try:
        return bool(path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    except OSError:
        return True


def left_by_dead_runs(folder: Path, pid_of) -> Iterator[os.DirEntry]:
    """Entries of ``folder`` that a killed run of ours left behind: ``pid_of(name)`` gives
    the process id written in an entry's name (``None``: not such an entry); the entry
    belongs to this user and that process no longer exists. Only on POSIX, where
    ``os.kill(pid, 0)`` asks whether a process lives."""
    if os.name != "posix":
        return
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        pid = pid_of(entry.name)
        if pid is None:
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.geteuid():
                continue
            os.kill(pid, 0)
        except ProcessLookupError:
            yield entry
        except OSError:
            continue


def _part_pid(name: str) -> int | None:
    m = _PART_NAME.fullmatch(name)
    return None if m is None or int(m.group(1)) == os.getpid() else int(m.group(1))


def _sweep_parts(folder: Path) -> None:
    """Remove temporary files that killed runs of this machine left in ``folder``
    (``.nb-<pid>-<random>.part`` whose process is gone)."""
    for entry in left_by_dead_runs(folder, _part_pid):
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _create_part(folder: Path) -> Path:
    """Create an empty temporary file in ``folder`` with the umask's mode."""
    _sweep_parts(folder)
    for _ in range(100):
        part = folder / f"{PART_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{PART_SUFFIX}"
        try:
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return part
    raise InputError(f"无法在 {folder} 中创建临时文件")


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM for a moment (they arrive when it ends)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _claim(part: Path, path: Path) -> None:
    """Give ``part`` the final name ``path`` only if no file of that name exists."""
    try:
        os.link(part, path)
    except FileExistsError:
        raise InputError(f"文件已存在：{path}（在本次写入期间由其他程序创建）。未覆盖；如需覆盖，请加 --force。") from None
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS):
            raise
        # A file system without hard links (FAT, some network shares): check, then rename.
        if path.exists():
            raise InputError(f"文件已存在：{path}（在本次写入期间由其他程序创建）。未覆盖；如需覆盖，请加 --force。") from None
        os.rename(part, path)
        return
    part.unlink()


@contextlib.contextmanager
def atomic_output(path: str | Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success put it in place as ``path``.

    Without ``force`` the final name is claimed atomically (fails with a Chinese message
    if a file of that name appeared meanwhile); with ``force`` an existing file is
    replaced and its mode kept. On any exception — a full disk, Ctrl-C — the temporary
    file is removed and ``path`` is untouched.
    """
    path = Path(path)
    check_target(path, force)
    folder = _folder(path)
    made: list[Path] = []
    try:
        with _signals_held():  # Ctrl-C lands before the file exists or after it is known here
            made.append(_create_part(folder))
    except OSError as e:
        raise InputError(os_error_message(e, "写入", path)) from None
    except BaseException:
        for p in made:
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    part = made[0]
    try:
        yield part
        _fsync(part)
        try:
            mode = stat.S_IMODE(path.stat().st_mode) if force else None
        except FileNotFoundError:
            mode = None
        if mode is not None:  # a new file keeps the umask's mode it was created with
            os.chmod(part, mode)
        if force:
            os.replace(part, path)
        else:
            _claim(part, path)
        _fsync_folder(folder)
    except BaseException as e:
        with contextlib.suppress(OSError):
            part.unlink()
        if isinstance(e, OSError):  # a full disk, a quota, a vanished folder: say which file
            other = e.filename is not None and os.fspath(e.filename) != os.fspath(part)
            raise InputError(os_error_message(e) if other else os_error_message(e, "写入", path)) from None
        raise


def write_bytes_atomic(path: str | Path, data: bytes, force: bool = False) -> Path:
    with atomic_output(path, force) as tmp:
        tmp.write_bytes(data)
    return Path(path)
