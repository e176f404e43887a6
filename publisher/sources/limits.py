"""How much a source may hold: Excel's own limits, and caps for this product.

A small file can expand enormously: a 5 KB workbook can claim a million rows
of 16,384 columns, a 3 MB one can unpack to 3 GB of white space, a 1 KB YAML
file can alias itself into a billion nodes.  The readers check these limits
while they read, so such a file is refused in seconds with a located message
(file, sheet and cell, or file and line) instead of eating the machine.

Excel's own limits (a workbook Excel saved never passes them):

- ``EXCEL_MAX_ROWS`` 1,048,576 rows and ``EXCEL_MAX_COLUMNS`` 16,384 columns
  (A…XFD) a sheet;
- ``MAX_CELL_CHARS`` 32,767 characters a cell.  The same limit holds for a CSV
  field and a YAML value, so nothing downstream (PDF line breaking, DOCX tables)
  ever sees a longer text.  The one exception is a notice's ``body`` (the text
  of a whole document, split into paragraphs by blank lines): ``MAX_BODY_CHARS``.

Caps for this product (a city's registrations are thousands of rows; the
reader is measured at 100,000 rows in ``bench/bench_reader.py``):

- ``MAX_ROWS``: rows holding data, over all sheets of one workbook or CSV;
- ``MAX_XML_ELEMENTS``: XML elements parsed in a workbook's sheets and shared
  strings (empty styled cells and formatting included: they cost time too);
- ``MAX_GRID``: values kept in memory (each row up to its last filled cell), so
  a few cells far to the right on many rows cannot allocate huge lists;
- ``MAX_MERGES`` merged ranges a workbook, and ``MAX_MERGED_CELLS`` cells they
  may fill; a range is only ever filled over the rows and columns that hold
  data, so ``A1:XFD1048576`` on a one-row sheet costs one row;
- ``MAX_ROW_ELEMENTS``: XML elements inside one ``<row>`` (cells, rich-text runs);
  a row is parsed whole, so this bounds the memory one row can take;
- ``MAX_TEXT_BYTES``: bytes of text between two tags in a sheet or the shared
  strings, checked as the bytes stream in, before the XML parser would build a
  huge string (32,767 characters as ``&#24352;`` references take 262,136 bytes);
- ``MAX_UNCOMPRESSED``: the sum of the uncompressed sizes of a workbook's ZIP
  members, read from the ZIP directory before anything is unpacked (Python's
  zipfile never returns more than a member's declared size; only Deflate and
  stored members are accepted, as Excel writes, because other methods unpack a
  whole chunk at once); ``MAX_MEMBERS`` members;
- ``MAX_PART_TAGS``: tags in the small parts openpyxl parses whole (workbook,
  styles, relationships, content types, document properties);
- ``MAX_BINARY_BYTES``: an .xls/.et/.ods file (``calamine.py``: the reader holds a
  sheet in memory; an .ods is also checked as a ZIP and for repeated cells);
- ``MAX_CSV_BYTES`` a CSV file, ``MAX_CSV_LINE_CHARS`` a CSV line;
- ``MAX_YAML_BYTES`` a YAML file, ``MAX_YAML_NODES`` the values (scalars, lists,
  mappings) it may hold: PyYAML takes about 1 KB and 20 µs a node, so 4 MB of
  ``[1,1,1,…]`` took 40 s and 1.6 GB (a 10,000-row registrations file is 200,000
  nodes); and ``MAX_ALIAS_NODES``: nodes that aliases (``*name``) may add to a
  YAML document when expanded.
"""
from __future__ import annotations

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_BODY_CHARS = 200_000

MAX_ROWS = 200_000
MAX_XML_ELEMENTS = 8_000_000
MAX_GRID = 8_000_000
MAX_MERGES = 50_000
MAX_MERGED_CELLS = 4_000_000
MAX_ROW_ELEMENTS = 200_000
MAX_TEXT_BYTES = 1024 * 1024
MAX_UNCOMPRESSED = 256 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_PART_TAGS = 1_000_000

MAX_BINARY_BYTES = 64 * 1024 * 1024
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_CSV_LINE_CHARS = 1_000_000
MAX_YAML_BYTES = 4 * 1024 * 1024
MAX_YAML_NODES = 250_000
MAX_ALIAS_NODES = 100_000


def size_text(n: int) -> str:
    """A byte count for a message: 3.0 GB, 256 MB, 12 KB."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} 字节"
