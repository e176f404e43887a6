"""The official notice (公文, SPEC §3 notice): model, YAML reading, checks, body markup.

Nothing here renders; ``publisher.documents.notice`` lays the model out per
GB/T 9704-2012.  Every field keeps the YAML line it came from.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Findings, Location
from ..sources.values import clean_text, parse_date
from ..sources.yamlsrc import LDict, LList
from .models import Located

FORMS = ("attachment1", "attachment2")
SEAL_CHOICES = ("placeholder", "none")


@dataclass
class Attachment(Located):
    title: str = ""
    form: str = ""                  # attachment1 | attachment2
    data: Path | None = None        # form data source
    table: Path | None = None       # a table source printed as a plain table
    body: str = ""                  # text content


@dataclass
class Enclosure(Located):
    title: str = ""
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Notice(Located):
    path: Path | None = None
    issuers: list[str] = field(default_factory=list)
    mark: str = ""
    number: str = ""
    copy_no: str = ""
    secrecy: str = ""
    urgency: str = ""
    signers: list[str] = field(default_factory=list)
    title: str = ""
    to: str = ""
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    date: dt.date | None = None
    seal: str = "placeholder"
    notes: list[str] = field(default_factory=list)
    enclosure: Enclosure | None = None
    cc: list[str] = field(default_factory=list)
    printed_by: str = ""
    printed_on: dt.date | None = None

    @property
    def all_attachments(self) -> list[Attachment]:
        """Attachment pages in print order: the notice's own, then the enclosure's."""
        return self.attachments + (self.enclosure.attachments if self.enclosure else [])

    def seal_image(self) -> Path | None:
        if self.seal in SEAL_CHOICES or not self.seal:
            return None
        base = self.path.parent if self.path else Path.cwd()
        return (base / self.seal).resolve()


KNOWN_KEYS = ("kind", "issuers", "mark", "number", "copy_no", "secrecy", "urgency", "signers", "title", "to",
              "body", "attachments", "date", "seal", "notes", "enclosure", "cc", "printed_by", "printed_on")


def _names(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [clean_text(v) for v in value if clean_text(v)]
    text = clean_text(value)
    return [t.strip() for t in re.split(r"[、，,;；\n]", text) if t.strip()] if text else []


def _body(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip("\n")


def notice_from_yaml(data: LDict, path, display: str, findings: Findings) -> Notice:
    """Build a Notice; wrong shapes become findings at their YAML line."""
    path = Path(path)

    def loc(mapping, key) -> Location:
        return Location(display, line=mapping.line_of(key))

    for key in data:
        if key not in KNOWN_KEYS:
            findings.warning(loc(data, key), "notice.unknown_key",
                             f"未知的键“{key}”，已忽略；可用的有：{'、'.join(KNOWN_KEYS[1:])}", str(key))
    notice = Notice(Location(display, line=1), {k: loc(data, k) for k in data}, path=path)
    notice.issuers = _names(data.get("issuers", data.get("issuer")))
    notice.mark = clean_text(data.get("mark"))
    notice.number = clean_text(data.get("number"))
    copy_no = data.get("copy_no")
    notice.copy_no = f"{copy_no:06d}" if isinstance(copy_no, int) and not isinstance(copy_no, bool) \
        else clean_text(copy_no)
    notice.secrecy = clean_text(data.get("secrecy"))
    notice.urgency = clean_text(data.get("urgency"))
    notice.signers = _names(data.get("signers"))
    notice.title = clean_text(data.get("title")).replace("\n", "")
    notice.to = clean_text(data.get("to")).replace("\n", "")
    notice.body = _body(data.get("body"))
    notice.date = parse_date(data.get("date"), loc(data, "date"), "成文日期（date）", findings, "date")
    notice.seal = clean_text(data.get("seal")) or "placeholder"
    notice.notes = _names(data.get("notes")) if isinstance(data.get("notes"), (list, tuple)) \
        else ([clean_text(data.get("notes"))] if clean_text(data.get("notes")) else [])
    notice.notes = [n.strip("()（）") for n in notice.notes]
    notice.cc = _names(data.get("cc"))
    notice.printed_by = clean_text(data.get("printed_by"))
    notice.printed_on = parse_date(data.get("printed_on"), loc(data, "printed_on"), "印发日期（printed_on）",
                                   findings, "printed_on")
    notice.attachments = _attachments(data, "attachments", path, display, findings)
    enclosure = data.get("enclosure")
    if isinstance(enclosure, LDict):
        notice.enclosure = Enclosure(loc(data, "enclosure"), {k: loc(enclosure, k) for k in enclosure},
                                     clean_text(enclosure.get("title")).replace("\n", ""),
                                     _body(enclosure.get("body")),
                                     _attachments(enclosure, "attachments", path, display, findings))
    elif enclosure is not None:
        findings.error(loc(data, "enclosure"), "notice.invalid",
                       "enclosure（印发的文件）应为键值对：title、body、attachments", "enclosure")
    return notice


def _attachments(data: LDict, key: str, path: Path, display: str, findings: Findings) -> list[Attachment]:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, LList):
        findings.error(Location(display, line=data.line_of(key)), "notice.invalid",
                       f"{key} 应为列表，每项如 {{title: …, form: attachment1}}", key)
        return []
    result = []
    for i, item in enumerate(items):
        where = Location(display, line=items.line_of(i))
        if isinstance(item, str):
            result.append(Attachment(where, {}, title=clean_text(item)))
            continue
        if not isinstance(item, LDict):
            findings.error(where, "notice.invalid", "附件应写成 {title: …, form: …} 或 {title: …, table: …} 或 {title: …, body: …}",
                           key)
            continue
        cells = {k: Location(display, line=item.line_of(k)) for k in item}
        att = Attachment(where, cells, title=clean_text(item.get("title")).replace("\n", ""),
                         form=clean_text(item.get("form")), body=_body(item.get("body")))
        for name in ("data", "table"):
            value = clean_text(item.get(name))
            if value:
                setattr(att, name, (path.parent / value))
        result.append(att)
    return result


# --- checks ---------------------------------------------------------------

_NUMBER = re.compile(r"^(?P<code>[^\d〔〕\[\]［］()（）]+?)(?P<open>[〔\[［(（【]?)(?P<year>\d{4})"
                     r"(?P<close>[〕\]］)）】]?)(?P<di>第?)(?P<no>\d+)(?P<hao>号?)$")


def number_problems(number: str) -> str | None:
    """None when the 发文字号 has the form 代字〔年〕号; else the corrected form and why."""
    text = number.replace(" ", "").replace("\u3000", "")
    m = _NUMBER.match(text)
    if not m:
        return (f"发文字号“{number}”格式不对，应为 机关代字〔年份〕序号号，如 鲁人社字〔2017〕100号")
    fixed = f"{m['code']}〔{m['year']}〕{int(m['no'])}号"
    why = []
    if m["open"] != "〔" or m["close"] != "〕":
        why.append("年份应使用六角括号〔〕")
    if m["di"]:
        why.append("序号前不加“第”")
    if m["no"] != str(int(m["no"])):
        why.append("序号不编虚位（不加前导0）")
    if not m["hao"]:
        why.append("序号后应加“号”")
    if fixed == number and not why:
        return None
    return f"发文字号“{number}”应写为“{fixed}”（{'；'.join(why) or '格式调整'}）"


def check_notice(notice: Notice, findings: Findings, project=None) -> None:
    """SPEC §4: title, issuer and date required; 发文字号 form; attachment sources loaded and checked."""
    if not notice.title:
        findings.error(notice.loc("title"), "notice.title_missing", "公文缺少标题（title），请填写，如：关于……的通知",
                       "title")
    if not notice.issuers:
        findings.error(notice.loc("issuers"), "notice.issuer_missing",
                       "公文缺少发文机关（issuers），请填写，如：issuers: [山东省人力资源和社会保障厅]", "issuers")
    if notice.date is None and not _has_error(findings, notice.loc("date")):
        findings.error(notice.loc("date"), "notice.date_missing",
                       "公文缺少成文日期（date），请填写，如：date: 2017-12-23", "date")
    if notice.number:
        problem = number_problems(notice.number)
        if problem:
            findings.error(notice.loc("number"), "notice.number_format", problem, "number")
    if notice.seal not in SEAL_CHOICES:
        image = notice.seal_image()
        if image is None or not image.is_file():
            findings.error(notice.loc("seal"), "notice.seal_missing",
                           f"印章图片“{notice.seal}”不存在；seal 应为 placeholder、none 或已授权印章图片的路径", "seal")
    if notice.date and notice.printed_on and notice.printed_on < notice.date:
        findings.warning(notice.loc("printed_on"), "notice.printed_before",
                         "印发日期早于成文日期，请核对", "printed_on")
    if notice.enclosure is not None and not notice.enclosure.title:
        findings.error(notice.enclosure.loc("title") if "title" in notice.enclosure.cells else notice.enclosure.location,
                       "notice.enclosure_title", "印发的文件（enclosure）缺少标题 title", "enclosure")
    for att in notice.all_attachments:
        _check_attachment(att, findings, project)


def _has_error(findings: Findings, location: Location) -> bool:
    return any(f.location == location and f.is_error for f in findings)


def _check_attachment(att: Attachment, findings: Findings, project) -> None:
    if not att.title:
        findings.error(att.location, "notice.attachment_title", "附件缺少标题 title", "attachments")
    kinds = [k for k in ("form", "table", "body") if getattr(att, k)]
    if att.form and att.form not in FORMS:
        findings.error(att.loc("form"), "notice.attachment_form",
                       f"附件表格“{att.form}”未知；form 应为 attachment1（进展情况表）或 attachment2（登记汇总表）", "form")
    if len(kinds) > 1:
        findings.warning(att.location, "notice.attachment_kind",
                         "附件同时写了 " + "、".join(kinds) + "，只使用第一个（form > table > body）", "attachments")
    if att.data and not att.form:
        findings.warning(att.loc("data"), "notice.attachment_data", "data 只用于内置表格（form），已忽略", "data")
    for name, kinds_allowed in (("data", _form_kinds(att.form)), ("table", ("catalog", "registrations", "admissions",
                                                                             "progress"))):
        path = getattr(att, name)
        if not path or (name == "data" and not att.form):
            continue
        load_attachment_source(att, name, kinds_allowed, findings, project)


def _form_kinds(form: str):
    return {"attachment1": ("progress",), "attachment2": ("registrations",)}.get(form)


_LOADED: dict = {}


def load_attachment_source(att: Attachment, name: str, kinds, findings: Findings, project=None):
    """Load (once) and check the source an attachment names; problems become findings."""
    from .. import checks
    from ..errors import SourceError
    from ..sources import load_source
    path: Path = getattr(att, name)
    where = att.loc(name)
    if not path.exists():
        findings.error(where, "notice.attachment_source", f"附件的数据文件“{path.name}”不存在（按 YAML 文件所在文件夹查找：{path}）",
                       name)
        return None
    stat = path.stat()
    key = (str(path.resolve()), kinds, stat.st_mtime_ns, stat.st_size)   # a file edited since is read again
    if key in _LOADED:
        return _LOADED[key]
    config = project.config if project is not None else None
    try:
        source = load_source(path, str(path), kinds, config)
    except SourceError as exc:
        findings.error(where, "notice.attachment_source", f"附件的数据文件无法使用：{exc.message}", name)
        return None
    findings.extend(source.findings)
    model = source.model
    if source.kind == "catalog":
        checks.check_catalog(model, findings)
    elif source.kind in ("registrations", "admissions"):
        catalog = project.catalog_for(model.city) if project is not None else None
        checks.check_people(model, findings, catalog)
    elif source.kind == "progress":
        checks.check_progress(model, findings)
    _LOADED[key] = source
    return source


# --- body markup ----------------------------------------------------------

_CN = "一二三四五六七八九十"
HEADING_PATTERNS = (
    (1, re.compile(rf"^[{_CN}]+、")),
    (2, re.compile(rf"^[（(][{_CN}]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)
_END = "。！？；：…”’）」』》〉!?;:)"


@dataclass
class Para:
    text: str
    level: int = 0              # 0 body, 1..4 heading level
    head: str = ""              # the part set in the heading font (may be the whole text)
    line: int | None = None     # index of the paragraph within the body (for locating)

    @property
    def rest(self) -> str:
        return self.text[len(self.head):]


def heading_level(text: str) -> int:
    for level, pattern in HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return 0


def parse_body(text: str) -> list[Para]:
    """Paragraphs (blank lines or line ends that close a sentence split them) with heading levels."""
    paras: list[str] = []
    for chunk in re.split(r"\n\s*\n", text or ""):
        lines = [ln.strip().replace("\u3000", "") for ln in chunk.split("\n")]
        lines = [ln for ln in lines if ln]
        current = ""
        for ln in lines:
            if not current:
                current = ln
            elif current[-1] in _END or heading_level(ln) or _is_heading_line(current):
                paras.append(current)
                current = ln
            else:
                current += ln
        if current:
            paras.append(current)
    result = []
    for i, p in enumerate(paras):
        level = heading_level(p)
        head = ""
        if level:
            head = p
            if level in (2, 3):
                cut = p.find("。")
                if 0 <= cut < len(p) - 1:
                    head = p[:cut + 1]
        result.append(Para(p, level, head, i))
    return result


def _is_heading_line(text: str) -> bool:
    return bool(heading_level(text)) and "。" not in text and len(text) <= 40


# --- title breaking -------------------------------------------------------

# Words that may not be split and mark where a title may break.
LEXICON = sorted(set("""
关于 印发 转发 做好 加强 进一步 开展 实施 推进 深入 全面 贯彻 落实 建立 健全 完善 规范 公布 下达 调整 组织 报送 填报
山东省 济南市 青岛市 淄博市 枣庄市 东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 临沂市 德州市 聊城市 滨州市 菏泽市 莱芜市
人力资源 社会保障 人力资源和社会保障 人力资源社会保障 扶贫开发 领导小组 办公室 财政厅 教育厅
技工院校 技工学校 技师学院 技工教育 职业培训 职业技能 职业能力 技能扶贫 精准技能扶贫 精准扶贫 精准脱贫 脱贫攻坚 服务 工作
行动计划 实施方案 工作方案 管理办法 实施细则 实施意见 指导意见 通知 意见 办法 方案 计划 规定 决定 报告 请示 批复 函
专业目录 院校 专业 目录 名单 年度 招生 录取 登记 汇总 情况 统计 进展 有关 事项 问题 承担 贫困家庭 建档立卡 子女 学生 劳动者
""".split()), key=len, reverse=True)
_BREAK_AFTER = "的和与及、，"


def _segments(text: str) -> list[str]:
    """Forward maximum matching over the lexicon; quoted names and numbers stay whole."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        pair = {"《": "》", "“": "”", "（": "）", "(": ")", "〔": "〕"}.get(ch)
        if pair and pair in text[i + 1:]:
            j = text.index(pair, i + 1) + 1
            out.append(text[i:j])
            i = j
            continue
        m = re.match(r"[0-9A-Za-z.\-]+(年|月|日|号)?", text[i:])
        if m:
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        for word in LEXICON:
            if text.startswith(word, i):
                out.append(word)
                i += len(word)
                break
        else:
            out.append(ch)
            i += 1
    return out


