"""The seed's two forms: 附件1 (进展情况表, from progress) and 附件2 (登记汇总表, from registrations).

Each form is first turned into a ``Form`` (title, 填表单位 line, header cells,
body rows, 总计 row, 填表人 line), a plain object that the three renderers
share: ``xlsx_bytes``, ``docx_bytes`` and ``pdf_bytes`` (through the HTML
templates ``html/form.html.j2`` + ``html/form_body.html.j2`` + ``html/form.css``).
All pages are A4 landscape and the table header repeats on every printed page.

Entry points
- ``make_form(form, folder, data, config, catalog, city, formats, mask)`` —
  ``publisher form``: one form into an OutputFolder, returns the paths written.
- ``build_project(project, out, prefix, formats, mask, echo)`` — ``publisher build``:
  附件1 from every progress source (not in a project holding several cities'
  returns: the compilation deals with those), 附件2 from every registrations source.

For the notice, which prints these forms as attachment pages of a 公文:
- ``form_html(form, data=None, config=None, city=None, blank=True, mask=False,
  with_title=True) -> str`` — an HTML fragment ``<div class="pub-form">…</div>``
  holding the title (unless ``with_title=False``), the 填表单位 line with the seal
  placeholder, the table and the 填表人 line, preceded by a ``<style>`` whose rules
  are all scoped under ``.pub-form``. No "附件1" label and no @page rules: the
  notice sets the landscape page and its own label.
- ``add_form_docx(document, form, data=None, config=None, city=None, blank=True,
  mask=False, with_title=True)`` — appends the same into a python-docx Document at
  its end; the caller must already have made the landscape section.
``data`` is a ``Source`` or a model (``Progress`` / ``PersonList``).

The renderers live in ``form_render`` (page and cell layout only).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..config import ProjectConfig
from ..domain.people import mask_text
from ..errors import UsageError
from ..names import safe_name
from ..text import cn_date

FORMS = ("attachment1", "attachment2")
LABELS = {"attachment1": "附件1", "attachment2": "附件2"}
A1_TITLE = "全省技工院校服务脱贫攻坚工作进展情况表"
A2_TITLE = "{city}精准技能扶贫对象登记汇总表"
BLANK_UNIT = "        市人力资源社会保障局"
BLANK_DATE = "      年   月   日"
XLSX_BLANK_ROWS = 30
PRINT_BLANK_ROWS = {"attachment1": 10, "attachment2": 12}   # what fits one landscape page


@dataclass(frozen=True)
class Col:
    key: str
    title: str          # the seed's title; "\n" marks where the seed breaks the line
    weight: float       # relative print width
    xlsx_width: float   # Excel column width in characters
    kind: str = "text"  # seq | text | int | id
    group: str = ""     # the upper header cell it sits under (附件1)


A1_COLUMNS = (
    Col("seq", "序号", 5, 6, "seq"),
    Col("school", "学校名称", 26, 30),
    Col("enrolled", "当年招收建档立卡贫困家庭子女人数（人）", 12, 16, "int", "技工教育情况"),
    Col("in_school", "建档立卡贫困\n家庭子女在校生人数（人）", 12, 16, "int", "技工教育情况"),
    Col("graduates", "建档立卡贫困\n家庭子女毕业生人数（人）", 12, 16, "int", "技工教育情况"),
    Col("employed", "建档立卡贫困家庭子女毕业生就业人数（人）", 12, 16, "int", "技工教育情况"),
    Col("trained", "当年面向建档立卡贫困家庭劳动者开展职业培训人数（人）", 14, 18, "int", "职业培训情况"),
    Col("trained_employed", "培训后就业创业人数（人）", 12, 16, "int", "职业培训情况"),
)
# Print weights are millimetres of a 267 mm wide table at 10.5 pt: an 18-digit number
# needs 38.5 mm in Noto Serif CJK (0.54 em a digit) with the cell padding.
A2_COLUMNS = (
    Col("seq", "序号", 11, 6, "seq"),
    Col("name", "姓名", 16, 10),
    Col("gender", "性别", 11, 6),
    Col("ethnicity", "民族", 12, 8),
    Col("card_no", "扶贫卡编号", 42, 22, "id"),
    Col("id_no", "身份证号", 39, 22, "id"),
    Col("phone", "联系电话", 28, 15, "id"),
    Col("address", "家庭详细地址", 36, 36),
    Col("school", "拟就读\n技工院校", 31, 24),
)
A2_OPTIONAL = (
    Col("major", "拟就读专业", 20, 14),
    Col("category", "人员类别", 21, 16),
)
# Parts of 家庭详细地址: kept in the XLSX (for sorting and filing), left off paper.
A2_XLSX_ONLY = (
    Col("county", "县（市、区）", 0, 12),
    Col("town", "乡镇（街道）", 0, 12),
    Col("village", "村（社区）", 0, 12),
)
MASKED = ("id_no", "phone", "address")       # --mask: every ID and phone number in these cells


@dataclass
class HeadCell:
    text: str
    row: int            # 0-based header row
    col: int            # 0-based column
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Form:
    """One form, ready for any renderer."""

    form: str
    label: str
    title: str
    unit: str           # after 填表单位（盖章）：
    date: str           # after 填表时间：
    columns: tuple
    head: list          # HeadCell
    head_rows: int
    rows: list          # list of lists (values typed: int, str or None)
    total: list         # 总计 row values per column (column 0 holds "总计")
    total_span: int     # columns the 总计 label covers
    filled_by: str = ""
    phone: str = ""
    blank: bool = False
    city: str = ""
    doc_date: dt.date | None = None
    schools: list = field(default_factory=list)     # catalog schools (blank drop-downs)

    @property
    def table_pt(self) -> float:
        """Table type size: 五号 (10.5 pt) while it fits, smaller for the widest 附件2."""
        n = len(self.columns)
        return 10.5 if n <= 11 else 9


def _model(data):
    return getattr(data, "model", data)


def _head(columns) -> tuple[list, int]:
    """Header cells: one row, or two when columns sit under a group title (附件1)."""
    if not any(c.group for c in columns):
        return [HeadCell(c.title, 0, i) for i, c in enumerate(columns)], 1
    cells, i = [], 0
    while i < len(columns):
        col = columns[i]
        if not col.group:
            cells.append(HeadCell(col.title, 0, i, rowspan=2))
            i += 1
            continue
        j = i
        while j < len(columns) and columns[j].group == col.group:
            cells.append(HeadCell(columns[j].title, 1, j))
            j += 1
        cells.append(HeadCell(col.group, 0, i, colspan=j - i))
        i = j
    cells.sort(key=lambda c: (c.row, c.col))
    return cells, 2


def build_form(form: str, data=None, config: ProjectConfig | None = None, city: str | None = None,
               blank: bool = False, mask: bool = False, catalog=None, blank_rows: int = 0,
               wide: bool = False) -> Form:
    """The form as rows and cells; ``data`` None or ``blank`` gives the empty form.

    ``wide`` (the XLSX) keeps every optional column the data fills; paper keeps
    the seed's nine plus 拟就读专业 and 人员类别.
    """
    if form not in FORMS:
        raise UsageError(f"错误: 不认识的表格“{form}”；应为 attachment1 或 attachment2")
    config = config or ProjectConfig()
    model = None if blank or data is None else _model(data)
    city = (getattr(model, "city", "") if model else "") or city or ""
    if form == "attachment1":
        columns = A1_COLUMNS
        title = A1_TITLE
    else:
        optional = A2_OPTIONAL + (A2_XLSX_ONLY if wide else ())
        present = [c for c in optional if model and any(getattr(p, c.key) for p in model.rows)]
        columns = A2_COLUMNS + tuple(present)
        title = A2_TITLE.format(city=city or "××市")
    head, head_rows = _head(columns)
    result = Form(form, LABELS[form], title,
                  unit=(getattr(model, "unit", "") or f"{city}人力资源社会保障局") if city else BLANK_UNIT,
                  date=cn_date(model.filled_on) if model and model.filled_on else BLANK_DATE,
                  columns=columns, head=head, head_rows=head_rows, rows=[], total=[],
                  total_span=2 if form == "attachment1" else 1,
                  filled_by=model.filled_by if model else "", phone=model.phone if model else "",
                  blank=model is None, city=city, doc_date=model.filled_on if model else None,
                  schools=[s.name for s in catalog.schools] if catalog else [])
    if model is None:
        result.rows = [[n + 1] + [None] * (len(columns) - 1) for n in range(blank_rows)]
        result.total = ["总计"] + [None] * (len(columns) - 1)
        return result
    for n, item in enumerate(model.rows, 1):
        row = []
        for col in columns:
            if col.kind == "seq":
                row.append(n)
                continue
            value = getattr(item, col.key)
            if col.kind == "int":
                value = value or 0
            elif mask and col.key in MASKED and value:
                value = mask_text(value)
            row.append(value if value is not None else "")
        result.rows.append(row)
    result.total = ["总计"] + [None] * (len(columns) - 1)
    if form == "attachment1":
        for i, col in enumerate(columns):
            if col.kind == "int":
                result.total[i] = sum(r[i] for r in result.rows)
    else:
        result.total[1] = len(result.rows)
    return result


def total_texts(form: Form) -> list[str]:
    """The 总计 row as printed: 附件2 counts people (“4人”)."""
    texts = ["" if v is None else str(v) for v in form.total]
    if form.form == "attachment2" and form.total[1] is not None:
        texts[1] = f"{form.total[1]}人"
    return texts


CITY_BYTES = 90          # a city's part of a form's file name: 30 Chinese characters at most


def output_stem(form: Form, data=None) -> str:
    """附件1-济南市-2019H1, 附件2-济南市, 附件1-空白表 (names within one run).

    The city is the user's text (``--city``, the source): made safe and short by
    ``publisher.names``, and left out when nothing of it can be a name (``..``, ``/``).
    """
    parts = [form.label]
    city = safe_name(form.city, default="", max_bytes=CITY_BYTES) if form.city else ""
    if city:
        parts.append(city)
    model = _model(data) if data is not None else None
    if not form.blank and form.form == "attachment1" and getattr(model, "period", None):
        parts.append(f"{model.period.year}H{model.period.half}")
    if form.blank:
        parts.append("空白表")
    return safe_name("-".join(parts))


# ---------------------------------------------------------------- the document kind

@dataclass(frozen=True)
class FormSpec:
    """What one form document shows, before the rows a format wants are laid out."""

    form: str
    data: object = None             # Progress / PersonList, None for a blank form
    city: str = ""
    catalog: object = None          # the governing catalog (blank forms' drop-down of schools)
    config: ProjectConfig | None = None
    rows: int | None = None         # ruled rows of a blank form (``--rows``); None: each format's own

    def build(self, options, rows: int = 0, wide: bool = False) -> Form:
        rows = self.rows if self.rows is not None and self.data is None else rows
        return build_form(self.form, self.data, self.config, self.city, self.data is None, options.mask,
                          self.catalog, rows, wide)


def several_cities(project) -> bool:
    """A project holding progress returns of more than one city (the province's)."""
    cities = {s.model.city or s.display for s in project.of_kind("progress")}
    return len(cities) > 1


def plan(project, options, report, form: str | None = None, blank: bool = False, city: str | None = None,
         rows: int | None = None) -> list:
    """Forms to make: the one asked for (``publisher form``), or in a build 附件1 from each
    progress source (not in a province project: the compilation deals with those) and 附件2
    from each registrations source.  Two returns of one city are told apart by their sources."""
    from ..kinds import Document
    if form is not None:
        catalog = project.catalog_for()
        if blank:
            specs = [(FormSpec(form, None, city or "", catalog, project.config, rows), None)]
        else:
            kinds = SOURCE_KINDS[form]
            matches = [s for s in project.sources if s.kind in kinds]
            if not matches:
                raise UsageError(f"错误: 没有找到{FORM_NAMES[form]}（{project.describe()}）；"
                                 f"请给出{FORM_NAMES[form]}，或用 --blank 生成空白表")
            source = matches[0]
            specs = [(FormSpec(form, source.model, city or "", catalog, project.config), source)]
    else:
        jobs = [] if several_cities(project) else [("attachment1", s) for s in project.of_kind("progress")]
        jobs += [("attachment2", s) for s in project.of_kind("registrations")]
        specs = [(FormSpec(name, s.model, project.config.city,
                           project.catalog_for(getattr(s.model, "city", "")), project.config), s) for name, s in jobs]
    documents, used = [], set()
    for spec, source in specs:
        built = spec.build(options)
        stem = output_stem(built, spec.data)
        if stem in used and source is not None:
            stem = safe_name(f"{stem}-{source.path.stem}")
        used.add(stem)
        documents.append(Document("forms", stem, spec, f"{built.label} {FORM_NAMES[spec.form]}"))
        report.note(f"{built.label}：{stem}")
    return documents


SOURCE_KINDS = {"attachment1": ("progress",), "attachment2": ("registrations", "admissions")}
FORM_NAMES = {"attachment1": "附件1 进展情况表", "attachment2": "附件2 登记汇总表"}


def _register():
    from ..kinds import Kind, register
    # Reads progress (附件1), registrations or admissions (附件2), and the catalog (drop-downs).
    writers = {fmt: f"publisher.documents.form_render:{fmt}_writer" for fmt in ("xlsx", "docx", "pdf")}
    register(Kind("forms", "附件1、附件2 表格", ("progress", "registrations", "admissions", "catalog"), ("xlsx", "docx", "pdf"), plan,
                  writers, needs=(), applies=lambda project: bool(project.of_kind("progress") or project.of_kind("registrations"))))


_register()
