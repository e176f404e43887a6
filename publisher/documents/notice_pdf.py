"""The notice through WeasyPrint: the measuring stage, the PDF writer and the layout self-check.

``measure`` renders a first pass to learn the room left below the body (for the
signature's spacing) and where the content ends, so the 版记 can be put at the
bottom of the last page — an even page, with a blank numberless page before it
when needed.  Its ``NoticeLayout`` is what both writers read: ``pdf_bytes`` here
and ``notice_docx.docx_bytes``.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup, escape

from ..domain.notice import Attachment, Notice, parse_body
from ..errors import Findings, Location
from ..render import fonts
from ..render.html import builtin_templates, render
from ..render.package import build_date
from ..render.seal import seal_svg
from . import notice_layout as L
from .notice_layout import MeasuredNotice, NoticeJob, NoticeLayout

PX = 25.4 / 96          # mm per CSS px
PORTRAIT_COLUMNS = 7    # a plain table of up to 7 columns (the catalog) stays portrait, inside the 版心
BANJI_ROW = 7.0 + 1.6   # 版记 row height (line + padding) in mm


def _css(options) -> str:
    user = Path(options.templates) / "html" / "notice.css" if options.templates else None
    path = user if user and user.is_file() else builtin_templates() / "html" / "notice.css"
    return path.read_text(encoding="utf-8")


def attachment_pages(att: Attachment, model, options) -> tuple[list[Markup], bool]:
    """(HTML chunks, one per page, landscape?) of an attachment's content; ``model`` is the
    source it prints (None: a blank form)."""
    if att.form:
        from .form_render import form_html
        html = form_html(att.form, model, options, getattr(model, "city", None), with_title=False)
        return [Markup(html)], True
    if att.table:
        head, rows = table_rows(model, options.mask)
        landscape = len(head) > PORTRAIT_COLUMNS
        # A turned page holds 14 rows (its page breaks are ours); a portrait table flows on, its
        # header repeated on every page.
        per_page = 14 if landscape else max(len(rows), 1)
        chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)] or [[]]
        pages = []
        widths = table_widths(head)
        cols = "".join(f'<col style="width: {w * 100:.2f}%">' for w in widths) if widths else ""
        fixed = ' style="table-layout: fixed"' if widths else ""
        for i, chunk in enumerate(chunks):
            cells = "".join(f"<th>{escape(h)}</th>" for h in head)
            body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in chunk)
            pages.append(Markup(f'<table class="plain f-body"{fixed}><colgroup>{cols}</colgroup>'
                                f'<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>'))
        return pages, landscape
    paras = "".join(_para_html(p) for p in parse_body(att.body))
    tables = "".join(inline_table_html(t) for t in att.tables)
    return [Markup(f'<div class="text">{paras}</div>{tables}')], False


def _para_html(p) -> str:
    return f'<p class="f-body">{escape(p.text)}</p>'


def inline_table_html(table) -> str:
    """A ``domain.notice.Table`` inside the 版心: a key/value table or rows under a header."""
    cols = "".join(f'<col style="width: {w * 100:.3f}%">' for w in table.column_widths())
    head = ""
    if table.head:
        head = "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.head) + "</tr></thead>"
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    caption = f'<p class="table-caption f-hei">{escape(table.caption)}</p>' if table.caption else ""
    kind = "kv" if table.pairs else "grid"
    return (f'{caption}<table class="inline {kind} f-body" style="font-size: {table.size_pt:g}pt">'
            f'<colgroup>{cols}</colgroup>{head}<tbody>{rows}</tbody></table>')


CATALOG_HEAD = ["序号", "技工院校", "专业名称", "层次", "学制（年）", "招生计划（人）", "联系电话"]
CATALOG_WIDTHS = (8, 36, 32, 16, 13, 18, 33)       # mm of the 156 mm text area


def table_widths(head: list[str]) -> list[float] | None:
    """Relative column widths of a plain table whose columns are known (the catalog's), else None."""
    if head == CATALOG_HEAD:
        return [w / sum(CATALOG_WIDTHS) for w in CATALOG_WIDTHS]
    return None


def table_rows(model, mask: bool = False) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a plain table made from a catalog, registrations or progress source."""
    from ..domain.models import COUNT_FIELDS, COUNT_TITLES, Catalog, PersonList, Progress
    if isinstance(model, Catalog):
        head = list(CATALOG_HEAD)
        rows, n = [], 0
        for school in model.schools:
            for major in school.majors:
                n += 1
                rows.append([str(n), school.name, major.name, major.level, str(major.years or ""),
                             str(major.plan if major.plan is not None else ""), school.phone])
        return head, rows
    if isinstance(model, PersonList):
        head = ["序号", "姓名", "性别", "民族", "扶贫卡编号", "身份证号", "联系电话", "家庭详细地址", "拟就读技工院校"]
        from ..domain.people import mask_id, mask_phone
        hide = (lambda v, f: f(v) if v else v) if mask else (lambda v, f: v)
        return head, [[str(i + 1), p.name, p.gender, p.ethnicity, p.card_no, hide(p.id_no, mask_id),
                       hide(p.phone, mask_phone), p.address, p.target_school] for i, p in enumerate(model.rows)]
    if isinstance(model, Progress):
        head = ["序号", "学校名称"] + [COUNT_TITLES[f] for f in COUNT_FIELDS]
        return head, [[str(i + 1), r.school] + [str(getattr(r, f) or 0) for f in COUNT_FIELDS]
                      for i, r in enumerate(model.rows)]
    return ["序号", "内容"], []


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


def _boxes(box):
    yield box
    for child in getattr(box, "children", []) or []:
        yield from _boxes(child)


def _find(document, predicate):
    """(page index, box) for every box whose element matches ``predicate``."""
    for i, page in enumerate(document.pages):
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            if element is not None and predicate(element, box):
                yield i, box


def _has_id(value):
    return lambda el, box: el.get("id") == value


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


# --- layout self-check ------------------------------------------------------

def _loc(notice: Notice, key: str) -> Location:
    return notice.loc(key)


def _text_of(box) -> str:
    if hasattr(box, "text"):
        return box.text
    return "".join(_text_of(c) for c in getattr(box, "children", []) or [])


def self_check(notice: Notice, document, ctx: dict, findings: Findings, double_sided: bool = True) -> None:
    """Warn where the rendered layout breaks GB/T 9704 (line grid, overflow, seal, 版记)."""
    left = L.MARGIN["left"]
    right_edge = left + L.TEXT_W + 0.6
    from weasyprint.formatting_structure.boxes import LineBox
    # Body lines on the 28-character grid.
    for cls, key in (("main-text", "body"), ("enc-text", "enclosure")):
        for _, box in _find(document, lambda el, b: cls in (el.get("class") or "").split()):
            for line in (b for b in _boxes(box) if isinstance(b, LineBox)):
                end = (line.position_x + _content_width(line)) * PX
                if end > right_edge:
                    text = _text_of(line)
                    findings.warning(_loc(notice, key), "notice.layout_grid",
                                     f"正文有一行超出版心（28字/行）：“{text[:20]}…”，请检查是否有过长的数字或英文", key)
                    break
    for _, box in _find(document, lambda el, b: "title-line" in (el.get("class") or "").split()):
        if box.position_x * PX < left - 0.6 or (box.position_x + box.width) * PX > right_edge + 0.2:
            pass
        width = _content_width(box) * PX
        if width > L.TEXT_W + 0.6:
            findings.warning(_loc(notice, "title"), "notice.layout_title",
                             f"标题行“{_text_of(box)}”宽于版心，请缩短标题或分行", "title")
    for _, box in _find(document, lambda el, b: "signer" in (el.get("class") or "").split()):
        for line in (b for b in _boxes(box) if isinstance(b, LineBox)):
            x0, x1 = line.position_x * PX, (line.position_x + _content_width(line)) * PX
            if x0 < left - 0.6 or x1 > right_edge:
                findings.warning(_loc(notice, "issuers"), "notice.layout_signature",
                                 f"署名“{_text_of(line)}”超出版心", "issuers")
    _check_title_ends(notice, document, findings)
    _check_attachment_note(notice, document, findings)
    _check_seal(notice, document, ctx, findings)
    _check_date(notice, document, ctx, findings)
    _check_banji(notice, document, ctx, findings, double_sided)


def _classed(name: str):
    return lambda el, box: name in (el.get("class") or "").split()


def _check_title_ends(notice: Notice, document, findings: Findings) -> None:
    """7.3.1 回行时词意完整: no title line ends in 和、的、与、及、并."""
    from ..linebreak import NO_END
    for cls in ("title-line", "att-title-line"):
        seen = set()
        for _, box in _find(document, _classed(cls)):
            text = _text_of(box).strip()
            if text and text[-1] in NO_END and id(box.element) not in seen:
                seen.add(id(box.element))
                findings.warning(_loc(notice, "title"), "notice.layout_title",
                                 f"标题行“{text}”以“{text[-1]}”结尾，回行处割裂了词意；请调整标题", "title")


def _baseline(line) -> float:
    return (line.position_y + line.baseline) * PX


def _check_attachment_note(notice: Notice, document, findings: Findings) -> None:
    """"附件：" and each "1." on the baseline of their title's first line (absolutely placed
    spans lay out their own lines)."""
    from weasyprint.formatting_structure.boxes import LineBox
    for _, item in _find(document, lambda el, b: "item" in (el.get("class") or "").split()
                         and type(b).__name__ == "BlockBox"):
        own = [c for c in item.children if isinstance(c, LineBox)]
        if not own:
            continue
        marks = [b for c in _boxes(own[0]) if type(c).__name__ == "AbsolutePlaceholder"
                 for b in _boxes(c) if isinstance(b, LineBox)]
        off = max((abs(_baseline(m) - _baseline(own[0])) for m in marks), default=0.0)
        if off > 0.5:
            findings.warning(_loc(notice, "attachments"), "notice.layout_attachments",
                             f"附件说明“{_text_of(item)[:20]}”的序号与标题不在同一行（相差 {off / L.PT:.1f} 磅）",
                             "attachments")


def _content_width(line) -> float:
    """Width of a line's text (without trailing letter-spacing slack)."""
    children = getattr(line, "children", None)
    if not children:
        return getattr(line, "width", 0) or 0
    start = line.position_x
    end = max(c.position_x + c.margin_width() for c in children)
    return end - start


