"""The notice through WeasyPrint: the measuring stage and the PDF writer (whose final render the
layout self-check, ``notice_check.self_check``, reads back).

``measure`` renders a first pass to learn the room left below the body (for the
signature's spacing) and where the content ends, so the 版记 can be put at the
bottom of the last page — an even page, with a blank numberless page before it
when needed.  Its ``NoticeLayout`` is what both writers read: ``pdf_bytes`` here
and ``notice_docx.docx_bytes``.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from ..domain.notice import Notice, parse_body
from ..render import fonts
from ..render.html import builtin_templates, render
from ..render.package import build_date
from ..render.seal import seal_svg
from . import notice_layout as L
from .notice_attachments import attachment_pages
from .notice_check import PX, _find, _has_id, self_check
from .notice_layout import MeasuredNotice, NoticeJob, NoticeLayout

BANJI_ROW = 7.0 + 1.6   # 版记 row height (line + padding) in mm


def _css(options) -> str:
    user = Path(options.templates) / "html" / "notice.css" if options.templates else None
    path = user if user and user.is_file() else builtin_templates() / "html" / "notice.css"
    return path.read_text(encoding="utf-8")


def signature_for(job: NoticeJob, options, room: float | None = None) -> L.SignatureLayout:
    return L.signature_layout(job.notice, job.sealed(options), options.layout.seal_mm, room)


def context(job: NoticeJob, options, banji=None, room: float | None = 0) -> dict:
    """Template context; ``room`` chooses the signature spacing (``L.fit_signature``): the first
    pass renders the tightest one to learn the room left below the body."""
    notice = job.notice
    image = job.seal_image(options)
    diameter = options.layout.seal_mm
    red = options.layout.red
    pairs = job.attachments()
    attachments = []
    for i, (att, model) in enumerate(pairs, 1):
        pages, rotated = attachment_pages(att, model, options)
        attachments.append({"label": L.attachment_label(i, len(pairs)), "title": att.title,
                            "title_lines": L.attachment_title_lines(att.title, rotated),
                            "pages": pages, "rotated": rotated})
    enclosure = None
    if notice.enclosure:
        enclosure = {"title_lines": L.title_lines(notice.enclosure.title),
                     "body": parse_body(notice.enclosure.body),
                     "attachments": notice.enclosure.attachments}
    fonts_dir = options.fonts
    return {
        "n": notice,
        "font_css": Markup(fonts.css(fonts_dir)),
        "css": Markup(_css(options)),
        "song_stack": Markup(fonts.stack("song", fonts_dir)),
        "red": red,
        "mark": L.mark_layout(notice),
        "title_lines": L.title_lines(notice.title),
        "body": parse_body(notice.body),
        "own_attachments": notice.attachments,
        "sign": signature_for(job, options, room),
        "line": L.LINE,
        "seal_markup": Markup(seal_svg(diameter, red, image, fonts_dir)),
        "enclosure": enclosure,
        "attachments": attachments,
        "banji": banji,
        "bold34": options.layout.bold_levels_3_4,
    }


def _render(html: str, base_url: str | None):
    from ..render.pdf import _quiet, render_document
    _quiet()
    return render_document(html, base_url)


def sign_room(first) -> tuple[int, float] | None:
    """(page index, mm from the top of the signature block to the bottom of the text area)."""
    signs = list(_find(first, _has_id("sign")))
    if not signs:
        return None
    page, box = signs[0]
    return page, L.MARGIN["top"] + L.TEXT_H - box.position_y * PX


def banji_layout(notice: Notice, first, double_sided: bool = True, shift: tuple[int, float] | None = None) -> dict | None:
    """Where the 版记 goes, from the first render's layout; ``shift`` = (page, mm): content on
    that page moved down by mm in the final render (a looser signature than the first pass)."""
    if not (notice.cc or notice.printed_by):
        return None
    ends = list(_find(first, _has_id("content-end")))
    pages = len(first.pages)
    page_index, box = ends[-1] if ends else (pages - 1, None)
    text_bottom = (L.MARGIN["top"] + L.TEXT_H)
    used = box.position_y * PX if box is not None else text_bottom
    if shift and box is not None and shift[0] == page_index:
        used += shift[1]
    cc_lines = 0
    if notice.cc:
        width = L.TEXT_W - 2 * 4.94 - 3 * 4.94
        per_line = max(int(width / 4.94), 1)
        cc_lines = -(-len(L.banji_cc(notice)[3:]) // per_line)
    height = (cc_lines * 7.0 + 1.6 + 0.6 if cc_lines else 0) + BANJI_ROW + 0.8
    page_no = page_index + 1
    room = text_bottom - used
    even_ok = (page_no % 2 == 0) or not double_sided
    cc = L.banji_cc(notice)[3:]
    base = {"cc": cc, "by": notice.printed_by, "on": L.printed_on(notice)}
    if even_ok and room >= height + L.LINE * 0.5:
        return {**base, "new_page": False, "blank_before": False, "spacer": room - height}
    blank_before = double_sided and page_no % 2 == 0
    return {**base, "new_page": True, "blank_before": blank_before, "spacer": L.TEXT_H - height}


def _base_url(notice: Notice) -> str | None:
    return str(notice.path.parent) + "/" if notice.path else None


def measure(job: NoticeJob, options) -> MeasuredNotice:
    """The measuring stage: render with the tightest signature to learn the room below the
    body, choose the signature's spacing for it, and place the 版记."""
    notice, templates, base_url = job.notice, options.templates, _base_url(job.notice)
    ctx = context(job, options, room=0)
    first = _render(render("html/notice.html.j2", ctx, templates), base_url)
    shift = None
    signature = ctx["sign"]
    found = sign_room(first)
    if found is not None:
        page, room = found
        signature = signature_for(job, options, room)
        if signature.total + 0.3 <= room:
            # Everything below the body stays on its page: the rest moves down by the difference.
            shift = (page, signature.total - ctx["sign"].total)
        elif signature != ctx["sign"]:
            # The 附注 (or the signature) flow on: learn the layout again.
            ctx["sign"] = signature
            first = _render(render("html/notice.html.j2", ctx, templates), base_url)
    banji = banji_layout(notice, first, options.layout.double_sided, shift)
    return MeasuredNotice(job, NoticeLayout(signature, banji, len(first.pages)))


def pdf_bytes(measured: MeasuredNotice, options, report) -> bytes:
    """The PDF writer: the final render with the measured layout; layout problems (GB/T 9704
    self-check) become warnings in ``report.findings``."""
    job, layout = measured.job, measured.layout
    ctx = context(job, options, banji=layout.banji)
    ctx["sign"] = layout.signature
    html = render("html/notice.html.j2", ctx, options.templates)
    when = build_date(job.notice.date).strftime("%Y-%m-%dT%H:%M:%SZ")
    html = html.replace("<head>", f'<head><meta name="dcterms.created" content="{when}">'
                                  f'<meta name="dcterms.modified" content="{when}">', 1)
    document = _render(html, _base_url(job.notice))
    document.metadata.title = job.notice.title
    self_check(job.notice, document, ctx, report.findings, options.layout.double_sided)
    return document.write_pdf(pdf_identifier=None)


