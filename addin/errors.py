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
