"""Markdown and front matter into the model, and the canonical Markdown back out."""

from __future__ import annotations

from newscli.formats import parse
from newscli.formats.writer import to_markdown
from newscli.model import Heading, ListBlock, Paragraph, Quote


def test_first_h1_is_the_title_and_structure_is_kept() -> None:
    md = (
        "# The title\n\nIntro with **bold**, *it* and [a link](https://example.org).\n\n"
        "## Section\n\n> A quote\n\n- one\n- two\n"
    )
    article = parse(md, "markdown")
    assert article.title == "The title"
    assert [type(b) for b in article.blocks] == [Paragraph, Heading, Quote, ListBlock]
    link = [s for s in article.blocks[0].spans if s.href]
    assert link[0].href == "https://example.org" and link[0].text == "a link"


def test_front_matter_title_wins_over_h1() -> None:
    article = parse("---\ntitle: From front matter\n---\n# From H1\n\nText.\n", "markdown")
    assert article.title == "From front matter"


def test_broken_front_matter_falls_back_to_body_with_a_warning() -> None:
    article = parse("---\ntitle: [unclosed\n---\n# Heading title\n\nBody.\n", "markdown")
    assert article.title == "Heading title"
    assert article.warnings and "not valid YAML" in article.warnings[0]


def test_yaml_aliases_and_python_tags_are_refused() -> None:
    bomb = "---\na: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\ntitle: boom\n---\nBody.\n"
    assert parse(bomb, "markdown").warnings
    tagged = "---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\nBody.\n"
    article = parse(tagged, "markdown")
    assert article.warnings and article.title == "Body"


def test_wrong_types_in_front_matter_are_tolerated() -> None:
    md = "---\ntitle: 42\ntags: politics, world\ndate: not a date\nauthor: [A, B]\n---\nText.\n"
    article = parse(md, "markdown")
    assert article.title == "42"
    assert article.meta.tags == ["politics", "world"]
    assert article.meta.date == ""
    assert article.meta.byline == "A, B"


def test_javascript_links_are_not_links() -> None:
    article = parse(
        "Click [here](javascript:alert(1)) or [there](file:///etc/passwd).\n", "markdown"
    )
    assert not [s for b in article.blocks for s in b.spans if s.href]


def test_canonical_markdown_round_trips_title_words_and_trailers() -> None:
    text = (
        "Headline here\n\nA *starred* line with [brackets] and # hash.\n\n"
        "1. not a list\nALSO READ: Something else\n"
    )
    article = parse(text, "text")
    again = parse(to_markdown(article), "markdown")
    assert again.title == article.title
    assert again.plain_text() == article.plain_text()
    assert again.related == article.related
