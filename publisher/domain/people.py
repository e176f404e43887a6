"""Rules about people: 身份证号 (GB 11643-1999), 民族 (GB/T 3304), phone numbers."""
from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
}

ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
_ETHNIC_SET = set(ETHNIC_GROUPS)
_ETHNIC_ALIASES = {name[:-1]: name for name in ETHNIC_GROUPS}
_ETHNIC_ALIASES.update({"维族": "维吾尔族", "蒙族": "蒙古族"})

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(\(0\d{2,3}\)|0\d{2,3})-?\d{7,8}(-\d{1,6})?$")


def check_character(first17: str) -> str:
    """The 18th character that GB 11643 (ISO 7064 MOD 11-2) gives the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11]


def normalise_id(value: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFKC", value).strip().replace(" ", "").upper()


def id_problem(id_no: str, today: dt.date | None = None) -> tuple[str, str] | None:
    """(code, Chinese message) describing what is wrong with an ID number, or None."""
    if len(id_no) == 15 and id_no.isdigit():
        return "id.length", f"身份证号“{id_no}”是旧的15位号码，请换成18位身份证号"
    if len(id_no) != 18:
        return "id.length", f"身份证号“{id_no}”有{len(id_no)}位，应为18位"
    if not id_no[:17].isdigit() or not (id_no[17].isdigit() or id_no[17] == "X"):
        return "id.format", f"身份证号“{id_no}”含有非法字符：前17位应为数字，最后一位为数字或X"
    if id_no[:2] not in PROVINCE_CODES:
        return "id.region", f"身份证号“{id_no}”的前两位 {id_no[:2]} 不是有效的省级行政区划代码"
    try:
        birth = dt.date(int(id_no[6:10]), int(id_no[10:12]), int(id_no[12:14]))
    except ValueError:
        return "id.birthdate", f"身份证号“{id_no}”中的出生日期 {id_no[6:14]} 不是有效日期"
    if birth.year < 1900 or birth > (today or dt.date.today()):
        return "id.birthdate", f"身份证号“{id_no}”中的出生日期 {id_no[6:14]} 不合理"
    expected = check_character(id_no[:17])
    if id_no[17] != expected:
        return "id.checksum", (f"身份证号“{id_no}”校验位错误：最后一位应为 {expected}，"
                               f"这里是 {id_no[17]}；请核对号码是否抄错")
    return None


def birth_date(id_no: str) -> dt.date | None:
    try:
        return dt.date(int(id_no[6:10]), int(id_no[10:12]), int(id_no[12:14]))
    except (ValueError, IndexError):
        return None


def gender_of(id_no: str) -> str:
    """男 when the 17th digit is odd, 女 when even."""
    return "男" if int(id_no[16]) % 2 else "女"


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def ethnicity(value: str) -> tuple[str | None, bool]:
    """(standard name or None, whether the value was an abbreviation such as 汉)."""
    if value in _ETHNIC_SET:
        return value, False
    if value in _ETHNIC_ALIASES:
        return _ETHNIC_ALIASES[value], True
    return None, False


def phone_ok(value: str) -> bool:
    import unicodedata
    text = unicodedata.normalize("NFKC", value).replace(" ", "").replace("－", "-")
    return bool(MOBILE.match(text) or LANDLINE.match(text))


# Masking (SPEC §6): every ID number and phone number anywhere in a text, the rest kept.
# Full-width digits count too: matching runs on a copy with them folded to ASCII (same length).
_FOLD = str.maketrans("０１２３４５６７８９Ｘｘ－（）＋", "0123456789Xx-()+")
_NUMBER = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<id18>[0-9]{17}[0-9Xx])"
    r"|(?P<id15>[0-9]{15})"
    r"|(?P<mobile>(?:(?:\+|00)86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2})"
    r"|(?P<landline>(?:\(0[0-9]{2,3}\)|0[0-9]{2,3})[- ]?[0-9]{7,8})"
    r"|(?P<run>[0-9]{7,})"
    r")(?![0-9])")


def mask_text(text: str) -> str:
    """``text`` with every ID and phone number in it masked: 370102********123X, 138****5678, 0531-8600****.

    Old 15-digit IDs keep region and sequence (370102******123); any other run of
    7 or more digits (numbers written together, a landline without area code)
    hides its last four digits, and a run of 11 or more everything but its first three
    and last four.
    """
    if not text:
        return text
    text = str(text)
    chars, folded = list(text), text.translate(_FOLD)
    for match in _NUMBER.finditer(folded):
        kind = match.lastgroup
        digits = [i for i in range(match.start(), match.end()) if folded[i] in "0123456789Xx"]
        if kind == "id18":
            hidden = digits[6:14]
        elif kind == "id15":
            hidden = digits[6:12]
        elif kind == "mobile":
            hidden = digits[-8:-4]
        elif kind == "run" and len(digits) >= 11:
            hidden = digits[3:-4]
        else:
            hidden = digits[-4:]
        for i in hidden:
            chars[i] = "*"
    return "".join(chars)
