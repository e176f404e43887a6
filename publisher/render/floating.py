"""Floating DrawingML shapes in WordprocessingML, each with a VML fallback: the one place that writes
``wp:anchor`` XML (the seal placeholder, a seal picture, a turned page number).

Word 2010+ reads the ``mc:Choice`` (DrawingML, ``wps`` shapes); older Word, WPS and LibreOffice
versions that do not know ``wps`` read the ``mc:Fallback`` (VML).  Both say the same thing: a box
that does not move text (wrap none), at an offset from what it is anchored to.
"""
from __future__ import annotations

from docx.oxml import parse_xml
from docx.shared import Mm

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:w10="urn:schemas-microsoft-com:office:word"')
WPS_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
PIC_URI = "http://schemas.openxmlformats.org/drawingml/2006/picture"
FIRST_ID = 1000


def emu(mm: float) -> int:
    return int(Mm(mm))


def pt(mm: float) -> str:
    """A VML length in points."""
    return f"{mm * 72 / 25.4:.2f}pt"


def next_shape_id(paragraph) -> int:
    """The next free drawing id in this paragraph's part: the same document gives the same ids."""
    root = paragraph.part.element
    used = [int(v) for v in root.xpath(".//wp:docPr/@id") if str(v).isdigit()]
    return max([FIRST_ID, *used]) + 1


def anchor_open(shape_id: int, name: str, cx: int, cy: int, x: int, y: int, *, relative=("column", "paragraph"),
                behind: bool = False, locked: bool = False, in_cell: bool = True, z: int = 251658240,
                descr: str | None = None) -> str:
    """``wp:anchor`` up to its graphic: a ``cx`` x ``cy`` EMU box at (``x``, ``y``) EMU from
    ``relative`` = (horizontal, vertical) origins, wrap none, z-order ``z + shape_id``."""
    described = f' descr="{descr}"' if descr is not None else ""
    return (
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{z + shape_id}" '
        f'behindDoc="{1 if behind else 0}" locked="{1 if locked else 0}" layoutInCell="{1 if in_cell else 0}" '
        f'allowOverlap="1">'
        f'<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="{relative[0]}"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{relative[1]}"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/>'
        f'<wp:docPr id="{shape_id}" name="{name}"{described}/>'
        f'<wp:cNvGraphicFramePr/>'
    )


def shape(anchor: str, cx: int, cy: int, geometry: str, line: str, text: str, body: str,
          text_box: bool = False) -> str:
    """The DrawingML of a ``cx`` x ``cy`` ``wps`` shape after ``anchor_open``: ``geometry`` (a preset
    name), ``line`` (an ``a:ln`` element), text box content ``text`` and its ``wps:bodyPr`` ``body``."""
    marker = ' txBox="1"' if text_box else ""
    return (
        anchor +
        f'<a:graphic><a:graphicData uri="{WPS_URI}"><wps:wsp><wps:cNvSpPr{marker}/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
        f'</a:xfrm><a:prstGeom prst="{geometry}"><a:avLst/></a:prstGeom><a:noFill/>{line}</wps:spPr>'
        f'<wps:txbx><w:txbxContent>{text}</w:txbxContent></wps:txbx>{body}'
        f'</wps:wsp></a:graphicData></a:graphic></wp:anchor>'
    )


def picture(anchor: str, shape_id: int, r_id: int | str, cx: int, cy: int, file_name: str) -> str:
    """A floating picture (relationship ``r_id``) after ``anchor_open``."""
    return (
        anchor +
        f'<a:graphic><a:graphicData uri="{PIC_URI}">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{shape_id}" name="{file_name}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        f'</a:graphicData></a:graphic></wp:anchor>'
    )


def add_drawing(run, dml: str) -> None:
    """A DrawingML-only anchor (a picture) into ``run``."""
    run._r.append(parse_xml(f"<w:drawing {NS}>{dml}</w:drawing>"))


def add_alternate(run, dml: str, vml: str) -> None:
    """The DrawingML anchor ``dml`` with its VML fallback ``vml`` into ``run``."""
    run._r.append(parse_xml(f'<mc:AlternateContent {NS}><mc:Choice Requires="wps"><w:drawing>{dml}</w:drawing>'
                            f'</mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent>'))


def page_field_runs(font: str, size_pt: float) -> str:
    """"— n —" as runs with a PAGE field, for text inside a shape."""
    rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
           f'<w:sz w:val="{round(size_pt * 2)}"/><w:szCs w:val="{round(size_pt * 2)}"/></w:rPr>')
    return (f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{rpr}<w:t>1</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>')


def turned_text_box(paragraph, shape_id: int, name: str, x_mm: float, y_mm: float, width_mm: float,
                    height_mm: float, content: str) -> None:
    """A borderless text box at (x, y) mm from the page's top-left corner whose text (paragraph XML
    ``content``) runs turned 90° clockwise (DrawingML vert="vert", VML layout-flow:vertical), locked
    to the page — a landscape page's number where the portrait page has it."""
    cx, cy = emu(width_mm), emu(height_mm)
    z = 251660000
    anchor = anchor_open(shape_id, name, cx, cy, emu(x_mm), emu(y_mm), relative=("page", "page"),
                         locked=True, in_cell=False, z=z)
    body = ('<wps:bodyPr rot="0" vert="vert" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" '
            'anchorCtr="0"><a:noAutofit/></wps:bodyPr>')
    dml = shape(anchor, cx, cy, "rect", "<a:ln><a:noFill/></a:ln>", content, body, text_box=True)
    vml = (
        f'<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        f'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" '
        f'o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="{name}" o:spid="_x0000_s{shape_id}" type="#_x0000_t202" filled="f" stroked="f" '
        f'style="position:absolute;margin-left:{pt(x_mm)};margin-top:{pt(y_mm)};width:{pt(width_mm)};'
        f'height:{pt(height_mm)};z-index:{z + shape_id};mso-position-horizontal-relative:page;'
        f'mso-position-vertical-relative:page;layout-flow:vertical;v-text-anchor:middle">'
        f'<v:textbox style="layout-flow:vertical" inset="0,0,0,0"><w:txbxContent>{content}</w:txbxContent></v:textbox>'
        f'</v:shape></w:pict>'
    )
    add_alternate(paragraph.add_run(), dml, vml)
