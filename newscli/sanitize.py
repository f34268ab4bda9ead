"""The one place untrusted text is cleaned before it enters the model.

Article text is hostile: it may carry terminal escape sequences (colours, cursor moves,
window titles, OSC 52 clipboard writes, OSC 8 hyperlinks), raw C0/C1 control bytes,
bidirectional overrides, zero-width characters and lone surrogates. Everything that
reaches an `Article` passes through `clean`, `clean_line` or `clean_url` first, so no
renderer has to think about it. Rich markup needs no escaping here: renderers build
`rich.text.Text` objects, which never interpret markup.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# Whole escape sequences: CSI … final byte; OSC/DCS/SOS/PM/APC … BEL or ST; any other ESC
# sequence. An ESC-introduced string runs to its end, or to the end of its line when it has
# none. An 8-bit introducer (U+0090, U+0098, U+009D–U+009F) must be closed within 4 KiB of
# the same line to take its payload along: such characters turn up alone in mis-decoded
# pages, and must not swallow the rest of the article; alone, only the character goes (the
# text after it is plain text once it is gone).
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                 # CSI
  | \x1b[\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?  # OSC, DCS, SOS, PM, APC
  | [\x90\x98\x9d\x9e\x9f](?:[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c))?
  | \x1b[ -/]*[0-~]?                                  # any other ESC sequence
    """,
    re.VERBOSE,
)
# C0 controls but TAB and LF, DEL, C1 controls; bidi embeddings, overrides and isolates;
# zero-width space, word joiner, BOM; interlinear annotation and object replacement marks.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\ufff9-\ufffb]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_SPACE_RUN = re.compile(r"\s+")
# Every character any of the above could touch, for a fast first look.
_ANY_SPECIAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b\u2060"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def clean(text: str) -> str:
    """Make untrusted multi-line text safe to show: line breaks normalised to LF, no control
    bytes or escape sequences, no invisible direction overrides, no lone surrogates."""
    if _ANY_SPECIAL.search(text) is None:  # the common case: nothing to do
        return text
    text = _NEWLINES.sub("\n", text)
    text = _ESCAPES.sub("", text)
    text = _INVISIBLE.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


_SHOWN_ESCAPED = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


# The same, but for JSON text: json.dumps escapes C0 inside strings itself, so a raw line
# break or tab there is the layout's own.
_JSON_ESCAPED = re.compile(
    "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060"
    "\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def visible(text: str) -> str:
    """Text that must stay recognisable but cannot be trusted (file names, paths): every
    character `clean` would remove, and other invisible ones, written as \\xNN/\\uNNNN."""
    return _SHOWN_ESCAPED.sub(_escape_char, text)


def json_safe(text: str) -> str:
    """JSON output with the same characters as `\\uNNNN` escapes: the same value to a
    parser, and nothing a terminal acts on."""
    return _JSON_ESCAPED.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean_line(text: object, limit: int = 1000) -> str:
    """Clean a single-line field (title, byline, tag…): whitespace folded, length bounded."""
    if text is None:
        return ""
    line = _SPACE_RUN.sub(" ", clean(str(text))).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def clean_url(url: object) -> str | None:
    """A link target safe to print and to hyperlink, or None for anything but http(s)/mailto
    (javascript:, file:, data: and the like are dropped)."""
    if not isinstance(url, str):
        return None
    url = re.sub(r"[\n\t]", "", clean(url)).strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in SAFE_SCHEMES or len(url) > 4096:
        return None
    # Keep reserved characters; percent-encode anything else outside printable ASCII.
    return quote(url, safe="!#$%&'()*+,-./:;=?@[]_~")
