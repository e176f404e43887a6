"""The catalog of schools and majors (技能扶贫技工院校和专业目录): one city, or a province-wide merge.

Reads top to bottom: load and check the sources, decide what edition they make
(one city with its previous year, or several cities merged), then let each
format module render it.

Output names (README "Output names"): what the document is, in Chinese.
- one city: its title — ``济南市2019年度精准技能扶贫技工院校和专业目录.docx``, ``.pdf``,
  ``.xlsx`` and ``.html``; when neither city nor year is known, the source file's name.
  The filing (``--filing``) adds ``<stem>-备案报告.docx/.pdf`` and ``<stem>-公布通知.docx/.pdf``.
- several cities: ``山东省<year>年度精准技能扶贫技工院校和专业目录.*`` (grouped by city,
  per-city counts).
In ``publisher build`` the same names go under the project's prefix folder.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..config import ProjectConfig
from ..domain.models import Catalog
from ..errors import UsageError
from ..names import safe_name
from .catalog_diff import Change, diff, summary, summary_text

PROVINCE = "山东省"
TITLE_TAIL = "年度精准技能扶贫技工院校和专业目录"


@dataclass
class Part:
    """One city's catalog inside an edition, with its changes against the previous year."""

    city: str
    catalog: Catalog
    previous: Catalog | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return summary(self.changes, self.previous, self.catalog)

    @property
    def summary_text(self) -> str:
        return summary_text(self.changes, self.previous, self.catalog)


@dataclass
class Edition:
    """What one set of outputs shows: a city's catalog, or several cities merged."""

    region: str
    year: int | None
    published_on: dt.date | None
    issuer: str
    parts: list[Part]
    stem: str
    config: ProjectConfig

    @property
    def merged(self) -> bool:
        return len(self.parts) > 1

    @property
    def title(self) -> str:
        return f"{self.region}{self.year or '××'}{TITLE_TAIL}"

    @property
    def schools(self) -> int:
        return sum(len(p.catalog.schools) for p in self.parts)

    @property
    def majors(self) -> int:
        return sum(p.catalog.major_count for p in self.parts)

    @property
    def places(self) -> int:
        """招生计划: places offered over all parts."""
        return sum(p.catalog.plan_total for p in self.parts)

    @property
    def changes(self) -> list[Change]:
        return [c for p in self.parts for c in p.changes]

    @property
    def has_previous(self) -> bool:
        return any(p.previous is not None for p in self.parts)

    @property
    def previous_year(self) -> int | None:
        years = [p.previous.year for p in self.parts if p.previous is not None and p.previous.year]
        return max(years) if years else None


def _title_stem(city: str, year: int | None, source_stem: str) -> str:
    """What the catalog is: ``济南市2019年度精准技能扶贫技工院校和专业目录``; with neither city nor
    year known, the source file's name (else ``年度目录``)."""
    if city or year:
        return f"{city}{year or ''}{TITLE_TAIL}"
    return source_stem if any(ch.isalnum() for ch in source_stem) else "年度目录"


def _part(catalog: Catalog, previous: Catalog | None, city: str) -> Part:
    changes = diff(previous, catalog, city) if previous is not None else []
    return Part(city, catalog, previous, changes)


def _city(catalog: Catalog, config: ProjectConfig) -> str:
    return catalog.city or config.city or ""


def _pick_previous(current: Catalog, candidates: list[Catalog]) -> Catalog | None:
    earlier = [c for c in candidates if c is not current and (not current.year or not c.year or c.year < current.year)]
    return max(earlier, key=lambda c: c.year or 0, default=None)


