"""DOCX → PDF through LibreOffice (headless ``soffice``), a batch of documents per start.

Starting LibreOffice costs about a second; laying out and exporting a letter page
costs some 15–30 ms.  Converting each letter on its own (one start each) would
cost more than the naive WeasyPrint way, so callers hand ``Office.convert`` a few
large documents at once (a school's letters, in chunks), and one ``soffice``
process converts them all.

Each ``Office`` has its own LibreOffice profile (two instances sharing one
profile hand their work to each other, or refuse), made on first use in a
temporary folder and removed by ``close``.  ``soffice.bin`` is started directly,
so on Linux it can be told to die with the process that started it
(``PR_SET_PDEATHSIG``): a killed run leaves no LibreOffice behind.

Fonts: a fontconfig file names the official fonts the DOCX asks for (仿宋_GB2312,
方正小标宋简体 …) and the usual ones of a school's own template (宋体, 微软雅黑,
楷体 …) as the licensed files of the project's ``fonts:`` folder where it has
them, else as the open substitutes the other PDFs embed (``render.fonts``), so
LibreOffice breaks lines as Word would with those fonts and never falls back to a
Japanese face.
"""
from __future__ import annotations

import ctypes
import html
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import RenderError
from . import fonts

INSTALL = "apt-get install -y libreoffice-writer-nogui"
EXPORT = {"ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
          "ExportNotes": {"type": "boolean", "value": "false"},
          "UseLosslessCompression": {"type": "boolean", "value": "true"}}
RESTART = 81                       # soffice's "restart me": a new profile was just made
SECONDS_PER_PAGE = 0.5             # a generous bound of a batch's run time, beside a fixed minute
# Families school templates use, by the role whose substitute stands in for them.
LIKE = {
    "body": ("仿宋", "FangSong", "仿宋_GB2312", "FangSong_GB2312", "华文仿宋", "STFangsong", "方正仿宋_GBK",
             "方正仿宋简体", "宋体", "SimSun", "新宋体", "NSimSun", "华文宋体", "STSong", "华文中宋", "STZhongsong",
             "方正书宋简体", "方正书宋_GBK", "方正宋体"),
    "title": ("方正小标宋简体", "方正小标宋_GBK", "方正大标宋简体"),
    "hei": ("黑体", "SimHei", "微软雅黑", "Microsoft YaHei", "等线", "DengXian", "华文细黑", "STXihei", "华文黑体",
            "STHeiti", "方正黑体简体", "方正黑体_GBK"),
    "kai": ("楷体", "KaiTi", "楷体_GB2312", "KaiTi_GB2312", "华文楷体", "STKaiti", "方正楷体简体", "方正楷体_GBK"),
}


def soffice() -> Path | None:
    """LibreOffice's ``soffice.bin`` (else its ``soffice`` script), or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            real = Path(os.path.realpath(found))
            binary = real.parent / "soffice.bin"
            return binary if binary.is_file() else real
    for folder in ("/usr/lib/libreoffice/program", "/opt/libreoffice/program"):
        if Path(folder, "soffice.bin").is_file():
            return Path(folder, "soffice.bin")
    return None


def version() -> str | None:
    """``LibreOffice 7.4.7.2 …`` or None."""
    binary = soffice()
    if binary is None:
        return None
    try:
        out = subprocess.run([str(binary), "--headless", "--version"], capture_output=True, text=True,
                             timeout=60, preexec_fn=_die_with_parent).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return out.strip().splitlines()[0] if out.strip() else None


def fontconfig(fonts_dir: Path | None) -> str:
    """A fontconfig file: the system's fonts, the licensed folder, and the official names mapped."""
    rules = []
    for role, names in LIKE.items():
        resolved = fonts.resolve(role, fonts_dir)
        family = html.escape(resolved.family if resolved.substitute else resolved.role.docx_name)
        bold = resolved.substitute and resolved.role.bold
        for name in dict.fromkeys((resolved.role.docx_name,) + names):
            if not resolved.substitute and name == resolved.role.docx_name:
                continue                                  # the licensed font answers to its own name
            rules.append(f'  <match target="pattern"><test name="family"><string>{html.escape(name)}</string></test>'
                         f'<edit name="family" mode="assign" binding="strong"><string>{family}</string></edit>'
                         + ('<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>'
                            if bold else "") + "</match>")
    folder = f"  <dir>{html.escape(str(Path(fonts_dir).resolve()))}</dir>\n" if fonts_dir and Path(fonts_dir).is_dir() \
        else ""
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n' + folder + "\n".join(rules)
            + "\n</fontconfig>\n")


class Office:
    """One LibreOffice profile and font set-up; ``convert`` runs one ``soffice`` for a batch."""

    def __init__(self, fonts_dir: Path | None = None, parent: Path | None = None):
        self.binary = soffice()
        if self.binary is None:
            raise RenderError(f"错误: 没有找到 LibreOffice，无法把通知书转换为 PDF；请安装：{INSTALL}"
                              "（或用 --format docx,xlsx 只生成 Word 和 Excel 文件）")
        self.folder = Path(tempfile.mkdtemp(prefix="publisher-office-", dir=parent))
        (self.folder / "fonts.conf").write_text(fontconfig(fonts_dir), "utf-8")
        (self.folder / "tmp").mkdir()
        # LibreOffice's own temporary files go in this folder too, so removing it leaves nothing behind
        self.env = dict(os.environ, FONTCONFIG_FILE=str(self.folder / "fonts.conf"), SAL_USE_VCLPLUGIN="svp",
                        TMPDIR=str(self.folder / "tmp"))

    def convert(self, documents: list[bytes], pages: int = 0) -> list[bytes]:
        """The PDF of each DOCX in ``documents``, in order; ``pages`` (expected) bounds the wait."""
        work = Path(tempfile.mkdtemp(prefix="batch-", dir=self.folder))
        try:
            names = []
            for i, data in enumerate(documents):
                (work / f"{i}.docx").write_bytes(data)
                names.append(str(work / f"{i}.docx"))
            command = [str(self.binary), "--headless", "--invisible", "--norestore", "--nolockcheck", "--nologo",
                       "--nodefault", f"-env:UserInstallation={(self.folder / 'profile').as_uri()}",
                       "--convert-to", "pdf:writer_pdf_Export:" + json.dumps(EXPORT), "--outdir", str(work), *names]
            limit = 60 + SECONDS_PER_PAGE * max(pages, len(documents))
            for _ in range(2):
                done = self._run(command, limit)
                if done.returncode != RESTART:
                    break
            out = []
            for i in range(len(documents)):
                pdf = work / f"{i}.pdf"
                if not pdf.is_file():
                    raise RenderError("错误: LibreOffice 没能把通知书转换为 PDF"
                                      f"（退出码 {done.returncode}：{(done.stderr or done.stdout).strip()[:300]}）")
                out.append(pdf.read_bytes())
            return out
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def _run(self, command: list[str], limit: float):
        try:
            return subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=limit,
                                  preexec_fn=_die_with_parent, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RenderError(f"错误: LibreOffice 转换 PDF 超过 {limit:.0f} 秒仍未完成，已停止") from None
        except OSError as exc:
            raise RenderError(f"错误: 无法启动 LibreOffice（{exc}）；请检查安装：{INSTALL}") from None

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "Office":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_libc = None


def _die_with_parent() -> None:
    """In the child before exec: the kernel kills it when the process that started it dies (Linux)."""
    if _libc is not None:
        _libc.prctl(1, signal.SIGKILL, 0, 0, 0)


if sys.platform.startswith("linux"):
    try:
        _libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        _libc = None
