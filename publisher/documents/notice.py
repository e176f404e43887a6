"""Official notices (公文) in GB/T 9704-2012 format, as DOCX and PDF.

Entry points
- ``run_notice(source, out, formats, echo)`` — ``publisher notice SOURCE.yaml -o OUT``;
- ``build_project(project, out, prefix, formats, mask, echo)`` — ``publisher build``:
  every ``kind: notice`` source of the project.
The layout numbers are in ``notice_layout``; the PDF (WeasyPrint, with the layout
self-check) in ``notice_pdf``; the DOCX (python-docx) in ``notice_docx``.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import CheckFailed, Findings
from ..names import clash_text
from ..output import OutputFolder


def make(notice, config, project, formats, findings: Findings) -> dict[str, bytes]:
    """{extension: bytes} for the requested formats; layout warnings go to ``findings``."""
    from . import notice_docx, notice_pdf
    files = {}
    pdf, plan = notice_pdf.build(notice, config, project, findings)
    if "docx" in formats:
        files["docx"] = notice_docx.build_docx(notice, config, project, plan)
    if "pdf" in formats:
        files["pdf"] = pdf
    return files


def run_notice(source, out, formats, echo=print) -> list[str]:
    from ..project import load_project, run_checks
    source = Path(source)
    project = load_project([source])
    findings = run_checks(project)
    for finding in findings.sorted():
        echo(str(finding))
    if findings.has_errors:
        raise CheckFailed(f"发现 {len(findings.errors)} 个错误，未生成任何文件。请按上面的提示修改源文件后重试。")
    notices = project.of_kind("notice")
    if not notices:
        raise CheckFailed(f"{source}: 错误: 这不是公文源文件，应以 kind: notice 开头")
    written = []
    with OutputFolder(out, [s.path for s in project.sources]) as folder:
        for src in notices:
            layout = Findings()
            files = make(src.model, project.config, project, formats, layout)
            for finding in layout.sorted():
                echo(str(finding))
            stem = _stem(folder, "", src, echo)
            for ext in formats:
                if ext in files:
                    rel = f"{stem}.{ext}"
                    folder.write_bytes(rel, files[ext])
                    written.append(rel)
    for rel in written:
        echo(f"已生成 {Path(out) / rel}")
    return written


def _stem(folder, prefix: str, src, echo) -> str:
    """The notice's output name: its source's, made safe and unique in the folder."""
    stem, clash = folder.names(prefix).claim(src.path.stem)
    if clash:
        echo(f"{src.display}: 警告: {clash_text(clash)}")
    return stem


def build_project(project, out, prefix, formats, mask, echo) -> list[str]:
    written = []
    for src in project.of_kind("notice"):
        layout = Findings()
        files = make(src.model, project.config, project, formats, layout)
        for finding in layout.sorted():
            echo(str(finding))
        stem = _stem(out, prefix, src, echo)
        for ext in ("docx", "pdf"):
            if ext in files and ext in formats:
                rel = f"{prefix}/{stem}.{ext}" if prefix else f"{stem}.{ext}"
                out.write_bytes(rel, files[ext])
                written.append(rel)
        if files:
            echo(f"已生成公文：{stem}（{'、'.join(e for e in ('docx', 'pdf') if e in files)}）")
    return written
