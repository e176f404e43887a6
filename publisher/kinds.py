"""The registry of document kinds and output formats.

A document kind is one declared thing (as Sphinx declares a builder): its name,
the sources it reads, the formats it makes, how it plans its documents (and so
the files it writes) and one writer per format.  ``publisher.pipeline`` runs any
kind the same way: load → check → plan → render → write.

To add a kind: a module in ``publisher/documents/`` that calls ``register(Kind(...))``
and its name in ``KIND_MODULES``.  To add a format: ``register_format`` and a writer
per kind — or, for a format made from another one (PDF/A from PDF), one
``derive`` function that every kind with the base format gets.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable, Iterator


# Document modules, in the order ``publisher build`` makes their kinds.
KIND_MODULES = (
    "publisher.documents.catalog",
    "publisher.documents.catalog_filing",
    "publisher.documents.forms",
    "publisher.documents.notice",
    "publisher.documents.admissions",
    "publisher.documents.compilation",
)


@dataclass(frozen=True)
class Format:
    name: str                       # the --format word and file extension
    label: str                      # Chinese, for messages
    derive: tuple[str, Callable] | None = None   # (base format, bytes -> bytes), e.g. PDF/A from PDF


@dataclass(frozen=True)
class Document:
    """One document a run makes: where its files go and the model its writers take."""

    kind: str
    stem: str                       # path without extension, relative to the output folder
    model: object
    label: str = ""                 # what it is, for the run's summary ("附件2 登记汇总表")
    formats: tuple[str, ...] | None = None   # a subset of the kind's formats (None: all asked for)


@dataclass(frozen=True)
class Kind:
    """A document kind: what it reads, what it makes, and how."""

    name: str
    label: str                      # Chinese name, for messages
    sources: tuple[str, ...]        # source kinds it reads; build runs it when the project has one
    formats: tuple[str, ...]        # formats it can make, in the order they are written
    plan: Callable                  # (project, options, report, **params) -> list[Document]
    writers: dict = field(default_factory=dict)    # format -> "module:function" (model, options, report) -> bytes
    render: str | None = None       # bulk kinds: "module:function" (documents, options, report) -> Iterator[(path, bytes)]
    needs: tuple[str, ...] | None = None   # a command is bad usage without one of these (None: ``sources``)
    applies: Callable | None = None  # (project) -> bool, for build; default: has one of ``sources``
    reports: Callable | None = None  # (project) -> source displays whose errors this kind reports itself

    def wants(self, project) -> bool:
        if self.applies is not None:
            return self.applies(project)
        return any(project.of_kind(k) for k in self.sources)

    def files(self, document: Document, formats) -> list[str]:
        """The files ``document`` becomes for ``formats`` (what a run declares before rendering)."""
        made = document.formats or self.formats
        return [f"{document.stem}.{fmt}" for fmt in formats if fmt in made or _derived_from(fmt) in made]

    def render_documents(self, documents: list[Document], options, report) -> Iterator[tuple[str, bytes]]:
        """(relative path, bytes) of every file of ``documents`` in ``options.formats``."""
        if self.render is not None:
            yield from resolve(self.render)(documents, options, report)
            return
        for document in documents:
            made = document.formats or self.formats
            cache: dict[str, bytes] = {}
            for fmt in options.formats:
                base = _derived_from(fmt)
                if fmt in made and fmt in self.writers:
                    cache[fmt] = resolve(self.writers[fmt])(document.model, options, report)
                    yield f"{document.stem}.{fmt}", cache[fmt]
                elif base in made and base in self.writers:
                    data = cache.get(base) or resolve(self.writers[base])(document.model, options, report)
                    yield f"{document.stem}.{fmt}", FORMATS[fmt].derive[1](data)


FORMATS: dict[str, Format] = {}
KINDS: dict[str, Kind] = {}


def register_format(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


def register(kind: Kind) -> Kind:
    unknown = [f for f in kind.formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"kind {kind.name}: unregistered formats {unknown}")
    KINDS[kind.name] = kind
    return kind


def resolve(target):
    """A writer named "package.module:function" (imported on first use, so a kind's module never
    imports its renderers and no import circle forms), or a callable as it is."""
    if callable(target):
        return target
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _derived_from(fmt: str) -> str | None:
    spec = FORMATS.get(fmt)
    return spec.derive[0] if spec and spec.derive else None


def kinds() -> list[Kind]:
    """Every registered kind, in build order (importing the document modules on first use)."""
    for module in KIND_MODULES:
        importlib.import_module(module)
    order = {m: i for i, m in enumerate(KIND_MODULES)}
    return sorted(KINDS.values(), key=lambda k: order.get(k.plan.__module__, len(order)))


def kind(name: str) -> Kind:
    kinds()
    return KINDS[name]


def formats_of(names) -> tuple[str, ...]:
    """Formats any of the kinds ``names`` can make (derived formats included), in registry order."""
    made = {f for n in names for f in kind(n).formats}
    return tuple(f for f in FORMATS if f in made or _derived_from(f) in made)


for _fmt in (Format("docx", "Word 文档"), Format("pdf", "PDF"), Format("xlsx", "Excel 工作簿"),
             Format("html", "网页")):
    register_format(_fmt)
