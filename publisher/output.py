"""Atomic output folders and manifest.json (SPEC §6).

Files are written into a temporary folder beside the target.  On success the
temporary folder receives hard links of the target's other files, and the two
folders are swapped with two renames; on any failure (an error, Ctrl-C) the
temporary folder is removed and the target stays exactly as it was.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from . import __version__

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OutputFolder:
    """Context manager collecting a run's outputs, moved into ``target`` only when all succeeded."""

    def __init__(self, target, sources=(), command: str | None = None):
        self.target = Path(target)
        self.sources = [Path(s) for s in sources]
        self.command = command or " ".join(["publisher", *sys.argv[1:]])
        self.tmp: Path | None = None
        self.written: list[str] = []

    def __enter__(self) -> "OutputFolder":
        parent = self.target.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        self.tmp = parent / f".{self.target.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            try:
                self._commit()
            except BaseException:
                self._discard()
                raise
        else:
            self._discard()
        return False

    # ------------------------------------------------------------- writing
    def path(self, relname: str) -> Path:
        """A path inside the run's folder to write ``relname`` to (folders made)."""
        rel = Path(relname)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"output name escapes the folder: {relname}")
        full = self.tmp / rel
        full.parent.mkdir(parents=True, exist_ok=True)
        key = rel.as_posix()
        if key not in self.written:
            self.written.append(key)
        return full

    def write_bytes(self, relname: str, data: bytes) -> Path:
        full = self.path(relname)
        full.write_bytes(data)
        return full

    def write_text(self, relname: str, text: str) -> Path:
        return self.write_bytes(relname, text.encode("utf-8"))

    # ------------------------------------------------------------- commit
    def _discard(self) -> None:
        if self.tmp and self.tmp.exists():
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _commit(self) -> None:
        old_entries = {}
        if self.target.is_dir():
            old_manifest = self.target / MANIFEST
            if old_manifest.is_file():
                try:
                    old = json.loads(old_manifest.read_text("utf-8"))
                    old_entries = {e["path"]: e for e in old.get("outputs", [])}
                except (ValueError, KeyError, TypeError):
                    old_entries = {}
            for path in sorted(self.target.rglob("*")):
                rel = path.relative_to(self.target)
                dest = self.tmp / rel
                if rel.as_posix() == MANIFEST or dest.exists():
                    continue
                if path.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                else:
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    try:
                        os.link(path, dest)
                    except OSError:
                        shutil.copy2(path, dest)
        self._write_manifest(old_entries)
        if self.target.exists():
            backup = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
            os.replace(self.target, backup)
            os.replace(self.tmp, self.target)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(self.tmp, self.target)

    def _write_manifest(self, old_entries: dict) -> None:
        outputs = dict(old_entries)
        for rel in self.written:
            full = self.tmp / rel
            outputs[rel] = {"path": rel, "sha256": sha256_file(full), "size": full.stat().st_size}
        outputs = {k: v for k, v in outputs.items() if (self.tmp / k).is_file()}
        manifest = {
            "tool": "publisher",
            "version": __version__,
            "command": self.command,
            "outputs": [outputs[k] for k in sorted(outputs)],
            "sources": [{"path": _display(s), "sha256": sha256_file(s), "size": s.stat().st_size}
                        for s in sorted(set(self.sources)) if s.is_file()],
        }
        (self.tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def verify(folder: Path) -> list[str]:
    """Problems found when recomputing a folder's manifest (empty list: all good)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{folder}: 找不到 {MANIFEST}，这不是 publisher 的输出文件夹"]
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
        entries = manifest["outputs"]
    except (ValueError, KeyError, TypeError):
        return [f"{manifest_path}: 清单文件已损坏，无法核对"]
    problems = []
    for entry in entries:
        path = folder / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: 文件缺失")
        elif path.stat().st_size != entry.get("size") or sha256_file(path) != entry.get("sha256"):
            problems.append(f"{entry['path']}: 内容已被改动（SHA-256 与清单不符）")
    listed = {e["path"] for e in entries} | {MANIFEST}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.relative_to(folder).as_posix() not in listed:
            problems.append(f"{path.relative_to(folder).as_posix()}: 不在清单中（多出的文件）")
    return problems
