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


def load_yaml(path: Path, display: str, findings: Findings):
    """Parse a YAML file; syntax errors become a SourceError naming the line."""
    text = read_text(path, display)
    if not text.strip():
        raise SourceError(f"{display}: 错误: 文件是空的")
    loader = _Loader(text, findings, display)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = f"{display}:{line}" if line else display
        raise SourceError(f"{where}: 错误: YAML 格式有误（{exc.problem or exc.context}），"
                          "请检查缩进、冒号和引号")
    except yaml.YAMLError as exc:
        raise SourceError(f"{display}: 错误: YAML 格式有误（{exc}）")
    finally:
        loader.dispose()