def _check_seal(notice: Notice, document, ctx: dict, findings: Findings) -> None:
    sign = ctx["sign"]
    if not sign.sealed:
        return
    signs = list(_find(document, _has_id("sign")))
    if not signs:
        return
    page, sign_box = signs[0]
    seal_boxes = [b for p, b in _find(document, lambda el, b: "seal" in (el.get("class") or "").split()
                                      and el.tag == "div") if p == page]
    text_pages = [p for p, _ in _find(document, lambda el, b: "main-text" in (el.get("class") or "").split())]
    sign_pages = {p for p, _ in _find(document, lambda el, b: "signer" in (el.get("class") or "").split())}
    where = _loc(notice, "seal" if "seal" in notice.cells else "date")
    if len(sign_pages) > 1 or (text_pages and max(text_pages) != page):
        findings.warning(where, "notice.layout_seal", "署名、成文日期与正文不在同一页，请调整正文使其同页", "seal")
        return
    top_sign = sign_box.position_y * PX
    name_glyph = top_sign + sign.glyph_top(sign.name_top)
    date_glyph = top_sign + sign.glyph_top(sign.date_top)
    last = len(seal_boxes) - 1
    for i, box in enumerate(seal_boxes):
        seal_top = box.position_y * PX
        centre = seal_top + sign.diameter / 2
        if seal_top - top_sign > L.LINE + 0.1:
            findings.warning(where, "notice.layout_seal", "印章上边缘距正文超过一行", "seal")
        if name_glyph < centre - 0.1:
            findings.warning(where, "notice.layout_seal", "署名没有位于印章中心线以下", "seal")
        if i == last and sign.date and date_glyph > seal_top + sign.diameter - 1.0:
            findings.warning(where, "notice.layout_seal", "最后一枚印章没有下压成文日期", "seal")
    text_top, text_bottom = L.MARGIN["top"], L.MARGIN["top"] + L.TEXT_H
    for box in seal_boxes:
        top = box.position_y * PX
        if top < text_top - 0.1 or top + sign.diameter > text_bottom + 0.1:
            findings.warning(where, "notice.layout_seal",
                             f"印章超出版心（下边缘距版心底边 {top + sign.diameter - text_bottom:+.1f} 毫米）；"
                             "印章不得超出版心", "seal")
            break
    if sign.seals:
        right = max(c for c, _ in sign.seals) + sign.diameter / 2
        leftmost = min(c for c, _ in sign.seals) - sign.diameter / 2
        if right > L.TEXT_W + 0.1 or leftmost < -0.1:
            findings.warning(where, "notice.layout_seal", "印章超出版心，请缩短署名或减少联合发文机关", "seal")


