"""Official notices (公文) in GB/T 9704-2012 format, as DOCX and PDF: the ``notice`` kind.

Layers, each reading the one before:
- ``publisher.domain.notice`` — the model, the 发文字号 rule, the body markup;
- ``publisher.sources.notice`` — the YAML reader; ``publisher.checks.check_notice`` — the rules;
- ``publisher.linebreak`` — titles and names broken at words;
- ``notice_layout`` — the GB/T 9704 numbers (mark, signature, seals), and what the writers take;
- ``notice_pdf.measure`` — the measuring stage (a first WeasyPrint pass) giving a ``NoticeLayout``;
- the writers ``notice_pdf.pdf_bytes`` and ``notice_docx.docx_bytes``, both from that layout
  (attachment content: ``notice_attachments``, ``notice_docx_pages``; DOCX grid paragraphs:
  ``notice_docx_base``); ``notice_check.self_check`` reads the final PDF render back.
The catalog filing (``catalog_filing``) makes its 公布通知 and 备案报告 through the same layers.
"""
from __future__ import annotations

from ..errors import UsageError
from .notice_layout import MeasuredNotice, NoticeJob


def job_for(source, project) -> NoticeJob:
    """A notice source with the models its attachments print (read once by ``load_project``)."""
    notice = source.model
    attached = []
    for att in notice.all_attachments:
        found = project.attachment_source(att)
        attached.append(found.model if found is not None else None)
    return NoticeJob(notice, tuple(attached))


def measured(job: NoticeJob, options) -> MeasuredNotice:
    """The measuring stage both writers read (see ``notice_pdf.measure``)."""
    from .notice_pdf import measure
    return measure(job, options)


def plan(project, options, report) -> list:
    """One document per ``kind: notice`` source, named after it (``notice.yaml`` → ``notice.pdf``)."""
    from ..kinds import Document
    sources = project.of_kind("notice")
    if not sources:
        raise UsageError(f"错误: 没有找到公文源文件（{project.describe()}）；公文的 YAML 应以 kind: notice 开头")
    documents = []
    for source in sources:
        documents.append(Document("notice", source.path.stem, measured(job_for(source, project), options),
                                  source.model.title))
        report.note(f"公文：{source.path.stem}（{source.model.title}）")
    return documents


# The notice engine's writers, which every 公文 kind (the notice, the catalog's filing) uses.
WRITERS = {"docx": "publisher.documents.notice_docx:docx_bytes", "pdf": "publisher.documents.notice_pdf:pdf_bytes"}


def _register():
    from ..kinds import Kind, register
    register(Kind("notice", "公文", ("notice",), ("docx", "pdf"), plan, WRITERS))


_register()