def break_positions(text: str) -> list[int]:
    """Offsets where a line may break without splitting a word or a name."""
    segs = _segments(text)
    known = set(LEXICON)
    positions, offset = [], 0
    for a, b in zip(segs, segs[1:]):
        offset += len(a)
        a_ok = a in known or len(a) > 1 or a in _BREAK_AFTER
        b_ok = b in known or len(b) > 1 or b == "的"
        if (a_ok and b_ok) or a in _BREAK_AFTER or b == "的" and a_ok:
            positions.append(offset)
    return positions


def text_units(text: str) -> float:
    """Width in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def break_lines(text: str, width_chars: float) -> list[str]:
    """Break ``text`` into as few lines as possible, each at most ``width_chars`` wide, only at
    word boundaries, shaped as a trapezoid (each line no shorter than the next) or else a
    diamond (the longest in the middle); among those, earlier lines as full as possible."""
    if text_units(text) <= width_chars:
        return [text]
    allowed = [p for p in break_positions(text) if 0 < p < len(text)]
    cuts = _best_cuts(text, allowed, width_chars)
    if cuts is None:                      # no word boundaries to use: cut where the line is full
        cuts, start = [], 0
        while text_units(text[start:]) > width_chars:
            start = _hard_cut(text, start, width_chars)
            cuts.append(start)
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def _best_cuts(text: str, allowed: list[int], width: float, max_lines: int = 8):
    for n in range(2, max_lines + 1):
        found = []

        def walk(start: int, chosen: list[int]) -> None:
            if len(found) > 5000:
                return
            if len(chosen) == n - 1:
                if text_units(text[start:]) <= width:
                    found.append(list(chosen))
                return
            for p in allowed:
                if p > start and text_units(text[start:p]) <= width:
                    walk(p, chosen + [p])
        walk(0, [])
        if not found:
            continue

        def lengths(cuts):
            b = [0, *cuts, len(text)]
            return [text_units(text[x:y]) for x, y in zip(b, b[1:])]

        def shape(cuts):
            ls = lengths(cuts)
            if all(a >= b for a, b in zip(ls, ls[1:])):
                return 0                                    # trapezoid
            top = ls.index(max(ls))
            if all(a <= b for a, b in zip(ls[:top], ls[1:top + 1])) and \
                    all(a >= b for a, b in zip(ls[top:], ls[top + 1:])):
                return 1                                    # diamond
            return 2
        return min(found, key=lambda c: (shape(c), [-x for x in lengths(c)]))
    return None


def _hard_cut(text: str, start: int, width_chars: float) -> int:
    cut = start
    while cut < len(text) and text_units(text[start:cut + 1]) <= width_chars:
        cut += 1
    return max(cut, start + 1)


def balanced_lines(text: str, width_chars: float, lines: int = 2) -> list[str]:
    """Break a name for a signature column into ``lines`` lines of similar length at word boundaries."""
    if text_units(text) <= width_chars:
        return [text]
    allowed = break_positions(text) or list(range(1, len(text)))
    best = min(allowed, key=lambda p: (max(text_units(text[:p]), text_units(text[p:])) > width_chars,
                                       abs(text_units(text[:p]) - text_units(text[p:])), -p))
    return [text[:best], text[best:]]
