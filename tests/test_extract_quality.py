"""A quality floor for article extraction, on the real pages in ../shared/corpus.

The floors sit a little under what the pipeline measures (`python bench/eval_extract.py`:
Dragnet test split P/R/F1 0.924/0.907/0.916 and titles found at the head of the truth
83.4%; Readability pages body F1 0.968, P 0.989, exact titles 82.7%, byline F1 0.856), so
that a change that makes extraction worse is seen in CI: body text and titles on the
Dragnet test split (human truth, 4-token shingles) and on the Readability pages, bylines on
the Readability pages. The pages are read where
they are, never copied. About half a minute on two cores.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location("eval_extract", REPO / "bench" / "eval_extract.py")
assert spec is not None and spec.loader is not None
evaluation = importlib.util.module_from_spec(spec)
sys.modules["eval_extract"] = evaluation
spec.loader.exec_module(evaluation)


@pytest.fixture(scope="module")
def readability():  # type: ignore[no-untyped-def]
    corpus = evaluation.DEFAULT_CORPUS
    if not corpus.is_dir():  # CI always has ../shared beside the clone
        pytest.skip(f"the shared corpus is not at {corpus}")
    pages = evaluation.load_pages(corpus, [])
    assert len(pages) >= 100
    return evaluation.evaluate(pages, "newscli", jobs=2)


@pytest.fixture(scope="module")
def dragnet():  # type: ignore[no-untyped-def]
    if not evaluation.DRAGNET.is_dir():
        pytest.skip(f"the shared corpus is not at {evaluation.DRAGNET}")
    pages = evaluation.load_dragnet(evaluation.DRAGNET, "test", [])
    assert len(pages) >= 400
    return evaluation.evaluate(pages, "newscli", jobs=2)


def test_no_page_crashes_the_extractor(readability, dragnet) -> None:  # type: ignore[no-untyped-def]
    assert readability.errors == 0
    assert dragnet.errors == 0


def test_body_text_floor_on_independent_data(dragnet) -> None:  # type: ignore[no-untyped-def]
    precision, recall, f1 = dragnet.body()
    assert f1 >= 0.91
    assert precision >= 0.915
    assert recall >= 0.90


def test_blog_posts_are_titled_by_their_headline(dragnet) -> None:  # type: ignore[no-untyped-def]
    assert evaluation.mean(dragnet.title_contains) >= 0.80  # 0.72 with the blog's name kept


def test_body_text_floor_on_the_readability_pages(readability) -> None:  # type: ignore[no-untyped-def]
    precision, recall, f1 = readability.body()
    assert f1 >= 0.96
    assert precision >= 0.98


def test_title_and_byline_floor(readability) -> None:  # type: ignore[no-untyped-def]
    assert evaluation.mean(readability.title_exact) >= 0.81
    assert evaluation.mean(readability.title_f) >= 0.93
    assert evaluation.mean(readability.byline_f) >= 0.83
