"""Jinja2 templates: a sandboxed, autoescaping environment; user templates override built-ins.

Data is only ever passed as context, never compiled as a template (SPEC §6).
"""
from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from ..errors import RenderError
from ..text import cn_date
from . import sandbox


def builtin_templates() -> Path:
    """The shipped templates/ folder (the repository's, or the installed package's)."""
    package = Path(__file__).resolve().parents[1]
    repo = package.parent / "templates"
    if repo.is_dir() and (package.parent / "pyproject.toml").is_file():
        return repo
    return package / "templates"            # installed: shipped as publisher.templates


@functools.lru_cache(maxsize=8)
def environment(user_dir: str | None = None) -> jinja2.Environment:
    search = ([user_dir] if user_dir else []) + [str(builtin_templates())]
    return sandbox.environment(loader=sandbox.ConfinedLoader(search), filters={"cn_date": cn_date},
                               trim_blocks=True, lstrip_blocks=True)


def render(name: str, context: dict, user_dir: Path | None = None) -> str:
    """Render ``name`` (e.g. ``html/form.html.j2``) in the sandbox; a failure is a RenderError naming file:line."""
    env = environment(str(user_dir) if user_dir else None)
    template = None
    try:
        template = env.get_template(name)
        return template.render(**context)
    except sandbox.FAILURES as exc:
        raise RenderError(f"{_where(exc, template, name)}: 错误: {sandbox.describe(exc)}") from None


def _where(exc: BaseException, template, name: str) -> str:
    """file:line of the template line that failed (the innermost template, when one includes another)."""
    filename, line = sandbox.template_line(exc)
    filename = filename or getattr(exc, "path", None) or (template.filename if template is not None else None) or name
    return f"{filename}:{line}" if line else filename
