"""YAML front matter: loaded safely (no Python tags, no aliases, bounded size) into `Meta`."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from newscli.dates import read_date
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

    base = yaml.CSafeLoader if plain and getattr(yaml, "__with_libyaml__", False) else None
    if base is not None:
        return _as_strings(base)

    class NoAliasLoader(yaml.SafeLoader):
        """SafeLoader that refuses anchors/aliases, so a 'billion laughs' cannot expand."""

        def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("aliases are not allowed in front matter")
            return super().compose_node(parent, index)

    return _as_strings(NoAliasLoader)


def _as_strings(base: type) -> type:
    """The loader, with dates and times left as the text they were written as: a date that
    does not exist (2025-02-30) is then one field to drop, not a file YAML cannot load."""

    class Loader(base):  # type: ignore[valid-type, misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regex) for tag, regex in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in base.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
    }
    return Loader


def parse(source: str) -> tuple[Meta, list[str]]:
    """Front matter text → (Meta, warnings). A field that cannot be read is dropped with a
    warning naming it; YAML that does not load gives the fields that can be recovered from
    its `key: value` lines, and one warning."""
    import yaml

    problems: list[str] = []
    try:
        loader = _loader(_YAML_SPECIAL.search(source) is None)
        data = yaml.load(source, Loader=loader)  # noqa: S506 - safe loaders only
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 2})" if where is not None else ""
        recovered = recover(source)
        meta = to_meta(recovered, problems)
        found = ", ".join(recovered) if recovered else "none"
        return meta, [f"front matter is not valid YAML{line}; fields read line by line: "
                      f"{found}", *problems]
    except RecursionError:
        return Meta(), ["front matter is nested too deeply; showing the text without it"]
    if data is None:
        return Meta(), []
    if not isinstance(data, dict):
        return Meta(), ["front matter is not a mapping of fields; ignored"]
    return to_meta(data, problems), problems


_LINE = re.compile(r"^([A-Za-z_][\w-]{0,40})[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = re.compile(r"^[ \t]+-[ \t]+(.*?)[ \t]*$")


def recover(source: str) -> dict[str, Any]:
    """The `key: value` lines (and `  - item` lists) of front matter YAML would not load;
    each value taken as YAML if it loads alone, else as the text it is."""
    import yaml

    data: dict[str, Any] = {}
    key = None
    for line in source.splitlines()[:500]:
        if (item := _ITEM.match(line)) and key is not None:
            if not isinstance(data.get(key), list):
                data[key] = []
            data[key].append(_scalar(item.group(1), yaml))
        elif match := _LINE.match(line):
            key = match.group(1)
            data[key] = _scalar(match.group(2) or "", yaml) if match.group(2) else None
        else:
            key = None
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _scalar(text: str, yaml: Any) -> Any:
    try:
        value = yaml.load(text, Loader=_loader(True))  # noqa: S506 - a safe loader
    except yaml.YAMLError:  # a broken list or mapping is dropped; other text is text
        return None if text[:1] in "[{!&*|>@`%" else text.strip("'\"")
    return value if isinstance(value, str | int | float | list) else text


def split_unclosed(text: str) -> tuple[str, str] | None:
    """Front matter that is opened by `---` but never closed: its leading `key: value`
    lines, and the rest as the body; None when there are no such lines."""
    if not _OPEN.match(text):
        return None
    lines = text[4:].split("\n")
    end = 0
    while end < len(lines) and end < 200 and (_LINE.match(lines[end]) or
                                               (end and _ITEM.match(lines[end]))):
        end += 1
    if not end:
        return None
    return "\n".join(lines[:end]), "\n".join(lines[end:]).lstrip("\n")


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


def to_meta(data: dict[Any, Any], problems: list[str] | None = None) -> Meta:
    """A mapping of metadata (front matter, JSON) → Meta, tolerating wrong types: a field
    whose value cannot be used is left empty, and said so in `problems`."""
    known = {n for names in _FIELDS.values() for n in names}
    extra = {
        clean_line(k, 60): clean_line(v, 300)
        for k, v in list(data.items())[:50]
        if str(k).lower() not in known and isinstance(v, str | int | float | bool)
    }
    found = {field: _first(data, names) for field, names in _FIELDS.items()}
    date, date_problem = read_date(found["date"]) if found["date"] is not None else ("", None)
    meta = Meta(
        title=_as_text(found["title"]),
        byline=_as_text(found["byline"]),
        date=date,
        source=_as_text(found["source"]),
        url=clean_url(found["url"]) or "",
        tags=_as_list(found["tags"]),
        language=_as_text(found["language"])[:20],
        extra=extra,
    )
    if problems is not None:
        for field, value in found.items():
            if field == "date" and date_problem:
                shown = clean_line(str(value), 40)
                ignored = "" if date else "; ignored"
                problems.append(f"field 'date': '{shown}' {date_problem}{ignored}")
            elif value is not None and field != "date" and not getattr(meta, field):
                shown = clean_line(str(value), 40)
                problems.append(f"field '{field}': '{shown}' cannot be used; ignored")
    return meta
