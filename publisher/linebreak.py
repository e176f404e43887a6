"""Breaking Chinese titles and names into lines at word boundaries (GB/T 9704 7.3.1).

A title is broken only between words (回行时词意完整), into lines shaped as a
trapezoid or a diamond (排列对称).  Words are found by forward maximum matching
over a small lexicon of the programme's vocabulary; quoted names and numbers
stay whole.
"""
from __future__ import annotations

import re

# Words that may not be split and mark where a title may break.
LEXICON = sorted(set("""
关于 印发 转发 做好 加强 进一步 开展 实施 推进 深入 全面 贯彻 落实 建立 健全 完善 规范 公布 下达 调整 组织 报送 填报
山东省 济南市 青岛市 淄博市 枣庄市 东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 临沂市 德州市 聊城市 滨州市 菏泽市 莱芜市
人力资源 社会保障 人力资源和社会保障 人力资源社会保障 扶贫开发 领导小组 办公室 财政厅 教育厅
技工院校 技工学校 技师学院 技工教育 职业培训 职业技能 职业能力 技能扶贫 精准技能扶贫 精准扶贫 精准脱贫 脱贫攻坚 服务 工作
行动计划 实施方案 工作方案 管理办法 实施细则 实施意见 指导意见 通知 意见 办法 方案 计划 规定 决定 报告 请示 批复 函
专业目录 院校 专业 目录 名单 年度 招生 录取 登记 汇总 情况 统计 进展 有关 事项 问题 承担 贫困家庭 建档立卡 子女 学生 劳动者
""".split()), key=len, reverse=True)
_BREAK_AFTER = "的和与及、，"


def _segments(text: str) -> list[str]:
    """Forward maximum matching over the lexicon; quoted names and numbers stay whole."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        pair = {"《": "》", "“": "”", "（": "）", "(": ")", "〔": "〕"}.get(ch)
        if pair and pair in text[i + 1:]:
            j = text.index(pair, i + 1) + 1
            out.append(text[i:j])
            i = j
            continue
        m = re.match(r"[0-9A-Za-z.\-]+(年|月|日|号)?", text[i:])
        if m:
            out.append(m.group(0))
            i += len(m.group(0))
            continue
        for word in LEXICON:
            if text.startswith(word, i):
                out.append(word)
                i += len(word)
                break
        else:
            out.append(ch)
            i += 1
    return out


def break_positions(text: str) -> list[int]:
    """Offsets where a line may break without splitting a word or a name."""
    segs = _segments(text)
    known = set(LEXICON)
    positions, offset = [], 0
    for a, b in zip(segs, segs[1:]):
        offset += len(a)
        a_ok = a in known or len(a) > 1 or a in _BREAK_AFTER
        b_ok = b in known or len(b) > 1 or b == "的"
        if (a_ok and b_ok) or a in _BREAK_AFTER or b == "的" and a_ok:
            positions.append(offset)
    return positions


def text_units(text: str) -> float:
    """Width in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def break_lines(text: str, width_chars: float) -> list[str]:
    """Break ``text`` into as few lines as possible, each at most ``width_chars`` wide, only at
    word boundaries, shaped as a trapezoid (each line no shorter than the next) or else a
    diamond (the longest in the middle); among those, earlier lines as full as possible."""
    if text_units(text) <= width_chars:
        return [text]
    allowed = [p for p in break_positions(text) if 0 < p < len(text)]
    cuts = _best_cuts(text, allowed, width_chars)
    if cuts is None:                      # no word boundaries to use: cut where the line is full
        cuts, start = [], 0
        while text_units(text[start:]) > width_chars:
            start = _hard_cut(text, start, width_chars)
            cuts.append(start)
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def _best_cuts(text: str, allowed: list[int], width: float, max_lines: int = 8):
    for n in range(2, max_lines + 1):
        found = []

        def walk(start: int, chosen: list[int]) -> None:
            if len(found) > 5000:
                return
            if len(chosen) == n - 1:
                if text_units(text[start:]) <= width:
                    found.append(list(chosen))
                return
            for p in allowed:
                if p > start and text_units(text[start:p]) <= width:
                    walk(p, chosen + [p])
        walk(0, [])
        if not found:
            continue

        def lengths(cuts):
            b = [0, *cuts, len(text)]
            return [text_units(text[x:y]) for x, y in zip(b, b[1:])]

        def shape(cuts):
            ls = lengths(cuts)
            if all(a >= b for a, b in zip(ls, ls[1:])):
                return 0                                    # trapezoid
            top = ls.index(max(ls))
            if all(a <= b for a, b in zip(ls[:top], ls[1:top + 1])) and \
                    all(a >= b for a, b in zip(ls[top:], ls[top + 1:])):
                return 1                                    # diamond
            return 2
        return min(found, key=lambda c: (shape(c), [-x for x in lengths(c)]))
    return None


def _hard_cut(text: str, start: int, width_chars: float) -> int:
    cut = start
    while cut < len(text) and text_units(text[start:cut + 1]) <= width_chars:
        cut += 1
    return max(cut, start + 1)


def balanced_lines(text: str, width_chars: float, lines: int = 2) -> list[str]:
    """Break a name for a signature column into ``lines`` lines of similar length at word boundaries."""
    if text_units(text) <= width_chars:
        return [text]
    allowed = break_positions(text) or list(range(1, len(text)))
    best = min(allowed, key=lambda p: (max(text_units(text[:p]), text_units(text[p:])) > width_chars,
                                       abs(text_units(text[:p]) - text_units(text[p:])), -p))
    return [text[:best], text[best:]]
