"""Each class of extraction failure seen on real pages, pinned with a small page of our own:
comments, captions and credits, share bars, newsletter and "continue reading" lines, split
links, emphasis residue, tables, citation marks, edit links, title suffixes, glued
bylines, visible dates and keyword-soup tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from newscli.cli import cli
from newscli.extract import Extracted, extract
from tests.conftest import BUNDLED

FIXTURES = Path(__file__).parent / "fixtures" / "html"
URL = "https://www.example.com/news/2016/night-trains"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def trains() -> Extracted:
    return extract(page("furniture_article.html"), URL)


def test_reader_comments_are_left_out(trains: Extracted) -> None:
    assert "The overnight service" in trains.markdown
    assert "timetable is expected in February" in trains.markdown
    assert "About time" not in trains.markdown
    assert "bike spaces" not in trains.markdown
    assert "comments" not in trains.markdown.lower()


def test_comments_that_follow_the_article_in_its_own_container_are_left_out() -> None:
    # Movable Type and TypePad put a "Comments" heading and the comments after the post's
    # paragraphs, in the same element, with no comments container to recognise.
    got = extract(page("typepad_comments.html"), "https://harbourlog.example/2012/11/a.html")
    assert got.markdown.rstrip().endswith("The museum is expected to open next summer.")
    assert "Posted by" not in got.markdown
    assert "volunteer for the painting weekends" not in got.markdown


def test_a_comments_link_heading_a_post_does_not_take_the_post_with_it() -> None:
    from newscli.extract.clean import drop_comment_threads
    from newscli.extract.parse import parse

    story = "The ferry leaves twenty minutes earlier from Monday. " * 4
    tree = parse(f'<html><body><div><h3 id="comments"><a href="#c">3 Comments</a></h3>'
                 f"<p>{story}</p><p>{story}</p></div></body></html>")
    assert tree is not None
    drop_comment_threads(tree)
    assert tree.text_content().count("The ferry leaves") == 8


def test_captions_credits_and_image_names_are_left_out(trains: Extracted) -> None:
    assert "Provided by" not in trains.markdown
    assert "sleeper carriages" not in trains.markdown
    assert "getty" not in trains.markdown


def test_share_newsletter_and_continue_reading_lines_are_left_out(trains: Extracted) -> None:
    for furniture in ("Share on social", "Email", "Print", "NEWSLETTER", "Continue reading"):
        assert furniture not in trains.markdown


def test_the_headline_is_not_repeated_in_the_body(trains: Extracted) -> None:
    assert trains.title == "Night trains return to the valley line"
    assert "Night trains return" not in trains.markdown


def test_byline_is_a_name_without_the_date_glued_to_it(trains: Extracted) -> None:
    assert trains.byline == "Marta Oyelaran"


def test_tags_are_real_tags_with_entities_decoded(trains: Extracted) -> None:
    assert trains.tags == ["Transport", "Privacy & Technology"]


def test_emphasis_never_leaks_its_markers() -> None:
    got = extract(page("emphasis_links.html"), URL)
    assert "**manifesto™©** we read it" in got.markdown
    assert "****" not in got.markdown
    assert "* *" not in got.markdown
    assert not got.markdown.rstrip().endswith(("_", "*"))


def test_one_link_is_one_reference_and_underscores_survive() -> None:
    got = extract(page("emphasis_links.html"), URL)
    assert "[the *Minecraft* protocol](https://example.org/protocol)" in got.markdown
    assert "[@quiet_streets](https://social.example/@quietstreets) or email" in got.markdown


def test_byline_without_job_title_and_visible_date() -> None:
    got = extract(page("emphasis_links.html"), URL)
    assert got.byline == "Ben Alvarado"
    assert got.date == "2015-02-26"
    assert "7:11 AM" not in got.markdown  # the dateline is shown in the header instead


def test_tables_stay_tables_and_citations_do_not_look_like_link_numbers() -> None:
    got = extract(page("table_page.html"), URL)
    assert "| Route | Adult | Child |" in got.markdown
    assert "| Lighthouse Rock | £15 \\| return | £7.50 |" in got.markdown
    assert "[1]" not in got.markdown
    assert "## History\n" in got.markdown  # no "[edit]"
    assert "edit" not in got.markdown


def test_date_posted_in_the_text_is_found() -> None:
    got = extract(page("table_page.html"), URL)
    assert got.date == "2019-02-15"


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        ("LWN.net Weekly Edition for March 26, 2015 [LWN.net]", "https://lwn.net/a",
         "LWN.net Weekly Edition for March 26, 2015"),
        ("DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶_科技_腾讯网", "https://tech.qq.com/a",
         "DeepMind新电脑已可利用记忆自学 人工智能迈上新台阶"),
        ("新竹尖石賞楓之旅 :: 痞客邦 PIXNET ::", "https://x.pixnet.net/a", "新竹尖石賞楓之旅"),
        ("Night trains return to the valley line | Valley Courier", "https://v.example/a",
         "Night trains return to the valley line"),
        ("Malaria returns to Greece « Healthcare Economist", "https://he.example/a",
         "Malaria returns to Greece"),
    ],
)
def test_titles_lose_the_site_suffix_in_any_script(title: str, url: str, expected: str) -> None:
    html = f"<html><head><title>{title}</title></head><body><p>{'Some text. ' * 30}</p></body>"
    assert extract(html, url).title == expected


def test_the_article_headline_wins_over_the_site_title() -> None:
    html = (
        "<html><head><title>Yahoo News - Latest News &amp; Headlines</title>"
        '<meta property="og:site_name" content="Yahoo News"></head><body>'
        f"<h1>Space ship breaks up over Siberia</h1><p>{'Some text. ' * 30}</p></body></html>"
    )
    got = extract(html, "https://news.yahoo.example/a")
    assert got.title == "Space ship breaks up over Siberia"


def _headed(head: str) -> str:
    return f"<html><head>{head}</head><body><p>{'Some text. ' * 30}</p></body></html>"


def test_a_title_declared_by_property_wins_over_one_declared_by_name() -> None:
    html = _headed('<title>Page</title><meta name="og:title" content="Name-declared title">'
                   '<meta property="og:title" content="Property-declared title">')
    assert extract(html, URL).title == "Property-declared title"


@pytest.mark.parametrize(
    ("headline", "name", "expected"),
    [  # a site naming itself in "name"; a summary in "headline"
        ("West Ham hrozí gigantům", "Aktuálně.cz", "West Ham hrozí gigantům"),
        ("constitutional monarchy in Oceania", "New Zealand", "New Zealand"),
    ],
)
def test_json_ld_headline_or_name_whichever_the_page_title_shows(
        headline: str, name: str, expected: str) -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
          f'"headline": "{headline}", "name": "{name}"}}</script>')
    html = _headed(f"<title>{expected} - Site</title>{ld}")
    assert extract(html, URL).title == expected


BLOG_URL = "https://harbournotes.blogspot.com/2012/08/ferry.html"
FERRY = "The ferry timetable changes again"


def test_a_blog_post_keeps_the_paragraph_that_follows_its_picture() -> None:
    got = extract(page("blogger_post.html"), BLOG_URL)
    first = got.markdown.split("\n\n")[0]
    assert first.startswith("From Monday the morning ferry to the island leaves")
    assert "A petition asking for a later bus" in got.markdown
    assert "Blog Archive" not in got.markdown


@pytest.mark.parametrize(
    ("title", "heading"),
    [  # the blog's name as the page's <h1>, or the post's hAtom entry title
        (f"Harbour Notes: {FERRY}", '<h1><a href="/">Harbour Notes</a></h1>'),
        (f"Harbour Notes: {FERRY}", "<h1>Every post</h1>"),
        ("Harbour Notes", '<h1><a href="/">Harbour Notes</a></h1>'),
    ],
)
def test_a_blog_post_is_titled_by_its_headline_not_the_blog(title: str, heading: str) -> None:
    html = (f"<html><head><title>{title}</title></head><body>{heading}"
            f'<div class="hentry"><h3 class="entry-title">{FERRY}</h3>'
            f"<p>{'Some text. ' * 30}</p></div></body></html>")
    assert extract(html, BLOG_URL).title == FERRY


@pytest.mark.parametrize(
    ("title", "masthead"),
    [  # the site's name in an <h1> that links to its front page, or in its logo link
        ("Micromorts - Virtual Geek", '<h1><a href="https://vg.example/blog/">Virtual Geek</a>'),
        ("Virtual Geek | Micromorts", '<h1><a href="/">Virtual Geek</a>'),
        ("Virtual Geek » Blog Archive » Micromorts", '<a href="/"><h1>Virtual Geek</a>'),
        ("Virtual Geek › Micromorts", '<h1><a href="/">Virtual Geek</a>'),
    ],
)
def test_a_masthead_names_the_site_not_the_article(title: str, masthead: str) -> None:
    html = _headed(f"<title>{title}</title>").replace("<body>", f"<body>{masthead}</h1>")
    assert extract(html, URL).title == "Micromorts"


def test_an_h1_linking_to_its_own_post_is_the_headline() -> None:
    h1 = '<h1><a href="/2012/11/night-trains-return/" rel="bookmark">Night trains return</a></h1>'
    html = _headed("<title>Night trains return - Virtual Geek</title>").replace(
        "<body>", f"<body><div>{h1}</div>")
    assert extract(html, URL).title == "Night trains return"


@pytest.mark.parametrize("heading", ["post-title", "posttitle"])  # Blogger's, WordPress's
def test_a_post_heading_by_its_class_is_the_headline(heading: str) -> None:
    html = _headed("<title>Harbour Notes: Ferry news</title>").replace(
        "<body>", f'<body><h3 class="{heading}">Ferry news</h3>')
    assert extract(html, URL).title == "Ferry news"


def test_a_colon_in_a_headline_is_kept() -> None:
    html = _headed("<title>Survey: Boomers worry about the ferry</title>")
    assert extract(html, URL).title == "Survey: Boomers worry about the ferry"


def test_bundled_sample_opens_with_its_text(store: Path) -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--store", str(store), "read", "harbour", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "22 January 2025\n" not in result.stdout.split("A 60-turbine")[0].split("Natarajan")[-1]
    assert "Share on social" not in result.stdout
    assert "Email Print" not in result.stdout
    assert "A 60-turbine wind farm" in result.stdout
    assert BUNDLED.is_dir()


def test_the_readme_add_example_comes_out_clean(tmp_path: Path) -> None:
    from click.testing import CliRunner

    store = tmp_path / "store"
    store.mkdir()
    saved = tmp_path / "offshore-wind.html"
    saved.write_bytes((BUNDLED / "saved" / "harbour-wind-farm.html").read_bytes())
    runner = CliRunner()
    added = runner.invoke(cli, ["--store", str(store), "add", str(saved), "--tag", "energy"])
    assert added.exit_code == 0, added.output
    name = added.stdout.strip()
    stored = (store / f"{name}.md").read_text(encoding="utf-8")
    assert "Share on social" not in stored
    assert "\n22 January 2025\n" not in stored
    read = runner.invoke(cli, ["--store", str(store), "read", name, "--format", "text"])
    assert read.exit_code == 0, read.output
    assert "Share on social" not in read.stdout
    assert "Email Print" not in read.stdout


def test_read_shows_a_table_as_a_table_and_one_number_per_link(tmp_path: Path) -> None:
    from click.testing import CliRunner

    store = tmp_path / "store"
    store.mkdir()
    runner = CliRunner()
    pages = [str(FIXTURES / "table_page.html"), str(FIXTURES / "emphasis_links.html")]
    added = runner.invoke(cli, ["--store", str(store), "add", *pages])
    assert added.exit_code == 0, added.output
    ferry, manifesto = added.stdout.split()
    table = runner.invoke(cli, ["--store", str(store), "read", ferry, "--format", "text"])
    assert table.exit_code == 0, table.output
    rows = [line for line in table.stdout.splitlines() if "£12.50" in line]
    assert len(rows) == 1 and "North Isle" in rows[0] and "£6.00" in rows[0]
    assert "| --- |" not in table.stdout
    links = runner.invoke(
        cli, ["--store", str(store), "read", manifesto, "--format", "text", "--width", "200"]
    )
    assert "the Minecraft protocol[2] inspired" in links.stdout
    assert "@quiet_streets[1] or email" in links.stdout
    assert links.stdout.count("[2]") == 2  # in the text and in the list of links


@pytest.mark.parametrize("command", [["--help"], ["list"]])
def test_start_up_does_not_import_the_extractors(store: Path, command: list[str]) -> None:
    """`--help`, and `list` once the index is built, import no extractor."""
    import subprocess
    import sys

    args = command if command == ["--help"] else ["--store", str(store), *command]
    code = (
        "import sys\n"
        "from newscli.cli import main\n"
        f"sys.argv = ['newscli', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'trafilatura', 'readability', 'justext', 'htmldate', 'lxml', 'html2text'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    for _ in range(2):  # the first `list` builds the index, which reads the saved page
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
