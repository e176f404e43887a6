"""DOCX packages written directly, fast and byte-reproducible.

A run makes thousands of DOCX files from one template: every part but a few is
the same in each, so static parts are deflated once (``pack``) and copied into
every package; the parts made per student are deflated as they come, and a large
part (a school's combined document.xml) can be given as pieces of text so it is
never held whole.  The layout is what ``zipfile`` writes (no data descriptors,
no extra fields, fixed times), so Word, WPS, LibreOffice and any ZIP reader
open it.
"""
from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Packed:
    """A part deflated once: CRC-32, size and the raw-deflate stream."""

    crc: int
    size: int
    data: bytes


def pack(content: bytes) -> Packed:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Packed(zlib.crc32(content), len(content), packer.compress(content) + packer.flush())


def pack_text(pieces: Iterable[str]) -> Packed:
    """A part given as pieces of text (UTF-8), deflated as they come."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    crc, size, out = 0, 0, bytearray()
    for piece in pieces:
        raw = piece.encode("utf-8")
        crc, size = zlib.crc32(raw, crc), size + len(raw)
        out += packer.compress(raw)
    out += packer.flush()
    return Packed(crc, size, bytes(out))


def zip_time(when: dt.datetime) -> tuple[int, int]:
    """(DOS time, DOS date) of ``when`` (ZIP cannot go before 1980)."""
    year = max(when.year, 1980)
    return ((when.hour << 11) | (when.minute << 5) | (when.second // 2),
            ((year - 1980) << 9) | (when.month << 5) | when.day)


def write(entries: Iterable[tuple[str, "Packed | bytes | str"]], when: dt.datetime) -> bytes:
    """A ZIP of ``entries`` (name, Packed or content) in the order given."""
    dos_time, dos_date = zip_time(when)
    out = bytearray()
    central = bytearray()
    count = 0
    for name, content in entries:
        if isinstance(content, str):
            content = content.encode("utf-8")
        packed = content if isinstance(content, Packed) else pack(content)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, dos_time, dos_date, packed.crc,
                           len(packed.data), packed.size, len(encoded), 0) + encoded + packed.data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, dos_time, dos_date, packed.crc,
                               len(packed.data), packed.size, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset) + encoded
        count += 1
    start = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return bytes(out)
