"""YAML front matter: loaded safely (no Python tags, no aliases, bounded size) into `Meta`."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from newscli.dates import normalise_date
from newscli.model import Meta
from newscli.sanitize import clean_line, clean_url

MAX_FRONT_MATTER = 64 * 1024
_OPEN = re.compile(r"\A---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)

_FIELDS = {
    "title": ("title", "headline"),
    "byline": ("byline", "author", "authors", "by"),
    "date": ("date", "published", "published_at", "pubdate", "created"),
    "source": ("source", "site", "site_name", "publication", "publisher"),
    "url": ("url", "link", "canonical_url", "source_url"),
    "tags": ("tags", "keywords", "categories", "tag"),
    "language": ("language", "lang"),
}


def split(text: str) -> tuple[str | None, str]:
    """Split `---`-fenced front matter from the body. Returns (yaml or None, body)."""
    if not _OPEN.match(text):
        return None, text
    close = _CLOSE.search(text, 4, MAX_FRONT_MATTER + 4)
    if close is None:
        return None, text
    return text[4 : close.start()], text[close.end() :].lstrip("\n")


# Anchors (&a), aliases (*a) and tags (!x) at the start of a YAML token. Front matter without
# them (nearly all of it) goes to libyaml's fast safe loader; the rest to a pure-Python safe
# loader that refuses aliases outright.
_YAML_SPECIAL = re.compile(r"(?:^|[\s\[{,:-])[&*!]", re.M)


@cache
def _loader(plain: bool) -> type:
    import yaml

    if plain and getattr(yaml, "__with_libyaml__", False):
        return yaml.CSafeLoader

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader that refuses anchors/aliases, so a 'billion laughs' cannot expand."""

        def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases are not allowed in front matter")
            return super().compose_node(parent, index)

    return NoAliasLoader


def parse(source: str) -> tuple[Meta, str | None]:
    """Front matter text → (Meta, warning). Broken YAML gives an empty Meta and a warning."""
    import yaml

    try:
        loader = _loader(_YAML_SPECIAL.search(source) is None)
        data = yaml.load(source, Loader=loader)  # noqa: S506 - safe loaders only
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        return Meta(), f"front matter is not valid YAML{line}; showing the text without it"
    except RecursionError:
        return Meta(), "front matter is nested too deeply; showing the text without it"
    if data is None:
        return Meta(), None
    if not isinstance(data, dict):
        return Meta(), "front matter is not a mapping of fields; ignored"
    return to_meta(data), None


def _first(data: dict[Any, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in data.items()}
    for name in names:
        if lowered.get(name) not in (None, ""):
            return lowered[name]
    return None


def _as_list(value: Any) -> list[str]:
    items: list[Any]
    if value is None:
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list | tuple | set):
        items = [v for v in value if isinstance(v, str | int | float)]
    elif isinstance(value, dict):
        items = [str(v) for v in value.values() if isinstance(v, str)]
        if not items:
            items = [str(v) for v in value.get("name", [])] if "name" in value else []
    else:
        items = [value]
    out: list[str] = []
    for item in items[:100]:
        text = clean_line(item, 80)
        if text and text not in out:
            out.append(text)
    return out


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_as_list(value))
    if isinstance(value, dict):
        return clean_line(value.get("name", ""))
    return clean_line(value) if isinstance(value, str | int | float) else ""


def to_meta(data: dict[Any, Any]) -> Meta:
    """A mapping of metadata (front matter, JSON) → Meta, tolerating wrong types."""
    known = {n for names in _FIELDS.values() for n in names}
    extra = {
        clean_line(k, 60): clean_line(v, 300)
        for k, v in list(data.items())[:50]
        if str(k).lower() not in known and isinstance(v, str | int | float | bool)
    }
    return Meta(
        title=_as_text(_first(data, _FIELDS["title"])),
        byline=_as_text(_first(data, _FIELDS["byline"])),
        date=normalise_date(_first(data, _FIELDS["date"])),
        source=_as_text(_first(data, _FIELDS["source"])),
        url=clean_url(_first(data, _FIELDS["url"])) or "",
        tags=_as_list(_first(data, _FIELDS["tags"])),
        language=_as_text(_first(data, _FIELDS["language"]))[:20],
        extra=extra,
    )
