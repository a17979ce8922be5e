"""Who published a report and for which year: the title, the preamble, the contact line.

The agency's name is taken, in this order, from

1. the **title** (``某某局2023年政府信息公开工作年度报告``, ``……年报``), also when it is
   broken over two or three lines (``某某市某某区住房和城乡建设局 2024 年`` /
   ``政府信息公开工作年度报告``) or runs on into the first paragraph;
2. the preamble's **authorship** sentences: ``由某某局编制``, ``特编制某某局……年度报告``,
   ``现向社会公布2021年某某局政府信息公开工作年度报告``;
3. a portal's **catalogue fields** (``发布机构：某某局``);
4. the subject of **总体情况**'s first sentence (``2023年，某某街道办事处认真贯彻……``),
   when it ends like an agency's name; then a page's ``来源：某某局``;
5. last, the **contact** line (``请与某某局办公室联系``): it names the office that answers
   questions, which is usually, but not always, the agency.

A name inside ``《》`` is a document's title, never the agency; ``（以下简称……）`` is
dropped; ``我局``, ``本机关`` name nobody. When the text never names the agency, the
name stays empty: it is never guessed.
"""

from __future__ import annotations

import re

from .tokens import Token

_YEAR = re.compile(r"(20\d{2})\s*年")
_YEAR_WORDS = re.compile(r"[(（]?\s*20\d{2}\s*年度?\s*[)）]?")
_PARENS = re.compile(r"[(（][^()（）]*[)）]")
#: ``（以下简称《条例》）``; an unclosed one (``（以下简称《条例》有关要求，现将……``) ends at the clause.
_ALIAS = re.compile(r"[(（]\s*(?:以下|下)简称[^)），,。；;]{0,30}[)）]?")
_JUNK = re.compile(r"^\[[^\]]*\]")  # [bookmark: _GoBack] left by Word's text export
#: A page viewer's label before a title: ``Page 8 - 某某局2022年……年度报告``, ``第3页 - ……``.
_PAGE_LABEL = re.compile(r"^\s*(?:page|p\.?)\s*\d+\s*[-–—:：|]\s*|^\s*第\s*\d+\s*页\s*[-–—:：|]\s*", re.I)
_NOT_TITLE = re.compile(r"[，,。>:：;；《》]|根据|现将|按照|依据")
_TITLE_END = re.compile(r"报告|年报")
_TITLE_WORDS = ("政府信息公开", "信息公开", "政务公开", "年度报告", "工作报告", "年报")
#: How a name that is an agency ends (局、办公室、街道办事处、人民政府、委员会 …).
_AGENCY_END = re.compile(
    r"(?:局|办公室|办事处|人民政府|政府|委员会|委|中心|街道|镇|乡|苏木|嘎查|院|馆|所|站|队|厅|署|管委会|管理委员会|公司|集团"
    r"|处|社|会|办|部|室|科|股|园区|新区|开发区|学校|医院|台|场)$")
#: A place's name alone (某某市, 某某区, 某某县): a title ``某某市政府信息公开工作年度报告`` is
#: that place's people's government's report.
_PLACE = re.compile(r"^[^\s\d我本该各全]{1,10}?(?:省|自治区|市|区|县|自治县|州|自治州|旗|盟)$")
#: Zones run by a 管委会, not a 人民政府: their title's name is left as it is.
_ZONE = re.compile(r"(?:开发|新|园|示范|试验|保税|合作|高新|产业)区$")
#: A unit inside the contact office (硚口区政府办公室信息科, 某某局综合股): cut to the office.
_SUB_UNIT = re.compile(r"^(.{2,}?(?:局|办公室|人民政府|委员会|办事处|中心))[^局室]{1,6}(?:科|股|室|组)$")
#: Self-references that name nobody: 我局, 本机关, and a bare level without a place (区政府办公室).
_NOBODY = re.compile(r"^(?:我|本|该|各|全)|^[局办镇乡街委院所]$|^[区县市省州旗镇乡](?:人民政府|政府|委|级)"
                     r"|^(?:人民)?政府$"  # 现编制2023年政府信息公开……: 政府 is the title's own word
                     r"|^(?:街道|乡镇|部门|单位|机关)$")
