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
人力资源和社会保障局 人力资源和社会保障厅 人力资源社会保障局 人力资源社会保障厅 人力资源社会保障部 扶贫办
技工院校 技工学校 技师学院 技工教育 职业培训 职业技能 职业能力 技能扶贫 精准技能扶贫 精准扶贫 精准脱贫 脱贫攻坚 服务 工作
行动计划 实施方案 工作方案 管理办法 实施细则 实施意见 指导意见 通知 意见 办法 方案 计划 规定 决定 报告 请示 批复 函
专业目录 院校 专业 目录 名单 年度 招生 录取 登记 汇总 情况 统计 进展 有关 事项 问题 承担 贫困家庭 建档立卡 子女 学生 劳动者
备案 备案表 提升 职业技能提升行动 进展情况表 登记汇总表
""".split()), key=len, reverse=True)
_BREAK_AFTER = "、，"
# A line never ends in a conjunction or 的 (7.3.1 回行时词意完整): they bind to what follows.
NO_END = "和的与及并"
# Words that open a title ("关于印发 …"): a break right after them leaves a stub line.
_OPENERS = ("关于",)
_PLACE_END = "省市县区"


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
        m = re.match(r"[0-9A-Za-z.\-]+(年度|年|月|日|号)?", text[i:])
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
    """Offsets where a line may break without splitting a word or a name, and never after
    和、的、与、及、并."""
    segs = _segments(text)
    known = set(LEXICON)
    positions, offset = [], 0
    for a, b in zip(segs, segs[1:]):
        offset += len(a)
        if a[-1] in NO_END:
            continue
        # A whole word (of the lexicon, or a number or quotation) on either side: two lone
        # characters may be one word the lexicon does not know, so they stay together.
        a_word = a in known or len(a) > 1
        b_word = b in known or len(b) > 1
        if a_word or b_word or a in _BREAK_AFTER or b in NO_END:
            positions.append(offset)
    return positions


def _penalty(text: str, cut: int) -> float:
    """How much a break at ``cut`` costs beyond its line lengths, in characters of imbalance: a
    stub "关于" line, a place name torn from what it names, a line opening with 的."""
    segs, offset, before = _segments(text), 0, []
    for seg in segs:
        if offset >= cut:
            break
        before.append(seg)
        offset += len(seg)
    cost = 0.0
    if before and (before[-1] in _OPENERS or (len(before) == 2 and before[0] in _OPENERS)):
        cost += 8
    if before and len(before[-1]) > 1 and before[-1][-1] in _PLACE_END:
        cost += 4
    if text[cut:cut + 1] == "的":
        cost += 2
    return cost


def text_units(text: str) -> float:
    """Width in full-width characters (ASCII counts half)."""
    return sum(0.5 if ord(ch) < 0x2000 else 1.0 for ch in text)


def break_lines(text: str, width_chars: float) -> list[str]:
    """Break ``text`` into as few lines as possible, each at most ``width_chars`` wide, only at
    word boundaries (never after 和、的、与、及、并), the lines as near equal as the words allow
    and shaped as a trapezoid (lengths rising or falling) or a diamond (the longest in the
    middle), never an hourglass (GB/T 9704 7.3.1: 回行时词意完整、排列对称)."""
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


def _shape(lengths: list[float]) -> int:
    """0 for a trapezoid (rising or falling) or a diamond; 1 for anything else (an hourglass)."""
    pairs = list(zip(lengths, lengths[1:]))
    if all(a >= b for a, b in pairs) or all(a <= b for a, b in pairs):
        return 0
    top = lengths.index(max(lengths))
    rising = all(a <= b for a, b in zip(lengths[:top], lengths[1:top + 1]))
    falling = all(a >= b for a, b in zip(lengths[top:], lengths[top + 1:]))
    return 0 if rising and falling else 1


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

        def cost(cuts):
            bounds = [0, *cuts, len(text)]
            lengths = [text_units(text[x:y]) for x, y in zip(bounds, bounds[1:])]
            imbalance = max(lengths) - min(lengths)
            # Ties: the longer line first (the usual 倒梯形 of 公文 titles).
            return (_shape(lengths), imbalance + sum(_penalty(text, c) for c in cuts), [-x for x in lengths])
        return min(found, key=cost)
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
