"""The seal of a letter: where the template says, never where the tool guesses.

A template marks the place with ``{{ 印章 }}`` (or «印章», or the merge field 印章):
the seal's centre is across on the mark and ``CENTRE_MM`` below the top of the
mark's paragraph (LibreOffice places a picture relative to a *line* elsewhere than
Word does, but relative to a paragraph alike).  Or a picture or shape the school
named 印章 in Word (选择窗格 or 替代文字) is replaced by the seal at its place, as a
square as wide as its shorter side.  The seal is the project's: the dashed
placeholder circle, the authorised image (a part of its own, related from every part
that shows it), or nothing when ``seal: none``.  ``render/seal.py`` draws it.
"""
from __future__ import annotations

import re

from lxml import etree

from ..render import docx_fill
from .letter_fields import SEAL

W = docx_fill.W
MARK = re.compile(r"\{\{\s*印章\s*\}\}")
SEAL_REL = "rIdPublisherSeal"
CENTRE_MM = 6                   # the seal's centre below the top of the mark's paragraph


def seal_xml(options, builtin: bool) -> tuple[str, bytes | None]:
    """(the run's inner XML of a seal centred across on the mark, its centre ``CENTRE_MM`` below the top of
    the mark's paragraph, the image or None); ("", None) when the project says no seal."""
    if not options.sealed:
        return "", None
    from docx import Document
    from ..render.seal import add_docx_seal
    scale = 0.75 if builtin and options.paper == "A5" else 1.0
    diameter = options.layout.seal_mm * scale
    doc = Document()
    run = add_docx_seal(doc.add_paragraph(), options, -diameter / 2, -diameter / 2 + CENTRE_MM, scale=scale)
    xml = "".join(etree.tostring(child, encoding="unicode") for child in run._r)
    # across: centred on the mark; down: from the top of the mark's paragraph (LibreOffice places a picture
    # relative to a *line* elsewhere than Word does, but a paragraph alike)
    xml = xml.replace('relativeFrom="column"', 'relativeFrom="character"')
    xml = xml.replace("mso-position-horizontal-relative:text", "mso-position-horizontal-relative:char")
    image = None
    embed = re.search(r'r:embed="([^"]+)"', xml)
    if embed:
        image = doc.part.related_parts[embed.group(1)].blob
        xml = xml.replace(embed.group(0), f'r:embed="{SEAL_REL}"')
    return xml, image


def put_seal(source: str, seal) -> str:
    """Each ``{{ 印章 }}`` becomes the seal (a run of its own between the text before and after it)."""
    inner = seal[0]
    out, last = [], 0
    for match in MARK.finditer(source):
        start = match.start()
        run = max(source.rfind("<w:r>", 0, start), source.rfind("<w:r ", 0, start))
        text = source.rfind("<w:t", run, start)
        if run < 0 or text < 0 or source.find("</w:t>", text, start) >= 0:
            out.append(source[last:match.end()].replace(match.group(0), ""))
            last = match.end()
            continue
        props = re.match(r"<w:r[^>]*>(<w:rPr>.*?</w:rPr>)?", source[run:start])
        rpr = (props.group(1) or "") if props else ""
        own = re.sub(r'(Seal |Seal|_x0000_s)(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + len(out)), inner)
        seal_run = f"</w:t></w:r><w:r>{own}</w:r><w:r>{rpr}<w:t xml:space=\"preserve\">" if inner else ""
        out.append(source[last:start] + seal_run)
        last = match.end()
    out.append(source[last:])
    return "".join(out)


def named_seals(root, seal) -> int:
    """Pictures or shapes named 印章 (name, title or alt text): replaced by the seal at their place, as a
    square as wide as their shorter side (removed when the project says no seal)."""
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    found = 0
    for doc_pr in list(root.iter(f"{wp}docPr")):
        if SEAL not in (doc_pr.get(k, "").strip() for k in ("name", "title", "descr")):
            continue
        found += 1
        holder = doc_pr.getparent()                     # wp:anchor or wp:inline
        drawing = holder.getparent()                    # w:drawing
        child, run = drawing, drawing.getparent()
        while run is not None and run.tag != f"{{{W}}}r":
            child, run = run, run.getparent()
        if seal is None or run is None:
            continue
        if not seal[0]:
            run.remove(child)
            continue
        new = etree.fromstring(f'<w:r xmlns:w="{W}">{seal[0]}</w:r>', docx_fill.PARSER)
        graphic, old = new.find(f".//{a}graphic"), holder.find(f"{a}graphic")
        extent = holder.find(f"{wp}extent")
        if graphic is None or old is None or extent is None:
            continue
        size = str(min(int(extent.get("cx", "0")), int(extent.get("cy", "0"))))
        extent.set("cx", size)
        extent.set("cy", size)
        for ext in graphic.iter(f"{a}ext"):
            ext.set("cx", size)
            ext.set("cy", size)
        holder.replace(old, graphic)
        if child is not drawing:                        # a shape's mc:AlternateContent: the drawing alone
            run.replace(child, drawing)
    return found


def add_seal_image(template: docx_fill.Template, image: bytes) -> None:
    """The authorised seal image as a part, related from every part that shows the seal."""
    template.static["word/media/publisher-seal.png"] = image
    template.names.append("word/media/publisher-seal.png")
    types = template.static["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in types:
        types = types.replace("</Types>", '<Default Extension="png" ContentType="image/png"/></Types>')
        template.static["[Content_Types].xml"] = types.encode("utf-8")
    for part in [p for p in template.sources] + [p for p in template.static if p.endswith(".xml")]:
        text = template.sources.get(part) or template.static[part].decode("utf-8", "ignore")
        if SEAL_REL not in text:
            continue
        folder, base = part.rsplit("/", 1)
        rels = f"{folder}/_rels/{base}.rels"
        relation = (f'<Relationship Id="{SEAL_REL}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    f'relationships/image" Target="{"media/" if folder == "word" else "../word/media/"}publisher-seal.png"/>')
        if rels in template.static:
            text = template.static[rels].decode("utf-8")
            template.static[rels] = text.replace("</Relationships>", relation + "</Relationships>").encode("utf-8")
        else:
            template.static[rels] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                                     f'"http://schemas.openxmlformats.org/package/2006/relationships">{relation}'
                                     '</Relationships>').encode("utf-8")
            template.names.append(rels)