#: A 街道's or 乡镇's own office (党政办公室, 党政综合办 and a section of it) compiles the report
#: for the 街道 or 乡镇: ``由某某区人民政府某某街道党政办公室综合科编制`` names 某某街道.
_TOWN_OFFICE = re.compile(r"^(.{2,}?(?:街道办事处|街道|镇人民政府|乡人民政府|镇|乡))(?:党政|党工委|综合)(?:综合)?(?:办公室|办)(?:[^局室]{1,6}(?:科|股|组))?$")
#: A second name in brackets after the agency's (``某某区司法局（区行政复议局）``).
_TRAILING_PARENS = re.compile(r"[(（][^()（）]{1,20}[)）]$")
#: The preamble's purpose clause: ``为认真做好某某局政府信息公开工作，我局……``.
_PURPOSE = re.compile(r"为(?:认真|切实|进一步|全面)?(?:做好|推进|抓好)([^，,。；;《》“”\"]{3,40}?)(?:政府信息公开|政务公开)工作")
_AUTHOR = (
    re.compile(r"由([^，,。；;《》“”\"]{2,40}?)(?:负责)?(?:编制|制作|编写|发布|根据|按照|依据)"),
    re.compile(r"(?:(?:编制|公布|发布|公开|现将|特将)(?:并|和|及)?)+(?:了)?(?:20\d{2}\s*年度?)?([^，,。；;《》“”\"]{2,40}?)\s*"
               r"(?:20\d{2}\s*年度?)?(?:政府信息公开|政务公开|信息公开)"),
)
#: The report's own title quoted after an authorship verb: ``现向社会公布《某某局2025年度政府信息
#: 公开工作年度报告》``, ``编制了《某某镇2020年……年度报告》`` (other titles in 《》 stay ignored).
_OWN_TITLE_QUOTED = re.compile(r"(?:公布|发布|编制|印发)(?:了)?《([^《》]{4,70}?(?:年度报告|年报))》")
_SUBJECT = re.compile(
    r"^(?:[(（][一二三四五六七八九十]+[)）])?\s*(?:20\d{2}\s*年(?:度|以来)?)?\s*[,，]?\s*(?:在[^，,。]{2,40}?下\s*[,，])?\s*"
    r"([^，,。；;《》“”\"\s]{3,30}?)(?:根据|依据|结合|认真|深入|坚持|全面|紧紧|按照|严格|持续|进一步|始终|围绕|以|积极|扎实|贯彻|依法|高度|坚决|大力|不断|切实|着力|聚焦|全力|加强|强化|紧扣|立足)")
_TITLE_LABEL = re.compile(r"^\s*(?:标\s*题|名\s*称|文件名称)\s*[:：]\s*")
#: A portal's catalogue fields: 发布机构：某某局 (the publisher), 来源：某某局 (weaker: may be the portal).
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|发布单位|公开主体|信息来源)\s*[:：]\s*([^\s，,。；;:：|]{2,40})")
_SOURCE = re.compile(r"(?<![信息])来源\s*[:：]\s*([^\s，,。；;:：|]{2,40})")
_CONTACT_BY = re.compile(r"请与([^，,。；;《》“”\"(（]{2,40}?)(?:联系|[(（](?:地址|电话|联系))|请联系([^，,。；;《》“”\"(（]{2,40})"
                         r"|联系(?:单位|部门)[:：]\s*([^，,。；;《》“”\"(（]{2,40})")
_CONTACT_OFFICE = re.compile(r"(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:领导小组)?(?:办公室|科|股|室)$")
_CONTACT = {
    "address": re.compile(r"地址[:：]\s*([^，,；;。)）]{4,60})"),
    "postcode": re.compile(r"邮编[:：]\s*(\d{6})"),
    "phone": re.compile(r"电话[:：]\s*([0-9\-－— ]{7,20}\d)"),
}
#: Lines joined when a title is broken over lines.
TITLE_LINES = 3
#: Longest title taken.
TITLE_MAX = 70


