"""Word mail-merge fields as template tags: a school's 邮件合并 template works as it is.

Word keeps a merge field either as ``<w:fldSimple w:instr=" MERGEFIELD 姓名 ">`` or as
runs: ``fldChar begin`` · ``instrText MERGEFIELD 姓名 \\* MERGEFORMAT`` · ``fldChar
separate`` · the result («姓名») · ``fldChar end``.  ``convert`` turns each into one
run, in the result's formatting, holding ``{{ 字段["姓名"] }}``, so it is filled per
student exactly like a Jinja tag typed into the document (and checked the same way).

Also converted: the ``\\b`` / ``\\f`` switches (text before / after a field that is not
empty); ``IF`` fields comparing merge fields (``{ IF { MERGEFIELD 性别 } = "女"
"女生公寓" "男生公寓" }``) become ``{% if %}``; ``NEXT`` fields are dropped (one
letter is one record); «姓名» typed as plain text counts as a field too.  A field
that still holds a merge field after this (``ASK``, ``SET`` …) is reported, never
left in a letter.
"""
from __future__ import annotations

import copy
import json
import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SEAL = "印章"
_MERGE = re.compile(r'^\s*MERGEFIELD\s+(?:"([^"]*)"|(\S+))(.*)$', re.I | re.S)
_SWITCH = re.compile(r'\\([bf])\s+(?:"([^"]*)"|(\S+))')
_LITERAL = re.compile(r"«([^«»\s]{1,40})»")
_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"?|<>|<=|>=|=|<|>|[^\s"<>=]+)', re.S)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def field_tag(name: str) -> str:
    """The Jinja expression of a field by its name as typed; 印章 stays the seal mark."""
    name = name.strip().strip("«»")
    return SEAL if name == SEAL else f"字段[{json.dumps(name, ensure_ascii=False)}]"


def convert(root) -> list[str]:
    """Rewrite merge fields under ``root`` (an lxml element) in place; the problems, in Chinese."""
    problems: list[str] = []
    for simple in list(root.iter(w("fldSimple"))):
        _replace_simple(simple, problems)
    _replace_complex(root, problems)
    for text in root.iter(w("t")):
        if text.text and "«" in text.text:
            text.text = _LITERAL.sub(lambda m: "{{ " + field_tag(m.group(1)) + " }}", text.text)
    return problems


def _jinja(parts, problems: list[str]) -> str | None:
    """The template text for a field's instruction (``parts``: text and ("field", name) items), or
    None when the field is no merge field and stays as it is (PAGE, DATE …)."""
    head = "".join(p for p in parts if isinstance(p, str)).strip().split(" ", 1)[0].upper()
    fields = [p[1] for p in parts if not isinstance(p, str)]
    text = "".join(p if isinstance(p, str) else "\x00" for p in parts)
    if head == "MERGEFIELD":
        match = _MERGE.match(text)
        if not match or not (match.group(1) or match.group(2)):
            problems.append(f"合并域“{text.strip()}”没有写域名")
            return ""
        tag = field_tag(match.group(1) if match.group(1) is not None else match.group(2))
        switches = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                    for m in _SWITCH.finditer(match.group(3))}
        if tag == SEAL or not switches:
            return "{{ " + tag + " }}"
        return (f"{{% if {tag} %}}{_escape(switches.get('b', ''))}{{{{ {tag} }}}}"
                f"{_escape(switches.get('f', ''))}{{% endif %}}")
    if head in ("NEXT", "NEXTIF", "SKIPIF"):
        return ""
    if head == "IF" and fields:
        converted = _if(parts)
        if converted is None:
            problems.append(f"IF 域“{_shown(parts)}”无法转换；请改用 {{% if 字段 == '值' %}}…{{% else %}}…{{% endif %}}")
            return ""
        return converted
    if fields:
        problems.append(f"域“{_shown(parts)}”中含有合并域，publisher 不支持这种域；请改用 {{{{ 字段名 }}}}")
        return ""
    return None


def _shown(parts) -> str:
    return "".join(p if isinstance(p, str) else f"«{p[1]}»" for p in parts).strip()


def _escape(text: str) -> str:
    return text.replace("{", "{{ '{' }}") if "{" in text else text


