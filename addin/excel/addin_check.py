"""Static checks of the built desktop add-in — what can be verified without Excel.

* the ribbon XML is well-formed and has the customUI structure (2006/01 schema: the
  elements, attributes and nesting used here), ids are unique, and its relationship
  type matches its namespace;
* every ``onAction`` names a ``Sub <name>(control As IRibbonControl)`` in the VBA
  module it names, as read back from the file by oletools' ``olevba``;
* every RunPython call in the ribbon module reaches a Python action that exists;
* the VBA runtime's xlwings version equals the installed, pinned xlwings;
* the configuration sheet is named after the VBA ``PROJECT_NAME`` and lists only the
  fixed keys (a key listed there can never be changed in a user's ``nianbao.conf``);
* the server mode's modules are all there (Remote, WebHelpers and the VBA-Web classes,
  classes stored as classes), and every call resolves: each procedure or class that
  xlwings' VBA sources define and a module of the add-in uses is defined in the add-in,
  exactly once among its standard modules (:func:`unresolved_calls`);
* the ribbon module guards against a click with no workbook open before calling
  RunPython or RunServerPython (xlwings reads ``ActiveWorkbook`` first: VBA error 91).

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


_PROC = re.compile(r"^[ \t]*(Public[ \t]+|Private[ \t]+|Friend[ \t]+)?(?:Static[ \t]+)?"
                   r"(?:Function|Sub|Property[ \t]+(?:Get|Let|Set))[ \t]+(\w+)", re.M | re.I)
_DECLARE = re.compile(r"^[ \t]*(?:Public[ \t]+|Private[ \t]+)?Declare[ \t]+(?:PtrSafe[ \t]+)?"
                      r"(?:Function|Sub)[ \t]+(\w+)", re.M | re.I)
_STRING = re.compile(r'"[^"\r\n]*"')


def _code(source: str) -> str:
    """Source without string literals, comments and Attribute lines (for identifier scans)."""
    out = []
    for line in source.splitlines():
        if line.startswith("Attribute "):
            continue
        line = _STRING.sub('""', line)
        if "'" in line:
            line = line[:line.index("'")]
        if re.match(r"^\s*Rem\b", line, re.I):
            continue
        out.append(line)
    return "\n".join(out)


def procedures(source: str) -> dict[str, bool]:
    """Procedure name (lower case) → public?, for one module's source."""
    out = {}
    for m in _PROC.finditer(source):
        out[m[2].lower()] = not (m[1] or "").strip().lower() == "private"
    for m in _DECLARE.finditer(source):
        out[m[1].lower()] = False
    return out


def xlwings_vba_names() -> tuple[set[str], set[str]]:
    """(procedure names of standard modules, class names) in the installed xlwings' VBA
    sources — the universe a call in the add-in may need from xlwings. Class members are
    reached through an object (``obj.Member``), never by a bare name, so they are left out."""
    import xlwings

    base = Path(xlwings.__file__).parent
    procs, classes = set(), set()
    for path in [*sorted((base / "addin").glob("*.bas")), *sorted((base / "addin").glob("*.cls")),
                 base / "xlwings_custom_addin.bas"]:
        if path.suffix == ".cls":
            classes.add(path.stem.lower())
        else:
            procs |= set(procedures(path.read_text(encoding="cp1252", errors="replace")))
    return procs, classes


def unresolved_calls(modules: dict[str, str], class_modules: set[str]) -> list[str]:
    """Calls that would not compile: for every module, each identifier that names an
    xlwings VBA procedure (or class) must be defined in that module, or publicly in
    exactly one standard module (``Module.Proc`` qualified: in that module), or be a
    class module of the project. Member calls (``obj.Method``) are the classes' own."""
    universe, xl_classes = xlwings_vba_names()
    classes = {c.lower() for c in class_modules}
    defined = {name: procedures(src) for name, src in modules.items()}
    public: dict[str, list[str]] = {}
    for name, procs in defined.items():
        if name.lower() in classes:
            continue
        for proc, is_public in procs.items():
            if is_public:
                public.setdefault(proc, []).append(name)
    problems = [f"过程 {proc} 在多个模块中公开定义（{'、'.join(mods)}），调用有歧义"
                for proc, mods in sorted(public.items()) if len(mods) > 1 and proc in universe]
    module_names = {m.lower(): m for m in modules}
    for name, src in modules.items():
        code = _code(src)
        local = set(defined[name])
        seen = set()
        for m in re.finditer(r"(\.)?\b([A-Za-z_]\w*)\b(?:\.(\w+))?", code):
            dot, ident, member = m[1], m[2].lower(), (m[3] or "").lower()
            if dot:
                continue
            if ident in module_names and member:
                if member not in defined[module_names[ident]] and member in universe and (ident, member) not in seen:
                    seen.add((ident, member))
                    problems.append(f"模块 {name} 调用 {m[2]}.{m[3]}，但 {m[2]} 中没有这个过程")
                continue
            if ident in xl_classes and ident not in classes and ident not in seen:
                seen.add(ident)
                problems.append(f"模块 {name} 使用类 {m[2]}，但加载项中没有这个类模块")
            elif ident in universe and ident not in local and ident not in public and ident not in seen:
                seen.add(ident)
                problems.append(f"模块 {name} 调用 {m[2]}，但加载项中没有定义它")
    return problems