def catalog_editions(catalogs: list[tuple[Catalog, str]], previous: list[Catalog], config: ProjectConfig) -> list[Edition]:
    """Group catalogs (with their source stems) into one edition: a city, or a province merge.

    Per city the latest year is current; an earlier catalog of the same city
    (among the sources or from ``previous``) is what it is compared with.
    """
    by_city: dict[str, list[tuple[Catalog, str]]] = defaultdict(list)
    for catalog, stem in catalogs:
        by_city[_city(catalog, config)].append((catalog, stem))
    parts, stems = [], []
    for city, items in by_city.items():
        current, stem = max(items, key=lambda item: item[0].year or 0)
        pool = [c for c, _ in items] + [p for p in previous if _city(p, config) in (city, "") or len(by_city) == 1]
        parts.append(_part(current, _pick_previous(current, pool), city))
        stems.append(stem)
    if len(parts) == 1:
        part = parts[0]
        issuer = config.issuer.name or (f"{part.city}人力资源和社会保障局" if part.city else "")
        stem = safe_name(_title_stem(part.city, part.catalog.year, stems[0]), default=f"{part.catalog.year or ''}年度目录")
        return [Edition(part.city, part.catalog.year, part.catalog.published_on, issuer, parts, stem, config)]
    years = [p.catalog.year for p in parts if p.catalog.year]
    year = max(years) if years else None
    dates = [p.catalog.published_on for p in parts if p.catalog.published_on]
    issuer = config.issuer.name if config.issuer.name and not config.issuer.name.startswith(tuple(by_city)) \
        else f"{PROVINCE}人力资源和社会保障厅"
    edition = Edition(PROVINCE, year, max(dates) if dates else None, issuer, parts,
                      f"{PROVINCE}{year or ''}{TITLE_TAIL}", config)
    return [edition]


# ---------------------------------------------------------------- the document kind

def editions(project, previous=None) -> list[Edition]:
    """The editions a project's catalogs make; ``previous`` (``--previous``) names the source(s)
    that are last year's, to compare with rather than publish."""
    prev_root = Path(previous).resolve() if previous else None

    def from_previous(source) -> bool:
        path = source.path.resolve()
        return prev_root is not None and (path == prev_root or prev_root in path.parents)

    current = [(s.model, s.path.stem) for s in project.of_kind("catalog") if not from_previous(s)]
    earlier = [s.model for s in project.of_kind("catalog") if from_previous(s)]
    if not current:
        raise UsageError(f"错误: 没有找到技能扶贫技工院校和专业目录（{project.describe()}）；目录是 YAML 的 "
                         "kind: catalog，或表头含 学校名称、专业名称、培养层次 的工作簿")
    if previous and not earlier:
        raise UsageError(f"{previous}: 错误: --previous 指定的文件不是目录")
    return catalog_editions(current, earlier, project.config)


def plan(project, options, report, previous=None) -> list:
    """The catalog of each edition (a city with its changes, or a province-wide merge)."""
    from ..kinds import Document
    documents = []
    for edition in editions(project, previous):
        _say(edition, report.note)
        documents.append(Document("catalog", edition.stem, edition, edition.title))
    return documents


def _say(edition: Edition, echo) -> None:
    if edition.merged:
        counts = "；".join(f"{p.city} {len(p.catalog.schools)} 所学校 {p.catalog.major_count} 个专业"
                          for p in edition.parts)
        echo(f"{edition.title}：{len(edition.parts)} 个市，{counts}")
    else:
        echo(f"{edition.title}：{edition.schools} 所学校，{edition.majors} 个专业，招生计划 {edition.places} 人")
    for part in edition.parts:
        if part.previous is not None:
            echo(f"{part.city}与{part.previous.year or '上'}年度相比：{len(part.changes)} 处调整。"
                 + part.summary_text)


def _register():
    from ..kinds import Kind, register
    here = "publisher.documents"
    register(Kind("catalog", "技能扶贫技工院校和专业目录", ("catalog",), ("docx", "pdf", "xlsx", "html"), plan,
                  {"docx": f"{here}.catalog_docx:render", "pdf": f"{here}.catalog_html:render_pdf",
                   "xlsx": f"{here}.catalog_xlsx:render", "html": f"{here}.catalog_html:render_public"}))


_register()
