"""Search ranking on a small corpus written for it: `tests/search_corpus/`.

Each row is a query a user types, run through the real CLI with `--json` against a copy of
the corpus, and what should come back: the best hit, and where the order matters the first
few in order, the exact set of hits, or ids that must not appear. The corpus overlaps on
purpose (three articles about deportation, three about the mega-prison, "harbour" in a
title and in bodies, "MS" the illness beside MS-13, "us" beside "U.S.", $6 beside $5), so
these rows test ranking and matching, not just finding a unique word.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "search_corpus"

# Ids of the corpus, named once so a typo in the table fails loudly (see test_ids_exist).
KEEPER = "misc/lighthouse-keeper"
EROSION = "misc/coastal-erosion"
DREDGING = "misc/harbour-dredging"
FESTIVAL = "misc/harbour-festival"
PARKING = "misc/harbour-parking"
WIND = "2025/offshore-wind-farm"
DROUGHT = "2023-drought-farmers"
MARATHON = "misc/marathon-record"
VETERANS = "2023-deported-veterans"
JUDGE = "2025/judge-blocks-deportations"
FLIGHTS = "2025/trump-deportation-flights"
FLOOD = "2024/flood-warning"
CAFE = "2024/cafe-rents"
RECIPE = "misc/cafe-recipe"
FAMILIES = "2024/mega-prison-families"
CECOT = "2025/cecot-expansion"
REPORT = "misc/prison-report"
TRUCE = "2025/ms13-truce"
CLINIC = "2024/ms-clinic"
PROFILE = "misc/tren-de-aragua-profile"
GRAIN = "misc/grain-corridor"
REELECTION = "misc/bukele-reelection"
BIKES = "misc/bike-lanes-vote"
LIBRARY = "misc/library-closure"
CUP = "misc/cup-final"
STADIUM = "misc/stadium-reopens"
BIDEN = "2024/biden-asylum-rules"
TARIFF_THREAT = "2025/trump-tariff-threat"
US_TARIFFS = "2024/us-tariffs"
HARVEST = "2024/coffee-harvest"
LUNCH = "2025/five-dollar-lunch"
CPP = "2025/cpp-standard"
RUST = "2025/rust-kernel"
TOKYO = "misc/tokyo-typhoon"
BEIJING = "misc/beijing-rain"
TREES = "misc/no-front-matter"


@dataclass(frozen=True)
class Case:
    """`first`: the hits must start with these, in this order. `only`: the hits are exactly
    these (any order). `absent`: none of these may be a hit. `options`: extra CLI options."""

    query: str
    first: tuple[str, ...]
    only: frozenset[str] | None = None
    absent: frozenset[str] = frozenset()
    options: tuple[str, ...] = ()
    why: str = field(default="", compare=False)


def case(query: str, *first: str, only=None, absent=(), options=(), why="") -> pytest.param:
    return pytest.param(
        Case(query, first, frozenset(only) if only is not None else None, frozenset(absent),
             tuple(options), why),
        id=query + (" " + " ".join(options) if options else ""),
    )


CASES = [
    # -- field weights: a title match beats body-only matches
    case("lighthouse", KEEPER, EROSION, only={KEEPER, EROSION},
         why="one title match beats three body matches (title weight 10)"),
    case("harbour", DREDGING, FESTIVAL, only={DREDGING, FESTIVAL, KEEPER, PARKING},
         why="title first; three body matches before one"),
    case("coffee", only={TARIFF_THREAT, US_TARIFFS, HARVEST, TREES, RECIPE},
         why="titles before bodies: see test_titles_rank_above_bodies"),
    case("title:lighthouse", KEEPER, only={KEEPER}),
    case("title:(cafe OR coffee)", CAFE, only={CAFE, TARIFF_THREAT, US_TARIFFS, HARVEST}),
    case("coffee -title:coffee", only={TREES, RECIPE}),
    # -- phrases, OR, exclusion, NOT
    case('"wind farm"', WIND, only={WIND}, why="the words apart (drought article) don't count"),
    case("wind farm", WIND, DROUGHT, only={WIND, DROUGHT}),
    case('"Tren de Aragua"', PROFILE, FLIGHTS, only={PROFILE, FLIGHTS}),
    case("lighthouse OR marathon", only={MARATHON, KEEPER, EROSION}),
    case("(lighthouse OR harbour) -festival", KEEPER, only={KEEPER, EROSION, DREDGING, PARKING}),
    case("harbour NOT dredging", FESTIVAL, only={FESTIVAL, KEEPER, PARKING}),
    case("deport* -venezuelan", VETERANS, only={VETERANS}),
    # -- prefixes and stemming
    case("deport*", only={VETERANS, JUDGE, FLIGHTS}),
    case("deport", only={VETERANS, JUDGE, FLIGHTS}, why="deported, deporting, deportations"),
    case("deporting", only={VETERANS, JUDGE, FLIGHTS}),
    case("flooding", FLOOD, only={FLOOD}),
    case("runners", MARATHON, only={MARATHON}),
    case("farm*", only={WIND, DROUGHT, RECIPE, TARIFF_THREAT}, why="farm, farmers, farms"),
    # -- fields: author, source, tags
    case('author:"lucia reyes"', only={FAMILIES, CECOT}, why="Lucía in the byline"),
    case("author:lucía", only={FAMILIES, CECOT, "2024/heatwave-europe"}),
    case("author:reyes", only={GRAIN, REELECTION, TRUCE, FAMILIES, CECOT}),
    case('source:"wire report" prison', only={PROFILE, FLIGHTS, TRUCE}),
    case("source:ledger council", BIKES, only={BIKES, LIBRARY, PARKING, CAFE}),
    case("tag:sport", CUP, STADIUM, MARATHON, only={CUP, STADIUM, MARATHON},
         why="filters only: newest first"),
    case("TAG:Sport", CUP, STADIUM, MARATHON, only={CUP, STADIUM, MARATHON}),
    case("tag:immigration -tag:courts", FLIGHTS, BIDEN, VETERANS,
         only={FLIGHTS, BIDEN, VETERANS}),
    case('tag:"local politics" council', BIKES, absent={RECIPE}),
    # -- dates
    case("prison date:2024", FAMILIES, only={FAMILIES}),
    case("coffee date:2025..", TARIFF_THREAT, only={TARIFF_THREAT}),
    case("coffee date:..2024-06-30", RECIPE, only={RECIPE}, why="undated never matches"),
    case("after:2025-03 deport*", only={JUDGE, FLIGHTS}),
    case("before:2024 farm*", DROUGHT, RECIPE, only={DROUGHT, RECIPE}),
    case("date:2024-06", PARKING, FESTIVAL, BIDEN, only={PARKING, FESTIVAL, BIDEN}),
    # -- CLI filter options
    case("council", BIKES, only={BIKES, LIBRARY, PARKING, CAFE},
         options=("--source", "ledger")),
    case("deport*", JUDGE, FLIGHTS, VETERANS, only={JUDGE, FLIGHTS, VETERANS},
         options=("--sort", "date")),
    case("deport*", only={VETERANS}, options=("--until", "2024")),
    case("deport*", only={JUDGE}, options=("--tag", "courts", "--tag", "immigration",
                                           "--since", "2025-03-01"), why="every --tag given"),
    case("coffee", TARIFF_THREAT, US_TARIFFS, HARVEST, RECIPE, TREES, options=("--sort", "date"),
         why="undated last"),
    # -- diacritics
    case("cafe", CAFE, RECIPE, only={CAFE, RECIPE}),
    case("café", CAFE, RECIPE, only={CAFE, RECIPE}),
    # -- apostrophes (straight and curly are the same)
    case("Trump's", only={TARIFF_THREAT, FLIGHTS, JUDGE}),
    case("Trump's tariff", TARIFF_THREAT, only={TARIFF_THREAT}, why="title has Trump’s"),
    case("Trump’s deportation", FLIGHTS, JUDGE, only={FLIGHTS, JUDGE}, why="title has Trump's"),
    # -- hyphens and punctuation inside words
    case("mega-prison", only={FAMILIES, CECOT, REPORT}),
    case('"mega prison"', only={FAMILIES, CECOT, REPORT}),
    case("mega-pri*", only={FAMILIES, CECOT, REPORT}),
    case("U.S.", US_TARIFFS, FLIGHTS, only={US_TARIFFS, FLIGHTS}, why='not "join us"'),
    case("MS-13", TRUCE, CECOT, only={TRUCE, CECOT}, why="not the MS clinic with 13 rooms"),
    case('"Barrio 18"', only={TRUCE, CECOT}),
    case("$5", LUNCH, only={LUNCH}, why="not the $6 flat white"),
    case("C++", CPP, RUST, only={CPP, RUST}),
    # -- emoji and CJK
    case("🎉 stadium", STADIUM, only={STADIUM}),
    case("東京の電車は台風の後で運転を再開した", TOKYO, only={TOKYO}),
    case("東京*", TOKYO, only={TOKYO}),
    case("北京*", BEIJING, only={BEIJING}),
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the corpus for the module (searching never changes it)."""
    target = tmp_path_factory.mktemp("ranking") / "store"
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns(".newscli"))
    return target


