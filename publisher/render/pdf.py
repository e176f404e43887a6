"""HTML -> PDF through WeasyPrint, with one shared FontConfiguration (SPEC §7).

A fresh FontConfiguration per document makes memory climb over many renders,
so one is kept per process.  PDFs carry no creation date but the document's
(or SOURCE_DATE_EPOCH), and no random identifier, so they are reproducible.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging

from .package import build_date


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
    from weasyprint import HTML
    _quiet()
    when = build_date(date).strftime("%Y-%m-%dT%H:%M:%SZ")
    head = f'<meta name="dcterms.created" content="{when}"><meta name="dcterms.modified" content="{when}">'
    if "<head>" in html:
        html = html.replace("<head>", "<head>" + head, 1)
    document = HTML(string=html, base_url=base_url).render(font_config=font_config())
    if title:
        document.metadata.title = title
    return document.write_pdf(pdf_identifier=None)
