"""File and folder names made from people's text (schools, cities, students, source stems).

Every output name that carries user text goes through ``safe_name``; names that
share one folder go through a ``Names`` book, so outputs are unique by construction.

``safe_name(text, tail)`` — one path component that every file system we meet takes
(NTFS and FAT on Windows, ext4, APFS):

1. Unicode NFC (macOS hands out decomposed names; a name is one thing, however typed).
2. Whitespace runs and the characters Windows refuses (``< > : " / \\ | ? *``) become
   one ``_``; control characters (Cc), format characters (Cf: bidi marks, zero-width
   spaces, BOM) and lone surrogates are dropped.
3. Leading and trailing ``.``, ``_`` and spaces go: no ``.``/``..``, no hidden file,
   no trailing dot or space (Windows drops them silently).
4. Cut on a character boundary to ``LIMIT - ROOM`` UTF-8 bytes, ``tail`` included
   (``LIMIT`` is 255 bytes per component; ``ROOM`` leaves space for ``-2`` and for
   suffixes such as ``-备案报告.docx`` added after the stem).
5. Empty → ``default``; a Windows device name (``CON``, ``PRN``, ``AUX``, ``NUL``,
   ``COM0``–``COM9``, ``LPT0``–``LPT9``, with or without an extension) gets ``_``
   after its base (``CON.txt`` → ``CON_.txt``).

``Names`` — the names inside one folder.  Names are compared after NFC and
case folding, as Windows and macOS folders compare them.  The first text (in the
order given: catalog order, number order) keeps the plain name; a later text
whose safe name is taken gets ``-2``, ``-3``, … before its tail, and the clash is
returned so the caller can say so (a warning naming both originals).  We
disambiguate rather than refuse: the names are legitimate (two real schools), and
the clerk cannot rename a school to please a file system.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

LIMIT = 255                       # bytes per path component (ext4, XFS, Btrfs, APFS; NTFS allows more for CJK)
ROOM = 40                         # bytes kept free for what is appended after a safe stem
_SUPERSCRIPTS = "¹²³"
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
                     | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789" + _SUPERSCRIPTS})
_FORBIDDEN = '<>:"/\\|?*'
_REPLACED = re.compile(r'[\s<>:"/\\|?*]+')
_DROPPED = {"Cc", "Cf", "Cs"}
_EDGES = " ._"


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", str(text))
    text = _REPLACED.sub("_", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED)
    return _REPLACED.sub("_", text).strip(_EDGES)        # dropping may have joined two runs


def _cut(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` whose UTF-8 form fits ``max_bytes`` (never half a character)."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max(0, max_bytes)].decode("utf-8", "ignore").rstrip(_EDGES)


def _unreserved(name: str) -> str:
    base, dot, rest = name.partition(".")
    if base.rstrip(" ").upper() in RESERVED:
        return f"{base}_{dot}{rest}"
    return name


def safe_name(text, tail: str = "", default: str = "未命名", max_bytes: int | None = None) -> str:
    """``text`` as one file or folder name, with ``tail`` (a known-safe ending such as ``.docx``) appended.

    ``max_bytes`` limits the part made from ``text`` further (a city inside a longer stem).
    """
    budget = LIMIT - ROOM - len(tail.encode("utf-8"))
    if max_bytes is not None:
        budget = min(budget, max_bytes)
    stem = _cut(_clean(text), budget) or default
    return _unreserved(stem + tail)


def is_safe(name: str) -> bool:
    """True when ``name`` obeys the rules ``safe_name`` makes names by (a last check on every write)."""
    return (bool(name) and name == unicodedata.normalize("NFC", name)
            and not any(ch in _FORBIDDEN or (ch.isspace() and ch != " ") or unicodedata.category(ch) in _DROPPED
                        for ch in name)
            and name[0] not in " ." and name[-1] not in " ."
            and _unreserved(name) == name and len(name.encode("utf-8")) <= LIMIT)


def fold(name: str) -> str:
    """The form under which two names are the same file on Windows and macOS."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class Clash:
    """``text`` wanted ``plain`` (held by ``first``, "" for publisher's own file) and got ``name`` instead."""

    text: str
    first: str
    plain: str
    name: str

    @property
    def other(self) -> str:
        return f"“{self.first}”" if self.first else " publisher 自己的输出文件"


class Names:
    """Unique safe names inside one folder, handed out in the order asked for."""

    def __init__(self, taken: Iterable[str] = ()):
        self._owner: dict[str, str] = {fold(n): "" for n in taken}     # "": publisher's own file

    def taken(self, name: str) -> bool:
        return fold(name) in self._owner

    def claim(self, text, tail: str = "", default: str = "未命名") -> tuple[str, Clash | None]:
        """(name, None) when ``text``'s safe name is free, else (``<stem>-N<tail>``, the clash)."""
        plain = safe_name(text, tail, default)
        if fold(plain) not in self._owner:
            self._owner[fold(plain)] = str(text)
            return plain, None
        stem = plain[:len(plain) - len(tail)] if tail else plain
        n = 2
        while fold(f"{stem}-{n}{tail}") in self._owner:
            n += 1
        name = f"{stem}-{n}{tail}"
        self._owner[fold(name)] = str(text)
        return name, Clash(str(text), self._owner[fold(plain)], plain, name)


def clash_text(clash: Clash) -> str:
    """The warning a run prints when it had to rename an output (both originals named)."""
    return f"“{clash.text}”与{clash.other}用作文件名时相同（“{clash.plain}”），改用“{clash.name}”"