#: Every word the add-in's own modules (addin/vba) may use besides their own and the
#: project's procedures and their declared names: VBA keywords and the VBA/Excel built-ins
#: they call. A new built-in must be added here on purpose — anything else is a call that
#: does not resolve.
VBA_WORDS = set("""
attribute vb_name option explicit private public sub function end if then else elseif exit dim as string
long boolean variant integer byval byref const for to step next each in and or not is nothing on error goto
resume true false mac len mid left right trim chrw clng cstr msgbox vbcrlf vbexclamation vbinformation
vbcritical iribboncontrol activeworkbook workbook dictionary err description wrap entirecolumn
""".split())


def own_module_problems(source: str, project_procs: set[str]) -> list[str]:
    """Identifiers in one of the add-in's own modules that resolve to nothing: not a VBA
    word of :data:`VBA_WORDS`, not a procedure of the project, not declared in the module
    (``Dim``, parameters, ``Const``, labels, named arguments). Members after a dot are the
    object's."""
    code = _code(source)
    declared = set(procedures(source))
    declared |= {m.lower() for m in re.findall(r"\bDim\s+(\w+)", code, re.I)}
    declared |= {m.lower() for m in re.findall(r"(?:ByVal\s+|ByRef\s+|[(,]\s*)(\w+)\s+As\b", code, re.I)}
    declared |= {m.lower() for m in re.findall(r"\bConst\s+(\w+)", code, re.I)}
    declared |= {m.lower() for m in re.findall(r"^(\w+):\s*$", code, re.M)}
    declared |= {m.lower() for m in re.findall(r"\b(\w+):=", code)}
    problems = []
    for m in re.finditer(r"(\.)?\b([A-Za-z_]\w*)", code):
        word = m[2].lower()
        if m[1] or word == "_" or word in VBA_WORDS or word in declared or word in project_procs:
            continue
        if re.fullmatch(r"H[0-9A-F]+", m[2]) and code[m.start(2) - 1] == "&":  # &H literal
            continue
        problems.append(f"{m[2]}")
    return sorted(set(problems))


def class_module_names(path: Path) -> set[str]:
    """Modules the VBA project stores as class (or document) modules (MODULETYPE 0x22)."""
    import io

    from . import ovba

    with zipfile.ZipFile(path) as z:
        streams = ovba.read_streams(io.BytesIO(z.read("xl/vbaProject.bin")))
    records = ovba.parse_dir(ovba.decompress(streams[("VBA", "dir")]))
    out, name = set(), None
    enc = ovba.code_page(records)
    for r in records:
        if r.rid == 0x19:
            name = r.data.decode(enc)
        elif r.rid == ovba.CLASS:
            out.add(name)
    return out


def check(path: Path) -> list[str]:
    import xlwings

    from . import ovba
    from .addin_build import CONFIG, CONFIG_SHEET, PROJECT_NAME, REMOTE_MODULES
    from .desktop import ACTIONS
    from .xlwings_config import read_addin_sheet

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
    sheet = read_addin_sheet(path, CONFIG_SHEET)
    if sheet is not None:
        extra = set(sheet) - {k.upper() for k in CONFIG}
        if extra:
            problems.append(f"配置工作表 {CONFIG_SHEET} 列出了应由用户配置文件设置的项：{'、'.join(sorted(extra))}"
                            "（工作表中的项会覆盖用户的 nianbao.conf）")
    classes = class_module_names(path)
    for name, kind in REMOTE_MODULES.items():
        if name not in modules:
            problems.append(f"服务器模式缺少 VBA 模块 {name}")
        elif (name in classes) != (kind == ovba.CLASS):
            problems.append(f"VBA 模块 {name} 的类型不对（应为{'类模块' if kind == ovba.CLASS else '标准模块'}）")
    problems += unresolved_calls(modules, classes)
    from .addin_build import vba_sources

    project_procs = {p for src in modules.values() for p in procedures(src)}
    for name in vba_sources():
        for word in own_module_problems(modules.get(name, ""), project_procs):
            problems.append(f"模块 {name} 中的 {word} 无法解析（不是 VBA 关键字、内置函数或加载项中的过程）")
    guard = re.search(r"Private Sub RunNianbao\(.*?End Sub", ribbon, re.S)
    if not guard or not re.search(r"If NoWorkbook\(\) Then Exit Sub", guard.group(0)) \
            or "ActiveWorkbook Is Nothing" not in ribbon:
        problems.append("功能区模块在调用 RunPython/RunServerPython 前没有检查是否打开了工作簿（否则 VBA 报错 91）")
    if "RunServerPython" not in ribbon or "NIANBAO_SERVER" not in ribbon:
        problems.append("功能区模块没有服务器模式（NIANBAO_SERVER → RunServerPython）")
    return problems
