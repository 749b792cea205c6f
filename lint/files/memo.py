"""A warm run's file list: the last walk's result, reused while no folder it listed has changed.

Walking a 12k-file tree (scandir, excludes, .gitignore, name filters) was the biggest part of an
unchanged re-run. Adding, removing or renaming a file changes its folder's ctime; so does chmod;
a .gitignore edited in place changes its own. So when every folder and ignore file the walk read
still has the inode and ctime it had, walking again would find the same files, and a stat per
folder replaces the walk. Anything unexpected (other paths or working folder, a field missing or
of the wrong type, a path that no longer stats) means: walk again.

Which files changed is not this module's business: the cache stats every file it reuses.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from authlint.files.discover import Candidate, Discovery, Listing, Skipped

FORMAT = 1


def record(paths: list[str], root: Path, found: Discovery, listing: Listing) -> dict[str, Any] | None:
    """The memo for a walk of ``paths``, or None when a later stat could not vouch for it."""
    if not listing.reliable or found.missing or any(c.explicit for c in found.candidates):
        return None
    names = [path for path, _, _ in listing.folders] + [c.relpath for c in found.candidates]
    if any("\n" in name for name in names):
        return None  # the lists below are newline-joined
    prefix = str(root) + os.sep
    moved = {
        str(i): c.fspath for i, c in enumerate(found.candidates) if c.fspath != prefix + c.relpath.replace("/", os.sep)
    }
    return {
        "format": FORMAT,
        "paths": list(paths),
        "cwd": os.getcwd(),
        "root": str(root),
        "folders": "\n".join(path for path, _, _ in listing.folders),
        "inodes": [inode for _, inode, _ in listing.folders],
        "ctimes": [ctime for _, _, ctime in listing.folders],
        "files": [list(entry) for entry in listing.files],
        "count": len(found.candidates),
        "candidates": "\n".join(c.relpath for c in found.candidates),
        "fspaths": moved,
        "skipped": [[s.relpath, s.reason] for s in found.skipped],
    }


def replay(memo: Any, paths: list[str], root: Path) -> Discovery | None:
    """The memo's Discovery when it is for these paths and nothing it read has changed, else None."""
    if not isinstance(memo, dict) or memo.get("format") != FORMAT:
        return None
    try:
        if memo["paths"] != list(paths) or memo["cwd"] != os.getcwd() or memo["root"] != str(root):
            return None
        if not _unchanged(memo):
            return None
        relpaths = memo["candidates"].split("\n") if memo["count"] else []
        if len(relpaths) != memo["count"]:
            return None
        prefix = str(root) + os.sep
        moved: dict[str, str] = memo["fspaths"]
        found = Discovery()
        for i, relpath in enumerate(relpaths):
            fspath = moved.get(str(i)) or prefix + relpath.replace("/", os.sep)
            found.candidates.append(Candidate(fspath, relpath))
        found.skipped = [Skipped(str(relpath), str(reason)) for relpath, reason in memo["skipped"]]
        return found
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a memo of another shape: walk


def _unchanged(memo: dict[str, Any]) -> bool:
    folders = memo["folders"].split("\n")
    inodes, ctimes = memo["inodes"], memo["ctimes"]
    if not (len(folders) == len(inodes) == len(ctimes)):
        return False
    stat = os.stat
    try:
        for folder, inode, ctime in zip(folders, inodes, ctimes):
            info = stat(folder)
            if info.st_ctime_ns != ctime or info.st_ino != inode:
                return False
    except OSError:
        return False
    for path, inode, ctime, size in memo["files"]:
        try:
            info = stat(path)
        except FileNotFoundError:
            if inode != -1:
                return False
            continue
        except OSError:
            return False
        if (info.st_ino, info.st_ctime_ns, info.st_size) != (inode, ctime, size):
            return False
    return True
