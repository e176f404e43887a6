"""Year-over-year changes of a catalog (目录动态调整): what was added, removed or adjusted.

Schools are matched by name.  Majors within a school are matched by name and
level first, then by name alone, then by code (a renamed major keeps its code),
so a major that changed its level is one adjustment, not a removal plus an
addition.  Each change is one row: 类型 (新增/撤销/调整), 学校, 专业, 项目, 原值, 新值.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.models import Catalog, Major, School

ADDED, REMOVED, ADJUSTED = "新增", "撤销", "调整"

SCHOOL_FIELDS = (("type", "学校类别"), ("affiliation", "隶属关系"), ("address", "学校地址"), ("phone", "联系电话"))
MAJOR_FIELDS = (("name", "专业名称"), ("code", "专业代码"), ("level", "培养层次"), ("years", "学制"),
                ("plan", "招生计划"))


@dataclass(frozen=True)
class Change:
    kind: str            # 新增 | 撤销 | 调整
    school: str
    major: str = ""      # empty for a change of the school itself
    item: str = ""       # 学校 | 专业 | 招生计划 | 培养层次 | ...
    old: str = ""
    new: str = ""
    city: str = ""

    def as_row(self) -> list[str]:
        return [self.kind, self.school, self.major, self.item, self.old, self.new]


def _show(field: str, value) -> str:
    if value is None or value == "":
        return ""
    if field == "years":
        return f"{value}年"
    if field == "plan":
        return f"{value}人"
    return str(value)


def _major_summary(major: Major) -> str:
    parts = [p for p in (major.code, major.level, _show("years", major.years), _show("plan", major.plan)) if p]
    return "，".join(parts)


def _school_summary(school: School) -> str:
    plan = sum(m.plan or 0 for m in school.majors)
    names = "、".join(m.name for m in school.majors)
    return f"{len(school.majors)}个专业（{names}），招生计划{plan}人"


def pair_majors(old: list[Major], new: list[Major]) -> tuple[list[tuple[Major, Major]], list[Major], list[Major]]:
    """(matched pairs, removed, added); match by (name, level), then name, then code."""
    pairs: list[tuple[Major, Major]] = []
    left_old, left_new = list(old), list(new)
    for key in (lambda m: (m.name, m.level), lambda m: m.name, lambda m: m.code):
        for n in list(left_new):
            k = key(n)
            if not k or k == ("", ""):
                continue
            match = next((o for o in left_old if key(o) == k), None)
            if match is not None:
                pairs.append((match, n))
                left_old.remove(match)
                left_new.remove(n)
    pairs.sort(key=lambda p: new.index(p[1]))
    return pairs, left_old, left_new


def diff(previous: Catalog, current: Catalog, city: str = "") -> list[Change]:
    """Every change from ``previous`` to ``current``, in the current catalog's order."""
    changes: list[Change] = []
    city = city or current.city
    for school in current.schools:
        before = previous.school(school.name)
        if before is None:
            changes.append(Change(ADDED, school.name, "", "学校", "", _school_summary(school), city))
            continue
        for field, label in SCHOOL_FIELDS:
            a, b = getattr(before, field), getattr(school, field)
            if a != b:
                changes.append(Change(ADJUSTED, school.name, "", label, _show(field, a), _show(field, b), city))
        pairs, removed, added = pair_majors(before.majors, school.majors)
        events = []
        for old, new in pairs:
            for field, label in MAJOR_FIELDS:
                a, b = getattr(old, field), getattr(new, field)
                if a != b:
                    events.append((school.majors.index(new),
                                   Change(ADJUSTED, school.name, new.name, label, _show(field, a), _show(field, b), city)))
        for major in added:
            events.append((school.majors.index(major),
                           Change(ADDED, school.name, major.name, "专业", "", _major_summary(major), city)))
        for major in removed:
            events.append((len(school.majors) + before.majors.index(major),
                           Change(REMOVED, school.name, major.name, "专业", _major_summary(major), "", city)))
        changes.extend(c for _, c in sorted(events, key=lambda e: e[0]))
    for school in previous.schools:
        if current.school(school.name) is None:
            changes.append(Change(REMOVED, school.name, "", "学校", _school_summary(school), "", city))
    return changes


def summary(changes: list[Change], previous: Catalog | None, current: Catalog) -> dict:
    """Counts for the filing report and the changes section."""
    count = lambda kind, item: sum(1 for c in changes if c.kind == kind and c.item == item)
    return {
        "schools_added": count(ADDED, "学校"),
        "schools_removed": count(REMOVED, "学校"),
        "majors_added": count(ADDED, "专业"),
        "majors_removed": count(REMOVED, "专业"),
        "adjusted": sum(1 for c in changes if c.kind == ADJUSTED),
        "plan_before": previous.plan_total if previous else None,
        "plan_after": current.plan_total,
        "total": len(changes),
    }


def summary_text(changes: list[Change], previous: Catalog | None, current: Catalog) -> str:
    """One sentence: 与上年度相比，新增学校1所、撤销专业2个……"""
    if previous is None:
        return ""
    s = summary(changes, previous, current)
    if not changes:
        return f"与{previous.year or '上'}年度目录相比没有调整。"
    parts = []
    for key, label, unit in (("schools_added", "新增学校", "所"), ("schools_removed", "撤销学校", "所"),
                             ("majors_added", "新增专业", "个"), ("majors_removed", "撤销专业", "个"),
                             ("adjusted", "调整招生计划、培养层次等", "项")):
        if s[key]:
            parts.append(f"{label}{s[key]}{unit}")
    plan = f"；招生计划由{s['plan_before']}人变为{s['plan_after']}人" if s["plan_before"] != s["plan_after"] else ""
    return f"与{previous.year or '上'}年度目录相比，{'、'.join(parts)}{plan}。"
