"""The hardened template environment (publisher/render/sandbox.py): attacks are refused, templates still work."""
from __future__ import annotations

import threading

import jinja2
import pytest

from publisher.render import sandbox


@pytest.fixture(autouse=True)
def one_second(monkeypatch):
    monkeypatch.setattr(sandbox, "SECONDS", 1.0)


def render(text: str, **context) -> str:
    return sandbox.environment().from_string(text).render(**context)


def refusal(text: str, **context) -> tuple[type, str]:
    with pytest.raises(sandbox.FAILURES) as info:
        render(text, **context)
    return info.type, sandbox.describe(info.value)


@pytest.mark.parametrize("text, kind, message", [
    # code execution
    ("{% for c in ''.__class__.__mro__[1].__subclasses__() %}{{ c }}{% endfor %}", jinja2.sandbox.SecurityError,
     "不允许的操作"),
    ("{{ cycler.__init__.__globals__.os }}", jinja2.sandbox.SecurityError, "不允许的操作"),
    # loops without a bound, also with nothing in their body
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", sandbox.TooSlow,
     "模板运行超过 1 秒仍未结束"),
    ("{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}", sandbox.TooSlow,
     "模板运行超过 1 秒仍未结束"),
    # values that multiply
    ("{{ 'x' * 10**10 }}", sandbox.TooLarge, "模板试图生成过大的内容"),
    ("{{ [0] * 10**9 }}", sandbox.TooLarge, "模板试图生成过大的内容"),
    ("{{ 10 ** (10 ** 10) }}", sandbox.TooLarge, "乘方"),
    ("{% set ns = namespace(n=3) %}{% for i in range(64) %}{% set ns.n = ns.n * ns.n %}{% endfor %}",
     sandbox.TooLarge, "整数位数过多"),
    ("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     sandbox.TooLarge, "模板试图生成过大的内容"),
    ("{{ 'x'|center(10000000000) }}", sandbox.TooLarge, "宽度"),
    ("{{ 'x'.ljust(10**10) }}", sandbox.TooLarge, "宽度"),
    ("{{ '{:>9999999999}'.format(1) }}", sandbox.TooLarge, "格式宽度"),
    ("{{ '%9999999999s' % 1 }}", sandbox.TooLarge, "格式宽度"),
    ("{{ '%9999999999s'|format(1) }}", sandbox.TooLarge, "格式宽度"),
    ("{{ ('x' * 1000000)|replace('x', 'y' * 1000000) }}", sandbox.TooLarge, "替换"),
    ("{{ range(100000)|join('y' * 1000000) }}", sandbox.TooLarge, "连接"),
    ("{{ [1]|batch(10**9, 'x')|list }}", sandbox.TooLarge, "填充"),
    ("{{ range(100000)|batch(1)|sum(start=[]) }}", sandbox.TemplateLimit, "sum 只能对数字求和"),
    ("{{ ['x']|map('center', 10**9)|list }}", sandbox.TooLarge, "宽度"),
    ("{{ lipsum(10**9) }}", jinja2.UndefinedError, "不存在的变量"),
    # output, also when buffered in a {% set %} block
    ("{% set s = 'x' * 1000000 %}{% for i in range(100000) %}{{ s }}{% endfor %}", sandbox.TooLarge,
     "模板生成的内容超过"),
    ("{% set s = 'x' * 1000000 %}{% set big %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endset %}",
     sandbox.TooLarge, "模板生成的内容超过"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = ns.l + ['x' * 4000000 ~ i] %}"
     "{% endfor %}", sandbox.TooLarge, "模板在一次生成中创建的内容超过"),
    # recursion
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", sandbox.TooDeep, "嵌套超过 50 层"),
    ("{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}", sandbox.TooDeep, "嵌套超过 50 层"),
])
def test_attack_is_refused(text, kind, message):
    refused, said = refusal("\n" + text)
    assert issubclass(refused, kind), said
    assert message in said


def test_refusal_names_the_line():
    with pytest.raises(sandbox.TooLarge) as info:
        render("a\nb\n{{ 'x' * 10**10 }}")
    assert sandbox.template_line(info.value) == ("<template>", 3)


def test_deadline_works_off_the_main_thread():
    """A web server renders in threads, where no signal can be used."""
    caught = []

    def job():
        try:
            render("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
        except sandbox.TooSlow as exc:
            caught.append(exc)
    worker = threading.Thread(target=job)
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and len(caught) == 1


def test_ordinary_templates_still_work():
    text = ("{% macro row(p, i) %}{{ i }}.{{ p.name }}{% endmacro %}"
            "{% for p in people if p.n > 1 %}{{ row(p, loop.index) }}{% if not loop.last %}、{% endif %}{% endfor %}"
            "|{{ people|sum(attribute='n') }}|{{ people|map(attribute='name')|join('/') }}"
            "|{{ '%03d'|format(7) }}|{{ '{:>4}'.format(5) }}|{{ 'ab'|center(6) }}|{{ 2 ** 10 }}|{{ 'x' * 3 }}"
            "|{{ [1, [2]]|tojson }}|{{ '<b>' ~ 1 }}|{% for x in [[1, [2]]] recursive %}{{ x }}{% endfor %}")
    people = [{"name": "张三", "n": 2}, {"name": "李四", "n": 3}, {"name": "王五", "n": 1}]
    assert render(text, people=people) == ('1.张三、2.李四|6|张三/李四/王五|007|   5|  ab  |1024|xxx'
                                           '|[1, [2]]|&lt;b&gt;1|[1, [2]]')


def test_loader_keeps_inside_its_folder(tmp_path):
    root = tmp_path / "tpl"
    (root / "html").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("root:x:0:0", "utf-8")
    (root / "html" / "ok.j2").write_text("{% include 'html/part.j2' %}", "utf-8")
    (root / "html" / "part.j2").write_text("部分", "utf-8")
    (root / "html" / "link.j2").symlink_to(tmp_path / "secret.txt")
    (root / "html" / "inner.j2").symlink_to(root / "html" / "part.j2")
    (root / "html" / "via.j2").write_text("a\n{% include 'html/link.j2' %}", "utf-8")
    (root / "html" / "up.j2").write_text("{% include '../secret.txt' %}", "utf-8")
    env = sandbox.environment(loader=sandbox.ConfinedLoader([root]))
    assert env.get_template("html/ok.j2").render() == "部分"
    assert env.get_template("html/inner.j2").render() == "部分"     # a link inside the folder is fine
    with pytest.raises(sandbox.TemplateRefused, match="指向模板文件夹之外"):
        env.get_template("html/link.j2")
    with pytest.raises(sandbox.TemplateRefused, match="指向模板文件夹之外") as info:
        env.get_template("html/via.j2").render()
    assert sandbox.template_line(info.value) == (str(root / "html" / "via.j2"), 2)
    with pytest.raises(sandbox.TemplateRefused, match="含有“..”"):
        env.get_template("html/up.j2").render()
