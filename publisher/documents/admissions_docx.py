"""Letters as DOCX: the letter template filled for each student, alone or a school's in one document.

``Kit`` is what a run hands its worker processes (plain data: the read template,
the fields shared by every letter, the ZIP date).  Each process compiles the
template once (``Kit.filler``); a student's letter is then one fill and one ZIP
write, a school's letters one ``letter_book.Book``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..render import docx_fill
from . import letter_fields
from .letter_book import Book
from .letter_template import SECTION, LetterTemplate

_compiled: dict = {}                    # id of a Kit -> (Filler, Book), per process


@dataclass
class Kit:
    """One run's template and the fields every letter shares."""

    template: LetterTemplate
    shared: dict
    aliases: dict
    when: dt.datetime
    key: str = field(default="")         # identifies the kit across processes (the compiled cache)

    def filler(self) -> docx_fill.Filler:
        return self._compiled()[0]

    def book(self) -> Book:
        return self._compiled()[1]

    def _compiled(self):
        if self.key not in _compiled:
            _compiled.clear()
            filler = docx_fill.Filler(self.template.template)
            _compiled[self.key] = (filler, Book(filler))
        return _compiled[self.key]

    def fill(self, letter) -> dict[str, str]:
        """The template's parts filled for ``letter``."""
        context = letter_fields.context(letter, self.shared, self.aliases)
        return self.filler().fill(context, f"（{letter.school} {letter.number} {letter.name}）")


def prepare(template: LetterTemplate, letter_set, date=None) -> Kit:
    import hashlib
    from ..render.package import build_date
    digest = hashlib.sha256()
    for name, source in sorted(template.template.sources.items()):
        digest.update(name.encode() + b"\0" + source.encode() + b"\0")
    for name, data in sorted(template.template.static.items()):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return Kit(template, letter_set.shared, letter_set.aliases, build_date(date or letter_set.date),
               digest.hexdigest())


def student_docx(kit: Kit, letter) -> bytes:
    """One student's letter as a DOCX."""
    filled = kit.fill(letter)
    document = kit.template.template.document
    if document in filled:
        filled[document] = filled[document].replace(SECTION, "")
    return kit.filler().docx(filled, kit.when)


def combined_docx(kit: Kit, letters, marks: bool = False) -> bytes:
    """Every letter of ``letters`` in one DOCX, each its own section (``marks``: bookmarks for the PDF)."""
    return kit.book().docx((kit.fill(letter) for letter in letters), kit.when, marks)
