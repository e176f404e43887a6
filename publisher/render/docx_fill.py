"""A Word template read once, compiled once per process and filled per student, in the sandbox.

docxtpl fills a template by loading the package with python-docx, cleaning each
part's XML into Jinja source (``patch_xml``), compiling and rendering it, and
saving the whole package again: some 40 ms a document.  Of that, only rendering
differs from one student to the next.  So ``read`` does the reading and
cleaning once (with docxtpl's own ``patch_xml``), ``Filler`` compiles each part's
source once in the hardened environment (``sandbox.environment``), and a
student's document is: render the parts that hold tags (body, headers, footers,
notes, properties), apply docxtpl's post-processing (line breaks and tabs in
values, table grids, picture ids), and write the ZIP with every other part
copied as it was, deflated once.  The text equals docxtpl's
(``tests/documents/test_letter_template.py``).

A failure names the file, the part and the paragraph with its text
(``letter.docx:页眉 第2段（“…”）``), as ``docx_template`` does.
"""
from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable

import jinja2
from lxml import etree

from ..errors import Location, RenderError, SourceError
from . import docx_zip, sandbox

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAX_UNPACKED = 64 * 1024 * 1024          # all parts of a template package, uncompressed
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
LABELS = (("header", "页眉"), ("footer", "页脚"), ("footnotes", "脚注"), ("endnotes", "尾注"))
FILLED = ("header", "footer", "footnotes", "endnotes")
_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+')


@dataclass
class Template:
    """A template package made ready to fill (plain data, so worker processes can take it)."""

    path: str                                   # as shown in messages
    names: list[str]                            # every part, in package order
    static: dict[str, bytes]                    # parts copied as they are
    sources: dict[str, str] = field(default_factory=dict)    # parts with tags -> Jinja source
    wrap: dict[str, tuple[str, str]] = field(default_factory=dict)   # text around a source (document.xml)
    document: str = "word/document.xml"
    rels: dict[str, dict] = field(default_factory=dict)      # part -> {rId: (kind, target part, type URI)}

    def place(self, part: str, line: int | None) -> str:
        """``页眉 第3段（“…”）``: a part and the paragraph on ``line`` of its source, with its text."""
        label = part_label(part)
        source = self.sources.get(part)
        if label == "文档属性" or source is None or not line:
            return label
        lines = source.split("\n")
        text = html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])) if line <= len(lines) else ""
        excerpt = text if len(text) <= 40 else text[:40] + "…"
        paragraph = f"第{line - 1}段" if line > 1 else "开头"
        return f"{'' if label == '正文' else label + ' '}{paragraph}（“{excerpt}”）"


def part_label(part: str) -> str:
    """What a part is called in Word: 正文, 页眉, 页脚, 脚注, 尾注, 文档属性."""
    if part.startswith("docProps/"):
        return "文档属性"
    return next((name for key, name in LABELS if key in posixpath.basename(part)), "正文")


def read(path, shown: str, transform: Callable | None = None, patched: Callable | None = None) -> Template:
    """Read the DOCX at ``path``.  ``transform(part, root, parts)`` may rewrite each fillable part's tree
    first (mail-merge fields) and ``patched(part, source)`` its Jinja source after docxtpl's cleaning (a
    mark split over several runs is whole there).  A package that is no Word document is a RenderError."""
    try:
        with open(path, "rb") as handle:
            if handle.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
                raise SourceError(Location(shown), "这是旧版 Word 97-2003 格式（.doc）或 WPS 格式的文件，无法作为模板；"
                                  "请在 Word 或 WPS 中“另存为” .docx 格式后再用")
        with zipfile.ZipFile(path) as package:
            infos = [i for i in package.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise SourceError(Location(shown), f"模板解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，已拒绝")
            parts = {i.filename: package.read(i.filename) for i in infos}
    except SourceError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise SourceError(Location(shown), f"模板不是有效的 Word 文档（.docx），无法读取（{exc}）") from None
    template = Template(shown, list(parts), dict(parts))
    try:
        top = _targets(parts, "", template.rels)
        template.document = (top.get("officeDocument") or ["word/document.xml"])[0]
        if template.document not in parts:
            raise ValueError("没有 word/document.xml")
        linked = _targets(parts, template.document, template.rels)
        for name in [template.document] + [name for kind in FILLED for name in linked.get(kind, [])]:
            if name in parts:
                _prepare(template, name, transform, patched)
        for name in [n for n in top.get("core-properties", []) if n in parts]:
            text = parts[name].decode("utf-8")
            if "{{" in text or "{%" in text:
                template.sources[name] = text
                template.static.pop(name)
    except (etree.XMLSyntaxError, ValueError, UnicodeDecodeError, KeyError) as exc:
        raise SourceError(Location(shown), f"模板不是有效的 Word 文档（{exc}），请在 Word 或 WPS 中打开后另存为 .docx") \
            from None
    return template


def _targets(parts: dict, source: str, rels: dict) -> dict[str, list[str]]:
    """Relationship type (last path word) -> target part names, of ``source`` ('' : the package)."""
    folder, base = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, list[str]] = {}
    if rels_name not in parts:
        return found
    root = etree.fromstring(parts[rels_name], PARSER)
    rels.setdefault(source, {})
    for rel in root:
        if rel.get("TargetMode") == "External":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target", ""))).lstrip("/")
        if rel.get("Target", "").startswith("/"):
            target = rel.get("Target").lstrip("/")
        found.setdefault(kind, []).append(target)
        rels[source][rel.get("Id")] = (kind, target, rel.get("Type", ""))
    return found


