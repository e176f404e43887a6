"""Where templates come from: files inside their folders only (SPEC §6: templates are hostile input).

A name with ``..`` is refused, and so is a file whose real path — after every
symbolic link on the way — lies outside the folder it was found in (a
``catalog_public.html.j2`` that links to ``/etc/passwd``, an ``{% include %}`` of
such a link, a ``docx/letter.docx`` that links elsewhere).  A link that stays
inside the folder is fine, and so is a templates folder that is itself a link.
"""
from __future__ import annotations

import os

import jinja2
from jinja2.loaders import split_template_path

from .sandbox_checks import TemplateLimit

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


class TemplateRefused(TemplateLimit):
    """A template file the loader will not read; ``path`` is the file."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from ``folders`` (first match wins); no name with ``..``, no file whose real path leaves its folder."""

    def __init__(self, folders):
        self.folders = [os.fspath(f) for f in folders]

    def get_source(self, environment, template):
        if ".." in template.replace("\\", "/").split("/"):
            raise TemplateRefused(f"模板名“{template}”含有“..”，已拒绝")
        pieces = split_template_path(template)
        for folder in self.folders:
            path = os.path.normpath(os.path.join(folder, *pieces))
            if not os.path.lexists(path):
                continue
            real = escapes(path, folder)
            if real:
                raise TemplateRefused(link_refused(template, real), path)
            real = os.path.realpath(path)
            if not os.path.isfile(real):
                continue
            with open(real, "rb") as handle:
                data = handle.read(MAX_TEMPLATE_BYTES + 1)
            if len(data) > MAX_TEMPLATE_BYTES:
                raise TemplateRefused(f"模板文件“{template}”超过 {MAX_TEMPLATE_BYTES // 1024 // 1024} MB，已拒绝", path)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise TemplateRefused(f"模板文件“{template}”不是 UTF-8 编码的文本，已拒绝", path) from None
            mtime = os.path.getmtime(real)
            return text, path, lambda: _same_mtime(real, mtime)
        raise jinja2.TemplateNotFound(template)


def _same_mtime(path: str, mtime: float) -> bool:
    try:
        return os.path.getmtime(path) == mtime
    except OSError:
        return False


def escapes(path, folder) -> str | None:
    """The real path of ``path`` when, through links, it lies outside ``folder``; else None."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real if os.path.commonpath([real, base]) != base else None


def link_refused(name, real: str) -> str:
    return f"模板文件“{name}”是指向模板文件夹之外（{real}）的链接，已拒绝"
