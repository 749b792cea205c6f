"""Plain text files: what no other kind claims, read only to look for committed nkey seeds (NAT009).

A repository's README, shell scripts, notes, Makefiles, Terraform, ``.toml``/``.ini`` files and
extension-less files are where seeds get pasted too. They are walked cheaply: the name decides
first (``text_name``: images, archives, compiled files, fonts, media, source maps, translations,
lock files and minified bundles are never stat'ed or read), then the bytes (``binary``: a NUL
byte in the first 8000, git's own test, so a binary without a telling suffix is dropped), and
only then the seed shape (``nkeys.SEED_BYTES``, a case-sensitive regex on the raw bytes, run by
the prefilter): a file without it is never decoded, split into lines, lowered or cached as text.
"""

from __future__ import annotations

from authlint.files.classify import classify
from authlint.files.kinds import TEXT

# Suffixes of files that are not text, or text no one writes a seed into by hand (generated maps,
# translations, lock files, bundles): the walk drops them by name.
SKIPPED_SUFFIXES = frozenset(
    {
        # images and design files
        "png", "jpg", "jpeg", "gif", "bmp", "ico", "icns", "webp", "avif", "heic", "tif", "tiff",
        "psd", "ai", "eps", "svg", "xcf", "sketch", "fig",
        # geodata and other binary data sets
        "shp", "shx", "dbf", "prj", "mmdb", "gpkg", "kmz", "lzma", "graffle",
        # stylesheets (rules for a browser, never credentials)
        "css", "scss", "sass", "less",
        # fonts
        "woff", "woff2", "ttf", "otf", "eot",
        # archives and packages
        "zip", "gz", "tgz", "tar", "bz2", "xz", "7z", "rar", "zst", "lz4", "jar", "war", "ear", "whl",
        "egg", "apk", "aab", "ipa", "deb", "rpm", "dmg", "iso", "img", "nupkg", "gem", "crate",
        # compiled code and native libraries
        "exe", "dll", "so", "dylib", "a", "o", "obj", "lib", "class", "pyc", "pyo", "pyd", "wasm",
        "bin", "elf", "beam",
        # data stores and serialised models
        "db", "sqlite", "sqlite3", "mdb", "dat", "npy", "npz", "pkl", "pickle", "h5", "hdf5", "parquet",
        "avro", "orc", "onnx", "pt", "pth", "ckpt", "safetensors", "tflite", "pb", "rdb", "dump",
        # media
        "mp3", "mp4", "m4a", "m4v", "wav", "ogg", "oga", "webm", "mov", "avi", "mkv", "flac", "aac",
        # office documents
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
        # binary keystores (a PEM `.key`/`.crt` is text and stays)
        "jks", "keystore", "p12", "pfx", "der",
        # generated text: source maps, compiled translations and their catalogs, lock files
        "map", "po", "mo", "pot", "lock", "sum",
        # editor and OS litter
        "swp", "swo", "ds_store",
    }
)
# Generated files named in full (their suffix alone says nothing).
SKIPPED_NAMES = frozenset({".ds_store", "thumbs.db", "go.sum", "go.work.sum"})
# Minified bundles (``app.min.js``, ``site.min.css``): one line of machine output.
MINIFIED = (".min.js", ".min.mjs", ".min.css", ".bundle.js", ".chunk.js")
SNIFF_BYTES = 8000  # git calls a file binary when a NUL byte is among its first 8000


def text_name(name: str) -> bool:
    """Whether a file of this name may be plain text worth searching (no I/O)."""
    lower = name.lower()
    if lower in SKIPPED_NAMES or lower.endswith(MINIFIED):
        return False
    dot = lower.rfind(".")
    return dot < 0 or lower[dot + 1 :] not in SKIPPED_SUFFIXES


def binary(raw: bytes) -> bool:
    """Whether the bytes are a binary file's: a NUL byte near the start (``memchr`` speed)."""
    return b"\x00" in raw[:SNIFF_BYTES]


def classify_text(name: str, raw: bytes) -> str | None:
    """``classify``, and ``TEXT`` for a text file no other kind claims (None: a binary, or a name
    ``text_name`` refuses)."""
    kind = classify(name, raw)
    if kind is None and text_name(name) and not binary(raw):
        return TEXT
    return kind
