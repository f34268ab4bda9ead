"""The query language, tested by running its queries through the real SQLite catalog of a
small store."""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscli.catalog.fts import match_string, where
from newscli.catalog.sqlite import SqliteCatalog
from newscli.catalog.sync import Sync
from newscli.errors import BadQuery
from newscli.query import Dated, HasTag, Query, parse_query, tokenize
from newscli.records import NO_FILTERS

TODAY = dt.date(2025, 3, 31)

# id, title, byline, source, date, tags, body
ARTICLES = [
    (
        "trump",
        "Trump’s new order",
        "Ann Lee",
        "Reuters",
        "2024-01-15",
        ["Politics"],
        "The president signed it.",
    ),
    (
        "prison",
        "A mega-prison opens",
        "Bo Diaz",
        "El Faro",
        "2024-02-29T10:00:00+00:00",
        ["El Salvador", "prisons"],
        "Inmates moved to the new mega prison.",
    ),
    (
        "us",
        "U.S. deported hundreds",
        "Ann Lee",
        "AP",
        "2024-03-31",
        ["Politics", "Migration"],
        "Flights are deporting people; more will be deported.",
    ),
    (
        "gangs",
        "MS-13 and Barrio 18",
        "Cy Ng",
        "InSight Crime",
        "2024-06-30",
        ["Gangs"],
        "Rival gangs, Barrio 18 and MS-13, in the news again.",
    ),
    (
        "prices",
        "Coffee for $5",
        "Di Roe",
        "Reuters",
        "2025-01-02",
        ["Economy"],
        "A café charges $5 now; the other cafe less.",
    ),
    ("code", "Learning C++ fast", "", "Blog", "", [], "C++ AND NEAR are words here 😀."),
    ("tokyo", "東京は晴れです", "", "NHK", "2023-12-31", ["Japan"], "Weather 🌞 report."),
    (
        "deport",
        "How to deport",
        "Ed Fox",
        "AP",
        "2025-03-30",
        ["migration"],
        "Deport is the verb; nothing about trump.",
    ),
]
IDS = {a[0] for a in ARTICLES}


def _front_matter(title: str, byline: str, source: str, date: str, tags: list[str]) -> str:
    import yaml

    fields = {"title": title, "byline": byline, "source": source, "date": date, "tags": tags}
    return yaml.safe_dump({k: v for k, v in fields.items() if v}, allow_unicode=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteCatalog]:
    """A store of these articles, catalogued by the real catalog."""
    root: Path = tmp_path_factory.mktemp("store")
    for id_, title, byline, source, date, tags, body in ARTICLES:
        text = f"---\n{_front_matter(title, byline, source, date, tags)}---\n\n{body}\n"
        (root / f"{id_}.md").write_text(text, encoding="utf-8")
    with SqliteCatalog(root) as catalog:
        Sync(catalog, lambda: 1 << 20, print).refresh(full=True)
        assert catalog.count() == len(ARTICLES)
        yield catalog


def run(catalog: SqliteCatalog, query: Query) -> set[str]:
    return {hit.row.id for hit in catalog.search(query, limit=1000)}


