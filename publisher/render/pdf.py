"""HTML -> PDF through WeasyPrint, with one shared FontConfiguration (SPEC §7).

A fresh FontConfiguration per document makes memory climb over many renders,
so one is kept per process.  PDFs carry no creation date but the document's
(or SOURCE_DATE_EPOCH), and no random identifier, so they are reproducible.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from urllib.parse import unquote, urlparse

from ..errors import RenderError
from .package import build_date

# What a page may load (templates are hostile): fonts, images and style sheets from local
# files, and data: URLs.  No other local file (/etc/passwd, a key, a workbook) and nothing
# over the network.  The suffix is the real file's, after following links.
LOADABLE = {".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp",
            ".bmp", ".css"}


@functools.lru_cache(maxsize=1)
def font_config():
    from weasyprint.text.fonts import FontConfiguration
    return FontConfiguration()


def _quiet() -> None:
    # WeasyPrint logs CSS it ignores at WARNING; our templates are tested, users need not see it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def html_to_pdf(html: str, base_url: str | None = None, date: dt.date | None = None,
                title: str | None = None) -> bytes:
    """Render an HTML string to PDF bytes."""
    _quiet()
    when = build_date(date).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = f'<meta name="dcterms.created" content="{when}"><meta name="dcterms.modified" content="{when}">'
    if "<head>" in html:
        html = html.replace("<head>", "<head>" + head, 1)
    document = render_document(html, base_url)
    if title:
        document.metadata.title = title
    return document.write_pdf(pdf_identifier=None)


def render_document(html: str, base_url: str | None = None):
    """A laid-out WeasyPrint document; a resource the page may not load is an error, not a silent gap."""
    from weasyprint import HTML
    fetcher = _fetcher_class()()
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(font_config=font_config())
    except RecursionError:
        raise RenderError("错误: 模板生成的页面元素嵌套过深，无法排版，已拒绝") from None
    if fetcher.refused:
        raise RenderError("错误: 模板引用了不允许读取的文件或网址，已拒绝：" + "、".join(sorted(set(fetcher.refused))[:5])
                          + "（只能引用字体、图片和样式表文件）")
    return document


@functools.lru_cache(maxsize=1)
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class Fetcher(URLFetcher):
        """WeasyPrint's fetcher, for data: URLs and the local files of ``LOADABLE`` only."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"})
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                real = os.path.realpath(unquote(parsed.path))
                if os.path.splitext(real)[1].lower() not in LOADABLE:
                    self.refused.append(unquote(parsed.path))
                    raise ValueError(f"refused: {url}")
            elif parsed.scheme != "data":
                self.refused.append(url[:200])
                raise ValueError(f"refused: {url}")
            return super().fetch(url, headers)

    return Fetcher
