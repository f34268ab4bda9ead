"""Keys that recognise an article whatever its file is called: the same text, the same URL,
or an id newscli wrote into it. Standard library only."""

from __future__ import annotations

from newscli.urls import url_key

__all__ = ["text_key", "url_key", "state_key"]


def text_key(body: str) -> str:
    """A fingerprint of an article's words, to recognise the same text added twice."""
    import hashlib

    words = " ".join(body.lower().split())
    return hashlib.sha1(words.encode("utf-8", "replace")).hexdigest() if words else ""


def state_key(uid: str, url: str, title: str, body: str) -> str:
    """The key reading state is kept under (see README, "Reading state"): the id newscli
    writes into the front matter of files it creates, else the canonical URL, else a
    fingerprint of the title and text. None of them depends on the file's name or place."""
    if uid:
        return f"id:{uid}"
    if url:
        return f"url:{url_key(url)}"
    words = text_key(f"{title}\n{body}")
    return f"text:{words}" if words else ""
