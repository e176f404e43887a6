"""The command line in Chinese: click's own messages, placeholders, and an example in every --help.

click marks its messages for gettext (``from gettext import gettext as _`` in each of
its modules); ``install`` points those module-level ``_``/``ngettext`` names at the
catalogue below, so "Usage:", "Error: Missing option '--catalog'.", "No such command",
"Show this message and exit." and the rest come out in Chinese without a compiled
``.mo`` file or a process-wide ``textdomain``.  A message missing from the catalogue
stays as click wrote it.  Exit codes are click's: 2 for bad usage.

``ChineseGroup`` installs it when the command runs, so commands added to ``cli.py``
later are covered too; each command's example lives in ``EXAMPLES`` (a test checks
that every command has one).
"""
from __future__ import annotations

import click

MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "请运行 '{command} {option}' 查看帮助。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有 {name!r} 这个命令。",
    "No such option {name!r}.": "没有 {name!r} 这个选项。",
    "No such option: {name}": "没有这个选项：{name}",
    "Did you mean {possibility}?": "您是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是要用其中之一：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Got unexpected extra argument ({args})": "多出了一个参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了几个参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "Invalid value: {message}": "值不对：{message}",
    "{value!r} is not {choice}.": "{value!r} 不是可用的值；只能是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可用的值；应为 {choices} 之一。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值；可用：{states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取（没有权限）。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入（没有权限）。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Aborted!": "已中止。",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Value must be an iterable.": "值必须是一组。",
    "Press any key to continue...": "按任意键继续……",
    "Error: invalid input": "错误：输入无效",
}

# Placeholders shown in usage lines and in "缺少参数 '源文件'" (argument name -> metavar).
METAVARS = {"paths": "路径...", "source": "源文件", "sources": "源文件...", "source_dir": "项目文件夹",
            "form": "attachment1|attachment2", "out": "输出文件夹"}

# One example per command, shown under its --help (README "Commands" has more).
EXAMPLES = {
    "main": ["publisher check catalogs/jinan", "publisher build catalogs -o output",
             "publisher 命令 -h        # 每个命令的说明和示例"],
    "check": ["publisher check registrations.xlsx catalog-2019.xlsx",
              "publisher check 登记表.xlsx 目录.xlsx --annotate 标注    # 在“标注”文件夹中得到标出问题的副本"],
    "build": ["publisher build catalogs/jinan -o output"],
    "form": ["publisher form attachment2 registrations.xlsx -o output/forms",
             "publisher form attachment1 --blank --rows 20 -o output/blank"],
    "catalog": ["publisher catalog catalog-2019.xlsx --previous catalog-2018.yaml --filing -o output/catalog"],
    "notice": ["publisher notice notice.yaml -o output/notice"],
    "admissions": ["publisher admissions admissions.xlsx -o output/letters     # 目录取同一文件夹中的",
                   "publisher admissions admissions.xlsx --catalog catalog-2019.xlsx --labels -o output/letters"],
    "compile": ["publisher compile returns/ --year 2019 --period H1 -o output/compiled"],
    "verify": ["publisher verify output"],
    "doctor": ["publisher doctor --fonts fonts/"],
    "template": ["publisher template letter -o 我的模板     # 得到 我的模板/docx/letter.docx 和 字段说明.docx"],
    "serve": ["publisher serve                      # 本机网页 http://127.0.0.1:8000/，项目文件夹为当前文件夹",
              "PUBLISHER_TOKEN=口令 publisher serve 项目文件夹 --host 0.0.0.0    # 供办公室网络使用，须设口令"],
}


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")
# Placeholders of option values by click type name (--registry 路径, --year 整数).
TYPE_METAVARS = {"path": "路径", "file": "文件", "directory": "文件夹", "text": "文字", "整数": "整数", "数字": "数字"}


class ChineseFormatter(click.HelpFormatter):
    """Headings end in a full-width colon (选项：) and 用法： is followed by no space."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


def display_width(text: str) -> int:
    """Columns a text takes on a terminal: a Chinese character takes two (click counts one)."""
    import unicodedata
    from click._compat import strip_ansi
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in strip_ansi(text))


def install(group: click.Group | None = None) -> None:
    """click's messages in Chinese; with ``group``, its commands' placeholders and examples too."""
    import importlib
    import click.formatting
    import click.types
    click.formatting.term_len = display_width       # option columns line up under Chinese placeholders
    click.types.IntParamType.name = "整数"          # "'二〇一九' 不是有效的整数。"
    click.types.FloatParamType.name = "数字"
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    if group is not None:
        _dress(group, "main")
        group.subcommand_metavar = "命令 [参数]..."
        for name, command in group.commands.items():
            _dress(command, name)


def _dress(command: click.Command, name: str) -> None:
    command.options_metavar = "[选项]"
    command.context_class = ChineseContext
    for param in command.params:
        if isinstance(param, click.Argument) and param.metavar is None and param.name in METAVARS:
            param.metavar = METAVARS[param.name]
        elif isinstance(param, click.Option) and param.metavar is None and not param.is_flag \
                and getattr(param.type, "name", "") in TYPE_METAVARS:
            param.metavar = TYPE_METAVARS[param.type.name]
    if name in EXAMPLES and not (command.epilog and "示例" in command.epilog):
        # \b keeps click from re-wrapping the lines
        command.epilog = "\b\n示例：\n" + "\n".join(f"  {line}" for line in EXAMPLES[name])


class ChineseGroup(click.Group):
    """The ``publisher`` group: Chinese messages installed before click parses anything."""

    context_class = ChineseContext

    def main(self, *args, **kwargs):
        install(self)
        return super().main(*args, **kwargs)


install()       # now: texts click computes while ``cli.py``'s decorators run (--version's help) are Chinese too
