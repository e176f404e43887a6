"""The fields of a letter template: the admissions list's own column titles, and what publisher derives.

A school fills its 录取通知书 from its Excel list the way Word's mail merge does:
a field is a column title of the list (``{{ 姓名 }}``, «录取专业», a column of the
school's own such as ``{{ 宿舍号 }}``), plus the fields publisher works out from
the catalog and the run (学校地址, 培养层次, 学制, 录取编号, 年度 …).

Names are taken as typed: a list titled 身份证号码 gives ``{{ 身份证号码 }}`` as well
as the seed's ``{{ 身份证号 }}``, so a mail-merge template made against the school's
own workbook keeps working.  A title that is no Jinja name (县（市、区）) is also
given without its punctuation (``{{ 县市区 }}``) and is always reachable as
``{{ 字段['县（市、区）'] }}`` and as «县（市、区）».  ``{{ 联系电话 }}`` is the
student's phone, as in the list; the school's is ``{{ 学校联系电话 }}``.

The English names of publisher's first letter template (``{{ name }}``,
``{{ school }}`` …) still work, so an office's old template does too.
"""
from __future__ import annotations

import re

SEAL = "印章"            # the mark where the seal goes: {{ 印章 }} or «印章»
ALL = "字段"             # every field by its title: {{ 字段['县（市、区）'] }}

# (title, key, what it is): the seed's columns of an admissions list; key is the Letter attribute
# or, for columns letters do not otherwise need, the key in ``Letter.listed``.
LIST_FIELDS = (
    ("序号", "seq", "名单中的序号"),
    ("姓名", "name", "学生姓名"),
    ("性别", "gender", "男 或 女"),
    ("民族", "ethnicity", "如 汉族"),
    ("扶贫卡编号", "card_no", "建档立卡扶贫卡编号"),
    ("身份证号", "id_no", "18位身份证号（--mask 时隐去中间8位）"),
    ("联系电话", "phone", "学生（家庭）的联系电话（--mask 时隐去中间4位）"),
    ("家庭详细地址", "home", "学生家庭详细地址（其中的号码在 --mask 时隐去）"),
    ("拟就读技工院校", "wished_school", "登记时填写的拟就读学校"),
    ("拟就读专业", "wished_major", "登记时填写的拟就读专业"),
    ("人员类别", "category", "如 应届初中毕业生"),
    ("县（市、区）", "county", "学生所在县（市、区）"),
    ("乡镇（街道）", "town", "学生所在乡镇（街道）"),
    ("村（社区）", "village", "学生所在村（社区）"),
    ("录取院校", "school", "录取学校的名称（名单中没有这一列时为拟就读技工院校）"),
    ("录取专业", "major", "录取专业（名单中没有这一列时为拟就读专业）"),
    ("录取编号", "number", "名单中的录取编号；没有时自动编号：年度+学校序号+4位流水号"),
    ("报到时间", "report_date", "如 2019年9月1日；名单和目录都没有时为“另行通知的时间”"),
    ("报到地点", "report_place", "名单中的报到地点，否则为目录中该校的报到地点"),
)
DERIVED = (
    ("报到日期", "report_date", "同 报到时间"),
    ("培养层次", "level", "目录中该专业的培养层次：中级工、高级工或预备技师"),
    ("学制", "years", "目录中该专业的学制（年），如 3"),
    ("学校地址", "address", "目录中学校的地址"),
    ("学校联系电话", "school_phone", "目录中学校的联系电话"),
    ("年度", "year", "招生年度，如 2019"),
    ("城市", "city", "如 济南市"),
    ("落款日期", "signed_on", "通知书的日期（名单的填表时间，否则为目录的发布日期），如 2019年7月15日"),
)
SEAL_NOTE = "印章的位置（不输出文字）：印章圆心左右对准这个标记，上下在标记所在段落顶端以下 6 毫米；没有这个标记时不加印章"
ATTRIBUTES = ("number", "school", "name", "gender", "ethnicity", "id_no", "card_no", "phone", "home", "major",
              "level", "years", "report_date", "report_place", "address", "school_phone", "signed_on")
LEGACY = {key: key for key in ATTRIBUTES}           # the first template's English names
SHARED = ("year", "city")                           # the same for every letter of a run


def identifier(title: str) -> str:
    """``title`` as a Jinja name: punctuation and blanks dropped (县（市、区） → 县市区); '' when none is left."""
    name = re.sub(r"\W", "", title)
    return name if name and not name[0].isdigit() else ""


def context(letter, shared: dict, aliases: dict) -> dict:
    """Every field of ``letter`` by every name it has (see the module docstring); ``shared`` holds
    年度 and 城市, ``aliases`` the list's own titles of the seed's columns (身份证号码 → 身份证号)."""
    by_key = {key: getattr(letter, key) for key in ATTRIBUTES}
    by_key.update(letter.listed)
    by_key.update(shared)
    fields: dict = {}
    for title, key, _ in LIST_FIELDS + DERIVED:
        fields[title] = by_key.get(key, "")
    for typed, title in aliases.items():
        fields.setdefault(typed, fields.get(title, ""))
    for title, value in letter.extra.items():        # the school's own column beats a derived value
        if value or title not in fields:
            fields[title] = value
    out = dict(fields)
    for title, value in fields.items():
        name = identifier(title)
        if name:
            out.setdefault(name, value)
    for old, key in LEGACY.items():
        out.setdefault(old, by_key[key])
    out[ALL] = dict(out)                 # every name, for titles that are no Jinja name: 字段['县（市、区）']
    return out


def available(aliases: dict, extras) -> list[str]:
    """The field names a template may use, in the order the 字段说明 lists them."""
    names = [title for title, _, _ in LIST_FIELDS + DERIVED]
    names += [t for t in aliases if t not in names] + [t for t in extras if t not in names]
    return names


def known_names(aliases: dict, extras) -> set[str]:
    """Every name a template may use: titles, their Jinja forms, the old English names, 字段 and 印章."""
    names = set(available(aliases, extras))
    names |= {identifier(t) for t in names} - {""}
    return names | set(LEGACY) | {ALL, SEAL}


def described(extras=()) -> list[tuple[str, str]]:
    """(field, what it is) for the 字段说明, extra columns of a list included."""
    rows = [(title, note) for title, _, note in LIST_FIELDS + DERIVED]
    rows.append((SEAL, SEAL_NOTE))
    rows += [(title, "录取名单中学校自己加的列，原样填入") for title in extras]
    return rows
