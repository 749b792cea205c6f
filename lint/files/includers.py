"""Context files: the configs that may include a fragment named alone on the command line.

pre-commit passes only the staged files. When ``users.conf`` (``users = [...]``, a fragment) is
staged alone, the ``nats-server.conf`` that includes it is not part of the run, and the project
phase cannot know the fragment is included (see ``Project.included_relpaths``). So when a file
named on the command line has a finding that holds only unless another config includes it
(``Diagnostic.unless_included``: nothing else depends on who includes a file), the run also takes,
as *context*, the configs that may include it, found with the walk's own rules (``discover_flat``),
checked through the cache like any file, joining the project phase with their facts, and never
reported or fixed. A run over .py/.js files, or over configs with no such finding, lists nothing.

Where an includer can sit (nats-server resolves ``include`` next to the including file, and a
main config includes its fragments from its own folder or a subfolder of it, ``conf.d/``):

- the fragment's own folder and its ancestor folders, up to ``MAX_LEVELS_UP`` levels above it and
  never above the project root, each listed without entering its subfolders;
- only names a NATS config can have (``*.conf``, ``*.cfg``, ``*.nats``) whose bytes hold ``include``
  and a fragment's file name (an include line names its file literally): a byte search, so the
  other configs of a crowded folder are never parsed or checked;
- at most ``MAX_CONTEXT_FILES`` files in all, nearest folder first, names in order within one.

An includer elsewhere (a sibling folder, ``include ../shared/users.conf``) is not looked for: run
authlint on the folder (or the whole project) to have it, as the walk finds every config.
"""

from __future__ import annotations

import os
from pathlib import Path

from authlint.config.settings import Settings
from authlint.files.classify import needs_sniff
from authlint.files.discover import Candidate, discover_flat
from authlint.files.paths import within

MAX_LEVELS_UP = 3  # conf/nats/conf.d/users.conf still finds conf/nats.conf
MAX_CONTEXT_FILES = 32  # each is loaded and checked (cached); the cap keeps a hook run bounded


def includer_folders(fragments: list[Candidate], root: Path) -> list[str]:
    """The folders an includer of these fragments may sit in, nearest first, each once."""
    root_str = str(root)
    folders: list[str] = []
    for fragment in fragments:
        folder = os.path.dirname(fragment.fspath)
        for _ in range(MAX_LEVELS_UP + 1):
            if not within(folder, root_str):
                break
            if folder not in folders:
                folders.append(folder)
            if folder == root_str:
                break
            folder = os.path.dirname(folder)
    return folders


def context_candidates(fragments: list[Candidate], settings: Settings) -> list[Candidate]:
    """The configs that may include ``fragments`` (files named on the command line), never one of them."""
    root = Path(os.path.realpath(settings.root))
    folders = includer_folders(fragments, root)  # none for a fragment outside the root
    if not folders:
        return []
    found = discover_flat(folders, settings, keep=needs_sniff)
    named = {c.fspath for c in fragments}
    names = {c.relpath.rsplit("/", 1)[-1].encode() for c in fragments}
    by_folder = {folder: i for i, folder in enumerate(folders)}
    found.candidates.sort(key=lambda c: (by_folder.get(os.path.dirname(c.fspath), len(folders)), c.relpath))
    context: list[Candidate] = []
    for candidate in found.candidates:
        if candidate.fspath not in named and _names_one(candidate, names, settings.max_file_size):
            context.append(candidate)
            if len(context) == MAX_CONTEXT_FILES:
                break
    return context


def _names_one(candidate: Candidate, names: set[bytes], max_size: int) -> bool:
    """Whether the file could include one of the fragments: it says ``include`` and one's name."""
    try:
        if os.path.getsize(candidate.fspath) > max_size:
            return False  # not checked either (E002): it lends no facts
        with open(candidate.fspath, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return b"include" in data.lower() and any(name in data for name in names)
