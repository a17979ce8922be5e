"""The report as PDF: the same .docx, converted by LibreOffice headless.

Where the official fonts (仿宋_GB2312, 黑体 …) are not installed, the conversion runs
with ``fonts.conf`` beside this module, which maps them to installed CJK fonts
(Noto CJK) of the same style; installed official fonts always win.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..errors import InputError
from ..libreoffice import convert, soffice
from ..writers.atomic import atomic_output

FONTS_CONF = Path(__file__).with_name("fonts.conf")


class PdfUnavailable(InputError):
    """PDF cannot be made here (LibreOffice missing); the message says why, in Chinese."""


def check_available() -> None:
    if soffice() is None:
        raise PdfUnavailable("未安装 LibreOffice（soffice），无法生成 PDF；Word 和 HTML 不受影响。"
                             "安装方法（Debian/Ubuntu）：apt-get install libreoffice-writer-nogui fonts-noto-cjk")


def _font_fallbacks() -> dict[str, str]:
    """Environment for the conversion: point fontconfig at our aliases (unless the user set their own)."""
    if "FONTCONFIG_FILE" in os.environ or not FONTS_CONF.exists():
        return {}
    return {"FONTCONFIG_FILE": str(FONTS_CONF)}


def docx_to_pdf(docx: str | Path, path: str | Path, force: bool = False) -> Path:
    """Convert ``docx`` to the PDF ``path`` atomically."""
    check_available()
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        src = Path(tmp) / "report.docx"
        shutil.copyfile(docx, src)
        out = convert(src, "pdf", Path(tmp) / "out", env=_font_fallbacks())
        with atomic_output(path, force) as target:
            shutil.copyfile(out, target)
    return Path(path)
