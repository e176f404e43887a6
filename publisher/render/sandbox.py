"""The one Jinja2 environment every template of the product runs in (SPEC §6): HTML and DOCX alike.

Templates are input like any other (a school's ``letter.docx``, an office's
``templates:`` folder) and are treated as hostile:

- Jinja2's ``ImmutableSandboxedEnvironment``: no ``_`` attributes, no mutation of
  lists and dicts, so no way from ``''.__class__`` to ``os.popen``; autoescape always on.
- **time**: each render has a deadline (``SECONDS``), checked on every loop
  iteration (every ``{% for %}`` iterates through ``sandbox_iter``, so a loop with
  an empty body is stopped too), call, attribute and item lookup, operator and
  filter; on a process's main thread a SIGALRM timer backs it up.  The
  checks need no signal, so they work in worker processes and in any thread.
- **size**: the output, every value a template makes and all of them added up are bounded, and
  operators that multiply (``'x'*10**10``, ``10**(10**10)``) are refused before they
  allocate (``sandbox_checks``).
- **depth**: macros and recursive loops nest at most ``MAX_DEPTH`` deep.
- **files**: ``ConfinedLoader`` reads no file outside its folders (no ``..``, no
  symlink that leads out) and none larger than ``MAX_TEMPLATE_BYTES``.

A refusal is a ``TemplateLimit`` (a ``SecurityError``) with a Chinese message;
``describe(exc)`` words any template failure for the user and ``template_line(exc)``
finds the template file and line it happened on.
"""
from __future__ import annotations

import functools
import signal
import threading
import time
from contextlib import contextmanager

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from . import sandbox_checks as checks
from .sandbox_checks import MAX_TEXT, TemplateLimit, TooLarge
from .template_files import ConfinedLoader, TemplateRefused, escapes, link_refused  # noqa: F401 (the sandbox's API)

SECONDS = 10.0                      # wall time of one render
MAX_DEPTH = 50                      # nested macro calls and recursive loops
MAX_MADE = 128 * 1024 * 1024        # characters of all the strings one render makes, added up

# What a template can make go wrong; the callers turn these into located RenderErrors.
FAILURES = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError,
            RecursionError, MemoryError, OSError)

_local = threading.local()


class TooSlow(TemplateLimit):
    pass


class TooDeep(TemplateLimit):
    pass


