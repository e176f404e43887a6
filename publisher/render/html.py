"""Jinja2 templates: a sandboxed, autoescaping environment; user templates override built-ins.

Data is only ever passed as context, never compiled as a template (SPEC §6).
"""
from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import RenderError
from ..text import cn_date


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
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=jinja2.select_autoescape(("html", "htm", "xml", "j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["cn_date"] = cn_date
    return env


def render(name: str, context: dict, user_dir: Path | None = None) -> str:
    """Render ``name`` (e.g. ``html/form.html.j2``); template faults become a RenderError naming file:line."""
    env = environment(str(user_dir) if user_dir else None)
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.filename or name}:{exc.lineno}: 错误: 模板语法错误：{exc.message}")
    except jinja2.TemplateNotFound:
        raise RenderError(f"{name}: 错误: 找不到模板文件")
    try:
        return template.render(**context)
    except jinja2.sandbox.SecurityError as exc:
        raise RenderError(f"{_where(template, exc, name)}: 错误: 模板试图执行不允许的操作（{exc}），已拒绝")
    except jinja2.UndefinedError as exc:
        raise RenderError(f"{_where(template, exc, name)}: 错误: 模板使用了不存在的变量（{exc.message}）")
    except OverflowError as exc:        # the sandbox's guard against huge ranges
        raise RenderError(f"{_where(template, exc, name)}: 错误: 模板试图执行不允许的操作（{exc}），已拒绝")
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        raise RenderError(f"{_where(template, exc, name)}: 错误: 模板运行出错（{type(exc).__name__}: {exc}）")


def _where(template, exc: BaseException, name: str) -> str:
    """file:line of the template line that failed (Jinja2 rewrites tracebacks to template lines)."""
    filename = template.filename or name
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == template.filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f"{filename}:{line}" if line else filename
