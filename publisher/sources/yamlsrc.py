"""YAML reading that remembers the line of every key and list item.

``load_yaml`` returns plain dicts and lists subclassed as ``LDict``/``LList``
that carry ``.line`` (the node's own line) and ``.lines`` (line of each key or
item), so checks can point at ``FILE:LINE``.  Duplicate keys are findings, not
silent overwrites.

A YAML file is refused when it is larger than ``limits.MAX_YAML_BYTES`` or holds
more than ``limits.MAX_YAML_NODES`` values (PyYAML takes ~1 KB and 20 µs a node), when
its aliases (``*name``) would expand into more than ``limits.MAX_ALIAS_NODES``
nodes (a "billion laughs" file of 1 KB expands into 10^9 of them) or refer to
themselves, and when a value is longer than an Excel cell holds (a notice's
``body``: ``limits.MAX_BODY_CHARS``).  Control characters written as escapes
(``"\x1b"``) are removed from every value with a finding (``controls.py``).
"""
from __future__ import annotations

from pathlib import Path

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..errors import Findings, Location, SourceError
from . import limits
from .controls import clean
from .grid import too_long


class LDict(dict):
    line: int = 0
    lines: dict

    def line_of(self, key, default: int | None = None) -> int:
        return self.lines.get(key, default if default is not None else self.line)


class LList(list):
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader building LDict/LList and reporting duplicate keys."""

    def __init__(self, stream, findings: Findings, file: str):
        super().__init__(stream)
        self._findings = findings
        self._file = file
        self._sizes: dict[int, int] = {}       # id(node) -> nodes it stands for, aliases expanded
        self._expanded = 0                     # nodes added by aliases so far
        self._nodes = 0                        # nodes composed (aliases not counted)

    def compose_node(self, parent, index):
        """Compose as PyYAML does, counting what aliases expand to and refusing overlong values."""
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None:
                self._alias(event, node)
            return super().compose_node(parent, index)
        event = self.peek_event()
        self._nodes += 1
        if self._nodes > limits.MAX_YAML_NODES:
            raise SourceError(Location(self._file, line=event.start_mark.line + 1), f"YAML 文件的内容超过 "
                              f"{limits.MAX_YAML_NODES:,} 项，读取已停止；大量数据请用 Excel 工作簿（.xlsx）")
        node = super().compose_node(parent, index)
        if isinstance(node, ScalarNode):
            limit = limits.MAX_BODY_CHARS if isinstance(index, ScalarNode) and index.value == "body" \
                else limits.MAX_CELL_CHARS
            if len(node.value) > limit:
                loc = Location(self._file, line=node.start_mark.line + 1)
                raise too_long(loc, len(node.value), limit, "这个值")
            self._sizes[id(node)] = 1
        elif isinstance(node, SequenceNode):
            self._sizes[id(node)] = 1 + sum(self._sizes[id(child)] for child in node.value)
        elif isinstance(node, MappingNode):
            self._sizes[id(node)] = 1 + sum(self._sizes[id(k)] + self._sizes[id(v)] for k, v in node.value)
        return node

    def _alias(self, event, node) -> None:
        line = event.start_mark.line + 1
        size = self._sizes.get(id(node))
        if size is None:
            raise SourceError(Location(self._file, line=line), f"别名 *{event.anchor} 引用了包含它自己的内容"
                              "（循环引用），无法读取；请删除这个别名")
        self._expanded += size
        if self._expanded > limits.MAX_ALIAS_NODES:
            raise SourceError(Location(self._file, line=line), f"别名（*…）展开后的内容超过 {limits.MAX_ALIAS_NODES:,} 项"
                              f"（到 *{event.anchor} 为止），未予读取；请直接写出内容，不要用别名层层复制")

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        if isinstance(value, str):
            value = clean(value, Location(self._file, line=node.start_mark.line + 1), self._findings)
        return value

    def construct_mapping(self, node, deep=False):
        result = LDict()
        result.line = node.start_mark.line + 1
        result.lines = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "unhashable key", key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in result:
                self._findings.error(
                    Location(self._file, line=line), "yaml.duplicate_key",
                    f"键“{key}”重复出现（第{result.lines[key]}行已有），请删除或合并其中一个",
                    field=str(key))
            result[key] = self.construct_object(value_node, deep=True)
            result.lines[key] = line
        return result

    def construct_sequence(self, node, deep=False):
        result = LList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))
_Loader.add_constructor("tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node))


def read_text(path: Path, display: str) -> str:
    """Read a text file as UTF-8 (BOM allowed) or GB18030, as Chinese Windows saves it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(Location(display), f"无法读取文件（{exc.strerror}）")
    head = raw[:4096]
    if b"\x00\x00" in head or head.count(b"\x00") > max(2, len(head) // 100):   # one NUL in a name: a finding
        raise SourceError(Location(display), "不是文本文件，请检查文件是否损坏")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    if b"\x00" in head:
        raise SourceError(Location(display), "不是文本文件，请检查文件是否损坏")
    raise SourceError(Location(display), "文件编码无法识别，请另存为 UTF-8 编码")


# PyYAML's problems, said in Chinese (the English text stays in brackets for a maintainer).
_PROBLEMS = (
    ("found character '\\t'", "用了制表符（Tab）缩进；YAML 只能用空格缩进"),
    ("mapping values are not allowed", "这一行的缩进不对，或冒号后少了空格"),
    ("did not find expected key", "缩进与上下行不一致"),
    ("expected <block end>", "缩进与上下行不一致"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前就结束了（缺少右引号或右括号）"),
    ("found unexpected ':'", "冒号的位置不对（冒号后要有空格；含冒号的文字请加引号）"),
    ("expected ',' or ']'", "方括号 [ ] 没有闭合"),
    ("expected ',' or '}'", "花括号 { } 没有闭合"),
    ("could not determine a constructor", "含有不支持的标签（以 ! 开头），出于安全原因不予执行"),
    ("found undefined alias", "引用了未定义的别名（*…）"),
    ("unhashable key", "键不能是列表或键值对"),
)


def _explain(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if english in problem:
            return f"{chinese}（{problem}）"
    return f"请检查缩进、冒号和引号（{problem}）"


def load_yaml(path: Path, display: str, findings: Findings):
    """Parse a YAML file; syntax errors become a SourceError naming the line."""
    size = path.stat().st_size
    if size > limits.MAX_YAML_BYTES:
        raise SourceError(Location(display), f"YAML 文件有 {limits.size_text(size)}，超过上限 "
                          f"{limits.size_text(limits.MAX_YAML_BYTES)}；大量数据请用 Excel 工作簿（.xlsx）")
    text = read_text(path, display)
    if not text.strip():
        raise SourceError(Location(display), "文件是空的")
    try:
        loader = _Loader(text, findings, display)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise SourceError(Location(display, line=line), f"文件含有不可显示的控制字符（U+{exc.character:04X}），"
                          "不是正常的 YAML 文本；请用文本编辑器删除该字符后另存为 UTF-8")
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = Location(display, line=line)
        if exc.context_mark and "quoted scalar" in (exc.context or ""):
            opened = exc.context_mark.line + 1       # where the quote opened, not where the file ended
            raise SourceError(Location(display, line=opened), f"YAML 格式有误：第{opened}行的引号没有闭合，请补上右引号")
        raise SourceError(where, f"YAML 格式有误：{_explain(exc.problem or exc.context or '')}")
    except yaml.YAMLError as exc:
        raise SourceError(Location(display), f"YAML 格式有误（{exc}）")
    except RecursionError:
        raise SourceError(Location(display), "文件嵌套层次过深，无法读取")
    finally:
        loader.dispose()