# ---------------------------------------------------------------- time and depth
def _tick() -> None:
    deadline = getattr(_local, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise TooSlow(f"模板运行超过 {_local.seconds:g} 秒仍未结束（可能是没有尽头的循环），已停止")


@contextmanager
def limits(seconds: float | None = None):
    """The deadline of one render (``SECONDS``); nested renders (includes, a DOCX's parts) share the outer one."""
    if getattr(_local, "deadline", None) is not None:
        yield
        return
    seconds = seconds or SECONDS
    _local.deadline, _local.seconds = time.monotonic() + seconds, seconds
    _local.depth = _local.output = _local.made = 0
    armed = _arm(seconds + 1)
    try:
        yield
    finally:
        _local.deadline = None
        _disarm(armed)


def _arm(seconds: float):
    """SIGALRM as a backstop for Python code that no hook sees; main thread only, and never over another timer."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return None
    if signal.getitimer(signal.ITIMER_REAL)[0]:
        return None
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return (previous,)


def _disarm(armed) -> None:
    if armed is not None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, armed[0] if armed[0] is not None else signal.SIG_DFL)


def _on_alarm(signum, frame) -> None:
    if getattr(_local, "deadline", None) is not None:
        _local.deadline = time.monotonic() - 1
        _tick()


# ---------------------------------------------------------------- the environment
class _Guard(NodeTransformer):
    """Rewrites a parsed template so that limits are checked where Jinja2 has no hook of its own.

    Loops iterate through ``sandbox_iter``; ``a ~ b`` is measured by ``sandbox_sized``;
    everything output (also into ``{% set %}`` blocks and macros, which Jinja2
    buffers) is counted by ``sandbox_out``, which each ``{{ … }}`` goes through and
    which adds the length of the text around it.  They are context filters, so
    Jinja2 never folds them into constants at compile time.
    """

    def __init__(self, environment):
        self.environment = environment

    def _wrap(self, name: str, node):
        wrapped = nodes.Filter(node, name, [], [], None, None)
        return wrapped.set_lineno(node.lineno).set_environment(self.environment)

    def visit_For(self, node):
        node = self.generic_visit(node)
        node.iter = self._wrap("sandbox_iter", node.iter)
        return node

    def visit_Concat(self, node):
        return self._wrap("sandbox_sized", self.generic_visit(node))

    def visit_Output(self, node):
        node = self.generic_visit(node)
        static = sum(len(child.data) for child in node.nodes if isinstance(child, nodes.TemplateData))
        dynamic = [i for i, child in enumerate(node.nodes) if not isinstance(child, nodes.TemplateData)]
        for i in dynamic:
            node.nodes[i] = self._wrap("sandbox_out", node.nodes[i])
        if static:
            target = node.nodes[dynamic[0]] if dynamic else self._wrap("sandbox_out", nodes.Const(""))
            target.args.append(nodes.Const(static).set_lineno(node.lineno))
            if not dynamic:
                node.nodes.append(target.set_lineno(node.lineno))
        return node


@jinja2.pass_context
def _iterate(context, iterable):
    for item in iterable:
        _tick()
        yield item


def _made(value):
    """``value`` once it is within the size limits; the strings a render makes are added up (``MAX_MADE``),
    so a template cannot keep many large values alive at once."""
    checks.sized(value)
    if isinstance(value, (str, bytes)) and getattr(_local, "deadline", None) is not None:
        _local.made += len(value)
        if _local.made > MAX_MADE:
            raise TooLarge(f"模板在一次生成中创建的内容超过 {MAX_MADE:,} 个字符，已停止")
    return value


@jinja2.pass_context
def _sized(context, value):
    return _made(value)


@jinja2.pass_context
def _out(context, value, static: int = 0):
    """``value`` unchanged, its length and the ``static`` text around it added to this render's output."""
    if getattr(_local, "deadline", None) is not None:
        kind = type(value)
        _local.output += static + (len(value) if kind is str or kind is Markup else
                                   0 if kind is int or kind is float else len(str(value)))
        if _local.output > MAX_TEXT:
            raise TooLarge(f"模板生成的内容超过 {MAX_TEXT:,} 个字符，已停止")
    return value


INTERNAL_FILTERS = {"sandbox_iter": _iterate, "sandbox_sized": _sized, "sandbox_out": _out}


class LimitedTemplate(jinja2.Template):
    """Every render and stream runs under ``limits()``."""

    def render(self, *args, **kwargs) -> str:
        with limits():
            return super().render(*args, **kwargs)

    def generate(self, *args, **kwargs):
        with limits():
            yield from super().generate(*args, **kwargs)


class SandboxEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed, autoescaping, with limits on time, size and depth (see the module's docstring)."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})
    template_class = LimitedTemplate

    def __init__(self, filters: dict | None = None, **options):
        options.setdefault("undefined", jinja2.StrictUndefined)
        super().__init__(autoescape=True, **options)
        self.globals.pop("lipsum", None)                   # lipsum(n=10**9) has no bound
        self.filters["sum"] = jinja2.pass_environment(checks.numeric_sum)
        self.filters.update(filters or {})
        self.filters = {name: _guard_filter(name, f) for name, f in self.filters.items()}
        self.filters.update(INTERNAL_FILTERS)

    def _parse(self, source, name, filename):
        return _Guard(self).visit(super()._parse(source, name, filename))

    def getattr(self, obj, attribute):
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _tick()
        return super().getitem(obj, argument)

    def call_binop(self, context, operator, left, right):
        _tick()
        checks.check_binop(operator, left, right)
        return _made(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja2's own signature)
        _tick()
        checks.check_method(__obj, args, kwargs)
        nested = isinstance(__obj, (Macro, LoopContext))
        if nested:
            _local.depth = getattr(_local, "depth", 0) + 1
            if _local.depth > MAX_DEPTH:
                _local.depth -= 1
                raise TooDeep(f"模板的宏或递归循环嵌套超过 {MAX_DEPTH} 层（可能是无限递归），已拒绝")
        try:
            return _made(super().call(__context, __obj, *args, **kwargs))
        finally:
            if nested:
                _local.depth -= 1


def _guard_filter(name: str, func):
    before = checks.BEFORE.get(name)
    offset = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)
    def guarded(*args, **kwargs):
        _tick()
        if name in checks.MATERIALISE and len(args) > offset:
            args = (*args[:offset], checks.as_list(args[offset]), *args[offset + 1:])
        if before is not None:
            env = getattr(args[0], "environment", args[0]) if offset else None
            before(env, *args[offset:], **kwargs)
        return _made(func(*args, **kwargs))
    return guarded


def environment(loader: jinja2.BaseLoader | None = None, filters: dict | None = None,
                **options) -> SandboxEnvironment:
    """A new hardened environment; ``options`` are Jinja2's (``trim_blocks``…), ``filters`` extra filters."""
    return SandboxEnvironment(loader=loader, filters=filters, **options)


# ---------------------------------------------------------------- messages
def describe(exc: BaseException) -> str:
    """The Chinese text for a template failure (without the location)."""
    if isinstance(exc, TemplateLimit):
        return exc.message or str(exc)
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"模板语法错误：{exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"找不到模板文件 {exc.name}"
    if isinstance(exc, (SecurityError, OverflowError)):
        return f"模板试图执行不允许的操作（{exc}），已拒绝"
    if isinstance(exc, jinja2.UndefinedError):
        return f"模板使用了不存在的变量（{exc.message}）"
    if isinstance(exc, RecursionError):
        return "模板递归调用过深（可能是无限递归或循环包含），已拒绝"
    if isinstance(exc, MemoryError):
        return "模板试图生成过大的内容（内存不足），已拒绝"
    return f"模板运行出错（{type(exc).__name__}: {exc}）"


def template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """(template file, line) where ``exc`` happened: the innermost template frame, or a syntax error's own."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename, exc.lineno
    found = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
