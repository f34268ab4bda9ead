"""How the body is chosen when readability-lxml and trafilatura disagree or one of them
misbehaves: the extractors are replaced by fixed outputs, so each rule is seen alone."""

from __future__ import annotations

import pytest

from newscli.extract import body
from newscli.extract.parse import parse

WORDS = ("harbour ferry council repairs winter crossing engine timetable passengers "
         "captain island morning weather tickets service hull").split()


def paragraph(seed: int, length: int = 30) -> str:
    """A paragraph of `length` words that shares no four-word run with another seed's."""
    return " ".join(f"{WORDS[(seed * 7 + i) % len(WORDS)]}{seed}x{i}" for i in range(length))


def choose(
    monkeypatch: pytest.MonkeyPatch, ours: list[str], theirs: list[str], prose: list[str]
) -> str:
    monkeypatch.setattr(body, "_readability", lambda tree, base: "\n\n".join(ours) + "\n")
    monkeypatch.setattr(body, "_trafilatura", lambda tree, base: "\n\n".join(theirs) + "\n")
    monkeypatch.setattr(body, "_justext", lambda tree, language: prose)
    tree = parse("<html><body><p>page</p></body></html>")
    assert tree is not None
    return body.main_markdown(tree, None, "en")


def test_disagreement_goes_to_the_side_justext_finds_prose_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = [paragraph(1), paragraph(2)]
    menus = [paragraph(10), paragraph(11), paragraph(12)]  # longer, and not the story
    got = choose(monkeypatch, ours=story, theirs=menus, prose=story)
    assert paragraph(1) in got and paragraph(10) not in got
    got = choose(monkeypatch, ours=menus, theirs=story, prose=story)
    assert paragraph(1) in got and paragraph(10) not in got


def test_disagreement_with_no_word_from_justext_takes_the_longer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    got = choose(monkeypatch, ours=[paragraph(1)], theirs=[paragraph(2), paragraph(3)], prose=[])
    assert paragraph(2) in got and paragraph(1) not in got


def test_a_passage_readability_keeps_twice_comes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    story = [paragraph(1), paragraph(2), paragraph(3)]
    got = choose(monkeypatch, ours=story[:2] + story, theirs=story, prose=story)
    assert got.count(paragraph(1)) == 1 and got.count(paragraph(3)) == 1


def test_a_paragraph_repeated_alone_is_not_a_copied_passage() -> None:
    assert not body._repeats_a_passage("\n\n".join([paragraph(1)] * 4))
    assert body._repeats_a_passage("\n\n".join([paragraph(1), paragraph(2)] * 2))


def test_trafilatura_surplus_over_an_agreeing_readability_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = [paragraph(1), paragraph(2)]
    comments = [paragraph(20 + i) for i in range(3)]
    got = choose(monkeypatch, ours=story, theirs=story + comments, prose=story + comments)
    assert paragraph(2) in got and paragraph(20) not in got