def _check_date(notice: Notice, document, ctx: dict, findings: Findings) -> None:
    """A sealed 成文日期 ends four characters from the right of the text area (右空四字)."""
    sign = ctx["sign"]
    found = list(_find(document, _has_id("date")))
    if not sign.sealed or not found:
        return
    _, box = found[0]
    right = (box.position_x + _content_width(box)) * PX - L.MARGIN["left"]
    if abs(L.TEXT_W - 4 * L.CHAR - right) > 0.8:
        findings.warning(_loc(notice, "date"), "notice.layout_date",
                         f"成文日期右空 {(L.TEXT_W - right) / L.CHAR:.2f} 字，应右空四字", "date")


def _numbered(page) -> bool:
    from weasyprint.formatting_structure.boxes import MarginBox
    return any(isinstance(c, MarginBox) and _text_of(c).strip() for c in page._page_box.children)


def _check_banji(notice: Notice, document, ctx: dict, findings: Findings, double_sided: bool) -> None:
    if ctx.get("banji") is None:
        return
    where = _loc(notice, "printed_by" if "printed_by" in notice.cells else "cc")
    found = list(_find(document, _has_id("banji")))
    pages = len(document.pages)
    if not found:
        findings.warning(where, "notice.layout_banji", "版记未能排出", "printed_by")
        return
    page, box = found[-1]
    bottom = (box.position_y + box.margin_height()) * PX
    text_bottom = L.MARGIN["top"] + L.TEXT_H
    if page != pages - 1 or abs(bottom - text_bottom) > 1.5:
        findings.warning(where, "notice.layout_banji",
                         f"版记没有位于最后一页版心底部（第{page + 1}页，距底 {text_bottom - bottom:.1f} 毫米）", "printed_by")
    if double_sided and pages % 2:
        findings.warning(where, "notice.layout_banji", f"公文共 {pages} 页，版记所在的最后一页应为偶数页",
                         "printed_by")
    # 7.5: the 版记 page is numbered unless a blank page precedes it (then neither is).
    blank_before = bool(ctx["banji"].get("blank_before"))
    if _numbered(document.pages[page]) == blank_before:
        findings.warning(where, "notice.layout_banji",
                         "版记页" + ("前有空白页，版记页和空白页不应编页码" if blank_before else "应编排页码"),
                         "printed_by")
