"""The notice's layout self-check: the GB/T 9704 rules read back from WeasyPrint's boxes of the
final render (line grid, titles, 附件说明, seals inside the 版心, 成文日期, 版记 and its page number).

Run by ``notice_pdf.pdf_bytes``; every problem is a located warning, never an error (the document
is made, the clerk is told what a reviewer would send back).  The box helpers here are also what
``notice_pdf.measure`` reads the first render with.
"""
from __future__ import annotations

from ..domain.notice import Notice
from ..errors import Findings, Location
from . import notice_layout as L

PX = 25.4 / 96          # mm per CSS px


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


def _lines(box, placed: bool = False):
    """(line box, inside an absolutely placed box?) under ``box``, in order."""
    from weasyprint.formatting_structure.boxes import LineBox
    placed = placed or type(box).__name__ == "AbsolutePlaceholder"
    if isinstance(box, LineBox):
        yield box, placed
    for child in getattr(box, "children", []) or []:
        yield from _lines(child, placed)


def _check_attachment_note(notice: Notice, document, findings: Findings) -> None:
    """"附件：" and each "1." on the baseline of their title's first line (absolutely placed
    spans lay out their own lines)."""
    items = [b for _, b in _find(document, lambda el, b: "item" in (el.get("class") or "").split())]
    inner = {id(c) for b in items for c in _boxes(b) if c is not b}
    for item in (b for b in items if id(b) not in inner):            # the outermost box of each item
        lines = list(_lines(item))
        own = [line for line, placed in lines if not placed and line.children]
        marks = [line for line, placed in lines if placed and line.children]
        if not own or not marks:
            continue
        off = max(abs(_baseline(m) - _baseline(own[0])) for m in marks)
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
