"""The letter template of a run: which file, read once, made ready to fill, and what is wrong with it.

Which file: ``--template FILE.docx`` (``Options.letter_template``), else
``docx/letter.docx`` in the project's ``templates:`` folder (never through a link
out of it), else the built-in one.  The same template makes the DOCX letters and,
through LibreOffice, the PDF.

Made ready (``load``): Word mail-merge fields become tags (``render.mergefields``);
the seal goes where the template marks it — ``{{ 印章 }}`` (or «印章»), or a
picture or shape the school named 印章 in Word — and nowhere else
(``letter_seal``); lists numbered through a style get that numbering written on
their paragraphs (so a combined document can restart them); the data source and
attached-template links Word keeps in ``settings.xml`` (local paths, and the SQL
prompt Word shows for a merge document) are dropped; the last paragraph of the body
carries a marker where a combined document ends each letter's section.  The
built-in template is scaled to A5 when ``layout.paper`` says so; a school's own
template keeps the page it was laid out on.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes
from lxml import etree

from ..errors import Location, SourceError
from ..render import docx_fill, mergefields, sandbox
from ..render.docx_lang import chinese_parts
from ..render.html import builtin_templates
from .letter_fields import ALL
from .letter_seal import MARK, add_seal_image, named_seals, put_seal, seal_xml

TEMPLATE = "docx/letter.docx"
SECTION = "<!--publisher:section-->"
W = docx_fill.W
PAPERS = {"A5": (148, 210, {"top": 15, "bottom": 12, "left": 16, "right": 14}, 0.7)}


@dataclass
class LetterTemplate:
    """A read template: what fills it, where its seal went, and the problems found reading it."""

    template: docx_fill.Template
    builtin: bool
    seals: int = 0                                  # seal marks and named placeholders found
    problems: list[tuple[str, str]] = field(default_factory=list)   # (place, message) from merge fields

    @property
    def path(self) -> str:
        return self.template.path


def template_path(templates: Path | None, chosen: Path | None) -> tuple[Path, bool]:
    """(the template file, whether it is the built-in one)."""
    if chosen is not None:
        chosen = Path(chosen)
        if not chosen.is_file():
            raise SourceError(Location(str(chosen)), "--template 指定的模板文件不存在")
        return chosen, False
    if templates:
        user = Path(templates) / TEMPLATE
        if os.path.lexists(user):
            real = sandbox.escapes(user, templates)
            if real:
                raise SourceError(Location(str(user)), sandbox.link_refused(TEMPLATE, real))
            if user.is_file():
                return user, False
    return builtin_templates() / TEMPLATE, True


def problems(letter: LetterTemplate, known: set[str], available: list[str]) -> list[tuple[str, str, str]]:
    """(place, code, message) of each syntax error and each field the template uses that no letter has."""
    from difflib import get_close_matches
    from jinja2 import meta
    env = sandbox.environment()
    template = letter.template
    found: list[tuple[str, str, str]] = []
    listed = "、".join(available)
    for part, source in template.sources.items():
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            found.append((template.place(part, exc.lineno), "template.syntax", _syntax(exc)))
            continue
        undeclared = meta.find_undeclared_variables(tree)
        used = [(n.name, n.lineno) for n in tree.find_all(nodes.Name)
                if n.ctx == "load" and n.name in undeclared and n.name not in known]
        used += [(n.arg.value, n.lineno) for n in tree.find_all(nodes.Getitem)
                 if isinstance(n.node, nodes.Name) and n.node.name == ALL and isinstance(n.arg, nodes.Const)
                 and str(n.arg.value) not in known]
        for name, line in dict.fromkeys(used):
            close = get_close_matches(str(name), available, n=1, cutoff=0.5)
            guess = f"（是不是“{close[0]}”？）" if close else ""
            found.append((template.place(part, line), "template.unknown_field",
                          f"模板使用了字段“{name}”{guess}，但录取名单中没有这一列，publisher 也不生成这个字段；"
                          f"可用的字段有：{listed}"))
    return found


def _syntax(exc: jinja2.TemplateSyntaxError) -> str:
    """A syntax error in words a clerk can act on (Jinja's own message kept for the rare others)."""
    message = exc.message or ""
    tag = re.search(r"'(end\w+|else|elif)'", message)
    if message.startswith("Unexpected end of template"):
        what = "模板结束时还有没有结束的 {% if %} 或 {% for %}（缺少 {% endif %} 或 {% endfor %}）"
    elif message.startswith("Encountered unknown tag") and tag:
        what = f"多了一个 {{% {tag.group(1)} %}}，或与它配对的 {{% if %}}/{{% for %}} 写错了"
    else:
        return (f"{sandbox.describe(exc)}（{{% if %}} 与 {{% endif %}}、{{% for %}} 与 {{% endfor %}} 须成对；"
                "条件跨几个段落时用 {%p if … %} … {%p endif %}，各占一段）")
    return f"模板语法错误：{what}；{{% if %}} 与 {{% endif %}} 要写在同一段中，条件跨几个段落时用 {{%p if … %}} 和 {{%p endif %}}，各占一段"


def load(path: Path, builtin: bool, options=None) -> LetterTemplate:
    """Read ``path``; with ``options`` the seal is put in (as they say) and the paper applied, without
    them (``check``) only the marks are counted."""
    result = LetterTemplate(None, builtin)  # type: ignore[arg-type]
    seal = seal_xml(options, builtin) if options is not None else None

    def transform(name: str, root, parts: dict) -> bool:
        before = etree.tostring(root)
        for problem in mergefields.convert(root):
            result.problems.append((docx_fill.part_label(name), problem))
        result.seals += named_seals(root, seal)
        if name.endswith("document.xml"):
            _explicit_numbering(root, parts)
            _mark_section_end(root)
        return etree.tostring(root) != before

    def patched(name: str, source: str) -> tuple[str, bool]:
        if builtin and options is not None and options.paper in PAPERS and name.endswith("document.xml"):
            source = scale_to(source, options.paper)
        found = len(MARK.findall(source))
        result.seals += found
        return (put_seal(source, seal) if found and seal is not None else source), bool(found)

    from ..sources import display_name
    result.template = docx_fill.read(path, display_name(path), transform, patched)
    _forget_data_source(result.template)
    _drop_parts(result.template)
    result.template.static.update(chinese_parts(result.template.static))    # every letter a zh-CN document
    if seal is not None and seal[1] is not None:
        add_seal_image(result.template, seal[1])
    return result


# ---------------------------------------------------------------- the package around the letter
def _forget_data_source(template: docx_fill.Template) -> None:
    """A merge document's link to its data source (and to the attached template) holds local paths and
    makes Word ask to run an SQL query on opening: letters are filled documents, so both go."""
    name = "word/settings.xml"
    if name not in template.static:
        return
    root = etree.fromstring(template.static[name], docx_fill.PARSER)
    dropped = [el for el in root if el.tag in (f"{{{W}}}mailMerge", f"{{{W}}}attachedTemplate")]
    if not dropped:
        return
    for element in dropped:
        root.remove(element)
    template.static[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = "word/_rels/settings.xml.rels"
    if rels in template.static:
        tree = etree.fromstring(template.static[rels], docx_fill.PARSER)
        for rel in list(tree):
            if rel.get("Type", "").rsplit("/", 1)[-1] in ("mailMergeSource", "mailMergeHeaderSource",
                                                          "attachedTemplate", "recipientData"):
                tree.remove(rel)
        template.static[rels] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_parts(template: docx_fill.Template) -> None:
    """Word 2010's stylesWithEffects (out of step with styles.xml in a template python-docx or another tool
    touched, which Word may call unreadable) and the template's thumbnail (a picture of the page with its
    tags, which file browsers would show for every letter): dropped, as ``render.docx`` drops them."""
    for owner, rels in template.rels.items():
        for rid, (kind, target, _) in list(rels.items()):
            if kind not in ("stylesWithEffects", "thumbnail") or target not in template.static:
                continue
            del template.static[target]
            template.names.remove(target)
            del rels[rid]
            folder, base = owner.rsplit("/", 1) if "/" in owner else ("", owner)
            name = f"{folder}/_rels/{base}.rels" if folder else "_rels/.rels"
            text = template.static[name].decode("utf-8")
            template.static[name] = re.sub(rf'<Relationship [^>]*Id="{re.escape(rid)}"[^>]*/>', "", text).encode("utf-8")
            types = template.static["[Content_Types].xml"].decode("utf-8")
            template.static["[Content_Types].xml"] = re.sub(
                rf'<Override PartName="/{re.escape(target)}"[^>]*/>', "", types).encode("utf-8")


def _mark_section_end(root) -> None:
    """A comment in the last body paragraph's properties, where a combined document puts the section's end."""
    body = root.find(f"{{{W}}}body")
    paragraphs = [c for c in body if c.tag == f"{{{W}}}p"] if body is not None else []
    if not paragraphs:
        return
    last = paragraphs[-1]
    props = last.find(f"{{{W}}}pPr")
    if props is None:
        props = etree.Element(f"{{{W}}}pPr")
        last.insert(0, props)
    change = props.find(f"{{{W}}}pPrChange")
    comment = etree.Comment(SECTION[4:-3])
    if change is not None:
        change.addprevious(comment)
    else:
        props.append(comment)


def _explicit_numbering(root, parts: dict) -> None:
    """Paragraphs numbered through their style get that numbering written on them, so a combined
    document can restart each letter's lists (``letter_book``)."""
    styles = parts.get("word/styles.xml")
    if not styles:
        return
    numbered = {}
    for style in etree.fromstring(styles, docx_fill.PARSER).iter(f"{{{W}}}style"):
        num = style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}numId")
        if num is not None:
            level = style.find(f"{{{W}}}pPr/{{{W}}}numPr/{{{W}}}ilvl")
            numbered[style.get(f"{{{W}}}styleId")] = (num.get(f"{{{W}}}val"), level.get(f"{{{W}}}val") if level is not None else "0")
    if not numbered:
        return
    for props in root.iter(f"{{{W}}}pPr"):
        style = props.find(f"{{{W}}}pStyle")
        if style is None or style.get(f"{{{W}}}val") not in numbered or props.find(f"{{{W}}}numPr") is not None:
            continue
        num_id, level = numbered[style.get(f"{{{W}}}val")]
        num_pr = etree.Element(f"{{{W}}}numPr")
        etree.SubElement(num_pr, f"{{{W}}}ilvl").set(f"{{{W}}}val", level)
        etree.SubElement(num_pr, f"{{{W}}}numId").set(f"{{{W}}}val", num_id)
        after = [props.find(f"{{{W}}}{t}") for t in ("keepNext", "keepLines", "pageBreakBefore", "framePr",
                                                      "widowControl")]
        anchor = next((a for a in reversed(after) if a is not None), style)
        anchor.addnext(num_pr)


def scale_to(xml: str, paper: str) -> str:
    """The built-in letter on A5: page and margins of A5, font sizes and indents scaled to stay one page."""
    width, height, margins, scale = PAPERS[paper]
    twips = lambda mm: str(round(mm / 25.4 * 1440))  # noqa: E731
    xml = re.sub(r'<w:pgSz [^>]*/>', f'<w:pgSz w:w="{twips(width)}" w:h="{twips(height)}"/>', xml)
    xml = re.sub(r'<w:pgMar ([^>]*)/>', lambda m: "<w:pgMar " + re.sub(
        r'w:(top|bottom|left|right)="\d+"', lambda a: f'w:{a.group(1)}="{twips(margins[a.group(1)])}"',
        m.group(1)) + "/>", xml)
    xml = re.sub(r'(<w:szC?s? w:val=")(\d+)', lambda m: m.group(1) + str(max(14, round(int(m.group(2)) * scale))), xml)
    scaled = lambda m: m.group(1) + str(round(int(m.group(2)) * scale))  # noqa: E731
    xml = re.sub(r"<w:ind [^>]*/>", lambda m: re.sub(r'(w:(?:left|right|firstLine|hanging)=")(\d+)', scaled,
                                                     m.group(0)), xml)
    return re.sub(r"<w:spacing [^>]*/>", lambda m: re.sub(r'(w:(?:line|before|after)=")(\d+)', scaled, m.group(0)),
                  xml)
