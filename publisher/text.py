"""Chinese text conventions shared by every document."""
from __future__ import annotations

import datetime as dt

_CN_DIGITS = "〇一二三四五六七八九"


def cn_date(day: dt.date | None, blank: str = "      年   月   日") -> str:
    """2017年12月23日: Arabic numerals, full year, no leading zeros (GB/T 9704 7.3.5)."""
    if day is None:
        return blank
    return f"{day.year}年{day.month}月{day.day}日"


def cn_number(n: int) -> str:
    """1 -> 一, 12 -> 十二 (for 附件 numbering and headings)."""
    units = "零一二三四五六七八九"
    if n < 10:
        return units[n]
    if n < 20:
        return "十" + (units[n % 10] if n % 10 else "")
    if n < 100:
        return units[n // 10] + "十" + (units[n % 10] if n % 10 else "")
    return str(n)