def search(run, corpus: Path, query: str, *options: str) -> list[dict]:
    result = run(corpus, "search", "--json", "--limit", "50", *options, "--", query)
    assert result.exit_code == 0, (query, result.stderr)
    assert result.stderr == ""
    return json.loads(result.stdout)


def test_every_id_in_the_table_is_in_the_corpus(run, corpus: Path) -> None:
    listed = {item["id"] for item in json.loads(run(corpus, "list", "--json").stdout)}
    assert len(listed) == 40
    named = set()
    for param in CASES:
        expected = param.values[0]
        named |= set(expected.first) | (expected.only or set()) | expected.absent
    assert named <= listed, named - listed


@pytest.mark.parametrize("expected", CASES)
def test_ranking(run, corpus: Path, expected: Case) -> None:
    ids = [hit["id"] for hit in search(run, corpus, expected.query, *expected.options)]
    assert ids, expected.query
    assert ids[: len(expected.first)] == list(expected.first), expected.why
    if expected.only is not None:
        assert sorted(ids) == sorted(expected.only), expected.why
    assert not expected.absent & set(ids)
    assert len(ids) == len(set(ids)), "an article listed twice"


def test_titles_rank_above_bodies(run, corpus: Path) -> None:
    hits = search(run, corpus, "coffee")
    in_title = ["coffee" in hit["title"].lower() for hit in hits]
    assert in_title == sorted(in_title, reverse=True), [h["id"] for h in hits]


