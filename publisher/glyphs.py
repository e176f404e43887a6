"""Rare characters: a warning for text that no available font can draw (SPEC §4, §7).

A name such as 𪚥 (CJK extension B) prints as an empty box when no font in the
chain has it.  Rather than let that pass silently, every text that ends up in
a document is checked against the fonts the project will use, and each cell
holding such a character gets a ``font.missing_glyph`` warning.
"""
from __future__ import annotations

from .errors import Findings
from .render import fonts

# Fields of each model that are printed in documents.
PERSON_FIELDS = {"name": "姓名", "address": "家庭详细地址", "school": "拟就读技工院校", "major": "拟就读专业",
                 "county": "县（市、区）", "town": "乡镇（街道）", "village": "村（社区）",
                 "admitted_school": "录取院校", "admitted_major": "录取专业", "report_place": "报到地点"}
SCHOOL_FIELDS = {"name": "学校名称", "address": "学校地址", "report_place": "报到地点"}
MAJOR_FIELDS = {"name": "专业名称", "note": "备注"}
PROGRESS_FIELDS = {"school": "学校名称"}


def _items(source):
    """(object, {field: label}) for every printed object of a source's model."""
    model = source.model
    if source.kind in ("registrations", "admissions"):
        for person in model.rows:
            yield person, PERSON_FIELDS
    elif source.kind == "catalog":
        for school in model.schools:
            yield school, SCHOOL_FIELDS
            for major in school.majors:
                yield major, MAJOR_FIELDS
    elif source.kind == "progress":
        for row in model.rows:
            yield row, PROGRESS_FIELDS


def _texts(source):
    for obj, fields in _items(source):
        for name, label in fields.items():
            value = getattr(obj, name, "")
            if isinstance(value, str) and value:
                yield obj, name, label, value


def check_glyphs(project, findings: Findings) -> None:
    """Warn, naming the cell and the characters, where no available font has a glyph."""
    fonts_dir = project.config.fonts if project.config else None
    for source in project.sources:
        # One font lookup per source over its distinct characters keeps 100,000 rows cheap.
        rare = "".join(sorted({ch for _, _, _, text in _texts(source) for ch in text if ord(ch) > 0x7F}))
        if not rare:
            continue
        missing = set(fonts.missing_glyphs(rare, fonts_dir))
        if not missing:
            continue
        for obj, name, label, text in _texts(source):
            chars = sorted({ch for ch in text if ch in missing})
            if not chars:
                continue
            shown = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in chars)
            findings.warning(obj.loc(name), "font.missing_glyph",
                             f"{label}“{text}”中的 {shown} 在现有字体中都没有字形，打印出来会是空白方框；"
                             "请在 publisher.yaml 的 fonts: 文件夹中放入含有该字的字体（如 花园明朝、"
                             "中华字库字体），或在文件中注明读音", name)
