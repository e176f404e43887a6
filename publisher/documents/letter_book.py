"""A school's letters as one DOCX: each letter the template filled for one student, in a section of its own.

Every letter comes from the same template, so joining them is much simpler than
joining any documents (docxcompose's job — which also drops the appended
documents' headers, and holds every letter in memory): styles, numbering
definitions, pictures and settings are the template's own.  Each letter's body
follows the one before and ends its section where the template's body ends (the
marker ``letter_template`` put in its last paragraph) with the template's page
set-up, so:

- page headers and footers are each letter's own: a letter's filled header is a
  part of its own unless an earlier letter's is the same (a header naming the
  school is one part; one naming the student, one per letter);
- page numbers restart at 1 in every letter, and ``NUMPAGES`` becomes
  ``SECTIONPAGES`` (the letter's own page count);
- where a section would change nothing — the same headers as the letter before,
  no page number, no different first page, a one-section template — the letter
  starts on a new page of the same section instead (``pageBreakBefore`` on its
  first paragraph): LibreOffice lays out a document of one section with a header
  in about half the time of one with a section per letter;
- numbered lists restart in every letter (a ``w:num`` of its own over the
  template's list definition);
- picture, shape and bookmark ids stay unique, Word's paragraph ids are dropped.

For the PDF, ``marks=True`` puts a bookmark at each letter's start; LibreOffice
exports it as a named destination, from which ``letters_pdf`` reads the pages
each letter took.  document.xml is deflated as the letters are filled, so a
school of 10,000 students is never held as one text.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from ..render import docx_fill, docx_zip
from .letter_template import SECTION

MARK = "pubL"                                    # bookmark names of letter starts: pubL0, pubL1 …
_REF = re.compile(r'(<w:(?:header|footer)Reference\b[^>]*?\br:id=")([^"]+)(")')
_NUM = re.compile(r'(<w:numId w:val=")(\d+)("/>)')
_IDS = re.compile(r'(<wp:docPr\b[^>]*?\bid="|<pic:cNvPr\b[^>]*?\bid="|\bname="Seal |\bid="Seal|o:spid="_x0000_[st])(\d+)')
_BOOKMARK = re.compile(r'(<w:bookmark(?:Start|End)\b[^>]*?\bw:id=")(\d+)')
_W14 = re.compile(r'\sw14:(?:paraId|textId)="[^"]*"')
_PAGES = re.compile(r"\bNUMPAGES\b")
_NUMBERED = re.compile(r"\b(PAGE|NUMPAGES|SECTIONPAGES)\b")
_FIRST = re.compile(r"^(<w:p\b[^>]*>)(<w:pPr>(?:<w:pStyle [^>]*/>)?(?:<w:keepNext[^>]*/>)?(?:<w:keepLines[^>]*/>)?)?")
_TAIL = ("formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
         "printerSettings", "sectPrChange")


class Book:
    """Joins filled letters of one template (``docx_fill.Filler``) into one package."""

    def __init__(self, filler: docx_fill.Filler):
        self.filler = filler
        self.template = template = filler.template
        self.document = template.document
        rels = template.rels.get(self.document, {})
        self.parts = {rid: (target, uri) for rid, (kind, target, uri) in rels.items() if kind in ("header", "footer")}
        self.numbering = next((t for k, t, _ in rels.values() if k == "numbering"), None)
        self.abstract = _abstracts(template.static.get(self.numbering, b"").decode("utf-8")) if self.numbering else {}
        body = template.sources.get(self.document) or template.static[self.document].decode("utf-8")
        around = [template.sources.get(t) or template.static.get(t, b"").decode("utf-8") for t, _ in self.parts.values()]
        # letters may share a section: one section in the template, no first-page header, no page numbers
        self.flowing = body.count("<w:sectPr") == 1 and "<w:titlePg" not in body and \
            not any(_NUMBERED.search(text) for text in around)

    def docx(self, letters: Iterable[dict], when: dt.datetime, marks: bool = False) -> bytes:
        """The package of ``letters`` (each ``Filler.fill``'s result), in order."""
        state = _State()
        document = docx_zip.pack_text(self._pieces(letters, state, marks))
        extra = {self.document: document}
        extra.update(self._headers(state))
        for name in self.template.sources:                  # notes, properties: the first letter's
            extra.setdefault(name, state.first.get(name, ""))
        if state.nums and self.numbering:
            extra[self.numbering] = _add_nums(self.template.static[self.numbering].decode("utf-8"), state.nums)
        return docx_zip.write(self.filler.entries({}, extra), when)

    # ------------------------------------------------------------ document.xml
    def _pieces(self, letters, state: "_State", marks: bool):
        previous = None
        for index, filled in enumerate(letters):
            xml = filled.get(self.document) or self.template.static[self.document].decode("utf-8")
            start = xml.index(">", xml.index("<w:body")) + 1
            end = xml.rindex("</w:body>")
            inner, sect = _split(xml[start:end])
            inner, sect = self._own(index, inner, sect, filled, state, marks)
            if previous is None:
                state.first = filled
                yield xml[:start]
                state.tail = xml[end:]
            elif self.flowing and sect == previous[1] and _FIRST.match(inner) and "<w:pageBreakBefore" not in \
                    inner[:inner.find("</w:pPr>") + 1]:
                yield previous[0].replace(SECTION, "")          # the same section goes on, on a new page
                inner = _FIRST.sub(lambda m: m.group(1) + (m.group(2) or "<w:pPr>") + "<w:pageBreakBefore/>"
                                   + ("" if m.group(2) else "</w:pPr>"), inner, count=1)
            else:
                yield previous[0].replace(SECTION, previous[1], 1) if previous[0].count(SECTION) == 1 else \
                    previous[0].replace(SECTION, "") + _break(previous[1])
            previous = (inner, sect)
        if previous is not None:
            yield previous[0].replace(SECTION, "") + previous[1]
            yield state.tail

    def _own(self, index: int, inner: str, sect: str, filled: dict, state: "_State", marks: bool):
        """One letter's body and section made its own: ids, headers, lists, page numbers."""
        ids: dict = {}                                     # (kind, id in the letter) -> id in the book
        inner = _IDS.sub(lambda m: m.group(1) + ids.setdefault((m.group(1)[:8], m.group(2)), str(state.next_id())),
                         inner)
        inner = _BOOKMARK.sub(lambda m: m.group(1) + str(index * 100000 + int(m.group(2)) % 100000), inner)
        inner = _PAGES.sub("SECTIONPAGES", _W14.sub("", inner))
        if index and self.abstract:
            own = {}
            inner = _NUM.sub(lambda m: m.group(1) + self._restart(m.group(2), own, state) + m.group(3), inner)
        mapping = {rid: self._header(rid, target, uri, filled, state) for rid, (target, uri) in self.parts.items()}
        inner = _REF.sub(lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)) + m.group(3), inner)
        sect = _REF.sub(lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)) + m.group(3), _section(sect))
        if marks:
            inner = _mark(inner, index)
        return inner, sect

    def _restart(self, num: str, own: dict, state: "_State") -> str:
        if num == "0" or num not in self.abstract:
            return num
        if num not in own:
            own[num] = str(state.first_num + len(state.nums))
            state.nums.append((own[num], self.abstract[num]))
        return own[num]

    # ------------------------------------------------------------ headers and footers
    def _header(self, rid: str, target: str, uri: str, filled: dict, state: "_State") -> str:
        content = filled.get(target)
        if content is None:
            return rid                                   # the same in every letter: the template's part
        content = _PAGES.sub("SECTIONPAGES", content)
        key = (target, content)
        if key not in state.headers:
            count = sum(1 for t, _ in state.headers if t == target)
            name = target if count == 0 else target.replace(".xml", f"-{count + 1}.xml")
            new_rid = rid if count == 0 else f"rIdPub{len(state.headers) + 1}"
            state.headers[key] = (name, new_rid, uri)
        return state.headers[key][1]

    def _headers(self, state: "_State") -> dict:
        """New header/footer parts, their relationships and content types, and the template's own filled ones."""
        out = {}
        static = self.template.static
        types = static["[Content_Types].xml"].decode("utf-8")
        rels_name = _rels_of(self.document)
        rels = static[rels_name].decode("utf-8")
        for (target, content), (name, rid, uri) in state.headers.items():
            out[name] = content
            if name == target:
                continue
            kind = re.search(rf'<Override PartName="/{re.escape(target)}" ContentType="([^"]+)"', types)
            if kind:
                types = types.replace("</Types>", f'<Override PartName="/{name}" ContentType="{kind.group(1)}"/></Types>')
            rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{uri}" '
                                f'Target="{name.rsplit("/", 1)[-1]}"/></Relationships>')
            own_rels = _rels_of(target)
            if own_rels in static:
                out[_rels_of(name)] = static[own_rels]
        for target, _ in self.parts.values():
            if target in static and b"NUMPAGES" in static[target]:
                out[target] = _PAGES.sub("SECTIONPAGES", static[target].decode("utf-8"))
        out["[Content_Types].xml"] = types
        out[rels_name] = rels
        return out


