"""WordprocessingML child order (ECMA-376 Part 1, transitional schema).

Word rejects or silently drops properties written out of schema order (a ``w:pBdr`` after
``w:spacing``, a ``w:tblBorders`` after ``w:tblLook``, a ``w:vAlign`` after ``w:docGrid``);
LibreOffice reads them anyway, so a wrong order passes unnoticed until a user opens the file
in Word.  python-docx keeps its own elements in order but not ones we add by hand, so every
DOCX is put in order on the way out (``ordered``), and tests check the order of every part
(``order_problems``).
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Sequences of the property elements we write, by local name.
ORDER: dict[str, tuple[str, ...]] = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle",
            "rPr", "sectPr", "pPrChange"),
    "rPr": ("ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
            "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
            "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
            "eastAsianLayout", "specVanish", "oMath", "rPrChange"),
    "pBdr": ("top", "left", "bottom", "right", "between", "bar"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription", "tblPrChange"),
    "tblBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV"),
    "tblCellMar": ("top", "left", "start", "bottom", "right", "end"),
    "tcPr": ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"),
    "tcBorders": ("top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br", "tr2bl"),
    "sectPr": ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
}
# headerReference and footerReference may interleave: one rank for both.
_RANK = {name: {child: (0 if child == "footerReference" and name == "sectPr" else i)
                for i, child in enumerate(children)} for name, children in ORDER.items()}


def _local(tag) -> str | None:
    if not isinstance(tag, str) or not tag.startswith("{" + W + "}"):
        return None
    return tag[len(W) + 2:]


def _rank(parent: str, child) -> int:
    name = _local(child.tag)
    return _RANK[parent].get(name, len(_RANK[parent])) if name else len(_RANK[parent])


_REPEATABLE = {"headerReference", "footerReference"}


def sort_tree(root) -> bool:
    """Put the children of every property element in schema order, a property set twice once
    (the later setting); True when anything changed."""
    moved = False
    for el in root.iter():
        name = _local(el.tag)
        if name not in ORDER or len(el) < 2:
            continue
        seen = {}
        for child in list(el):
            local = _local(child.tag)
            if local and local not in _REPEATABLE:
                if local in seen:
                    el.remove(seen[local])
                    moved = True
                seen[local] = child
        children = list(el)
        ranked = sorted(children, key=lambda c: _rank(name, c))      # stable: equal ranks keep order
        if ranked != children:
            for c in children:
                el.remove(c)
            el.extend(ranked)
            moved = True
    return moved


def _parts(names):
    return [n for n in names if n.startswith("word/") and n.endswith(".xml")]


def ordered(data: bytes) -> bytes:
    """The DOCX ``data`` with every word/*.xml part in schema order (other bytes unchanged)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    changed = {}
    for name in _parts(source.namelist()):
        root = etree.fromstring(source.read(name))
        if sort_tree(root):
            changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    from .package import with_parts
    return with_parts(data, changed)


def order_problems(data: bytes) -> list[str]:
    """'part: parent > child after sibling' for every property element out of schema order."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in _parts(z.namelist()):
            root = etree.fromstring(z.read(name))
            for el in root.iter():
                parent = _local(el.tag)
                if parent not in ORDER:
                    continue
                last = -1
                prev = None
                names = [_local(c.tag) for c in el]
                for dup in sorted({n for n in names if n and n not in _REPEATABLE and names.count(n) > 1}):
                    problems.append(f"{name}: {parent} > {dup} twice")
                for child in el:
                    rank = _rank(parent, child)
                    if rank < last:
                        problems.append(f"{name}: {parent} > {_local(child.tag)} after {prev}")
                    else:
                        last, prev = rank, _local(child.tag)
    return problems
