"""Reading a notice (公文) from its YAML: shapes become findings at their YAML line."""
from __future__ import annotations

import re
from pathlib import Path

from ..domain.notice import Attachment, Enclosure, Notice
from ..errors import Findings, Location
from .values import clean_text, parse_date
from .yamlsrc import LDict, LList

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