class _State:
    def __init__(self):
        self.ids = 1000
        self.headers: dict = {}
        self.nums: list = []
        self.first_num = 90000
        self.tail = ""
        self.first: dict = {}

    def next_id(self) -> int:
        self.ids += 1
        return self.ids


def _split(body: str) -> tuple[str, str]:
    """(the letter's content, its body-level sectPr) of a filled body."""
    at = body.rfind("<w:sectPr")
    if at >= 0:
        end = body.find("</w:sectPr>", at)
        end = end + len("</w:sectPr>") if end >= 0 else body.find("/>", at) + 2
        if not body[end:].strip():
            return body[:at], body[at:end]
    return body, "<w:sectPr/>"


def _section(sect: str) -> str:
    """A letter's sectPr: a new page (whatever the template said) and page numbers from 1."""
    sect = re.sub(r"<w:type\b[^>]*/>", "", sect)
    if sect.endswith("/>") and "</w:sectPr>" not in sect:
        sect = sect[:-2] + "></w:sectPr>"
    if "<w:pgNumType" in sect:
        return re.sub(r"<w:pgNumType\b([^>]*?)\s*/>",
                      lambda m: "<w:pgNumType" + re.sub(r'\sw:start="\d+"', "", m.group(1)) + ' w:start="1"/>', sect)
    for tag in ("cols",) + _TAIL:
        at = sect.find(f"<w:{tag}")
        if at >= 0:
            return sect[:at] + '<w:pgNumType w:start="1"/>' + sect[at:]
    return sect.replace("</w:sectPr>", '<w:pgNumType w:start="1"/></w:sectPr>')


