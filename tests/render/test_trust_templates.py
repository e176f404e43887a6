"""User templates run sandboxed with autoescape; data is never a template; faults are located (SPEC §6)."""
from __future__ import annotations

import shutil
import sys

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


# ---------------------------------------------------------------- issue 11: limits, links, DOCX letters
ROOT_DEMO = DATA.parent.parent / "catalogs" / "jinan"


@pytest.mark.parametrize("attack, message", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "模板运行超过 1 秒仍未结束"),
    ("{{ 'x'*10**10 }}", "模板试图生成过大的内容"),
    ("{{ [0]*10**9 }}", "模板试图生成过大的内容"),
    ("{{ 10**(10**10) }}", "模板试图生成过大的内容"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "嵌套超过 50 层"),
    ("{% include 'html/catalog_public.html.j2' %}", "模板递归调用过深"),
    ("{% include '../../../etc/passwd' %}", "含有“..”"),
])
def test_limits_are_located_refusals(project, monkeypatch, attack, message):
    from publisher.render import sandbox
    monkeypatch.setattr(sandbox, "SECONDS", 1.0)
    result = run(project, "<p>\n" + attack + "</p>")
    assert result.exit_code == 1, result.output
    assert f"{project / 'tpl' / TEMPLATE}:2: 错误: " in result.output, result.output
    assert message in result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert not (project / "out").exists()


def test_symlinked_template_out_of_the_folder_is_refused(project, tmp_path):
    (tmp_path / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    (project / "tpl" / TEMPLATE).symlink_to(tmp_path / "secret.txt")
    result = run(project)
    assert result.exit_code == 1, result.output
    assert f"{project / 'tpl' / TEMPLATE}: 错误: 模板文件“{TEMPLATE}”是指向模板文件夹之外" in result.output
    assert not (project / "out").exists()


def test_include_of_a_symlink_out_of_the_folder_is_refused(project, tmp_path):
    (tmp_path / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", "utf-8")
    (project / "tpl" / "html" / "footer.html").symlink_to(tmp_path / "secret.txt")
    result = run(project, "<p>\n{% include 'html/footer.html' %}</p>")
    assert result.exit_code == 1, result.output
    assert f"{project / 'tpl' / TEMPLATE}:2: 错误: 模板文件“html/footer.html”是指向模板文件夹之外" in result.output
    assert "root:x" not in result.output and not (project / "out").exists()


def test_page_cannot_load_local_files_or_urls(project, tmp_path):
    """A PDF's template may load fonts, images and CSS, not /etc/passwd (also not through a .png link)."""
    (tmp_path / "secret.txt").write_text("root:x:0:0", "utf-8")
    (project / "logo.png").symlink_to(tmp_path / "secret.txt")
    (project / "tpl" / "html" / "catalog.html.j2").write_text(
        '<html><head><link rel="stylesheet" href="file:///etc/passwd"></head><body><p>目录</p>'
        f'<img src="{(project / "logo.png").as_uri()}"><img src="http://127.0.0.1:9/x.png"></body></html>', "utf-8")
    result = CliRunner().invoke(main, ["catalog", str(project / "catalog.yaml"), "-o", str(project / "out"),
                                       "--format", "pdf"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "模板引用了不允许读取的文件或网址" in result.output
    assert all(s in result.output for s in ("/etc/passwd", "logo.png", "http://127.0.0.1:9/x.png")), result.output
    assert not (project / "out").exists()


@pytest.fixture
def letters(tmp_path, monkeypatch):
    """The demo's admissions in a project whose templates: folder is tpl/; runs in tmp_path."""
    from publisher.render import sandbox
    project = tmp_path / "project"
    (project / "tpl" / "docx").mkdir(parents=True)
    for name in ("admissions.xlsx", "catalog-2019.xlsx"):
        shutil.copy(ROOT_DEMO / name, project / name)
    (project / "publisher.yaml").write_text("city: 济南市\nyear: 2019\ntemplates: tpl/\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sandbox, "SECONDS", 1.0)
    return project


def make_letters(project):
    return CliRunner().invoke(main, ["admissions", str(project / "admissions.xlsx"), "--catalog",
                                     str(project / "catalog-2019.xlsx"), "--school", "平阴县技工学校",
                                     "--format", "docx", "-o", str(project / "out")], catch_exceptions=False)


@pytest.mark.parametrize("name, where, message", [
    ("rce", "第16段", "模板试图执行不允许的操作（access to attribute '__class__' of 'str' object is unsafe.），已拒绝"),
    ("header_rce", "页眉 第1段", "模板试图执行不允许的操作"),
    ("loop", "第16段", "模板运行超过 1 秒仍未结束（可能是没有尽头的循环），已停止"),
    ("bomb", "第16段", "模板试图生成过大的内容"),
    ("recursion", "第16段", "模板的宏或递归循环嵌套超过 50 层"),
])
def test_hostile_letter_template_is_refused(letters, tmp_path, name, where, message):
    """The corpus's letter templates (tools/make_bad_inputs.py): refused, naming the paragraph and its text."""
    sys.path.insert(0, str(ROOT_DEMO.parent.parent / "tools"))
    from make_bad_inputs import TEMPLATE_ATTACKS
    text = TEMPLATE_ATTACKS[name.replace("header_", "")]
    where += f"（“{text if len(text) <= 40 else text[:40] + '…'}”）"
    shutil.copy(BAD / f"template_letter_{name}.docx", letters / "tpl" / "docx" / "letter.docx")
    result = make_letters(letters)
    assert result.exit_code == 1, result.output
    assert f"project/tpl/docx/letter.docx:{where}: 错误: {message}" in result.output, result.output
    assert "Traceback" not in result.output and "内部错误" not in result.output and "uid=" not in result.output
    assert not (letters / "out").exists()
    assert not list(tmp_path.rglob("publisher_pwned"))


def test_own_letter_template_still_works(letters):
    from publisher.render.html import builtin_templates
    shutil.copy(builtin_templates() / "docx" / "letter.docx", letters / "tpl" / "docx" / "letter.docx")
    result = make_letters(letters)
    assert result.exit_code == 0, result.output


def test_symlinked_letter_template_out_of_the_folder_is_refused(letters, tmp_path):
    from publisher.render.html import builtin_templates
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(builtin_templates() / "docx" / "letter.docx", tmp_path / "elsewhere" / "letter.docx")
    (letters / "tpl" / "docx" / "letter.docx").symlink_to(tmp_path / "elsewhere" / "letter.docx")
    result = make_letters(letters)
    assert result.exit_code == 1, result.output
    assert "project/tpl/docx/letter.docx: 错误: 模板文件“docx/letter.docx”是指向模板文件夹之外" \
        in result.output, result.output
    assert not (letters / "out").exists()
    # a link that stays inside the folder is the user's own business
    (letters / "tpl" / "docx" / "letter.docx").unlink()
    shutil.copy(tmp_path / "elsewhere" / "letter.docx", letters / "tpl" / "mine.docx")
    (letters / "tpl" / "docx" / "letter.docx").symlink_to(letters / "tpl" / "mine.docx")
    assert make_letters(letters).exit_code == 0


def test_page_nested_too_deep_is_refused():
    """WeasyPrint recurses per element: a template nesting thousands of <div> is an error, not 内部错误
    (the recursion limit is lowered so this happens in a second)."""
    from publisher.errors import RenderError
    from publisher.render.pdf import render_document
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(600)
    try:
        with pytest.raises(RenderError, match="模板生成的页面元素嵌套过深"):
            render_document("<html><body>" + "<div>" * 3000 + "x</body></html>")
    finally:
        sys.setrecursionlimit(limit)
