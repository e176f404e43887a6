"""The office's project folder, as every job sees it: copied into the job, never changed.

The IT person starts ``publisher serve FOLDER`` on the office's project folder
(``publisher.yaml``, templates, licensed fonts, last year's catalog).  Each job gets
a fresh copy of it with the uploads beside, so a job runs exactly as ``publisher
build`` would in that folder, sees the folder as it is now (an edited
``publisher.yaml`` counts from the next job on), and can never change it.

What is copied: every file but hidden ones, ``output/`` folders, ``__pycache__`` and
folders holding a ``manifest.json`` (outputs of earlier runs).  A folder too big to
copy per job (a home folder given by mistake) is refused at start, with the limits.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Findings, PublisherError, UsageError

MAX_FILES = 2000
MAX_BYTES = 500 * 1024 * 1024
SKIPPED = ("output", "__pycache__", "node_modules")


@dataclass
class Office:
    folder: Path | None
    files: list[Path] = field(default_factory=list)      # relative to ``folder``
    size: int = 0

    @classmethod
    def scan(cls, folder: Path | None) -> "Office":
        """The files a job gets; ``UsageError`` when the folder is too big to copy per job."""
        office = cls(folder)
        if folder is None:
            return office
        for base, dirs, names in os.walk(folder):
            here = Path(base)
            if (here / "manifest.json").is_file() and here != folder:
                dirs[:] = []
                continue
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "~$")) and d not in SKIPPED)
            for name in sorted(names):
                path = here / name
                if name.startswith((".", "~$")) or not path.is_file():
                    continue
                office.files.append(path.relative_to(folder))
                office.size += path.stat().st_size
                if len(office.files) > MAX_FILES or office.size > MAX_BYTES:
                    raise UsageError(f"{folder}: 错误: 这个文件夹太大（超过 {MAX_FILES} 个文件或 "
                                     f"{MAX_BYTES // (1024 * 1024)} MB），每个任务都要复制一份；请给出办公室的项目文件夹"
                                     "（只放 publisher.yaml、模板、字体和往年目录的文件夹）")
        return office

    def copy_into(self, dest: Path) -> list[str]:
        """Copy the folder's files into ``dest``, keeping files already there (the uploads win).

        Returns the office files an upload replaced, for a note to the user."""
        replaced = []
        if self.folder is None:
            return replaced
        for rel in self.files:
            target = dest / rel
            if target.exists():
                replaced.append(rel.as_posix())
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(self.folder / rel, target)
            except FileNotFoundError:
                continue            # removed from the office folder since the scan
        return replaced

    def describe(self) -> dict:
        """What the page shows about the server's folder: the project's settings and its sources."""
        from ..config import load_config
        from ..sources import SOURCE_SUFFIXES
        if self.folder is None:
            return {"folder": "", "config": False, "sources": [], "city": "", "year": None, "issuer": ""}
        try:
            config = load_config(self.folder, Findings())
        except PublisherError:                     # a broken publisher.yaml: each job's check says where
            config = None
        sources = [rel.as_posix() for rel in self.files
                   if rel.suffix.lower() in SOURCE_SUFFIXES and rel.name not in ("publisher.yaml", "publisher.yml")]
        return {"folder": self.folder.name, "config": bool(config and config.file),
                "sources": sources, "city": config.city if config else "",
                "year": config.year if config else None, "issuer": config.issuer.name if config else ""}
