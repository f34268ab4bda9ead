"""Listings and search hits: plain lines for pipes, JSON, and Rich lines for terminals.

Kept apart from `render` (articles) so that `list` and `search` import nothing heavy: plain
and JSON output need only the standard library, and Rich is imported only for a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from newscli.records import MARK_OFF, MARK_ON, MARKED, Hit, Row, reading_minutes

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text


def human_date(iso: str) -> str:
    """'2024-03-05' → '5 Mar 2024'; anything unparseable is shown as given."""
    try:
        day = dt.date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{day.day} {day:%b %Y}"


def row_json(row: Row) -> dict[str, Any]:
    """The `list --json` contract: these keys, these types."""
    return {
        "id": row.id,
        "title": row.title,
        "byline": row.byline,
        "source": row.source,
        "date": row.date or None,
        "url": row.url or None,
        "tags": row.tags,
        "words": row.words,
        "path": row.path,
        "read": row.read,
        "starred": row.starred,
    }


def dumps(value: Any, indent: int | None = 2) -> str:
    """JSON as newscli prints it: UTF-8, with control and invisible characters (which only
    untrusted text such as file names can hold) as \\uNNNN escapes."""
    from newscli.sanitize import json_safe

    return json_safe(json.dumps(value, ensure_ascii=False, indent=indent))


# -- listing ------------------------------------------------------------------------------
def tsv_line(n: int, row: Row) -> str:
    """One piped `list` line: number, id, date, source, minutes, title, tags, state
    (`unread` and/or `starred`, comma-separated) — tab-separated, with tabs and newlines
    already folded out of every field by sanitize."""
    return "\t".join(
        [
            str(n),
            row.id,
            row.date[:10],
            row.source,
            str(reading_minutes(row.words)),
            row.title,
            ",".join(row.tags),
            flags(row),
        ]
    )


def flags(row: Row) -> str:
    return ",".join(f for f, on in (("unread", not row.read), ("starred", row.starred)) if on)


def marker(row: Row) -> str:
    """Two cells for a terminal: • unread, ★ starred."""
    return ("•" if not row.read else " ") + ("★" if row.starred else " ")


class ListLayout:
    """The terminal table's columns, fitted to the terminal width and to the rows: every row
    is one line at any width. A column empty in every row is left out; when the natural
    widths do not fit, columns narrow and then go, in this order: source and tags narrow,
    the title gives up to half the width, tags go, then minutes, source and date; spare width
    goes back to what was cut. Widths come from the first rows (`sample`), so a listing of
    any length still streams line by line."""

    SAMPLE = 1000
    # (column, width it may shrink to; 0 = dropped), tried in order until the row fits.
    SHRINK = (("source", 24), ("tags", 24), ("title", -2), ("source", 14), ("tags", 12),
              ("title", 24), ("tags", 0), ("minutes", 0), ("source", 0), ("title", 16),
              ("mark", 0), ("date", 0))

    def __init__(self, width: int, count_digits: int, sample: Iterable[Row] = ()) -> None:
        from rich.cells import cell_len

        rows = list(sample)
        natural = {
            "num": max(count_digits, 1),
            "mark": 2 if any(marker(r).strip() for r in rows) else 0,
            "title": max([5, *(cell_len(r.title) for r in rows)]),
            "source": max([0, *(cell_len(r.source) for r in rows)]),
            "date": max([0, *(len(human_date(r.date)) for r in rows if r.date)]),
            "minutes": 3,
            "tags": max([0, *(cell_len(", ".join(r.tags)) for r in rows)]),
        }
        for name, header in (("source", 6), ("date", 4), ("tags", 4)):
            if natural[name]:
                natural[name] = max(natural[name], header)
        widths = {name: w for name, w in natural.items() if w}
        for name, floor in self.SHRINK:
            excess = sum(widths.values()) + len(widths) - 1 - width
            if excess <= 0:
                break
            if name not in widths:
                continue
            if floor == -2:
                floor = max(24, width // 2)
            if floor == 0:
                del widths[name]
            else:
                widths[name] -= max(0, min(excess, widths[name] - floor))
        spare = width - (sum(widths.values()) + len(widths) - 1)
        if spare < 0:  # a very narrow terminal: the title takes what is left
            widths["title"] = max(1, widths["title"] + spare)
        for name in ("title", "source", "tags"):
            if name in widths and spare > 0:
                grow = min(spare, natural[name] - widths[name])
                widths[name] += grow
                spare -= grow
        self.widths = widths
        self.num, self.mark = widths["num"], widths.get("mark", 0)
        self.title = widths["title"]
        self.source, self.date = widths.get("source", 0), widths.get("date", 0)
        self.minutes, self.tags = widths.get("minutes", 0), widths.get("tags", 0)

    def _cells(self, cells: Iterable[tuple[str, int, str, str]]) -> Text:
        from rich.text import Text

        line = Text(no_wrap=True, overflow="ellipsis")
        for value, width, style, justify in cells:
            if not width:
                continue
            if justify == "right":  # numbers: short, ASCII
                cell = Text(value.rjust(width)[-width:], style=style)
            else:
                cell = Text(value, style=style)
                cell.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" ")
        line.rstrip()
        return line

    def header(self) -> Text:
        return self._cells(
            [
                ("#", self.num, "bold", "right"),
                ("", self.mark, "bold", ""),
                ("Title", self.title, "bold", ""),
                ("Source", self.source, "bold", ""),
                ("Date", self.date, "bold", ""),
                ("Min", self.minutes, "bold", "right"),
                ("Tags", self.tags, "bold", ""),
            ]
        )

    def row(self, n: int, row: Row) -> Text:
        return self._cells(
            [
                (str(n), self.num, "dim", "right"),
                (marker(row), self.mark, "yellow", ""),
                (row.title, self.title, "bold" if not row.read else "", ""),
                (row.source or "—", self.source, "cyan", ""),
                (human_date(row.date) if row.date else "—", self.date, "green", ""),
                (str(reading_minutes(row.words)), self.minutes, "", "right"),
                (", ".join(row.tags), self.tags, "magenta", ""),
            ]
        )


# -- search hits --------------------------------------------------------------------------
PLAIN_MARK = "**"


def _hit_meta(hit: Hit) -> str:
    row = hit.row
    parts = [row.id, row.source, human_date(row.date) if row.date else ""]
    return " · ".join(p for p in parts if p)


def _explain(hit: Hit) -> str:
    fields = "; ".join(f"{name}: {', '.join(words)}" for name, words in hit.matched.items())
    return f"score {hit.score:.2f}" + (f" · matched {fields}" if fields else "")


def _one_line(snippet: str) -> str:
    return " ".join(snippet.split())


def _plain_marks(text: str) -> str:
    return text.replace(MARK_ON, PLAIN_MARK).replace(MARK_OFF, PLAIN_MARK)


def _styled_marks(text: str, style: str = "") -> Text:
    from rich.text import Text

    out = Text()
    for i, piece in enumerate(text.replace(MARK_OFF, MARK_ON).split(MARK_ON)):
        out.append(piece, style=f"{style} bold yellow" if i % 2 else style)
    return out


def hit_lines(hits: list[Hit], explain: bool = False) -> Iterator[str]:
    """Search hits as plain lines for pipes: matches marked **like this**, no escapes, one
    snippet line per hit, never wrapped (so grep sees whole lines)."""
    for n, hit in enumerate(hits, start=1):
        yield f"{n}. {_plain_marks(hit.title)}"
        yield f"   {_hit_meta(hit)}"
        if hit.snippet:
            yield "   " + _plain_marks(_one_line(hit.snippet))
        if explain:
            yield f"   {_explain(hit)}"
        yield ""


def hit_renderables(hits: list[Hit], explain: bool = False) -> list[RenderableType]:
    """Search hits for a terminal: numbered titles, id · source · date, highlighted snippet."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    out: list[RenderableType] = []
    for n, hit in enumerate(hits, start=1):
        # The number in a column of its own: a long title wraps under itself, at the same
        # indent as the lines below it, at any width.
        title = Table.grid()
        title.add_column(width=4, no_wrap=True)
        title.add_column(ratio=1)
        heading = Text(marker(hit.row), style="yellow")
        heading.append_text(_styled_marks(hit.title, "bold"))
        title.add_row(Text(f"{n:>2}. ", style="dim"), heading)
        out.append(title)
        lines = [Text(_hit_meta(hit), style="cyan", no_wrap=True, overflow="ellipsis")]
        if hit.snippet:
            lines.append(_styled_marks(_one_line(hit.snippet)))
        if explain:
            lines.append(Text(_explain(hit), style="dim"))
        out += [Padding(line, (0, 0, 0, 4)) for line in lines]
        out.append(Text(""))
    return out


def hit_json(hit: Hit) -> dict[str, Any]:
    snippet = _one_line(hit.snippet)
    return {
        **row_json(hit.row),
        "score": round(hit.score, 4),
        "snippet": snippet.replace(MARK_ON, "").replace(MARK_OFF, ""),
        "highlights": sorted(
            {m.lower() for m in MARKED.findall(hit.title + " " + snippet)}
        ),
        "matched": hit.matched or None,
    }
