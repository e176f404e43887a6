"""PDF letters and mailing labels through WeasyPrint, in chunks.

One WeasyPrint document per letter costs ~130 ms and a CJK font subset each
(SPEC §7); one document of N letters costs less per page, but layout time and
memory grow faster than N (measured: 200 pages 3.5 s / +90 MiB, 1,000 pages
25 s / +440 MiB).  So letters are rendered ``CHUNK`` at a time and the chunks
merged with pypdf; chunk boundaries are fixed, so output bytes are too.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from ..render.package import build_date

CHUNK = 200
LABELS_PER_PAGE = 14          # 2 × 7 on A4, 105 × 42.4 mm


@dataclass(frozen=True)
class Settings:
    """What a worker process needs from the project config (picklable)."""

    fonts: Path | None = None
    templates: Path | None = None
    paper: str = "A4"
    red: str = "#E8380D"
    seal_mm: float = 42.0
    seal_image: Path | None = None
    seal: bool = True

    @classmethod
    def of(cls, options) -> "Settings":
        return cls(options.fonts, options.templates, options.layout.paper, options.layout.red,
                   options.layout.seal_mm, options.seal_image, options.sealed)


def _seal(settings: Settings):
    from markupsafe import Markup
    from ..render.seal import seal_svg
    if not settings.seal:
        return Markup("")
    diameter = settings.seal_mm * (0.75 if settings.paper == "A5" else 1)
    return Markup(seal_svg(diameter, settings.red, settings.seal_image, settings.fonts))


def letters_html(letters, settings: Settings) -> str:
    from ..render import fonts
    from ..render.html import render
    context = {"letters": [l.context() for l in letters], "paper": settings.paper,
               "fonts_css": fonts.css(settings.fonts), "red": settings.red, "seal": _seal(settings)}
    return render("html/letter.html.j2", context, settings.templates)


def render_letters(letters, settings: Settings, date=None) -> bytes:
    """One PDF of these letters, one a page."""
    from ..render.pdf import html_to_pdf
    return html_to_pdf(letters_html(letters, settings), base_url=str(Path.cwd()), date=date, title="录取通知书")


def merge(chunks, title: str, date=None, pages: int | None = None) -> bytes:
    """Concatenate PDFs (in order) into one, with fixed metadata; ``pages``: the count expected."""
    from pypdf import PdfReader, PdfWriter
    readers = [PdfReader(io.BytesIO(data)) for data in chunks]
    count = sum(len(r.pages) for r in readers)
    if pages is not None and count != pages:
        raise RenderError(f"错误: {pages} 份通知书排成了 {count} 页：有的通知书超过一页。"
                          "请缩短报到地点、学校地址等文字，或修改模板 html/letter.css 中的字号和间距")
    if len(chunks) == 1:
        return chunks[0]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    stamp = build_date(date).strftime("D:%Y%m%d%H%M%SZ")
    writer.add_metadata({"/Title": title, "/Producer": "publisher", "/CreationDate": stamp, "/ModDate": stamp})
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
