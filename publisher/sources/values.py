"""Cell values as users type them: numbers as text, dates in many forms."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..errors import Findings, Location

_NUMBER_TEXT = re.compile(r"^(-?\d+(?:\.\d+)?)(人|名|个|年|人次|所)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30)     # 1900 date system, right from 1900-03-01 on (Excel's phantom 1900-02-29)
_SERIALS = (18264, 73051)                   # 1950-01-01 .. 2099-12-31: other numbers are no dates of this programme
_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def clean_text(value) -> str:
    """A cell as text: numbers without '.0', surrounding blanks removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).replace("\u3000", " ").strip()


_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n|\u2028|\u2029)+[ \t]*")


def one_line(text: str) -> str:
    """A cell's text without the line breaks typed to wrap it (Alt+Enter in Excel and WPS).

    「淄博市技师↵学院」 is 淄博市技师学院; a break between two Latin letters or digits
    becomes one space (``Auto↵CAD 2019`` is ``Auto CAD 2019``, never ``AutoCAD2019``).
    """
    if "\n" not in text and "\r" not in text and "\u2028" not in text and "\u2029" not in text:
        return text
    return _BREAK.sub(lambda m: " " if _latin(text, m.start() - 1) and _latin(text, m.end()) else "", text)


def _latin(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


def is_blank(value) -> bool:
    return clean_text(value) == ""


def parse_int(value, loc: Location, label: str, findings: Findings, field: str | None = None):
    """A whole, non-negative number; text forms like ``１２`` or ``12人`` with a warning.

    Returns None (and records an error) when the value cannot be a count.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        findings.error(loc, "number.invalid", f"{label}应为数字，这里是“{value}”", field)
        return None
    number = None
    if isinstance(value, (int, float)):
        number = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
        match = _NUMBER_TEXT.match(text)
        if not match:
            findings.error(loc, "number.invalid", f"{label}应为整数，这里是“{value}”", field)
            return None
        number = float(match.group(1)) if "." in match.group(1) else int(match.group(1))
        findings.warning(loc, "number.text",
                         f"{label}“{value}”是以文本形式输入的数字，已按 {match.group(1)} 读取；"
                         "请在表格中改为数字格式", field)
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            findings.error(loc, "number.invalid", f"{label}应为整数，这里是“{value}”", field)
            return None
        if not number.is_integer():
            findings.error(loc, "number.fraction", f"{label}应为整数，这里是 {number:g}", field)
            return None
        number = int(number)
    if number < 0:
        findings.error(loc, "number.negative", f"{label}不能为负数，这里是 {number}", field)
        return None
    if number > 10_000_000:
        findings.error(loc, "number.too_large", f"{label}为 {number}，数值过大，请核对", field)
        return None
    return number


def serial_date(value) -> dt.date | None:
    """An Excel serial day number (1900 date system; 43522 is 2019-02-26), number or text, or None.

    Only numbers that fall between 1950 and 2099 count, so a count or an
    8-digit date (20190610) is never taken for one.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str) and _SERIAL.match(unicodedata.normalize("NFKC", value).strip()):
        number = float(unicodedata.normalize("NFKC", value).strip())
    else:
        return None
    if not _SERIALS[0] <= number < _SERIALS[1]:
        return None
    return _EXCEL_DAY_ZERO + dt.timedelta(days=int(number))


def parse_date(value, loc: Location, label: str, findings: Findings, field: str | None = None):
    """A date from a date cell or text such as 2019年6月10日, 2019-06-10, 2019/6/10, 20190610.

    A bare Excel serial number (a date cell that lost its date format, or its
    number typed as text) is read as its date, with a warning.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    serial = serial_date(value)
    if serial is not None:
        findings.warning(loc, "date.serial",
                         f"{label}“{clean_text(value)}”是 Excel 的日期序号，已按 {serial.year}年{serial.month}月"
                         f"{serial.day}日 读取；请核对，并把单元格设为日期格式或写成 2019年6月10日", field)
        return serial
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if isinstance(value, (int, float)):
        text = clean_text(value)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    findings.error(loc, "date.invalid",
                   f"{label}“{value}”不是有效日期，请写成 2019年6月10日 或 2019-06-10", field)
    return None


def find_date(text: str):
    """The first date written inside a longer text (e.g. ``填表时间：2019年6月10日``), or None."""
    text = unicodedata.normalize("NFKC", text)
    match = re.search(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})", text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
