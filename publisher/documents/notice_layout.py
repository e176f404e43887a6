"""GB/T 9704-2012 geometry shared by the notice's PDF and DOCX renderers (see GBT9704.md).

All lengths are millimetres from the top-left corner of the text area (版心)
unless said otherwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..domain.notice import Notice
from ..linebreak import balanced_lines, break_lines, text_units
from ..text import cn_date

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = {"top": 37.0, "bottom": 35.0, "left": 28.0, "right": 26.0}
TEXT_W, TEXT_H = 156.0, 225.0
LINES, CHARS = 22, 28
LINE = TEXT_H / LINES                 # 10.227 mm line pitch
CHAR = TEXT_W / CHARS                 # 5.571 mm character pitch
PT = 25.4 / 72                        # mm per point
BODY_PT = 16
TITLE_PT = 22
TITLE_CHARS = int(TEXT_W / (TITLE_PT * PT) + 1e-6)      # 20 characters of 2号 per line
MARK_TOP = 35.0                       # 发文机关标志 top below the text-area top
MARK_MAX = 22.0                       # mark glyph height (cfg), shrunk to fit the width
PAGE_NO_PT = 14
PAGE_NO_GAP = 7.0                     # page number 7 mm below the text area
BANJI_PT = 14
# DOCX character spacing of 3号 runs, in twentieths of a point: the character pitch of the
# 28-character line (15.79 pt) less the glyph (16 pt), rounded down to what Word can store, so
# 28 characters always fit (28 x 15.75 pt = 441 pt of 442.2) and 29 never do.
CHAR_SPACING = math.floor((TEXT_W / CHARS / PT - BODY_PT) * 20)


@dataclass
class MarkLayout:
    names: list[str]
    suffix: str
    size_mm: float                    # glyph height = font size
    spacing: list[float]              # letter-spacing (mm) per name so that stacked names align
    width: float                      # width of the name column

    @property
    def height(self) -> float:
        return self.size_mm * len(self.names) + self.gap * (len(self.names) - 1)

    @property
    def gap(self) -> float:
        return self.size_mm * 0.15

    @property
    def suffix_indent(self) -> float:
        """Space between the stacked names and "文件" of a joint mark."""
        return self.size_mm * 0.3 if self.suffix and len(self.names) > 1 else 0.0

    @property
    def total_width(self) -> float:
        return self.width + self.suffix_indent + text_units(self.suffix) * self.size_mm


def mark_layout(notice: Notice) -> MarkLayout:
    names = notice.issuers or [""]
    suffix = notice.mark
    longest = max(text_units(n) for n in names)
    extra = text_units(suffix) + (0.3 if suffix and len(names) > 1 else 0)
    size = min(MARK_MAX, TEXT_W / max(longest + extra, 1))
    # A whole half point (what a DOCX run size can hold), rounded down: the same size in both
    # writers, and never wider than the text area.
    size = math.floor(size / PT * 2) / 2 * PT
    width = longest * size
    spacing = []
    for n in names:
        k = len(n)
        spacing.append((width - text_units(n) * size) / (k - 1) if k > 1 and len(names) > 1 else 0.0)
    return MarkLayout(names, suffix, size, spacing, width)


LANDSCAPE_TITLE_CHARS = 28           # 2号 characters on a turned (landscape) attachment page


def title_lines(text: str) -> list[str]:
    return break_lines(text, TITLE_CHARS)


def attachment_title_lines(text: str, landscape: bool) -> list[str]:
    return break_lines(text, LANDSCAPE_TITLE_CHARS if landscape else TITLE_CHARS)


@dataclass
class SignName:
    lines: list[str]
    centre: float                      # x of the centre (mm from the text-area left)
    width: float


GLYPH = BODY_PT * PT                  # 5.644 mm: height of a 3号 glyph box
BLANK_DATE = "　　　　年　　月　　日"       # a 公文 made without a date (the filing's): a visible blank to fill
NAME_GAP = 2 * CHAR                   # joint 署名 side by side: two characters apart, read as separate names
SEAL_MARGIN = 0.3                     # 署名 glyph top this far below the seal's centre
MIN_PITCH = 1.2 * GLYPH               # 6.77 mm: tightest 署名/date/附注 line pitch (1.2 x 3号)


@dataclass
class SignatureLayout:
    """署名, 成文日期 and seals of the block that follows the body; vertical lengths in mm from
    the block's top (= the bottom of the last body or 附件说明 line), lines by their line-box top."""
    sealed: bool
    names: list[SignName]
    date: str
    date_left: float                   # x of the date's left edge
    date_width: float
    name_top: float                    # top of the first 署名 line box
    pitch: float                       # line pitch of 署名 rows and the date
    rows: int                          # 署名 rows (2 when a name wraps)
    note_pitch: float = LINE           # line pitch of the 附注 lines after the block
    seal_top: float = 0.0
    seals: list[tuple[float, float]] = field(default_factory=list)   # (centre x, top y) per seal
    diameter: float = 42.0
    notes: int = 0                     # 附注 lines that follow
    notes_right: float = 0.0           # right end (x) of the longest 附注 line
    tight: bool = False                # off the 22-line grid: a wrapped 署名, or spacing tightened for room

    @property
    def date_centre(self) -> float:
        return self.date_left + self.date_width / 2

    @property
    def date_right(self) -> float:
        return self.date_left + self.date_width

    @property
    def date_top(self) -> float:
        return self.name_top + self.rows * self.pitch

    @property
    def height(self) -> float:
        """Height of the block: down to the date's line box, and below the seals when 附注 follow
        that would reach under one (a seal never presses on a 附注)."""
        bottom = self.date_top + self.pitch
        if self.sealed and self.notes and any(c - self.diameter / 2 < self.notes_right for c, _ in self.seals):
            bottom = max(bottom, self.seal_top + self.diameter)
        return bottom

    # Line counts for templates written against the former grid-only layout.
    @property
    def lines(self) -> float:
        return self.height / LINE

    @property
    def name_top_line(self) -> float:
        return self.name_top / LINE

    @property
    def date_line(self) -> float:
        return self.date_top / LINE

    @property
    def total(self) -> float:
        """Height of the block with its 附注 lines (what the flow below it moves by)."""
        return self.height + self.notes * self.note_pitch

    @property
    def seal_bottom(self) -> float:
        return self.seal_top + self.diameter if self.sealed and self.seals else 0.0

    @property
    def bottom(self) -> float:
        """The lowest ink of the block with its 附注: a seal never leaves the text area (7.3.5.1
        印章…不得超出版心), so this, not the text, is what must fit the room on the page."""
        return max(self.total, self.seal_bottom)

    @property
    def bottom_without_notes(self) -> float:
        return max(self.height, self.seal_bottom)

    def glyph_top(self, line_top: float, pitch: float | None = None) -> float:
        return line_top + ((pitch or self.pitch) - GLYPH) / 2


