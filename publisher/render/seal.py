"""The seal placeholder (GB/T 9704 印章 position, never a realistic seal).

A dashed red circle, by default 42 mm across, with （印章） in 小四 (12 pt), centred
across and sitting just above the centre line (the 署名 below the centre stays clear of
it); no star, no emblem, no curved name.  An authorised seal image from the
config (``config.seal_image()``) replaces the circle at the same size.

``seal_svg`` gives inline markup for HTML/PDF; ``docx_seal`` adds a floating
shape (DrawingML with a VML fallback, ``render.floating``) or a floating picture
anchored to a python-docx paragraph.
"""
from __future__ import annotations

import html
from pathlib import Path

from .floating import add_alternate, add_drawing, anchor_open, emu, next_shape_id, picture, pt, shape
from .fonts import ROLES, stack

LABEL = "（印章）"
LABEL_PT = 12           # 小四
DEFAULT_MM = 42
DEFAULT_COLOR = "#E8380D"
DASH_MM = (3.0, 1.6)    # dash, gap
STROKE_MM = 0.6
LABEL_GAP_MM = 1.2      # the label's line ends this far above the circle's centre


def seal_svg(diameter_mm: float = DEFAULT_MM, color: str = DEFAULT_COLOR, image: Path | None = None,
             fonts_dir: Path | None = None, label: str = "above") -> str:
    """Inline markup (an <svg>, or an <img> of an authorised seal image) ``diameter_mm`` wide.
    ``label="centre"`` centres （印章） on the centre line (a form's seal, whose centre is on the
    填表单位 line with the title just above)."""
    d = float(diameter_mm)
    if image is not None:
        src = html.escape(Path(image).resolve().as_uri(), quote=True)
        return (f'<img class="seal" src="{src}" alt="{LABEL}" '
                f'style="width:{d:g}mm;height:{d:g}mm;display:block">')
    c = html.escape(color, quote=True)
    r = d / 2 - STROKE_MM / 2
    family = html.escape(stack("song", fonts_dir), quote=True)
    font_mm = LABEL_PT * 25.4 / 72
    baseline = d / 2 + font_mm * 0.36 if label == "centre" else d / 2 - LABEL_GAP_MM - font_mm * 0.12
    return (
        f'<svg class="seal" xmlns="http://www.w3.org/2000/svg" width="{d:g}mm" height="{d:g}mm" '
        f'viewBox="0 0 {d:g} {d:g}" style="display:block">'
        f'<circle cx="{d / 2:g}" cy="{d / 2:g}" r="{r:g}" fill="none" stroke="{c}" '
        f'stroke-width="{STROKE_MM:g}" stroke-dasharray="{DASH_MM[0]:g} {DASH_MM[1]:g}"/>'
        f'<text x="{d / 2:g}" y="{baseline:g}" text-anchor="middle" fill="{c}" '
        f'font-size="{font_mm:.3f}" font-family="{family}">{LABEL}</text>'
        f'</svg>'
    )


def seal_markup(options, label: str = "above", scale: float = 1.0) -> str:
    """The seal as ``options`` say it (size, red, authorised image; '' when unsealed) for HTML/PDF."""
    if not options.sealed:
        return ""
    return seal_svg(options.layout.seal_mm * scale, options.layout.red, options.seal_image, options.fonts, label)


def add_docx_seal(paragraph, options, h_offset_mm: float, v_offset_mm: float, label: str = "above",
                  scale: float = 1.0):
    """``docx_seal`` as ``options`` say it; nothing when unsealed.  Offsets as in ``docx_seal``."""
    if not options.sealed:
        return None
    return docx_seal(paragraph, options.layout.seal_mm * scale, h_offset_mm, v_offset_mm, options.layout.red,
                     options.seal_image, label=label)


def docx_seal(paragraph, diameter_mm: float = DEFAULT_MM, h_offset_mm: float = 0, v_offset_mm: float = 0,
              color: str = DEFAULT_COLOR, image: Path | None = None, behind: bool = False, label: str = "above"):
    """Float a seal placeholder (or the authorised ``image``) over the text, anchored to ``paragraph``.

    The circle's left edge is ``h_offset_mm`` from the left edge of the column
    and its top edge ``v_offset_mm`` below the top of ``paragraph`` (negative:
    above).  It does not move text (wrap none); ``behind`` puts it behind the
    text, else in front.  ``label`` as in ``seal_svg``.  Returns the run holding the shape.
    """
    centred = label == "centre"
    d_emu, h_emu, v_emu = emu(diameter_mm), emu(h_offset_mm), emu(v_offset_mm)
    shape_id = next_shape_id(paragraph)
    hex_color = color.lstrip("#").upper()
    run = paragraph.add_run()
    anchor = anchor_open(shape_id, f"Seal {shape_id}", d_emu, d_emu, h_emu, v_emu, behind=behind, descr=LABEL)
    if image is not None:
        r_id, _ = paragraph.part.get_or_add_image(str(image))
        add_drawing(run, picture(anchor, shape_id, r_id, d_emu, d_emu, "seal.png"))
        return run

    font = ROLES["song"].docx_name
    # The label at the bottom of the text box, whose bottom inset ends it above the centre.
    label_run = (f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>'
                 f'<w:color w:val="{hex_color}"/><w:sz w:val="{LABEL_PT * 2}"/><w:szCs w:val="{LABEL_PT * 2}"/>'
                 f'</w:rPr><w:t>{LABEL}</w:t></w:r>')
    label_par = (f'<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" '
                 f'w:lineRule="auto"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr>'
                 f'{label_run}</w:p>')
    line = (f'<a:ln w="{emu(STROKE_MM)}"><a:solidFill><a:srgbClr val="{hex_color}"/></a:solidFill>'
            f'<a:prstDash val="dash"/></a:ln>')
    body = (f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" '
            f'bIns="{0 if centred else emu(diameter_mm / 2 + LABEL_GAP_MM)}" anchor="{"ctr" if centred else "b"}" '
            f'anchorCtr="0"><a:noAutofit/></wps:bodyPr>')
    dml = shape(anchor, d_emu, d_emu, "ellipse", line, label_par, body)
    vml = (
        f'<w:pict><v:oval id="Seal{shape_id}" o:spid="_x0000_s{shape_id}" filled="f" strokecolor="#{hex_color}" '
        f'strokeweight="{pt(STROKE_MM)}" '
        f'style="position:absolute;margin-left:{pt(h_offset_mm)};margin-top:{pt(v_offset_mm)};'
        f'width:{pt(diameter_mm)};height:{pt(diameter_mm)};z-index:{-1 if behind else 251659264 + shape_id};'
        f'mso-position-horizontal-relative:text;mso-position-vertical-relative:text;'
        f'v-text-anchor:{"middle" if centred else "bottom"}">'
        f'<v:stroke dashstyle="dash"/>'
        f'<v:textbox inset="0,0,0,{pt(0 if centred else diameter_mm / 2 + LABEL_GAP_MM)}">'
        f'<w:txbxContent>{label_par}</w:txbxContent></v:textbox>'
        f"</v:oval></w:pict>"
    )
    add_alternate(run, dml, vml)
    return run
