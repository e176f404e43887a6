"""Byte-identical ZIP packages (DOCX, XLSX) for the same input (SPEC §6)."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile

_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def build_date(default: dt.date | None = None) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the document's own date, else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    if default is not None:
        return dt.datetime(default.year, default.month, default.day)
    return dt.datetime(2000, 1, 1)


def with_parts(data: bytes, changed: dict) -> bytes:
    """The ZIP ``data`` with the parts named in ``changed`` (name -> bytes) replaced, order kept."""
    if not changed:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, changed.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a ZIP with fixed entry times and core-property dates; entry order is kept."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=zip_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, content)
    return out.getvalue()