def search(con: SqliteCatalog, text: str) -> set[str]:
    return run(con, parse_query(text, today=TODAY))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # words, stemming, case and accents
        ("trump", {"trump", "deport"}),
        ("TRUMP order", {"trump"}),
        ("deport", {"us", "deport"}),
        ("deporting", {"us", "deport"}),
        ("cafe", {"prices"}),
        ("café", {"prices"}),
        ("CAFÉ", {"prices"}),
        # words split the way the tokenizer splits them
        ("Trump’s", {"trump"}),
        ("trump's", {"trump"}),
        ("mega-prison", {"prison"}),
        ("megaprison", set()),
        ("U.S.", {"us"}),
        ("MS-13", {"gangs"}),
        ("ms13", set()),
        ("$5", {"prices"}),
        ("C++", {"code"}),
        ("C++ ++", {"code"}),
        ('"barrio 18"', {"gangs"}),
        ('"18 barrio"', set()),
        ('"barrio 18', {"gangs"}),  # unclosed quote
        # operators
        ("trump OR gangs", {"trump", "deport", "gangs"}),
        ("(trump OR gangs) rival", {"gangs"}),
        ("(trump OR gangs rival", {"trump", "deport", "gangs"}),  # closed at the end
        ("trump) (OR", {"trump", "deport"}),
        ("trump -verb", {"trump"}),
        ("trump NOT verb", {"trump"}),
        ('deport -"be deported"', {"deport"}),
        ("deport -(flights people)", {"deport"}),
        ("deport -flights -verb", set()),
        ("deport*", {"us", "deport"}),
        ("mega-pri*", {"prison"}),
        ("東京は晴れです", {"tokyo"}),
        ("東京*", {"tokyo"}),
        ("東京", set()),  # a CJK run is one token
        # FTS5 syntax typed by the user is text
        ('"AND"', {"code", "gangs"}),
        ("trump AND order", {"trump"}),
        ("c NEAR", {"code"}),
        ("c and near", {"code"}),
        ("trump or", set()),
        ("^trump", {"trump", "deport"}),
        ("trump:", {"trump", "deport"}),
        ("weather 😀", {"tokyo"}),
        ("note:trump", set()),
        # fields
        ("title:trump", {"trump"}),
        ('title:"mega prison"', {"prison"}),
        ("title:(trump OR deport)", {"trump", "deport", "us"}),
        ("Title:Trump", {"trump"}),
        ("author:lee", {"trump", "us"}),
        ('author:"ann lee" deported', {"us"}),
        ("source:reuters", {"trump", "prices"}),
        ("source:reuters -title:coffee", {"trump"}),
        ("tag:politics", {"trump", "us"}),
        ("tag:Migration", {"us", "deport"}),
        ('tag:"el salvador"', {"prison"}),
        ("tag:politics OR tag:gangs", {"trump", "us", "gangs"}),
        ("deport tag:politics", {"us"}),
        ("deport -tag:politics", {"deport"}),
        ("-trump tag:politics", {"us"}),
        # dates
        ("date:2024", {"trump", "prison", "us", "gangs"}),
        ("date:2024-02", {"prison"}),
        ("date:2024-02-29", {"prison"}),
        ("date:2024-01..2024-03", {"trump", "prison", "us"}),
        ("date:2025..", {"prices", "deport"}),
        ("date:..2024-06-30", {"tokyo", "trump", "prison", "us", "gangs"}),
        ("date:..2023", {"tokyo"}),
        ("after:2024-03 before:2025", {"us", "gangs"}),
        ("after:2024-03-31", {"us", "gangs", "prices", "deport"}),
        ("before:2024-01-15", {"tokyo"}),
        ("date:2024-1..2024-2", {"trump", "prison"}),
        ("-date:2024", {"tokyo", "prices", "deport"}),
        ("date:..9999", IDS - {"code"}),
        ("after:yesterday", {"deport"}),
        ("date:today", set()),
        ("after:3m", {"prices", "deport"}),
        ("deport date:2025", {"deport"}),
        ("(title:deport OR title:trump) after:2025", {"deport"}),
        ("tag:", set()),  # plain text: the word tag
    ],
)
def test_language(db: SqliteCatalog, text: str, expected: set[str]) -> None:
    assert search(db, text) == expected


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Trump’s", '"Trump s"'),
        ("mega-prison", '"mega prison"'),
        ("U.S.", '"U S"'),
        ("MS-13", '"MS 13"'),
        ("$5", '"5"'),
        ("C++", '"C"'),
        ("deport*", '"deport"*'),
        ('title:"a phrase"', 'title : "a phrase"'),
        ("author:x*", 'byline : "x"*'),
        ("a b -c", '("a" AND "b") NOT "c"'),
        ("a OR b c", '"a" OR ("b" AND "c")'),
        ('say "NEAR(a b)"', '"say" AND "NEAR a b"'),
    ],
)
def test_match_string(text: str, match: str) -> None:
    tree = parse_query(text).match
    assert tree is not None and match_string(tree) == match


