"""How to render: one frozen object, made once from the command line and publisher.yaml.

Every renderer takes ``Options`` (a notice's attachment pages included), so a choice
such as ``mask`` reaches every document by construction instead of being passed,
defaulted and re-decided module by module.  Values come from the command line when
given there, else from the project's validated config (``publisher.config``), else
the defaults below.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .config import Layout, ProjectConfig


@dataclass(frozen=True)
class Options:
    formats: tuple[str, ...] = ()             # the formats to make (checked against the kind's own)
    mask: bool = False                        # hide the middle of ID and phone numbers everywhere
    layout: Layout = field(default_factory=Layout)   # red, seal size, double-sided, paper …
    fonts: Path | None = None                 # licensed fonts folder
    templates: Path | None = None             # user templates that override the built-in ones
    letter_template: Path | None = None       # --template: the school's own letter DOCX
    seal: str = "placeholder"                 # placeholder | none | authorised image (path)
    seal_image: Path | None = None
    workers: int | None = None                # letter worker processes (None: as many as cores, up to 2)
    progress: Callable[[int], object] | None = None   # factory of a progress bar for long runs
    build_date: dt.datetime | None = None     # SOURCE_DATE_EPOCH, read once

    @property
    def paper(self) -> str:
        return self.layout.paper

    @property
    def sealed(self) -> bool:
        return self.seal != "none"

    @property
    def base_url(self) -> str:
        """Where relative links in templates (a logo) are looked up: the user's templates folder."""
        return str(self.templates or Path.cwd()) + "/"

    def only(self, formats) -> "Options":
        """The same options for a subset of formats (e.g. a notice's attachment)."""
        return replace(self, formats=tuple(f for f in self.formats if f in formats))


def make_options(config: ProjectConfig | None, *, formats=(), mask: bool | None = None,
                 templates: Path | None = None, letter_template: Path | None = None,
                 workers: int | None = None, progress=None) -> Options:
    """Options from command-line values (None: not given) over the project's config."""
    config = config or ProjectConfig()
    return Options(
        formats=tuple(formats),
        mask=bool(mask) or config.mask,
        layout=config.layout,
        fonts=config.fonts,
        templates=templates or config.templates,
        letter_template=letter_template,
        seal=config.issuer.seal or "placeholder",
        seal_image=config.seal_image(),
        workers=workers,
        progress=progress,
        build_date=source_date_epoch(),
    )


def source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds), when set to a whole number of seconds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return None
