"""Context files: the configs that may include a fragment named alone on the command line.

pre-commit passes only the staged files. When ``users.conf`` (``users = [...]``, a fragment) is
staged alone, the ``nats-server.conf`` that includes it is not part of the run, and the project
phase cannot know the fragment is included (see ``Project.included_relpaths``). So for each
explicitly named NATS config the run also takes, as *context*, the NATS-looking configs that may
include it, found with the walk's own rules (``discover_flat``), checked through the cache like any
file, joining the project phase with their facts, and never reported or fixed.

Where an includer can sit (nats-server resolves ``include`` next to the including file, and a
main config includes its fragments from its own folder or a subfolder of it, ``conf.d/``):

- the fragment's own folder and its ancestor folders, up to ``MAX_LEVELS_UP`` levels above it and
  never above the project root, each listed without entering its subfolders;
- only names a NATS config can have (``*.conf``, ``*.cfg``, ``*.nats``);
- at most ``MAX_CONTEXT_FILES`` files in all, nearest folder first, names in order within one.

An includer elsewhere (a sibling folder, ``include ../shared/users.conf``) is not looked for: run
authlint on the folder (or the whole project) to have it, as the walk finds every config.
"""

from __future__ import annotations

import os
from pathlib import Path

from authlint.config.settings import Settings
from authlint.files.classify import classify, needs_sniff
from authlint.files.discover import Candidate, discover_flat
from authlint.files.kinds import NATSCONF
from authlint.files.paths import within

MAX_LEVELS_UP = 3  # conf/nats/conf.d/users.conf still finds conf/nats.conf
MAX_CONTEXT_FILES = 32  # each is loaded and checked (cached); the cap keeps a hook run bounded
SNIFF_BYTES = 65536  # as much as classify reads


def is_nats_config(candidate: Candidate) -> bool:
    """Whether a named file is a NATS config: the name first (no I/O for the usual .py/.js/.ts),
    then its head, as classify sniffs it."""
    name = candidate.relpath.rsplit("/", 1)[-1]
    if not needs_sniff(name):
        return False
    try:
        with open(candidate.fspath, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return classify(name, head) == NATSCONF


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


def context_candidates(explicit: list[Candidate], settings: Settings) -> list[Candidate]:
    """The context files for the explicitly named files: none unless some of them is a NATS config
    inside the root (so a run over .py/.js files lists nothing extra); never one of ``explicit``."""
    root = Path(os.path.realpath(settings.root))
    fragments = [c for c in explicit if within(c.fspath, str(root)) and is_nats_config(c)]
    if not fragments:
        return []
    folders = includer_folders(fragments, root)
    found = discover_flat(folders, settings, keep=needs_sniff)
    named = {c.fspath for c in explicit}
    by_folder = {folder: i for i, folder in enumerate(folders)}
    found.candidates.sort(key=lambda c: (by_folder.get(os.path.dirname(c.fspath), len(folders)), c.relpath))
    return [c for c in found.candidates if c.fspath not in named][:MAX_CONTEXT_FILES]
