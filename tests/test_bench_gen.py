"""The synthetic store generator used by the benchmarks (bench/gen_store.py)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_store", BENCH / "gen_store.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_store", module)
    spec.loader.exec_module(module)
    return module


gen = _load()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("store")
    summary = gen.generate(50, root, seed=7, big=1)
    return root, summary


def test_count_formats_and_layout(store: tuple[Path, object]) -> None:
    root, summary = store
    files = _files(root)
    assert len(files) == 51  # 50 + 1 big; nothing else (no manifest) in the store
    regular = [f for f in files if f.stem != "long-read-1"]
    by_ext = {ext: sum(f.suffix == ext for f in regular) for ext in (".txt", ".md", ".html")}
    assert by_ext == {".txt": 35, ".md": 13, ".html": 2} or by_ext == {
        ".txt": 35, ".md": 12, ".html": 3}
    assert sum(by_ext.values()) == 50
    assert summary.formats == {k[1:]: v for k, v in by_ext.items()}
    for f in regular:
        rel = f.relative_to(root).as_posix()
        assert re.fullmatch(r"20(19|2[0-5])/(0[1-9]|1[0-2])/[a-z0-9-]+\.(txt|md|html)", rel)
    assert (root / summary.typical).is_file()
    assert summary.big == ["2024/06/long-read-1.md"]


def test_sizes_and_utf8(store: tuple[Path, object]) -> None:
    root, _ = store
    for f in _files(root):
        data = f.read_bytes()
        data.decode("utf-8")  # raises if not valid UTF-8
        if f.stem == "long-read-1":
            assert 4500 <= len(data.decode().split()) <= 6500
        else:
            assert gen.MIN_BYTES <= len(data) <= gen.MAX_BYTES, f


def test_txt_layouts_and_formats_look_like_news(store: tuple[Path, object]) -> None:
    root, _ = store
    texts = [f.read_text("utf-8") for f in _files(root) if f.suffix == ".txt"]
    front = [t for t in texts if t.startswith("---\ntitle: ")]
    blank_separated = [t for t in texts if "\n\n" in t and not t.startswith("---")]
    pasted = [t for t in texts if "\n\n" not in t]
    assert front and blank_separated and pasted
    assert all("\ndate: 20" in t and "\ntags: [" in t for t in front)
    for t in blank_separated:  # a headline line, then a blank line
        first, _, rest = t.partition("\n")
        assert first and not first.endswith(".") and rest.startswith("\n")
    md = [f.read_text("utf-8") for f in _files(root) if f.suffix == ".md"]
    assert all(m.startswith("---\ntitle: ") and "\nbyline: " in m and "\n## " in m for m in md)
    page = next(f.read_text("utf-8") for f in _files(root) if f.suffix == ".html")
    for needle in ("<title>", 'property="og:site_name"', 'property="article:published_time"',
                   "<nav>", "<article>", "<h1>", "<p>", "<footer>"):
        assert needle in page


def test_deterministic(store: tuple[Path, object], tmp_path: Path) -> None:
    root, _ = store
    gen.generate(50, tmp_path, seed=7, big=1)
    mine = {p.relative_to(tmp_path): p.read_bytes() for p in _files(tmp_path)}
    theirs = {p.relative_to(root): p.read_bytes() for p in _files(root)}
    assert mine == theirs
    again: dict[str, bytes] = {}
    gen.generate(50, tmp_path / "x", seed=7, big=1, write=False, collect=again)
    assert {Path(k): v for k, v in again.items()} == theirs
    other: dict[str, bytes] = {}
    gen.generate(50, tmp_path / "y", seed=8, write=False, collect=other)
    assert set(other.values()).isdisjoint(theirs.values())


def test_flat_and_mix(tmp_path: Path) -> None:
    summary = gen.generate(20, tmp_path, seed=1, flat=True, mix="md=1,html=1")
    files = _files(tmp_path)
    assert all(f.parent == tmp_path for f in files)
    assert summary.formats == {"md": 10, "html": 10}
    assert {f.suffix for f in files} == {".md", ".html"}


def test_marker_frequencies(tmp_path: Path) -> None:
    n = 1000
    files: dict[str, bytes] = {}
    summary = gen.generate(n, tmp_path, seed=3, write=False, collect=files)
    docs = [data.decode("utf-8").lower() for data in files.values()]
    assert not tmp_path.exists() or not any(tmp_path.iterdir())
    assert len(docs) == n

    def share(pred: object) -> float:
        return sum(1 for d in docs if pred(d)) / n  # type: ignore[operator]

    pat = gen.GREP_PATTERNS
    assert share(lambda d: pat["common"] in d) == pytest.approx(0.5, abs=0.01)
    assert share(lambda d: pat["council"] in d) == pytest.approx(0.1, abs=0.01)
    assert share(lambda d: pat["common"] in d and pat["council"] in d) == pytest.approx(
        0.05, abs=0.015)
    assert sum(pat["rare"] in d for d in docs) == summary.markers["rare"] == 1
    assert share(lambda d: pat["phrase"] in d) == pytest.approx(0.01, abs=0.003)
    assert share(lambda d: pat["prefix"] in d) == pytest.approx(0.02, abs=0.003)
    family = {w for d in docs for w in re.findall(pat["prefix"] + r"[a-z]*", d)}
    assert family <= set(gen.PREFIX_FAMILY) and len(family) >= 3
    assert set(gen.QUERIES) == {"common", "rare", "two_words", "phrase", "prefix"}
