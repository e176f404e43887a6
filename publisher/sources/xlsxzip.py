"""A workbook's ZIP package: what is checked before anything is unpacked, and while it streams.

- ``check_archive``: from the ZIP directory alone, refuse too many members, a
  total uncompressed size past ``limits.MAX_UNCOMPRESSED`` and any member not
  stored or Deflate-compressed (Python's zipfile never returns more than a
  member's declared size, but bzip2 and LZMA unpack a whole chunk at once before
  that is enforced); then count the tags of the small parts openpyxl parses
  into one tree (``limits.MAX_PART_TAGS``).
- ``Runs``: a member read for the XML parser, refusing a text run between two
  tags past ``limits.MAX_TEXT_BYTES`` before the parser builds it.
- ``cell_at``: the cell whose XML holds a parse error, to name it.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import Location, SourceError
from . import limits

BROKEN = "文件可能已损坏或不是 Excel 保存的；请在 Excel 中打开后重新另存为 .xlsx"
_CELL_START = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d+)"')


def check_archive(archive: zipfile.ZipFile, display: str) -> None:
    """Refuse from the ZIP directory alone what would unpack too big (nothing is unpacked yet)."""
    infos = archive.infolist()
    if len(infos) > limits.MAX_MEMBERS:
        raise SourceError(Location(display), f"工作簿由 {len(infos):,} 个部件组成，超过上限 {limits.MAX_MEMBERS:,} 个；"
                          f"{BROKEN}")
    total = sum(info.file_size for info in infos)
    if total > limits.MAX_UNCOMPRESSED:
        raise SourceError(Location(display), f"工作簿解压后有 {limits.size_text(total)}，超过上限 "
                          f"{limits.size_text(limits.MAX_UNCOMPRESSED)}（文件里可能塞满了空白或隐藏内容），未予读取；"
                          "请在 Excel 中把需要的数据复制到一个新工作簿，另存为 .xlsx 后再试")
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
            raise SourceError(Location(display), f"工作簿的部件 {info.filename} 使用了 Excel 不会使用的压缩或加密方式，"
                              f"未予读取；{BROKEN}")
    for info in infos:
        if _parsed_whole(info.filename):
            _count_tags(archive, info, display)


def _parsed_whole(name: str) -> bool:
    """Parts openpyxl reads into one tree: content types, relationships, workbook, styles, properties."""
    if name == "[Content_Types].xml" or name.endswith(".rels"):
        return True
    if name.startswith("docProps/"):
        return name.endswith(".xml")
    return name.startswith("xl/") and name.count("/") == 1 and name.endswith(".xml") \
        and "sharedstrings" not in name.lower()


def _count_tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> None:
    tags = 0
    with archive.open(info) as source:
        while chunk := source.read(1 << 20):
            tags += chunk.count(b"<")
            if tags > limits.MAX_PART_TAGS:
                raise SourceError(Location(display), f"工作簿的部件 {info.filename} 含有超过 {limits.MAX_PART_TAGS:,} "
                                  f"个 XML 标记，远超正常工作簿，未予读取；{BROKEN}")


class Runs:
    """A ZIP member read for the XML parser, refusing a text run (bytes between two tags) past
    ``limits.MAX_TEXT_BYTES`` before the parser would build it into one huge string."""

    def __init__(self, source, loc: Location) -> None:
        self._source, self._loc = source, loc
        self._run, self._before = 0, b""

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        first = chunk.find(b"<")
        if first < 0:
            self._run += len(chunk)
        else:
            self._run += first
        if self._run > limits.MAX_TEXT_BYTES:
            raise self._refusal()
        if first >= 0:
            last = chunk.rfind(b"<")
            self._before = (self._before + chunk[:last + 1])[-4096:]
            self._run = len(chunk) - last - 1
        return chunk

    def _refusal(self) -> SourceError:
        """Name the cell when the run is a cell's text, else the sheet (white space between tags)."""
        cells = list(_CELL_START.finditer(self._before))
        if cells:
            rest = self._before[cells[-1].end():]
            if b"</c>" not in rest and not rest.split(b">", 1)[0].endswith(b"/"):
                column, row = cells[-1].groups()
                return SourceError(self._loc.at(row=int(row), column=column.decode()), f"单元格的内容超过 "
                                   f"{limits.size_text(limits.MAX_TEXT_BYTES)}（Excel 一个单元格最多 "
                                   f"{limits.MAX_CELL_CHARS:,} 个字符），未予读取；请删去多余的内容")
        return SourceError(self._loc, f"工作簿的 XML 中有一段超过 {limits.size_text(limits.MAX_TEXT_BYTES)} "
                           f"的文字或空白，未予读取；{BROKEN}")


def cell_at(archive, part: str, line: int, column: int):
    """(column letters, row) of the cell whose XML holds an error at ``line``:``column``, if any."""
    tail = ""
    with archive.open(part) as raw, io.TextIOWrapper(raw, "utf-8", errors="replace", newline="\n") as text:
        for _ in range(line - 1):
            while (piece := text.readline(1 << 20)) and not piece.endswith("\n"):
                pass                             # skip the line in pieces: it may be the whole sheet
        while column > 0:                        # Excel writes a sheet on one line: read it in pieces
            piece = text.read(min(column, 1 << 20))
            if not piece:
                break
            column -= len(piece)
            tail = (tail + piece)[-(limits.MAX_CELL_CHARS * 10):]
    cells = re.findall(_CELL_START.pattern.decode(), tail)
    return cells[-1] if cells else None
