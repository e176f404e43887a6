"""Font roles of GB/T 9704 and what each resolves to (SPEC §7).

DOCX names the official fonts so Word on an office PC shows them; PDF embeds
a real file: the licensed font from the config's ``fonts:`` folder where it is
there, else an open substitute found through fontconfig.
"""
from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Role:
    key: str
    docx_name: str                 # the name Word/WPS look up
    label: str
    licensed_files: tuple          # file names searched in the config's fonts/ folder
    substitute: str                # fontconfig family of the open substitute
    bold: bool = False             # the substitute is set bold (小标宋 has no open equivalent)


ROLES = {
    "title": Role("title", "方正小标宋简体", "小标宋（标题、发文机关标志）",
                  ("方正小标宋简体.ttf", "方正小标宋_GBK.ttf", "FZXBSJW.TTF", "FZXBSK.TTF", "fzxbsjw.ttf"),
                  "Noto Serif CJK SC", bold=True),
    "body": Role("body", "仿宋_GB2312", "仿宋（正文）",
                 ("仿宋_GB2312.ttf", "FangSong_GB2312.ttf", "仿宋.ttf", "simfang.ttf", "SIMFANG.TTF"),
                 "Noto Serif CJK SC"),
    "hei": Role("hei", "黑体", "黑体（一级标题）", ("黑体.ttf", "simhei.ttf", "SIMHEI.TTF"), "Noto Sans CJK SC"),
    "kai": Role("kai", "楷体_GB2312", "楷体（二级标题）",
                ("楷体_GB2312.ttf", "KaiTi_GB2312.ttf", "楷体.ttf", "simkai.ttf", "SIMKAI.TTF"), "AR PL KaitiM GB"),
    "song": Role("song", "宋体", "宋体（页码）", ("宋体.ttf", "simsun.ttc", "SIMSUN.TTC", "simsun.ttf"),
                 "Noto Serif CJK SC"),
}
# Last resorts for characters the role's font lacks (rare name characters).
FALLBACK_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL KaitiM GB", "Noto Sans CJK TC")


@dataclass(frozen=True)
class Resolved:
    role: Role
    file: Path | None
    family: str                    # CSS family name
    substitute: bool


@functools.lru_cache(maxsize=None)
def _fc_file(family: str, bold: bool = False) -> Path | None:
    """The file fontconfig gives for exactly this family, or None when it is not installed."""
    if not shutil.which("fc-match"):
        return None
    pattern = f"{family}:bold" if bold else family
    try:
        out = subprocess.run(["fc-match", "-f", "%{family}|%{file}", pattern], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = out.partition("|")
    if family.lower() not in [f.strip().lower() for f in families.split(",")]:
        return None
    return Path(file) if file else None


def resolve(role_key: str, fonts_dir: Path | None = None) -> Resolved:
    role = ROLES[role_key]
    if fonts_dir and fonts_dir.is_dir():
        by_lower = {p.name.lower(): p for p in fonts_dir.iterdir() if p.is_file()}
        for name in role.licensed_files:
            found = by_lower.get(name.lower())
            if found:
                return Resolved(role, found, f"pub-{role.key}", False)
    return Resolved(role, _fc_file(role.substitute, role.bold), role.substitute, True)


def css(fonts_dir: Path | None = None) -> str:
    """@font-face rules for licensed fonts and one class + custom property per role."""
    rules = []
    for key in ROLES:
        resolved = resolve(key, fonts_dir)
        if not resolved.substitute:
            rules.append(f'@font-face {{ font-family: "pub-{key}"; src: url("{resolved.file.as_uri()}"); }}')
    for key in ROLES:
        rules.append(f".f-{key} {{ font-family: {stack(key, fonts_dir)}; "
                     f"font-weight: {weight(key, fonts_dir)}; }}")
    return "\n".join(rules)


def stack(role_key: str, fonts_dir: Path | None = None) -> str:
    """A CSS font-family list: the role's font, then fallbacks for rare characters."""
    resolved = resolve(role_key, fonts_dir)
    families = [resolved.family, ROLES[role_key].substitute, *FALLBACK_FAMILIES]
    unique = list(dict.fromkeys(families))
    return ", ".join(f'"{f}"' for f in unique) + ", serif"


def weight(role_key: str, fonts_dir: Path | None = None) -> str:
    resolved = resolve(role_key, fonts_dir)
    return "bold" if resolved.substitute and resolved.role.bold else "normal"


@functools.lru_cache(maxsize=None)
def _cmap(path: Path) -> frozenset:
    from fontTools.ttLib import TTCollection, TTFont
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = TTCollection(str(path), lazy=True).fonts[:1]
        else:
            fonts = [TTFont(str(path), lazy=True)]
        return frozenset(c for font in fonts for c in (font.getBestCmap() or {}))
    except Exception:
        return frozenset()


def covered(fonts_dir: Path | None = None) -> frozenset:
    """Code points that some available font can draw."""
    points = set()
    for key in ROLES:
        file = resolve(key, fonts_dir).file
        if file:
            points |= _cmap(file)
    for family in FALLBACK_FAMILIES:
        file = _fc_file(family)
        if file:
            points |= _cmap(file)
    return frozenset(points)


def missing_glyphs(text: str, fonts_dir: Path | None = None) -> list[str]:
    """Characters of ``text`` that no available font can draw."""
    have = covered(fonts_dir)
    if not have:
        return []
    return sorted({ch for ch in text if ord(ch) > 0x7F and not ch.isspace() and ord(ch) not in have})


def report(fonts_dir: Path | None = None) -> list[tuple[str, str, str, bool]]:
    """(role label, DOCX name, PDF file, is substitute) for `publisher doctor`."""
    rows = []
    for key, role in ROLES.items():
        resolved = resolve(key, fonts_dir)
        rows.append((role.label, role.docx_name, str(resolved.file) if resolved.file else "（未找到）",
                     resolved.substitute))
    return rows
