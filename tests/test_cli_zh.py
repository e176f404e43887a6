"""The command line speaks Chinese: click's own messages, every --help with an example, exit codes 0/2."""
from __future__ import annotations

import pytest

from publisher.cli import main
from publisher.cli_zh import EXAMPLES, MESSAGES


def _invoke(runner, args):
    """As the installed command runs: named publisher (CliRunner would say main)."""
    return runner.invoke(main, args, prog_name="publisher")

ENGLISH = ("Usage:", "Error:", "Missing", "No such", "Show this message", "Try '", "Options:", "Commands:",
           "is not one of", "Got unexpected", "does not exist")


def _plain(result) -> str:
    assert not any(word in result.output for word in ENGLISH), result.output
    return result.output


def test_admissions_without_arguments_answers_in_chinese(runner):
    result = _invoke(runner, ["admissions"])
    assert result.exit_code == 2
    text = _plain(result)
    assert "用法：publisher admissions [选项] 源文件" in text
    assert "错误：缺少参数 '源文件'" in text and "请运行 'publisher admissions --help' 查看帮助。" in text


def test_unknown_command_answers_in_chinese(runner):
    result = _invoke(runner, ["nosuchcommand"])
    assert result.exit_code == 2
    assert "错误：没有 'nosuchcommand' 这个命令。" in _plain(result)


def test_a_typo_gets_a_suggestion(runner):
    result = _invoke(runner, ["chek"])
    assert result.exit_code == 2 and "您是不是要用 'check'？" in _plain(result)


@pytest.mark.parametrize("args, said", [
    (["form", "attachment3"], "'attachment3' 不是可用的值；应为 'attachment1', 'attachment2' 之一。"),
    (["check", "a.xlsx", "--bogus"], "没有 '--bogus' 这个选项。"),
    (["compile", "x", "--year"], "选项 '--year' 后面需要一个值。"),
    (["compile", "x", "--year", "二〇一九"], "'二〇一九' 不是有效的整数。"),
    (["verify"], "缺少参数 '输出文件夹'"),
    (["form", "attachment1", "--blank", "--rows", "0"], "0 不在范围 1<=x<=2000 内。"),
])
def test_click_errors_in_chinese_exit_2(runner, args, said):
    result = _invoke(runner, args)
    assert result.exit_code == 2, result.output
    assert said in _plain(result)


@pytest.mark.parametrize("command", [None, *sorted(main.commands)])
def test_every_help_is_chinese_with_an_example(runner, command):
    result = _invoke(runner, ([command] if command else []) + ["-h"])
    assert result.exit_code == 0, result.output
    text = _plain(result)
    assert text.startswith("用法：publisher") and "选项：" in text and "显示本帮助并退出。" in text
    assert "示例：" in text and "  publisher " in text.split("示例：")[1], text


def test_every_command_has_an_example():
    assert set(main.commands) <= set(EXAMPLES), set(main.commands) - set(EXAMPLES)


def test_version_in_chinese(runner):
    result = _invoke(runner, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("publisher，版本 ")


def test_catalogue_keeps_every_placeholder():
    import re
    for english, chinese in MESSAGES.items():
        assert sorted(re.findall(r"\{[^}]*\}|%\(\w+\)s", english)) == \
            sorted(re.findall(r"\{[^}]*\}|%\(\w+\)s", chinese)), english


def test_exit_codes_kept(runner, tmp_path):
    from conftest import DATA
    assert _invoke(runner, ["check", str(DATA / "good")]).exit_code == 0
    assert _invoke(runner, ["check", str(DATA / "broken" / "registrations_errors.xlsx")]).exit_code == 1
    assert _invoke(runner, ["check"]).exit_code == 2