def _clean(text: str) -> str:
    """A line as a title candidate: Word's bookmarks and a portal's ``标题：`` label dropped,
    and a letter-spaced title (``政 府 信 息 公 开`` — PDFs often space a title's
    characters) closed up."""
    words = _TITLE_LABEL.sub("", _PAGE_LABEL.sub("", _JUNK.sub("", text))).split()
    if len(words) >= 5 and sum(len(w) == 1 for w in words) >= 0.6 * len(words):
        return "".join(words)
    return " ".join(words)


def _is_title(text: str) -> bool:
    return (bool(_TITLE_END.search(text)) and len(text) <= TITLE_MAX and "公开" in text
            and not _NOT_TITLE.search(text))


def find_title(tokens: list[Token], stop: int) -> str:
    """The report's title, from the lines before the first heading: one line, two or
    three short lines that together make it, or the start of a line that runs on into
    the first paragraph (cut after ``报告``). A title naming an agency is preferred to one
    that does not (a site menu's ``政府信息公开年报`` before the page's real title)."""
    texts = [_clean(t.text) for t in tokens[:max(stop, 1)][:60] if t.text and not t.empty]
    first = ""
    for title in _title_candidates(texts):
        if _AGENCY_END.search(agency_from_title(title)):
            return title
        first = first or title
    return first


def _title_candidates(texts: list[str]):
    for n, text in enumerate(texts):
        if not text:
            continue
        m = _TITLE_END.search(text)
        if m and _is_title(text[:m.end()]) and not _is_title(text):
            head = text[:m.end()]  # the title ran on into the paragraph
            if n and _short_piece(texts[n - 1]) and _is_title(texts[n - 1] + head):
                yield _clean(texts[n - 1] + head)
            yield head
            continue
        for k in range(TITLE_LINES):  # this line and up to two more
            if n + k >= len(texts):
                break
            pieces = texts[n:n + k + 1]
            if any(not _short_piece(p) for p in pieces[:-1]):
                break
            if any(b.startswith(a) for a, b in zip(pieces, pieces[1:])):
                break  # a site's header repeated at the title's start: the title starts on a later line
            if k and _is_title(pieces[-1]) and _AGENCY_END.search(agency_from_title(pieces[-1])):
                break  # the last line is a whole title by itself: the lines before are not part of it
            joined = "".join(pieces)
            if _is_title(joined) and _TITLE_END.search(pieces[-1]):
                name = agency_from_title(joined)
                if k and name and not _AGENCY_END.search(name):
                    continue  # site menus (首页 / 信息公开 / 政府信息公开年报) are not a title's first lines
                yield joined
                break


def _short_piece(text: str) -> bool:
    """A line that may be part of a title broken over lines."""
    return 2 <= len(text) <= 40 and not _NOT_TITLE.search(text) and not text.startswith(("来源", "发布", "日期"))


def agency_from_title(title: str) -> str:
    """``某某局2023年度政府信息公开工作年度报告`` → ``某某局``; ``2023年某某局……`` too."""
    t = _ALIAS.sub("", title)
    t = " ".join(_PARENS.sub("", t).split())
    m = _YEAR.search(t)
    head = t[:m.start()].strip() if m else ""
    if m and not head:
        t = t[m.end():].lstrip("度 ")
    elif head:
        if _PLACE.search(head) and not _ZONE.search(head) and re.match(r"度?\s*(?:的)?政府信息公开", t[m.end():].lstrip()):
            return _name(head + "人民政府")  # 某某区2023年政府信息公开工作年度报告
        t = head
    for cut in _TITLE_WORDS:
        if cut in t:
            if cut == "政府信息公开" and _PLACE.search(t[:t.index(cut)]) and not _ZONE.search(t[:t.index(cut)]):
                # 上海市政府信息公开工作年度报告: 上海市政府 is the publisher, 上海市人民政府
                return _name(t[:t.index(cut)] + "人民政府")
            t = t[:t.index(cut)]
            break
    t = t.strip(" :：,，、").removeprefix("关于")
    t = re.sub(r"(?:的|关于)$", "", t)
    return _name(t)


