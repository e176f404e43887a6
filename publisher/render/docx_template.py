"""Word templates (docxtpl) in the sandbox: every Jinja2 tag of a DOCX runs in ``sandbox.environment()``.

docxtpl renders with a plain ``jinja2.Environment`` unless it is given one, and a
plain environment lets ``{{ ''.__class__.__mro__[1].__subclasses__() }}`` reach
``os.popen``.  Here the body, headers, footers, footnotes and document properties
all render in the hardened environment, under one deadline, and a failure names
the file, the part and the paragraph (docxtpl puts each ``<w:p>`` on its own
source line, so a template line is a paragraph), with the paragraph's text.
"""
from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import jinja2

from ..errors import RenderError
from . import sandbox

MAX_UNPACKED = 64 * 1024 * 1024          # all parts of a template package, uncompressed
PARTS = (("header", "页眉"), ("footer", "页脚"), ("footnotes", "脚注"), ("endnotes", "尾注"))


def load(path: Path):
    """A DocxTemplate of ``path``, once the package is known to be a ZIP of reasonable size."""
    from docxtpl import DocxTemplate
    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
        if unpacked > MAX_UNPACKED:
            raise RenderError(f"{path}: 错误: 模板解压后超过 {MAX_UNPACKED // 1024 // 1024} MB，已拒绝")
        return DocxTemplate(str(path))
    except RenderError:
        raise
    except Exception as exc:  # not a Word document at all
        raise RenderError(f"{path}: 错误: 模板不是有效的 Word 文档（{type(exc).__name__}: {exc}）") from None


def variables(tpl, env: jinja2.Environment) -> set[str]:
    """The names a template uses (docxtpl parses them with ``env``); a syntax error is left to ``render``."""
    try:
        return set(tpl.get_undeclared_template_variables(jinja_env=env))
    except jinja2.TemplateSyntaxError:
        return set()


def render(tpl, context: dict, path: Path, env: jinja2.Environment | None = None) -> None:
    """Fill ``tpl`` in place, sandboxed; any failure is a RenderError located by paragraph."""
    env = env or sandbox.environment()
    seen: dict = {}
    _remember(tpl, seen)
    try:
        with sandbox.limits():
            tpl.render(context, jinja_env=env, autoescape=True)
    except sandbox.FAILURES as exc:
        raise RenderError(f"{where(path, seen, exc)}: 错误: {sandbox.describe(exc)}") from None
    except Exception as exc:  # docxtpl's own post-processing of what a template made
        raise RenderError(f"{path}: 错误: 模板无法生成（{type(exc).__name__}: {exc}）") from None


def _remember(tpl, seen: dict) -> None:
    """Record which part (and its source) docxtpl is rendering, to locate a failure in it."""
    render_part, render_properties = tpl.render_xml_part, tpl.render_properties

    def part(src_xml, part, context, jinja_env=None):
        seen.update(source=src_xml, part=str(getattr(part, "partname", "")))
        return render_part(src_xml, part, context, jinja_env)

    def properties(context, jinja_env=None):
        seen.update(source=None, part="properties")
        return render_properties(context, jinja_env)

    tpl.render_xml_part, tpl.render_properties = part, properties


def where(path: Path, seen: dict, exc: BaseException) -> str:
    """``letter.docx 页眉 第3段（“…”）``: the part and paragraph of the template line that failed."""
    _, line = sandbox.template_line(exc)
    part = seen.get("part", "")
    if part == "properties":
        return f"{path} 文档属性"
    label = next((name for key, name in PARTS if key in part), "")
    source = seen.get("source")
    if source is None or not line:
        return f"{path} {label}".rstrip()
    lines = re.sub(r"<w:p([ >])", r"\n<w:p\1", source).split("\n")
    text = html.unescape(re.sub(r"<[^>]+>", "", lines[line - 1])) if line <= len(lines) else ""
    excerpt = text if len(text) <= 40 else text[:40] + "…"
    paragraph = f"第{line - 1}段" if line > 1 else "开头"
    return f"{path} {label}{' ' if label else ''}{paragraph}（“{excerpt}”）"
