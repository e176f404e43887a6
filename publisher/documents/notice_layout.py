"""GB/T 9704-2012 geometry shared by the notice's PDF and DOCX renderers (see GBT9704.md).

All lengths are millimetres from the top-left corner of the text area (版心)
unless said otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.notice import Notice, balanced_lines, break_lines, text_units
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


@dataclass
class MarkPlan:
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


def mark_plan(notice: Notice) -> MarkPlan:
    names = notice.issuers or [""]
    suffix = notice.mark
    longest = max(text_units(n) for n in names)
    extra = text_units(suffix) + (0.3 if suffix and len(names) > 1 else 0)
    size = min(MARK_MAX, TEXT_W / max(longest + extra, 1))
    width = longest * size
    spacing = []
    for n in names:
        k = len(n)
        spacing.append((width - text_units(n) * size) / (k - 1) if k > 1 and len(names) > 1 else 0.0)
    return MarkPlan(names, suffix, size, spacing, width)


def title_lines(text: str) -> list[str]:
    return break_lines(text, TITLE_CHARS)


@dataclass
class SignName:
    lines: list[str]
    centre: float                      # x of the centre (mm from the text-area left)
    width: float


@dataclass
class SignPlan:
    sealed: bool
    names: list[SignName]
    date: str
    date_left: float                   # x of the date's left edge
    date_width: float
    name_top_line: int                 # line index (0 = first line below the body) of the names
    date_line: int
    lines: int                         # lines the block occupies (incl. the blank ones)
    seals: list[tuple[float, float]] = field(default_factory=list)   # (centre x, top y) per seal
    diameter: float = 42.0

    @property
    def date_centre(self) -> float:
        return self.date_left + self.date_width / 2


def width_mm(text: str) -> float:
    return text_units(text) * CHAR


def sign_plan(notice: Notice, sealed: bool, diameter: float = 42.0) -> SignPlan:
    """Where 署名, 成文日期 and the seals go (GBT9704.md 主体: sealed / unsealed)."""
    date = cn_date(notice.date) if notice.date else ""
    dw = width_mm(date)
    issuers = notice.issuers or [""]
    if not sealed:
        names = [SignName([n], 0, width_mm(n)) for n in issuers]
        right = TEXT_W - 2 * CHAR
        for n in names:
            n.centre = right - n.width / 2
        first_left = min(right - n.width for n in names)
        date_left = min(first_left + 2 * CHAR, TEXT_W - dw)
        return SignPlan(False, names, date, date_left, dw, 1, 1 + len(names), 2 + len(names), [], diameter)
    date_right = TEXT_W - 4 * CHAR
    date_left = date_right - dw
    centre_last = date_left + dw / 2
    gap = CHAR
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
    top_line = 2
    date_line = top_line + rows
    seals = [(n.centre, 0.5) for n in names]
    return SignPlan(True, names, date, date_left, dw, top_line, date_line, date_line + 1, seals, diameter)


def attachment_label(index: int, count: int) -> str:
    return f"附件{index}" if count > 1 else "附件"


def banji_cc(notice: Notice) -> str:
    return "抄送：" + "，".join(notice.cc) + "。" if notice.cc else ""


def printed_on(notice: Notice) -> str:
    day = notice.printed_on or notice.date
    return f"{cn_date(day)}印发" if day else ""
