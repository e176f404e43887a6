"""Every DOCX a Chinese document: language zh-CN, the theme's East Asian fonts Chinese, and the
official fonts in the font table.

python-docx's default template (the root of every document we make, and of the built-in letter
template) is a Word 2010 Japanese-theme file: ``w:themeFontLang w:eastAsia="ja-JP"``, text
language en-US, theme East Asian fonts resolved through the ``Jpan`` script (ＭＳ 明朝), and a
font table that lists ＭＳ 明朝/ＭＳ ゴシック but none of the fonts our runs name.  LibreOffice
then draws CJK text in Japanese faces, and Word or WPS on a PC without 仿宋_GB2312 substitutes
blindly.  ``chinese(docx_bytes)`` runs on every save (``render.docx.document_bytes``):

- ``settings.xml``: ``w:themeFontLang`` en-US / zh-CN;
- ``styles.xml``: the default run language ``w:lang w:val="en-US" w:eastAsia="zh-CN"``;
- ``theme1.xml``: the major and minor East Asian theme font 宋体 (the ``Hans`` script font);
- ``fontTable.xml``: each official font with its GB2312 charset (86), PANOSE, family, pitch,
  code-page signature and English ``altName`` — what Word and WPS match a missing font against;
  the Japanese fonts no run uses are dropped.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
LANG = "zh-CN"
THEME_EA = "宋体"

# name: (altName, panose1, family, pitch, (usb0, usb1, usb2, usb3, csb0, csb1)) — as Word writes them
# for the fonts of a Chinese Windows; csb0 00040000/00040001 = the GB2312 code page.
OFFICIAL_FONTS = {
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable",
             ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed",
             ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")),
    "仿宋_GB2312": ("FangSong_GB2312", "02010609030101010101", "modern", "fixed",
                    ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")),
    "楷体_GB2312": ("KaiTi_GB2312", "02010609030101010101", "modern", "fixed",
                    ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "02000000000000000000", "auto", "variable",
                       ("00000001", "080E0000", "00000000", "00000000", "00040000", "00000000")),
}
CHARSET_GB2312 = "86"
JAPANESE_FONTS = ("ＭＳ 明朝", "ＭＳ ゴシック")


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _settings(root) -> None:
    lang = root.find(_w("themeFontLang"))
    if lang is None:
        lang = etree.SubElement(root, _w("themeFontLang"))
    lang.set(_w("val"), "en-US")
    lang.set(_w("eastAsia"), LANG)


def _styles(root) -> None:
    defaults = root.find(_w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(_w("docDefaults"))
        root.insert(0, defaults)
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = etree.Element(_w("rPrDefault"))
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(rpr_default, _w("rPr"))
    lang = rpr.find(_w("lang"))
    if lang is None:
        lang = etree.SubElement(rpr, _w("lang"))       # put in schema order by ooxml.ordered
    lang.set(_w("val"), "en-US")
    lang.set(_w("eastAsia"), LANG)
    # Any style's own language the same way (a user's letter template made on a Japanese PC).
    for other in root.iter(_w("lang")):
        if other.get(_w("eastAsia")) not in (None, LANG):
            other.set(_w("eastAsia"), LANG)


def _theme(root) -> None:
    for kind in ("majorFont", "minorFont"):
        for font in root.iter(f"{{{A}}}{kind}"):
            ea = font.find(f"{{{A}}}ea")
            if ea is not None:
                ea.set("typeface", THEME_EA)


def _font_table(root) -> None:
    present = {f.get(_w("name")): f for f in root.findall(_w("font"))}
    for name in JAPANESE_FONTS:
        if name in present:
            root.remove(present.pop(name))
    for name, (alt, panose, family, pitch, sig) in OFFICIAL_FONTS.items():
        font = present.get(name)
        if font is not None:
            root.remove(font)
        font = etree.SubElement(root, _w("font"))
        font.set(_w("name"), name)
        etree.SubElement(font, _w("altName")).set(_w("val"), alt)
        etree.SubElement(font, _w("panose1")).set(_w("val"), panose)
        etree.SubElement(font, _w("charset")).set(_w("val"), CHARSET_GB2312)
        etree.SubElement(font, _w("family")).set(_w("val"), family)
        etree.SubElement(font, _w("pitch")).set(_w("val"), pitch)
        signature = etree.SubElement(font, _w("sig"))
        for attr, value in zip(("usb0", "usb1", "usb2", "usb3", "csb0", "csb1"), sig):
            signature.set(_w(attr), value)


FIXES = {
    "word/settings.xml": _settings,
    "word/styles.xml": _styles,
    "word/theme/theme1.xml": _theme,
    "word/fontTable.xml": _font_table,
}


def chinese_parts(parts: dict) -> dict:
    """The parts among ``parts`` (name -> XML bytes) that make a package zh-CN, fixed (see the
    module docstring); a part the package lacks is left missing.  Used on save (``chinese``) and on
    a letter template's parts, which letters copy as they are."""
    changed = {}
    for name, fix in FIXES.items():
        if name not in parts:
            continue
        root = etree.fromstring(parts[name])
        fix(root)
        changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return changed


def chinese(data: bytes) -> bytes:
    """The DOCX ``data`` as a zh-CN document (see the module docstring); other parts unchanged."""
    from .package import with_parts
    source = zipfile.ZipFile(io.BytesIO(data))
    return with_parts(data, chinese_parts({name: source.read(name) for name in FIXES if name in source.namelist()}))


def problems(data: bytes) -> list[str]:
    """What keeps the DOCX ``data`` from being a zh-CN document (for tests): 'part: what'."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")) and b"ja-JP" in z.read(name):
                found.append(f"{name}: ja-JP")
        settings = z.read("word/settings.xml").decode("utf-8")
        if f'w:eastAsia="{LANG}"' not in settings:
            found.append("word/settings.xml: themeFontLang not zh-CN")
        styles = etree.fromstring(z.read("word/styles.xml"))
        lang = styles.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('lang')}")
        if lang is None or lang.get(_w("eastAsia")) != LANG:
            found.append("word/styles.xml: default language not zh-CN")
        table = etree.fromstring(z.read("word/fontTable.xml"))
        fonts = {f.get(_w("name")): f for f in table.findall(_w("font"))}
        for name in OFFICIAL_FONTS:
            font = fonts.get(name)
            charset = font.find(_w("charset")) if font is not None else None
            if charset is None or charset.get(_w("val")) != CHARSET_GB2312:
                found.append(f"word/fontTable.xml: {name} missing or not GB2312")
    return found
