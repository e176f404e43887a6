"""Size checks for the template sandbox: refuse an operation *before* it allocates too much.

Every value a template makes is at most ``MAX_TEXT`` characters or ``MAX_ITEMS``
items (checked after each operator, call, filter and ``~``), so only operations
whose result can be much larger than their inputs need a check beforehand:
``*`` and ``**``, ``%`` and ``str.format`` with a width, padding methods and
filters (``center``, ``ljust``, ``indent``…), ``replace``, ``join``, ``batch``
and ``slice`` with a fill.  ``sum`` adds numbers only (adding lists is quadratic).
"""
from __future__ import annotations

import itertools
import numbers
import re
from string import Formatter

from jinja2.sandbox import SecurityError

MAX_TEXT = 32 * 1024 * 1024       # characters: the output, and any one string a template makes
MAX_ITEMS = 1_000_000             # items of any one list, tuple, set or dict a template makes
MAX_WIDTH = 10_000                # a width, padding or precision in a format or filter
MAX_INT_BITS = 65_536             # an integer a template computes (about 20,000 digits)


class TemplateLimit(SecurityError):
    """A template went past one of the sandbox's limits; the message is the user's (Chinese)."""


class TooLarge(TemplateLimit):
    pass


def refuse(what: str) -> None:
    raise TooLarge(f"模板试图生成过大的内容（{what}）")


def check_length(length: int, what: str, limit: int = MAX_TEXT) -> None:
    if length > limit:
        refuse(f"{what}：约 {length:,} 个，上限 {limit:,}")


def sized(value):
    """``value`` itself, once it is known to be within the limits."""
    if isinstance(value, (str, bytes)):
        check_length(len(value), "字符")
    elif isinstance(value, (list, tuple, dict, set, frozenset)):
        check_length(len(value), "项", MAX_ITEMS)
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        refuse("整数位数过多")
    return value


def _width(value, what: str = "宽度") -> None:
    if isinstance(value, numbers.Integral) and abs(int(value)) > MAX_WIDTH:
        refuse(f"{what} {value}，上限 {MAX_WIDTH}")


def _spec_numbers(spec: str) -> None:
    for digits in re.findall(r"\d+", spec):
        if len(digits) > 6 or int(digits) > MAX_WIDTH:
            refuse(f"格式宽度或精度 {digits[:12]}，上限 {MAX_WIDTH}")


_PERCENT = re.compile(r"%(?:\([^)]*\))?([-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?)[a-zA-Z%]")


def check_percent(fmt: str, args) -> None:
    """``fmt % args``: widths and precisions, written or passed with ``*``, stay small."""
    specs = _PERCENT.findall(fmt)
    for spec in specs:
        _spec_numbers(spec)
    if any("*" in spec for spec in specs):
        for arg in args if isinstance(args, tuple) else (args,):
            _width(arg)


def check_format(fmt: str, args, kwargs) -> None:
    """``fmt.format(*args, **kwargs)``: the same for ``{:>20}`` and nested ``{:>{w}}``."""
    for _, _, spec, _ in Formatter().parse(fmt):
        if spec:
            _spec_numbers(spec)
            if "{" in spec:
                for arg in itertools.chain(args, kwargs.values()):
                    _width(arg)


def _len(value) -> int:
    return len(value) if hasattr(value, "__len__") else 0


def check_binop(operator: str, left, right) -> None:
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, numbers.Integral):
                limit = MAX_TEXT if isinstance(seq, (str, bytes)) else MAX_ITEMS
                check_length(len(seq) * max(int(times), 0), "重复", limit)
        if isinstance(left, numbers.Integral) and isinstance(right, numbers.Integral):
            if int(left).bit_length() + int(right).bit_length() > MAX_INT_BITS:
                refuse("整数位数过多")
    elif operator == "**":
        if isinstance(left, numbers.Integral) and isinstance(right, numbers.Integral) and right > 0:
            if abs(int(left)) > 1 and int(left).bit_length() * int(right) > MAX_INT_BITS:
                refuse(f"乘方 {str(left)[:12]}**{str(right)[:12]}")
    elif operator == "+":
        if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, (str, bytes, list, tuple)):
            check_length(len(left) + len(right), "连接", MAX_TEXT if isinstance(left, (str, bytes)) else MAX_ITEMS)
    elif operator == "%" and isinstance(left, str):
        check_percent(left, right)