def test_query_parts() -> None:
    q = parse_query("Trump’s title:wall -gang deport* tag:x date:2024", today=TODAY)
    assert q.terms == ("Trump’s", "wall", "deport*")
    assert q.filters == (HasTag("x"), Dated("2024-01-01", "2025-01-01"))
    # and as the SQLite catalog runs them
    condition, params = where(q, NO_FILTERS)
    assert condition == (
        "EXISTS (SELECT 1 FROM tags t WHERE t.article = a.rowid AND t.tag = ?)"
        " AND (a.date >= ? AND a.date < ?)"
    )
    assert params == ("x", "2024-01-01", "2025-01-01")
    assert where(parse_query("x"), NO_FILTERS) == ("1", ())
    assert parse_query("tag:x").match is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nothing to search for in ''"),
        ("  ++ 😀 ", "nothing to search for in '++ 😀'"),
        ('"" () OR AND NOT', "nothing to search for"),
        ("-trump", "at least one word to look for"),
        ("NOT trump -wall", "at least one word to look for"),
        ("date:2024-13", "invalid date '2024-13': month must be 01 to 12"),
        ("date:2024-02-30", "invalid date '2024-02-30': day is out of range for month"),
        ("after:0000", "invalid date '0000'"),
        ("before:soon", "invalid date 'soon'"),
        ("date:2024-03..2024-01", "ends before it starts"),
        ("date:..", "at least one side"),
        ("date:2024..2025..2026", "invalid date range"),
        ("after:999999y", "out of range"),
        ('tag:""', "tag: needs a tag name"),
        ("trump OR tag:x", "OR can't join words"),
        ("a OR -b", "excluded word on its own"),
        ("title:(a tag:x)", "can't go inside"),
        ("-(a tag:x) b", "can't exclude a group"),
        ("(" * 20 + "a", "nested too deeply"),
        ("+\x1b+", "nothing to search for in '+?+'"),
        ("trump OR biden date:2024", "OR can't join words"),
    ],
)
def test_bad_queries(text: str, message: str) -> None:
    with pytest.raises(BadQuery) as info:
        parse_query(text, today=TODAY)
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_messages_echo_user_text_on_one_line() -> None:
    with pytest.raises(BadQuery) as info:
        parse_query("+\n+\t" + "+" * 100)
    assert "\n" not in info.value.message and info.value.message.endswith("…'")
    assert info.value.hint


def test_tokenize() -> None:
    assert tokenize("Trump’s U.S. MS-13 $5 C++ ++") == [
        "Trump",
        "s",
        "U",
        "S",
        "MS",
        "13",
        "5",
        "C",
    ]
    assert tokenize("cafe\u0301 n\u0303o ❤️ 東京は晴れです") == [
        "cafe\u0301",
        "n\u0303o",
        "東京は晴れです",
    ]


# --- properties ---------------------------------------------------------------------------

PRACTICAL = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs", "Mn"),
    max_codepoint=0x1F64F,
    exclude_characters="\x00",
)


@settings(max_examples=150, deadline=None)
@given(st.text(PRACTICAL, max_size=30))
def test_tokenize_agrees_with_sqlite(text: str) -> None:
    """The number of tokens unicode61 sees, for text in scripts its tables know."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE f USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    con.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
    con.execute("INSERT INTO f VALUES (?)", (text,))
    (count,) = con.execute("SELECT count(*) FROM v").fetchone()
    # Unicode added characters after the version SQLite's tables follow; skip those
    known = all(ord(ch) < 0x2B00 or 0x3000 <= ord(ch) < 0xA000 or ch in "😀🌞" for ch in text)
    if not known:
        return
    if any(unicodedata.category(ch)[0] == "M" for ch in text):
        # marks (Mn, Mc) never split a word for us; where SQLite splits at one, FTS5 splits our
        # quoted token the same way, so the phrase still matches
        assert len(tokenize(text)) <= count
    else:
        assert len(tokenize(text)) == count


PIECES = st.one_of(
    st.sampled_from(
        [
            "OR",
            "AND",
            "NOT",
            "NEAR",
            "or",
            "-",
            "*",
            "(",
            ")",
            '"',
            "'",
            ":",
            "^",
            "+",
            "--",
            "title:",
            "author:",
            "source:",
            "tag:",
            "date:",
            "after:",
            "before:",
            "note:",
            "2024",
            "2024-02",
            "2024-02-29",
            "2024-13",
            "..",
            "7d",
            "today",
            "trump",
            "Trump’s",
            "mega-prison",
            "U.S.",
            "MS-13",
            "$5",
            "C++",
            "café",
            "東京",
            "😀",
            "{title}",
            "\x00",
            "\ud800",
            "\\",
        ]
    ),
    st.text(max_size=4),
)
LANGUAGE = st.lists(st.tuples(PIECES, st.sampled_from(["", " "])), max_size=14).map(
    lambda parts: "".join(a + b for a, b in parts)
)


def check_executes(con: SqliteCatalog, text: str) -> None:
    try:
        query = parse_query(text, today=TODAY)
    except BadQuery as exc:
        assert exc.message and "\n" not in exc.message
        return
    assert query.match is None or match_string(query.match).strip()
    run(con, query)  # any error from the catalog fails the test


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_is_safe(db: SqliteCatalog, text: str) -> None:
    check_executes(db, text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LANGUAGE)
def test_any_mix_of_the_language_is_safe(db: SqliteCatalog, text: str) -> None:
    check_executes(db, text)