def _if(parts) -> str | None:
    """{ IF «性别» = "女" "女生公寓" "男生公寓" } → {% if 字段["性别"] == "女" %}女生公寓{% else %}男生公寓{% endif %}."""
    tokens = []                                     # ("field", name) | ("text", str, quoted) | ("op", str)
    for part in parts:
        if not isinstance(part, str):
            if tokens and tokens[-1][0] == "text" and tokens[-1][2] == "open":
                tokens[-1] = ("text", tokens[-1][1] + [part], "open")
            else:
                tokens.append(("field", part[1]))
            continue
        rest = part
        while rest:
            if tokens and tokens[-1][0] == "text" and tokens[-1][2] == "open":
                end = re.search(r'(?<!\\)"', rest)
                upto = rest[:end.start()] if end else rest
                tokens[-1] = ("text", tokens[-1][1] + [upto], "closed" if end else "open")
                rest = rest[end.end():] if end else ""
                continue
            match = _TOKEN.match(rest)
            if not match or not match.group(1):
                break
            token, rest = match.group(1), rest[match.end():]
            if token.startswith('"'):
                closed = len(token) > 1 and token.endswith('"') and not token.endswith('\\"')
                tokens.append(("text", [token[1:-1] if closed else token[1:]], "closed" if closed else "open"))
            elif token in ("=", "<>", "<", ">", "<=", ">="):
                tokens.append(("op", token))
            else:
                tokens.append(("text", [token], "bare"))
    first = tokens[0] if tokens else ("op", "")
    if first[0] != "text" or "".join(p for p in first[1] if isinstance(p, str)).upper() != "IF":
        return None
    body = tokens[1:]
    if len(body) not in (4, 5) or body[1][0] != "op":
        return None
    left, op, right, yes = body[0], body[1][1], body[2], body[3]
    no = body[4] if len(body) == 5 else ("text", [""], "closed")
    if any(t[0] == "op" for t in (left, right, yes, no)):
        return None
    a, b = _operand(left), _operand(right)
    if op in ("=", "<>"):
        test = f"{a} {'==' if op == '=' else '!='} {b}"
    else:
        test = f"({a})|float(0) {op} ({b})|float(0)"
    return f"{{% if {test} %}}{_result(yes)}{{% else %}}{_result(no)}{{% endif %}}"


def _operand(token) -> str:
    if token[0] == "field":
        return field_tag(token[1])
    pieces = token[1]
    if len(pieces) == 1 and isinstance(pieces[0], tuple):
        return field_tag(pieces[0][1])
    return json.dumps("".join(p for p in pieces if isinstance(p, str)).strip(), ensure_ascii=False)


def _result(token) -> str:
    if token[0] == "field":
        return "{{ " + field_tag(token[1]) + " }}"
    return "".join(_escape(p) if isinstance(p, str) else "{{ " + field_tag(p[1]) + " }}" for p in token[1])


def _text_run(like, text: str):
    """A run holding ``text``, formatted as ``like`` (a run, or None)."""
    run = etree.Element(w("r"))
    props = like.find(w("rPr")) if like is not None else None
    if props is not None:
        run.append(copy.deepcopy(props))
    t = etree.SubElement(run, w("t"))
    t.set(XML_SPACE, "preserve")
    t.text = text
    return run


def _replace_simple(simple, problems: list[str]) -> None:
    parts = [simple.get(w("instr"), "")]
    text = _jinja(parts, problems)
    if text is None:
        return
    first = simple.find(w("r"))
    parent = simple.getparent()
    if text:
        parent.insert(parent.index(simple), _text_run(first, text))
    parent.remove(simple)


def _replace_complex(root, problems: list[str]) -> None:
    """Walk the runs in order with a stack of open fields; a finished merge field's runs become one."""
    stack: list[dict] = []
    for run in list(root.iter(w("r"))):
        if stack:
            stack[-1]["runs"].append(run)
        for child in run:
            if child.tag == w("fldChar"):
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    field = {"parts": [], "runs": [run], "result": None, "state": "instr"}
                    if stack and stack[-1]["runs"] and stack[-1]["runs"][-1] is run:
                        stack[-1]["runs"].pop()
                    stack.append(field)
                elif kind == "separate" and stack:
                    stack[-1]["state"] = "result"
                elif kind == "end" and stack:
                    _finish(stack, problems)
            elif child.tag == w("instrText") and stack and stack[-1]["state"] == "instr":
                stack[-1]["parts"].append(child.text or "")
            elif child.tag == w("t") and stack and stack[-1]["state"] == "result" and stack[-1]["result"] is None:
                stack[-1]["result"] = run


def _finish(stack: list[dict], problems: list[str]) -> None:
    field = stack.pop()
    parent_field = stack[-1] if stack else None
    names = [p[1] for p in field["parts"] if not isinstance(p, str)]
    instr = "".join(p for p in field["parts"] if isinstance(p, str))
    match = _MERGE.match(instr) if not names else None
    if parent_field is not None:
        # a field inside another field's instruction: its value takes part in the outer one
        parent_field["runs"].extend(field["runs"])
        if match and parent_field["state"] == "instr":
            name = match.group(1) if match.group(1) is not None else match.group(2)
            parent_field["parts"].append(("field", name.strip("«»")))
        elif parent_field["state"] == "instr":
            parent_field["parts"].extend(field["parts"])
        return
    text = _jinja(field["parts"], problems)
    if text is None:
        return
    runs = field["runs"]
    first, like = runs[0], field["result"] if field["result"] is not None else runs[0]
    paragraphs = {id(_paragraph(r)) for r in runs}
    if len(paragraphs) > 1:
        problems.append(f"域“{_shown(field['parts'])}”跨越了几个段落，无法转换；请把它放在一个段落中")
        return
    parent = first.getparent()
    replacement = _text_run(like, text) if text else None
    if replacement is not None:
        parent.insert(parent.index(first), replacement)
    for run in runs:
        if run.getparent() is not None:
            run.getparent().remove(run)


def _paragraph(element):
    while element is not None and element.tag != w("p"):
        element = element.getparent()
    return element
