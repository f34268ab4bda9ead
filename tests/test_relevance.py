"""Search ranking against human relevance judgements, with floors, so a ranking change is
seen: the Cranfield collection in ../shared/ir (read in place), through the real CLI, beside
bare SQLite FTS5 on the same documents (bench/eval_ir.py prints the full table)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import REPO

COLLECTION = REPO.parent / "shared" / "ir" / "cranfield"

pytestmark = pytest.mark.skipif(not (COLLECTION / "cran.all.1400").exists(),
                                reason="the Cranfield collection is not in ../shared/ir")


def _eval_ir():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("eval_ir", REPO / "bench" / "eval_ir.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_ir"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    ev = _eval_ir()
    coll = ev.load(COLLECTION)
    store = tmp_path_factory.mktemp("cranfield") / "store"
    ev.write_store(coll, store)
    return (ev.evaluate("fts5", coll, ev.fts5_runner(coll)),
            ev.evaluate("newscli", coll, ev.newscli_runner(store)))


def test_the_collection_is_read_as_documented(results) -> None:  # type: ignore[no-untyped-def]
    baseline, _ = results
    assert baseline.judged == 225
    # bare FTS5 as measured in ../shared/ir/README.md (0.361 / 0.515 / 0.728)
    assert baseline.ndcg == pytest.approx(0.361, abs=0.005)
    assert baseline.mrr == pytest.approx(0.515, abs=0.005)


def test_every_question_finds_something(results) -> None:  # type: ignore[no-untyped-def]
    _, newscli = results
    assert newscli.no_hit == 0


def test_ranking_floors(results) -> None:  # type: ignore[no-untyped-def]
    baseline, newscli = results
    # measured 0.379 / 0.546 / 0.751 when this floor was set
    assert newscli.ndcg >= 0.375
    assert newscli.mrr >= 0.53
    assert newscli.recall >= 0.74
    assert newscli.ndcg > baseline.ndcg and newscli.recall > baseline.recall
