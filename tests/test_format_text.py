"""Plain-text parsing: the rules a pasted article is read by."""

from __future__ import annotations

from newscli.formats import parse
from newscli.model import Heading, Paragraph, spans_text
from tests.conftest import BUNDLED, SEED

SEED_COPY = BUNDLED / "el-salvador-cecot-mega-prison.txt"


def kinds(article) -> list[tuple[str, str]]:
    return [(type(b).__name__, spans_text(b.spans)) for b in article.blocks]


def test_bundled_seed_is_the_real_article() -> None:
    if SEED.exists():  # ../shared beside the clone, as in CI
        assert SEED_COPY.read_bytes() == SEED.read_bytes()


def test_seed_headings_paragraphs_and_trailer() -> None:
    article = parse(SEED_COPY.read_text(encoding="utf-8"), "text")
    headings = [text for kind, text in kinds(article) if kind == "Heading"]
    assert headings == ["CECOT: The World’s Largest Mega-Prison", "Trump’s Bold Immigration Plan"]
    assert sum(1 for b in article.blocks if isinstance(b, Paragraph)) == 7
    assert [(r.label, r.text) for r in article.related] == [
        (
            "Also read",
            "Over 400 Palestinians Killed In Overnight Israeli Airstrikes on Gaza: Officials",
        )
    ]
    assert not any("ALSO READ" in text for _, text in kinds(article))


def test_seed_title_is_its_lead_shortened_at_a_clause() -> None:
    article = parse(SEED_COPY.read_text(encoding="utf-8"), "text")
    assert article.title == (
        "El Salvador’s controversial mega-prison, the Terrorism Confinement Center (CECOT)…"
    )
    assert len(article.title) <= 91


def test_headline_line_blank_line_paragraphs_and_preamble() -> None:
    text = (
        "Storm closes mountain pass for third day\n\n"
        "By Ana Lima\nMarch 3, 2024\n\n"
        "Snow ploughs worked through the night but could not keep the pass open as drifts "
        "reached two metres in places.\n\n"
        "Police asked drivers to avoid the route until at least Friday.\n"
    )
    article = parse(text, "text")
    assert article.title == "Storm closes mountain pass for third day"
    assert article.meta.byline == "Ana Lima"
    assert article.meta.date == "2024-03-03"
    assert [k for k, _ in kinds(article)] == ["Paragraph", "Paragraph"]


def test_hard_wrapped_paragraphs_are_joined_but_short_lines_are_not() -> None:
    text = (
        "Ministers met late into the evening to discuss the proposal, which would\n"
        "raise the pension age by two years over the coming decade and has drawn\n"
        "protests in several cities.\n\n"
        "Short one.\nAnother short line.\n"
    )
    article = parse(text, "text")
    paragraphs = [t for k, t in kinds(article) if k == "Paragraph"]
    assert paragraphs[0].startswith("Ministers met late") and paragraphs[0].endswith("cities.")
    assert "\n" not in paragraphs[0]
    assert "Short one." in paragraphs and "Another short line." in paragraphs


def test_quotes_datelines_and_one_sentence_paragraphs_are_not_headings() -> None:
    long = "The committee heard evidence from residents for most of the afternoon session. " * 2
    text = "\n".join(
        [
            long,
            "“We will not back down”",
            long,
            "March 5, 2024",
            long,
            "The vote was close.",
            long,
            "- a dash-led line that looks like a list",
            long,
        ]
    )
    article = parse(text, "text")
    assert not [b for b in article.blocks if isinstance(b, Heading)]


def test_first_line_that_is_a_sentence_is_not_the_headline() -> None:
    text = "The council met on Tuesday to vote on the budget.\nIt passed by one vote.\n"
    article = parse(text, "text")
    assert article.title == "The council met on Tuesday to vote on the budget"
    assert kinds(article)[0] == ("Paragraph", "The council met on Tuesday to vote on the budget.")


def test_markdown_like_characters_stay_literal_and_unicode_is_kept() -> None:
    text = "# not a heading\n\n*not emphasis* and [not](a link) > not a quote — “curly” 東京 🙂\n"
    article = parse(text, "text")
    words = article.plain_text()
    assert "# not a heading" in words
    assert "*not emphasis* and [not](a link) > not a quote — “curly” 東京 🙂" in words


def test_trailer_variants_and_bare_label() -> None:
    body = "A long enough paragraph of body text for this article to have a lead sentence.\n"
    for line, label in [
        ("Read more: Ten things to know", "Read more"),
        ("RELATED: Ten things to know", "Related"),
        ("See also – Ten things to know", "See also"),
    ]:
        article = parse(body + line + "\n", "text")
        assert [(r.label, r.text) for r in article.related] == [(label, "Ten things to know")]
    article = parse(body + "ALSO READ\nTen things to know\n", "text")
    assert [(r.label, r.text) for r in article.related] == [("Also read", "Ten things to know")]


def test_trailer_with_url_becomes_a_link() -> None:
    article = parse("Body text.\nAlso read: Floods explained https://example.org/floods\n", "text")
    assert article.related[0].url == "https://example.org/floods"
    assert article.related[0].text == "Floods explained"


def test_front_matter_in_a_text_file() -> None:
    text = "---\ntitle: Given title\ntags: [a, b]\ndate: 2024-02-01\n---\nBody paragraph here.\n"
    article = parse(text, "text")
    assert (article.title, article.meta.tags, article.meta.date) == (
        "Given title",
        ["a", "b"],
        "2024-02-01",
    )
