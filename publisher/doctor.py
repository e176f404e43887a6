"""`publisher doctor`: fonts, libraries and templates, and what each font role resolves to."""
from __future__ import annotations

import ctypes.util
from pathlib import Path

from .render import fonts
from .render.html import builtin_templates


def diagnose(fonts_dir: Path | None = None, echo=print) -> bool:
    ok = True
    echo("字体（角色 → DOCX 字体名 → PDF 使用的字体文件）：")
    for label, docx_name, file, substitute in fonts.report(fonts_dir):
        mark = "替代字体" if substitute else "授权字体"
        if file.startswith("（"):
            ok = False
            mark = "缺失"
        echo(f"  {label}: {docx_name} → {file}  [{mark}]")
        if substitute and not file.startswith("（"):
            echo(f"    警告: 未找到 {docx_name} 的授权字体文件，PDF 用开源字体代替；"
                 "把授权字体放入 publisher.yaml 的 fonts: 文件夹即可使用")
    echo("系统库：")
    for lib, why in (("pango-1.0", "WeasyPrint 排版"), ("harfbuzz-subset", "PDF 中文字体子集化（缺少时慢约40倍）")):
        found = ctypes.util.find_library(lib)
        echo(f"  {lib}: {'已安装' if found else '缺失'}（{why}）")
        if not found:
            ok = False
            echo("    请运行：apt-get install -y libharfbuzz-subset0 libpango-1.0-0")
    try:
        import weasyprint
        echo(f"  WeasyPrint {weasyprint.__version__}: 可用")
    except Exception as exc:  # missing system libraries surface here as OSError
        ok = False
        echo(f"  WeasyPrint: 不可用（{exc}）")
    from .render import office
    found = office.soffice()
    release = office.version() if found else None
    if release:
        echo(f"  LibreOffice: {release}（{found}）：可用（通知书的 PDF 由 Word 模板转换而来）")
    else:
        ok = False
        echo("  LibreOffice: 缺失（通知书的 PDF 由 Word 模板经 LibreOffice 转换而来）")
        echo(f"    请运行：{office.INSTALL}")
    templates = builtin_templates()
    count = len([p for p in templates.rglob("*") if p.is_file()]) if templates.is_dir() else 0
    echo(f"模板：{templates}（{count} 个文件）")
    if count == 0:
        ok = False
    echo("结论：" + ("一切就绪。" if ok else "有缺失项，请按上面的提示安装。"))
    return ok
