"""PDF letters (the filled DOCX through LibreOffice, in chunks, merged) and mailing labels (WeasyPrint).

A school's PDF is made from the very documents its DOCX letters are: a chunk of
letters is joined into one DOCX (``letter_book``, with a bookmark at each
letter's start), LibreOffice converts the chunk (``render.office``: one start
converts every chunk of a job), and the chunks are joined with pypdf.  The
bookmarks come back as named destinations, so the pages each letter took are
known exactly: one letter one page, or the same number for every letter when the
school's template makes two (said in a note); a letter that runs longer than the
others is an error naming the student.

LibreOffice stamps each PDF with the time it made it and a random ID; the merged
PDF carries the document date (or ``SOURCE_DATE_EPOCH``) instead and no ID, and
the bookmarks' destinations are dropped, so the same input gives the same bytes.
"""
from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from ..render.package import build_date
from .letter_book import MARK

CHUNK = 300                   # letters per DOCX handed to LibreOffice
LABELS_PER_PAGE = 14          # 2 × 7 on A4, 105 × 42.4 mm


@dataclass(frozen=True)
class Settings:
    """What the labels need from the project (picklable)."""

    fonts: Path | None = None
    templates: Path | None = None

    @classmethod
    def of(cls, options) -> "Settings":
        return cls(options.fonts, options.templates)


def letter_pages(pdf: bytes, count: int) -> list[int]:
    """Pages of each of the ``count`` letters of a chunk's PDF, from the bookmarks at their starts."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    starts = {}
    for name, destination in reader.named_destinations.items():
        name = str(name).lstrip("/")
        if name.startswith(MARK) and name[len(MARK):].isdigit():
            starts[int(name[len(MARK):])] = reader.get_destination_page_number(destination)
    if sorted(starts) != list(range(count)):
        if total == count:                # no bookmarks came through, but one page a letter
            return [1] * count
        raise RenderError(f"错误: LibreOffice 生成的 PDF 中找不到每份通知书的起始页（{len(starts)}/{count}），"
                          f"共 {total} 页；无法核对页数")
    ends = [starts[i + 1] for i in range(count - 1)] + [total]
    return [end - starts[i] for i, end in enumerate(ends)]


def check_pages(school: str, letters, pages: list[int]) -> str | None:
    """A note when every letter takes the same number of pages (more than one); an error naming the
    students whose letters take more pages than the others'."""
    common, _ = Counter(pages).most_common(1)[0]
    longer = [(l, p) for l, p in zip(letters, pages) if p != common]
    if longer:
        named = "、".join(f"{l.name}（{l.number}，{p} 页）" for l, p in longer[:10]) + ("等" if len(longer) > 10 else "")
        raise RenderError(f"错误: {school}的通知书每份 {common} 页，但{named}的通知书页数不同；"
                          "请缩短这些学生的报到地点、地址等文字，或在模板中减小字号和间距，使每份通知书页数相同")
    if common != 1:
        return f"{school}：模板每份通知书排成 {common} 页，共 {common * len(pages)} 页"
    return None


def merge(chunks: list[bytes], title: str, date=None) -> bytes:
    """The chunks' pages in order, as one PDF with fixed metadata, no ID and no named destinations."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject
    writer = PdfWriter()
    for data in chunks:
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
    root = writer._root_object
    for key in ("/Names", "/Dests"):
        if NameObject(key) in root:
            del root[NameObject(key)]
    stamp = build_date(date).strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/Title": title, "/Producer": "publisher (LibreOffice)", "/Creator": "publisher",
                         "/CreationDate": stamp, "/ModDate": stamp})
    writer._ID = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def labels_pdf(letters, settings: Settings, mask: bool, date=None) -> bytes:
    """Mailing labels, 2 × 7 per A4 sheet: 家庭详细地址, name, phone."""
    from ..domain.people import mask_text
    from ..render import fonts
    from ..render.html import render
    from ..render.pdf import html_to_pdf
    show = mask_text if mask else (lambda value: value)
    rows = [{"name": l.name, "address": show(l.home), "phone": show(l.phone),
             "number": l.number, "school": l.school} for l in letters]
    pages = [rows[i:i + LABELS_PER_PAGE] for i in range(0, len(rows), LABELS_PER_PAGE)]
    html = render("html/letter_labels.html.j2", {"pages": pages, "fonts_css": fonts.css(settings.fonts)},
                  settings.templates)
    return html_to_pdf(html, base_url=str(Path.cwd()), date=date, title="邮寄标签")
