"""Findings (located problems in the user's sources) and the exception family.

Policy (as WeasyPrint's logger states its own):
- an *error* finding means nothing is produced; a *warning* finding is printed
  and outputs are still made;
- library code raises a ``PublisherError`` subclass or returns findings; only the
  CLI turns them into messages and exit codes;
- a Python traceback on bad input is a bug in publisher, never the user's fault.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from typing import Iterable, Iterator

ERROR = "error"
WARNING = "warning"
LEVEL_TEXT = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Location:
    """Where a value sits: a workbook cell, a CSV row, a YAML line, or a whole file."""

    file: str
    sheet: str | None = None
    row: int | None = None          # Excel/CSV row number (1-based)
    column: str | None = None       # Excel column letter
    line: int | None = None         # YAML line (1-based)

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.file}:{self.line}"
        if self.row is not None:
            cell = f"{self.column or ''}{self.row}" if self.column else f"第{self.row}行"
            return f"{self.file}:{self.sheet}!{cell}" if self.sheet else f"{self.file}:{cell}"
        if self.sheet:
            return f"{self.file}:{self.sheet}"
        return self.file

    def at(self, **changes) -> "Location":
        data = dict(file=self.file, sheet=self.sheet, row=self.row, column=self.column, line=self.line)
        data.update(changes)
        return Location(**data)


@dataclass(frozen=True)
class Finding:
    """One located problem: an error (blocks output) or a warning."""

    location: Location
    level: str
    code: str
    message: str
    field: str | None = None

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def __str__(self) -> str:
        return f"{self.location}: {LEVEL_TEXT[self.level]}: {self.message}"

    def as_json(self) -> dict:
        loc = self.location
        return {
            "file": loc.file,
            "sheet": loc.sheet,
            "row": loc.row if loc.row is not None else loc.line,
            "column": loc.column,
            "field": self.field,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }

    def sort_key(self):
        loc = self.location
        return (loc.file, loc.sheet or "", loc.row or loc.line or 0, loc.column or "", self.code)


@dataclass
class Findings:
    """An ordered, de-duplicated collection of findings."""

    items: list[Finding] = dc_field(default_factory=list)

    def __post_init__(self) -> None:
        # a set beside the list: de-duplicating 100,000 rows' findings by list scan was quadratic
        self._seen = set(self.items)

    def _keep(self, finding: Finding) -> None:
        if len(self._seen) != len(self.items):       # items changed from outside: resynchronise
            self._seen = set(self.items)
        if finding not in self._seen:
            self._seen.add(finding)
            self.items.append(finding)

    def add(self, location: Location, level: str, code: str, message: str, field: str | None = None) -> Finding:
        finding = Finding(location, level, code, message, field)
        self._keep(finding)
        return finding

    def error(self, location: Location, code: str, message: str, field: str | None = None) -> Finding:
        return self.add(location, ERROR, code, message, field)

    def warning(self, location: Location, code: str, message: str, field: str | None = None) -> Finding:
        return self.add(location, WARNING, code, message, field)

    def extend(self, other: Iterable[Finding]) -> None:
        for finding in other:
            self._keep(finding)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if not f.is_error]

    @property
    def has_errors(self) -> bool:
        return any(f.is_error for f in self.items)

    def sorted(self) -> list[Finding]:
        return sorted(self.items, key=Finding.sort_key)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class PublisherError(Exception):
    """Base of every error publisher raises on purpose; the CLI prints it in Chinese."""

    exit_code = 1

    def __init__(self, message: str, findings: Iterable[Finding] = ()):
        super().__init__(message)
        self.message = message
        self.findings = list(findings)


class SourceError(PublisherError):
    """A source could not be read at all (not a workbook, encrypted, broken YAML...).

    Carries where as data (``location``) and what (``problem``); ``message`` is the two
    as printed (``FILE:LINE: 错误: …``)."""

    def __init__(self, location: Location, problem: str):
        super().__init__(f"{location}: {LEVEL_TEXT[ERROR]}: {problem}")
        self.location = location
        self.problem = problem


class CheckFailed(PublisherError):
    """Checks found errors, so nothing is produced."""


class UsageError(PublisherError):
    """The command was called wrongly (exit status 2)."""

    exit_code = 2


class RenderError(PublisherError):
    """A template or renderer failed on valid data."""
