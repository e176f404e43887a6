"""The `publisher` command: parse options, call the library, print findings. Nothing more.

Exit status (README "Exit status"):
  0  everything asked for was made (warnings allowed); ``check``: no errors
  1  errors found: nothing was written (``check``: errors found)
  2  bad usage: unknown command or option, missing file, a format the document cannot be made in
  3  made, but some inputs were rejected: a compilation left out returns with errors (it lists them)
  130 interrupted by Ctrl-C (143 SIGTERM, 129 SIGHUP): workers stopped, the output folder as it was
"""
from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .cli_zh import ChineseGroup
from .errors import CheckFailed, Findings, PublisherError, UsageError

if TYPE_CHECKING:
    from .pipeline import Request

EXIT_PARTIAL = 3


def _echo_findings(findings: Findings, err: bool = True) -> None:
    for finding in findings.sorted():
        click.echo(str(finding), err=err)
    if len(findings):
        click.echo(f"共 {len(findings.errors)} 个错误，{len(findings.warnings)} 个警告", err=err)


class Terminated(KeyboardInterrupt):
    """SIGTERM (or SIGHUP: the terminal closed) arrived: unwind exactly as Ctrl-C does."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum, frame):
    raise Terminated(signum)


@contextlib.contextmanager
def _terminate_as_interrupt():
    """While a command runs, SIGTERM/SIGHUP unwind it like Ctrl-C: workers stopped, temporary folder removed."""
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, _raise_terminated) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def guarded(fn):
    """Turn PublisherError into a Chinese message and exit code; never show a traceback."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            with _terminate_as_interrupt():
                return fn(*args, **kwargs)
        except Terminated as exc:
            click.echo(f"已终止（收到信号 {signal.Signals(exc.signum).name}），未完成的输出已删除，"
                       "输出文件夹保持原样。", err=True)
            sys.exit(128 + exc.signum)
        except CheckFailed as exc:
            if exc.findings:
                _echo_findings(Findings(list(exc.findings)))
            click.echo(exc.message, err=True)
            sys.exit(1)
        except PublisherError as exc:
            for finding in exc.findings:
                click.echo(str(finding), err=True)
            click.echo(exc.message, err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("已中断，输出文件夹保持原样。", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            # output piped into `head` and the reader has gone: stop quietly, as cat does
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:  # a bug in publisher, not the user's fault
            if os.environ.get("PUBLISHER_DEBUG"):
                raise
            click.echo(f"publisher 内部错误：{type(exc).__name__}: {exc}\n"
                       "这是软件缺陷而不是您的错误；请把命令和源文件发给维护人员"
                       "（设置环境变量 PUBLISHER_DEBUG=1 可看到详细信息）。", err=True)
            sys.exit(1)
    return wrapper


def _request(formats=None, mask=None, params=None, **more) -> "Request":
    from .output import command_line
    from .pipeline import Request
    return Request(formats=formats, mask=mask or None, params=params or {}, command=command_line(),
                   owner=command_line(omit=("out",)), **more)


def _show(result, out: Path, summary: str | None = None, list_files: bool = True) -> None:
    """Findings (stderr), the run's notes, what was written; exit 1 when errors were found."""
    _echo_findings(result.findings)
    for note in result.notes:
        click.echo(note, err=True)
    if list_files and len(result.written) <= 30:
        for rel in result.written:
            click.echo(f"已生成 {Path(out) / rel}")
    click.echo(summary or f"完成：在 {out} 中生成了 {len(result.written)} 个文件。")
    if result.has_errors:
        rejected = sorted({f.location.file for f in result.findings.errors})
        click.echo(f"注意：{'、'.join(rejected)} 有错误，已在汇总表的报送情况中列出，未计入总计；"
                   f"其余文件照常生成（退出码 {EXIT_PARTIAL}）。", err=True)
        sys.exit(EXIT_PARTIAL)


format_option = click.option("--format", "formats", default=None,
                             help="只生成这些格式，如 pdf,docx（默认全部）")
out_option = click.option("-o", "--output", "out", default="output", type=click.Path(path_type=Path),
                          show_default=True, help="输出文件夹")
mask_option = click.option("--mask", is_flag=True, help="隐去身份证号和联系电话的中间部分")


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publisher")
def main():
    """publisher：技工院校服务脱贫攻坚工作的文件生成与数据检查工具。"""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出检查结果")
@click.option("--registry", type=click.Path(path_type=Path), help="建档立卡贫困人口名单，用于精准比对")
@click.option("--annotate", "annotate_dir", type=click.Path(path_type=Path, file_okay=False),
              help="把有问题的工作簿另存一份到这个文件夹，问题单元格标红（错误）或标黄（警告）并加批注，"
                   "第一张表“问题清单”可点击跳转；原文件不变")
@guarded
def check(paths, as_json, registry, annotate_dir):
    """检查源文件，不生成任何文件。"""
    from .pipeline import check as check_sources
    if registry is not None and not registry.exists():
        raise UsageError(f"{registry}: 错误: --registry 指定的文件不存在")
    project, findings = check_sources(paths, registry)
    if as_json:
        click.echo(json.dumps([f.as_json() for f in findings.sorted()], ensure_ascii=False, indent=2))
    else:
        _echo_findings(findings, err=False)
        if not len(findings):
            click.echo(f"检查完毕：{len(project.sources)} 个源文件，没有发现问题。")
    if annotate_dir is not None:
        from .annotate import annotate_workbooks
        for path in annotate_workbooks(project, findings, annotate_dir):
            click.echo(f"已生成标注副本 {path}", err=as_json)
    sys.exit(1 if findings.has_errors else 0)


@main.command()
@click.argument("source_dir", required=False, type=click.Path(path_type=Path))
@out_option
@format_option
@mask_option
@guarded
def build(source_dir, out, formats, mask):
    """生成项目文件夹中的全部文件（默认 ./catalogs，否则用内置示例）。"""
    from .pipeline import build as build_all, default_source_dir
    folder = source_dir or default_source_dir()
    if not folder.is_dir():
        raise UsageError(f"{folder}: 错误: 不是文件夹")
    result = build_all(folder, out, _request(formats, mask, progress=_progress_bar()))
    _show(result, out, list_files=False)


@main.command()
@click.argument("form", type=click.Choice(["attachment1", "attachment2"]))
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--blank", is_flag=True, help="生成空白表（供各地填写）")
@click.option("--catalog", "catalog_path", type=click.Path(path_type=Path), help="目录：用于下拉列表和院校核对")
@click.option("--city", default=None, help="空白表的城市（附件2 标题中的××市）")
@click.option("--rows", type=click.IntRange(1, 2000), default=None,
              help="空白表的空行数（默认：XLSX 30 行，DOCX/PDF 一页）")
@out_option
@format_option
@mask_option
@guarded
def form(form, source, blank, catalog_path, city, rows, out, formats, mask):
    """生成附件1（进展情况表）或附件2（登记汇总表），XLSX、DOCX、PDF。"""
    from .pipeline import run
    if source is None and not blank:
        raise UsageError("错误: 请给出源文件，或用 --blank 生成空白表")
    if rows is not None and not blank:
        raise UsageError("错误: --rows 只用于 --blank 空白表（填好的表按数据的行数生成）")
    if city is not None and any(unicodedata.category(ch) == "Cc" for ch in city):
        raise UsageError(f"错误: --city {city!r} 含有控制字符（如换行、ESC），请只写城市名称，如 --city 济南市")
    paths = [p for p in (None if blank else source, catalog_path) if p is not None]
    result = run(["forms"], paths, out, _request(formats, mask, {"form": form, "blank": blank, "city": city,
                                                              "rows": rows}))
    _show(result, out)


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--previous", type=click.Path(path_type=Path), help="上一年度目录，用于列出调整情况")
@click.option("--filing", is_flag=True, help="同时生成报省厅备案的报告和公布通知")
@out_option
@format_option
@guarded
def catalog(sources, previous, filing, out, formats):
    """生成技能扶贫技工院校和专业目录（多个城市时生成全省汇总）。"""
    from .pipeline import run
    kinds = ["catalog", "filing"] if filing else ["catalog"]
    paths = list(sources) + ([previous] if previous else [])
    result = run(kinds, paths, out, _request(formats, params={"previous": previous}))
    _show(result, out)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@out_option
@format_option
@mask_option
@guarded
def notice(source, out, formats, mask):
    """按 GB/T 9704-2012 生成公文（DOCX、PDF）。"""
    from .pipeline import run
    _show(run(["notice"], [source], out, _request(formats, mask)), out)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--catalog", "catalog_path", type=click.Path(path_type=Path),
              help="本年度目录（不给出时用录取名单所在文件夹中的目录）")
@click.option("--template", "letter_template", type=click.Path(path_type=Path),
              help="学校自己的通知书 Word 模板（.docx），PDF 和 Word 通知书都由它生成")
@click.option("--school", default=None, help="只生成这所学校的通知书")
@click.option("--labels", is_flag=True, help="同时生成邮寄标签")
@out_option
@format_option
@mask_option
@guarded
def admissions(source, catalog_path, letter_template, school, labels, out, formats, mask):
    """批量生成录取通知书、花名册。"""
    from .pipeline import catalog_beside, run
    if letter_template is not None and not letter_template.is_file():
        raise UsageError(f"{letter_template}: 错误: --template 指定的模板文件不存在")
    if catalog_path is None:
        catalog_path, note = catalog_beside(source)
        click.echo(note, err=True)
    result = run(["letters"], [source, catalog_path], out,
                 _request(formats, mask, {"school": school, "labels": labels}, progress=_progress_bar(),
                          letter_template=letter_template))
    _show(result, out, list_files=False)


@main.command()
@click.argument("what", type=click.Choice(["letter"]))
@click.option("-o", "--output", "out", default="letter-template", type=click.Path(path_type=Path),
              show_default=True, help="输出文件夹（可直接用作 publisher.yaml 中的 templates: 文件夹）")
@guarded
def template(what, out):
    """导出内置的通知书模板（docx/letter.docx）和字段说明，供学校修改。"""
    from .documents.letter_guide import export
    for path in export(out):
        click.echo(f"已生成 {path}")
    click.echo(f"把改好的 {out / 'docx' / 'letter.docx'} 用于 publisher admissions --template，"
               f"或在 publisher.yaml 中写 templates: {out}")


@main.command(name="compile")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--year", type=int, help="年度")
@click.option("--period", type=click.Choice(["H1", "H2"]), help="H1 上半年（6月15日前报），H2 下半年（12月15日前报）")
@out_option
@format_option
@mask_option
@guarded
def compile_(sources, year, period, out, formats, mask):
    """汇总各市报来的附件1（和附件2），生成全省汇总表。"""
    from .pipeline import run
    if (year is None) != (period is None):
        raise UsageError("错误: --year 和 --period 需要同时给出")
    result = run(["compilation"], list(sources), out, _request(formats, mask, {"year": year, "period": period}))
    _show(result, out)


def _progress_bar():
    """A progress bar factory for long runs on a terminal (None when output is not a terminal)."""
    if not sys.stderr.isatty():
        return None
    return lambda total: click.progressbar(length=total, label="生成录取通知书", file=sys.stderr)


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="监听的地址；不是本机地址时必须设置口令")
@click.option("--port", default=8000, type=int, show_default=True, help="端口")
@click.option("--token", default=None, help="访问口令（也可用环境变量 PUBLISHER_TOKEN）")
@click.option("--max-upload", default=50.0, type=float, show_default=True, help="一次上传的上限（MB）")
@click.option("--jobs", "max_jobs", default=2, type=int, show_default=True, help="同时运行的任务数，其余排队")
@guarded
def serve(folder, host, port, token, max_upload, max_jobs):
    """启动网页：上传工作簿、查看问题、下载生成的文件（FOLDER：办公室的项目文件夹，默认当前文件夹）。"""
    from .serve.server import run_server
    from .serve.settings import make_settings
    settings = make_settings(folder or Path.cwd(), host, port, token, max_upload, max_jobs)
    run_server(settings, announce=lambda text: click.echo(text, err=True))
    click.echo("网页已停止，所有任务的临时文件已删除。", err=True)


@main.command()
@click.argument("out", type=click.Path(path_type=Path))
@guarded
def verify(out):
    """重新计算输出文件夹中各文件的校验和，与 manifest.json 核对。"""
    from .output import verify as verify_folder
    problems = verify_folder(out)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"核对失败：{len(problems)} 处不符。")
        sys.exit(1)
    click.echo("核对通过：所有文件与清单一致。")


@main.command()
@click.option("--fonts", "fonts_dir", type=click.Path(path_type=Path), help="授权字体文件夹")
@guarded
def doctor(fonts_dir):
    """检查字体、系统库和模板是否就绪。"""
    from .doctor import diagnose
    if fonts_dir is None:
        # the project in the current folder may name a folder of licensed fonts
        from .config import load_config
        config = load_config(Path.cwd(), Findings())
        fonts_dir = config.fonts
        if fonts_dir:
            click.echo(f"使用 publisher.yaml 中的字体文件夹：{fonts_dir}")
    ok = diagnose(fonts_dir, echo=click.echo)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
