"""DOCX letters fast: the docxtpl template is rendered once, each student's DOCX is a ZIP from it.

``prepare`` renders ``docx/letter.docx`` with a token (``@@field@@``) for every
variable, adds the seal placeholder over the signature and keeps the package's
parts.  ``student_docx`` then only substitutes XML-escaped values into
``word/document.xml``; every other part is copied byte for byte.
"""
from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import RenderError
from ..render import docx_template, sandbox
from ..render.html import builtin_templates
from ..render.package import build_date

TEMPLATE = "docx/letter.docx"
FIELDS = ("number", "school", "name", "gender", "ethnicity", "id_no", "card_no", "phone", "home", "major",
          "level", "years", "report_date", "report_place", "address", "school_phone", "signed_on")
TOKEN = re.compile(r"@@(\w+)@@")
SEAL_IDS = re.compile(r'(<wp:docPr id="|<pic:cNvPr id="|name="Seal |id="Seal|_x0000_s)\d+')
PAPERS = {"A4": (210, 297, {"top": 25, "bottom": 20, "left": 28, "right": 26}, 1.0),
          "A5": (148, 210, {"top": 15, "bottom": 12, "left": 16, "right": 14}, 0.7)}


@dataclass
class DocxKit:
    """The rendered template of one run: parts as bytes, document.xml split around the body."""

    parts: list                # (name, bytes or None for document.xml)
    head: str                  # document.xml up to and including <w:body>
    body: str                  # the letter's paragraphs, with @@tokens@@ and @@sid@@
    tail: str                  # sectPr and closing tags
    when: tuple                # ZIP entry time

    @property
    def packed(self):
        """(name, (crc, size, deflated) or None for document.xml), computed once."""
        if not hasattr(self, "_packed"):
            self._packed = [(name, None if content is None else (zlib.crc32(content), len(content), _deflate(content)))
                            for name, content in self.parts]
        return self._packed

    def xml(self, letter, sid: int = 1001, first: bool = True) -> str:
        values = letter.context()
        body = TOKEN.sub(lambda m: escape(str(values.get(m.group(1), ""))) if m.group(1) != "sid" else str(sid),
                         self.body)
        if not first:
            body = body.replace("<w:pPr>", "<w:pPr><w:pageBreakBefore/>", 1)
        return body


def template_path(options) -> Path:
    """The project's ``docx/letter.docx`` (never through a link that leads out of its folder), else the built-in."""
    if options.templates:
        user = Path(options.templates) / TEMPLATE
        if os.path.lexists(user):
            real = sandbox.escapes(user, options.templates)
            if real:
                raise RenderError(f"{user}: 错误: {sandbox.link_refused(TEMPLATE, real)}")
            if user.is_file():
                return user
    return builtin_templates() / TEMPLATE


def prepare(options, date=None) -> DocxKit:
    """Render the letter template once with tokens; the seal goes over the signature."""
    from docx import Document
    from ..render.docx import document_bytes
    from ..render.seal import docx_seal
    path = template_path(options)
    env = sandbox.environment()
    tpl = docx_template.load(path)
    unknown = docx_template.variables(tpl, env) - set(FIELDS)
    if unknown:
        raise RenderError(f"{path}: 错误: 模板使用了不存在的变量 {'、'.join(sorted(unknown))}；"
                          f"可用的有 {'、'.join(FIELDS)}")
    docx_template.render(tpl, {f: f"@@{f}@@" for f in FIELDS}, path, env)
    buffer = io.BytesIO()
    tpl.save(buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    layout = options.layout
    signature = [p for p in document.paragraphs if p.text.strip() == "@@school@@"]
    if signature and options.sealed:
        diameter = layout.seal_mm
        section = document.sections[0]
        text_width = (section.page_width - section.left_margin - section.right_margin) / 36000
        indent = (signature[-1].paragraph_format.left_indent or 0) / 36000
        centre = indent + (text_width - indent) / 2
        docx_seal(signature[-1], diameter, centre - diameter / 2, -diameter / 2 + 4,
                  color=layout.red, image=options.seal_image)
    data = document_bytes(document, date)
    parts = []
    xml = ""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            content = package.read(info.filename)
            if info.filename == "word/document.xml":
                xml = content.decode("utf-8")
                parts.append((info.filename, None))
            else:
                parts.append((info.filename, content))
    xml = _paper(xml, layout.paper)
    xml = SEAL_IDS.sub(lambda m: m.group(1) + "@@sid@@", xml)
    xml = re.sub(r'relativeHeight="\d+"', 'relativeHeight="251659264"', xml)
    xml = re.sub(r"z-index:\d+", "z-index:251659264", xml)
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.rindex("<w:sectPr")
    when = build_date(date)
    return DocxKit(parts, xml[:start], xml[start:end], xml[end:],
                   (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second))


def _paper(xml: str, paper: str) -> str:
    """A5 letters: page and margins of A5, every font size scaled so a letter stays on one page."""
    if paper not in PAPERS or paper == "A4":
        return xml
    width, height, margins, scale = PAPERS[paper]
    twips = lambda mm: str(round(mm / 25.4 * 1440))  # noqa: E731
    xml = re.sub(r'<w:pgSz [^>]*/>', f'<w:pgSz w:w="{twips(width)}" w:h="{twips(height)}"/>', xml)
    xml = re.sub(r'<w:pgMar ([^>]*)/>', lambda m: "<w:pgMar " + re.sub(
        r'w:(top|bottom|left|right)="\d+"', lambda a: f'w:{a.group(1)}="{twips(margins[a.group(1)])}"',
        m.group(1)) + "/>", xml)
    xml = re.sub(r'(<w:szC?s? w:val=")(\d+)', lambda m: m.group(1) + str(max(14, round(int(m.group(2)) * scale))), xml)
    xml = re.sub(r'(w:left=")(\d+)(")', lambda m: m.group(1) + str(round(int(m.group(2)) * scale)) + m.group(3), xml)
    return xml


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _zip(kit: DocxKit, document_xml: str) -> bytes:
    """A ZIP written directly: static parts were deflated once in ``prepare``; only document.xml is new.

    The layout is what ``zipfile`` writes (no data descriptors, no extra fields), so
    any ZIP reader, Word and WPS open it.
    """
    dos_time = (kit.when[3] << 11) | (kit.when[4] << 5) | (kit.when[5] // 2)
    dos_date = ((kit.when[0] - 1980) << 9) | (kit.when[1] << 5) | kit.when[2]
    out = bytearray()
    central = bytearray()
    for name, packed in kit.packed:
        if packed is None:
            raw = document_xml.encode("utf-8")
            packed = (zlib.crc32(raw), len(raw), _deflate(raw))
        crc, size, data = packed
        encoded = name.encode("utf-8")
        flags = 0x800 if not encoded.isascii() else 0
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, crc, len(data), size,
                           len(encoded), 0) + encoded + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, dos_time, dos_date, crc,
                               len(data), size, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset) + encoded
    start = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(kit.packed), len(kit.packed), len(central), start, 0)
    return bytes(out)


def student_docx(kit: DocxKit, letter) -> bytes:
    """One student's letter as a DOCX."""
    return _zip(kit, kit.head + kit.xml(letter) + kit.tail)


def combined_docx(kit: DocxKit, letters) -> bytes:
    """Every letter of a school in one DOCX, one a page (seal shape ids kept unique)."""
    body = "".join(kit.xml(letter, 1001 + i, first=(i == 0)) for i, letter in enumerate(letters))
    return _zip(kit, kit.head + body + kit.tail)
