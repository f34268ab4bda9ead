"""The one sanitizer: what it removes, and what it must never take with it."""

from __future__ import annotations

from newscli.extract import extract
from newscli.sanitize import clean, clean_url, visible

BODY = " ".join(["Words of the story itself, long enough to be kept by extraction."] * 6)


def test_whole_escape_sequences_go_with_their_payload() -> None:
    text = "a\x1b]0;title\x07b\x1b[31mc\x1b]52;c;Y2xpcA==\x1b\\d\x9d0;t\x9ce"
    assert clean(text) == "abcde"


def test_unterminated_esc_string_ends_at_its_line() -> None:
    assert clean("keep \x1b]0;gone to the end\nnext line") == "keep \nnext line"


def test_a_stray_c1_character_does_not_swallow_the_text_after_it() -> None:
    # Seen in a real saved page (mis-decoded windows-1252): a lone U+009D.
    text = "Before \x9d after, and a whole article more. " * 100
    assert clean(text) == text.replace("\x9d", "")


def test_html_character_references_follow_browsers() -> None:
    page = f"<html><body><p>caf&#xe9; &#150; &#x9c;uvre &#x1b;]0;gone&#7;.</p><p>{BODY}</p>"
    markdown = extract(page).markdown
    assert "café – œuvre ." in markdown and "gone" not in markdown


def test_links_keep_only_web_and_mail_targets() -> None:
    assert clean_url("javascript:alert(1)") is None
    assert clean_url("file:///etc/passwd") is None
    assert clean_url("https://example.org/a b") == "https://example.org/a%20b"
    assert clean_url("mailto:desk@example.org") == "mailto:desk@example.org"


def test_visible_escapes_what_it_cannot_show() -> None:
    assert visible("name\x1b[2J\u202e.txt") == "name\\x1b[2J\\u202e.txt"
