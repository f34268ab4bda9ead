"""Properties of reading and rendering any input (issue 5), with hypothesis.

- any bytes as a .txt, .md or .html file, and any text as front matter, load without an
  exception other than a `NewscliError`;
- canonical Markdown read back gives the same title and the same words;
- the plain-text renderer never emits ESC, C0/C1 controls, bidi overrides or zero-width
  spaces, whatever the article holds.

About 200 examples per test by default; `--hypothesis-profile=deep` (registered below, see
the note) or NEWSCLI_HYPOTHESIS_PROFILE=deep runs ten times as many.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newscli.errors import NewscliError
from newscli.formats import parse
from newscli.formats.writer import to_markdown
from newscli.render import ArticleView
from newscli.store import read_article

# `--hypothesis-profile=deep` is resolved by hypothesis when pytest starts, before this
# module is imported: for the option itself to work, tests/conftest.py needs the same
# `settings.register_profile("deep", ...)` line. The environment variable works without it.
settings.register_profile("deep", max_examples=2000, deadline=None)
DEEP = (
    settings.get_current_profile_name() == "deep"
    or os.environ.get("NEWSCLI_HYPOTHESIS_PROFILE") == "deep"
)
EXAMPLES = 2000 if DEEP else 200
common = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- strategies -----------------------------------------------------------------------------------
HOSTILE_CHARS = (
    "\x1b\x07\x00\x9b\x9c\x9d\x90\x85\r\t\x0b\x0c\x7f"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200d\u2060\ufeff"
    "\u2028\u2029\ufffc\ud800\udfff"
)
MARKUP_PIECES = [
    "\x1b[31m", "\x1b]0;title\x07", "\x1b]8;;https://evil.example\x1b\\", "\x1b]52;c;eA==\x07",
    "\x1bP1$q\x1b\\", "\x9b1m", "\x9d0;x\x9c", "[link=https://evil]", "[/]", "[bold", "[/link]",
    "# ", "## ", "> ", "- ", "1. ", "* ", "**", "_", "`", "```\n", "~~~~\n", "---\n", "***\n",
    "[x](javascript:alert(1))", "[y](https://ok.example/a)", "<https://ok.example>", "\\",
    "| a | b |\n|---|---|\n", "<b>", "</b>", "<p>", "<a href='file:///etc'>", "&amp;", "&#27;",
    "ALSO READ: ", "Read more: ", "By ", "June 28, 2025", "\n", "\n\n", "    ", "\t", ".", ",",
    ":", "“", "’", "é", "漢字", "👍🏽", "e\u0301",
]
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(MARKUP_PIECES),
        st.text(alphabet=st.sampled_from(HOSTILE_CHARS), max_size=4),
        st.text(max_size=20),
        st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True),
    ),
    max_size=60,
).map("".join)
file_bytes = st.one_of(
    st.binary(max_size=2000),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("cp1252", "replace")),
)
SUFFIXES = {".txt": "text", ".md": "markdown", ".html": "html"}

_FOLDER = Path(tempfile.mkdtemp(prefix="newscli-properties-"))


# -- loading never fails but with a NewscliError --------------------------------------------------
@common
@given(data=file_bytes, suffix=st.sampled_from(sorted(SUFFIXES)))
@example(data=b"---\n&a [*a, *a]\n---\nx", suffix=".md")
@example(data=b"---\n- a\n---\n\nbody", suffix=".txt")
@example(data=b"<div>" * 3000, suffix=".html")
@example(data=b"\xed\xa0\x80 lone surrogate", suffix=".txt")
@example(data=b"&#1\t\t", suffix=".html")  # found by the deep profile
def test_any_file_loads_or_is_refused_with_a_newscli_error(data: bytes, suffix: str) -> None:
    name = f"article{suffix}"
    (_FOLDER / name).write_bytes(data)
    try:
        article = read_article(_FOLDER, name, 10 * 1024 * 1024)
    except NewscliError:
        return
    assert article.title  # every readable file has a title (at worst its file name)


@common
@given(front=hostile_text, body=hostile_text, kind=st.sampled_from(["markdown", "text"]))
@example(front="a: &x [*x]", body="words", kind="markdown")
@example(front="!!python/object/apply:os.system ['true']", body="words", kind="text")
@example(front="[" * 3000 + "]" * 3000, body="words", kind="markdown")
@example(front="title: " + "x" * 70_000, body="words", kind="markdown")
def test_any_front_matter_loads(front: str, body: str, kind: str) -> None:
    try:
        article = parse(f"---\n{front}\n---\n\n{body}\n", kind)
    except NewscliError:
        return
    _assert_clean(article.title)
    for field in (article.meta.byline, article.meta.source, *article.meta.tags):
        _assert_clean(field)


# -- canonical Markdown round trip ----------------------------------------------------------------
@common
@given(text=hostile_text, kind=st.sampled_from(["text", "markdown", "html"]))
@example(text="Headline\n\nA body with *stars* and [brackets] and `ticks`.", kind="text")
@example(text="# T\n\n1. one\n2) two\n\n+ plus\n", kind="markdown")
@example(text="# .", kind="text")  # found by the deep profile
def test_canonical_markdown_keeps_title_and_words(text: str, kind: str) -> None:
    """Read back, the canonical Markdown of an article has the same title and the same
    words, in order (whitespace may be folded: `plain_text().split()` is compared)."""
    try:
        article = parse(text, kind)
    except NewscliError:
        return
    markdown = to_markdown(article)
    again = parse(markdown, "markdown")
    assert again.title == article.title
    assert again.plain_text().split() == article.plain_text().split()
    assert again.related == article.related


# -- the text renderer is inert -------------------------------------------------------------------
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


def _assert_clean(text: str) -> None:
    bad = FORBIDDEN.search(text)
    assert bad is None, f"U+{ord(bad.group()):04X} in {text[max(0, bad.start() - 30):][:60]!r}"


@common
@given(text=hostile_text, kind=st.sampled_from(["text", "markdown", "html"]),
       width=st.integers(20, 120))
def test_text_renderer_never_emits_controls(text: str, kind: str, width: int) -> None:
    try:
        article = parse(text, kind)
    except NewscliError:
        return
    out = io.StringIO()
    from rich.console import Console

    console = Console(file=out, color_system=None, width=width)
    console.print(ArticleView(article, plain=True, width=width).renderable())
    _assert_clean(out.getvalue())
    _assert_clean(to_markdown(article))


@pytest.fixture(autouse=True, scope="module")
def _cleanup_folder():
    yield
    for item in _FOLDER.iterdir():
        item.unlink()
    _FOLDER.rmdir()