def _name(text: str) -> str:
    """A candidate name, or ``""`` if it is not one."""
    t = _ALIAS.sub("", text)
    t = _YEAR_WORDS.sub("", t)
    t = "".join(t.split()).strip(" :：,，、“”\"")
    t = _TRAILING_PARENS.sub("", t)
    m = _TOWN_OFFICE.match(t)
    if m:
        t = m.group(1)
    if not t or len(t) > 40 or _NOBODY.search(t) or re.search(r"[。，,；;《》、]|\d", t):
        return ""
    return t


def agency_from_text(preamble: str, s1: str, raw_preamble: str = "") -> str:
    """The agency named by the preamble, the page's catalogue fields (``发布机构：``), the
    first sentence of 总体情况, or last the contact line."""
    preamble, s1 = _ALIAS.sub("", preamble), _ALIAS.sub("", s1)
    for rx in _AUTHOR:
        for text in (preamble, s1[:300]):
            for m in rx.finditer(text):
                name = _name(m.group(1))
                if name and _AGENCY_END.search(name):
                    return name
    for m in _OWN_TITLE_QUOTED.finditer(preamble):
        if not re.search(r"关于|通知|格式|办法|规定", m.group(1)):
            name = agency_from_title(m.group(1))
            if name and _AGENCY_END.search(name):
                return name
    for rx in (_PUBLISHER,):
        m = rx.search(raw_preamble)
        if m:
            name = _name(m.group(1))
            if name and _AGENCY_END.search(name):
                return name
    for m in _PURPOSE.finditer(preamble):
        name = _name(m.group(1))
        if name and _AGENCY_END.search(name):
            return name
    # the subject of 总体情况's first sentences, or of the preamble's (2022年，某某局认真贯彻……)
    for line in s1.split("\n")[:3] + raw_preamble.split("\n")[:6]:
        m = _SUBJECT.match(line.strip())
        if m:
            name = _name(m.group(1))
            if name and _AGENCY_END.search(name):
                return name
    m = _SOURCE.search(raw_preamble)
    if m:
        name = _name(m.group(1))
        if name and _AGENCY_END.search(name):
            return name
    for text in (preamble, s1[:600].replace("\n", "")):
        m = _CONTACT_BY.search(text)
        if m:
            raw = _name(next(g for g in m.groups() if g))
            office = _CONTACT_OFFICE.search(raw)
            name = raw[:office.start()] if office else raw
            if name.endswith("政府") and raw.endswith("办公室"):
                name = raw  # 请与县政府办公室联系: the 办公室 is the agency itself
            sub = _SUB_UNIT.match(raw)
            if not (name and _AGENCY_END.search(name)) and sub:
                name = _name(sub.group(1))  # 请联系：某某区政府办公室信息科 → 某某区政府办公室
            if name and _AGENCY_END.search(name):
                return name
    return ""


def find_year(title: str, preamble: str, s1: str) -> int | None:
    m = _YEAR.search(title)
    if m:
        return int(m.group(1))
    m = re.search(r"(?:统计期限|统计时限|期限为|期限自)[^。]{0,8}?(20\d{2})\s*年", preamble + s1)
    if m:
        return int(m.group(1))
    m = _YEAR.search(preamble) or _YEAR.search(s1[:400])
    return int(m.group(1)) if m else None


def identity(tokens: list[Token], first: int, s1: str) -> tuple[str, int | None, str, dict[str, str]]:
    """Title, year, agency and contact details, from the lines before the first heading
    (``first``) and the start of 总体情况."""
    lines = [t.text.strip() for t in tokens[:first] if t.text]
    preamble = "".join(lines)  # the lines of extracted text are wrapped
    raw_preamble = "\n".join(lines)
    s1 = s1 or ""
    title = find_title(tokens, first)
    year = find_year(title, preamble, s1)
    agency = agency_from_title(title) if title else ""
    if agency and not _AGENCY_END.search(agency):
        agency = ""  # a title whose head does not end like an agency's name names none
    if not agency:
        agency = agency_from_text(preamble, s1, raw_preamble)
    contact = {}
    for k, rx in _CONTACT.items():
        m = rx.search(preamble)
        if m:
            contact[k] = m.group(1).strip()
    return title, year, agency, contact
