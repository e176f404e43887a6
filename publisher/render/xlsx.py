"""openpyxl helpers: data written as values, never formulas; reproducible bytes."""
from __future__ import annotations

import datetime as dt
import io

from .package import build_date, normalise_zip

FORMULA_START = ("=", "+", "-", "@")


def put(cell, value):
    """Write data into a cell; text that looks like a formula stays text (SPEC §6).

    Every value any workbook of publisher holds goes through here (or ``new_cell`` for
    write-only sheets); the product's own formulas go through ``formula``.
    """
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def new_cell(ws, value=None):
    """A write-only sheet's cell holding ``value`` through the guard of ``put``."""
    from openpyxl.cell import WriteOnlyCell
    return put(WriteOnlyCell(ws), value)


def formula(cell, text: str):
    """A formula publisher itself writes (SUM of a blank form): never built from source text."""
    if not text.startswith("="):
        raise ValueError(f"not a formula: {text!r}")
    cell.value = text
    return cell


def print_landscape(ws, title_rows: str | None = None, margins: tuple = (0.5, 0.6)) -> None:
    """A4 landscape, one page wide (as many pages tall as needed), centred, header rows repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"              # A4 (write-only sheets lack the constant)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = margins[0]
    ws.page_margins.top = ws.page_margins.bottom = margins[1]
    if title_rows:
        ws.print_title_rows = title_rows


def workbook_bytes(workbook, date: dt.date | None = None) -> bytes:
    when = build_date(date)
    workbook.properties.created = when
    workbook.properties.modified = when
    workbook.properties.creator = "publisher"
    workbook.properties.lastModifiedBy = "publisher"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_zip(buffer.getvalue(), when)