def _prepare(template: Template, name: str, transform, patched_hook) -> None:
    from docxtpl import DocxTemplate
    root = etree.fromstring(template.static[name], PARSER)
    changed = transform(name, root, template.static) if transform else False
    if name == template.document:
        body = root.find(f"{{{W}}}body")
        if body is None:
            raise ValueError("document.xml 没有正文（w:body）")
        xml = etree.tostring(body, encoding="unicode")
        shell = etree.fromstring(etree.tostring(root), PARSER)
        shell_body = shell.find(f"{{{W}}}body")
        for child in list(shell_body):
            shell_body.remove(child)
        before, _, after = etree.tostring(shell, encoding="unicode").rpartition("<w:body/>")
        wrap = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + before, after)
    else:
        xml = etree.tostring(root, encoding="unicode")
        wrap = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', "")
    # a line per paragraph, as docxtpl does, so an error's line names the paragraph (XML the hook adds,
    # such as the seal's text box, is not counted)
    patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", DocxTemplate.patch_xml(None, xml))
    if patched_hook:
        patched, again = patched_hook(name, patched)
        changed = changed or again
    if "{{" in patched or "{%" in patched or "{#" in patched:
        template.sources[name] = patched
        template.wrap[name] = wrap
        del template.static[name]
    elif changed:
        template.static[name] = (wrap[0] + re.sub(r"\n<w:p([ >])", r"<w:p\1", patched) + wrap[1]).encode("utf-8")


class Filler:
    """A template compiled once (in this process); ``fill`` renders one student's parts."""

    def __init__(self, template: Template, env: jinja2.Environment | None = None):
        self.template = template
        env = env or sandbox.environment()
        self.compiled = {}
        for name, source in template.sources.items():
            try:
                self.compiled[name] = env.from_string(source)
            except sandbox.FAILURES as exc:
                raise self.error(name, exc) from None
        self.packed = {name: docx_zip.pack(data) for name, data in template.static.items()}

    def error(self, part: str, exc: BaseException, who: str = "") -> RenderError:
        _, line = sandbox.template_line(exc)
        place = self.template.place(part, line)
        return RenderError(f"{self.template.path}:{place}: 错误: {sandbox.describe(exc)}{who}")

    def fill(self, context: dict, who: str = "") -> dict[str, str]:
        """Part name -> filled XML for every part with tags; ``who`` names the student in an error."""
        out = {}
        with sandbox.limits():
            for name, compiled in self.compiled.items():
                try:
                    xml = compiled.render(context)
                except sandbox.FAILURES as exc:
                    raise self.error(name, exc, who) from None
                before, after = self.template.wrap.get(name, ("", ""))
                out[name] = before + self._finish(name, xml) + after
        return out

    def _finish(self, name: str, xml: str) -> str:
        """docxtpl's post-processing of a rendered part."""
        from docxtpl import DocxTemplate
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in "\t\a\n\f"):
            xml = DocxTemplate.resolve_listing(None, xml)
        if name == self.template.document:
            if "<w:tbl" in xml:
                xml = etree.tostring(DocxTemplate.fix_tables(None, xml), encoding="unicode")
            counter = iter(range(1001, 1 << 30))
            xml = _DOCPR.sub(lambda m: m.group(1) + str(next(counter)), xml)
        return xml

    def entries(self, filled: dict[str, str], extra: dict | None = None):
        """(name, content) of a whole package: ``filled`` parts over the template's, ``extra`` added at the end."""
        extra = dict(extra or {})
        for name in self.template.names:
            if name in extra:
                yield name, extra.pop(name)
            elif name in filled:
                yield name, filled[name]
            else:
                yield name, self.packed[name]
        yield from extra.items()

    def docx(self, filled: dict[str, str], when: dt.datetime) -> bytes:
        return docx_zip.write(self.entries(filled), when)
