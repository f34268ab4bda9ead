"""A quality floor for article extraction, on the real pages in ../shared/corpus.

The floor sits a little under what the pipeline measures (`python bench/eval_extract.py`:
body F1 0.963, exact titles 81.9%, byline F1 0.833), so that a change that makes
extraction worse is seen in CI. The pages are read where they are, never copied.
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
def scores():  # type: ignore[no-untyped-def]
    corpus = evaluation.DEFAULT_CORPUS
    if not corpus.is_dir():  # CI always has ../shared beside the clone
        pytest.skip(f"the shared corpus is not at {corpus}")
    pages = evaluation.load_pages(corpus, [])
    assert len(pages) >= 100
    return evaluation.evaluate(pages, evaluation.run_newscli, verbose=False)


def test_no_page_crashes_the_extractor(scores) -> None:  # type: ignore[no-untyped-def]
    assert scores.errors == 0


def test_body_text_floor(scores) -> None:  # type: ignore[no-untyped-def]
    assert evaluation.mean(scores.body_f) >= 0.95
    assert evaluation.mean(scores.body_p) >= 0.95


def test_title_and_byline_floor(scores) -> None:  # type: ignore[no-untyped-def]
    assert evaluation.mean(scores.title_exact) >= 0.78
    assert evaluation.mean(scores.title_f) >= 0.93
    assert evaluation.mean(scores.byline_f) >= 0.75
