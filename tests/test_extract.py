"""Main-content extraction and metadata, as `newscli add` sees them on typical news pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newscli.extract import Extracted, extract, html_to_markdown, metadata

FIXTURES = Path(__file__).parent / "fixtures" / "html"
URL = "https://www.news.example.com/local/story.html?utm_source=feed"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ferry() -> Extracted:
    return extract(page("news_article.html"), URL)


# --- a typical article page -------------------------------------------------------------------


def test_headline_is_the_story_title_without_site_name(ferry: Extracted) -> None:
    assert ferry.title == "Harbour ferry returns after winter repairs"


def test_byline_lists_authors_without_by_prefix(ferry: Extracted) -> None:
    assert ferry.byline == "Jane Doe, John Roe"


def test_date_is_iso_8601(ferry: Extracted) -> None:
    assert ferry.date == "2024-03-05T09:30:00+00:00"


def test_site_language_description(ferry: Extracted) -> None:
    assert ferry.site == "The Daily Example"
    assert ferry.language == "en-GB"
    assert ferry.description.startswith("The blue ferry is back on the water")


def test_canonical_url_resolved_against_page_url(ferry: Extracted) -> None:
    assert ferry.url == "https://www.news.example.com/local/harbour-ferry-returns"


def test_tags_deduplicated_case_insensitively(ferry: Extracted) -> None:
    assert ferry.tags == ["Transport", "Harbour"]


@pytest.mark.parametrize(
    "furniture",
    [
        "We use cookies",  # cookie banner
        "Subscribe today",  # navigation
        "Share on Chirper",  # share bar
        "Lighthouse keeper",  # recommended rail
        "Commenter fortyseven",  # comments
        "All rights reserved",  # footer
        "window.tracking",  # script
        "position: fixed",  # style
    ],
)
def test_page_furniture_left_out(ferry: Extracted, furniture: str) -> None:
    assert furniture not in ferry.markdown


def test_body_keeps_paragraphs_subheading_list_and_link(ferry: Extracted) -> None:
    md = ferry.markdown
    assert md.startswith("The blue harbour ferry carried its first passengers")
    assert "\n\n## What changed on board\n\n" in md
    assert re.search(r"^\s*[*+-] Two new diesel-electric engines$", md, re.MULTILINE)
    assert (
        "[harbour trust's timetable page](https://www.news.example.com/timetables/ferry)" in md
    )
    assert md.rstrip().endswith("another twenty years.")
    paragraphs = [p for p in md.split("\n\n") if p.strip()]
    assert len(paragraphs) >= 6


def test_body_is_not_hard_wrapped(ferry: Extracted) -> None:
    line = next(x for x in ferry.markdown.splitlines() if x.startswith("The operator says"))
    assert line.endswith("on the short crossing.")


def test_title_not_repeated_as_leading_heading(ferry: Extracted) -> None:
    assert "# Harbour ferry returns" not in ferry.markdown


def test_metadata_only_leaves_markdown_empty() -> None:
    meta = metadata(page("news_article.html"), URL)
    assert meta.title == "Harbour ferry returns after winter repairs"
    assert meta.byline == "Jane Doe, John Roe"
    assert meta.markdown == ""


# --- JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_graph_with_author_list_and_id_reference() -> None:
    got = extract(page("jsonld_graph.html"), "https://courier.example.org/x")
    assert got.title == "Council approves new cycle lanes on the ring road"
    assert got.byline == "Maria Lopez, Ravi Kumar"
    assert got.date == "2023-11-02T18:45:00+01:00"
    assert got.site == "Riverside Courier"
    assert got.url == "https://courier.example.org/news/cycle-lanes"
    assert got.language == "en-US"
    assert got.tags == ["cycling", "roads", "council"]
    assert "### How it will be paid for" in got.markdown
    assert "morning briefing" not in got.markdown


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ('"By Sam Smith"', "Sam Smith"),
        ('{"@type": "Person", "name": "Sam Smith"}', "Sam Smith"),
        ('[{"name": "Sam Smith"}, {"name": "Lee Wong"}]', "Sam Smith, Lee Wong"),
        ('"https://example.com/authors/sam"', ""),
    ],
)
def test_json_ld_author_forms(author: str, expected: str) -> None:
    html = (
        '<html><head><script type="application/ld+json">'
        '{"@context": "https://schema.org", "@type": "BlogPosting", '
        f'"headline": "A post", "author": {author}, "datePublished": "2021-06-01"}}'
        "</script></head><body><p>Short.</p></body></html>"
    )
    got = metadata(html)
    assert got.byline == expected
    assert got.date == "2021-06-01"
    assert got.title == "A post"


def test_malformed_json_ld_is_ignored() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", </script>'
        '<meta property="og:title" content="Still a title"></head><body></body></html>'
    )
    assert metadata(html).title == "Still a title"


# --- pages with little metadata ---------------------------------------------------------------


def test_visible_byline_and_time_element() -> None:
    got = extract(page("visible_byline.html"), "http://www.gazette.example/fete")
    assert got.title == "Village fete raises record sum for the school roof"
    assert got.byline == "Ann Other"
    assert got.date == "2022-07-09"
    assert got.site == "gazette.example"  # no site name declared: the host, less "www."
    assert got.url == "http://www.gazette.example/fete"
    assert "Written by" not in got.markdown
    assert "Front page" not in got.markdown
    assert "the leaking roof of the primary school" in got.markdown


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Bridge reopens - Town Crier", "Bridge reopens"),
        ("Town Crier — Bridge reopens", "Bridge reopens"),
        ("Bridge reopens | Town Crier", "Bridge reopens"),
    ],
)
def test_site_name_stripped_from_title(title: str, expected: str) -> None:
    html = (
        f'<html><head><title>{title}</title><meta property="og:site_name" content="Town Crier">'
        "</head><body><p>Text.</p></body></html>"
    )
    assert metadata(html).title == expected


def test_title_agreeing_with_h1_wins() -> None:
    html = (
        "<html><head><title>Markets rally: what it means - Money Desk</title></head>"
        "<body><h1>Markets rally: what it means</h1><p>Text.</p></body></html>"
    )
    assert metadata(html).title == "Markets rally: what it means"


# --- hostile and odd input --------------------------------------------------------------------


def test_broken_html_still_extracted() -> None:
    got = extract(page("broken.html"), "https://example.net/storm")
    assert got.title == "Storm damage closes coast road"
    assert got.date == ""  # the declared date is not a date
    assert got.byline == ""  # the declared author is a URL
    assert "sea wall" in got.markdown
    assert "extra time **this week" in got.markdown


@pytest.mark.parametrize("html", ["", "   \n", "<html></html>", "<!-- nothing -->", "\x00\x01"])
def test_empty_documents(html: str) -> None:
    got = extract(html, "https://www.example.org/a")
    assert got.markdown == ""
    assert got.title == ""
    assert got.site == "example.org"


def test_non_article_page_falls_back_to_whole_body_without_furniture() -> None:
    got = extract(page("login_wall.html"))
    assert got.title == "Anmelden"
    assert got.language == "de"
    assert "Bitte melden Sie sich an" in got.markdown
    assert "Impressum" not in got.markdown
    assert "Passwort" not in got.markdown  # the form is dropped


def test_deep_nesting_does_not_crash_and_keeps_text() -> None:
    html = (
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * 10_000
        + "<p>Text at the very bottom of a very deep page.</p>"
        + "</div>" * 10_000
        + "</body></html>"
    )
    got = extract(html)
    assert got.title == "Deep"
    assert "very bottom of a very deep page" in got.markdown


def test_xml_declaration_does_not_stop_parsing() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?><html><head><title>X</title></head></html>'
    assert metadata(html).title == "X"


def test_whole_body_mode_keeps_more_than_the_article() -> None:
    got = extract(page("news_article.html"), URL, main_content=False)
    assert "Lighthouse keeper" not in got.markdown  # <aside> is furniture even here
    assert "Commenter fortyseven" in got.markdown  # comments are ordinary body text
    assert "Subscribe today" not in got.markdown
    assert "## What changed on board" in got.markdown


# --- Markdown conversion ----------------------------------------------------------------------


def test_html_to_markdown_drops_images_and_makes_links_absolute() -> None:
    md = html_to_markdown(
        '<p>See <img src="a.png" alt="the map"> and <img src="b.png"> '
        '<a href="/more">more</a>.</p>'
        "<table><tr><th>Year</th><th>Riders</th></tr><tr><td>2023</td><td>410</td></tr></table>",
        "https://example.org/news/",
    )
    assert "the map" not in md  # alt text glued into a sentence is not prose
    assert "png" not in md
    assert "See and [more]" in md
    assert "[more](https://example.org/more)" in md
    assert re.search(r"Year *\| *Riders", md)  # the table survives as a Markdown table
    assert re.search(r"2023 *\| *410", md)


def test_javascript_links_lose_their_target(ferry: Extracted) -> None:
    html = page("news_article.html").replace(
        '<a href="/timetables/ferry">', '<a href="javascript:void(0)">'
    )
    got = extract(html, URL)
    assert "javascript:" not in got.markdown
    assert "harbour trust's timetable page" in got.markdown
