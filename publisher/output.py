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
from .errors import UsageError

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
        self.command = command or command_line()
        self.tmp: Path | None = None
        self.written: list[str] = []
        self._seen: set[str] = set()

    def __enter__(self) -> "OutputFolder":
        self._refuse_unsafe_target()
        self.target = self.target.resolve()
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{parent}: 错误: 无法创建输出文件夹（{exc.strerror}）")
        _remove_stale(parent, self.target.name)
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

    def _refuse_unsafe_target(self) -> None:
        """The target is swapped as a whole: it must be a folder, and not the one we are standing in."""
        target = self.target.resolve()
        if target.exists() and not target.is_dir():
            raise UsageError(f"{self.target}: 错误: 输出位置是一个已有的文件，不是文件夹；请用 -o 指定一个文件夹")
        cwd = Path.cwd().resolve()
        if target == cwd or target in cwd.parents or target.parent == target:
            raise UsageError(f"{self.target}: 错误: 不能把当前文件夹或其上级文件夹作为输出文件夹；"
                             "请用 -o 指定一个单独的文件夹，如 -o output")

    # ------------------------------------------------------------- writing
    def path(self, relname: str) -> Path:
        """A path inside the run's folder to write ``relname`` to (folders made)."""
        rel = Path(relname)
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"output name escapes the folder: {relname}")
        full = self.tmp / rel
        full.parent.mkdir(parents=True, exist_ok=True)
        key = rel.as_posix()
        if key not in self._seen:
            self._seen.add(key)
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
            if backup.exists():
                shutil.rmtree(backup, ignore_errors=True)
            os.replace(self.target, backup)
            try:
                os.replace(self.tmp, self.target)
            except BaseException:
                # Ctrl-C or an OS error between the two renames: put the old folder back.
                if not self.target.exists():
                    os.replace(backup, self.target)
                raise
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


def command_line() -> str:
    """The running command as the user would type it, from click's context (argv when there is none).

    Rebuilt from the parsed parameters, so it is the same whether run from a shell or a test.
    """
    import click
    from click.core import ParameterSource
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return " ".join(["publisher", *sys.argv[1:]])
    parts = ["publisher", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if ctx.get_parameter_source(param.name) == ParameterSource.DEFAULT or value is None:
            continue
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if isinstance(param, click.Argument):
            parts += [str(v) for v in values]
        elif param.is_flag:
            parts += [param.opts[0]] if value else []
        else:
            for v in values:
                parts += [param.opts[0], str(v)]
    return " ".join(parts)


def _remove_stale(parent: Path, name: str) -> None:
    """Temporary folders left by a run that was killed outright (no chance to clean up)."""
    for kind in ("tmp", "old"):
        for stale in parent.glob(f".{name}.{kind}-*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
                continue
            if kind == "old" and not (parent / name).exists():
                continue          # the only copy of an interrupted swap: leave it for a person to see
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def verify(folder: Path) -> list[str]:
    """Problems found when recomputing a folder's manifest (empty list: all good)."""
    folder = Path(folder)
    if not folder.is_dir():
        return [f"{folder}: 输出文件夹不存在"]
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{folder}: 找不到 {MANIFEST}，这不是 publisher 的输出文件夹"]
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
        entries = manifest["outputs"]
    except (ValueError, KeyError, TypeError):
        return [f"{manifest_path}: 清单文件已损坏，无法核对"]
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("path"), str)
                                                 for e in entries):
        return [f"{manifest_path}: 清单文件已损坏（outputs 项缺少 path），无法核对"]
    problems = []
    for entry in entries:
        rel = Path(entry["path"])
        if rel.is_absolute() or ".." in rel.parts:
            problems.append(f"{entry['path']}: 清单中的路径指向输出文件夹以外，已拒绝核对")
            continue
        path = folder / rel
        if not path.is_file():
            problems.append(f"{entry['path']}: 文件缺失")
        elif path.stat().st_size != entry.get("size") or sha256_file(path) != entry.get("sha256"):
            problems.append(f"{entry['path']}: 内容已被改动（SHA-256 与清单不符）")
    listed = {e["path"] for e in entries} | {MANIFEST}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.relative_to(folder).as_posix() not in listed:
            problems.append(f"{path.relative_to(folder).as_posix()}: 不在清单中（多出的文件）")
    return problems


_UNSAFE = str.maketrans({c: "_" for c in '/\\:*?"<>|\0'})


def safe_name(text: str, default: str = "未命名") -> str:
    """A school or city name usable as one file or folder name (no separators, no '..')."""
    name = "".join(ch for ch in str(text).translate(_UNSAFE) if ch >= " ").strip().strip(".")
    return name[:100] or default
