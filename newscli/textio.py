"""Turning a file's bytes into text: encodings detected, binary refused, writes atomic."""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from pathlib import Path

from newscli.errors import Unreadable

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-heavy text has NULs in every other byte."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, declared: str | None = None, *, html: bool = False) -> str:
    """Decode a file's bytes. Order: BOM, UTF-16 without BOM, a declared charset (HTTP header
    or, for HTML, `<meta charset>`) when it decodes cleanly, strict UTF-8, then detection
    with charset-normalizer. Binary data raises `Unreadable`."""
    found = _bom(data)
    if found:
        encoding, skip = found
        return data[skip:].decode(encoding, errors="replace")
    utf16 = _looks_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace")
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (NUL bytes), not an article")
    if declared is None and html:
        found_meta = _META_CHARSET.search(data[:4096])
        declared = found_meta.group(1).decode("ascii") if found_meta else None
    candidates: tuple[str | None, ...] = (declared, "utf-8")
    for label in candidates:
        if not label:
            continue
        try:
            return data.decode(_normalise(label))
        except (UnicodeDecodeError, LookupError):
            continue
    return _detect(data)


def _normalise(encoding: str) -> str:
    # Browsers treat Latin-1 and ASCII labels as windows-1252; so do we.
    name = codecs.lookup(encoding).name
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    results = from_bytes(data[:1_000_000])
    best = results.best()
    # Like browsers, lean to windows-1252 when it explains the bytes exactly as well.
    for candidate in results:
        if (
            best is not None
            and candidate.encoding == "cp1252"
            and (candidate.chaos, candidate.coherence) == (best.chaos, best.coherence)
        ):
            best = candidate
    if best is None or best.encoding is None:
        # Nothing fits: fall back to cp1252 only when the bytes look like text.
        controls = sum(1 for b in data[:8192] if b < 9 or 13 < b < 32)
        if controls > len(data[:8192]) * 0.01:
            raise Unreadable("binary or undecodable file, not an article")
        return data.decode("cp1252", errors="replace")
    return data.decode(best.encoding, errors="replace")


def read_text(path: Path, max_bytes: int) -> str:
    """Read and decode one article file, refusing files over `max_bytes`."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise Unreadable(f"{size:,} bytes is over the {max_bytes:,}-byte article limit")
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        raise Unreadable(getattr(exc, "strerror", None) or str(exc)) from None
    return decode(data, html=path.suffix.lower() in {".html", ".htm"})


def write_atomic(path: Path, content: bytes) -> None:
    """Write a file so that readers see either the old content or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