def test_scores_fall_and_highlights_name_the_match(run, corpus: Path) -> None:
    hits = search(run, corpus, "harbour")
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert all(hit["highlights"] == ["harbour"] for hit in hits)


@pytest.mark.parametrize(
    ("query", "highlight"),
    [
        ("Trump's tariff", "trump’s"),
        ("mega-prison", "mega prison"),
        ("MS-13", "ms-13"),
        ("cafe", "café"),
        ("deport", "deporting"),
    ],
)
def test_highlights_show_the_text_as_written(run, corpus: Path, query: str,
                                             highlight: str) -> None:
    highlights = {h for hit in search(run, corpus, query) for h in hit["highlights"]}
    assert highlight in highlights


@pytest.mark.parametrize("query", ["🎉", "⚽", "。", "🎉🎉 ⚽"])
def test_a_query_of_symbols_only_is_refused_in_one_line(run, corpus: Path, query: str) -> None:
    result = run(corpus, "search", "--", query)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("newscli: error: nothing to search for")
    assert all(line.startswith("hint: ") for line in lines[1:])


@pytest.mark.parametrize(("query", "found"), [("東京", TOKYO), ("北京", BEIJING),
                                              ("台風", TOKYO), ("京", BEIJING)])
def test_a_cjk_word_inside_a_run_is_found_and_marked(run, corpus: Path, query: str,
                                                     found: str) -> None:
    hits = search(run, corpus, query)
    assert found in [hit["id"] for hit in hits]
    hit = next(hit for hit in hits if hit["id"] == found)
    assert query in hit["highlights"]
