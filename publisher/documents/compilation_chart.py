"""The rates-by-city bar chart as a PNG picture (for the DOCX and the PDF).

Drawn with Pillow, which WeasyPrint already depends on, in the 黑体 role's font
file (Noto Sans CJK SC as the open substitute): no plotting library, no
rasteriser, and the PNG bytes are the same on every run.  The XLSX gets a
native Excel chart instead (``compilation_render.xlsx_bytes``).
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..render import fonts

DPI = 200
WIDTH_MM, HEIGHT_MM = 240, 95
COLORS = ("#2F5597", "#C55A11")          # 毕业生就业率, 培训后就业创业率
GRID = "#BFBFBF"
INK = "#000000"
SERIES = ("毕业生就业率", "培训后就业创业率")


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


@functools.lru_cache(maxsize=16)
def _font(path: str | None, size_px: int):
    if not path:
        return ImageFont.load_default(size_px)
    if path.lower().endswith((".ttc", ".otc")):
        # a collection: take the Simplified Chinese face where there is one
        for index in range(8):
            try:
                face = ImageFont.truetype(path, size_px, index=index)
            except OSError:
                break
            if face.getname()[0].endswith(" SC"):
                return face
    try:
        return ImageFont.truetype(path, size_px)
    except OSError:
        return ImageFont.load_default(size_px)


def _pct(value) -> float | None:
    if value is None:
        return None
    part, whole = value
    return 100.0 * part / whole


def chart_png(labels: list[str], series: list[list], fonts_dir: Path | None = None,
              rate_text=None) -> bytes:
    """Grouped bars: for each label, one bar per series (values are (part, whole) or None)."""
    file = fonts.resolve("hei", fonts_dir).file
    path = str(file) if file else None
    w, h = _px(WIDTH_MM), _px(HEIGHT_MM)
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(path, _px(3.2)), _font(path, _px(3.8))
    left, right, top, bottom = _px(18), _px(6), _px(14), _px(14)
    plot_w, plot_h = w - left - right, h - top - bottom
    # legend
    x = left
    for name, color in zip(SERIES, COLORS):
        draw.rectangle([x, _px(4), x + _px(5), _px(7.5)], fill=color)
        draw.text((x + _px(7), _px(5.75)), name, font=normal, fill=INK, anchor="lm")
        x += _px(7) + round(draw.textlength(name, font=normal)) + _px(10)
    # grid and axis (0–100 %)
    for step in range(0, 101, 20):
        y = top + plot_h - plot_h * step / 100
        draw.line([left, y, left + plot_w, y], fill=GRID if step else INK, width=2 if step else 3)
        draw.text((left - _px(2), y), f"{step}%", font=small, fill=INK, anchor="rm")
    draw.line([left, top, left, top + plot_h], fill=INK, width=3)
    n = max(len(labels), 1)
    slot = plot_w / n
    bar = min(slot * 0.32, _px(14))
    for i, label in enumerate(labels):
        centre = left + slot * (i + 0.5)
        for k, values in enumerate(series):
            value = values[i]
            x0 = centre - bar * len(series) / 2 + k * bar
            pct = _pct(value)
            if pct is None:
                draw.text((x0 + bar / 2, top + plot_h - _px(1)), "—", font=small, fill=INK, anchor="mb")
                continue
            y = top + plot_h - plot_h * min(pct, 100) / 100
            draw.rectangle([round(x0 + 2), round(y), round(x0 + bar - 2), top + plot_h - 1], fill=COLORS[k])
            text = rate_text(value) if rate_text else f"{pct:.1f}%"
            draw.text((x0 + bar / 2, y - _px(0.8)), text, font=small, fill=INK, anchor="mb")
        draw.text((centre, top + plot_h + _px(2)), label, font=normal, fill=INK, anchor="mt")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI), optimize=False)
    return buffer.getvalue()


SIZE_MM = (WIDTH_MM, HEIGHT_MM)
