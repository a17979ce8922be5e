"""Input that cannot be used at all (exit code 2), as opposed to findings."""

import zipfile
import zlib


class InputError(Exception):
    """A file that cannot be read as a report. The message is Chinese and names the place."""

    exit_code = 2


#: Files larger than this are refused before reading (bytes). Real reports are far smaller.
MAX_INPUT_BYTES = 50 * 1024 * 1024

#: What opening or listing a damaged zip (.xlsx, .docx) can raise besides BadZipFile:
#: a truncated file, an unsupported zip version or compression method, a bad header.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
              zlib.error, KeyError)


#: What a failed file operation means, in the filer's words, by ``errno`` name.
_OS_CAUSES = {
    "ENOSPC": "磁盘空间不足",
    "EDQUOT": "超出磁盘配额",
    "EFBIG": "文件超过系统允许的大小",
    "EACCES": "没有权限",
    "EPERM": "没有权限（操作不被允许）",
    "EROFS": "所在磁盘或文件夹是只读的",
    "ENAMETOOLONG": "文件名过长",
    "ENOENT": "找不到文件或文件夹",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EISDIR": "这是一个文件夹，不是文件",
    "EEXIST": "文件已存在",
    "EIO": "读写错误（磁盘、U 盘或网络故障）",
    "EMFILE": "打开的文件过多",
    "ENFILE": "打开的文件过多",
    "ENOMEM": "内存不足",
    "ETXTBSY": "文件正被其他程序使用",
    "EBUSY": "文件正被其他程序使用",
    "ELOOP": "符号链接层数过多",
    "EXDEV": "不能跨磁盘移动文件",
    "ESTALE": "网络文件已失效",
    "ETIMEDOUT": "网络超时",
}


def os_cause(e: OSError) -> str:
    """The Chinese cause of an :class:`OSError` (the system's own text in brackets)."""
    import errno

    name = errno.errorcode.get(e.errno or 0, "")
    cause = _OS_CAUSES.get(name)
    own = e.strerror or type(e).__name__
    return f"{cause}（{own}）" if cause else own


def os_error_message(e: OSError, action: str = "处理", path: object = None) -> str:
    """``无法写入 报告.xlsx：磁盘空间不足（No space left on device）`` — naming the file."""
    where = path if path is not None else (e.filename if e.filename is not None else "")
    if e.filename2 is not None and path is None:
        where = f"{e.filename} → {e.filename2}"
    return f"无法{action} {where}：{os_cause(e)}" if str(where) else f"无法{action}文件：{os_cause(e)}"