# ---------------------------------------------------------------- str methods called from a template
def check_method(func, args, kwargs) -> None:
    """Before ``func(*args, **kwargs)`` when ``func`` is a method of a string that can grow it."""
    owner = getattr(func, "__self__", None)
    wrapped = getattr(func, "__wrapped__", None)     # the sandbox's own str.format wrapper
    if wrapped is not None and isinstance(getattr(wrapped, "__self__", None), str):
        owner, name = wrapped.__self__, wrapped.__name__
    else:
        name = getattr(func, "__name__", "")
    if not isinstance(owner, (str, bytes)):
        return
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _width(args[0])
    elif name == "expandtabs":
        tab = args[0] if args else kwargs.get("tabsize", 8)
        _width(tab, "制表宽度")
    elif name == "replace" and len(args) >= 2:
        _replace_size(owner, args[0], args[1], args[2] if len(args) > 2 else -1)
    elif name == "join" and args:
        items = args[0] if isinstance(args[0], (list, tuple)) else ()
        check_length(len(owner) * len(items) + sum(_len(i) for i in items), "连接")
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((_len(v) for v in args[0].values()), default=1)
        check_length(len(owner) * longest, "替换")
    elif name == "format":
        check_format(owner, args, kwargs)
    elif name == "format_map" and args and isinstance(args[0], dict):
        check_format(owner, (), args[0])


def _replace_size(text, old, new, count) -> None:
    if not isinstance(text, str) or not isinstance(old, str) or not isinstance(new, str):
        return
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    check_length(len(text) + hits * max(len(new) - len(old), 0), "替换")


# ---------------------------------------------------------------- filters
def _center(env, value, width=80):
    _width(width)


def _indent(env, s, width=4, first=False, blank=False):
    size = len(width) if isinstance(width, str) else width
    _width(size, "缩进")
    check_length(len(str(s)) + str(s).count("\n") * size + size, "缩进")


def _wordwrap(env, s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    lines = len(str(s)) // max(int(width) if isinstance(width, numbers.Integral) else 1, 1) + 1
    check_length(len(str(s)) + lines * _len(wrapstring or "\n"), "换行")


def _replace(env, s, old, new, count=None):
    _replace_size(str(s), old if isinstance(old, str) else str(old), new if isinstance(new, str) else str(new),
                  count if isinstance(count, int) else -1)


def _format(env, value, *args, **kwargs):
    check_percent(str(value), kwargs or args)


def _batch(env, value, linecount, fill_with=None):
    if fill_with is not None:
        check_length(int(linecount), "填充", MAX_ITEMS)


def _slice(env, value, slices, fill_with=None):
    check_length(int(slices), "分组", MAX_ITEMS)


def _urlize(env, value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None):
    check_length(_len(target or "") + _len(rel or ""), "链接属性", MAX_WIDTH)


def _tojson(env, value, indent=None):
    size = len(indent) if isinstance(indent, str) else indent or 0
    if isinstance(size, numbers.Integral) and size > 16:
        refuse(f"tojson 缩进 {str(size)[:12]}，上限 16")


def _join(env, value, d="", attribute=None):
    if attribute is not None and env is not None:
        from jinja2.filters import make_attrgetter
        value = list(map(make_attrgetter(env, attribute), value))
    check_length(len(value), "项", MAX_ITEMS)
    check_length(_len(d) * len(value) + sum(len(str(v)) for v in value), "连接")


BEFORE = {"center": _center, "indent": _indent, "wordwrap": _wordwrap, "replace": _replace, "format": _format,
          "batch": _batch, "slice": _slice, "urlize": _urlize, "tojson": _tojson, "join": _join}
MATERIALISE = {"join"}              # filters whose iterable is turned into a list first, so it can be measured


def as_list(value):
    """A bounded list of an iterable (a generator from ``map`` or ``select``), for measuring."""
    if isinstance(value, (list, tuple, str, dict)):
        return value
    items = list(itertools.islice(iter(value), MAX_ITEMS + 1))
    check_length(len(items), "项", MAX_ITEMS)
    return items


def numeric_sum(environment, iterable, attribute=None, start=0):
    """The ``sum`` filter for numbers only: summing lists or strings grows quadratically."""
    from jinja2.filters import make_attrgetter
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    if not isinstance(start, numbers.Number):
        raise TemplateLimit("sum 只能对数字求和")
    total = start
    for item in iterable:
        if not isinstance(item, numbers.Number):
            raise TemplateLimit("sum 只能对数字求和")
        total = total + item
    return total
