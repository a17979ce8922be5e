"""Static checks of the built desktop add-in — what can be verified without Excel.

* the ribbon XML is well-formed and has the customUI structure (2006/01 schema: the
  elements, attributes and nesting used here), ids are unique, and its relationship
  type matches its namespace;
* every ``onAction`` names a ``Sub <name>(control As IRibbonControl)`` in the VBA
  module it names, as read back from the file by oletools' ``olevba``;
* every RunPython call in the ribbon module reaches a Python action that exists;
* the VBA runtime's xlwings version equals the installed, pinned xlwings;
* the configuration sheet is named after the VBA ``PROJECT_NAME``.

:func:`check` returns a list of Chinese problem descriptions (empty when all pass).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

NS_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
NS_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
REL_FOR_NS = {
    NS_2006: "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
    NS_2009: "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
}
#: element → (allowed child elements, allowed attributes) — the part of the customUI
#: schema (CT_CustomUI, CT_Ribbon, CT_Tabs, CT_Tab, CT_Group, CT_Button) this add-in uses.
_COMMON = {"id", "idMso", "idQ", "label", "getLabel", "visible", "getVisible", "insertAfterMso",
           "insertBeforeMso", "keytip", "getKeytip", "tag"}
_CONTROL = _COMMON | {"enabled", "getEnabled", "screentip", "getScreentip", "supertip", "getSupertip",
                      "image", "imageMso", "getImage", "showLabel", "getShowLabel", "showImage", "getShowImage",
                      "onAction", "size", "getSize", "description", "getDescription"}
SCHEMA = {
    "customUI": ({"commands", "ribbon"}, {"onLoad", "loadImage"}),
    "ribbon": ({"officeMenu", "qat", "contextualTabs", "tabs"}, {"startFromScratch"}),
    "tabs": ({"tab"}, set()),
    "tab": ({"group"}, _COMMON),
    "group": ({"button", "toggleButton", "separator", "box", "menu", "splitButton", "dialogBoxLauncher"},
              _COMMON | {"image", "imageMso", "getImage", "screentip", "supertip"}),
    "button": (set(), _CONTROL),
}
_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SUB = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(\s*control\s+As\s+IRibbonControl\s*\)", re.I | re.M)
_RUN = re.compile(r"RunNianbao\s+\"(\w+)\"")


def _check_ui(xml: bytes, rels: str) -> tuple[list[str], list[str]]:
    problems, actions = [], []
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError as e:
        return [f"customUI.xml 不是合法的 XML：{e}"], []
    ns = etree.QName(root).namespace
    if ns not in REL_FOR_NS:
        return [f"customUI.xml 的命名空间不是 customUI：{ns}"], []
    if REL_FOR_NS[ns] not in rels:
        problems.append(f"_rels/.rels 的关系类型与 customUI 命名空间 {ns} 不匹配")
    ids: set[str] = set()

    def walk(el, parent: str | None):
        q = etree.QName(el)
        tag = q.localname
        if q.namespace != ns:
            problems.append(f"元素 {tag} 不在 customUI 命名空间中")
            return
        if tag not in SCHEMA:
            problems.append(f"不支持的元素：{tag}")
            return
        if parent is not None and tag not in SCHEMA[parent][0]:
            problems.append(f"元素 {tag} 不能放在 {parent} 中")
        for attr, value in el.attrib.items():
            if attr not in SCHEMA[tag][1]:
                problems.append(f"{tag} 不允许属性 {attr}")
        if "id" in el.attrib:
            if not _ID.match(el.get("id")):
                problems.append(f"id 不合法：{el.get('id')}")
            if el.get("id") in ids:
                problems.append(f"id 重复：{el.get('id')}")
            ids.add(el.get("id"))
        if tag in ("tab", "group", "button"):
            if "id" not in el.attrib:
                problems.append(f"{tag} 缺少 id")
            label = el.get("label", "")
            if not label or len(label) > 1024:
                problems.append(f"{tag} {el.get('id')} 缺少标签")
        if tag == "button":
            if el.get("size") not in (None, "normal", "large"):
                problems.append(f"按钮 {el.get('id')} 的 size 不合法")
            if not el.get("onAction"):
                problems.append(f"按钮 {el.get('id')} 没有 onAction")
            else:
                actions.append(el.get("onAction"))
        for child in el:
            if isinstance(child, etree._Comment):
                continue
            walk(child, tag)

    if etree.QName(root).localname != "customUI":
        problems.append("根元素不是 customUI")
    walk(root, None)
    return problems, actions


def vba_modules(path: Path) -> dict[str, str]:
    """Module name → source, read back from the file with oletools' olevba."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()


def check(path: Path) -> list[str]:
    import xlwings

    from .addin_build import CONFIG_SHEET, PROJECT_NAME
    from .desktop import ACTIONS

    problems: list[str] = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        for part in ("customUI/customUI.xml", "xl/vbaProject.bin", "_rels/.rels", "xl/workbook.xml"):
            if part not in names:
                return [f"加载项缺少部件 {part}"]
        ui_problems, actions = _check_ui(z.read("customUI/customUI.xml"), z.read("_rels/.rels").decode("utf-8"))
        problems += ui_problems
        types = z.read("[Content_Types].xml").decode("utf-8")
        if "application/vnd.ms-excel.addin.macroEnabled.main+xml" not in types:
            problems.append("内容类型不是启用宏的加载项（.xlam）")
        if f'name="{CONFIG_SHEET}"' not in z.read("xl/workbook.xml").decode("utf-8"):
            problems.append(f"缺少配置工作表 {CONFIG_SHEET}")
    modules = vba_modules(path)
    for action in actions:
        module, _, proc = action.partition(".")
        subs = {m.lower() for m in _SUB.findall(modules.get(module, ""))}
        if proc.lower() not in subs:
            problems.append(f"onAction {action} 在 VBA 中没有对应的过程 Sub {proc}(control As IRibbonControl)")
    ribbon = modules.get("RibbonMyAddin", "")
    for name in _RUN.findall(ribbon):
        if name not in ACTIONS:
            problems.append(f"VBA 调用的 Python 操作不存在：{name}")
    if "import addin.excel.desktop as nianbao_desktop" not in ribbon:
        problems.append("VBA 没有调用 addin.excel.desktop")
    runtime = modules.get("xlwings", "")
    m = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', runtime)
    if not m or m.group(1) != xlwings.__version__:
        problems.append(f"VBA 中的 xlwings 版本 {m.group(1) if m else '（无）'} 与已安装的 {xlwings.__version__} 不一致")
    if f'PROJECT_NAME As String = "{PROJECT_NAME}"' not in runtime:
        problems.append(f"VBA 中的 PROJECT_NAME 不是 {PROJECT_NAME}")
    return problems
