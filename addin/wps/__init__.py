"""The WPS 表格 add-in (WPS 加载项, "jsapi"): ribbon.xml + JavaScript, no Python on the PC.

The add-in reads the workbook through the WPS object model into xlwings' book JSON,
posts it to ``nianbao serve`` and applies the returned actions (``js/nianbao-wps.js``).
:func:`build` packages it in the layout WPS loads offline: the folder
``nianbao_<version>/`` (copied into a PC's ``jsaddons`` folder and registered in its
``publish.xml``) and the archive ``nianbao_<version>.7z`` (named in a ``jsplugins.xml``
that WPS downloads from an intranet server, as ``oem.ini``'s ``JSPluginsServer`` says).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.sax.saxutils import quoteattr

from ..errors import InputError

SOURCE = Path(__file__).parent
NAME = "nianbao"
#: WPS's add-in type for 表格 (et = the spreadsheet application).
TYPE = "et"
#: What goes into the package (tests/ stays out).
FILES = ["ribbon.xml", "main.js", "js/config.js", "js/nianbao-wps.js", "js/ribbon.js",
         "images/nianbaoValidate.svg", "images/nianbaoClear.svg", "images/nianbaoExport.svg",
         "images/nianbaoHelp.svg", "images/nianbaoSettings.svg"]


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as dist_version

    try:
        return dist_version("nianbao")
    except PackageNotFoundError:
        return "0.1.0"


def config_js(server: str, key: str = "") -> str:
    """``js/config.js`` with the administrator's server address and key."""
    import xlwings

    defaults = {"server": server, "key": key, "xlwingsVersion": xlwings.__version__}
    body = ",\n".join(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in defaults.items())
    return ("// 年报助手 WPS 加载项的默认设置（由 nianbao addin build --wps 生成）；"
            "使用者可在“服务器设置”中修改。\n"
            f"globalThis.NIANBAO_WPS_DEFAULTS = {{\n{body},\n}};\n")


def publish_xml(folder: str, ver: str) -> str:
    """The entry of a PC's ``jsaddons/publish.xml`` for the unpacked folder."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n'
            f'  <jsplugin name="{NAME}" type="{TYPE}" url={quoteattr(folder)} version="{ver}" '
            'enable="enable_dev" install="null" customDomain=""/>\n</jsplugins>\n')


def jsplugins_xml(url: str, ver: str) -> str:
    """The ``jsplugins.xml`` an intranet server hands to every PC (``oem.ini`` JSPluginsServer)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n'
            f'  <jsplugin name="{NAME}" type="{TYPE}" url={quoteattr(url)} version="{ver}"/>\n</jsplugins>\n')


def _check_server(server: str) -> str:
    s = server.strip().rstrip("/")
    if not (s.startswith("http://") or s.startswith("https://")) or len(s) < 10:
        raise InputError(f"服务器地址应以 http:// 或 https:// 开头：{server}")
    return s


def build(out: Path, server: str = "http://127.0.0.1:8000", key: str = "", publish_url: str | None = None,
          force: bool = False) -> dict[str, Path]:
    """Write the add-in folder, its .7z archive, ``publish.xml`` and ``jsplugins.xml`` into ``out``."""
    import importlib.util

    if importlib.util.find_spec("py7zr") is None:
        raise InputError("打包 WPS 加载项需要 py7zr：pip install 'nianbao[server]' 或 pip install py7zr")
    import py7zr

    server = _check_server(server)
    ver = version()
    folder_name = f"{NAME}_{ver}"
    out = Path(out)
    folder, archive = out / folder_name, out / f"{folder_name}.7z"
    if not force and (folder.exists() or archive.exists()):
        raise InputError(f"{folder} 已存在。如要覆盖，请加 --force。")
    out.mkdir(parents=True, exist_ok=True)
    staging = out / f".{folder_name}.part"
    shutil.rmtree(staging, ignore_errors=True)
    for rel in FILES:
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE / rel, target)
    (staging / "js" / "config.js").write_text(config_js(server, key), encoding="utf-8")
    part = out / f".{folder_name}.7z.part"
    with py7zr.SevenZipFile(part, "w") as z:
        z.writeall(staging, folder_name)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    part.replace(archive)
    base = (publish_url or "http://内网服务器/wps").rstrip("/")
    (out / "publish.xml").write_text(publish_xml(folder_name, ver), encoding="utf-8")
    (out / "jsplugins.xml").write_text(jsplugins_xml(f"{base}/{archive.name}", ver), encoding="utf-8")
    return {"folder": folder, "archive": archive, "publish": out / "publish.xml", "jsplugins": out / "jsplugins.xml"}