def width_mm(text: str) -> float:
    return text_units(text) * CHAR


def _vertical(sign: SignatureLayout, pitch: float, seal_top: float, grid: bool, note_pitch: float) -> SignatureLayout:
    """Set the block's vertical numbers for one spacing.

    GBT9704.md: the seal's top within one line below the last body line, 署名 and date below
    its centre, the last seal pressing on the last 署名 and the date.  So the first 署名 glyph
    starts SEAL_MARGIN below the centre (seal_top + D/2); on the grid, at the first grid line
    whose glyph starts there.  The seal's top is ``seal_top`` (0.5 mm on the grid, 0 when
    tightened: touching the body's last line box, never over its text).
    """
    from dataclasses import replace
    half = (pitch - GLYPH) / 2
    lowest = seal_top + sign.diameter / 2 + SEAL_MARGIN - half     # line top of the first 署名 row
    if grid:
        name_top = math.ceil(lowest / LINE - 1e-9) * LINE
    else:
        name_top = lowest
    seals = [(c, seal_top) for c, _ in sign.seals]
    return replace(sign, pitch=pitch, name_top=name_top, seal_top=seal_top, seals=seals,
                   note_pitch=note_pitch, tight=not grid)


def _cover_pitch(sign: SignatureLayout) -> float:
    """Largest pitch at which the wrapped 署名 rows and the date lie between the seal's centre and
    its bottom edge (the last seal covers the last 署名 and the date)."""
    room = sign.diameter / 2 - SEAL_MARGIN - GLYPH - 0.2          # date glyphs 0.2 mm inside the edge
    return min(LINE, room / sign.rows) if sign.rows > 0 else LINE


def fit_signature(sign: SignatureLayout, room: float | None) -> SignatureLayout:
    """The loosest spacing of 署名, date and 附注 that fits ``room`` (mm from the bottom of the
    body to the bottom of the text area); ``room=None``: the grid layout; ``room=0``: the
    tightest layout.  Order of preference (GBT9704.md "no room: adjust spacing so seal and date
    stay with body text"):

    1. the grid layout (names on the 22-line grid, seal top 0.5 mm below the body) with the 附注;
    2. tightened: seal touching the body, 署名 just below its centre, one pitch between
       MIN_PITCH and the grid line for 署名, date and 附注 — the 附注 stay on the page;
    3. the grid layout with the 附注 flowing to the next page;
    4. tightened without the 附注;
    5. the grid layout, which then moves to the next page with the last body lines.
    A wrapped 署名 never takes the full grid pitch: three rows (two name lines and the date)
    must fit in the lower half of the seal, so its "grid" pitch is ``_cover_pitch``.
    """
    if not sign.sealed:
        return sign
    top = _cover_pitch(sign)
    grid = _vertical(sign, top, 0.5, sign.rows == 1, LINE)
    if room is None:
        return grid
    steps = [top - 0.05 * i for i in range(int((top - MIN_PITCH) / 0.05) + 1)]
    if room <= 0:
        return _vertical(sign, MIN_PITCH, 0.0, False, MIN_PITCH)
    slack = 0.3                                   # rounding of the renderers
    if grid.bottom + slack <= room:
        return grid
    for pitch in steps:
        tight = _vertical(sign, pitch, 0.0, False, pitch)
        if tight.bottom + slack <= room:
            return tight
    if grid.bottom_without_notes + slack <= room:
        return grid
    for pitch in steps:
        tight = _vertical(sign, pitch, 0.0, False, LINE)
        if tight.bottom_without_notes + slack <= room:
            return tight
    return grid


