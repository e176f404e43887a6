"""openpyxl helpers: data written as values, never formulas; reproducible bytes."""
from __future__ import annotations

import datetime as dt
import io

from .package import build_date, normalise_zip

FORMULA_START = ("=", "+", "-", "@")


def put(cell, value):
    """Write data into a cell; text that looks like a formula stays text (SPEC §6)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def workbook_bytes(workbook, date: dt.date | None = None) -> bytes:
    when = build_date(date)
    workbook.properties.created = when
    workbook.properties.modified = when
    workbook.properties.creator = "publisher"
    workbook.properties.lastModifiedBy = "publisher"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_zip(buffer.getvalue(), when)
