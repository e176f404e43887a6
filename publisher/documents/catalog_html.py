"""The catalog as HTML: the print layout for the PDF, and the public self-contained web page.

Both take the same template context made from an ``Edition``.  The public page
carries its data as JSON (Jinja's ``tojson`` escapes ``<``, so ``</script>`` in a
cell cannot end the script) and never includes personal data: only schools'
public addresses and phones, no contact person.
"""
from __future__ import annotations

from markupsafe import Markup

from ..render import fonts
from ..render.html import render
from ..render.pdf import html_to_pdf
from ..text import cn_date


def _school(no: int, school, city: str) -> dict:
    return {
        "no": no, "city": city, "name": school.name, "type": school.type, "affiliation": school.affiliation,
        "address": school.address, "phone": school.phone,
        "plan": sum(m.plan or 0 for m in school.majors),
        "majors": [{"code": m.code, "name": m.name, "level": m.level, "years": m.years, "plan": m.plan,
                    "note": m.note} for m in school.majors],
    }


def context(edition, options) -> dict:
    """Everything the catalog templates show, as plain values."""
    parts = []
    no = 0
    for part in edition.parts:
        schools = []
        for school in part.catalog.schools:
            no += 1
            schools.append(_school(no, school, part.city))
        parts.append({
            "city": part.city, "schools": schools, "school_count": len(part.catalog.schools),
            "major_count": part.catalog.major_count, "plan": part.catalog.plan_total,
            "date": cn_date(part.catalog.published_on, ""), "year": part.catalog.year,
            "summary_text": part.summary_text,
            "previous_year": part.previous.year if part.previous is not None else None,
        })
    return {
        "title": edition.title, "region": edition.region, "year": edition.year,
        "date": cn_date(edition.published_on, ""), "issuer": edition.issuer,
        "merged": edition.merged, "parts": parts,
        "totals": {"schools": edition.schools, "majors": edition.majors, "plan": edition.places,
                   "cities": len(edition.parts)},
        "has_previous": edition.has_previous, "previous_year": edition.previous_year,
        "changes": [{"kind": c.kind, "city": c.city, "school": c.school, "major": c.major, "item": c.item,
                     "old": c.old, "new": c.new} for c in edition.changes],
        "red": options.layout.red,
    }


def render_pdf(edition, options, report=None) -> bytes:
    from ..render.seal import seal_markup
    ctx = context(edition, options)
    ctx.update(fonts_css=Markup(fonts.css(options.fonts)), seal=Markup(seal_markup(options)))
    html = render("html/catalog.html.j2", ctx, options.templates)
    return html_to_pdf(html, base_url=options.base_url, date=edition.published_on, title=edition.title)


def public_data(edition, options) -> dict:
    """The JSON the public page filters: schools with their majors, nothing personal."""
    ctx = context(edition, options)
    schools = [s for p in ctx["parts"] for s in p["schools"]]

    def options(values):
        return sorted({v for v in values if v not in (None, "")}, key=lambda v: (str(type(v)), v))

    return {
        "title": ctx["title"], "merged": ctx["merged"], "schools": schools,
        "options": {
            "city": [p["city"] for p in ctx["parts"]] if ctx["merged"] else [],
            "level": [lv for lv in ("中级工", "高级工", "预备技师", "技师")
                      if any(m["level"] == lv for s in schools for m in s["majors"])]
                     + options(m["level"] for s in schools for m in s["majors"]
                               if m["level"] not in ("中级工", "高级工", "预备技师", "技师")),
            "years": options(m["years"] for s in schools for m in s["majors"]),
            "affiliation": [a for a in ("中央", "省属", "市属", "县属", "民办") if any(s["affiliation"] == a for s in schools)],
            "type": [t for t in ("技师学院", "高级技工学校", "技工学校") if any(s["type"] == t for s in schools)],
        },
    }


def render_public(edition, options, report=None) -> bytes:
    """One self-contained HTML page: inline CSS and JS, system fonts, no network access."""
    ctx = context(edition, options)
    ctx["data"] = public_data(edition, options)
    html = render("html/catalog_public.html.j2", ctx, options.templates)
    return html.encode("utf-8")
