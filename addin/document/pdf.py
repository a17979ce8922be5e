"""The report as PDF: the same .docx, converted by LibreOffice headless.

Where the official fonts (仿宋_GB2312, 黑体 …) are not installed, the conversion runs
with ``fonts.conf`` beside this module, which maps them to installed CJK fonts
(Noto CJK, and a Kai face for 楷体) of the same style; installed official fonts always win.
:func:`substitution_note` tells the user which official fonts were replaced, and by what.
"""

from __future__ import annotations

import os
import shutil
import subprocess
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


def font_substitutions() -> dict[str, str]:
    """Official fonts of the document that are not installed → the font the PDF gets
    instead, as fontconfig resolves them with our aliases (empty if fontconfig is absent)."""
    from .docx_writer import OFFICIAL_FONTS

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return {}
    env = {**os.environ, **_font_fallbacks()}
    out = {}
    for name in OFFICIAL_FONTS:
        try:
            found = subprocess.run([fc_match, "-f", "%{family}", name], env=env, capture_output=True,
                                   text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return {}
        families = [f.strip() for f in found.split(",") if f.strip()]
        if families and name not in families:
            out[name] = families[0]
    return out


def substitution_note() -> str:
    """One Chinese line for the user when official fonts were replaced in the PDF, else ``""``."""
    subs = font_substitutions()
    if not subs:
        return ""
    pairs = "、".join(f"{name}→{used}" for name, used in subs.items())
    return (f"提示：本机未安装公文字体，PDF 中已用相近字体代替（{pairs}）。"
            "正式印发前，请在装有这些字体的电脑上用 Word/WPS 打开 .docx 另存为 PDF，或安装字体后重新导出。")


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
