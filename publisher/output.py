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
from pathlib import Path, PurePosixPath

from . import __version__
from .errors import RenderError, UsageError
from .names import Names, fold, is_safe

MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OutputFolder:
    """Context manager collecting a run's outputs, moved into ``target`` only when all succeeded.

    Ownership (what a rerun replaces): every output in ``manifest.json`` records
    ``made_by``, the command that made it with everything but ``-o`` (``publisher
    admissions 录取名单.xlsx --catalog 目录.yaml``).  A run replaces what the same
    command made before: those outputs that it does not make again are removed, so
    the folder never keeps a stale letter.  Outputs of other commands (``form`` then
    ``notice`` into one folder, or the same command on other sources or with other
    options) are kept and stay listed; files publisher never made (not in the
    manifest) are never touched, and ``verify`` names them.
    """

    def __init__(self, target, sources=(), command: str | None = None, owner: str | None = None):
        self.target = Path(target)
        self.sources = [Path(s) for s in sources]
        self.command = command or command_line()
        self.owner = owner or command or command_line(omit=("out",))
        self.tmp: Path | None = None
        self.written: list[str] = []
        self._files: dict[str, str] = {}          # folded path -> path, for every file written
        self._dirs: dict[str, str] = {}           # folded path -> path, for every folder made
        self._books: dict[str, Names] = {}

    def __enter__(self) -> "OutputFolder":
        self._refuse_unsafe_target()
        self.target = self.target.resolve()       # a symlinked folder: work beside the folder it names
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{parent}: 错误: 无法创建输出文件夹（{exc.strerror}）")
        _remove_stale(parent, self.target.name)
        self.tmp = parent / _work_name(self.target.name, "tmp", os.getpid())
        try:
            if self.tmp.exists():
                shutil.rmtree(self.tmp)
            self.tmp.mkdir()
        except OSError as exc:
            raise UsageError(f"{parent}: 错误: 无法在输出文件夹旁建立临时文件夹（{exc.strerror}）；"
                             "请用 -o 指定一个可写的文件夹")
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
    def names(self, folder: str = "") -> Names:
        """This run's book of names in ``folder``: documents of different kinds never share a stem."""
        return self._books.setdefault(folder, Names([MANIFEST]))

    def path(self, relname: str) -> Path:
        """A path inside the run's folder to write ``relname`` to (folders made).

        Every name must be one ``publisher.names`` could make, and no two outputs of a
        run may share a name (ignoring case, as Windows does): an output never
        silently replaces another one of the same run.
        """
        parts = str(relname).replace("\\", "/").split("/")
        if not all(is_safe(part) for part in parts):
            raise ValueError(f"output name is not a safe relative name: {relname!r}")
        rel = PurePosixPath(*parts)
        key = rel.as_posix()
        for i in range(1, len(rel.parts)):
            folder = PurePosixPath(*rel.parts[:i]).as_posix()
            if fold(folder) in self._files:
                self._clash(self._files[fold(folder)], key)
            self._dirs.setdefault(fold(folder), folder)
            if self._dirs[fold(folder)] != folder:
                self._clash(self._dirs[fold(folder)], key)
        if fold(key) in self._files or fold(key) in self._dirs:
            self._clash(self._files.get(fold(key)) or self._dirs[fold(key)], key)
        self._files[fold(key)] = key
        self.written.append(key)
        full = self.tmp / rel
        full.parent.mkdir(parents=True, exist_ok=True)
        return full

    @staticmethod
    def _clash(first: str, second: str):
        raise RenderError(f"错误: 两个输出的名称相同（不区分大小写）：“{first}”与“{second}”；"
                          "未生成任何文件。请把相关的学校、城市或源文件改成不同的名称后重试")

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
        old_entries = _old_outputs(self.target)
        mine = set(self.written)
        replaced = {p for p, e in old_entries.items() if e.get("made_by") == self.owner and p not in mine}
        if self.target.is_dir():
            _carry_over(self.target, self.tmp, skip=replaced | {MANIFEST})
        self._write_manifest({p: e for p, e in old_entries.items() if p not in replaced})
        if self.target.is_dir():
            _keep_attributes(self.target, self.tmp)
        if self.target.exists():
            backup = self.target.parent / _work_name(self.target.name, "old", os.getpid())
            if backup.exists():
                shutil.rmtree(backup, ignore_errors=True)
            try:
                os.replace(self.target, backup)
            except OSError as exc:           # Windows: a file inside is open in Word or Excel
                raise RenderError(f"{self.target}: 错误: 无法更新输出文件夹（{exc.strerror}）；其中的文件可能正被 "
                                  "Word、Excel 或其他程序打开。请关闭后重试；输出文件夹保持原样")
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

    def _write_manifest(self, kept: dict) -> None:
        outputs = {k: v for k, v in kept.items() if (self.tmp / k).is_file() and not (self.tmp / k).is_symlink()}
        for rel in self.written:
            full = self.tmp / rel
            outputs[rel] = {"path": rel, "sha256": sha256_file(full), "size": full.stat().st_size,
                            "made_by": self.owner}
        sources = [s for s in set(self.sources) if s.is_file()]
        names = source_names(sources)
        manifest = {
            "tool": "publisher",
            "version": __version__,
            "command": self.command,
            "outputs": [outputs[k] for k in sorted(outputs)],
            "sources": sorted(({"path": names[s], "sha256": sha256_file(s), "size": s.stat().st_size}
                               for s in sources), key=lambda e: (e["path"], e["sha256"])),
        }
        (self.tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")


def _work_name(name: str, kind: str, pid: int) -> str:
    """``.<name>.tmp-<pid>`` beside the target; a long target name is cut so this name still fits."""
    short = name.encode("utf-8")[:160].decode("utf-8", "ignore")
    return f".{short}.{kind}-{pid}"


def _old_outputs(target: Path) -> dict:
    """path -> entry of the previous manifest's outputs (only well-formed entries inside the folder)."""
    try:
        old = json.loads((target / MANIFEST).read_text("utf-8"))
        entries = old.get("outputs", [])
    except (OSError, ValueError, AttributeError):
        return {}
    result = {}
    for entry in entries if isinstance(entries, list) else []:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not path or path == MANIFEST:
            continue
        rel = PurePosixPath(path)
        if rel.is_absolute() or ".." in rel.parts or "\\" in path:
            continue
        result[rel.as_posix()] = entry
    return result


def _carry_over(target: Path, tmp: Path, skip: set) -> None:
    """Hard-link (else copy) the target's files into the new folder, except ``skip`` and what the run wrote.

    Symlinks stay symlinks (never followed); a folder emptied by the skipped files is dropped,
    a folder that was empty before (the user's) is kept.
    """
    for folder, dirs, files in os.walk(target):
        here = Path(folder)
        rel_dir = here.relative_to(target)
        for name in list(dirs):
            if (here / name).is_symlink():
                dirs.remove(name)
                files.append(name)
        if not dirs and not files and rel_dir.parts:
            (tmp / rel_dir).mkdir(parents=True, exist_ok=True)
        for name in files:
            src = here / name
            rel = (rel_dir / name).as_posix()
            dest = tmp / rel
            if rel in skip or dest.exists() or dest.is_symlink():
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            if src.is_symlink():
                os.symlink(os.readlink(src), dest)
                continue
            try:
                os.link(src, dest)
            except OSError:
                shutil.copy2(src, dest)


def _keep_attributes(target: Path, tmp: Path) -> None:
    """The new folder (and each folder it shares with the old) keeps mode, xattrs/ACLs and, where allowed, owner."""
    for folder, dirs, _ in os.walk(target):
        here = Path(folder)
        dest = tmp / here.relative_to(target)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        if not dest.is_dir() or dest.is_symlink():
            continue
        try:
            shutil.copystat(here, dest)
            st = here.stat()
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (dest.stat().st_uid, dest.stat().st_gid):
                os.chown(dest, st.st_uid, st.st_gid)
        except OSError:
            pass            # not ours to change (another user's folder): keep what we could


def command_line(omit=()) -> str:
    """The running command as the user would type it, from click's context (argv when there is none).

    Rebuilt from the parsed parameters, so it is the same whether run from a shell or a test;
    parameters named in ``omit`` (``out``: the output folder) are left out.  Paths show their
    file name only: the manifest holds no local folder, and the same command typed in another
    working folder is the same command (SPEC §6, issue 11).
    """
    import click
    from click.core import ParameterSource
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return " ".join(["publisher", *sys.argv[1:]])
    names = []
    while ctx.parent is not None:          # the root's name is how it was started (python -m publisher…)
        names.append(ctx.info_name)
        ctx = ctx.parent
    ctx = click.get_current_context()
    parts = ["publisher", *reversed(names)]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if param.name in omit:
            continue
        if ctx.get_parameter_source(param.name) == ParameterSource.DEFAULT or value is None:
            continue
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if isinstance(param.type, click.Path):
            values = [_file_name(v) for v in values]
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
        prefix = _work_name(name, kind, 0)[:-1]
        for stale in (p for p in parent.iterdir() if p.name.startswith(prefix)):
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


def _file_name(value) -> str:
    path = Path(value)
    return path.name or path.resolve().name or path.as_posix()


def source_names(sources) -> dict[Path, str]:
    """source -> its path below the sources' common folder (a file name when they share one)."""
    resolved = {s: Path(s).resolve() for s in sources}
    try:
        common = Path(os.path.commonpath([r.parent for r in resolved.values()])) if resolved else None
    except ValueError:                      # different drives
        common = None
    return {s: (r.relative_to(common).as_posix() if common else r.name) for s, r in resolved.items()}


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