def signature_layout(notice: Notice, sealed: bool, diameter: float = 42.0, room: float | None = None) -> SignatureLayout:
    """Where 署名, 成文日期 and the seals go (GBT9704.md 主体: sealed / unsealed); ``room`` as for
    ``fit_signature``."""
    date = cn_date(notice.date, BLANK_DATE)
    dw = width_mm(date)
    issuers = notice.issuers or [""]
    notes = len(notice.notes or [])
    notes_right = max((2 * CHAR + width_mm(f"（{n}）") for n in notice.notes or []), default=0.0)
    if not sealed:
        names = [SignName([n], 0, width_mm(n)) for n in issuers]
        right = TEXT_W - 2 * CHAR
        for n in names:
            n.centre = right - n.width / 2
        first_left = min(right - n.width for n in names)
        date_left = min(first_left + 2 * CHAR, TEXT_W - dw)
        return SignatureLayout(False, names, date, date_left, dw, LINE, LINE, len(names), LINE, 0.0, [], diameter,
                        notes, notes_right)
    date_right = TEXT_W - 4 * CHAR
    date_left = date_right - dw
    centre_last = date_left + dw / 2
    gap = NAME_GAP
    # Choose for each name one line or two balanced lines: as few wrapped names as possible,
    # wrapping later names first (as the seed does), such that everything fits the text area.
    options = []
    for i, name in enumerate(issuers):
        one = [name]
        two = balanced_lines(name, max(text_units(name) / 2 + 1, 4))
        options.append([one, two] if len(two) > 1 else [one])
    best = None
    k = len(issuers)
    for mask in range(1 << k):
        if any((mask >> i) & 1 and len(options[i]) == 1 for i in range(k)):
            continue
        chosen = [options[i][(mask >> i) & 1] for i in range(k)]
        widths = [max(width_mm(t) for t in lines) for lines in chosen]
        centres = [0.0] * k
        centres[-1] = min(centre_last, TEXT_W - widths[-1] / 2)
        for i in range(k - 2, -1, -1):
            centres[i] = min(centres[i + 1] - (diameter + 4),
                             centres[i + 1] - widths[i + 1] / 2 - gap - widths[i] / 2)
        ok = centres[0] - max(widths[0], diameter) / 2 >= -0.01 and \
            centres[-1] + max(widths[-1], diameter) / 2 <= TEXT_W + 0.01
        wrapped = bin(mask).count("1")
        score = (not ok, wrapped, [-(mask >> i & 1) * i for i in range(k)])
        if best is None or score < best[0]:
            best = (score, chosen, widths, centres)
    _, chosen, widths, centres = best
    if k == 1:
        centres = [min(centre_last, TEXT_W - widths[0] / 2)]
    names = [SignName(lines, c, w) for lines, c, w in zip(chosen, centres, widths)]
    rows = max(len(n.lines) for n in names)
    seals = [(n.centre, 0.5) for n in names]
    sign = SignatureLayout(True, names, date, date_left, dw, 2 * LINE, LINE, rows, LINE, 0.5, seals, diameter, notes, notes_right)
    return fit_signature(sign, room)




def attachment_label(index: int, count: int) -> str:
    return f"附件{index}" if count > 1 else "附件"


def banji_cc(notice: Notice) -> str:
    return "抄送：" + "，".join(notice.cc) + "。" if notice.cc else ""


def printed_on(notice: Notice) -> str:
    day = notice.printed_on or notice.date
    return f"{cn_date(day)}印发" if day else ""


# ---------------------------------------------------------------- what the writers take

@dataclass(frozen=True)
class NoticeJob:
    """A notice to print, with the source models its attachments name (aligned with
    ``notice.all_attachments``; None for a blank form or a text attachment)."""

    notice: Notice
    attached: tuple = ()

    def attachments(self):
        """(attachment, its source model or None) in print order."""
        models = list(self.attached) + [None] * (len(self.notice.all_attachments) - len(self.attached))
        return list(zip(self.notice.all_attachments, models))

    def seal_image(self, options):
        return self.notice.seal_image() or options.seal_image

    def sealed(self, options) -> bool:
        return self.notice.seal != "none" and options.sealed


@dataclass(frozen=True)
class NoticeLayout:
    """What measuring the notice decided (``notice_pdf.measure``); both writers read it."""

    signature: SignatureLayout
    banji: dict | None            # where the 版记 goes: same page or a new (even) one, spacer
    pages: int                    # pages of the measured PDF


@dataclass(frozen=True)
class MeasuredNotice:
    job: NoticeJob
    layout: NoticeLayout

