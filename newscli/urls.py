"""Canonical URLs: the form used to recognise the same article reached by two links.

Standard library only, so the catalog can compute keys without loading an HTTP client.
"""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": "80", "https": "443"}

# Query parameters that identify a campaign or a click, never the page. Compared lower-case;
# every ``utm_*`` parameter is dropped too.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "ref_url", "cmpid", "smid", "smtyp",
        "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid",
        "__twitter_impression",
    }
)  # fmt: skip


def canonical_url(url: str) -> str:
    """The form of ``url`` used to recognise the same article fetched twice.

    Lower-cases scheme and host, drops a default port, the fragment and tracking query
    parameters (``utm_*``, ``fbclid``...), sorts the other parameters (``?b=2&a=1`` is
    ``?a=1&b=2``; repeated names keep their relative order), and writes an empty path as
    ``/``. Applying it twice changes nothing; a URL too broken to parse comes back stripped
    of surrounding spaces, otherwise unchanged.
    """
    result = _canonical_once(url)
    # urlsplit and urlunsplit do not round-trip a few odd inputs ("x:////"); settle them.
    for _ in range(3):
        again = _canonical_once(result)
        if again == result:
            break
        result = again
    return result


def url_key(url: str) -> str:
    """The URL as newscli compares it ('' for no URL)."""
    return canonical_url(url) if url else ""


def _canonical_once(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed "[" in the host: nothing safe to normalise
        return url.strip()
    scheme = parts.scheme.lower()
    netloc = _canonical_netloc(scheme, parts.netloc)
    path = parts.path
    if netloc and not path:
        path = "/"
    kept = [piece for piece in parts.query.split("&") if piece and not _is_tracking(piece)]
    # sorted by name only (a stable sort), so `?a=2&a=1` keeps the order the site gave
    kept.sort(key=lambda piece: piece.partition("=")[0])
    return urlunsplit((scheme, netloc, path, "&".join(kept), "")).strip()


def _canonical_netloc(scheme: str, netloc: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("[") and "]" in hostport:  # IPv6 literal
        end = hostport.index("]") + 1
        host, rest = hostport[:end], hostport[end:]
        colon, port = rest[:1], rest[1:]
        if colon not in ("", ":"):
            host, colon, port = hostport, "", ""
    else:
        host, colon, port = hostport.partition(":")
    if port.isascii() and port.isdigit():
        port = str(int(port))
    if colon and port in ("", DEFAULT_PORTS.get(scheme)):
        colon = port = ""
    return f"{userinfo}{at}{host.lower()}{colon}{port}"


def _is_tracking(piece: str) -> bool:
    name = unquote_plus(piece.partition("=")[0]).strip().lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS
