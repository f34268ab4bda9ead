"""The article's body, from the evidence of three extractors.

trafilatura and readability-lxml each find the main text, and fail on different pages.
When they broadly agree, the body is trafilatura's blocks that readability-lxml also kept
(or, failing that, that jusText judges to be prose, or short lines such as subheadings
that sit between agreed blocks), or readability-lxml's alone when that leaves next to
nothing, or trafilatura's alone when readability-lxml kept a passage twice. When they
disagree, jusText arbitrates: the one whose text its prose paragraphs share more of wins,
and the longer when it sides with neither. This and the thresholds were chosen on the
Dragnet training split (`bench/eval_extract.py`, `bench/extract_cache.py`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from newscli.extract.clean import (
    FURNITURE,
    NEVER_CONTENT,
    collapse_whitespace,
    drop,
    drop_citations,
    drop_comment_threads,
    drop_empty,
    drop_furniture,
    drop_hidden,
    tidy_inline,
)
from newscli.extract.convert import html_to_markdown, tree_to_markdown
from newscli.extract.parse import WORD

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Agreement needed to combine: the share of readability's text trafilatura also has, and
# the share of trafilatura's that readability has.
COVER_READABILITY = 0.4
COVER_TRAFILATURA = 0.2
# A block is agreed when this share of its 4-word shingles is in the other's text.
BLOCK_AGREEMENT = 0.5
# When they agree but readability's text has fewer words than this share of trafilatura's,
# readability's alone is taken. Fitted on the Dragnet training split (F1 0.9272 → 0.9287;
# 5-fold CV 0.9272 → 0.9278, 0.6 chosen in 3 folds): `python bench/extract_cache.py` then
# `python bench/fit_chooser.py` re-derive it. It costs one Japanese page of the
# Readability set, whose trafilatura text is the right one.
SHORTER_READABILITY = 0.6
# Blocks shorter than this (in words) lying between agreed blocks are kept (subheadings,
# datelines, captions of tables).
SHORT_BLOCK = 15
# Fewer words than this from trafilatura is no evidence (it then returns menus and forms).
SHORT_PAGE = 25
# Characters of page text past which no article lies (some 150,000 words).
LARGE_TEXT = 1_000_000


_LIST_LINE = re.compile(r"\s*(?:[*+-]|\d+\.)\s")
_JUSTEXT_LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "da": "Danish", "no": "Norwegian",
    "nb": "Norwegian_Bokmal", "fi": "Finnish", "pl": "Polish", "cs": "Czech",
    "ru": "Russian", "tr": "Turkish", "ro": "Romanian", "hu": "Hungarian", "el": "Greek",
}


def prepare(tree: HtmlElement, byline: HtmlElement | None) -> None:
    """What no extractor should see: scripts and media (and the frames they leave empty),
    comments, share bars, captions, citation marks, the byline (it is metadata; kept when
    it is a bare link)."""
    drop(tree, NEVER_CONTENT)
    drop_comment_threads(tree)  # before drop_furniture, which drops the anchor
    drop_furniture(tree)
    drop_citations(tree)
    tidy_inline(tree)
    if byline is not None and byline.tag != "a" and byline.getparent() is not None:
        byline.drop_tree()
    drop_empty(tree)
    collapse_whitespace(tree)


def main_markdown(tree: HtmlElement, base: str | None, language: str = "") -> str:
    """The article's Markdown; `tree` (already `prepare`d) is changed on the way. A page
    with more text than any article (LARGE_TEXT) is left to readability-lxml alone: the
    vote costs seconds a megabyte and finds nothing better there."""
    if len(tree.text_content()) > LARGE_TEXT:
        return _readability(tree, base)
    page = copy.deepcopy(tree)
    ours = _readability(tree, base)
    theirs = _trafilatura(copy.deepcopy(page), base)
    return choose(ours, theirs, lambda: _justext(page, language))


def choose(ours: str, theirs: str, justext_found: Callable[[], list[str]]) -> str:
    """The body from readability-lxml's Markdown (`ours`), trafilatura's (`theirs`) and,
    asked for only when needed, the paragraphs jusText judges to be prose."""
    ours_tokens, theirs_tokens = _tokens(ours), _tokens(theirs)
    if not theirs_tokens or not ours_tokens or len(theirs_tokens) < SHORT_PAGE:
        return ours if ours_tokens or len(theirs_tokens) < SHORT_PAGE else theirs
    mine, other = _shingles(ours_tokens), _shingles(theirs_tokens)
    shared = len(mine & other)
    if shared / len(mine) < COVER_READABILITY or shared / len(other) < COVER_TRAFILATURA:
        longer = len(ours_tokens) > len(theirs_tokens)
        return ours if _sides_with_ours(mine, other, justext_found(), longer) else theirs
    if _repeats_a_passage(ours):
        return theirs  # readability kept the article twice (a teaser and the story, say)
    if len(ours_tokens) < SHORTER_READABILITY * len(theirs_tokens):
        return ours  # trafilatura's surplus is comments and teasers, which the vote would let in
    voted = _vote(theirs, ours, justext_found)
    return voted if len(_tokens(voted)) >= SHORT_PAGE else ours


def _sides_with_ours(mine: set[str], other: set[str], prose: list[str], longer: bool) -> bool:
    """Whether, of two disagreeing extractions (their 4-word shingles), jusText's prose
    agrees more with ours (by the F1 of the shingles shared); `longer` when it sides with
    neither."""
    found = _shingles(_tokens(" ".join(prose))) if prose else set[str]()
    score, rival = _overlap_f1(mine, found), _overlap_f1(other, found)
    return score > rival if score != rival else longer


def _repeats_a_passage(markdown: str) -> bool:
    """Whether two successive paragraphs (of SHORT_BLOCK words or more, and different)
    come again later in the same order: a passage copied, not a line the page repeats."""
    blocks = [tuple(_tokens(b)) for b in _blocks(markdown)]
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for pair in zip(blocks, blocks[1:], strict=False):
        if pair[0] != pair[1] and min(len(pair[0]), len(pair[1])) >= SHORT_BLOCK:
            if pair in seen:
                return True
            seen.add(pair)
    return False


def _overlap_f1(mine: set[str], other: set[str]) -> float:
    shared = len(mine & other)
    return 2 * shared / (len(mine) + len(other)) if shared else 0.0


def whole_body_markdown(tree: HtmlElement, base: str | None) -> str:
    body = tree.find("body")
    work = copy.deepcopy(body if body is not None else tree)
    drop(work, NEVER_CONTENT + FURNITURE)
    drop_hidden(work)
    collapse_whitespace(work)
    return tree_to_markdown(work, base)


def _readability(tree: HtmlElement, base: str | None) -> str:
    from readability import Document

    try:
        summary = Document(tree).summary(html_partial=True)
    except Exception:  # readability raises bare Exceptions on pages it cannot score
        return ""
    return html_to_markdown(summary, base)


def _trafilatura(tree: HtmlElement, base: str | None, *, favor_recall: bool = False,
                 favor_precision: bool = False) -> str:
    """trafilatura's main text as Markdown (its two `favor_` modes are measured by
    `bench/extract_cache.py`)."""
    import lxml.html
    import trafilatura

    try:
        found = trafilatura.extract(
            tree,
            url=base,
            output_format="html",
            include_links=True,
            include_tables=True,
            include_formatting=True,
            include_comments=False,
            include_images=False,
            fast=True,
            favor_recall=favor_recall,
            favor_precision=favor_precision,
        )
        if not found:
            return ""
        root = lxml.html.fragment_fromstring(found, create_parent="div")
    except Exception:  # a page trafilatura cannot read is left to readability
        return ""
    for heading in root.iter("h1"):  # its h1 is the page title, which newscli shows apart
        heading.tag = "h2"
    return tree_to_markdown(root, base)


def _justext(tree: HtmlElement, language: str) -> list[str]:
    """The paragraphs jusText judges to be prose."""
    import justext
    import lxml.html

    name = _JUSTEXT_LANGUAGES.get(language.split("-")[0].lower() if language else "en")
    try:
        stoplist = justext.get_stoplist(name) if name else frozenset()
        html = lxml.html.tostring(tree, encoding="unicode")
        found = justext.justext(html, stoplist, **({} if name else {"stopwords_low": 0,
                                                                     "stopwords_high": 0}))
    except Exception:  # jusText is only a tie-breaker
        return []
    return [p.text for p in found if not p.is_boilerplate]


def _vote(markdown: str, ours: str, justext_found: Callable[[], list[str]]) -> str:
    """trafilatura's blocks that readability agrees with, or jusText, or short ones between
    agreed blocks; then, each after its agreed predecessor, readability's blocks that
    trafilatura lacks: subheadings and prose jusText agrees with that lie between agreed
    blocks, and paragraphs the page repeats (trafilatura keeps a repeated one once)."""
    ours_tokens = _tokens(ours)
    mine, joined = _shingles(ours_tokens), " " + " ".join(ours_tokens) + " "
    blocks = _blocks(markdown)
    tokens = [_tokens(b) for b in blocks]
    agreed = [_agreement(t, mine, joined) >= BLOCK_AGREEMENT for t in tokens]
    prose: tuple[set[str], str] | None = None

    def is_prose(words: list[str]) -> bool:
        nonlocal prose
        if prose is None:
            found = _tokens(" ".join(justext_found()))
            prose = (_shingles(found), " " + " ".join(found) + " ")
        return _agreement(words, *prose) >= BLOCK_AGREEMENT

    kept: list[int] = []
    for i in range(len(blocks)):
        short = len(tokens[i]) < SHORT_BLOCK and any(agreed[:i]) and any(agreed[i + 1 :])
        if agreed[i] or short or (tokens[i] and is_prose(tokens[i])):
            kept.append(i)
    out = [[blocks[i]] for i in kept]
    # readability's own blocks, placed after the kept block holding their predecessor
    theirs_tokens = [t for i in kept for t in tokens[i]]
    theirs, joined_theirs = _shingles(theirs_tokens), " " + " ".join(theirs_tokens) + " "
    ours_blocks = _blocks(ours)
    ours_words = [_tokens(b) for b in ours_blocks]
    ours_agreed = [_agreement(t, theirs, joined_theirs) >= BLOCK_AGREEMENT for t in ours_words]
    at, used = -1, set[int]()
    kept_shingles = [_shingles(tokens[i]) for i in kept]
    for j, block in enumerate(ours_blocks):
        if ours_agreed[j]:
            match = _best_match(ours_words[j], kept_shingles, used)
            if match is not None:
                at = max(at, match)
                used.add(match)
                continue
            if ours_words[j] not in ours_words[:j]:
                continue
        elif not (
            any(ours_agreed[j + 1 :])
            and (block.startswith("#") or len(ours_words[j]) >= SHORT_BLOCK)
            and (block.startswith("#") or is_prose(ours_words[j]))
        ):
            continue
        if at >= 0:
            out[at].append(block)
    return _join([b for group in out for b in group])


def _best_match(words: list[str], candidates: list[set[str]], used: set[int]) -> int | None:
    """The index of the unused candidate sharing most shingles with `words`, or None."""
    mine = _shingles(words)
    best, best_score = None, 0
    for i, shingles in enumerate(candidates):
        if i in used:
            continue
        score = len(mine & shingles)
        if score > best_score:
            best, best_score = i, score
    return best


def _blocks(markdown: str) -> list[str]:
    """Paragraph-level blocks; a list counts item by item (tables and quotes stay whole)."""
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", markdown):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if len(lines) > 1 and all(_LIST_LINE.match(line) for line in lines):
            out.extend(lines)
        elif lines:
            out.append("\n".join(lines))
    return out


def _join(blocks: list[str]) -> str:
    """Blocks back into Markdown; list items that were neighbours stay one list."""
    out: list[str] = []
    for block in blocks:
        if out and _LIST_LINE.match(block) and _LIST_LINE.match(out[-1].split("\n")[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out) + ("\n" if out else "")


def _tokens(markdown: str) -> list[str]:
    plain = re.sub(r"\]\([^)]*\)", "]", markdown)
    return WORD.findall(plain)


def _shingles(tokens: list[str], n: int = 4) -> set[str]:
    return {" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))}


def _agreement(tokens: list[str], shingles: set[str], joined: str) -> float:
    if not tokens:
        return 1.0
    if len(tokens) < 4:
        return 1.0 if " " + " ".join(tokens) + " " in joined else 0.0
    mine = _shingles(tokens)
    return len(mine & shingles) / len(mine)
