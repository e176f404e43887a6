"""YAML reading that remembers the line of every key and list item.

``load_yaml`` returns plain dicts and lists subclassed as ``LDict``/``LList``
that carry ``.line`` (the node's own line) and ``.lines`` (line of each key or
item), so checks can point at ``FILE:LINE``.  Duplicate keys are findings, not
silent overwrites.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Findings, Location, SourceError


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
        raise SourceError(f"{display}: 错误: 无法读取文件（{exc.strerror}）")
    if b"\x00" in raw[:4096]:
        raise SourceError(f"{display}: 错误: 不是文本文件，请检查文件是否损坏")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(f"{display}: 错误: 文件编码无法识别，请另存为 UTF-8 编码")


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
    text = read_text(path, display)
    if not text.strip():
        raise SourceError(f"{display}: 错误: 文件是空的")
    try:
        loader = _Loader(text, findings, display)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise SourceError(f"{display}:{line}: 错误: 文件含有不可显示的控制字符（U+{exc.character:04X}），"
                          "不是正常的 YAML 文本；请用文本编辑器删除该字符后另存为 UTF-8")
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = f"{display}:{line}" if line else display
        if exc.context_mark and "quoted scalar" in (exc.context or ""):
            opened = exc.context_mark.line + 1       # where the quote opened, not where the file ended
            raise SourceError(f"{display}:{opened}: 错误: YAML 格式有误：第{opened}行的引号没有闭合，请补上右引号")
        raise SourceError(f"{where}: 错误: YAML 格式有误：{_explain(exc.problem or exc.context or '')}")
    except yaml.YAMLError as exc:
        raise SourceError(f"{display}: 错误: YAML 格式有误（{exc}）")
    finally:
        loader.dispose()
