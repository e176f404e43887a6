"""Column titles of every tabular source, as the seed and SPEC §3 print them.

Titles are matched after ``fold_title``: spaces and line breaks removed,
full-width forms folded (NFKC), so ``建档立卡贫困\\n家庭子女在校生人数（人）``
matches ``建档立卡贫困家庭子女在校生人数(人)``.  A trailing unit in brackets is
optional on either side.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")
_UNIT = re.compile(r"\((人|年|个|名|元)\)$")


def fold_text(value) -> str:
    """NFKC-fold and strip all white space (full-width spaces included)."""
    if value is None:
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(value)))


def fold_title(value) -> str:
    """A column title reduced to the form titles are compared in."""
    return _UNIT.sub("", fold_text(value))


@dataclass(frozen=True)
class Column:
    field: str
    titles: tuple[str, ...]        # seed title first, then accepted aliases
    kind: str = "text"             # text | int | date | id
    required: bool = False

    @property
    def title(self) -> str:
        return self.titles[0]


def _cols(*specs) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


REGISTRATION_COLUMNS = _cols(
    ("seq", ("序号",)),
    ("name", ("姓名",), "text", True),
    ("gender", ("性别",), "text", True),
    ("ethnicity", ("民族",), "text", True),
    ("card_no", ("扶贫卡编号", "扶贫卡号", "建档立卡编号"), "id", True),
    ("id_no", ("身份证号", "身份证号码", "公民身份号码"), "id", True),
    ("phone", ("联系电话", "手机号码", "电话"), "id"),
    ("address", ("家庭详细地址", "家庭住址", "家庭地址"), "text", True),
    ("school", ("拟就读技工院校", "拟就读院校", "拟就读学校"), "text", True),
    ("major", ("拟就读专业",)),
    ("category", ("人员类别",)),
    ("county", ("县（市、区）", "县(市区)", "县市区", "县")),
    ("town", ("乡镇（街道）", "乡镇(街道)", "乡镇")),
    ("village", ("村（社区）", "村(社区)", "村")),
)

ADMISSION_COLUMNS = REGISTRATION_COLUMNS + _cols(
    ("admitted_school", ("录取院校", "录取学校")),
    ("admitted_major", ("录取专业",)),
    ("admission_no", ("录取编号", "通知书编号"), "id"),
    ("report_date", ("报到时间", "报到日期"), "date"),
    ("report_place", ("报到地点",)),
)

PROGRESS_COLUMNS = _cols(
    ("seq", ("序号",)),
    ("school", ("学校名称", "技工院校名称", "院校名称"), "text", True),
    ("enrolled", ("当年招收建档立卡贫困家庭子女人数（人）",), "int", True),
    ("in_school", ("建档立卡贫困家庭子女在校生人数（人）",), "int", True),
    ("graduates", ("建档立卡贫困家庭子女毕业生人数（人）",), "int", True),
    ("employed", ("建档立卡贫困家庭子女毕业生就业人数（人）",), "int", True),
    ("trained", ("当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）",), "int", True),
    ("trained_employed", ("培训后就业创业人数（人）",), "int", True),
)

CATALOG_COLUMNS = _cols(
    ("seq", ("序号",)),
    ("school", ("学校名称", "院校名称", "技工院校名称"), "text", True),
    ("type", ("学校类别", "院校类别"), "text", True),
    ("affiliation", ("隶属关系",), "text", True),
    ("code", ("专业代码",), "id"),
    ("major", ("专业名称",), "text", True),
    ("level", ("培养层次",), "text", True),
    ("years", ("学制（年）", "学制"), "int", True),
    ("plan", ("招生计划（人）", "招生计划", "计划招生人数（人）"), "int", True),
    ("address", ("学校地址", "地址")),
    ("phone", ("联系电话", "电话"), "id"),
    ("note", ("备注",)),
    ("report_date", ("报到时间", "报到日期"), "date"),
    ("report_place", ("报到地点",)),
)

REGISTRY_COLUMNS = _cols(
    ("id_no", ("身份证号", "身份证号码", "公民身份号码"), "id", True),
    ("card_no", ("扶贫卡编号", "扶贫卡号", "建档立卡编号"), "id", True),
    ("name", ("姓名",), "text", True),
)

# kind -> (columns, titles that must be present for the kind to be recognised)
SCHEMAS: dict[str, tuple[tuple[Column, ...], tuple[str, ...]]] = {
    "admissions": (ADMISSION_COLUMNS, ("name", "id_no", "admitted_school")),
    "registrations": (REGISTRATION_COLUMNS, ("name", "gender", "id_no", "school")),
    "progress": (PROGRESS_COLUMNS, ("school", "enrolled", "graduates")),
    "catalog": (CATALOG_COLUMNS, ("school", "major", "level")),
    "registry": (REGISTRY_COLUMNS, ("id_no", "name")),
}

KIND_NAMES = {
    "catalog": "技能扶贫技工院校和专业目录",
    "registrations": "精准技能扶贫对象登记汇总表（附件2）",
    "admissions": "录取名单",
    "progress": "工作进展情况表（附件1）",
    "registry": "建档立卡贫困人口名单",
    "notice": "公文",
    "config": "项目配置",
}


def title_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Folded title -> column, for every accepted title."""
    index: dict[str, Column] = {}
    for column in columns:
        for title in column.titles:
            index.setdefault(fold_title(title), column)
    return index
