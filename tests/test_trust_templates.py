"""User templates run sandboxed with autoescape; data is never a template; faults are located (SPEC §6)."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from conftest import DATA
from publisher.cli import main

BAD = DATA / "bad"
TEMPLATE = "html/catalog_public.html.j2"


@pytest.fixture
def project(tmp_path):
    """A catalog whose cells hold template syntax and markup, with a user templates/ folder."""
    shutil.copy(BAD / "yaml_template_in_data.yaml", tmp_path / "catalog.yaml")
    (tmp_path / "publisher.yaml").write_text("city: 济南市\nyear: 2019\ntemplates: tpl/\n", "utf-8")
    (tmp_path / "tpl" / "html").mkdir(parents=True)
    return tmp_path


def run(project, template_text=None):
    if template_text is not None:
        (project / "tpl" / TEMPLATE).write_text(template_text, "utf-8")
    return CliRunner().invoke(main, ["catalog", str(project / "catalog.yaml"), "-o", str(project / "out"),
                                     "--format", "html"], catch_exceptions=False)


def html_of(project) -> str:
    return next((project / "out").rglob("*.html")).read_text("utf-8")


def test_data_is_never_evaluated_and_is_escaped(project):
    result = run(project)                         # the built-in template
    assert result.exit_code == 0, result.output
    html = html_of(project)
    assert "{{ 7*7 }}技师学院" in html and "49技师学院" not in html
    assert "{% raw %}数控" in html
    assert "<script>alert(1)</script>" not in html


def test_user_template_overrides_builtin_with_autoescape(project):
    result = run(project, "<html><head></head><body>{% for p in parts %}{% for s in p.schools %}"
                          "<p class=user>{{ s.name }}|{{ s.address }}</p>{% endfor %}{% endfor %}</body></html>")
    assert result.exit_code == 0, result.output
    html = html_of(project)
    assert '<p class=user>{{ 7*7 }}技师学院|&lt;script&gt;alert(1)&lt;/script&gt;</p>' in html


@pytest.mark.parametrize("text, message", [
    ("<p>\n{% if %}\n</p>", ":2: 错误: 模板语法错误"),
    ("<p>\n\n{{ nosuch.x }}</p>", ":3: 错误: 模板使用了不存在的变量"),
    ("<p>\n{{ 1 / 0 }}</p>", ":2: 错误: 模板运行出错"),
])
def test_broken_template_is_located(project, text, message):
    result = run(project, text)
    assert result.exit_code == 1
    assert f"{project / 'tpl' / TEMPLATE}{message}" in result.output, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert not (project / "out").exists()


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.system('echo pwned') }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ range(10**9) | list }}",
    "{% set x = [].append(1) %}{{ x }}",
])
def test_sandbox_refuses_escapes(project, attack):
    result = run(project, "<p>\n" + attack + "</p>")
    assert result.exit_code == 1, result.output
    assert f"{project / 'tpl' / TEMPLATE}:2: 错误:" in result.output, result.output
    assert "不允许的操作" in result.output or "不存在的变量" in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert "pwned" not in result.output
