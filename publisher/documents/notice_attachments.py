"""The content of a notice's attachment pages as HTML for the PDF (a form, a plain table from a
source, text, inline ``domain.notice.Table``s), and the rows and widths of a plain table, which
``notice_docx`` lays out the same way."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..domain.notice import Attachment, parse_body

PORTRAIT_COLUMNS = 7    # a plain table of up to 7 columns (the catalog) stays portrait, inside the 版心


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