def _break(sect: str) -> str:
    """A tiny paragraph ending a section, for a letter whose last paragraph could not carry it."""
    return ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            f'<w:rPr><w:sz w:val="2"/></w:rPr>{sect}</w:pPr></w:p>')


def _mark(inner: str, index: int) -> str:
    """A bookmark at the letter's first paragraph (after its properties)."""
    match = re.search(r"<w:p(?:\s[^>]*)?>", inner)
    if not match:
        return inner
    at = match.end()
    if inner.startswith("<w:pPr>", at):
        at = inner.index("</w:pPr>", at) + len("</w:pPr>")
    number = 900000000 + index
    return (inner[:at] + f'<w:bookmarkStart w:id="{number}" w:name="{MARK}{index}"/>'
            f'<w:bookmarkEnd w:id="{number}"/>' + inner[at:])


def _abstracts(numbering: str) -> dict:
    """numId -> abstractNumId of the template's numbering part."""
    return dict(re.findall(r'<w:num w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', numbering))


def _add_nums(numbering: str, nums: list) -> str:
    """The template's numbering with a restarting ``w:num`` per letter and list."""
    restart = "".join(f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>'
                      for level in range(9))
    added = "".join(f'<w:num w:numId="{num}"><w:abstractNumId w:val="{abstract}"/>{restart}</w:num>'
                    for num, abstract in nums)
    at = numbering.find("<w:numIdMacAtCleanup")
    at = at if at >= 0 else numbering.rindex("</w:numbering>")
    return numbering[:at] + added + numbering[at:]


def _rels_of(part: str) -> str:
    folder, base = part.rsplit("/", 1)
    return f"{folder}/_rels/{base}.rels"
